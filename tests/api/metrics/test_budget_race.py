"""Concurrent noisy queries against PostgreSQL: the budget pays for exactly as many as it can."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client

from api.metrics.models import KeyPrivacy, PrivacySpend
from api.organisations.keys import key_hash
from api.organisations.models import ApiKey
from tests.helpers import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CONCURRENT = 10


def test_concurrent_queries_never_overspend_a_budget(make_key, throttle_rates):
    throttle_rates("100000/min")
    key = make_key()
    api_key = ApiKey.objects.get(key_hash=key_hash(key))
    KeyPrivacy.objects.create(api_key=api_key, differential_privacy=True, epsilon_per_query=1.0, budget=3.0)

    responses = run_concurrently(
        CONCURRENT, lambda _i: Client().get("/v1/metrics/bookings", HTTP_AUTHORIZATION=f"Bearer {key}")
    )

    assert Counter(r.status_code for r in responses) == {200: 3, 403: CONCURRENT - 3}
    assert PrivacySpend.objects.count() == 3
    assert KeyPrivacy.objects.get(pk=api_key.pk).spent == 3.0
