"""The choropleth map pages, their embed pages and the landing page, as self-contained HTML.

Each page is the shell of :mod:`.shell` (inlined Leaflet, strict CSP) around a
template that extends ``_page.html.j2``, drawn from one
:class:`~hatecrime_maps.outputs.geometry.PageGeometry` and the published
figures, in the classes and colours of :mod:`.presentation`.

Text from input files reaches the page only through Jinja's autoescaping or
as JSON in a non-executed ``<script type="application/json">`` block, which
the page's script reads and writes with ``textContent``, never ``innerHTML``.

Nothing here reads the clock or makes random ids: the same inputs give the
same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from hatecrime_maps.analysis import publish, stats
from hatecrime_maps.geography.levels import Level
from hatecrime_maps.geography.provenance import (
    CONFIDENCE_MEANINGS,
)
from hatecrime_maps.io.templating import html_environment, json_for_script
from hatecrime_maps.model import KIND_MEANINGS, KINDS, PLACE_KINDS, Centre, Metadata
from hatecrime_maps.outputs import presentation, wording
from hatecrime_maps.outputs.basemaps import Tiles
from hatecrime_maps.outputs.geometry import COORD_DECIMALS, PageGeometry
from hatecrime_maps.outputs.presentation import class_css, fill_styles, legend_entries
from hatecrime_maps.outputs.shell import (
    content_security_policy,
    leaflet_css,
    leaflet_js,
    render_page,
    static_text,
)

SCRIPTED_TABLE_ABOVE = 500
"""Up to this many areas the data table is plain HTML (it needs no script); above it the
page's script shows it a page at a time, with a search box, from the page's data."""
CANVAS_ABOVE = 1000
"""Above this many areas the map draws on a canvas rather than as SVG paths."""
TABLE_PAGE_ROWS = 50


# --------------------------------------------------------------------------
# What a map page shows


def views(
    about: publish.About,
    parent_confidence: Sequence[str] = (),
    change_years: tuple[int, int] | None = None,
) -> list[tuple[str, str]]:
    """The map's views (the "Show" control): counts, rates, change, and the parent level's.

    ``parent_confidence`` holds the boundary confidence of each parent unit: the
    parent view's label says, from them, how many are exact. ``change_years``: the
    page has the change views, opening at the change between these two years.
    """
    meta, parent = about.meta, about.parent
    out = [
        ("count", wording.per_unit(meta, about.level)),
        ("rate", f"{wording.measure_title(meta)} per 100,000 residents"),
    ]
    if change_years is not None:
        out.append(("change", change_view_label(meta, change_years)))
    if parent is not None:
        out.append(("parent", wording.per_unit(meta, parent) + confidence_note(parent_confidence)))
        if change_years is not None:
            out.append(("parent_change", change_view_label(meta, change_years, parent)))
    return out


def change_view_label(meta: Metadata, years: tuple[int, int], unit: Level | None = None) -> str:
    """``"Change from 2019 to 2020"``, or ``"Change by NPU from 2019 to 2020"``."""
    by = f" by {unit.label}" if unit is not None else ""
    return f"Change{by} from {meta.year_name(years[0])} to {meta.year_name(years[1])}"


CHANGE_COLUMN = "Change"
"""The heading of the tables' change column: its cells name their two years."""


def confidence_note(confidences: Sequence[str]) -> str:
    """``" (boundaries: 6 exact, 2 approximate)"``, or ``" (exact boundaries)"``, or ``""``."""
    counts = {c: list(confidences).count(c) for c in CONFIDENCE_MEANINGS if c in confidences}
    if not counts:
        return ""
    if list(counts) == ["exact"]:
        return " (exact boundaries)"
    return " (boundaries: " + ", ".join(f"{n} {c}" for c, n in counts.items()) + ")"


def population_text(row) -> str:
    """An area's population with the year of its estimate."""
    if pd.isna(row["population"]):
        return "no population estimate held"
    return f"{int(row['population']):,} (mid-{int(row['population_year'])})"


