"""From the published record to the figures pages and downloads show, and their text.

The figures of a build live once, in :class:`hatecrime_maps.analysis.record.Record`,
which is suppressed once. This module lays them out for the renderers: each
area's and NPU's figures as tables (values withheld where the record withholds
them, with the reason), and the force totals. Under ``--suppress-below`` the
split by sex is published for the force only. Ages are never published here.

The display text for each figure is made once, here, so a tooltip and the
data table cannot disagree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from hatecrime_maps import model
from hatecrime_maps.analysis import change, stats
from hatecrime_maps.analysis.join import RATE_COLUMNS
from hatecrime_maps.analysis.record import Cell, Record, count_text
from hatecrime_maps.geography.levels import Level
from hatecrime_maps.geography.provenance import Provenance
from hatecrime_maps.model import (
    FORCE,
    NO_DATA,
    SEX_NAMES,
    SEXES,
    Absent,
    Capabilities,
    InputKind,
    Metadata,
    Status,
)

COUNT_MEASURES = ("victims", *(f"victims_{s}" for s in SEXES))


@dataclass(frozen=True)
class About:
    """What the figures are and what they are drawn on: read by every renderer.

    ``level`` is the map's level, ``parent`` the level drawn as its second
    layer (None for boroughs) and ``grandparent`` the level above that;
    ``input_name`` names the input file for a source line when nothing else
    does; ``capabilities`` says what the input can answer; ``absent`` what an
    area the input does not list means.
    """

    meta: Metadata
    level: Level
    parent: Level | None
    input_name: str
    capabilities: Capabilities
    absent: Absent
    kind: InputKind
    """What the input was, for saying so: an FOI answer's text or a counts table."""
    geography: Provenance
    """Where the boundaries and populations the figures are drawn on come from."""
    grandparent: Level | None = None
    population_notes: dict[str, str] = field(default_factory=dict)
    """Areas of the map's level whose residents are a poor denominator, with why."""
    merged: tuple[str, ...] = ()
    """Which abolished units' figures are summed into the units that replaced them, in
    words (a table spanning a reorganisation is drawn on its last year's units)."""

    @property
    def has_sex(self) -> bool:
        """Whether the input splits its counts by sex."""
        return self.capabilities.sexes


@dataclass
class PublicFigures:
    """Figures safe to publish, laid out per area and parent unit, all read from ``record``.

    ``areas`` and ``parents`` are the joined figures with each withheld count
    set to missing and a ``<measure>_status`` column (``""``,
    ``"fewer_than"``, ``"suppressed"``, or ``"no_data"`` where the input gives
    no figure); rates of a withheld count are withheld too. ``force`` maps
    each year to its published totals; ``parents`` is None for a level with
    no parent.
    """

    record: Record
    areas: pd.DataFrame
    parents: pd.DataFrame | None
    force: dict[int, dict[str, int | None]]
    force_status: dict[int, dict[str, Status]]
    about: About
    scale: model.Scale = field(default_factory=model.Scale)
    """The count and rate classes of every map of these figures (:func:`model.scale_for`)."""
    strands: tuple[PublicFigures, ...] = ()
    """The figures of each further measure per area, where a table has one column per
    strand: each with its own ``about.meta.strand`` and scale, all read from this
    ``record`` (suppressed with these figures, once). Empty for one measure."""

    @property
    def measures(self) -> list[PublicFigures]:
        """These figures and each strand's: every map a page can switch between."""
        return [self, *self.strands]

    @property
    def measure_key(self) -> str:
        """What names this figure set in a page, a file or a download: ``all`` or a strand."""
        return self.about.meta.strand or "all"

    @property
    def threshold(self) -> int | None:
        """The suppression threshold, or None when nothing is withheld."""
        return self.record.threshold

    @property
    def years(self) -> list[int]:
        """The years the figures cover, in order."""
        return sorted(self.force)

    @property
    def complete(self) -> bool:
        """True when every area has data in every year (the force total is everything)."""
        return bool(self.areas["has_data"].all())

    @property
    def year_pairs(self) -> list[tuple[int, int]]:
        """Every two years of the figures, earlier first: the changes a reader can ask for."""
        years = self.years
        return [(a, b) for i, a in enumerate(years) for b in years[i + 1 :]]

    @functools.cached_property
    def changes(self) -> dict[tuple[int, int], list[dict]]:
        """The change table between every two years, earlier first.

        Worked out once for every output that shows it (:func:`change.change_rows`).
        """
        return {(a, b): change.change_rows(self, earlier=a, later=b) for a, b in self.year_pairs}

    @functools.cached_property
    def parent_changes(self) -> dict[tuple[int, int], list[dict]]:
        """The parent units' change between every two years (empty without parents)."""
        if self.parents is None:
            return {}
        return {
            (a, b): change.unit_change_rows(
                self.parents, years=self.years, earlier=a, later=b, level="parent"
            )
            for a, b in self.year_pairs
        }

    @property
    def last_change(self) -> list[dict] | None:
        """The change table from the last year but one to the last; None with one year."""
        years = self.years
        return self.changes[(years[-2], years[-1])] if len(years) > 1 else None


def _sex_of(measure: str) -> str:
    return measure.rsplit("_", 1)[1] if "_" in measure else ""


