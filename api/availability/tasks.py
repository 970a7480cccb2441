from __future__ import annotations

from celery import shared_task

from api.availability.services import slots_sync_all


@shared_task(name="availability.extend_horizons")
def extend_horizons() -> int:
    """Rolls every active counsellor's open slots forward to their horizon. Safe to run twice."""
    return slots_sync_all()
