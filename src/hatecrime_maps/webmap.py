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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hatecrime_maps import publish, stats, style
from hatecrime_maps.basemaps import Tiles
from hatecrime_maps.centres import Centre
from hatecrime_maps.metadata import FoiMetadata
from hatecrime_maps.provenance import (
    BOUNDARY_VINTAGE,
    CONFIDENCE_MEANINGS,
    OGL_ATTRIBUTION,
    OGL_URL,
    POPULATION_SOURCES,
    figures_attribution,
)

COORD_DECIMALS = 4  # about 7 to 11 m: well inside the 73 m the web geometry may move



VIEWS = (
    ("count", "Victims per policing area"),
    ("rate", "Victims per 100,000 residents"),
    ("npu", "Victims per NPU (exact areas)"),
)

# --------------------------------------------------------------------------
# Geometry for the page


def _encode_path(coords, closed: bool) -> list[int]:
    """Delta-encoded integer coordinates (x, y pairs in units of 10^-COORD_DECIMALS degrees)."""
    scale = 10 ** COORD_DECIMALS
    points = coords[:-1] if closed else coords
    out: list[int] = []
    px = py = 0
    for x, y in points:
        ix, iy = round(x * scale), round(y * scale)
        if out and (ix, iy) == (px, py):
            continue  # two points that round to one: keep it once
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


def encode_geometry(geometry: dict) -> list:
    """A GeoJSON (Multi)Polygon or (Multi)LineString dict as nested delta-encoded paths."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return [[_encode_path(r, True) for r in coords]]
    if kind == "MultiPolygon":
        return [[_encode_path(r, True) for r in poly] for poly in coords]
    if kind == "LineString":
        return [_encode_path(coords, False)]
    if kind == "MultiLineString":
        return [_encode_path(line, False) for line in coords]
    raise ValueError(f"cannot encode a {kind}")


def read_web_layer(boundaries_dir: Path, name: str) -> list[dict]:
    """Features of a committed web layer, read as plain JSON (no GDAL: stable bytes)."""
    path = Path(boundaries_dir) / "web" / f"{name}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


@dataclass(frozen=True)
class PageGeometry:
    """The map's shapes, encoded once for every page of a build."""

    areas: dict[str, list]  # area name -> encoded polygons
    npus: dict[str, list]
    ward_lines: list
    borough_lines: list
    bounds: list[list[float]]


def page_geometry(boundaries_dir: Path) -> PageGeometry:
    """Read and encode the committed web geometry (the same for every year's page)."""
    def by_name(layer: str, key: str) -> dict[str, list]:
        return {f["properties"][key]: encode_geometry(f["geometry"])
                for f in read_web_layer(boundaries_dir, layer)}

    def lines(layer: str) -> list:
        return encode_geometry(read_web_layer(boundaries_dir, layer)[0]["geometry"])

    return PageGeometry(by_name("areas", "area"), by_name("npus", "npu"), lines("ward_lines"),
                        lines("borough_lines"), bounds_of(read_web_layer(boundaries_dir,
                                                                         "boroughs")))


def bounds_of(features: list[dict]) -> list[list[float]]:
    xs, ys = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for part in c:
                walk(part)

    for f in features:
        walk(f["geometry"]["coordinates"])
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


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
    """Leaflet's CSS with its images inlined, so it fetches nothing."""
    css = _lf(_leaflet_file("leaflet.css").decode("utf-8"))

    def inline(match: re.Match) -> str:
        data = base64.b64encode(_leaflet_file(match[1])).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@functools.cache
def static_text(name: str) -> str:
    return resources.files("hatecrime_maps").joinpath("static", name).read_text(
        encoding="utf-8")


