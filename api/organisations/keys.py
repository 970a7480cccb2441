"""Organisation API keys: made, shown once, stored as a hash, looked up by hash, revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from api.accounts.models import User
from api.core.errors import ErrorCode, Problem
from api.organisations.models import ApiKey, ApiKeyKind, Organisation

PREFIXES = {ApiKeyKind.PUBLISHABLE: "pk_", ApiKeyKind.SECRET: "sk_"}
# What a secret key may be allowed to do; publishable keys have no scopes.
SCOPES = ("metrics:read",)
SHOWN_PREFIX = 12


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    key: str


def key_hash(key: str) -> str:
    # Keys are long random strings, so a plain SHA-256 is enough to make a stolen table useless.
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(
    *,
    organisation: Organisation,
    kind: ApiKeyKind,
    name: str,
    created_by: User,
    allowed_origins: list[str] | None = None,
    scopes: list[str] | None = None,
) -> NewKey:
    """Makes a key; the returned `key` is the only time anyone sees it."""
    key = PREFIXES[kind] + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        organisation=organisation,
        kind=kind,
        name=name,
        prefix=key[:SHOWN_PREFIX],
        key_hash=key_hash(key),
        allowed_origins=allowed_origins or [],
        scopes=scopes or [],
        created_by=created_by,
    )
    return NewKey(api_key=api_key, key=key)


def api_key_revoke(*, api_key: ApiKey, now: datetime | None = None) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(revoked_at=now or timezone.now())


def api_key_authenticate(*, key: str, kind: ApiKeyKind) -> ApiKey:
    """The live key of this kind, or a 401 problem: unknown, revoked and wrong kind alike."""
    found = (
        ApiKey.objects.select_related("organisation")
        .filter(key_hash=key_hash(key), kind=kind, revoked_at=None)
        .first()
        if key.startswith(PREFIXES[kind])
        else None
    )
    if found is None:
        raise Problem(ErrorCode.API_KEY_INVALID)
    return found


# Recording every use would write on every request; once a minute is enough to tell live keys.
LAST_USE_GRAIN = timedelta(minutes=1)


def api_key_record_use(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Notes that the key was used, at most once a minute (no query at all in between)."""
    now = now or timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USE_GRAIN:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at=None) | Q(last_used_at__lt=now - LAST_USE_GRAIN)
    ).update(last_used_at=now)
    api_key.last_used_at = now
