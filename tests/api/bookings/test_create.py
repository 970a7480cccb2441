"""POST /v1/bookings: the claim, the rules, and the errors."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from api.accounts.models import Role
from api.availability.models import Slot
from api.availability.services import slots_sync
from api.bookings.models import Booking
from api.counsellors.models import ExcludedCounsellor
from tests.api.bookings.conftest import URL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_booking_an_open_slot_answers_201_and_takes_the_slot(book, slot, counsellor, doctor):
    response = book(slot, category="not_coping", note="Hard week.", contact_phone="+47 912 34 567")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["start"] == slot.start.isoformat().replace("+00:00", "Z")
    assert body["modality"] == "phone"
    assert body["category"] == "not_coping"
    assert body["note"] == "Hard week."
    assert body["contact_phone"] == "+47 912 34 567"
    assert body["counsellor"]["id"] == str(counsellor.pk)
    assert body["time_zone"] == "Europe/Oslo"
    assert body["sequence"] == 0
    assert body["cancellation"] is None
    assert "doctor_alias" not in body
    assert response["ETag"]
    slot.refresh_from_db()
    assert slot.status == Slot.Status.BOOKED
    assert Booking.objects.get().doctor == doctor


def test_a_booked_slot_is_gone_from_availability(book, slot, doctor_api):
    book(slot)

    assert doctor_api.get("/v1/availability").json()["results"] == []


def test_a_taken_slot_is_409_with_alternatives_same_counsellor_first(
    book, slot, add_slot, counsellor, make_counsellor, region, make_user, client_for
):
    alike = make_counsellor(languages=("en",), regions=(region,))
    add_slot(alike, 49)
    same = [add_slot(counsellor, hours) for hours in (120, 72, 96)]
    assert book(slot).status_code == 201

    response = book(slot, client=client_for(make_user(Role.DOCTOR)))

    body = assert_problem(response, 409, "slot_unavailable")
    expected = sorted(same, key=lambda s: s.start)
    assert [a["id"] for a in body["alternatives"]] == [str(s.pk) for s in expected]
    assert Booking.objects.count() == 1


def test_alternatives_fill_up_with_counsellors_sharing_a_region_and_a_language(
    book, slot, add_slot, counsellor, make_counsellor, region, make_user, client_for
):
    same = add_slot(counsellor, 72)
    alike = make_counsellor(languages=("en",), regions=(region,))
    alike_slot = add_slot(alike, 50)
    other_language = make_counsellor(languages=("de",), regions=(region,))
    add_slot(other_language, 49)
    other_region = make_counsellor(languages=("nb",))
    add_slot(other_region, 49)
    book(slot)

    response = book(slot, client=client_for(make_user(Role.DOCTOR)))

    body = assert_problem(response, 409, "slot_unavailable")
    assert [a["id"] for a in body["alternatives"]] == [str(same.pk), str(alike_slot.pk)]
    assert set(body["alternatives"][0]) == {"id", "start", "end", "time_zone", "modalities", "counsellor"}


def test_alternatives_leave_out_counsellors_the_doctor_excluded(
    book, slot, add_slot, counsellor, make_counsellor, region, make_user, client_for
):
    alike = make_counsellor(languages=("nb",), regions=(region,))
    add_slot(alike, 50)
    other_doctor = make_user(Role.DOCTOR)
    ExcludedCounsellor.objects.create(doctor=other_doctor, counsellor=alike)
    book(slot)

    body = assert_problem(book(slot, client=client_for(other_doctor)), 409, "slot_unavailable")

    assert body["alternatives"] == []


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"modality": "in_person"}, "modality", "modality_not_offered"),
        ({"modality": "video", "contact_phone": "+4791234567"}, "contact_phone", "phone_modality_only"),
        ({"modality": "carrier pigeon"}, "modality", "invalid_choice"),
        ({"category": "curious"}, "category", "invalid_choice"),
        ({"note": "x" * 501}, "note", "max_length"),
        ({"note": 5}, "note", "invalid_type"),
        ({"contact_phone": "call me"}, "contact_phone", "invalid"),
        ({"contact_phone": 4791234567}, "contact_phone", "invalid_type"),
        ({"slot": "not-a-uuid"}, "slot", "invalid"),
        ({"slot": str(uuid.uuid4())}, "slot", "not_found"),
        ({"slot": None}, "slot", "null"),
    ],
)
def test_bad_input_is_400_naming_the_field(book, slot, fields, field, code):
    body = assert_problem(book(slot, **fields), 400, "validation_error")

    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]
    assert Booking.objects.count() == 0


def test_a_missing_slot_and_modality_are_named(doctor_api):
    body = assert_problem(doctor_api.post(URL, {}, format="json"), 400, "validation_error")

    assert {e["field"] for e in body["errors"]} == {"slot", "modality"}


def test_a_slot_of_an_excluded_counsellor_is_as_unknown(book, slot, doctor, counsellor):
    ExcludedCounsellor.objects.create(doctor=doctor, counsellor=counsellor)

    body = assert_problem(book(slot), 400, "validation_error")

    assert body["errors"][0]["code"] == "not_found"


def test_inside_minimum_notice_is_422(book, add_slot, counsellor):
    counsellor.min_notice = timedelta(hours=12)
    counsellor.save()

    assert_problem(book(add_slot(counsellor, 6)), 422, "booking_too_soon")
    assert_problem(book(add_slot(counsellor, -1)), 422, "booking_too_soon")


def test_past_the_horizon_is_422(book, add_slot, counsellor):
    counsellor.horizon = timedelta(days=7)
    counsellor.save()

    assert_problem(book(add_slot(counsellor, 24 * 8)), 422, "booking_too_far")


def test_the_organisations_cap_on_upcoming_bookings_is_422(book, add_slot, counsellor, organisation):
    organisation.booking_cap = 2
    organisation.save()
    for hours in (30, 40):
        assert book(add_slot(counsellor, hours)).status_code == 201

    body = assert_problem(book(add_slot(counsellor, 50)), 422, "booking_cap_reached")

    assert "allows 2" in body["detail"]


def test_cancelled_and_past_bookings_do_not_count_towards_the_cap(
    book, add_slot, counsellor, organisation, doctor_api
):
    organisation.booking_cap = 1
    organisation.save()
    first = book(add_slot(counsellor, 30)).json()["id"]
    doctor_api.post(f"{URL}/{first}/cancel", {}, format="json")

    assert book(add_slot(counsellor, 40)).status_code == 201


def test_a_counsellor_cannot_book_themself_but_may_book_a_colleague(
    book, slot, counsellor_api, make_counsellor, add_slot
):
    assert_problem(book(slot, client=counsellor_api), 422, "cannot_book_self")

    colleague_slot = add_slot(make_counsellor(), 30)
    assert book(colleague_slot, client=counsellor_api).status_code == 201


def test_coordinators_and_staff_do_not_book(book, slot, coordinator_api, make_user, client_for):
    assert_problem(book(slot, client=coordinator_api), 403, "permission_denied")
    assert_problem(book(slot, client=client_for(make_user(Role.STAFF))), 403, "permission_denied")


def test_booking_needs_a_token(api, slot):
    assert_problem(
        api.post(URL, {"slot": str(slot.pk), "modality": "phone"}, format="json"), 401, "not_authenticated"
    )


def test_an_inactive_counsellors_slot_is_409(book, slot, counsellor):
    counsellor.active = False
    counsellor.save()

    assert_problem(book(slot), 409, "slot_unavailable")


def test_a_retry_with_the_same_idempotency_key_books_once(doctor_api, slot):
    body = {"slot": str(slot.pk), "modality": "phone"}

    first = doctor_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="book-1")
    again = doctor_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="book-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Booking.objects.count() == 1


def test_the_daily_cap_takes_the_rest_of_a_full_day_off_offer_until_a_cancellation(
    book, counsellor, doctor_api, make_user, client_for
):
    counsellor.rules.create(weekday=2, start="09:00", end="12:00", slot_minutes=60, video=True)
    counsellor.daily_cap = 2
    counsellor.save()
    slots_sync(counsellor=counsellor)
    day = Slot.objects.earliest("start").start.date()
    first, second, third = Slot.objects.filter(start__date=day).order_by("start")

    booking = book(first, modality="video").json()["id"]
    assert book(second, modality="video", client=client_for(make_user(Role.DOCTOR))).status_code == 201

    assert not Slot.objects.filter(pk=third.pk).exists()
    late = book(third, modality="video", client=client_for(make_user(Role.DOCTOR)))
    assert_problem(late, 400, "validation_error")
    doctor_api.post(f"{URL}/{booking}/cancel", {}, format="json")
    assert Slot.objects.filter(start__date=day, status=Slot.Status.OPEN).count() == 2


def test_without_a_category_the_booking_says_null(book, slot):
    body = book(slot).json()

    assert body["category"] is None
    assert Booking.objects.get().category == ""
