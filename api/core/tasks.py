"""Background jobs of the core: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from api.core.idempotency.services import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Deletes idempotency records past their 24-hour life. Safe to run twice."""
    return idempotency_records_purge()
