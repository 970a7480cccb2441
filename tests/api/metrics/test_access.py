"""Who may read metrics: live secret keys with the scope, each for its own organisation only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.models import Role
from api.metrics.definitions import METRICS
from api.organisations.keys import api_key_create, api_key_revoke, key_hash
from api.organisations.models import ApiKey, ApiKeyKind, Organisation
from tests.api.metrics.conftest import entry
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

URL = "/v1/metrics/bookings"
RANGE = {"start": "2026-01", "end": "2026-01", "group_by": ""}


@pytest.fixture
def other_organisation():
    return Organisation.objects.create(name="Other", slug="other", country="SE")


@pytest.fixture
def five_bookings(make_counsellor, book, refresh):
    counsellor = make_counsellor()
    for _ in range(5):
        book(counsellor, "2026-01")
    refresh()


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_answers_a_key_with_the_scope(key_api, metric):
    response = key_api().get(f"/v1/metrics/{metric}")

    assert response.status_code == 200, response.content
    assert response.json()["metric"] == metric


def test_a_key_sees_its_own_organisation_only(key_api, make_key, other_organisation, five_bookings):
    own = key_api().get(URL, RANGE).json()
    other_key = make_key(organisation=other_organisation)
    other = key_api(other_key).get(URL, RANGE).json()

    assert entry(own, "total")["value"] == 5
    assert entry(other, "total") == {"kind": "total", "value": None, "suppressed": True}


def test_a_revoked_key_is_refused(make_key, key_api):
    key = make_key()
    api_key_revoke(api_key=ApiKey.objects.get(key_hash=key_hash(key)))

    assert_problem(key_api(key).get(URL), 401, "api_key_invalid")


def test_a_publishable_key_is_refused(key_api, organisation, coordinator):
    made = api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.PUBLISHABLE,
        name="Site",
        created_by=coordinator,
        allowed_origins=["https://example.org"],
    )

    assert_problem(key_api(made.key).get(URL), 401, "api_key_invalid")


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COORDINATOR, Role.STAFF])
def test_user_tokens_are_refused(make_user, client_for, organisation, role):
    response = client_for(make_user(role, organisation=organisation)).get(URL)

    assert_problem(response, 401, "api_key_invalid")


def test_no_credentials_is_401_with_the_scheme(api):
    response = api.get(URL)

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer sk_unknown", "Token sk_x"])
def test_malformed_or_unknown_keys_are_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert_problem(client.get(URL), 401, "api_key_invalid")


def test_a_key_without_the_scope_is_403(make_key, key_api):
    key = make_key(scopes=())

    assert_problem(key_api(key).get(URL), 403, "permission_denied")


def test_use_is_recorded_at_most_once_a_minute(make_key, key_api):
    key = make_key()
    api_key = ApiKey.objects.get(key_hash=key_hash(key))
    assert api_key.last_used_at is None

    key_api(key).get(URL)
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    key_api(key).get(URL)
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first

    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    key_api(key).get(URL)
    latest = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None
    assert latest is not None
    assert latest > first


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "month,Region"}, "group_by"),
        ({"start": "2026-13"}, "start"),
        ({"end": "26-01"}, "end"),
        ({"start": ""}, "start"),
        ({"start": "2026-05", "end": "2026-04"}, "start"),
        ({"start": "2020-01", "end": "2026-01"}, "end"),
    ],
)
def test_bad_input_is_a_validation_problem(key_api, query, field):
    body = assert_problem(key_api().get(URL, query), 400, "validation_error")

    assert [error["field"] for error in body["errors"]] == [field]


def test_a_grouping_another_metric_allows_is_refused(key_api):
    body = assert_problem(
        key_api().get("/v1/metrics/wellbeing", {"group_by": "region"}), 400, "validation_error"
    )

    assert body["errors"][0]["code"] == "invalid_choice"


def test_an_unknown_metric_is_404(key_api):
    assert_problem(key_api().get("/v1/metrics/salaries"), 404, "not_found")


def test_an_unacceptable_media_type_is_406(key_api):
    assert_problem(key_api().get(URL, HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


def _queries(client, url, query):
    client.get(url, query)  # the first use of a key records it; measure the steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("metric", "group_by", "expected"),
    [
        # key, its privacy mode (count metrics), rollup time, regions when grouped by region,
        # then one query per level of the table
        ("bookings", "month,region", 1 + 1 + 1 + 1 + 4),
        ("bookings", "", 1 + 1 + 1 + 1),
        ("help-seeking", "month", 1 + 1 + 1 + 4),
        ("cancellations", "region", 1 + 1 + 1 + 1 + 2),
        # plus the histogram of days waited
        ("waiting-time", "month,region", 1 + 1 + 1 + 4 + 1),  # no privacy mode: not counts
        # plus the means per row
        ("wellbeing", "", 1 + 1 + 4 + 1),
        ("followup-response", "month", 1 + 1 + 4),
    ],
)
def test_reads_cost_a_fixed_number_of_queries(
    key_api, make_counsellor, book, followup, score, refresh, regions, metric, group_by, expected
):
    client = key_api()
    query = {"start": "2026-01", "end": "2026-03", "group_by": group_by}
    url = f"/v1/metrics/{metric}"
    counsellor = make_counsellor(regions=(regions["oslo"],))
    book(counsellor, "2026-01")
    refresh()
    few = _queries(client, url, query)
    for month in ("2026-01", "2026-02", "2026-03"):
        for _ in range(4):
            book(counsellor, month)
            followup(month, offset_days=10, answered=True)
    refresh()

    assert few == expected
    assert _queries(client, url, query) == expected


def test_format_in_the_query_chooses_csv_and_an_unknown_one_is_400(key_api):
    client = key_api()

    assert client.get(URL, {"format": "csv"})["Content-Type"] == "text/csv; charset=utf-8"
    body = assert_problem(client.get(URL, {"format": "xml"}), 400, "validation_error")
    assert body["errors"][0]["field"] == "format"


def test_requests_are_throttled_per_key(key_api, make_key, throttle_rates):
    throttle_rates("2/min")
    client = key_api()

    assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
    assert_problem(client.get(URL), 429, "rate_limited")
    assert key_api(make_key()).get(URL).status_code == 200  # another key has its own allowance


def test_errors_are_problem_json_even_when_csv_was_asked_for(key_api, api):
    assert_problem(
        key_api().get(URL, {"group_by": "colour"}, HTTP_ACCEPT="text/csv"), 400, "validation_error"
    )
    assert_problem(api.get(URL, HTTP_ACCEPT="text/csv"), 401, "not_authenticated")
