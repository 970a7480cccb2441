"""Writes to the change log, called by the services of every app in their own transactions.

Kept apart from services.py (which applies pushed mutations through the other apps' services), so
that those services can import it without a cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from api.sync.models import Change, ChangeKind, ChangeOp, SyncVersion


def _next_versions(count: int) -> range:
    # The UPDATE locks the counter row until the transaction ends: versions commit in order.
    if not SyncVersion.objects.filter(pk=1).update(value=F("value") + count):
        SyncVersion.objects.get_or_create(pk=1)
        SyncVersion.objects.filter(pk=1).update(value=F("value") + count)
    last = SyncVersion.objects.values_list("value", flat=True).get(pk=1)
    return range(last - count + 1, last + 1)


def changes_record(
    *,
    kind: ChangeKind,
    objects: Sequence[tuple[uuid.UUID, Iterable[uuid.UUID | None]]],
    op: ChangeOp = ChangeOp.UPSERT,
) -> range:
    """Logs that each object changed for its users, a version each; returns the versions.

    Call inside the write's transaction, so the changes and their log entries commit together or
    not at all. Many objects cost the same three statements as one.
    """
    if not objects:
        return range(0)
    with transaction.atomic():
        versions = _next_versions(len(objects))
        Change.objects.bulk_create(
            Change(user_id=user_id, version=version, kind=kind, object_id=object_id, op=op)
            for version, (object_id, user_ids) in zip(versions, objects, strict=True)
            for user_id in {user_id for user_id in user_ids if user_id is not None}
        )
    return versions


def change_record(
    *,
    kind: ChangeKind,
    object_id: uuid.UUID,
    user_ids: Iterable[uuid.UUID | None],
    op: ChangeOp = ChangeOp.UPSERT,
) -> int:
    """Logs that `object_id` changed for these users; returns its version (see changes_record)."""
    return changes_record(kind=kind, objects=[(object_id, user_ids)], op=op)[0]


def current_version() -> int:
    return SyncVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def changes_compact(*, now: datetime | None = None) -> int:
    """Deletes the log entries no cursor can still need; returns how many.

    A cursor lives SYNC_CURSOR_MAX_AGE, so an entry older than that is read only by a pull from
    the start, which needs each object's latest entry and nothing else: older entries of an object
    that changed again, and tombstones (a first pull has nothing to delete), can go.
    """
    cutoff = (now or timezone.now()) - settings.SYNC_CURSOR_MAX_AGE
    later = Change.objects.filter(
        user_id=OuterRef("user_id"),
        kind=OuterRef("kind"),
        object_id=OuterRef("object_id"),
        version__gt=OuterRef("version"),
    )
    old = Change.objects.filter(created_at__lt=cutoff)
    deleted, _ = old.filter(Q(op=ChangeOp.DELETE) | Exists(later)).delete()
    return deleted
