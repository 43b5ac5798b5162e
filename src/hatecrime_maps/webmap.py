"""Render the choropleth map pages and the landing page as self-contained HTML.

Pages are written from Jinja templates onto Leaflet itself, which is inlined
from the ``xstatic-leaflet`` package with the project's own script and styles.
Each page therefore renders from ``file://``, offline, and under a strict
hash-based Content Security Policy (written into the page, and offered as a
header for hosts), and makes no request but for basemap tiles.

Text from input files reaches the page only through Jinja's autoescaping or
as JSON in a non-executed ``<script type="application/json">`` block, which
the page's script reads and writes with ``textContent``, never ``innerHTML``.

Nothing here reads the clock or makes random ids: the same inputs give the
same bytes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hatecrime_maps import publish, stats, style, wording
from hatecrime_maps.basemaps import Tiles
from hatecrime_maps.centres import KIND_MEANINGS, KINDS, PLACE_KINDS, Centre
from hatecrime_maps.levels import LEVELS, Level
from hatecrime_maps.provenance import (
    BOUNDARY_VINTAGE,
    CONFIDENCE_MEANINGS,
    OGL_ATTRIBUTION,
    OGL_URL,
    population_source,
)
from hatecrime_maps.topology import arc_indices, polygons_of, read_topology

COORD_DECIMALS = 4  # about 7 to 11 m: well inside the 73 m the web geometry may move

SCRIPTED_TABLE_ABOVE = 500
"""Up to this many areas the data table is plain HTML (it needs no script); above it the
page's script shows it a page at a time, with a search box, from the page's data."""
CANVAS_ABOVE = 1000
"""Above this many areas the map draws on a canvas rather than as SVG paths."""
TABLE_PAGE_ROWS = 50


# --------------------------------------------------------------------------
# Geometry for the page


def _encode_number(value: int) -> str:
    """A signed integer in the 5-bit, printable form of Google's encoded polylines."""
    bits = ~(value << 1) if value < 0 else value << 1
    out = []
    while bits >= 0x20:
        out.append(chr((0x20 | (bits & 0x1F)) + 63))
        bits >>= 5
    out.append(chr(bits + 63))
    return "".join(out)


def encode_arcs(arcs: list[list[list[float]]]) -> list[str]:
    """Arcs as strings of quantised coordinate deltas, each from the point before it.

    The deltas run on from one arc to the next (the first point of an arc is a
    delta from the last point of the one before), so nearby arcs cost a few
    characters. Within an arc, points that quantise to one are kept once; its
    end points are always kept, so arcs still meet exactly.
    """
    scale = 10**COORD_DECIMALS
    out = []
    px = py = 0
    for arc in arcs:
        points = [(round(x * scale), round(y * scale)) for x, y in arc]
        kept = [points[0]]
        for point in points[1:-1]:
            if point != kept[-1]:
                kept.append(point)
        kept.append(points[-1])
        text = []
        for ix, iy in kept:
            text.append(_encode_number(ix - px) + _encode_number(iy - py))
            px, py = ix, iy
        out.append("".join(text))
    return out


@dataclass(frozen=True)
class PageGeometry:
    """The map's shapes, encoded once for every page of a build.

    Shapes are polygons of rings of indices into ``arcs`` (``~i`` is arc ``i``
    reversed), as in TopoJSON; the ward and borough lines are lists of arcs.
    """

    arcs: list[str]
    areas: dict[str, list]  # area name -> polygons
    parents: dict[str, list]  # parent unit name -> polygons (empty: no parent)
    ward_lines: list[int]
    borough_lines: list[int]
    bounds: list[list[float]]


