"""Keys for idempotency records, derived from the caller's key and never stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from nacl.secret import SecretBox


def lookup_for(scope: str, key: str) -> str:
    return hashlib.sha256(f"lookup\n{scope}\n{key}".encode()).hexdigest()


def _box(scope: str, key: str) -> SecretBox:
    server_key = hashlib.sha256(f"idempotency\n{settings.SECRET_KEY}".encode()).digest()
    derived = hashlib.blake2b(
        f"{scope}\n{key}".encode(), key=server_key, person=b"kollega-idem", digest_size=SecretBox.KEY_SIZE
    ).digest()
    return SecretBox(derived)


def seal(scope: str, key: str, body: bytes) -> bytes:
    return bytes(_box(scope, key).encrypt(body))


def unseal(scope: str, key: str, sealed: bytes) -> bytes:
    return bytes(_box(scope, key).decrypt(sealed))
