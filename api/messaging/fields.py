"""Binary values in JSON: standard base64 (RFC 4648, with padding), of a checked length."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.core.errors import ErrorCode, Problem


@extend_schema_field({"type": "string", "format": "byte"})
class Base64BytesField(serializers.Field[bytes, str, str, Any]):
    """Bytes as base64; `length` exact, or `max_bytes` an upper bound answered with 413."""

    default_error_messages = {
        "invalid": "Must be standard base64 (RFC 4648, with padding).",
        "length": "Must decode to exactly {length} bytes.",
        "min_length": "Must decode to at least {min_bytes} bytes.",
    }

    def __init__(
        self, *, length: int | None = None, min_bytes: int = 1, max_bytes: int | None = None, **kwargs: Any
    ) -> None:
        self.length = length
        self.min_bytes = min_bytes
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> bytes:
        if not isinstance(data, str):
            self.fail("invalid")
        # Measured before decoding too, so that a huge string costs no decoding.
        if self.max_bytes is not None and len(data) > 4 * ((self.max_bytes + 2) // 3):
            self._too_large()
        try:
            value = base64.b64decode(data.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            self.fail("invalid")
        if self.max_bytes is not None and len(value) > self.max_bytes:
            self._too_large()
        if self.length is not None and len(value) != self.length:
            self.fail("length", length=self.length)
        if len(value) < self.min_bytes:
            self.fail("min_length", min_bytes=self.min_bytes)
        return value

    def _too_large(self) -> None:
        raise Problem(ErrorCode.PAYLOAD_TOO_LARGE, f"{self.field_name} is over {self.max_bytes} bytes.")

    def to_representation(self, value: bytes | memoryview) -> str:
        return base64.b64encode(bytes(value)).decode("ascii")