def page_geometry(boundaries_dir: Path, level: Level, parent: Level | None) -> PageGeometry:
    """The arcs a level's page draws and its shapes, from the committed web topology."""
    topo = read_topology(boundaries_dir)

    def by_name(lv: Level) -> dict[str, list]:
        return {
            g["properties"][lv.name_key]: polygons_of(g)
            for g in topo["objects"][lv.layer]["geometries"]
        }

    def every_arc(layer: str) -> set[int]:
        return arc_indices(
            [poly for g in topo["objects"][layer]["geometries"] for poly in polygons_of(g)]
        )

    areas = by_name(level)
    parents = by_name(parent) if parent else {}
    wards, boroughs = every_arc("wards"), every_arc("boroughs")
    used = sorted(
        wards
        | boroughs
        | arc_indices([p for ps in areas.values() for p in ps])
        | arc_indices([p for ps in parents.values() for p in ps])
    )
    new = {old: i for i, old in enumerate(used)}

    def renumber(polygons: list) -> list:
        return [
            [[new[i] if i >= 0 else ~new[~i] for i in ring] for ring in poly] for poly in polygons
        ]

    outer = [topo["arcs"][i] for i in sorted(boroughs)]
    return PageGeometry(
        encode_arcs([topo["arcs"][i] for i in used]),
        {name: renumber(ps) for name, ps in areas.items()},
        {name: renumber(ps) for name, ps in parents.items()},
        sorted(new[i] for i in wards),
        sorted(new[i] for i in boroughs),
        _bounds([point for arc in outer for point in arc]),
    )


