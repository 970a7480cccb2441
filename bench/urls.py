"""The bench's URLconf: the API as it is served, plus the baselines beside it.

The baseline is a plain Django function view: no DRF, no ORM, no serializers. It runs the very
statements one API request ran (recorded by `bench.measure`) and encodes the rows as JSON, so the
difference between the two is what the API's layers cost on top of the database's work. The
booking baseline (`bench.booking_views`) books with a single INSERT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path

from api.urls import handler400, handler403, handler404, handler500
from bench.booking_views import BOOKING_BASELINE_PATH, booking_insert

__all__ = ["RecordedQuery", "handler400", "handler403", "handler404", "handler500", "recorded", "urlpatterns"]

BASELINE_PATH = "/bench/availability-raw"


@dataclass(frozen=True)
class RecordedQuery:
    sql: str
    params: Any
    milliseconds: float


# What one API request executed, in order; set by bench.measure before the baseline is timed.
recorded: list[RecordedQuery] = []


def availability_raw(request: HttpRequest) -> JsonResponse:
    """Runs the recorded statements with cursor.execute and returns their rows as JSON."""
    results: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        for query in recorded:
            cursor.execute(query.sql, query.params)
            # Rows as arrays under their column names: a join repeats names such as "id".
            columns = [column.name for column in cursor.description or ()]
            results.append({"columns": columns, "rows": cursor.fetchall()})
    return JsonResponse({"results": results}, encoder=DjangoJSONEncoder)


urlpatterns: list[URLPattern | URLResolver] = [
    path(BASELINE_PATH.lstrip("/"), availability_raw, name="bench-availability-raw"),
    path(BOOKING_BASELINE_PATH.lstrip("/"), booking_insert, name="bench-booking-insert"),
    path("", include("api.urls")),
]
