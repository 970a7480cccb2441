"""Disclosure control for a table of counts and its totals: primary and secondary suppression.

A table has cells (rows x columns), a total per row, a total per column and a grand total. Every
entry counting fewer than k distinct doctors is suppressed (primary). Then, since the published
totals are sums of cells, more entries are suppressed until no suppressed entry can be solved for
from the published ones (secondary).

Why a bridge test: put the row and column totals beside the cells as one more column and row, with
the totals negated; then every row and every column of this augmented table sums to zero. The
unknowns are the suppressed entries, edges of a bipartite graph between rows and columns. The
solutions of "every row and column sums to zero" over those unknowns are exactly the sums of
signed cycles of that graph, so an unknown is fixed by the published entries exactly when its edge
lies on no cycle: when it is a bridge. Secondary suppression makes every suppressed edge lie on a
cycle. A table with one row or one column is a list with a total, where the rule is simply "never
exactly one suppressed entry".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# An entry of the augmented table: (row, column); row == rows means the column totals' row,
# column == columns the row totals' column, and (rows, columns) the grand total.
Entry = tuple[int, int]


@dataclass(frozen=True)
class Figure:
    """One entry's true value and the number of distinct doctors it rests on."""

    value: int
    doctors: int


def suppress_table(
    cells: Sequence[Sequence[Figure]],
    row_totals: Sequence[Figure],
    column_totals: Sequence[Figure],
    total: Figure,
    *,
    threshold: int,
) -> set[Entry]:
    """The entries to withhold, in augmented-table coordinates (see `Entry`)."""
    rows, columns = len(row_totals), len(column_totals)
    figures: dict[Entry, Figure] = {(rows, columns): total}
    for r in range(rows):
        figures[(r, columns)] = row_totals[r]
        for c in range(columns):
            figures[(r, c)] = cells[r][c]
    for c in range(columns):
        figures[(rows, c)] = column_totals[c]
    suppressed = {entry for entry, figure in figures.items() if figure.doctors < threshold}
    if rows == 1 or columns == 1:
        return _suppress_list(figures, suppressed, rows=rows, columns=columns)
    while bridge := _first_bridge(suppressed, rows=rows, columns=columns):
        suppressed |= _cheapest_cycle_through(bridge, figures, suppressed, rows=rows, columns=columns)
    return suppressed


def _suppress_list(
    figures: dict[Entry, Figure], suppressed: set[Entry], *, rows: int, columns: int
) -> set[Entry]:
    # With one row, each column total is its cell and the row total is the grand total (and the
    # other way round with one column): one list of entries and its sum, each published twice.
    if rows == 1:
        items = [((0, c), (rows, c)) for c in range(columns)] + [((0, columns), (rows, columns))]
    else:
        items = [((r, 0), (r, columns)) for r in range(rows)] + [((rows, 0), (rows, columns))]
    hidden = [pair for pair in items if pair[0] in suppressed or pair[1] in suppressed]
    if len(hidden) == 1 and len(items) > 2:
        # One hidden entry is the total minus the others (or the sum of them): hide the smallest other.
        others = [pair for pair in items if pair not in hidden]
        hidden.append(min(others, key=lambda pair: figures[pair[0]].value))
    elif len(hidden) == 1:
        hidden = items  # a list of one and its total: the same figure twice
    return {entry for pair in hidden for entry in pair}


def _first_bridge(suppressed: set[Entry], *, rows: int, columns: int) -> Entry | None:
    """A suppressed entry whose edge is on no cycle of the row-column graph, if any (Tarjan)."""
    # Vertices: rows 0..rows (the last one the totals' row), then columns offset by rows + 1.
    adjacency: dict[int, list[tuple[int, Entry]]] = {}
    for entry in suppressed:
        r, c = entry
        adjacency.setdefault(r, []).append((rows + 1 + c, entry))
        adjacency.setdefault(rows + 1 + c, []).append((r, entry))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, Entry | None, int]] = [(root, None, 0)]
        while stack:
            vertex, via, index = stack[-1]
            neighbours = adjacency[vertex]
            if index < len(neighbours):
                stack[-1] = (vertex, via, index + 1)
                other, edge = neighbours[index]
                if edge == via:
                    continue
                if other in order:
                    low[vertex] = min(low[vertex], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[vertex])
                if low[vertex] > order[parent] and via is not None:
                    return via
    return None


def _cheapest_cycle_through(
    bridge: Entry, figures: dict[Entry, Figure], suppressed: set[Entry], *, rows: int, columns: int
) -> set[Entry]:
    """The entries that close a rectangle r-c-r'-c' through `bridge`, hiding the least."""
    r, c = bridge
    best: tuple[int, set[Entry]] | None = None
    for other_row in range(rows + 1):
        if other_row == r:
            continue
        for other_column in range(columns + 1):
            if other_column == c:
                continue
            corners = {(r, other_column), (other_row, c), (other_row, other_column)} - suppressed
            cost = sum(figures[entry].value + 1 for entry in corners)
            if best is None or cost < best[0]:
                best = (cost, corners)
    assert best is not None  # noqa: S101 (a table of two rows and two columns or more)
    return best[1]
