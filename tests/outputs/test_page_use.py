"""The pages as people meet them: a tap on a phone, a popup, the keyboard, an embed under a
council's policy, paper and QGIS, checked in Chromium (and QGIS) as a person would.

Screenshots of each state go to ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
from pathlib import Path
from shutil import which

import pytest

from hatecrime_maps.outputs import pages
from tests.conftest import (
    ARTIFACTS,
    ROOT,
    SYSTEM_PYTHON,
    WATCH,
    build_to,
    council_site,
    embed_snippets,
    need,
    qgis_available,
)

PHONES = [(390, 844), (320, 640)]


def phone(browser, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
    )
    return context, context.new_page()


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-map-ready]")


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1
            && r.right <= innerWidth + 1; }""",
        selector,
    )


def tap(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_a_tap_on_a_phone_shows_the_area_s_figures_on_screen_and_marks_it(
    browser, maps_offline, width, height
):
    context, page = phone(browser, width, height)
    ready(page, (maps_offline / "map-2020.html").as_uri())
    page.locator("#map").scroll_into_view_if_needed()
    area = "path.area-birmingham-city-centre"
    tap(page, area)
    panel = page.locator("#area-panel")
    panel.wait_for()
    page.wait_for_timeout(300)
    assert "Birmingham City Centre" in panel.locator("strong").inner_text()
    assert in_viewport(page, "#area-panel"), panel.bounding_box()
    assert in_viewport(page, area), "the tapped area is on screen with its figures"
    assert page.locator(f"{area}.selected").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"phone-tap-{width}.png"))
    # Another tap moves the mark; Close takes it and the panel away.
    tap(page, "path.area-dudley-east")
    page.wait_for_timeout(300)
    assert page.locator("path.selected").count() == 1
    assert page.locator("path.area-dudley-east.selected").count() == 1
    page.locator("#area-panel button.close").click()
    assert page.locator("path.selected").count() == 0 and not panel.is_visible()
    context.close()


def test_on_a_phone_a_mouse_sweep_leaves_the_panel_alone_and_one_region_speaks(
    browser, maps_offline
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    ready(page, (maps_offline / "map-2020.html").as_uri())
    for area in ("yardley", "solihull", "erdington"):
        page.locator(f"path.area-{area}").dispatch_event("mouseover")
    assert not page.locator("#area-panel").is_visible()
    assert page.locator(".leaflet-tooltip").count() == 0
    page.locator("path.area-yardley").dispatch_event("click")
    assert page.locator("#area-panel").is_visible()
    live = page.eval_on_selector_all("[aria-live]", "els => els.map(e => e.id)")
    assert live == ["announce"], "the figures are announced once, not by two regions"
    assert page.locator("#announce").inner_text().startswith("Yardley: ")
    context.close()


def spread_by_keyboard(page) -> str:
    """Enter on the numbered marker: what has focus after, by its accessible name."""
    page.locator(".centre-group").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('centre-marker')")
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_every_reporting_place_s_popup_is_whole_and_readable(browser, maps_offline, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    ready(page, (maps_offline / "map-2020.html").as_uri())
    spread_by_keyboard(page)
    markers = page.locator(".leaflet-marker-icon.centre-marker")
    assert markers.count() == 5
    for i in range(markers.count()):
        markers.nth(i).focus()
        page.keyboard.press(" ")  # Space opens it, as Enter does
        page.locator(".leaflet-popup").wait_for()
        page.wait_for_timeout(350)
        overflow = page.evaluate(
            """() => {
            const wrap = document.querySelector('.leaflet-popup-content-wrapper')
                .getBoundingClientRect();
            const map = document.getElementById('map').getBoundingClientRect();
            let worst = 0;
            for (const e of document.querySelectorAll('.leaflet-popup-content *, '
                    + '.leaflet-popup-close-button')) {
                const r = e.getBoundingClientRect();
                worst = Math.max(worst, r.right - wrap.right, wrap.left - r.left,
                    r.bottom - wrap.bottom, r.right - map.right, map.left - r.left,
                    r.bottom - map.bottom, map.top - r.top);
            }
            return worst;
        }"""
        )
        assert overflow <= 1, (width, i, overflow)
        if i == markers.count() - 1:
            page.locator("#map").screenshot(path=str(ARTIFACTS / f"popup-{width}.png"))
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert page.locator(".leaflet-popup").count() == 0
    context.close()


def test_the_keyboard_goes_from_the_numbered_marker_to_its_first_place(open_page, maps_offline):
    page = open_page((maps_offline / "map-2020.html").as_uri()).page
    focused = spread_by_keyboard(page)
    assert focused.startswith("Third-party reporting centre: ")
    assert page.locator(".centre-group").count() == 0, "one activation shows each place"
    said = page.locator("#announce").inner_text()
    assert said.startswith("5 reporting places shown: ") and focused in said
    page.keyboard.press(" ")
    page.locator(".leaflet-popup").wait_for()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == focused


def test_show_on_map_keeps_focus_in_view_with_a_way_back_and_a_whole_map(open_page, maps_offline):
    p = open_page((maps_offline / "map-2020.html").as_uri(), width=1280)
    page = p.page
    page.set_viewport_size({"width": 1280, "height": 800})
    whole = page.locator(".map-tools button.whole")
    assert whole.is_visible() and whole.inner_text() == "Whole map"
    extent = """() => { const r = [...document.querySelectorAll('path.area')]
        .map(p => p.getBoundingClientRect()), m = document.getElementById('map')
        .getBoundingClientRect();
        return [Math.min(...r.map(b => b.left)) - m.left, Math.min(...r.map(b => b.top)) - m.top,
                Math.max(...r.map(b => b.right)) - m.left,
                Math.max(...r.map(b => b.bottom)) - m.top]; }"""
    opened = page.evaluate(extent)
    button = page.locator('button.show[data-id="yardley"]')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    back = page.locator(".map-tools button.back")
    assert page.evaluate("document.activeElement.classList.contains('back')")
    assert back.inner_text() == "Back to the table: Yardley"
    assert in_viewport(page, ".map-tools button.back")
    assert page.locator("path.area-yardley.selected").count() == 1
    p.shot("show-on-map-1280.png")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.getAttribute('data-id')") == "yardley"
    assert in_viewport(page, 'button.show[data-id="yardley"]')
    assert not back.is_visible()
    # The whole map again: every area back in the frame it opened with.
    assert page.evaluate(extent) != opened  # zoomed in to Yardley
    whole.click()
    page.wait_for_timeout(400)
    assert all(abs(a - b) < 3 for a, b in zip(page.evaluate(extent), opened, strict=True))
    assert page.locator("path.selected").count() == 0
    # "Show on map" stays on one line.
    height = button.bounding_box()["height"]
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('button.show')).lineHeight)"
    )
    assert height < 2 * line


