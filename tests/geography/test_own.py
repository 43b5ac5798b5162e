"""Your own boundaries: a user's file of areas, checked, then mapped like the project's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box

from hatecrime_maps.errors import BoundaryError, OptionError
from hatecrime_maps.geography.own import OwnBoundaries, read_own
from tests.conftest import ROOT
from tests.pagedata import area_figures, page_data

X0, Y0 = 428_000, 433_000  # Leeds, in British National Grid
NAMES = ["Headingley", "Hyde Park", "Little London", "Burley"]


def squares(crs: int = 27700) -> gpd.GeoDataFrame:
    shapes = [
        box(X0, Y0, X0 + 1000, Y0 + 1000),
        box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
        box(X0, Y0 + 1000, X0 + 1000, Y0 + 2000),
        box(X0 + 1000, Y0 + 1000, X0 + 2000, Y0 + 2000),
    ]
    frame = gpd.GeoDataFrame(
        {"NAME": NAMES, "CODE": ["N1", "N2", "N3", "N4"], "POP": [12_000, 9_000, 8_000, 11_000]},
        geometry=shapes,
        crs=27700,
    )
    return frame.to_crs(crs)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=ROOT
    )


def write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, engine="pyogrio")
    return path


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
def test_a_file_in_any_crs_and_format_is_read_in_british_national_grid(tmp_path, suffix):
    path = write(squares(crs=4326 if suffix == ".geojson" else 3857), tmp_path / f"hoods{suffix}")
    areas = read_own(OwnBoundaries(path=path, name_field="NAME"))
    assert list(areas["area"]) == NAMES and areas.crs.to_epsg() == 27700
    assert abs(areas.geometry.iloc[0].area - 1_000_000) < 5_000  # one square kilometre
    assert "pop_mid2021" not in areas  # no population unless a field is named


def shape_of(i: int, shape):
    def change(frame: gpd.GeoDataFrame) -> None:
        frame.loc[i, "geometry"] = shape

    return change


def bad(tmp_path: Path, change) -> Path:
    frame = squares()
    change(frame)
    return write(frame, tmp_path / "bad.gpkg")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda f: f.__setitem__("NAME", ["Headingley", "headingley", "A", "B"]),
            "two areas are named 'headingley' (features 1 and 2)",
        ),
        (
            shape_of(
                0, Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
            ),
            "feature 1 ('Headingley') is not a valid polygon (Self-intersection",
        ),
        (
            shape_of(1, box(X0 + 500, Y0, X0 + 2000, Y0 + 1000)),
            "'Headingley' and 'Hyde Park' overlap by 500,000 m²",
        ),
        (
            shape_of(2, Point(X0, Y0)),
            "feature 3 ('Little London') is a Point, not an area",
        ),
    ],
)
def test_bad_boundaries_are_refused_naming_the_feature(tmp_path, change, said):
    path = bad(tmp_path, change)
    with pytest.raises(BoundaryError) as caught:
        read_own(OwnBoundaries(path=path, name_field="NAME"))
    assert said in str(caught.value) and str(path) in str(caught.value)


def test_a_file_with_no_crs_or_no_such_field_is_refused(tmp_path):
    shp = write(squares(), tmp_path / "hoods.shp")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(BoundaryError, match="has no coordinate reference system"):
        read_own(OwnBoundaries(path=shp, name_field="NAME"))
    with pytest.raises(BoundaryError, match=r"--name-field 'Name' is not a field \(fields: NAME"):
        read_own(OwnBoundaries(path=write(squares(), tmp_path / "ok.gpkg"), name_field="Name"))
    with pytest.raises(OptionError, match="together"):
        OwnBoundaries(path=shp, name_field="NAME", population_field="POP")
    # Small overlaps, where two digitised edges disagree, are allowed.
    frame = squares()
    frame.loc[1, "geometry"] = box(X0 + 995, Y0, X0 + 2000, Y0 + 1000)  # 5 m x 1 km: 5,000 m²
    with pytest.raises(BoundaryError, match="overlap"):
        read_own(OwnBoundaries(path=write(frame, tmp_path / "o.gpkg"), name_field="NAME"))
    frame.loc[1, "geometry"] = box(X0 + 999.95, Y0, X0 + 2000, Y0 + 1000)  # 50 m²
    assert (
        len(read_own(OwnBoundaries(path=write(frame, tmp_path / "s.gpkg"), name_field="NAME"))) == 4
    )


def test_a_table_is_mapped_on_a_users_boundaries_with_their_attribution(tmp_path, open_page):
    boundaries = write(squares(crs=4326), tmp_path / "hoods.gpkg")
    table = tmp_path / "counts.csv"
    table.write_text("neighbourhood,crimes\nHeadingley,12\nN2,4\nBurley,30\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = run(
        "build",
        "--counts", str(table),
        "--boundaries-file", str(boundaries),
        "--name-field", "NAME",
        "--code-field", "CODE",
        "--population-field", "POP",
        "--population-year", "2021",
        "--boundaries-attribution", "Neighbourhoods <b>&</b> West Yorkshire Police",
        "--period", "2021=2021-01-01..2021-12-31",
        "--tiles", "none",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = (out / "map-2021.html").read_text(encoding="utf-8")
    figures = area_figures(html)
    assert figures["Hyde Park"]["Crimes"] == "4"  # given by its code
    assert figures["Little London"]["Crimes"] == "no data"
    assert figures["Burley"]["Population"] == "11,000 (mid-2021)"
    assert "Neighbourhoods &lt;b&gt;&amp;&lt;/b&gt; West Yorkshire Police" in html
    assert "<b>&</b>" not in html and "Open Government Licence" not in html
    assert len(page_data(html)["areas"]["names"]) == 4
    p = open_page((out / "map-2021.html").as_uri())
    assert p.errors == [] and p.violations() == []
    assert p.page.locator("#map path.leaflet-interactive").count() == 4
    fills = p.page.eval_on_selector_all(
        "#map path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert fills.count("url(#hatch-no_data)") == 1
    # Nothing is written beside the user's file, and a bad file writes no maps.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv", "hoods.gpkg", "maps"]
    frame = squares()
    frame["NAME"] = ["A", "A", "B", "C"]
    twice = write(frame, tmp_path / "twice.gpkg")
    result = run(
        "build", "--counts", str(table), "--boundaries-file", str(twice), "--name-field",
        "NAME", "--period", "2021=2021-01-01..2021-12-31", "--out", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 2 and "two areas are named 'A'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "none").exists()
