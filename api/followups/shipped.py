"""The shipped instruments in the database, and the demo organisation's schedule."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from api.followups.instruments import FEEDBACK_SLUG, SHIPPED, WHO5_SLUG
from api.followups.models import FollowupSettings, Questionnaire, QuestionnaireVersion, ScheduleEntry
from api.organisations.models import Organisation


def shipped_instruments_store(questionnaires: Any, versions: Any) -> dict[str, Any]:
    """Stores each shipped instrument as version 1 where it is missing; returns them by slug.

    Takes the two model classes, so that migration 0002 can pass its historical models.
    """
    found: dict[str, Any] = {}
    for instrument in SHIPPED:
        questionnaire, created = questionnaires.objects.get_or_create(
            organisation=None, slug=instrument["slug"], defaults={"scoring": instrument["scoring"]}
        )
        if created:
            versions.objects.create(
                questionnaire=questionnaire,
                number=1,
                title=instrument["title"],
                description=instrument["description"],
                items=instrument["items"],
                allows_text=instrument["allows_text"],
            )
        found[instrument["slug"]] = questionnaire
    return found


def shipped_instruments_ensure() -> dict[str, Questionnaire]:
    """The shipped questionnaires by slug, put back where a database was emptied without migrating
    again (a test database flushed between tests, a developer's `flush`)."""
    with transaction.atomic():
        return shipped_instruments_store(Questionnaire, QuestionnaireVersion)


DEMO_HELP_RESOURCES = [
    {
        "title": {"nb": "Demo: støttetelefon for leger", "en": "Demo: a support line for doctors"},
        "url": "https://example.org/help",
        "phone": "+47 00 00 00 00",
    }
]


def demo_followups_ensure(*, organisation: Organisation) -> bool:
    """Gives the demo organisation an explicit schedule: a WHO-5 baseline as a doctor books, WHO-5
    and the service feedback at +10 days, WHO-5 at +365. Kept as it is if it has one already."""
    if ScheduleEntry.objects.filter(organisation=organisation).exists():
        return False
    shipped = shipped_instruments_ensure()
    who5, feedback = shipped[WHO5_SLUG], shipped[FEEDBACK_SLUG]
    plan = {0: [who5], 10: [who5, feedback], 365: [who5]}
    with transaction.atomic():
        organisation.followup_offsets_days = [10, 365]
        organisation.save(update_fields=["followup_offsets_days", "updated_at"])
        ScheduleEntry.objects.bulk_create(
            ScheduleEntry(organisation=organisation, offset_days=days, questionnaire=q, position=n)
            for days, questionnaires in plan.items()
            for n, q in enumerate(questionnaires)
        )
        FollowupSettings.objects.update_or_create(
            organisation=organisation, defaults={"help_resources": DEMO_HELP_RESOURCES}
        )
    return True
