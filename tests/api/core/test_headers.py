from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def raw() -> Client:
    return Client()


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_a_well_formed_one_is_echoed(raw):
    generated = raw.get("/v1/meta")["X-Request-Id"]
    echoed = raw.get("/v1/meta", HTTP_X_REQUEST_ID="client-abc-123")["X-Request-Id"]
    replaced = raw.get("/v1/meta", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-Id"]

    assert len(generated) == 32
    assert echoed == "client-abc-123"
    assert replaced != "bad id with spaces"
    assert len(replaced) == 32


@pytest.mark.django_db
def test_api_responses_are_not_cached_and_carry_security_headers(doctor_api):
    response = doctor_api.get("/v1/me")

    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_errors_are_not_cached_either(raw):
    assert raw.get("/v1/me")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_rate_limit_headers_count_down(doctor_api):
    first = doctor_api.get("/v1/me")
    second = doctor_api.get("/v1/me")

    assert int(first["RateLimit-Limit"]) == 600
    assert int(second["RateLimit-Remaining"]) == int(first["RateLimit-Remaining"]) - 1
    assert 0 < int(second["RateLimit-Reset"]) <= 60


@pytest.mark.django_db
def test_cors_allows_only_listed_origins(raw, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://association.example"]

    allowed = raw.options(
        "/v1/meta", HTTP_ORIGIN="https://association.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    refused = raw.options(
        "/v1/meta", HTTP_ORIGIN="https://other.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert allowed["Access-Control-Allow-Origin"] == "https://association.example"
    assert "x-request-id" in allowed["Access-Control-Expose-Headers"] or "idempotency-key" in allowed.get(
        "Access-Control-Allow-Headers", ""
    )
    assert "Access-Control-Allow-Origin" not in refused
