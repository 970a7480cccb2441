"""Property tests: over generated data, no published figure rests on fewer than k doctors, and no
withheld figure can be worked out from what the same response publishes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.accounts.models import Role, User
from api.bookings.models import Booking
from api.counsellors.models import CounsellorProfile, Region
from api.metrics.rollups import rollup_refresh
from api.metrics.suppression import Figure
from api.metrics.tables import Layout, Level, canonical, suppressed_entries
from api.organisations.models import Organisation
from tests.api.metrics.disclosure import Variable, determined

# A fact: (doctor, row, column).
Facts = list[tuple[int, int, int]]


def _truth(facts: Facts, rows: int, columns: int) -> dict[Variable, tuple[int, set[int]]]:
    """Each entry of the full table: its count and the doctors it rests on."""
    truth: dict[Variable, tuple[int, set[int]]] = defaultdict(lambda: (0, set()))
    for doctor, r, c in facts:
        for variable in (("cell", r, c), ("row", r, None), ("column", None, c), ("total", None, None)):
            count, doctors = truth[variable]
            truth[variable] = (count + 1, doctors | {doctor})
    return {
        variable: truth[variable]
        for variable in (
            *(("cell", r, c) for r in range(rows) for c in range(columns)),
            *(("row", r, None) for r in range(rows)),
            *(("column", None, c) for c in range(columns)),
            ("total", None, None),
        )
    }


LEVEL_OF = {"cell": Level.CELL, "row": Level.ROW_TOTAL, "column": Level.COLUMN_TOTAL, "total": Level.TOTAL}


def _check(
    truth: dict[Variable, tuple[int, set[int]]],
    shown: dict[Variable, int | None],
    *,
    rows: int,
    columns: int,
    threshold: int,
) -> None:
    """`shown` gives, for every entry of the full table, the published value or None if withheld."""
    for variable, value in shown.items():
        if value is not None:
            count, doctors = truth[variable]
            assert len(doctors) >= threshold, (variable, "rests on too few doctors")
            assert value == count, variable
    known = {v: value for v, value in shown.items() if value is not None}
    hidden = {v for v, value in shown.items() if value is None}
    solved = determined(list(range(rows)), list(range(columns)), known, hidden)
    assert not solved, f"withheld but derivable: {sorted(solved, key=repr)}"


@st.composite
def tables(draw: st.DrawFn) -> tuple[Facts, int, int, bool, bool, int]:
    has_rows, has_columns = draw(st.booleans()), draw(st.booleans())
    rows = draw(st.integers(1, 4)) if has_rows else 1
    columns = draw(st.integers(1, 5)) if has_columns else 1
    doctors = draw(st.integers(1, 12))
    facts = draw(
        st.lists(
            st.tuples(st.integers(0, doctors - 1), st.integers(0, rows - 1), st.integers(0, columns - 1)),
            max_size=60,
        )
    )
    return facts, rows, columns, has_rows, has_columns, draw(st.integers(3, 6))


@given(tables())
@settings(max_examples=400, deadline=None)
def test_suppression_never_publishes_small_figures_nor_lets_withheld_ones_be_solved(table):
    facts, rows, columns, has_rows, has_columns, threshold = table
    layout = Layout(
        row_dims=("r",) if has_rows else (),
        column_dims=("c",) if has_columns else (),
        rows=[(r,) if has_rows else () for r in range(rows)],
        columns=[(c,) if has_columns else () for c in range(columns)],
    )
    truth = _truth(facts, rows, columns)
    figures: dict[Level, dict[Any, Figure]] = defaultdict(dict)
    for (name, r, c), (count, doctors) in truth.items():
        level, row, column = canonical(layout, LEVEL_OF[name], _key(layout.rows, r), _key(layout.columns, c))
        figures[level][row + column] = Figure(value=count, doctors=len(doctors))

    hidden = suppressed_entries(layout, figures, threshold=threshold)

    shown = {}
    for (name, r, c), (count, _) in truth.items():
        published = canonical(layout, LEVEL_OF[name], _key(layout.rows, r), _key(layout.columns, c))
        shown[(name, r, c)] = None if published in hidden else count
    _check(truth, shown, rows=rows, columns=columns, threshold=threshold)


def _key(keys: list[Any], index: int | None) -> Any:
    return () if index is None else keys[index]


MONTHS = ["2026-01", "2026-02", "2026-03"]
REGIONS = ["a", "b", ""]


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[tuple[int, int, int]], int]:
    """Bookings as (doctor, month index, region index), and the organisation's k."""
    bookings = draw(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2), st.integers(0, 2)), max_size=40))
    return bookings, draw(st.integers(3, 5))


