"""Follow-ups for their doctor; questionnaires, schedules and response rates for coordinators."""

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
from api.core.renderers import JSONRenderer
from api.followups import examples as ex
from api.followups import serializers as s
from api.followups.fhir import questionnaire_response
from api.followups.models import Followup, FollowupPreference
from api.followups.selectors import (
    followup_detail,
    followups_of,
    help_resources_of,
)
from api.followups.services import followup_answer, followup_preference_set


class DueCursorPagination(CursorPagination):
    ordering = ("-due_at", "-id")


def _detail(request: Request, followup: Followup, *, code: int = status.HTTP_200_OK) -> Response:
    resources = help_resources_of(followup.organisation_id) if s.poor_wellbeing(followup) else []
    body = s.followup_representation(
        followup, language=request_user(request).language, detail=True, help_resources=resources
    )
    return Response(body, status=code)


class FollowupListView(generics.ListAPIView[Any]):
    serializer_class = s.FollowupOutputSerializer
    pagination_class = DueCursorPagination

    def get_queryset(self) -> Any:
        query = s.FollowupListQuerySerializer.of(self.request.query_params)
        return followups_of(doctor=request_user(self.request), **query)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        language = request_user(request).language
        return self.get_paginated_response(
            [s.followup_representation(followup, language=language) for followup in page or []]
        )

    @extend_schema(
        tags=["followups"],
        operation_id="followups_list",
        summary="My follow-ups",
        description=(
            "Your follow-up questionnaires: `due` (answer them), `answered` and `expired`, newest first. "
            "Only ever your own, whatever your role."
        ),
        parameters=[s.FollowupListQuerySerializer],
        examples=[ex.FOLLOWUP_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FollowupDetailView(APIView):
    @extend_schema(
        tags=["followups"],
        operation_id="followups_retrieve",
        summary="A follow-up, with its questionnaire",
        description=(
            "With the questionnaire's items in your language, your answers once given and, when a "
            "WHO-5 score shows poor wellbeing, where to find help. Anyone else's follow-up is a 404, "
            "for coordinators and staff too."
        ),
        responses={200: s.FollowupDetailOutputSerializer},
        examples=[ex.FOLLOWUP_DETAIL_EXAMPLE, ex.ANSWERED_EXAMPLE],
    )
    def get(self, request: Request, followup_id: uuid.UUID) -> Response:
        return _detail(request, followup_detail(viewer=request_user(request), followup_id=followup_id))


class FollowupResponseView(APIView):
    problem_codes = (ErrorCode.FOLLOWUP_ANSWERED, ErrorCode.FOLLOWUP_CLOSED)

    @extend_schema(
        tags=["followups"],
        operation_id="followups_respond",
        summary="Answer a follow-up",
        description=(
            "Answers by linkId. Every problem is reported at once in one `400 validation_error`, a "
            "field error per item at `answers.<linkId>`: `required`, `invalid_choice`, `min_value`, "
            "`max_value`, `max_length`, `invalid_type`, `disabled` (an answer to an item its "
            "`enableWhen` leaves out), `not_answerable` (a display item) and `unknown_item`. The score "
            "is computed here. A follow-up takes one response (`409 followup_answered`); an expired or "
            "withdrawn one answers `409 followup_closed`."
        ),
        request=s.FollowupResponseInputSerializer,
        responses={201: s.FollowupDetailOutputSerializer},
        examples=[ex.RESPONSE_EXAMPLE, ex.ANSWERED_EXAMPLE],
    )
    def post(self, request: Request, followup_id: uuid.UUID) -> Response:
        followup = followup_detail(viewer=request_user(request), followup_id=followup_id)
        data = s.FollowupResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = followup_answer(followup=followup, answers=data.validated_data["answers"])
        return _detail(request, outcome.followup, code=status.HTTP_201_CREATED)


class FhirJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FollowupFhirView(APIView):
    renderer_classes = [FhirJSONRenderer, JSONRenderer]

    @extend_schema(
        tags=["followups"],
        operation_id="followups_fhir",
        summary="A follow-up as a FHIR R4 QuestionnaireResponse",
        description=(
            "`completed` once answered, `in-progress` while due, `stopped` once expired. It names no "
            "person: no subject, author or identifier. `application/fhir+json` unless you ask for "
            "`application/json`."
        ),
        responses={200: dict},
        examples=[ex.FHIR_EXAMPLE],
    )
    def get(self, request: Request, followup_id: uuid.UUID) -> Response:
        followup = followup_detail(viewer=request_user(request), followup_id=followup_id)
        url = request.build_absolute_uri(f"/v1/questionnaires/{followup.version.questionnaire_id}")
        return Response(
            questionnaire_response(followup, questionnaire_url=url, language=request_user(request).language)
        )


class FollowupPreferenceView(APIView):
    @extend_schema(
        tags=["followups"],
        operation_id="followup_preferences_retrieve",
        summary="Whether you receive follow-ups",
        responses={200: s.FollowupPreferenceSerializer},
        examples=[ex.PREFERENCE_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        opted_out = FollowupPreference.objects.filter(user=request_user(request), opted_out=True).exists()
        return Response({"opted_out": opted_out})

    @extend_schema(
        tags=["followups"],
        operation_id="followup_preferences_update",
        summary="Opt out of follow-ups, or back in",
        description=(
            "Opting out withdraws the follow-ups you have not answered and schedules no more; opting back "
            "in applies to conversations completed from then on."
        ),
        request=s.FollowupPreferenceSerializer,
        responses={200: s.FollowupPreferenceSerializer},
        examples=[ex.PREFERENCE_EXAMPLE],
    )
    def put(self, request: Request) -> Response:
        data = s.FollowupPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = followup_preference_set(
            user=request_user(request), opted_out=data.validated_data["opted_out"]
        )
        return Response({"opted_out": preference.opted_out})


def coordinator_organisation_id(request: Request) -> uuid.UUID:
    user = request_user(request)
    if user.role != Role.COORDINATOR or user.organisation_id is None:
        raise Problem(ErrorCode.PERMISSION_DENIED, "Only an organisation's coordinators may do this.")
    return user.organisation_id
