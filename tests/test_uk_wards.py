"""Ward tables from anywhere in the UK (December 2022 wards).

Ward names repeat across the country, so a table is resolved within the force
that answered or a council (``--within``), or by codes; a name still shared is
refused with the councils that have it. Each build is opened in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.io import defaults
from tests.outputs.test_accessibility import axe, axe_source  # noqa: F401
from tests.pagedata import cell, page_data
from tests.test_uk_builds import _table_column, build_counts, download_rows, run, write_csv

UK = Boundaries(defaults.UK_BOUNDARIES)
WARDS = UK.catalogue.units["ward"]
PERIOD_2021 = ("--period", "2021=2021-04-01..2022-03-31")
KIRKLEES = [["Almondbury", 12], ["Batley East", 30], ["Dewsbury West", 25], ["Golcar", 3]]


def wards_of(column: str, name: str) -> list[str]:
    return sorted(WARDS.loc[WARDS[column] == name, "area"])


@pytest.fixture(scope="module")
def kirklees(tmp_path_factory) -> Path:
    """Four Kirklees wards by name, from West Yorkshire Police, one of them small."""
    folder = tmp_path_factory.mktemp("kirklees")
    table = write_csv(folder / "wards.csv", [["Ward", "Crimes"], *KIRKLEES])
    return build_counts(
        table,
        folder / "maps",
        "--force",
        "West Yorkshire Police",
        *PERIOD_2021,
        "--suppress-below",
        "5",
    )


def test_the_ward_level_holds_every_uk_ward_once():
    assert len(WARDS) == 8482 and WARDS["area_id"].is_unique and WARDS["area"].is_unique
    # A name several wards share carries its council; the ONS spelling is kept beside it.
    abbey = WARDS[WARDS["ward_name"] == "Abbey"]
    assert len(abbey) == 19 and "Abbey (Derby)" in set(abbey["area"])
    assert set(WARDS.loc[WARDS["area"] == "Almondbury", "parent"]) == {"Kirklees"}
    # Wards whose code is new in 2022 hold from that May's elections, with no 2020 estimate.
    merton = WARDS[WARDS["parent"] == "Merton"]
    assert len(merton) == 20 and set(merton["valid_from"]) == {"2022-05-05"}
    assert merton["pop_mid2020"].isna().all()
    # Where every ward of a council has an estimate, they add up to the council's.
    councils = UK.catalogue.units["council"].set_index("area")
    kirklees = WARDS[WARDS["parent"] == "Kirklees"]
    assert int(kirklees["pop_mid2020"].sum()) == int(councils.loc["Kirklees", "pop_mid2020"])


def test_a_ward_table_is_drawn_on_its_forces_area(open_page, kirklees, axe_source):  # noqa: F811
    html = (kirklees / "map-2021.html").read_text(encoding="utf-8")
    data = page_data(html)
    west_yorkshire = wards_of("force", "West Yorkshire")
    assert sorted(data["areas"]["names"]) == west_yorkshire and len(west_yorkshire) == 124
    p = open_page((kirklees / "map-2021.html").as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    for view in ("count", "rate"):
        page.check(f'input[name="view"][value="{view}"]')
        assert axe(page, axe_source) == [], view
    page.check('input[name="view"][value="count"]')
    assert page.locator("#map path.leaflet-interactive").count() == 124
    fills = page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == 120  # all but the four given
    assert (
        page.locator("h1")
        .inner_text()
        .startswith("Crimes, 2021/22: West Yorkshire Police figures by ward")
    )
    (south, west), (north, east) = data["bounds"]
    assert 53.4 < south < north < 54.1 and -2.3 < west < east < -1.1
    # A rate per 100,000 from the ward's own mid-2020 estimate.
    page.check('input[name="view"][value="rate"]')
    batley = page.locator("#area-table tbody tr", has_text="Batley East").first.inner_text()
    assert "mid-2020" in batley and "(95% CI" in batley
    # The small count is withheld, and nothing on the page gives it back.
    assert _table_column(page, "Crimes")["Golcar"] == "fewer than 5"
    # The level above is the second view: West Yorkshire's five councils.
    page.check('input[value="parent"]')
    assert page.locator("#map path.leaflet-interactive").count() == 5
    assert "Contains OS data \u00a9 Crown copyright" in html
    assert "Wolverhampton" not in page.locator("body").inner_text()
    p.shot("uk-kirklees-wards.png")
    phone = open_page((kirklees / "map-2021.html").as_uri(), width=320)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 320
    rows = download_rows(kirklees, "wards", "ward")
    assert rows["Batley East"]["victims"] == "30" and rows["Golcar"]["victims"] == ""
    assert len(rows) == 124


def test_wards_given_by_code_without_a_population_estimate_have_no_rate(tmp_path):
    codes = sorted(WARDS.loc[WARDS["parent"] == "Merton", "area_id"])[:3]
    table = write_csv(tmp_path / "m.csv", [["ward code", "crimes"], *[[c, 9] for c in codes]])
    out = build_counts(
        table,
        tmp_path / "maps",
        "--force",
        "Metropolitan Police Service",
        "--period",
        "2023=2023-04-01..2024-03-31",
    )
    html = (out / "map-2023.html").read_text(encoding="utf-8")
    data = page_data(html)
    assert sorted(data["areas"]["names"]) == wards_of("force", "Metropolitan Police")
    abbey = data["areas"]["names"].index("Abbey (Merton)")
    assert cell(data["years"][0]["rate"], abbey) == "no_rate"
    assert "no population estimate held" in html
    rows = download_rows(out, "wards", "ward")
    assert rows["Abbey (Merton)"]["rate_status"] == "no_population"


@pytest.mark.parametrize(
    ("names", "options", "said"),
    [
        (
            ["Abbey", "Castle"],
            (),
            "t.csv:2: 'Abbey' is the name of 19 wards (in Antrim and Newtownabbey; Barking and "
            "Dagenham; Buckinghamshire;",
        ),
        (
            ["Abbey", "Colliers Wood"],
            ("--force", "Metropolitan Police Service"),
            "'Abbey' is the name of 2 wards in Metropolitan Police (in Barking and Dagenham; "
            "Merton): give the council with --within COUNCIL",
        ),
        (
            ["Castle"],
            ("--within", "Derby"),
            "t.csv:2: 'Castle' is no ward of Derby (there are wards of that name in Ards and "
            "North Down; Bedford;",
        ),
        (
            ["Abbey", "Castle"],
            ("--within", "Derbyy"),
            "--within: 'Derbyy' is no council or police force area this tool holds (nearest: "
            "'Derby (council)'",
        ),
    ],
)
def test_a_ward_name_that_is_not_one_ward_in_its_scope_is_refused(tmp_path, names, options, said):
    table = write_csv(tmp_path / "t.csv", [["ward", "crimes"], *[[n, 4] for n in names]])
    out = tmp_path / "maps"
    result = run("build", "--counts", str(table), *PERIOD_2021, *options, "--out", str(out))
    assert result.returncode == 2
    assert said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_within_a_council_a_shared_ward_name_is_that_councils_ward(tmp_path):
    table = write_csv(tmp_path / "t.csv", [["ward", "crimes"], ["Abbey", 4], ["Cannon Hill", 2]])
    result = run(
        "check", str(table), "--period", "2023=2023-04-01..2024-03-31", "--within", "Merton"
    )
    assert result.returncode == 0, result.stderr
    assert "'Abbey' -> 'Abbey (Merton)'" in result.stdout


def test_a_ward_map_cites_the_wards_own_boundaries_and_estimates(tmp_path):
    # Ward estimates are held for mid-2020 only: a 2018/19 table is rated on them, saying so,
    # and the page names the ward boundaries, not the councils'.
    table = write_csv(tmp_path / "w.csv", [["ward", "crimes"], *KIRKLEES[:2]])
    out = build_counts(
        table,
        tmp_path / "maps",
        "--force",
        "West Yorkshire Police",
        "--period",
        "2018=2018-04-01..2019-03-31",
    )
    html = (out / "map-2018.html").read_text(encoding="utf-8")
    data = page_data(html)
    batley = data["areas"]["names"].index("Batley East")
    assert cell(data["years"][0]["rate"], batley) != "no_rate"
    source = html.split('<p class="source">', 1)[1].split("</p>", 1)[0]
    assert (
        'Population: <span class="source-population">ONS mid-2020 ward population estimates '
        "(wards of 2021), all ages (the nearest to 2018 that the boundaries hold)"
    ) in source
    assert "Boundaries: wards of December 2022, ONS super-generalised 200 m" in source
    rows = download_rows(out, "wards", "ward")
    assert rows["Batley East"]["population_year"] == "2020"
