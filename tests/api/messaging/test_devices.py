"""PUT/GET/DELETE /v1/devices: keys checked, never changed, revocable, and only one's own."""

from __future__ import annotations

import base64
import uuid

import pytest

from api.messaging.models import Device
from tests.api.messaging.conftest import AppDevice, b64
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_registering_a_device_answers_201_with_its_keys(doctor_api, doctor):
    device = AppDevice(doctor_api)

    response = doctor_api.put(f"/v1/devices/{device.id}", device.registration(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == device.id
    assert base64.b64decode(body["encryption_key"]) == bytes(device.private.public_key)
    assert body["platform"] == "ios"
    assert "push_token" not in body
    assert Device.objects.get().user == doctor


def test_putting_it_again_updates_the_push_token_only(doctor_api):
    device = AppDevice(doctor_api).register()

    response = doctor_api.put(
        f"/v1/devices/{device.id}", device.registration() | {"push_token": "tok-2"}, format="json"
    )

    assert response.status_code == 200
    assert Device.objects.get().push_token == "tok-2"


def test_other_keys_under_the_same_id_are_409(doctor_api):
    device = AppDevice(doctor_api).register()
    impostor = AppDevice(doctor_api)

    response = doctor_api.put(f"/v1/devices/{device.id}", impostor.registration(), format="json")

    assert_problem(response, 409, "device_keys_immutable")


def test_another_users_device_id_is_404_and_untouched(doctor_api, make_user, client_for):
    device = AppDevice(doctor_api).register()
    other = client_for(make_user())

    assert_problem(
        other.put(f"/v1/devices/{device.id}", AppDevice(other).registration(), format="json"),
        404,
        "not_found",
    )
    assert_problem(other.get(f"/v1/devices/{device.id}"), 404, "not_found")
    assert_problem(other.delete(f"/v1/devices/{device.id}"), 404, "not_found")
    assert other.get("/v1/devices").json()["results"] == []


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"encryption_key": b64(b"short")}, "encryption_key", "length"),
        ({"signing_key": "not base64!"}, "signing_key", "invalid"),
        ({"key_signature": b64(bytes(64))}, "key_signature", "invalid_signature"),
        ({"key_signature": b64(bytes(63))}, "key_signature", "length"),
        ({"encryption_key": 5}, "encryption_key", "invalid"),
        ({"platform": "palm"}, "platform", "invalid_choice"),
        ({"push_token": "x" * 4097}, "push_token", "max_length"),
        ({"push_token": 12345}, "push_token", "invalid_type"),
    ],
)
def test_bad_keys_are_400_naming_the_field(doctor_api, change, field, code):
    device = AppDevice(doctor_api)

    response = doctor_api.put(f"/v1/devices/{device.id}", device.registration() | change, format="json")

    body = assert_problem(response, 400, "validation_error")
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]
    assert not Device.objects.exists()


def test_a_signature_by_another_key_is_refused(doctor_api):
    device, other = AppDevice(doctor_api), AppDevice(doctor_api)
    forged = device.registration() | {"key_signature": other.registration()["key_signature"]}

    body = assert_problem(
        doctor_api.put(f"/v1/devices/{device.id}", forged, format="json"), 400, "validation_error"
    )

    assert body["errors"][0]["code"] == "invalid_signature"


def test_a_malformed_device_id_is_404(doctor_api):
    assert_problem(doctor_api.put("/v1/devices/not-a-uuid", {}, format="json"), 404, "not_found")


def test_the_list_holds_ones_current_devices(doctor_api):
    first, second = AppDevice(doctor_api).register(), AppDevice(doctor_api).register()
    doctor_api.delete(f"/v1/devices/{first.id}")

    assert [d["id"] for d in doctor_api.get("/v1/devices").json()["results"]] == [second.id]


def test_a_revoked_device_stays_revoked(doctor_api):
    device = AppDevice(doctor_api).register()

    assert doctor_api.delete(f"/v1/devices/{device.id}").status_code == 204

    assert_problem(
        doctor_api.put(f"/v1/devices/{device.id}", device.registration(), format="json"),
        409,
        "device_revoked",
    )
    assert_problem(doctor_api.get(f"/v1/devices/{device.id}"), 404, "not_found")


def test_devices_need_a_token(api):
    assert_problem(api.get("/v1/devices"), 401, "not_authenticated")
    assert_problem(api.put(f"/v1/devices/{uuid.uuid4()}", {}, format="json"), 401, "not_authenticated")


def test_the_device_list_costs_two_queries_whatever_its_length(doctor_api, django_assert_num_queries):
    for _ in range(3):
        AppDevice(doctor_api).register()

    # The session and user; the page of devices.
    with django_assert_num_queries(2):
        assert len(doctor_api.get("/v1/devices").json()["results"]) == 3
