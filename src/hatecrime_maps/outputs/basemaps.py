"""Basemap tile services the map pages may use, by name."""

from __future__ import annotations

from dataclasses import dataclass

from hatecrime_maps.errors import OptionError, quoted


@dataclass(frozen=True)
class Tiles:
    """A tile service: its URL template, attribution, CSP source and deepest zoom."""

    url: str
    attribution: str
    csp_source: str
    max_zoom: int


TILES = {
    "positron": Tiles(
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        'contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
        "https://*.basemaps.cartocdn.com",
        19,
    ),
    "osm": Tiles(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "https://tile.openstreetmap.org",
        19,
    ),
}
"""Basemaps by name; ``none`` draws no basemap and makes no request at all."""
DEFAULT_TILES = "positron"


def tiles_named(name: str) -> Tiles | None:
    """The tile service called ``name``, or None for ``none`` (pages that request nothing).

    Raises
    ------
    hatecrime_maps.errors.OptionError
        For a name that is neither.
    """
    if name == "none":
        return None
    if name not in TILES:
        raise OptionError("--tiles", f"{quoted(str(name))} is not one of {', '.join(TILES)}, none")
    return TILES[name]
