"""Writes on follow-ups: answering, opting out, and coordinators' questionnaires and schedule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from api.accounts.models import User
from api.core.errors import ErrorCode, FieldError, Problem, field_problem
from api.followups.answers import answers_check, score_of
from api.followups.definitions import definition_errors, normalised
from api.followups.instruments import WHO5_POOR_BELOW
from api.followups.models import (
    BASELINE,
    Followup,
    FollowupPreference,
    FollowupSettings,
    FollowupStatus,
    Questionnaire,
    QuestionnaireVersion,
    ResearchLink,
    ResearchScore,
    ScheduleEntry,
    Scoring,
)
from api.organisations.models import Organisation
from api.sync.log import change_record
from api.sync.models import ChangeKind


@dataclass(frozen=True)
class AnswerOutcome:
    followup: Followup
    poor_wellbeing: bool


def followup_answer(
    *, followup: Followup, answers: dict[str, Any], now: datetime | None = None
) -> AnswerOutcome:
    """Records the doctor's answers, once, after checking every item; scores them on the server.

    A scored answer also goes to research, keyed by the doctor's research id for the organisation,
    with the month only. Poor wellbeing (WHO-5 raw score under 13) is returned to the doctor and
    recorded nowhere else.
    """
    now = now or timezone.now()
    with transaction.atomic():
        followup = (
            Followup.objects.select_for_update().select_related("version__questionnaire").get(pk=followup.pk)
        )
        _open_check(followup, now=now)
        version = followup.version
        checked = answers_check(version.items, answers)
        if checked.errors:
            raise Problem(ErrorCode.VALIDATION_ERROR, errors=checked.errors)
        scoring = version.questionnaire.scoring
        score = score_of(scoring, version.items, checked.answers)
        followup.answers = checked.answers
        followup.status = FollowupStatus.ANSWERED
        followup.answered_at = now
        if score is not None:
            followup.raw_score, followup.score = score.raw, score.score
            ResearchScore.objects.create(
                research_id=_research_id(
                    user_id=followup.doctor_id, organisation_id=followup.organisation_id
                ),
                organisation_id=followup.organisation_id,
                questionnaire_id=version.questionnaire_id,
                version_number=version.number,
                offset_days=followup.offset_days,
                month=now.date().replace(day=1),
                raw_score=score.raw,
                score=score.score,
            )
        followup.save()
        change_record(kind=ChangeKind.FOLLOWUP, object_id=followup.pk, user_ids=[followup.doctor_id])
    poor = scoring == Scoring.WHO5 and score is not None and score.raw < WHO5_POOR_BELOW
    return AnswerOutcome(followup=followup, poor_wellbeing=poor)


def _open_check(followup: Followup, *, now: datetime) -> None:
    if followup.status == FollowupStatus.ANSWERED:
        raise Problem(ErrorCode.FOLLOWUP_ANSWERED)
    if followup.status == FollowupStatus.DUE and followup.expires_at <= now:
        # Past its time, though the periodic task has not closed it yet.
        Followup.objects.filter(pk=followup.pk).update(status=FollowupStatus.EXPIRED)
        followup.status = FollowupStatus.EXPIRED
    if followup.status != FollowupStatus.DUE:
        raise Problem(ErrorCode.FOLLOWUP_CLOSED, f"This follow-up is {followup.status}.")


def _research_id(*, user_id: uuid.UUID, organisation_id: uuid.UUID) -> uuid.UUID:
    link, _ = ResearchLink.objects.get_or_create(user_id=user_id, organisation_id=organisation_id)
    return link.research_id


def followup_preference_set(*, user: User, opted_out: bool) -> FollowupPreference:
    """Opts the doctor out of follow-ups (withdrawing those not yet answered) or back in."""
    with transaction.atomic():
        preference, _ = FollowupPreference.objects.update_or_create(
            user=user, defaults={"opted_out": opted_out}
        )
        if opted_out:
            withdrawn = Followup.objects.filter(
                doctor=user, status__in=[FollowupStatus.SCHEDULED, FollowupStatus.DUE]
            )
            for followup_id in withdrawn.filter(status=FollowupStatus.DUE).values_list("pk", flat=True):
                # A tombstone at the doctor's next pull; scheduled ones were never visible.
                change_record(kind=ChangeKind.FOLLOWUP, object_id=followup_id, user_ids=[user.pk])
            withdrawn.update(status=FollowupStatus.WITHDRAWN)
    return preference


def _definition_check(items: list[dict[str, Any]], *, allows_text: bool) -> list[dict[str, Any]]:
    if errors := definition_errors(items, allows_text=allows_text):
        raise Problem(ErrorCode.VALIDATION_ERROR, errors=errors)
    return normalised(items)


def questionnaire_create(
    *,
    organisation: Organisation,
    slug: str,
    scoring: str,
    title: dict[str, str],
    description: dict[str, str],
    items: list[dict[str, Any]],
    allows_text: bool = False,
) -> QuestionnaireVersion:
    """Creates an organisation's own questionnaire, as version 1."""
    stored = _definition_check(items, allows_text=allows_text)
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                organisation=organisation, slug=slug, scoring=scoring
            )
    except IntegrityError:
        raise field_problem(
            "slug", "duplicate", "Your organisation already has a questionnaire with this slug."
        ) from None
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        title=title,
        description=description,
        items=stored,
        allows_text=allows_text,
    )