def json_for_script(data: object) -> str:
    """JSON that cannot end its ``<script>`` block or be read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
        "ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str], tiles: Tiles | None) -> str:
    """A strict policy allowing exactly this page's inline scripts and styles."""
    img = "data:" + (f" {tiles.csp_source}" if tiles else "")
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(csp_hash(s) for s in scripts),
        "style-src " + " ".join(csp_hash(s) for s in styles),
        f"img-src {img}",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def render_markdown(template: str, **context: object) -> str:
    """Render one of the package's Markdown templates (the generated READMEs): no escaping."""
    env = Environment(loader=PackageLoader("hatecrime_maps"), undefined=StrictUndefined,
                      keep_trailing_newline=True)
    return env.get_template(template).render(**context)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("hatecrime_maps"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env


def render_page(template: str, context: dict, scripts: list[str], styles: list[str],
                tiles: Tiles | None) -> str:
    """Render a page with its inline scripts, styles and matching CSP."""
    csp = content_security_policy(scripts, styles, tiles)
    return _environment().get_template(template).render(
        **context, csp=csp, inline_scripts=scripts, inline_styles=styles)


# --------------------------------------------------------------------------
# What a map page shows


FIELD_LABELS = ("NPU", "Victims", "By sex", "Population", "Rate per 100,000",
                "Boundary", "Named in the FOI")
"""Tooltip rows and data-table columns, in order: the same figures in both places."""


def area_rows(row, threshold: int | None) -> list[list[str]]:
    """The figures a reader sees for one area, as (label, text) pairs."""
    year = int(row["year"])
    return [
        ["NPU", row["npu"]],
        ["Victims", publish.count_text(row["victims"], row["victims_status"], threshold)],
        ["By sex", publish.sex_split_text(row, threshold)],
        ["Population", f"{int(row['population']):,} (mid-{year})"],
        ["Rate per 100,000", publish.rate_text(row)],
        ["Boundary", publish.boundary_text(row["confidence"])],
        ["Named in the FOI", "yes" if row["name_status"] == "reported"
         else "no: name inferred"],
    ]


def npu_rows(row, threshold: int | None) -> list[list[str]]:
    year = int(row["year"])
    return [
        ["Borough", row["borough"]],
        ["Victims", publish.count_text(row["victims"], row["victims_status"], threshold)],
        ["Population", f"{int(row['population']):,} (mid-{year})"],
        ["Rate per 100,000", publish.rate_text(row)],
        ["Boundary", publish.boundary_text(row["confidence"])],
    ]


def centre_rows(centre: Centre) -> list[list[str]]:
    if not centre.is_located:
        where = "not known: not placed on the map"
    elif centre.is_approximate:
        where = (f"approximate, within about {centre.precision_m:,.0f} m "
                 f"({centre.location_method})")
    else:
        where = f"{centre.location_method} (within about {centre.precision_m:,.0f} m)"
    return [["What", centre.kind_label], ["Address", centre.address or "not known"],
            ["Location", where]]


def centre_label(centre: Centre) -> str:
    """A unique, readable label for a marker (its title and accessible name)."""
    approx = ", approximate location" if centre.is_approximate else ""
    return f"{centre.kind_label}: {centre.name}{approx}"


def legend_entries(threshold: int | None) -> dict[str, list[dict]]:
    """Legend rows per view: class key, label and swatch style."""
    extra = []
    if threshold:
        extra.append({"key": "suppressed", "label": f"withheld (fewer than {threshold}, or to "
                      "protect another figure)", "fill": style.SUPPRESSED_FILL})
    counts = [{"key": c.key, "label": c.label + (" (not listed in the FOI)" if c.lower == 0
                                                 else ""), "fill": c.fill}
              for c in style.COUNT_CLASSES]
    rates = [{"key": c.key, "label": c.label, "fill": c.fill} for c in style.RATE_CLASSES]
    rates.append({"key": "norate", "label": f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} "
                  "victims", "fill": style.NO_RATE_FILL})
    return {"count": counts + extra, "rate": rates + extra, "npu": counts + extra}


def fill_styles() -> dict[str, str]:
    fills = {c.key: c.fill for c in (*style.COUNT_CLASSES, *style.RATE_CLASSES)}
    fills["norate"] = "url(#hatch-norate)"
    fills["suppressed"] = style.SUPPRESSED_FILL
    return fills