def area_rows(
    row, about: publish.About, threshold: int | None, change_cell: list[str] | None = None
) -> list[list[str]]:
    """The figures a reader sees for one area, as (label, text) pairs.

    The same rows make the tooltip and the data table's columns. ``change_cell`` is the
    (label, text) of the area's change, last, on the page of a change's later year.
    """
    noun = wording.measure(about.meta)
    rows = []
    if about.parent is not None:
        rows.append([about.parent.title, row["parent"]])
    rows.append(
        [
            wording.measure_title(about.meta),
            publish.count_text(row["victims"], row["victims_status"], threshold),
        ]
    )
    if about.has_sex:
        rows.append(["By sex", publish.sex_split_text(row, threshold)])
    rate = publish.rate_text(row, noun)
    # Said beside a rate only: where no rate is shown there is nothing to mislead.
    shown = row["rate_status"] in ("ok", "low_reliability")
    note = about.population_notes.get(row["area"]) if shown else None
    rows += [
        ["Population", population_text(row)],
        ["Rate per 100,000", f"{rate}; {note}" if note else rate],
        ["Boundary", publish.boundary_text(row["confidence"])],
    ]
    if about.level.built and about.capabilities.lists_areas:
        rows.append(
            ["Named in the FOI", "yes" if row["name_status"] == "reported" else "no: name inferred"]
        )
    if change_cell is not None:
        rows.append(change_cell)
    return rows


def parent_rows(
    row, about: publish.About, threshold: int | None, change_cell: list[str] | None = None
) -> list[list[str]]:
    """The figures of one parent unit (an NPU, a borough), as (label, text) pairs."""
    noun = wording.measure(about.meta)
    if about.parent is None:
        raise ValueError(f"{about.level.plural} have no parent units")
    rows = [
        *([[about.grandparent.title, row["parent"]]] if about.grandparent else []),
        [
            wording.measure_title(about.meta),
            publish.count_text(row["victims"], row["victims_status"], threshold),
        ],
        ["Population", population_text(row)],
        ["Rate per 100,000", publish.rate_text(row, noun)],
        ["Boundary", publish.boundary_text(row["confidence"])],
    ]
    return rows if change_cell is None else [*rows, change_cell]


def force_cells(public: publish.PublicFigures, year: int) -> list[str]:
    """The all-areas row of the area table, in its columns (blank where not meaningful)."""
    about = public.about
    cells = [""] if about.parent is not None else []
    cells.append(publish.force_text(public, year))
    if about.has_sex:
        cells.append(publish.force_split_text(public, year))
    width = len(area_rows(public.areas.iloc[0], about, public.threshold))
    return cells + [""] * (width - len(cells))


def centre_rows(centre: Centre) -> list[list[str]]:
    """A reporting centre's details, as (label, text) pairs."""
    if not centre.is_located:
        where = "not known: not placed on the map"
    elif centre.is_approximate:
        where = f"approximate, within about {centre.precision_m:,.0f} m ({centre.location_method})"
    else:
        where = f"{centre.location_method} (within about {centre.precision_m:,.0f} m)"
    return [
        ["What", centre.kind_label],
        ["Address", centre.address or "not known"],
        ["Location", where],
    ]


def centre_label(centre: Centre) -> str:
    """A unique, readable label for a marker (its title and accessible name)."""
    approx = ", approximate location" if centre.is_approximate else ""
    return f"{centre.kind_label}: {centre.name}{approx}"


def _units(n: int, level: Level) -> str:
    return f"{n:,} {level.label if n == 1 else level.plural}"


def summary_text(public: publish.PublicFigures, year: int) -> str:
    """One plain-English paragraph from the published figures of a year."""
    about = public.about
    meta, level = about.meta, about.level
    areas = public.areas[public.areas["year"] == year]
    threshold = public.threshold
    period = meta.periods[year]
    noun = wording.measure(meta)
    total = publish.force_text(public, year)
    with_data = areas[areas["has_data"]]
    parts = [
        f"{wording.recorded_by(meta)} {total} {wording.what(meta)} from {period.label}"
        f"{wording.partial_period(period)}"
        + (
            "."
            if len(with_data) == len(areas)
            else f" in the {_units(len(with_data), level)} with data; the input gives no "
            f"figure for the other {len(areas) - len(with_data):,}."
        )
    ]
    if about.capabilities.lists_areas:
        listed = int(areas["listed_in_foi"].sum())
        parts.append(
            f"The answer places them in {listed:,} of the {len(areas):,} {level.plural} drawn here."
        )
    shown = with_data[with_data["victims_status"] == ""]
    if len(shown) and shown["victims"].max() > 0:
        top = shown.sort_values(["victims", "area"], ascending=[False, True]).iloc[0]
        parts.append(f"{top['area']} had the most ({int(top['victims']):,}).")
    few = int(with_data["rate_status"].isin(["too_few", "suppressed"]).sum())
    withheld = " or a withheld count" if threshold else ""
    if few:
        parts.append(
            f"{_units(few, level)} had fewer than "
            f"{stats.MIN_COUNT_FOR_RATE} {noun}{withheld}, too few for a rate, so the "
            f"map shows counts first and rates only where there were enough {noun}."
        )
    else:
        parts.append(
            f"Every {level.label} with data had at least "
            f"{stats.MIN_COUNT_FOR_RATE} {noun}, enough for a rate."
        )
    guesses = int((areas["confidence"] == "guess").sum())
    if level.built and public.parents is not None and about.parent is not None:
        parents = public.parents[public.parents["year"] == year]
        exact = int((parents["confidence"] == "exact").sum())
        parts.append(
            f"Police area boundaries were never published: these are built from "
            f"wards, {guesses:,} of them are guesses (dashed). The {about.parent.label} view "
            f"gives totals for larger units, {exact} of the {len(parents)} with exact "
            "boundaries."
        )
    elif guesses:
        parts.append(f"{guesses:,} of the {level.plural}' boundaries are guesses (dashed).")
    return " ".join(parts)


NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
"""A number as a cell writes it ("12,345", "253.3"): what varies between rows of a text."""
PLACEHOLDER = "#"
"""Where a shape's number goes; a column whose text holds it is not written by shapes."""


def column(values: list) -> list | dict:
    """A column of the page's data, as it is or with what repeats written once.

    When values repeat, each distinct value is given once (``v``) with every row's
    index into them (``i``; left out where every row has the one value). Text
    that repeats around numbers that do not ("253.3 (95% CI 174.3 to 355.7)") is
    written as its distinct shapes (``s``, a ``#`` where each row's number goes),
    every row's index into them (``i``) and the rows' numbers in order, joined by
    ``|`` (``n``): a ward map's rates and populations in a third of the bytes.
    """
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1 and len(values) > 1:
        return {"v": distinct}
    if len(distinct) * 2 <= len(values):
        where = {v: i for i, v in enumerate(distinct)}
        return {"v": distinct, "i": [where[v] for v in values]}
    return _by_shapes(values) or values


def _by_shapes(values: list) -> dict | None:
    """``values`` as shapes and numbers (see :func:`column`), or None where that is no smaller.

    A number in the same place of every row of a shape ("95" of "95% CI") stays in it.
    """
    if not all(isinstance(v, str) and PLACEHOLDER not in v for v in values):
        return None
    split = [NUMBER.split(v) for v in values]  # text, number, text, … number, text
    keys = [tuple(parts[::2]) for parts in split]
    constant: dict[tuple, list[str | None]] = {}
    for key, parts in zip(keys, split, strict=True):
        numbers = parts[1::2]
        seen = constant.setdefault(key, list(numbers))
        constant[key] = [s if s == n else None for s, n in zip(seen, numbers, strict=True)]
    shapes = {
        key: "".join(
            text + ("" if k == len(key) - 1 else same[k] or PLACEHOLDER)
            for k, text in enumerate(key)
        )
        for key, same in constant.items()
    }
    distinct = list(dict.fromkeys(shapes.values()))
    if len(distinct) * 2 > len(values):
        return None
    where = {shape: i for i, shape in enumerate(distinct)}
    numbers = [
        n
        for key, parts in zip(keys, split, strict=True)
        for n, same in zip(parts[1::2], constant[key], strict=True)
        if same is None
    ]
    return {"s": distinct, "i": [where[shapes[k]] for k in keys], "n": "|".join(numbers)}


def _records(frame) -> list[dict]:
    return [] if frame is None or not len(frame) else frame.to_dict("records")


def year_rows(public: publish.PublicFigures, year: int) -> tuple[list[dict], list[dict]]:
    """The year's areas and parent units, in name order, as plain records."""
    areas = public.areas[public.areas["year"] == year].sort_values("area")
    parents = (
        None
        if public.parents is None
        else public.parents[public.parents["year"] == year].sort_values("area")
    )
    return _records(areas), _records(parents)


def _change_class(row: dict) -> str:
    """A unit's class in a change view (withheld and missing as in the other views)."""
    status = row["change_status"]
    return row["change"] if not status else "suppressed" if status == "withheld" else "no_data"


