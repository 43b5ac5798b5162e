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
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
SOURCE = ROOT.parent / "shared" / "boundaries" / "source"
CHROMIUM = "/usr/bin/chromium"
PY = sys.executable

# What an explore() page loads from CDNs, and where the same file is in the npm registry.
CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": (
        "leaflet@1.9.3",
        "dist/leaflet.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": (
        "leaflet@1.9.3",
        "dist/leaflet.css",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap@5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free@6.2.0",
        "css/all.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.js": (
        "leaflet.awesome-markers@2.0.4",
        "dist/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.css": (
        "leaflet.awesome-markers@2.0.4",
        "dist/leaflet.awesome-markers.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": ("d3@3.5.5", "d3.min.js"),
}


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
    CACHE.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path | None] = {}
    for url, (package, inner) in CDN_FILES.items():
        folder = CACHE / package.replace("/", "_")
        if not folder.exists():
            tmp = Path(tempfile.mkdtemp())
            try:
                tgz = run(["npm", "pack", package, "--pack-destination", str(tmp)]).stdout
                with tarfile.open(tmp / tgz.strip().splitlines()[-1]) as tar:
                    tar.extractall(folder, filter="data")
            except (subprocess.CalledProcessError, OSError):
                folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tmp, ignore_errors=True)
        path = folder / "package" / inner
        found[url] = path if path.exists() else None
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


def browser_measure(browser, url: str, areas: int, cdn: dict[str, Path | None]) -> dict:
    """Navigate once; bytes fetched and ms from navigation start to all areas drawn."""
    context = browser.new_context()
    page = context.new_page()
    fetched = {"bytes": 0, "missing": []}

    def route(r):
        local = cdn.get(r.request.url)
        if r.request.url in cdn:
            if local is None:
                fetched["missing"].append(r.request.url)
                r.fulfill(status=404, body="")
            else:
                body = local.read_bytes()
                fetched["bytes"] += len(body)
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
            size = len(resp.body())  # body() lets route handlers run: read the total after
            fetched["bytes"] += size

    page.on("response", on_response)
    page.add_init_script(WATCH_PATHS % areas)
    page.goto(url)
    page.wait_for_function(
        "performance.getEntriesByName('bench:areas-drawn').length > 0", timeout=60000
    )
    ms = page.evaluate("performance.getEntriesByName('bench:areas-drawn')[0].startTime")
    context.close()
    return {"ms": ms, **fetched}


# --------------------------------------------------------------------------
# The benchmarks


def bench_build(work: Path, runs: int) -> dict:
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
    ours = [PY, "-m", "hatecrime_maps", "build", "--tiles", "none", "--out", str(work / "ours")]
    alt = [
        PY,
        str(BENCH / "explore_alternative.py"),
        "boundaries",
        str(victims / "victims.csv"),
        str(work / "explore"),
    ]
    times = {"ours": [], "explore": []}
    for _ in range(runs):  # alternate, so drift on the machine hits both alike
        times["ours"].append(timed(ours))
        times["explore"].append(timed(alt))
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
            "fetched_bytes": v[0]["bytes"],
            "missing": v[0]["missing"],
            "render_ms": statistics.median(r["ms"] for r in v),
        }
        for k, v in results.items()
    }


def bench_scale(work: Path, runs: int) -> list[dict]:
    rows = []
    base_areas = 25
    for kind in ("real", "wards", "cells"):
        if kind == "real":
            foi, boundaries, n = "data/foi/1186A-20/response.txt", ROOT / "boundaries", 25
        else:
            folder = work / f"scale-{kind}"
            out = run([PY, str(BENCH / "synthetic.py"), kind, str(SOURCE), str(folder)]).stdout
            n = json.loads(out.strip().splitlines()[-1])["areas"]
            run(
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
            "--out",
            str(out_dir),
        ]
        alt = [
            PY,
            str(BENCH / "explore_alternative.py"),
            str(boundaries),
            str(tidy / "victims.csv"),
            str(work / f"scale-explore-{kind}"),
        ]
        t_ours = statistics.median(timed(ours)[0] for _ in range(runs))
        t_alt = statistics.median(timed(alt)[0] for _ in range(runs))
        rows.append(
            {
                "kind": kind,
                "areas": n,
                "factor": n / base_areas,
                "build_s": t_ours,
                "explore_s": t_alt,
                "page_bytes": (out_dir / "map-2020.html").stat().st_size,
                "explore_bytes": (work / f"scale-explore-{kind}" / "explore-2020.html")
                .stat()
                .st_size,
            }
        )
    return rows


