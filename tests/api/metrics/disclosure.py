"""An independent judge of a published table: what rests on whom, and what can be solved for.

It knows nothing of how the API picks entries to withhold. It writes down the table's sums
(each row's cells add up to its total, each column's to its total, the row totals to the grand
total) and asks linear algebra, over exact fractions, which withheld entries they determine.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

Variable = tuple[
    str, Any, Any
]  # ("cell", row, column), ("row", row, None), ("column", None, column), ("total", None, None)


def table_variables(rows: list[Any], columns: list[Any]) -> list[Variable]:
    cells = [("cell", r, c) for r in rows for c in columns]
    return [
        *cells,
        *(("row", r, None) for r in rows),
        *(("column", None, c) for c in columns),
        ("total", None, None),
    ]


def table_sums(rows: list[Any], columns: list[Any]) -> list[dict[Variable, int]]:
    """Each sum as {variable: coefficient}, equal to zero."""
    sums = [{**{("cell", r, c): 1 for c in columns}, ("row", r, None): -1} for r in rows]
    sums += [{**{("cell", r, c): 1 for r in rows}, ("column", None, c): -1} for c in columns]
    sums.append({**{("row", r, None): 1 for r in rows}, ("total", None, None): -1})
    return sums


def determined(
    rows: list[Any], columns: list[Any], known: dict[Variable, int], unknown: set[Variable]
) -> set[Variable]:
    """The unknown variables whose value the known ones and the sums fix."""
    order = sorted(unknown, key=repr)
    index = {variable: i for i, variable in enumerate(order)}
    equations = []
    for terms in table_sums(rows, columns):
        row = [Fraction(0)] * len(order)
        for variable, coefficient in terms.items():
            if variable in index:
                row[index[variable]] += coefficient
        equations.append(row)
    basis = _reduced(equations)
    return {variable for variable in order if _in_span(basis, index[variable], len(order))}


def _reduced(matrix: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Row echelon form as (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    for original in matrix:
        row = list(original)
        for pivot, base in basis:
            if row[pivot]:
                factor = row[pivot] / base[pivot]
                row = [a - factor * b for a, b in zip(row, base, strict=True)]
        lead = next((i for i, value in enumerate(row) if value), None)
        if lead is None:
            continue
        for i, (other_pivot, base) in enumerate(basis):
            if base[lead]:
                factor = base[lead] / row[lead]
                basis[i] = (other_pivot, [a - factor * b for a, b in zip(base, row, strict=True)])
        basis.append((lead, row))
    return basis


def _in_span(basis: list[tuple[int, list[Fraction]]], column: int, width: int) -> bool:
    target = [Fraction(0)] * width
    target[column] = Fraction(1)
    for pivot, base in basis:
        if target[pivot]:
            factor = target[pivot] / base[pivot]
            target = [a - factor * b for a, b in zip(target, base, strict=True)]
    return not any(target)
