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
attacker is assumed to know which cells are zero, so a zero is never
withheld: that would protect nothing). While any withheld cell
has only one whole number in its range, one more cell in a sum it belongs to
is withheld. Afterwards every secondary cell that the audit does not need is
published again, largest first, so what is withheld is irreducible (no
single withheld cell could be shown), though not always the smallest set.

Sums that share no cell are independent problems and are solved apart.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hatecrime_maps.model import FEWER_THAN, SUPPRESSED, Withheld


@dataclass(frozen=True)
class Constraint:
    """``total`` is the sum of ``parts`` (cell ids)."""

    total: Hashable
    parts: tuple[Hashable, ...]


UNBOUNDED = 3
"""``scipy.optimize.linprog`` status: the objective has no finite optimum."""


class Inconsistent(ValueError):
    """The published figures contradict their own sums: nothing can be audited."""


class _Problem:
    """The linear program of one independent part: its cells, sums and true values."""

    def __init__(
        self, values: Mapping, cells: list, constraints: list[Constraint], threshold: int
    ) -> None:
        self.values, self.threshold = values, threshold
        self.cells = cells
        index = {c: i for i, c in enumerate(cells)}
        self.matrix = np.zeros((len(constraints), len(cells)))
        for row, con in enumerate(constraints):
            self.matrix[row, index[con.total]] -= 1.0
            for p in con.parts:
                self.matrix[row, index[p]] += 1.0
        self.truth = np.array([float(values[c]) for c in cells])

    def ranges(self, hidden: Mapping, which: Collection) -> dict:
        """Smallest and largest value of each cell in ``which`` given what is published.

        The attacker knows every published value, that a "fewer than N" cell is
        1 to N-1, and which cells are zero (the FOI lists the areas that had
        victims), so a withheld cell is at least 1. It knows no upper bound but
        "fewer than N" and the published sums: a range the sums leave open
        upwards is unbounded.
        """
        cols = [i for i, c in enumerate(self.cells) if c in hidden]
        shown = [i for i, c in enumerate(self.cells) if c not in hidden]
        a = self.matrix[:, cols]
        b = -self.matrix[:, shown] @ self.truth[shown]
        keep = np.any(a != 0, axis=1)
        a_eq, b_eq = (a[keep], b[keep]) if keep.any() else (None, None)
        names = [self.cells[i] for i in cols]
        bounds = [
            (1, self.threshold - 1)
            if hidden[c] == FEWER_THAN
            else (1, None)
            if self.values[c] > 0
            else (0, 0)
            for c in names
        ]
        from scipy.optimize import linprog  # slow to import; only suppressed builds need it

        out = {}
        for j, c in enumerate(names):
            if c not in which:
                continue
            objective = np.zeros(len(names))
            objective[j] = 1
            low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if not low.success or not (high.success or high.status == UNBOUNDED):
                raise Inconsistent("published figures are inconsistent with their own sums")
            out[c] = (float(low.fun), math.inf if high.status == UNBOUNDED else -high.fun)
        return out

    def exposed(self, hidden: Mapping, free: set | None = None) -> Hashable | None:
        """A withheld cell the attacker can pin to one value, or None.

        ``free``, when given, holds cells already known not to be pinned and is
        added to: withholding more never narrows a range, so they stay free
        while cells are only added.
        """
        known = free if free is not None else set()
        for c in sorted(hidden, key=repr):
            if c in known:
                continue
            if pinned(*self.ranges(hidden, {c})[c]):
                return c
            known.add(c)
        return None

    def width(self, cell: Hashable, hidden: Mapping) -> float:
        low, high = self.ranges(hidden, {cell})[cell]
        return -1.0 if pinned(low, high) else high - low


def pinned(lower: float, upper: float) -> bool:
    """True when only one whole number lies in ``[lower, upper]``."""
    return math.isfinite(upper) and math.ceil(lower - 1e-6) >= math.floor(upper + 1e-6)


def _candidate_moves(
    exposed: Hashable,
    hidden: Mapping,
    constraints: list[Constraint],
    values: Mapping,
    fixed: Collection,
) -> list[Hashable]:
    """Cells that could be withheld (or widened) to free ``exposed``, cheapest first.

    Looks at the cells sharing a sum with it, then further out along the sums
    until some cell is not yet fully withheld. Public and zero cells are never
    moved: the attacker knows them anyway.
    """
    seen: set = {exposed}
    frontier: set = {exposed}
    while frontier:
        reached = {
            p
            for con in constraints
            if frontier & {con.total, *con.parts}
            for p in (con.total, *con.parts)
        } - seen
        moves = sorted(
            (
                c
                for c in seen | reached
                if hidden.get(c) != SUPPRESSED and c not in fixed and values[c] > 0
            ),
            key=lambda c: (values[c], c in hidden, repr(c)),
        )
        if moves:
            return moves
        seen |= reached
        frontier = reached
    raise ValueError(f"{exposed!r} can be worked out even with every related figure withheld")


