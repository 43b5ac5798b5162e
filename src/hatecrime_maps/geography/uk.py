"""Build the UK geography: every council (May 2024) and every police force, from ONS open data.

The West Midlands folder is built from wards; this one from the ONS
ultra-generalised (500 m) council boundaries of May 2024, for the whole UK:

    councils (361) ──(ONS lookup council → force)──▶ forces (45)

Forces are dissolved from the councils, so councils nest in forces exactly:
the 43 territorial forces of England and Wales, Police Scotland (the 32
Scottish councils) and the Police Service of Northern Ireland (the 11
Northern Irish councils). Each council carries the date its code came into
force (``valid_from``; blank where it is older than the ONS code chain held),
so an answer naming it is mapped only for periods it existed in, and the
councils abolished since April 2016 are listed as names without boundaries.
Populations are the ONS mid-year estimates of 2017, 2019 and 2020 per
council of that year, summed into the 2024 councils through the code chain
(a 2024 council is a union of whole councils of every earlier vintage), and
summed again into forces; Scotland and Northern Ireland have none here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hatecrime_maps.errors import BoundaryError
from hatecrime_maps.geography.levels import normalise_name
from hatecrime_maps.geography.provenance import Provenance
from hatecrime_maps.geography.wards import check_coverage, max_displacement, population_column
from hatecrime_maps.io.geojson import round_geometries
from hatecrime_maps.model import WEB_CRS, WORK_CRS

COUNCILS_SOURCE = "lad_may2024_uk_buc.geojson"
FORCE_LOOKUP = "lookup_lad24_csp24_pfa24_ew.csv"
CODE_CHAIN = "lookup_ltla16_to_ltla24_uk.csv"
COUNCIL_POPULATION = "population_lad_2017_2019_2020_census2021_ew.csv"
FORCE_POPULATION = "population_pfa_csp24_2017_2019_2020_census2021_ew.csv"
FORCE_NAMES = "force_names_ew.csv"
SCOTTISH_DIVISIONS = "police_scotland_divisions_2024.csv"
PSNI_DISTRICTS = "psni_districts_2015.csv"
WARDS_SOURCE = "wards_dec2022_uk_bsc_simplified.geojson"
WARD_LOOKUP = "lookup_wd21_lad21_uk.csv"
WARD_POPULATION = "ward_population_mid2020_persons_ew_wd21.csv"
PARTNERSHIPS = "csp24_from_lads.csv"
EARLIER_COUNCILS = {
    "2018": "lad_2018_ew_approx_from_lad19_buc_lsoa11.geojson",
    "2019": "lad_dec2019_uk_buc.geojson",
    "2020": "lad_dec2020_uk_buc.geojson",
    "2021": "lad_dec2021_uk_buc.geojson",
}
"""The earlier council vintages held: each abolished council is drawn from the latest that
has it, and a partnership inside a 2024 council is cut along them. The 2018 set is not an
ONS product: the councils merged in April 2019 cut from their 2019 successors along small
areas, so its boundaries are approximate."""
APPROXIMATE_VINTAGES = ("2018",)
COUNCIL_STRUCTURE = "councils-2016-2024"
"""The structure of the council level: every council since April 2016, each with its dates."""
VINTAGE_NAMES = {
    "2018": "April 2018 (approximate)",
    "2019": "December 2019",
    "2020": "December 2020",
    "2021": "December 2021",
    "2024": "May 2024",
}
"""The council boundary sets, as ONS names them; 2018 is derived (see :data:`EARLIER_COUNCILS`)."""
SOURCES = (
    COUNCILS_SOURCE,
    FORCE_LOOKUP,
    CODE_CHAIN,
    COUNCIL_POPULATION,
    FORCE_POPULATION,
    FORCE_NAMES,
    SCOTTISH_DIVISIONS,
    PSNI_DISTRICTS,
    WARDS_SOURCE,
    WARD_LOOKUP,
    WARD_POPULATION,
    PARTNERSHIPS,
    *EARLIER_COUNCILS.values(),
)

POPULATION_YEARS = (2017, 2019, 2020)
POPULATION_VINTAGE = {2017: "ltla18", 2019: "ltla19", 2020: "ltla21"}
"""The council vintage each year's estimates are on, as a column prefix of the code chain."""

CHAIN_YEARS = ("16", "17", "18", "19", "20", "21", "22", "23", "24")
CODE_START = {
    "16": None,
    "17": date(2017, 4, 1),
    "18": date(2018, 4, 1),
    "19": date(2019, 4, 1),
    "20": date(2020, 4, 1),
    "21": date(2021, 4, 1),
    "22": date(2022, 4, 1),
    "23": date(2023, 4, 1),
    "24": date(2024, 4, 1),
}
"""When a council code first listed in a vintage came into force (reorganisations take
effect on 1 April); a code already in the 2016 list is older than the chain says."""

WARD_POPULATION_YEAR = 2020
"""The one year ward estimates are held for: mid-2020, on the wards of 2021."""
WARD_CHANGES_DAY = date(2022, 5, 5)
"""The local elections at which the ward changes of 2022 took effect in England, Wales and
Scotland: a December-2022 ward whose code is not among the wards of 2021 holds from then."""

SCOTLAND = ("S92000003", "Police Scotland", "Scotland")
NORTHERN_IRELAND = ("N92000002", "Police Service of Northern Ireland", "Northern Ireland")
"""The forces beyond England and Wales: ONS has no force code for them, so each takes
the ONS code of the country it polices."""
ENGLAND_AND_WALES = "England and Wales"

FULL_TOLERANCE_M = 50.0
"""A light coverage simplification of the full copy: the 500 m source, snapped so that its
shared edges survive rounding to whole metres."""
WEB_TOLERANCE_M = 100.0
"""Coverage simplification for the web copy: the source is generalised to 500 m already."""
WARD_FULL_TOLERANCE_M = 10.0
"""The wards' full copy: snapped lightly so shared edges survive rounding to whole metres."""
WARD_WEB_TOLERANCE_M = 60.0
"""The wards' web copy: their source is generalised to 200 m and simplified again, and a
town ward is a kilometre or two across."""
WEB_DECIMALS = 5  # about 1 m; 4 decimals would break shared edges of the smallest councils
BNG_DECIMALS = 0