def test_the_parent_view_says_from_the_data_how_exact_its_boundaries_are(maps_offline):
    import csv

    html = (maps_offline / "map-2020.html").read_text(encoding="utf-8")
    with open(ROOT / "maps" / "downloads" / "npus.csv", newline="", encoding="utf-8") as fh:
        confidence = [r["confidence"] for r in csv.DictReader(fh) if r["year"] == "2020"]
    exact, approx = confidence.count("exact"), confidence.count("approximate")
    assert approx > 0  # Birmingham East and West are approximate: "exact areas" was untrue
    label = f"Victims per NPU (boundaries: {exact} exact, {approx} approximate)"
    assert f'data-view="parent">{label}</span></label>' in html
    assert "exact areas" not in html and "areas that are known" not in html
    assert f"{exact} of the {len(confidence)} with exact boundaries" in html


@pytest.fixture(scope="module")
def two_wards(tmp_path_factory) -> Path:
    """A build of a counts table with figures for two wards of one year."""
    folder = tmp_path_factory.mktemp("two-wards")
    counts = folder / "counts.csv"
    counts.write_text("ward,victims\nAston,5\nLadywood,12\n", encoding="utf-8")
    return build_to(
        folder / "maps", "--tiles", "none", "--counts", str(counts),
        "--period", "2021=2021-01-01..2021-12-31",
    )  # fmt: skip


def test_a_single_year_map_leads_to_the_landing_page_report_and_data(two_wards):
    out = two_wards
    html = (out / "map-2021.html").read_text(encoding="utf-8")
    nav = re.search(r'<p class="nav">(.*?)</p>', html)[1]
    assert '<a href="index.html">All maps, data and embedding</a>' in nav
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="report.html"' in index and 'href="downloads/README.md"' in index


def test_the_suppressed_legend_lists_only_classes_that_can_occur(default_build):
    out = default_build("--suppress-below", "5")
    html = (out / "map-2020.html").read_text(encoding="utf-8")
    legend = re.search(r'class="legend-view" data-view="count">(.*?)</div>', html, re.S)[1]
    labels = re.findall(r"</span>([^<]+)</li>", legend)
    assert labels[:3] == ["0 (not listed in the FOI)", "5 to 9", "10 and over"]
    assert not {"1", "2 to 4"} & set(labels)