def summary_text(public: publish.PublicFigures, year: int, meta: FoiMetadata) -> str:
    """One plain-English paragraph from the published figures of a year."""
    areas = public.areas[public.areas["year"] == year]
    threshold = public.threshold
    period = meta.periods[year]
    total_status = public.force_status[year]["victims"]
    total = publish.count_text(public.force[year]["victims"], total_status, threshold)
    days = stats.period_days(period.start, period.end)
    partial = "" if stats.annualisation_factor(period.start, period.end) == 1 else (
        f", {days} days rather than a full year")
    listed = int(areas["listed_in_foi"].sum())
    parts = [f"West Midlands Police recorded {total} victims of hate crimes against refugees, "
             f"asylum seekers and migrants from {period.label}{partial}."]
    parts.append(f"The answer places them in {listed} of the {len(areas)} policing areas "
                 "drawn here.")
    shown = areas[areas["victims_status"] == ""]
    if len(shown) and shown["victims"].max() > 0:
        top = shown.sort_values(["victims", "area"], ascending=[False, True]).iloc[0]
        parts.append(f"{top['area']} had the most ({int(top['victims'])}).")
    few = int((public.areas.loc[public.areas["year"] == year, "rate_status"]
               .isin(["too_few", "suppressed"])).sum())
    parts.append(f"{few} areas had fewer than {stats.MIN_COUNT_FOR_RATE} victims or a withheld "
                 "count, too few for a rate, so the map shows counts first and rates only "
                 "where there were enough victims." if threshold else
                 f"{few} areas had fewer than {stats.MIN_COUNT_FOR_RATE} victims, too few for a "
                 "rate, so the map shows counts first and rates only where there were enough "
                 "victims.")
    guesses = int((areas["confidence"] == "guess").sum())
    parts.append(f"Police area boundaries were never published: these are built from wards, "
                 f"{guesses} of them are guesses (dashed), and the NPU view gives totals for "
                 "areas that are known.")
    return " ".join(parts)


def map_page_data(public: publish.PublicFigures, year: int, geometry: PageGeometry,
                  centres: list[Centre], tiles: Tiles | None) -> dict:
    """Everything the page's script needs, as plain data."""
    threshold = public.threshold
    areas = public.areas[public.areas["year"] == year].sort_values("area")
    npus = public.npus[public.npus["year"] == year].sort_values("npu")
    return {
        "year": year,
        "scale": 10 ** COORD_DECIMALS,
        "bounds": geometry.bounds,
        "tiles": None if tiles is None else {"url": tiles.url, "attribution": tiles.attribution,
                                              "maxZoom": tiles.max_zoom},
        "fills": fill_styles(),
        "style": {"outline": style.OUTLINE, "areaWeight": style.AREA_WEIGHT,
                  "npuWeight": style.NPU_WEIGHT, "guessDash": style.GUESS_DASH,
                  "borough": style.BOROUGH_LINE, "ward": style.WARD_LINE,
                  "hatch": [style.NO_RATE_FILL, style.NO_RATE_HATCH],
                  "centres": style.CENTRE_COLOURS},
        "areas": [{"id": row["area_id"], "name": row["area"], "c": publish.count_class(row),
                   "r": publish.rate_class(row), "guess": row["confidence"] == "guess",
                   "rows": area_rows(row, threshold), "g": geometry.areas[row["area"]]}
                  for _, row in areas.iterrows()],
        "npus": [{"id": row["npu_id"], "name": row["npu"], "c": publish.count_class(row),
                  "rows": npu_rows(row, threshold), "g": geometry.npus[row["npu"]]}
                 for _, row in npus.iterrows()],
        "wardLines": geometry.ward_lines,
        "boroughLines": geometry.borough_lines,
        "centres": [{"id": f"centre-{i}", "name": c.name, "kind": c.kind,
                     "label": centre_label(c), "lat": c.lat, "lon": c.lon,
                     "approx": c.is_approximate, "precision": c.precision_m,
                     "rows": centre_rows(c)}
                    for i, c in enumerate(centres, 1) if c.is_place and c.is_located],
    }


def source_line(meta: FoiMetadata, year: int, tiles: Tiles | None) -> dict:
    return {
        "figures": figures_attribution(meta.reference, meta.force),
        "period": meta.periods[year].label,
        "population": POPULATION_SOURCES[year],
        "boundaries": BOUNDARY_VINTAGE,
        "ogl": OGL_ATTRIBUTION,
        "ogl_url": OGL_URL,
        "source_url": meta.source_url,
        "tiles": tiles is not None,
    }


def class_css() -> str:
    """CSS for legend swatches and markers, from the colours in :mod:`style`."""
    rules = [f".swatch-{c.key} {{ background: {c.fill}; }}"
             for c in (*style.COUNT_CLASSES, *style.RATE_CLASSES)]
    rules.append(f".swatch-norate {{ background: repeating-linear-gradient(45deg, "
                 f"{style.NO_RATE_FILL} 0 3px, {style.NO_RATE_HATCH} 3px 5px); }}")
    rules.append(f".swatch-suppressed {{ background: {style.SUPPRESSED_FILL}; }}")
    for kind, colour in style.CENTRE_COLOURS.items():
        rules.append(f".marker-{kind} {{ background: {colour}; }}")
        rules.append(f".centre-{kind} svg * {{ fill: {colour}; }}")
        rules.append(f".centre-{kind}.approx svg * {{ fill: #fff; stroke: {colour}; }}")
    return "\n".join(rules) + "\n"


