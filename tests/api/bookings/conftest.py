"""Fixtures for bookings: open slots, and clients for each role."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.availability.models import Slot
from api.availability.services import slots_sync
from api.counsellors.models import Region

URL = "/v1/bookings"


@pytest.fixture
def region(organisation):
    return Region.objects.create(organisation=organisation, code="vestland", name="Vestland")


@pytest.fixture
def counsellor(make_counsellor, region):
    return make_counsellor(display_name="Ingrid", languages=("nb", "en"), regions=(region,), video=True)


@pytest.fixture
def add_slot():
    def add(counsellor, hours_from_now: float = 48, *, minutes: int = 45, **flags) -> Slot:
        start = (timezone.now() + timedelta(hours=hours_from_now)).replace(second=0, microsecond=0)
        flags = {"phone": True, "video": True} | flags
        return Slot.objects.create(
            counsellor=counsellor, start=start, end=start + timedelta(minutes=minutes), **flags
        )

    return add


@pytest.fixture
def slot(add_slot, counsellor):
    return add_slot(counsellor)


@pytest.fixture
def book(doctor_api):
    def post(slot_, client=None, **fields):
        body = {"slot": str(slot_.pk), "modality": "phone"} | fields
        return (client or doctor_api).post(URL, body, format="json")

    return post


@pytest.fixture
def booking_id(book, slot):
    response = book(slot, category="advice", note="A hard week.", contact_phone="+47 912 34 567")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def counsellor_api(counsellor, client_for):
    return client_for(counsellor.user)


@pytest.fixture
def coordinator_api(make_user, organisation, client_for):
    return client_for(make_user(Role.COORDINATOR, organisation=organisation))


@pytest.fixture
def ruled_slot(counsellor):
    """An open slot that the counsellor's weekly rules give (so slots_sync keeps it)."""
    day = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo(counsellor.time_zone))
    counsellor.rules.create(weekday=day.weekday(), start="09:00", end="11:00", slot_minutes=60, phone=True)
    slots_sync(counsellor=counsellor)
    return Slot.objects.filter(start__gt=timezone.now() + timedelta(days=2)).order_by("start").first()
