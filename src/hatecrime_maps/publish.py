"""From joined figures to what is published: suppression applied, text for people.

Everything a public page, table or download shows passes through here. The
count cells published for a year are each area's and NPU's victims, the
force totals, and (as the FOI did) each area's female / male / not-recorded
split. Under ``--suppress-below`` the split is shown for the force only, and
the sums between the remaining cells are the constraints
:mod:`hatecrime_maps.privacy` protects. Ages are never published.

The display text for each figure is made once, here, so a tooltip and the
data table cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hatecrime_maps import privacy, stats, style
from hatecrime_maps.foi import SEXES

COUNT_MEASURES = ("victims", *(f"victims_{s}" for s in SEXES))
SEX_NAMES = {"F": "female", "M": "male", "U": "not recorded"}


@dataclass
class PublicFigures:
    """Figures safe to publish: counts withheld where needed, with the reason.

    ``areas`` and ``npus`` are the joined figures with each withheld count set
    to missing and a ``<measure>_status`` column (``""``, ``"fewer_than"``,
    ``"suppressed"``); rates of a withheld count are withheld too.
    ``force`` maps each year to its published totals.
    """

    threshold: int | None
    areas: pd.DataFrame
    npus: pd.DataFrame
    force: dict[int, dict[str, int | None]]
    force_status: dict[int, dict[str, str]]


def _cells(areas: pd.DataFrame, npus: pd.DataFrame) -> tuple[dict, list]:
    """Published counts of one year and the sums between them.

    Under suppression the sex split is published for the force only: area
    splits are withheld whole, so they are not cells here.
    """
    values: dict = {}
    constraints: list[privacy.Constraint] = []
    for row in areas.itertuples():
        values[("area", row.area, "victims")] = int(row.victims)
    for row in npus.itertuples():
        values[("npu", row.npu, "victims")] = int(row.victims)
        constraints.append(privacy.Constraint(
            ("npu", row.npu, "victims"),
            tuple(("area", a, "victims") for a in areas.loc[areas["npu"] == row.npu, "area"])))
    for m in COUNT_MEASURES:
        values[("force", "", m)] = int(areas[m].sum())
    constraints.append(privacy.Constraint(
        ("force", "", "victims"), tuple(("area", a, "victims") for a in areas["area"])))
    constraints.append(privacy.Constraint(
        ("force", "", "victims"), tuple(("npu", n, "victims") for n in npus["npu"])))
    constraints.append(privacy.Constraint(
        ("force", "", "victims"), tuple(("force", "", f"victims_{s}") for s in SEXES)))
    return values, constraints


def publish(areas: pd.DataFrame, npus: pd.DataFrame,
            threshold: int | None = None) -> PublicFigures:
    """Apply ``--suppress-below threshold`` (None: publish as the FOI did) year by year.

    Years are protected separately: nothing published sums across years.
    """
    # NPUs are published as totals only: their sex split is not in the FOI answer.
    areas, npus = areas.copy(), npus.drop(columns=list(COUNT_MEASURES[1:]))
    for frame, measures in ((areas, COUNT_MEASURES), (npus, ("victims",))):
        for m in measures:
            frame[m] = frame[m].astype("Int64")
            frame[f"{m}_status"] = ""
    force: dict[int, dict[str, int | None]] = {}
    force_status: dict[int, dict[str, str]] = {}
    for year in sorted(areas["year"].unique()):
        a_rows, n_rows = areas["year"] == year, npus["year"] == year
        values, constraints = _cells(areas[a_rows], npus[n_rows])
        hidden = privacy.suppress(values, constraints, threshold) if threshold else {}
        if threshold:
            for area in areas.loc[a_rows, "area"]:
                hidden.update({("area", area, f"victims_{s}"): privacy.SUPPRESSED
                               for s in SEXES})
        force[int(year)] = {m: values[("force", "", m)] for m in COUNT_MEASURES}
        force_status[int(year)] = dict.fromkeys(COUNT_MEASURES, "")
        for (level, name, measure), status in hidden.items():
            if level == "force":
                force[int(year)][measure] = None
                force_status[int(year)][measure] = status
                continue
            frame, key = (areas, "area") if level == "area" else (npus, "npu")
            rows = (frame["year"] == year) & (frame[key] == name)
            frame.loc[rows, measure] = pd.NA
            frame.loc[rows, f"{measure}_status"] = status
    for frame in (areas, npus):
        withheld = frame["victims_status"] != ""
        frame.loc[withheld, "rate_status"] = "suppressed"
        for col in ("rate_per_100k", "rate_lower", "rate_upper", "annualised_rate_per_100k",
                    "annualised_lower", "annualised_upper"):
            frame.loc[withheld, col] = float("nan")
    return PublicFigures(threshold, areas, npus, force, force_status)


# --------------------------------------------------------------------------
# Text for people


def count_text(value, status: str, threshold: int | None) -> str:
    """``'24'``, ``'fewer than 3'`` or ``'withheld'``."""
    if status == privacy.FEWER_THAN:
        return f"fewer than {threshold}"
    if status == privacy.SUPPRESSED:
        return "withheld [c]"
    return f"{int(value):,}"


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
    """Force-level counts by category (offences or outcomes), safe to publish.

    ``frame`` has the category columns, ``count`` (missing where withheld) and
    ``count_status``.
    """

    frame: pd.DataFrame


def publish_items(rows: list[tuple], columns: list[str],
                  threshold: int | None) -> PublishedItems:
    """Apply suppression to force-level category counts (one sum per year: the total)."""
    frame = pd.DataFrame(rows, columns=["year", *columns, "count"])
    frame["count"] = frame["count"].astype("Int64")
    frame["count_status"] = ""
    if threshold:
        for year in sorted(frame["year"].unique()):
            index = list(frame.index[frame["year"] == year])
            values = {i: int(frame.at[i, "count"]) for i in index}
            values["total"] = sum(values.values())
            hidden = privacy.suppress(values, [privacy.Constraint("total", tuple(index))],
                                      threshold)
            for cell, status in hidden.items():
                if cell != "total":
                    frame.at[cell, "count"] = pd.NA
                    frame.at[cell, "count_status"] = status
    return PublishedItems(frame)
