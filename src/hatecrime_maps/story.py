"""The story behind the map: force-level figures by offence group, outcome, sex and age band.

Pure functions from the tidy tables to small published tables. Each table is
one count per category and year that adds up to the year's total, so
``--suppress-below`` protects it with the same audit as the map
(:func:`hatecrime_maps.privacy.suppress`, the total being published).
Ages appear only as broad bands, and only for the whole force.
"""

from __future__ import annotations

from dataclasses import dataclass

from hatecrime_maps import categories, privacy
from hatecrime_maps.foi import SEXES
from hatecrime_maps.publish import SEX_NAMES, PublicFigures, count_text


@dataclass
class StoryTable:
    """Counts per category (rows) and year (columns), as published.

    ``counts[category][year]`` is the count, or None when withheld, with
    ``status[category][year]`` saying why.
    """

    name: str
    title: str
    unit: str
    categories: list[str]
    years: list[int]
    counts: dict[str, dict[int, int | None]]
    status: dict[str, dict[int, str]]
    totals: dict[int, int]

    def text(self, category: str, year: int, threshold: int | None) -> str:
        return count_text(self.counts[category][year], self.status[category][year], threshold)


def story_table(name: str, title: str, unit: str, order: tuple[str, ...],
                values: dict[int, dict[str, int]], threshold: int | None) -> StoryTable:
    """Build a table with categories in ``order`` (those seen), protecting small counts."""
    years = sorted(values)
    seen = [c for c in order if any(values[y].get(c) for y in years)]
    counts = {c: {y: values[y].get(c, 0) for y in years} for c in seen}
    status = {c: dict.fromkeys(years, "") for c in seen}
    totals = {y: sum(values[y].values()) for y in years}
    if threshold:
        for y in years:
            cells = {c: counts[c][y] for c in seen} | {"__total__": totals[y]}
            hidden = privacy.suppress(cells, [privacy.Constraint("__total__", tuple(seen))],
                                      threshold)
            for c, why in hidden.items():
                if c != "__total__":
                    counts[c][y] = None
                    status[c][y] = why
    return StoryTable(name, title, unit, seen, years, counts, status, totals)


def _sum_by(rows: list[dict], key: str) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["year"], {})
        out[r["year"]][r[key]] = out[r["year"]].get(r[key], 0) + r["count"]
    return out


def offence_groups(grouped: list[dict], threshold: int | None) -> StoryTable:
    return story_table("offences_by_group", "Crimes by offence group", "crimes",
                       categories.OFFENCE_GROUP_ORDER, _sum_by(grouped, "group"), threshold)


def outcome_groups(typed: list[dict], threshold: int | None) -> StoryTable:
    return story_table("outcomes_by_group", "Crimes by outcome", "crimes",
                       categories.OUTCOME_GROUP_ORDER, _sum_by(typed, "group"), threshold)


def victims_by_sex(public: PublicFigures) -> StoryTable:
    """Force totals by sex, exactly as the map pages publish them."""
    years = sorted(public.force)
    names = [SEX_NAMES[s] for s in SEXES]
    counts = {SEX_NAMES[s]: {y: public.force[y][f"victims_{s}"] for y in years} for s in SEXES}
    status = {SEX_NAMES[s]: {y: public.force_status[y][f"victims_{s}"] for y in years}
              for s in SEXES}
    totals = {y: public.force[y]["victims"] for y in years}
    return StoryTable("victims_by_sex", "Victims by sex", "victims", names, years, counts,
                      status, totals)


def victims_by_age_band(victims: list, threshold: int | None) -> StoryTable:
    """Force-level victims in broad age bands (never by area)."""
    values: dict[int, dict[str, int]] = {}
    for v in victims:
        band = categories.age_band(v.age)
        values.setdefault(v.year, {})
        values[v.year][band] = values[v.year].get(band, 0) + v.count
    return story_table("victims_by_age_band", "Victims by age band (whole force)", "victims",
                       categories.AGE_BANDS, values, threshold)
