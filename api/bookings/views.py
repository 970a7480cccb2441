"""Bookings: book a slot, see one's bookings, and move them through their lifecycle."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.accounts.models import Role
from api.bookings import serializers as s
from api.bookings.calendar import booking_calendar
from api.bookings.examples import (
    BOOKING_EXAMPLE,
    CALENDAR_EXAMPLE,
    CANCEL_EXAMPLE,
    CANCELLED_EXAMPLE,
    COUNSELLOR_VIEW_EXAMPLE,
    CREATE_EXAMPLE,
    ORGANISATION_VIEW_EXAMPLE,
    RESCHEDULE_EXAMPLE,
)
from api.bookings.models import Booking, BookingStatus
from api.bookings.selectors import BookingView, booking_detail, booking_list, booking_visible, view_of
from api.bookings.services import booking_cancel, booking_create, booking_finish, booking_reschedule
from api.core.errors import ErrorCode, Problem
from api.core.etag import etag_for
from api.core.pagination import StartCursorPagination
from api.counsellors.selectors import attach_counsellor_summaries

BOOKERS = {Role.DOCTOR, Role.COUNSELLOR}


def _output(request: Request, booking: Booking, *, code: int = status.HTTP_200_OK) -> Response:
    user = request_user(request)
    body = s.BookingOutputSerializer(booking, context={"view_of": lambda b: view_of(user, b)}).data
    response = Response(body, status=code)
    response["ETag"] = etag_for(booking.pk, booking.sequence, booking.updated_at.isoformat())
    return response


def _booking_as(request: Request, booking_id: uuid.UUID, *, allowed: set[str], action: str) -> Booking:
    """The booking, if the caller sees it (else 404) and is a party allowed to act (else 403)."""
    booking = booking_detail(viewer=request_user(request), booking_id=booking_id)
    if view_of(request_user(request), booking) not in allowed:
        raise Problem(ErrorCode.PERMISSION_DENIED, f"Only {action}.")
    return booking


class BookingListView(generics.ListAPIView[Any]):
    serializer_class = s.BookingOutputSerializer
    pagination_class = StartCursorPagination
    problem_codes = (
        ErrorCode.PERMISSION_DENIED,
        ErrorCode.SLOT_UNAVAILABLE,
        ErrorCode.BOOKING_TOO_SOON,
        ErrorCode.BOOKING_TOO_FAR,
        ErrorCode.BOOKING_CAP_REACHED,
        ErrorCode.CANNOT_BOOK_SELF,
    )

    def get_queryset(self) -> Any:
        query = s.BookingListQuerySerializer.of(self.request.query_params)
        return booking_list(viewer=request_user(self.request), **query)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        attach_counsellor_summaries(page or [])
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        user = request_user(self.request)
        return super().get_serializer_context() | {"view_of": lambda b: view_of(user, b)}

    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_list",
        summary="Bookings",
        description=(
            "A doctor's own bookings; a counsellor's bookings with them (and any they made as a doctor); "
            "a coordinator's organisation's bookings (status and times only). In start order."
        ),
        parameters=[s.BookingListQuerySerializer],
        examples=[BOOKING_EXAMPLE, COUNSELLOR_VIEW_EXAMPLE, ORGANISATION_VIEW_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_create",
        summary="Book a slot",
        description=(
            "Books an open slot for you. `409 slot_unavailable` when someone else got it first, with up "
            "to three `alternatives` (the same counsellor's first, then counsellors sharing a region and "
            "a language). `422` for the rules: the counsellor's minimum notice (`booking_too_soon`) and "
            "horizon (`booking_too_far`), the organisation's cap on upcoming bookings "
            "(`booking_cap_reached`), and booking yourself (`cannot_book_self`). Doctors and counsellors "
            "may book; coordinators and staff get 403. Send an `Idempotency-Key`: a retry then books once."
        ),
        request=s.BookingCreateInputSerializer,
        responses={201: s.BookingOutputSerializer},
        examples=[CREATE_EXAMPLE, BOOKING_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        if request_user(request).role not in BOOKERS:
            raise Problem(ErrorCode.PERMISSION_DENIED, "Only doctors and counsellors book conversations.")
        data = s.BookingCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_create(doctor=request_user(request), **data.to_service())
        return _output(request, booking_detail(viewer=request_user(request), booking_id=booking.pk), code=201)


class BookingDetailView(APIView):
    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_retrieve",
        summary="A booking",
        description="As its viewer may see it (see the list); anyone else's booking is a 404.",
        responses={200: s.BookingOutputSerializer},
        examples=[BOOKING_EXAMPLE, COUNSELLOR_VIEW_EXAMPLE, ORGANISATION_VIEW_EXAMPLE],
    )
    def get(self, request: Request, booking_id: uuid.UUID) -> Response:
        return _output(request, booking_detail(viewer=request_user(request), booking_id=booking_id))


class BookingCancelView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED, ErrorCode.INVALID_STATE)

    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_cancel",
        summary="Cancel a booking",
        description=(
            "By the doctor or the counsellor, before the start. Inside the organisation's cutoff it is "
            "still allowed and marked `late`. The slot is bookable again at once and the reminders are "
            "withdrawn. `409 invalid_state` for a booking that is not confirmed or has started."
        ),
        request=s.BookingCancelInputSerializer,
        responses={200: s.BookingOutputSerializer},
        examples=[CANCEL_EXAMPLE, CANCELLED_EXAMPLE],
    )
    def post(self, request: Request, booking_id: uuid.UUID) -> Response:
        booking = _booking_as(
            request,
            booking_id,
            allowed={BookingView.DOCTOR, BookingView.COUNSELLOR},
            action="the doctor or the counsellor can cancel",
        )
        data = s.BookingCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_cancel(
            booking=booking, by=request_user(request), reason=data.validated_data.get("reason", "")
        )
        return _output(request, booking_detail(viewer=request_user(request), booking_id=booking.pk))


class BookingRescheduleView(APIView):
    problem_codes = (
        ErrorCode.PERMISSION_DENIED,
        ErrorCode.INVALID_STATE,
        ErrorCode.SLOT_UNAVAILABLE,
        ErrorCode.BOOKING_TOO_SOON,
        ErrorCode.BOOKING_TOO_FAR,
        ErrorCode.CANNOT_BOOK_SELF,
    )

    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_reschedule",
        summary="Move a booking to another slot",
        description=(
            "By the doctor. Atomic: the new slot is claimed before the old one is released; if the new "
            "slot is taken (`409 slot_unavailable`, with alternatives) the booking is unchanged. The "
            "booking keeps its id; `sequence` goes up and the calendar entry's UID stays."
        ),
        request=s.BookingRescheduleInputSerializer,
        responses={200: s.BookingOutputSerializer},
        examples=[RESCHEDULE_EXAMPLE, BOOKING_EXAMPLE],
    )
    def post(self, request: Request, booking_id: uuid.UUID) -> Response:
        booking = _booking_as(
            request, booking_id, allowed={BookingView.DOCTOR}, action="the doctor can reschedule"
        )
        data = s.BookingRescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = booking_reschedule(booking=booking, doctor=request_user(request), **data.to_service())
        return _output(request, booking_detail(viewer=request_user(request), booking_id=booking.pk))


class _FinishView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED, ErrorCode.INVALID_STATE)
    outcome: BookingStatus

    def post(self, request: Request, booking_id: uuid.UUID) -> Response:
        booking = _booking_as(
            request, booking_id, allowed={BookingView.COUNSELLOR}, action="the counsellor can record this"
        )
        booking = booking_finish(booking=booking, outcome=self.outcome)
        return _output(request, booking_detail(viewer=request_user(request), booking_id=booking.pk))


def _finish_schema(operation_id: str, summary: str) -> Any:
    return extend_schema_view(
        post=extend_schema(
            tags=["bookings"],
            operation_id=operation_id,
            summary=summary,
            description=(
                "By the counsellor, once the start has passed, on a confirmed booking "
                "(else `409 invalid_state`)."
            ),
            request=None,
            responses={200: s.BookingOutputSerializer},
            examples=[COUNSELLOR_VIEW_EXAMPLE],
        )
    )


@_finish_schema("bookings_complete", "Record that the conversation took place")
class BookingCompleteView(_FinishView):
    outcome = BookingStatus.COMPLETED


@_finish_schema("bookings_no_show", "Record that the doctor did not come")
class BookingNoShowView(_FinishView):
    outcome = BookingStatus.NO_SHOW


class CalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


class BookingCalendarView(APIView):
    renderer_classes = [CalendarRenderer]

    @extend_schema(
        tags=["bookings"],
        operation_id="bookings_calendar",
        summary="A booking as a calendar entry (.ics)",
        description=(
            "An iCalendar (RFC 5545) entry titled neutrally `Kollega conversation`: no names, category "
            "or note. Times are in the counsellor's time zone, with its VTIMEZONE. The UID is stable and "
            "SEQUENCE follows the booking's changes, so importing it again replaces the entry; a "
            "cancelled booking gives STATUS:CANCELLED."
        ),
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.STR,
                description="The entry, as text/calendar.",
                examples=[OpenApiExample("Entry", value=CALENDAR_EXAMPLE, media_type="text/calendar")],
            )
        },
    )
    def get(self, request: Request, booking_id: uuid.UUID) -> Response:
        # The entry names no one, so the counsellor's summary is not read.
        booking = booking_visible(viewer=request_user(request), booking_id=booking_id)
        response = Response(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kollega.ics"'
        return response
