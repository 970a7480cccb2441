"""Calibrated noise for counts, from OpenDP: never drawn by hand here."""

from __future__ import annotations

from collections.abc import Sequence

import opendp.prelude as dp

# OpenDP asks callers to acknowledge its contributed (not yet formally vetted) components.
dp.enable_features("contrib")


def noisy_counts(counts: Sequence[int], *, epsilon: float, contribution_bound: int) -> list[int]:
    """The counts with discrete Laplace noise, epsilon-DP when one doctor adds at most
    `contribution_bound` to their sum (each booking counts in exactly one cell)."""
    if not counts:
        return []
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)),
        dp.l1_distance(T=int),
        scale=contribution_bound / epsilon,
    )
    # OpenDP's own privacy map is the check that the scale buys the epsilon we charge.
    if measurement.map(contribution_bound) > epsilon * (1 + 1e-9):  # type: ignore[no-untyped-call]
        raise ValueError("the noise scale does not give the epsilon charged")
    return [max(0, int(value)) for value in measurement(list(counts))]
