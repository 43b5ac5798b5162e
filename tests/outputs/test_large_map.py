"""A map of about 3,100 areas (the wards cut by a synthetic grid) in a real Chromium:
drawn on a canvas, figures on hover, a table with search and pages rather than 3,100
rows.

Slow (it builds the grid's boundaries first), and run in CI. The same page at about
10,000 areas, and how fast pages open and answer, are measured by ``bench/run.py``,
not asserted here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT, SHARED, need
from tests.outputs.test_accessibility import axe, axe_source  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow
SOURCE = SHARED / "boundaries" / "source"
MAX_PAGE_BYTES = 1024 * 1024


def run(*cmd: str) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[Path, int]:
    """The pages of the synthetic 3,100-area grid, and how many areas it has."""
    need(SOURCE.is_dir(), f"the shared boundary sources are not at {SOURCE}")
    folder = tmp_path_factory.mktemp("large")
    out = run(
        sys.executable, str(ROOT / "bench" / "synthetic.py"), "cells", str(SOURCE), str(folder)
    )
    areas = json.loads(out.strip().splitlines()[-1])["areas"]
    hm = [sys.executable, "-m", "hatecrime_maps"]
    boundaries = folder / "boundaries"
    run(*hm, "boundaries", "build", "--source", str(folder / "source"), "--out", str(boundaries))
    run(
        *hm,
        "build",
        "--pages-only",
        "--foi",
        str(folder / "foi" / "response.txt"),
        "--boundaries",
        str(boundaries),
        "--tiles",
        "none",
        "--out",
        str(folder / "maps"),
    )
    return folder / "maps", areas


def open_large(open_page, large, width: int = 1280):
    maps, _ = large
    p = open_page((maps / "map-2020.html").as_uri(), width=width)
    p.page.wait_for_selector("html[data-map-drawn]", timeout=30000)
    return p


def test_the_page_is_small_and_sends_no_row_as_html(large):
    maps, areas = large
    assert areas > 3_000
    html = (maps / "map-2020.html").read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) < MAX_PAGE_BYTES
    body = re.search(r'<table id="area-table".*?<tbody>(.*?)</tbody>', html, re.S)[1]
    assert body.strip() == "", "the rows come from the page's data, a page at a time"
    assert f"The table of all {areas:,} policing areas is shown 50 at a time" in html


def test_every_area_is_on_one_canvas_and_hovering_shows_its_figures(open_page, large):
    p = open_large(open_page, large)
    page = p.page
    assert p.errors == [] and p.violations() == []
    # The areas and every line on one canvas, with no SVG path per area.
    assert page.locator("#map .leaflet-overlay-pane canvas").count() == 1
    assert page.locator("#map canvas").count() == 1
    assert page.locator("#map path:is(.area, .parent, .ward-lines, .borough-lines)").count() == 0
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'})")
    box = page.locator("#map").bounding_box()
    names = set()
    points = [
        (fx, fy)
        for fx, fy in ((0.5, 0.5), (0.35, 0.45), (0.6, 0.7), (0.3, 0.3), (0.45, 0.35), (0.55, 0.6))
        # Points inside the force area, not under a reporting centre's marker.
        if page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.tagName",
            [box["x"] + box["width"] * fx, box["y"] + box["height"] * fy],
        )
        == "CANVAS"
    ][:4]
    assert len(points) == 4
    for fx, fy in points:
        tip = page.locator(".leaflet-tooltip")
        page.mouse.move(5, 5)  # off the map: the last tooltip closes
        tip.wait_for(state="detached")
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        tip.wait_for()
        assert re.fullmatch(r"Area \d{4,5}", tip.locator("strong").inner_text())
        labels = tip.locator("dt").all_inner_texts()
        assert labels[:3] == ["NPU", "Victims", "By sex"]
        names.add(tip.locator("strong").inner_text())
    assert len(names) == 4, "each place is its own area"
    # The canvas is painted: the map holds many colours, not a blank box.
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "large-map.png"
    page.locator("#map").screenshot(path=str(shot))
    from PIL import Image

    colours = Image.open(shot).convert("RGB").getcolors(1 << 20)
    assert len(colours) > 20


def test_the_table_shows_a_page_at_a_time_with_search(open_page, large, axe_source):  # noqa: F811
    _, areas = large
    p = open_large(open_page, large)
    page = p.page
    rows = page.locator("#area-table tbody tr")
    status = page.locator("#table-status")
    assert rows.count() == 50
    assert status.inner_text() == f"Showing 1 to 50 of {areas:,}."
    first = rows.first.locator("th").inner_text()
    page.get_by_role("button", name="Next 50").click()
    assert status.inner_text() == f"Showing 51 to 100 of {areas:,}."
    assert rows.first.locator("th").inner_text() != first
    page.get_by_role("button", name="Previous 50").click()
    assert page.get_by_role("button", name="Previous 50").is_disabled()

    page.get_by_label("Find policing area by name").fill("area 0042")  # every word, any case
    expected = [f"Area {i:04d}" for i in range(areas) if "0042" in f"{i:04d}"]  # as named
    assert rows.locator("th").all_inner_texts() == expected
    n = len(expected)
    assert status.inner_text() == f"Showing 1 to {n} of {n} matching (of {areas:,})."
    row = rows.nth(expected.index("Area 0042"))
    cells = row.locator("td").all_inner_texts()[:-1]
    row.get_by_role("button", name="Show on map: Area 0042").click()
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    assert tip.locator("strong").inner_text() == "Area 0042"
    assert tip.locator("dd").all_inner_texts() == cells, "the table and the map agree"
    assert "Area 0042" in page.locator("#announce").inner_text()
    assert axe(page, axe_source) == []

    page.get_by_label("Find policing area by name").fill("no such place")
    assert rows.count() == 0
    assert status.inner_text().startswith("No name matches.")


def test_on_a_phone_the_large_table_is_cards_and_nothing_scrolls_sideways(open_page, large):
    p = open_large(open_page, large, width=320)
    page = p.page
    assert page.locator("#area-table tbody tr").count() == 50
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320
    p.shot("large-map-320.png")


def test_the_canvas_switches_views_with_its_hatching(open_page, large):
    from PIL import Image, ImageChops

    p = open_large(open_page, large)
    page = p.page
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {}
    for view in ("count", "rate", "parent", "count"):
        page.check(f'input[name="view"][value="{view}"]')
        page.wait_for_timeout(300)  # the canvas repaints on the next frame
        path = ARTIFACTS / f"large-map-{view}.png"
        page.locator("#map").screenshot(path=str(path))
        shots.setdefault(view, []).append(Image.open(path).convert("RGB"))
    assert p.errors == []
    count, rate, parent = shots["count"][0], shots["rate"][0], shots["parent"][0]
    assert ImageChops.difference(count, rate).getbbox(), "the rate view looks the same"
    assert ImageChops.difference(count, parent).getbbox(), "the NPU view looks the same"
    # Most areas have too few victims for a rate: the rate view is mostly grey hatching
    # (the stripes, seen through the fill's opacity), the count view mostly not.

    def mid_greys(image) -> int:
        return sum(
            n for n, (r, g, b) in image.getcolors(1 << 20) if r == g == b and 110 <= r <= 150
        )

    assert mid_greys(rate) > 2 * mid_greys(count)
    # Back to counts, the same picture as at first.
    assert not ImageChops.difference(count, shots["count"][1]).getbbox()


# The canvas's own pixels (no tooltip or control over them): how many are the selected
# outline's black.
BLACK_PIXELS = """() => {
  const c = document.querySelector('#map canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] === 0 && d[i + 3] > 200) n++;
  return n;
}"""


def show_on_map(page, name: str) -> None:
    page.get_by_label("Find policing area by name").fill(name.lower())
    page.get_by_role("button", name=f"Show on map: {name}", exact=True).click()
    page.locator(".leaflet-tooltip").wait_for()


def test_an_area_shown_from_the_table_is_outlined_and_the_canvas_follows_the_zoom(open_page, large):
    p = open_large(open_page, large)
    page = p.page
    whole = page.evaluate(BLACK_PIXELS)
    show_on_map(page, "Area 0042")
    page.wait_for_timeout(300)  # the zoom's repaint
    assert page.locator(".leaflet-tooltip strong").inner_text() == "Area 0042"
    selected = page.evaluate(BLACK_PIXELS)
    page.keyboard.press("Escape")  # unselects, leaving the view where it is
    page.wait_for_timeout(300)
    plain = page.evaluate(BLACK_PIXELS)
    assert selected > plain + 200, "the area shown is outlined heavier than its neighbours"
    assert plain != whole, "zoomed in, the canvas is painted again at the new scale"
    # Zoomed in, the pointer still finds the area under it: at the middle of the map,
    # where the area shown was centred.
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".leaflet-tooltip").wait_for()
    assert page.locator(".leaflet-tooltip strong").inner_text() == "Area 0042"
    assert p.errors == []


def test_the_parent_view_answers_the_pointer_with_the_parent_s_figures(open_page, large):
    p = open_large(open_page, large)
    page = p.page
    page.check('input[name="view"][value="parent"]')
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'})")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    parents = page.locator("#parent-table tbody th").all_inner_texts()
    assert tip.locator("strong").inner_text() in parents
    assert p.errors == []


def test_a_tap_on_a_phone_opens_the_area_s_figures_under_the_map(browser, large):
    maps, _ = large
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto((maps / "map-2020.html").as_uri())
    page.wait_for_selector("html[data-map-drawn]", timeout=30000)
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45)
    panel = page.locator("#area-panel")
    panel.wait_for()
    assert re.fullmatch(r"Area \d{4,5}", panel.locator("strong").inner_text())
    assert page.locator(".leaflet-tooltip").count() == 0, "on a phone, no tooltip"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


# Of the canvas's painted pixels, the share dark enough to be a line rather than a fill.
LINE_SHARE = """() => {
  const c = document.querySelector('#map canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0, dark = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] < 200) continue;
    painted++;
    if (d[i] + d[i + 1] + d[i + 2] < 200) dark++;
  }
  return dark / painted;
}"""


def test_at_the_whole_extent_on_a_phone_the_lines_thin_so_the_fills_show(open_page, large):
    p = open_large(open_page, large, width=390)
    # At full weight the grid's edges and its boroughs' lines are about 12% of what is
    # painted here, and the fills of the smallest areas are lost among them.
    share = p.page.evaluate(LINE_SHARE)
    assert share < 0.08, f"{share:.0%} of the whole map is lines"
    assert p.errors == []
