"""Claiming, completing and purging idempotency records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from api.core.errors import ErrorCode, Problem
from api.core.idempotency.crypto import lookup_for, seal, unseal
from api.core.idempotency.models import IdempotencyRecord

# Headers worth repeating on a replay; the rest are recomputed per response.
_KEPT_HEADERS = ("Location", "ETag", "Retry-After")


@dataclass(frozen=True)
class Claim:
    record: IdempotencyRecord
    scope: str
    key: str
    replay: bool


def request_fingerprint(*, method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def idempotency_claim(*, scope: str, key: str, fingerprint: str) -> Claim:
    """Takes the key for this request, or says its first response is to be replayed.

    Raises 409 while another request holds the key and 422 when the key came with another request.
    The claim is committed at once, so that concurrent duplicates see it.
    """
    lookup = lookup_for(scope, key)
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    lookup=lookup, fingerprint=fingerprint, locked_at=now, created_at=now
                )
            return Claim(record=record, scope=scope, key=key, replay=False)
        except IntegrityError:
            pass
        record_or_none = IdempotencyRecord.objects.filter(lookup=lookup).first()
        if record_or_none is None:
            continue  # released between our insert and our read: try again
        record = record_or_none
        if record.created_at < now - settings.IDEMPOTENCY_TTL:
            if _take_over(record, fingerprint=fingerprint, now=now, reset=True):
                return Claim(record=record, scope=scope, key=key, replay=False)
            continue
        if record.fingerprint != fingerprint:
            raise Problem(ErrorCode.IDEMPOTENCY_KEY_REUSED)
        if record.state == IdempotencyRecord.State.COMPLETE:
            return Claim(record=record, scope=scope, key=key, replay=True)
        # A request that held the key past the lock timeout died; one retry (compare-and-swap)
        # takes the key over.
        stale = record.locked_at < now - settings.IDEMPOTENCY_LOCK_TIMEOUT
        if stale and _take_over(record, fingerprint=fingerprint, now=now, reset=False):
            return Claim(record=record, scope=scope, key=key, replay=False)
        raise Problem(ErrorCode.IDEMPOTENCY_IN_FLIGHT, headers={"Retry-After": "1"})
    raise Problem(ErrorCode.IDEMPOTENCY_IN_FLIGHT, headers={"Retry-After": "1"})


def _take_over(record: IdempotencyRecord, *, fingerprint: str, now: object, reset: bool) -> bool:
    fields: dict[str, object] = {"locked_at": now, "fingerprint": fingerprint}
    if reset:
        fields |= {"created_at": now, "state": IdempotencyRecord.State.IN_FLIGHT, "status_code": None}
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, locked_at=record.locked_at, created_at=record.created_at
    ).update(**fields)
    return taken == 1


def idempotency_complete(*, claim: Claim, response: HttpResponse) -> None:
    """Stores the response for replays; a server error releases the key so a retry runs again."""
    status = response.status_code
    if status >= 500 or status in (401, 429) or response.streaming:
        idempotency_release(claim=claim)
        return
    IdempotencyRecord.objects.filter(pk=claim.record.pk).update(
        state=IdempotencyRecord.State.COMPLETE,
        status_code=status,
        content_type=response.get("Content-Type", ""),
        headers={name: response[name] for name in _KEPT_HEADERS if name in response},
        sealed_body=seal(claim.scope, claim.key, response.content),
    )


def idempotency_release(*, claim: Claim) -> None:
    IdempotencyRecord.objects.filter(pk=claim.record.pk, state=IdempotencyRecord.State.IN_FLIGHT).delete()


def idempotency_replay(*, claim: Claim) -> HttpResponse:
    record = claim.record
    response = HttpResponse(
        unseal(claim.scope, claim.key, bytes(record.sealed_body)),
        status=record.status_code or 200,
        content_type=record.content_type or None,
    )
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotency_records_purge() -> int:
    """Deletes records past their time to live; returns how many."""
    cutoff = timezone.now() - settings.IDEMPOTENCY_TTL
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
