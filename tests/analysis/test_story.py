"""Offence groups, outcome types, charts and the report page."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections import Counter
from html import unescape

import pytest

from hatecrime_maps.inputs import categories
from hatecrime_maps.inputs.tidy import load_foi
from tests.conftest import FOI_FILE, ROOT

REFERENCE = ROOT / "data" / "reference"
MAPS = ROOT / "maps"


@pytest.fixture(scope="module")
def tables():
    return load_foi(FOI_FILE)


def reference(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def report_table(html: str, table_id: str) -> dict[str, list[str]]:
    body = re.search(rf'<table id="{table_id}".*?</table>', html, re.S)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S)
    return {
        unescape(name): [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]
        for name, cells in rows
    }


def test_every_offence_title_and_outcome_code_is_mapped(tables):
    groups = categories.load_offence_groups(REFERENCE / categories.OFFENCE_GROUPS_FILE)
    types = categories.load_outcome_types(REFERENCE / categories.OUTCOME_TYPES_FILE)
    grouped = categories.group_offences(tables.offences, groups, "answer")
    typed = categories.type_outcomes(tables.outcomes, types, "answer")
    assert len(grouped) == len(tables.offences) and len(typed) == len(tables.outcomes)
    blank = next(t for t in typed if t["outcome_code"] == "")
    assert blank["group"] == "Not yet recorded"
    assert next(t for t in typed if t["outcome_code"] == "OC1a")["group"] == "Charged or summonsed"


def test_modern_slavery_is_most_2020_offences(tables):
    groups = {r["offence"]: r["group"] for r in reference("offence_groups.csv")}
    by_group = Counter()
    for o in tables.offences:
        if o.year == 2020:
            by_group[groups[o.offence]] += o.count
    assert by_group["Modern slavery and exploitation"] == 40


def test_offence_without_a_group_stops_the_build(tmp_path):
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE, ref)
    rows = (ref / "offence_groups.csv").read_text(encoding="utf-8").splitlines()
    (ref / "offence_groups.csv").write_text(
        "\n".join(r for r in rows if not r.startswith("THREATS TO KILL")) + "\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hatecrime_maps",
            "build",
            "--groupings",
            str(ref),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no offence group for 'THREATS TO KILL'" in result.stderr
    assert str(FOI_FILE.relative_to(ROOT)) in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "age,band",
    [
        (None, "unknown"),
        (0, "under 18"),
        (17, "under 18"),
        (18, "18 to 34"),
        (34, "18 to 34"),
        (35, "35 to 54"),
        (54, "35 to 54"),
        (55, "55 and over"),
    ],
)
def test_age_bands(age, band):
    assert categories.age_band(age) == band


def test_report_tables_equal_the_parsed_tables(tables):
    html = (MAPS / "report.html").read_text(encoding="utf-8")
    groups = {r["offence"]: r["group"] for r in reference("offence_groups.csv")}
    outcome_groups = {r["outcome_code"]: r["group"] for r in reference("outcome_types.csv")}
    expected_offences, expected_outcomes, expected_ages = Counter(), Counter(), Counter()
    for o in tables.offences:
        expected_offences[(groups[o.offence], o.year)] += o.count
    for o in tables.outcomes:
        expected_outcomes[(outcome_groups[o.outcome_code], o.year)] += o.count
    for v in tables.victims:
        expected_ages[(categories.age_band(v.age), v.year)] += v.count
    for table_id, expected in (
        ("offences_by_group-table", expected_offences),
        ("outcomes_by_group-table", expected_outcomes),
        ("victims_by_age_band-table", expected_ages),
    ):
        shown = report_table(html, table_id)
        shown.pop("Total")
        got = {
            (name, year): int(v)
            for name, cells in shown.items()
            for year, v in zip((2019, 2020), cells, strict=True)
            if int(v)
        }
        assert got == {k: v for k, v in expected.items() if v}, table_id
    sexes = report_table(html, "victims_by_sex-table")
    assert sexes["female"] == ["5", "13"] and sexes["male"] == ["14", "43"]
    assert sexes["not recorded"] == ["3", "2"] and sexes["Total"] == ["22", "58"]


def test_charts_show_the_same_numbers_as_text(tables):
    html = (MAPS / "report.html").read_text(encoding="utf-8")
    for name in ("offences_by_group", "outcomes_by_group", "victims_by_sex", "victims_by_age_band"):
        svg = (MAPS / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        texts = [unescape(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
        shown = report_table(html, f"{name}-table")
        shown.pop("Total")
        for category, cells in shown.items():
            assert category in texts, (name, category)
            for cell in cells:
                assert cell in texts, (name, category, cell)
        assert any("FOI 1186A/20" in t for t in texts)
        assert any("1 January to 9 December 2020" in t for t in texts)
        assert (MAPS / "charts" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        alt = re.search(
            rf'<section class="chart" aria-labelledby="{name}-heading">.*?'
            r'alt="([^"]+)"',
            html,
            re.S,
        )[1]
        assert alt.startswith("Bar chart") and all(c in unescape(alt) for c in shown)


def test_report_text_says_what_happened():
    html = (MAPS / "report.html").read_text(encoding="utf-8")
    assert "58 crimes were recorded" in html and "344 days, not a full year" in html
    assert "modern slavery and exploitation: 40 of 58 (69%)" in html
    assert "None of the 58 led to a charge or summons" in html
    assert "1 of the 22 led to a charge or summons (5%)" in html
    assert '<a href="report.html">' in (MAPS / "index.html").read_text(encoding="utf-8")


def test_ages_only_in_force_level_bands():
    html = (MAPS / "report.html").read_text(encoding="utf-8")
    ages = report_table(html, "victims_by_age_band-table")
    assert set(ages) - {"Total"} <= set(categories.AGE_BANDS)
    with open(ROOT / "boundaries" / "area_wards.csv", encoding="utf-8") as fh:
        area_names = {r["area"] for r in csv.DictReader(fh)}
    section = re.search(
        r'aria-labelledby="victims_by_age_band-heading">(.*?)</section>', html, re.S
    )[1]
    assert not any(a in unescape(section) for a in area_names)


def test_print_maps_are_300_dpi_with_title_legend_and_source():
    png = (MAPS / "print" / "map-2020.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (3507, 2481)  # A4 landscape at 300 dpi
    svg = (MAPS / "print" / "map-2020.svg").read_text(encoding="utf-8")
    texts = " ".join(unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for words in (
        "1 January to 9 December 2020",
        "10 km",
        "N",
        "10 and over",
        "boundary is a guess",
        "FOI 1186A/20",
        "Open Government Licence",
    ):
        assert words in texts


def test_suppression_reaches_the_report(default_build):
    maps = default_build("--suppress-below", "3")
    html = (maps / "report.html").read_text(encoding="utf-8")
    for table_id in (
        "offences_by_group-table",
        "outcomes_by_group-table",
        "victims_by_age_band-table",
        "victims_by_sex-table",
    ):
        for cells in report_table(html, table_id).values():
            for cell in cells:
                assert not re.fullmatch(r"[12]", cell), (table_id, cells)
    assert "fewer than 3" in html


def test_the_report_says_whether_the_change_is_real(default_build):
    import csv

    maps = default_build()
    html = (maps / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<h2 id="change-heading">(.*?)</h2>(.*?)</section>', html, re.S)
    assert section and section[1] == "Change from 2019 to 2020"
    with open(maps / "downloads" / "change.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    force = rows[-1]
    ratio = f"{float(force['rate_ratio']):.2f}".rstrip("0").rstrip(".")
    text = re.sub(r"\s+", " ", section[2])
    assert f"2020 had {ratio} times the rate of 2019" in text
    assert "2020&#39;s 344 days against 2019&#39;s 365" in text
    for row in (r for r in rows if r["level"] == "area"):
        said = f"{row['area']}, {row['earlier_count']} in 2019, {row['later_count']} in 2020"
        assert (said in text) == (row["change"] in ("clearly_higher", "clearly_lower")), row
    assert 'href="downloads/change.csv"' in text
