"""Build the project's West Midlands geography from open ward data.

The FOI counts belong to West Midlands Police areas ("Sandwell North", …) whose
boundaries were never published. This module makes them, honestly, from the
192 December-2019 wards and the hand-editable crosswalk
``boundaries/area_wards.csv`` that assigns each ward to one area:

    wards ──(crosswalk)──▶ areas ──▶ NPUs ──▶ boroughs

Every layer is dissolved from the same wards, so the layers nest exactly.
The build checks the crosswalk (each ward once, each area in one NPU, each NPU
in one borough) and the topology (the areas tile the boroughs with no gap or
overlap), and writes two copies: full resolution in British National Grid for
analysis, and a coverage-simplified WGS84 copy for the web whose largest
displacement from the full one is measured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hatecrime_maps.errors import BoundaryError
from hatecrime_maps.io.files import read_csv_rows
from hatecrime_maps.model import WEB_CRS, WORK_CRS

WARD_SOURCE = "wards_WD19_west_midlands.geojson"
POPULATION_SOURCE = "ward_lookup_population_2019_2020.csv"
CROSSWALK_FILE = "area_wards.csv"
CROSSWALK_COLUMNS = ("area", "npu", "ward_code", "ward_name", "confidence", "name_status", "basis")
CONFIDENCE_LEVELS = ("exact", "approximate", "guess")  # best first
NAME_STATUSES = ("reported", "inferred")
POPULATION_YEARS = (2019, 2020)
LAYERS = ("wards", "areas", "npus", "boroughs")
LINE_LAYERS = ("ward_lines", "borough_lines")
TOPOLOGY_KEYS = {
    "wards": ("ward_code", "ward_name"),
    "areas": ("area_id", "area"),
    "npus": ("npu_id", "npu"),
    "boroughs": ("borough_code", "borough"),
}
"""The attributes each layer keeps in the web topology: its id and its name."""
"""Web-only outlines: every shared edge once, for drawing context lines cheaply."""

WEB_TOLERANCE_M = 40.0
"""Coverage-simplification tolerance for the web copy, in metres."""

BNG_DECIMALS = 0  # 1 m: the source is already generalised to 20 m
WEB_DECIMALS = 5  # about 1 m at this latitude


def slug(name: str) -> str:
    """A stable id for a name: ``'Birmingham City Centre'`` → ``'birmingham-city-centre'``."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def population_column(year: int) -> str:
    """The population column for a year: the ONS mid-year estimate."""
    return f"pop_mid{year}"


@dataclass
class Geography:
    """The four nested layers, each a GeoDataFrame in one CRS."""

    wards: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    npus: gpd.GeoDataFrame
    boroughs: gpd.GeoDataFrame
    metrics: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    topology: dict = field(default_factory=dict)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """The layer called ``name`` (``wards``, ``areas``, ``npus``, ``boroughs``)."""
        return getattr(self, name)


# --------------------------------------------------------------------------
# Reading the sources


MAX_WARD_POPULATION = 1_000_000
"""Far above the largest ward in England (about 40,000): a bigger figure is a mistake."""