LAYERS = ("wards", "councils", "csps", "divisions", "forces")
"""The layers of each copy, finest first; the web copy is one topology of them all."""

PROVENANCE = Provenance(
    name="United Kingdom",
    attribution=(
        "Source: Office for National Statistics licensed under the Open Government Licence "
        "v.3.0. Contains OS data \u00a9 Crown copyright and database right 2024."
    ),
    boundary_vintage=(
        "council areas (local authority districts) of May 2024, and those abolished since "
        "April 2016 as the latest of the December 2019, 2020 and 2021 sets has them (those "
        "merged in April 2019 approximately), ONS ultra-generalised 500 m; police force "
        "areas as the councils of May 2024 make them up"
    ),
    populations={
        2017: "ONS mid-2017 population estimates (LSOA estimates summed to councils), all ages",
        2019: "ONS mid-2019 population estimates for local authorities (MYE2), all ages",
        2020: "ONS mid-2020 population estimates for local authorities (MYE2), all ages",
    },
    context_lines={"fine": "councils", "outline": "forces"},
    outline_name_field="force",
    confidence_meanings={
        "exact": "the area's own boundary as ONS publishes it, generalised",
        "approximate": (
            "a council merged in April 2019, or a partnership made of them, cut from its "
            "successor along small-area boundaries: its inner edges may be a few hundred "
            "metres out"
        ),
    },
    level_boundaries={
        "ward": (
            "wards of December 2022, ONS super-generalised 200 m and simplified further; "
            "councils and forces are ultra-generalised 500 m, so their edges need not follow "
            "the wards' exactly"
        ),
        "csp": (
            "community safety partnerships of 2024 as unions of whole councils (of May 2024; "
            "of December 2019 or 2021 where partnerships divide a council of 2024), ONS "
            "ultra-generalised 500 m, and the police force areas they make up"
        ),
        "division": (
            "Police Scotland divisions as unions of the council areas of May 2024, ONS "
            "ultra-generalised 500 m"
        ),
    },
    level_populations={
        "ward": {
            WARD_POPULATION_YEAR: (
                "ONS mid-2020 ward population estimates (wards of 2021), all ages"
            )
        },
        "csp": {
            year: f"ONS mid-{year} population estimates (small-area estimates summed to "
            "partnerships), all ages"
            for year in POPULATION_YEARS
        },
        "division": {},  # Scotland: none held
    },
)
"""What the UK build writes to ``boundaries/uk/provenance.json``."""


@dataclass
class UkGeography:
    """The layers of one copy (full BNG or web WGS84) and what was measured."""

    wards: gpd.GeoDataFrame
    councils: gpd.GeoDataFrame
    csps: gpd.GeoDataFrame
    divisions: gpd.GeoDataFrame
    forces: gpd.GeoDataFrame
    abolished: pd.DataFrame
    """Councils of earlier vintages with no 2024 boundary: code, name, last day."""
    topology: dict | None = None
    metrics: dict | None = None

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """One of :data:`LAYERS`."""
        frame: gpd.GeoDataFrame = getattr(self, name)
        return frame


def _read_csv(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise BoundaryError(str(path), "file not found (is --source the national folder?)")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def council_dates(chain: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame]:
    """When each council code came into force, and the councils abolished since 2016.

    Returns ``code -> ISO date`` ("" for codes in the 2016 list), for the councils of
    2024 and every earlier one of England and Wales, and a table of
    abolished councils (``code, name, last_day``): codes that leave the chain
    before 2024, ending the day before the vintage that no longer lists them.
    """
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]  # Scottish rows hold artefacts
    starts: dict[str, str] = {}
    codes = set(chain["ltla24_code"]) | {c for y in CHAIN_YEARS for c in ew[f"ltla{y}_code"]}
    for code in sorted(codes):
        source = chain if code in set(chain["ltla24_code"]) else ew
        first = next(y for y in CHAIN_YEARS if code in set(source[f"ltla{y}_code"]))
        start = CODE_START[first]
        starts[code] = start.isoformat() if start else ""
    gone: list[tuple[str, str, str]] = []
    for i, year in enumerate(CHAIN_YEARS[:-1]):
        later = set(ew[f"ltla{CHAIN_YEARS[i + 1]}_code"])
        pairs = zip(ew[f"ltla{year}_code"], ew[f"ltla{year}_name"], strict=True)
        for code, name in sorted(set(pairs)):
            if code not in later and not any(g[0] == code for g in gone):
                next_start = CODE_START[CHAIN_YEARS[i + 1]]
                assert next_start is not None
                last = date.fromordinal(next_start.toordinal() - 1)
                gone.append((code, name, last.isoformat()))
    return starts, pd.DataFrame(gone, columns=["code", "name", "last_day"])


