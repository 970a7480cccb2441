"""Secret organisation keys as bearer tokens, for the metrics endpoints only.

User tokens are not accepted there: metrics are for an organisation's scripts, and a script's key
can be scoped, revoked and given a privacy budget without touching anyone's account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.core.errors import ErrorCode, Problem
from api.organisations.keys import api_key_authenticate, api_key_record_use
from api.organisations.models import ApiKey, ApiKeyKind

METRICS_SCOPE = "metrics:read"


@dataclass(frozen=True)
class KeyClient:
    """The caller behind a secret key, as `request.user`: an organisation's script, not a person."""

    api_key: ApiKey
    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> uuid.UUID:
        return self.api_key.pk


class SecretKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer sk_...`: a live secret key, else 401 `api_key_invalid`."""

    def authenticate(self, request: Request) -> tuple[KeyClient, ApiKey] | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, credential = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Problem(ErrorCode.API_KEY_INVALID, "Send a secret key as `Authorization: Bearer sk_...`.")
        api_key = api_key_authenticate(key=credential.strip(), kind=ApiKeyKind.SECRET)
        api_key_record_use(api_key=api_key)
        return KeyClient(api_key=api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="kollega-metrics"'


class HasMetricsScope(BasePermission):
    """A key without the `metrics:read` scope is known but not allowed: 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            return False
        if METRICS_SCOPE not in api_key.scopes:
            raise Problem(ErrorCode.PERMISSION_DENIED, f"This key lacks the {METRICS_SCOPE} scope.")
        return True


def key_of(request: Request) -> ApiKey:
    api_key = request.auth
    assert isinstance(api_key, ApiKey)  # noqa: S101 (HasMetricsScope let the request in)
    return api_key
