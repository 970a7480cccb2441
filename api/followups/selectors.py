"""Reads on follow-ups: a doctor's own, questionnaires as each role sees them, and aggregates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from api.accounts.models import Role, User
from api.followups.instruments import WHO5_POOR_BELOW
from api.followups.models import (
    Followup,
    FollowupSettings,
    FollowupStatus,
    Questionnaire,
    QuestionnaireVersion,
    ResearchScore,
    ScheduleEntry,
)
from api.followups.plans import current_versions, plan_of
from api.organisations.models import Organisation

# What a doctor sees: a scheduled follow-up is not theirs to answer yet, a withdrawn one is gone.
VISIBLE = (FollowupStatus.DUE, FollowupStatus.ANSWERED, FollowupStatus.EXPIRED)


def followups_of(*, doctor: User, status: str | None = None) -> QuerySet[Followup]:
    """The doctor's own follow-ups, with their questionnaire versions. Nobody else's, whatever role."""
    queryset = Followup.objects.filter(doctor=doctor, status__in=VISIBLE).select_related(
        "version__questionnaire"
    )
    return queryset.filter(status=status) if status else queryset


def followup_detail(*, viewer: User, followup_id: uuid.UUID) -> Followup:
    """The viewer's own follow-up; for anyone else, a coordinator or staff too, a 404."""
    found = followups_of(doctor=viewer).filter(pk=followup_id).first()
    if found is None:
        raise Http404
    return found


def help_resources_of(organisation_id: uuid.UUID) -> list[dict[str, Any]]:
    found = FollowupSettings.objects.filter(organisation_id=organisation_id).values_list(
        "help_resources", flat=True
    )
    return list(found.first() or [])


def questionnaires_visible(viewer: User) -> QuerySet[Questionnaire]:
    """Staff see all; a coordinator their organisation's and the shipped; anyone else the shipped."""
    queryset = Questionnaire.objects.all()
    if viewer.role == Role.STAFF:
        return queryset
    if viewer.role == Role.COORDINATOR and viewer.organisation_id is not None:
        return queryset.filter(Q(organisation=None) | Q(organisation_id=viewer.organisation_id))
    return queryset.filter(organisation=None)


def with_current_versions(questionnaires: list[Questionnaire]) -> list[Questionnaire]:
    """Sets `current` on each questionnaire to its newest version, in one query for all."""
    versions = current_versions(q.pk for q in questionnaires)
    for questionnaire in questionnaires:
        questionnaire.current = versions[questionnaire.pk]  # type: ignore[attr-defined]
    return questionnaires


def questionnaire_detail(*, viewer: User, questionnaire_id: uuid.UUID) -> Questionnaire:
    found = questionnaires_visible(viewer).filter(pk=questionnaire_id).first()
    if found is None:
        raise Http404
    return with_current_versions([found])[0]


def versions_of(questionnaire: Questionnaire) -> QuerySet[QuestionnaireVersion]:
    return QuestionnaireVersion.objects.filter(questionnaire=questionnaire).order_by("-number")


@dataclass(frozen=True)
class OffsetStats:
    offset_days: int
    sent: int
    answered: int
    expired: int
    response_rate: float | None
    mean_score: float | None
    poor_wellbeing: int | None


def questionnaire_stats(
    *, questionnaire: Questionnaire, organisation_id: uuid.UUID | None, threshold: int
) -> list[OffsetStats]:
    """Response rates and score aggregates by offset; never a single doctor's answers.

    Counts of follow-ups are shown as they are; a score aggregate over fewer than `threshold`
    answers is suppressed (null), and so is a count of poor wellbeing under it, since a mean of
    one is that doctor's score.
    """
    followups = Followup.objects.filter(version__questionnaire=questionnaire).exclude(
        status__in=[FollowupStatus.SCHEDULED, FollowupStatus.WITHDRAWN]
    )
    scores = ResearchScore.objects.filter(questionnaire=questionnaire)
    if organisation_id is not None:
        followups = followups.filter(organisation_id=organisation_id)
        scores = scores.filter(organisation_id=organisation_id)
    counts = followups.values("offset_days").annotate(
        sent=Count("id"),
        answered=Count("id", filter=Q(status=FollowupStatus.ANSWERED)),
        expired=Count("id", filter=Q(status=FollowupStatus.EXPIRED)),
    )
    aggregates = {
        row["offset_days"]: row
        for row in scores.values("offset_days").annotate(
            n=Count("id"), mean=Avg("score"), poor=Count("id", filter=Q(raw_score__lt=WHO5_POOR_BELOW))
        )
    }
    stats = []
    for row in sorted(counts, key=lambda r: r["offset_days"]):
        scored = aggregates.get(row["offset_days"], {"n": 0, "mean": None, "poor": 0})
        shown = scored["n"] >= threshold
        stats.append(
            OffsetStats(
                offset_days=row["offset_days"],
                sent=row["sent"],
                answered=row["answered"],
                expired=row["expired"],
                response_rate=round(row["answered"] / row["sent"], 3) if row["sent"] else None,
                mean_score=round(scored["mean"], 1) if shown and scored["mean"] is not None else None,
                poor_wellbeing=scored["poor"] if shown and scored["poor"] >= threshold else None,
            )
        )
    return stats


@dataclass(frozen=True)
class Schedule:
    offsets: list[dict[str, Any]]
    baseline: list[uuid.UUID]
    help_resources: list[dict[str, Any]]
    default: bool


def schedule_of(organisation: Organisation) -> Schedule:
    """The organisation's schedule as coordinators edit it (the shipped default when it has none)."""
    has_entries = ScheduleEntry.objects.filter(organisation=organisation).exists()
    plan = plan_of(organisation)
    return Schedule(
        offsets=[{"days": days, "questionnaires": ids} for days, ids in sorted(plan.items()) if days],
        baseline=plan.get(0, []),
        help_resources=help_resources_of(organisation.pk),
        default=not has_entries,
    )
