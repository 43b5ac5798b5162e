"""The report page: what happened and what came of it, in charts, tables and words.

Rendered like the map pages (self-contained, strict CSP, escaped text, no
clock), from the story tables of :mod:`hatecrime_maps.story`. Charts are
embedded as SVG data URIs with a text alternative, and the same numbers are
printed in a table beside each.
"""

from __future__ import annotations

import base64

from hatecrime_maps import stats, webmap
from hatecrime_maps.charts import Chart
from hatecrime_maps.metadata import FoiMetadata
from hatecrime_maps.provenance import OGL_ATTRIBUTION, OGL_URL, figures_attribution
from hatecrime_maps.story import StoryTable

REPORT_FILE = "report.html"


def _share(part: int | None, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if part is not None and whole else "not shown"


def summary_paragraphs(offences: StoryTable, outcomes: StoryTable, meta: FoiMetadata,
                       threshold: int | None) -> list[str]:
    """Short generated text: totals, the largest groups, the share charged."""
    paragraphs = []
    for year in offences.years:
        total = offences.totals[year]
        period = meta.periods[year]
        partial = ("" if stats.annualisation_factor(period.start, period.end) == 1 else
                   f" ({stats.period_days(period.start, period.end)} days, not a full year)")
        shown = [(offences.counts[c][year], c) for c in offences.categories
                 if offences.counts[c][year]]
        text = f"From {period.label}{partial}, {total} crimes were recorded."
        if shown:
            n, group = max(shown, key=lambda t: (t[0], -offences.categories.index(t[1])))
            text += (f" The largest group was {group.lower()}: {n} of {total} "
                     f"({_share(n, total)}).")
        charged = "Charged or summonsed"
        if charged in outcomes.categories:
            n = outcomes.counts[charged][year]
            if n == 0:
                text += f" None of the {total} led to a charge or summons."
            else:
                said = outcomes.text(charged, year, threshold)
                text += (f" {said.capitalize()} of the {total} led to a charge or summons"
                         + (f" ({_share(n, total)})." if n is not None else "."))
        else:
            text += f" None of the {total} led to a charge or summons."
        paragraphs.append(text)
    return paragraphs


def chart_table(table: StoryTable, threshold: int | None) -> dict:
    return {
        "caption": table.title,
        "columns": [str(y) for y in table.years],
        "rows": [{"name": c, "cells": [table.text(c, y, threshold) for y in table.years]}
                 for c in table.categories],
        "totals": [f"{table.totals[y]:,}" if table.totals[y] is not None else "withheld"
                   for y in table.years],
    }


def render_report(charts: list[tuple[Chart, StoryTable]], offences: StoryTable,
                  outcomes: StoryTable, meta: FoiMetadata, threshold: int | None,
                  meanings: list[tuple[str, str]], print_maps: list[tuple[int, str]]) -> str:
    figures = []
    for chart, table in charts:
        figures.append({
            "id": chart.name, "title": chart.title, "alt": chart.alt,
            "src": "data:image/svg+xml;base64," + base64.b64encode(
                chart.svg.encode("utf-8")).decode("ascii"),
            "svg": f"charts/{chart.name}.svg", "png": f"charts/{chart.name}.png",
            "table": chart_table(table, threshold),
        })
    years = offences.years
    context = {
        "title": "Hate crimes against refugees, asylum seekers and migrants: what happened "
                 "and what came of it",
        "periods": [(y, meta.periods[y].label) for y in years],
        "summary": summary_paragraphs(offences, outcomes, meta, threshold),
        "figures": figures,
        "meanings": meanings,
        "threshold": threshold,
        "print_maps": print_maps,
        "source": {"figures": figures_attribution(meta.reference, meta.force),
                   "source_url": meta.source_url, "ogl": OGL_ATTRIBUTION, "ogl_url": OGL_URL},
    }
    return webmap.render_page("report.html.j2", context, [], [webmap.static_text("map.css")],
                              None)
