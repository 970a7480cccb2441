from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.models import LoginThrottle
from tests.conftest import PASSWORD
from tests.helpers import assert_problem

WRONG = "not the password at all"


def attempt(email: str, password: str, address: str = "198.51.100.7", forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post("/v1/auth/token", {"email": email, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _generous_address_throttle(throttle_rates):
    # These tests are about the per-account lockout, so the per-address throttle stays out of it.
    throttle_rates("1000/min")


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(doctor):
    for _ in range(5):
        assert_problem(attempt(doctor.email, WRONG), 401, "invalid_credentials")

    locked = attempt(doctor.email, PASSWORD)

    assert_problem(locked, 429, "login_locked")
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60


@pytest.mark.django_db
def test_four_failures_then_success_clears_the_count(doctor):
    for _ in range(4):
        attempt(doctor.email, WRONG)

    assert attempt(doctor.email, PASSWORD).status_code == 200
    for _ in range(4):
        attempt(doctor.email, WRONG)
    assert attempt(doctor.email, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_rotating_addresses_and_forwarded_for_does_not_bypass_the_lockout(doctor):
    for index in range(5):
        attempt(doctor.email, WRONG, address=f"203.0.113.{index}", forwarded=f"192.0.2.{index}")

    response = attempt(doctor.email, PASSWORD, address="203.0.113.99", forwarded="192.0.2.99")

    assert_problem(response, 429, "login_locked")


@pytest.mark.django_db
def test_the_lock_lifts_after_fifteen_minutes(doctor):
    for _ in range(5):
        attempt(doctor.email, WRONG)
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))

    assert attempt(doctor.email, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_failures_spread_beyond_the_window_do_not_lock(doctor):
    for _ in range(4):
        attempt(doctor.email, WRONG)
    LoginThrottle.objects.update(window_started_at=timezone.now() - timedelta(minutes=16))

    attempt(doctor.email, WRONG)

    assert attempt(doctor.email, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_unknown_emails_lock_alike_so_a_lock_reveals_nothing():
    for _ in range(5):
        attempt("nobody@example.org", WRONG)

    assert_problem(attempt("nobody@example.org", WRONG), 429, "login_locked")


@pytest.mark.django_db
def test_the_lock_is_per_account(doctor, make_user):
    other = make_user()
    for _ in range(5):
        attempt(doctor.email, WRONG)

    assert attempt(other.email, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_wrong_current_passwords_on_password_change_count_toward_the_lockout(doctor, doctor_api):
    body = {"current_password": WRONG, "new_password": "an entirely new passphrase"}
    for _ in range(5):
        assert doctor_api.post("/v1/me/password", body).status_code == 400

    right = {"current_password": PASSWORD, "new_password": "an entirely new passphrase"}
    assert_problem(doctor_api.post("/v1/me/password", right), 429, "login_locked")
    assert_problem(attempt(doctor.email, PASSWORD), 429, "login_locked")


@pytest.mark.django_db
def test_no_email_is_stored_in_the_lockout_table(doctor):
    attempt(doctor.email, WRONG)

    (row,) = LoginThrottle.objects.all()
    assert doctor.email not in row.key
    assert len(row.key) == 64
