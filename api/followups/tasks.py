from __future__ import annotations

from celery import shared_task

from api.followups.dispatch import followups_dispatch


@shared_task(name="followups.dispatch")
def dispatch_followups() -> int:
    """Expires, makes due and notifies follow-ups, each notice once however often this runs."""
    return followups_dispatch().notices_sent
