"""QGIS layer styles (QML) with the web map's classes, colours and line styles.

Analysts open the GeoPackage and see the same map as the web page: count
classes with their own zero class, a "withheld" class under suppression, a
hatched "no rate" class, dashed outlines where the boundary is a guess, and
area names as labels. Classes and colours come from :mod:`hatecrime_maps.outputs.presentation`.

Graduated renderers draw nothing for NULL, so the renderer classifies an
expression that maps withheld and no-rate values to negative codes with their
own ranges.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hatecrime_maps import model
from hatecrime_maps.analysis import stats
from hatecrime_maps.analysis.change import CHANGE_MEANINGS, ChangeClass
from hatecrime_maps.outputs import presentation

QGIS_VERSION = "3.22.0"
WITHHELD_CODE = -2
NO_RATE_CODE = -1
NO_DATA_CODE = -3
_HIGH = 1e9


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    opts = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(opts, "Option", name=name, type="QString", value=value)


def _data_defined(parent: ET.Element, prop: str, expression: str) -> None:
    ddp = ET.SubElement(parent, "data_defined_properties")
    root = ET.SubElement(ddp, "Option", type="Map")
    ET.SubElement(root, "Option", name="name", type="QString", value="")
    props = ET.SubElement(root, "Option", name="properties", type="Map")
    p = ET.SubElement(props, "Option", name=prop, type="Map")
    ET.SubElement(p, "Option", name="active", type="bool", value="true")
    ET.SubElement(p, "Option", name="expression", type="QString", value=expression)
    ET.SubElement(p, "Option", name="type", type="int", value="3")
    ET.SubElement(root, "Option", name="type", type="QString", value="collection")


GUESS_OUTLINE = "CASE WHEN \"confidence\" = 'guess' THEN 'dash' ELSE 'solid' END"


def fill_symbol(
    name: str,
    fill: str,
    *,
    brush: str = "solid",
    outline_width: float = 0.3,
    dashed_guesses: bool = True,
    hatch: bool = False,
    cross_hatch: bool = False,
) -> ET.Element:
    """A polygon symbol: fill, dark outline, dashed where the boundary is a guess."""
    symbol = ET.Element(
        "symbol", type="fill", name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    layers = [(fill, "solid")]
    if hatch:
        layers.append((presentation.NO_RATE_HATCH, "f_diagonal"))
    if cross_hatch:
        layers.append((presentation.NO_DATA_HATCH, "diagonal_x"))
    for i, (colour, brush_style) in enumerate(layers):
        layer = ET.SubElement(
            symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"}
        )
        last = i == len(layers) - 1
        _options(
            layer,
            {
                "color": _rgba(colour),
                # The base fill takes the given brush; a hatch or cross-hatch layer over it
                # keeps its own, or it would cover the base solid grey.
                "style": brush if i == 0 else brush_style,
                "outline_color": _rgba(presentation.OUTLINE),
                "outline_style": "solid" if last else "no",
                "outline_width": str(outline_width),
                "outline_width_unit": "MM",
                "joinstyle": "round",
            },
        )
        if last and dashed_guesses:
            _data_defined(layer, "outlineStyle", GUESS_OUTLINE)
    return symbol


def _qgis_root() -> ET.Element:
    return ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling")


def _labels(root: ET.Element, field: str, size: float = 8) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    ET.SubElement(
        settings,
        "text-style",
        fieldName=field,
        fontSize=str(size),
        fontSizeUnit="Point",
        textColor="26,26,26,255",
        isExpression="0",
        fontWeight="50",
        namedStyle="Regular",
    )
    ET.SubElement(
        settings,
        "text-buffer",
        bufferDraw="1",
        bufferSize="0.8",
        bufferSizeUnits="MM",
        bufferColor="255,255,255,255",
        bufferOpacity="0.8",
    )
    ET.SubElement(settings, "placement", placement="0", priority="5")
    ET.SubElement(settings, "rendering", obstacle="1", scaleVisibility="0")


def _text(root: ET.Element) -> str:
    ET.indent(root)
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def graduated_qml(
    expression: str, ranges: list[tuple[float, float, str, ET.Element]], label_field: str | None
) -> str:
    """A QGIS graduated renderer of ``expression`` over ``ranges``."""
    root = _qgis_root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="graduatedSymbol",
        attr=expression,
        graduatedMethod="GraduatedColor",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    ranges_el = ET.SubElement(renderer, "ranges")
    symbols_el = ET.SubElement(renderer, "symbols")
    for i, (lower, upper, label, symbol) in enumerate(ranges):
        ET.SubElement(
            ranges_el,
            "range",
            lower=f"{lower:g}",
            upper=f"{upper:g}",
            symbol=str(i),
            label=label,
            render="true",
        )
        symbol.set("name", str(i))
        symbols_el.append(symbol)
    if label_field:
        _labels(root, label_field)
    return _text(root)


def _class_ranges(
    classes: tuple[model.Class, ...], integer: bool, dashed: bool
) -> list[tuple[float, float, str, ET.Element]]:
    out = []
    for c in classes:
        # Integer counts get half-open margins so QGIS's inclusive bounds cannot overlap.
        lower = c.lower - 0.5 if integer else c.lower
        upper = (c.upper - 0.5 if integer else c.upper) if c.upper is not None else _HIGH
        out.append(
            (
                lower,
                upper,
                c.label,
                fill_symbol(c.key, presentation.CLASS_FILLS[c.key], dashed_guesses=dashed),
            )
        )
    return out


def _no_data(dashed: bool = True) -> tuple[float, float, str, ET.Element]:
    return (
        NO_DATA_CODE - 0.5,
        NO_DATA_CODE + 0.5,
        "no data",
        fill_symbol("no_data", presentation.NO_DATA_FILL, dashed_guesses=dashed, cross_hatch=True),
    )


def _withheld(dashed: bool = True) -> tuple[float, float, str, ET.Element]:
    return (
        WITHHELD_CODE - 0.5,
        WITHHELD_CODE + 0.5,
        "withheld",
        fill_symbol("withheld", presentation.SUPPRESSED_FILL, dashed_guesses=dashed),
    )


def count_qml(
    field: str,
    label_field: str | None,
    *,
    classes: tuple[model.Class, ...],
    dashed: bool = True,
    status_field: str | None = None,
) -> str:
    """Count classes on ``field``; NULL (withheld) gets its own class.

    With ``status_field``, areas whose status is ``no_data`` get a "no data" class
    of their own instead.
    """
    expression = f'coalesce("{field}", {WITHHELD_CODE})'
    withheld = _withheld(dashed)
    special = [withheld]
    if status_field:
        expression = (
            f"CASE WHEN \"{status_field}\" = 'no_data' THEN {NO_DATA_CODE} ELSE {expression} END"
        )
        special = [_no_data(dashed), withheld]
    return graduated_qml(expression, [*special, *_class_ranges(classes, True, dashed)], label_field)


def rate_qml(
    rate_field: str,
    status_field: str,
    label_field: str | None,
    *,
    classes: tuple[model.Class, ...],
    no_data: bool = False,
    no_population: bool = False,
    noun: str = "victims",
) -> str:
    """Rate classes, with "no rate" hatched, withheld rates grey and no data cross-hatched.

    ``no_population``: some areas have no population estimate, so no rate either.
    """
    no_rate = "IN ('too_few', 'no_population')" if no_population else "= 'too_few'"
    expression = (
        f"CASE WHEN \"{status_field}\" = 'suppressed' THEN {WITHHELD_CODE} "
        f'WHEN "{status_field}" {no_rate} THEN {NO_RATE_CODE} '
        + (f"WHEN \"{status_field}\" = 'no_data' THEN {NO_DATA_CODE} " if no_data else "")
        + f'ELSE "{rate_field}" END'
    )
    special = [
        *([_no_data()] if no_data else []),
        _withheld(),
        (
            NO_RATE_CODE - 0.5,
            NO_RATE_CODE + 0.5,
            f"no rate: fewer than {stats.MIN_COUNT_FOR_RATE} {noun}"
            + (" or no population estimate held" if no_population else ""),
            fill_symbol("no_rate", presentation.NO_RATE_FILL, hatch=True),
        ),
    ]
    return graduated_qml(expression, [*special, *_class_ranges(classes, False, True)], label_field)


def line_qml(colour: str, width_mm: float, label_field: str | None = None) -> str:
    """Outlines only (wards, boroughs), optionally labelled."""
    root = _qgis_root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="singleSymbol",
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    symbols = ET.SubElement(renderer, "symbols")
    symbol = ET.SubElement(
        symbols, "symbol", type="fill", name="0", alpha="1", clip_to_extent="1", force_rhr="0"
    )
    layer = ET.SubElement(
        symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"}
    )
    _options(
        layer,
        {
            "color": "255,255,255,0",
            "style": "no",
            "outline_color": _rgba(colour),
            "outline_style": "solid",
            "outline_width": str(width_mm),
            "outline_width_unit": "MM",
        },
    )
    if label_field:
        _labels(root, label_field, size=7)
    return _text(root)


def centres_qml(field: str = "kind") -> str:
    """Reporting centres by kind: circles and squares, hollow when approximate."""
    root = _qgis_root()
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="categorizedSymbol",
        attr=field,
        symbollevels="0",
        enableorderby="0",
        forceraster="0",
    )
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    shapes = {"third_party_reporting_centre": "circle", "hate_crime_surgery": "square"}
    for i, (kind, colour) in enumerate(presentation.CENTRE_COLOURS.items()):
        ET.SubElement(
            categories,
            "category",
            value=kind,
            symbol=str(i),
            label=kind.replace("_", " "),
            render="true",
        )
        symbol = ET.SubElement(
            symbols,
            "symbol",
            type="marker",
            name=str(i),
            alpha="1",
            clip_to_extent="1",
            force_rhr="0",
        )
        layer = ET.SubElement(
            symbol, "layer", {"class": "SimpleMarker", "enabled": "1", "locked": "0", "pass": "0"}
        )
        _options(
            layer,
            {
                "name": shapes[kind],
                "color": _rgba(colour),
                "outline_color": _rgba(colour),
                "outline_width": "0.6",
                "size": "4",
                "size_unit": "MM",
            },
        )
        hollow = f"CASE WHEN \"approximate\" THEN '255,255,255,255' ELSE '{_rgba(colour)}' END"
        _data_defined(layer, "fillColor", hollow)
    _labels(root, "name", size=7)
    return _text(root)


CHANGE_CODES: dict[ChangeClass, int] = {
    "clearly_lower": 1,
    "no_clear_change": 2,
    "clearly_higher": 3,
}
"""The change classes as numbers the graduated renderer can range over."""


def change_qml(
    change_field: str,
    status_field: str,
    label_field: str | None,
    *,
    dashed: bool = True,
    noun: str = "victims",
) -> str:
    """The change view's classes, as on the web page.

    Clearly higher, no clear change and clearly lower in their colours; too few to
    tell hatched, withheld grey, and no data or no population estimate cross-hatched.
    """
    expression = (
        f"CASE WHEN \"{status_field}\" = 'withheld' THEN {WITHHELD_CODE} "
        f"WHEN \"{status_field}\" IN ('no_data', 'no_population') THEN {NO_DATA_CODE} "
        f"WHEN \"{change_field}\" = 'too_few' THEN {NO_RATE_CODE} "
        + "".join(
            f"WHEN \"{change_field}\" = '{key}' THEN {code} " for key, code in CHANGE_CODES.items()
        )
        + "END"
    )
    ranges = [
        _no_data(dashed),
        _withheld(dashed),
        (
            NO_RATE_CODE - 0.5,
            NO_RATE_CODE + 0.5,
            f"too few {noun} to tell",
            fill_symbol("too_few", presentation.NO_RATE_FILL, hatch=True, dashed_guesses=dashed),
        ),
        *(
            (
                code - 0.5,
                code + 0.5,
                CHANGE_MEANINGS[key],
                fill_symbol(key, presentation.CHANGE_FILLS[key], dashed_guesses=dashed),
            )
            for key, code in CHANGE_CODES.items()
        ),
    ]
    return graduated_qml(expression, ranges, label_field)
