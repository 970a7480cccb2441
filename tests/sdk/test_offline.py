"""Offline use against a live server: queue without a network, sync once, exactly once each.

The server is "stopped" by pointing a client at a port nobody listens on; the same store is then
opened by a client of the live server, as an app restarted on the train's Wi-Fi would.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

import kollega
from api.availability.models import Slot
from api.bookings.models import Booking, BookingStatus
from api.followups.dispatch import followups_dispatch
from api.followups.models import Followup
from api.messaging.models import Message
from api.sync.models import SyncMutation
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shipped_instruments")]


def _dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _slots(counsellor, count: int) -> list[Slot]:
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return [
        Slot.objects.create(
            counsellor=counsellor,
            start=start + timedelta(hours=h),
            end=start + timedelta(hours=h, minutes=45),
            phone=True,
        )
        for h in range(count)
    ]


@pytest.fixture
def counsellor(make_counsellor, organisation):
    organisation.booking_cap = 10
    organisation.save()
    return make_counsellor(display_name="Ingrid")


def offline_client(tmp_path, **options) -> kollega.Client:
    retry = kollega.Retry(max_retries=0)
    return kollega.Client(_dead_url(), store=tmp_path / "kollega.sqlite3", retry=retry, timeout=2, **options)


def test_three_actions_queued_offline_apply_exactly_once_on_one_sync(
    live_server, doctor, counsellor, tmp_path
):
    first, second = _slots(counsellor, 2)
    with kollega.Client(
        live_server.url, email=doctor.email, password=PASSWORD, store=tmp_path / "kollega.sqlite3"
    ) as app:
        tokens = app.login(doctor.email, PASSWORD)
        booked = app.bookings.book(slot=first.pk.hex, modality="phone")
        app.offline.sync()
        assert [b.id for b in app.offline.bookings()] == [booked.id]
        (thread,) = app.offline.threads()
        app.messaging.register_device()
        kollega.Client(
            live_server.url, email=counsellor.user.email, password=PASSWORD
        ).messaging.register_device()

    events: list[kollega.SyncEvent] = []
    with offline_client(tmp_path, tokens=tokens) as train:
        train.offline.subscribe(events.append)
        queued = [
            train.offline.book(slot=str(second.pk), modality="phone"),
            train.offline.cancel_booking(booked.id, reason="Det ordnet seg"),
            train.offline.send_message(thread.id, "Skriver fra toget"),
        ]
        with pytest.raises(kollega.NetworkError):
            train.offline.sync()
        assert [a.state for a in train.offline.actions()] == ["pending"] * 3
        assert train.offline.bookings()[0].status == "confirmed", "reads come from the last sync"

    with kollega.Client(live_server.url, tokens=tokens, store=tmp_path / "kollega.sqlite3") as back:
        report = back.offline.sync()
        assert [a.sequence for a in report.settled] == [a.sequence for a in queued]
        assert [a.state for a in back.offline.actions()] == ["applied"] * 3
        assert back.offline.sync().settled == [], "nothing is pushed twice"
        statuses = {b.id: b.status for b in back.offline.bookings()}
        assert statuses[booked.id] == "cancelled"
        new_id = back.offline.actions()[0].object_id
        assert new_id is not None
        assert statuses[new_id] == "confirmed"

    assert Booking.objects.filter(doctor=doctor, status=BookingStatus.CONFIRMED).count() == 1
    assert Message.objects.count() == 1
    assert SyncMutation.objects.count() == 3
    assert [e.kind for e in events[:3]] == ["action"] * 3


def test_a_slot_taken_while_offline_comes_back_rejected_with_alternatives_and_is_not_retried(
    live_server, doctor, make_user, counsellor, tmp_path
):
    taken, spare = _slots(counsellor, 2)
    with offline_client(tmp_path, email=doctor.email, password=PASSWORD) as train:
        action = train.offline.book(slot=str(taken.pk), modality="phone")
    other = make_user()
    with kollega.Client(live_server.url, email=other.email, password=PASSWORD) as rival:
        rival.bookings.book(slot=str(taken.pk), modality="phone")
    with kollega.Client(
        live_server.url, email=doctor.email, password=PASSWORD, store=tmp_path / "kollega.sqlite3"
    ) as back:
        back.offline.sync()
        (settled,) = back.offline.actions()
        assert settled.sequence == action.sequence
        assert settled.state == "rejected"
        error = settled.error
        assert isinstance(error, kollega.SlotUnavailable)
        assert [s.id for s in error.alternatives] == [str(spare.pk)]
        assert back.offline.sync().settled == []
    assert SyncMutation.objects.count() == 1
    assert not Booking.objects.filter(doctor=doctor).exists()


def test_a_followup_answered_offline(live_server, doctor, counsellor, tmp_path):
    (slot,) = _slots(counsellor, 1)
    store = tmp_path / "kollega.sqlite3"
    with kollega.Client(live_server.url, email=doctor.email, password=PASSWORD, store=store) as app:
        booking = app.bookings.book(slot=str(slot.pk), modality="phone")
        now = timezone.now()
        Booking.objects.filter(pk=booking.id).update(start=now - timedelta(hours=1), end=now)
        with kollega.Client(live_server.url, email=counsellor.user.email, password=PASSWORD) as ingrid:
            ingrid.bookings.complete(booking.id)
        Followup.objects.filter(doctor=doctor, offset_days=10).update(due_at=now - timedelta(minutes=1))
        followups_dispatch()
        app.offline.sync()
        who5 = next(f for f in app.offline.followups() if f.questionnaire.slug == "who-5")
        assert who5.status == "due"
        app.offline.submit_followup(
            who5.id, {"who5-1": 4, "who5-2": 4, "who5-3": 4, "who5-4": 4, "who5-5": 4}
        )
        app.offline.sync()
        answered = next(f for f in app.offline.followups() if f.id == who5.id)
        assert answered.status == "answered"
        assert answered.score == kollega.Score(raw=20, score=80)


def test_logout_wipes_the_store(live_server, doctor, tmp_path):
    store = tmp_path / "kollega.sqlite3"
    with kollega.Client(live_server.url, email=doctor.email, password=PASSWORD, store=store) as app:
        app.offline.book(slot="5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", modality="phone")
        assert store.exists()
        assert store.stat().st_mode & 0o777 == 0o600
        app.logout()
    assert not list(tmp_path.iterdir())


def test_without_a_store_there_is_no_offline(live_server):
    with kollega.Client(live_server.url) as app, pytest.raises(RuntimeError):
        _ = app.offline
