"""One client alone: what a booking costs in process, and the statements it runs.

Before the server starts, the bench books a few slots one after the other through each view with
Django's test client (the same settings and URLconf as the server): the time of a booking with no
other load, how much of it the statements took, and the statements of the last one. It also shows
that both views book before any server is started.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from bench.booking_clients import API_PATH, MODALITY
from bench.booking_population import Doctor
from bench.booking_views import BOOKING_BASELINE_PATH
from bench.percentiles import distribution

SQL_SHOWN = 110


def _book(client: Client, *, path: str, doctor: Doctor, slot: str, key: str) -> tuple[float, list[Any]]:
    """Books `slot` through `path`; returns the milliseconds it took and each statement run."""
    recorded: list[dict[str, Any]] = []

    def recorder(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            milliseconds = round((time.perf_counter() - started) * 1000, 3)
            recorded.append({"sql": " ".join(sql.split())[:SQL_SHOWN], "milliseconds": milliseconds})

    headers = {"Authorization": f"Bearer {doctor.token}"}
    if key:
        headers["Idempotency-Key"] = key
    started = time.perf_counter()
    with connection.execute_wrapper(recorder):
        response = client.post(
            path, {"slot": slot, "modality": MODALITY}, content_type="application/json", headers=headers
        )
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 201:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.content[:500]!r}")
    return elapsed, recorded


def solo_run(
    *, doctors: list[Doctor], slots: dict[str, list[str]], idempotency_key: bool
) -> dict[str, dict[str, Any]]:
    """Books `slots[kind]` one by one through each view, alternating; reports the times by kind.

    The statement times leave out the commits: the API commits three times (idempotency claim,
    booking, idempotency record), the baseline's single statement commits as it runs.
    """
    client = Client()
    paths = {"api": API_PATH, "baseline": BOOKING_BASELINE_PATH}
    times: dict[str, list[float]] = {kind: [] for kind in paths}
    sql: dict[str, list[float]] = {kind: [] for kind in paths}
    last: dict[str, list[Any]] = {}
    for number, pair in enumerate(zip(slots["api"], slots["baseline"], strict=True)):
        doctor = doctors[number % len(doctors)]
        for kind, slot in zip(paths, pair, strict=True):
            key = str(uuid.uuid4()) if idempotency_key and kind == "api" else ""
            elapsed, recorded = _book(client, path=paths[kind], doctor=doctor, slot=slot, key=key)
            times[kind].append(elapsed)
            sql[kind].append(sum(statement["milliseconds"] for statement in recorded))
            last[kind] = recorded
    return {
        kind: {
            "request_ms": distribution(times[kind]),
            "sql_ms": distribution(sql[kind]),
            "statements": last[kind],
        }
        for kind in paths
    }
