"""Levels are data: a boundaries folder's ``levels.csv`` says what levels it has, and a
new level with committed boundaries maps with no change to the code."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest

from hatecrime_maps.errors import BoundaryError
from hatecrime_maps.geography import levels
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.topology import TOPOLOGY_FILE, build_topology, topology_text
from hatecrime_maps.io.geojson import EPSG_27700_CRS, feature_collection_text
from tests.conftest import ROOT

DIVISIONS = {
    "Birmingham": "Birmingham",
    "Dudley": "Black Country",
    "Sandwell": "Black Country",
    "Walsall": "Black Country",
    "Wolverhampton": "Black Country",
    "Coventry": "Coventry and Solihull",
    "Solihull": "Coventry and Solihull",
}
"""Three made-up divisions of the seven boroughs: a level the package has never seen."""


def _append(path, row: dict) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow([row.get(c, "") for c in header])


@pytest.fixture(scope="module")
def with_divisions(tmp_path_factory):
    """The project's boundaries plus a ``division`` level, added as data only."""
    folder = tmp_path_factory.mktemp("divisions") / "boundaries"
    shutil.copytree(ROOT / "boundaries", folder)
    original = Boundaries(folder)
    boroughs = original.layer("boroughs")
    boroughs["division"] = boroughs["borough"].map(DIVISIONS)
    pops = [c for c in boroughs.columns if c.startswith("pop_mid")]
    divisions = boroughs.dissolve(by="division", aggfunc={c: "sum" for c in pops}).reset_index()
    divisions.insert(
        0, "division_code", "div-" + divisions["division"].str.lower().str.replace(" ", "-")
    )
    records = divisions.drop(columns="geometry").to_dict("records")
    (folder / "divisions.geojson").write_text(
        feature_collection_text(
            records, divisions.geometry.values, decimals=0, crs=EPSG_27700_CRS, name="divisions"
        )
    )
    web = divisions.to_crs("EPSG:4326")
    (folder / "web" / "divisions.geojson").write_text(
        feature_collection_text(records, web.geometry.values, decimals=5, name="divisions")
    )
    keys = {"wards": ("ward_code", "ward_name"), "areas": ("area_id", "area"),
            "npus": ("npu_id", "npu"), "boroughs": ("borough_code", "borough")}  # fmt: skip
    layers = {name: original.layer(name, web=True)[[*k, "geometry"]] for name, k in keys.items()}
    layers["divisions"] = web[["division_code", "division", "geometry"]]
    (folder / "web" / TOPOLOGY_FILE).write_text(topology_text(build_topology(layers, 5)))
    _append(folder / "levels.csv", {
        "level": "division", "label": "division", "plural": "divisions",
        "layer": "divisions", "id_field": "division_code", "name_field": "division",
        "structure": "test-divisions", "export_name": "divisions",
        "export_fields": "division_code division", "match_codes": "yes",
        "code_pattern": "div-[a-z-]+", "header_words": "division", "boundaries_built": "no",
    })  # fmt: skip
    _append(folder / "structures.csv", {
        "structure": "test-divisions", "name": "three divisions of the West Midlands",
        "level": "division", "boundaries": "yes",
    })  # fmt: skip
    _append(folder / "fields.csv", {"field": "division_code", "meaning": "code of the division"})
    _append(folder / "fields.csv", {"field": "division", "meaning": "name of the division"})
    return folder


def test_the_project_levels_are_read_from_its_catalogue():
    found = Boundaries(ROOT / "boundaries").catalogue.levels
    assert list(found) == ["sector", "npu", "borough", "ward"]
    assert found["sector"].built and not found["ward"].built
    assert found["ward"].rollups == {"sector": "sector", "npu": "npu", "borough": "parent"}
    assert found["borough"].header_words == (
        "borough", "lpa", "local policing area", "council", "district", "local authority",
        "metropolitan borough",
    )  # fmt: skip


def test_a_level_added_as_data_maps_with_its_own_names(with_divisions, tmp_path):
    catalogue = Boundaries(with_divisions).catalogue
    assert "division" in catalogue.levels and len(catalogue.units["division"]) == 3
    assert catalogue.header_levels()["division code"] == "division"
    counts = tmp_path / "counts.csv"
    counts.write_text("Division,Victims\nBirmingham,12\nBlack Country,7\nCoventry and Solihull,3\n")
    out = tmp_path / "maps"
    build = [sys.executable, "-m", "hatecrime_maps"]
    period = ["--period", "2021=2021-01-01..2021-12-31"]
    check = subprocess.run(
        [*build, "check", str(counts), "--boundaries", str(with_divisions), *period],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "level: divisions (three divisions of the West Midlands" in check.stdout
    result = subprocess.run(
        [*build, "build", "--counts", str(counts), "--boundaries", str(with_divisions),
         "--out", str(out), "--tiles", "none", *period],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (out / "map-2021.html").read_text(encoding="utf-8")
    assert "by division" in page and "Coventry and Solihull" in page
    shapes = json.loads((out / "downloads" / "divisions.geojson").read_text())
    assert sorted(f["properties"]["division"] for f in shapes["features"]) == sorted(
        set(DIVISIONS.values())
    )
    readme = (out / "downloads" / "README.md").read_text(encoding="utf-8")
    assert "code of the division" in readme


def test_a_code_that_is_not_of_its_level_is_refused(with_divisions, tmp_path):
    folder = tmp_path / "boundaries"
    shutil.copytree(with_divisions, folder)
    text = (folder / "levels.csv").read_text().replace("div-[a-z-]+", "dv-[a-z-]+")
    (folder / "levels.csv").write_text(text)
    with pytest.raises(
        BoundaryError, match="division_code 'div-birmingham' is not a division code"
    ):
        Boundaries(folder).catalogue  # noqa: B018


@pytest.mark.parametrize(
    "change,message",
    [
        (("ward,ward,wards", "ward,,wards"), "level 'ward' has no label"),
        ((",npu=parent borough=borough,", ",county=parent,"), "rollup 'county=parent' is not"),
        ((",yes,E05", ",maybe,E05"), "match_codes must be yes or no"),
    ],
)
def test_a_bad_levels_file_is_refused_naming_the_line(tmp_path, change, message):
    folder = tmp_path / "boundaries"
    shutil.copytree(ROOT / "boundaries", folder)
    text = (folder / levels.LEVELS_FILE).read_text()
    assert change[0] in text
    (folder / levels.LEVELS_FILE).write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(BoundaryError, match=message) as err:
        Boundaries(folder).catalogue  # noqa: B018
    assert str(err.value).startswith(str(folder / levels.LEVELS_FILE) + ":")
