"""Places and services where hate crime can be reported, read from a CSV file.

Each row is a third-party reporting centre, a hate crime surgery venue, or an
online or phone service. Venues with coordinates go on the map, drawn as
approximate where they were located only roughly; venues with no known
location are listed but not placed; online and phone routes go in a panel.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from hatecrime_maps.errors import CentresError, quoted
from hatecrime_maps.io.files import csv_rows, read_text
from hatecrime_maps.model import KINDS, PLACE_KINDS, Centre

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

MAX_PRECISION_M = 50_000
"""A location known only to within more than this is no location on a force's map."""
INSIDE_MARGIN_DEGREES = 0.005
"""How far (about 350 to 550 m) a place may lie outside the simplified web outline."""

REQUIRED = (
    "name",
    "kind",
    "address",
    "lat",
    "lon",
    "location_method",
    "location_precision_m",
    "notes",
)

# Bounding box of the West Midlands with a margin: a point outside is a typo.
_LAT_RANGE = (52.2, 52.8)
_LON_RANGE = (-2.4, -1.3)


def _number(cell: str, path: str, line: int, what: str) -> float | None:
    if cell == "":
        return None
    try:
        value = float(cell)
    except ValueError:
        raise CentresError(path, f"{what} {cell!r} is not a number", line) from None
    if not math.isfinite(value):
        raise CentresError(path, f"{what} {cell!r} is not a number", line)
    return value


def parse_centres(text: str, source: str) -> list[Centre]:
    """Read the centres CSV text; errors name the line."""
    centres = []
    first_line: dict[str, int] = {}
    for line, cell in csv_rows(text, source, REQUIRED, CentresError):
        if not cell["name"]:
            raise CentresError(source, "empty name", line)
        # Markers and the list are named by the centre's name, so two alike would be
        # indistinguishable to a reader (and to a screen reader).
        key = " ".join(cell["name"].casefold().split())
        if key in first_line:
            raise CentresError(
                source,
                f"centre {cell['name']!r} is named the same as the one on "
                f"line {first_line[key]}; give each a distinct name (for example "
                "add the town)",
                line,
            )
        first_line[key] = line
        if cell["kind"] not in KINDS:
            raise CentresError(
                source, f"kind {cell['kind']!r} is not one of {', '.join(KINDS)}", line
            )
        lat = _number(cell["lat"], source, line, "lat")
        lon = _number(cell["lon"], source, line, "lon")
        if (lat is None) != (lon is None):
            raise CentresError(source, "lat and lon must both be given or both be empty", line)
        if (
            lat is not None
            and lon is not None
            and not (
                _LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]
            )
        ):
            raise CentresError(source, f"location {lat}, {lon} is outside the West Midlands", line)
        if lat is not None and cell["kind"] not in PLACE_KINDS:
            raise CentresError(source, f"a {cell['kind']} service has no place on the map", line)
        precision = _number(cell["location_precision_m"], source, line, "location_precision_m")
        if precision is not None and not 0 <= precision <= MAX_PRECISION_M:
            raise CentresError(
                source,
                f"location_precision_m {cell['location_precision_m']!r} is not a distance from "
                f"0 to {MAX_PRECISION_M:,} metres",
                line,
            )
        centres.append(
            Centre(
                cell["name"],
                cell["kind"],
                cell["address"],
                cell.get("postcode", ""),
                lat,
                lon,
                cell["location_method"],
                precision,
                cell["notes"],
                line,
            )
        )
    return centres


def boroughs_of(
    centres: list[Centre], boroughs: dict[str, BaseGeometry], source: str
) -> dict[str, str]:
    """The borough (of ``boroughs``, WGS84 shapes by name) each located centre lies in.

    A centre in none of them is an error naming its line: the bounding box test
    of :func:`parse_centres` lets through a point in a neighbouring county that
    the box also covers. A point just outside the simplified web outline
    (within :data:`INSIDE_MARGIN_DEGREES`) counts as in its nearest borough.
    """
    from shapely.geometry import Point

    found = {}
    for centre in centres:
        if centre.lat is None or centre.lon is None:
            continue
        point = Point(centre.lon, centre.lat)
        nearest = min(boroughs, key=lambda name: boroughs[name].distance(point))
        if boroughs[nearest].distance(point) > INSIDE_MARGIN_DEGREES:
            raise CentresError(
                source,
                f"location {centre.lat}, {centre.lon} of {quoted(centre.name)} is outside "
                "every borough of the map, the area the map shows",
                centre.line,
            )
        found[centre.name] = nearest
    return found


def load_centres(path: Path) -> list[Centre]:
    """Read and check a reporting centres CSV file."""
    return parse_centres(read_text(path, CentresError), str(path))
