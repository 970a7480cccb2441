"""Writes on counsellors."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from api.accounts.models import User
from api.core.errors import field_problem
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, ExcludedCounsellor, Modality, Region

_PROFILE_FIELDS = ("display_name", "bio", "in_person_location", "active")


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


def _modalities_check(counsellor: CounsellorProfile, *, offered: list[str]) -> None:
    """A profile may not drop a modality its weekly rules still offer: the schedule changes first."""
    from api.availability.models import ScheduleRule  # noqa: PLC0415 (availability builds on counsellors)

    dropped = [m.value for m in Modality if m.value not in offered]
    if not dropped:
        return
    in_use = sorted(
        {
            m
            for rule in ScheduleRule.objects.filter(counsellor=counsellor)
            for m in rule.modalities
            if m in dropped
        }
    )
    if in_use:
        raise field_problem(
            "modalities",
            "modality_in_use",
            f"The weekly schedule still offers {', '.join(in_use)}; change the schedule first.",
        )


def counsellor_update(
    *,
    counsellor: CounsellorProfile,
    display_name: str | None = None,
    bio: str | None = None,
    in_person_location: str | None = None,
    active: bool | None = None,
    languages: list[str] | None = None,
    region_ids: list[uuid.UUID] | None = None,
    modalities: list[str] | None = None,
) -> CounsellorProfile:
    """Changes a counsellor's profile; only the fields given. Regions must be the organisation's own."""
    given = {
        "display_name": display_name,
        "bio": bio,
        "in_person_location": in_person_location,
        "active": active,
    }
    changed = [name for name in _PROFILE_FIELDS if given[name] is not None]
    with transaction.atomic():
        for name in changed:
            setattr(counsellor, name, given[name])
        if modalities is not None:
            _modalities_check(counsellor, offered=modalities)
            for modality in Modality:
                setattr(counsellor, modality.value, modality.value in modalities)
            changed += [m.value for m in Modality]
        counsellor.save(update_fields=[*changed, "updated_at"])
        if languages is not None:
            counsellor.languages.all().delete()
            CounsellorLanguage.objects.bulk_create(
                CounsellorLanguage(counsellor=counsellor, code=code) for code in sorted(set(languages))
            )
        if region_ids is not None:
            regions = list(
                Region.objects.filter(organisation_id=counsellor.organisation_id, pk__in=region_ids)
            )
            if len(regions) != len(set(region_ids)):
                raise field_problem(
                    "region_ids", "unknown_region", "Use regions of the counsellor's organisation."
                )
            counsellor.regions.set(regions)
    return counsellor
