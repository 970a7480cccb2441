"""The rollups: what a fact holds (nothing that names a person), months in local time, rebuilds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from api.bookings.models import Booking
from api.metrics.models import BookingFact, FollowupFact, Rollup, WellbeingFact
from api.metrics.rollups import rollup_refresh, rollups_refresh_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [BookingFact, FollowupFact, WellbeingFact])
def test_facts_hold_no_user_booking_or_research_id(model):
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }

    assert not {"doctor_id", "user_id", "booking_id", "research_id", "followup_id", "created_at"} & columns
    assert not [
        f for f in model._meta.get_fields() if f.is_relation and f.related_model.__name__ != "Organisation"
    ]


def test_a_booking_counts_in_its_month_in_the_organisations_time_zone(make_counsellor, book, organisation):
    booking = book(make_counsellor(), "2026-01")
    late_evening = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 February in Oslo
    Booking.objects.filter(pk=booking.pk).update(start=late_evening, end=late_evening + timedelta(hours=1))

    rollup_refresh(organisation=organisation)

    assert BookingFact.objects.get().month == date(2026, 2, 1)


def test_a_rebuild_replaces_the_facts_and_numbers_subjects_afresh(
    make_counsellor, book, organisation, make_user
):
    counsellor = make_counsellor()
    doctor = make_user()
    book(counsellor, "2026-01", doctor=doctor)
    book(counsellor, "2026-02", doctor=doctor, waited=7)
    book(counsellor, "2026-02")

    assert rollups_refresh_all() == 1
    assert rollups_refresh_all() == 1

    facts = list(
        BookingFact.objects.order_by("month", "subject").values("subject", "ordinal", "waiting_days")
    )
    assert facts == [
        {"subject": 1, "ordinal": 1, "waiting_days": 2},
        {"subject": 1, "ordinal": 2, "waiting_days": 7},
        {"subject": 2, "ordinal": 1, "waiting_days": 2},
    ]
    assert Rollup.objects.get(organisation=organisation).as_of is not None
