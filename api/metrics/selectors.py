"""Reads for metrics: a metric's figures over a range of months, from the rollups only.

Each response costs a fixed number of queries, whatever the data: the regions (when grouped by
region), the rollup time, and one grouped query per level of the table (cells, row totals, column
totals, grand total), plus one for a metric's distribution or means.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import product
from typing import Any

from django.db.models import Avg, Case, Count, Q, QuerySet, When

from api.bookings.models import BookingStatus, HelpSeeking
from api.counsellors.models import Modality, Region
from api.metrics.definitions import Kind, Metric
from api.metrics.models import Rollup
from api.metrics.noise import noisy_counts
from api.metrics.rollups import BANDS
from api.metrics.suppression import Figure
from api.metrics.tables import Key, Layout, Level, entries, suppressed_entries
from api.organisations.models import Organisation

OUTCOMES = ("cancelled", "cancelled_late", "no_show")


@dataclass(frozen=True)
class MetricsQuery:
    organisation: Organisation
    metric: Metric
    first: date  # the first day of the first month
    last: date  # the first day of the last month
    group_by: tuple[str, ...]


@dataclass(frozen=True)
class Noise:
    epsilon: float
    contribution_bound: int


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def rollup_time(*, organisation: Organisation) -> datetime | None:
    return Rollup.objects.filter(organisation=organisation).values_list("as_of", flat=True).first()


def _domain(dim: str, query: MetricsQuery) -> list[Any]:
    organisation = query.organisation
    if dim == "month":
        return months_between(query.first, query.last)
    if dim == "region":
        codes = (
            Region.objects.filter(organisation=organisation).order_by("code").values_list("code", flat=True)
        )
        return [*codes, ""]
    if dim == "offset_days":
        return sorted({0, *organisation.followup_offsets_days})
    fixed: dict[str, list[Any]] = {
        "modality": [m.value for m in Modality],
        "status": [s.value for s in BookingStatus],
        "category": [c.value for c in HelpSeeking] + [""],
        "outcome": list(OUTCOMES),
        "band": [name for name, _, _ in BANDS],
    }
    return fixed[dim]


def layout_of(query: MetricsQuery) -> tuple[Layout, dict[str, list[Any]]]:
    metric = query.metric
    row_dims = (("month",) if "month" in query.group_by else ()) + metric.fixed_rows
    grouped = tuple(d for d in metric.group_by if d in query.group_by and d != "month")
    column_dims = metric.fixed_columns + grouped
    domains = {dim: _domain(dim, query) for dim in row_dims + column_dims}
    layout = Layout(
        row_dims=row_dims,
        column_dims=column_dims,
        rows=list(product(*(domains[d] for d in row_dims))),
        columns=list(product(*(domains[d] for d in column_dims))),
    )
    return layout, domains


def _facts(query: MetricsQuery, domains: Mapping[str, list[Any]]) -> QuerySet[Any]:
    # Only values in the table's domains: then every total is exactly the sum of its cells.
    within = {f"{dim}__in": values for dim, values in domains.items() if dim != "month"}
    return (
        query.metric.model._default_manager.filter(
            organisation=query.organisation, month__gte=query.first, month__lte=query.last
        )
        .filter(query.metric.where)
        .filter(**within)
    )


def _grouped(facts: QuerySet[Any], dims: tuple[str, ...], **measures: Any) -> dict[Key, dict[str, Any]]:
    if not dims:
        return {(): facts.aggregate(**measures)}
    rows = facts.values(*dims).annotate(**measures).order_by()
    return {tuple(row[dim] for dim in dims): row for row in rows}


def _counted(layout: Layout, facts: QuerySet[Any], **measures: Any) -> dict[Level, dict[Key, dict[str, Any]]]:
    measures = {"value": Count("pk"), "doctors": Count("subject", distinct=True)} | measures
    return {level: _grouped(facts, dims, **measures) for level, dims in layout.levels().items()}


def _figures(counted: Mapping[Level, Mapping[Key, Mapping[str, Any]]]) -> dict[Level, dict[Key, Figure]]:
    return {
        level: {
            key: Figure(value=row["value"] or 0, doctors=row["doctors"] or 0) for key, row in rows.items()
        }
        for level, rows in counted.items()
    }


def _count_entries(layout: Layout, facts: QuerySet[Any], *, threshold: int) -> list[dict[str, Any]]:
    figures = _figures(_counted(layout, facts))
    hidden = suppressed_entries(layout, figures, threshold=threshold)

    def publish(level: Level, row: Key, column: Key) -> dict[str, Any]:
        if (level, row, column) in hidden:
            return {"value": None, "suppressed": True}
        figure = figures[level].get(row + column)
        return {"value": figure.value if figure else 0, "suppressed": False}

    return entries(layout, publish)


def _noisy_entries(layout: Layout, facts: QuerySet[Any], *, noise: Noise) -> list[dict[str, Any]]:
    # Noise on the cells only; the totals are their sums, which costs no more privacy.
    bounded = facts.filter(ordinal__lte=noise.contribution_bound)
    counted = _grouped(bounded, layout.dims, value=Count("pk"))
    cells = layout.keys(Level.CELL)
    values = noisy_counts(
        [(counted.get(row + column) or {}).get("value") or 0 for row, column in cells],
        epsilon=noise.epsilon,
        contribution_bound=noise.contribution_bound,
    )
    sums: dict[tuple[Level, Key, Key], int] = defaultdict(int)
    for (row, column), value in zip(cells, values, strict=True):
        for level, key in _rolled_into(layout, row, column):
            sums[(level, *key)] += value

    def publish(level: Level, row: Key, column: Key) -> dict[str, Any]:
        return {"value": sums[(level, row, column)], "suppressed": False}

    return entries(layout, publish)


def _rolled_into(layout: Layout, row: Key, column: Key) -> list[tuple[Level, tuple[Key, Key]]]:
    """The entries a cell adds to: itself and each total the table has."""
    targets = {Level.CELL: (row, column), Level.ROW_TOTAL: (row, ()), Level.COLUMN_TOTAL: ((), column)}
    return [(level, targets.get(level, ((), ()))) for level in layout.levels()]


def _percentile(histogram: Counter[int], share: float) -> float:
    """The nearest-rank percentile: the least value with at least `share` of the values at or below it."""
    total = sum(histogram.values())
    needed, seen = share * total, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= needed:
            return float(value)
    return float(max(histogram))


def _median(histogram: Counter[int]) -> float:
    values = sorted(histogram.elements())
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _waiting_entries(layout: Layout, facts: QuerySet[Any], *, threshold: int) -> list[dict[str, Any]]:
    doctors = _figures(_counted(layout, facts))
    histograms: dict[tuple[Level, Key, Key], Counter[int]] = defaultdict(Counter)
    rows = facts.values(*layout.dims, "waiting_days").annotate(n=Count("pk")).order_by()
    split = len(layout.row_dims)
    for row in rows:
        key = tuple(row[dim] for dim in layout.dims)
        for level, (r, c) in _rolled_into(layout, key[:split], key[split:]):
            histograms[(level, r, c)][row["waiting_days"]] += row["n"]

    def publish(level: Level, row: Key, column: Key) -> dict[str, Any]:
        figure = doctors[level].get(row + column)
        histogram = histograms.get((level, row, column))
        if figure is None or figure.doctors < threshold or not histogram:
            return {"median_days": None, "p90_days": None, "suppressed": True}
        return {
            "median_days": _median(histogram),
            "p90_days": _percentile(histogram, 0.9),
            "suppressed": False,
        }

    return entries(layout, publish)


def _rate_entries(layout: Layout, facts: QuerySet[Any], *, threshold: int) -> list[dict[str, Any]]:
    counted = _counted(layout, facts, answered=Count("pk", filter=Q(answered=True)))

    def publish(level: Level, row: Key, column: Key) -> dict[str, Any]:
        found = counted[level].get(row + column)
        if not found or (found["doctors"] or 0) < threshold or not found["value"]:
            return {"response_rate": None, "suppressed": True}
        return {"response_rate": round(found["answered"] / found["value"], 3), "suppressed": False}

    return entries(layout, publish)


def _wellbeing_entries(layout: Layout, facts: QuerySet[Any], *, threshold: int) -> list[dict[str, Any]]:
    figures = _figures(_counted(layout, facts))
    hidden = suppressed_entries(layout, figures, threshold=threshold)
    means = _grouped(
        facts,
        layout.row_dims,
        mean_score=Avg("score"),
        doctors=Count("subject", distinct=True),
        mean_change=Avg("change"),
        # A CASE, not FILTER: SQLite refuses FILTER on a DISTINCT count.
        changed=Count(Case(When(change__isnull=False, then="subject")), distinct=True),
    )

    def publish(level: Level, row: Key, column: Key) -> dict[str, Any]:
        figure = figures[level].get(row + column)
        counts: dict[str, Any] = (
            {"value": None, "suppressed": True}
            if (level, row, column) in hidden
            else {"value": figure.value if figure else 0, "suppressed": False}
        )
        found = means.get(row) if level == Level.ROW_TOTAL else None
        # Means only over at least k doctors, whatever happens to the counts beside them.
        mean = round(found["mean_score"], 1) if found and found["doctors"] >= threshold else None
        change = round(found["mean_change"], 1) if found and found["changed"] >= threshold else None
        return counts | {"mean_score": mean, "mean_change": change}

    return entries(layout, publish)


def metric_entries(*, query: MetricsQuery, noise: Noise | None = None) -> list[dict[str, Any]]:
    """The metric's published entries; with `noise`, counts are noisy instead of suppressed."""
    layout, domains = layout_of(query)
    facts = _facts(query, domains)
    threshold = query.organisation.suppression_threshold
    kind = query.metric.kind
    if kind == Kind.COUNT:
        if noise is not None:
            return _noisy_entries(layout, facts, noise=noise)
        return _count_entries(layout, facts, threshold=threshold)
    if kind == Kind.WAITING:
        return _waiting_entries(layout, facts, threshold=threshold)
    if kind == Kind.RATE:
        return _rate_entries(layout, facts, threshold=threshold)
    return _wellbeing_entries(layout, facts, threshold=threshold)
