"""Each kind of background job, run by a real Celery worker through the configured broker.

The broker is Redis when REDIS_URL is set (as in CI), else the file broker of the embedded default.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from api.accounts.models import AuthSession
from api.accounts.sessions import session_start
from api.accounts.tasks import purge_ended_sessions
from api.availability.models import Slot
from api.availability.tasks import extend_horizons
from api.bookings.models import BookingStatus, Reminder
from api.bookings.services import booking_cancel, booking_create, booking_finish
from api.bookings.tasks import send_due_reminders
from api.celery import app
from api.core.idempotency.models import IdempotencyRecord
from api.core.tasks import purge_idempotency_records
from api.counsellors.models import Modality
from api.followups.models import Followup, FollowupNotice, FollowupStatus
from api.followups.shipped import shipped_instruments_ensure
from api.followups.tasks import dispatch_followups
from api.messaging.models import Message, MessageNotice
from api.messaging.services import thread_open
from api.messaging.tasks import purge_expired_messages, send_message_notices
from api.metrics.models import BookingFact, Rollup
from api.metrics.tasks import refresh_rollups
from api.notifications.outbox import OutboxStatus
from api.sync.models import Change
from api.sync.tasks import compact_change_log
from tests.api.messaging.conftest import AppDevice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def worker() -> Iterator[None]:
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        yield


def test_the_worker_purges_expired_idempotency_records(worker, settings):
    now = timezone.now()
    old = now - settings.IDEMPOTENCY_TTL - timedelta(minutes=1)
    for lookup, created in (("a" * 64, old), ("b" * 64, now)):
        IdempotencyRecord.objects.create(
            lookup=lookup, fingerprint="f", locked_at=created, created_at=created
        )

    purge_idempotency_records.delay()
    _wait_until(lambda: IdempotencyRecord.objects.count() == 1)

    assert IdempotencyRecord.objects.get().lookup == "b" * 64


def test_the_worker_purges_sessions_ended_over_a_day_ago(worker, doctor):
    live = session_start(user=doctor)
    ended = session_start(user=doctor)
    AuthSession.objects.filter(id=ended.session_id).update(ended_at=timezone.now() - timedelta(days=2))

    purge_ended_sessions.delay()
    _wait_until(lambda: AuthSession.objects.count() == 1)

    assert AuthSession.objects.get().id == live.session_id


def test_the_worker_rebuilds_metric_rollups(worker, make_counsellor, doctor, organisation):
    counsellor = make_counsellor()
    start = timezone.now() + timedelta(hours=1)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)

    # Twice, as beat and a manual run might: a rebuild replaces the facts, never adds to them.
    refresh_rollups.delay()
    refresh_rollups.delay()
    _wait_until(lambda: Rollup.objects.filter(organisation=organisation).exists())
    time.sleep(1)

    assert BookingFact.objects.filter(organisation=organisation).count() == 1


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not finish the job in time")


def test_the_worker_extends_slot_horizons(worker, make_counsellor):
    counsellor = make_counsellor()
    counsellor.rules.create(weekday=2, start="09:00", end="10:00", slot_minutes=60, phone=True)

    extend_horizons.delay()
    _wait_until(lambda: Slot.objects.filter(counsellor=counsellor).exists())

    assert Slot.objects.filter(counsellor=counsellor).count() >= 8  # weekly for the 60-day horizon


def test_the_worker_sends_a_due_reminder_exactly_once(worker, settings, make_counsellor, doctor):
    settings.NOTIFICATION_BACKENDS = ["email"]
    counsellor = make_counsellor()
    start = timezone.now() + timedelta(hours=2)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    booking = booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)
    assert Reminder.objects.filter(booking=booking).count() == 2  # the hour before, to both
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))  # an hour has passed

    # Twice, as beat and a manual run might: the second finds nothing left to send.
    send_due_reminders.delay()
    send_due_reminders.delay()
    _wait_until(lambda: Reminder.objects.filter(status=OutboxStatus.SENT).count() == 2)
    time.sleep(1)  # room for a wrong second delivery to show

    assert sorted(m.to[0] for m in mail.outbox) == sorted([doctor.email, counsellor.user.email])


def test_the_worker_sends_one_new_message_notice_per_message_per_recipient(
    worker, settings, make_counsellor, doctor, client_for
):
    settings.NOTIFICATION_BACKENDS = ["email"]
    counsellor = make_counsellor()
    thread, _ = thread_open(doctor=doctor, counsellor=counsellor)
    doctor_device = AppDevice(client_for(doctor)).register()
    AppDevice(client_for(counsellor.user)).register()

    for text in ("First", "Second"):
        # Sending enqueues the job once the message is committed; it runs again for the second.
        assert doctor_device.send(str(thread.pk), text).status_code == 201
    send_message_notices.delay()  # and once more, as beat would
    _wait_until(lambda: MessageNotice.objects.filter(status=OutboxStatus.SENT).count() == 2)
    time.sleep(1)  # room for a wrong second delivery to show

    assert [m.to for m in mail.outbox] == [[counsellor.user.email]] * 2
    assert {m.body for m in mail.outbox} == {"Du har en ny melding."}


def test_the_worker_purges_expired_messages(worker, make_counsellor, doctor, client_for):
    thread, _ = thread_open(doctor=doctor, counsellor=make_counsellor())
    device = AppDevice(client_for(doctor)).register()
    AppDevice(client_for(thread.counsellor.user)).register()
    device.send(str(thread.pk), "old")
    device.send(str(thread.pk), "new")
    old = Message.objects.earliest("created_at")
    Message.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    purge_expired_messages.delay()
    _wait_until(lambda: Message.objects.count() == 1)

    assert not Message.objects.filter(pk=old.pk).exists()


def test_the_worker_makes_follow_ups_due_and_notifies_once(worker, settings, make_counsellor, doctor):
    settings.NOTIFICATION_BACKENDS = ["email"]
    shipped_instruments_ensure()  # a transactional test's flush removed what the migration stored
    counsellor = make_counsellor()
    start = timezone.now() + timedelta(hours=1)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    booking = booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)
    booking_finish(booking=booking, outcome=BookingStatus.COMPLETED, now=start + timedelta(minutes=50))
    # Ten days on: the +10 follow-ups and their notice are due.
    ten_days = Followup.objects.filter(offset_days=10)
    FollowupNotice.objects.filter(occasion__in=ten_days.values("occasion")).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    ten_days.update(due_at=timezone.now() - timedelta(minutes=1))

    # Twice, as beat and a manual run might: one notice for the occasion's two questionnaires.
    dispatch_followups.delay()
    dispatch_followups.delay()
    _wait_until(lambda: FollowupNotice.objects.filter(status=OutboxStatus.SENT).count() == 1)
    time.sleep(1)  # room for a wrong second delivery to show

    assert [m.to for m in mail.outbox] == [[doctor.email]]
    assert Followup.objects.filter(status=FollowupStatus.SCHEDULED).count() == 2  # +365 still ahead


def test_the_worker_compacts_the_change_log(worker, settings, doctor, make_counsellor):
    counsellor = make_counsellor()
    start = timezone.now() + timedelta(days=2)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    booking = booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)
    booking_cancel(booking=booking, by=doctor)
    Change.objects.update(created_at=timezone.now() - settings.SYNC_CURSOR_MAX_AGE - timedelta(days=1))
    superseded = Change.objects.filter(kind="booking", user=doctor).count() - 1

    compact_change_log.delay()
    _wait_until(lambda: Change.objects.filter(kind="booking", user=doctor).count() == 1)

    assert superseded >= 1
