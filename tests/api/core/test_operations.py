from __future__ import annotations

import zoneinfo

import pytest
import tzdata
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.celery import app
from tests.helpers import assert_problem


@pytest.fixture
def raw() -> Client:
    return Client()


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(raw, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = raw.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_broker(raw):
    with CaptureQueriesContext(connection) as queries:
        response = raw.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}
    assert len(queries) == 1  # SELECT 1


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(raw, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = raw.get("/readyz")

    body = assert_problem(response, 503, "service_unavailable")
    assert body["checks"] == {"database": "ok", "broker": "failing"}
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_meta_names_the_api_and_time_zone_database_versions(raw, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = raw.get("/v1/meta")

    body = response.json()
    assert body["api_version"] == "1.0.0"
    assert body["tz_database_version"] == tzdata.IANA_VERSION
    assert body["server_time"].endswith("Z")


def test_time_zones_come_from_the_pinned_tzdata_package():
    assert zoneinfo.TZPATH == ()
    assert zoneinfo.ZoneInfo("Europe/Oslo").key == "Europe/Oslo"


@pytest.mark.django_db
def test_interactive_docs_are_served_with_local_assets(raw):
    page = raw.get("/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body", 1)[1].split("url:", 1)[0].lower() or "cdn" not in html
    asset = raw.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.mark.django_db
def test_the_schema_is_served(raw):
    response = raw.get("/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kollega API"


@pytest.mark.redis
@pytest.mark.django_db
def test_with_redis_configured_it_is_the_broker_and_the_cache_and_readyz_pings_it(raw, settings):
    assert app.conf.broker_url.startswith("redis://")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    cache.set("kollega-test-key", "value", 5)
    assert cache.get("kollega-test-key") == "value"
    assert raw.get("/readyz").json()["checks"]["broker"] == "ok"
