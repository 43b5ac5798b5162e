"""Benchmarks: build speed, page weight, browser render time, scale, geometry.

One command, from the project root (after ``pip install -e '.[test,bench]'``)::

    python bench/run.py [--runs 5]

Prints a table and writes ``bench/RESULTS.md``. Needs Debian's Chromium, npm
(to fetch local copies of the CDN files an ``explore()`` page loads) and the
shared source data beside the project (for the scale inputs). Nothing here is
a test: no figure is asserted, every one is measured on the machine named in
the results.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from cdn import CDN_FILES, npm_file  # bench/cdn.py: shared with the browser tests

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SOURCE = ROOT.parent / "shared" / "boundaries" / "source"
CHROMIUM = "/usr/bin/chromium"
PY = sys.executable

# --------------------------------------------------------------------------
# Helpers


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, **kw)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of a command in a fresh process tree."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = run([PY, "-c", probe, *cmd]).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    chromium = run([CHROMIUM, "--version"]).stdout.strip() if Path(CHROMIUM).exists() else "-"
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem / 1024 / 1024:.0f} GiB RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"{chromium}"
    )


def fetch_cdn_copies() -> dict[str, Path | None]:
    """Local copies of the explore() page's CDN files (None where none can be had)."""
    found: dict[str, Path | None] = {}
    for url, (package, inner) in CDN_FILES.items():
        try:
            path = npm_file(package, inner)
        except (subprocess.CalledProcessError, OSError):
            path = None
        found[url] = path if path is not None and path.exists() else None
    return found


class Server:
    """A static file server on 127.0.0.1 for one folder."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/"

    def close(self) -> None:
        self.httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


WATCH_PATHS = """
(() => {
  const need = %d;
  const obs = new MutationObserver(() => {
    if (document.querySelectorAll('path.leaflet-interactive').length >= need) {
      performance.mark('bench:areas-drawn');
      obs.disconnect();
    }
  });
  obs.observe(document, {childList: true, subtree: true});
})();
"""


DRAWN = (
    "performance.getEntriesByName('bench:areas-drawn').length > 0 || "
    "(!!document.querySelector('#map canvas') && "
    "performance.getEntriesByName('hatecrime-maps:areas-drawn').length > 0)"
)
"""All areas drawn: every SVG path is in the page or, for a page drawn on a canvas, the
page's own mark, set in the animation frame after the canvas painted."""


def wait_until_drawn(page, timeout_s: float = 120.0) -> None:
    """Poll :data:`DRAWN` from outside the page (its policy forbids the string evaluation
    that ``wait_for_function`` needs); the time drawn is read from the page's mark."""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(DRAWN):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the areas were not drawn within {timeout_s:.0f} s")
        page.wait_for_timeout(20)


HOVER = """
async ([x, y]) => {
  const el = document.elementFromPoint(x, y);
  const t0 = performance.now();
  for (const type of ['mouseover', 'mousemove']) {
    el.dispatchEvent(new MouseEvent(type, {clientX: x, clientY: y, bubbles: true}));
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const tip = document.querySelector('.leaflet-tooltip');
  return [performance.now() - t0, !!tip && tip.textContent.length > 0];
}
"""
"""Milliseconds from the pointer arriving over the map to its tooltip painted (two frames)."""


