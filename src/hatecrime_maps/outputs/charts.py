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
    are the same however they are scheduled. With one core or one drawing, or
    where forking is not safe, they are drawn in this process when the results
    are asked for.
    """

    def __init__(self, calls: list[tuple]):
        self.calls = calls
        self.pool = None
        self.futures: list = []
        workers = min(len(calls), _spare_cores())
        if workers >= 2 and _can_fork():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: workers start with matplotlib imported and the inputs already in memory.
            self.pool = ProcessPoolExecutor(
                workers,
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


SOURCE_LINE_CHARS = 190
"""Characters in a line of a print map's source text (7 pt across A4 landscape)."""


def _wrapped(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, keeping its own line breaks."""
    import textwrap

    return "\n".join(textwrap.fill(part, width) for part in text.split("\n"))


def _save(fig) -> tuple[str, bytes]:
    svg, png = io.StringIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
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
        colours = YEAR_COLOURS[-len(table.years) :]
        hatches = YEAR_HATCHES[-len(table.years) :]
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


def print_map(  # noqa: PLR0917 - the drawing pool calls it with its stored arguments
    areas,
    boroughs,
    title: str,
    source: str,
    legend: list[tuple[str, str]],
    fill_of: dict[str, str],
    guess: set[str],
    no_data: frozenset[str] | set[str] = frozenset(),
    legend_title: str = "Victims",
) -> tuple[str, bytes]:
    """An A4 landscape map for reports: legend, scale bar, north arrow, title, source.

    ``areas`` and ``boroughs`` are GeoDataFrames in British National Grid;
    ``fill_of`` maps area name to fill colour; ``guess`` names the areas whose
    boundary is a guess (drawn dashed) and ``no_data`` those with no figure
    (cross-hatched, so they read without colour).
    """
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(11.69, 8.27))
        is_guess = areas["area"].isin(guess)
        for part, line in ((areas[~is_guess], "solid"), (areas[is_guess], (0, (4, 2.5)))):
            if len(part):
                part.plot(
                    ax=ax,
                    color=[fill_of[a] for a in part["area"]],
                    edgecolor=presentation.OUTLINE,
                    linewidth=0.9,
                    linestyle=line,
                )
        missing = areas[areas["area"].isin(no_data)]
        if len(missing):
            missing.plot(
                ax=ax,
                facecolor="none",
                edgecolor=presentation.NO_DATA_HATCH,
                hatch="xx",
                linewidth=0,
            )
        boroughs.boundary.plot(ax=ax, color="#000000", linewidth=1.6)
        ax.set_axis_off()
        ax.set_aspect("equal")
        xmin, ymin, xmax, ymax = areas.total_bounds
        # Scale bar: 10 km in the lower left.
        bar_y = ymin + (ymax - ymin) * 0.02
        for k in range(2):
            ax.add_patch(
                Rectangle(
                    (xmin + k * 5000, bar_y),
                    5000,
                    600,
                    facecolor="#000000" if k == 0 else "#ffffff",
                    edgecolor="#000000",
                    linewidth=0.8,
                )
            )
        for k, label in ((0, "0"), (1, "5"), (2, "10 km")):
            ax.text(xmin + k * 5000, bar_y + 1000, label, ha="center", fontsize=8)
        # North arrow: British National Grid north, top right.
        nx, ny = xmax - (xmax - xmin) * 0.03, ymax - (ymax - ymin) * 0.10
        ax.add_patch(
            Polygon(
                [(nx, ny + 4000), (nx - 1300, ny), (nx + 1300, ny)], closed=True, color="#000000"
            )
        )
        ax.text(nx, ny + 4600, "N", ha="center", fontsize=11, fontweight="bold")
        handles = [
            Patch(
                facecolor=fill,
                edgecolor=presentation.OUTLINE,
                label=label,
                hatch="xx" if fill == presentation.NO_DATA_FILL and no_data else None,
            )
            for label, fill in legend
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
        ax.legend(
            handles=handles,
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            title=legend_title,
            frameon=False,
            fontsize=9,
            title_fontsize=10,
            alignment="left",
        )
        ax.set_title(title, loc="left", fontsize=14, fontweight="bold")
        # Wrapped here rather than by matplotlib (wrap=True), which lays the text out
        # again for every word: a third of the drawing's time.
        fig.text(0.01, 0.01, _wrapped(source, SOURCE_LINE_CHARS), fontsize=7, color="#333333")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        svg, png = io.StringIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=300, metadata={"Software": None})
        plt.close(fig)
    return svg.getvalue(), png.getvalue()
