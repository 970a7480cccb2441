"""Threads and messages, end to end with PyNaCl on the client side, as the apps do it."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from nacl.exceptions import CryptoError

from api.messaging.models import Envelope, Message, MessageNotice, Thread
from api.messaging.serializers import MAX_ENVELOPES
from api.messaging.services import messages_purge_expired
from api.sync.log import current_version
from api.sync.models import Change, ChangeKind, ChangeOp
from tests.api.messaging.conftest import AppDevice, b64
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def messages_url(thread_id, device):
    return f"/v1/threads/{thread_id}/messages?device={device.id}"


def test_two_doctors_and_a_counsellor_with_two_devices_each_read_their_own_envelopes(
    thread_id, doctor_api, doctor_device, counsellor_api, counsellor, make_user, client_for, book_with
):
    counsellor_phone = AppDevice(counsellor_api).register()
    counsellor_laptop = AppDevice(counsellor_api).register()
    doctor_tablet = AppDevice(doctor_api).register()
    second_doctor = make_user()
    second_api = client_for(second_doctor)
    second_thread = book_with(second_doctor, counsellor)
    second_device = AppDevice(second_api).register()

    assert doctor_device.send(thread_id, "Thank you for listening.").status_code == 201
    assert counsellor_phone.send(thread_id, "Call me on Friday.").status_code == 201
    assert second_device.send(second_thread, "Can we move to video?").status_code == 201

    assert counsellor_laptop.read(thread_id) == ["Thank you for listening.", "Call me on Friday."]
    assert counsellor_phone.read(thread_id) == ["Thank you for listening."]
    assert doctor_tablet.read(thread_id) == ["Thank you for listening.", "Call me on Friday."]
    assert doctor_device.read(thread_id) == ["Call me on Friday."]
    assert counsellor_laptop.read(second_thread) == ["Can we move to video?"]
    # Four current devices other than the sender's: four envelopes for the doctor's message.
    first = Message.objects.filter(thread_id=thread_id).earliest("created_at")
    assert Envelope.objects.filter(message=first).count() == 3


def test_a_flipped_ciphertext_byte_fails_authentication(thread_id, doctor_device, counsellor_device):
    doctor_device.send(thread_id, "Thank you.")
    envelope = Envelope.objects.get()
    tampered = bytearray(envelope.ciphertext)
    tampered[20] ^= 0x01
    Envelope.objects.filter(pk=envelope.pk).update(ciphertext=bytes(tampered))

    with pytest.raises(CryptoError):
        counsellor_device.read(thread_id)


def test_a_stale_device_list_is_409_with_the_current_one(
    thread_id, doctor_device, counsellor_device, counsellor_api
):
    devices_before = doctor_device.devices(thread_id)
    new_phone = AppDevice(counsellor_api).register()
    body = {
        "client_message_id": str(uuid.uuid4()),
        "sender_device_id": doctor_device.id,
        "envelopes": doctor_device.seal(devices_before, "Hello"),
    }

    response = doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json")

    problem = assert_problem(response, 409, "device_list_stale")
    assert {d["id"] for d in problem["devices"]} == {doctor_device.id, counsellor_device.id, new_phone.id}
    assert not Message.objects.exists()
    # Encrypting for the list it gave, the same message goes through.
    body["envelopes"] = doctor_device.seal(problem["devices"], "Hello")
    assert doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json").status_code == 201
    assert new_phone.read(thread_id) == ["Hello"]


def test_a_revoked_device_is_stale_too(thread_id, doctor_device, counsellor_device, counsellor_api):
    devices = doctor_device.devices(thread_id)
    counsellor_api.delete(f"/v1/devices/{counsellor_device.id}")
    body = {
        "client_message_id": str(uuid.uuid4()),
        "sender_device_id": doctor_device.id,
        "envelopes": doctor_device.seal(devices, "Hello"),
    }

    response = doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json")

    assert_problem(response, 409, "no_recipient_device")


def test_a_repeated_client_message_id_stores_one_message(thread_id, doctor_device, counsellor_device):
    client_id = str(uuid.uuid4())

    first = doctor_device.send(thread_id, "Once", client_message_id=client_id)
    again = doctor_device.send(thread_id, "Once", client_message_id=client_id)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1
    assert MessageNotice.objects.count() == 1


def valid_body(thread_id, device):
    return {
        "client_message_id": str(uuid.uuid4()),
        "sender_device_id": device.id,
        "envelopes": device.seal(device.devices(thread_id), "Hello"),
    }


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda b: b | {"envelopes": []}, "envelopes", "min_length"),
        (lambda b: b | {"client_message_id": "7"}, "client_message_id", "invalid"),
        (
            lambda b: b | {"envelopes": [b["envelopes"][0] | {"nonce": b64(bytes(23))}]},
            "envelopes.0.nonce",
            "length",
        ),
        (
            lambda b: b | {"envelopes": [b["envelopes"][0] | {"ciphertext": "%%%"}]},
            "envelopes.0.ciphertext",
            "invalid",
        ),
        (
            lambda b: b | {"envelopes": [b["envelopes"][0] | {"ciphertext": b64(bytes(8))}]},
            "envelopes.0.ciphertext",
            "min_length",
        ),
        (
            lambda b: b | {"envelopes": [b["envelopes"][0] | {"device_id": None}]},
            "envelopes.0.device_id",
            "null",
        ),
        (lambda b: b | {"envelopes": b["envelopes"] * 2}, "envelopes", "duplicate_device"),
        (lambda b: b | {"envelopes": b["envelopes"][0]}, "envelopes", "not_a_list"),
        (lambda b: b | {"sender_device_id": str(uuid.uuid4())}, "sender_device_id", "not_your_device"),
    ],
)
def test_malformed_envelopes_are_400_naming_the_field(
    thread_id, doctor_device, counsellor_device, change, field, code
):
    body = change(valid_body(thread_id, doctor_device))

    response = doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ]
    assert not Message.objects.exists()


def test_more_than_fifty_envelopes_are_400(thread_id, doctor_device, counsellor_device):
    body = valid_body(thread_id, doctor_device)
    envelope = body["envelopes"][0]
    body["envelopes"] = [envelope | {"device_id": str(uuid.uuid4())} for _ in range(MAX_ENVELOPES + 1)]

    problem = assert_problem(
        doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json"),
        400,
        "validation_error",
    )

    assert problem["errors"][0]["code"] == "max_length"


def test_a_ciphertext_over_64_kib_is_413(thread_id, doctor_device, counsellor_device):
    body = valid_body(thread_id, doctor_device)
    body["envelopes"][0]["ciphertext"] = b64(bytes(64 * 1024 + 1))

    response = doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json")

    assert_problem(response, 413, "payload_too_large")


def test_a_ciphertext_of_exactly_64_kib_is_taken(thread_id, doctor_device, counsellor_device):
    body = valid_body(thread_id, doctor_device)
    body["envelopes"][0]["ciphertext"] = b64(bytes(64 * 1024))

    assert doctor_device.api.post(f"/v1/threads/{thread_id}/messages", body, format="json").status_code == 201


def test_a_third_user_gets_404_on_the_thread_its_devices_and_its_messages(
    thread_id, doctor_device, counsellor_device, stranger_apis
):
    doctor_device.send(thread_id, "Private")
    for api in stranger_apis:
        stranger = AppDevice(api).register()
        for path in ("", "/devices", f"/messages?device={stranger.id}"):
            assert_problem(api.get(f"/v1/threads/{thread_id}{path}"), 404, "not_found")
        assert_problem(
            api.post(
                f"/v1/threads/{thread_id}/messages", valid_body(thread_id, doctor_device), format="json"
            ),
            404,
            "not_found",
        )
        assert_problem(api.post(f"/v1/threads/{thread_id}/read", {}, format="json"), 404, "not_found")
        assert_problem(api.delete(f"/v1/threads/{thread_id}"), 404, "not_found")
        assert api.get("/v1/threads").json()["results"] == []
    assert Message.objects.count() == 1


def test_reading_with_someone_elses_device_is_400(thread_id, doctor_api, counsellor_device):
    response = doctor_api.get(messages_url(thread_id, counsellor_device))

    problem = assert_problem(response, 400, "validation_error")
    assert problem["errors"][0]["field"] == "device"


@pytest.mark.parametrize("query", ["", "?device=", "?device=nope"])
def test_reading_without_a_valid_device_is_400(thread_id, doctor_api, query):
    assert_problem(doctor_api.get(f"/v1/threads/{thread_id}/messages{query}"), 400, "validation_error")


def test_a_new_device_does_not_see_history(thread_id, doctor_device, counsellor_device, counsellor_api):
    doctor_device.send(thread_id, "Before")
    later = AppDevice(counsellor_api).register()
    doctor_device.send(thread_id, "After")

    assert later.read(thread_id) == ["After"]


def test_unread_counts_and_marking_read(
    thread_id, doctor_api, doctor_device, counsellor_api, counsellor_device
):
    doctor_device.send(thread_id, "One")
    doctor_device.send(thread_id, "Two")

    assert counsellor_api.get(f"/v1/threads/{thread_id}").json()["unread_count"] == 2
    assert doctor_api.get(f"/v1/threads/{thread_id}").json()["unread_count"] == 0
    marked = counsellor_api.post(f"/v1/threads/{thread_id}/read", {}, format="json").json()
    assert (marked["unread_count"], marked["read_at"] is not None) == (0, True)
    doctor_device.send(thread_id, "Three")
    assert counsellor_api.get("/v1/threads").json()["results"][0]["unread_count"] == 1


def test_the_counsellor_sees_the_doctors_alias_and_the_doctor_does_not(
    thread_id, doctor_api, counsellor_api, doctor
):
    assert counsellor_api.get(f"/v1/threads/{thread_id}").json()["doctor_alias"] == doctor.alias
    assert "doctor_alias" not in doctor_api.get(f"/v1/threads/{thread_id}").json()
    assert doctor.email not in counsellor_api.get(f"/v1/threads/{thread_id}").content.decode()


def test_a_doctor_opens_a_thread_only_with_a_counsellor_they_booked(
    doctor_api, thread_id, counsellor, make_counsellor
):
    again = doctor_api.post("/v1/threads", {"counsellor_id": str(counsellor.pk)}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, thread_id)
    Thread.objects.all().delete()
    reopened = doctor_api.post("/v1/threads", {"counsellor_id": str(counsellor.pk)}, format="json")
    assert reopened.status_code == 201

    stranger = make_counsellor()
    response = doctor_api.post("/v1/threads", {"counsellor_id": str(stranger.pk)}, format="json")
    assert_problem(response, 403, "permission_denied")
    assert_problem(
        doctor_api.post("/v1/threads", {"counsellor_id": "x"}, format="json"), 400, "validation_error"
    )


def test_a_participant_deletes_the_thread_for_both(
    thread_id, doctor_device, counsellor_device, counsellor_api, doctor_api
):
    doctor_device.send(thread_id, "Gone soon")

    assert counsellor_api.delete(f"/v1/threads/{thread_id}").status_code == 204

    assert not Message.objects.exists()
    assert not Envelope.objects.exists()
    assert_problem(doctor_api.get(f"/v1/threads/{thread_id}"), 404, "not_found")


def test_retention_deletes_what_is_due_and_nothing_else(
    thread_id, doctor_device, counsellor_device, organisation
):
    organisation.message_retention_days = 30
    organisation.save()
    doctor_device.send(thread_id, "Old")
    doctor_device.send(thread_id, "New")
    old, new = Message.objects.order_by("created_at")
    assert new.expires_at - new.created_at == timedelta(days=30)
    Message.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert messages_purge_expired() == 1

    assert list(Message.objects.all()) == [new]
    assert counsellor_device.read(thread_id) == ["New"]


def test_the_purge_leaves_both_participants_a_tombstone_to_sync(
    thread_id, doctor_device, counsellor_device, doctor_api, counsellor_api
):
    doctor_device.send(thread_id, "Old")
    doctor_device.send(thread_id, "Kept")
    old, _kept = Message.objects.order_by("created_at")
    apis = {"doctor": doctor_api, "counsellor": counsellor_api}
    # What each participant's devices have pulled: both messages.
    cursors = {name: api.get("/v1/sync/pull").json()["cursor"] for name, api in apis.items()}
    Message.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert messages_purge_expired() == 1

    for name, api in apis.items():
        changes = api.get("/v1/sync/pull", {"cursor": cursors[name]}).json()["changes"]
        assert [(c["kind"], c["id"], c["op"]) for c in changes] == [("message", str(old.pk), "delete")], name


def test_the_purge_costs_the_same_statements_for_few_or_many_messages(
    thread_id, doctor_device, counsellor_device
):
    tombstones = Change.objects.filter(kind=ChangeKind.MESSAGE, op=ChangeOp.DELETE)
    statements = []
    for expired in (2, 7):
        for number in range(expired):
            doctor_device.send(thread_id, f"message {number}")
        Message.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        before = current_version()

        with CaptureQueriesContext(connection) as purge:
            assert messages_purge_expired() == expired

        statements.append(len(purge))
        # One version per message, a tombstone for each participant.
        added = list(tombstones.filter(version__gt=before))
        assert len(added) == 2 * expired
        assert len({change.version for change in added}) == expired

    assert statements[0] == statements[1]


def test_the_purge_goes_a_batch_at_a_time(thread_id, doctor_device, counsellor_device):
    for number in range(5):
        doctor_device.send(thread_id, f"message {number}")
    Message.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert messages_purge_expired(batch=2) == 5

    assert not Message.objects.exists()
    assert Change.objects.filter(kind=ChangeKind.MESSAGE, op=ChangeOp.DELETE).count() == 10


def test_a_message_past_its_retention_is_not_served_before_the_purge(
    thread_id, doctor_device, counsellor_device
):
    doctor_device.send(thread_id, "Old")
    Message.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert counsellor_device.read(thread_id) == []


@pytest.mark.parametrize("count", [1, 8])
def test_reading_messages_costs_the_same_queries_whatever_the_thread_length(
    count, thread_id, doctor_device, counsellor_device, django_assert_num_queries
):
    for number in range(count):
        doctor_device.send(thread_id, f"message {number}")

    # The session and user; the thread (with counsellor, organisation and unread count); the
    # device check; the page of messages with this device's envelopes.
    with django_assert_num_queries(4):
        response = counsellor_device.api.get(messages_url(thread_id, counsellor_device))

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("threads", [1, 4])
def test_the_thread_list_costs_the_same_queries_whatever_its_length(
    threads, counsellor, counsellor_api, doctor_device, book_with, make_user, django_assert_num_queries
):
    for _ in range(threads):
        book_with(make_user(), counsellor)

    # The session and user; the page of threads with counsellors, doctors and unread counts; the
    # counsellors' languages; their regions.
    with django_assert_num_queries(4):
        response = counsellor_api.get("/v1/threads")

    assert len(response.json()["results"]) == threads


def test_messages_are_base64_of_what_was_stored(thread_id, doctor_device, counsellor_device):
    doctor_device.send(thread_id, "Hi")
    stored = Envelope.objects.get()

    served = counsellor_device.api.get(messages_url(thread_id, counsellor_device)).json()["results"][0]

    assert base64.b64decode(served["ciphertext"]) == bytes(stored.ciphertext)
    assert served["sender"] == "doctor"
    assert served["sender_device_id"] == doctor_device.id


def test_a_thread_reads_in_four_queries(thread_id, counsellor_api, django_assert_num_queries):
    # The session and user; the thread with its counsellor, doctor and unread count; languages; regions.
    with django_assert_num_queries(4):
        assert counsellor_api.get(f"/v1/threads/{thread_id}").status_code == 200


@pytest.mark.parametrize("devices", [1, 5])
def test_the_key_directory_costs_three_queries_whatever_its_size(
    devices, thread_id, doctor_api, counsellor_api, django_assert_num_queries
):
    for _ in range(devices):
        AppDevice(counsellor_api).register()

    # The session and user; the thread; the participants' current devices.
    with django_assert_num_queries(3):
        response = doctor_api.get(f"/v1/threads/{thread_id}/devices")

    assert len(response.json()) == devices
