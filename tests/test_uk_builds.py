"""Answers from beyond the West Midlands: councils and forces of the UK, and the Home Office.

Each table is built like the default data and opened in Chromium: the map is
drawn on the force (or England and Wales) the table is about, the other areas
there as "no data", the titles and attribution of the UK geography, and no
West Midlands reporting centre anywhere.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.io import defaults
from tests.conftest import ROOT, SHARED, need
from tests.outputs.test_accessibility import axe, axe_source  # noqa: F401
from tests.pagedata import area_figures, cell, page_data

UK = Boundaries(defaults.UK_BOUNDARIES)
COUNCILS = UK.catalogue.units["council"]
FORCES = UK.catalogue.units["force"]
HOME_OFFICE = defaults.HOME_OFFICE
HOME_OFFICE_SOURCE = SHARED / "boundaries" / "national" / "hate_crime_by_pfa_2017-18_2018-19.csv"
PERIOD_2019 = ("--period", "2019=2019-04-01..2020-03-31")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=ROOT
    )


def build_counts(table: Path, out: Path, *options: str) -> Path:
    """Build the maps of a counts table without tiles; the folder written."""
    result = run("build", "--counts", str(table), *options, "--tiles", "none", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def download_rows(out: Path, layer: str, key: str) -> dict[str, dict[str, str]]:
    """A build's ``downloads/LAYER.csv``, each row by its ``key`` column."""
    with (out / "downloads" / f"{layer}.csv").open(encoding="utf-8") as fh:
        return {r[key]: r for r in csv.DictReader(fh)}


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n", encoding="utf-8")
    return path


def councils_of(force: str) -> list[str]:
    return sorted(COUNCILS.loc[COUNCILS["parent"] == force, "area"])


