"""Public endpoints are throttled twice: per publishable key and per client address."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request

from api.core.throttling import NotingThrottle


class PublicKeyRateThrottle(NotingThrottle):
    scope = "public_key"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # The key itself never goes into the cache's key names.
        key = request.query_params.get("key", "")
        ident = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PublicAddressRateThrottle(NotingThrottle):
    scope = "public_address"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
