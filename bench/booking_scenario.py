"""The booking scenario: throughput on random free slots, then one hot slot, API beside baseline.

Every round runs the API and the baseline one after the other, alternating which goes first, so
that a machine slowing down for a while weighs on both instead of on whichever ran then.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bench import booking_checks
from bench.booking_clients import API_PATH, Attempt, Caller, Job, together
from bench.booking_population import BookingPopulation, Doctor
from bench.booking_server import Server
from bench.booking_views import BOOKING_BASELINE_PATH
from bench.percentiles import distribution

KINDS = ("api", "baseline")
TABLE = {"api": "bookings_booking", "baseline": "bench_booking"}


@dataclass(frozen=True)
class Load:
    """How hard the bench pushes: clients, requests and rounds."""

    clients: int
    requests: int
    baseline_requests: int
    rounds: int
    warmup: int
    hot_clients: int
    hot_rounds: int
    hot_warmup: int
    idempotency_key: bool


@dataclass
class Tally:
    """What one kind (API or baseline) did over the timed rounds of one case."""

    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    round_ms: list[float] = field(default_factory=list)
    winner_ms: list[float] = field(default_factory=list)
    loser_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    rounds_with_one_winner: int = 0
    rounds_with_one_row: int = 0
    unexpected: list[str] = field(default_factory=list)


def _order(number: int) -> tuple[str, ...]:
    return KINDS if number % 2 == 0 else KINDS[::-1]


def _note_unexpected(tally: Tally, attempts: list[Attempt], expected: set[int]) -> None:
    for attempt in attempts:
        tally.statuses[attempt.status] += 1
        if attempt.status not in expected and len(tally.unexpected) < 5:
            tally.unexpected.append(f"{attempt.status}: {attempt.detail}")


class _Doctors:
    """Hands out doctors in turn, so that requests in flight together are for different doctors."""

    def __init__(self, doctors: list[Doctor]) -> None:
        self._cycle: Iterator[Doctor] = itertools.cycle(doctors)

    def next(self, count: int) -> list[Doctor]:
        return list(itertools.islice(self._cycle, count))


def _throughput_phase(
    callers: list[Caller], jobs: list[Job], tally: Tally | None
) -> tuple[int, list[Attempt]]:
    """Every caller books its share of the jobs back to back; returns the 201s and all attempts."""
    count = len(callers)

    def work(caller: Caller, index: int) -> list[Attempt]:
        return [caller.book(job) for job in jobs[index::count]]

    released, results = together(callers, work)
    attempts = [attempt for attempts in results for attempt in attempts]
    booked = sum(1 for attempt in attempts if attempt.status == 201)
    if tally is not None:
        elapsed = max(attempt.finished for attempt in attempts) - released
        tally.rates.append(booked / elapsed)
        tally.latencies.extend(attempt.milliseconds for attempt in attempts)
        _note_unexpected(tally, attempts, {201})
    return booked, attempts


def _hot_round(
    callers: list[Caller], slot: str, doctors: list[Doctor], kind: str, tally: Tally | None
) -> int:
    """All callers book one slot at once, each for another doctor; returns the 201s."""

    def work(caller: Caller, index: int) -> list[Attempt]:
        return [caller.book(Job(doctor=doctors[index], slot=slot))]

    released, results = together(callers, work)
    attempts = [attempt for attempts in results for attempt in attempts]
    winners = [attempt for attempt in attempts if attempt.status == 201]
    if tally is not None:
        tally.round_ms.append((max(attempt.finished for attempt in attempts) - released) * 1000)
        tally.winner_ms.extend(attempt.milliseconds for attempt in winners)
        tally.loser_ms.extend(attempt.milliseconds for attempt in attempts if attempt.status == 409)
        tally.rounds_with_one_winner += len(winners) == 1
        tally.rounds_with_one_row += booking_checks.active_on_slot(table=TABLE[kind], slot=slot) == 1
        _note_unexpected(tally, attempts, {201, 409})
    return len(winners)


def _callers(server: Server, count: int, *, idempotency_key: bool) -> dict[str, list[Caller]]:
    def make(path: str, key: bool) -> list[Caller]:
        return [
            Caller(host=server.host, port=server.port, path=path, idempotency_key=key) for _ in range(count)
        ]

    return {"api": make(API_PATH, idempotency_key), "baseline": make(BOOKING_BASELINE_PATH, False)}


def _throughput(
    callers: dict[str, list[Caller]],
    pop: BookingPopulation,
    doctors: _Doctors,
    load: Load,
    booked: Counter[str],
) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in KINDS}
    for number in range(load.warmup + load.rounds):
        for kind in _order(number):
            count = load.requests if kind == "api" else load.baseline_requests
            jobs = [
                Job(doctor=doctor, slot=slot)
                for doctor, slot in zip(doctors.next(count), pop.take(count), strict=True)
            ]
            timed = tallies[kind] if number >= load.warmup else None
            made, _ = _throughput_phase(callers[kind][: load.clients], jobs, timed)
            booked[kind] += made
    return tallies


def _hot_slot(
    callers: dict[str, list[Caller]],
    pop: BookingPopulation,
    doctors: _Doctors,
    load: Load,
    booked: Counter[str],
) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in KINDS}
    for number in range(load.hot_warmup + load.hot_rounds):
        for kind in _order(number):
            timed = tallies[kind] if number >= load.hot_warmup else None
            slot = pop.take(1)[0]
            booked[kind] += _hot_round(
                callers[kind][: load.hot_clients], slot, doctors.next(load.hot_clients), kind, timed
            )
    return tallies


def _throughput_report(tallies: dict[str, Tally]) -> dict[str, Any]:
    kinds = {
        kind: {
            "bookings_per_second": round(statistics.median(tally.rates), 1),
            "bookings_per_second_rounds": [round(rate, 1) for rate in tally.rates],
            "latency_ms": distribution(tally.latencies),
            "statuses": dict(tally.statuses),
            "unexpected": tally.unexpected,
        }
        for kind, tally in tallies.items()
    }
    api, baseline = (statistics.median(tallies[kind].rates) for kind in KINDS)
    return kinds | {"ratio": round(api / baseline, 3)}


def _hot_report(tallies: dict[str, Tally], rounds: int) -> dict[str, Any]:
    kinds = {
        kind: {
            "round_ms": distribution(tally.round_ms),
            "winner_ms": distribution(tally.winner_ms),
            "loser_ms": distribution(tally.loser_ms),
            "statuses": dict(tally.statuses),
            "rounds": rounds,
            "rounds_with_one_201": tally.rounds_with_one_winner,
            "rounds_with_one_row": tally.rounds_with_one_row,
            "unexpected": tally.unexpected,
        }
        for kind, tally in tallies.items()
    }
    api, baseline = (statistics.median(tallies[kind].round_ms) for kind in KINDS)
    return kinds | {"ratio": round(api / baseline, 3)}


def scenario_run(
    *, server: Server, pop: BookingPopulation, load: Load, booked: Counter[str]
) -> dict[str, Any]:
    """Both cases, every round interleaved; then the correctness counts over all that was booked.

    `booked` holds the 201s made before (by kind), so that they can be compared with the rows.
    """
    count = max(load.clients, load.hot_clients)
    callers = _callers(server, count, idempotency_key=load.idempotency_key)
    doctors = _Doctors(pop.doctors)
    try:
        throughput = _throughput(callers, pop, doctors, load, booked)
        hot = _hot_slot(callers, pop, doctors, load, booked)
    finally:
        for caller in itertools.chain.from_iterable(callers.values()):
            caller.close()
    checks = {kind: booking_checks.table_checks(TABLE[kind]) | {"201s": booked[kind]} for kind in KINDS}
    checks["api"] |= booking_checks.slot_checks()
    return {
        "throughput": _throughput_report(throughput),
        "hot_slot": _hot_report(hot, load.hot_rounds),
        "checks": checks,
    }
