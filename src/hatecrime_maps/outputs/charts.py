"""Charts (SVG with text as text, and PNG) and print-quality static maps, with matplotlib.

Every chart is drawn from a :class:`hatecrime_maps.analysis.story.StoryTable`, the same
table the report page prints beside it, and carries its own source line.
Years are told apart by lightness (light orange and dark blue, 3:1 apart in
greyscale), by hatching (the earlier year), by position and by a legend; every
bar has a dark edge and is labelled with its figure, so nothing depends on
colour alone. Output is byte-stable: no
dates in the metadata and a fixed SVG id salt.

Drawing is the slowest stage of a build, so each drawing has a key
(:func:`drawing_key`): a hash of everything it shows and of the code and
library versions that draw it. A build reuses an earlier build's drawing
whose key is unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import os
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Polygon, Rectangle

from hatecrime_maps.analysis.story import StoryTable
from hatecrime_maps.outputs import presentation

YEAR_COLOURS = ("#FDB863", "#0072B2")
"""Earlier year, later year: light orange and Okabe-Ito blue, 3:1 apart in greyscale."""
YEAR_HATCHES = ("///", None)
"""The earlier year's bars are hatched as well, for print and greyscale."""
BAR_EDGE = "#1a1a1a"


def year_styles(n: int) -> tuple[list[str], list[str | None]]:
    """The fills and hatches of ``n`` years' bars, earliest first.

    Up to two years: :data:`YEAR_COLOURS` and :data:`YEAR_HATCHES`. More: cividis
    (colour-blind safe, its lightness rising evenly) from light to dark, so that
    the years read in order in greyscale too, the earliest hatched.
    """
    if n <= len(YEAR_COLOURS):
        return list(YEAR_COLOURS[-n:]), list(YEAR_HATCHES[-n:])
    ramp = matplotlib.colormaps["cividis"]
    colours = [matplotlib.colors.to_hex(ramp(0.95 - 0.85 * i / (n - 1))) for i in range(n)]
    return colours, ["///", *([None] * (n - 1))]


