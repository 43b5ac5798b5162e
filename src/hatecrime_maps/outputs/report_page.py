"""The report page: what happened and what came of it, in charts, tables and words.

Rendered like the map pages (self-contained, strict CSP, escaped text, no
clock), from the story tables of :mod:`hatecrime_maps.analysis.story`. Charts are
embedded as SVG data URIs with a text alternative, and the same numbers are
printed in a table beside each.
"""

from __future__ import annotations

import base64

from hatecrime_maps.analysis import stats
from hatecrime_maps.analysis.publish import PublicFigures
from hatecrime_maps.analysis.story import StoryTable
from hatecrime_maps.model import Metadata
from hatecrime_maps.outputs import shell, wording
from hatecrime_maps.outputs.charts import Chart

REPORT_FILE = "report.html"


def _share(part: int | None, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if part is not None and whole else "not shown"


def summary_paragraphs(
    offences: StoryTable | None, outcomes: StoryTable | None, meta: Metadata
) -> list[str]:
    """Short generated text: totals, the largest groups, the share charged.

    Every number comes from the published record through the story tables.
    """
    if offences is None:
        return []
    paragraphs = []
    for year in offences.years:
        total, total_text = offences.total_value(year), offences.total_text(year)
        period = meta.periods[year]
        partial = (
            ""
            if stats.annualisation_factor(period.start, period.end) == 1
            else f" ({stats.period_days(period.start, period.end)} days, not a full year)"
        )
        text = f"From {period.label}{partial}, {total_text} crimes were recorded."
        shown = [(n, c) for c in offences.categories if (n := offences.count(c, year))]
        if shown and total:
            n, group = max(shown, key=lambda t: (t[0], -offences.categories.index(t[1])))
            # "The largest" only when a reader can tell no withheld group is larger: each is
            # at most "fewer than N", and all together at most the total less those shown.
            left = total - sum(m for m, _ in shown)
            hidden = [
                offences.upper_bound(c, year)
                for c in offences.categories
                if offences.count(c, year) is None
            ]
            largest = all((left if b is None else min(b, left)) <= n for b in hidden)
            lead = "The largest group was" if largest else "Of the groups shown, the largest was"
            text += f" {lead} {group.lower()}: {n} of {total} ({_share(n, total)})."
        charged = "Charged or summonsed"
        if outcomes is not None and year in outcomes.years:
            n = outcomes.count(charged, year) if charged in outcomes.categories else 0
            bound = outcomes.upper_bound(charged, year) if n is None else n
            if n == 0:
                text += f" None of the {total_text} led to a charge or summons."
            elif n is None and (bound is None or total is None or bound >= total):
                text += " How many led to a charge or summons is withheld."
            else:
                said = outcomes.text(charged, year)
                text += f" {said.capitalize()} of the {total_text} led to a charge or summons" + (
                    f" ({_share(n, total)})." if n is not None and total else "."
                )
        paragraphs.append(text)
    return paragraphs


def chart_table(table: StoryTable) -> dict:
    """A chart's figures as the table shown beside it."""
    return {
        "caption": table.title,
        "columns": [str(y) for y in table.years],
        "rows": [
            {"name": c, "cells": [table.text(c, y) for y in table.years]} for c in table.categories
        ],
        "totals": [table.total_text(y) for y in table.years],
    }


def missing_text(public: PublicFigures, charts: list[tuple[Chart, StoryTable]]) -> str:
    """What the input did not contain, so that nothing is drawn empty or as zero."""
    names = {table.name for _, table in charts}
    missing = [
        what
        for name, what in (
            ("offences_by_group", "offences"),
            ("outcomes_by_group", "outcomes"),
            ("victims_by_sex", "a split by sex"),
            ("victims_by_age_band", "ages"),
        )
        if name not in names
    ]
    if not missing:
        return ""
    listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
    return (
        f"The input has no {listed}, so this page shows only what it has. "
        "Nothing it does not give is shown as zero."
    )


def statistical_notes(public: PublicFigures, has_outcomes: bool, has_ages: bool) -> list[str]:
    """The report's notes on periods, rates, suppression and what is counted."""
    meta = public.about.meta
    notes = wording.period_notes(meta, public.years)
    crimes = public.about.capabilities.offences_and_outcomes
    noun = "crimes" if crimes else wording.measure(meta)
    notes.append(
        f"The numbers are small: a difference of a few {noun} "
        "between years or groups can be chance."
        if crimes
        else f"Small numbers of {wording.measure(meta)} vary by chance from year to year."
    )
    notes.append(wording.flag_note(meta))
    if has_outcomes:
        notes.append(
            "An outcome is the state of the investigation when the answer was "
            'written; recent crimes may still be open ("not yet recorded").'
        )
    if has_ages:
        notes.append(
            "Ages are shown in broad bands for the whole force only, never by area. "
            "Recorded ages that are impossible count as unknown."
        )
    notes += wording.merged_notes(public.about.level, public.about.merged)
    if public.about.level.built:
        notes.append(
            "The police areas on the maps are built from wards and are approximate; "
            "these charts do not depend on them."
        )
    return notes


def link_text(public: PublicFigures) -> str:
    """How the landing page describes the report."""
    if public.about.capabilities.offences_and_outcomes:
        return (
            "the story behind the maps: offences, outcomes, victims by sex and age band, "
            "with charts and print maps"
        )
    return "the figures behind the maps, with print maps"


def trend_context(chart: Chart, rows: list[dict], public: PublicFigures) -> dict:
    """The trend section: its chart and the table of every point."""
    meta = public.about.meta
    return {
        "title": chart.title,
        "alt": chart.alt,
        "src": "data:image/svg+xml;base64,"
        + base64.b64encode(chart.svg.encode("utf-8")).decode("ascii"),
        "svg": "charts/trend.svg",
        "png": "charts/trend.png",
        "noun": wording.measure(meta),
        "rows": [
            {
                "year": r["year"],
                "period": meta.periods[r["year"]].label,
                "count": f"{r['count']:,}",
                "population": f"{r['population']:,}",
                "rate": f"{r['rate']:.1f}",
                "interval": f"{r['lower']:.1f} to {r['upper']:.1f}",
            }
            for r in rows
        ],
    }


def render_report(
    public: PublicFigures,
    charts: list[tuple[Chart, StoryTable]],
    *,
    offences: StoryTable | None,
    outcomes: StoryTable | None,
    meanings: list[tuple[str, str]],
    print_maps: list[tuple[str, str, str]],
    routes: dict,
    trend: tuple[Chart, list[dict]] | None = None,
) -> str:
    """The report page.

    ``routes`` is the "Report hate crime" section's context
    (:func:`hatecrime_maps.outputs.pages.routes_context`); ``trend`` the force's
    trend chart and its rows (:func:`hatecrime_maps.analysis.change.force_trend`).
    """
    meta = public.about.meta
    figures = []
    for chart, table in charts:
        figures.append(
            {
                "id": chart.name,
                "title": chart.title,
                "alt": chart.alt,
                "src": "data:image/svg+xml;base64,"
                + base64.b64encode(chart.svg.encode("utf-8")).decode("ascii"),
                "svg": f"charts/{chart.name}.svg",
                "png": f"charts/{chart.name}.png",
                "table": chart_table(table),
            }
        )
    years = public.years
    names = {t.name for _, t in charts}
    context = {
        **routes,
        "title": wording.report_title(meta, offences is not None or outcomes is not None),
        "description": wording.report_description(meta, years),
        "periods": [(y, meta.periods[y].label) for y in years],
        "summary": summary_paragraphs(offences, outcomes, meta),
        "change": wording.change_story(public.last_change, public.about),
        "change_years": public.years[-2:] if len(years) >= 2 else None,
        "year_names": {y: meta.year_name(y) for y in public.years},
        "figures": figures,
        "missing": missing_text(public, charts),
        "meanings": meanings,
        "notes": statistical_notes(public, outcomes is not None, "victims_by_age_band" in names),
        "threshold": public.threshold,
        "print_maps": print_maps,
        "trend": None if trend is None else trend_context(*trend, public),
        "source": {
            "figures": wording.source_of_figures(meta, public.about.input_name),
            "source_url": meta.source_url,
            "ogl": public.about.geography.attribution,
            "ogl_url": public.about.geography.licence_url,
        },
    }
    return shell.render_page(
        "report.html.j2",
        context,
        scripts=[],
        styles=[shell.static_text("map.css")],
        tiles=None,
        own_images=True,
    )
