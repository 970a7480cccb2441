"""Writes on counsellors."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from api.accounts.models import User
from api.counsellors.models import CounsellorProfile, ExcludedCounsellor


def exclusion_add(*, doctor: User, counsellor: CounsellorProfile) -> ExcludedCounsellor:
    """Hides a counsellor from the doctor everywhere; nothing tells the counsellor. Idempotent."""
    try:
        with transaction.atomic():
            exclusion, _created = ExcludedCounsellor.objects.get_or_create(
                doctor=doctor, counsellor=counsellor
            )
    except IntegrityError:  # added concurrently by the same doctor
        exclusion = ExcludedCounsellor.objects.get(doctor=doctor, counsellor=counsellor)
    return exclusion


def exclusion_remove(*, doctor: User, counsellor_id: uuid.UUID) -> bool:
    """Shows the counsellor again; returns whether there was an exclusion to remove."""
    deleted, _ = ExcludedCounsellor.objects.filter(doctor=doctor, counsellor_id=counsellor_id).delete()
    return deleted > 0
