"""What a map page tells a reader about each area, read from the page as a browser gets it.

A figure is sent once: in the HTML data table on an ordinary map, or in the page's
JSON data where the script shows a large table. The tooltips show the same rows.
"""

from __future__ import annotations

import json
import re

from tests.attacker import _cell, html_tables


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(m[1])


def years_of(data: dict) -> list[dict]:
    """Each year's data of the figures a page opens at (the first set, where it has several)."""
    return data["years"] if "years" in data else data["measures"][0]["years"]


def changes_of(data: dict) -> list[dict]:
    """Each change's data of the figures a page opens at."""
    return data["changes"] if "changes" in data else data["measures"][0]["changes"]


def cell(column, i: int):
    """Row ``i`` of a page-data column (see :func:`tests.attacker.column_values`)."""
    return _cell(column, i)


def area_figures(html: str, table_id: str = "area-table") -> dict[str, dict[str, str]]:
    """Area (or parent unit, with ``parent-table``) name → {column label: text shown}."""
    data = page_data(html)
    if table_id == "area-table" and data["areas"]["table"]:
        shown = years_of(data)[data["openYear"]]
        changes = changes_of(data)[-1:]
        columns = shown["cells"] + [c["cells"] for c in changes]
        return {
            name: {label: cell(c, i) for label, c in zip(data["columns"], columns, strict=True)}
            for i, name in enumerate(data["areas"]["names"])
        }
    table = next(t for t in html_tables(html) if t["id"] == table_id)
    header = next(r for s, r in table["rows"] if s == "thead")
    labels = header[1:-1] if table_id == "area-table" else header[1:]
    out = {}
    for section, row in table["rows"]:
        if section == "tbody":
            cells = row[1:-1] if table_id == "area-table" else row[1:]
            out[row[0]] = dict(zip(labels, cells, strict=True))
    return out


def area_classes(html: str) -> dict[str, dict]:
    """Area name → its legend class in the count and rate views, and whether it is a guess."""
    data = page_data(html)
    areas = data["areas"]
    shown = years_of(data)[data["openYear"]]
    names = list(area_figures(html))  # the table and the data are both in name order
    assert names == areas["names"]
    guess = set(areas["guess"])
    return {
        name: {"c": cell(shown["count"], i), "r": cell(shown["rate"], i), "guess": i in guess}
        for i, name in enumerate(names)
    }