def read_source_wards(source_dir: Path) -> gpd.GeoDataFrame:
    """The source wards with borough and populations, in British National Grid."""
    path = source_dir / WARD_SOURCE
    if not path.exists():
        raise BoundaryError(
            str(path), "file not found (is --source the shared boundaries source folder?)"
        )
    try:
        raw = gpd.read_file(path)
    except Exception as exc:  # GDAL says why in its own words; any failure is a bad file
        raise BoundaryError(str(path), f"cannot be read as ward boundaries ({exc})") from None
    west, south, east, north = raw.total_bounds if len(raw) else (0, 0, 0, 0)
    epsg = raw.crs.to_epsg() if raw.crs is not None else None
    lon_lat = -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    metres = 0 <= west <= east <= 700_000 and 0 <= south <= north <= 1_300_000
    # The label and the numbers must agree: a wrong label would misplace every ward.
    if not ((epsg == 4326 and lon_lat) or (epsg == 27700 and metres and not lon_lat)):
        raise BoundaryError(
            str(path),
            f"is labelled {raw.crs or 'with no coordinate system'} "
            f"with coordinates from ({west:g}, {south:g}) to ({east:g}, {north:g}); "
            f"expected longitude and latitude ({WEB_CRS}), or British National Grid metres "
            f"({WORK_CRS})",
        )
    for col in ("WD19CD", "WD19NM"):
        if col not in raw.columns:
            raise BoundaryError(str(path), f"has no {col} field")
    for code, geom in zip(raw["WD19CD"], raw.geometry, strict=True):
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise BoundaryError(str(path), f"ward {code}: geometry is missing or not a polygon")
        if not geom.is_valid:
            raise BoundaryError(
                str(path), f"ward {code}: invalid geometry ({shapely.is_valid_reason(geom)})"
            )
    dupes = raw["WD19CD"][raw["WD19CD"].duplicated()]
    if len(dupes):
        raise BoundaryError(str(path), f"ward {dupes.iloc[0]} appears twice")

    pop_path = source_dir / POPULATION_SOURCE
    pops = read_csv_rows(
        pop_path,
        ("WD19CD", "LAD19CD", "LAD19NM", "pop_mid2019_all_ages", "pop_mid2020_all_ages"),
        BoundaryError,
    )
    by_code: dict[str, dict[str, str]] = {}
    lines_of: dict[str, int] = {}
    for line, row in pops:
        by_code[row["WD19CD"]] = row
        lines_of[row["WD19CD"]] = line
    wards = raw[["WD19CD", "WD19NM", "geometry"]].rename(
        columns={"WD19CD": "ward_code", "WD19NM": "ward_name"}
    )
    missing = sorted(set(wards["ward_code"]) - set(by_code))
    if missing:
        raise BoundaryError(str(pop_path), f"no population for ward {missing[0]}")
    rows = [by_code[c] for c in wards["ward_code"]]
    row_lines = [lines_of[c] for c in wards["ward_code"]]
    wards["borough_code"] = [r["LAD19CD"] for r in rows]
    wards["borough"] = [r["LAD19NM"] for r in rows]
    for year in POPULATION_YEARS:
        values = []
        for r, line in zip(rows, row_lines, strict=True):
            cell = r[f"pop_mid{year}_all_ages"]
            if not re.fullmatch(r"\d+", cell):
                raise BoundaryError(
                    str(pop_path), f"population {cell!r} is not a whole number", line
                )
            if not 0 < int(cell) <= MAX_WARD_POPULATION:
                raise BoundaryError(
                    str(pop_path),
                    f"population {cell} is not between 1 and "
                    f"{MAX_WARD_POPULATION:,}: no ward has that many residents",
                    line,
                )
            values.append(int(cell))
        wards[population_column(year)] = values
    return wards.to_crs(WORK_CRS)


def read_crosswalk(path: Path) -> pd.DataFrame:
    """Read ``area_wards.csv``, keeping each row's line number for error messages."""
    rows = read_csv_rows(path, CROSSWALK_COLUMNS, BoundaryError)
    for line, row in rows:
        for col in ("area", "npu", "ward_code"):
            if not row[col]:
                raise BoundaryError(str(path), f"empty {col}", line)
        if row["confidence"] not in CONFIDENCE_LEVELS:
            raise BoundaryError(
                str(path),
                f"confidence {row['confidence']!r} is not one of {', '.join(CONFIDENCE_LEVELS)}",
                line,
            )
        if row["name_status"] not in NAME_STATUSES:
            raise BoundaryError(
                str(path),
                f"name_status {row['name_status']!r} is not one of {', '.join(NAME_STATUSES)}",
                line,
            )
    frame = pd.DataFrame([r for _, r in rows], columns=list(CROSSWALK_COLUMNS))
    frame["line"] = [line for line, _ in rows]
    return frame


