from __future__ import annotations

from celery import shared_task

from api.sync.log import changes_compact


@shared_task(name="sync.compact_change_log")
def compact_change_log() -> int:
    """Deletes change-log entries no live cursor can need. Safe to run twice."""
    return changes_compact()
