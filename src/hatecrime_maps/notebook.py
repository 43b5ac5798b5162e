"""A folium map of the published figures, styled exactly as the pages are.

For analysts in notebooks: the same classes and colours (from
:mod:`hatecrime_maps.style`), hatched "no rate" and cross-hatched "no data",
dashed guessed boundaries, tooltips with the same fields and text as the
pages (from :func:`hatecrime_maps.webmap.area_rows`), the reporting centres,
a legend, and a layer control for counts, rates and the level above. Every
piece of text from the inputs is escaped before folium sees it, because
folium's tooltips insert their values as HTML.

folium is an optional dependency: ``pip install 'hatecrime-maps[notebook]'``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hatecrime_maps import defaults, publish, style, webmap, wording
from hatecrime_maps.geojson import read_web_layer
from hatecrime_maps.levels import Level

NOTEBOOK_EXTRA = "pip install 'hatecrime-maps[notebook]'"


def _folium() -> Any:
    try:
        import folium
        import folium.plugins
    except ImportError:
        raise ImportError(f"folium_map needs folium, which is optional: {NOTEBOOK_EXTRA}") from None
    return folium


def _fill(key: str) -> str:
    """The pages' fill of a legend key; for a hatched key its base colour (folium hatches)."""
    hatched = {"norate": style.NO_RATE_FILL, "nodata": style.NO_DATA_FILL}
    return hatched[key] if key in hatched else webmap.fill_styles()[key]


def _features(
    frame: Any,
    level: Level,
    public: publish.PublicFigures,
    rows_of: Callable[..., list[list[str]]],
    boundaries: Path,
) -> dict[str, Any]:
    """A FeatureCollection of one level's units, every text escaped, classes as properties."""
    shapes = {
        f["properties"][level.name_key]: f["geometry"]
        for f in read_web_layer(boundaries, level.layer)
    }
    features = []
    for _, row in frame.sort_values("area").iterrows():
        rows = rows_of(row, public.about, public.threshold)
        props = {
            "name": html.escape(row["area"]),
            "c": publish.count_class(row),
            "guess": row["confidence"] == "guess",
        }
        if "rate_status" in row:
            props["r"] = publish.rate_class(row)
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
    entries = webmap.legend_entries(about, public.threshold, no_data)
    titles = dict(webmap.views(about, _parent_confidence(public, year)))
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
                if e["key"] not in ("norate", "nodata")
                else (
                    f"repeating-linear-gradient(45deg,{_fill(e['key'])} 0 3px,"
                    f"{style.NO_RATE_HATCH} 3px 5px)"
                )
            )
            parts.append(
                f"<div><span style='display:inline-block;width:14px;height:10px;"
                f"border:1px solid {style.OUTLINE};background:{swatch};"
                f"margin-right:4px'></span>{html.escape(e['label'])}</div>"
            )
    parts.append(
        "<div><span style='display:inline-block;width:14px;height:10px;border:1px "
        f"dashed {style.OUTLINE};margin-right:4px'></span>dashed outline: boundary "
        "is a guess</div></div>"
    )
    return "".join(parts)