# --------------------------------------------------------------------------
# Checks


def check_crosswalk(crosswalk: pd.DataFrame, wards: gpd.GeoDataFrame, source: str) -> None:
    """Each ward in exactly one area, each area in one NPU, each NPU in one borough."""
    known = set(wards["ward_code"])
    seen: dict[str, int] = {}
    for line, code in zip(crosswalk["line"], crosswalk["ward_code"], strict=True):
        if code not in known:
            raise BoundaryError(source, f"unknown ward code {code}", line)
        if code in seen:
            raise BoundaryError(
                source, f"ward {code} is assigned twice (first at line {seen[code]})", line
            )
        seen[code] = line
    missing = wards.loc[~wards["ward_code"].isin(seen), ["ward_code", "ward_name"]]
    if len(missing):
        code, name = missing.iloc[0]
        raise BoundaryError(
            source,
            f"ward {code} ({name}) is not assigned to any area ({len(missing)} ward(s) missing)",
        )
    # An area's NPU, confidence and name status are repeated on each of its rows: they must agree.
    for attr in ("npu", "confidence", "name_status"):
        values = crosswalk.groupby("area")[attr].nunique()
        for name in values[values > 1].index:
            rows = crosswalk[crosswalk["area"] == name]
            raise BoundaryError(
                source,
                f"area {name!r} has more than one {attr}: {', '.join(sorted(rows[attr].unique()))}",
                int(rows["line"].iloc[-1]),
            )
    # Ids are made from names: two names that differ only in case or punctuation would
    # share one, and one area's figures would be drawn on the other's wards.
    for column in ("area", "npu"):
        first: dict[str, tuple[str, int]] = {}
        for line, name in zip(crosswalk["line"], crosswalk[column], strict=True):
            other = first.setdefault(slug(name), (name, line))
            if other[0] != name:
                raise BoundaryError(
                    source,
                    f"{column} {name!r} and {other[0]!r} (line "
                    f"{other[1]}) differ only in case or punctuation: use one "
                    "spelling",
                    line,
                )
    borough = wards.set_index("ward_code")["borough"]
    with_borough = crosswalk.assign(borough=crosswalk["ward_code"].map(borough))
    per_npu = with_borough.groupby("npu")["borough"].unique()
    for npu, boroughs in per_npu.items():
        if len(boroughs) > 1:
            raise BoundaryError(
                source, f"NPU {npu!r} spans more than one borough: {', '.join(sorted(boroughs))}"
            )


def check_coverage(geoms: np.ndarray, names: list[str], what: str) -> None:
    """Geometries form a valid coverage: no overlaps, shared edges match, no holes between."""
    invalid = [n for n, g in zip(names, geoms, strict=True) if not g.is_valid]
    if invalid:
        raise BoundaryError(what, f"invalid geometry for {invalid[0]}")
    edges = shapely.coverage_invalid_edges(geoms)
    bad = [n for n, e in zip(names, edges, strict=True) if e is not None and not e.is_empty]
    if bad:
        raise BoundaryError(
            what,
            f"boundaries of {', '.join(bad[:3])} overlap or do not meet their neighbours' edges",
        )
    union = shapely.coverage_union_all(geoms)
    holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    if holes:
        raise BoundaryError(what, f"{holes} gap(s) between the areas")


# --------------------------------------------------------------------------
# Building


def _dissolve(wards: gpd.GeoDataFrame, by: str, first: list[str]) -> gpd.GeoDataFrame:
    """Union wards into one polygon per group (coverage union: exact for a valid coverage)."""
    rows = []
    for key, group in wards.groupby(by, sort=True):
        row = {by: key}
        for col in first:
            row[col] = group[col].iloc[0]
        row["ward_count"] = len(group)
        for year in POPULATION_YEARS:
            row[population_column(year)] = int(group[population_column(year)].sum())
        row["geometry"] = shapely.coverage_union_all(group.geometry.values)
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=wards.crs)