@dataclass(frozen=True)
class YearOnPage:
    """One year's figures as a map page shows them, laid out once for every page.

    ``areas`` and ``parents`` are the year's records in name order; ``figures``
    and ``parent_figures`` their (label, text) rows, without the change.
    """

    year: int
    areas: list[dict]
    parents: list[dict]
    figures: list[list[list[str]]]
    parent_figures: list[list[list[str]]]
    force: list[str]


@dataclass(frozen=True)
class ChangeOnPage:
    """The change between two years as a map page shows it: each unit's text and class."""

    earlier: int
    later: int
    areas: dict[str, dict]
    parents: dict[str, dict]
    force: dict
    meta: Metadata
    """What the figures are: it names the years."""

    @property
    def years(self) -> tuple[int, int]:
        """The two years compared, earlier first."""
        return (self.earlier, self.later)

    def cell(self, area: str) -> list[str]:
        """An area's change as a (label, text) row."""
        return [CHANGE_COLUMN, wording.change_text(self.areas[area], self.meta)]

    def parent_cell(self, parent: str) -> list[str]:
        """A parent unit's change as a (label, text) row."""
        return [CHANGE_COLUMN, wording.change_text(self.parents[parent], self.meta)]


@dataclass(frozen=True)
class PageFigures:
    """Every year and every change a map page can show, the same on every page of a build."""

    years: dict[int, YearOnPage]
    changes: list[ChangeOnPage]
    """Every two years, earlier first; the last is the change pages open at."""
    year_data: list[dict]
    """Each year as the page's script switches to it (:func:`_year_data`)."""
    change_data: list[dict]
    """Each change as the page's script switches to it (:func:`_change_data`)."""
    measures: list[dict] = dataclasses.field(default_factory=list)
    """With several figures per area (strands), each figure set's key, label, year data
    and change data, the first being these; empty for one figure per area."""

    @property
    def last_change(self) -> ChangeOnPage | None:
        """The change between the last two years, which the pages open at."""
        return self.changes[-1] if self.changes else None


def page_figures(public: publish.PublicFigures) -> PageFigures:
    """Lay out every year's figures and every change for the map pages."""
    about, threshold = public.about, public.threshold
    years = {}
    for year in public.years:
        areas, parents = year_rows(public, year)
        years[year] = YearOnPage(
            year,
            areas,
            parents,
            [area_rows(r, about, threshold) for r in areas],
            [parent_rows(r, about, threshold) for r in parents],
            force_cells(public, year),
        )
    changes = [
        ChangeOnPage(
            a,
            b,
            {r["area"]: r for r in rows[:-1]},
            {r["area"]: r for r in public.parent_changes.get((a, b), [])},
            rows[-1],
            about.meta,
        )
        for (a, b), rows in public.changes.items()
    ]
    first = next(iter(years.values()))
    laid_out = PageFigures(
        years,
        changes,
        [_year_data(public, y) for y in years.values()],
        [_change_data(public, c, first) for c in changes],
    )
    if not public.strands:
        return laid_out
    each = [laid_out, *(page_figures(s) for s in public.strands)]
    laid_out.measures.extend(
        {
            "key": p.measure_key,
            "label": wording.strand_label(p.about.meta),
            "years": f.year_data,
            "changes": f.change_data,
        }
        for p, f in zip(public.measures, each, strict=True)
    )
    return laid_out


def area_table(shown: YearOnPage, changes: ChangeOnPage | None = None) -> dict:
    """The area table's ids, names, column labels and cells (by column) for one year."""
    figures = [
        f if changes is None else [*f, changes.cell(r["area"])]
        for r, f in zip(shown.areas, shown.figures, strict=True)
    ]
    labels = [label for label, _ in figures[0]]
    return {
        "ids": [r["area_id"] for r in shown.areas],
        "names": [r["area"] for r in shown.areas],
        "columns": labels,
        "cells": [[f[i][1] for f in figures] for i in range(len(labels))],
    }


def _cells(figures: list[list[list[str]]]) -> list:
    """(label, text) rows per unit as one data column per label."""
    return [column([f[i][1] for f in figures]) for i in range(len(figures[0]))] if figures else []