RC: dict[Any, Any] = {  # matplotlib types its keys as a Literal of every setting
    "svg.fonttype": "none",  # text stays text in the SVG
    "svg.hashsalt": "hatecrime-maps",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass
class Chart:
    """A drawn chart: its SVG and PNG, title and text alternative."""

    name: str
    title: str
    alt: str
    svg: str
    png: bytes


@functools.cache
def _drawing_code() -> str:
    """What, besides its inputs, decides a drawing's bytes: this code and its libraries."""
    import geopandas
    import PIL

    package = resources.files("hatecrime_maps")
    sources = [
        package.joinpath("outputs").joinpath(f).read_text(encoding="utf-8")
        for f in ("charts.py", "presentation.py")
    ]
    versions = [matplotlib.__version__, geopandas.__version__, PIL.__version__]
    return json.dumps([sources, versions])


def drawing_key(kind: str, inputs: object) -> str:
    """A hash of a drawing's kind, its inputs (plain JSON data) and the code that draws it."""
    text = json.dumps([kind, inputs, _drawing_code()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bar_chart_key(table: StoryTable, period_labels: dict[int, str], source: str) -> str:
    """The key of :func:`bar_chart`'s drawing: every text and figure it shows."""
    shown = [
        [c, [[table.count(c, y), table.text(c, y)] for y in table.years]] for c in table.categories
    ]
    labels = [period_labels[y] for y in table.years]
    return drawing_key("bar_chart", [table.title, table.unit, shown, labels, source])


def print_map_key(areas, boroughs, *args: object) -> str:
    """The key of :func:`print_map`'s drawing: its shapes (as WKB) and its other arguments."""
    import shapely

    def shapes(gdf) -> str:
        return hashlib.sha256(b"".join(shapely.to_wkb(gdf.geometry.values))).hexdigest()

    plain = [sorted(a) if isinstance(a, (set, frozenset)) else a for a in args]
    return drawing_key("print_map", [list(areas["area"]), shapes(areas), shapes(boroughs), plain])


def _spare_cores() -> int:
    import os

    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _can_fork() -> bool:
    """Whether drawing workers may be forked from this process.

    Forking is quick and safe only on Linux, from a process with one thread (a
    thread holding a lock at the fork, as in a notebook kernel, could hang a worker).
    """
    import multiprocessing
    import sys
    import threading

    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


PR_SET_PDEATHSIG = 1
"""Linux's ``prctl`` option: send this process a signal when its parent ends."""


def _end_with_parent(parent: int) -> None:
    """Start of each drawing worker: end it when the build that forked it ends, however.

    A build killed outright (SIGKILL) cannot shut its pool down, and a worker left
    behind would wait for ever to write its drawing to a pipe nobody reads. The
    kernel ends it at once (``PR_SET_PDEATHSIG``); a watching thread does the same
    where that is not available.
    """
    import contextlib
    import ctypes
    import signal
    import threading

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the line above took hold
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


class DrawingPool:
    """Drawing calls ``(function, args)`` run in other processes while the caller works on.

    Used as a context manager; :meth:`results` waits for the drawings, in the
    order given. Each drawing is independent and deterministic, so the bytes
    are the same however they are scheduled. Even one drawing goes to another
    process where there is a second core: it is drawn while this one writes the
    pages and downloads (a map of the UK's wards draws its one print map in
    about as long as they take). With one core, or where forking is not safe,
    they are drawn in this process when the results are asked for.
    """

    def __init__(self, calls: list[tuple]):
        self.calls = calls
        self.pool = None
        self.futures: list = []
        cores = _spare_cores()
        if calls and cores >= 2 and _can_fork():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: workers start with matplotlib imported and the inputs already in memory.
            self.pool = ProcessPoolExecutor(
                min(len(calls), cores),
                mp_context=multiprocessing.get_context("fork"),
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
            self.futures = [self.pool.submit(fn, *args) for fn, args in calls]

    def results(self) -> list[tuple[str, bytes]]:
        """Every drawing's SVG and PNG, in the order the calls were given."""
        if self.pool is None:
            return [fn(*args) for fn, args in self.calls]
        return [f.result() for f in self.futures]

    def __enter__(self) -> DrawingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


TITLE_CHARS_PER_INCH = 8.4
"""Characters of a 14 pt bold title line per inch of page, a little under the widest text's."""
PANELS_TITLE_CHARS = 100
"""The title across a page of small multiples wraps here, the page's width at 14 pt."""
SOURCE_LINE_CHARS = 190
"""Characters in a line of a print map's source text (7 pt across A4 landscape)."""


def _wrapped(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, keeping its own line breaks."""
    import textwrap

    return "\n".join(textwrap.fill(part, width) for part in text.split("\n"))


def _save(fig, dpi: int = 150) -> tuple[str, bytes]:
    """The figure as SVG and PNG (charts at 150 dpi, print maps at 300), then closed."""
    svg, png = io.StringIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return svg.getvalue(), png.getvalue()


def alt_text(table: StoryTable, period_labels: dict[int, str]) -> str:
    """A text alternative that says every figure the chart shows."""
    parts = [f"Bar chart: {table.title.lower()}."]
    for y in table.years:
        figures = "; ".join(f"{c} {table.text(c, y)}" for c in table.categories)
        parts.append(f"{period_labels[y]}: {figures}; total {table.total_text(y)}.")
    return " ".join(parts)


def bar_chart(
    table: StoryTable,
    period_labels: dict[int, str],
    source: str,
    drawn: tuple[str, bytes] | None = None,
) -> Chart:
    """A chart of ``table`` with its text alternative.

    ``drawn`` is an earlier build's SVG and PNG of it (same :func:`bar_chart_key`);
    when None, it is drawn afresh.
    """
    svg, png = drawn or draw_bar_chart(table, period_labels, source)
    return Chart(table.name, table.title, alt_text(table, period_labels), svg, png)


def draw_bar_chart(
    table: StoryTable, period_labels: dict[int, str], source: str
) -> tuple[str, bytes]:
    """Horizontal bars, one per category and year, each labelled with its figure."""
    with plt.rc_context(RC):
        n = len(table.categories)
        fig, ax = plt.subplots(figsize=(8, 1.2 + 0.62 * n * len(table.years) ** 0.5 + 0.6))
        height = 0.8 / len(table.years)
        largest = max([table.count(c, y) or 0 for c in table.categories for y in table.years] + [1])
        colours, hatches = year_styles(len(table.years))
        for i, year in enumerate(table.years):
            colour = colours[i]
            for j, cat in enumerate(table.categories):
                y = n - 1 - j + (len(table.years) / 2 - i - 0.5) * height
                value = table.count(cat, year)
                if value:
                    ax.barh(
                        y,
                        value,
                        height=height * 0.92,
                        color=colour,
                        edgecolor=BAR_EDGE,
                        linewidth=0.8,
                        hatch=hatches[i],
                    )
                ax.text(
                    (value or 0) + largest * 0.01, y, table.text(cat, year), va="center", fontsize=9
                )
        ax.set_ylim(-0.5, n - 0.5)  # every category's slot, even with no bar drawn in it
        ax.set_yticks(range(n))
        ax.set_yticklabels(list(reversed(table.categories)))
        ax.set_xlim(0, largest * 1.25)
        ax.set_xlabel(f"Number of {table.unit}")
        ax.legend(
            handles=[
                Patch(
                    facecolor=colours[i],
                    edgecolor=BAR_EDGE,
                    hatch=hatches[i],
                    label=period_labels[y],
                )
                for i, y in enumerate(table.years)
            ],
            loc="best",
            frameon=False,
            fontsize=9,
        )
        ax.set_title(table.title, loc="left", fontsize=12, fontweight="bold")
        fig.text(0.01, 0.01, source, fontsize=7, color="#333333")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        return _save(fig)


HATCH_COLOURS = {"xx": presentation.NO_DATA_HATCH, "///": presentation.NO_RATE_HATCH}
"""The print maps' hatches (matplotlib patterns) and their line colours: cross-hatched
for no data, hatched for no rate or too few to tell, as on the web page."""

LegendEntry = tuple[str, str, str | None]
"""A print legend's row: label, fill and hatch (None for a plain fill)."""


def _area_paths(geoms) -> list:
    """One matplotlib path per (multi)polygon: every ring of every part, each closed.

    Built from shapely's coordinate arrays at once, rather than a patch per area as
    a GeoDataFrame's plot makes them: a map of thousands of areas spent most of its
    drawing there.
    """
    import numpy as np
    import shapely
    from matplotlib.path import Path

    # Normalised as geopandas plots them: exteriors and holes wound opposite ways, so
    # that matplotlib's filling leaves the holes open, and each ring from the same vertex.
    parts, part_of = shapely.get_parts(shapely.normalize(geoms), return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    owner = part_of[ring_part]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:], len(coords)] - 1] = Path.CLOSEPOLY
    bounds = np.searchsorted(owner[ring_of], np.arange(len(geoms) + 1))
    return [Path(coords[a:b], codes[a:b]) for a, b in itertools.pairwise(bounds)]


def _add_areas(ax, paths: list, **style: Any) -> None:
    """The areas' paths as one collection on ``ax``, the axes' limits grown to hold them."""
    from matplotlib.collections import PathCollection

    ax.add_collection(PathCollection(paths, **style), autolim=True)
    ax.autoscale_view()


def _draw_areas(  # noqa: PLR0917 - one drawing's parts, each used once
    ax,
    areas,
    boroughs,
    fill_of: dict[str, str],
    hatch_of: dict[str, str],
    guess: set[str],
    line_scale: float = 1.0,
) -> None:
    """The areas in their fills and hatches, guessed outlines dashed, borough lines over."""
    is_guess = areas["area"].isin(guess)
    shapes = dict(zip(areas["area"], _area_paths(areas.geometry.values), strict=True))
    for part, line in ((areas[~is_guess], "solid"), (areas[is_guess], (0, (4, 2.5)))):
        if len(part):
            _add_areas(
                ax,
                [shapes[a] for a in part["area"]],
                facecolor=[fill_of[a] for a in part["area"]],
                edgecolor=presentation.OUTLINE,
                linewidth=0.9 * line_scale,
                linestyle=line,
            )
    for pattern, colour in HATCH_COLOURS.items():
        hatched = [a for a in areas["area"] if hatch_of.get(a) == pattern]
        if hatched:
            _add_areas(
                ax,
                [shapes[a] for a in hatched],
                facecolor="none",
                edgecolor=colour,
                hatch=pattern,
                linewidth=0,
            )
    boroughs.boundary.plot(ax=ax, color="#000000", linewidth=1.6 * line_scale)
    ax.set_axis_off()
    ax.set_aspect("equal")


def _legend_handles(legend: list[LegendEntry], guess: set[str]) -> list[Patch]:
    handles = [
        Patch(
            facecolor=fill,
            edgecolor=HATCH_COLOURS.get(hatch or "", presentation.OUTLINE),
            label=label,
            hatch=hatch,
        )
        for label, fill, hatch in legend
    ]
    if guess:
        handles.append(
            Patch(
                facecolor="#ffffff",
                edgecolor=presentation.OUTLINE,
                linestyle="--",
                label="dashed outline: boundary is a guess",
            )
        )
    return handles


def print_map(  # noqa: PLR0917 - the drawing pool calls it with its stored arguments
    areas,
    boroughs,
    title: str,
    source: str,
    legend: list[LegendEntry],
    fill_of: dict[str, str],
    guess: set[str],
    hatch_of: dict[str, str] | None = None,
    legend_title: str = "Victims",
) -> tuple[str, bytes]:
    """An A4 landscape map for reports: legend, scale bar, north arrow, title, source.

    ``areas`` and ``boroughs`` are GeoDataFrames in British National Grid;
    ``fill_of`` maps area name to fill colour; ``guess`` names the areas whose
    boundary is a guess (drawn dashed) and ``hatch_of`` gives the areas drawn
    hatched their pattern (a key of :data:`HATCH_COLOURS`), so that they read
    without colour.
    """
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(11.69, 8.27))
        _draw_areas(ax, areas, boroughs, fill_of, hatch_of or {}, guess)
        xmin, ymin, xmax, ymax = areas.total_bounds
        # Scale bar in the lower left, a round length near a fifth of the map's width; the
        # north arrow (British National Grid north, top right) is sized with it.
        bar = scale_bar_metres(xmax - xmin)
        unit = bar / 10_000
        bar_y = ymin + (ymax - ymin) * 0.02
        bar_x = _emptier_corner(areas, bar, (ymax - ymin) * 0.08)
        for k in range(2):
            ax.add_patch(
                Rectangle(
                    (bar_x + k * bar / 2, bar_y),
                    bar / 2,
                    600 * unit,
                    facecolor="#000000" if k == 0 else "#ffffff",
                    edgecolor="#000000",
                    linewidth=0.8,
                )
            )
        for k, label in ((0, "0"), (1, _km(bar / 2)), (2, f"{_km(bar)} km")):
            ax.text(bar_x + k * bar / 2, bar_y + 1000 * unit, label, ha="center", fontsize=8)
        nx, ny = xmax - (xmax - xmin) * 0.03, ymax - (ymax - ymin) * 0.10
        ax.add_patch(
            Polygon(
                [(nx, ny + 4000 * unit), (nx - 1300 * unit, ny), (nx + 1300 * unit, ny)],
                closed=True,
                color="#000000",
            )
        )
        ax.text(nx, ny + 4600 * unit, "N", ha="center", fontsize=11, fontweight="bold")
        ax.legend(
            handles=_legend_handles(legend, guess),
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            title=legend_title,
            frameon=False,
            fontsize=9,
            title_fontsize=10,
            alignment="left",
        )
        # Wrapped here rather than by matplotlib (wrap=True), which lays the text out
        # again for every word: a third of the drawing's time.
        fig.text(0.01, 0.01, _wrapped(source, SOURCE_LINE_CHARS), fontsize=7, color="#333333")
        # The title starts at the map's left edge, which a tall area pushes right: it
        # wraps to the page width left from there.
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        ax.apply_aspect()
        room = (0.99 - ax.get_position().x0) * fig.get_figwidth()
        ax.set_title(
            _wrapped(title, int(room * TITLE_CHARS_PER_INCH)),
            loc="left",
            fontsize=14,
            fontweight="bold",
        )
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return _save(fig, dpi=300)


def scale_bar_metres(width_m: float) -> float:
    """The scale bar's length in metres: a round length near a fifth of the map's width.

    The longest of 1, 2 or 5 times a power of ten kilometres that is at most a
    fifth of ``width_m`` (10 km across the West Midlands, 100 km across England
    and Wales).
    """
    best = 1000.0
    length = 1000.0
    while length <= width_m / 5:
        best = length
        length *= 2.5 if str(int(length))[0] == "2" else 2
    return best


def _emptier_corner(areas, bar: float, height: float) -> float:
    """Where the scale bar starts: the lower left, unless land fills it more than the right.

    Cornwall's tip fills the lower left of a map of England and Wales.
    """
    from shapely import STRtree, area, box, intersection

    xmin, ymin, xmax, _ = areas.total_bounds
    shapes = areas.geometry.values
    tree = STRtree(shapes)
    width = bar * 1.2

    def land_in(corner) -> float:
        # The areas do not overlap, so the land in a corner is the sum of their parts in it.
        return float(area(intersection(shapes[tree.query(corner)], corner)).sum())

    left = land_in(box(xmin, ymin, xmin + width, ymin + height))
    right = land_in(box(xmax - width, ymin, xmax, ymin + height))
    return float(xmin if left <= right else xmax - width + bar * 0.1)


def _km(metres: float) -> str:
    km = metres / 1000
    return f"{km:,.0f}" if km == int(km) else f"{km:g}"


def print_panels(  # noqa: PLR0917 - the drawing pool calls it with its stored arguments
    areas,
    boroughs,
    title: str,
    source: str,
    legend: list[LegendEntry],
    panels: list[tuple[str, dict[str, str], dict[str, str]]],
    guess: set[str],
    legend_title: str = "Victims",
) -> tuple[str, bytes]:
    """Small multiples on one A4 landscape page: a panel per year in the same classes.

    ``panels`` holds each panel's heading, fills and hatches (as :func:`print_map`'s
    ``fill_of`` and ``hatch_of``); one legend serves them all.
    """
    import math

    columns = min(3, len(panels))
    rows = math.ceil(len(panels) / columns)
    with plt.rc_context(RC):
        fig, axes = plt.subplots(rows, columns, figsize=(11.69, 8.27), squeeze=False)
        for ax, (heading, fill_of, hatch_of) in zip(axes.flat, panels, strict=False):
            _draw_areas(ax, areas, boroughs, fill_of, hatch_of, guess, line_scale=0.5)
            ax.set_title(heading, loc="left", fontsize=11, fontweight="bold")
        for ax in list(axes.flat)[len(panels) :]:
            ax.set_axis_off()
        fig.legend(
            handles=_legend_handles(legend, guess),
            loc="lower center",
            ncols=min(4, len(legend) + bool(guess)),
            title=legend_title,
            frameon=False,
            fontsize=8,
            title_fontsize=9,
            bbox_to_anchor=(0.5, 0.045),
        )
        heading = _wrapped(title, PANELS_TITLE_CHARS)
        fig.suptitle(heading, x=0.01, ha="left", fontsize=14, fontweight="bold")
        fig.text(0.01, 0.01, _wrapped(source, SOURCE_LINE_CHARS), fontsize=7, color="#333333")
        fig.tight_layout(rect=(0, 0.16, 1, 0.96 - 0.03 * heading.count("\n")))
        return _save(fig, dpi=300)


def trend_chart_key(rows: list[dict], title: str, source: str) -> str:
    """The key of :func:`draw_trend_chart`'s drawing."""
    return drawing_key("trend_chart", [rows, title, source])


def trend_alt_text(rows: list[dict], unit: str) -> str:
    """Every point of the trend chart, with its interval, in words."""
    parts = [f"Line chart: {unit} per 100,000 residents a year, with 95% intervals."]
    for r in rows:
        parts.append(
            f"{r['name']}: {r['rate']:.1f} ({r['lower']:.1f} to {r['upper']:.1f}), "
            f"from {r['count']:,} {unit}."
        )
    return " ".join(parts)


def draw_trend_chart(rows: list[dict], title: str, source: str, unit: str) -> tuple[str, bytes]:
    """The force's yearly rate with its exact interval, one point per year, labelled."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(8, 4.2))
        years = [r["year"] for r in rows]
        rates = [r["rate"] for r in rows]
        below = [r["rate"] - r["lower"] for r in rows]
        above = [r["upper"] - r["rate"] for r in rows]
        ax.errorbar(
            years,
            rates,
            yerr=[below, above],
            color=YEAR_COLOURS[1],
            ecolor=BAR_EDGE,
            elinewidth=1,
            capsize=4,
            marker="o",
            markersize=6,
            linewidth=1.6,
        )
        for r in rows:
            ax.annotate(
                f"{r['rate']:.1f}\n({r['count']:,})",
                (r["year"], r["upper"]),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=8,
            )
        ax.set_xticks(years)
        ax.set_xticklabels([r["name"] for r in rows])
        top = max(r["upper"] for r in rows)
        ax.set_ylim(0, top * 1.3 if top else 1)
        ax.set_ylabel(f"{unit.capitalize()} per 100,000 a year")
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        fig.text(0.01, 0.01, _wrapped(source, 130), fontsize=7, color="#333333")
        fig.tight_layout(rect=(0, 0.06, 1, 1))
        return _save(fig)