def _worst(levels: pd.Series) -> str:
    return max(levels, key=CONFIDENCE_LEVELS.index)


def build_layers(wards: gpd.GeoDataFrame, crosswalk: pd.DataFrame) -> Geography:
    """Dissolve the wards into areas, NPUs and boroughs (pure; CRS kept)."""
    cw = crosswalk.set_index("ward_code")
    wards = wards.assign(
        area=wards["ward_code"].map(cw["area"]),
        npu=wards["ward_code"].map(cw["npu"]),
        confidence=wards["ward_code"].map(cw["confidence"]),
        name_status=wards["ward_code"].map(cw["name_status"]),
    )
    wards = wards.sort_values("ward_code", kind="stable").reset_index(drop=True)

    areas = _dissolve(wards, "area", ["npu", "borough", "borough_code", "name_status"])
    areas["confidence"] = [
        _worst(wards.loc[wards["area"] == a, "confidence"]) for a in areas["area"]
    ]
    areas.insert(0, "area_id", [slug(a) for a in areas["area"]])

    npus = _dissolve(wards, "npu", ["borough", "borough_code"])
    npus["area_count"] = [int((areas["npu"] == n).sum()) for n in npus["npu"]]
    # An NPU that is a whole borough is exact; a part of one (Birmingham) is approximate.
    npus["confidence"] = [
        "exact" if (npus["borough"] == b).sum() == 1 else "approximate" for b in npus["borough"]
    ]
    npus.insert(0, "npu_id", [slug(n) for n in npus["npu"]])

    boroughs = _dissolve(wards, "borough", ["borough_code"])

    ward_cols = [
        "ward_code",
        "ward_name",
        "borough_code",
        "borough",
        "area",
        "npu",
        *(population_column(y) for y in POPULATION_YEARS),
        "geometry",
    ]
    area_cols = [
        "area_id",
        "area",
        "npu",
        "borough",
        "borough_code",
        "confidence",
        "name_status",
        "ward_count",
        *(population_column(y) for y in POPULATION_YEARS),
        "geometry",
    ]
    npu_cols = [
        "npu_id",
        "npu",
        "borough",
        "borough_code",
        "confidence",
        "area_count",
        "ward_count",
        *(population_column(y) for y in POPULATION_YEARS),
        "geometry",
    ]
    borough_cols = [
        "borough_code",
        "borough",
        "ward_count",
        *(population_column(y) for y in POPULATION_YEARS),
        "geometry",
    ]
    return Geography(wards[ward_cols], areas[area_cols], npus[npu_cols], boroughs[borough_cols])


