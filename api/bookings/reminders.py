"""Reminders of a booking, 24 hours and 1 hour before, to the doctor and to the counsellor.

They are due rows, not countdown tasks: a periodic task (`bookings.send_due_reminders`, every
minute) sends what is due. Each row is claimed with one conditional UPDATE before it is sent and
marked sent after, so a second run of the task, concurrent or not, finds nothing to send. A row
claimed by a worker that died before marking it is claimed again once its lease
(REMINDER_LEASE, 5 minutes) has passed; the notice keeps the same key, so that a delivery which
did go out before the crash can be recognised downstream (see api.notifications.backends).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from api.bookings.models import Booking, BookingStatus, Reminder, ReminderKind, ReminderStatus
from api.notifications.backends import Notice, notify

logger = logging.getLogger("api.bookings.reminders")

OFFSETS = {ReminderKind.DAY_BEFORE: timedelta(hours=24), ReminderKind.HOUR_BEFORE: timedelta(hours=1)}
BATCH = 500


def reminders_schedule(*, booking: Booking, now: datetime) -> list[Reminder]:
    """Creates the booking's reminders that are still ahead, for both of its parties."""
    reminders = [
        Reminder(booking=booking, recipient_id=recipient, kind=kind, due_at=booking.start - offset)
        for kind, offset in OFFSETS.items()
        if booking.start - offset > now
        for recipient in (booking.doctor_id, booking.counsellor.user_id)
    ]
    return Reminder.objects.bulk_create(reminders)


def reminders_withdraw(*, booking: Booking) -> int:
    """Withdraws the booking's reminders that have not been claimed for sending."""
    return Reminder.objects.filter(booking=booking, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.WITHDRAWN
    )


def _claimable(now: datetime) -> Q:
    stale = now - settings.REMINDER_LEASE
    return Q(status=ReminderStatus.PENDING, due_at__lte=now) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=stale
    )


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Sends every due reminder once; returns how many this run sent."""
    now = now or timezone.now()
    sent = 0
    for reminder_id in Reminder.objects.filter(_claimable(now)).values_list("id", flat=True)[:BATCH]:
        claimed = Reminder.objects.filter(_claimable(now), pk=reminder_id).update(
            status=ReminderStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed and _deliver(reminder_id=reminder_id, now=now):
            sent += 1
    return sent


def _deliver(*, reminder_id: uuid.UUID, now: datetime) -> bool:
    reminder = Reminder.objects.select_related("booking__counsellor", "recipient").get(pk=reminder_id)
    booking = reminder.booking
    if booking.status != BookingStatus.CONFIRMED or _superseded(reminder, now=now):
        # Cancelled after the claim, or so late (a worker outage) that a later reminder is due
        # or the conversation has begun: this one has nothing left to say.
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.WITHDRAWN)
        return False
    try:
        notify(_notice(reminder, now=now))
    except Exception as exc:  # any backend's failure leaves the row to its lease
        # The message is left out: a mail server's error can quote the address.
        logger.warning(
            "reminder %s not delivered (%s); retried after the lease", reminder.pk, type(exc).__name__
        )
        return False
    Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    logger.info("reminder %s sent (%s)", reminder.pk, reminder.kind)
    return True


def _superseded(reminder: Reminder, *, now: datetime) -> bool:
    later = [offset for offset in OFFSETS.values() if offset < OFFSETS[ReminderKind(reminder.kind)]]
    until = reminder.booking.start - max(later, default=timedelta(0))
    return now >= until


_TEXT = {
    "en": ("Kollega reminder", "You have a conversation {day} at {time}.", "today", "tomorrow", "on {date}"),
    "nb": ("Påminnelse fra Kollega", "Du har en samtale {day} kl. {time}.", "i dag", "i morgen", "{date}"),
}


def _notice(reminder: Reminder, *, now: datetime) -> Notice:
    """The reminder's text: when, in the counsellor's time zone, and nothing else."""
    booking = reminder.booking
    zone = ZoneInfo(booking.counsellor.time_zone)
    local = booking.start.astimezone(zone)
    subject, body, today, tomorrow, other = _TEXT.get(reminder.recipient.language, _TEXT["en"])
    days = (local.date() - now.astimezone(zone).date()).days
    day = {0: today, 1: tomorrow}.get(days, other.format(date=local.strftime("%d.%m.%Y")))
    return Notice(
        key=str(reminder.pk),
        recipient_id=str(reminder.recipient_id),
        email=reminder.recipient.email,
        subject=subject,
        body=body.format(day=day, time=local.strftime("%H:%M")),
    )
