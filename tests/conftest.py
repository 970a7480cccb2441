"""Fixtures shared by the whole suite, and the rules for tests that need real services.

A test marked `postgres` or `redis` runs when that service is what the suite is configured with
(DATABASE_URL, REDIS_URL). Otherwise it is skipped, unless KOLLEGA_REQUIRE_SERVICES is set (CI
sets it): then it fails, so a service that did not come up can never pass as a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from api.accounts.models import Role, User
from api.accounts.sessions import TokenPair, session_start
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, Region
from api.organisations.models import Organisation

PASSWORD = "a long and unusual passphrase"


def _required() -> bool:
    return os.environ.get("KOLLEGA_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = []
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("redis") and not _redis_reachable():
        missing.append("Redis (set REDIS_URL=redis://...)")
    if item.get_closest_marker("browser") and not (shutil.which("chromium") and shutil.which("chromedriver")):
        missing.append("Chromium and ChromeDriver (apt-get install chromium chromium-driver)")
    if missing:
        message = "needs " + " and ".join(missing)
        if _required():
            pytest.fail(f"{message}, and KOLLEGA_REQUIRE_SERVICES is set", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings: Any) -> Iterator[None]:
    # Argon2 is the production hasher (tested in test_passwords.py); tests sign in hundreds of
    # times, so they hash with MD5 unless a test asks otherwise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def throttle_rates(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Sets one rate for every throttle scope, for the test's duration."""

    def set_rates(rate: str) -> None:
        scopes = ("anon", "user", "auth", "public_key", "public_address", "metrics_key")
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(scopes, rate))

    return set_rates


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(name="Test Association", slug="test", country="NO")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: str = Role.DOCTOR, **fields: Any) -> User:
        number = next(counter)
        fields.setdefault("email", f"{role}{number}@example.org")
        fields.setdefault("alias", f"{role.title()} {number}")
        return User.objects.create_user(password=PASSWORD, role=role, **fields)

    return make


@pytest.fixture
def make_counsellor(
    make_user: Callable[..., User], organisation: Organisation
) -> Callable[..., CounsellorProfile]:
    """A counsellor (user and profile) in `organisation` unless told otherwise."""

    def make(
        *, languages: tuple[str, ...] = ("nb",), regions: tuple[Region, ...] = (), **fields: Any
    ) -> CounsellorProfile:
        org = fields.pop("organisation", organisation)
        user = make_user(Role.COUNSELLOR, organisation=org)
        fields.setdefault("display_name", user.alias)
        fields.setdefault("phone", True)
        fields.setdefault("min_notice", timedelta(0))
        profile = CounsellorProfile.objects.create(user=user, organisation=org, **fields)
        CounsellorLanguage.objects.bulk_create(
            CounsellorLanguage(counsellor=profile, code=c) for c in languages
        )
        profile.regions.set(regions)
        return profile

    return make


@pytest.fixture
def doctor(make_user: Callable[..., User]) -> User:
    return make_user(Role.DOCTOR)


@pytest.fixture
def tokens_for() -> Callable[[User], TokenPair]:
    return lambda user: session_start(user=user)


@pytest.fixture
def client_for(tokens_for: Callable[[User], TokenPair]) -> Callable[[User], APIClient]:
    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user).access}")
        return client

    return make


@pytest.fixture
def doctor_api(doctor: User, client_for: Callable[[User], APIClient]) -> APIClient:
    return client_for(doctor)
