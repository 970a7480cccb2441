from __future__ import annotations

from celery import shared_task

from api.metrics.rollups import rollups_refresh_all


@shared_task(name="metrics.refresh_rollups")
def refresh_rollups() -> int:
    """Rebuilds every organisation's metric rollups; a rebuild replaces the last, so reruns are harmless."""
    return rollups_refresh_all()
