"""POST /v1/sync/push: numbered mutations applied in order, once each, refusals recorded."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.bookings.models import Booking, BookingStatus
from api.followups.models import Followup
from api.sync.models import SyncMutation
from tests.api.messaging.conftest import AppDevice
from tests.helpers import assert_problem

CLIENT = str(uuid.uuid4())


def push(api, *mutations, client_id: str = CLIENT, status: int = 200):
    body = {
        "client_id": client_id,
        "mutations": [{"sequence": seq, "type": kind, "args": args} for seq, kind, args in mutations],
    }
    response = api.post("/v1/sync/push", body, format="json")
    assert response.status_code == status, response.content
    return response.json()


def test_push_needs_a_signed_in_user(api):
    response = api.post("/v1/sync/push", {"client_id": CLIENT, "mutations": []}, format="json")
    assert_problem(response, 401, "not_authenticated")


def test_mutations_apply_in_order_once_each(doctor_api, doctor, make_slot):
    first, second = make_slot(), make_slot()
    results = push(
        doctor_api,
        (2, "cancel_booking", {"booking": "placeholder"}),
        (1, "book", {"slot": str(first.pk), "modality": "phone"}),
    )["results"]
    assert [(r["sequence"], r["status"]) for r in results] == [(1, "applied"), (2, "rejected")]
    booked = results[0]["result"]["id"]
    assert Booking.objects.get(pk=booked).doctor == doctor
    assert results[1]["problem"]["code"] == "validation_error"

    # The same push again (a lost answer): answered from the record, nothing applied twice.
    again = push(doctor_api, (1, "book", {"slot": str(second.pk), "modality": "phone"}))["results"]
    assert again == results[:1]
    assert Booking.objects.filter(doctor=doctor).count() == 1

    cancelled = push(doctor_api, (3, "cancel_booking", {"booking": booked, "reason": "Bedre nå"}))["results"]
    assert cancelled[0]["status"] == "applied"
    assert Booking.objects.get(pk=booked).status == BookingStatus.CANCELLED


def test_a_taken_slot_is_refused_with_alternatives_and_the_sequence_advances(
    doctor_api, make_user, client_for, make_slot
):
    taken, free = make_slot(), make_slot()
    other = client_for(make_user(Role.DOCTOR))
    assert (
        other.post("/v1/bookings", {"slot": str(taken.pk), "modality": "phone"}, format="json").status_code
        == 201
    )
    results = push(
        doctor_api,
        (1, "book", {"slot": str(taken.pk), "modality": "phone"}),
        (2, "book", {"slot": str(free.pk), "modality": "phone"}),
    )["results"]
    refused, applied = results
    assert refused["status"] == "rejected"
    assert refused["problem"]["code"] == "slot_unavailable"
    assert refused["problem"]["status"] == 409
    assert [a["id"] for a in refused["problem"]["alternatives"]] == [str(free.pk)]
    assert applied["status"] == "applied"
    # Pushed again, the refusal is not retried: it is the record.
    assert push(doctor_api, (1, "book", {"slot": str(free.pk), "modality": "phone"}))["results"] == [refused]


def test_a_sequence_below_the_last_applied_is_refused_unrecorded(doctor_api, make_slot):
    push(doctor_api, (5, "book", {"slot": str(make_slot().pk), "modality": "phone"}))
    (late,) = push(doctor_api, (4, "book", {"slot": str(make_slot().pk), "modality": "phone"}))["results"]
    assert late["status"] == "rejected"
    assert late["problem"]["errors"][0]["code"] == "out_of_order"
    assert SyncMutation.objects.count() == 1


def test_messages_and_followups_through_push(doctor_api, doctor, counsellor, client_for, make_slot):
    booking = push(doctor_api, (1, "book", {"slot": str(make_slot().pk), "modality": "phone"}))["results"][0]
    mine, theirs = AppDevice(doctor_api).register(), AppDevice(client_for(counsellor.user)).register()
    thread = doctor_api.get("/v1/threads").json()["results"][0]["id"]
    body = {
        "thread": thread,
        "client_message_id": str(uuid.uuid4()),
        "sender_device_id": mine.id,
        "envelopes": mine.seal(mine.devices(thread), "Hei fra toget"),
    }
    # Completed: the WHO-5 ten days on, made due now.
    Booking.objects.filter(pk=booking["result"]["id"]).update(
        start=timezone.now() - timedelta(hours=1), end=timezone.now() - timedelta(minutes=10)
    )
    assert (
        client_for(counsellor.user).post(f"/v1/bookings/{booking['result']['id']}/complete").status_code
        == 200
    )
    followup = Followup.objects.filter(
        doctor=doctor, offset_days=10, version__questionnaire__slug="who-5"
    ).get()
    Followup.objects.filter(pk=followup.pk).update(status="due", due_at=timezone.now())
    answers = {"who5-1": 3, "who5-2": 3, "who5-3": 3, "who5-4": 3, "who5-5": 3}
    results = push(
        doctor_api,
        (2, "send_message", body),
        (3, "submit_followup", {"followup": str(followup.pk), "answers": answers}),
        (4, "submit_followup", {"followup": str(followup.pk), "answers": answers}),
    )["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "rejected"]
    assert results[2]["problem"]["code"] == "followup_answered"
    assert theirs.read(thread) == ["Hei fra toget"]


def test_another_users_objects_are_not_found(doctor_api, make_user, client_for, make_slot):
    other = client_for(make_user(Role.DOCTOR))
    booked = other.post(
        "/v1/bookings", {"slot": str(make_slot().pk), "modality": "phone"}, format="json"
    ).json()
    results = push(
        doctor_api,
        (1, "cancel_booking", {"booking": booked["id"]}),
        (2, "submit_followup", {"followup": str(uuid.uuid4()), "answers": {}}),
        (3, "send_message", {"thread": str(uuid.uuid4())}),
    )["results"]
    assert [r["problem"]["code"] for r in results] == ["not_found"] * 3
    assert Booking.objects.get(pk=booked["id"]).status == BookingStatus.CONFIRMED


def test_coordinators_cannot_book_through_push_either(client_for, make_user, organisation, make_slot):
    coordinator = client_for(make_user(Role.COORDINATOR, organisation=organisation))
    (refused,) = push(coordinator, (1, "book", {"slot": str(make_slot().pk), "modality": "phone"}))["results"]
    assert refused["problem"]["code"] == "permission_denied"


def test_outcomes_come_in_the_pull_too(doctor_api, make_slot, pull):
    push(doctor_api, (1, "book", {"slot": str(make_slot().pk), "modality": "phone"}))
    outcomes = [c["object"] for c in pull(doctor_api)["changes"] if c["kind"] == "mutation"]
    assert [(o["client_id"], o["sequence"], o["status"]) for o in outcomes] == [(CLIENT, 1, "applied")]


def test_one_clients_records_are_its_own(doctor_api, make_user, client_for, make_slot):
    push(doctor_api, (1, "book", {"slot": str(make_slot().pk), "modality": "phone"}))
    other = client_for(make_user(Role.DOCTOR))
    # The same client id under another user is another client: its sequence 1 is applied.
    (theirs,) = push(other, (1, "book", {"slot": str(make_slot().pk), "modality": "phone"}))["results"]
    assert theirs["status"] == "applied"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mutations": [{"sequence": 1, "type": "book", "args": {}}]}, "client_id"),
        ({"client_id": False, "mutations": [{"sequence": 1, "type": "book", "args": {}}]}, "client_id"),
        ({"client_id": CLIENT, "mutations": []}, "mutations"),
        (
            {"client_id": CLIENT, "mutations": [{"sequence": 0, "type": "book", "args": {}}]},
            "mutations.0.sequence",
        ),
        (
            {"client_id": CLIENT, "mutations": [{"sequence": 2**63, "type": "book", "args": {}}]},
            "mutations.0.sequence",
        ),
        (
            {"client_id": CLIENT, "mutations": [{"sequence": 1, "type": "drop_tables", "args": {}}]},
            "mutations.0.type",
        ),
        (
            {"client_id": CLIENT, "mutations": [{"sequence": 1, "type": "book", "args": []}]},
            "mutations.0.args",
        ),
        (
            {"client_id": CLIENT, "mutations": [{"sequence": 1, "type": "book", "args": {}}] * 2},
            "mutations",
        ),
        (
            {
                "client_id": CLIENT,
                "mutations": [{"sequence": n, "type": "book", "args": {}} for n in range(1, 102)],
            },
            "mutations",
        ),
    ],
)
def test_bad_input_is_a_validation_problem(doctor_api, body, field):
    body = assert_problem(doctor_api.post("/v1/sync/push", body, format="json"), 400, "validation_error")
    assert field in {e["field"] for e in body["errors"]}
