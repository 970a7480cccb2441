"""Writes on messaging: devices, threads, messages, reading, and forgetting.

Nothing here sees a message's words: a message arrives as envelopes sealed on the sender's device,
one per device that may read it, and is stored and handed out as it came.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from api.accounts.models import User
from api.core.errors import ErrorCode, Problem, field_problem
from api.counsellors.models import CounsellorProfile
from api.messaging.models import Device, Envelope, Message, MessageNotice, Platform, Thread
from api.messaging.selectors import current_devices, device_entries
from api.sync.log import change_record, changes_record
from api.sync.models import ChangeKind, ChangeOp

# Messages deleted per transaction by the retention purge.
PURGE_BATCH = 500


@dataclass(frozen=True)
class DeviceKeys:
    encryption_key: bytes
    signing_key: bytes
    key_signature: bytes


def device_register(
    *,
    user: User,
    device_id: uuid.UUID,
    keys: DeviceKeys,
    platform: str = Platform.OTHER,
    push_token: str = "",
) -> tuple[Device, bool]:
    """Registers a device of `user`, or updates its platform and push token; True when new.

    Keys never change: the same id with other keys is refused (a new key pair is a new device),
    and a revoked device stays revoked. Another user's device id is a 404, as if it did not exist.
    """
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None:
            try:
                with transaction.atomic():
                    created = Device.objects.create(
                        id=device_id,
                        user=user,
                        encryption_key=keys.encryption_key,
                        signing_key=keys.signing_key,
                        key_signature=keys.key_signature,
                        platform=platform,
                        push_token=push_token,
                    )
                return created, True
            except IntegrityError:
                # Registered by a concurrent request with the same id: answer as an update.
                device = Device.objects.select_for_update().get(pk=device_id)
        if device.user_id != user.pk:
            raise Http404
        if device.revoked_at is not None:
            raise Problem(ErrorCode.DEVICE_REVOKED)
        stored = DeviceKeys(
            bytes(device.encryption_key), bytes(device.signing_key), bytes(device.key_signature)
        )
        if stored != keys:
            raise Problem(ErrorCode.DEVICE_KEYS_IMMUTABLE)
        device.platform, device.push_token = platform, push_token
        device.save(update_fields=["platform", "push_token", "updated_at"])
        return device, False


def device_revoke(*, device: Device, now: datetime | None = None) -> None:
    """Revokes a device: it gets no more envelopes, and those it had are deleted."""
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(revoked_at=now or timezone.now(), push_token="")
        Envelope.objects.filter(device=device).delete()


def thread_open(
    *, doctor: User, counsellor: CounsellorProfile, now: datetime | None = None
) -> tuple[Thread, bool]:
    """The thread between the doctor and the counsellor, made if there is none; True when new."""
    with transaction.atomic():
        thread, created = Thread.objects.get_or_create(
            doctor=doctor, counsellor=counsellor, defaults={"last_activity_at": now or timezone.now()}
        )
        if created:
            change_record(
                kind=ChangeKind.THREAD, object_id=thread.pk, user_ids=[doctor.pk, counsellor.user_id]
            )
    return thread, created


def thread_delete(*, thread: Thread) -> None:
    """Deletes the thread and every message in it, for both participants. Nothing is kept."""
    with transaction.atomic():
        users = [thread.doctor_id, thread.counsellor.user_id]
        change_record(kind=ChangeKind.THREAD, object_id=thread.pk, user_ids=users, op=ChangeOp.DELETE)
        thread.delete()


def thread_mark_read(*, thread: Thread, user: User, now: datetime | None = None) -> Thread:
    field = "doctor_read_at" if thread.doctor_id == user.pk else "counsellor_read_at"
    setattr(thread, field, now or timezone.now())
    thread.save(update_fields=[field])
    return thread


def message_send(
    *,
    thread: Thread,
    sender: User,
    sender_device_id: uuid.UUID,
    client_message_id: uuid.UUID,
    envelopes: list[dict[str, Any]],
    now: datetime | None = None,
) -> tuple[Message, bool]:
    """Stores a message as the envelopes given, one per device that may read it; True when new.

    The envelopes must be exactly for the thread's current devices: every current device of the
    other participant and the sender's own other devices. Otherwise the answer is 409
    `device_list_stale` with the current list, so that the client encrypts again. A repeated
    `client_message_id` stores nothing more and answers the message already stored.
    """
    now = now or timezone.now()
    earlier = Message.objects.filter(
        thread=thread, sender=sender, client_message_id=client_message_id
    ).first()
    if earlier is not None:
        return earlier, False
    with transaction.atomic():
        participants = [thread.doctor_id, thread.counsellor.user_id]
        devices = list(current_devices(user_ids=participants).values_list("pk", "user_id"))
        if (sender_device_id, sender.pk) not in devices:
            raise field_problem("sender_device_id", "not_your_device", "Not one of your current devices.")
        if all(owner == sender.pk for _device, owner in devices):
            raise Problem(ErrorCode.NO_RECIPIENT_DEVICE)
        expected = {device for device, _owner in devices} - {sender_device_id}
        if {envelope["device_id"] for envelope in envelopes} != expected:
            raise Problem(ErrorCode.DEVICE_LIST_STALE, extra={"devices": device_entries(thread=thread)})
        retention = timedelta(days=thread.counsellor.organisation.message_retention_days)
        message = Message(
            thread=thread,
            sender=sender,
            sender_device_id=sender_device_id,
            client_message_id=client_message_id,
            created_at=now,
            expires_at=now + retention,
        )
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            # The same client message id, stored by a concurrent retry.
            return Message.objects.get(
                thread=thread, sender=sender, client_message_id=client_message_id
            ), False
        Envelope.objects.bulk_create(
            Envelope(message=message, device_id=e["device_id"], nonce=e["nonce"], ciphertext=e["ciphertext"])
            for e in envelopes
        )
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
        recipient = thread.counsellor.user_id if sender.pk == thread.doctor_id else thread.doctor_id
        MessageNotice.objects.create(message=message, recipient_id=recipient, due_at=now)
        participants_ids = [thread.doctor_id, thread.counsellor.user_id]
        change_record(kind=ChangeKind.MESSAGE, object_id=message.pk, user_ids=participants_ids)
        change_record(kind=ChangeKind.THREAD, object_id=thread.pk, user_ids=participants_ids)
        transaction.on_commit(_enqueue_notices)
    return message, True


def _enqueue_notices() -> None:
    from api.messaging.tasks import send_message_notices  # noqa: PLC0415 (tasks import services)

    send_message_notices.delay()


def messages_purge_expired(*, now: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Deletes every message past its organisation's retention; returns how many.

    Both participants' sync clients get a tombstone for each message, so that a copy pulled
    before it expired is forgotten on their devices too. A batch at a time, each in a transaction
    of its own; rows another run is purging are skipped, not waited for.
    """
    cutoff = now or timezone.now()
    purged = 0
    while True:
        with transaction.atomic():
            due = list(
                Message.objects.filter(expires_at__lte=cutoff)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", "thread__doctor_id", "thread__counsellor__user_id")[:batch]
            )
            if not due:
                return purged
            changes_record(
                kind=ChangeKind.MESSAGE,
                objects=[(pk, (doctor_id, counsellor_id)) for pk, doctor_id, counsellor_id in due],
                op=ChangeOp.DELETE,
            )
            deleted = Message.objects.filter(pk__in=[pk for pk, _, _ in due]).delete()[1]
        purged += deleted.get("messaging.Message", 0)
