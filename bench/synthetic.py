"""Synthetic inputs with many more areas, to see how the approach scales.

``wards``: every one of the 192 wards is its own policing area (about 8x).
``cells``: every ward is cut by an 830 m square grid into cells, each its own
area (about 120x). ``fine``: the same with a 360 m grid (about 10,000 areas, the
order of all wards in England and Wales). Populations are shared out by area;
counts are small random numbers, rendered as an FOI answer in the police's text style (with the real
offences and outcomes, which the report needs).

    python bench/synthetic.py KIND SOURCE_DIR OUT_DIR
"""

import json
import random
import re
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
GRIDS = {"cells": (830.0, False), "fine": (360.0, True)}
"""Grid spacing in metres of the synthetic areas cut from wards, and whether slivers
join a neighbour (the 830 m grid is kept as it always was, for comparison)."""


def source_wards(source: Path) -> gpd.GeoDataFrame:
    wards = gpd.read_file(source / "wards_WD19_west_midlands.geojson").to_crs(27700)
    pops = pd.read_csv(source / "ward_lookup_population_2019_2020.csv")
    return wards[["WD19CD", "WD19NM", "geometry"]].merge(
        pops[["WD19CD", "LAD19CD", "LAD19NM", "pop_mid2019_all_ages", "pop_mid2020_all_ages"]],
        on="WD19CD",
    )


