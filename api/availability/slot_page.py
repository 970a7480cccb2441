"""The availability page on PostgreSQL: open slots read by one hand-written statement.

`GET /v1/availability` is the read that apps and association widgets poll all day. Building and
compiling its ORM query took about 2 ms per request, two thirds of what PostgreSQL took to plan
and run it (bench/README.md). Here the statement is written out once, with a few optional conditions, and
only its parameters change per request. It selects exactly what `selectors.open_slots` and
`selectors.open_slot_rows` select; a test compares the two for every combination of filters, so
that the ORM (which SQLite and booking alternatives use) and this statement cannot drift apart.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.dateparse import parse_datetime

from api.counsellors.models import Modality

# The modality filter names a column: a `Modality` value, which is also its column's name
# (`ModalityFlags`), so `Modality(...)` refuses anything else. Everything else put into the
# statement's text is a table alias or a condition of this module (hence the S608 exemptions
# below); values are always parameters.

# Columns named as `open_slot_rows` names them, so that `serializers.slots_of_rows` reads either;
# a region is read as [id, code, name] and made a dict below.
_SELECT = """
SELECT s.id, s.start, s."end", s.phone, s.video, s.in_person, s.counsellor_id,
    c.display_name AS counsellor__display_name, c.time_zone AS counsellor__time_zone,
    c.phone AS counsellor__phone, c.video AS counsellor__video, c.in_person AS counsellor__in_person,
    ARRAY(
        SELECT l.code FROM counsellors_counsellorlanguage l
        WHERE l.counsellor_id = s.counsellor_id ORDER BY l.code
    ) AS languages,
    ARRAY(
        SELECT ARRAY[r.id::text, r.code, r.name]
        FROM counsellors_region r
        JOIN counsellors_counsellorprofile_regions cr ON cr.region_id = r.id
        WHERE cr.counsellorprofile_id = s.counsellor_id ORDER BY r.name, r.id
    ) AS regions
FROM availability_slot s
JOIN counsellors_counsellorprofile c ON c.id = s.counsellor_id
"""


def _eligible(counsellor: str, *, region: bool, language: bool, one: bool) -> list[str]:
    """Who may appear: active, not excluded by the viewer, matching the counsellor filters."""
    conditions = [
        f"{counsellor}.active",
        "NOT EXISTS (SELECT 1 FROM counsellors_excludedcounsellor x"  # noqa: S608 (an alias)
        f" WHERE x.doctor_id = %(viewer)s AND x.counsellor_id = {counsellor}.id)",
    ]
    if one:
        conditions.append(f"{counsellor}.id = %(counsellor)s")
    if language:
        conditions.append(
            "EXISTS (SELECT 1 FROM counsellors_counsellorlanguage fl"  # noqa: S608 (an alias)
            f" WHERE fl.counsellor_id = {counsellor}.id AND fl.code = %(language)s)"
        )
    if region:
        conditions.append(
            "EXISTS (SELECT 1 FROM counsellors_counsellorprofile_regions fr"  # noqa: S608 (an alias)
            f" WHERE fr.counsellorprofile_id = {counsellor}.id AND fr.region_id = %(region)s)"
        )
    return conditions


def _bookable(slot: str, counsellor: str, *, modality: str | None) -> list[str]:
    """Open slots in the range, past the counsellor's minimum notice and within their horizon."""
    conditions = [
        # A literal, so that the planner sees the partial index on open slots apply however the
        # statement is sent (a server-side bound parameter would hide that).
        f"{slot}.status = 'open'",
        f"{slot}.start >= %(start)s",
        f"{slot}.start < %(end)s",
        f"{slot}.start >= %(now)s + {counsellor}.min_notice",
        f"{slot}.start <= %(now)s + {counsellor}.horizon",
    ]
    if modality is not None:
        conditions.append(f"{slot}.{Modality(modality).value}")
    return conditions


def _and(conditions: list[str]) -> str:
    return "\n    AND ".join(conditions)


@dataclass(frozen=True)
class OpenSlotPage:
    """Open slots for one viewer and set of filters, read the way cursor pagination reads a queryset.

    It answers the three calls DRF's CursorPagination makes: `order_by` with ("start", "id") or
    its reverse, `filter` with `start__gt` or `start__lt` at the cursor's position, and a slice,
    which runs the statement and returns rows.
    """

    where: str
    params: dict[str, Any]
    descending: bool = False
    position: str = ""

    def order_by(self, *fields: str) -> OpenSlotPage:
        if fields not in {("start", "id"), ("-start", "-id")}:
            raise ValueError(f"open slots are ordered by start and id, not {fields}")
        return replace(self, descending=fields[0].startswith("-"))

    def filter(self, **lookup: Any) -> OpenSlotPage:
        ((name, value),) = lookup.items()
        operators = {"start__gt": ">", "start__lt": "<"}
        if name not in operators:
            raise ValueError(f"open slots filter on their start only, not {name}")
        # What the ORM would do with a cursor's position that is not a time (a forged cursor).
        moment = parse_datetime(str(value)) if value is not None else None
        if moment is None:
            raise ValidationError("The position is not a time.", code="invalid")
        return replace(
            self,
            position=f"\n    AND s.start {operators[name]} %(position)s",
            params=self.params | {"position": moment},
        )

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        offset, stop = window.start or 0, window.stop
        direction = "DESC" if self.descending else "ASC"
        statement = (
            f"{_SELECT}WHERE {self.where}{self.position}\n"
            f"ORDER BY s.start {direction}, s.id {direction}\nLIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, self.params | {"limit": stop - offset, "offset": offset})
            columns = [column.name for column in cursor.description or ()]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            # Read as [id, code, name] arrays: Django has psycopg load jsonb as text, so objects
            # built in SQL would arrive as strings to decode.
            row["regions"] = [{"id": id_, "code": code, "name": name} for id_, code, name in row["regions"]]
        return rows


def open_slot_page(
    *,
    viewer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime,
    region: uuid.UUID | None = None,
    language: str | None = None,
    modality: str | None = None,
    counsellor: uuid.UUID | None = None,
    first_per_counsellor: bool = False,
) -> OpenSlotPage:
    """The statement `selectors.open_slots` describes, for PostgreSQL; see that function."""
    eligible = {"region": region is not None, "language": language is not None, "one": counsellor is not None}
    params = {
        "viewer": viewer_id,
        "start": start,
        "end": end,
        "now": now,
        "region": region,
        "language": language,
        "counsellor": counsellor,
    }
    if not first_per_counsellor:
        where = _and(_eligible("c", **eligible) + _bookable("s", "c", modality=modality))
        return OpenSlotPage(where=where, params=params)
    # Each eligible counsellor's first bookable slot, one probe of the (counsellor, start) index
    # each, collected into an array first: with IN, PostgreSQL misjudged the semi-join and hashed
    # the whole slot table.
    first = (
        "SELECT (SELECT f.id FROM availability_slot f\n"  # noqa: S608 (this module's conditions)
        f"        WHERE f.counsellor_id = e.id AND {_and(_bookable('f', 'e', modality=modality))}\n"
        "        ORDER BY f.start LIMIT 1)\n"
        f"    FROM counsellors_counsellorprofile e WHERE {_and(_eligible('e', **eligible))}"
    )
    return OpenSlotPage(where=f"s.id = ANY(ARRAY(\n    {first}))", params=params)
