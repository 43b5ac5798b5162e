"""Counts tables at every level, built and opened in Chromium like the default pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hatecrime_maps.geography import levels
from hatecrime_maps.geography.boundaries import Boundaries
from tests.conftest import ROOT

CATALOGUE = Boundaries(ROOT / "boundaries").catalogue
PERIOD = ("--period", "2021=2021-01-01..2021-12-31")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=ROOT
    )


def write_table(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        book.save(path)
    else:
        path.write_text(
            "\n".join(",".join(str(c) for c in r) for r in [header, *rows]) + "\n", encoding="utf-8"
        )
    return path


def units(level: str) -> list[str]:
    return sorted(CATALOGUE.units[level]["area"])


# (case, level of the map, table header, rows, extra flags, areas with data)
CASES = {
    "sectors by name": (
        "sector",
        ["Area", "Victims"],
        [["Yardley", 4], ["Solihull", 0], ["Birmingham City Centre", 11]],
        ["--subject", "disability hate crimes", "--force", "West Midlands Police", *PERIOD],
    ),
    "NPUs with years": (
        "npu",
        ["npu", "year", "crimes"],
        [[n, y, i + y - 2019] for i, n in enumerate(units("npu")) for y in (2019, 2020)],
        ["--period", "2019=2019-01-01..2019-12-31", "--period", "2020=2020-01-01..2020-12-31"],
    ),
    "boroughs by sex": (
        "borough",
        ["Borough", "Sex", "Count"],
        [
            [b, s, n]
            for b, n in (("Coventry", 3), ("Walsall", 12))
            for s in ("Female", "Male", "Unknown")
        ],
        ["--subject", "transgender hate crimes", *PERIOD],
    ),
    "wards by name": (
        "ward",
        ["ward", "victims"],
        [["Aston", 5], ["Ladywood", 12], ["Bablake", 1]],
        [*PERIOD],
    ),
    "wards by code": (
        "ward",
        ["code", "victims"],
        [["E05011121", 5], ["E05001218", 2]],
        [*PERIOD, "--absent-as-zero"],
    ),
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    out = {}
    for case, (level, header, rows, flags) in CASES.items():
        folder = tmp_path_factory.mktemp(re.sub(r"\W+", "-", case))
        suffix = ".xlsx" if level == "borough" else ".csv"
        table = write_table(folder / f"counts{suffix}", header, rows)
        result = run(
            "build",
            "--counts",
            str(table),
            "--tiles",
            "none",
            "--out",
            str(folder / "maps"),
            *flags,
        )
        assert result.returncode == 0, result.stderr
        out[case] = folder / "maps"
    return out


def _listed(case: str) -> set[str]:
    level, _, rows, _ = CASES[case]
    found = levels.resolve({str(r[0]): None for r in rows}, CATALOGUE, "t", span=None, level=level)
    return set(found.areas.values())


@pytest.mark.parametrize("case", list(CASES))
def test_each_level_draws_every_area_and_styles_no_data(open_page, builds, case):
    level, _, _, flags = CASES[case]
    maps = builds[case]
    page_file = sorted(maps.glob("map-*.html"))[-1]
    p = open_page(page_file.as_uri())
    assert p.errors == [] and p.violations() == []
    page = p.page
    everything = units(level)
    assert page.locator("#map path.leaflet-interactive").count() == len(everything)
    no_data = [a for a in everything if a not in _listed(case)]
    if "--absent-as-zero" in flags:
        no_data = []
    fills = page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == len(no_data)
    # The data table lists every area; those with no data say so, in words.
    rows = page.locator("#area-table tbody tr")
    assert rows.count() == len(everything)
    said = page.eval_on_selector_all(
        "#area-table tbody tr",
        "rs => rs.filter(r => r.cells[r.cells.length > 8 ? 2 : "
        "(r.cells[1].textContent === '' ? 2 : 1)]).length",
    )
    assert said == len(everything)
    texts = page.locator("#area-table tbody").inner_text()
    assert texts.count("no data") >= len(no_data)
    legend = page.locator(".legend-view:not([hidden])").inner_text()
    assert ("no data" in legend) == bool(no_data)
    # The parent view (NPUs, boroughs) draws the parent level, where there is one.
    parent = CATALOGUE.levels[level].parent
    if parent:
        page.check('input[value="parent"]')
        assert page.locator("#map path.leaflet-interactive").count() == len(units(parent))
    p.shot(f"level-{re.sub(r'[^a-z]+', '-', case)}.png")


def test_titles_come_from_the_metadata_and_name_no_subject_not_given(builds):
    def heading(case: str, page: str = "map-2021.html") -> tuple[str, str]:
        html = (builds[case] / page).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html)[1]
        summary = re.search(r'<p class="summary"[^>]*>(.*?)</p>', html)[1]
        return title, summary

    title, summary = heading("sectors by name")
    assert title == "Disability hate crimes, 2021: West Midlands Police figures by policing area"
    assert summary.startswith(
        "West Midlands Police recorded 15 victims of disability hate "
        "crimes from 1 January to 31 December 2021 in the 3 policing "
        "areas with data; the input gives no figure for the other 22."
    )
    title, summary = heading("NPUs with years", "map-2020.html")
    assert title == "Crimes, 2020: figures by NPU"
    title, _ = heading("boroughs by sex")
    assert title == "Transgender hate crimes, 2021: figures by borough"
    for case in ("NPUs with years", "wards by name", "wards by code"):
        maps = builds[case]
        for page in [*maps.glob("*.html"), maps / "downloads" / "README.md"]:
            text = page.read_text(encoding="utf-8")
            text = re.sub(
                r"<script.*?</script>|<section class=\"routes\".*?</section>", "", text, flags=re.S
            )
            for word in ("refugee", "1186A", "hate crime figures"):
                assert word not in text.casefold(), (page, word)
    report = (builds["wards by name"] / "report.html").read_text(encoding="utf-8")
    assert "The input has no offences, outcomes, a split by sex or ages" in report
    assert not (builds["wards by name"] / "charts").exists()


def test_the_downloads_are_named_for_the_level(builds):
    wards = builds["wards by code"] / "downloads"
    header = (wards / "wards.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("ward_code,ward_name,borough,borough_code,year")
    aston = next(
        line
        for line in (wards / "wards.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith("E05011121,")
    )
    assert ",5," in aston
    assert (wards / "boroughs.csv").exists() and not (wards / "offences.csv").exists()


def test_check_prints_the_level_and_every_name(tmp_path):
    table = write_table(tmp_path / "t.csv", ["ward", "victims"], [["Aston", 1], ["e05001218", 2]])
    result = run("check", str(table), *PERIOD)
    assert result.returncode == 0, result.stderr
    assert "level: wards (electoral wards as at December 2019" in result.stdout
    assert "line 3: 'e05001218' -> 'Bablake'" in result.stdout
    assert "190 wards not in the input (no data)" in result.stdout
    bad = write_table(tmp_path / "b.csv", ["ward", "victims"], [["Aston", 1], ["Astonn", 2]])
    result = run("check", str(bad), *PERIOD)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "line 2: 'Aston' is one of the wards" in result.stdout
    assert f"{bad}:3: area 'Astonn' matches no area" in result.stderr


def test_a_2025_answer_naming_birmingham_central_writes_nothing(tmp_path):
    table = write_table(
        tmp_path / "t.csv",
        ["area", "victims"],
        [["Birmingham Central", 4], ["Birmingham West", 2], ["Coventry", 1]],
    )
    result = run(
        "build",
        "--counts",
        str(table),
        "--period",
        "2025=2025-04-01..2026-03-31",
        "--out",
        str(tmp_path / "maps"),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "'Birmingham Central' is a name of the West Midlands Police local policing "
        "structure of 2025" in result.stderr
    )
    assert not (tmp_path / "maps").exists()


def test_a_ward_build_opens_styled_in_qgis_with_its_no_data_class(builds):
    from hatecrime_maps.outputs import presentation
    from tests.conftest import qgis_report

    downloads = builds["wards by name"] / "downloads"
    report = qgis_report(downloads, "qgis-wards.png", "wards", "boroughs", "reporting_centres")
    wards = report["wards"]
    assert wards["valid"] and wards["features"] == 192 and wards["crs"] == "EPSG:27700"
    assert wards["renderer"] == "graduatedSymbol"
    assert [r[2] for r in wards["ranges"]][:2] == ["no data", "withheld"]
    assert wards["colours"][0] == presentation.NO_DATA_FILL
    assert report["boroughs"]["renderer"] == "graduatedSymbol"  # the parent level's figures
    assert all(f["ok"] for f in report["qml_files"].values())


def test_suppression_protects_a_ward_table_across_its_totals(tmp_path):
    import csv

    table = write_table(
        tmp_path / "t.csv",
        ["ward", "victims"],
        [["Aston", 5], ["Ladywood", 1], ["Nechells", 2], ["Bablake", 4]],
    )
    out = tmp_path / "maps"
    result = run(
        "build",
        "--counts",
        str(table),
        *PERIOD,
        "--absent-as-zero",
        "--suppress-below",
        "3",
        "--tiles",
        "none",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "figures withheld" in result.stdout
    shown = {}
    for name, key in (("wards.csv", "ward_name"), ("boroughs.csv", "borough")):
        with open(out / "downloads" / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                shown[row[key]] = (row["victims"], row["victims_status"])
    assert shown["Ladywood"] == ("", "fewer_than") and shown["Nechells"] == ("", "fewer_than")
    assert shown["Aston"][0] in ("5", "")
    # Birmingham's total less its shown wards gives Ladywood and Nechells together. Each is
    # 1 or 2, so that sum pins them down only if it is 2 or 4: the audit must prevent that.
    birmingham_wards = set(
        Boundaries(ROOT / "boundaries")
        .catalogue.units["ward"]
        .query("parent == 'Birmingham'")["area"]
    )
    if not shown["Birmingham"][1]:
        rest = int(shown["Birmingham"][0]) - sum(
            int(v) for w, (v, st) in shown.items() if w in birmingham_wards and not st
        )
        withheld = [w for w in birmingham_wards if shown[w][1]]
        assert len(withheld) >= 2 and rest not in (len(withheld), 2 * len(withheld)), shown
    page = (out / "map-2021.html").read_text(encoding="utf-8")
    assert "fewer than 3" in page


def test_the_readme_worked_example_runs_as_written(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Mapping your own answer or spreadsheet", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.S)[1]
    # As pasted at the project root after the quick start, with this interpreter.
    for part in ("boundaries", "data"):
        (tmp_path / part).symlink_to(ROOT / part)
    script = script.replace(".venv/bin/hatecrime-maps", f"{sys.executable} -m hatecrime_maps")
    result = subprocess.run(
        ["bash", "-euc", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "line 5: 'E05001218' -> 'Bablake'" in result.stdout
    page = (tmp_path / "my-maps" / "map-2021.html").read_text(encoding="utf-8")
    assert (
        "<title>Disability hate crimes, 2021: West Midlands Police figures by ward</title>" in page
    )
