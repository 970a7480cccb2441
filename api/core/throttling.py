"""Throttles that also note the caller's budget, for the RateLimit-* response headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework import throttling
from rest_framework.request import Request


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int


class NotingThrottle(throttling.SimpleRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        allowed = super().allow_request(request, view)
        # DRF sets these per instance from the rate (its stubs do not declare them).
        limit, duration = getattr(self, "num_requests", None), getattr(self, "duration", None)
        if self.key is not None and limit is not None and duration is not None:
            self._note(request, limit=int(limit), duration=int(duration))
        return allowed

    def _note(self, request: Request, *, limit: int, duration: int) -> None:
        # After a success the history already holds this request; after a refusal it is full.
        remaining = max(0, limit - len(self.history))
        reset = int(duration - (self.now - self.history[-1])) if self.history else duration
        noted = RateLimit(limit=limit, remaining=remaining, reset=max(0, reset))
        current = getattr(request._request, "rate_limit", None)
        # With several throttles the headers show the tightest one.
        if current is None or noted.remaining < current.remaining:
            request._request.rate_limit = noted  # type: ignore[attr-defined]


class AnonRateThrottle(NotingThrottle, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(NotingThrottle, throttling.UserRateThrottle):
    pass


class AuthRateThrottle(NotingThrottle, throttling.SimpleRateThrottle):
    """Per client address on the sign-in endpoints, whoever the caller claims to be."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