def bench_geometry(work: Path) -> dict:
    import geopandas as gpd

    metrics = json.loads((ROOT / "boundaries" / "web" / "metrics.json").read_text())
    full = gpd.read_file(ROOT / "boundaries" / "wards.geojson").to_crs(4326)
    full_path = work / "wards-full.geojson"
    from hatecrime_maps.geojson import feature_collection_text

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
    return {
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


def report(m: str, build: dict, pages: dict, scale: list[dict], geo: dict, runs: int) -> str:
    ours_t, ours_mem = build["ours"]
    alt_t, alt_mem = build["explore"]
    po, pe = pages["ours"], pages["explore"]
    missing = ", ".join(sorted({u.rsplit("/", 1)[-1] for u in pe["missing"]})) or "none"
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {m}.",
        f"Command: `python bench/run.py --runs {runs}`; medians of {runs} runs, ours and the "
        "alternative run alternately in the same session.",
        "",
        "## Build (cold process)",
        "",
        "| | wall time | peak memory |",
        "|---|---|---|",
        f"| `hatecrime-maps build --tiles none` (pages, report, charts, print maps, "
        f"GeoPackage, downloads) | {ours_t:.1f} s | {ours_mem:.0f} MiB |",
        f"| `explore()` script (dissolve, join, 2 pages) | {alt_t:.1f} s | {alt_mem:.0f} MiB |",
        f"| ratio (ours / explore) | {ours_t / alt_t:.2f} | {ours_mem / alt_mem:.2f} |",
        "",
        "## Page weight and render (2020 page, 25 areas)",
        "",
        "| | page | everything fetched to render | time to all areas drawn |",
        "|---|---|---|---|",
        f"| hatecrime-maps | {kb(po['page_bytes'])} | {kb(po['fetched_bytes'])} | "
        f"{po['render_ms']:.0f} ms |",
        f"| `explore()` | {kb(pe['page_bytes'])} | {kb(pe['fetched_bytes'])} | "
        f"{pe['render_ms']:.0f} ms |",
        f"| ratio (ours / explore) | {po['page_bytes'] / pe['page_bytes']:.2f} | "
        f"{po['fetched_bytes'] / pe['fetched_bytes']:.2f} | "
        f"{po['render_ms'] / pe['render_ms']:.2f} |",
        "",
        "Both pages served from 127.0.0.1 with no basemap; the explore() page's CDN files "
        "served from local copies out of the npm registry. Not available there, so not "
        f"counted (the explore() total is a slight underestimate): {missing}. Render time is "
        "from navigation start to the moment every area's path is in the page "
        "(a MutationObserver's performance mark, the same for both).",
        "",
        "## Scale",
        "",
        "| input | areas | build | explore() script | our page | explore() page (without "
        "its CDN files) |",
        "|---|---|---|---|---|---|",
    ]
    for r in scale:
        what = {
            "real": "FOI 1186A/20",
            "wards": "every ward its own area",
            "cells": "wards cut by an 830 m grid",
        }[r["kind"]]
        lines.append(
            f"| {what} | {r['areas']:,} ({r['factor']:.0f}x) | {r['build_s']:.1f} s | "
            f"{r['explore_s']:.1f} s | {kb(r['page_bytes'])} | "
            f"{kb(r['explore_bytes'])} |"
        )
    lines += [
        "",
        "## Web geometry",
        "",
        f"Coverage simplification at {geo['tolerance_m']:.0f} m: largest displacement "
        f"{geo['max_displacement_m']} m; ward vertices {geo['vertices_full']:,} → "
        f"{geo['vertices_web']:,}; ward GeoJSON at 5 decimals {kb(geo['bytes_full'])} → "
        f"{kb(geo['bytes_web'])} "
        f"({100 * (1 - geo['bytes_web'] / geo['bytes_full']):.0f}% saved).",
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
        scale = bench_scale(work, max(1, args.runs // 2))
        geo = bench_geometry(work)
        text = report(machine(), build, pages, scale, geo, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (BENCH / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
