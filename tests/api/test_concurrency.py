"""Races, with real threads against PostgreSQL: exactly one winner, one effect."""

from __future__ import annotations

import uuid
from collections import Counter
from functools import partial

import pytest
from django.test import Client

from api.accounts.models import AuthSession, LoginThrottle
from api.accounts.sessions import session_start
from tests.conftest import PASSWORD
from tests.helpers import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CONCURRENT = 20


@pytest.fixture(autouse=True)
def _no_address_throttle(throttle_rates):
    # Every thread calls from 127.0.0.1; the per-address throttle is tested elsewhere.
    throttle_rates("100000/min")


def refresh_by_thread(token: str, _thread: int):
    return refresh(token)


def refresh(token: str):
    return Client().post("/v1/auth/token/refresh", {"refresh": token}, content_type="application/json")


def test_twenty_concurrent_refreshes_of_one_token_have_exactly_one_winner_twenty_rounds_in_a_row(doctor):
    token = session_start(user=doctor).refresh

    for round_number in range(20):
        responses = run_concurrently(CONCURRENT, partial(refresh_by_thread, token))

        statuses = Counter(r.status_code for r in responses)
        assert statuses == {200: 1, 409: CONCURRENT - 1}, (round_number, statuses)
        assert {r.json()["code"] for r in responses if r.status_code == 409} == {"token_already_rotated"}
        token = next(r.json()["refresh"] for r in responses if r.status_code == 200)

    assert refresh(token).status_code == 200
    assert AuthSession.objects.get().ended_at is None


def test_with_no_grace_the_losers_of_a_race_end_the_session_but_still_only_one_wins(doctor, settings):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    token = session_start(user=doctor).refresh

    responses = run_concurrently(CONCURRENT, lambda _i: refresh(token))

    statuses = Counter(r.status_code for r in responses)
    assert statuses[200] == 1
    assert statuses[401] == CONCURRENT - 1


def test_twenty_concurrent_posts_with_one_idempotency_key_have_one_effect(doctor):
    key = str(uuid.uuid4())
    body = {"email": doctor.email, "password": PASSWORD}

    def sign_in(_index: int):
        return Client().post(
            "/v1/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    responses = run_concurrently(CONCURRENT, sign_in)

    assert AuthSession.objects.count() == 1
    originals = [r for r in responses if r.status_code == 200 and "Idempotent-Replayed" not in r]
    replays = [r for r in responses if r.status_code == 200 and "Idempotent-Replayed" in r]
    in_flight = [r for r in responses if r.status_code == 409]
    assert len(originals) == 1
    assert len(replays) + len(in_flight) == CONCURRENT - 1
    assert {r.json()["session_id"] for r in replays} <= {originals[0].json()["session_id"]}
    assert {r.json()["code"] for r in in_flight} <= {"idempotency_in_flight"}


def test_concurrent_failed_sign_ins_are_all_counted_and_lock_the_account(doctor):
    def fail(index: int):
        return Client(REMOTE_ADDR=f"203.0.113.{index}").post(
            "/v1/auth/token",
            {"email": doctor.email, "password": "wrong password here"},
            content_type="application/json",
        )

    responses = run_concurrently(CONCURRENT, fail)

    statuses = Counter(r.status_code for r in responses)
    assert statuses[401] + statuses[429] == CONCURRENT
    assert statuses[401] >= 5
    assert LoginThrottle.objects.get().failures == statuses[401]
    locked = Client().post(
        "/v1/auth/token", {"email": doctor.email, "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429
