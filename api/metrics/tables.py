"""A metric's figures as a table: rows (months, offsets) by columns (regions, modalities, ...).

Pure functions over figures already counted: which levels a table has, what each entry publishes
and which are withheld. Selectors count; this module decides what may be shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from api.metrics.suppression import Figure, suppress_table

Key = tuple[Any, ...]
NOTHING = Figure(value=0, doctors=0)


class Level(StrEnum):
    CELL = "cell"
    ROW_TOTAL = "row_total"
    COLUMN_TOTAL = "column_total"
    TOTAL = "total"


@dataclass(frozen=True)
class Layout:
    row_dims: tuple[str, ...]
    column_dims: tuple[str, ...]
    rows: list[Key]  # [()] when there are no row dimensions
    columns: list[Key]

    @property
    def dims(self) -> tuple[str, ...]:
        return self.row_dims + self.column_dims

    def levels(self) -> dict[Level, tuple[str, ...]]:
        """The levels the table publishes, with their dimensions.

        Without column dimensions a row total would repeat its cell (likewise without rows), so
        such a table has cells and a grand total only; with no dimensions, the grand total alone.
        """
        levels = {Level.CELL: self.dims}
        if self.row_dims and self.column_dims:
            levels |= {Level.ROW_TOTAL: self.row_dims, Level.COLUMN_TOTAL: self.column_dims}
        if self.dims:
            levels[Level.TOTAL] = ()
        else:
            levels = {Level.TOTAL: ()}
        return levels

    def keys(self, level: Level) -> list[tuple[Key, Key]]:
        """(row key, column key) of each entry of `level`, in order."""
        if level == Level.CELL:
            return [(row, column) for row in self.rows for column in self.columns]
        if level == Level.ROW_TOTAL:
            return [(row, ()) for row in self.rows]
        if level == Level.COLUMN_TOTAL:
            return [((), column) for column in self.columns]
        return [((), ())]


def shown(dim: str, value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    if dim in {"region", "category"} and value == "":
        return None  # a counsellor in no region; a doctor who gave no reason
    return value


def describe(layout: Layout, level: Level, row: Key, column: Key) -> dict[str, Any]:
    """The entry's level and dimension values; a dimension summed over is null."""
    values = dict(zip(layout.row_dims, row, strict=False)) | dict(
        zip(layout.column_dims, column, strict=False)
    )
    return {"kind": level.value} | {
        dim: shown(dim, values[dim]) if dim in values else None for dim in layout.dims
    }


Figures = Mapping[Level, Mapping[Key, Figure]]


def suppressed_entries(layout: Layout, figures: Figures, *, threshold: int) -> set[tuple[Level, Key, Key]]:
    """Which entries to withhold: primary and secondary suppression over the table's levels."""
    rows, columns = layout.rows, layout.columns

    def figure(level: Level, row: Key, column: Key) -> Figure:
        level, row, column = canonical(layout, level, row, column)
        return figures.get(level, {}).get(row + column, NOTHING)

    hidden = suppress_table(
        [[figure(Level.CELL, row, column) for column in columns] for row in rows],
        [figure(Level.ROW_TOTAL, row, ()) for row in rows],
        [figure(Level.COLUMN_TOTAL, (), column) for column in columns],
        figure(Level.TOTAL, (), ()),
        threshold=threshold,
    )
    result: set[tuple[Level, Key, Key]] = set()
    for r, c in hidden:
        in_rows, in_columns = r < len(rows), c < len(columns)
        level = {
            (True, True): Level.CELL,
            (True, False): Level.ROW_TOTAL,
            (False, True): Level.COLUMN_TOTAL,
            (False, False): Level.TOTAL,
        }[(in_rows, in_columns)]
        result.add(canonical(layout, level, rows[r] if in_rows else (), columns[c] if in_columns else ()))
    return result


def canonical(layout: Layout, level: Level, row: Key, column: Key) -> tuple[Level, Key, Key]:
    """The published entry an entry stands for when the table lacks its level.

    A table without columns has a row's total in its cell and the column total in the grand
    total; a table without rows likewise; a table with neither has the grand total only.
    """
    if level in layout.levels():
        return level, row, column
    if level == Level.CELL:
        return Level.TOTAL, (), ()
    if level == Level.ROW_TOTAL:
        target = (Level.CELL, row, ()) if not layout.column_dims else (Level.TOTAL, (), ())
    else:
        target = (Level.CELL, (), column) if not layout.row_dims else (Level.TOTAL, (), ())
    return canonical(layout, *target)


def entries(
    layout: Layout,
    publish: Callable[[Level, Key, Key], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every entry of every level the table has, in order: cells, row, column and grand totals."""
    return [
        describe(layout, level, row, column) | publish(level, row, column)
        for level in layout.levels()
        for row, column in layout.keys(level)
    ]
