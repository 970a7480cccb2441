"""Examples for the metrics part of the spec."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import OpenApiExample

SUPPRESSION: dict[str, Any] = {
    "method": "suppression",
    "threshold": 5,
    "epsilon": None,
    "contribution_bound": None,
    "budget_remaining": None,
}
NOISE: dict[str, Any] = {
    "method": "differential_privacy",
    "threshold": None,
    "epsilon": 0.5,
    "contribution_bound": 3,
    "budget_remaining": 4.5,
}


def _body(
    metric: str, group_by: list[str], entries: list[dict[str, Any]], protection: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "metric": metric,
        "start": "2026-01",
        "end": "2026-02",
        "group_by": group_by,
        "as_of": "2026-11-25T09:00:00Z",
        "protection": protection,
        "entries": entries,
    }


def _count(kind: str, month: str | None, value: int | None, **dims: object) -> dict[str, object]:
    return {"kind": kind, "month": month, **dims, "value": value, "suppressed": value is None}


EXAMPLES = {
    "bookings": [
        OpenApiExample(
            "By month, suppressed",
            value=_body(
                "bookings",
                ["month"],
                [_count("cell", "2026-01", 41), _count("cell", "2026-02", 38), _count("total", None, 79)],
                SUPPRESSION,
            ),
            response_only=True,
        ),
        OpenApiExample(
            "By month and region, with noise",
            value=_body(
                "bookings",
                ["month", "region"],
                [
                    _count("cell", "2026-01", 12, region="vestland"),
                    _count("cell", "2026-01", 30, region=None),
                    _count("row_total", "2026-01", 42, region=None),
                    _count("column_total", None, 12, region="vestland"),
                    _count("column_total", None, 30, region=None),
                    _count("total", None, 42, region=None),
                ],
                NOISE,
            ),
            response_only=True,
        ),
    ],
    "help-seeking": [
        OpenApiExample(
            "By category",
            value=_body(
                "help-seeking",
                [],
                [
                    {"kind": "cell", "category": "advice", "value": 19, "suppressed": False},
                    {"kind": "cell", "category": "not_coping", "value": None, "suppressed": True},
                    {"kind": "cell", "category": "way_back_or_out", "value": None, "suppressed": True},
                    {"kind": "cell", "category": None, "value": 23, "suppressed": False},
                    {"kind": "total", "category": None, "value": 49, "suppressed": False},
                ],
                SUPPRESSION,
            ),
            response_only=True,
        )
    ],
    "cancellations": [
        OpenApiExample(
            "By outcome",
            value=_body(
                "cancellations",
                [],
                [
                    {"kind": "cell", "outcome": "cancelled", "value": 14, "suppressed": False},
                    {"kind": "cell", "outcome": "cancelled_late", "value": None, "suppressed": True},
                    {"kind": "cell", "outcome": "no_show", "value": None, "suppressed": True},
                    {"kind": "total", "outcome": None, "value": 21, "suppressed": False},
                ],
                SUPPRESSION,
            ),
            response_only=True,
        )
    ],
    "waiting-time": [
        OpenApiExample(
            "Over the range",
            value=_body(
                "waiting-time",
                [],
                [{"kind": "total", "median_days": 3.5, "p90_days": 9.0, "suppressed": False}],
                SUPPRESSION,
            ),
            response_only=True,
        )
    ],
    "wellbeing": [
        OpenApiExample(
            "By offset and band",
            value=_body(
                "wellbeing",
                [],
                [
                    {
                        "kind": "cell",
                        "offset_days": 0,
                        "band": "0-28",
                        "value": 6,
                        "suppressed": False,
                        "mean_score": None,
                        "mean_change": None,
                    },
                    {
                        "kind": "row_total",
                        "offset_days": 0,
                        "band": None,
                        "value": 20,
                        "suppressed": False,
                        "mean_score": 44.2,
                        "mean_change": None,
                    },
                    {
                        "kind": "row_total",
                        "offset_days": 10,
                        "band": None,
                        "value": 12,
                        "suppressed": False,
                        "mean_score": 52.0,
                        "mean_change": 7.3,
                    },
                ],
                SUPPRESSION,
            ),
            response_only=True,
        )
    ],
    "followup-response": [
        OpenApiExample(
            "By offset",
            value=_body(
                "followup-response",
                [],
                [
                    {"kind": "cell", "offset_days": 10, "response_rate": 0.62, "suppressed": False},
                    {"kind": "cell", "offset_days": 365, "response_rate": None, "suppressed": True},
                    {"kind": "total", "offset_days": None, "response_rate": 0.58, "suppressed": False},
                ],
                SUPPRESSION,
            ),
            response_only=True,
        )
    ],
}
CSV_EXAMPLE = "kind,month,value,suppressed\ncell,2026-01,41,false\ncell,2026-02,38,false\ntotal,,79,false\n"
PRIVACY_EXAMPLE = {
    "differential_privacy": True,
    "epsilon_per_query": 0.5,
    "budget": 5.0,
    "spent": 1.5,
    "remaining": 3.5,
}
