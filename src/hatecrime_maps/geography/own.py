"""Your own boundaries: a file of areas a user holds, checked and made a boundaries folder.

``build --boundaries-file FILE --name-field NAME`` maps a counts table on any
areas a user has (a council's own wards, a force's neighbourhoods): GeoJSON,
GeoPackage or Shapefile in any coordinate reference system, read with pyogrio.
The file is checked (every feature an area with a valid shape and a name, no
two with one name, no two overlapping by more than :data:`OVERLAP_TOLERANCE_M2`),
reprojected to British National Grid and to WGS84, coverage-simplified the
way the project's own boundaries are, and written as a boundaries folder of
one level, which the build then reads like any other. It has no population
unless the file holds one (``--population-field`` with ``--population-year``),
and carries the user's attribution.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hatecrime_maps.errors import BoundaryError, OptionError
from hatecrime_maps.geography.levels import normalise_name
from hatecrime_maps.geography.provenance import PROVENANCE_FILE, Provenance
from hatecrime_maps.model import WEB_CRS, WORK_CRS

LAYER = "areas"
OUTLINE = "extent"
OVERLAP_TOLERANCE_M2 = 100.0
"""Two areas may overlap by this much (a sliver where digitised edges disagree), no more."""
WEB_TOLERANCE_M = 20.0
"""The web copy's coverage-simplification tolerance, as fine as the West Midlands wards'."""
WEB_DECIMALS = 5
MAX_FEATURES = 20_000
"""More areas than this are not one level of anyone's geography."""


@dataclass(frozen=True, kw_only=True)
class OwnBoundaries:
    """A user's boundaries file and how to read it (the ``--boundaries-file`` flags).

    ``name_field`` names each area as the counts table does; ``code_field``, if
    given, is a code the table may use instead; ``population_field`` and
    ``population_year`` give residents for rates; ``attribution`` is shown on
    every map and download, as the file's licence asks.
    """

    path: Path
    name_field: str
    code_field: str | None = None
    attribution: str | None = None
    population_field: str | None = None
    population_year: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if (self.population_field is None) != (self.population_year is None):
            raise OptionError(
                "--population-field",
                "give --population-field and --population-year together: a population is of a year",
            )


def _where(i: int, name: object) -> str:
    return f"feature {i + 1} ({str(name)[:60]!r})"


