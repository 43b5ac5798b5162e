"""The committed boundaries of one build, read once and handed to every stage after.

A boundaries folder (``boundaries/``, or one of a user's own) holds each
level's shapes in British National Grid for exports and print, simplified WGS84
copies and one topology for the web pages, and the CSV files that name the
structures, aliases and population notes. A build, the API and the notebook
map each make one :class:`Boundaries` and hand it on: renderers take it, or
data drawn from it, never a folder, and each file is read at most once, when
first needed.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from hatecrime_maps.errors import BoundaryError
from hatecrime_maps.geography.levels import in_force
from hatecrime_maps.geography.provenance import PROVENANCE_FILE, Provenance, parse_provenance
from hatecrime_maps.geography.topology import TOPOLOGY_FILE, features_of
from hatecrime_maps.io.files import read_bytes
from hatecrime_maps.model import WEB_CRS, WORK_CRS

if TYPE_CHECKING:
    from hatecrime_maps.geography.levels import Catalogue, Level

JSON = dict[str, Any]
"""A JSON object as read: a GeoJSON feature, a topology, the build's metrics."""

_REBUILD = "run 'hatecrime-maps boundaries build'"


class Boundaries:
    """The geography of one build, from one boundaries folder.

    Parameters
    ----------
    folder : str or Path
        A folder written by ``hatecrime-maps boundaries build``.

    Notes
    -----
    Nothing is read when the object is made. Each file is read the first time
    something asks for it and kept, so a build that asks for the same layer
    from the catalogue, the pages and the downloads reads it once. Frames are
    handed out as copies: a caller may change its own without changing anyone
    else's.

    Examples
    --------
    >>> from hatecrime_maps.io import defaults
    >>> boundaries = Boundaries(defaults.BOUNDARIES)
    >>> list(boundaries.catalogue.levels)
    ['sector', 'npu', 'borough', 'ward']
    >>> len(boundaries.layer("wards")), boundaries.layer("wards").crs.to_epsg()
    (192, 27700)
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._bytes: dict[str, bytes] = {}
        self._frames: dict[str, gpd.GeoDataFrame] = {}
        self._features: dict[str, list[JSON]] = {}
        self._keep: dict[str, tuple[str, frozenset[str]]] | None = None
        """Layer -> (name attribute, the names kept) when cut to an extent (:meth:`within`)."""
        self._whole: Boundaries = self

    def __repr__(self) -> str:
        return f"Boundaries({str(self.folder)!r})"

    def path(self, relative: str) -> Path:
        """Where a file of this folder is, for messages that name it."""
        return self.folder / relative

    def _read(self, relative: str, hint: str) -> bytes:
        if relative not in self._bytes:
            path = self.path(relative)
            if not path.is_file():
                raise BoundaryError(str(path), f"file not found ({hint})")
            self._bytes[relative] = read_bytes(path, BoundaryError)
        return self._bytes[relative]

    def _json(self, relative: str, hint: str) -> JSON:
        try:
            data: JSON = json.loads(self._read(relative, hint).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoundaryError(str(self.path(relative)), f"is not GeoJSON/JSON ({exc})") from None
        return data

    def web_features(self, layer: str) -> list[JSON]:
        """The features of a simplified web layer, as plain JSON (no GDAL: stable bytes).

        From ``web/LAYER.geojson`` where the folder has one, else decoded from the
        topology (the UK folder keeps its web layers only there).
        """
        if layer not in self._features:
            relative = f"web/{layer}.geojson"
            if self.path(relative).is_file() or layer not in self._whole.topology["objects"]:
                self._features[layer] = self._json(
                    relative, "is --boundaries the project's boundaries folder?"
                )["features"]
            else:
                self._features[layer] = features_of(self._whole.topology, layer)
        features = self._features[layer]
        if self._keep is not None and layer in self._keep:
            key, names = self._keep[layer]
            return [f for f in features if f["properties"][key] in names]
        return features

    def web_attributes(self, layer: str) -> pd.DataFrame:
        """The attributes of a web layer's features, one row each, in file order.

        Read from the topology's objects where the layer is kept only there, without
        joining any ring: names are resolved long before a shape is drawn.
        """
        if layer not in self._features and not self.path(f"web/{layer}.geojson").is_file():
            objects = self._whole.topology["objects"]
            if layer in objects:
                rows = [g["properties"] for g in objects[layer]["geometries"]]
                if self._keep is not None and layer in self._keep:
                    key, names = self._keep[layer]
                    rows = [r for r in rows if r[key] in names]
                table: pd.DataFrame = pd.DataFrame(rows)
                return table
        frame: pd.DataFrame = pd.DataFrame([f["properties"] for f in self.web_features(layer)])
        return frame

    def layer(self, name: str, *, web: bool = False) -> gpd.GeoDataFrame:
        """One layer's shapes, in British National Grid at full detail.

        With ``web``, the simplified WGS84 copy the pages are drawn from.
        """
        if web:  # the features as the pages have them, already cut to this extent
            features = self.web_features(name)
            columns = list(features[0]["properties"]) if features else []
            return gpd.GeoDataFrame.from_features(
                features, crs=WEB_CRS, columns=[*columns, "geometry"]
            )
        if name not in self._frames:
            frame = gpd.read_file(io.BytesIO(self._read(f"{name}.geojson", _REBUILD)))
            self._frames[name] = frame.set_crs(WORK_CRS, allow_override=True)
        frame = self._frames[name]
        if self._keep is not None and name in self._keep:
            column, names = self._keep[name]
            frame = frame[frame[column].isin(names)].reset_index(drop=True)
        return frame.copy()

    @functools.cached_property
    def topology(self) -> JSON:
        """The web layers as one TopoJSON topology (see :mod:`.topology`)."""
        if self._whole is not self:
            whole = self._whole.topology
            objects = {}
            for layer, collection in whole["objects"].items():
                geometries = collection["geometries"]
                if self._keep is not None and layer in self._keep:
                    key, names = self._keep[layer]
                    geometries = [g for g in geometries if g["properties"][key] in names]
                objects[layer] = {**collection, "geometries": geometries}
            return {**whole, "objects": objects}
        return self._json(
            f"web/{TOPOLOGY_FILE}",
            "build the boundaries again: hatecrime-maps boundaries build",
        )

    @functools.cached_property
    def metrics(self) -> JSON:
        """What the boundary build measured of the simplified web layers."""
        return self._json("web/metrics.json", _REBUILD)

    @functools.cached_property
    def provenance(self) -> Provenance:
        """Where this folder's boundaries and populations come from (``provenance.json``)."""
        return parse_provenance(
            self._read(PROVENANCE_FILE, _REBUILD).decode("utf-8"), str(self.path(PROVENANCE_FILE))
        )

    @functools.cached_property
    def levels(self) -> dict[str, Level]:
        """The folder's levels (``levels.csv``) alone.

        Enough to read a counts table's headers without reading every unit.
        """
        from hatecrime_maps.geography.levels import LEVELS_FILE, load_levels

        return load_levels(self.path(LEVELS_FILE))

    @functools.cached_property
    def catalogue(self) -> Catalogue:
        """Every level's units, the structures, aliases, unbuilt names and population notes."""
        from hatecrime_maps.geography.levels import load_catalogue

        if self._whole is not self:
            whole = self._whole.catalogue
            units = {
                key: table[table["area"].isin(self._keep_of(whole.levels[key].layer))].reset_index(
                    drop=True
                )
                for key, table in whole.units.items()
            }
            return dataclasses.replace(whole, units=units)
        return load_catalogue(self.folder, self.web_attributes, self.levels)

    def _keep_of(self, layer: str) -> frozenset[str]:
        assert self._keep is not None
        return self._keep[layer][1]

    def within(self, level: str, names: Iterable[str], *, on: date | None = None) -> Boundaries:
        """The geography cut to the extent of a map of ``names``, areas of ``level``.

        A level whose ``extent`` names a column (councils: ``force``) is drawn on
        the units sharing that column's value with an area named: a table of some
        London boroughs on the Metropolitan Police's area, every other borough
        in it as "no data". Every other level keeps the units that contain those
        or lie in them. A layer holding units of several dates (they carry
        ``valid_to``: the UK's councils, abolished ones among them) keeps those in
        force ``on`` that day (the figures' last; None: today's), and those named,
        so its units never overlap; the levels ``level`` rolls up into keep every
        unit its areas are in. A level with no extent keeps the whole folder
        (``self``). The result shares what this object has read: nothing is read again.
        """
        catalogue = self.catalogue
        shown = catalogue.levels[level]
        if shown.extent is None:
            return self
        table = catalogue.units[level]
        # Unit tables call the parent's name "parent" (see levels.unit_table).
        extent = "parent" if shown.extent == shown.parent_name_key else shown.extent
        if extent not in table:
            raise BoundaryError(
                str(self.path("levels.csv")),
                f"extent {shown.extent!r} of level {level!r} is not an attribute of its units",
            )
        named = set(names)
        extents = set(table.loc[table["area"].isin(named), extent])
        keep = {level: set(table.loc[table[extent].isin(extents), "area"])}
        keep[level] = (keep[level] & in_force(table, on)) | named
        grown = True
        while grown:  # follow the roll-ups both ways until every level is cut
            grown = False
            for key, lv in catalogue.levels.items():
                units = catalogue.units[key]
                for target, column in lv.rollups.items():
                    if target in keep and key not in keep:
                        keep[key] = set(units.loc[units[column].isin(keep[target]), "area"])
                        keep[key] &= in_force(units, on)
                        grown = True
                    elif key in keep and target not in keep:
                        keep[target] = set(units.loc[units["area"].isin(keep[key]), column])
                        grown = True
        cut = Boundaries(self.folder)
        cut._bytes, cut._frames, cut._features = self._bytes, self._frames, self._features
        cut._whole = self._whole
        cut._keep = {
            lv.layer: (lv.name_key, frozenset(keep.get(key, set())))
            for key, lv in catalogue.levels.items()
        }
        cut.__dict__["provenance"] = self.provenance
        cut.__dict__["levels"] = self.levels
        return cut


def geographies(folder: str | Path | None = None) -> list[Boundaries]:
    """The geographies an input is tried against: the folder given, else the project's own.

    The project's are :data:`hatecrime_maps.io.defaults.GEOGRAPHIES`: the West
    Midlands first (its boundaries are finer and better checked), then the UK.
    """
    from hatecrime_maps.io import defaults

    if folder is not None:
        return [Boundaries(folder)]
    return [Boundaries(path) for path in defaults.GEOGRAPHIES]
