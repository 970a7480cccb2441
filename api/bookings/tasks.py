from __future__ import annotations

from celery import shared_task

from api.bookings.reminders import reminders_send_due


@shared_task(name="bookings.send_due_reminders")
def send_due_reminders() -> int:
    """Sends the reminders that are due, each once however often this runs."""
    return reminders_send_due()