def questionnaire_revise(
    *,
    questionnaire: Questionnaire,
    title: dict[str, str],
    description: dict[str, str],
    items: list[dict[str, Any]],
    allows_text: bool = False,
) -> QuestionnaireVersion:
    """Changes an organisation's questionnaire: in place while its current version has no
    response, else as a new version, so that every response keeps the wording it answered."""
    if questionnaire.organisation_id is None:
        raise Problem(ErrorCode.PERMISSION_DENIED, "The shipped instruments cannot be changed.")
    stored = _definition_check(items, allows_text=allows_text)
    with transaction.atomic():
        # One revision at a time: two edits cannot both make version n + 1.
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).exists()
        current = QuestionnaireVersion.objects.filter(questionnaire=questionnaire).order_by("-number").first()
        assert current is not None  # noqa: S101 (a questionnaire is created with version 1)
        answered = Followup.objects.filter(version=current, status=FollowupStatus.ANSWERED).exists()
        fields = {"title": title, "description": description, "items": stored, "allows_text": allows_text}
        if answered:
            return QuestionnaireVersion.objects.create(
                questionnaire=questionnaire, number=current.number + 1, **fields
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        return current


def followup_schedule_replace(
    *,
    organisation: Organisation,
    offsets: list[dict[str, Any]],
    baseline: list[uuid.UUID],
    help_resources: list[dict[str, Any]],
) -> None:
    """Replaces the organisation's schedule: its offsets, each with its questionnaires, the
    baseline, and the help resources shown for poor wellbeing. Follow-ups already made keep theirs."""
    days = [offset["days"] for offset in offsets]
    if len(set(days)) != len(days):
        raise field_problem("offsets", "duplicate", "Each offset can appear once.")
    wanted = {qid for offset in offsets for qid in offset["questionnaires"]} | set(baseline)
    usable = set(
        Questionnaire.objects.filter(
            Q(organisation=None) | Q(organisation=organisation), pk__in=wanted
        ).values_list("pk", flat=True)
    )
    errors = [
        FieldError(field=f"offsets.{i}.questionnaires", code="not_found", message="No such questionnaire.")
        for i, offset in enumerate(offsets)
        if set(offset["questionnaires"]) - usable
    ]
    if set(baseline) - usable:
        errors.append(FieldError(field="baseline", code="not_found", message="No such questionnaire."))
    if errors:
        raise Problem(ErrorCode.VALIDATION_ERROR, errors=errors)
    entries = [
        ScheduleEntry(organisation=organisation, offset_days=offset["days"], questionnaire_id=qid, position=n)
        for offset in offsets
        for n, qid in enumerate(dict.fromkeys(offset["questionnaires"]))
    ] + [
        ScheduleEntry(organisation=organisation, offset_days=BASELINE, questionnaire_id=qid, position=n)
        for n, qid in enumerate(dict.fromkeys(baseline))
    ]
    with transaction.atomic():
        organisation.followup_offsets_days = days
        organisation.save(update_fields=["followup_offsets_days", "updated_at"])
        ScheduleEntry.objects.filter(organisation=organisation).delete()
        ScheduleEntry.objects.bulk_create(entries)
        FollowupSettings.objects.update_or_create(
            organisation=organisation, defaults={"help_resources": help_resources}
        )
