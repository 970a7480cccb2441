"""Every error class, from every layer, answers application/problem+json with a stable code."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from api.core.errors import ErrorCode
from tests.helpers import assert_problem


@pytest.fixture
def raw() -> Client:
    # Django's own client, so that unhandled exceptions become responses as in production.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_validation_errors_list_each_field_with_a_code(api):
    response = api.post("/v1/auth/register", {"email": "bad", "alias": ""})

    problem = assert_problem(response, 400, "validation_error")
    assert sorted((e["field"], e["code"]) for e in problem["errors"]) == [
        ("alias", "blank"),
        ("email", "invalid"),
        ("password", "required"),
    ]
    assert all(e["message"] for e in problem["errors"])


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_validation_error(api):
    response = api.post("/v1/auth/token", [1, 2], format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert problem["errors"][0]["field"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"{bad", b'{"email": "a@b.no",', b"\xff\xfe", b"NaN"])
def test_unparseable_json_is_a_malformed_request(raw, body):
    response = raw.post("/v1/auth/token", body, content_type="application/json")

    assert_problem(response, 400, "malformed_request")


@pytest.mark.django_db
def test_nul_characters_in_a_body_are_refused_before_they_reach_the_database(raw):
    body = b'{"email": "a\\u0000@example.org", "password": "x", "alias": "A"}'

    assert_problem(
        raw.post("/v1/auth/register", body, content_type="application/json"), 400, "null_character"
    )


@pytest.mark.django_db
def test_nul_characters_in_the_query_string_are_refused(raw, doctor_api):
    assert_problem(raw.get("/v1/meta?x=%00"), 400, "null_character")


@pytest.mark.django_db
def test_an_oversized_body_is_413(raw, settings):
    settings.MAX_REQUEST_BYTES = 2048
    body = b'{"email": "' + b"a" * 4096 + b'"}'

    assert_problem(
        raw.post("/v1/auth/token", body, content_type="application/json"), 413, "payload_too_large"
    )


@pytest.mark.django_db
def test_an_unsupported_media_type_is_415(raw):
    response = raw.post("/v1/auth/token", "email=a", content_type="application/x-www-form-urlencoded")

    assert_problem(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_an_unacceptable_accept_header_is_406(raw):
    assert_problem(raw.get("/v1/me/sessions", HTTP_ACCEPT="text/html"), 406, "not_acceptable")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/v1/meta"])
def test_operations_endpoints_answer_json_whatever_the_probe_accepts(raw, path):
    response = raw.get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_a_wrong_method_is_405_with_allow(raw):
    response = raw.delete("/v1/auth/token")

    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nowhere", "/v1/nowhere", "/v1/me/sessions/not-a-uuid", "/v1/auth/token/"])
def test_unknown_paths_are_404(raw, path):
    assert_problem(raw.get(path), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_paths_are_404_for_writes_too_not_a_csrf_refusal(method):
    client = Client(enforce_csrf_checks=True)

    assert_problem(getattr(client, method)("/v1/nowhere"), 404, "not_found")
    assert_problem(getattr(client, method)("/v1/me/sessions/not-a-uuid"), 404, "not_found")


@pytest.mark.django_db
def test_missing_credentials_are_401_with_a_challenge(raw):
    response = raw.get("/v1/me")

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="kollega"'


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer not.a.token", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"])
def test_bad_credentials_are_401(raw, header):
    response = raw.get("/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] in {"token_invalid", "authentication_failed", "not_authenticated"}


@pytest.mark.django_db
def test_throttling_is_429_with_retry_after(throttle_rates):
    throttle_rates("2/min")
    client = APIClient()
    for _ in range(2):
        client.post("/v1/auth/token", {"email": "a@example.org", "password": "x"})

    response = client.post("/v1/auth/token", {"email": "a@example.org", "password": "x"})

    assert_problem(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["RateLimit-Remaining"] == "0"


@pytest.mark.django_db
def test_forwarded_for_does_not_change_who_is_throttled(throttle_rates):
    throttle_rates("2/min")
    client = APIClient()
    for index in range(2):
        client.post(
            "/v1/auth/token",
            {"email": "a@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{index}",
        )

    response = client.post(
        "/v1/auth/token", {"email": "a@example.org", "password": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )

    assert_problem(response, 429, "rate_limited")


@pytest.mark.django_db
def test_an_unexpected_exception_is_a_500_problem_without_a_trace(raw, monkeypatch, caplog):
    email = "-".join(["doctor", "42"]) + "@example.org"  # made at run time: not in any source line

    def explode() -> dict[str, bool]:
        raise RuntimeError(f"secret detail that must not leak: {email}")

    monkeypatch.setattr("api.core.views.readiness_checks", explode)

    response = raw.get("/readyz")

    body = assert_problem(response, 500, "internal_error")
    assert "secret detail" not in response.content.decode()
    assert body["detail"] == ErrorCode.INTERNAL_ERROR.summary
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert email not in logged


@pytest.mark.django_db
def test_a_disallowed_host_is_a_400_problem(raw):
    assert_problem(raw.get("/v1/meta", HTTP_HOST="evil.example"), 400, "bad_request")


@pytest.mark.django_db
def test_a_precondition_failure_is_412_with_the_current_etag(doctor_api):
    response = doctor_api.patch("/v1/me", {"alias": "New"}, HTTP_IF_MATCH='"stale"')

    assert_problem(response, 412, "precondition_failed")
    assert response["ETag"] == doctor_api.get("/v1/me")["ETag"]


@pytest.mark.django_db
def test_admin_csrf_failure_is_a_problem(raw):
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)

    assert_problem(strict.post("/admin/login/", {"username": "a", "password": "b"}), 403, "permission_denied")


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_problem_type_uri_resolves_to_its_description(raw, code):
    response = raw.get(f"/problems/{code.value}")

    assert response.status_code == 200
    assert response.json() == {"code": code.value, "status": code.http_status, "title": code.summary}


@pytest.mark.django_db
def test_an_unknown_problem_type_is_404(raw):
    assert_problem(raw.get("/problems/no_such_code"), 404, "not_found")
