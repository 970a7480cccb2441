"""The periodic task's work: expire, make due, and send one content-free notice per occasion.

Follow-ups are due rows, like booking reminders. The notice of an occasion (one offset of one
conversation) is a row of the notification outbox (api/notifications/outbox.py): claimed with a
compare-and-swap before it is sent, so a second run of the task, concurrent or not, sends nothing,
and sent again after the lease if its worker died.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from api.followups.models import Followup, FollowupNotice, FollowupStatus
from api.notifications.backends import Notice
from api.notifications.outbox import outbox_send_due
from api.sync.log import change_record
from api.sync.models import ChangeKind

BATCH = 500


@dataclass(frozen=True)
class DispatchResult:
    expired: int
    made_due: int
    notices_sent: int


def followups_dispatch(*, now: datetime | None = None) -> DispatchResult:
    """Expires what was left unanswered, makes what is due visible, and sends its notices once."""
    now = now or timezone.now()
    expired = Followup.objects.filter(
        status__in=[FollowupStatus.SCHEDULED, FollowupStatus.DUE], expires_at__lte=now
    ).update(status=FollowupStatus.EXPIRED)
    made_due = _make_due(now)
    notices_sent = outbox_send_due(FollowupNotice, notice_for=_notice_for, now=now)
    return DispatchResult(expired=expired, made_due=made_due, notices_sent=notices_sent)


def _make_due(now: datetime) -> int:
    """Makes due what is due, logging each for offline sync in the same transaction."""
    with transaction.atomic():
        due = list(
            Followup.objects.select_for_update()
            .filter(status=FollowupStatus.SCHEDULED, due_at__lte=now)
            .values_list("pk", "doctor_id")[:BATCH]
        )
        for followup_id, doctor_id in due:
            change_record(kind=ChangeKind.FOLLOWUP, object_id=followup_id, user_ids=[doctor_id])
        return Followup.objects.filter(pk__in=[pk for pk, _ in due]).update(status=FollowupStatus.DUE)


_TEXT = {
    "en": ("Kollega", "A short questionnaire is waiting for you in Kollega."),
    "nb": ("Kollega", "Et kort spørreskjema venter på deg i Kollega."),
}


def _notice_for(notice_id: uuid.UUID, now: datetime) -> Notice | None:
    row = FollowupNotice.objects.select_related("doctor").filter(pk=notice_id).first()
    due = Followup.objects.filter(occasion=row.occasion, status=FollowupStatus.DUE) if row else None
    if row is None or due is None or not due.exists():
        # Expired, withdrawn (the doctor opted out) or already answered: nothing to say.
        return None
    subject, body = _TEXT.get(row.doctor.language, _TEXT["en"])
    return Notice(
        key=f"followup-{row.occasion}",
        recipient_id=str(row.doctor_id),
        email=row.doctor.email,
        subject=subject,
        body=body,
    )
