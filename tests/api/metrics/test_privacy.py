"""Differential-privacy mode: opted in per key by coordinators, noise from OpenDP, a spent budget."""

from __future__ import annotations

import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.accounts.models import Role
from api.metrics import selectors
from api.metrics.models import KeyPrivacy, PrivacySpend
from api.metrics.noise import noisy_counts
from api.organisations.keys import api_key_create, key_hash
from api.organisations.models import ApiKey, ApiKeyKind, Organisation
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

URL = "/v1/metrics/bookings"
RANGE = {"start": "2026-01", "end": "2026-02"}
OPT_IN = {"differential_privacy": True, "epsilon_per_query": 0.5, "budget": 1.2}


def privacy_url(organisation, api_key):
    return f"/v1/organisations/{organisation.pk}/api-keys/{api_key.pk}/privacy"


@pytest.fixture
def coordinator_api(coordinator, client_for):
    return client_for(coordinator)


@pytest.fixture
def secret(make_key):
    key = make_key()
    return key, ApiKey.objects.get(key_hash=key_hash(key))


def test_a_key_starts_without_differential_privacy(coordinator_api, organisation, secret):
    body = coordinator_api.get(privacy_url(organisation, secret[1])).json()

    assert body == {
        "differential_privacy": False,
        "epsilon_per_query": 0.5,
        "budget": 5.0,
        "spent": 0.0,
        "remaining": 5.0,
    }


def test_coordinators_opt_a_key_in(coordinator_api, organisation, secret):
    response = coordinator_api.put(privacy_url(organisation, secret[1]), OPT_IN, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == OPT_IN | {"spent": 0.0, "remaining": 1.2}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (OPT_IN | {"epsilon_per_query": 0}, "epsilon_per_query"),
        (OPT_IN | {"budget": -1}, "budget"),
        (OPT_IN | {"differential_privacy": "yes"}, "differential_privacy"),
        ({"budget": 3}, "differential_privacy"),
    ],
)
def test_bad_settings_are_refused(coordinator_api, organisation, secret, body, field):
    response = coordinator_api.put(privacy_url(organisation, secret[1]), body, format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert field in [error["field"] for error in problem["errors"]]


def test_only_the_organisations_coordinators_see_a_keys_privacy(make_user, client_for, organisation, secret):
    other = Organisation.objects.create(name="Other", slug="other", country="SE")
    url = privacy_url(organisation, secret[1])

    for user in (
        make_user(Role.COORDINATOR, organisation=other),
        make_user(Role.DOCTOR),
        make_user(Role.COUNSELLOR, organisation=organisation),
    ):
        assert_problem(client_for(user).get(url), 404, "not_found")
        assert_problem(client_for(user).put(url, OPT_IN, format="json"), 404, "not_found")
    assert client_for(make_user(Role.STAFF)).get(url).status_code == 200


def test_publishable_keys_have_no_privacy_settings(coordinator_api, organisation, coordinator):
    made = api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.PUBLISHABLE,
        name="Site",
        created_by=coordinator,
        allowed_origins=["https://example.org"],
    )

    assert_problem(coordinator_api.get(privacy_url(organisation, made.api_key)), 404, "not_found")


