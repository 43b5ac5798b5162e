"""The UK's December 2022 wards as one map: the real case at ward scale.

From the project root (after ``pip install -e '.[test,bench]'``)::

    python bench/uk_wards.py [--runs 3]

Writes a counts table of every ward by code (seeded figures), then times the
full build, the pages alone and a geopandas ``explore()`` script of the same
wards and figures (alternated, medians), and opens both pages in Chromium for
the time to every area drawn and to a hover's tooltip. Prints one JSON line.
Nothing here is asserted: the figures are this machine's.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

from run import CHROMIUM, PY, ROOT, Server, browser_measure, fetch_cdn_copies, timed

PERIOD = "2023=2023-04-01..2024-03-31"

EXPLORE = """
import sys
import geopandas as gpd
import pandas as pd
wards = gpd.read_file(sys.argv[1]).to_crs(4326)
counts = pd.read_csv(sys.argv[2], dtype={"ward code": str})
joined = wards.merge(counts, left_on="ward_code", right_on="ward code", how="left")
joined[["ward_code", "ward", "council", "crimes", "geometry"]].explore(
    column="crimes", scheme="NaturalBreaks", k=5, tooltip=["ward", "council", "crimes"]
).save(sys.argv[3])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from hatecrime_maps.geography.boundaries import Boundaries
    from hatecrime_maps.io import defaults

    codes = sorted(Boundaries(defaults.UK_BOUNDARIES).catalogue.units["ward"]["area_id"])
    work = Path(tempfile.mkdtemp(prefix="uk-wards-"))
    table = work / "wards.csv"
    seeded = random.Random(2022)
    table.write_text(
        "ward code,crimes\n" + "".join(f"{c},{seeded.randint(0, 60)}\n" for c in codes)
    )
    script = work / "explore.py"
    script.write_text(EXPLORE)
    ours = [PY, "-m", "hatecrime_maps", "build", "--counts", str(table), "--period", PERIOD]
    ours += ["--tiles", "none"]
    explore_page = work / "explore" / "explore-2023.html"
    explore_page.parent.mkdir()
    alt = [PY, str(script), str(defaults.UK_BOUNDARIES / "wards.geojson"), str(table)]
    alt.append(str(explore_page))
    times: dict[str, list[float]] = {"build": [], "pages": [], "explore": []}
    for run_no in range(args.runs):
        times["build"].append(timed([*ours, "--out", str(work / f"maps-{run_no}")])[0])
        times["pages"].append(timed([*ours, "--out", str(work / "pages"), "--pages-only"])[0])
        times["explore"].append(timed(alt)[0])
    page = work / "maps-0" / "map-2023.html"
    cdn = fetch_cdn_copies()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        servers = [Server(page.parent), Server(explore_page.parent)]
        shown = [
            browser_measure(browser, servers[0].base + page.name, len(codes), cdn),
            browser_measure(browser, servers[1].base + explore_page.name, len(codes), cdn),
        ]
        for server in servers:
            server.close()
        browser.close()
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(
        json.dumps(
            {
                "wards": len(codes),
                **{f"{k}_s": round(v, 2) for k, v in medians.items()},
                "build_over_explore": round(medians["build"] / medians["explore"], 2),
                "pages_over_explore": round(medians["pages"] / medians["explore"], 2),
                "page_bytes": page.stat().st_size,
                "explore_bytes": explore_page.stat().st_size,
                "drawn_ms": round(shown[0]["ms"]),
                "explore_drawn_ms": round(shown[1]["ms"]),
                "hover_ms": shown[0]["hover_ms"],
                "explore_hover_ms": shown[1]["hover_ms"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
