"""Input and output serializers of the metrics endpoints, one set per metric (names unique)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from api.bookings.models import BookingStatus, HelpSeeking
from api.core.fields import QuerySerializer, StrictBooleanField
from api.counsellors.models import Modality
from api.metrics.definitions import Kind, Metric
from api.metrics.rollups import BANDS
from api.metrics.selectors import OUTCOMES, months_between
from api.metrics.tables import Level

ENTRY_KINDS = [(level.value, level.value) for level in Level]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _title(metric: Metric) -> str:
    return "".join(part.title() for part in metric.name.split("-"))


def _month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def query_serializer_for(metric: Metric) -> type[QuerySerializer]:
    choices = ", ".join(metric.group_by)
    default = ",".join(metric.default_group_by)

    class Query(QuerySerializer):
        start = serializers.RegexField(
            MONTH,
            required=False,
            help_text="The first month, YYYY-MM (default: eleven months before `end`).",
        )
        end = serializers.RegexField(
            MONTH, required=False, help_text="The last month, YYYY-MM (default: this month)."
        )
        group_by = serializers.RegexField(
            r"^[a-z_]*(,[a-z_]+)*$",
            required=False,
            allow_blank=True,
            max_length=100,
            help_text=f"Comma-separated, from: {choices}. Default: `{default}`; empty for the totals only.",
        )

        def validate_group_by(self, value: str) -> tuple[str, ...]:
            chosen = tuple(dict.fromkeys(part for part in value.split(",") if part))
            if unknown := [part for part in chosen if part not in metric.group_by]:
                raise serializers.ValidationError(
                    f"Cannot group {metric.name} by {', '.join(unknown)}; choose from: {choices}.",
                    code="invalid_choice",
                )
            return chosen

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            today = timezone.now().date()
            last = _month(attrs["end"]) if "end" in attrs else today.replace(day=1)
            if "start" in attrs:
                first = _month(attrs["start"])
            else:
                first = months_between(date(last.year - 1, last.month, 1), last)[1]
            if first > last:
                raise serializers.ValidationError({"start": "Must not be after end."}, code="invalid")
            longest = settings.METRICS_MAX_MONTHS
            if len(months_between(first, last)) > longest:
                raise serializers.ValidationError(
                    {"end": f"A range holds at most {longest} months."}, code="range_too_long"
                )
            return {"first": first, "last": last, "group_by": attrs.get("group_by", metric.default_group_by)}

    Query.__name__ = Query.__qualname__ = f"Metrics{_title(metric)}QuerySerializer"
    return Query


class MetricsProtectionOutputSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(
        choices=[("suppression", "suppression"), ("differential_privacy", "differential_privacy")],
        help_text="Which protection the figures got.",
    )
    threshold = serializers.IntegerField(
        allow_null=True, help_text="Suppression: figures resting on fewer doctors than this are withheld."
    )
    epsilon = serializers.FloatField(
        allow_null=True, help_text="Differential privacy: the epsilon this query spent."
    )
    contribution_bound = serializers.IntegerField(
        allow_null=True, help_text="Differential privacy: how many of a doctor's bookings count at most."
    )
    budget_remaining = serializers.FloatField(
        allow_null=True, help_text="Differential privacy: epsilon left."
    )


_DIMENSIONS: dict[str, Any] = {
    "month": lambda: serializers.CharField(required=False, allow_null=True, help_text="YYYY-MM."),
    "region": lambda: serializers.CharField(
        required=False, allow_null=True, help_text="A region's code; in a cell, null is no region."
    ),
    "modality": lambda: serializers.ChoiceField(choices=Modality.choices, required=False, allow_null=True),
    # Plain text: the same choices as a booking's status would rename that enum in the spec.
    "status": lambda: serializers.CharField(
        required=False, allow_null=True, help_text=f"A booking status: {', '.join(BookingStatus.values)}."
    ),
    "category": lambda: serializers.ChoiceField(
        choices=HelpSeeking.choices,
        required=False,
        allow_null=True,
        help_text="In a cell, null is none given.",
    ),
    "outcome": lambda: serializers.ChoiceField(
        choices=[(o, o) for o in OUTCOMES], required=False, allow_null=True
    ),
    "offset_days": lambda: serializers.IntegerField(
        required=False, allow_null=True, help_text="Days after the conversation; 0 is the baseline."
    ),
    "band": lambda: serializers.ChoiceField(
        choices=[(name, name) for name, _, _ in BANDS], required=False, allow_null=True
    ),
}


def _measures(kind: Kind) -> dict[str, Any]:
    suppressed = StrictBooleanField(help_text="Withheld to protect the doctors it rests on.")
    if kind == Kind.WAITING:
        return {
            "median_days": serializers.FloatField(allow_null=True),
            "p90_days": serializers.FloatField(allow_null=True),
            "suppressed": suppressed,
        }
    if kind == Kind.RATE:
        return {
            "response_rate": serializers.FloatField(allow_null=True, help_text="Answered / sent, 0 to 1."),
            "suppressed": suppressed,
        }
    counts = {"value": serializers.IntegerField(allow_null=True), "suppressed": suppressed}
    if kind == Kind.WELLBEING:
        counts |= {
            "mean_score": serializers.FloatField(
                allow_null=True, help_text="Row totals: the mean WHO-5 score."
            ),
            "mean_change": serializers.FloatField(
                allow_null=True, help_text="Row totals: the mean change from the same person's baseline."
            ),
        }
    return counts


def output_serializer_for(metric: Metric) -> type[serializers.Serializer[Any]]:
    title = _title(metric)
    dims = dict.fromkeys((*metric.fixed_rows, *metric.group_by, *metric.fixed_columns))
    fields: dict[str, Any] = {
        "kind": serializers.ChoiceField(
            choices=ENTRY_KINDS,
            help_text="A cell, or a total over the dimensions that are null.",
        )
    }
    fields |= {dim: _DIMENSIONS[dim]() for dim in dims} | _measures(metric.kind)
    entry = type(f"Metrics{title}EntryOutputSerializer", (serializers.Serializer,), fields)
    body = {
        "metric": serializers.CharField(),
        "start": serializers.CharField(help_text="The first month, YYYY-MM."),
        "end": serializers.CharField(help_text="The last month, YYYY-MM."),
        "group_by": serializers.ListField(child=serializers.CharField()),
        "as_of": serializers.DateTimeField(
            allow_null=True, help_text="When the rollups the figures come from were made; null: not yet."
        ),
        "protection": MetricsProtectionOutputSerializer(),
        "entries": entry(many=True),
    }
    return type(f"Metrics{title}OutputSerializer", (serializers.Serializer,), body)


class KeyPrivacyUpdateInputSerializer(serializers.Serializer[Any]):
    differential_privacy = StrictBooleanField(
        help_text="Answer count metrics with noise instead of suppression."
    )
    epsilon_per_query = serializers.FloatField(
        min_value=0.01, max_value=10.0, help_text="What one query spends of the budget."
    )
    budget = serializers.FloatField(min_value=0.0, max_value=1000.0, help_text="The key's total epsilon.")


class KeyPrivacyOutputSerializer(serializers.Serializer[Any]):
    differential_privacy = serializers.BooleanField()
    epsilon_per_query = serializers.FloatField()
    budget = serializers.FloatField()
    spent = serializers.FloatField(help_text="Epsilon spent so far, by the queries in the ledger.")
    remaining = serializers.SerializerMethodField()

    def get_remaining(self, privacy: Any) -> float:
        return float(max(0.0, privacy.budget - privacy.spent))