def test_dashed_outlines_are_in_the_legend_only_where_they_are_drawn(open_page, maps_offline):
    page = open_page((maps_offline / "map-2020.html").as_uri()).page
    guess = page.locator(".legend-guess").last
    assert guess.is_visible() and "Dashed outline" in guess.inner_text()
    page.check('input[value="parent"]')
    assert not guess.is_visible()
    assert page.locator("path.guess-outline").count() == 0
    page.check('input[value="rate"]')
    assert guess.is_visible()


def test_no_unnamed_graphic_reaches_the_accessibility_tree(open_page, maps_offline):
    page = open_page((maps_offline / "map-2020.html").as_uri()).page
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    unnamed = [
        n
        for n in nodes
        if not n.get("ignored")
        and n.get("role", {}).get("value") in ("graphics-symbol", "image", "img")
        and not (n.get("name", {}).get("value") or "").strip()
    ]
    assert unnamed == []


# --------------------------------------------------------------------------
# What a page says


def test_the_pages_say_how_to_report_and_where_the_places_are(maps_offline):
    for name in ("map-2020.html", "index.html", "report.html"):
        html = (maps_offline / name).read_text(encoding="utf-8")
        routes = re.search(r'<section class="routes".*?</section>', html, re.S)
        assert routes, name
        text = routes[0]
        assert '<a href="tel:999">999</a>' in text, name
        assert '<a href="tel:101">101</a>' in text, name
        assert '<a href="tel:03003031977">0300 303 1977</a>' in text, name
        assert 'href="https://www.report-it.org.uk"' in text, name
        assert 'href="https://stophatewv.net/"' in text and "http://stophatewv" not in text
        assert "All the reporting places on this map are in Wolverhampton" in text, name
    html = (maps_offline / "map-2020.html").read_text(encoding="utf-8")
    assert "<dt>Hate crime surgery venue</dt><dd>A community venue that holds hate crime " in html


def test_a_city_centre_rate_says_why_it_misleads(maps_offline):
    html = (maps_offline / "map-2020.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-id="birmingham-city-centre">(.*?)</tr>', html)[1]
    assert "79.1 (95% CI 50.7 to 117.7); a poor guide: most people in a city centre" in row
    plain = re.search(r'<tr data-id="edgbaston">(.*?)</tr>', html)[1]
    assert "a poor guide" not in plain
    assert "for Birmingham City Centre, Coventry City Centre, Wolverhampton City Centre, " in html
    # The page's summary names the area by its count, not its rate.
    assert "Birmingham City Centre had the most (24)" in html


# --------------------------------------------------------------------------
# Printed


def pdf_pages(page, pdf: Path) -> list[str]:
    page.pdf(path=str(pdf), format="A4")
    count = int(
        re.search(r"Pages:\s+(\d+)", subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout)[1]
    )  # fmt: skip
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_the_printed_map_has_its_key_and_source_on_its_page(browser, maps_offline, tmp_path):
    need(
        which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)"
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    ready(page, (maps_offline / "map-2020.html").as_uri())
    pages = pdf_pages(page, tmp_path / "map.pdf")
    page.close()
    first = pages[0]
    assert "Legend" in first and "10 and over" in first and "Sources:" in first
    assert "Open Government Licence" in first and "Whole map" not in first
    table = [i for i, text in enumerate(pages) if "Sandwell North" in text]
    assert len(table) <= 2 and len(pages) <= 5, (table, len(pages))


def test_the_printed_report_fills_its_first_page(browser, maps_offline, tmp_path):
    need(which("pdftoppm") is not None, "pdftoppm is not installed (apt-get install poppler-utils)")
    from PIL import Image

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((maps_offline / "report.html").as_uri())
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("L")
    rows = [
        any(image.getpixel((x, y)) < 200 for x in range(image.width)) for y in range(image.height)
    ]
    last_ink = max(y for y, ink in enumerate(rows) if ink)
    assert last_ink > 0.6 * image.height, "the first page is left mostly blank"


# --------------------------------------------------------------------------
# Embedded under a council's policy

HOST_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src {frames}"
)


class _Site(http.server.SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self):
        if self.path.startswith("/host"):
            self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sites():
    servers = []

    def start(folder: Path, policy: str = "") -> str:
        handler = type("Site", (_Site,), {"policy": policy})
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def host_page(browser, url: str, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url)
    page.frame_locator("iframe.hatecrime-map").locator("html[data-map-ready]").wait_for()
    return context, page, errors


def assert_frame_grows_to(page, inner: int) -> None:
    """The host's frame reaches the map's own height within five seconds.

    Polled from outside: a host's strict policy forbids the page-side polling that
    ``wait_for_function`` needs.
    """
    height = 0
    for _ in range(50):
        height = page.evaluate("document.querySelector('iframe.hatecrime-map').clientHeight")
        if abs(height - inner) < 2:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the frame is {height} px high, the map {inner} px")


