"""``hatecrime-maps boundaries build`` on bad input: a clear error, exit 2, nothing written.

Uses a small synthetic source (six square wards in two boroughs) so each case
is one edit away from a good build.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from hatecrime_maps.geography import wards as geo
from hatecrime_maps.geography.boundaries import Boundaries
from tests.conftest import ROOT, SHARED, need

# 3 x 2 grid of 0.01-degree squares near Birmingham; borough A is the left two columns.
WARDS = [(f"E0500000{i}", f"Ward {i}", i % 3, i // 3) for i in range(6)]


def _square(col: int, row: int) -> list:
    x, y = -1.9 + col * 0.01, 52.45 + row * 0.01
    return [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]


def _borough(col: int) -> tuple[str, str]:
    return ("E08000001", "Alpha") if col < 2 else ("E08000002", "Beta")


def write_source(folder: Path, geometry=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    features = []
    for code, name, col, row in WARDS:
        geom = (geometry or {}).get(code) or {"type": "Polygon", "coordinates": _square(col, row)}
        features.append(
            {"type": "Feature", "properties": {"WD19CD": code, "WD19NM": name}, "geometry": geom}
        )
    (folder / geo.WARD_SOURCE).write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    with open(folder / geo.POPULATION_SOURCE, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "WD19CD",
                "WD19NM",
                "LAD19CD",
                "LAD19NM",
                "pop_mid2019_all_ages",
                "pop_mid2020_all_ages",
            ]
        )
        for code, name, col, _ in WARDS:
            w.writerow([code, name, *_borough(col), 1000, 1010])
    return folder


def crosswalk_rows() -> list[list[str]]:
    rows = []
    for code, name, col, row in WARDS:
        borough = _borough(col)[1]
        area = f"{borough} {'North' if row else 'South'}"
        rows.append([area, f"{borough} NPU", code, name, "approximate", "reported", "test"])
    return rows


def write_crosswalk(folder: Path, rows: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / geo.CROSSWALK_FILE
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(geo.CROSSWALK_COLUMNS)
        w.writerows(rows)
    return path


def run_build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "hatecrime_maps",
            "boundaries",
            "build",
            "--source",
            str(source),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )


def assert_rejected(result, out: Path, *words: str):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for w in words:
        assert w in result.stderr
    assert sorted(p.name for p in out.rglob("*")) == [geo.CROSSWALK_FILE], "nothing written"


def test_good_synthetic_source_builds(tmp_path):
    source = write_source(tmp_path / "src")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    result = run_build(source, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    areas = Boundaries(tmp_path / "out").layer("areas")
    assert sorted(areas["area"]) == ["Alpha North", "Alpha South", "Beta North", "Beta South"]
    assert list(areas["pop_mid2019"]) == [2000, 2000, 1000, 1000]


def test_ward_assigned_twice(tmp_path):
    rows = crosswalk_rows()
    rows.append(list(rows[0]))
    path = write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", f"{path}:8:", "ward E05000000 is assigned twice")


def test_ward_missing(tmp_path):
    write_crosswalk(tmp_path / "out", crosswalk_rows()[:-1])
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", "ward E05000005 (Ward 5) is not assigned")


def test_unknown_ward_code(tmp_path):
    rows = crosswalk_rows()
    rows[2][2] = "E05999999"
    path = write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", f"{path}:4:", "unknown ward code E05999999")


def test_invalid_geometry(tmp_path):
    x, y = -1.9, 52.45
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]]],
    }
    source = write_source(tmp_path / "src", {"E05000000": bowtie})
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    result = run_build(source, tmp_path / "out")
    assert_rejected(
        result, tmp_path / "out", "ward E05000000: invalid geometry", "Self-intersection"
    )


def test_area_in_two_npus(tmp_path):
    rows = crosswalk_rows()
    rows[3][1] = "Other NPU"  # Ward 3 is in Alpha North with Ward 4
    write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", "area 'Alpha North' has more than one npu")


def test_npu_spanning_two_boroughs(tmp_path):
    rows = [[r[0], "One NPU", *r[2:]] for r in crosswalk_rows()]
    write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", "NPU 'One NPU' spans more than one borough")


def test_gap_between_areas(tmp_path):
    x, y = -1.89, 52.45  # Ward 1 shrunk: a hole opens in the county
    shrunk = {
        "type": "Polygon",
        "coordinates": [
            [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]],
            [
                [x + 0.004, y + 0.004],
                [x + 0.006, y + 0.004],
                [x + 0.006, y + 0.006],
                [x + 0.004, y + 0.006],
                [x + 0.004, y + 0.004],
            ],
        ],
    }
    source = write_source(tmp_path / "src", {"E05000001": shrunk})
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    result = run_build(source, tmp_path / "out")
    assert_rejected(result, tmp_path / "out", "gap(s) between the areas")


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("confidence", "maybe", "confidence 'maybe' is not one of exact, approximate, guess"),
        ("name_status", "rumoured", "name_status 'rumoured' is not one of reported, inferred"),
    ],
)
def test_bad_crosswalk_values(tmp_path, field, value, words):
    rows = crosswalk_rows()
    rows[0][geo.CROSSWALK_COLUMNS.index(field)] = value
    path = write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(result, tmp_path / "out", f"{path}:2:", words)


def test_areas_whose_names_differ_only_in_case(tmp_path):
    # Both would get the id "alpha-north", and one's figures be drawn on the other's wards.
    rows = crosswalk_rows()
    rows[3][0] = "alpha north"  # Ward 3 of 'Alpha North' (line 5), respelt; Ward 4 is line 6
    path = write_crosswalk(tmp_path / "out", rows)
    result = run_build(write_source(tmp_path / "src"), tmp_path / "out")
    assert_rejected(
        result,
        tmp_path / "out",
        f"{path}:6:",
        "area 'Alpha North' and 'alpha north' (line 5) differ only in case",
    )


def test_a_source_in_british_national_grid_is_read_as_such(tmp_path):
    # The label and the numbers agree, in metres: reprojected, not refused.
    source = write_source(tmp_path / "src")
    wards = gpd.read_file(source / geo.WARD_SOURCE).to_crs(geo.WORK_CRS)
    wards.to_file(source / geo.WARD_SOURCE, driver="GeoJSON")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    result = run_build(source, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    built = gpd.read_file(tmp_path / "out" / "wards.geojson")
    assert len(built) == len(WARDS)


def test_the_benchmark_inputs_still_build(tmp_path):
    # bench/ makes synthetic answers and boundaries from the shared source; they must stay
    # valid inputs as the formats change.

    source = SHARED / "boundaries" / "source"
    need(source.exists(), f"the shared boundary source is not at {source}")
    folder = tmp_path / "wards"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "wards", str(source), str(folder)],
        check=True,
        capture_output=True,
    )
    result = run_build(folder / "source", folder / "boundaries")
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hatecrime_maps",
            "build",
            "--foi",
            str(folder / "foi" / "response.txt"),
            "--boundaries",
            str(folder / "boundaries"),
            "--tiles",
            "none",
            "--out",
            str(folder / "maps"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "maps" / "map-2020.html").exists()
