"""GET /v1/bookings/{id}/calendar.ics: neutral text, the right zone, a UID that stays."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.api.bookings.conftest import URL

pytestmark = pytest.mark.django_db


def entry(client, booking_id):
    response = client.get(f"{URL}/{booking_id}/calendar.ics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return response.content.decode(), calendar, event


def test_the_entry_is_neutral_and_holds_no_names_category_or_note(doctor_api, booking_id, doctor, counsellor):
    text, _calendar, event = entry(doctor_api, booking_id)

    assert str(event["SUMMARY"]) == "Kollega conversation"
    for private in (doctor.alias, doctor.email, counsellor.display_name, "advice", "A hard week.", "912 34"):
        assert private not in text
    assert str(event["CLASS"]) == "PRIVATE"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_times_are_in_the_counsellors_zone_with_its_vtimezone(doctor_api, booking_id, slot):
    text, calendar, event = entry(doctor_api, booking_id)

    start = event.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start == slot.start
    assert start.utcoffset() == slot.start.astimezone(ZoneInfo("Europe/Oslo")).utcoffset()
    assert "DTSTART;TZID=Europe/Oslo:" in text
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert event.decoded("DTEND") == slot.end


def test_the_uid_stays_and_the_sequence_follows_a_reschedule_and_a_cancellation(
    doctor_api, booking_id, add_slot, counsellor
):
    _, _, first = entry(doctor_api, booking_id)
    doctor_api.post(
        f"{URL}/{booking_id}/reschedule", {"slot": str(add_slot(counsellor, 90).pk)}, format="json"
    )
    _, _, moved = entry(doctor_api, booking_id)
    doctor_api.post(f"{URL}/{booking_id}/cancel", {}, format="json")
    _, _, cancelled = entry(doctor_api, booking_id)

    assert str(first["UID"]) == str(moved["UID"]) == str(cancelled["UID"]) == f"{booking_id}@kollega"
    assert [int(e["SEQUENCE"]) for e in (first, moved, cancelled)] == [0, 1, 2]
    assert moved.decoded("DTSTART") != first.decoded("DTSTART")
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_the_counsellor_gets_the_same_neutral_entry(counsellor_api, booking_id, doctor):
    text, _, event = entry(counsellor_api, booking_id)

    assert str(event["SUMMARY"]) == "Kollega conversation"
    assert doctor.alias not in text


def test_a_new_york_counsellors_entry_is_in_new_york_time(doctor_api, book, add_slot, make_counsellor):
    booking_id = book(add_slot(make_counsellor(time_zone="America/New_York"), 30)).json()["id"]

    text, _, event = entry(doctor_api, booking_id)

    assert "DTSTART;TZID=America/New_York:" in text
    assert str(event.decoded("DTSTART").tzinfo) == "America/New_York"


def test_the_entry_reads_in_two_queries(doctor_api, booking_id, django_assert_num_queries):
    # The session and user; the booking with its counsellor and doctor.
    with django_assert_num_queries(2):
        entry(doctor_api, booking_id)
