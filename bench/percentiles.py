"""Latency distributions as the booking bench reports them."""

from __future__ import annotations

import statistics


def distribution(samples: list[float]) -> dict[str, float]:
    """Count, minimum, p50, p90, p99 and maximum (nearest rank), in the samples' unit."""
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {
        "n": len(ordered),
        "min": round(ordered[0], 2),
        "p50": round(statistics.median(ordered), 2),
        "p90": at(0.9),
        "p99": at(0.99),
        "max": round(ordered[-1], 2),
    }
