"""HTTP clients for the booking bench: one connection each, started together at a barrier.

Plain `http.client`, so that a client costs little of the machine's two cores beside the server
and the database. gunicorn's sync workers close each connection after the response; the client
opens a new one on its next request (on loopback that is a fraction of a millisecond, included in
the latency of both the API and the baseline).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.booking_population import Doctor

API_PATH = "/v1/bookings"
MODALITY = "phone"  # every bench counsellor offers phone
DETAIL_BYTES = 300
TIMEOUT = 120.0


@dataclass(frozen=True)
class Attempt:
    """One booking request as the client saw it."""

    status: int
    milliseconds: float
    finished: float  # time.perf_counter() when the response had been read
    detail: str  # the start of the body of an error response, to explain it


@dataclass(frozen=True)
class Job:
    doctor: Doctor
    slot: str


class Caller:
    """One client of the server, booking on behalf of whichever doctor it is given."""

    def __init__(self, *, host: str, port: int, path: str, idempotency_key: bool) -> None:
        self._connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        self._path = path
        self._idempotency_key = idempotency_key

    def book(self, job: Job) -> Attempt:
        body = json.dumps({"slot": job.slot, "modality": MODALITY})
        headers = {"Authorization": f"Bearer {job.doctor.token}", "Content-Type": "application/json"}
        if self._idempotency_key:
            # As the SDK does on every POST: a fresh key per booking, never a retry here.
            headers["Idempotency-Key"] = str(uuid.uuid4())
        started = time.perf_counter()
        self._connection.request("POST", self._path, body, headers)
        response = self._connection.getresponse()
        content = response.read()
        finished = time.perf_counter()
        detail = content[:DETAIL_BYTES].decode(errors="replace") if response.status >= 400 else ""
        return Attempt(
            status=response.status,
            milliseconds=(finished - started) * 1000,
            finished=finished,
            detail=detail,
        )

    def close(self) -> None:
        self._connection.close()


def together(
    callers: Sequence[Caller], work: Callable[[Caller, int], list[Attempt]]
) -> tuple[float, list[list[Attempt]]]:
    """Runs `work(caller, index)` on every caller in a thread of its own, all released at once.

    Returns when the barrier fell (time.perf_counter()) and each caller's attempts.
    """
    barrier = threading.Barrier(len(callers) + 1)
    results: list[list[Attempt]] = [[] for _ in callers]
    failures: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(callers[index], index)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(len(callers))]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed") from failures[0]
    return released, results