def cut_into_cells(wards: gpd.GeoDataFrame, size: float, join_slivers: bool) -> gpd.GeoDataFrame:
    """Cut the ward coverage by a square grid. Noding every line at once, on the 1 m grid,
    keeps the cells a coverage: neighbours share exact edges."""
    xmin, ymin, xmax, ymax = wards.total_bounds
    lines = [
        shapely.LineString([(x, ymin - 1), (x, ymax + 1)]) for x in np.arange(xmin, xmax, size)[1:]
    ]
    lines += [
        shapely.LineString([(xmin - 1, y), (xmax + 1, y)]) for y in np.arange(ymin, ymax, size)[1:]
    ]
    # Node on the 1 m grid the boundary build rounds to, so rounding changes nothing.
    noded = shapely.union_all([*shapely.boundary(wards.geometry.values), *lines])
    for _ in range(3):  # snapping can put a vertex on a segment: node again until stable
        noded = shapely.node(shapely.set_precision(noded, 1.0))
    faces = list(shapely.get_parts(shapely.polygonize([noded])))
    tree = shapely.STRtree(wards.geometry.values)
    owner = {}
    for i, face in enumerate(faces):
        hits = tree.query(face.point_on_surface(), predicate="within")
        if len(hits):
            owner[i] = int(hits[0])
    cells: dict[int, list] = {}
    for i, w in owner.items():
        cells.setdefault(w, []).append(faces[i])
    rows = []
    for w, parts in cells.items():
        if join_slivers:
            parts = merge_slivers(parts)
        ward = wards.iloc[w]
        total = sum(p.area for p in parts)
        for k, geom in enumerate(parts):
            share = geom.area / total
            rows.append(
                {
                    "WD19CD": f"{ward.WD19CD}-{k:03d}",
                    "WD19NM": f"{ward.WD19NM} {k + 1}",
                    "LAD19CD": ward.LAD19CD,
                    "LAD19NM": ward.LAD19NM,
                    "pop_mid2019_all_ages": max(1, round(ward.pop_mid2019_all_ages * share)),
                    "pop_mid2020_all_ages": max(1, round(ward.pop_mid2020_all_ages * share)),
                    "parent": ward.WD19CD,
                    "geometry": geom,
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=27700)


SLIVER_M2 = 2000.0
"""Cells smaller than this (where a grid line grazes a ward edge) join a neighbour: a
real area is never a few square metres, and one would collapse when rounded for the web."""


def merge_slivers(parts: list) -> list:
    """Join each sliver to the cell of the same ward it shares the longest edge with (a
    sliver that touches none stays as it is)."""
    big = [p for p in parts if p.area >= SLIVER_M2]
    if not big:
        return parts
    groups: list[list] = [[p] for p in big]
    for small in (p for p in parts if p.area < SLIVER_M2):
        edge = [shapely.intersection(small.boundary, b.boundary).length for b in big]
        best = max(range(len(big)), key=edge.__getitem__)
        if edge[best] > 0:
            groups[best].append(small)
        else:
            groups.append([small])
    return [shapely.coverage_union_all(g) for g in groups]


def foi_text(real: str, areas: list[str], rng: random.Random) -> str:
    """The real answer with its two victims tables replaced by synthetic areas."""

    def table(year: int) -> str:
        lines = [
            "Victims by Age, Sex and Towns\tYear/Gender\t\t\tTotal",
            f"\t{year}\t\t\t",
            "Town/City\tF\tM\tU\t",
        ]
        f_total = m_total = 0
        for area in areas:
            if rng.random() < 0.5:
                continue
            f, m = rng.randint(0, 2), rng.randint(1, 3)
            f_total, m_total = f_total + f, m_total + m
            lines.append(f"{area}\t{f or ''}\t{m}\t\t{f + m}")
            if f:
                lines.append(f"30\t{f}\t\t\t{f}")
            lines.append(f"40\t\t{m}\t\t{m}")
        lines.append(f"Total\t{f_total}\t{m_total}\t\t{f_total + m_total}")
        return "\n".join(lines)

    victims_table = (
        r"(?m)^(?:<i>)?Victims by Age, Sex and Towns, Cities and Villages"
        r".*?^Total\t.*?$"
    )
    blocks = re.split(victims_table, real, flags=re.S)
    assert len(blocks) == 3, "expected two victims tables"
    return blocks[0] + table(2020) + blocks[1] + table(2019) + blocks[2]


def main(kind: str, source: Path, out: Path) -> None:
    rng = random.Random(1186)
    wards = source_wards(source)
    crosswalk = pd.read_csv(ROOT / "boundaries" / "area_wards.csv")
    npu_of = dict(zip(crosswalk["ward_code"], crosswalk["npu"], strict=True))
    if kind in GRIDS:
        wards = cut_into_cells(wards, *GRIDS[kind])
        wards["npu"] = wards["parent"].map(npu_of)
    else:
        wards["npu"] = wards["WD19CD"].map(npu_of)
    src = out / "source"
    src.mkdir(parents=True, exist_ok=True)
    # Written in British National Grid: the build reprojects only if it must.
    wards[["WD19CD", "WD19NM", "geometry"]].to_file(
        src / "wards_WD19_west_midlands.geojson", driver="GeoJSON"
    )
    wards.drop(columns=["geometry"]).to_csv(
        src / "ward_lookup_population_2019_2020.csv", index=False
    )
    bnd = out / "boundaries"
    bnd.mkdir(exist_ok=True)
    names = [f"Area {i:04d}" for i in range(len(wards))]
    pd.DataFrame(
        {
            "area": names,
            "npu": wards["npu"],
            "ward_code": wards["WD19CD"],
            "ward_name": wards["WD19NM"],
            "confidence": "approximate",
            "name_status": "reported",
            "basis": "synthetic",
        }
    ).to_csv(bnd / "area_wards.csv", index=False)
    (bnd / "area_aliases.csv").write_text("alias,area,level,structure\n", encoding="utf-8")
    for name in ("fields.csv", "structures.csv", "structure_names.csv"):
        shutil.copy(ROOT / "boundaries" / name, bnd / name)
    # The project's levels, but with any code allowed: the split wards' codes are made up.
    levels = pd.read_csv(ROOT / "boundaries" / "levels.csv", dtype=str, keep_default_na=False)
    levels.assign(code_pattern="").to_csv(bnd / "levels.csv", index=False)
    foi = out / "foi"
    foi.mkdir(exist_ok=True)
    real = (ROOT / "data" / "foi" / "1186A-20" / "response.txt").read_text(encoding="utf-8")
    (foi / "response.txt").write_text(foi_text(real, names, rng), encoding="utf-8")
    shutil.copy(ROOT / "data" / "foi" / "1186A-20" / "metadata.json", foi / "metadata.json")
    print(json.dumps({"areas": len(names)}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
