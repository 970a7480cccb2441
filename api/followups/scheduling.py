"""Making follow-ups: when a conversation is completed, and the baseline as a doctor books.

Called from the booking services inside their transactions, so a follow-up exists exactly when
the booking's change does.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Least

from api.bookings.models import Booking
from api.followups.models import (
    BASELINE,
    Followup,
    FollowupNotice,
    FollowupPreference,
    FollowupStatus,
    QuestionnaireVersion,
)
from api.followups.plans import current_versions, plan_of
from api.sync.log import change_record
from api.sync.models import ChangeKind


def _opted_out(doctor_id: uuid.UUID) -> bool:
    return FollowupPreference.objects.filter(user_id=doctor_id, opted_out=True).exists()


def followups_schedule(*, booking: Booking) -> list[Followup]:
    """Schedules the follow-ups of a completed conversation at each of its organisation's offsets.

    Each offset counts from the end of the conversation; the follow-ups of one offset share an
    occasion, which gets one notice when they fall due (api/followups/dispatch.py).
    """
    if _opted_out(booking.doctor_id):
        return []
    plan = {offset: ids for offset, ids in plan_of(booking.counsellor.organisation).items() if offset}
    versions = current_versions(qid for ids in plan.values() for qid in ids)
    followups, notices = [], []
    for offset, questionnaire_ids in sorted(plan.items()):
        due_at = booking.end + timedelta(days=offset)
        occasion = uuid.uuid4()
        notices.append(FollowupNotice(occasion=occasion, doctor_id=booking.doctor_id, due_at=due_at))
        followups += _occasion(
            booking=booking,
            versions=[versions[qid] for qid in questionnaire_ids if qid in versions],
            offset_days=offset,
            occasion=occasion,
            due_at=due_at,
            expires_at=due_at + settings.FOLLOWUP_EXPIRY,
        )
    made = Followup.objects.bulk_create(followups)
    occasions = {followup.occasion for followup in made}
    FollowupNotice.objects.bulk_create(n for n in notices if n.occasion in occasions)
    return made


def _occasion(
    *,
    booking: Booking,
    versions: list[QuestionnaireVersion],
    offset_days: int,
    occasion: uuid.UUID,
    due_at: datetime,
    expires_at: datetime,
    status: FollowupStatus = FollowupStatus.SCHEDULED,
) -> list[Followup]:
    """The follow-ups of one occasion: one per questionnaire version, sharing its times."""
    return [
        Followup(
            doctor_id=booking.doctor_id,
            organisation_id=booking.counsellor.organisation_id,
            booking=booking,
            version=version,
            offset_days=offset_days,
            occasion=occasion,
            status=status,
            due_at=due_at,
            expires_at=expires_at,
        )
        for version in versions
    ]


def baseline_offer(*, booking: Booking, now: datetime) -> list[Followup]:
    """Offers the baseline questionnaires, if the organisation has any, as the doctor books.

    Due at once and without a notice (the doctor is in the app); open until the conversation
    starts, since a baseline answered afterwards would measure something else.
    """
    plan = plan_of(booking.counsellor.organisation)
    if BASELINE not in plan or _opted_out(booking.doctor_id):
        return []
    versions = current_versions(plan[BASELINE])
    return Followup.objects.bulk_create(
        _occasion(
            booking=booking,
            versions=[versions[qid] for qid in plan[BASELINE] if qid in versions],
            offset_days=BASELINE,
            occasion=uuid.uuid4(),
            status=FollowupStatus.DUE,
            due_at=now,
            expires_at=min(now + settings.FOLLOWUP_EXPIRY, booking.start),
        )
    )


def baseline_withdraw(*, booking: Booking) -> int:
    """Withdraws the unanswered baseline of a cancelled booking."""
    open_baseline = Followup.objects.filter(booking=booking, offset_days=BASELINE, status=FollowupStatus.DUE)
    withdrawn = list(open_baseline.values_list("pk", flat=True))
    for followup_id in withdrawn:
        # A tombstone at the doctor's next pull: a withdrawn follow-up is not theirs to see.
        change_record(kind=ChangeKind.FOLLOWUP, object_id=followup_id, user_ids=[booking.doctor_id])
    return Followup.objects.filter(pk__in=withdrawn).update(status=FollowupStatus.WITHDRAWN)


def baseline_move(*, booking: Booking) -> int:
    """Keeps an unanswered baseline open until the rescheduled conversation starts."""
    return Followup.objects.filter(booking=booking, offset_days=BASELINE, status=FollowupStatus.DUE).update(
        expires_at=Least(F("due_at") + settings.FOLLOWUP_EXPIRY, Value(booking.start))
    )
