"""The availability scenario: each data size in a schema of its own, all timed in the same rounds.

Both sizes live side by side in the bench database (schemas `x1` and `x4`), and every round times
each of them in turn, so that a machine that slows down for a while (a shared CI runner, another
process) weighs on both sizes and on both views alike instead of on whichever was measured then.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.test import Client, override_settings
from django.utils import timezone

from api.accounts.models import User
from api.accounts.sessions import session_start
from api.availability.models import Slot
from bench import measure, population
from bench.measure import Filters, Timing
from bench.urls import BASELINE_PATH, RecordedQuery

WINDOW = timedelta(days=14)
PAGE = 25
EXCLUDED = 3
SYNC_SAMPLE = 5
INDEX = "slot_open_start"


@dataclass
class Dataset:
    """One data size: its schema, what was loaded there, and what its timed request needs."""

    scale: int
    counsellors: int
    doctor: User
    filters: Filters
    load: dict[str, Any]
    token: str = ""
    baseline: list[RecordedQuery] = field(default_factory=list)
    api: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return f"x{self.scale}"

    @property
    def path(self) -> str:
        return f"/v1/availability?{self.filters.query_string()}"


class _SearchPath:
    """Points the connection at one dataset's schema, and any new connection too."""

    schema = "public"

    def use(self, schema: str) -> None:
        self.schema = schema
        with connection.cursor() as cursor:
            self.apply(cursor)

    def apply(self, cursor: Any) -> None:
        cursor.execute(f"SET search_path TO {connection.ops.quote_name(self.schema)}")

    def on_connect(self, sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            self.apply(cursor)


search_path = _SearchPath()
connection_created.connect(search_path.on_connect)


def _filters(pop: population.Population, now: datetime) -> Filters:
    start = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return Filters(
        start=start,
        end=start + WINDOW,
        region=pop.regions[0].id,
        language="en",
        modality="video",
        limit=PAGE,
    )


def _dataset_load(*, scale: int, counsellors: int, seed: int, started_at: datetime) -> Dataset:
    """A schema of its own with `counsellors` counsellors; the same seed makes x4 a superset of x1."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(f'x{scale}')}")
    search_path.use(f"x{scale}")
    # Content types are cached per process; each schema has rows of its own.
    ContentType.objects.clear_cache()
    call_command("migrate", verbosity=0)
    pop = population.population_create()
    now = timezone.now()
    made = population.counsellors_add(pop, first=0, count=counsellors, now=now, seed=seed)
    if not population.slots_sync_agrees(sample=SYNC_SAMPLE, now=now):
        raise RuntimeError("slots_sync would change the bulk-loaded slots: the loader is out of date")
    doctor = population.doctor_create(pop, excluded=EXCLUDED)
    load = {"slots_loaded": made, "load_seconds": round(time.perf_counter() - started, 1)}
    return Dataset(
        scale=scale, counsellors=counsellors, doctor=doctor, filters=_filters(pop, started_at), load=load
    )


def _vacuum_analyze() -> None:
    # As tables settle in production; without it the first reads would also set hint bits.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def _prepare(client: Client, dataset: Dataset) -> None:
    """A session for the doctor, and the statements of one real request for the baseline to run."""
    search_path.use(dataset.schema)
    dataset.token = session_start(user=dataset.doctor).access
    dataset.baseline = measure.record(client, dataset.path, dataset.token).queries


def _rounds(client: Client, datasets: list[Dataset], *, rounds: int, warmup: int) -> None:
    """Every round times each size in turn (rotating which goes first), API and baseline alternating."""
    for number in range(warmup + rounds):
        shift = number % len(datasets)
        for dataset in datasets[shift:] + datasets[:shift]:
            search_path.use(dataset.schema)
            measure.baseline_set(dataset.baseline)
            api_ms, raw_ms = measure.pair(
                client, api_path=dataset.path, token=dataset.token, api_first=bool(number % 2)
            )
            if number >= warmup:
                dataset.api.append(api_ms)
                dataset.raw.append(raw_ms)


def _report(client: Client, dataset: Dataset, *, profile: int) -> dict[str, Any]:
    search_path.use(dataset.schema)
    measure.baseline_set(dataset.baseline)
    api, raw = Timing.of(dataset.api), Timing.of(dataset.raw)
    # Statement times are shown from a warm request; the recorded first one paid for cold caches.
    warm = measure.record(client, dataset.path, dataset.token)
    page_query = measure.main_query(dataset.baseline)
    plan = measure.plan(page_query)
    profiled = measure.profile(client, dataset.path, dataset.token, requests=profile) if profile else None
    return {
        "scale": dataset.scale,
        "counsellors": dataset.counsellors,
        "slots": Slot.objects.count(),
        "matching_slots": measure.matching_slots(dataset.doctor, dataset.filters),
        "returned": warm.returned,
        "api_bytes": warm.body_bytes,
        "raw_bytes": measure.body_bytes(client, BASELINE_PATH, dataset.token),
        "api_ms": asdict(api),
        "raw_ms": asdict(raw),
        "ratio": round(api.median_ms / raw.median_ms, 3),
        "queries": [{"sql": q.sql, "milliseconds": round(q.milliseconds, 3)} for q in warm.queries],
        "sql_ms": round(sum(q.milliseconds for q in warm.queries), 3),
        "page_sql": page_query.sql,
        "page_params": [str(p) for p in page_query.params or ()],
        "plan": plan,
        "uses_slot_open_start": any(INDEX in line for line in plan),
        "samples_api_ms": [round(ms, 3) for ms in dataset.api],
        "samples_raw_ms": [round(ms, 3) for ms in dataset.raw],
        "profile": profiled,
    } | dataset.load


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
        return str(row[0]) if row else "unknown"


def scenario_run(
    *, counsellors: int, scales: tuple[int, ...], rounds: int, warmup: int, seed: int, profile: int
) -> dict[str, Any]:
    started_at = timezone.now()
    datasets = [
        _dataset_load(scale=scale, counsellors=counsellors * scale, seed=seed, started_at=started_at)
        for scale in scales
    ]
    _vacuum_analyze()
    client = Client()
    with override_settings(ROOT_URLCONF="bench.urls"):
        for dataset in datasets:
            _prepare(client, dataset)
        _rounds(client, datasets, rounds=rounds, warmup=warmup)
        sizes = [_report(client, dataset, profile=profile) for dataset in datasets]
    return {
        "query": f"?{datasets[0].filters.query_string()}",
        "rounds": rounds,
        "warmup": warmup,
        "environment": {
            "postgres": _server_version(),
            "django": django.get_version(),
            "cache": settings.CACHES["default"]["BACKEND"],
        },
        "sizes": sizes,
        "flatness": {
            "api": round(sizes[-1]["api_ms"]["median_ms"] / sizes[0]["api_ms"]["median_ms"], 3),
            "raw": round(sizes[-1]["raw_ms"]["median_ms"] / sizes[0]["raw_ms"]["median_ms"], 3),
        },
    }
