from __future__ import annotations

from celery import shared_task

from api.accounts.sessions import sessions_purge


@shared_task(name="accounts.purge_ended_sessions")
def purge_ended_sessions() -> int:
    """Deletes sessions that ended or expired over a day ago. Safe to run twice."""
    return sessions_purge()
