"""Years as one story: a map page switches year in place and compares any two years.

The default build (two years, radio buttons) and a six-year ward table of our own
(a select, with a choice of the two years compared), each in Chromium with axe in
every year and change state, by keyboard and on phones.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hatecrime_maps import model
from hatecrime_maps.analysis.change import CHANGE_MEANINGS
from hatecrime_maps.outputs import presentation
from tests.conftest import build_to
from tests.outputs.test_accessibility import accessible_name, axe, axe_source  # noqa: F401

YEARS = list(range(2015, 2021))
SIX_YEARS = {
    # ward: one count per year, 2015 to 2020
    "Aston": [4, 8, 12, 9, 11, 19],
    "Ladywood": [6, 8, 10, 6, 10, 7],
    "Nechells": [0, 1, 1, 0, 0, 0],
    "Bordesley & Highgate": [9, 6, 12, 10, 6, 7],
    "Soho & Jewellery Quarter": [13, 12, 8, 12, 12, 11],
    "Sparkhill": [0, 0, 2, 4, 0, 0],
    "Lozells": [5, 8, 4, 8, 6, 8],
    "Handsworth": [9, 8, 12, 12, 13, 9],
}


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def six_years(tmp_path_factory) -> Path:
    """A ward table with one column per year, 2015 to 2020, built with no basemap."""
    folder = tmp_path_factory.mktemp("six-years")
    table = folder / "wards.csv"
    table.write_text(
        "Ward," + ",".join(map(str, YEARS)) + "\n"
        + "".join(f'"{w}",' + ",".join(map(str, n)) + "\n" for w, n in SIX_YEARS.items()),
        encoding="utf-8",
    )  # fmt: skip
    periods = [f for y in YEARS for f in ("--period", f"{y}={y}-01-01..{y}-12-31")]
    return build_to(
        folder / "maps", "--counts", str(table), "--tiles", "none", "--structure", "wards-2019",
        *periods,
    )  # fmt: skip


def _fill(page, area_id: str) -> str | None:
    return page.locator(f"path.area-{area_id}").get_attribute("fill")


def _cell(page, name: str, label: str) -> str:
    header = page.locator("#area-table thead th").all_inner_texts()
    header_cell = page.get_by_role("rowheader", name=name, exact=True)
    row = page.locator("#area-table tbody tr", has=header_cell)
    return row.locator("th, td").nth(header.index(label)).inner_text()


def test_the_year_control_switches_the_page_in_place(open_page, maps_offline, serve):
    areas = {(r["year"], r["area"]): r for r in _rows(maps_offline / "downloads" / "areas.csv")}
    base = serve(maps_offline)
    p = open_page(base + "map-2020.html")
    page = p.page
    assert page.locator('input[name="year"]:checked').get_attribute("value") == "2020"
    # Keyboard: arrows move within the radio group, as in any other.
    page.locator('input[name="year"][value="2020"]').focus()
    page.keyboard.press("ArrowLeft")
    assert page.locator('input[name="year"]:checked').get_attribute("value") == "2019"
    assert "2019" in page.locator("h1").inner_text() and "2019" in page.title()
    assert page.locator("#period").inner_text() == "1 January to 31 December 2019"
    assert page.locator("#announce").inner_text() == "Showing 2019."
    assert page.url.endswith("/map-2019.html"), "the address names the year shown"
    city = areas[("2019", "Birmingham City Centre")]
    assert _cell(page, "Birmingham City Centre", "Victims") == city["victims"]
    assert page.locator("#area-table tfoot td").nth(1).inner_text() == "22"
    fill = presentation.fill_of(model.count_class(int(city["victims"]), "", model.Scale()))
    assert _fill(page, "birmingham-city-centre") == fill
    page.locator("path.area-birmingham-city-centre").hover()
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    assert "mid-2019" in tip.inner_text()
    # The rate view follows the year too; and the NPU table.
    page.check('input[name="view"][value="rate"]')
    rate = presentation.fill_of(
        model.rate_class(float(city["rate_per_100k"] or "nan"), city["rate_status"], model.Scale())
    )
    assert _fill(page, "birmingham-city-centre") == rate
    npus = {(r["year"], r["npu"]): r for r in _rows(maps_offline / "downloads" / "npus.csv")}
    west = page.locator("#parent-table tbody tr", has_text="Birmingham West")
    assert west.locator("td").nth(1).inner_text() == npus[("2019", "Birmingham West")]["victims"]
    assert p.errors == [] and p.violations() == []
    # Reloaded, the page opens at the year its address names; each year's file at its own.
    page.reload()
    page.wait_for_selector("html[data-map-ready]")
    assert page.locator('input[name="year"]:checked').get_attribute("value") == "2019"
    assert _cell(page, "Birmingham City Centre", "Victims") == city["victims"]


def test_a_six_year_table_has_a_year_select_and_compares_any_two_years(
    open_page,
    six_years,
    axe_source,  # noqa: F811
):
    change = _rows(six_years / "downloads" / "change.csv")
    p = open_page((six_years / "map-2020.html").as_uri())
    page = p.page
    assert page.locator('input[name="year"]').count() == 0
    year = page.get_by_label("Year shown")
    assert year.evaluate("e => e.tagName") == "SELECT" and year.input_value() == "2020"
    assert page.locator('select[name="year"] option').all_inner_texts() == list(map(str, YEARS))
    scale = model.scale_for([n for counts in SIX_YEARS.values() for n in counts], [])
    for y, shown in zip(YEARS, zip(*SIX_YEARS.values(), strict=True), strict=True):
        year.select_option(str(y))
        assert str(y) in page.locator("h1").inner_text()
        assert _cell(page, "Aston", "Count") == str(shown[0])
        fill = presentation.fill_of(model.count_class(shown[0], "", scale))
        assert _fill(page, page_id(page, "Aston")) == fill
        assert axe(page, axe_source) == [], y
    # Any two years: the change view, the table and the labels follow the choice.
    page.select_option('select[name="from"]', "2015")
    assert page.locator('select[name="to"]').input_value() == "2020"
    label = page.locator('.view-label[data-view="change"]')
    assert label.inner_text() == "Change from 2015 to 2020"
    totals = [sum(n[i] for n in SIX_YEARS.values()) for i in (0, 5)]
    summary = page.locator("#change-summary").inner_text()
    assert summary.startswith(f"From {totals[0]} cases in 2015 to {totals[1]} in 2020: ")
    page.check('input[name="view"][value="change"]')
    legend = page.locator(".legend-view:not([hidden]) .legend-title")
    assert legend.inner_text() == "Change from 2015 to 2020"
    said = _cell(page, "Aston", "Change")
    assert said.startswith("4 in 2015, 19 in 2020: ")
    rows = {
        r["area"]: r for r in change if (r["earlier_year"], r["later_year"]) == ("2015", "2020")
    }
    assert said.endswith(CHANGE_MEANINGS[rows["Aston"]["change"]])
    fills = {**presentation.CHANGE_FILLS, "too_few": "url(#hatch-no_rate)"}
    for ward in SIX_YEARS:
        assert _fill(page, page_id(page, ward)) == fills[rows[ward]["change"]], ward
    assert axe(page, axe_source) == [], "change 2015 to 2020"
    # A "to" before "from" moves "from" back: the two stay in order.
    page.select_option('select[name="from"]', "2018")
    page.select_option('select[name="to"]', "2016")
    assert page.locator('select[name="from"]').input_value() == "2015"
    assert label.inner_text() == "Change from 2015 to 2016"
    assert _cell(page, "Aston", "Change").startswith("4 in 2015, 8 in 2016: ")
    page.check('input[name="view"][value="parent_change"]')
    assert axe(page, axe_source) == [], "change by borough"
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(200)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe(page, axe_source) == [], width
    p.shot("six-years-320.png")
    assert p.errors == [] and p.violations() == []


def page_id(page, name: str) -> str:
    """The page's id of the area named ``name`` (its table row's)."""
    header_cell = page.get_by_role("rowheader", name=name, exact=True)
    row = page.locator("#area-table tbody tr", has=header_cell)
    return row.get_attribute("data-id")


def test_the_six_year_page_by_keyboard_and_by_touch(browser, six_years):
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto((six_years / "map-2018.html").as_uri())
    page.wait_for_selector("html[data-map-ready]")
    assert page.get_by_label("Year shown").input_value() == "2018", "opens at its year"
    stops, unnamed = [], []
    for _ in range(12):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
        if not accessible_name(page):
            unnamed.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert unnamed == []
    assert stops.index("year") < stops.index("from") < stops.index("to") < stops.index("view")
    # The keyboard picks a year from the select, and the page follows.
    page.get_by_label("Year shown").focus()
    page.keyboard.press("ArrowDown")
    assert "2019" in page.locator("h1").inner_text()
    # A tap on an area opens its figures in the panel, in the year shown.
    page.locator(f"path.area-{page_id(page, 'Aston')}").tap()
    panel = page.locator("#area-panel")
    panel.wait_for()
    text = " ".join(panel.inner_text().split())
    assert "Aston" in text and "Count 11 " in text  # Aston's 2019 count
    assert "11 in 2019, 19 in 2020" in text  # the change compared: the last two years
    context.close()


def test_the_report_draws_the_trend_and_every_year_side_by_side(six_years):
    html = (six_years / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="chart" aria-labelledby="trend-heading">(.*?)</section>',
                        html, re.S)[1]  # fmt: skip
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td>[^<]*</td><td>(\d+)</td>', section)
    totals = [sum(n[i] for n in SIX_YEARS.values()) for i in range(len(YEARS))]
    assert rows == [(str(y), str(t)) for y, t in zip(YEARS, totals, strict=True)]
    alt = re.search(r'<img src="data:image/svg\+xml;base64,[^"]*" alt="([^"]*)"', section)[1]
    assert all(f"{y}: " in alt for y in YEARS) and "95% intervals" in alt
    assert (six_years / "charts" / "trend.svg").exists()
    for stem in ("years", "change-2019-2020"):
        assert f'href="print/{stem}.png"' in html
        assert (six_years / "print" / f"{stem}.png").stat().st_size > 10_000
