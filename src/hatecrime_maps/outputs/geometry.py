"""The map's shapes for a page: the web topology's arcs, renumbered, delta-encoded, once.

Every page of a build draws from one :class:`PageGeometry`, made from the
topology of :class:`~hatecrime_maps.geography.boundaries.Boundaries`: areas and
parent units as rings of arc indices, so each shared edge is carried once.
"""

from __future__ import annotations

from dataclasses import dataclass

from hatecrime_maps.geography.levels import Level
from hatecrime_maps.geography.topology import arc_indices, polygons_of

COORD_DECIMALS = 4  # about 7 to 11 m: well inside the 73 m the web geometry may move


def _encode_number(value: int) -> str:
    """A signed integer in the 5-bit, printable form of Google's encoded polylines."""
    bits = ~(value << 1) if value < 0 else value << 1
    out = []
    while bits >= 0x20:
        out.append(chr((0x20 | (bits & 0x1F)) + 63))
        bits >>= 5
    out.append(chr(bits + 63))
    return "".join(out)


def encode_arcs(arcs: list[list[list[float]]]) -> list[str]:
    """Arcs as strings of quantised coordinate deltas, each from the point before it.

    The deltas run on from one arc to the next (the first point of an arc is a
    delta from the last point of the one before), so nearby arcs cost a few
    characters. Within an arc, points that quantise to one are kept once; its
    end points are always kept, so arcs still meet exactly.
    """
    scale = 10**COORD_DECIMALS
    out = []
    px = py = 0
    for arc in arcs:
        points = [(round(x * scale), round(y * scale)) for x, y in arc]
        kept = [points[0]]
        for point in points[1:-1]:
            if point != kept[-1]:
                kept.append(point)
        kept.append(points[-1])
        text = []
        for ix, iy in kept:
            text.append(_encode_number(ix - px) + _encode_number(iy - py))
            px, py = ix, iy
        out.append("".join(text))
    return out


@dataclass(frozen=True)
class PageGeometry:
    """The map's shapes, encoded once for every page of a build.

    Shapes are polygons of rings of indices into ``arcs`` (``~i`` is arc ``i``
    reversed), as in TopoJSON; the ward and borough lines are lists of arcs.
    """

    arcs: list[str]
    areas: dict[str, list]  # area name -> polygons
    parents: dict[str, list]  # parent unit name -> polygons (empty: no parent)
    ward_lines: list[int]
    borough_lines: list[int]
    bounds: list[list[float]]


def page_geometry(
    topo: dict, level: Level, parent: Level | None, *, context: dict[str, str]
) -> PageGeometry:
    """The arcs a level's page draws, and its shapes, from the web topology ``topo``.

    ``topo`` is :attr:`hatecrime_maps.geography.boundaries.Boundaries.topology`;
    ``context`` names its layers drawn as thin (``fine``) and thick (``outline``)
    lines under every map (:attr:`~hatecrime_maps.geography.provenance.Provenance.context_lines`).
    The map's bounds are the outline layer's.
    """

    def by_name(lv: Level) -> dict[str, list]:
        return {
            g["properties"][lv.name_key]: polygons_of(g)
            for g in topo["objects"][lv.layer]["geometries"]
        }

    def every_arc(layer: str) -> set[int]:
        return arc_indices(
            [poly for g in topo["objects"][layer]["geometries"] for poly in polygons_of(g)]
        )

    areas = by_name(level)
    parents = by_name(parent) if parent else {}
    wards, boroughs = every_arc(context["fine"]), every_arc(context["outline"])
    used = sorted(
        wards
        | boroughs
        | arc_indices([p for ps in areas.values() for p in ps])
        | arc_indices([p for ps in parents.values() for p in ps])
    )
    new = {old: i for i, old in enumerate(used)}

    def renumber(polygons: list) -> list:
        return [
            [[new[i] if i >= 0 else ~new[~i] for i in ring] for ring in poly] for poly in polygons
        ]

    outer = [topo["arcs"][i] for i in sorted(boroughs)]
    return PageGeometry(
        encode_arcs([topo["arcs"][i] for i in used]),
        {name: renumber(ps) for name, ps in areas.items()},
        {name: renumber(ps) for name, ps in parents.items()},
        sorted(new[i] for i in wards),
        sorted(new[i] for i in boroughs),
        _bounds([point for arc in outer for point in arc]),
    )


def _bounds(points: list[list[float]]) -> list[list[float]]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def bounds_of(features: list[dict]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of GeoJSON features."""
    points: list[list[float]] = []

    def walk(c):
        if isinstance(c[0], (int, float)):
            points.append(c)
        else:
            for part in c:
                walk(part)

    for f in features:
        walk(f["geometry"]["coordinates"])
    return _bounds(points)