def _year_data(public: publish.PublicFigures, shown: YearOnPage) -> dict:
    """What changes on a page when its year does: texts, classes and figures.

    ``file`` is the map page's; an embed page names its own (:func:`map_page_data`).
    """
    about, meta, year = public.about, public.about.meta, shown.year
    return {
        "year": year,
        "file": map_file_name(year),
        "title": wording.map_title(meta, about.level, year),
        "period": meta.periods[year].label,
        "population": about.geography.population_source(year),
        "summary": summary_text(public, year),
        "mapLabel": map_label(about.level, meta.year_name(year)),
        "label": meta.year_name(year),
        "caption": table_caption(meta, about.level, year),
        "parentCaption": "" if about.parent is None else table_caption(meta, about.parent, year),
        "all": all_label(about.level, shown.areas),
        "count": column([publish.count_class(r, public.scale) for r in shown.areas]),
        "rate": column([publish.rate_class(r, public.scale) for r in shown.areas]),
        "cells": _cells(shown.figures),
        "force": shown.force,
        "parentCount": [publish.count_class(r, public.scale) for r in shown.parents],
        "parentCells": _cells(shown.parent_figures),
    }


def _change_data(public: publish.PublicFigures, shown: ChangeOnPage, units: YearOnPage) -> dict:
    """What changes on a page when the two years compared do.

    ``units`` is any year's layout: the areas and parent units in page order.
    """
    about = public.about
    areas, parents = units.areas, units.parents
    return {
        "years": list(shown.years),
        "labels": {
            "change": change_view_label(about.meta, shown.years),
            "parent_change": ""
            if about.parent is None
            else change_view_label(about.meta, shown.years, about.parent),
        },
        "classes": column([_change_class(shown.areas[r["area"]]) for r in areas]),
        "cells": column([wording.change_text(shown.areas[r["area"]], about.meta) for r in areas]),
        "force": wording.change_text(shown.force, about.meta),
        "summary": " ".join(wording.change_story(public.changes[shown.years], about)),
        "parentClasses": [_change_class(shown.parents[r["area"]]) for r in parents],
        "parentCells": [wording.change_text(shown.parents[r["area"]], about.meta) for r in parents],
    }


def table_caption(meta: Metadata, level: Level, year: int) -> str:
    """``'Victims per policing area, 1 January to 31 December 2020'``, with a strand first."""
    return f"{wording.of_strand(meta, wording.per_unit(meta, level))}, {meta.periods[year].label}"


def map_label(level: Level, year: int | str) -> str:
    """The map region's accessible name."""
    return f"Map of the {level.plural}, {year}. The same figures are in the data tables below."


def all_label(level: Level, areas: list[dict]) -> str:
    """The heading of the table's all-areas row."""
    return f"All {level.plural}" + ("" if all(r["has_data"] for r in areas) else " with data")


def _figure_sets(figures: PageFigures, compact: bool) -> dict:
    """Each year's and change's data, per figure set where the page has several.

    The script reads ``years`` and ``changes``, or ``measures`` (each with its
    own), taking the first's as the page opens.
    """

    def years(data: list[dict]) -> list[dict]:
        return [{**d, "file": embed_file_name(d["year"])} if compact else d for d in data]

    if not figures.measures:
        return {"years": years(figures.year_data), "changes": figures.change_data}
    return {"measures": [m | {"years": years(m["years"])} for m in figures.measures]}


