"""A folium map of the published figures, styled exactly as the pages are.

For analysts in notebooks: the same classes and colours (from
:mod:`hatecrime_maps.outputs.presentation`), hatched "no rate" and cross-hatched "no data",
dashed guessed boundaries, tooltips with the same fields and text as the
pages (from :func:`hatecrime_maps.outputs.pages.area_rows`), the reporting centres,
a legend, and a layer control for counts, rates and the level above. Every
piece of text from the inputs is escaped before folium sees it, because
folium's tooltips insert their values as HTML.

folium is an optional dependency: ``pip install 'hatecrime-maps[notebook]'``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from hatecrime_maps.analysis import publish
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.levels import Level
from hatecrime_maps.model import Centre
from hatecrime_maps.outputs import pages, presentation, wording
from hatecrime_maps.outputs.geometry import bounds_of

NOTEBOOK_EXTRA = "pip install 'hatecrime-maps[notebook]'"


def import_folium() -> Any:
    """folium, or an :class:`ImportError` naming the extra that installs it."""
    try:
        import folium
        import folium.plugins
    except ImportError:
        raise ImportError(f"folium_map needs folium, which is optional: {NOTEBOOK_EXTRA}") from None
    return folium


def _features(
    frame: Any,
    level: Level,
    public: publish.PublicFigures,
    rows_of: Callable[..., list[list[str]]],
    boundaries: Boundaries,
) -> dict[str, Any]:
    """A FeatureCollection of one level's units, every text escaped, classes as properties."""
    shapes = {
        f["properties"][level.name_key]: f["geometry"] for f in boundaries.web_features(level.layer)
    }
    features = []
    for _, row in frame.sort_values("area").iterrows():
        rows = rows_of(row, public.about, public.threshold)
        props = {
            "name": html.escape(row["area"]),
            "c": publish.count_class(row, public.scale),
            "guess": row["confidence"] == "guess",
        }
        if "rate_status" in row:
            props["r"] = publish.rate_class(row, public.scale)
        props |= {f"f{i}": html.escape(text) for i, (_, text) in enumerate(rows)}
        features.append({"type": "Feature", "properties": props, "geometry": shapes[row["area"]]})
    labels = [
        html.escape(label) for label, _ in rows_of(frame.iloc[0], public.about, public.threshold)
    ]
    return {"type": "FeatureCollection", "features": features, "labels": labels}


def _parent_confidence(public: publish.PublicFigures, year: int) -> list[str]:
    if public.parents is None:
        return []
    return list(public.parents.loc[public.parents["year"] == year, "confidence"])


def _legend_html(public: publish.PublicFigures, year: int, no_data: bool) -> str:
    about = public.about
    entries = presentation.legend_entries(about, public.threshold, no_data, scale=public.scale)
    titles = dict(pages.views(about, _parent_confidence(public, year)))
    parts = [
        '<div class="hatecrime-maps-legend" style="position:absolute;z-index:1000;'
        "bottom:24px;right:10px;background:#fff;padding:6px 8px;border:1px solid #777;"
        'font:12px/1.4 sans-serif;max-width:260px">',
        f"<strong>{html.escape(wording.map_title(about.meta, about.level, year))}</strong>",
    ]
    for view in ("count", "rate"):
        parts.append(f"<div style='margin-top:4px'><em>{html.escape(titles[view])}</em></div>")
        for e in entries[view]:
            swatch = (
                e["fill"]
                if e["key"] not in ("no_rate", "no_data")
                else (
                    f"repeating-linear-gradient(45deg,{presentation.fill_of(e['key'])} 0 3px,"
                    f"{presentation.NO_RATE_HATCH} 3px 5px)"
                )
            )
            parts.append(
                f"<div><span style='display:inline-block;width:14px;height:10px;"
                f"border:1px solid {presentation.OUTLINE};background:{swatch};"
                f"margin-right:4px'></span>{html.escape(e['label'])}</div>"
            )
    parts.append(
        "<div><span style='display:inline-block;width:14px;height:10px;border:1px "
        f"dashed {presentation.OUTLINE};margin-right:4px'></span>dashed outline: boundary "
        "is a guess</div></div>"
    )
    return "".join(parts)


