"""Community safety partnership tables from anywhere in England and Wales (2024).

A partnership is a union of whole councils: of May 2024, or of 2019 or 2021
where partnerships divide a council of 2024 (Buckinghamshire's four), or of the
approximate 2018 councils (Bournemouth, Poole, Dorset, Suffolk Coastal,
Waveney), which are approximate too. Each build is opened in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.io import defaults
from tests.outputs.test_accessibility import axe, axe_source  # noqa: F401
from tests.pagedata import page_data
from tests.test_uk_builds import _table_column, build_counts, download_rows, run, write_csv

UK = Boundaries(defaults.UK_BOUNDARIES)
PARTNERSHIPS = UK.catalogue.units["csp"]
COUNCILS = UK.catalogue.units["council"].set_index("area")
PERIOD_2021 = ("--period", "2021=2021-04-01..2022-03-31")
THAMES_VALLEY = [
    ["Aylesbury Vale", 40],
    ["Wycombe", 55],
    ["Chiltern", 3],
    ["Milton Keynes", 120],
    ["Oxford", 90],
]


def partnerships_of(force: str) -> list[str]:
    return sorted(PARTNERSHIPS.loc[PARTNERSHIPS["parent"] == force, "area"])


@pytest.fixture(scope="module")
def thames_valley(tmp_path_factory) -> Path:
    """Five Thames Valley partnerships by name, three of them Buckinghamshire's, one small."""
    folder = tmp_path_factory.mktemp("thames-valley")
    table = write_csv(folder / "csp.csv", [["CSP", "Crimes"], *THAMES_VALLEY])
    return build_counts(
        table,
        folder / "maps",
        "--force",
        "Thames Valley Police",
        *PERIOD_2021,
        "--suppress-below",
        "5",
    )


def test_every_partnership_is_a_union_of_whole_councils_and_they_nest_in_forces():
    assert len(PARTNERSHIPS) == 314 and PARTNERSHIPS["area_id"].is_unique
    by_name = PARTNERSHIPS.set_index("area")
    assert by_name.loc["Aylesbury Vale", "council_vintage"] == "December 2019"
    assert by_name.loc["Allerdale", "council_vintage"] == "December 2021"
    assert by_name.loc["Dartford and Gravesham", "council_names"] == "Dartford; Gravesham"
    approximate = sorted(by_name.index[by_name["confidence"] == "approximate"])
    assert approximate == ["Bournemouth", "Dorset", "Poole", "Suffolk Coastal", "Waveney"]
    # A partnership of whole councils has their population, and holds from its newest council.
    both = COUNCILS.loc[["Dartford", "Gravesham"], "pop_mid2020"].sum()
    assert int(by_name.loc["Dartford and Gravesham", "pop_mid2020"]) == int(both)
    assert by_name.loc["North Yorkshire", "valid_from"] == "2023-04-01"
    # The partnerships of each force tile it.
    folder = defaults.UK_BOUNDARIES
    csps = gpd.read_file(folder / "csps.geojson").dissolve("force").area
    forces = gpd.read_file(folder / "forces.geojson").set_index("force").area
    england_and_wales = forces.drop(["Police Scotland", "Police Service of Northern Ireland"])
    assert sorted(csps.index) == sorted(england_and_wales.index)
    for force, area in england_and_wales.items():
        assert csps[force] == pytest.approx(area, rel=1e-6), force


