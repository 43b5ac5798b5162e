"""Join counts to the geography: figures per area of the map's level, and per parent unit.

The input's names have already been resolved to areas of one level
(:func:`hatecrime_maps.geography.levels.resolve`). Here every area of that level gets,
per year: its counts (by sex where the input has sex), the population of the
matching mid-year estimate, and a rate per 100,000 with its exact 95%
interval where there are enough for one (see :mod:`hatecrime_maps.analysis.stats`).
The parent level (the NPUs of the sectors, the boroughs of NPUs and wards)
gets the sums of its areas. Totals are checked to be the same after the join
as before, at both levels.

What an area the input does not list means depends on the input: in an FOI
area table it had none (0); in a counts table it is **no data**, unless the
user says otherwise (``absent_as_zero``). A parent unit with an area of no
data has no data either: its sum is unknown.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd

from hatecrime_maps.analysis import stats
from hatecrime_maps.errors import MetadataError
from hatecrime_maps.geography.provenance import Provenance
from hatecrime_maps.model import NO_DATA, SEXES, Period

RATE_COLUMNS = (
    "rate_per_100k",
    "rate_lower",
    "rate_upper",
    "annualised_rate_per_100k",
    "annualised_lower",
    "annualised_upper",
)
"""The rate and its interval, over the period and annualised."""

FIGURE_COLUMNS = [
    "year",
    "period_start",
    "period_end",
    "period_days",
    "listed_in_foi",
    "has_data",
    *(f"victims_{s}" for s in SEXES),
    "victims",
    "population",
    "population_year",
    "rate_status",
    *RATE_COLUMNS,
]
"""Columns every figures table has, after its geography columns."""


def rate_population_column(year: int) -> str:
    """The population column of a mid-year estimate (``pop_mid2020``)."""
    return f"pop_mid{year}"


def _rates(count: int | None, population: int | None, period: Period) -> dict:
    keys = ("rate_per_100k", "rate_lower", "rate_upper")
    akeys = ("annualised_rate_per_100k", "annualised_lower", "annualised_upper")
    status = NO_DATA if count is None else stats.rate_status(count)
    if population is None and count is not None:
        status = "no_population"
    row: dict[str, object] = {"rate_status": status}
    if count is None or population is None or status == "too_few":
        return row | dict.fromkeys(keys + akeys)
    values = stats.rate_with_interval(count, population)
    factor = stats.annualisation_factor(period.start, period.end)
    row |= dict(zip(keys, values, strict=True))
    row |= dict(zip(akeys, (v * factor for v in values), strict=True))
    return row


def figures(
    counts: pd.DataFrame,
    units: pd.DataFrame,
    periods: dict[int, Period],
    listed: dict[int, set[str]],
    *,
    has_sex: bool,
    geography: Provenance,
) -> pd.DataFrame:
    """Figures per unit and year from counts by ``area``, year and sex.

    ``counts`` has columns ``year, area, sex, count`` (``area`` being a unit
    of ``units``); ``listed[year]`` the units with data that year (the others
    have no data). Units with data but no counts get 0. Rates use the
    geography's nearest mid-year estimate; a unit without one (or a geography
    with none) has no rate, with status ``no_population``, never a guess.
    """
    rows = []
    attrs = [c for c in units.columns if c != "geometry" and not c.startswith("pop_mid")]
    # Sums looked up by key, so each unit costs the same however many units there are.
    totals: dict[Hashable, int] = {}
    by_sex_of: dict[Hashable, int] = {}
    if len(counts):
        totals = {k: int(v) for k, v in counts.groupby(["year", "area"])["count"].sum().items()}
        by_sex_of = {
            k: int(v) for k, v in counts.groupby(["year", "area", "sex"])["count"].sum().items()
        }
    unit_rows = (
        units.drop(columns="geometry", errors="ignore").sort_values("area").to_dict("records")
    )
    for year in sorted(periods):
        period = periods[year]
        days = stats.period_days(period.start, period.end)
        with_data = listed.get(year, set())
        used = geography.population_year(year)
        for unit in unit_rows:
            held = unit.get(rate_population_column(used)) if used is not None else None
            population = None if held is None or pd.isna(held) else int(held)
            key = (year, unit["area"])
            in_input = key in totals
            has_data = unit["area"] in with_data
            by_sex: dict[str, int | None] = dict.fromkeys(SEXES)
            total = None
            if has_data:
                total = totals.get(key, 0)
                if has_sex:
                    by_sex = {s: by_sex_of.get((*key, s), 0) for s in SEXES}
            row = {a: unit[a] for a in attrs}
            row |= {
                "year": year,
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "period_days": days,
                "listed_in_foi": in_input,
                "has_data": has_data,
                **{f"victims_{s}": n for s, n in by_sex.items()},
                "victims": total,
                "population": population,
                "population_year": None if population is None else used,
            }
            rows.append(row | _rates(total, row["population"], period))
    frame = pd.DataFrame(rows, columns=[*attrs, *FIGURE_COLUMNS])
    for c in ("victims", *(f"victims_{s}" for s in SEXES), "population", "population_year"):
        frame[c] = frame[c].astype("Int64")
    for c in RATE_COLUMNS:
        frame[c] = frame[c].astype(float)
    return frame


def join_counts(
    counts: pd.DataFrame,
    areas: pd.DataFrame,
    parents: pd.DataFrame | None,
    *,
    periods: dict[int, Period],
    geography: Provenance,
    parent_geography: Provenance | None = None,
    has_sex: bool,
    absent_as_zero: bool,
    source: str,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Figures per area and per parent unit for every year in ``periods``.

    ``counts`` has ``year, area, sex, count`` with ``area`` already an area
    name of ``areas`` (see :func:`hatecrime_maps.geography.levels.resolve`). Raises
    :class:`InputError` for a year with no period, and checks that no count is
    lost or gained at either level. ``geography`` says which estimates the areas hold
    (:meth:`~hatecrime_maps.geography.provenance.Provenance.for_level`), and
    ``parent_geography`` which the parent units do (default: the same).
    """
    missing = sorted(set(counts["year"]) - set(periods))
    if missing:
        raise MetadataError(source, f"no period is given for {missing[0]}")
    counts = counts.groupby(["year", "area", "sex"], as_index=False)[["count"]].sum()
    every = set(areas["area"])
    listed = {
        y: (every if absent_as_zero else set(counts.loc[counts["year"] == y, "area"]))
        for y in periods
    }
    area_figs = figures(counts, areas, periods, listed, has_sex=has_sex, geography=geography)
    parent_figs = None
    if parents is not None:
        parent_of = areas.set_index("area")["parent"]
        members: dict[str, set[str]] = {}
        for area, parent in parent_of.items():
            members.setdefault(parent, set()).add(area)
        parent_listed = {y: {p for p, ms in members.items() if ms <= listed[y]} for y in periods}
        parent_counts = counts.assign(area=counts["area"].map(parent_of))
        parent_figs = figures(
            parent_counts,
            parents,
            periods,
            parent_listed,
            has_sex=has_sex,
            geography=parent_geography or geography,
        )
    for year in periods:
        before = int(counts.loc[counts["year"] == year, "count"].sum())
        after = int(area_figs.loc[area_figs["year"] == year, "victims"].sum())
        if after != before:
            raise AssertionError(f"{year}: {before} before the join, {after} after")
        if parent_figs is not None:
            mine = parent_figs[(parent_figs["year"] == year) & parent_figs["has_data"]]
            areas_in = area_figs[
                (area_figs["year"] == year) & area_figs["parent"].isin(mine["area"])
            ]
            if int(mine["victims"].sum()) != int(areas_in["victims"].sum()):
                raise AssertionError(f"{year}: parent units do not add up to their areas")
    return area_figs, parent_figs