def draw_folium_map(
    public: publish.PublicFigures,
    year: int,
    *,
    boundaries: Boundaries,
    centres: list[Centre],
    tiles: str | None,
) -> Any:
    """A folium map of one year of ``public``, its areas' shapes from ``boundaries``.

    See :func:`hatecrime_maps.api.folium_map`, which reads what this draws.
    """
    folium = import_folium()
    from folium.plugins import StripePattern

    about = public.about
    bounds = bounds_of(boundaries.web_features(about.geography.context_lines["outline"]))
    m = folium.Map(tiles=tiles, control_scale=True)
    m.fit_bounds(bounds)
    m.get_root().title = html.escape(wording.map_title(about.meta, about.level, year))
    stripes: Callable[..., Any] = StripePattern  # folium's plugins are untyped
    patterns = {
        "no_rate": stripes(
            angle=45,
            weight=2,
            space_weight=3,
            color=presentation.NO_RATE_HATCH,
            space_color=presentation.NO_RATE_FILL,
            opacity=1,
            space_opacity=1,
        ),
        "no_data": stripes(
            angle=-45,
            weight=1,
            space_weight=4,
            color=presentation.NO_DATA_HATCH,
            space_color=presentation.NO_DATA_FILL,
            opacity=1,
            space_opacity=1,
        ),
    }
    for pattern in patterns.values():
        pattern.add_to(m)

    def styler(key: str, weight: float) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def style_of(feature: dict[str, Any]) -> dict[str, Any]:
            props = feature["properties"]
            cls = props[key]
            out: dict[str, Any] = {
                "color": presentation.OUTLINE,
                "weight": weight,
                "fillOpacity": 0.85,
                "fillColor": presentation.fill_of(cls),
                "dashArray": presentation.GUESS_DASH if props["guess"] else None,
            }
            if cls in patterns:
                out["fillPattern"] = patterns[cls]
            return out

        return style_of

    areas = public.areas[public.areas["year"] == year]
    area_fc = _features(areas, about.level, public, pages.area_rows, boundaries)
    # One strand of several says so in every layer's name (its title says it too).
    strand = f"{wording.strand_label(about.meta)}: " if about.meta.strand else ""
    views = {k: strand + label for k, label in pages.views(about, _parent_confidence(public, year))}
    for key, view, show in (("c", "count", True), ("r", "rate", False)):
        fc = {k: v for k, v in area_fc.items() if k != "labels"}
        folium.GeoJson(
            json.loads(json.dumps(fc)),
            name=html.escape(views[view]),
            overlay=False,
            show=show,
            style_function=styler(key, presentation.AREA_WEIGHT),
            highlight_function=lambda _: {"weight": 3},
            tooltip=folium.GeoJsonTooltip(
                fields=["name", *(f"f{i}" for i in range(len(area_fc["labels"])))],
                aliases=[about.level.title, *area_fc["labels"]],
                sticky=True,
            ),
        ).add_to(m)
    if about.parent is not None and public.parents is not None:
        parents = public.parents[public.parents["year"] == year]
        parent_fc = _features(parents, about.parent, public, pages.parent_rows, boundaries)
        labels = parent_fc.pop("labels")
        folium.GeoJson(
            parent_fc,
            name=html.escape(views["parent"]),
            overlay=False,
            show=False,
            style_function=styler("c", presentation.PARENT_WEIGHT),
            tooltip=folium.GeoJsonTooltip(
                fields=["name", *(f"f{i}" for i in range(len(labels)))],
                aliases=[about.parent.title, *labels],
                sticky=True,
            ),
        ).add_to(m)
    if centres:
        group = folium.FeatureGroup(name="Reporting centres", overlay=True, show=True)
        for c in centres:
            if not (c.is_place and c.is_located):
                continue
            colour = presentation.CENTRE_COLOURS[c.kind]
            label = html.escape(pages.centre_label(c))
            if c.is_approximate:
                ring = folium.Circle(
                    [c.lat, c.lon],
                    radius=c.precision_m,
                    color=colour,
                    weight=1.5,
                    dash_array="4 3",
                    fill=False,
                )
                ring.options["interactive"] = False  # a hint of extent, not a target
                ring.add_to(group)
            folium.CircleMarker(
                [c.lat, c.lon],
                radius=8,
                color=colour,
                weight=2,
                fill=True,
                fill_color="#ffffff" if c.is_approximate else colour,
                fill_opacity=1,
                tooltip=label,
            ).add_to(group)
        group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    legend = _legend_html(public, year, not areas["has_data"].all())
    m.get_root().html.add_child(folium.Element(legend))
    return m
