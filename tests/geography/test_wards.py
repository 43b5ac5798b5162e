"""The committed geography: nesting, tiling, populations, the web copy, and a rebuild."""

from __future__ import annotations

import json
import os

import geopandas as gpd
import pytest
import shapely

from hatecrime_maps.geography import wards as geo
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.boundary_build import build_boundaries
from tests.conftest import ROOT, SHARED

BOUNDARIES = ROOT / "boundaries"
SOURCE = SHARED / "boundaries" / "source"


def committed(*, web: bool) -> geo.Geography:
    """The committed layers as the boundary build made them (``web``: the web copies)."""
    boundaries = Boundaries(BOUNDARIES)
    layers = {name: boundaries.layer(name, web=web) for name in geo.LAYERS}
    return geo.Geography(**layers, metrics=boundaries.metrics if web else {})


@pytest.fixture(scope="module")
def full():
    return committed(web=False)


@pytest.fixture(scope="module")
def web():
    return committed(web=True)


def test_layer_sizes(full):
    assert len(full.wards) == 192
    assert len(full.areas) == 25
    assert sorted(full.npus["npu"]) == [
        "Birmingham East",
        "Birmingham West",
        "Coventry",
        "Dudley",
        "Sandwell",
        "Solihull",
        "Walsall",
        "Wolverhampton",
    ]
    assert len(full.boroughs) == 7


def test_every_ward_in_one_area_and_areas_nest(full):
    wards, areas, npus, boroughs = full.wards, full.areas, full.npus, full.boroughs
    assert wards["ward_code"].is_unique and wards["area"].notna().all()
    assert set(wards["area"]) == set(areas["area"])
    for _, area in areas.iterrows():
        npu = npus.loc[npus["npu"] == area["npu"]].geometry.iloc[0]
        assert area.geometry.difference(npu).area < 1, area["area"]
    for _, npu in npus.iterrows():
        borough = boroughs.loc[boroughs["borough"] == npu["borough"]].geometry.iloc[0]
        assert npu.geometry.difference(borough).area < 1, npu["npu"]


@pytest.mark.parametrize("layer", ["wards", "areas", "npus", "boroughs"])
@pytest.mark.parametrize("copy", ["full", "web"])
def test_layers_tile_the_county_without_gaps_or_overlaps(full, web, layer, copy):
    gdf = (full if copy == "full" else web).layer(layer)
    geoms = gdf.geometry.values
    assert shapely.coverage_is_valid(geoms)
    union = shapely.union_all(geoms)
    assert union.geom_type == "Polygon" and not union.interiors
    # Overlaps would make the parts add up to more than the whole.
    assert abs(sum(g.area for g in geoms) - union.area) < 1e-6 * union.area


def test_populations_match_ons_borough_totals(full):
    # The ONS mid-year borough sums quoted in the source data's provenance notes.
    assert full.boroughs["pop_mid2019"].sum() == 2_928_592
    assert full.boroughs["pop_mid2020"].sum() == 2_939_927
    for layer in ("areas", "npus"):
        assert full.layer(layer)["pop_mid2020"].sum() == 2_939_927


def test_confidence_and_name_status(full):
    areas = full.areas.set_index("area")
    assert areas.loc["Sutton Coldfield", "confidence"] == "exact"
    assert areas.loc["Sutton Coldfield", "name_status"] == "inferred"
    assert areas.loc["Ladywood West", "confidence"] == "guess"
    assert areas.loc["Sandwell North", "name_status"] == "reported"
    npus = full.npus.set_index("npu")
    assert npus.loc["Dudley", "confidence"] == "exact"
    assert npus.loc["Birmingham East", "confidence"] == "approximate"


def test_web_copy_displacement_is_measured_and_documented(full, web):
    # Measure independently of the build: ward boundaries, web against full.
    back = web.wards.to_crs(geo.WORK_CRS).set_index("ward_code").geometry
    worst = max(
        shapely.hausdorff_distance(g.boundary, back[c].boundary)
        for c, g in zip(full.wards["ward_code"], full.wards.geometry, strict=True)
    )
    assert abs(worst - web.metrics["max_displacement_m"]) < 0.5
    assert worst < 2 * geo.WEB_TOLERANCE_M + 5
    readme = (BOUNDARIES / "README.md").read_text(encoding="utf-8")
    assert f"**{web.metrics['max_displacement_m']} m**" in readme


def test_web_copy_is_rfc7946_wgs84_with_rounded_coordinates():
    data = json.loads((BOUNDARIES / "web" / "areas.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data
    x, y = data["features"][0]["geometry"]["coordinates"][0][0]
    assert -3 < x < -1 and 52 < y < 53
    assert len(repr(x).split(".")[1]) <= 5


def test_nothing_is_a_verbatim_copy_of_the_source():
    if not SOURCE.exists():
        pytest.skip(f"source data not found at {SOURCE}")
    ours = {p.read_bytes() for p in BOUNDARIES.rglob("*") if p.is_file()}
    theirs = {p.read_bytes() for p in SOURCE.iterdir()}
    assert not ours & theirs


def test_rebuild_from_source_gives_the_same_content(tmp_path):
    if not SOURCE.exists():
        if os.environ.get("HATECRIME_MAPS_REQUIRE_ALL") == "1":
            pytest.fail(f"source data not found at {SOURCE}")
        pytest.skip(f"source data not found at {SOURCE}")
    out = tmp_path / "boundaries"
    out.mkdir()
    (out / geo.CROSSWALK_FILE).write_bytes((BOUNDARIES / geo.CROSSWALK_FILE).read_bytes())
    build_boundaries(SOURCE, out)
    for rel in [
        "areas.geojson",
        "npus.geojson",
        "boroughs.geojson",
        "wards.geojson",
        "web/areas.geojson",
        "web/wards.geojson",
    ]:
        mine, committed = gpd.read_file(out / rel), gpd.read_file(BOUNDARIES / rel)
        cols = [c for c in committed.columns if c != "geometry"]
        assert mine[cols].equals(committed[cols]), rel
        tolerance = 1.0 if "web" not in rel else 1e-5
        for a, b in zip(mine.geometry, committed.geometry, strict=True):
            assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance)
