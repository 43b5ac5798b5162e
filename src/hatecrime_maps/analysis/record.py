"""The published record: every figure a build shows, the sums between them, and what is withheld.

A build publishes the same figure in many places: an area's count is in its
tooltip, the data table, the CSV, the GeoJSON and the GeoPackage; a year's
crimes are the total of the offence table, of the offence-group chart and of
the outcome chart. If each output were protected on its own, one output's
total minus another's parts could give a withheld count away. So every
figure lives here once, as a :class:`Cell`, with every additive relation
that holds between published figures (parts of a total, members of a group,
rows and columns of a table), and ``--suppress-below`` is applied once, over
the whole record, by :func:`hatecrime_maps.analysis.privacy.suppress`. Every renderer
reads its figures from the record, so a figure has exactly one published
value or status everywhere.

What is public anyway is part of the record too: the grouping files in
``data/reference/`` (so group membership is a relation an attacker knows),
the area / NPU structure, and the number of crimes the answer's own text
states, which is published as it stands (it is the headline of the police's
public answer, so withholding it would protect nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import pandas as pd

from hatecrime_maps import model
from hatecrime_maps.analysis import privacy
from hatecrime_maps.errors import OptionError
from hatecrime_maps.inputs import categories
from hatecrime_maps.model import FORCE, NO_DATA, SEXES, Status, Withheld

SMALLEST_THRESHOLD = 3
"""Below 3, "fewer than N" of a figure known to be non-zero would give its value."""
LARGEST_THRESHOLD = 1_000_000
"""Far above any count an answer holds: a larger threshold is a mistake."""


class Cell(NamedTuple):
    """One published figure.

    ``measure`` is ``victims`` (the count of the map's areas, whatever it
    counts), a strand's key (``race``: the areas' count of that strand, where a
    table has one column per strand; see :func:`area_measure`) or ``crimes``
    (the FOI's offence and outcome tables); ``level``
    says which table the figure is a row of (``force``, ``area``, ``parent``
    (the unit of the level above, such as an NPU), ``age_band``,
    ``offence``, ``offence_group``, ``offences``, ``outcome``,
    ``outcome_group``, ``outcomes``, ``stated``); ``name`` names the row
    (an area, a group, an outcome as ``(code, text)``); ``sex`` is ``F``,
    ``M``, ``U`` or empty for all victims.
    """

    measure: str
    year: int
    level: str
    name: object = ""
    sex: str = ""


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts``.

    ``link`` marks a relation between two tables (a group and its members, one
    total shown in two tables) rather than within one; it is kept so that a
    test can show what protecting each table on its own would leak.
    """

    total: Cell
    parts: tuple[Cell, ...]
    link: bool = False


@dataclass(frozen=True)
class Record:
    """Every figure a build publishes, how they add up, and which are withheld.

    ``values`` are the true figures (never written out as such: read them
    through :meth:`shown`); ``public`` cells are stated by the source itself
    and never withheld; ``withheld`` maps each withheld cell to
    ``fewer_than`` (1 to N-1) or ``suppressed`` (withheld to protect another
    figure, or never shown at that level).
    """

    threshold: int | None
    values: dict[Cell, int]
    relations: tuple[Relation, ...]
    public: frozenset[Cell] = frozenset()
    withheld: dict[Cell, Withheld] = field(default_factory=dict)

    def __contains__(self, cell: Cell) -> bool:
        return cell in self.values

    def shown(self, cell: Cell) -> int | None:
        """The published value, or None when withheld."""
        return None if cell in self.withheld else self.values[cell]

    def status(self, cell: Cell) -> Status:
        """``""`` (shown), ``fewer_than`` or ``suppressed``."""
        return self.withheld.get(cell, "")

    def upper_bound(self, cell: Cell) -> int | None:
        """The most a reader can tell the figure is: itself, N-1 for "fewer than N", or None."""
        if self.status(cell) == model.FEWER_THAN and self.threshold is not None:
            return self.threshold - 1
        return self.shown(cell)

    def text(self, cell: Cell) -> str:
        """The figure as a reader sees it: ``'24'``, ``'fewer than 3'`` or ``'withheld [c]'``."""
        return count_text(self.shown(cell), self.status(cell), self.threshold)

    def counts(self) -> tuple[int, int]:
        """How many published figures are withheld as (primary, secondary).

        The per-area split by sex, never published under a threshold, is not counted.
        """
        shown = [s for c, s in self.withheld.items() if not (c.level == "area" and c.sex)]
        primary = sum(1 for s in shown if s == model.FEWER_THAN)
        return primary, len(shown) - primary


def count_text(value: int | None, status: str, threshold: int | None) -> str:
    """``'24'``, ``'fewer than 3'``, ``'withheld [c]'`` or ``'no data'``."""
    if status == NO_DATA:
        return "no data"
    if status == model.FEWER_THAN:
        return f"fewer than {threshold}"
    if status == model.SUPPRESSED:
        return "withheld [c]"
    if value is None:
        raise ValueError("a figure shown as a number needs its value")
    return f"{value:,}"


# --------------------------------------------------------------------------
# Building the record


class RecordBuilder:
    """Collects figures and the sums between them; refuses a sum that does not hold."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.values: dict[Cell, int] = {}
        self.relations: list[Relation] = []
        self.public: set[Cell] = set()

    def add(self, cell: Cell, value: int) -> Cell:
        """Add a figure; the same cell given two values is an error."""
        if cell in self.values and self.values[cell] != value:
            raise OptionError(
                self.source, f"{_describe(cell)} is given as both {self.values[cell]} and {value}"
            )
        self.values[cell] = int(value)
        return cell

    def relate(self, total: Cell, parts: Iterable[Cell], link: bool = False) -> None:
        """Record that ``total`` is the sum of ``parts`` (``link``: a sum across tables)."""
        parts = tuple(parts)
        if not parts:
            return
        found = sum(self.values[p] for p in parts)
        if found != self.values[total]:
            raise OptionError(
                self.source,
                f"{_describe(total)} is {self.values[total]} but "
                f"its parts add up to {found}: the figures cannot be published "
                "consistently",
            )
        self.relations.append(Relation(total, parts, link))

    def record(self, threshold: int | None) -> Record:
        """The record built so far, with its suppression threshold."""
        return Record(threshold, dict(self.values), tuple(self.relations), frozenset(self.public))


def _describe(cell: Cell) -> str:
    what = cell.level if not cell.name else f"{cell.level} {cell.name!r}"
    sex = f" ({cell.sex})" if cell.sex else ""
    return f"{cell.year} {cell.measure}, {what}{sex}"


def area_measure(strand: str) -> str:
    """The :attr:`Cell.measure` of the areas' counts of ``strand`` (``""``: the count column).

    Strands are separate figures with no sum between them (one crime can have
    several motivating factors), so each is a measure of its own.
    """
    return strand or "victims"


def add_victims(
    builder: RecordBuilder,
    year: int,
    areas: list[tuple[str, str | None, int, dict[str, int] | None]],
    parents: Iterable[str],
    measure: str = "victims",
) -> None:
    """Counts of one year: per area (with its parent unit and F/M/U split), per parent, in all.

    ``areas`` holds ``(area, parent, count, {sex: count} or None)`` for every
    area with data; ``parents`` the parent units whose areas all have data.
    The force total is the sum of the areas given. ``measure`` names the cells
    (:func:`area_measure`).
    """
    force = builder.add(Cell(measure, year, FORCE), sum(n for _, _, n, _ in areas))
    area_cells = []
    for area, _, count, split in areas:
        cell = builder.add(Cell(measure, year, "area", area), count)
        area_cells.append(cell)
        if split is not None:
            sexes = [builder.add(cell._replace(sex=s), split.get(s, 0)) for s in SEXES]
            builder.relate(cell, sexes)
    builder.relate(force, area_cells)
    splits = [split for _, _, _, split in areas if split is not None]
    if areas and len(splits) == len(areas):
        for s in SEXES:
            total = builder.add(force._replace(sex=s), sum(split.get(s, 0) for split in splits))
            builder.relate(total, [c._replace(sex=s) for c in area_cells])
        builder.relate(force, [force._replace(sex=s) for s in SEXES])
    parent_cells = []
    members_of: dict[str | None, list[Cell]] = {}
    for c, (_, p, _, _) in zip(area_cells, areas, strict=True):
        members_of.setdefault(p, []).append(c)
    for parent in parents:
        members = members_of.get(parent, [])
        cell = builder.add(
            Cell(measure, year, "parent", parent), sum(builder.values[c] for c in members)
        )
        builder.relate(cell, members)
        parent_cells.append(cell)
    if parent_cells and len(parent_cells) == len({p for _, p, _, _ in areas}):
        builder.relate(force, parent_cells)


def add_age_bands(builder: RecordBuilder, year: int, bands: dict[str, int]) -> None:
    """Force-level victims by age band: another table adding up to the year's victims."""
    cells = [builder.add(Cell("victims", year, "age_band", b), n) for b, n in bands.items()]
    builder.relate(Cell("victims", year, FORCE), cells, link=True)


def add_items(
    builder: RecordBuilder,
    year: int,
    kind: str,
    items: list[tuple[object, str, int]],
    stated: int | None,
) -> None:
    """Offences or outcomes of one year: each item, each group, and the table's total.

    ``kind`` is ``offence`` or ``outcome``; ``items`` holds ``(name, group,
    count)``. The group relations are public (the grouping files are), as is
    ``stated``, the number of crimes the answer's text gives for the year.
    """
    total = builder.add(Cell("crimes", year, f"{kind}s"), sum(n for _, _, n in items))
    item_cells = [builder.add(Cell("crimes", year, kind, name), n) for name, _, n in items]
    builder.relate(total, item_cells)
    groups: dict[str, list[Cell]] = {}
    for cell, (_, group, _) in zip(item_cells, items, strict=True):
        groups.setdefault(group, []).append(cell)
    group_cells = []
    for group, members in groups.items():
        cell = builder.add(
            Cell("crimes", year, f"{kind}_group", group), sum(builder.values[m] for m in members)
        )
        builder.relate(cell, members, link=True)
        group_cells.append(cell)
    builder.relate(total, group_cells, link=True)
    if stated is not None:
        said = builder.add(Cell("crimes", year, "stated"), stated)
        builder.public.add(said)
        builder.relate(said, [total], link=True)


def _add_year(
    builder: RecordBuilder,
    *,
    year: int,
    measure: str,
    areas: pd.DataFrame,
    parents: pd.DataFrame | None,
    has_sex: bool,
) -> None:
    rows = areas[(areas["year"] == year) & areas["has_data"]]
    add_victims(
        builder,
        year,
        [
            (
                r.area,
                getattr(r, "parent", None),
                int(r.victims),
                {s: int(getattr(r, f"victims_{s}")) for s in SEXES} if has_sex else None,
            )
            for r in rows.itertuples()
        ],
        []
        if parents is None
        else parents.loc[(parents["year"] == year) & parents["has_data"], "area"],
        measure,
    )


def suppress(record: Record, *, linked: bool = True) -> Record:
    """Apply the record's threshold once, over every figure and every sum.

    Under a threshold the per-area split by sex is published for the force
    only, so those cells are withheld from the start. ``linked=False``
    audits each table on its own, ignoring the relations between tables: it
    exists to show, in tests, what that would leak, and is never used by a
    build.
    """
    if not record.threshold:
        return replace(record, withheld={})
    if record.threshold < SMALLEST_THRESHOLD:
        raise OptionError(
            "--suppress-below",
            f"must be {SMALLEST_THRESHOLD} or more, not "
            f'{record.threshold}: "fewer than {record.threshold}" of an area '
            "the answer lists would give its count away",
        )
    if record.threshold > LARGEST_THRESHOLD:
        raise OptionError(
            "--suppress-below",
            f"must be a whole number from {SMALLEST_THRESHOLD} "
            f"to {LARGEST_THRESHOLD:,}, not {record.threshold}",
        )
    # The per-area split by sex is given for the force only: those cells are not published,
    # so they and the sums through them tell an attacker nothing and stay out of the audit.
    area_splits = {c for c in record.values if c.level == "area" and c.sex}
    audited = {c: v for c, v in record.values.items() if c not in area_splits}
    constraints = [
        privacy.Constraint(r.total, r.parts)
        for r in record.relations
        if (linked or not r.link) and r.total in audited and all(p in audited for p in r.parts)
    ]
    try:
        found = privacy.suppress(audited, constraints, record.threshold, fixed=record.public)
    except privacy.Inconsistent as exc:
        raise OptionError("--suppress-below", str(exc)) from None
    except ValueError as exc:
        raise OptionError(
            "--suppress-below", f"{record.threshold} cannot be applied: {exc}"
        ) from None
    withheld: dict[Cell, Withheld] = {
        cell: how for cell, how in found.items() if isinstance(cell, Cell)
    }
    withheld.update(dict.fromkeys(sorted(area_splits), model.SUPPRESSED))
    return replace(record, withheld=withheld)


def build_record(
    figure_sets: Sequence[tuple[str, pd.DataFrame, pd.DataFrame | None]],
    *,
    victims: Iterable,
    offences: list[dict],
    outcomes: list[dict],
    stated: dict[int, int],
    threshold: int | None,
    source: str,
    has_sex: bool = True,
) -> Record:
    """The record of a build, before suppression.

    ``figure_sets`` holds ``(measure, areas, parents)`` for each figure per area:
    the joined figures (:func:`hatecrime_maps.analysis.join.join_counts`) of the
    count (measure ``victims``) and then of each strand a table has a column of,
    recorded under its :attr:`Cell.measure` (:func:`area_measure`) with no sum
    linking it to the others; ``victims`` the tidy FOI victim rows (for the force-level age
    bands; empty for a counts table); ``offences`` and ``outcomes`` the grouped
    item rows of :mod:`hatecrime_maps.inputs.categories`; ``stated`` the crimes the
    answer's text states per year.
    """
    builder = RecordBuilder(source)
    victims = list(victims)
    (_, areas, parents), *strands = figure_sets
    for year in sorted(int(y) for y in areas["year"].unique()):
        _add_year(
            builder, year=year, measure="victims", areas=areas, parents=parents, has_sex=has_sex
        )
        bands = dict.fromkeys(categories.AGE_BANDS, 0)
        for v in victims:
            if v.year == year:
                bands[categories.age_band(v.age)] += v.count
        if any(bands.values()):
            add_age_bands(builder, year, {b: n for b, n in bands.items() if n})
    for measure, strand_areas, strand_parents in strands:
        for year in sorted(int(y) for y in strand_areas["year"].unique()):
            _add_year(
                builder,
                year=year,
                measure=measure,
                areas=strand_areas,
                parents=strand_parents,
                has_sex=has_sex,
            )
    for kind, rows, name in (
        ("offence", offences, lambda r: r["offence"]),
        ("outcome", outcomes, lambda r: (r["outcome_code"], r["outcome"])),
    ):
        for year in sorted({r["year"] for r in rows}):
            add_items(
                builder,
                year,
                kind,
                [(name(r), r["group"], r["count"]) for r in rows if r["year"] == year],
                stated.get(year),
            )
    return builder.record(threshold)
