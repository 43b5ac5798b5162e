"""The web layers as one TopoJSON topology, so that a page carries every edge once.

The four web layers nest (wards in areas in NPUs in boroughs), so most of
their edges are shared: between neighbours, and between a unit and the
levels above it. The boundary build writes them as a single topology
(``boundaries/web/topology.json``, made with the ``topojson`` package), in
which each edge is an *arc* stored once and every polygon is a list of arc
indices. A map page takes the arcs its layers use and decodes them in the
browser (see ``static/map.js``).

Coordinates are kept as the web layers hold them (WGS84 at 5 decimals), not
quantised: the page quantises them itself, for a known and tested error.
"""

from __future__ import annotations

import json

TOPOLOGY_FILE = "topology.json"
"""In ``boundaries/web/``."""


def build_topology(layers: dict, decimals: int) -> dict:
    """One topology of the named GeoDataFrames (WGS84), with arcs rounded to ``decimals``.

    Every object keeps its layer's attributes as ``properties``; geometries
    are in their layer's row order.
    """
    import topojson

    names = list(layers)
    topo = topojson.Topology(
        [layers[n] for n in names],
        object_name=names,
        topology=True,
        prequantize=False,
        presimplify=False,
        toposimplify=False,
        shared_coords=False,
    ).to_dict()
    arcs = [[[round(x, decimals), round(y, decimals)] for x, y in arc] for arc in topo["arcs"]]
    objects = {}
    for name in names:
        geometries = []
        for g in topo["objects"][name]["geometries"]:
            geometries.append(
                {"type": g["type"], "arcs": g["arcs"], "properties": dict(g["properties"])}
            )
        objects[name] = {"type": "GeometryCollection", "geometries": geometries}
    return {"type": "Topology", "objects": objects, "arcs": arcs}


def topology_text(topology: dict) -> str:
    """The topology as compact, stable JSON text."""
    return json.dumps(topology, separators=(",", ":"), ensure_ascii=False) + "\n"


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    """A topology (Multi)Polygon as polygons, each a list of rings of arc indices."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    raise ValueError(f"a {geometry['type']} is not a polygon")


def arc_indices(polygons: list) -> set[int]:
    """Every arc a list of polygons uses, as non-negative indices (~i means arc i reversed)."""
    return {i if i >= 0 else ~i for poly in polygons for ring in poly for i in ring}


def features_of(topo: dict, layer: str) -> list[dict]:
    """One layer of the topology as GeoJSON features, every ring joined from its arcs.

    The coordinates are the arcs' own, so these are exactly the shapes a page draws.
    """

    def ring(indices: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for i in indices:
            arc = topo["arcs"][i] if i >= 0 else topo["arcs"][~i][::-1]
            points.extend(arc if not points else arc[1:])  # arcs meet at a shared point
        return points

    features = []
    for g in topo["objects"][layer]["geometries"]:
        polygons = [[ring(r) for r in poly] for poly in polygons_of(g)]
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if g["type"] == "Polygon"
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append({"type": "Feature", "properties": g["properties"], "geometry": geometry})
    return features
