"""Classes, colours and line styles: the one place for how figures look.

The web map, the legend, print maps, the QGIS styles and the notebook map all
read from here, so a colour is changed once; the classes themselves are
:mod:`hatecrime_maps.model`'s (fixed, not computed from the data, so that
years can be compared at a glance). Both ramps are sequential and
colour-blind safe (ColorBrewer PuBu and YlOrBr); adjacent classes do not reach
3:1 contrast, so every area also has a dark outline and its class in text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hatecrime_maps import model
from hatecrime_maps.analysis import stats
from hatecrime_maps.analysis.change import CHANGE_MEANINGS
from hatecrime_maps.model import SpecialClass
from hatecrime_maps.outputs import wording

if TYPE_CHECKING:
    from hatecrime_maps.analysis import publish

CLASS_FILLS = {
    "c0": "#ffffff",
    "c1": "#d0d1e6",
    "c2": "#74a9cf",
    "c5": "#2b8cbe",
    "c10": "#045a8d",
    "r0": "#fee391",
    "r2": "#fec44f",
    "r5": "#fe9929",
    "r10": "#d95f0e",
    "r25": "#993404",
}
"""The fill of each class of :data:`~hatecrime_maps.model.COUNT_CLASSES` and
:data:`~hatecrime_maps.model.RATE_CLASSES`, by key."""
NO_RATE_FILL = "#f0f0f0"
NO_RATE_HATCH = "#737373"
"""Areas with too few victims for a rate: light grey with grey hatching."""

NO_DATA_FILL = "#f7f7f7"
NO_DATA_HATCH = "#969696"
"""Areas the input gives no figure for: near-white with grey cross-hatching."""

SUPPRESSED_FILL = "#bdbdbd"
"""Areas whose count is withheld (``--suppress-below``): plain mid grey."""

CHANGE_FILLS = {
    "clearly_higher": "#e66101",
    "no_clear_change": "#ffffff",
    "clearly_lower": "#5e3c99",
}
"""The change view's fills: ColorBrewer PuOr's ends (orange up, purple down; apart for
every kind of colour blindness) about white. "Too few to tell" is hatched like "no
rate": too few events to say anything."""

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


SPECIAL_FILLS: dict[SpecialClass, str] = {
    "suppressed": SUPPRESSED_FILL,
    "no_data": NO_DATA_FILL,
    "no_rate": NO_RATE_FILL,
}
"""The plain fill of each special class; pages and print add the hatching over it."""
PLAIN_FILLS: dict[str, str] = CLASS_FILLS | dict(SPECIAL_FILLS)


def fill_of(key: str) -> str:
    """The plain fill of a map class, by its key (a class's, or a special class)."""
    return PLAIN_FILLS[key]


def legend_entries(
    about: publish.About,
    threshold: int | None,
    no_data: bool,
    *,
    scale: model.Scale,
    change: bool = False,
) -> dict[str, list[dict]]:
    """Legend rows per view: class key, label and swatch style.

    ``change``: the page has the change views (it has two years or more).
    """
    extra = []
    if threshold:
        extra.append(
            {
                "key": "suppressed",
                "label": f"withheld (fewer than {threshold}, or to protect another figure)",
                "fill": SUPPRESSED_FILL,
            }
        )
    if no_data:
        extra.append(
            {
                "key": "no_data",
                "label": "no data: the input gives no figure",
                "fill": NO_DATA_FILL,
            }
        )
    unlisted = (
        " (not listed in the FOI)"
        if about.absent == "zero" and about.capabilities.lists_areas
        else ""
    )
    counts = [
        {
            "key": c.key,
            "label": label + (unlisted if c.lower == 0 else ""),
            "fill": CLASS_FILLS[c.key],
        }
        for c, label in model.count_classes_shown(threshold, scale.counts)
    ]
    rates = [{"key": c.key, "label": c.label, "fill": CLASS_FILLS[c.key]} for c in scale.rates]
    rates.append(
        {
            "key": "no_rate",
            "label": f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} "
            f"{wording.measure(about.meta)}",
            "fill": NO_RATE_FILL,
        }
    )
    legends = {"count": counts + extra, "rate": rates + extra}
    if change:
        changes = [
            {"key": key, "label": CHANGE_MEANINGS[key], "fill": CHANGE_FILLS[key]}
            for key in ("clearly_higher", "no_clear_change", "clearly_lower")
        ]
        changes.append(
            {
                "key": "too_few",
                "label": f"too few {wording.measure(about.meta)} to tell",
                "fill": NO_RATE_FILL,
            }
        )
        legends["change"] = changes + extra
    if about.parent is not None:
        legends["parent"] = counts + extra
        if change:
            legends["parent_change"] = legends["change"]
    return legends


def fill_styles() -> dict[str, str]:
    """The fill of every map class as the page's script draws it (hatching by pattern)."""
    return {
        **CLASS_FILLS,
        **CHANGE_FILLS,
        "too_few": "url(#hatch-no_rate)",
        "no_rate": "url(#hatch-no_rate)",
        "no_data": "url(#hatch-no_data)",
        "suppressed": SUPPRESSED_FILL,
    }


def class_css() -> str:
    """CSS for legend swatches and markers, from the colours here."""
    rules = [
        f".swatch-{c.key} {{ background: {CLASS_FILLS[c.key]}; }}"
        for c in (*model.COUNT_CLASSES, *model.RATE_CLASSES)
    ]
    rules += [f".swatch-{key} {{ background: {fill}; }}" for key, fill in CHANGE_FILLS.items()]
    # -45deg draws the stripes as "/", the slant of the map's own hatching.
    rules += [
        f".swatch-{key} {{ background: repeating-linear-gradient(-45deg, "
        f"{NO_RATE_FILL} 0 3px, {NO_RATE_HATCH} 3px 5px); }}"
        for key in ("no_rate", "too_few")
    ]
    rules.append(f".swatch-suppressed {{ background: {SUPPRESSED_FILL}; }}")
    rules.append(
        f".swatch-no_data {{ background: repeating-linear-gradient(45deg, "
        f"{NO_DATA_HATCH} 0 1px, transparent 1px 5px), "
        f"repeating-linear-gradient(-45deg, {NO_DATA_HATCH} 0 1px, "
        f"{NO_DATA_FILL} 1px 5px); }}"
    )
    for kind, colour in CENTRE_COLOURS.items():
        rules.append(f".marker-{kind} {{ background: {colour}; }}")
        rules.append(f".centre-{kind} svg * {{ fill: {colour}; }}")
        rules.append(f".centre-{kind}.approx svg * {{ fill: #fff; stroke: {colour}; }}")
    return "\n".join(rules) + "\n"
