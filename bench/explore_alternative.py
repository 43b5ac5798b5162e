"""The obvious alternative to `hatecrime-maps build`, as a fair user would write it.

Reads the same wards, dissolves them into the policing areas with the same
crosswalk, joins the same tidy victim counts and calls
``GeoDataFrame.explore()`` once per year. It uses the project's already
simplified and rounded web geometry, so explore() gets the same simplification
(it has no option of its own for that).

    python bench/explore_alternative.py BOUNDARIES_DIR VICTIMS_CSV OUT_DIR
"""

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

boundaries, victims_csv, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)

wards = gpd.read_file(boundaries / "web" / "wards.geojson")
crosswalk = pd.read_csv(boundaries / "area_wards.csv")
areas = (
    wards.drop(columns=["area", "npu"], errors="ignore")
    .merge(crosswalk[["ward_code", "area", "npu"]], on="ward_code")
    .dissolve(by="area", as_index=False)
)

victims = pd.read_csv(victims_csv)
for year, rows in victims.groupby("year"):
    counts = (
        rows.groupby("area", as_index=False)["count"].sum().rename(columns={"count": "victims"})
    )
    layer = areas[["area", "npu", "geometry"]].merge(counts, on="area", how="left")
    layer["victims"] = layer["victims"].fillna(0).astype(int)
    m = layer.explore(
        column="victims",
        cmap="PuBu",
        tooltip=["area", "npu", "victims"],
        tiles=None,
        style_kwds={"color": "#1a1a1a", "weight": 1},
    )
    m.save(str(out / f"explore-{year}.html"))
