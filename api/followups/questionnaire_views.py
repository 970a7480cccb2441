"""Questionnaires for coordinators: their organisation's own and the shipped, the schedule, and
response rates. Coordinators never see an individual's answers here."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.accounts.models import Role
from api.core.errors import ErrorCode, Problem
from api.core.pagination import CursorPagination
from api.followups import examples as ex
from api.followups import serializers as s
from api.followups.selectors import (
    questionnaire_detail,
    questionnaire_stats,
    questionnaires_visible,
    schedule_of,
    with_current_versions,
)
from api.followups.services import followup_schedule_replace, questionnaire_create, questionnaire_revise
from api.followups.views import coordinator_organisation_id
from api.organisations.models import Organisation

DEFAULT_THRESHOLD = 5


class SlugCursorPagination(CursorPagination):
    ordering = ("slug", "id")


def _questionnaire(request: Request, questionnaire_id: uuid.UUID, *, code: int = 200) -> Response:
    questionnaire = questionnaire_detail(viewer=request_user(request), questionnaire_id=questionnaire_id)
    return Response(s.QuestionnaireOutputSerializer(questionnaire).data, status=code)


class QuestionnaireListView(generics.ListAPIView[Any]):
    serializer_class = s.QuestionnaireOutputSerializer
    pagination_class = SlugCursorPagination
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    def get_queryset(self) -> Any:
        return questionnaires_visible(request_user(self.request))

    def paginate_queryset(self, queryset: Any) -> Any:
        return with_current_versions(super().paginate_queryset(queryset) or [])

    @extend_schema(
        tags=["questionnaires"],
        operation_id="questionnaires_list",
        summary="Questionnaires",
        description=(
            "The shipped instruments (WHO-5, service feedback) and, for a coordinator, their "
            "organisation's own; each in its current version, by slug."
        ),
        examples=[ex.QUESTIONNAIRE_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["questionnaires"],
        operation_id="questionnaires_create",
        summary="Create your organisation's own questionnaire",
        description=(
            "Coordinators only (else 403). Items are checked together: each problem is a field error "
            "at `items.<index>.<field>` (see docs/followups.md for the item format). Short text items "
            "need `allows_text` and are capped at 500 characters."
        ),
        request=s.QuestionnaireCreateInputSerializer,
        responses={201: s.QuestionnaireOutputSerializer},
        examples=[ex.QUESTIONNAIRE_CREATE_EXAMPLE, ex.QUESTIONNAIRE_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        organisation_id = coordinator_organisation_id(request)
        data = s.QuestionnaireCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = questionnaire_create(organisation=Organisation(pk=organisation_id), **data.to_service())
        return _questionnaire(request, version.questionnaire_id, code=status.HTTP_201_CREATED)


class QuestionnaireDetailView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    @extend_schema(
        tags=["questionnaires"],
        operation_id="questionnaires_retrieve",
        summary="A questionnaire, in its current version",
        description="An organisation's own questionnaire is a 404 to anyone outside it.",
        responses={200: s.QuestionnaireOutputSerializer},
        examples=[ex.QUESTIONNAIRE_EXAMPLE],
    )
    def get(self, request: Request, questionnaire_id: uuid.UUID) -> Response:
        return _questionnaire(request, questionnaire_id)

    @extend_schema(
        tags=["questionnaires"],
        operation_id="questionnaires_update",
        summary="Change your organisation's questionnaire",
        description=(
            "By its organisation's coordinators. While the current version has no response it is "
            "changed in place; once it has one it is immutable, and this makes the next version "
            "(`version` goes up), so every response keeps the wording it answered. Follow-ups "
            "scheduled from then on use the new version. The shipped instruments cannot be changed (403)."
        ),
        request=s.QuestionnaireReviseInputSerializer,
        responses={200: s.QuestionnaireOutputSerializer},
        examples=[ex.QUESTIONNAIRE_CREATE_EXAMPLE, ex.QUESTIONNAIRE_EXAMPLE],
    )
    def put(self, request: Request, questionnaire_id: uuid.UUID) -> Response:
        questionnaire = questionnaire_detail(viewer=request_user(request), questionnaire_id=questionnaire_id)
        if questionnaire.organisation_id is None:
            raise Problem(ErrorCode.PERMISSION_DENIED, "The shipped instruments cannot be changed.")
        coordinator_organisation_id(request)
        data = s.QuestionnaireReviseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        questionnaire_revise(questionnaire=questionnaire, **data.to_service())
        return _questionnaire(request, questionnaire_id)


class QuestionnaireStatsView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    @extend_schema(
        tags=["questionnaires"],
        operation_id="questionnaires_stats",
        summary="Response rates and score aggregates",
        description=(
            "By offset: follow-ups sent, answered and expired, the response rate, and for scored "
            "questionnaires the mean score and the number with poor wellbeing. Aggregates over fewer "
            "answers than the organisation's suppression threshold are null. Coordinators (their "
            "organisation) and staff (all); never an individual's answers."
        ),
        responses={200: s.QuestionnaireStatsOutputSerializer},
        examples=[ex.STATS_EXAMPLE],
    )
    def get(self, request: Request, questionnaire_id: uuid.UUID) -> Response:
        user = request_user(request)
        questionnaire = questionnaire_detail(viewer=user, questionnaire_id=questionnaire_id)
        if user.role == Role.STAFF:
            organisation_id, threshold = None, DEFAULT_THRESHOLD
        else:
            organisation_id = coordinator_organisation_id(request)
            threshold = Organisation.objects.values_list("suppression_threshold", flat=True).get(
                pk=organisation_id
            )
        stats = questionnaire_stats(
            questionnaire=questionnaire, organisation_id=organisation_id, threshold=threshold
        )
        return Response(
            {
                "questionnaire": str(questionnaire.pk),
                "threshold": threshold,
                "offsets": [s.OffsetStatsOutputSerializer(row).data for row in stats],
            }
        )


class FollowupScheduleView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    def _output(self, organisation: Organisation) -> Response:
        schedule = schedule_of(organisation)
        return Response(
            {
                "offsets": [
                    {"days": offset["days"], "questionnaires": [str(q) for q in offset["questionnaires"]]}
                    for offset in schedule.offsets
                ],
                "baseline": [str(q) for q in schedule.baseline],
                "help_resources": schedule.help_resources,
                "default": schedule.default,
            }
        )

    @extend_schema(
        tags=["questionnaires"],
        operation_id="followup_schedule_retrieve",
        summary="Your organisation's follow-up schedule",
        description=(
            "Coordinators only. Offsets in days after a completed conversation, each with its "
            "questionnaires; the baseline offered as a doctor books; the help resources shown to a "
            "doctor whose WHO-5 shows poor wellbeing."
        ),
        responses={200: s.FollowupScheduleOutputSerializer},
        examples=[ex.SCHEDULE_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        organisation = Organisation.objects.get(pk=coordinator_organisation_id(request))
        return self._output(organisation)

    @extend_schema(
        tags=["questionnaires"],
        operation_id="followup_schedule_update",
        summary="Set your organisation's follow-up schedule",
        description=(
            "Replaces the schedule. Questionnaires must be shipped or your organisation's (else a "
            "`not_found` field error). Follow-ups already scheduled keep theirs."
        ),
        request=s.FollowupScheduleInputSerializer,
        responses={200: s.FollowupScheduleOutputSerializer},
        examples=[ex.SCHEDULE_EXAMPLE],
    )
    def put(self, request: Request) -> Response:
        organisation = Organisation.objects.get(pk=coordinator_organisation_id(request))
        data = s.FollowupScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        followup_schedule_replace(organisation=organisation, **data.to_service())
        return self._output(organisation)
