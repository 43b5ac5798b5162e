"""From the published record to the figures pages and downloads show, and their text.

The figures of a build live once, in :class:`hatecrime_maps.record.Record`,
which is suppressed once. This module lays them out for the renderers: each
area's and NPU's figures as tables (values withheld where the record withholds
them, with the reason), and the force totals. Under ``--suppress-below`` the
split by sex is published for the force only. Ages are never published here.

The display text for each figure is made once, here, so a tooltip and the
data table cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hatecrime_maps import privacy, stats, style
from hatecrime_maps.foi import SEXES
from hatecrime_maps.record import FORCE, Cell, Record, count_text

COUNT_MEASURES = ("victims", *(f"victims_{s}" for s in SEXES))
SEX_NAMES = {"F": "female", "M": "male", "U": "not recorded"}
RATE_COLUMNS = ("rate_per_100k", "rate_lower", "rate_upper", "annualised_rate_per_100k",
                "annualised_lower", "annualised_upper")


@dataclass
class PublicFigures:
    """Figures safe to publish, laid out per area and NPU, all read from ``record``.

    ``areas`` and ``npus`` are the joined figures with each withheld count set
    to missing and a ``<measure>_status`` column (``""``, ``"fewer_than"``,
    ``"suppressed"``); rates of a withheld count are withheld too.
    ``force`` maps each year to its published totals.
    """

    record: Record
    areas: pd.DataFrame
    npus: pd.DataFrame
    force: dict[int, dict[str, int | None]]
    force_status: dict[int, dict[str, str]]

    @property
    def threshold(self) -> int | None:
        return self.record.threshold


def _sex_of(measure: str) -> str:
    return measure.rsplit("_", 1)[1] if "_" in measure else ""


def publish(areas: pd.DataFrame, npus: pd.DataFrame, record: Record) -> PublicFigures:
    """Lay out the joined area and NPU figures as the (suppressed) ``record`` publishes them."""
    # NPUs are published as totals only: their sex split is not in the FOI answer.
    areas, npus = areas.copy(), npus.drop(columns=list(COUNT_MEASURES[1:]))
    for frame, level, measures in ((areas, "area", COUNT_MEASURES), (npus, "npu", ("victims",))):
        for m in measures:
            cells = [Cell("victims", int(y), level, name, _sex_of(m))
                     for y, name in zip(frame["year"], frame[level], strict=True)]
            frame[m] = pd.array([record.shown(c) for c in cells], dtype="Int64")
            frame[f"{m}_status"] = [record.status(c) for c in cells]
        withheld = frame["victims_status"] != ""
        frame.loc[withheld, "rate_status"] = "suppressed"
        for col in RATE_COLUMNS:
            frame.loc[withheld, col] = float("nan")
    years = sorted(int(y) for y in areas["year"].unique())
    force = {y: {m: record.shown(Cell("victims", y, FORCE, "", _sex_of(m)))
                 for m in COUNT_MEASURES} for y in years}
    force_status = {y: {m: record.status(Cell("victims", y, FORCE, "", _sex_of(m)))
                        for m in COUNT_MEASURES} for y in years}
    return PublicFigures(record, areas, npus, force, force_status)


# --------------------------------------------------------------------------
# Text for people


def rate_text(row) -> str:
    """A rate with its interval, or why there is none."""
    status = row["rate_status"]
    if status == "suppressed":
        return "not shown: the count is withheld"
    if status == "too_few":
        return f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} victims"
    text = (f"{row['rate_per_100k']:.1f} (95% CI {row['rate_lower']:.1f} to "
            f"{row['rate_upper']:.1f})")
    if status == "low_reliability":
        text += f", low reliability [u]: fewer than {stats.MIN_COUNT_RELIABLE} victims"
    return text


def sex_split_text(row, threshold: int | None) -> str:
    """``'female 4, male 19, not recorded 1'``, or why the split is not shown."""
    statuses = [row[f"victims_{s}_status"] for s in SEXES]
    if all(st == privacy.SUPPRESSED for st in statuses):
        return "withheld [c]: given for all areas together only"
    return ", ".join(
        f"{SEX_NAMES[s]} {count_text(row[f'victims_{s}'], st, threshold)}"
        for s, st in zip(SEXES, statuses, strict=True))


def force_rows(public: PublicFigures, year: int) -> list[str]:
    """The force totals, in the area table's columns (blank where not meaningful)."""
    values, statuses = public.force[year], public.force_status[year]
    threshold = public.threshold
    split = ", ".join(
        f"{SEX_NAMES[s]} "
        f"{count_text(values[f'victims_{s}'], statuses[f'victims_{s}'], threshold)}"
        for s in SEXES)
    return ["", count_text(values["victims"], statuses["victims"], threshold), split,
            "", "", "", ""]


def count_class(row) -> str:
    """Legend key of the count view: a count class, or ``suppressed``."""
    if row["victims_status"]:
        return "suppressed"
    return style.class_for(int(row["victims"]), style.COUNT_CLASSES).key


def rate_class(row) -> str:
    """Legend key of the rate view: a rate class, ``norate`` or ``suppressed``."""
    if row["rate_status"] == "suppressed":
        return "suppressed"
    if row["rate_status"] == "too_few":
        return "norate"
    return style.class_for(float(row["rate_per_100k"]), style.RATE_CLASSES).key


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
