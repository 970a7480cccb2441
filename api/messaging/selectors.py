"""Reads on messaging: a user's devices and threads, a thread's device keys, a device's envelopes.

Only the two participants of a thread see it, its key directory or its messages: even the keys
reveal who talks to whom. Anyone else gets 404.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from api.accounts.models import User
from api.core.errors import field_problem
from api.messaging.models import Device, Message, Thread

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def current_devices(*, user_ids: Iterable[Any]) -> QuerySet[Device]:
    return Device.objects.filter(user_id__in=list(user_ids), revoked_at=None)


def devices_of(*, user: User) -> QuerySet[Device]:
    return current_devices(user_ids=[user.pk]).order_by("created_at", "id")


def device_of(*, user: User, device_id: uuid.UUID) -> Device:
    device = devices_of(user=user).filter(pk=device_id).first()
    if device is None:
        raise Http404
    return device


def _participant(user: User) -> Q:
    return Q(doctor_id=user.pk) | Q(counsellor__user_id=user.pk)


def threads_of(*, user: User, now: datetime | None = None) -> QuerySet[Thread]:
    """The user's threads, each with how many messages from the other participant are unread."""
    now = now or timezone.now()
    read_at = Case(
        When(doctor_id=user.pk, then=F("doctor_read_at")),
        default=F("counsellor_read_at"),
        output_field=DateTimeField(),
    )
    unread = (
        Message.objects.filter(
            thread_id=OuterRef("pk"),
            expires_at__gt=now,
            created_at__gt=Coalesce(OuterRef("my_read_at"), Value(_NEVER)),
        )
        .exclude(sender_id=user.pk)
        .order_by()
        .values("thread_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Thread.objects.filter(_participant(user))
        .select_related("counsellor", "doctor")
        .annotate(my_read_at=read_at)
        .annotate(unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
    )


def thread_of(*, user: User, thread_id: uuid.UUID) -> Thread:
    """One of the user's threads, or 404."""
    thread = threads_of(user=user).select_related("counsellor__organisation").filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def device_entries(*, thread: Thread) -> list[dict[str, Any]]:
    """The thread's current devices with their public keys, for clients to encrypt to."""
    devices = current_devices(user_ids=[thread.doctor_id, thread.counsellor.user_id]).order_by(
        "created_at", "id"
    )
    return [
        {
            "id": str(device.pk),
            "participant": "doctor" if device.user_id == thread.doctor_id else "counsellor",
            "encryption_key": _b64(device.encryption_key),
            "signing_key": _b64(device.signing_key),
            "key_signature": _b64(device.key_signature),
            "created_at": device.created_at.isoformat().replace("+00:00", "Z"),
        }
        for device in devices
    ]


def _b64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def messages_for_device(*, thread: Thread, user: User, device_id: uuid.UUID) -> QuerySet[Message]:
    """The thread's live messages as one of the user's current devices can read them: each with that
    device's envelope (`nonce`, `ciphertext`), oldest first. Messages sent before the device was
    registered have no envelope for it and are not listed."""
    if not devices_of(user=user).filter(pk=device_id).exists():
        raise field_problem("device", "not_your_device", "Not one of your current devices.")
    return (
        Message.objects.filter(thread=thread, expires_at__gt=timezone.now())
        .annotate(mine=FilteredRelation("envelopes", condition=Q(envelopes__device_id=device_id)))
        .filter(mine__isnull=False)
        .annotate(nonce=F("mine__nonce"), ciphertext=F("mine__ciphertext"))
    )
