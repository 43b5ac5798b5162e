"""The story behind the map: force-level figures by offence group, outcome, sex and age band.

Each table is a view of the published record (:mod:`hatecrime_maps.analysis.record`):
one figure per category and year, and the year's total, every one of them
read from the record, so a chart, its alt text, the report's table and the
downloads show the same value or the same reason for withholding it. Ages
appear only as broad bands, and only for the whole force.
"""

from __future__ import annotations

from dataclasses import dataclass

from hatecrime_maps.analysis.record import Cell, Record
from hatecrime_maps.inputs import categories
from hatecrime_maps.model import FORCE, SEX_NAMES, SEXES


@dataclass
class StoryTable:
    """Counts per category (rows) and year (columns), as the record publishes them.

    ``cells[category][year]`` is the record's cell, or None where the year
    has nothing in that category (published as 0); ``total[year]`` the cell
    of the year's total.
    """

    name: str
    title: str
    unit: str
    record: Record
    categories: list[str]
    years: list[int]
    cells: dict[str, dict[int, Cell | None]]
    total: dict[int, Cell]

    def count(self, category: str, year: int) -> int | None:
        """The published figure, or None when withheld."""
        cell = self.cells[category][year]
        return 0 if cell is None else self.record.shown(cell)

    def upper_bound(self, category: str, year: int) -> int | None:
        """The most a reader can tell the figure is: itself, N-1 for "fewer than N", or None."""
        cell = self.cells[category][year]
        return 0 if cell is None else self.record.upper_bound(cell)

    def text(self, category: str, year: int) -> str:
        """A category's figure in a year as a reader sees it."""
        cell = self.cells[category][year]
        return "0" if cell is None else self.record.text(cell)

    def total_value(self, year: int) -> int | None:
        """The table's total in a year, or None when it is withheld."""
        return self.record.shown(self.total[year])

    def total_text(self, year: int) -> str:
        """The table's total in a year as a reader sees it."""
        return self.record.text(self.total[year])


def story_table(
    record: Record,
    name: str,
    title: str,
    *,
    unit: str,
    measure: str,
    level: str,
    order: tuple[str, ...],
    total_level: str,
) -> StoryTable | None:
    """The table of ``level`` cells in ``order`` (those the record holds); None if it has none."""
    years = sorted({c.year for c in record.values if c.measure == measure and c.level == level})
    if not years:
        return None
    held = {c.name for c in record.values if c.measure == measure and c.level == level}
    seen = [c for c in order if c in held]
    cells = {
        c: {
            y: (Cell(measure, y, level, c) if Cell(measure, y, level, c) in record else None)
            for y in years
        }
        for c in seen
    }
    total = {y: Cell(measure, y, total_level) for y in years}
    return StoryTable(name, title, unit, record, seen, years, cells, total)


def offence_groups(record: Record) -> StoryTable | None:
    """Crimes by offence group and year, or None without an offence table."""
    return story_table(
        record,
        "offences_by_group",
        "Crimes by offence group",
        unit="crimes",
        measure="crimes",
        level="offence_group",
        order=categories.OFFENCE_GROUP_ORDER,
        total_level="offences",
    )


def outcome_groups(record: Record) -> StoryTable | None:
    """Crimes by outcome group and year, or None without an outcome table."""
    return story_table(
        record,
        "outcomes_by_group",
        "Crimes by outcome",
        unit="crimes",
        measure="crimes",
        level="outcome_group",
        order=categories.OUTCOME_GROUP_ORDER,
        total_level="outcomes",
    )


def victims_by_sex(record: Record, noun: str = "victims") -> StoryTable | None:
    """Force totals by sex, exactly as the map pages publish them."""
    years = sorted(
        {c.year for c in record.values if c.measure == "victims" and c.level == FORCE and c.sex}
    )
    if not years:
        return None
    cells: dict[str, dict[int, Cell | None]] = {
        SEX_NAMES[s]: {y: Cell("victims", y, FORCE, "", s) for y in years} for s in SEXES
    }
    return StoryTable(
        "victims_by_sex",
        f"{noun.capitalize()} by sex",
        noun,
        record,
        [SEX_NAMES[s] for s in SEXES],
        years,
        cells,
        {y: Cell("victims", y, FORCE) for y in years},
    )


def victims_by_age_band(record: Record) -> StoryTable | None:
    """Force-level victims in broad age bands (never by area)."""
    return story_table(
        record,
        "victims_by_age_band",
        "Victims by age band (whole force)",
        unit="victims",
        measure="victims",
        level="age_band",
        order=categories.AGE_BANDS,
        total_level=FORCE,
    )