def folium_map(
    answer: Any,
    year: int | None = None,
    *,
    tiles: str | None = "OpenStreetMap",
    centres: bool = True,
    boundaries: str | Path | None = None,
    centres_path: str | Path | None = None,
    **kwargs: Any,
) -> Any:
    """A folium map of one year's figures, in the pages' classes and colours.

    Parameters
    ----------
    answer : Answer or PublicFigures
        From :func:`hatecrime_maps.read_answer` (``kwargs`` then go to
        :func:`hatecrime_maps.published`) or :func:`hatecrime_maps.published`.
    year : int, optional
        The year to draw; the latest by default.
    tiles : str or None, default "OpenStreetMap"
        A folium basemap name, or None for none (a map that fetches no tiles).
    centres : bool, default True
        Draw the reporting centres with a known location.
    boundaries, centres_path : str or Path, optional
        Other geography or reporting centres.
    **kwargs
        ``level``, ``map_level``, ``suppress_below`` and the rest of
        :func:`hatecrime_maps.published`.

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; add to it as to any folium map. Its layer
        control switches between counts, rates and the level above.

    Raises
    ------
    ImportError
        When folium is not installed, naming the ``[notebook]`` extra.
    hatecrime_maps.errors.ArgumentError
        An ``answer`` of another type, or a ``year`` the figures do not cover.

    Examples
    --------
    >>> import hatecrime_maps as hm
    >>> m = hm.folium_map(hm.read_answer(), 2020, tiles=None)
    >>> "Birmingham City Centre" in m.get_root().render()
    True
    """
    folium = _folium()
    from folium.plugins import StripePattern

    from hatecrime_maps import api

    api._public_argument(answer)
    public = (
        answer
        if isinstance(answer, publish.PublicFigures)
        else api.published(answer, boundaries=boundaries, **kwargs)
    )
    about = public.about
    year = api._year_argument(year, public.years) if year is not None else public.years[-1]
    boundaries = Path(boundaries or defaults.BOUNDARIES)
    bounds = webmap.bounds_of(read_web_layer(boundaries, "boroughs"))
    m = folium.Map(tiles=tiles, control_scale=True)
    m.fit_bounds(bounds)
    m.get_root().title = html.escape(wording.map_title(about.meta, about.level, year))
    stripes: Callable[..., Any] = StripePattern  # folium's plugins are untyped
    patterns = {
        "norate": stripes(
            angle=45,
            weight=2,
            space_weight=3,
            color=style.NO_RATE_HATCH,
            space_color=style.NO_RATE_FILL,
            opacity=1,
            space_opacity=1,
        ),
        "nodata": stripes(
            angle=-45,
            weight=1,
            space_weight=4,
            color=style.NO_DATA_HATCH,
            space_color=style.NO_DATA_FILL,
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
                "color": style.OUTLINE,
                "weight": weight,
                "fillOpacity": 0.85,
                "fillColor": _fill(cls),
                "dashArray": style.GUESS_DASH if props["guess"] else None,
            }
            if cls in patterns:
                out["fillPattern"] = patterns[cls]
            return out

        return style_of

    areas = public.areas[public.areas["year"] == year]
    area_fc = _features(areas, about.level, public, webmap.area_rows, boundaries)
    views = dict(webmap.views(about, _parent_confidence(public, year)))
    for key, view, show in (("c", "count", True), ("r", "rate", False)):
        fc = {k: v for k, v in area_fc.items() if k != "labels"}
        folium.GeoJson(
            json.loads(json.dumps(fc)),
            name=html.escape(views[view]),
            overlay=False,
            show=show,
            style_function=styler(key, style.AREA_WEIGHT),
            highlight_function=lambda _: {"weight": 3},
            tooltip=folium.GeoJsonTooltip(
                fields=["name", *(f"f{i}" for i in range(len(area_fc["labels"])))],
                aliases=[about.level.title, *area_fc["labels"]],
                sticky=True,
            ),
        ).add_to(m)
    if about.parent is not None and public.parents is not None:
        parents = public.parents[public.parents["year"] == year]
        parent_fc = _features(parents, about.parent, public, webmap.parent_rows, boundaries)
        labels = parent_fc.pop("labels")
        folium.GeoJson(
            parent_fc,
            name=html.escape(views["parent"]),
            overlay=False,
            show=False,
            style_function=styler("c", style.PARENT_WEIGHT),
            tooltip=folium.GeoJsonTooltip(
                fields=["name", *(f"f{i}" for i in range(len(labels)))],
                aliases=[about.parent.title, *labels],
                sticky=True,
            ),
        ).add_to(m)
    if centres:
        from hatecrime_maps.centres import load_centres

        group = folium.FeatureGroup(name="Reporting centres", overlay=True, show=True)
        for c in load_centres(Path(centres_path or defaults.CENTRES)):
            if not (c.is_place and c.is_located):
                continue
            colour = style.CENTRE_COLOURS[c.kind]
            label = html.escape(webmap.centre_label(c))
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
