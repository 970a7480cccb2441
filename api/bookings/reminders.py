"""Reminders of a booking, 24 hours and 1 hour before, to the doctor and to the counsellor.

They are due rows, not countdown tasks: a periodic task (`bookings.send_due_reminders`, every
minute) sends what is due through the notification outbox (api/notifications/outbox.py), which
claims each row with a compare-and-swap before sending it, so each goes out once however often the
task runs, and a row whose worker died is sent after its lease.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from api.bookings.models import Booking, BookingStatus, Reminder, ReminderKind
from api.notifications.backends import Notice
from api.notifications.outbox import OutboxStatus, outbox_send_due

OFFSETS = {ReminderKind.DAY_BEFORE: timedelta(hours=24), ReminderKind.HOUR_BEFORE: timedelta(hours=1)}


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
    return Reminder.objects.filter(booking=booking, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.WITHDRAWN
    )


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Sends every due reminder once; returns how many this run sent."""
    return outbox_send_due(Reminder, notice_for=_notice_for, now=now)


def _notice_for(reminder_id: uuid.UUID, now: datetime) -> Notice | None:
    reminder = Reminder.objects.select_related("booking__counsellor", "recipient").get(pk=reminder_id)
    if reminder.booking.status != BookingStatus.CONFIRMED or _superseded(reminder, now=now):
        # Cancelled after the claim, or so late (a worker outage) that a later reminder is due
        # or the conversation has begun: this one has nothing left to say.
        return None
    return _notice(reminder, now=now)


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
