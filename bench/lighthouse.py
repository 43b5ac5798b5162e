"""Lighthouse performance of the built pages, offline, on this machine.

Performance is a timing score: it moves with the machine's load, so it is
measured here rather than asserted in the tests (which assert accessibility,
best practices and SEO). From the project root::

    python bench/lighthouse.py [--runs 3] [--scale cells|fine]
                               [--counts FILE --period YEAR=START..END]

builds the maps with no basemap into a temporary folder (``--scale`` first makes
the synthetic grid of ``bench/synthetic.py``: about 3,100 or 10,000 areas, from
the shared boundary sources), serves them on
127.0.0.1 and prints the median, minimum and maximum performance score and
total blocking time of each page over ``--runs`` runs of Lighthouse 12 (mobile)
in Debian's Chromium. Needs npm (Lighthouse is installed once into
``bench/.cache``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse() -> Path:
    folder = CACHE / "lighthouse"
    cli = folder / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "lighthouse@12"],
            cwd=folder,
            check=True,
        )
    return cli


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


def measure(cli: Path, url: str, report: Path) -> tuple[float, float]:
    subprocess.run(
        [
            str(cli),
            url,
            "--quiet",
            f"--chrome-flags={FLAGS}",
            "--only-categories=performance",
            "--form-factor=mobile",
            "--output=json",
            f"--output-path={report}",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    tbt = result["audits"]["total-blocking-time"]["numericValue"]
    return result["categories"]["performance"]["score"], tbt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--counts", type=Path, help="map this counts table instead")
    parser.add_argument("--period", action="append", default=[])
    parser.add_argument("--scale", choices=["cells", "fine"])
    parser.add_argument("--pages", default="map-*.html", help="which pages (a glob)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    build = [sys.executable, "-m", "hatecrime_maps", "build", "--tiles", "none"]
    if args.counts:
        build += ["--counts", str(args.counts), *(f"--period={p}" for p in args.period)]
    if args.scale:
        source = ROOT.parent / "shared" / "boundaries" / "source"
        grid = work / "grid"
        bench = ROOT / "bench" / "synthetic.py"
        subprocess.run([sys.executable, str(bench), args.scale, str(source), str(grid)], check=True)
        subprocess.run(
            [sys.executable, "-m", "hatecrime_maps", "boundaries", "build", "--source",
             str(grid / "source"), "--out", str(grid / "boundaries")],
            check=True, cwd=ROOT,
        )  # fmt: skip
        build += ["--pages-only", "--foi", str(grid / "foi" / "response.txt")]
        build += ["--boundaries", str(grid / "boundaries")]
    subprocess.run([*build, "--out", str(work / "maps")], check=True, cwd=ROOT)
    cli = lighthouse()
    base, server = serve(work / "maps")
    pages = sorted(p.name for p in (work / "maps").glob(args.pages))
    print("| page | performance (median, min to max) | total blocking time (median) |")
    print("|---|---|---|")
    for page in pages:
        runs = [measure(cli, base + page, work / "report.json") for _ in range(args.runs)]
        scores = [r[0] for r in runs]
        tbt = statistics.median(r[1] for r in runs)
        print(
            f"| {page} | {statistics.median(scores):.2f} ({min(scores):.2f} to "
            f"{max(scores):.2f}) | {tbt:.0f} ms |"
        )
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
