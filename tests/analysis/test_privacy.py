"""--suppress-below: try to recover every withheld count from everything published.

The attacker (:mod:`tests.attacker`) is written independently of the build: it
reads every published file (pages, report, charts, CSV, GeoJSON, GeoPackage),
writes down every sum it knows to hold between the figures it sees, and uses
linear programming to find the smallest and largest value each withheld figure
can take.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hatecrime_maps import model
from hatecrime_maps.analysis import privacy, record
from hatecrime_maps.pipeline import build_maps
from hatecrime_maps.request import BuildRequest
from tests import attacker
from tests.conftest import FOI_FILE
from tests.pagedata import area_classes, area_figures


@pytest.fixture(scope="module")
def unsuppressed(default_build):
    return default_build()


@pytest.fixture(scope="module")
def truth(unsuppressed) -> dict:
    pub, _ = attacker.read_build(unsuppressed, 10**6)
    assert pub.disagreements() == []
    return pub.figures()


def _knowledge(truth: dict) -> tuple[set, set, dict]:
    """What the attacker knows besides the files: which figures are zero or not, stated totals.

    Not for the per-area split by sex: a suppressed build publishes it in no form.
    """
    known = {c: tok[1] for c, tok in truth.items() if not (c[2] == "area" and c[4])}
    stated = attacker.stated_totals(FOI_FILE.read_text(encoding="utf-8"))
    assert sorted(stated) == [2019, 2020]
    return {c for c, v in known.items() if v}, {c for c, v in known.items() if not v}, stated


# Every kind of file the attacker must have read figures from.
SOURCES = (
    "map-2019.html area-table table",  # also what its tooltips show
    "map-2020.html area-table table",
    "parent-table table",
    "areas.csv",
    "npus.csv",
    "offences.csv",
    "outcomes.csv",
    "police_areas.geojson",
    "npus.geojson",
    "gpkg police_area_figures",
    "gpkg npu_figures",
    "gpkg police_areas",
    "gpkg npus",
    "gpkg foi_offences",
    "gpkg foi_outcomes",
    "change.csv",
    "gpkg change",
    "report table",
    "report alt text",
    "report summary",
)


def attack(maps: Path, threshold: int, truth: dict) -> tuple[dict, dict]:
    """Read every published file of ``maps`` and attack it; the figures and what was found."""
    pub, bad_charts = attacker.read_build(maps, threshold)
    assert pub.disagreements() == [], "a figure is shown differently in two places"
    assert bad_charts == [], "a chart's labels are not its table's"
    seen_in = {where for places in pub.seen.values() for where in places}
    for source in SOURCES:
        assert any(source in where for where in seen_in), f"nothing read from {source}"
    figures = pub.figures()
    assert set(figures) == set(truth), "the suppressed build publishes other figures"
    nonzero, zero, stated = _knowledge(truth)
    return figures, attacker.recoverable(
        figures, attacker.sums(pub, figures), nonzero, zero, threshold, stated
    )


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_withheld_figure_can_be_recovered_from_all_files(default_build, truth, threshold):
    maps = default_build("--suppress-below", str(threshold))
    figures, found = attack(maps, threshold, truth)
    for year in (2019, 2020):
        assert any(c[1] == year and tok[0] != "value" for c, tok in figures.items()), year
    for cell, tok in figures.items():
        if tok[0] == "value":  # what is published is the true figure
            assert tok == truth[cell], cell
        elif tok == attacker.FEWER:
            assert 0 < truth[cell][1] < threshold, cell
    assert found == {}


@pytest.mark.parametrize("threshold", [3, 10])
def test_the_attack_succeeds_when_tables_are_protected_apart(
    tmp_path, monkeypatch, truth, threshold
):
    # The same build with each table audited on its own (no links between a group and its
    # members, or between one total shown in two tables): the attacker gets values back.
    suppress = record.suppress
    monkeypatch.setattr(record, "suppress", lambda r: suppress(r, linked=False))
    build_maps(BuildRequest(out=tmp_path / "maps", tiles="none", suppress_below=threshold))
    _, found = attack(tmp_path / "maps", threshold, truth)
    assert found, "the per-table build should leak"
    assert all(truth[c] == ("value", v) for c, v in found.items())


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_attack_breaks_primary_suppression_alone(unsuppressed, truth, year):
    # Hiding only the counts below 3 is not enough: the attacker gets some back.
    pub, _ = attacker.read_build(unsuppressed, 10**6)
    naive = {
        c: (attacker.FEWER if 0 < tok[1] < 3 else tok) for c, tok in truth.items() if c[1] == year
    }
    nonzero, zero, stated = _knowledge(truth)
    found = attacker.recoverable(naive, attacker.sums(pub, naive), nonzero, zero, 3, stated)
    assert found and all(truth[c] == ("value", v) for c, v in found.items())


def test_withheld_counts_take_their_rates_and_classes_with_them(default_build):
    maps = default_build("--suppress-below", "5")
    html = (maps / "map-2020.html").read_text(encoding="utf-8")
    figures, classes = area_figures(html), area_classes(html)
    withheld = [a for a, rows in figures.items() if not re.fullmatch(r"[\d,]+", rows["Victims"])]
    assert withheld
    for area in withheld:
        assert classes[area]["c"] == "suppressed" and classes[area]["r"] == "suppressed"
        assert figures[area]["Rate per 100,000"] == "not shown: the count is withheld"
    assert "fewer than 5" in html
    with open(maps / "downloads" / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["victims_status"]:
                assert row["victims"] == "" and row["rate_per_100k"] == ""


def test_suppress_protects_a_lone_small_cell():
    # 5 = 4 + 1: withholding the 1 alone would leave it as 5 - 4.
    values = {"total": 5, "a": 4, "b": 1}
    hidden = privacy.suppress(values, [privacy.Constraint("total", ("a", "b"))], 3)
    assert hidden["b"] == model.FEWER_THAN and len(hidden) == 2
    assert privacy.exposed_cells(values, [privacy.Constraint("total", ("a", "b"))], hidden, 3) == []


def test_suppress_widens_when_small_cells_fill_a_small_total():
    # 2 = 1 + 1 with all three "fewer than 3": each part must be 1 unless the total is widened.
    values = {"t": 2, "a": 1, "b": 1, "u": 40, "v": 42}
    cons = [privacy.Constraint("t", ("a", "b")), privacy.Constraint("v", ("t", "u"))]
    hidden = privacy.suppress(values, cons, 3)
    assert privacy.exposed_cells(values, cons, hidden, 3) == []
    assert hidden["t"] == model.SUPPRESSED