def test_a_partnership_table_is_drawn_on_its_forces_area(open_page, thames_valley, axe_source):  # noqa: F811
    html = (thames_valley / "map-2021.html").read_text(encoding="utf-8")
    data = page_data(html)
    ours = partnerships_of("Thames Valley")
    assert sorted(data["areas"]["names"]) == ours and len(ours) == 16
    p = open_page((thames_valley / "map-2021.html").as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    for view in ("count", "rate", "parent"):
        page.check(f'input[name="view"][value="{view}"]')
        assert axe(page, axe_source) == [], view
    page.check('input[name="view"][value="count"]')
    assert page.locator("#map path.leaflet-interactive").count() == 16
    fills = page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == 11  # all but the five given
    heading = page.locator("h1").inner_text()
    assert heading.startswith(
        "Crimes, 2021/22: Thames Valley Police figures by community safety partnership"
    )
    (south, west), (north, east) = data["bounds"]
    assert 51.2 < south < north < 52.3 and -1.8 < west < east < -0.4
    page.check('input[name="view"][value="rate"]')
    wycombe = page.locator("#area-table tbody tr", has_text="Wycombe").first.inner_text()
    assert "mid-2020" in wycombe and "(95% CI" in wycombe
    assert _table_column(page, "Crimes")["Chiltern"] == "fewer than 5"
    page.check('input[value="parent"]')
    assert page.locator("#map path.leaflet-interactive").count() == 1
    assert "Contains OS data \u00a9 Crown copyright" in html
    p.shot("uk-thames-valley-partnerships.png")
    phone = open_page((thames_valley / "map-2021.html").as_uri(), width=320)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 320
    rows = download_rows(thames_valley, "csps", "csp")
    assert len(rows) == 16 and rows["Wycombe"]["victims"] == "55"
    assert rows["Chiltern"]["victims"] == "" and rows["Aylesbury Vale"]["council_vintage"] == (
        "December 2019"
    )


def test_partnerships_given_by_code_need_no_header_word(tmp_path):
    codes = sorted(PARTNERSHIPS.loc[PARTNERSHIPS["parent"] == "Cumbria", "area_id"])
    table = write_csv(tmp_path / "c.csv", [["area", "crimes"], *[[c, 7] for c in codes]])
    result = run("check", str(table), *PERIOD_2021)
    assert result.returncode == 0, result.stderr
    assert "level: community safety partnerships" in result.stdout
    assert f"{codes[0]!r} -> 'Allerdale'" in result.stdout


def test_names_of_councils_and_partnerships_alike_are_read_as_councils(tmp_path):
    # Ipswich is a council and a partnership of one shape; Dorset a council and a partnership
    # no boundary is held for. Without a header saying "CSP" the table is of councils.
    table = write_csv(tmp_path / "c.csv", [["area", "crimes"], ["Ipswich", 7], ["Dorset", 3]])
    result = run("check", str(table), *PERIOD_2021)
    assert result.returncode == 0, result.stderr
    assert "level: councils" in result.stdout


def test_a_council_is_not_taken_for_the_partnership_it_is_in(tmp_path):
    # Babergh's partnership is Western Suffolk.
    table = write_csv(tmp_path / "t.csv", [["CSP", "crimes"], ["Ipswich", 4], ["Babergh", 4]])
    out = tmp_path / "maps"
    result = run("build", "--counts", str(table), *PERIOD_2021, "--out", str(out))
    assert result.returncode == 2
    assert (
        "t.csv:3: area 'Babergh' matches no area of the community safety partnerships "
        "(nearest: 'Babergh (council)'"
    ) in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_an_approximate_partnership_says_so_where_it_is_shown(tmp_path):
    table = write_csv(tmp_path / "s.csv", [["CSP", "crimes"], ["Waveney", 14], ["Ipswich", 30]])
    out = build_counts(table, tmp_path / "maps", *PERIOD_2021)
    html = (out / "map-2021.html").read_text(encoding="utf-8")
    data = page_data(html)
    assert sorted(data["areas"]["names"]) == partnerships_of("Suffolk")
    assert "Boundary approximate: a council merged in April 2019" in html
    assert "the area's wards are known to match" not in html  # the West Midlands' meaning
    rows = download_rows(out, "csps", "csp")
    assert rows["Waveney"]["council_vintage"] == "April 2018 (approximate)"
    assert rows["Ipswich"]["council_vintage"] == "May 2024"