@pytest.mark.parametrize("origin", ["same", "cross"])
def test_a_council_page_with_a_strict_policy_embeds_the_whole_map_at_its_height(
    browser, maps_offline, tmp_path, sites, origin
):
    maps_base = sites(maps_offline) if origin == "cross" else ""
    frames = maps_base or "'self'"
    site = council_site(
        maps_offline,
        tmp_path / "site",
        src=f"{maps_base}/map-2020.html" if maps_base else "",
    )
    base = sites(site, HOST_POLICY.format(frames=frames))
    context, page, errors = host_page(browser, base + "/host.html", 1100)
    frame = page.frames[1]
    inner = frame.evaluate("document.documentElement.scrollHeight")
    assert_frame_grows_to(page, inner)
    assert inner > 1500
    assert page.evaluate("window.__violations") == [] and errors == []
    page.screenshot(path=str(ARTIFACTS / f"embed-host-{origin}.png"))
    context.close()


def test_a_host_whose_listener_starts_after_the_map_is_ready_still_gets_its_height(
    browser, maps_offline, tmp_path, sites
):
    site = council_site(maps_offline, tmp_path / "site", src=f"{sites(maps_offline)}/map-2020.html")
    host = site / "host.html"
    # The listener comes only once the map has said its height, as on a slow host page.
    host.write_text(
        host.read_text(encoding="utf-8").replace(
            '<script src="hatecrime-maps-embed.js" defer></script>', ""
        ),
        encoding="utf-8",
    )
    base = sites(site, HOST_POLICY.format(frames="*"))
    context, page, errors = host_page(browser, base + "/host.html", 1100)
    frame = page.frames[1]
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('iframe.hatecrime-map').clientHeight") == 900
    page.add_script_tag(url=base + "/hatecrime-maps-embed.js")
    inner = frame.evaluate("document.documentElement.scrollHeight")
    assert_frame_grows_to(page, inner)
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("origin", ["same", "cross"])
def test_the_compact_map_fits_a_fixed_frame_with_nothing_scrolling_inside(
    browser, maps_offline, tmp_path, sites, origin, width
):
    maps_base = sites(maps_offline) if origin == "cross" else ""
    site = council_site(
        maps_offline,
        tmp_path / "site",
        page="embed-2020.html",
        src=f"{maps_base}/embed-2020.html" if maps_base else "",
    )
    base = sites(site, HOST_POLICY.format(frames=maps_base or "'self'"))
    context, page, errors = host_page(browser, base + "/host.html", width, 1000)
    frame_height = page.evaluate("document.querySelector('iframe.hatecrime-map').clientHeight")
    assert frame_height == pages.EMBED_HEIGHT_PX
    frame = page.frames[1]
    sizes = frame.evaluate(
        "[document.documentElement.scrollHeight, innerHeight,"
        " document.documentElement.scrollWidth, innerWidth]"
    )
    assert sizes[0] <= sizes[1] + 1 and sizes[2] <= sizes[3] + 1, sizes
    inner = page.frame_locator("iframe.hatecrime-map")
    assert inner.locator("#map path.leaflet-interactive").count() == 25
    assert inner.locator("#map").bounding_box()["height"] > 200
    link = inner.locator('.nav a[href="map-2020.html"]')
    assert link.get_attribute("target") == "_blank" and "new tab" in link.inner_text()
    assert "Sources:" in inner.locator("footer").inner_text()
    assert inner.locator(".legend").is_visible()
    assert page.evaluate("window.__violations") == [] and errors == []
    page.screenshot(path=str(ARTIFACTS / f"embed-compact-{origin}-{width}.png"))
    # The view control still switches the map.
    inner.locator('select[name="view"]').select_option("rate")
    assert inner.locator('.legend-view[data-view="rate"]').is_visible()
    context.close()


def test_the_landing_page_says_what_a_host_needs(maps_offline):
    html = (maps_offline / "index.html").read_text(encoding="utf-8")
    assert "frame-src 'self'" in html and "script-src 'self'" in html
    assert f'href="{pages.EMBED_SCRIPT}"' in html
    assert (maps_offline / pages.EMBED_SCRIPT).read_text(encoding="utf-8").startswith("/*")
    assert "&lt;script src=&#34;hatecrime-maps-embed.js&#34; defer&gt;" in html
    assert "&lt;script&gt;" not in html, "no inline script for a host to paste"


