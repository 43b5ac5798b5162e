"""Small-count suppression that cannot be undone by arithmetic.

``--suppress-below N`` withholds every count from 1 to N-1 ("fewer than N":
primary suppression). Published totals could still give a withheld count
away (an area's total minus its male and unknown counts leaves the female
count), so more cells are withheld ("suppressed": secondary suppression)
until no withheld cell can be pinned to one value.

Whether a cell can be pinned is decided by linear programming, the way an
attacker would: every published sum is a constraint, every withheld cell a
variable within what the page says of it (1 to N-1, or any count), and the
smallest and largest feasible value of each withheld cell are computed (the
attacker is assumed to know which cells are zero). While
any withheld cell has only one whole number in its range, one more cell in a
sum it belongs to is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

FEWER_THAN = "fewer_than"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Constraint:
    """``total`` is the sum of ``parts`` (cell ids)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def _bounds_of(cell: Hashable, values: dict, hidden: dict, constraints: list[Constraint],
               threshold: int, ceiling: float) -> tuple[float, float]:
    """Smallest and largest value of a withheld cell consistent with what is published."""
    names = sorted(hidden, key=repr)
    index = {c: i for i, c in enumerate(names)}
    rows, rhs = [], []
    for con in constraints:
        row = np.zeros(len(names))
        known = 0.0
        for cell_id, sign in [(con.total, -1.0), *((p, 1.0) for p in con.parts)]:
            if cell_id in index:
                row[index[cell_id]] += sign
            else:
                known += sign * values[cell_id]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    # An attacker may know which cells are non-zero (areas listed in the FOI): assume so.
    bounds = [(1, threshold - 1) if hidden[c] == FEWER_THAN
              else (1 if values[c] > 0 else 0, ceiling) for c in names]
    objective = np.zeros(len(names))
    objective[index[cell]] = 1
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if not (low.success and high.success):
        raise ValueError("published figures are inconsistent")
    return float(low.fun), float(-high.fun)


def pinned(lower: float, upper: float) -> bool:
    """True when only one whole number lies in ``[lower, upper]``."""
    return math.ceil(lower - 1e-6) >= math.floor(upper + 1e-6)


def _candidate_moves(exposed: Hashable, hidden: dict, constraints: list[Constraint],
                     values: dict) -> list[Hashable]:
    """Cells that could be withheld (or widened) to free ``exposed``, cheapest first.

    Looks at the cells sharing a sum with it, then further out along the sums
    until some cell is not yet fully withheld.
    """
    seen: set = {exposed}
    frontier: set = {exposed}
    while frontier:
        reached = {p for con in constraints if frontier & {con.total, *con.parts}
                   for p in (con.total, *con.parts)} - seen
        moves = sorted((c for c in seen | reached if hidden.get(c) != SUPPRESSED),
                       key=lambda c: (values[c], c in hidden, repr(c)))
        if moves:
            return moves
        seen |= reached
        frontier = reached
    raise ValueError(f"cannot protect {exposed!r}: every related figure is withheld")


def suppress(values: dict[Hashable, int], constraints: list[Constraint],
             threshold: int) -> dict[Hashable, str]:
    """Which cells to withhold, and how: ``{cell: "fewer_than" | "suppressed"}``.

    ``values`` holds every count that would be published; ``constraints`` every
    published sum between them. Zero is published as zero.

    While some withheld cell can be pinned down, one more cell that shares a sum
    with it is withheld: the smallest whose withholding frees it, else the
    smallest. A "fewer than N" cell may be widened to plain "withheld" too,
    since "fewer than N" is itself a bound an attacker can use.
    """
    hidden = {c: FEWER_THAN for c, v in values.items() if 0 < v < threshold}
    ceiling = float(max(values.values(), default=0))

    def width(cell: Hashable, withheld: dict) -> float:
        low, high = _bounds_of(cell, values, withheld, constraints, threshold, ceiling)
        return -1.0 if pinned(low, high) else high - low

    while True:
        exposed = next((c for c in sorted(hidden, key=repr) if width(c, hidden) < 0), None)
        if exposed is None:
            return hidden
        # Prefer the cheapest move that frees the exposed cell; failing that, the one that
        # widens its range most (so the next step can free it).
        best, best_key = None, None
        for cell in _candidate_moves(exposed, hidden, constraints, values):
            w = width(exposed, {**hidden, cell: SUPPRESSED})
            key = (w < 0, values[cell] if w >= 0 else -w, values[cell], repr(cell))
            if best_key is None or key < best_key:
                best, best_key = cell, key
        hidden[best] = SUPPRESSED


def exposed_cells(values: dict[Hashable, int], constraints: list[Constraint],
                  hidden: dict[Hashable, str], threshold: int) -> list[Hashable]:
    """Withheld cells an attacker could still pin down (empty when the suppression holds)."""
    ceiling = float(max(values.values(), default=0))
    return [c for c in sorted(hidden, key=repr)
            if pinned(*_bounds_of(c, values, hidden, constraints, threshold, ceiling))]
