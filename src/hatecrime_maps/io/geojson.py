"""Deterministic GeoJSON text: fixed key order, rounded coordinates, one feature a line.

Written by hand rather than by a driver so that the same data always gives the
same bytes, whatever GDAL version is installed, and so that committed files
diff one feature at a time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

EPSG_27700_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def round_geometries(geoms: Sequence, decimals: int) -> np.ndarray:
    """Round every coordinate; shared vertices round alike, so shared edges stay shared."""
    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals))


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:  # a missing integer (a population not held)
        return None
    return value


def _coords(obj: object, decimals: int) -> object:
    if isinstance(obj, (tuple, list)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v)) if decimals == 0 else round(float(v), decimals) for v in obj]
        return [_coords(o, decimals) for o in obj]
    return obj


def feature_collection_text(
    records: Sequence[dict],
    geoms: Sequence,
    *,
    decimals: int,
    crs: dict | None = None,
    name: str | None = None,
) -> str:
    """GeoJSON FeatureCollection text.

    ``records`` are the property dicts (their key order is kept); ``geoms`` the
    shapely geometries, already in the output CRS. ``crs`` is only for non-WGS84
    files: RFC 7946 files carry none.
    """
    head: dict[str, object] = {"type": "FeatureCollection"}
    if name:
        head["name"] = name
    if crs:
        head["crs"] = crs
    features = []
    for props, geom in zip(records, geoms, strict=True):
        geo = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {k: _plain(v) for k, v in props.items()},
            "geometry": {"type": geo["type"], "coordinates": _coords(geo["coordinates"], decimals)},
        }
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return opening + ',"features":[\n' + ",\n".join(features) + "\n]}\n"
