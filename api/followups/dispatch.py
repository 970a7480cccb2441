"""The periodic task's work: expire, make due, and send one content-free notice per occasion.

Follow-ups are due rows, like booking reminders (api/bookings/reminders.py). The follow-ups of one
occasion (one offset of one conversation) are claimed together with one conditional UPDATE before
their notice is sent and marked sent after, so a second run of the task, concurrent or not, finds
nothing to send. An occasion claimed by a worker that died before marking it is claimed again after
OUTBOX_LEASE; its notice keeps the same key, so a delivery that did go out can be recognised.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from api.followups.models import Followup, FollowupStatus, NoticeStatus
from api.notifications.backends import Notice, notify
from api.sync.log import change_record
from api.sync.models import ChangeKind

logger = logging.getLogger("api.followups.dispatch")

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
    return DispatchResult(expired=expired, made_due=made_due, notices_sent=_send_notices(now))


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


def _claimable(now: datetime) -> Q:
    stale = now - settings.OUTBOX_LEASE
    return Q(status=FollowupStatus.DUE) & (
        Q(notice=NoticeStatus.PENDING) | Q(notice=NoticeStatus.SENDING, notice_claimed_at__lt=stale)
    )


def _send_notices(now: datetime) -> int:
    sent = 0
    occasions = Followup.objects.filter(_claimable(now)).values_list("occasion", flat=True).distinct()
    for occasion in list(occasions[:BATCH]):
        claimed = Followup.objects.filter(_claimable(now), occasion=occasion).update(
            notice=NoticeStatus.SENDING, notice_claimed_at=now, notice_attempts=F("notice_attempts") + 1
        )
        if claimed and _deliver(occasion):
            sent += 1
    return sent


_TEXT = {
    "en": ("Kollega", "A short questionnaire is waiting for you in Kollega."),
    "nb": ("Kollega", "Et kort spørreskjema venter på deg i Kollega."),
}


def _deliver(occasion: uuid.UUID) -> bool:
    followup = Followup.objects.select_related("doctor").filter(occasion=occasion).first()
    if followup is None:  # the account was deleted after the claim
        return False
    subject, body = _TEXT.get(followup.doctor.language, _TEXT["en"])
    try:
        notify(
            Notice(
                key=f"followup-{occasion}",
                recipient_id=str(followup.doctor_id),
                email=followup.doctor.email,
                subject=subject,
                body=body,
            )
        )
    except Exception as exc:  # any backend's failure leaves the occasion to its lease
        logger.warning(
            "follow-up notice %s not delivered (%s); retried after the lease", occasion, type(exc).__name__
        )
        return False
    Followup.objects.filter(occasion=occasion, notice=NoticeStatus.SENDING).update(
        notice=NoticeStatus.SENT, noticed_at=timezone.now()
    )
    logger.info("follow-up notice %s sent", occasion)
    return True
