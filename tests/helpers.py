"""Helpers for tests: problem assertions and running code in concurrent threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is a problem+json of this status and code, with the standard members."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"]
    assert body["detail"]
    assert body["request_id"] == response["X-Request-Id"]
    assert "Traceback" not in response.content.decode()
    return body


def run_concurrently(count: int, work: Callable[[int], T]) -> list[T]:
    """Runs `work(i)` in `count` threads released together; each thread closes its connections."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        try:
            barrier.wait(timeout=30)
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