def test_each_noisy_query_spends_epsilon_until_the_budget_is_spent(
    coordinator_api, organisation, secret, key_api, make_counsellor, book, refresh
):
    key, api_key = secret
    coordinator_api.put(privacy_url(organisation, api_key), OPT_IN, format="json")
    counsellor = make_counsellor()
    for _ in range(6):
        book(counsellor, "2026-01")
    refresh()
    client = key_api(key)

    first = client.get(URL, RANGE).json()
    second = client.get(URL, RANGE).json()
    refused = client.get(URL, RANGE)

    assert first["protection"] == {
        "method": "differential_privacy",
        "threshold": None,
        "epsilon": 0.5,
        "contribution_bound": 3,
        "budget_remaining": 0.7,
    }
    assert second["protection"]["budget_remaining"] == pytest.approx(0.2)
    assert all(not e["suppressed"] and e["value"] >= 0 for e in first["entries"])
    assert_problem(refused, 403, "privacy_budget_exhausted")
    assert [(s.metric, s.epsilon) for s in PrivacySpend.objects.all()] == [
        ("bookings", 0.5),
        ("bookings", 0.5),
    ]
    assert KeyPrivacy.objects.get(pk=api_key.pk).spent == pytest.approx(1.0)
    # Raising the budget lets the key ask again; what was spent stays spent.
    raised = coordinator_api.put(privacy_url(organisation, api_key), OPT_IN | {"budget": 2.0}, format="json")
    assert raised.json()["remaining"] == pytest.approx(1.0)
    assert client.get(URL, RANGE).status_code == 200


def test_metrics_that_are_not_counts_keep_suppression_and_spend_nothing(
    coordinator_api, organisation, secret, key_api
):
    key, api_key = secret
    coordinator_api.put(privacy_url(organisation, api_key), OPT_IN, format="json")

    body = key_api(key).get("/v1/metrics/waiting-time", RANGE).json()

    assert body["protection"]["method"] == "suppression"
    assert not PrivacySpend.objects.exists()


def test_noise_goes_on_the_cells_and_totals_are_their_sums_with_each_doctor_bounded(
    coordinator_api, organisation, secret, key_api, make_counsellor, book, refresh, make_user, monkeypatch
):
    key, api_key = secret
    coordinator_api.put(privacy_url(organisation, api_key), OPT_IN, format="json")
    counsellor = make_counsellor()
    frequent = make_user()
    for month in ("2026-01", "2026-01", "2026-02", "2026-02", "2026-02"):
        book(counsellor, month, doctor=frequent)  # counts 3 times at most
    book(counsellor, "2026-02")
    refresh()
    calls = []

    def add_ten(counts, *, epsilon, contribution_bound):
        calls.append((list(counts), epsilon, contribution_bound))
        return [count + 10 for count in counts]

    monkeypatch.setattr(selectors, "noisy_counts", add_ten)

    body = key_api(key).get(URL, RANGE | {"group_by": "month"}).json()

    assert calls == [([2, 2], 0.5, 3)]  # January 2; February the frequent doctor's third, and one
    assert [(e["kind"], e["value"]) for e in body["entries"]] == [("cell", 12), ("cell", 12), ("total", 24)]


def test_noise_comes_from_opendp_calibrated_to_epsilon():
    true = [50] * 400

    loose = noisy_counts(true, epsilon=10.0, contribution_bound=1)
    tight = noisy_counts(true, epsilon=0.1, contribution_bound=1)

    # Discrete Laplace with scale bound / epsilon: the spread grows as epsilon shrinks.
    assert statistics.pstdev(loose) < 1
    assert 5 < statistics.pstdev(tight) < 30
    assert all(value >= 0 for value in tight)
    assert noisy_counts([], epsilon=1.0, contribution_bound=1) == []


def test_a_key_of_one_organisation_cannot_be_configured_through_another(
    make_user, client_for, organisation, secret
):
    other = Organisation.objects.create(name="Other", slug="other", country="SE")
    their_coordinator = client_for(make_user(Role.COORDINATOR, organisation=other))

    response = their_coordinator.put(privacy_url(other, secret[1]), OPT_IN, format="json")

    assert_problem(response, 404, "not_found")
    assert not KeyPrivacy.objects.exists()


def test_reading_a_keys_privacy_costs_four_queries(coordinator_api, organisation, secret):
    url = privacy_url(organisation, secret[1])
    coordinator_api.put(url, OPT_IN, format="json")

    # session and user, the organisation, the key, its privacy settings
    with CaptureQueriesContext(connection) as captured:
        assert coordinator_api.get(url).status_code == 200

    assert len(captured) == 4
