"""Prints the booking bench's report: the two cases with their ratios, then the correctness counts."""

from __future__ import annotations

from typing import Any


def _ms(distribution: dict[str, float]) -> str:
    if not distribution:
        return "-"
    return f"{distribution['p50']:.1f} / {distribution['p90']:.1f} ms"


def _throughput(report: dict[str, Any]) -> None:
    load, throughput = report["load"], report["throughput"]
    print(
        f"\nRandom free slots: {load['clients']} clients, {load['requests']} API and "
        f"{load['baseline_requests']} baseline bookings per phase, "
        f"median of {load['rounds']} rounds after {load['warmup']} warm-up"
    )
    header = f"{'':<10}{'bookings/s':>12}{'latency p50 / p90':>22}{'rounds (bookings/s)':>40}"
    print(header)
    print("-" * len(header))
    for kind in ("api", "baseline"):
        line = throughput[kind]
        rounds = " ".join(f"{rate:.0f}" for rate in line["bookings_per_second_rounds"])
        print(f"{kind:<10}{line['bookings_per_second']:>12.1f}{_ms(line['latency_ms']):>22}{rounds:>40}")
    print(f"API/baseline, bookings per second: {throughput['ratio']:.3f}")


def _hot(report: dict[str, Any]) -> None:
    load, hot = report["load"], report["hot_slot"]
    print(
        f"\nOne hot slot: {load['hot_clients']} clients at once, {load['hot_rounds']} rounds after "
        f"{load['hot_warmup']} warm-up (p50 / p90)"
    )
    header = f"{'':<10}{'round':>20}{'winner':>20}{'losers':>20}{'one 201':>10}{'one row':>10}"
    print(header)
    print("-" * len(header))
    for kind in ("api", "baseline"):
        line = hot[kind]
        print(
            f"{kind:<10}{_ms(line['round_ms']):>20}{_ms(line['winner_ms']):>20}{_ms(line['loser_ms']):>20}"
            f"{line['rounds_with_one_201']:>6}/{line['rounds']:<3}{line['rounds_with_one_row']:>6}/{line['rounds']:<3}"
        )
    print(f"API/baseline, median round time: {hot['ratio']:.3f}")


def _checks(report: dict[str, Any]) -> None:
    print("\nCorrectness, over every booking of the run (counts, not timings):")
    for kind, counts in report["checks"].items():
        print(f"  {kind:<10}" + ", ".join(f"{name} {value}" for name, value in counts.items()))
    for case in ("throughput", "hot_slot"):
        for kind in ("api", "baseline"):
            for line in report[case][kind]["unexpected"]:
                print(f"  UNEXPECTED in {case} ({kind}): {line}")


def _solo(report: dict[str, Any]) -> None:
    print("\nOne client alone, in process (p50 / p90; statement times leave out the API's commits):")
    for kind, solo in report["solo"].items():
        print(
            f"  {kind:<10}{solo['request_ms']['n']} bookings: request {_ms(solo['request_ms'])}, "
            f"statements {_ms(solo['sql_ms'])}, {len(solo['statements'])} statements"
        )
    for kind, solo in report["solo"].items():
        print(f"\nThe statements of the last {kind} booking:")
        for statement in solo["statements"]:
            print(f"  {statement['milliseconds']:7.2f} ms  {statement['sql']}")


def report_print(report: dict[str, Any]) -> None:
    env, data = report["environment"], report["data"]
    print(
        f"\nPOST /v1/bookings beside a single-INSERT view; {env['server']}\n"
        f"PostgreSQL {env['postgres']}, Django {env['django']}, Python {env['python']}, {env['cpus']} CPUs, "
        f"cache {env['cache'].rsplit('.', 1)[-1]}; load average {env['load_average_1min'][0]} before the "
        f"rounds, {env['load_average_1min'][1]} after\n"
        f"{data['counsellors']:,} counsellors, {data['open_slots']:,} open slots, {data['doctors']} doctors "
        f"(loaded in {data['load_seconds']} s)"
    )
    _throughput(report)
    _hot(report)
    _checks(report)
    _solo(report)
