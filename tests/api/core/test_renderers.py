"""The orjson renderer writes the very bytes DRF's JSON renderer writes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail

from api.core.renderers import JSONRenderer

SAMPLES = {
    "scalars": {"text": "Ærlig talt ☕", "int": 7, "float": 0.1, "big": 2**53, "yes": True, "none": None},
    "nested": {"results": [{"id": "a", "tags": ["x", "y"]}, {"id": "b", "tags": []}], "next": None},
    "datetimes": {
        "utc": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        "micro": datetime(2026, 3, 29, 0, 30, 0, 123456, tzinfo=UTC),
        "oslo": datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Oslo")),
        "naive": datetime(2026, 1, 1, 9),
        "date": date(2026, 11, 25),
        "time": time(16, 45),
        "duration": timedelta(minutes=45),
    },
    "other types": {
        "uuid": uuid.UUID("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"),
        "decimal": Decimal("12.50"),
        "lazy": gettext_lazy("Not found."),
        "error": ErrorDetail("Must be a string.", code="invalid_type"),
        "tuple": (1, 2),
        "bytes": b"raw",
    },
    "keys that are not strings": {1: "one", 2.5: "two and a half", False: "no", None: "nothing"},
    "line separators": {"text": "one\u2028two\u2029three"},
    "empty": {},
}


@pytest.mark.parametrize("data", SAMPLES.values(), ids=SAMPLES.keys())
def test_the_bytes_are_drfs(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_nothing_renders_as_nothing():
    assert JSONRenderer().render(None) == b""


def test_an_indented_layout_asked_for_is_given():
    data = SAMPLES["nested"]
    rendered = JSONRenderer().render(data, "application/json; indent=2", {})

    assert rendered == renderers.JSONRenderer().render(data, "application/json; indent=2", {})
    assert rendered.startswith(b'{\n  "results"')
