"""Join the FOI victim counts to the geography, at area and at NPU level.

Area names in an FOI answer are matched to the areas of ``boundaries/`` after
normalising case, spacing, markup and ``&``/``and``; other spellings live in
``boundaries/area_aliases.csv``. A name that matches nothing stops the build
with the nearest known names: counts are never silently dropped, and the
totals after the join are checked against the totals before.

Each area and year gets: counts by sex and in all, the population of the
matching mid-year estimate, and a rate per 100,000 with its exact 95% interval
where there are enough victims for one (see :mod:`hatecrime_maps.stats`).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from hatecrime_maps import stats
from hatecrime_maps.errors import InputError
from hatecrime_maps.files import read_csv_rows
from hatecrime_maps.foi import SEXES, clean_cell
from hatecrime_maps.geography import pop_column
from hatecrime_maps.metadata import Period

ALIASES_FILE = "area_aliases.csv"

FIGURE_COLUMNS = [
    "year", "period_start", "period_end", "period_days", "listed_in_foi",
    *(f"victims_{s}" for s in SEXES), "victims", "population", "population_year",
    "rate_status", "rate_per_100k", "rate_lower", "rate_upper",
    "annualised_rate_per_100k", "annualised_lower", "annualised_upper",
]
"""Columns every figures table has, after its geography columns."""


def normalise_name(name: str) -> str:
    """Fold case, spacing, markup, punctuation and ``&``/``and`` away."""
    text = clean_cell(name).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def load_aliases(path: Path) -> dict[str, str]:
    """``alias → area`` from ``area_aliases.csv``, keyed on the normalised alias."""
    aliases = {}
    for line, row in read_csv_rows(path, ("alias", "area")):
        if not row["alias"] or not row["area"]:
            raise InputError(str(path), "empty alias or area", line)
        aliases[normalise_name(row["alias"])] = row["area"]
    return aliases


def match_areas(names: list[str], known: list[str], aliases: dict[str, str],
                source: str, lines: dict[str, int] | None = None) -> dict[str, str]:
    """Map each FOI area name to a known area name, or fail naming the nearest ones.

    ``lines`` gives the line each name was read from, for the error.
    """
    by_norm = {normalise_name(k): k for k in known}
    for alias, area in aliases.items():
        if area not in known:
            raise InputError(source, f"alias {alias!r} points to unknown area {area!r}")
        by_norm.setdefault(alias, area)
    matched = {}
    for name in names:
        norm = normalise_name(name)
        if norm in by_norm:
            matched[name] = by_norm[norm]
            continue
        near = difflib.get_close_matches(norm, list(by_norm), n=10, cutoff=0.5)
        nearest = list(dict.fromkeys(by_norm[n] for n in near))[:3]
        hint = ", ".join(repr(a) for a in nearest) or "none close"
        raise InputError(source, f"area {name!r} matches no known area (nearest: {hint}); "
                         "add it to boundaries/area_aliases.csv if it is another name for one",
                         (lines or {}).get(name))
    return matched


def _rates(count: int, population: int, period: Period) -> dict:
    status = stats.rate_status(count)
    row = {"rate_status": status}
    keys = ("rate_per_100k", "rate_lower", "rate_upper")
    akeys = ("annualised_rate_per_100k", "annualised_lower", "annualised_upper")
    if status == "too_few":
        row |= dict.fromkeys(keys + akeys)
        return row
    values = stats.rate_with_interval(count, population)
    factor = stats.annualisation_factor(period.start, period.end)
    row |= dict(zip(keys, values, strict=True))
    row |= dict(zip(akeys, (v * factor for v in values), strict=True))
    return row


def figures(counts: pd.DataFrame, units: pd.DataFrame, key: str,
            periods: dict[int, Period]) -> pd.DataFrame:
    """Figures per unit (area or NPU) and year from counts by ``key``, year and sex.

    ``counts`` has columns ``year, <key>, sex, count``; ``units`` one row per
    unit with its attributes and populations. Units with no victims in a year
    get 0 and ``listed_in_foi`` False.
    """
    rows = []
    attrs = [c for c in units.columns if c != "geometry" and not c.startswith("pop_mid")]
    for year in sorted(periods):
        period = periods[year]
        year_counts = counts[counts["year"] == year]
        for _, unit in units.sort_values(key).iterrows():
            mine = year_counts[year_counts[key] == unit[key]]
            by_sex = {s: int(mine.loc[mine["sex"] == s, "count"].sum()) for s in SEXES}
            total = sum(by_sex.values())
            population = int(unit[pop_column(year)])
            row = {a: unit[a] for a in attrs}
            row |= {
                "year": year, "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "period_days": stats.period_days(period.start, period.end),
                "listed_in_foi": bool(len(mine)),
                **{f"victims_{s}": n for s, n in by_sex.items()},
                "victims": total, "population": population, "population_year": year,
            }
            row |= _rates(total, population, period)
            rows.append(row)
    return pd.DataFrame(rows, columns=[*attrs, *FIGURE_COLUMNS])


def join_victims(victims: pd.DataFrame, areas: pd.DataFrame, npus: pd.DataFrame,
                 periods: dict[int, Period], aliases: dict[str, str],
                 source: str, lines: dict[str, int] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Area and NPU figures for every year in ``periods``.

    ``victims`` is the tidy victims table; ``lines`` the line of each area name in
    ``source``. Raises :class:`InputError` for an
    unmatched area name or a year with no period, and checks that no victim is
    lost or gained at either level.
    """
    missing_years = sorted(set(victims["year"]) - set(periods))
    if missing_years:
        raise InputError(source, f"no period is given for {missing_years[0]} in the metadata")
    mapping = match_areas(sorted(victims["area"].unique()), list(areas["area"]), aliases,
                          source, lines)
    counts = victims.assign(area=victims["area"].map(mapping))
    counts = counts.groupby(["year", "area", "sex"], as_index=False)["count"].sum()
    counts["npu"] = counts["area"].map(areas.set_index("area")["npu"])
    area_figs = figures(counts, areas, "area", periods)
    npu_figs = figures(counts, npus, "npu", periods)

    for year in periods:
        before = int(victims.loc[victims["year"] == year, "count"].sum())
        for level, figs in (("area", area_figs), ("NPU", npu_figs)):
            after = int(figs.loc[figs["year"] == year, "victims"].sum())
            if after != before:
                raise AssertionError(f"{year}: {before} victims before the {level} join, "
                                     f"{after} after")
    return area_figs, npu_figs
