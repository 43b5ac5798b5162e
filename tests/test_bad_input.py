"""Inputs that used to end in a traceback: each is now one line naming the file, and exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hatecrime_maps import geography as geo
from tests.conftest import FOI_FILE, ROOT
from tests.test_boundaries_errors import (
    assert_rejected,
    crosswalk_rows,
    run_build,
    write_crosswalk,
    write_source,
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hatecrime_maps", *args], capture_output=True,
                          text=True, cwd=ROOT)


def assert_message(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for w in words:
        assert w in result.stderr


def answer_copy(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "answer"
    folder.mkdir()
    (folder / "response.txt").write_text(text, encoding="utf-8")
    shutil.copy(FOI_FILE.parent / "metadata.json", folder / "metadata.json")
    return folder / "response.txt"


@pytest.mark.parametrize("huge", [str(10 ** 30), str(2 ** 63)])
def test_an_absurd_count_is_refused(tmp_path, foi_text, huge):
    # Consistent everywhere (the row, its table's total and the stated total): only its size
    # is wrong.
    text = foi_text.replace("There were 58 hate", f"There were {int(huge) + 43} hate")
    text = text.replace("WITH A VIEW TO EXPLOITATION\t15", f"WITH A VIEW TO EXPLOITATION\t{huge}")
    path = answer_copy(tmp_path, text)
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, f"{path}:", "is larger than 10,000,000")
    assert not (tmp_path / "maps").exists()


def test_a_period_that_ends_before_it_starts(tmp_path, foi_text):
    path = answer_copy(tmp_path, foi_text)
    meta = json.loads((path.parent / "metadata.json").read_text(encoding="utf-8"))
    meta["periods"]["2020"]["end"] = "2019-12-01"
    (path.parent / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, "metadata.json: the period for 2020 ends (2019-12-01) before it "
                   "starts (2020-01-01)")


def test_an_enormous_csv_field(tmp_path):
    centres = tmp_path / "centres.csv"
    header = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8").split("\n")[0]
    centres.write_text(header + "\n\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    result = run("build", "--tiles", "none", "--centres", str(centres), "--out",
                 str(tmp_path / "maps"))
    assert_message(result, f"{centres}:", "cannot be read as CSV", "field larger than")


@pytest.mark.parametrize("n,words", [("2", "must be 3 or more"),
                                     (str(10 ** 30), "from 3 to 1,000,000")])
def test_a_threshold_out_of_range(tmp_path, n, words):
    result = run("build", "--tiles", "none", "--suppress-below", n, "--out",
                 str(tmp_path / "maps"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert words in result.stderr
    assert not (tmp_path / "maps").exists()


def test_an_answer_with_no_victims_table(tmp_path, foi_text):
    path = answer_copy(tmp_path, "\n".join(foi_text.split("\n")[:30]))  # offences only
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, "has no victims table")


@pytest.mark.parametrize("population,words", [("0", "population 0 is not between 1"),
                                              (str(10 ** 30), "is not between 1 and 1,000,000")])
def test_a_ward_population_out_of_range(tmp_path, population, words):
    source = write_source(tmp_path / "src")
    pop = source / geo.POPULATION_SOURCE
    lines = pop.read_text(encoding="utf-8").splitlines()
    lines[2] = ",".join([*lines[2].split(",")[:4], population, "1010"])
    pop.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(run_build(source, tmp_path / "out"), tmp_path / "out", f"{pop}:3:", words)


def test_ward_boundaries_that_are_not_geojson(tmp_path):
    source = write_source(tmp_path / "src")
    wards = source / geo.WARD_SOURCE
    wards.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(run_build(source, tmp_path / "out"), tmp_path / "out", f"{wards}:",
                    "cannot be read as ward boundaries")


def test_ward_boundaries_labelled_with_the_wrong_crs(tmp_path):
    source = write_source(tmp_path / "src")
    wards = source / geo.WARD_SOURCE
    data = json.loads(wards.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    wards.write_text(json.dumps(data), encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(run_build(source, tmp_path / "out"), tmp_path / "out", f"{wards}:",
                    "expected longitude and latitude")