def _with_geometry(gdf: gpd.GeoDataFrame, geoms: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(gdf.drop(columns="geometry"), geometry=list(geoms), crs=crs)


def boundary_lines(geoms: np.ndarray) -> shapely.MultiLineString:
    """The edges of a coverage as lines, each shared edge once, in a stable order."""
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    parts = [shapely.normalize(p) for p in getattr(merged, "geoms", [merged])]
    return shapely.MultiLineString(sorted(parts, key=lambda p: (p.coords[0], len(p.coords))))


def max_displacement(full: np.ndarray, simplified: np.ndarray) -> float:
    """Largest Hausdorff distance between matching boundaries, in the CRS's units."""
    return float(
        max(
            shapely.hausdorff_distance(a.boundary, b.boundary)
            for a, b in zip(full, simplified, strict=True)
        )
    )


def build_geography(
    wards: gpd.GeoDataFrame, crosswalk: pd.DataFrame, tolerance: float = WEB_TOLERANCE_M
) -> tuple[Geography, Geography]:
    """Build the full (BNG, 1 m) and web (WGS84, simplified) geographies, with checks.

    The web copy simplifies the ward coverage once (shared edges stay shared),
    then dissolves it like the full copy, so every web layer nests exactly too.
    """
    from hatecrime_maps.io.geojson import round_geometries

    wards = wards.to_crs(WORK_CRS)
    rounded = round_geometries(wards.geometry.values, BNG_DECIMALS)
    check_coverage(rounded, list(wards["ward_code"]), "wards (British National Grid)")
    full = build_layers(_with_geometry(wards, rounded, WORK_CRS), crosswalk)
    check_coverage(full.areas.geometry.values, list(full.areas["area"]), "areas")

    simple = shapely.coverage_simplify(full.wards.geometry.values, tolerance)
    web_wards = _with_geometry(full.wards, simple, WORK_CRS).to_crs(WEB_CRS)
    web_geoms = round_geometries(web_wards.geometry.values, WEB_DECIMALS)
    check_coverage(web_geoms, list(web_wards["ward_code"]), "wards (web copy)")
    web_wards = _with_geometry(web_wards, web_geoms, WEB_CRS)
    web = build_layers(web_wards.drop(columns=["area", "npu"]), crosswalk)
    check_coverage(web.areas.geometry.values, list(web.areas["area"]), "areas (web copy)")

    back = web.wards.to_crs(WORK_CRS).geometry.values
    vertices = {
        name: int(shapely.get_num_coordinates(full.layer(name).geometry.values).sum())
        for name in LAYERS
    }
    web_vertices = {
        name: int(shapely.get_num_coordinates(web.layer(name).geometry.values).sum())
        for name in LAYERS
    }
    web.lines = {
        "ward_lines": boundary_lines(web.wards.geometry.values),
        "borough_lines": boundary_lines(web.boroughs.geometry.values),
    }
    from hatecrime_maps.geography.topology import build_topology

    web.topology = build_topology(
        {name: web.layer(name)[[*keys, "geometry"]] for name, keys in TOPOLOGY_KEYS.items()},
        WEB_DECIMALS,
    )
    web.metrics = {
        "tolerance_m": tolerance,
        "max_displacement_m": round(max_displacement(full.wards.geometry.values, back), 1),
        "vertices_full": vertices,
        "vertices_web": web_vertices,
    }
    return full, web


# --------------------------------------------------------------------------
# Writing and loading


def layer_records(gdf: gpd.GeoDataFrame) -> list[dict]:
    """A layer's attributes, one dict per feature, without the geometry."""
    cols = [c for c in gdf.columns if c != "geometry"]
    return [dict(zip(cols, row, strict=True)) for row in gdf[cols].itertuples(index=False)]


def geography_files(full: Geography, web: Geography) -> dict[str, str]:
    """Relative path → text for every file the boundary build writes (but the README)."""
    from hatecrime_maps.io.geojson import EPSG_27700_CRS, feature_collection_text

    files = {}
    for name in LAYERS:
        files[f"{name}.geojson"] = feature_collection_text(
            layer_records(full.layer(name)),
            full.layer(name).geometry.values,
            decimals=BNG_DECIMALS,
            crs=EPSG_27700_CRS,
            name=name,
        )
        files[f"web/{name}.geojson"] = feature_collection_text(
            layer_records(web.layer(name)),
            web.layer(name).geometry.values,
            decimals=WEB_DECIMALS,
            name=name,
        )
    for name, line in web.lines.items():
        files[f"web/{name}.geojson"] = feature_collection_text(
            [{"layer": name}], [line], decimals=WEB_DECIMALS, name=name
        )
    if web.topology:
        from hatecrime_maps.geography.topology import TOPOLOGY_FILE, topology_text

        files[f"web/{TOPOLOGY_FILE}"] = topology_text(web.topology)
    files["web/metrics.json"] = json.dumps(web.metrics, indent=2, sort_keys=True) + "\n"
    return files
