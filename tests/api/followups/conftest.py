"""Fixtures for follow-ups: a completed conversation, time travel, and clients for each role."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.availability.models import Slot
from api.bookings.models import BookingStatus
from api.bookings.services import booking_create, booking_finish
from api.counsellors.models import Modality
from api.followups.dispatch import followups_dispatch
from api.followups.instruments import FEEDBACK_SLUG, WHO5_SLUG
from api.followups.models import Followup
from api.followups.shipped import shipped_instruments_ensure

URL = "/v1/followups"
WHO5_ALL = {f"who5-{n}": 5 for n in range(1, 6)}


@pytest.fixture(autouse=True)
def shipped(db):
    # Migration 0002 stores them; a transactional test elsewhere may have flushed them since.
    return shipped_instruments_ensure()


@pytest.fixture(autouse=True)
def _email_backend(settings):
    settings.NOTIFICATION_BACKENDS = ["email"]


@pytest.fixture
def who5(shipped):
    return shipped[WHO5_SLUG]


@pytest.fixture
def feedback(shipped):
    return shipped[FEEDBACK_SLUG]


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor()


@pytest.fixture
def book(counsellor):
    taken = itertools.count()

    def make(doctor, hours_from_now: float = 2):
        start = (timezone.now() + timedelta(hours=hours_from_now + next(taken))).replace(microsecond=0)
        slot = Slot.objects.create(
            counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
        )
        return booking_create(doctor=doctor, slot_id=slot.pk, modality=Modality.PHONE)

    return make


@pytest.fixture
def complete(book):
    """Books a conversation for the doctor and records it as held, an hour after its start."""

    def make(doctor):
        booking = book(doctor)
        return booking_finish(
            booking=booking, outcome=BookingStatus.COMPLETED, now=booking.start + timedelta(hours=1)
        )

    return make


@pytest.fixture
def completed(complete, doctor):
    return complete(doctor)


@pytest.fixture
def due(completed):
    """The +10 day follow-ups of the doctor's conversation, made due by the periodic task."""
    followups_dispatch(now=completed.end + timedelta(days=10, minutes=1))
    return {
        f.version.questionnaire.slug: f for f in Followup.objects.filter(booking=completed, offset_days=10)
    }


@pytest.fixture
def due_who5(due):
    return due[WHO5_SLUG]


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.COORDINATOR, organisation=organisation)


@pytest.fixture
def coordinator_api(coordinator, client_for):
    return client_for(coordinator)


@pytest.fixture
def answer(doctor_api):
    def post(followup, answers, client=None):
        return (client or doctor_api).post(
            f"{URL}/{followup.pk}/response", {"answers": answers}, format="json"
        )

    return post
