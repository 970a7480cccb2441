"""What one booking costs the database: the statements of one API booking and of one baseline booking.

Recorded in process with Django's test client (the same settings and URLconf as the server), once,
before the timed rounds; it also shows that both views book before any server is started.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from bench.booking_clients import API_PATH, MODALITY
from bench.booking_population import Doctor
from bench.booking_views import BOOKING_BASELINE_PATH

SQL_SHOWN = 110


def statements(*, path: str, doctor: Doctor, slot: str, idempotency_key: str | None) -> list[dict[str, Any]]:
    """Books `slot` through `path` and returns each statement run, with its time in milliseconds."""
    recorded: list[dict[str, Any]] = []

    def recorder(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            milliseconds = round((time.perf_counter() - started) * 1000, 3)
            recorded.append({"sql": " ".join(sql.split())[:SQL_SHOWN], "milliseconds": milliseconds})

    headers = {"Authorization": f"Bearer {doctor.token}"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    with connection.execute_wrapper(recorder):
        response = Client().post(
            path, {"slot": slot, "modality": MODALITY}, content_type="application/json", headers=headers
        )
    if response.status_code != 201:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.content[:500]!r}")
    return recorded


def statements_of_both(*, doctor: Doctor, slots: list[str], idempotency_key: str | None) -> dict[str, Any]:
    api_slot, baseline_slot = slots
    return {
        "api": statements(path=API_PATH, doctor=doctor, slot=api_slot, idempotency_key=idempotency_key),
        "baseline": statements(
            path=BOOKING_BASELINE_PATH, doctor=doctor, slot=baseline_slot, idempotency_key=None
        ),
    }
