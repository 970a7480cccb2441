"""Reminders: due rows, sent once, withdrawn or moved with the booking, and content-free."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from api.bookings.models import Booking, Reminder, ReminderKind
from api.bookings.reminders import reminders_send_due
from api.notifications.outbox import OutboxStatus
from tests.api.bookings.conftest import URL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _email_backend(settings):
    # Django's test runner keeps sent mail in mail.outbox.
    settings.NOTIFICATION_BACKENDS = ["email"]


def pending(booking_id):
    return Reminder.objects.filter(booking_id=booking_id, status=OutboxStatus.PENDING)


def test_a_booking_two_days_ahead_gets_both_reminders_for_both_parties(booking_id, doctor, counsellor):
    reminders = pending(booking_id)
    booking = Booking.objects.get(pk=booking_id)

    assert {(r.kind, r.recipient_id, r.due_at) for r in reminders} == {
        (ReminderKind.DAY_BEFORE, doctor.pk, booking.start - timedelta(hours=24)),
        (ReminderKind.DAY_BEFORE, counsellor.user_id, booking.start - timedelta(hours=24)),
        (ReminderKind.HOUR_BEFORE, doctor.pk, booking.start - timedelta(hours=1)),
        (ReminderKind.HOUR_BEFORE, counsellor.user_id, booking.start - timedelta(hours=1)),
    }


def test_a_booking_five_hours_ahead_gets_only_the_hour_before(book, add_slot, counsellor):
    booking_id = book(add_slot(counsellor, 5)).json()["id"]

    assert {r.kind for r in pending(booking_id)} == {ReminderKind.HOUR_BEFORE}


def test_nothing_is_sent_before_it_is_due(booking_id):
    assert reminders_send_due() == 0
    assert mail.outbox == []


def test_due_reminders_are_sent_once_however_often_the_task_runs(booking_id, doctor):
    booking = Booking.objects.get(pk=booking_id)
    at = booking.start - timedelta(hours=23)

    assert reminders_send_due(now=at) == 2
    assert reminders_send_due(now=at) == 0
    assert reminders_send_due(now=at + timedelta(minutes=5)) == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted([doctor.email, booking.counsellor.user.email])
    assert Reminder.objects.filter(status=OutboxStatus.SENT).count() == 2
    assert reminders_send_due(now=booking.start - timedelta(minutes=59)) == 2
    assert len(mail.outbox) == 4


def test_the_text_says_when_and_nothing_else(booking_id, doctor, counsellor):
    booking = Booking.objects.get(pk=booking_id)
    doctor.language = "en"
    doctor.save()
    counsellor.user.language = "nb"
    counsellor.user.save()

    reminders_send_due(now=booking.start - timedelta(hours=23, minutes=59))

    local = booking.start.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    english, norwegian = by_recipient[doctor.email], by_recipient[counsellor.user.email]
    assert english.subject == "Kollega reminder"
    assert english.body == f"You have a conversation tomorrow at {local}."
    assert norwegian.body == f"Du har en samtale i morgen kl. {local}."
    for message in (english, norwegian):
        for private in ("advice", "A hard week.", doctor.alias, counsellor.display_name, "phone"):
            assert private not in f"{message.subject} {message.body}"


def test_the_email_carries_the_reminder_id_as_its_message_id(booking_id):
    booking = Booking.objects.get(pk=booking_id)
    reminders_send_due(now=booking.start - timedelta(minutes=30))

    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {f"<{r.pk}@kollega.notifications>" for r in Reminder.objects.filter(status="sent")}


def test_cancelling_withdraws_pending_reminders(doctor_api, booking_id):
    doctor_api.post(f"{URL}/{booking_id}/cancel", {}, format="json")

    assert not pending(booking_id).exists()
    assert reminders_send_due(now=timezone.now() + timedelta(days=3)) == 0
    assert mail.outbox == []


def test_rescheduling_moves_the_reminders_to_the_new_time(doctor_api, booking_id, add_slot, counsellor):
    new_slot = add_slot(counsellor, 100)

    doctor_api.post(f"{URL}/{booking_id}/reschedule", {"slot": str(new_slot.pk)}, format="json")

    assert {r.due_at for r in pending(booking_id)} == {
        new_slot.start - timedelta(hours=24),
        new_slot.start - timedelta(hours=1),
    }
    assert pending(booking_id).count() == 4


def test_a_reminder_claimed_by_a_worker_that_died_is_sent_after_its_lease(booking_id, settings):
    booking = Booking.objects.get(pk=booking_id)
    at = booking.start - timedelta(minutes=30)
    # A worker claimed two rows and died before sending them.
    Reminder.objects.filter(booking=booking, kind=ReminderKind.HOUR_BEFORE).update(
        status=OutboxStatus.SENDING, claimed_at=at
    )

    assert reminders_send_due(now=at + timedelta(minutes=1)) == 0
    assert reminders_send_due(now=at + settings.OUTBOX_LEASE + timedelta(seconds=1)) == 2
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.filter(kind=ReminderKind.HOUR_BEFORE).values_list("attempts", flat=True)) == {
        1
    }


def test_a_reminder_for_a_conversation_already_started_is_withdrawn_not_sent(booking_id):
    booking = Booking.objects.get(pk=booking_id)

    assert reminders_send_due(now=booking.start + timedelta(minutes=1)) == 0
    assert mail.outbox == []
    assert not pending(booking_id).exists()


def test_a_day_before_reminder_overdue_until_the_hour_before_gives_way_to_it(booking_id):
    booking = Booking.objects.get(pk=booking_id)

    assert reminders_send_due(now=booking.start - timedelta(minutes=50)) == 2

    sent = Reminder.objects.filter(booking=booking, status=OutboxStatus.SENT)
    assert {r.kind for r in sent} == {ReminderKind.HOUR_BEFORE}
    assert all(
        m.body.endswith(booking.start.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M."))
        for m in mail.outbox
    )


def test_a_failed_delivery_leaves_the_reminder_to_be_retried(booking_id, settings, monkeypatch):
    booking = Booking.objects.get(pk=booking_id)
    at = booking.start - timedelta(minutes=30)

    def refuse(*_args, **_kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert reminders_send_due(now=at) == 0
    monkeypatch.undo()
    settings.NOTIFICATION_BACKENDS = ["email"]

    assert reminders_send_due(now=at + timedelta(minutes=1)) == 0
    assert reminders_send_due(now=at + settings.OUTBOX_LEASE + timedelta(seconds=1)) == 2
    assert len(mail.outbox) == 2


def test_the_console_backend_logs_no_address(booking_id, settings, caplog, doctor):
    settings.NOTIFICATION_BACKENDS = ["console"]
    booking = Booking.objects.get(pk=booking_id)

    with caplog.at_level(logging.INFO, logger="api.notifications"):
        reminders_send_due(now=booking.start - timedelta(minutes=30))

    lines = [r.getMessage() for r in caplog.records if r.name == "api.notifications"]
    assert len(lines) == 2
    assert all("You have a conversation" in line or "Du har en samtale" in line for line in lines)
    assert not any(doctor.email in line for line in lines)
