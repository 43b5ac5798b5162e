"""The map pages in a real headless Chromium, driven by Playwright.

Screenshots of each page go to ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.conftest import ARTIFACTS, ROOT, build_to, council_site


def spread_centres(page) -> None:
    """Zoom in through the numbered markers, from the keyboard, until each centre stands alone."""
    for _ in range(4):
        if not page.locator(".centre-group").count():
            return
        page.locator(".centre-group").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
    assert page.locator(".centre-group").count() == 0, "the numbered marker did not zoom in"


def tooltip_rows(page) -> tuple[str, list[str]]:
    tip = page.locator(".leaflet-tooltip").last
    return tip.locator("strong").inner_text(), tip.locator("dd").all_inner_texts()


@pytest.mark.parametrize("year", [2019, 2020])
def test_offline_page_loads_cleanly_and_requests_nothing(open_page, maps_offline, year):
    url = (maps_offline / f"map-{year}.html").as_uri()
    p = open_page(url)
    assert p.errors == []
    assert p.violations() == []
    assert p.requests == [url], "a page built with --tiles none requests nothing"
    assert p.page.locator("#map path.leaflet-interactive").count() == 25
    p.page.check('input[value="parent"]')
    assert p.page.locator("#map path.leaflet-interactive").count() == 8
    p.page.check('input[value="count"]')
    p.shot(f"map-{year}-offline.png")


def test_hovering_an_area_shows_its_name_and_figures(open_page, maps_offline):
    p = open_page((maps_offline / "map-2020.html").as_uri())
    p.page.locator("path.area-birmingham-city-centre").hover()
    name, values = tooltip_rows(p.page)
    assert name == "Birmingham City Centre"
    assert "24" in values and "female 4, male 19, not recorded 1" in values
    assert any(v.startswith("79.1 (95% CI 50.7 to 117.7); a poor guide") for v in values)
    p.shot("map-2020-hover.png")


def test_data_table_matches_every_tooltip(open_page, maps_offline):
    p = open_page((maps_offline / "map-2020.html").as_uri())
    rows = p.page.locator("#area-table tbody tr")
    assert rows.count() == 25
    for i in range(rows.count()):
        row = rows.nth(i)
        name = row.locator("th").inner_text()
        cells = row.locator("td").all_inner_texts()[:-1]  # all but "Show on map"
        row.locator("button.show").click()
        tip_name, tip_values = tooltip_rows(p.page)
        assert (tip_name, tip_values) == (name, cells)
    assert p.page.locator("#announce").inner_text().startswith("Yardley: NPU Birmingham East")


def test_legend_markers_and_keyboard(open_page, maps_offline):
    p = open_page((maps_offline / "map-2020.html").as_uri())
    page = p.page
    assert page.locator(".legend-view:not([hidden]) li").count() == 5
    # At the first zoom the centres overlap: one numbered marker stands for them and zooms in.
    group = page.locator(".centre-group")
    assert group.get_attribute("aria-label") == (
        "5 reporting places close together: zoom in to them"
    )
    spread_centres(page)
    markers = page.locator(".leaflet-marker-icon.centre-marker")
    labels = [markers.nth(i).get_attribute("aria-label") for i in range(markers.count())]
    assert len(labels) == 5 and len(set(labels)) == 5
    assert (
        "Third-party reporting centre: The Refugee and Migrant Centre, approximate location"
        in labels
    )
    assert all(markers.nth(i).get_attribute("tabindex") == "0" for i in range(5))
    markers.first.focus()
    page.keyboard.press("Enter")
    # The popup is the focused marker's own.
    name = page.evaluate(
        "label => JSON.parse(document.getElementById('map-data').textContent).centres"
        ".find(c => c.label === label).name",
        markers.first.get_attribute("aria-label"),
    )
    assert page.locator(".leaflet-popup-content").inner_text().startswith(name)
    # The view can be changed from the keyboard, and the legend follows.
    page.focus('input[value="count"]')
    page.keyboard.press("ArrowRight")
    assert page.locator('input[value="rate"]').is_checked()
    visible = page.locator(".legend-view:not([hidden])")
    assert visible.get_attribute("data-view") == "rate"
    assert "no rate: fewer than 3 victims" in visible.inner_text()
    # Every control is reachable with Tab.
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.add(
            page.evaluate(
                "document.activeElement.getAttribute('class') || document.activeElement.tagName"
            )
        )
    assert any("leaflet-control-zoom-in" in s for s in seen)
    assert any("leaflet-marker-icon" in s for s in seen)


def test_default_page_requests_only_basemap_tiles(open_page):
    url = (ROOT / "maps" / "map-2020.html").as_uri()
    p = open_page(url, route_tiles=True)
    hosts = {
        re.sub(r"^https://[a-d]\.", "https://", r).split("/")[2] for r in p.requests if r != url
    }
    assert hosts == {"basemaps.cartocdn.com"}
    assert p.errors == [] and p.violations() == []
    p.shot("map-2020-default.png")


def test_markup_in_a_centre_name_is_shown_as_text_and_runs_nothing(open_page, tmp_path):
    evil = "<img src=x onerror=window.__xss=1>"
    centres = tmp_path / "centres.csv"
    centres.write_text(
        (ROOT / "data" / "reporting_centres.csv")
        .read_text(encoding="utf-8")
        .replace("Zebra Access", evil),
        encoding="utf-8",
    )
    maps = build_to(tmp_path / "maps", "--tiles", "none", "--pages-only", centres=centres)
    p = open_page((maps / "map-2020.html").as_uri())
    page = p.page
    spread_centres(page)
    marker = page.locator(
        f'.leaflet-marker-icon[aria-label="Third-party reporting centre: {evil}, '
        'approximate location"]'
    )
    marker.focus()  # it may lie outside the zoomed-in view: open it from the keyboard
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content strong").inner_text() == evil
    assert evil in page.locator(".routes").inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    assert p.errors == [] and p.violations() == []


def test_embedded_in_a_host_page_the_frame_follows_its_content(
    open_page, browser, maps_offline, serve, tmp_path
):
    host = council_site(maps_offline, tmp_path / "site")
    base = serve(host)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(base + "host.html")
    frame_el = page.locator("iframe.hatecrime-map")
    assert frame_el.get_attribute("title").startswith("Map: Hate crimes")
    frame = page.frame_locator("iframe.hatecrime-map")
    frame.locator("html[data-map-ready]").wait_for()
    inner = page.frames[1].evaluate("document.documentElement.scrollHeight")
    page.wait_for_function(f"Math.abs(document.querySelector('iframe').clientHeight - {inner}) < 2")
    assert inner > 1500  # the whole page, tables included, not a 900 px window onto it
    assert frame.locator("#map path.leaflet-interactive").count() == 25
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embedded.png"))
    context.close()


def test_renders_under_the_strict_policy_sent_as_a_header(open_page, maps_offline, serve):
    index = (ROOT / "maps" / "index.html").read_text(encoding="utf-8")
    csp = html_lib.unescape(re.search(r"Content-Security-Policy: (.*?)</code>", index)[1])
    assert "'unsafe-inline'" not in csp and "default-src 'none'" in csp
    base = serve(ROOT / "maps", csp=csp)
    p = open_page(base + "map-2020.html", route_tiles=True)
    assert p.violations() == [] and p.errors == []
    assert p.page.locator("#map path.leaflet-interactive").count() == 25


def test_narrow_screen(open_page, maps_offline):
    p = open_page((maps_offline / "map-2020.html").as_uri(), width=380)
    assert p.page.evaluate("document.documentElement.scrollWidth") <= 380
    p.shot("map-2020-narrow.png")


def test_report_page_loads_cleanly_and_shows_markup_as_text(open_page, tmp_path):
    evil = "<script>window.__xss=1</script>THREATS"
    foi = tmp_path / "foi"
    foi.mkdir()
    text = (ROOT / "data" / "foi" / "1186A-20" / "response.txt").read_text(encoding="utf-8")
    (foi / "response.txt").write_text(text.replace("THREATS TO KILL", evil), encoding="utf-8")
    (foi / "metadata.json").write_bytes(
        (ROOT / "data" / "foi" / "1186A-20" / "metadata.json").read_bytes()
    )
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "outcome_types.csv").write_bytes(
        (ROOT / "data" / "reference" / "outcome_types.csv").read_bytes()
    )
    groups = (ROOT / "data" / "reference" / "offence_groups.csv").read_text(encoding="utf-8")
    (ref / "offence_groups.csv").write_text(
        groups.replace("THREATS TO KILL", f'"{evil}"'), encoding="utf-8"
    )
    maps = build_to(
        tmp_path / "maps",
        "--tiles",
        "none",
        "--foi",
        str(foi / "response.txt"),
        "--groupings",
        str(ref),
    )
    url = (maps / "report.html").as_uri()
    p = open_page(url, ready=False)
    assert p.errors == [] and p.violations() == []
    assert p.requests == [url]
    assert p.page.locator("img.chart-image").count() == 4
    assert all(
        p.page.locator("img.chart-image").nth(i).evaluate("e => e.naturalWidth > 0")
        for i in range(4)
    )
    assert p.page.evaluate("window.__xss") is None
    assert "<script>" not in (maps / "report.html").read_text(encoding="utf-8").split("<main>")[1]
    p.shot("report.png")
