"""Metrics requests are throttled per secret key."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from api.core.throttling import NotingThrottle


class MetricsKeyRateThrottle(NotingThrottle):
    scope = "metrics_key"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # The key's id, never the key itself, names the cache entry.
        ident = (
            str(request.user.pk)
            if request.user and request.user.is_authenticated
            else self.get_ident(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}