def browser_measure(browser, url: str, areas: int, cdn: dict[str, Path | None]) -> dict:
    """Navigate once: bytes fetched, ms from navigation start to all areas drawn, and ms
    from a hover to its tooltip (median of five points over the map)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched = {"bytes": 0, "gzip": 0, "missing": []}

    def route(r):
        local = cdn.get(r.request.url)
        if r.request.url in cdn:
            if local is None:
                fetched["missing"].append(r.request.url)
                r.fulfill(status=404, body="")
            else:
                body = local.read_bytes()
                fetched["bytes"] += len(body)
                fetched["gzip"] += len(gzip.compress(body, 6, mtime=0))
                ctype = "text/css" if local.suffix == ".css" else "application/javascript"
                r.fulfill(status=200, body=body, content_type=ctype)
        elif r.request.url.startswith("http://127.0.0.1"):
            r.continue_()
        else:
            fetched["missing"].append(r.request.url)
            r.fulfill(status=404, body="")

    context.route("**/*", route)

    def on_response(resp) -> None:
        if resp.url.startswith("http://127.0.0.1"):
            body = resp.body()  # body() lets route handlers run: read the total after
            fetched["bytes"] += len(body)
            fetched["gzip"] += len(gzip.compress(body, 6, mtime=0))

    page.on("response", on_response)
    page.add_init_script(WATCH_PATHS % areas)
    page.goto(url)
    wait_until_drawn(page)
    ms = page.evaluate(
        "(performance.getEntriesByName('bench:areas-drawn')[0] || "
        "performance.getEntriesByName('hatecrime-maps:areas-drawn')[0]).startTime"
    )
    # The map in view, so that each point hovered is on screen (our page has its controls
    # and summary above it).
    page.evaluate("document.querySelector('#map, .folium-map').scrollIntoView({block: 'center'})")
    box = page.locator("#map, .folium-map").first.bounding_box()
    hovers = []
    for fx, fy in ((0.5, 0.5), (0.35, 0.45), (0.6, 0.7), (0.3, 0.3), (0.45, 0.35)):
        page.mouse.move(2, 2)
        page.wait_for_timeout(300)
        took, shown = page.evaluate(
            HOVER, [box["x"] + box["width"] * fx, box["y"] + box["height"] * fy]
        )
        if shown:
            hovers.append(took)
    context.close()
    return {"ms": ms, "hover_ms": statistics.median(hovers) if hovers else None, **fetched}


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


# --------------------------------------------------------------------------
# The benchmarks


def bench_build(work: Path, runs: int) -> dict:
    """Whole process, wall time and peak memory: a first build into a new folder, a
    rebuild of unchanged inputs into the same folder, the pages alone, and explore()."""
    victims = work / "tidy"
    run(
        [
            PY,
            "-m",
            "hatecrime_maps",
            "parse",
            "data/foi/1186A-20/response.txt",
            "--out",
            str(victims),
        ]
    )
    build = [PY, "-m", "hatecrime_maps", "build", "--tiles", "none", "--out"]
    commands = {
        "first": [*build, str(work / "first")],
        "rebuild": [*build, str(work / "ours")],
        "pages": [*build, str(work / "pages"), "--pages-only"],
        "explore": [
            PY,
            str(BENCH / "explore_alternative.py"),
            "boundaries",
            str(victims / "victims.csv"),
            str(work / "explore"),
        ],
    }
    run(commands["rebuild"])  # the folder a rebuild finds
    times: dict[str, list] = {k: [] for k in commands}
    for _ in range(runs):  # alternate, so drift on the machine hits all alike
        for key, cmd in commands.items():
            if key == "first":
                shutil.rmtree(work / "first", ignore_errors=True)
            times[key].append(timed(cmd))
    return {k: (statistics.median(t for t, _ in v), max(m for _, m in v)) for k, v in times.items()}


def bench_pages(work: Path, runs: int, cdn: dict) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict = {"ours": [], "explore": []}
    pages = {
        "ours": work / "ours" / "map-2020.html",
        "explore": work / "explore" / "explore-2020.html",
    }
    servers = {k: Server(p.parent) for k, p in pages.items()}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            for k, path in pages.items():
                results[k].append(browser_measure(browser, servers[k].base + path.name, 25, cdn))
        browser.close()
    for s in servers.values():
        s.close()
    return {
        k: {
            "page_bytes": pages[k].stat().st_size,
            "page_gzip": gzip_size(pages[k]),
            "fetched_bytes": v[0]["bytes"],
            "fetched_gzip": v[0]["gzip"],
            "missing": v[0]["missing"],
            "render_ms": statistics.median(r["ms"] for r in v),
        }
        for k, v in results.items()
    }


SCALE_KINDS = {
    "real": "FOI 1186A/20",
    "wards": "every ward its own area",
    "cells": "wards cut by an 830 m grid",
    "fine": "wards cut by a 360 m grid",
}


def bench_scale(work: Path, runs: int, cdn: dict) -> list[dict]:
    """Each size: boundary build (once), first build, pages alone and explore() (medians,
    alternated), peak memory, page bytes, and both pages in Chromium."""
    from playwright.sync_api import sync_playwright

    rows = []
    for kind in SCALE_KINDS:
        boundary_s = None
        if kind == "real":
            foi, boundaries, n = "data/foi/1186A-20/response.txt", ROOT / "boundaries", 25
        else:
            folder = work / f"scale-{kind}"
            out = run([PY, str(BENCH / "synthetic.py"), kind, str(SOURCE), str(folder)]).stdout
            n = json.loads(out.strip().splitlines()[-1])["areas"]
            boundary_s, _ = timed(
                [
                    PY,
                    "-m",
                    "hatecrime_maps",
                    "boundaries",
                    "build",
                    "--source",
                    str(folder / "source"),
                    "--out",
                    str(folder / "boundaries"),
                ]
            )
            foi, boundaries = str(folder / "foi" / "response.txt"), folder / "boundaries"
        out_dir = work / f"scale-out-{kind}"
        tidy = work / f"scale-tidy-{kind}"
        run([PY, "-m", "hatecrime_maps", "parse", foi, "--out", str(tidy)])
        ours = [
            PY,
            "-m",
            "hatecrime_maps",
            "build",
            "--foi",
            foi,
            "--boundaries",
            str(boundaries),
            "--tiles",
            "none",
        ]
        alt = [
            PY,
            str(BENCH / "explore_alternative.py"),
            str(boundaries),
            str(tidy / "victims.csv"),
            str(work / f"scale-explore-{kind}"),
        ]
        measured: dict[str, list] = {"first": [], "pages": [], "explore": []}
        for _ in range(runs):
            shutil.rmtree(out_dir, ignore_errors=True)
            measured["first"].append(timed([*ours, "--out", str(out_dir)]))
            measured["pages"].append(timed([*ours, "--out", str(work / "pages"), "--pages-only"]))
            measured["explore"].append(timed(alt))
        page = out_dir / "map-2020.html"
        explore_page = work / f"scale-explore-{kind}" / "explore-2020.html"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            servers = [Server(page.parent), Server(explore_page.parent)]
            shown = [
                browser_measure(browser, servers[0].base + page.name, n, cdn),
                browser_measure(browser, servers[1].base + explore_page.name, n, cdn),
            ]
            for server in servers:
                server.close()
            browser.close()
        rows.append(
            {
                "kind": kind,
                "areas": n,
                "boundary_s": boundary_s,
                **{f"{k}_s": statistics.median(t for t, _ in v) for k, v in measured.items()},
                **{f"{k}_mib": max(m for _, m in v) for k, v in measured.items()},
                "page_bytes": page.stat().st_size,
                "page_gzip": gzip_size(page),
                "explore_bytes": explore_page.stat().st_size,
                "explore_gzip": gzip_size(explore_page),
                "render_ms": shown[0]["ms"],
                "explore_render_ms": shown[1]["ms"],
                "hover_ms": shown[0]["hover_ms"],
                "explore_hover_ms": shown[1]["hover_ms"],
            }
        )
    return rows


def _rings(geometry: dict) -> list:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return coords
    if kind in ("MultiPolygon",):
        return [r for poly in coords for r in poly]
    if kind == "LineString":
        return [coords]
    return coords  # MultiLineString


def webmap_points(encoded: str) -> int:
    """Points in one encoded arc: every number ends in a character below 95 (no 0x20 bit)."""
    return sum(1 for ch in encoded if ord(ch) - 63 < 32) // 2


RENDER_CHECK = """
async () => {
  document.getElementById('map').scrollIntoView({block: 'center'});
  const box = document.getElementById('map').getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const el = document.elementFromPoint(x, y);
  let t0 = performance.now();
  for (const type of ['mouseover', 'mousemove']) {
    el.dispatchEvent(new MouseEvent(type, {clientX: x, clientY: y, bubbles: true}));
  }
  await frames();
  const hover = performance.now() - t0;
  const rate = document.querySelector('input[name="view"][value="rate"]');
  t0 = performance.now();
  rate.checked = true;
  rate.dispatchEvent(new Event('change'));
  await frames();
  return [hover, performance.now() - t0];
}
"""


def bench_renderers(work: Path, runs: int) -> list[dict]:
    """SVG paths against one canvas for the synthetic grids: the same pages built both
    ways (the module's threshold moved for the SVG build), each opened ``runs`` times."""
    from playwright.sync_api import sync_playwright

    from hatecrime_maps.outputs import pages as map_pages
    from hatecrime_maps.pipeline import build_maps
    from hatecrime_maps.request import BuildRequest

    rows = []
    for kind in ("cells", "fine"):
        folder = work / f"scale-{kind}"
        pages = {}
        for renderer, above in (("SVG", 10**9), ("canvas", 0)):
            saved, map_pages.CANVAS_ABOVE = map_pages.CANVAS_ABOVE, above
            try:
                out = work / f"renderer-{kind}-{renderer}"
                result = build_maps(
                    BuildRequest(
                        foi=folder / "foi" / "response.txt",
                        boundaries=folder / "boundaries",
                        out=out,
                        tiles="none",
                        pages_only=True,
                    )
                )
            finally:
                map_pages.CANVAS_ABOVE = saved
            pages[renderer] = (out / "map-2020.html", result.public.areas["area"].nunique())
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            times: dict[str, list] = {r: [] for r in pages}
            for _ in range(runs):
                for renderer, (path, _) in pages.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(path.as_uri())
                    page.wait_for_selector("html[data-map-drawn]", timeout=120000)
                    drawn = page.evaluate(
                        "performance.getEntriesByName('hatecrime-maps:areas-drawn')[0].startTime"
                    )
                    times[renderer].append((drawn, *page.evaluate(RENDER_CHECK)))
                    page.close()
            browser.close()
        for renderer, (_, n) in pages.items():
            rows.append(
                {
                    "areas": n,
                    "renderer": renderer,
                    **{
                        key: statistics.median(t[i] for t in times[renderer])
                        for i, key in enumerate(("drawn_ms", "hover_ms", "switch_ms"))
                    },
                }
            )
    return rows


def bench_geometry(work: Path) -> dict:
    import geopandas as gpd

    metrics = json.loads((ROOT / "boundaries" / "web" / "metrics.json").read_text())
    full = gpd.read_file(ROOT / "boundaries" / "wards.geojson").to_crs(4326)
    full_path = work / "wards-full.geojson"
    from hatecrime_maps.io.geojson import feature_collection_text

    full_path.write_text(
        feature_collection_text(
            [{"ward_code": c} for c in full["ward_code"]], full.geometry.values, decimals=5
        )
    )
    web = gpd.read_file(ROOT / "boundaries" / "web" / "wards.geojson")
    web_path = work / "wards-web.geojson"
    web_path.write_text(
        feature_collection_text(
            [{"ward_code": c} for c in web["ward_code"]], web.geometry.values, decimals=5
        )
    )
    from hatecrime_maps.geography.boundaries import Boundaries
    from hatecrime_maps.io.templating import json_for_script
    from hatecrime_maps.outputs.geometry import page_geometry

    boundaries = Boundaries(ROOT / "boundaries")
    levels = boundaries.catalogue.levels
    geometry = page_geometry(
        boundaries.topology,
        levels["sector"],
        levels["npu"],
        context=boundaries.provenance.context_lines,
    )
    page_json = json_for_script(
        [
            geometry.arcs,
            geometry.areas,
            geometry.parents,
            geometry.ward_lines,
            geometry.borough_lines,
        ]
    )
    layer_points = sum(
        len(ring)
        for name in ("areas", "npus", "ward_lines", "borough_lines")
        for f in json.loads((ROOT / "boundaries" / "web" / f"{name}.geojson").read_text())[
            "features"
        ]
        for ring in _rings(f["geometry"])
    )
    return {
        "page_arc_points": sum(webmap_points(a) for a in geometry.arcs),
        "layer_points": layer_points,
        "page_geometry_bytes": len(page_json.encode("utf-8")),
        "tolerance_m": metrics["tolerance_m"],
        "max_displacement_m": metrics["max_displacement_m"],
        "vertices_full": metrics["vertices_full"]["wards"],
        "vertices_web": metrics["vertices_web"]["wards"],
        "bytes_full": full_path.stat().st_size,
        "bytes_web": web_path.stat().st_size,
    }


# --------------------------------------------------------------------------
# Report


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def report(
    m: str,
    build: dict,
    pages: dict,
    scale: list[dict],
    renderers: list[dict],
    geo: dict,
    runs: int,
) -> str:
    alt_t, _alt_mem = build["explore"]
    po, pe = pages["ours"], pages["explore"]
    missing = ", ".join(sorted({u.rsplit("/", 1)[-1] for u in pe["missing"]})) or "none"
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {m}.",
        f"Command: `python bench/run.py --runs {runs}`; medians of {runs} runs (of "
        f"{max(1, runs // 2)} at scale), each kind of build and the alternative run "
        "alternately in the same session. Peak memory is the largest process's resident "
        "set (a build draws its charts in worker processes).",
        "",
        "## Build (cold process, 25 areas)",
        "",
        "| | wall time | ratio to explore() | peak memory |",
        "|---|---|---|---|",
    ]
    what = {
        "first": "`hatecrime-maps build --tiles none` into a new folder (pages, report, "
        "charts, print maps, GeoPackage, downloads)",
        "rebuild": "the same build again, inputs unchanged (charts and print maps reused)",
        "pages": "`hatecrime-maps build --tiles none --pages-only` (map pages and landing page)",
        "explore": "`explore()` script (dissolve, join, 2 pages)",
    }
    for key in ("first", "rebuild", "pages", "explore"):
        t, mem = build[key]
        lines.append(f"| {what[key]} | {t:.2f} s | {t / alt_t:.2f} | {mem:.0f} MiB |")
    lines += [
        "",
        "## Page weight and render (2020 page, 25 areas)",
        "",
        "| | page | page, gzip | everything fetched to render | the same, gzip | time to "
        "all areas drawn |",
        "|---|---|---|---|---|---|",
        f"| hatecrime-maps | {kb(po['page_bytes'])} | {kb(po['page_gzip'])} | "
        f"{kb(po['fetched_bytes'])} | {kb(po['fetched_gzip'])} | {po['render_ms']:.0f} ms |",
        f"| `explore()` | {kb(pe['page_bytes'])} | {kb(pe['page_gzip'])} | "
        f"{kb(pe['fetched_bytes'])} | {kb(pe['fetched_gzip'])} | {pe['render_ms']:.0f} ms |",
        f"| ratio (ours / explore) | {po['page_bytes'] / pe['page_bytes']:.2f} | "
        f"{po['page_gzip'] / pe['page_gzip']:.2f} | "
        f"{po['fetched_bytes'] / pe['fetched_bytes']:.2f} | "
        f"{po['fetched_gzip'] / pe['fetched_gzip']:.2f} | "
        f"{po['render_ms'] / pe['render_ms']:.2f} |",
        "",
        "Both pages served from 127.0.0.1 with no basemap; the explore() page's CDN files "
        "served from local copies out of the npm registry. Not available there, so not "
        f"counted (the explore() total is a slight underestimate): {missing}. Gzip sizes are "
        "each file compressed at level 6, as a web server would send it. Render time is "
        "from navigation start to the moment every area's path is in the page "
        "(a MutationObserver's performance mark, the same for both); a page drawn on a "
        "canvas (above 1,000 areas) sets its own mark in the frame after the canvas paints.",
        "",
        "## Scale",
        "",
        "| input | areas | boundary build (once) | first build | pages only | explore() "
        "script | peak memory (build / explore) |",
        "|---|---|---|---|---|---|---|",
    ]
    base = scale[0]
    for r in scale:
        boundary = "-" if r["boundary_s"] is None else f"{r['boundary_s']:.1f} s"
        lines.append(
            f"| {SCALE_KINDS[r['kind']]} | {r['areas']:,} | {boundary} | "
            f"{r['first_s']:.1f} s ({r['first_s'] / r['explore_s']:.2f}x) | "
            f"{r['pages_s']:.1f} s ({r['pages_s'] / r['explore_s']:.2f}x) | "
            f"{r['explore_s']:.1f} s | {r['first_mib']:.0f} / {r['explore_mib']:.0f} MiB |"
        )
    lines += [
        "",
        "| input | areas | our page (gzip) | explore() page alone (gzip) | ratio | all drawn "
        "(ours / explore) | hover to tooltip (ours / explore) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in scale:
        lines.append(
            f"| {SCALE_KINDS[r['kind']]} | {r['areas']:,} | {kb(r['page_bytes'])} "
            f"({kb(r['page_gzip'])}) | {kb(r['explore_bytes'])} ({kb(r['explore_gzip'])}) | "
            f"{r['page_bytes'] / r['explore_bytes']:.2f} | {ms(r['render_ms'])} / "
            f"{ms(r['explore_render_ms'])} | {ms(r['hover_ms'])} / "
            f"{ms(r['explore_hover_ms'])} |"
        )
    lines += [
        "",
        "Cost of each area beyond the first 25 (the curve: a step quadratic in the number "
        "of areas would make these grow with size):",
        "",
        "| areas | first build, ms per extra area | pages only, ms per extra area | page, "
        "bytes per extra area |",
        "|---|---|---|---|",
    ]
    for r in scale[1:]:
        extra = r["areas"] - base["areas"]
        lines.append(
            f"| {r['areas']:,} | {1000 * (r['first_s'] - base['first_s']) / extra:.2f} | "
            f"{1000 * (r['pages_s'] - base['pages_s']) / extra:.2f} | "
            f"{(r['page_bytes'] - base['page_bytes']) / extra:,.0f} |"
        )
    lines += [
        "",
        "Hover is timed in the page: from a pointer event over the map to the second "
        "animation frame after it, with the tooltip in the page (median of five places).",
        "",
        "## SVG paths or one canvas",
        "",
        "The same pages built both ways (a page draws on a canvas above "
        "1,000 areas); medians of the runs, timed in the page as above; the view switch is "
        "from counts to rates, to the second frame after.",
        "",
        "| areas | drawn as | all drawn | hover to tooltip | view switch |",
        "|---|---|---|---|---|",
        *(
            f"| {r['areas']:,} | {r['renderer']} | {ms(r['drawn_ms'])} | {ms(r['hover_ms'])} | "
            f"{ms(r['switch_ms'])} |"
            for r in renderers
        ),
        "",
        "## Web geometry",
        "",
        f"Coverage simplification at {geo['tolerance_m']:.0f} m: largest displacement "
        f"{geo['max_displacement_m']} m; ward vertices {geo['vertices_full']:,} → "
        f"{geo['vertices_web']:,}; ward GeoJSON at 5 decimals {kb(geo['bytes_full'])} → "
        f"{kb(geo['bytes_web'])} "
        f"({100 * (1 - geo['bytes_web'] / geo['bytes_full']):.0f}% saved). A map page sends "
        f"the four layers as one topology: {geo['page_arc_points']:,} points, each edge once, "
        f"where the layers as GeoJSON hold {geo['layer_points']:,}; the page's shapes and "
        f"lines take {kb(geo['page_geometry_bytes'])} of it.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hatecrime-bench-"))
    try:
        cdn = fetch_cdn_copies()
        build = bench_build(work, args.runs)
        pages = bench_pages(work, args.runs, cdn)
        scale = bench_scale(work, max(1, args.runs // 2), cdn)
        renderers = bench_renderers(work, args.runs)
        geo = bench_geometry(work)
        text = report(machine(), build, pages, scale, renderers, geo, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (BENCH / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