def map_page_data(
    public: publish.PublicFigures,
    year: int,
    geometry: PageGeometry,
    *,
    centres: list[Centre],
    tiles: Tiles | None,
    figures: PageFigures,
    compact: bool = False,
) -> dict:
    """Everything the page's script needs, as plain data.

    Every year's figures and every change are sent, so that the page switches
    between them in place; the page opens at ``year`` and the last change. Where
    the script shows the table (more than :data:`SCRIPTED_TABLE_ABOVE` areas),
    names come in ``areas.table``.
    """
    shown = figures.years[year]
    areas = shown.areas
    scripted = len(areas) > SCRIPTED_TABLE_ABOVE
    dense = len(areas) > CANVAS_ABOVE
    columns = [label for label, _ in shown.figures[0]]
    if figures.changes:
        columns.append(CHANGE_COLUMN)
    return {
        "scale": 10**COORD_DECIMALS,
        "bounds": geometry.bounds,
        "canvas": dense,
        "tiles": None
        if tiles is None
        else {"url": tiles.url, "attribution": tiles.attribution, "maxZoom": tiles.max_zoom},
        "fills": fill_styles(),
        "style": {
            "outline": presentation.OUTLINE,
            "areaWeight": presentation.DENSE_AREA_WEIGHT if dense else presentation.AREA_WEIGHT,
            "parentWeight": presentation.PARENT_WEIGHT,
            "selected": presentation.SELECTED["color"],
            "selectedWeight": presentation.SELECTED["weight"],
            "guessDash": presentation.GUESS_DASH,
            "borough": presentation.BOROUGH_LINE,
            "ward": presentation.DENSE_WARD_LINE if dense else presentation.WARD_LINE,
            "hatch": [presentation.NO_RATE_FILL, presentation.NO_RATE_HATCH],
            "noData": [presentation.NO_DATA_FILL, presentation.NO_DATA_HATCH],
            "centres": presentation.CENTRE_COLOURS,
        },
        **_figure_sets(figures, compact),
        "openYear": list(figures.years).index(year),
        "columns": columns,
        "parentColumns": [label for label, _ in shown.parent_figures[0]]
        + ([CHANGE_COLUMN] if figures.changes else [])
        if shown.parent_figures
        else [],
        "arcs": geometry.arcs,
        "areas": {
            "ids": [r["area_id"] for r in areas],
            "guess": [i for i, r in enumerate(areas) if r["confidence"] == "guess"],
            "shapes": [geometry.areas[r["area"]] for r in areas],
            "names": [r["area"] for r in areas],
            "table": None if not scripted else {"pageRows": TABLE_PAGE_ROWS},
        },
        "parents": {
            "ids": [r["area_id"] for r in shown.parents],
            "names": [r["area"] for r in shown.parents],
            "shapes": [geometry.parents[r["area"]] for r in shown.parents],
        },
        # null: the ward lines are every arc (the other layers are unions of wards).
        "wardLines": None
        if geometry.ward_lines == list(range(len(geometry.arcs)))
        else geometry.ward_lines,
        "boroughLines": geometry.borough_lines,
        "centres": [
            {
                "id": f"centre-{i}",
                "name": c.name,
                "kind": c.kind,
                "label": centre_label(c),
                "lat": c.lat,
                "lon": c.lon,
                "approx": c.is_approximate,
                "precision": c.precision_m,
                "rows": centre_rows(c),
            }
            for i, c in enumerate(centres, 1)
            if c.is_place and c.is_located
        ],
    }


def source_line(public: publish.PublicFigures, year: int, tiles: Tiles | None) -> dict:
    """What the page's source line says about one year's figures."""
    meta = public.about.meta
    return {
        "figures": wording.source_of_figures(meta, public.about.input_name),
        "period": meta.periods[year].label,
        "population": public.about.geography.population_source(year),
        "boundaries": public.about.geography.boundary_vintage,
        "built": public.about.level.built,
        "ogl": public.about.geography.attribution,
        "ogl_url": public.about.geography.licence_url,
        "source_url": meta.source_url,
        "tiles": tiles is not None,
    }


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def table_label_css(public: publish.PublicFigures) -> str:
    """On a phone each table row is a card: its column labels, written once per column.

    One rule per column rather than a label on every cell keeps large pages small.
    """
    about, threshold = public.about, public.threshold
    # The change column is last, wherever there are two years to compare.
    change_column = [CHANGE_COLUMN, ""] if public.last_change else None
    tables = [("area-table", area_rows(public.areas.iloc[0], about, threshold, change_column))]
    if public.parents is not None:
        tables.append(
            ("parent-table", parent_rows(public.parents.iloc[0], about, threshold, change_column))
        )
    rules = [
        f"#{table} td:nth-child({i})::before {{ content: {_css_string(label + ': ')}; }}"
        for table, rows in tables
        for i, (label, _) in enumerate(rows, start=2)  # the row's name is child 1
    ]
    return "@media (max-width: 40rem) {\n" + "\n".join(rules) + "\n}\n"


def page_styles(public: publish.PublicFigures) -> list[str]:
    """The map page's inline style sheets: Leaflet's, the package's, the generated."""
    import rcssmin

    generated = rcssmin.cssmin(class_css() + table_label_css(public))
    return [leaflet_css(), static_text("map.css"), generated]


def page_scripts() -> list[str]:
    """The map page's inline scripts: Leaflet, the large maps' painter, and the page's own."""
    return [leaflet_js(), static_text("canvas.js"), static_text("map.js")]


YEAR_RADIOS_UP_TO = 3
"""Up to this many years the year control is radio buttons; above it, a select."""


