from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.models import AuthSession
from api.core.idempotency.crypto import lookup_for
from api.core.idempotency.models import IdempotencyRecord
from api.core.idempotency.services import idempotency_claim, idempotency_records_purge, request_fingerprint
from tests.conftest import PASSWORD
from tests.helpers import assert_problem


def sign_in(client: APIClient, email: str, key: str, password: str = PASSWORD):
    return client.post("/v1/auth/token", {"email": email, "password": password}, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_replays_the_first_response_and_has_one_effect(api, doctor):
    key = str(uuid.uuid4())

    first = sign_in(api, doctor.email, key)
    second = sign_in(api, doctor.email, key)

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert AuthSession.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_each_post_has_its_own_effect(api, doctor):
    api.post("/v1/auth/token", {"email": doctor.email, "password": PASSWORD})
    api.post("/v1/auth/token", {"email": doctor.email, "password": PASSWORD})

    assert AuthSession.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_is_422(api, doctor, make_user):
    key = str(uuid.uuid4())
    sign_in(api, doctor.email, key)

    response = sign_in(api, make_user().email, key)

    assert_problem(response, 422, "idempotency_key_reused")
    assert AuthSession.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_endpoint_is_422(api, doctor):
    key = str(uuid.uuid4())
    sign_in(api, doctor.email, key)

    response = api.post(
        "/v1/auth/register", {"email": doctor.email, "password": PASSWORD}, HTTP_IDEMPOTENCY_KEY=key
    )

    assert_problem(response, 422, "idempotency_key_reused")


@pytest.mark.django_db
def test_a_key_still_in_flight_is_409_with_retry_after(api, doctor):
    key = str(uuid.uuid4())
    body = b'{"email": "%s", "password": "%s"}' % (doctor.email.encode(), PASSWORD.encode())
    fingerprint = request_fingerprint(method="POST", path="/v1/auth/token", query="", body=body)
    idempotency_claim(scope="anon", key=key, fingerprint=fingerprint)

    response = api.generic(
        "POST", "/v1/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert_problem(response, 409, "idempotency_in_flight")
    assert response["Retry-After"] == "1"
    assert AuthSession.objects.count() == 0


@pytest.mark.django_db
def test_a_key_held_by_a_request_that_died_is_taken_over_after_the_lock_timeout(api, doctor, settings):
    key = str(uuid.uuid4())
    body = b'{"email": "%s", "password": "%s"}' % (doctor.email.encode(), PASSWORD.encode())
    fingerprint = request_fingerprint(method="POST", path="/v1/auth/token", query="", body=body)
    claim = idempotency_claim(scope="anon", key=key, fingerprint=fingerprint)
    IdempotencyRecord.objects.filter(pk=claim.record.pk).update(
        locked_at=timezone.now() - settings.IDEMPOTENCY_LOCK_TIMEOUT - timedelta(seconds=1)
    )

    response = api.generic(
        "POST", "/v1/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 200
    assert AuthSession.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_scoped_per_caller(doctor, make_user, client_for):
    key = str(uuid.uuid4())
    first, second = client_for(doctor), client_for(make_user())

    one = first.post("/v1/auth/logout", {"everywhere": True}, HTTP_IDEMPOTENCY_KEY=key)
    other = second.post("/v1/auth/logout", {"everywhere": True}, HTTP_IDEMPOTENCY_KEY=key)

    assert one.status_code == other.status_code == 204
    assert "Idempotent-Replayed" not in other


@pytest.mark.django_db
def test_validation_errors_are_replayed_too(api):
    key = str(uuid.uuid4())

    first = api.post("/v1/auth/register", {"email": "bad"}, HTTP_IDEMPOTENCY_KEY=key)
    second = api.post("/v1/auth/register", {"email": "bad"}, HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_authentication_failures_are_not_stored_so_a_retry_runs_again(api, doctor):
    key = str(uuid.uuid4())

    assert sign_in(api, doctor.email, key, password="wrong password here").status_code == 401
    assert sign_in(api, doctor.email, key, password="wrong password here").status_code == 401

    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_a_server_error_releases_the_key_so_a_retry_runs_again(doctor, monkeypatch):
    key = str(uuid.uuid4())
    client = Client(raise_request_exception=False)

    def explode(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("api.accounts.views.user_login", explode)
    failed = client.post(
        "/v1/auth/token",
        {"email": doctor.email, "password": PASSWORD},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    monkeypatch.undo()
    retried = client.post(
        "/v1/auth/token",
        {"email": doctor.email, "password": PASSWORD},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert failed.status_code == 500
    assert retried.status_code == 200
    assert "Idempotent-Replayed" not in retried


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "a" * 256, "with space", "tab\tkey", "ünïcode"])
def test_malformed_keys_are_400(api, key):
    response = api.post("/v1/auth/register", {"email": "a@example.org"}, HTTP_IDEMPOTENCY_KEY=key)

    assert_problem(response, 400, "invalid_idempotency_key")


@pytest.mark.django_db
def test_stored_responses_are_unreadable_without_the_key(api, doctor):
    key = str(uuid.uuid4())
    tokens = sign_in(api, doctor.email, key).json()

    record = IdempotencyRecord.objects.get()
    stored = bytes(record.sealed_body)
    assert tokens["refresh"].encode() not in stored
    assert tokens["access"].encode() not in stored
    assert key not in record.lookup
    assert record.lookup == lookup_for("anon", key)


@pytest.mark.django_db
def test_a_key_older_than_its_time_to_live_runs_again(api, doctor, settings):
    key = str(uuid.uuid4())
    sign_in(api, doctor.email, key)
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - settings.IDEMPOTENCY_TTL - timedelta(minutes=1)
    )

    response = sign_in(api, doctor.email, key)

    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    assert AuthSession.objects.count() == 2


@pytest.mark.django_db
def test_purge_deletes_only_expired_records(api, doctor, settings):
    sign_in(api, doctor.email, "old-key")
    sign_in(api, doctor.email, "new-key")
    IdempotencyRecord.objects.filter(lookup=lookup_for("anon", "old-key")).update(
        created_at=timezone.now() - settings.IDEMPOTENCY_TTL - timedelta(minutes=1)
    )

    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("lookup", flat=True)) == [lookup_for("anon", "new-key")]


@pytest.mark.django_db
def test_after_a_secret_key_rotation_old_records_are_not_found_and_the_request_runs_again(
    api, doctor, settings
):
    key = str(uuid.uuid4())
    sign_in(api, doctor.email, key)
    settings.SECRET_KEY = "a-rotated-secret-key-that-is-long-enough-0123456789"

    response = sign_in(api, doctor.email, key)

    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    assert AuthSession.objects.count() == 2


@pytest.mark.django_db
def test_gets_ignore_the_key(doctor_api):
    response = doctor_api.get("/v1/me", HTTP_IDEMPOTENCY_KEY="not checked on reads")

    assert response.status_code == 200
    assert IdempotencyRecord.objects.count() == 0