@pytest.fixture(scope="module")
def home_office(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("home-office") / "maps"
    result = run("build", "--counts", str(HOME_OFFICE), "--tiles", "none", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def london(tmp_path_factory) -> Path:
    """Three London boroughs, one by its ONS code, for 2019/20."""
    folder = tmp_path_factory.mktemp("london")
    table = write_csv(
        folder / "met.csv",
        [["Borough", "Offences"], ["Camden", 812], ["E09000022", 655], ["Tower Hamlets", 903]],
    )
    out = folder / "maps"
    result = run(
        "build",
        "--counts",
        str(table),
        "--force",
        "Metropolitan Police Service",
        "--subject",
        "race hate crimes",
        *PERIOD_2019,
        "--tiles",
        "none",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return out


def _source_rows() -> list[dict[str, str]]:
    need(HOME_OFFICE_SOURCE.is_file(), f"{HOME_OFFICE_SOURCE} is not beside the clone")
    with HOME_OFFICE_SOURCE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_home_office_figures_are_reconciled_to_their_source(home_office):
    source = _source_rows()
    for first in (2017, 2018):
        html = (home_office / f"map-{first}.html").read_text(encoding="utf-8")
        published = area_figures(html)
        assert len(published) == 43 and "Police Scotland" not in published  # E&W only
        expected = {
            r["pfa20_name"]: int(r["total_offences"])
            for r in source
            if r["financial_year"].startswith(str(first))
        }
        assert len(expected) == 43
        for force, offences in expected.items():
            assert published[force]["Crimes"] == f"{offences:,}", (first, force)
    # The committed table holds every strand as published, each row as its source row.
    with HOME_OFFICE.open(encoding="utf-8") as fh:
        ours = {(r["force_code"], r["year"]): r for r in csv.DictReader(fh)}
    assert len(ours) == 86
    for r in source:
        mine = ours[(r["pfa20_code"], r["financial_year"][:4])]
        for strand in ("race", "religion", "sexual_orientation", "disability", "transgender"):
            assert mine[strand] == r[strand]
        assert mine["offences"] == r["total_offences"] and mine["force"] == r["pfa20_name"]
    by_year: dict[str, int] = {}
    for r in ours.values():
        by_year[r["year"]] = by_year.get(r["year"], 0) + int(r["offences"])
    assert by_year == {"2017": 90_835, "2018": 99_821}
    assert "99,821" in (home_office / "map-2018.html").read_text(encoding="utf-8")


def test_the_home_office_map_draws_every_force_with_rates_and_national_routes(
    open_page,
    home_office,
    axe_source,  # noqa: F811
):
    p = open_page((home_office / "map-2018.html").as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    for view in ("count", "rate", "change"):
        page.check(f'input[name="view"][value="{view}"]')
        assert axe(page, axe_source) == [], view
    page.check('input[name="view"][value="count"]')
    assert page.locator("#map path.leaflet-interactive").count() == 43
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Police recorded hate crimes, 2018/19: Home Office figures")
    # A year of April to March is named as the financial year it is, everywhere.
    assert page.locator('label:has(input[name="year"])').all_inner_texts() == [
        "2017/18",
        "2018/19",
    ]
    assert "Change from 2017/18 to 2018/19" in page.locator(".views").inner_text()
    text = page.locator("body").inner_text()
    # Rates per 100,000 from the population the geography holds, with its year.
    page.check('input[value="rate"]')
    rates = page.locator("#area-table tbody").inner_text()
    assert "(95% CI" in rates and "mid-2017" in text + rates
    # The West Midlands is one force among them, with its own figure.
    row = page.locator("#area-table tbody tr", has_text="West Midlands").first
    assert "5,715" in row.inner_text()
    # No West Midlands centre or route: the national routes, and why there are no places.
    assert "True Vision" in text and "101" in text
    assert "no local reporting centres" in text
    assert "Wolverhampton" not in text and "Third-party reporting centre" not in text
    # Its source address wraps on a 320 px phone, like everything else on the page.
    for name in ("map-2018.html", "index.html", "report.html"):
        phone = open_page((home_office / name).as_uri(), width=320, ready=name.startswith("map"))
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 320, name
        if name.startswith("map"):
            # The change in words starts folded on a phone, open on a wide screen.
            details = phone.page.locator("#change-details")
            assert details.evaluate("d => d.open") is False
            details.locator("summary").click()
            assert "clearly higher" in phone.page.locator("#change-summary").inner_text()
    assert page.locator("#change-details").evaluate("d => d.open") is True
    assert "Contains OS data \u00a9 Crown copyright and database right 2024" in (
        home_office / "map-2018.html"
    ).read_text(encoding="utf-8")
    p.shot("uk-home-office.png")


def test_a_table_of_london_boroughs_is_drawn_on_the_mets_area(open_page, london):
    html = (london / "map-2019.html").read_text(encoding="utf-8")
    data = page_data(html)
    met = councils_of("Metropolitan Police")
    assert sorted(data["areas"]["names"]) == met and len(met) == 32
    assert data["parents"]["names"] == ["Metropolitan Police"]
    assert "drawn here: the councils of May 2024 (32)" in html  # the boundary set drawn
    p = open_page((london / "map-2019.html").as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    assert page.locator("#map path.leaflet-interactive").count() == 32
    fills = page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == 29  # all but the three given
    table = page.locator("#area-table tbody").inner_text()
    assert "Hackney" in table and "no data" in table  # E09000022 is Lambeth: given by code
    lambeth = page.locator("#area-table tbody tr", has_text="Lambeth").first.inner_text()
    assert "655" in lambeth
    assert (
        page.locator("h1")
        .inner_text()
        .startswith("Race hate crimes, 2019/20: Metropolitan Police Service figures by council")
    )
    # The map's extent is the Met's area, not the UK.
    (south, west), (north, east) = data["bounds"]
    assert 51.2 < south < north < 51.8 and -0.6 < west < east < 0.4
    page.check('input[value="parent"]')
    assert page.locator("#map path.leaflet-interactive").count() == 1
    p.shot("uk-london-boroughs.png")
    # On a 320 px phone the page fits its width, and the map is drawn.
    phone = open_page((london / "map-2019.html").as_uri(), width=320)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 320
    assert phone.page.locator("#map path.leaflet-interactive").count() == 32
    phone.shot("uk-london-boroughs-320.png")


def test_councils_without_a_population_estimate_have_no_rate(tmp_path):
    table = write_csv(
        tmp_path / "ni.csv",
        [["council", "crimes"], ["Belfast", 40], ["Derry City and Strabane", 9]],
    )
    out = build_counts(table, tmp_path / "maps", *PERIOD_2019)
    data = page_data((out / "map-2019.html").read_text(encoding="utf-8"))
    assert len(data["areas"]["names"]) == 11  # Northern Ireland's councils
    belfast = data["areas"]["names"].index("Belfast")
    assert cell(data["years"][0]["rate"], belfast) == "no_rate"
    text = (out / "map-2019.html").read_text(encoding="utf-8")
    assert "no population estimate held" in text
    rows = download_rows(out, "councils", "council")
    assert rows["Belfast"]["rate_status"] == "no_population" and rows["Belfast"]["population"] == ""


@pytest.mark.parametrize(
    ("rows", "period", "said"),
    [
        (
            [["council", "crimes"], ["Cumberland", 30], ["Carlisle", 12]],
            "2024=2024-04-01..2025-03-31",
            "t.csv:3: 'Carlisle' is a council until 31 March 2023, but the figures cover 1 "
            "April 2024 to 31 March 2025",
        ),
        (
            [["council", "crimes"], ["Cumberland", 30], ["Westmorland and Furness", 12]],
            "2019=2019-04-01..2020-03-31",
            "t.csv:2: 'Cumberland' is a council from 1 April 2023, but the figures cover "
            "1 April 2019 to 31 March 2020",
        ),
        (
            [["area", "crimes"], ["North Manchester", 30], ["City of Salford", 12]],
            "2019=2019-04-01..2020-03-31",
            "none of the 2 names is an area this tool has boundaries for ('North Manchester' "
            "(line 2), 'City of Salford' (line 3); the nearest to the first: 'Manchester "
            "(council)'",
        ),
        (
            [["division", "crimes"], ["North Manchester", 30], ["City of Salford", 12]],
            "2019=2019-04-01..2020-03-31",
            "area 'North Manchester' matches no area of the Police Scotland divisions",
        ),
    ],
)
def test_names_outside_the_dates_or_the_geography_are_refused(tmp_path, rows, period, said):
    table = write_csv(tmp_path / "t.csv", rows)
    out = tmp_path / "maps"
    result = run("build", "--counts", str(table), "--period", period, "--out", str(out))
    assert result.returncode == 2
    assert said in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and 1 <= len(lines) <= len(rows) - 1  # one a name
    assert not out.exists()


def test_force_names_as_answers_write_them(tmp_path):
    table = write_csv(
        tmp_path / "forces.csv",
        [
            ["Police force", "Incidents"],
            ["West Midlands Police", 120],
            ["Metropolitan Police Service", 800],
            ["the Met", 1],
            ["Dyfed-Powys Police", 12],
        ],
    )
    result = run("check", str(table), *PERIOD_2019)
    assert result.returncode == 2
    assert "are one police force area, 'Metropolitan Police'" in result.stderr
    write_csv(
        table,
        [["Police force", "Incidents"], ["West Midlands Police", 120], ["Dyfed-Powys Police", 12]],
    )
    result = run("check", str(table), *PERIOD_2019)
    assert result.returncode == 0, result.stderr
    assert "geography: United Kingdom" in result.stdout
    assert "'West Midlands Police' -> 'West Midlands'" in result.stdout
    assert "41 police force areas not in the input (no data)" in result.stdout


def test_west_midlands_names_keep_the_west_midlands_boundaries(tmp_path):
    table = write_csv(tmp_path / "b.csv", [["borough", "crimes"], ["Coventry", 3], ["Walsall", 9]])
    result = run("check", str(table), *PERIOD_2019)
    assert result.returncode == 0, result.stderr
    assert "geography: West Midlands" in result.stdout


def test_the_uk_boundary_build_is_deterministic_and_matches_the_committed_files(tmp_path):
    source = SHARED / "boundaries" / "national"
    need(source.is_dir(), f"{source} is not beside the clone")
    out = tmp_path / "uk"
    for name in ("levels.csv", "fields.csv", "population_notes.csv"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes((defaults.UK_BOUNDARIES / name).read_bytes())
    result = run("boundaries", "build-uk", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for path in sorted(defaults.UK_BOUNDARIES.rglob("*")):
        if path.is_file():
            rel = path.relative_to(defaults.UK_BOUNDARIES)
            assert (out / rel).read_bytes() == path.read_bytes(), rel
    committed = sum(p.stat().st_size for p in defaults.UK_BOUNDARIES.rglob("*") if p.is_file())
    assert committed < 15_000_000


def test_councils_nest_in_forces_and_populations_add_up():
    every = UK.layer("councils")
    councils = every[every["valid_to"] == ""]  # of 2024; the rest were abolished since 2016
    forces = UK.layer("forces")
    assert len(councils) == 361 and len(forces) == 45
    for year in (2017, 2019, 2020):
        column = f"pop_mid{year}"
        summed = councils.dropna(subset=[column]).groupby("force")[column].sum()
        held = forces.dropna(subset=[column]).set_index("force")[column]
        assert (summed.sort_index() == held.sort_index()).all()
    assert int(forces.set_index("force").loc["West Midlands", "pop_mid2020"]) == 2_939_927
    assert forces.set_index("force")["pop_mid2020"].isna().sum() == 2  # Scotland, N. Ireland
    # Each force is exactly the union of its councils (one coverage, shared edges).
    dissolved = councils.dissolve("force").geometry
    for name, shape in forces.set_index("force").geometry.items():
        assert shape.symmetric_difference(dissolved[name]).area < 1.0, name
    assert re.fullmatch(r"E23\d{6}", forces.set_index("force").loc["Kent", "force_code"])


def test_the_readme_example_from_any_force_runs_as_written(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Mapping an answer from any force", 1)[1].split("\n## ", 1)[0]
    scripts = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(scripts) == 5  # London boroughs, Home Office figures, one strand, wards, CSPs
    for part in ("boundaries", "data"):
        (tmp_path / part).symlink_to(ROOT / part)
    printed = []
    for script in scripts:
        script = script.replace(".venv/bin/hatecrime-maps", f"{sys.executable} -m hatecrime_maps")
        result = subprocess.run(
            ["bash", "-euc", script],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr
        printed.append(result.stdout)
    assert "geography: United Kingdom" in printed[0]  # what the README says check prints
    assert "'E09000022' -> 'Lambeth'" in printed[0]
    page = (tmp_path / "met-maps" / "map-2019.html").read_text(encoding="utf-8")
    assert (
        "<title>Race hate crimes, 2019/20: Metropolitan Police Service figures by council" in page
    )
    home_office = (tmp_path / "home-office-maps" / "map-2018.html").read_text(encoding="utf-8")
    assert "Home Office figures by police force area" in home_office
    wards = page_data((tmp_path / "kirklees-maps" / "map-2021.html").read_text(encoding="utf-8"))
    assert len(wards["areas"]["names"]) == 124 and "Newsome" in wards["areas"]["names"]
    csps = (tmp_path / "thames-valley-maps" / "map-2021.html").read_text(encoding="utf-8")
    assert len(page_data(csps)["areas"]["names"]) == 16
    assert "Thames Valley Police figures by community safety partnership" in csps
    race = area_figures((tmp_path / "race-maps" / "map-2018.html").read_text(encoding="utf-8"))
    source = [r for r in _source_rows() if r["financial_year"] == "2018/19"]
    assert {f: race[f]["Crimes"] for f in race} == {
        r["pfa20_name"]: f"{int(r['race']):,}" for r in source
    }


def test_the_home_office_geopackage_opens_styled_in_qgis(home_office):
    from tests.conftest import qgis_report

    report = qgis_report(home_office / "downloads", "qgis-forces.png", "forces", "councils")
    forces = report["forces"]
    assert forces["valid"] and forces["features"] == 43 and forces["crs"] == "EPSG:27700"
    assert forces["renderer"] == "graduatedSymbol"
    labels = [r[2] for r in forces["ranges"]]
    assert "1,000 to 2,499" in labels and "5,000 and over" in labels  # the build's own classes
    # The councils in force on 31 March 2019, the figures' last day: those of 2018 in E&W.
    assert report["councils"]["valid"] and report["councils"]["features"] == 348
    assert all(f["ok"] for f in report["qml_files"].values())


def test_the_notebook_map_draws_a_uk_answer_without_west_midlands_places():
    import hatecrime_maps as hm

    answer = hm.read_answer(HOME_OFFICE)
    m = hm.folium_map(answer, 2018, tiles=None)
    rendered = m.get_root().render()
    assert "Greater Manchester" in rendered and "Dyfed-Powys" in rendered
    assert "Wolverhampton" not in rendered and "Reporting centres" not in rendered
    frame = hm.figures(answer, year=2018)
    assert (
        len(frame) == 43
        and int(frame["crimes" if "crimes" in frame else "victims"].sum()) == 99_821
    )


def test_suppression_protects_a_council_table(tmp_path):
    rows = [
        ["council", "crimes"],
        *[[c, n] for c, n in zip(councils_of("Northumbria"), (2, 40, 31, 17, 1, 55), strict=True)],
    ]
    table = write_csv(tmp_path / "n.csv", rows)
    out = build_counts(table, tmp_path / "maps", *PERIOD_2019, "--suppress-below", "5")
    shown = download_rows(out, "councils", "council")
    small = [
        c for c, n in zip(councils_of("Northumbria"), (2, 40, 31, 17, 1, 55), strict=True) if n < 5
    ]
    for council in small:
        assert shown[council]["victims"] == "" and shown[council]["victims_status"]
    # The force total is published, so one more council is withheld: no subtraction gives a count.
    withheld = [c for c, r in shown.items() if r["victims"] == ""]
    assert len(withheld) >= len(small) and all(shown[c]["victims"] != "2" for c in shown)
    page = (out / "map-2019.html").read_text(encoding="utf-8")
    assert (
        ">2<" not in page
        and ">1<" not in page.split('id="area-table"', 1)[1].split("</table>", 1)[0]
    )


STRAND_KEYS = ("race", "religion", "sexual_orientation", "disability", "transgender")


def _source_by(year: str) -> dict[str, dict[str, str]]:
    return {r["pfa20_name"]: r for r in _source_rows() if r["financial_year"] == year}


def _table_column(page, column: str) -> dict[str, str]:
    """Area name -> the text of one column of the page's area table, as the reader sees it."""
    return page.evaluate(
        """(column) => {
          const table = document.getElementById("area-table");
          const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent.trim());
          const at = heads.indexOf(column);
          return Object.fromEntries([...table.tBodies[0].rows].map(
            (tr) => [tr.cells[0].textContent.trim(), tr.cells[at].textContent.trim()]));
        }""",
        column,
    )


def test_one_home_office_page_shows_every_strand_reconciled_to_its_source(
    open_page,
    home_office,
    axe_source,  # noqa: F811
):
    p = open_page((home_office / "map-2018.html").as_uri())
    assert p.errors == []
    page = p.page
    picker = page.locator('select[name="measure"]')
    assert picker.locator("option").all_text_contents() == [
        "All crimes",
        "Race",
        "Religion",
        "Sexual orientation",
        "Disability",
        "Transgender",
    ]
    note = page.locator("#strands-note")
    assert note.is_visible() and "need not add up to all crimes" in note.inner_text()
    assert picker.get_attribute("aria-describedby") == "strands-note"
    legend_labels = {}
    for year, name in (("2018", "2018/19"), ("2017", "2017/18")):
        page.check(f'input[name="year"][value="{year}"]')
        source = _source_by(name)
        for key in ("", *STRAND_KEYS):
            picker.select_option(key or "all")
            shown = _table_column(page, "Crimes")
            column = key or "total_offences"
            assert shown == {f: f"{int(r[column]):,}" for f, r in source.items()}, (year, key)
            title = page.locator("#page-title").inner_text()
            caption = page.locator("#area-caption").inner_text()
            if key:
                assert "motivated by" in title and caption.startswith(
                    picker.locator("option:checked").inner_text() + ":"
                )
            else:
                assert "motivated by" not in title
            visible = page.locator(".legend-view:visible")
            assert visible.count() == 1 and visible.get_attribute("data-measure") == (key or "all")
            legend_labels[key] = visible.locator("li").all_inner_texts()
    # Each strand has its own classes: a few hundred crimes are not drawn as the thousands.
    assert legend_labels["transgender"] != legend_labels[""]
    # Every strand and view passes axe, the change views with the strand's own change.
    page.check('input[name="year"][value="2018"]')
    for key in STRAND_KEYS[::2]:
        picker.select_option(key)
        for view in ("count", "rate", "change"):
            page.check(f'input[name="view"][value="{view}"]')
            # The legend says which strand it keys, in every view.
            strand = picker.locator("option:checked").inner_text()
            assert (
                page.locator(".legend-view:visible .legend-title")
                .inner_text()
                .startswith(strand + ": ")
            ), (key, view)
            assert axe(page, axe_source) == [], (key, view)
    assert page.locator(".legend-view:visible .legend-title").inner_text() == (
        f"{strand}: change from 2017/18 to 2018/19"
    )
    assert "2017/18" in page.locator("#change-summary").inner_text()


def test_every_strand_has_its_print_maps_downloads_and_styles(home_office):
    for key in STRAND_KEYS:
        stem = key.replace("_", "-")
        for name in (f"map-{stem}-2017", f"map-{stem}-2018", f"change-{stem}-2017-2018"):
            assert (home_office / "print" / f"{name}.png").stat().st_size > 10_000, name
    report = (home_office / "report.html").read_text(encoding="utf-8")
    assert 'alt="Police recorded hate crimes motivated by disability: April 2018' in report
    with (home_office / "downloads" / "forces.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    published = {(r["force"], r["year"], r["strand"]): r["victims"] for r in rows}
    assert len(published) == len(rows) == 43 * 2 * 6
    for year in ("2017", "2018"):
        for force, r in _source_by(f"{year}/{int(year[2:]) + 1}").items():
            assert published[(force, year, "all")] == r["total_offences"]
            for key in STRAND_KEYS:
                assert published[(force, year, key)] == r[key], (force, year, key)
    with (home_office / "downloads" / "change.csv").open(encoding="utf-8") as fh:
        changes = list(csv.DictReader(fh))
    assert {r["strand"] for r in changes} == {"all", *STRAND_KEYS}
    readme = (home_office / "downloads" / "README.md").read_text(encoding="utf-8")
    assert "the strands need not add up to all crimes" in readme
    assert "| `transgender_rate_per_100k_2018` |" in readme


def test_the_strand_styles_open_in_qgis_on_their_own_fields(home_office):
    from tests.conftest import qgis_report

    report = qgis_report(home_office / "downloads", "qgis-strands.png", "forces", "councils")
    styles = report["qml_files"]
    for key in STRAND_KEYS:
        for kind in ("2018", "rate_2018", "change_2017_to_2018"):
            style = styles[f"forces_{key}_{kind}.qml"]
            assert style["ok"] and style["attribute_found"], (key, kind, style)
    # The transgender strand's classes are its own, not the thousands of all crimes.
    assert styles["forces_transgender_2018.qml"]["labels"] != styles["forces.qml"]["labels"]
    assert all(f["attribute_found"] for f in styles.values())
    stored = report["forces"]["styles_in_database"]
    assert "race 2018" in stored and "transgender change 2017 to 2018" in stored


def test_suppression_covers_every_strand_with_no_sum_between_them(tmp_path):
    councils = councils_of("Northumbria")[:3]
    table = write_csv(
        tmp_path / "strands.csv",
        [
            ["council", "crimes", "race", "religion"],
            [councils[0], 40, 2, 38],
            [councils[1], 25, 20, 9],
            [councils[2], 30, 28, 1],
        ],
    )
    out = tmp_path / "maps"
    result = run(
        "build", "--counts", str(table), *PERIOD_2019, "--suppress-below", "3",
        "--tiles", "none", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with (out / "downloads" / "councils.csv").open(encoding="utf-8") as fh:
        rows = {(r["council"], r["strand"]): r for r in csv.DictReader(fh) if r["year"] == "2019"}
    assert rows[(councils[0], "race")]["victims"] == ""
    assert rows[(councils[0], "race")]["victims_status"] == "fewer_than"
    assert rows[(councils[2], "religion")]["victims_status"] == "fewer_than"
    # Strands overlap, so no sum links them to the crimes: nothing else need be withheld.
    assert rows[(councils[0], "all")]["victims"] == "40"
    assert rows[(councils[0], "religion")]["victims"] == "38"
    # Within a strand the areas still sum to its total: a second race figure is withheld.
    race = [rows[(c, "race")]["victims_status"] for c in councils]
    assert race.count("") <= 1
    assert "fewer than 3" in (out / "map-2019.html").read_text(encoding="utf-8")


def test_the_notebook_draws_one_strand_at_a_time():
    import hatecrime_maps as hm
    from hatecrime_maps.errors import ArgumentError

    figures = hm.published(hm.read_answer(HOME_OFFICE))
    assert [s.measure_key for s in figures.strands] == list(STRAND_KEYS)
    rendered = hm.folium_map(figures, 2018, tiles=None, strand="religion").get_root().render()
    assert "motivated by religion" in rendered and "Religion: Crimes per police force area" in (
        rendered
    )
    frame = hm.figures(figures, year=2018, strand="religion")
    source = _source_by("2018/19")
    assert dict(zip(frame["force"], frame["victims"], strict=True)) == {
        f: int(r["religion"]) for f, r in source.items()
    }
    with pytest.raises(ArgumentError, match="'age' is not a strand of these figures"):
        hm.folium_map(figures, 2018, tiles=None, strand="age")
