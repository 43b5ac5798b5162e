"""Classes, colours and line styles: the one place for how figures look.

The web map, the legend, the data table and (later) the QGIS styles all read
from here, so a class boundary or a colour is changed once.

Classes are fixed, not computed from the data, so that 2019 and 2020 (and next
year's answer) can be compared at a glance. Both ramps are sequential and
colour-blind safe (ColorBrewer PuBu and YlOrBr); adjacent classes do not reach
3:1 contrast, so every area also has a dark outline and its class in text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Class:
    """A class of values ``lower <= v < upper`` (``upper`` None: no limit)."""

    key: str
    label: str
    lower: float
    upper: float | None
    fill: str

    def contains(self, value: float) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


COUNT_CLASSES = (
    Class("c0", "0", 0, 1, "#ffffff"),
    Class("c1", "1", 1, 2, "#d0d1e6"),
    Class("c2", "2 to 4", 2, 5, "#74a9cf"),
    Class("c5", "5 to 9", 5, 10, "#2b8cbe"),
    Class("c10", "10 and over", 10, None, "#045a8d"),
)
"""Victim counts. Zero has its own class: most areas have no or few victims."""

RATE_CLASSES = (
    Class("r0", "under 2.5", 0, 2.5, "#fee391"),
    Class("r2", "2.5 to under 5", 2.5, 5, "#fec44f"),
    Class("r5", "5 to under 10", 5, 10, "#fe9929"),
    Class("r10", "10 to under 25", 10, 25, "#d95f0e"),
    Class("r25", "25 and over", 25, None, "#993404"),
)
"""Victims per 100,000 residents over the period."""

NO_RATE_FILL = "#f0f0f0"
NO_RATE_HATCH = "#737373"
"""Areas with too few victims for a rate: light grey with grey hatching."""

NO_DATA_FILL = "#f7f7f7"
NO_DATA_HATCH = "#969696"
"""Areas the input gives no figure for: near-white with grey cross-hatching."""

SUPPRESSED_FILL = "#bdbdbd"
"""Areas whose count is withheld (``--suppress-below``): plain mid grey."""

OUTLINE = "#1a1a1a"
GUESS_DASH = "6 4"
"""Areas whose extent is a guess are outlined with this dash pattern."""

AREA_WEIGHT = 1.2
PARENT_WEIGHT = 2.5
SELECTED = {"color": "#000000", "weight": 4}
"""The unit whose figures are shown (tapped, or found from the table): a heavy black edge."""
BOROUGH_LINE = {"color": "#000000", "weight": 2.2}
WARD_LINE = {"color": "#525252", "weight": 0.6}
DENSE_AREA_WEIGHT = 0.4
DENSE_WARD_LINE = {"color": "#525252", "weight": 0.3}
"""On a map of thousands of areas each is a few pixels across at first: thinner lines
leave their fills in view."""

CENTRE_COLOURS = {
    "third_party_reporting_centre": "#6a3d9a",
    "hate_crime_surgery": "#b15928",
}
"""Marker colours; the two kinds also differ in shape (circle, square)."""


def count_classes_shown(threshold: int | None) -> list[tuple[Class, str]]:
    """The count classes a map can show, with their labels, when counts below
    ``threshold`` are withheld: a class of withheld counts alone is left out, and one
    that starts below the threshold is labelled from it ("5 to 9", not "2 to 9")."""
    shown = []
    for c in COUNT_CLASSES:
        if not threshold or c.lower == 0 or c.lower >= threshold:
            shown.append((c, c.label))
        elif c.upper is None:
            shown.append((c, f"{threshold} and over"))
        elif c.upper - 1 >= threshold:
            last = c.upper - 1
            shown.append((c, str(threshold) if last == threshold else f"{threshold} to {last}"))
    return shown


def class_for(value: float, classes: tuple[Class, ...]) -> Class:
    for c in classes:
        if c.contains(value):
            return c
    raise ValueError(f"{value} is in no class")
