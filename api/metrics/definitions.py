"""The fixed metrics: what each counts, what it may be grouped by, and how its figures are made."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.db.models import Model, Q

from api.metrics.models import BookingFact, FollowupFact, WellbeingFact


class Kind(enum.Enum):
    COUNT = "count"  # counts, with primary and secondary suppression, or noise
    WAITING = "waiting"  # median and 90th percentile of days waited
    RATE = "rate"  # the share of follow-ups answered
    WELLBEING = "wellbeing"  # a distribution of scores (counts), and means per row


# Dimensions a response may be grouped by. `month` makes the table's rows, the others its columns.
GROUPINGS = ("month", "region", "modality", "status")


@dataclass(frozen=True)
class Metric:
    name: str
    kind: Kind
    model: type[Model]
    group_by: tuple[str, ...]  # what a request may choose, beside the fixed dimensions
    default_group_by: tuple[str, ...] = ("month",)
    fixed_rows: tuple[str, ...] = ()
    fixed_columns: tuple[str, ...] = ()
    where: Q = field(default_factory=Q)


METRICS = {
    metric.name: metric
    for metric in (
        Metric("bookings", Kind.COUNT, BookingFact, group_by=("month", "region", "modality", "status")),
        Metric(
            "help-seeking",
            Kind.COUNT,
            BookingFact,
            group_by=("month", "region"),
            fixed_columns=("category",),
        ),
        Metric(
            "cancellations",
            Kind.COUNT,
            BookingFact,
            group_by=("month", "region", "modality"),
            fixed_columns=("outcome",),
            where=~Q(outcome=""),
        ),
        Metric(
            "waiting-time",
            Kind.WAITING,
            BookingFact,
            group_by=("month", "region", "modality"),
            # A conversation that took place: cancelled bookings waited for nothing.
            where=Q(status__in=["confirmed", "completed", "no_show"]),
        ),
        Metric(
            "wellbeing",
            Kind.WELLBEING,
            WellbeingFact,
            group_by=("month",),
            default_group_by=(),
            fixed_rows=("offset_days",),
            fixed_columns=("band",),
        ),
        Metric(
            "followup-response",
            Kind.RATE,
            FollowupFact,
            group_by=("month",),
            fixed_columns=("offset_days",),
        ),
    )
}
