"""Who sees which booking, with which fields, and what reads cost."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.organisations.models import Organisation
from tests.api.bookings.conftest import URL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

PARTY_FIELDS = {"category", "note", "contact_phone", "cancellation", "rescheduled_at"}


def test_the_doctor_sees_their_booking_with_what_they_gave(doctor_api, booking_id):
    body = doctor_api.get(f"{URL}/{booking_id}").json()

    assert body["note"] == "A hard week."
    assert body["category"] == "advice"
    assert "doctor_alias" not in body


def test_the_counsellor_sees_the_alias_category_note_and_phone_but_never_the_email(
    counsellor_api, booking_id, doctor
):
    response = counsellor_api.get(f"{URL}/{booking_id}")

    body = response.json()
    assert body["doctor_alias"] == doctor.alias
    assert (body["category"], body["note"], body["contact_phone"]) == (
        "advice",
        "A hard week.",
        "+47 912 34 567",
    )
    assert doctor.email not in response.content.decode()
    assert "email" not in response.content.decode()


def test_a_coordinator_sees_status_and_times_only(coordinator_api, booking_id, doctor):
    response = coordinator_api.get(f"{URL}/{booking_id}")

    body = response.json()
    assert response.status_code == 200
    assert not PARTY_FIELDS & set(body)
    assert "doctor_alias" not in body
    assert doctor.alias not in response.content.decode()
    assert {"id", "status", "start", "end"} <= set(body)


def test_staff_see_status_and_times_only(make_user, client_for, booking_id):
    body = client_for(make_user(Role.STAFF)).get(f"{URL}/{booking_id}").json()

    assert not PARTY_FIELDS & set(body)


def test_anyone_else_gets_404(booking_id, make_user, client_for, make_counsellor):
    other_org = Organisation.objects.create(name="Other", slug="other", country="SE")
    strangers = [
        make_user(Role.DOCTOR),
        make_counsellor().user,
        make_user(Role.COORDINATOR, organisation=other_org),
    ]
    for stranger in strangers:
        client = client_for(stranger)
        assert_problem(client.get(f"{URL}/{booking_id}"), 404, "not_found")
        assert_problem(client.get(f"{URL}/{booking_id}/calendar.ics"), 404, "not_found")
        assert client.get(URL).json()["results"] == []


def test_an_unknown_booking_is_404(doctor_api):
    assert_problem(doctor_api.get(f"{URL}/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"), 404, "not_found")


def test_the_list_shows_each_role_its_own_in_start_order(
    doctor_api, counsellor_api, coordinator_api, book, add_slot, counsellor, make_user, client_for
):
    later = book(add_slot(counsellor, 80)).json()["id"]
    sooner = book(add_slot(counsellor, 30)).json()["id"]
    others = book(add_slot(counsellor, 50), client=client_for(make_user(Role.DOCTOR))).json()["id"]

    assert [b["id"] for b in doctor_api.get(URL).json()["results"]] == [sooner, later]
    assert [b["id"] for b in counsellor_api.get(URL).json()["results"]] == [sooner, others, later]
    organisation_view = coordinator_api.get(URL).json()["results"]
    assert [b["id"] for b in organisation_view] == [sooner, others, later]
    assert not any(PARTY_FIELDS & set(b) for b in organisation_view)


def test_the_list_filters_by_status_and_start(doctor_api, book, add_slot, counsellor):
    first = book(add_slot(counsellor, 30)).json()
    second = book(add_slot(counsellor, 80)).json()["id"]
    doctor_api.post(f"{URL}/{first['id']}/cancel", {}, format="json")

    def listed(**query):
        return [b["id"] for b in doctor_api.get(f"{URL}?{urlencode(query)}").json()["results"]]

    assert listed(status="confirmed") == [second]
    assert listed(status="cancelled") == [first["id"]]
    assert listed(start=first["end"]) == [second]
    assert listed(end=first["end"]) == [first["id"]]


@pytest.mark.parametrize(
    ("query", "field"), [("status=lost", "status"), ("start=yesterday", "start"), ("end=", "end")]
)
def test_bad_list_queries_are_400(doctor_api, query, field):
    body = assert_problem(doctor_api.get(f"{URL}?{query}"), 400, "validation_error")

    assert body["errors"][0]["field"] == field


def test_a_malformed_cursor_is_400(doctor_api):
    assert_problem(doctor_api.get(f"{URL}?cursor=garbage"), 400, "invalid_cursor")


def test_reading_needs_a_token(api, booking_id):
    assert_problem(api.get(URL), 401, "not_authenticated")
    assert_problem(api.get(f"{URL}/{booking_id}"), 401, "not_authenticated")


@pytest.mark.parametrize(("bookings", "limit"), [(1, 25), (6, 25), (6, 2)])
def test_the_list_costs_the_same_number_of_queries_whatever_its_size(
    bookings, limit, book, add_slot, make_counsellor, organisation, doctor_api, django_assert_num_queries
):
    organisation.booking_cap = 10
    organisation.save()
    for number in range(bookings):
        book(add_slot(make_counsellor(), 30 + number))

    # The session and user; the page of bookings with their counsellors and doctors; the
    # counsellors' languages; their regions.
    with django_assert_num_queries(4):
        response = doctor_api.get(f"{URL}?limit={limit}")

    assert len(response.json()["results"]) == min(bookings, limit)


@pytest.mark.parametrize("role", ["doctor", "counsellor", "coordinator"])
def test_a_booking_reads_in_four_queries_for_every_role(
    role, booking_id, doctor_api, counsellor_api, coordinator_api, django_assert_num_queries
):
    client = {"doctor": doctor_api, "counsellor": counsellor_api, "coordinator": coordinator_api}[role]

    # The session and user; the booking with its counsellor and doctor; languages; regions.
    with django_assert_num_queries(4):
        assert client.get(f"{URL}/{booking_id}").status_code == 200


def test_the_etag_changes_when_the_booking_does(doctor_api, booking_id):
    before = doctor_api.get(f"{URL}/{booking_id}")["ETag"]
    doctor_api.post(f"{URL}/{booking_id}/cancel", {}, format="json")

    assert doctor_api.get(f"{URL}/{booking_id}")["ETag"] != before


def test_timestamps_are_utc(doctor_api, booking_id):
    body = doctor_api.get(f"{URL}/{booking_id}").json()

    assert body["created_at"].endswith("Z")
    assert body["start"] > timezone.now().isoformat()[:10]
