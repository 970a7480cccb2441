"""What an organisation sends when: its schedule entries, or the shipped default."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from api.followups.instruments import FEEDBACK_SLUG, WHO5_SLUG
from api.followups.models import BASELINE, Questionnaire, QuestionnaireVersion, ScheduleEntry
from api.organisations.models import Organisation

DEFAULT_SLUGS = (WHO5_SLUG, FEEDBACK_SLUG)


def current_versions(questionnaire_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, QuestionnaireVersion]:
    """The newest version of each questionnaire, in one query."""
    newest = (
        QuestionnaireVersion.objects.filter(questionnaire=OuterRef("questionnaire"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = QuestionnaireVersion.objects.filter(
        questionnaire_id__in=list(questionnaire_ids), number=Subquery(newest)
    ).select_related("questionnaire")
    return {version.questionnaire_id: version for version in versions}


def plan_of(organisation: Organisation) -> dict[int, list[uuid.UUID]]:
    """Questionnaire ids by offset in days (0: the baseline), in the order they are sent.

    Entries at offsets the organisation no longer lists are left out. Without entries, the shipped
    WHO-5 and service feedback go out at each offset, and no baseline is offered.
    """
    offsets = set(organisation.followup_offsets_days)
    entries = ScheduleEntry.objects.filter(organisation=organisation).values_list(
        "offset_days", "questionnaire_id"
    )
    plan: dict[int, list[uuid.UUID]] = {}
    for offset, questionnaire_id in entries:
        if offset == BASELINE or offset in offsets:
            plan.setdefault(offset, []).append(questionnaire_id)
    if plan:
        return plan
    shipped = dict(
        Questionnaire.objects.filter(organisation=None, slug__in=DEFAULT_SLUGS).values_list("slug", "id")
    )
    return {
        offset: [shipped[slug] for slug in DEFAULT_SLUGS if slug in shipped] for offset in sorted(offsets)
    }
