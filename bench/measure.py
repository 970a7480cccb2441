"""Timing one data size: the API request and its raw-SQL baseline, interleaved, and the main plan."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django
from django.db import connection
from django.test import Client
from django.utils import timezone

from api.accounts.models import User
from api.availability.selectors import open_slots
from bench import urls
from bench.urls import BASELINE_PATH, RecordedQuery

if TYPE_CHECKING:
    # The test client's response type exists in django-stubs only.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

# The statement that reads slots, quoted by the ORM or not (api/availability/slot_page.py).
SLOT_TABLE = re.compile(r'\bFROM "?availability_slot"?\s')
PROFILED = r"(rest_framework/|django/db/|psycopg/|api/)"


@dataclass(frozen=True)
class Filters:
    start: datetime
    end: datetime
    region: uuid.UUID
    language: str
    modality: str
    limit: int

    def query_string(self) -> str:
        return urlencode(
            {
                "start": self.start.isoformat().replace("+00:00", "Z"),
                "end": self.end.isoformat().replace("+00:00", "Z"),
                "language": self.language,
                "modality": self.modality,
                "region": str(self.region),
                "limit": self.limit,
            }
        )


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p90_ms: float
    min_ms: float

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        return cls(
            median_ms=statistics.median(samples),
            p90_ms=statistics.quantiles(samples, n=10, method="inclusive")[-1],
            min_ms=min(samples),
        )


@dataclass(frozen=True)
class Sample:
    """What one API request did: its statements, how long each took, and how many slots it returned."""

    queries: list[RecordedQuery]
    returned: int
    body_bytes: int


def _get(client: Client, path: str, token: str) -> TestResponse:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.content[:500]!r}")
    return response


def record(client: Client, path: str, token: str) -> Sample:
    """One API request with every statement it executes recorded, parameters and duration included."""
    queries: list[RecordedQuery] = []

    def recorder(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            queries.append(RecordedQuery(sql=sql, params=params, milliseconds=elapsed))

    with connection.execute_wrapper(recorder):
        response = _get(client, path, token)
    return Sample(queries=queries, returned=len(response.json()["results"]), body_bytes=len(response.content))


def body_bytes(client: Client, path: str, token: str) -> int:
    return len(_get(client, path, token).content)


def _timed(client: Client, path: str, token: str) -> float:
    started = time.perf_counter()
    _get(client, path, token)
    return (time.perf_counter() - started) * 1000


def pair(client: Client, *, api_path: str, token: str, api_first: bool) -> tuple[float, float]:
    """Milliseconds for one API request and one baseline request, in the order given."""
    if api_first:
        api_ms = _timed(client, api_path, token)
        return api_ms, _timed(client, BASELINE_PATH, token)
    raw_ms = _timed(client, BASELINE_PATH, token)
    return _timed(client, api_path, token), raw_ms


def profile(client: Client, path: str, token: str, *, requests: int, top: int = 35) -> str:
    """Where an API request's time goes: cProfile over `requests` requests, by cumulative time.

    Only DRF, the ORM, psycopg and api/ are listed; the middleware chain above them is all
    pass-through.
    """
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        _get(client, path, token)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROFILED, top)
    text = out.getvalue()
    for prefix in (str(Path(django.__file__).parent.parent) + "/", str(Path.cwd()) + "/"):
        text = text.replace(prefix, "")
    return text


def main_query(queries: list[RecordedQuery]) -> RecordedQuery:
    """The page query: the statement that reads the slot table."""
    for query in queries:
        if SLOT_TABLE.search(query.sql):
            return query
    raise RuntimeError("the API request read no slots")


def plan(query: RecordedQuery) -> list[str]:
    with connection.cursor() as cursor:
        # The statement is the ORM's own, recorded above; only EXPLAIN is put in front of it.
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query.sql, query.params)
        return [str(row[0]) for row in cursor.fetchall()]


def matching_slots(doctor: User, filters: Filters) -> int:
    """How many open slots the filters match in the window: the page is 25 of these."""
    return open_slots(
        viewer=doctor,
        start=filters.start,
        end=filters.end,
        now=timezone.now(),
        language=filters.language,
        modality=filters.modality,
        region=filters.region,
    ).count()


def baseline_set(queries: list[RecordedQuery]) -> None:
    urls.recorded[:] = queries