def read_own(own: OwnBoundaries) -> gpd.GeoDataFrame:
    """The file's areas, checked, in British National Grid: ``area_id, area[, pop]``.

    Raises :class:`BoundaryError` naming the file, the feature and the problem.
    """
    source = str(own.path)
    if not own.path.is_file():
        raise BoundaryError(source, "file not found (--boundaries-file)")
    try:
        frame = gpd.read_file(own.path, engine="pyogrio")
    except Exception as exc:  # pyogrio's errors name the driver's problem
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BoundaryError(
            source, f"cannot be read as GeoJSON, GeoPackage or Shapefile ({first})"
        ) from None
    if frame.crs is None:
        raise BoundaryError(
            source,
            "has no coordinate reference system, so its coordinates cannot be placed: save "
            "it with one (GeoJSON is WGS84; a Shapefile needs its .prj file)",
        )
    if len(frame) == 0:
        raise BoundaryError(source, "holds no features")
    if len(frame) > MAX_FEATURES:
        raise BoundaryError(source, f"holds {len(frame):,} features, more than {MAX_FEATURES:,}")
    fields = [c for c in frame.columns if c != "geometry"]
    for flag, name in (
        ("--name-field", own.name_field),
        ("--code-field", own.code_field),
        ("--population-field", own.population_field),
    ):
        if name is not None and name not in frame.columns:
            raise BoundaryError(
                source, f"{flag} {name!r} is not a field (fields: {', '.join(fields)})"
            )
    names = frame[own.name_field]
    for i, name in enumerate(names):
        if name is None or (isinstance(name, float) and np.isnan(name)) or not str(name).strip():
            raise BoundaryError(source, f"feature {i + 1} has no name in {own.name_field!r}")
    names = names.astype(str).str.strip()
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = normalise_name(name)
        if key in seen:
            raise BoundaryError(
                source,
                f"two areas are named {name!r} (features {seen[key] + 1} and {i + 1}): "
                "each name must be one area",
            )
        seen[key] = i
    for i, geom in enumerate(frame.geometry):
        if geom is None or geom.is_empty:
            raise BoundaryError(source, f"{_where(i, names[i])} has no shape")
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise BoundaryError(source, f"{_where(i, names[i])} is a {geom.geom_type}, not an area")
        if not geom.is_valid:
            raise BoundaryError(
                source,
                f"{_where(i, names[i])} is not a valid polygon "
                f"({shapely.is_valid_reason(geom)}); repair it (QGIS: Fix geometries)",
            )
    bng = frame.to_crs(WORK_CRS)
    _check_overlaps(bng.geometry.values, list(names), source)
    out = pd.DataFrame({"area": names})
    if own.code_field is not None:
        codes = frame[own.code_field].astype(str).str.strip()
        twice = codes[codes.duplicated()]
        if len(twice):
            raise BoundaryError(source, f"two areas have the code {twice.iloc[0]!r}")
        out.insert(0, "area_id", codes)
    else:
        out.insert(0, "area_id", [f"area-{i + 1}" for i in range(len(out))])
    if own.population_field is not None:
        population = pd.to_numeric(frame[own.population_field], errors="coerce")
        bad = population.isna() | (population <= 0) | (population % 1 != 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise BoundaryError(
                source,
                f"{_where(i, names[i])}: population {frame[own.population_field].iloc[i]!r} "
                "is not a whole number of residents",
            )
        out[f"pop_mid{own.population_year}"] = population.astype("int64")
    return gpd.GeoDataFrame(out, geometry=list(bng.geometry.values), crs=WORK_CRS)


def _check_overlaps(geoms: np.ndarray, names: list[str], source: str) -> None:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a >= b:
            continue
        overlap = shapely.intersection(geoms[a], geoms[b]).area
        if overlap > OVERLAP_TOLERANCE_M2:
            raise BoundaryError(
                source,
                f"{names[a]!r} and {names[b]!r} overlap by {overlap:,.0f} m² (at most "
                f"{OVERLAP_TOLERANCE_M2:,.0f} m² is allowed): a place must be in one area",
            )


def own_folder_files(own: OwnBoundaries, areas: gpd.GeoDataFrame) -> dict[str, str]:
    """Every file of the boundaries folder made from a user's areas, as text."""
    from hatecrime_maps.geography.topology import TOPOLOGY_FILE, build_topology, topology_text
    from hatecrime_maps.geography.wards import layer_records, max_displacement
    from hatecrime_maps.io.geojson import EPSG_27700_CRS, feature_collection_text, round_geometries

    geoms = areas.geometry.values
    try:  # shared edges stay shared where the areas tile; otherwise each is simplified alone
        simple = shapely.coverage_simplify(geoms, WEB_TOLERANCE_M)
    except shapely.errors.GEOSException:
        simple = shapely.simplify(geoms, WEB_TOLERANCE_M, preserve_topology=True)
    outline = gpd.GeoDataFrame(
        {"extent": ["all areas"]}, geometry=[shapely.union_all(geoms)], crs=WORK_CRS
    )
    web = gpd.GeoDataFrame(areas.drop(columns="geometry"), geometry=list(simple), crs=WORK_CRS)
    web = web.to_crs(WEB_CRS)
    web = gpd.GeoDataFrame(
        web.drop(columns="geometry"),
        geometry=list(shapely.make_valid(round_geometries(web.geometry.values, WEB_DECIMALS))),
        crs=WEB_CRS,
    )
    web_outline = gpd.GeoDataFrame(
        {"extent": ["all areas"]}, geometry=[shapely.union_all(web.geometry.values)], crs=WEB_CRS
    )
    files = {
        f"{LAYER}.geojson": feature_collection_text(
            layer_records(areas),
            list(round_geometries(geoms, 0)),
            decimals=0,
            crs=EPSG_27700_CRS,
            name=LAYER,
        ),
        f"{OUTLINE}.geojson": feature_collection_text(
            [{"extent": "all areas"}],
            list(round_geometries(outline.geometry.values, 0)),
            decimals=0,
            crs=EPSG_27700_CRS,
            name=OUTLINE,
        ),
        f"web/{LAYER}.geojson": feature_collection_text(
            layer_records(web), web.geometry.values, decimals=WEB_DECIMALS, name=LAYER
        ),
        f"web/{OUTLINE}.geojson": feature_collection_text(
            [{"extent": "all areas"}],
            web_outline.geometry.values,
            decimals=WEB_DECIMALS,
            name=OUTLINE,
        ),
    }
    topology = build_topology(
        {LAYER: web[["area_id", "area", "geometry"]], OUTLINE: web_outline}, WEB_DECIMALS
    )
    files[f"web/{TOPOLOGY_FILE}"] = topology_text(topology)
    back = web.to_crs(WORK_CRS).geometry.values
    metrics = {
        "tolerance_m": WEB_TOLERANCE_M,
        "max_displacement_m": round(max_displacement(geoms, back), 1),
    }
    files["web/metrics.json"] = json.dumps(metrics, indent=2, sort_keys=True) + "\n"
    by_code = "yes" if own.code_field else "no"
    files["levels.csv"] = (
        "level,label,plural,layer,id_field,name_field,structure,parent,rollups,export_name,"
        "export_fields,match_codes,code_pattern,header_words,boundaries_built,extent\n"
        f"area,area,areas,{LAYER},area_id,area,own,,,{LAYER},area_id area,{by_code},.+,"
        "area;neighbourhood;division;sector;beat,no,\n"
    )
    files["structures.csv"] = _csv(
        [
            ["structure", "name", "level", "start", "end", "boundaries"],
            ["own", f"the areas of {own.path.name}", "area", "", "", "yes"],
        ]
    )
    files["area_aliases.csv"] = "alias,area,level,structure\n"
    files["structure_names.csv"] = "name,structure\n"
    files["population_notes.csv"] = "level,area,note\n"
    code = f"field {own.code_field}" if own.code_field else "the feature number"
    fields = [
        ["field", "meaning"],
        ["area_id", f"the area's code: {code} of {own.path.name}"],
        ["area", f"the area's name: field {own.name_field} of {own.path.name}"],
        ["extent", "the union of every area"],
    ]
    if own.population_year is not None:
        fields.append(
            [
                f"pop_mid{own.population_year}",
                f"residents: field {own.population_field} of {own.path.name} "
                f"({own.population_year})",
            ]
        )
    files["fields.csv"] = _csv(fields)
    populations = (
        {own.population_year: f"{own.population_field} in {own.path.name}"}
        if own.population_year is not None
        else {}
    )
    files[PROVENANCE_FILE] = Provenance(
        name=f"areas of {own.path.name}",
        attribution=own.attribution
        or f"Boundaries: {own.path.name}, supplied by the user; no attribution was given.",
        boundary_vintage=f"{own.path.name}, as supplied (web copy simplified at "
        f"{WEB_TOLERANCE_M:.0f} m)",
        populations=populations,
        context_lines={"fine": LAYER, "outline": OUTLINE},
        outline_name_field="extent",
        open_government_licence=False,
    ).to_json()
    return files


def _csv(rows: list[list[str]]) -> str:
    """Rows as CSV text, every cell quoted as it needs: names come from the user's file."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write_own_folder(own: OwnBoundaries, folder: Path) -> Path:
    """Check a user's file and write it as a boundaries folder in ``folder``; return it."""
    areas = read_own(own)
    for relative, text in own_folder_files(own, areas).items():
        path = Path(folder) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(folder)
