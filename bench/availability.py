"""Benchmark: GET /v1/availability beside a plain Django view running the same SQL, at x1 and x4.

Loads 500 counsellors (x1) and 2000 (x4), each with weekly hours in Europe/Oslo and 90 days of
open slots, into a PostgreSQL database of its own (one schema per size). In the same interleaved
rounds it times a filtered 14-day page (language, modality, region, 25 slots) at both sizes through
the whole stack, in process with Django's test client, each time beside a plain function view that
runs the statements a real request ran (see bench/urls.py). It prints medians, p90s, the API/raw
ratio, the x4/x1 ratio, the slot counts and the page query's plan, and writes them all to
bench/results/availability.json.

It measures and reports; it asserts nothing about timings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.availability

DATABASE_URL names the server only: the bench creates its own database there (`kollega_bench`,
through the server's `postgres` database) and drops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import django

from bench.database import (
    DEFAULT_SERVER,
    bench_database,
    database_recreate,
    database_url,
    production_environment,
)

RESULTS = Path(__file__).resolve().parent / "results" / "availability.json"
SCALES = (1, 4)
PLAN_HEAD = 14
# The goal, printed beside the numbers (never asserted).
GOAL_RATIO = 1.25
GOAL_FLAT = 1.2


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.availability", description=__doc__.split("\n")[0])
    parser.add_argument("--counsellors", type=int, default=500, help="counsellors at x1 (default 500)")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds per size (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic data")
    parser.add_argument(
        "--database", type=bench_database, default="kollega_bench", help="the database created and dropped"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also cProfile N API requests at each size"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, to explore")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = _options(argv)
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = database_url(server, "postgres")
    production_environment(
        database_url(server, options.database), settings_module="api.settings", allowed_hosts="testserver"
    )
    database_recreate(admin_url, options.database, create=True)
    try:
        django.setup()
        # Models can be imported only once Django is set up, on the database made above.
        from bench.scenario import scenario_run  # noqa: PLC0415

        report = scenario_run(
            counsellors=options.counsellors,
            scales=SCALES,
            rounds=options.rounds,
            warmup=options.warmup,
            seed=options.seed,
            profile=options.profile,
        )
    finally:
        from django.db import connections  # noqa: PLC0415 (see above)

        connections.close_all()
        if not options.keep:
            database_recreate(admin_url, options.database, create=False)
    report["environment"] |= {"python": platform.python_version(), "cpus": os.cpu_count()}
    _print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten to {RESULTS}")
    return 0


def _print(report: dict[str, Any]) -> None:
    env = report["environment"]
    print(
        f"\nGET /v1/availability, {report['query']}\n"
        f"PostgreSQL {env['postgres']}, Django {env['django']}, Python {env['python']}, "
        f"{env['cpus']} CPUs; median and p90 of {report['rounds']} rounds after {report['warmup']} warm-up\n"
    )
    header = (
        f"{'size':<5}{'counsellors':>12}{'slots':>10}{'matching':>10}{'queries':>9}"
        f"{'api median':>12}{'api p90':>10}{'raw median':>12}{'raw p90':>10}{'api/raw':>9}"
    )
    print(header)
    print("-" * len(header))
    for size in report["sizes"]:
        api, raw = size["api_ms"], size["raw_ms"]
        print(
            f"x{size['scale']:<4}{size['counsellors']:>12,}{size['slots']:>10,}{size['matching_slots']:>10,}"
            f"{len(size['queries']):>9}{api['median_ms']:>9.2f} ms{api['p90_ms']:>7.2f} ms"
            f"{raw['median_ms']:>9.2f} ms{raw['p90_ms']:>7.2f} ms{size['ratio']:>9.2f}"
        )
    flat = report["flatness"]
    print(
        f"\napi/raw goal <= {GOAL_RATIO}: "
        + ", ".join(f"x{s['scale']} {s['ratio']:.2f}" for s in report["sizes"])
        + f"\nx4/x1 of the median, goal <= {GOAL_FLAT}: api {flat['api']:.2f}, raw {flat['raw']:.2f}"
    )
    for size in report["sizes"]:
        print(
            f"\nx{size['scale']}: one warm API request ran {len(size['queries'])} statements, "
            f"{size['sql_ms']:.2f} ms of its time; responses {size['api_bytes']:,} bytes (API), "
            f"{size['raw_bytes']:,} bytes (raw), {size['returned']} slots on the page"
        )
        for query in size["queries"]:
            print(f"  {query['milliseconds']:7.2f} ms  {' '.join(query['sql'].split())[:100]}")
        index = "uses" if size["uses_slot_open_start"] else "does NOT use"
        print(f"x{size['scale']}: page query plan ({index} slot_open_start)")
        plan = size["plan"]
        shown = plan if len(plan) <= PLAN_HEAD + 3 else [*plan[:PLAN_HEAD], "...", *plan[-2:]]
        for line in shown:
            print(f"  {line}")
        if size["profile"]:
            print(f"x{size['scale']}: profile of the API request\n{size['profile']}")


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"finished in {time.perf_counter() - started:.0f} s")
    sys.exit(code)
