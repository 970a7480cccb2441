"""Benchmark: POST /v1/bookings in a real HTTP server beside a plain view booking with one INSERT.

Loads 500 counsellors with 90 days of open slots (the availability bench's data) and 300 signed-in
doctors into a PostgreSQL database of its own, starts gunicorn on 127.0.0.1 with production
settings (DEBUG off) and times two cases, each in interleaved rounds with its baseline:

- random free slots: 16 clients book distinct random open slots back to back; bookings per second
  (median of the rounds) and the latency distribution;
- one hot slot: 32 clients book the same slot at once, released by a barrier; the winner's and the
  31 losers' latencies and the round's time, and whether exactly one booking was made.

The baseline is a plain Django function view doing a single INSERT (see bench/booking_views.py).
It prints the figures and the correctness counts, and writes them to bench/results/booking.json.
It measures and reports; it asserts nothing about timings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.booking

DATABASE_URL names the server only: the bench creates its own database there
(`kollega_bench_booking`, through the server's `postgres` database) and drops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import django

from bench.booking_report import report_print
from bench.database import (
    DEFAULT_SERVER,
    bench_database,
    database_recreate,
    database_url,
    production_environment,
)

RESULTS = Path(__file__).resolve().parent / "results"
# The server holds one connection per worker; PostgreSQL's 100 are shared with other work.
MAX_WORKERS = 40


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.booking", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--counsellors", type=int, default=500, help="counsellors with open slots (default 500)")
    add("--doctors", type=int, default=300, help="signed-in doctors who book (default 300)")
    add("--clients", type=int, default=16, help="concurrent clients on random slots (default 16)")
    add("--requests", type=int, default=320, help="API bookings per phase on random slots (default 320)")
    # The baseline books ten times as fast; a phase of the same length averages out the same noise.
    add("--baseline-requests", type=int, default=1600, help="baseline bookings per phase (default 1600)")
    add("--rounds", type=int, default=6, help="timed rounds on random slots (default 6)")
    add("--warmup", type=int, default=2, help="untimed rounds on random slots first (default 2)")
    add("--hot-clients", type=int, default=32, help="clients racing for the hot slot (default 32)")
    add("--hot-rounds", type=int, default=20, help="timed hot-slot rounds (default 20)")
    add("--hot-warmup", type=int, default=2, help="untimed hot-slot rounds first (default 2)")
    add("--solo", type=int, default=20, help="bookings by one client alone, in process (default 20)")
    add("--workers", type=int, default=0, help="gunicorn sync workers (default: as many as hot clients)")
    add("--no-idempotency-key", action="store_true", help="send API bookings without an Idempotency-Key")
    add("--seed", type=int, default=1, help="seed of the synthetic data and the slot order")
    add("--database", type=bench_database, default="kollega_bench_booking", help="created and dropped")
    add("--keep", action="store_true", help="keep the database afterwards, to explore")
    options = parser.parse_args(argv)
    options.workers = options.workers or options.hot_clients
    if not 1 <= options.workers <= MAX_WORKERS:
        parser.error(f"--workers must be 1 to {MAX_WORKERS} (each holds a database connection)")
    return options


def _run(options: argparse.Namespace) -> dict[str, Any]:
    # Models can be imported only once Django is set up, on the database made by main().
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from bench.booking_population import booking_population_load  # noqa: PLC0415
    from bench.booking_scenario import Load, scenario_run  # noqa: PLC0415
    from bench.booking_server import server_running  # noqa: PLC0415
    from bench.booking_statements import solo_run  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    pop = booking_population_load(counsellors=options.counsellors, doctors=options.doctors, seed=options.seed)
    solo = solo_run(
        doctors=pop.doctors,
        slots={kind: pop.take(options.solo) for kind in ("api", "baseline")},
        idempotency_key=not options.no_idempotency_key,
    )
    load = Load(
        clients=options.clients,
        requests=options.requests,
        baseline_requests=options.baseline_requests,
        rounds=options.rounds,
        warmup=options.warmup,
        hot_clients=options.hot_clients,
        hot_rounds=options.hot_rounds,
        hot_warmup=options.hot_warmup,
        idempotency_key=not options.no_idempotency_key,
    )
    # The bookings of the solo run, to be found in the tables with the others.
    booked = Counter({"api": options.solo, "baseline": options.solo})
    # Other work on the machine shows here: the run's figures are worth what its load allowed.
    load_before = os.getloadavg()
    with server_running(workers=options.workers, log=RESULTS / "booking-server.log") as server:
        results = scenario_run(server=server, pop=pop, load=load, booked=booked)
    load_after = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return {
        "environment": {
            "postgres": str(row[0]) if row else "unknown",
            "django": django.get_version(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "cache": settings.CACHES["default"]["BACKEND"],
            "server": f"gunicorn, {options.workers} sync workers, 127.0.0.1",
            "load_average_1min": [round(load_before[0], 1), round(load_after[0], 1)],
        },
        "data": {
            "counsellors": pop.counsellors,
            "open_slots": pop.slots,
            "doctors": len(pop.doctors),
            "load_seconds": pop.load_seconds,
        },
        "load": asdict(load),
        "solo": solo,
    } | results


def main(argv: Sequence[str] | None = None) -> int:
    options = _options(argv)
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = database_url(server, "postgres")
    production_environment(
        database_url(server, options.database),
        settings_module="bench.settings",
        allowed_hosts="127.0.0.1,testserver",
        # The doctors sign in once, before the rounds; their access tokens must outlive the run.
        JWT_ACCESS_MINUTES="120",
    )
    database_recreate(admin_url, options.database, create=True)
    try:
        django.setup()
        report = _run(options)
    finally:
        from django.db import connections  # noqa: PLC0415 (see _run)

        connections.close_all()
        if not options.keep:
            database_recreate(admin_url, options.database, create=False)
    report_print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "booking.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"finished in {time.perf_counter() - started:.0f} s")
    sys.exit(code)
