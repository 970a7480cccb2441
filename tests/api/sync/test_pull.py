"""GET /v1/sync/pull: what changed for the caller since a cursor, and nothing of anyone else's."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.accounts.models import Role
from api.bookings.models import Booking
from api.followups.dispatch import followups_dispatch
from api.followups.models import Followup
from api.messaging.models import Thread
from api.sync.models import Change
from tests.helpers import assert_problem


def book(api, slot):
    response = api.post("/v1/bookings", {"slot": str(slot.pk), "modality": "phone"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_pull_needs_a_signed_in_user(api):
    assert_problem(api.get("/v1/sync/pull"), 401, "not_authenticated")


def test_a_booking_reaches_the_doctor_and_the_counsellor_and_no_one_else(
    doctor_api, counsellor, make_slot, pull, client_for, make_user, organisation
):
    booking = book(doctor_api, make_slot())
    first = pull(doctor_api)
    kinds = {(c["kind"], c["op"]) for c in first["changes"]}
    assert kinds == {("booking", "upsert"), ("thread", "upsert")}
    (shown,) = [c for c in first["changes"] if c["kind"] == "booking"]
    assert shown["id"] == booking["id"]
    assert shown["object"] == doctor_api.get(f"/v1/bookings/{booking['id']}").json()
    assert first["has_more"] is False

    as_counsellor = pull(client_for(counsellor.user))
    assert {c["id"] for c in as_counsellor["changes"]} == {c["id"] for c in first["changes"]}
    assert "doctor_alias" in next(c for c in as_counsellor["changes"] if c["kind"] == "booking")["object"]

    for role in (Role.DOCTOR, Role.COORDINATOR, Role.STAFF):
        stranger = client_for(
            make_user(role, organisation=organisation if role == Role.COORDINATOR else None)
        )
        assert pull(stranger)["changes"] == []


def test_the_cursor_returns_only_later_changes_and_each_object_once_at_its_latest(
    doctor_api, make_slot, pull
):
    booking = book(doctor_api, make_slot())
    cursor = pull(doctor_api)["cursor"]
    empty = pull(doctor_api, cursor)
    assert empty["changes"] == []
    cancelled = doctor_api.post(f"/v1/bookings/{booking['id']}/cancel", {}, format="json")
    assert cancelled.status_code == 200
    other = book(doctor_api, make_slot())
    later = pull(doctor_api, empty["cursor"])
    assert [(c["kind"], c["id"]) for c in later["changes"]] == [
        ("booking", booking["id"]),
        ("booking", other["id"]),
    ]
    assert later["changes"][0]["object"]["status"] == "cancelled"
    versions = [c["version"] for c in later["changes"]]
    assert versions == sorted(versions)


def test_pages_follow_with_has_more(doctor_api, make_slot, pull):
    for _ in range(3):
        book(doctor_api, make_slot())
    seen, cursor, pages = [], None, 0
    while True:
        page = pull(doctor_api, cursor, limit=2)
        seen += page["changes"]
        cursor, pages = page["cursor"], pages + 1
        if not page["has_more"]:
            break
    assert pages == 2  # 3 bookings and 1 thread: 2, then 2 (a page reads one row ahead)
    assert len({(c["kind"], c["id"]) for c in seen}) == 4


def test_a_deleted_thread_comes_as_a_tombstone(doctor_api, make_slot, pull):
    book(doctor_api, make_slot())
    cursor = pull(doctor_api)["cursor"]
    thread = Thread.objects.get()
    assert doctor_api.delete(f"/v1/threads/{thread.pk}").status_code == 204
    (tombstone,) = pull(doctor_api, cursor)["changes"]
    assert tombstone == {
        "version": tombstone["version"],
        "kind": "thread",
        "id": str(thread.pk),
        "op": "delete",
        "object": None,
    }


def test_a_booking_moved_to_another_counsellor_is_a_tombstone_for_the_first(
    doctor_api, make_slot, make_counsellor, client_for, pull
):
    booking = book(doctor_api, make_slot())
    other_slot = make_slot(make_counsellor(display_name="Kari"))
    ingrid_api = client_for(Thread.objects.get().counsellor.user)
    cursor = pull(ingrid_api)["cursor"]
    moved = doctor_api.post(
        f"/v1/bookings/{booking['id']}/reschedule", {"slot": str(other_slot.pk)}, format="json"
    )
    assert moved.status_code == 200, moved.content
    (gone,) = pull(ingrid_api, cursor)["changes"]
    assert (gone["kind"], gone["op"]) == ("booking", "delete")


def test_a_forged_cursor_is_400_and_a_foreign_or_expired_one_410(
    doctor_api, make_user, client_for, pull, monkeypatch
):
    assert_problem(doctor_api.get("/v1/sync/pull", {"cursor": "nonsense"}), 400, "invalid_cursor")
    assert_problem(doctor_api.get("/v1/sync/pull", {"limit": "0"}), 400, "validation_error")
    assert_problem(doctor_api.get("/v1/sync/pull", {"limit": "501"}), 400, "validation_error")
    cursor = pull(doctor_api)["cursor"]
    other = client_for(make_user(Role.DOCTOR))
    assert_problem(other.get("/v1/sync/pull", {"cursor": cursor}), 410, "sync_cursor_expired")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 86400)
    assert_problem(doctor_api.get("/v1/sync/pull", {"cursor": cursor}), 410, "sync_cursor_expired")


def test_a_pull_costs_the_same_queries_for_few_and_many_changes(
    doctor_api, doctor, make_slot, make_counsellor, pull, organisation
):
    organisation.booking_cap = 10
    organisation.save()

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            pull(doctor_api, limit=limit)
        return len(captured)

    book(doctor_api, make_slot())
    few = queries(500)
    for _ in range(2):
        book(doctor_api, make_slot())
    for _ in range(2):
        book(doctor_api, make_slot(make_counsellor()))
    # Fake booking changes for ids that no longer exist: tombstones cost nothing more.
    for _ in range(20):
        Change.objects.create(user=doctor, version=10_000, kind="booking", object_id=uuid.uuid4())
    many = queries(500)
    assert Change.objects.filter(user=doctor).count() > 25
    # Session check (1); the changes (1); bookings, their counsellors' languages and regions (3);
    # threads with their counsellors' languages and regions (3). Whatever the number of rows.
    assert few == many == 8


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_pull_is_read_only(doctor_api, method):
    assert_problem(getattr(doctor_api, method)("/v1/sync/pull"), 405, "method_not_allowed")


def test_due_followups_come_as_they_fall_due_and_go_as_tombstones_on_opting_out(
    doctor_api, counsellor, client_for, make_slot, pull
):
    booking = book(doctor_api, make_slot())
    now = timezone.now()
    Booking.objects.filter(pk=booking["id"]).update(start=now - timedelta(hours=1), end=now)
    assert client_for(counsellor.user).post(f"/v1/bookings/{booking['id']}/complete").status_code == 200
    cursor = pull(doctor_api)["cursor"]
    Followup.objects.filter(offset_days=10).update(due_at=now - timedelta(minutes=1))
    followups_dispatch()
    due = pull(doctor_api, cursor)
    assert {(c["kind"], c["object"]["status"]) for c in due["changes"]} == {("followup", "due")}
    opted = doctor_api.put("/v1/me/followup-preferences", {"opted_out": True}, format="json")
    assert opted.status_code == 200, opted.content
    gone = pull(doctor_api, due["cursor"])["changes"]
    assert {c["id"] for c in gone} == {c["id"] for c in due["changes"]}
    assert {c["op"] for c in gone} == {"delete"}
