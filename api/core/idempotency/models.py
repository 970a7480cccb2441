from __future__ import annotations

import uuid

from django.db import models


class IdempotencyRecord(models.Model):
    """One Idempotency-Key of one caller, and the response its first request got.

    Neither the key nor the caller is stored: `lookup` is a hash of both, and the response body is
    encrypted with a key derived from them (api/core/idempotency/crypto.py), so a database dump
    cannot read stored responses, some of which hold tokens.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight"
        COMPLETE = "complete"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lookup = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_FLIGHT)
    locked_at = models.DateTimeField()
    created_at = models.DateTimeField(db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict)
    sealed_body = models.BinaryField(default=b"")

    class Meta:
        db_table = "core_idempotency_record"

    def __str__(self) -> str:
        return f"idempotency record {self.id}"