def _bounds(points: list[list[float]]) -> list[list[float]]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def bounds_of(features: list[dict]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of GeoJSON features."""
    points: list[list[float]] = []

    def walk(c):
        if isinstance(c[0], (int, float)):
            points.append(c)
        else:
            for part in c:
                walk(part)

    for f in features:
        walk(f["geometry"]["coordinates"])
    return _bounds(points)


# --------------------------------------------------------------------------
# Assets and safety


def _leaflet_file(name: str) -> bytes:
    import xstatic.pkg.leaflet as leaflet

    return (Path(leaflet.BASE_DIR) / name).read_bytes()


def _lf(text: str) -> str:
    # HTML parsers turn CRLF into LF inside <style> and <script>: hash what they will see.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def leaflet_js() -> str:
    text = _lf(_leaflet_file("leaflet.js").decode("utf-8"))
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS, minified, without its images, so it fetches nothing.

    Its images belong to the layers control and the default marker icon, which
    the pages never use (every marker has its own icon).
    """
    import rcssmin

    css = _lf(_leaflet_file("leaflet.css").decode("utf-8"))
    return rcssmin.cssmin(re.sub(r"url\(images/[\w.-]+\.png\)", "none", css))


@functools.cache
def static_text(name: str) -> str:
    """One of the package's page scripts or style sheets, minified (rjsmin, rcssmin)."""
    import rcssmin
    import rjsmin

    text = resources.files("hatecrime_maps").joinpath("static", name).read_text(encoding="utf-8")
    minify = rjsmin.jsmin if name.endswith(".js") else rcssmin.cssmin
    return minify(_lf(text))


def json_for_script(data: object) -> str:
    """JSON that cannot end its ``<script>`` block or be read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csp_hash(text: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


def content_security_policy(
    scripts: list[str], styles: list[str], tiles: Tiles | None, own_images: bool = False
) -> str:
    """A strict policy allowing exactly this page's inline scripts and styles.

    ``own_images`` lets the page show image files beside it (the report's print maps).
    """
    img = "data:" + (" 'self'" if own_images else "") + (f" {tiles.csp_source}" if tiles else "")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(s) for s in scripts),
            "style-src " + " ".join(csp_hash(s) for s in styles),
            f"img-src {img}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def markdown_text(value: object) -> str:
    """A value as plain text in Markdown: it can neither format nor break the page.

    Backslash-escapes what would start emphasis, code, a link or a table
    cell, writes ``<`` and ``&`` as entities (Markdown passes HTML through),
    and folds line breaks, so a subject such as ``[x](javascript:…)`` or
    ``<img onerror=…>`` reads as typed. Numbers and plain words are unchanged.
    """
    text = " ".join(str(value).split()) if isinstance(value, str) else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(template: str, **context: object) -> str:
    """Render one of the package's Markdown templates (the generated READMEs).

    Every value is written through :func:`markdown_text`; a value that is
    Markdown by design is marked so in the template with ``|md``.
    """
    env = Environment(
        loader=PackageLoader("hatecrime_maps"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=lambda v: v if isinstance(v, _Markdown) else markdown_text(v),
    )
    env.filters["md"] = _Markdown
    return env.get_template(template).render(**context)


class _Markdown(str):
    """Text that is Markdown by design (the project's own), written as it is."""


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("hatecrime_maps"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env


def render_page(
    template: str,
    context: dict,
    scripts: list[str],
    styles: list[str],
    tiles: Tiles | None,
    own_images: bool = False,
) -> str:
    """Render a page with its inline scripts, styles and matching CSP."""
    csp = content_security_policy(scripts, styles, tiles, own_images)
    return (
        _environment()
        .get_template(template)
        .render(**context, csp=csp, inline_scripts=scripts, inline_styles=styles)
    )


# --------------------------------------------------------------------------
# What a map page shows


def views(about: publish.About, parent_confidence: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The map's views (radio buttons): counts, rates and the parent level's counts.

    ``parent_confidence`` holds the boundary confidence of each parent unit: the
    parent view's label says, from them, how many are exact.
    """
    meta, parent = about.meta, about.parent
    out = [
        ("count", wording.per_unit(meta, about.level)),
        ("rate", f"{wording.measure_title(meta)} per 100,000 residents"),
    ]
    if parent is not None:
        out.append(("parent", wording.per_unit(meta, parent) + confidence_note(parent_confidence)))
    return out


def confidence_note(confidences: Sequence[str]) -> str:
    """``" (boundaries: 6 exact, 2 approximate)"``, or ``" (exact boundaries)"``, or ``""``."""
    counts = {c: list(confidences).count(c) for c in CONFIDENCE_MEANINGS if c in confidences}
    if not counts:
        return ""
    if list(counts) == ["exact"]:
        return " (exact boundaries)"
    return " (boundaries: " + ", ".join(f"{n} {c}" for c, n in counts.items()) + ")"


def population_text(row) -> str:
    return f"{int(row['population']):,} (mid-{int(row['population_year'])})"


def area_rows(row, about: publish.About, threshold: int | None) -> list[list[str]]:
    """The figures a reader sees for one area, as (label, text) pairs.

    The same rows make the tooltip and the data table's columns.
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
    if about.level.key == "sector" and about.kind == "foi":
        rows.append(
            ["Named in the FOI", "yes" if row["name_status"] == "reported" else "no: name inferred"]
        )
    return rows


def parent_rows(row, about: publish.About, threshold: int | None) -> list[list[str]]:
    """The figures of one parent unit (an NPU, a borough), as (label, text) pairs."""
    noun = wording.measure(about.meta)
    above = about.parent.parent
    return [
        *([[LEVELS[above].title, row["parent"]]] if above else []),
        [
            wording.measure_title(about.meta),
            publish.count_text(row["victims"], row["victims_status"], threshold),
        ],
        ["Population", population_text(row)],
        ["Rate per 100,000", publish.rate_text(row, noun)],
        ["Boundary", publish.boundary_text(row["confidence"])],
    ]


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


def legend_entries(
    about: publish.About, threshold: int | None, no_data: bool
) -> dict[str, list[dict]]:
    """Legend rows per view: class key, label and swatch style."""
    extra = []
    if threshold:
        extra.append(
            {
                "key": "suppressed",
                "label": f"withheld (fewer than {threshold}, or to protect another figure)",
                "fill": style.SUPPRESSED_FILL,
            }
        )
    if no_data:
        extra.append(
            {
                "key": "nodata",
                "label": "no data: the input gives no figure",
                "fill": style.NO_DATA_FILL,
            }
        )
    unlisted = " (not listed in the FOI)" if about.absent == "zero" and about.kind == "foi" else ""
    counts = [
        {"key": c.key, "label": label + (unlisted if c.lower == 0 else ""), "fill": c.fill}
        for c, label in style.count_classes_shown(threshold)
    ]
    rates = [{"key": c.key, "label": c.label, "fill": c.fill} for c in style.RATE_CLASSES]
    rates.append(
        {
            "key": "norate",
            "label": f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} "
            f"{wording.measure(about.meta)}",
            "fill": style.NO_RATE_FILL,
        }
    )
    legends = {"count": counts + extra, "rate": rates + extra}
    if about.parent is not None:
        legends["parent"] = counts + extra
    return legends


def fill_styles() -> dict[str, str]:
    fills = {c.key: c.fill for c in (*style.COUNT_CLASSES, *style.RATE_CLASSES)}
    fills["norate"] = "url(#hatch-norate)"
    fills["nodata"] = "url(#hatch-nodata)"
    fills["suppressed"] = style.SUPPRESSED_FILL
    return fills


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
    if about.kind == "foi":
        listed = int(areas["listed_in_foi"].sum())
        parts.append(
            f"The answer places them in {listed:,} of the {len(areas):,} {level.plural} drawn here."
        )
    shown = with_data[with_data["victims_status"] == ""]
    if len(shown) and shown["victims"].max() > 0:
        top = shown.sort_values(["victims", "area"], ascending=[False, True]).iloc[0]
        parts.append(f"{top['area']} had the most ({int(top['victims'])}).")
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
    if level.key == "sector" and public.parents is not None and about.parent is not None:
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


def column(values: list) -> list | dict:
    """A column of the page's data: as it is, or, when values repeat, each distinct value
    once (``v``) with every row's index into them (``i``)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) * 2 > len(values):
        return values
    where = {v: i for i, v in enumerate(distinct)}
    return {"v": distinct, "i": [where[v] for v in values]}


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


def area_table(rows: list[dict], about: publish.About, threshold: int | None) -> dict:
    """The area table's names, column labels and cells (by column), from the record."""
    figures = [area_rows(r, about, threshold) for r in rows]
    labels = [label for label, _ in figures[0]]
    return {
        "ids": [r["area_id"] for r in rows],
        "names": [r["area"] for r in rows],
        "columns": labels,
        "cells": [[f[i][1] for f in figures] for i in range(len(labels))],
    }


def map_page_data(
    public: publish.PublicFigures,
    year: int,
    geometry: PageGeometry,
    centres: list[Centre],
    tiles: Tiles | None,
    table: dict,
    rows: tuple[list[dict], list[dict]] | None = None,
) -> dict:
    """Everything the page's script needs, as plain data (``rows``: :func:`year_rows`).

    Each figure is sent once. Where the data table is HTML, the script reads
    names and figures from it; where the script shows the table (more than
    :data:`SCRIPTED_TABLE_ABOVE` areas), names and figures come in ``table``.
    """
    areas, parents = rows or year_rows(public, year)
    scripted = len(areas) > SCRIPTED_TABLE_ABOVE
    dense = len(areas) > CANVAS_ABOVE
    return {
        "year": year,
        "scale": 10**COORD_DECIMALS,
        "bounds": geometry.bounds,
        "canvas": dense,
        "tiles": None
        if tiles is None
        else {"url": tiles.url, "attribution": tiles.attribution, "maxZoom": tiles.max_zoom},
        "fills": fill_styles(),
        "style": {
            "outline": style.OUTLINE,
            "areaWeight": style.DENSE_AREA_WEIGHT if dense else style.AREA_WEIGHT,
            "parentWeight": style.PARENT_WEIGHT,
            "selected": style.SELECTED["color"],
            "selectedWeight": style.SELECTED["weight"],
            "guessDash": style.GUESS_DASH,
            "borough": style.BOROUGH_LINE,
            "ward": style.DENSE_WARD_LINE if dense else style.WARD_LINE,
            "hatch": [style.NO_RATE_FILL, style.NO_RATE_HATCH],
            "noData": [style.NO_DATA_FILL, style.NO_DATA_HATCH],
            "centres": style.CENTRE_COLOURS,
        },
        "arcs": geometry.arcs,
        "areas": {
            "ids": table["ids"],
            "count": column([publish.count_class(r) for r in areas]),
            "rate": column([publish.rate_class(r) for r in areas]),
            "guess": [i for i, r in enumerate(areas) if r["confidence"] == "guess"],
            "shapes": [geometry.areas[r["area"]] for r in areas],
            "table": None
            if not scripted
            else {
                "names": table["names"],
                "columns": table["columns"],
                "cells": [column(c) for c in table["cells"]],
                "pageRows": TABLE_PAGE_ROWS,
            },
        },
        "parents": {
            "ids": [r["area_id"] for r in parents],
            "count": [publish.count_class(r) for r in parents],
            "shapes": [geometry.parents[r["area"]] for r in parents],
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
    meta = public.about.meta
    return {
        "figures": wording.source_of_figures(meta, public.about.input_name),
        "period": meta.periods[year].label,
        "population": population_source(year),
        "boundaries": BOUNDARY_VINTAGE,
        "built": public.about.level.key == "sector",
        "ogl": OGL_ATTRIBUTION,
        "ogl_url": OGL_URL,
        "source_url": meta.source_url,
        "tiles": tiles is not None,
    }


def class_css() -> str:
    """CSS for legend swatches and markers, from the colours in :mod:`style`."""
    rules = [
        f".swatch-{c.key} {{ background: {c.fill}; }}"
        for c in (*style.COUNT_CLASSES, *style.RATE_CLASSES)
    ]
    # -45deg draws the stripes as "/", the slant of the map's own hatching.
    rules.append(
        f".swatch-norate {{ background: repeating-linear-gradient(-45deg, "
        f"{style.NO_RATE_FILL} 0 3px, {style.NO_RATE_HATCH} 3px 5px); }}"
    )
    rules.append(f".swatch-suppressed {{ background: {style.SUPPRESSED_FILL}; }}")
    rules.append(
        f".swatch-nodata {{ background: repeating-linear-gradient(45deg, "
        f"{style.NO_DATA_HATCH} 0 1px, transparent 1px 5px), "
        f"repeating-linear-gradient(-45deg, {style.NO_DATA_HATCH} 0 1px, "
        f"{style.NO_DATA_FILL} 1px 5px); }}"
    )
    for kind, colour in style.CENTRE_COLOURS.items():
        rules.append(f".marker-{kind} {{ background: {colour}; }}")
        rules.append(f".centre-{kind} svg * {{ fill: {colour}; }}")
        rules.append(f".centre-{kind}.approx svg * {{ fill: #fff; stroke: {colour}; }}")
    return "\n".join(rules) + "\n"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def table_label_css(public: publish.PublicFigures) -> str:
    """On a phone each table row is a card: its column labels, written once per column.

    One rule per column rather than a label on every cell keeps large pages small.
    """
    about, threshold = public.about, public.threshold
    tables = [("area-table", area_rows(public.areas.iloc[0], about, threshold))]
    if public.parents is not None:
        tables.append(("parent-table", parent_rows(public.parents.iloc[0], about, threshold)))
    rules = [
        f"#{table} td:nth-child({i})::before {{ content: {_css_string(label + ': ')}; }}"
        for table, rows in tables
        for i, (label, _) in enumerate(rows, start=2)  # the row's name is child 1
    ]
    return "@media (max-width: 40rem) {\n" + "\n".join(rules) + "\n}\n"


def page_styles(public: publish.PublicFigures) -> list[str]:
    import rcssmin

    generated = rcssmin.cssmin(class_css() + table_label_css(public))
    return [leaflet_css(), static_text("map.css"), generated]


def page_scripts() -> list[str]:
    return [leaflet_js(), static_text("map.js")]


def render_map_page(
    public: publish.PublicFigures,
    year: int,
    geometry: PageGeometry,
    centres: list[Centre],
    tiles: Tiles | None,
    other_years: list[int],
    downloads: bool = True,
    places_note: str = "",
    compact: bool = False,
) -> str:
    """One year's map page. ``downloads`` says whether the build writes the data files
    (which the page then names as where the whole table is); ``places_note`` says where
    the reporting places are (:func:`hatecrime_maps.wording.places_note`).

    ``compact`` makes the embed page: the map, its control, legend and source fitted
    to a fixed-height frame, the tables folded away, and a link to the full page.
    """
    about = public.about
    meta = about.meta
    threshold = public.threshold
    areas, parents = year_rows(public, year)
    table = area_table(areas, about, threshold)
    data = map_page_data(public, year, geometry, centres, tiles, table, (areas, parents))
    scripted = data["areas"]["table"] is not None
    context = {
        "year": year,
        "title": wording.map_title(meta, about.level, year),
        "summary": summary_text(public, year),
        "period": meta.periods[year].label,
        "views": views(about, [r["confidence"] for r in parents]),
        "legends": legend_entries(about, threshold, not all(r["has_data"] for r in areas)),
        "legend_titles": dict(views(about, [r["confidence"] for r in parents]))
        | {"parent": wording.per_unit(meta, about.parent) if about.parent else ""},
        "confidence": CONFIDENCE_MEANINGS,
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
        "force_cells": force_cells(public, year),
        "all_label": f"All {about.level.plural}"
        + ("" if all(r["has_data"] for r in areas) else " with data"),
        "caption": f"{wording.per_unit(meta, about.level)}, {meta.periods[year].label}",
        **routes_context(centres, places_note),
        "population_notes": sorted(about.population_notes),
        "compact": compact,
        "full_page": map_file_name(year),
        "source": source_line(public, year, tiles),
        "notes": {
            "counting": wording.counting_note(meta),
            "population": population_source(year),
            "noun": wording.measure(meta),
        },
        "other_years": other_years,
        "threshold": threshold,
        "data_json": json_for_script(data),
    }
    if about.parent is not None:
        figures = [parent_rows(r, about, threshold) for r in parents]
        context |= {
            "parent_table": [
                {"id": r["area_id"], "name": r["area"], "cells": [v for _, v in f]}
                for r, f in zip(parents, figures, strict=True)
            ],
            "parent_columns": [label for label, _ in figures[0]],
            "parent_caption": f"{wording.per_unit(meta, about.parent)}, {meta.periods[year].label}",
        }
    return render_page("map.html.j2", context, page_scripts(), page_styles(public), tiles)


def routes_context(
    centres: list[Centre], places_note: str, *, places: bool = True, map_link: str = ""
) -> dict:
    """What the "Report hate crime" section shows: every route, and the places if asked
    (elsewhere, ``map_link`` leads to the maps that show them)."""
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
    """The landing page. Embed snippets point at the map files by relative address, for a
    host to change to wherever it puts them; the CSP offered covers the pages' tiles."""
    about = public.about
    meta = about.meta
    pages = []
    for year in public.years:
        title = wording.embed_title(meta, about.level, year)
        file = map_file_name(year)
        pages.append(
            {
                "year": year,
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
            "ogl": OGL_ATTRIBUTION,
            "ogl_url": OGL_URL,
            "figures": wording.source_of_figures(meta, about.input_name),
            "boundaries": BOUNDARY_VINTAGE,
            "source_url": meta.source_url,
        },
    }
    styles = [static_text("map.css")]
    return render_page("index.html.j2", context, [], styles, None)


def map_file_name(year: int) -> str:
    return f"map-{year}.html"


def embed_file_name(year: int) -> str:
    return f"embed-{year}.html"


EMBED_SCRIPT = "hatecrime-maps-embed.js"
"""The height listener a host serves from its own site (``script-src 'self'``)."""
EMBED_HEIGHT_PX = 760
"""The fixed frame height the compact embed page is laid out for."""


def embed_script() -> str:
    """The host's height listener, as written beside the pages (readable, not minified)."""
    return resources.files("hatecrime_maps").joinpath("static", "embed.js").read_text("utf-8")


def embed_snippet(src: str, title: str, *, height: int | None = None) -> str:
    """An iframe for a host page: of fixed ``height``, or (None) following its content
    with the listener script the host serves itself. Made by the template engine, so a
    title with quotes or ``<`` stays one attribute."""
    # Width and height are attributes, not a style: a host's policy without
    # 'unsafe-inline' in style-src ignores style attributes (the frame would be 300 by 150).
    template = _environment().from_string(
        '<iframe src="{{ src }}" title="{{ title }}" class="hatecrime-map" loading="lazy"\n'
        '        width="100%" height="{{ height or 900 }}"></iframe>'
        "{% if not height %}\n"
        '<script src="{{ script }}" defer></script>{% endif %}'
    )
    return template.render(src=src, title=title, height=height, script=EMBED_SCRIPT)