def render_map_page(
    public: publish.PublicFigures,
    year: int,
    geometry: PageGeometry,
    *,
    centres: list[Centre],
    tiles: Tiles | None,
    figures: PageFigures | None = None,
    downloads: bool = True,
    places_note: str = "",
    compact: bool = False,
) -> str:
    """A map page that opens at ``year`` and switches in place to the others.

    ``figures`` (:func:`page_figures`) is laid out once for all the pages of a
    build. ``downloads`` says whether the build writes the data files (which the
    page then names as where the whole table is); ``places_note`` says where the
    reporting places are (:func:`hatecrime_maps.outputs.wording.places_note`).

    ``compact`` makes the embed page: the map, its controls, legend and source fitted
    to a fixed-height frame, the tables folded away, and a link to the full page.
    """
    figures = figures or page_figures(public)
    about = public.about
    meta = about.meta
    threshold = public.threshold
    shown = figures.years[year]
    areas, parents = shown.areas, shown.parents
    changes = figures.last_change
    table = area_table(shown, changes)
    data = map_page_data(
        public, year, geometry, centres=centres, tiles=tiles, figures=figures, compact=compact
    )
    scripted = data["areas"]["table"] is not None
    every_year = [y.areas for y in figures.years.values()]
    view_list = views(about, [r["confidence"] for r in parents], changes.years if changes else None)
    legend_titles = dict(view_list) | {
        "parent": wording.per_unit(meta, about.parent) if about.parent else ""
    }
    context = {
        "year": year,
        "years": list(figures.years),
        "year_names": {y: meta.year_name(y) for y in figures.years},
        "year_radios": len(figures.years) <= YEAR_RADIOS_UP_TO and not compact,
        "pairs": [c.years for c in figures.changes],
        "title": wording.map_title(meta, about.level, year),
        "summary": figures.year_data[list(figures.years).index(year)]["summary"],
        "change_summary": figures.change_data[-1]["summary"] if figures.change_data else "",
        "period": meta.periods[year].label,
        "views": view_list,
        "legends": [
            (
                m.measure_key if public.strands else "",
                key,
                wording.of_strand(m.about.meta, ""),
                wording.of_strand(m.about.meta, legend_titles[key]),
                entries,
            )
            for m in public.measures
            for key, entries in legend_entries(
                m.about,
                threshold,
                not all(r["has_data"] for rows in every_year for r in rows),
                scale=m.scale,
                change=changes is not None,
            ).items()
        ],
        "measures": [(m["key"], m["label"]) for m in figures.measures],
        "strands_note": wording.strands_note(meta) if public.strands else "",
        "confidence": about.geography.confidence_meanings,
        "guesses": any(r["confidence"] == "guess" for r in areas),
        "level": about.level,
        "parent": about.parent,
        "scripted": scripted,
        "area_count": len(areas),
        "page_rows": TABLE_PAGE_ROWS,
        "downloads": downloads,
        "area_table": []
        if scripted
        else [
            {"id": i, "name": n, "cells": cells}
            for i, n, *cells in zip(table["ids"], table["names"], *table["cells"], strict=True)
        ],
        "area_columns": table["columns"],
        "force_cells": shown.force
        + ([wording.change_text(changes.force, meta)] if changes is not None else []),
        "all_label": all_label(about.level, areas),
        "map_label": map_label(about.level, meta.year_name(year)),
        "caption": table_caption(meta, about.level, year),
        **routes_context(centres, places_note),
        "population_notes": sorted(about.population_notes),
        "merged": wording.merged_notes(about.level, about.merged),
        "fine_lines": fine_lines_label(about),
        "compact": compact,
        "full_page": map_file_name(year),
        "source": source_line(public, year, tiles),
        "notes": {
            "counting": wording.counting_note(meta),
            "population": about.geography.population_source(year),
            "noun": wording.measure(meta),
            "change": changes is not None,
        },
        "threshold": threshold,
        "data_json": json_for_script(data),
    }
    if about.parent is not None:
        rows = [
            f if changes is None else [*f, changes.parent_cell(r["area"])]
            for r, f in zip(parents, shown.parent_figures, strict=True)
        ]
        context |= {
            "parent_table": [
                {"id": r["area_id"], "name": r["area"], "cells": [v for _, v in f]}
                for r, f in zip(parents, rows, strict=True)
            ],
            "parent_columns": [label for label, _ in rows[0]],
            "parent_caption": table_caption(meta, about.parent, year),
        }
    return render_page(
        "map.html.j2", context, scripts=page_scripts(), styles=page_styles(public), tiles=tiles
    )


