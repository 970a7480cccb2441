"""Reads for sync: the caller's changes since a cursor, each with the object as the caller sees it.

A page costs a fixed number of queries whatever the log's size: one for the changes (an index
range on user and version), then one batch per kind of object on the page, read through the same
selectors as the API's own endpoints, so a pull never shows more than a GET would. An object the
caller can no longer see (deleted, expired, withdrawn) comes as a tombstone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils import timezone
from rest_framework import serializers

from api.accounts.models import User
from api.bookings.selectors import booking_list, view_of
from api.bookings.serializers import BookingOutputSerializer
from api.core.errors import ErrorCode, Problem
from api.counsellors.selectors import attach_counsellor_summaries
from api.followups.selectors import followups_of
from api.followups.serializers import followup_representation
from api.messaging.models import Message
from api.messaging.selectors import threads_of
from api.messaging.serializers import ThreadOutputSerializer
from api.sync.models import Change, ChangeKind, ChangeOp, SyncMutation

_SALT = "kollega.sync.cursor"
_TIMESTAMP = serializers.DateTimeField()


def cursor_for(*, user: User, version: int) -> str:
    """An opaque cursor: the version reached, for this user, signed and dated."""
    return signing.dumps({"u": str(user.pk), "v": version}, salt=_SALT, compress=True)


def cursor_version(*, user: User, cursor: str | None) -> int:
    """The version a cursor stands for: 0 without one; 400 if forged; 410 if too old or not yours."""
    if not cursor:
        return 0
    try:
        data = signing.loads(cursor, salt=_SALT, max_age=settings.SYNC_CURSOR_MAX_AGE)
    except signing.SignatureExpired:
        raise Problem(ErrorCode.SYNC_CURSOR_EXPIRED, "The cursor has expired; pull from the start.") from None
    except signing.BadSignature:
        raise Problem(ErrorCode.INVALID_CURSOR) from None
    if not isinstance(data, dict) or data.get("u") != str(user.pk) or not isinstance(data.get("v"), int):
        raise Problem(
            ErrorCode.SYNC_CURSOR_EXPIRED, "The cursor was issued to someone else; pull from the start."
        )
    version: int = data["v"]
    return version


@dataclass(frozen=True)
class ChangePage:
    changes: list[dict[str, Any]]
    version: int
    has_more: bool


def changes_since(*, user: User, version: int, limit: int) -> ChangePage:
    """Up to `limit` of the user's changes after `version`, the latest per object, in version order."""
    rows = list(
        Change.objects.filter(user=user, version__gt=version)
        .order_by("version", "id")
        .values_list("version", "kind", "object_id", "op")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[tuple[str, uuid.UUID], tuple[int, str]] = {}
    for row_version, kind, object_id, op in rows:
        latest.pop((kind, object_id), None)  # re-inserted last, so the order is that of the last change
        latest[(kind, object_id)] = (row_version, op)
    wanted: dict[str, list[uuid.UUID]] = {}
    for (kind, object_id), (_version, op) in latest.items():
        if op == ChangeOp.UPSERT:
            wanted.setdefault(kind, []).append(object_id)
    found: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for kind, ids in wanted.items():
        for object_id, shown in _READERS[kind](user, ids):
            found[(kind, object_id)] = shown
    changes = []
    for (kind, object_id), (row_version, _op) in latest.items():
        current = found.get((kind, object_id))
        changes.append(
            {
                "version": row_version,
                "kind": kind,
                "id": str(object_id),
                "op": ChangeOp.UPSERT if current is not None else ChangeOp.DELETE,
                "object": current,
            }
        )
    return ChangePage(changes=changes, version=rows[-1][0] if rows else version, has_more=has_more)


Reader = Callable[[User, list[uuid.UUID]], Iterable[tuple[uuid.UUID, dict[str, Any]]]]


def _bookings(user: User, ids: list[uuid.UUID]) -> Iterable[tuple[uuid.UUID, dict[str, Any]]]:
    bookings = list(booking_list(viewer=user).filter(pk__in=ids))
    attach_counsellor_summaries(bookings)
    context = {"view_of": lambda b: view_of(user, b)}
    return [(b.pk, BookingOutputSerializer(b, context=context).data) for b in bookings]


def _threads(user: User, ids: list[uuid.UUID]) -> Iterable[tuple[uuid.UUID, dict[str, Any]]]:
    threads = list(threads_of(user=user).filter(pk__in=ids))
    attach_counsellor_summaries(threads)
    return [(t.pk, ThreadOutputSerializer(t, context={"viewer": user}).data) for t in threads]


def _messages(user: User, ids: list[uuid.UUID]) -> Iterable[tuple[uuid.UUID, dict[str, Any]]]:
    # The content is sealed per device: the change says a message is there; the client reads its
    # envelope with GET /v1/threads/{id}/messages?device=.
    messages = Message.objects.filter(
        pk__in=ids, thread__in=threads_of(user=user).values("pk"), expires_at__gt=timezone.now()
    ).select_related("thread")
    return [
        (
            m.pk,
            {
                "id": str(m.pk),
                "thread_id": str(m.thread_id),
                "client_message_id": str(m.client_message_id),
                "sender": "doctor" if m.sender_id == m.thread.doctor_id else "counsellor",
                "created_at": _TIMESTAMP.to_representation(m.created_at),
                "expires_at": _TIMESTAMP.to_representation(m.expires_at),
            },
        )
        for m in messages
    ]


def _followups(user: User, ids: list[uuid.UUID]) -> Iterable[tuple[uuid.UUID, dict[str, Any]]]:
    followups = followups_of(doctor=user).filter(pk__in=ids)
    return [(f.pk, followup_representation(f, language=user.language)) for f in followups]


def _mutations(user: User, ids: list[uuid.UUID]) -> Iterable[tuple[uuid.UUID, dict[str, Any]]]:
    mutations = SyncMutation.objects.filter(pk__in=ids, client__user=user).select_related("client")
    return [(m.pk, mutation_representation(m)) for m in mutations]


def mutation_representation(mutation: SyncMutation) -> dict[str, Any]:
    return {
        "client_id": str(mutation.client.client_id),
        "sequence": mutation.sequence,
        "type": mutation.type,
        "status": mutation.status,
        "result": mutation.result,
        "problem": mutation.problem,
    }


_READERS: dict[str, Reader] = {
    ChangeKind.BOOKING: _bookings,
    ChangeKind.THREAD: _threads,
    ChangeKind.MESSAGE: _messages,
    ChangeKind.FOLLOWUP: _followups,
    ChangeKind.MUTATION: _mutations,
}
