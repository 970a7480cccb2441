"""Locks an account's sign-in after repeated failures, whatever address the attempts come from."""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.accounts.models import LoginThrottle
from api.core.errors import ErrorCode, Problem


def _key(email: str) -> str:
    secret = hashlib.sha256(f"login-throttle\n{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()


def login_lockout_check(*, email: str) -> None:
    """Raises 429 `login_locked`, with Retry-After, while the account is locked."""
    now = timezone.now()
    locked_until = (
        LoginThrottle.objects.filter(key=_key(email), locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - now).total_seconds()))
        raise Problem(ErrorCode.LOGIN_LOCKED, headers={"Retry-After": str(seconds)})


def login_failure_record(*, email: str) -> None:
    """Counts a failed sign-in; the LOGIN_LOCKOUT_FAILURES-th within the window locks the account."""
    key = _key(email)
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                throttle = LoginThrottle.objects.select_for_update().filter(key=key).first()
                if throttle is None:
                    throttle = LoginThrottle.objects.create(key=key, failures=0, window_started_at=now)
                if throttle.window_started_at <= now - window:
                    throttle.failures, throttle.window_started_at, throttle.locked_until = 0, now, None
                throttle.failures += 1
                if throttle.failures >= settings.LOGIN_LOCKOUT_FAILURES:
                    throttle.locked_until = now + window
                throttle.save()
            return
        except IntegrityError:
            continue  # another attempt created the row first: count on it


def login_failures_clear(*, email: str) -> None:
    LoginThrottle.objects.filter(key=_key(email)).delete()