def council_populations(chain: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """Population per 2024 council and mid-year, summed from the councils of that year."""
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    columns = {}
    for year, prefix in POPULATION_VINTAGE.items():
        vintage = "2018" if prefix == "ltla18" else "2019" if prefix == "ltla19" else "2021"
        rows = populations[
            (populations["year"] == str(year)) & (populations["lad_vintage"] == vintage)
        ]
        to_2024 = dict(zip(ew[f"{prefix}_code"], ew["ltla24_code"], strict=True))
        missing = sorted(set(rows["lad_code"]) - set(to_2024))
        if missing:
            raise BoundaryError(
                COUNCIL_POPULATION, f"council {missing[0]} is not in the code chain"
            )
        summed = rows["population"].astype(int).groupby(rows["lad_code"].map(to_2024)).sum()
        columns[population_column(year)] = summed
    return pd.DataFrame(columns)


COUNCIL_COLUMNS = (
    "council_code",
    "council",
    "force_code",
    "force",
    "jurisdiction",
    "valid_from",
    "valid_to",
    "successor_code",
    *(population_column(y) for y in POPULATION_YEARS),
    "vintage",
    "confidence",
    "geometry",
)
"""The council layer's columns, for councils of 2024 and those abolished since alike."""


def next_code(chain: pd.DataFrame, code: str) -> str:
    """The council an abolished council became part of: the next code in the chain after it.

    Every reorganisation since 2016 merged whole councils, so all of a code's rows
    agree; one that does not is an error in the chain.
    """
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    found: set[str] = set()
    for _, row in ew.iterrows():
        codes = [str(row[f"ltla{y}_code"]) for y in CHAIN_YEARS]
        if code in codes:
            last = len(codes) - 1 - codes[::-1].index(code)
            if last + 1 < len(codes):
                found.add(codes[last + 1])
    if len(found) != 1:
        raise BoundaryError(CODE_CHAIN, f"council {code} has {len(found)} next councils")
    return found.pop()


def read_councils(
    folder: Path, chain: pd.DataFrame, *, starts: Mapping[str, str], populations: pd.DataFrame
) -> gpd.GeoDataFrame:
    """The May 2024 councils with their force, dates and populations, in British National Grid.

    Each holds from ``valid_from`` with no end (``valid_to`` blank), drawn from the
    ``vintage`` of May 2024, exactly.

    ``chain`` is the code chain (:data:`CODE_CHAIN`), which carries the populations
    (:data:`COUNCIL_POPULATION`) of earlier councils into these; ``starts`` the day
    each code came into force (:func:`council_dates`).
    """
    path = folder / COUNCILS_SOURCE
    if not path.is_file():
        raise BoundaryError(str(path), "file not found (is --source the national folder?)")
    councils = gpd.read_file(path).set_crs(WEB_CRS, allow_override=True).to_crs(WORK_CRS)
    councils = councils.rename(columns={"ltla24_code": "council_code", "ltla24_name": "council"})
    lookup = _read_csv(folder, FORCE_LOOKUP).drop_duplicates("ltla24_code")
    force_of = dict(
        zip(
            lookup["ltla24_code"],
            zip(lookup["pfa24_code"], lookup["pfa24_name"], strict=True),
            strict=True,
        )
    )
    forces = []
    for code in councils["council_code"]:
        if code in force_of:
            forces.append((*force_of[code], ENGLAND_AND_WALES))
        elif code.startswith("S"):
            forces.append(SCOTLAND)
        elif code.startswith("N"):
            forces.append(NORTHERN_IRELAND)
        else:
            raise BoundaryError(str(path), f"council {code} is in no police force area")
    councils["force_code"] = [f[0] for f in forces]
    councils["force"] = [f[1] for f in forces]
    councils["jurisdiction"] = [f[2] for f in forces]
    councils["valid_from"] = councils["council_code"].map(starts).fillna("")
    pops = council_populations(chain, populations)
    for column in pops.columns:
        councils[column] = councils["council_code"].map(pops[column]).astype("Int64")
    councils["valid_to"] = ""
    councils["successor_code"] = ""
    councils["vintage"] = VINTAGE_NAMES["2024"]
    councils["confidence"] = "exact"
    return councils.sort_values("council_code").reset_index(drop=True)[list(COUNCIL_COLUMNS)]


def read_earlier_councils(folder: Path, chain: pd.DataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Each earlier council vintage held (:data:`EARLIER_COUNCILS`), in British National Grid.

    Columns ``code``, ``name`` and geometry, mended where the source's is invalid.
    The approximate 2018 councils are those of 2019 but for the ones merged in April
    2019, which are cut out of their 2019 successor along the source's lines (its
    edges elsewhere do not meet), so each vintage is a valid coverage.
    """
    frames = {}
    for vintage, name in EARLIER_COUNCILS.items():
        path = folder / name
        if not path.is_file():
            raise BoundaryError(str(path), "file not found (is --source the national folder?)")
        frame = gpd.read_file(path).set_crs(WEB_CRS, allow_override=True).to_crs(WORK_CRS)
        prefix = f"ltla{vintage[2:]}"
        frame = frame.rename(columns={f"{prefix}_code": "code", f"{prefix}_name": "name"})
        frame["geometry"] = shapely.make_valid(frame.geometry.values)
        frames[vintage] = frame[["code", "name", "geometry"]].sort_values("code", ignore_index=True)
    for vintage in APPROXIMATE_VINTAGES:
        frames[vintage] = _cut_from_successors(frames[vintage], frames["2019"], chain, vintage)
    return frames


def _cut_from_successors(
    frame: gpd.GeoDataFrame, successors: gpd.GeoDataFrame, chain: pd.DataFrame, vintage: str
) -> gpd.GeoDataFrame:
    """``frame``'s councils, those of ``successors`` where the code is kept, the rest cut.

    A council that merged into a successor is its share of the successor's shape.
    """
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    later = dict(zip(ew[f"ltla{vintage[2:]}_code"], ew["ltla19_code"], strict=True))
    kept = successors[successors["code"].isin(set(frame["code"]))]
    merged = frame[~frame["code"].isin(set(successors["code"]))]
    parts: dict[str, list[tuple[str, shapely.Geometry]]] = {}
    for code, geom in zip(merged["code"], merged.geometry.values, strict=True):
        parts.setdefault(later[code], []).append((code, geom))
    rows = list(zip(kept["code"], kept.geometry.values, strict=True))
    whole = dict(zip(successors["code"], successors.geometry.values, strict=True))
    for parent, pieces in sorted(parts.items()):
        rows += _cut(whole[parent], pieces)
    names = dict(zip(frame["code"], frame["name"], strict=True))
    codes = [code for code, _ in rows]
    geoms = _noded(np.array([g for _, g in rows]), what=f"councils of {vintage}")
    out = gpd.GeoDataFrame(
        {"code": codes, "name": [names[c] for c in codes]}, geometry=list(geoms), crs=frame.crs
    )
    return out.sort_values("code", ignore_index=True)


def abolished_councils(
    abolished: pd.DataFrame,
    *,
    earlier: Mapping[str, gpd.GeoDataFrame],
    chain: pd.DataFrame,
    starts: Mapping[str, str],
    councils: gpd.GeoDataFrame,
    populations: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """The councils abolished since 2016, each drawn from the latest earlier vintage with it.

    ``abolished`` and ``starts`` are :func:`council_dates`', ``councils`` the 2024 councils, and
    ``populations`` the council estimates (:data:`COUNCIL_POPULATION`). Each council
    carries its successor's force, its first and last day (``valid_from``,
    ``valid_to``), the council it became part of (``successor_code``), the estimates
    held on its own code, the vintage it is drawn from
    and how exact that is. A council no vintage holds is left out.
    """
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    by_code = councils.set_index("council_code")
    people = populations.drop_duplicates(["year", "lad_code"]).set_index(["year", "lad_code"])
    rows = []
    for code, name, last_day in zip(
        abolished["code"], abolished["name"], abolished["last_day"], strict=True
    ):
        held = [v for v in sorted(earlier, reverse=True) if code in set(earlier[v]["code"])]
        if not held:
            continue
        vintage = held[0]
        frame = earlier[vintage]
        successors = {
            str(s) for y in CHAIN_YEARS for s in ew.loc[ew[f"ltla{y}_code"] == code, "ltla24_code"]
        }
        if len(successors) != 1:
            raise BoundaryError(CODE_CHAIN, f"council {code} has {len(successors)} successors")
        successor = by_code.loc[successors.pop()]
        row: dict[str, object] = {
            "council_code": code,
            "council": name,
            "force_code": successor["force_code"],
            "force": successor["force"],
            "jurisdiction": successor["jurisdiction"],
            "valid_from": starts.get(code, ""),
            "valid_to": last_day,
            "successor_code": next_code(chain, code),
        }
        for year in POPULATION_YEARS:
            key = (str(year), code)
            row[population_column(year)] = (
                int(people.loc[key, "population"]) if key in people.index else pd.NA
            )
        row["vintage"] = VINTAGE_NAMES[vintage]
        row["confidence"] = "approximate" if vintage in APPROXIMATE_VINTAGES else "exact"
        row["geometry"] = frame.geometry.values[int(np.flatnonzero(frame["code"] == code)[0])]
        rows.append(row)
    gone = gpd.GeoDataFrame(rows, geometry="geometry", crs=councils.crs)
    for year in POPULATION_YEARS:
        gone[population_column(year)] = gone[population_column(year)].astype("Int64")
    return gone


def earlier_shapes(
    gone: gpd.GeoDataFrame,
    earlier: Mapping[str, gpd.GeoDataFrame],
    *,
    tolerance: float,
    crs: str,
    decimals: int,
) -> np.ndarray:
    """The abolished councils' shapes at one detail, each simplified with its own vintage.

    A vintage is simplified as the coverage it is, so an abolished council's edges
    stay shared with its neighbours of that vintage; then reprojected and rounded.
    """
    vintage_of = {name: key for key, name in VINTAGE_NAMES.items()}
    found: dict[str, shapely.Geometry] = {}
    for key in sorted({vintage_of[v] for v in gone["vintage"]}):
        frame = earlier[key]
        simple = gpd.GeoSeries(
            shapely.coverage_simplify(frame.geometry.values, tolerance), crs=WORK_CRS
        ).to_crs(crs)
        found |= dict(zip(frame["code"], round_geometries(simple.values, decimals), strict=True))
    geoms = _repair(np.array([found[c] for c in gone["council_code"]]))
    for key, group in gone.groupby("vintage", sort=True):
        what = f"councils abolished since 2016, drawn from the councils of {key}"
        if vintage_of[str(key)] in APPROXIMATE_VINTAGES:
            # Their inner lines are cut along another generalisation: where rounding folds
            # one onto itself the mend moves it by under a metre, and the edges no longer
            # meet exactly. Each must still be a valid shape.
            bad = [
                n
                for n, g in zip(group["council"], geoms[group.index], strict=True)
                if not g.is_valid
            ]
            if bad:
                raise BoundaryError(what, f"invalid geometry for {bad[0]}")
            continue
        check_coverage(geoms[np.flatnonzero(gone["vintage"] == key)], list(group["council"]), what)
    return geoms


def _largest_overlap(geoms: np.ndarray, councils: gpd.GeoDataFrame) -> list[str]:
    """The code of the council each geometry overlaps most.

    Wards and councils are generalised differently, so a ward's edge may cross its council's.
    """
    tree = shapely.STRtree(councils.geometry.values)
    codes = list(councils["council_code"])
    found = []
    for geom in geoms:
        near = tree.query(geom, predicate="intersects")
        areas = [
            shapely.area(shapely.intersection(geom, councils.geometry.values[i])) for i in near
        ]
        found.append(codes[int(near[int(np.argmax(areas))])])
    return found


def read_wards(folder: Path, councils: gpd.GeoDataFrame, chain: pd.DataFrame) -> gpd.GeoDataFrame:
    """The December-2022 wards of the UK with their council, force, dates and population.

    ``councils`` are the 2024 councils at source detail (:func:`read_councils`).
    A ward listed in the ONS lookup of 2021 wards takes its council from it (through
    the code chain); a ward new in 2022 the council it overlaps most. A name that
    several wards share (``Abbey``) is told apart by its council in ``ward``
    (``Abbey (Derby)``); ``ward_name`` keeps the name as ONS writes it.
    """
    path = folder / WARDS_SOURCE
    if not path.is_file():
        raise BoundaryError(str(path), "file not found (is --source the national folder?)")
    source = gpd.read_file(path).set_crs(WEB_CRS, allow_override=True).to_crs(WORK_CRS)
    source["geometry"] = shapely.make_valid(source.geometry.values)
    rows = []
    # One ward is drawn as two features with one code: each code is one ward here.
    for code, group in source.groupby("ward22_code", sort=True):
        geom = shapely.coverage_union_all(group.geometry.values)
        rows.append(
            {"ward_code": code, "ward_name": group["ward22_name"].iloc[0], "geometry": geom}
        )
    wards = gpd.GeoDataFrame(rows, geometry="geometry", crs=WORK_CRS)
    lookup = _read_csv(folder, WARD_LOOKUP)
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    to_2024 = dict(zip(ew["ltla21_code"], ew["ltla24_code"], strict=True))
    listed = {
        w: to_2024.get(lad, lad) for w, lad in zip(lookup["WD21CD"], lookup["LAD21CD"], strict=True)
    }
    known = set(councils["council_code"])
    overlap = _largest_overlap(wards.geometry.values, councils)
    wards["council_code"] = [
        listed[c] if listed.get(c) in known else o
        for c, o in zip(wards["ward_code"], overlap, strict=True)
    ]
    by_code = councils.set_index("council_code")
    for column in ("council", "force"):
        wards[column] = wards["council_code"].map(by_code[column])
    keys = wards["ward_name"].map(normalise_name)
    shared = keys.duplicated(keep=False)
    wards["ward"] = [
        f"{n} ({c})" if twice else n
        for n, c, twice in zip(wards["ward_name"], wards["council"], shared, strict=True)
    ]
    if wards["ward"].map(normalise_name).duplicated().any():
        raise BoundaryError(str(path), "two wards of one council share a name")
    wards["valid_from"] = [
        "" if c in listed else WARD_CHANGES_DAY.isoformat() for c in wards["ward_code"]
    ]
    people = _read_csv(folder, WARD_POPULATION)
    ages = [str(age) for age in range(91)]
    totals = dict(
        zip(people["ward"], people[ages].astype(int).sum(axis=1).astype(int), strict=True)
    )
    column = population_column(WARD_POPULATION_YEAR)
    wards[column] = wards["ward_code"].map(totals).astype("Int64")
    columns = [
        "ward_code",
        "ward",
        "ward_name",
        "council_code",
        "council",
        "force",
        "valid_from",
        column,
        "geometry",
    ]
    return wards[columns]


def read_partnerships(folder: Path) -> pd.DataFrame:
    """The community safety partnerships of 2024, as unions of the councils of a vintage.

    Columns ``csp24_code, csp24_name, lad_vintage, lad_codes, lad_names``;
    ``lad_codes`` are the councils of that vintage, ``;``-separated: of 2024, or of
    an earlier vintage held where partnerships divide a 2024 council.
    """
    table = _read_csv(folder, PARTNERSHIPS)
    drawn = table["lad_vintage"].isin({"2024", *EARLIER_COUNCILS})
    if not drawn.all():
        row = table[~drawn].iloc[0]
        raise BoundaryError(
            PARTNERSHIPS,
            f"{row['csp24_code']} {row['csp24_name']} is made of councils of "
            f"{row['lad_vintage']}, whose boundaries are not held",
        )
    return table.reset_index(drop=True)


SLIVER_M2 = 100_000.0
"""Parts of a cut smaller than this (10 ha) are slivers, however they fall: no council is
anywhere near so small."""


def _cut(
    whole: shapely.Geometry, parts: list[tuple[str, shapely.Geometry]]
) -> list[tuple[str, shapely.Geometry]]:
    """``whole`` shared out among ``parts`` (shapes of another vintage): a tiling of it.

    Each part is clipped to ``whole`` and to what earlier parts have not taken; a
    sliver no part covers (the vintages are generalised differently) goes to the
    part it shares most edge with.
    """
    taken: shapely.Geometry = shapely.Polygon()
    pieces = []
    slivers = list(
        shapely.get_parts(shapely.difference(whole, shapely.union_all([p for _, p in parts])))
    )
    for code, shape in parts:
        piece = shapely.difference(shapely.intersection(shape, whole), taken)
        taken = shapely.union(taken, piece)
        polys = sorted(
            (p for p in shapely.get_parts(piece) if p.geom_type == "Polygon"),
            key=shapely.area,
            reverse=True,
        )
        # A stray scrap of a clip, far smaller than any council, is a sliver too.
        slivers += [p for p in polys[1:] if shapely.area(p) < SLIVER_M2]
        kept = polys[:1] + [p for p in polys[1:] if shapely.area(p) >= SLIVER_M2]
        pieces.append([code, shapely.union_all(kept)])
    for sliver in slivers:
        if sliver.geom_type != "Polygon":
            continue
        shared = [
            shapely.length(shapely.intersection(sliver.boundary, p[1].boundary)) for p in pieces
        ]
        best = pieces[int(np.argmax(shared))]
        best[1] = shapely.union(best[1], sliver)
    return [(code, _polygons(piece)) for code, piece in pieces]


def _polygons(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a clipped shape, dropping the lines and points a clip leaves."""
    polys = [p for p in shapely.get_parts(shapely.make_valid(geom)) if p.geom_type == "Polygon"]
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _noded(geoms: np.ndarray, *, what: str = COUNCILS_SOURCE) -> np.ndarray:
    """The same shapes re-drawn from their noded edges, so neighbours share every vertex.

    A cut adds vertices where its lines meet a council's edge; the neighbour across
    that edge gets them too, which a valid coverage (and its simplification) needs.
    """
    lines = shapely.union_all(shapely.boundary(geoms))
    faces = np.array(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    tree = shapely.STRtree(geoms)
    inside = tree.query(shapely.point_on_surface(faces), predicate="within")
    owner = np.full(len(faces), -1)
    owner[inside[0]] = inside[1]
    for f in np.flatnonzero(owner < 0):  # noding slivers, a fraction of a square metre
        if shapely.area(faces[f]) > 1.0:
            raise BoundaryError(what, "a gap between councils")
        near = tree.query(faces[f], predicate="intersects")
        edge = [
            shapely.length(shapely.intersection(faces[f].boundary, geoms[i].boundary)) for i in near
        ]
        owner[f] = near[int(np.argmax(edge))]
    return np.array([shapely.coverage_union_all(faces[owner == i]) for i in range(len(geoms))])


def partnership_atoms(
    councils: gpd.GeoDataFrame,
    held: pd.DataFrame,
    *,
    earlier: Mapping[str, gpd.GeoDataFrame],
    chain: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """The councils of 2024, each cut into the partnerships that divide it: the finest coverage.

    Most partnerships are unions of whole 2024 councils. The rest are councils of an
    earlier vintage inside 2024 councils (Buckinghamshire's four districts of 2019,
    Cumberland's three of 2021; Bournemouth and Poole, of the approximate 2018 set),
    cut out of them along the older councils' lines. Councils, partnerships and forces
    are all dissolved from these atoms, so they nest exactly. Columns:
    ``council_code``, ``csp_code`` ("" where no partnership held covers it), geometry.
    """
    ew = chain[chain["ltla24_code"].str[0].isin(["E", "W"])]
    known = set(councils["council_code"])
    csp_of: dict[str, str] = {}
    parts: dict[str, list[tuple[str, shapely.Geometry]]] = {}
    shapes: dict[str, dict[str, shapely.Geometry]] = {}
    for code, vintage, lad_codes in zip(
        held["csp24_code"], held["lad_vintage"], held["lad_codes"], strict=True
    ):
        codes = lad_codes.split(";")
        if vintage == "2024":
            for council in codes:
                if council not in known or council in csp_of:
                    raise BoundaryError(
                        PARTNERSHIPS,
                        f"{code}: council {council} is not one of 2024 or is in two partnerships",
                    )
                csp_of[council] = code
            continue
        if vintage not in shapes:
            frame = earlier[vintage]
            shapes[vintage] = dict(zip(frame["code"], frame.geometry.values, strict=True))
        to_2024 = dict(zip(ew[f"ltla{vintage[2:]}_code"], ew["ltla24_code"], strict=True))
        within: dict[str, list[str]] = {}
        for council in codes:
            if to_2024.get(council) not in known or council not in shapes[vintage]:
                raise BoundaryError(
                    PARTNERSHIPS, f"{code}: council {council} of {vintage} is not held"
                )
            within.setdefault(to_2024[council], []).append(council)
        # Its councils of that vintage, as parts of each 2024 council they lie in.
        for parent, members in within.items():
            parts.setdefault(parent, []).append(
                (code, shapely.union_all([shapes[vintage][c] for c in members]))
            )
    rows = []
    for council, geom in zip(councils["council_code"], councils.geometry.values, strict=True):
        if council in parts:
            rows += [(council, code, piece) for code, piece in _cut(geom, parts[council])]
        else:
            rows.append((council, csp_of.get(council, ""), geom))
    geoms = _noded(np.array([r[2] for r in rows]))
    return gpd.GeoDataFrame(
        {"council_code": [r[0] for r in rows], "csp_code": [r[1] for r in rows]},
        geometry=list(geoms),
        crs=councils.crs,
    )


def dissolve_atoms(geoms: np.ndarray, keys: pd.Series, order: pd.Series) -> list[shapely.Geometry]:
    """The coverage union of the atoms of each key, in the order of ``order``."""
    groups = {key: geoms[np.flatnonzero(keys.to_numpy() == key)] for key in set(keys)}
    return [shapely.coverage_union_all(groups[key]) for key in order]


def partnership_layer(
    held: pd.DataFrame,
    atoms: gpd.GeoDataFrame,
    geoms: np.ndarray,
    councils: gpd.GeoDataFrame,
    populations: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """The partnerships, dissolved from ``geoms`` (the atoms at one detail), with populations.

    A partnership of whole 2024 councils holds from the day its newest council came
    into force. Populations are the ONS-derived figures per partnership
    (:data:`FORCE_POPULATION`); where it is whole councils, they are checked against
    the councils' own.
    """
    stated = {
        (int(y), code): int(n)
        for y, t, code, n in zip(
            populations["year"],
            populations["area_type"],
            populations["area_code"],
            populations["population"],
            strict=True,
        )
        if t == "CSP24"
    }
    by_council = councils.set_index("council_code")
    rows = []
    for code, name, vintage, lad_names in zip(
        held["csp24_code"], held["csp24_name"], held["lad_vintage"], held["lad_names"], strict=True
    ):
        members = sorted(set(atoms.loc[atoms["csp_code"] == code, "council_code"]))
        forces = set(by_council.loc[members, "force_code"])
        if len(forces) != 1:
            raise BoundaryError(PARTNERSHIPS, f"{code} {name} lies in more than one force")
        row: dict[str, object] = {
            "csp_code": code,
            "csp": name,
            "force_code": forces.pop(),
            "force": by_council.loc[members[0], "force"],
            "council_vintage": VINTAGE_NAMES[vintage],
            "confidence": "approximate" if vintage in APPROXIMATE_VINTAGES else "exact",
            "council_names": lad_names.replace(";", "; "),
        }
        starts = (
            [str(by_council.loc[c, "valid_from"]) for c in members] if vintage == "2024" else []
        )
        row["valid_from"] = max(starts, default="")
        for year in POPULATION_YEARS:
            value = stated.get((year, code))
            if vintage == "2024" and value is not None:
                summed = by_council.loc[members, population_column(year)]
                if not summed.isna().any() and int(summed.sum()) != value:
                    raise BoundaryError(
                        FORCE_POPULATION,
                        f"{code} {name} mid-{year}: its councils sum to {int(summed.sum()):,}, "
                        f"the file says {value:,}",
                    )
            row[population_column(year)] = pd.NA if value is None else value
        rows.append(row)
    layer = pd.DataFrame(rows)
    shapes = dissolve_atoms(geoms, atoms["csp_code"], layer["csp_code"])
    frame = gpd.GeoDataFrame(layer, geometry=shapes, crs=councils.crs)
    for year in POPULATION_YEARS:
        frame[population_column(year)] = frame[population_column(year)].astype("Int64")
    return frame.sort_values("csp_code").reset_index(drop=True)


def check_ward_populations(wards: gpd.GeoDataFrame, councils: gpd.GeoDataFrame) -> None:
    """A council whose every ward has an estimate has the wards' sum as its own mid-2020."""
    column = population_column(WARD_POPULATION_YEAR)
    stated = dict(zip(councils["council_code"], councils[column], strict=True))
    for code, group in wards.groupby("council_code", sort=True):
        values = group[column]
        if values.isna().any() or pd.isna(stated[code]):
            continue
        if int(values.sum()) != int(stated[code]):
            raise BoundaryError(
                WARD_POPULATION,
                f"the wards of {group['council'].iloc[0]} sum to {int(values.sum()):,} in "
                f"mid-{WARD_POPULATION_YEAR}, the council's estimate is {int(stated[code]):,}",
            )


def dissolve_forces(councils: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One polygon per force, the coverage union of its councils, populations summed."""
    rows = []
    for (code, name, where), group in councils.groupby(
        ["force_code", "force", "jurisdiction"], sort=True
    ):
        row: dict[str, object] = {"force_code": code, "force": name, "jurisdiction": where}
        row["council_count"] = len(group)
        for year in POPULATION_YEARS:
            column = group[population_column(year)]
            row[population_column(year)] = pd.NA if column.isna().any() else int(column.sum())
        row["geometry"] = shapely.coverage_union_all(group.geometry.values)
        rows.append(row)
    forces = gpd.GeoDataFrame(rows, geometry="geometry", crs=councils.crs)
    for year in POPULATION_YEARS:
        forces[population_column(year)] = forces[population_column(year)].astype("Int64")
    return forces


def check_force_populations(forces: gpd.GeoDataFrame, populations: pd.DataFrame) -> None:
    """Each force's summed population equals the ONS-derived force figure for that year.

    ``populations`` is :data:`FORCE_POPULATION`.
    """
    source = populations[populations["area_type"] == "PFA"]
    for year in POPULATION_YEARS:
        rows = source[source["year"] == str(year)]
        stated = dict(zip(rows["area_code"], rows["population"].astype(int), strict=True))
        for code, value in zip(forces["force_code"], forces[population_column(year)], strict=True):
            if code in stated and int(value) != stated[code]:
                raise BoundaryError(
                    FORCE_POPULATION,
                    f"{code} mid-{year}: councils sum to {int(value):,}, the file says "
                    f"{stated[code]:,}",
                )


def dissolve_divisions(councils: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Police Scotland's 13 local policing divisions, each the union of its councils.

    ``table`` is :data:`SCOTTISH_DIVISIONS`: each Scottish council's division.
    """
    scottish = councils[councils["jurisdiction"] == SCOTLAND[2]]
    missing = sorted(set(scottish["council_code"]) - set(table["council_code"]))
    if missing:
        raise BoundaryError(SCOTTISH_DIVISIONS, f"council {missing[0]} is in no division")
    division_of = dict(zip(table["council_code"], table["division_name"], strict=True))
    letter_of = dict(zip(table["division_name"], table["division_letter"], strict=False))
    rows = []
    for name, group in scottish.groupby(scottish["council_code"].map(division_of), sort=True):
        letter = letter_of[str(name)]
        rows.append(
            {
                "division_id": f"police-scotland-{letter.lower()}",
                "division": name,
                "division_letter": letter,
                "force_code": SCOTLAND[0],
                "force": SCOTLAND[1],
                "council_count": len(group),
                "geometry": shapely.coverage_union_all(group.geometry.values),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=councils.crs)


def _repair(geoms: np.ndarray) -> np.ndarray:
    """Mend the few shapes rounding made invalid, keeping their polygons.

    A sand spit a metre wide folds onto itself; a mended edge that no longer meets
    its neighbour's fails the coverage check that follows.
    """
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
    return geoms


def _with_geometry(frame: gpd.GeoDataFrame, geoms: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=list(geoms), crs=crs)


def _every_council(
    current: gpd.GeoDataFrame, gone: gpd.GeoDataFrame, geoms: np.ndarray, crs: str
) -> gpd.GeoDataFrame:
    """The council layer: those of 2024 and those abolished since, by code."""
    every = pd.concat([current, _with_geometry(gone, geoms, crs)], ignore_index=True)
    frame = gpd.GeoDataFrame(every, geometry="geometry", crs=crs)
    return frame.sort_values("council_code", ignore_index=True)[list(COUNCIL_COLUMNS)]


def build_uk(folder: Path, tolerance: float = WEB_TOLERANCE_M) -> tuple[UkGeography, UkGeography]:
    """The full (BNG, 1 m) and web (WGS84, coverage-simplified) UK geographies, checked."""
    from hatecrime_maps.geography.topology import build_topology

    folder = Path(folder)
    chain = _read_csv(folder, CODE_CHAIN)
    starts, abolished = council_dates(chain)
    council_people = _read_csv(folder, COUNCIL_POPULATION)
    area_people = _read_csv(folder, FORCE_POPULATION)
    division_table = _read_csv(folder, SCOTTISH_DIVISIONS)
    source = read_councils(folder, chain, starts=starts, populations=council_people)
    held = read_partnerships(folder)
    names = list(source["council"])
    check_coverage(source.geometry.values, names, f"{COUNCILS_SOURCE} (British National Grid)")
    # Councils and partnerships are dissolved from one coverage of atoms, simplified once.
    earlier = read_earlier_councils(folder, chain)
    gone = abolished_councils(
        abolished,
        earlier=earlier,
        chain=chain,
        starts=starts,
        councils=source,
        populations=council_people,
    )
    abolished = abolished[~abolished["code"].isin(set(gone["council_code"]))]
    atoms = partnership_atoms(source, held, earlier=earlier, chain=chain)
    atom_names = [
        f"{a} {c}".strip() for a, c in zip(atoms["council_code"], atoms["csp_code"], strict=True)
    ]
    check_coverage(atoms.geometry.values, atom_names, "councils cut into partnerships")
    full_atoms = _repair(
        round_geometries(
            shapely.coverage_simplify(atoms.geometry.values, FULL_TOLERANCE_M), BNG_DECIMALS
        )
    )
    check_coverage(full_atoms, atom_names, "councils and partnerships (British National Grid)")
    rounded = dissolve_atoms(full_atoms, atoms["council_code"], source["council_code"])
    check_coverage(np.array(rounded), names, "councils (British National Grid)")
    councils = _with_geometry(source, np.array(rounded), WORK_CRS)
    forces = dissolve_forces(councils)
    check_force_populations(forces, area_people)
    ward_source = read_wards(folder, source, chain)
    check_ward_populations(ward_source, councils)
    ward_names = list(ward_source["ward"])
    check_coverage(
        ward_source.geometry.values, ward_names, f"{WARDS_SOURCE} (British National Grid)"
    )
    ward_rounded = round_geometries(
        shapely.coverage_simplify(ward_source.geometry.values, WARD_FULL_TOLERANCE_M), BNG_DECIMALS
    )
    check_coverage(ward_rounded, ward_names, "wards (British National Grid)")
    wards = _with_geometry(ward_source, ward_rounded, WORK_CRS)
    full_gone = earlier_shapes(
        gone, earlier, tolerance=FULL_TOLERANCE_M, crs=WORK_CRS, decimals=BNG_DECIMALS
    )
    full = UkGeography(
        wards,
        _every_council(councils, gone, full_gone, WORK_CRS),
        partnership_layer(held, atoms, full_atoms, councils, area_people),
        dissolve_divisions(councils, division_table),
        forces,
        abolished,
    )

    simple = gpd.GeoSeries(
        shapely.coverage_simplify(atoms.geometry.values, tolerance), crs=WORK_CRS
    ).to_crs(WEB_CRS)
    web_atoms = _repair(round_geometries(simple.values, WEB_DECIMALS))
    check_coverage(web_atoms, atom_names, "councils and partnerships (web copy)")
    web_geoms = np.array(dissolve_atoms(web_atoms, atoms["council_code"], source["council_code"]))
    check_coverage(web_geoms, names, "councils (web copy)")
    web_councils = _with_geometry(councils, web_geoms, WEB_CRS)
    web_forces = dissolve_forces(web_councils)
    web_divisions = dissolve_divisions(web_councils, division_table)
    web_csps = partnership_layer(held, atoms, web_atoms, web_councils, area_people)
    ward_simple = shapely.coverage_simplify(ward_source.geometry.values, WARD_WEB_TOLERANCE_M)
    web_wards = _with_geometry(ward_source, ward_simple, WORK_CRS).to_crs(WEB_CRS)
    ward_web_geoms = _repair(round_geometries(web_wards.geometry.values, WEB_DECIMALS))
    check_coverage(ward_web_geoms, ward_names, "wards (web copy)")
    web_wards = _with_geometry(web_wards, ward_web_geoms, WEB_CRS)
    web_gone = earlier_shapes(
        gone, earlier, tolerance=tolerance, crs=WEB_CRS, decimals=WEB_DECIMALS
    )
    web = UkGeography(
        web_wards,
        _every_council(web_councils, gone, web_gone, WEB_CRS),
        web_csps,
        web_divisions,
        web_forces,
        abolished,
    )
    # The topology is the only web copy: its objects carry every attribute.
    web.topology = build_topology({name: web.layer(name) for name in LAYERS}, WEB_DECIMALS)
    back = web_councils.to_crs(WORK_CRS).geometry.values
    councils_source = source.geometry.values
    web.metrics = {
        "tolerance_m": tolerance,
        "full_tolerance_m": FULL_TOLERANCE_M,
        "max_displacement_m": round(max_displacement(councils_source, back), 1),
        "ward_tolerance_m": WARD_WEB_TOLERANCE_M,
        "ward_full_tolerance_m": WARD_FULL_TOLERANCE_M,
        "ward_max_displacement_m": round(
            max_displacement(
                ward_source.geometry.values, web_wards.to_crs(WORK_CRS).geometry.values
            ),
            1,
        ),
        "vertices_full": {
            n: int(shapely.get_num_coordinates(full.layer(n).geometry.values).sum()) for n in LAYERS
        },
        "vertices_web": {
            n: int(shapely.get_num_coordinates(web.layer(n).geometry.values).sum()) for n in LAYERS
        },
    }
    return full, web


def force_aliases(folder: Path, forces: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(alias, force) for the names forces go by: the Police API's name and the others listed."""
    names = _read_csv(folder, FORCE_NAMES)
    known = set(forces["force"])
    pairs: dict[str, tuple[str, str]] = {}  # by normalised alias: spellings that are one
    for force, own, others in zip(
        names["pfa20_name"], names["force_name"], names["other_names"], strict=True
    ):
        if force not in known:
            raise BoundaryError(FORCE_NAMES, f"force {force!r} is not a force area")
        for alias in [str(own), *str(others).split(";")]:
            alias = alias.strip()
            if alias and normalise_name(alias) != normalise_name(str(force)):
                pairs.setdefault(normalise_name(alias), (alias, str(force)))
    for alias, force in (
        ("the Met", "Metropolitan Police"),
        ("Police Service of Scotland", SCOTLAND[1]),
        ("Scotland", SCOTLAND[1]),
        ("PSNI", NORTHERN_IRELAND[1]),
        ("Northern Ireland", NORTHERN_IRELAND[1]),
    ):
        pairs.setdefault(normalise_name(alias), (alias, force))
    return sorted(pairs.values(), key=lambda p: (p[1], p[0].casefold()))


def district_aliases(folder: Path, councils: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(alias, council) for PSNI's policing districts, each one council since April 2015."""
    table = _read_csv(folder, PSNI_DISTRICTS)
    known = dict(zip(councils["council_code"], councils["council"], strict=True))
    pairs = []
    for code, district in zip(table["lgd_code"], table["district_name"], strict=True):
        if code not in known:
            raise BoundaryError(PSNI_DISTRICTS, f"council {code} is not a council of 2024")
        if normalise_name(district) != normalise_name(known[code]):
            pairs.append((str(district), known[code]))
    return pairs


def catalogue_files(folder: Path, full: UkGeography) -> dict[str, str]:
    """The name files the build derives: other names, and the abolished councils' names.

    Other names are those of forces, of PSNI's districts and of Police Scotland's
    divisions (by letter).
    """
    rows = [(a, f, "force", "police-force-areas") for a, f in force_aliases(folder, full.forces)]
    rows += [
        (a, c, "council", COUNCIL_STRUCTURE) for a, c in district_aliases(folder, full.councils)
    ]
    rows += [
        (f"{letter} Division", name, "division", "police-scotland-divisions-2016")
        for letter, name in zip(
            full.divisions["division_letter"], full.divisions["division"], strict=True
        )
    ]
    aliases = pd.DataFrame(rows, columns=["alias", "area", "level", "structure"])
    current = {n.casefold() for n in full.councils["council"]}
    gone = full.abolished[~full.abolished["name"].str.casefold().isin(current)]
    names = pd.DataFrame(
        {"name": gone["name"], "structure": "councils-to-" + gone["last_day"].str[:4]}
    ).drop_duplicates("name")
    return {
        "area_aliases.csv": aliases.to_csv(index=False, lineterminator="\n"),
        "structure_names.csv": names.to_csv(index=False, lineterminator="\n"),
    }


def abolished_structures(full: UkGeography) -> list[tuple[str, str, str]]:
    """(key, name, last day) for each set of councils abolished together."""
    out = []
    for last_day, group in full.abolished.groupby("last_day", sort=True):
        last = str(last_day)
        day = date.fromisoformat(last)
        out.append(
            (
                f"councils-to-{last[:4]}",
                f"councils abolished on {day.day} {day:%B %Y} ({len(group)}: "
                f"{', '.join(sorted(group['name'])[:3])}{', …' if len(group) > 3 else ''})",
                last,
            )
        )
    return out


def metrics_text(web: UkGeography) -> str:
    """``web/metrics.json``: stable, sorted text."""
    return json.dumps(web.metrics, indent=2, sort_keys=True) + "\n"
