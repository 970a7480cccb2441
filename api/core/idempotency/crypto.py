"""Keys for idempotency records, derived from the caller's key and never stored."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from nacl.secret import SecretBox


def _server_key(purpose: str) -> bytes:
    return hashlib.sha256(f"idempotency-{purpose}\n{settings.SECRET_KEY}".encode()).digest()


def lookup_for(scope: str, key: str) -> str:
    """The record's name. Keyed by the server secret too, so after SECRET_KEY is rotated old
    records, which could no longer be decrypted, are simply not found (and purged within 24 h)."""
    return hmac.new(_server_key("lookup"), f"{scope}\n{key}".encode(), hashlib.sha256).hexdigest()


def _box(scope: str, key: str) -> SecretBox:
    server_key = _server_key("seal")
    derived = hashlib.blake2b(
        f"{scope}\n{key}".encode(), key=server_key, person=b"kollega-idem", digest_size=SecretBox.KEY_SIZE
    ).digest()
    return SecretBox(derived)


def seal(scope: str, key: str, body: bytes) -> bytes:
    return bytes(_box(scope, key).encrypt(body))


def unseal(scope: str, key: str, sealed: bytes) -> bytes:
    return bytes(_box(scope, key).decrypt(sealed))
