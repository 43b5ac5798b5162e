"""Basemap tile services the map pages may use, by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tiles:
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