def fine_lines_label(about: publish.About) -> str:
    """The label of the thin context lines' switch, or "" where they are the map's own areas."""
    fine = about.geography.context_lines["fine"]
    if fine == about.level.layer:
        return ""
    return f"{wording.layer_noun(fine)} boundaries"


def routes_context(
    centres: list[Centre], places_note: str, *, places: bool = True, map_link: str = ""
) -> dict:
    """What the "Report hate crime" section shows: every route, and the places if asked.

    Where the places are not shown, ``map_link`` leads to the maps that show them.
    """
    shown = [c for c in centres if c.is_place]
    kinds = [k for k in PLACE_KINDS if any(c.kind == k for c in shown)]
    return {
        "routes": [c for c in centres if not c.is_place],
        "places": [(c, centre_label(c)) for c in shown] if places else None,
        "place_meanings": [(KINDS[k], KIND_MEANINGS[k]) for k in kinds],
        "places_note": places_note,
        "map_link": map_link,
    }


def render_index_page(
    public: publish.PublicFigures,
    downloads: list[tuple[str, str]],
    tiles: Tiles | None,
    centres: list[Centre],
    places_note: str = "",
) -> str:
    """The landing page.

    Embed snippets point at the map files by relative address, for a host to change
    to wherever it puts them; the CSP offered covers the pages' tiles.
    """
    about = public.about
    meta = about.meta
    pages = []
    for year in public.years:
        title = wording.embed_title(meta, about.level, year)
        file = map_file_name(year)
        pages.append(
            {
                "year": year,
                "name": meta.year_name(year),
                "file": file,
                "title": title,
                "summary": summary_text(public, year),
                "period": meta.periods[year].label,
                "embed": embed_file_name(year),
                "snippet": embed_snippet(file, title),
                "compact_snippet": embed_snippet(
                    embed_file_name(year), title, height=EMBED_HEIGHT_PX
                ),
            }
        )
    context = {
        **routes_context(
            centres, places_note, places=False, map_link=map_file_name(public.years[-1])
        ),
        "title": wording.index_title(meta),
        "description": wording.index_intro(meta, about),
        "intro": wording.index_intro(meta, about),
        "pages": pages,
        "downloads": downloads,
        "csp_header": content_security_policy(page_scripts(), page_styles(public), tiles),
        "embed_script": EMBED_SCRIPT,
        "embed_height": EMBED_HEIGHT_PX,
        "source": {
            "ogl": about.geography.attribution,
            "ogl_url": public.about.geography.licence_url,
            "figures": wording.source_of_figures(meta, about.input_name),
            "boundaries": about.geography.boundary_vintage,
            "built": about.level.built,
            "source_url": meta.source_url,
        },
    }
    styles = [static_text("map.css")]
    return render_page("index.html.j2", context, scripts=[], styles=styles, tiles=None)


def map_file_name(year: int) -> str:
    """The file name of a year's map page."""
    return f"map-{year}.html"


def embed_file_name(year: int) -> str:
    """The file name of a year's embed page."""
    return f"embed-{year}.html"


EMBED_SCRIPT = "hatecrime-maps-embed.js"
"""The height listener a host serves from its own site (``script-src 'self'``)."""
EMBED_HEIGHT_PX = 760
"""The fixed frame height the compact embed page is laid out for."""


def embed_script() -> str:
    """The host's height listener, as written beside the pages (readable, not minified)."""
    return (
        resources.files("hatecrime_maps").joinpath("static").joinpath("embed.js").read_text("utf-8")
    )


def embed_snippet(src: str, title: str, *, height: int | None = None) -> str:
    """An iframe for a host page, made by the template engine.

    The frame is of fixed ``height``, or (None) follows its content with the
    listener script the host serves itself. Every attribute is autoescaped, so a
    title with quotes or ``<`` stays one attribute.
    """
    # Width and height are attributes, not a style: a host's policy without
    # 'unsafe-inline' in style-src ignores style attributes (the frame would be 300 by 150).
    template = html_environment().from_string(
        '<iframe src="{{ src }}" title="{{ title }}" class="hatecrime-map" loading="lazy"\n'
        '        width="100%" height="{{ height or 900 }}"></iframe>'
        "{% if not height %}\n"
        '<script src="{{ script }}" defer></script>{% endif %}'
    )
    return template.render(src=src, title=title, height=height, script=EMBED_SCRIPT)