def _lay_out(
    frame: pd.DataFrame, level: str, measures: tuple[str, ...], record: Record, measure: str
) -> pd.DataFrame:
    for m in measures:
        cells = [
            Cell(measure, int(y), level, name, _sex_of(m))
            for y, name in zip(frame["year"], frame["area"], strict=True)
        ]
        frame[m] = pd.array(
            [record.shown(c) if c in record else None for c in cells], dtype="Int64"
        )
        frame[f"{m}_status"] = [record.status(c) if c in record else NO_DATA for c in cells]
    withheld = frame["victims_status"].isin([model.FEWER_THAN, model.SUPPRESSED])
    frame.loc[withheld, "rate_status"] = "suppressed"
    for col in RATE_COLUMNS:
        frame.loc[withheld, col] = float("nan")
    return frame


def publish(
    areas: pd.DataFrame,
    parents: pd.DataFrame | None,
    record: Record,
    about: About,
    *,
    measure: str = "victims",
) -> PublicFigures:
    """Lay out the joined figures as the (suppressed) ``record`` publishes them.

    ``measure`` is the figures' :attr:`Cell.measure` in the record (a strand's
    key for one strand of several).
    """
    measures = COUNT_MEASURES if about.has_sex else ("victims",)
    areas = _lay_out(areas.copy(), "area", measures, record, measure)
    if not about.has_sex:
        areas = areas.drop(columns=list(COUNT_MEASURES[1:]))
    if parents is not None:
        # Parent units are published as totals only: their split by sex is not needed.
        parents = _lay_out(
            parents.drop(columns=list(COUNT_MEASURES[1:])), "parent", ("victims",), record, measure
        )
    years = sorted(int(y) for y in areas["year"].unique())

    def force_cell(y: int, m: str) -> Cell:
        return Cell(measure, y, FORCE, "", _sex_of(m))

    force = {
        y: {
            m: record.shown(force_cell(y, m)) if force_cell(y, m) in record else None
            for m in measures
        }
        for y in years
    }
    force_status = {
        y: {
            m: record.status(force_cell(y, m)) if force_cell(y, m) in record else NO_DATA
            for m in measures
        }
        for y in years
    }
    # Classes from what is published: a withheld count counts as 1 (it may be any small
    # number), so its true value cannot move a class limit.
    given = areas["victims_status"] != NO_DATA
    scale = model.scale_for(
        areas.loc[given, "victims"].fillna(1), areas.loc[given, "rate_per_100k"].dropna()
    )
    return PublicFigures(record, areas, parents, force, force_status, about, scale)


# --------------------------------------------------------------------------
# Text for people


def rate_text(row, noun: str = "victims") -> str:
    """A rate with its interval, or why there is none."""
    status = row["rate_status"]
    if status == NO_DATA:
        return "no data"
    if status == "suppressed":
        return "not shown: the count is withheld"
    if status == "too_few":
        return f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} {noun}"
    if status == "no_population":
        return "no rate: no population estimate held"
    text = f"{row['rate_per_100k']:.1f} (95% CI {row['rate_lower']:.1f} to {row['rate_upper']:.1f})"
    if status == "low_reliability":
        text += f", low reliability [u]: fewer than {stats.MIN_COUNT_RELIABLE} {noun}"
    return text


def sex_split_text(row, threshold: int | None) -> str:
    """``'female 4, male 19, not recorded 1'``, or why the split is not shown."""
    statuses = [row[f"victims_{s}_status"] for s in SEXES]
    if all(st == NO_DATA for st in statuses):
        return "no data"
    if all(st == model.SUPPRESSED for st in statuses):
        return "withheld [c]: given for all areas together only"
    return ", ".join(
        f"{SEX_NAMES[s]} {count_text(row[f'victims_{s}'], st, threshold)}"
        for s, st in zip(SEXES, statuses, strict=True)
    )


def force_split_text(public: PublicFigures, year: int) -> str:
    """The force's split by sex, as published."""
    values, statuses = public.force[year], public.force_status[year]
    return ", ".join(
        f"{SEX_NAMES[s]} "
        f"{count_text(values[f'victims_{s}'], statuses[f'victims_{s}'], public.threshold)}"
        for s in SEXES
    )


def force_text(public: PublicFigures, year: int) -> str:
    """The year's total of every area with data, as published."""
    return count_text(
        public.force[year]["victims"], public.force_status[year]["victims"], public.threshold
    )


def count_class(row, scale: model.Scale) -> str:
    """Map class of the count view for one row of :attr:`PublicFigures.areas`."""
    return model.count_class(row["victims"], row["victims_status"], scale)


def rate_class(row, scale: model.Scale) -> str:
    """Map class of the rate view for one row of :attr:`PublicFigures.areas`."""
    return model.rate_class(row["rate_per_100k"], row["rate_status"], scale)


def boundary_text(confidence: str) -> str:
    """The boundary confidence as shown; its meaning is explained beside the table."""
    return "guess (dashed outline)" if confidence == "guess" else confidence


@dataclass
class PublishedItems:
    """Force-level counts by category (offences or outcomes), as the record publishes them.

    ``frame`` has the category columns, ``count`` (missing where withheld) and
    ``count_status``.
    """

    frame: pd.DataFrame


ITEM_COLUMNS = {"offence": ["offence"], "outcome": ["outcome_code", "outcome"]}


def publish_items(record: Record, kind: str) -> PublishedItems:
    """The offences (``kind="offence"``) or outcomes of every year in ``record``."""
    columns = ITEM_COLUMNS[kind]
    rows = []
    for cell in record.values:
        if cell.measure == "crimes" and cell.level == kind:
            names = cell.name if isinstance(cell.name, tuple) else (cell.name,)
            rows.append([cell.year, *names, record.shown(cell), record.status(cell)])
    frame = pd.DataFrame(rows, columns=["year", *columns, "count", "count_status"])
    frame["count"] = frame["count"].astype("Int64")
    return PublishedItems(frame)