def components(
    cells: Collection, constraints: list[Constraint]
) -> list[tuple[list[Hashable], list[Constraint]]]:
    """The independent parts of a problem: cells linked by sums, with their sums."""
    parent: dict = {c: c for c in cells}

    def find(c: Hashable) -> Hashable:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for con in constraints:
        root = find(con.total)
        for p in con.parts:
            other = find(p)
            if other != root:
                parent[other] = root
    groups: dict = {}
    for c in sorted(cells, key=repr):
        groups.setdefault(find(c), ([], []))[0].append(c)
    for con in constraints:
        groups[find(con.total)][1].append(con)
    return list(groups.values())


def _suppress_component(
    problem: _Problem, constraints: list[Constraint], hidden: dict, fixed: Collection
) -> dict:
    values = problem.values
    initial = dict(hidden)
    free: set = set()
    while (exposed := problem.exposed(hidden, free)) is not None:
        # Prefer the cheapest move that frees the exposed cell; failing that, the one that
        # widens its range most (so the next step can free it).
        best, best_key = None, None
        for cell in _candidate_moves(exposed, hidden, constraints, values, fixed):
            w = problem.width(exposed, {**hidden, cell: SUPPRESSED})
            key = (w < 0, values[cell] if w >= 0 else -w, values[cell], repr(cell))
            if best_key is None or key < best_key:
                best, best_key = cell, key
        hidden[best] = SUPPRESSED
    # Publish again every added cell the audit does not need, largest first.
    added = sorted(
        (c for c in hidden if hidden[c] != initial.get(c)), key=lambda c: (-values[c], repr(c))
    )
    for cell in added:
        trial = dict(hidden)
        if cell in initial:
            trial[cell] = initial[cell]
        else:
            del trial[cell]
        if problem.exposed(trial) is None:
            hidden = trial
    return hidden


def suppress(
    values: Mapping[Any, int],
    constraints: list[Constraint],
    threshold: int,
    *,
    fixed: Collection[Hashable] = (),
) -> dict[Hashable, Withheld]:
    """Which cells to withhold, and how: ``{cell: "fewer_than" | "suppressed"}``.

    ``values`` holds every count that would be published; ``constraints`` every
    published sum between them. Zero is published as zero. ``fixed`` cells are
    public whatever happens (figures the source itself states) and are never
    withheld, nor is anything they alone determine.

    While some withheld cell can be pinned down, one more cell that shares a sum
    with it is withheld: the smallest whose withholding frees it, else the
    smallest. A "fewer than N" cell may be widened to plain "withheld" too,
    since "fewer than N" is itself a bound an attacker can use. Raises
    :class:`Inconsistent` when the figures do not satisfy their own sums, and
    ``ValueError`` when a small count can be worked out whatever is withheld.
    """
    result: dict = {}
    for cells, cons in components(values, constraints):
        problem = _Problem(values, cells, cons, threshold)
        public = set(fixed) | derivable(problem, fixed)
        hidden = {c: FEWER_THAN for c in cells if 0 < values[c] < threshold and c not in public}
        if hidden:
            result.update(_suppress_component(problem, cons, hidden, public))
    return result


def derivable(problem: _Problem, fixed: Collection) -> set:
    """Cells that the ``fixed`` (public) figures pin down even with everything else withheld.

    Such a figure is public anyway (a lone offence title equal to the total
    the answer's text states): withholding it would protect nothing.
    """
    if not any(c in fixed for c in problem.cells):
        return set()
    everything = {c: SUPPRESSED for c in problem.cells if c not in fixed}
    return {c for c, r in problem.ranges(everything, everything).items() if pinned(*r)}


def exposed_cells(
    values: Mapping[Hashable, int],
    constraints: list[Constraint],
    hidden: Mapping[Hashable, str],
    threshold: int,
) -> list[Hashable]:
    """Withheld cells an attacker could still pin down (empty when the suppression holds)."""
    exposed = []
    for cells, cons in components(values, constraints):
        part = {c: hidden[c] for c in cells if c in hidden}
        if part:
            ranges = _Problem(values, cells, cons, threshold).ranges(part, part)
            exposed += [c for c, r in ranges.items() if pinned(*r)]
    return sorted(exposed, key=repr)
