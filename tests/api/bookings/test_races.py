"""Races for slots, with real threads against PostgreSQL: exactly one winner, never a double booking."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test import Client

from api.accounts.models import Role
from api.accounts.sessions import session_start
from api.availability.models import Slot
from api.bookings.models import Booking, BookingStatus
from api.bookings.reminders import reminders_send_due
from tests.api.bookings.conftest import URL
from tests.helpers import assert_problem, run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RACERS = 50
ROUNDS = 20

OVERLAPPING_ACTIVE_BOOKINGS = """
SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
  ON a.counsellor_id = b.counsellor_id AND a.id < b.id
 AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")
WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
"""


@pytest.fixture(autouse=True)
def _roomy(throttle_rates, organisation):
    throttle_rates("100000/min")
    organisation.booking_cap = 50
    organisation.save()


@pytest.fixture
def racers(make_user):
    clients = []
    for _ in range(RACERS):
        token = session_start(user=make_user(Role.DOCTOR)).access
        clients.append(Client(HTTP_AUTHORIZATION=f"Bearer {token}"))
    return clients


def book_as(clients, body, index):
    return clients[index].post(URL, body, content_type="application/json")


def overlapping_active_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPPING_ACTIVE_BOOKINGS)
        return int(cursor.fetchone()[0])


def test_fifty_doctors_racing_for_one_slot_give_one_201_and_49_409s_twenty_rounds_in_a_row(
    racers, add_slot, counsellor
):
    for round_number in range(ROUNDS):
        slot = add_slot(counsellor, 30 + round_number)
        body = {"slot": str(slot.pk), "modality": "phone"}

        responses = run_concurrently(RACERS, partial(book_as, racers, body))

        statuses = Counter(r.status_code for r in responses)
        assert statuses == {201: 1, 409: RACERS - 1}, (round_number, statuses)
        assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
        assert Booking.objects.filter(slot=slot).count() == 1

    assert Booking.objects.count() == ROUNDS
    assert overlapping_active_bookings() == 0


def test_racing_reschedules_onto_one_slot_move_exactly_one_booking(
    racers, add_slot, counsellor, make_counsellor
):
    bookings = []
    for index, client in enumerate(racers):
        slot = add_slot(make_counsellor(), 30 + index)
        response = client.post(
            URL, {"slot": str(slot.pk), "modality": "phone"}, content_type="application/json"
        )
        bookings.append(response.json()["id"])
    target = add_slot(counsellor, 100)
    body = {"slot": str(target.pk)}

    responses = run_concurrently(
        RACERS,
        lambda i: racers[i].post(f"{URL}/{bookings[i]}/reschedule", body, content_type="application/json"),
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: RACERS - 1}, statuses
    assert Booking.objects.filter(slot=target).count() == 1
    # Every loser keeps its own slot, still booked.
    assert Slot.objects.filter(status=Slot.Status.BOOKED).count() == RACERS
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == RACERS
    assert overlapping_active_bookings() == 0


def test_one_doctor_racing_for_many_slots_stays_within_the_cap(make_user, add_slot, counsellor, organisation):
    organisation.booking_cap = 3
    organisation.save()
    token = session_start(user=make_user(Role.DOCTOR)).access
    slots = [add_slot(counsellor, 30 + 2 * i) for i in range(10)]

    responses = run_concurrently(
        10,
        lambda i: Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
            URL, {"slot": str(slots[i].pk), "modality": "phone"}, content_type="application/json"
        ),
    )

    assert Counter(r.status_code for r in responses) == {201: 3, 422: 7}


def test_the_daily_cap_holds_under_a_race_for_different_slots_of_one_day(racers, add_slot, counsellor):
    counsellor.daily_cap = 2
    counsellor.save()
    slots = [add_slot(counsellor, 48 + i) for i in range(6)]

    responses = run_concurrently(
        6,
        lambda i: racers[i].post(
            URL, {"slot": str(slots[i].pk), "modality": "phone"}, content_type="application/json"
        ),
    )

    assert Counter(r.status_code for r in responses)[201] == 2
    assert Booking.objects.count() == 2


def test_the_exclusion_constraint_refuses_an_overlap_the_slots_did_not_see(book, add_slot, counsellor):
    # Two open slots of one counsellor that overlap (as no schedule would make them): each claim
    # succeeds on its own row, and only the database's constraint on the counsellor's time stops
    # the second booking. It answers 409, not 500.
    first = add_slot(counsellor, 48, minutes=60)
    overlapping = Slot.objects.create(
        counsellor=counsellor,
        start=first.start + timedelta(minutes=30),
        end=first.end + timedelta(minutes=30),
        phone=True,
    )
    assert book(first).status_code == 201

    assert_problem(book(overlapping), 409, "slot_unavailable")
    overlapping.refresh_from_db()
    assert overlapping.status == Slot.Status.OPEN
    assert overlapping_active_bookings() == 0


def test_two_concurrent_reminder_runs_send_each_reminder_once(booking_id, settings):
    settings.NOTIFICATION_BACKENDS = ["email"]
    from django.core import mail  # noqa: PLC0415 (the outbox pytest-django set up for this test)

    booking = Booking.objects.get(pk=booking_id)
    at = booking.start - timedelta(minutes=30)

    sent = run_concurrently(4, lambda _i: reminders_send_due(now=at))

    assert sum(sent) == 2
    assert len(mail.outbox) == 2
