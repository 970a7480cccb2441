from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from api.core.errors import ErrorCode, Problem, field_problem


class CursorPagination(pagination.CursorPagination):
    """Opaque cursors (`next`, `previous`) and a `limit` capped at API_MAX_PAGE_SIZE.

    A page's cost depends on its size, never on the table's: the cursor is a position in an
    indexed ordering, not an offset.
    """

    page_size = settings.API_PAGE_SIZE
    max_page_size = settings.API_MAX_PAGE_SIZE
    page_size_query_param = "limit"
    ordering = ("-created_at", "-id")

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        message = f"limit must be a whole number from 1 to {self.max_page_size}."
        if not raw.isdigit() or int(raw) < 1:
            raise field_problem("limit", "invalid", message)
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except DjangoValidationError:
            # A well-formed cursor whose position does not fit the ordering field (a forged one).
            raise Problem(ErrorCode.INVALID_CURSOR) from None

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise Problem(ErrorCode.INVALID_CURSOR) from None


class StartCursorPagination(CursorPagination):
    """For lists in time order (slots, time off)."""

    ordering = ("start", "id")


class NameCursorPagination(CursorPagination):
    ordering = ("display_name", "id")


class ActivityCursorPagination(CursorPagination):
    """Most recently active first (threads)."""

    ordering = ("-last_activity_at", "-id")


class ChronologicalCursorPagination(CursorPagination):
    """Oldest first, for reading forward (messages)."""

    ordering = ("created_at", "id")
