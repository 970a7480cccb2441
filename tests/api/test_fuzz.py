"""Fuzzes every operation of the committed spec in-process (schemathesis).

No 5xx, every response conforms to the spec (status, content type, headers, body), and an
operation that declares authentication refuses a request without it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.accounts.models import User
from api.accounts.sessions import session_start

schema = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "openapi" / "kollega.yaml")
schema.app = get_wsgi_application()
# The API ignores query parameters it does not know (docs/conventions.md), so an unexpected one is
# not invalid input. NUL bytes stay in: the API must refuse them cleanly.
schema.config.generation.update(allow_extra_parameters=False)

# Schema-valid input that the server rightly refuses all the same (a common password, a key
# reused with another body) cannot be told apart by this heuristic; every other check runs.
EXCLUDED_CHECKS = [positive_data_acceptance]


@pytest.fixture
def fuzz_db(db: None, settings: Any) -> Iterator[None]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' in-process host
    # As Django's test client does: a request must not close the connection holding the test's
    # transaction (schemathesis calls the WSGI application directly).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fresh_token() -> str:
    """A new user per case, so that no case meets another's Idempotency-Key or lockout."""
    user = User.objects.create_user(
        email=f"fuzz-{uuid.uuid4().hex}@example.org", password="a long and unusual passphrase", alias="Fuzz"
    )
    return session_start(user=user).access


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_conforms_to_its_spec(case, fuzz_db):
    cache.clear()  # the throttles would otherwise end the run early with 429s
    headers = {"Authorization": f"Bearer {fresh_token()}"}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)
