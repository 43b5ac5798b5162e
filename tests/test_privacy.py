"""--suppress-below: try to recover every withheld count from everything published.

The attacker here is written independently of the build: it reads only the
published files (map pages and CSV downloads), writes down every sum that holds
between the figures it sees, and uses linear programming to find the smallest
and largest value each withheld count can take.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from hatecrime_maps import privacy
from tests.conftest import build_to

SEX_WORDS = {"female": "F", "male": "M", "not recorded": "U"}


def parse_count(text: str, threshold: int) -> tuple[float, float]:
    """What the reader learns from a count's text: an exact value or a range."""
    text = text.strip()
    if re.fullmatch(r"[\d,]+", text):
        v = int(text.replace(",", ""))
        return v, v
    if text == f"fewer than {threshold}":
        return 1, threshold - 1
    assert text.startswith("withheld"), text
    return 0, math.inf


def published_cells(maps: Path, year: int, threshold: int) -> tuple[dict, list, dict]:
    """Cells (id → range), sums between them, and the true-looking zero/non-zero facts."""
    html = (maps / f"map-{year}.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', html, re.S)[1])
    cells: dict = {}
    sums: list = []
    npu_of = {}
    listed = {}
    with open(maps / "downloads" / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) == year:
                npu_of[row["area"]] = row["npu"]
                listed[row["area"]] = row["listed_in_foi"] == "true"
    for area in data["areas"]:
        rows = dict(area["rows"])
        name = area["name"]
        low, high = parse_count(rows["Victims"], threshold)
        if listed[name]:
            low = max(low, 1)  # the FOI lists it: at least one victim
        cells[("area", name)] = (low, high)
        if not rows["By sex"].startswith("withheld"):
            parts = dict(p.rsplit(" ", 1) if not p.startswith("not recorded") else
                         ("not recorded", p[len("not recorded "):])
                         for p in rows["By sex"].split(", "))
            for word, sex in SEX_WORDS.items():
                cells[("area", name, sex)] = parse_count(parts[word], threshold)
            sums.append((("area", name), [("area", name, s) for s in "FMU"]))
    for npu in data["npus"]:
        cells[("npu", npu["name"])] = parse_count(dict(npu["rows"])["Victims"], threshold)
        sums.append((("npu", npu["name"]), [("area", a) for a, n in npu_of.items()
                                             if n == npu["name"]]))
    force = re.search(r"<tfoot>\s*<tr><th scope=\"row\">All areas</th>(.*?)</tr>", html, re.S)[1]
    tds = re.findall(r"<td>(.*?)</td>", force)
    cells[("force",)] = parse_count(tds[1], threshold)
    for part in tds[2].split(", "):
        word = "not recorded" if part.startswith("not recorded") else part.split(" ")[0]
        cells[("force", SEX_WORDS[word])] = parse_count(part[len(word) + 1:], threshold)
    sums.append((("force",), [("area", a) for a in npu_of]))
    sums.append((("force",), [("npu", n["name"]) for n in data["npus"]]))
    sums.append((("force",), [("force", s) for s in "FMU"]))
    for s in "FMU":
        if all(("area", a, s) in cells for a in npu_of):
            sums.append((("force", s), [("area", a, s) for a in npu_of]))
    return cells, sums, listed


def recoverable(cells: dict, sums: list) -> dict:
    """Withheld cells the attacker can pin to one whole number, with that number."""
    hidden = sorted((c for c, (lo, hi) in cells.items() if lo != hi), key=repr)
    index = {c: i for i, c in enumerate(hidden)}
    ceiling = max(hi for lo, hi in cells.values() if hi != math.inf)
    a_eq, b_eq = [], []
    for total, parts in sums:
        row, rhs = np.zeros(len(hidden)), 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * cells[cell][0]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = [(cells[c][0], min(cells[c][1], ceiling)) for c in hidden]
    found = {}
    for cell in hidden:
        c = np.zeros(len(hidden))
        c[index[cell]] = 1
        lo = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        assert lo.success and hi.success, "published figures contradict each other"
        if math.ceil(lo.fun - 1e-6) >= math.floor(-hi.fun + 1e-6):
            found[cell] = round(lo.fun)
    return found


@pytest.fixture(scope="module")
def unsuppressed(tmp_path_factory):
    return build_to(tmp_path_factory.mktemp("plain") / "maps", "--tiles", "none")


@pytest.mark.parametrize("threshold", [3, 5, 10])
@pytest.mark.parametrize("year", [2019, 2020])
def test_no_withheld_count_can_be_recovered(tmp_path_factory, unsuppressed, threshold, year):
    maps = build_to(tmp_path_factory.mktemp(f"s{threshold}") / "maps", "--tiles", "none",
                    "--suppress-below", str(threshold))
    cells, sums, _ = published_cells(maps, year, threshold)
    truth, _, _ = published_cells(unsuppressed, year, 10 ** 6)
    assert any(lo != hi for lo, hi in cells.values()), "something must be withheld"
    for cell, (lo, hi) in cells.items():
        if lo == hi:  # published values are the true ones
            assert truth[cell] == (lo, hi), cell
        else:
            assert lo <= truth.get(cell, (lo, lo))[0] <= hi, cell
    assert recoverable(cells, sums) == {}


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_attack_breaks_primary_suppression_alone(unsuppressed, year):
    # Hiding only the counts below 3 is not enough: the attacker gets some back.
    truth, sums, _ = published_cells(unsuppressed, year, 10 ** 6)
    naive = {c: ((1, 2) if 0 < lo < 3 else (lo, hi)) for c, (lo, hi) in truth.items()}
    found = recoverable(naive, sums)
    assert found and all(truth[c][0] == v for c, v in found.items())


def test_withheld_counts_take_their_rates_and_classes_with_them(tmp_path):
    maps = build_to(tmp_path / "maps", "--tiles", "none", "--suppress-below", "5")
    html = (maps / "map-2020.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', html, re.S)[1])
    withheld = [a for a in data["areas"] if not re.fullmatch(r"[\d,]+", dict(a["rows"])["Victims"])]
    assert withheld
    for area in withheld:
        assert area["c"] == "suppressed" and area["r"] == "suppressed"
        assert dict(area["rows"])["Rate per 100,000"] == "not shown: the count is withheld"
    assert "fewer than 5" in html
    with open(maps / "downloads" / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["victims_status"]:
                assert row["victims"] == "" and row["rate_per_100k"] == ""


def test_suppress_protects_a_lone_small_cell():
    # 5 = 4 + 1: withholding the 1 alone would leave it as 5 - 4.
    values = {"total": 5, "a": 4, "b": 1}
    hidden = privacy.suppress(values, [privacy.Constraint("total", ("a", "b"))], 3)
    assert hidden["b"] == privacy.FEWER_THAN and len(hidden) == 2
    assert privacy.exposed_cells(values, [privacy.Constraint("total", ("a", "b"))], hidden, 3) == []


def test_suppress_widens_when_small_cells_fill_a_small_total():
    # 2 = 1 + 1 with all three "fewer than 3": each part must be 1 unless the total is widened.
    values = {"t": 2, "a": 1, "b": 1, "u": 40, "v": 42}
    cons = [privacy.Constraint("t", ("a", "b")), privacy.Constraint("v", ("t", "u"))]
    hidden = privacy.suppress(values, cons, 3)
    assert privacy.exposed_cells(values, cons, hidden, 3) == []
    assert hidden["t"] == privacy.SUPPRESSED
