"""Open slots across counsellors, and a counsellor's own schedule and time off."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.availability import serializers as s
from api.availability.selectors import availability_page, open_slot_rows_complete
from api.availability.services import schedule_replace, time_off_add, time_off_remove
from api.core.errors import ErrorCode
from api.core.etag import etag_for, if_match_check
from api.core.pagination import StartCursorPagination
from api.counsellors.models import CounsellorProfile
from api.counsellors.selectors import counsellor_for_manager
from api.counsellors.views import COUNSELLOR_EXAMPLE


class AvailabilityView(generics.ListAPIView[Any]):
    serializer_class = s.SlotOutputSerializer
    pagination_class = StartCursorPagination

    def get_queryset(self) -> Any:
        params = s.AvailabilityQuerySerializer.of(self.request.query_params)
        return availability_page(viewer=request_user(self.request), now=timezone.now(), **params)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Rows, not instances, and represented without a serializer walk: the hottest read there is.
        page = self.paginate_queryset(self.get_queryset()) or []
        open_slot_rows_complete(page)
        return self.get_paginated_response(s.slots_of_rows(page))

    @extend_schema(
        tags=["availability"],
        operation_id="availability_list",
        summary="Open slots across counsellors",
        description=(
            "Open slots starting in `[start, end)` (at most 92 days), in start order, cursor-paginated. "
            "Slots inside a counsellor's minimum notice or past their horizon never appear, nor do "
            "counsellors you excluded. Times are UTC; `time_zone` is the counsellor's."
        ),
        parameters=[s.AvailabilityQuerySerializer],
        examples=[
            OpenApiExample(
                "Slot",
                value={
                    "id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
                    "start": "2026-11-24T09:00:00Z",
                    "end": "2026-11-24T10:00:00Z",
                    "time_zone": "Europe/Oslo",
                    "modalities": ["phone", "video"],
                    "counsellor": COUNSELLOR_EXAMPLE,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


SCHEDULE_EXAMPLE = {
    "time_zone": "Europe/Oslo",
    "min_notice_minutes": 720,
    "horizon_days": 60,
    "daily_cap": 3,
    "rules": [
        {
            "weekday": 0,
            "start": "16:00",
            "end": "19:00",
            "modalities": ["phone", "video"],
            "slot_minutes": 45,
            "buffer_minutes": 15,
        }
    ],
}


def _schedule_etag(counsellor: CounsellorProfile) -> str:
    return etag_for(counsellor.pk, counsellor.updated_at.isoformat())


def _schedule_response(counsellor: CounsellorProfile) -> Response:
    response = Response(s.ScheduleOutputSerializer(counsellor).data)
    response["ETag"] = _schedule_etag(counsellor)
    return response


class ScheduleView(APIView):
    problem_codes = (ErrorCode.PRECONDITION_FAILED,)

    @extend_schema(
        tags=["schedules"],
        operation_id="schedule_retrieve",
        summary="A counsellor's weekly schedule",
        description=(
            "The counsellor themself, a coordinator of their organisation, or service staff; anyone "
            "else gets 404."
        ),
        responses={200: s.ScheduleOutputSerializer},
        examples=[
            OpenApiExample(
                "Schedule",
                value={
                    "counsellor_id": COUNSELLOR_EXAMPLE["id"],
                    **SCHEDULE_EXAMPLE,
                    "updated_at": "2026-11-22T10:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        counsellor = counsellor_for_manager(user=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        return _schedule_response(counsellor)

    @extend_schema(
        tags=["schedules"],
        operation_id="schedule_replace",
        summary="Replace a counsellor's weekly schedule",
        description=(
            "Rules are in the counsellor's time zone and may not overlap (400 naming the rules); a rule "
            "may offer only the modalities the counsellor's profile offers (400 `modality_not_offered`). "
            "Future open slots follow at once; booked ones are never touched. Send `If-Match` to avoid "
            "overwriting a change you have not seen."
        ),
        request=s.ScheduleInputSerializer,
        responses={200: s.ScheduleOutputSerializer},
        examples=[OpenApiExample("Schedule", value=SCHEDULE_EXAMPLE, request_only=True)],
    )
    def put(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        counsellor = counsellor_for_manager(user=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        data = s.ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule_replace(
            counsellor=counsellor,
            precondition=lambda locked: if_match_check(request, current=_schedule_etag(locked)),
            **data.to_service(),
        )
        counsellor.refresh_from_db()
        return _schedule_response(counsellor)


TIME_OFF_EXAMPLE = {"start": "2026-12-21T00:00:00Z", "end": "2027-01-04T00:00:00Z"}


class TimeOffListView(generics.ListAPIView[Any]):
    serializer_class = s.TimeOffOutputSerializer
    pagination_class = StartCursorPagination

    def _counsellor(self) -> CounsellorProfile:
        return counsellor_for_manager(user=self.request.user, counsellor_id=self.kwargs["counsellor_id"])  # type: ignore[arg-type]

    def get_queryset(self) -> Any:
        return self._counsellor().time_off.all()

    @extend_schema(
        tags=["schedules"],
        operation_id="time_off_list",
        summary="A counsellor's time off",
        examples=[
            OpenApiExample(
                "Time off",
                value={
                    "id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                    **TIME_OFF_EXAMPLE,
                    "created_at": "2026-11-22T10:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["schedules"],
        operation_id="time_off_create",
        summary="Add time off",
        description="Open slots inside it disappear at once; booked conversations stay.",
        request=s.TimeOffInputSerializer,
        responses={201: s.TimeOffOutputSerializer},
        examples=[
            OpenApiExample("Christmas", value=TIME_OFF_EXAMPLE, request_only=True),
            OpenApiExample(
                "Added",
                value={
                    "id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                    **TIME_OFF_EXAMPLE,
                    "created_at": "2026-11-22T10:00:00Z",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        counsellor = self._counsellor()
        data = s.TimeOffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        time_off = time_off_add(counsellor=counsellor, **data.validated_data)
        return Response(s.TimeOffOutputSerializer(time_off).data, status=status.HTTP_201_CREATED)


class TimeOffDetailView(APIView):
    @extend_schema(
        tags=["schedules"],
        operation_id="time_off_delete",
        summary="Remove time off",
        description="The slots it hid come back.",
        responses={204: OpenApiResponse(description="Removed.")},
    )
    def delete(self, request: Request, counsellor_id: uuid.UUID, time_off_id: uuid.UUID) -> Response:
        counsellor = counsellor_for_manager(user=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        time_off_remove(time_off=get_object_or_404(counsellor.time_off.all(), pk=time_off_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