@pytest.mark.django_db
@given(datasets(), st.sampled_from(["month,region", "region", "month", ""]))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_published_bookings_by_month_and_region_protect_every_doctor(
    key_api, organisation, dataset, group_by
):
    bookings, threshold = dataset
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(suppression_threshold=threshold)
        organisation.refresh_from_db()
        # Made in bulk, with no password to hash: dozens of examples each make a whole dataset.
        doctors = User.objects.bulk_create(
            User(email=f"d{i}@example.org", role=Role.DOCTOR, alias="D", password="!") for i in range(10)
        )
        counsellors = []
        for code in REGIONS:
            user = User.objects.create(
                email=f"c{code}@example.org", role=Role.COUNSELLOR, organisation=organisation, password="!"
            )
            counsellor = CounsellorProfile.objects.create(
                user=user, organisation=organisation, display_name="C"
            )
            if code:
                counsellor.regions.set(
                    [Region.objects.create(organisation=organisation, code=code, name=code)]
                )
            counsellors.append(counsellor)
        made = []
        for n, (doctor, month, region) in enumerate(bookings):
            start = datetime(2026, month + 1, 10, 9, tzinfo=UTC) + timedelta(hours=n)
            made.append(
                Booking(
                    doctor=doctors[doctor],
                    counsellor=counsellors[region],
                    start=start,
                    end=start + timedelta(minutes=30),
                    modality="phone",
                )
            )
        Booking.objects.bulk_create(made)
        rollup_refresh(organisation=organisation)

        body = key_api().get(
            "/v1/metrics/bookings", {"start": "2026-01", "end": "2026-03", "group_by": group_by}
        )
        transaction.set_rollback(True)

    assert body.status_code == 200, body.content
    by_month, by_region = "month" in group_by, "region" in group_by
    rows, columns = (3 if by_month else 1), (3 if by_region else 1)
    facts = [(d, m if by_month else 0, r if by_region else 0) for d, m, r in bookings]
    truth = _truth(facts, rows, columns)
    shown: dict[Variable, int | None] = {}
    for e in body.json()["entries"]:
        r = MONTHS.index(e["month"]) if e.get("month") else None
        c = REGIONS.index(e["region"] or "") if by_region and e["kind"] in {"cell", "column_total"} else None
        variables = _variables(e["kind"], r, c, by_month=by_month, by_region=by_region)
        for variable in variables:
            shown[variable] = e["value"]
    assert set(shown) == set(truth)
    _check(truth, shown, rows=rows, columns=columns, threshold=threshold)


def _variables(kind: str, r: int | None, c: int | None, *, by_month: bool, by_region: bool) -> list[Variable]:
    """The entries of the full table a published entry stands for (a table of one row or column
    publishes each figure once for two places)."""
    row = r if by_month else 0
    column = c if by_region else 0
    if kind == "cell":
        places: list[Variable] = [("cell", row, column)]
        if not by_region:
            places.append(("row", row, None))
        if not by_month:
            places.append(("column", None, column))
        if not by_month and not by_region:
            places.append(("total", None, None))
        return places
    if kind == "row_total":
        return [("row", row, None)]
    if kind == "column_total":
        return [("column", None, column)]
    places = [("total", None, None)]
    if not by_region:
        places.append(("column", None, 0))
    if not by_month:
        places.append(("row", 0, None))
    if not by_month and not by_region:
        places.append(("cell", 0, 0))
    return places
