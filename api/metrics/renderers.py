"""Metrics as CSV (`Accept: text/csv`): one line per entry, the same entries as the JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer


class MetricsCsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        entries: list[dict[str, Any]] = data["entries"]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(entries[0]), lineterminator="\n")
        writer.writeheader()
        for entry in entries:
            writer.writerow({name: "" if value is None else _cell(value) for name, value in entry.items()})
        return out.getvalue().encode()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