def test_hostile_metadata_stays_text_in_the_snippet_and_the_landing_page(tmp_path):
    hostile = 'so-called "honour" crimes <b> & javascript:alert(1)'
    url = 'https://example.org/foi?id="1"&x=<b>'
    fields = ["--subject", hostile, "--force", f"{hostile} police", "--reference", f"{hostile} ref"]
    out = build_to(
        tmp_path / "maps", "--tiles", "none", "--pages-only", *fields, "--source-url", url
    )

    snippets = embed_snippets(out)
    assert len(snippets) == 4  # two years, each in a fixed frame and whole
    for snippet in snippets.values():
        tags = _start_tags(snippet)
        assert tags[0][0] == "iframe"
        iframe = dict(tags[0][1])
        assert set(iframe) == {"src", "title", "class", "loading", "width", "height"}
        assert hostile[1:] in iframe["title"]  # its first letter is capitalised
    # Every field reaches the landing page as text: no tag, attribute or link comes of it.
    landing = (out / "index.html").read_text(encoding="utf-8")
    tags = _start_tags(landing)
    assert "b" not in {tag for tag, _ in tags}
    links = [dict(attrs).get("href", "") for tag, attrs in tags if tag == "a"]
    assert not any(h.startswith("javascript:") for h in links)
    for _, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on"), (name, value)


def _start_tags(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(html)
    return found


# --------------------------------------------------------------------------
# In QGIS


def test_qgis_draws_no_data_cross_hatched_not_solid_grey(two_wards):
    need(
        qgis_available(),
        f"QGIS is not importable from {SYSTEM_PYTHON} (apt-get install python3-qgis)",
    )
    out = two_wards
    ARTIFACTS.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(ROOT / "tests" / "qgis_render_area.py"),
            str(out / "downloads" / "hatecrime_maps.gpkg"),
            "wards",
            "ward_name",
            "Nechells",
            str(ARTIFACTS / "qgis-no-data.png"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    colours = json.loads(result.stdout.strip().splitlines()[-1])["colours"]
    total = sum(colours.values())
    main = sorted(colours.items(), key=lambda kv: -kv[1])
    # Two colours in quantity inside the area: the hatch lines and the fill between them.
    assert len([c for c, n in main if n > 0.05 * total]) >= 2, main[:5]
    assert main[0][1] < 0.95 * total, "one solid colour"


def test_the_change_view_shows_each_area_s_change_in_colour_and_words(open_page, maps_offline):
    import csv

    from hatecrime_maps.outputs import presentation

    with open(maps_offline / "downloads" / "change.csv", encoding="utf-8", newline="") as fh:
        rows = {r["area"]: r for r in csv.DictReader(fh) if r["level"] != "npu"}
    p = open_page((maps_offline / "map-2020.html").as_uri())
    page = p.page
    page.get_by_label("Change from 2019 to 2020").check()
    legend = page.locator(".legend-view:not([hidden])")
    assert legend.locator(".legend-title").inner_text() == "Change from 2019 to 2020"
    assert legend.locator("li").all_inner_texts()[:3] == [
        "clearly higher", "no clear change", "clearly lower"
    ]  # fmt: skip
    fills = {
        "clearly_higher": presentation.CHANGE_FILLS["clearly_higher"],
        "no_clear_change": presentation.CHANGE_FILLS["no_clear_change"],
        "clearly_lower": presentation.CHANGE_FILLS["clearly_lower"],
        "too_few": "url(#hatch-no_rate)",
    }
    ids = page.eval_on_selector_all(
        "#area-table tbody tr",
        "rs => rs.map(r => [r.getAttribute('data-id'), r.cells[0].textContent])",
    )
    for area_id, name in ids:
        fill = page.locator(f"path.area-{area_id}").get_attribute("fill")
        assert fill == fills[rows[name]["change"]], name
    # The table and the tooltip say it in words, the same words.
    header = page.locator("#area-table thead th").all_inner_texts()
    col = header.index("Change")
    city = page.locator("#area-table tbody tr", has_text="Birmingham City Centre")
    said = city.locator("th, td").nth(col).inner_text()
    row = rows["Birmingham City Centre"]
    assert said.startswith(f"{row['earlier_count']} in 2019, {row['later_count']} in 2020: ")
    assert said.endswith("clearly higher")
    page.locator("path.area-birmingham-city-centre").hover()
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    assert said in tip.inner_text()
    footer = page.locator("#area-table tfoot td").all_inner_texts()
    force = rows[""]
    said = f"{force['earlier_count']} in 2019, {force['later_count']} in 2020"
    assert footer[-2].startswith(said)
    assert p.errors == [] and p.violations() == []
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    p.shot("change-view-320.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    p.shot("change-view-1280.png")