def page_styles() -> list[str]:
    return [leaflet_css(), static_text("map.css"), class_css()]


def page_scripts() -> list[str]:
    return [leaflet_js(), static_text("map.js")]


def render_map_page(public: publish.PublicFigures, year: int, meta: FoiMetadata,
                    geometry: PageGeometry, centres: list[Centre], tiles: Tiles | None,
                    other_years: list[int]) -> str:
    data = map_page_data(public, year, geometry, centres, tiles)
    areas = public.areas[public.areas["year"] == year].sort_values("area")
    npus = public.npus[public.npus["year"] == year].sort_values("npu")
    threshold = public.threshold
    context = {
        "year": year,
        "title": f"Hate crimes against refugees, asylum seekers and migrants, {year}: "
                 "West Midlands Police areas",
        "summary": summary_text(public, year, meta),
        "period": meta.periods[year].label,
        "views": VIEWS,
        "legends": legend_entries(threshold),
        "confidence": CONFIDENCE_MEANINGS,
        "area_table": [{"id": r["area_id"], "name": r["area"],
                        "cells": [v for _, v in area_rows(r, threshold)]}
                       for _, r in areas.iterrows()],
        "npu_table": [{"id": r["npu_id"], "name": r["npu"],
                       "cells": [v for _, v in npu_rows(r, threshold)]}
                      for _, r in npus.iterrows()],
        "area_columns": FIELD_LABELS,
        "force_cells": publish.force_rows(public, year),
        "npu_columns": [label for label, _ in npu_rows(npus.iloc[0], threshold)],
        "centres": [(c, centre_label(c)) for c in centres],
        "source": source_line(meta, year, tiles),
        "other_years": other_years,
        "threshold": threshold,
        "data_json": json_for_script(data),
    }
    return render_page("map.html.j2", context, page_scripts(), page_styles(), tiles)


def render_index_page(public: publish.PublicFigures, meta: FoiMetadata, years: list[int],
                      downloads: list[tuple[str, str]], tiles: Tiles | None) -> str:
    """The landing page. Embed snippets point at the map files by relative address, for a
    host to change to wherever it puts them; the CSP offered covers the pages' tiles."""
    pages = []
    for year in years:
        title = (f"Map: hate crimes against refugees, asylum seekers and migrants, {year}, "
                 "West Midlands Police areas")
        file = map_file_name(year)
        snippet = embed_snippet(file, title)
        pages.append({"year": year, "file": file, "title": title,
                      "summary": summary_text(public, year, meta),
                      "period": meta.periods[year].label, "snippet": snippet})
    context = {
        "title": "Hate crimes against refugees, asylum seekers and migrants: "
                 "West Midlands Police maps",
        "pages": pages,
        "downloads": downloads,
        "meta": meta,
        "csp_header": content_security_policy(page_scripts(), page_styles(), tiles),
        "source": {"ogl": OGL_ATTRIBUTION, "ogl_url": OGL_URL,
                   "figures": figures_attribution(meta.reference, meta.force),
                   "boundaries": BOUNDARY_VINTAGE, "source_url": meta.source_url},
    }
    styles = [static_text("map.css")]
    return render_page("index.html.j2", context, [], styles, None)


def map_file_name(year: int) -> str:
    return f"map-{year}.html"


def embed_snippet(src: str, title: str) -> str:
    """An iframe whose height follows the map page's content, for a host page."""
    return (
        f'<iframe src="{src}" title="{title}" class="hatecrime-map" loading="lazy"\n'
        '        style="width:100%;height:900px;border:0"></iframe>\n'
        "<script>\n"
        "window.addEventListener(\"message\", function (event) {\n"
        "  var msg = event.data;\n"
        "  if (!msg || msg.type !== \"hatecrime-maps:height\") return;\n"
        "  document.querySelectorAll(\"iframe.hatecrime-map\").forEach(function (frame) {\n"
        "    if (frame.contentWindow === event.source) frame.style.height = msg.height + \"px\";\n"
        "  });\n"
        "});\n"
        "</script>"
    )
