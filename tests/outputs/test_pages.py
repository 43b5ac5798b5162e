"""The map page's shapes: the committed web layers, each edge sent once.

The page's data holds a topology (arcs, and shapes as lists of arcs) in a documented
format: TopoJSON's arc indices (``~i`` is arc ``i`` reversed) with every arc a string
of Google encoded-polyline numbers, deltas that run on from arc to arc. This decodes
it as any reader of the format would, and compares the shapes with what they come from.
"""

from __future__ import annotations

import json
import math

import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hatecrime_maps.outputs.pages import column
from tests.attacker import column_values
from tests.conftest import ROOT
from tests.pagedata import area_figures, page_data

MAPS = ROOT / "maps"
WEB = ROOT / "boundaries" / "web"
METRES_PER_DEGREE = 111_320


def decode_arcs(arcs: list[str], scale: int) -> list[list[tuple[float, float]]]:
    out, x, y = [], 0, 0
    for text in arcs:
        numbers, i = [], 0
        while i < len(text):
            shift = bits = 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                bits |= (b & 31) << shift
                shift += 5
                if b < 32:
                    break
            numbers.append(~(bits >> 1) if bits & 1 else bits >> 1)
        points = []
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x / scale, y / scale))
        out.append(points)
    return out


def shape(polygons: list, arcs: list) -> shapely.MultiPolygon:
    def ring(indices):
        points = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += part[1:] if points else part
        return points

    return shapely.MultiPolygon(
        [shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in polygons]
    )


def metres(degrees: float) -> float:
    return degrees * METRES_PER_DEGREE


def test_each_area_is_drawn_where_its_web_boundary_is():
    html = (MAPS / "map-2020.html").read_text(encoding="utf-8")
    data = page_data(html)
    arcs = decode_arcs(data["arcs"], data["scale"])
    names = list(area_figures(html))
    web = {
        f["properties"]["area"]: shapely.geometry.shape(f["geometry"])
        for f in json.loads((WEB / "areas.geojson").read_text(encoding="utf-8"))["features"]
    }
    assert sorted(names) == sorted(web)
    # Rounding to 10^-4 degrees moves a point at most half a unit each way.
    bound = metres(math.hypot(0.5, 0.5) / data["scale"])
    for name, polygons in zip(names, data["areas"]["shapes"], strict=True):
        drawn = shape(polygons, arcs)
        assert drawn.is_valid, name
        assert metres(shapely.hausdorff_distance(drawn, web[name])) <= bound + 0.5, name
        assert abs(drawn.area / web[name].area - 1) < 0.01, name


def test_each_edge_is_sent_once():
    data = page_data((MAPS / "map-2020.html").read_text(encoding="utf-8"))
    arcs = decode_arcs(data["arcs"], data["scale"])
    seen = set()
    for arc in arcs:
        key = min(tuple(arc), tuple(arc[::-1]))
        assert key not in seen, "an arc is sent twice"
        seen.add(key)
    # Every shape and line refers to those arcs; the ward lines are all of them (null).
    used = {i if i >= 0 else ~i for ps in data["areas"]["shapes"] for p in ps for r in p for i in r}
    assert data["wardLines"] is None
    assert used | set(data["boroughLines"]) <= set(range(len(arcs)))
    # Each layer alone, as GeoJSON rings, would carry far more points.
    sent = sum(len(a) for a in arcs)
    layers = sum(
        shapely.get_num_coordinates(shapely.from_geojson((WEB / f"{n}.geojson").read_text()))
        for n in ("areas", "npus", "ward_lines", "borough_lines")
    )
    assert sent < layers / 2


def test_the_browser_draws_each_area_where_its_boundary_is(open_page, maps_offline):
    import numpy as np

    p = open_page((maps_offline / "map-2020.html").as_uri())
    drawn = p.page.eval_on_selector_all(
        "path.area",
        "ps => ps.map(p => { const r = p.getBoundingClientRect();"
        " return [p.getAttribute('class'), r.left, r.top, r.right, r.bottom]; })",
    )
    web = {
        f["properties"]["area_id"]: shapely.geometry.shape(f["geometry"]).bounds
        for f in json.loads((WEB / "areas.geojson").read_text(encoding="utf-8"))["features"]
    }
    assert len(drawn) == len(web)

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    xs, ys, px, py = [], [], [], []
    for cls, left, top, right, bottom in drawn:
        west, south, east, north = web[cls.split("area-")[1].split()[0]]
        xs += [west, east]
        ys += [mercator(north), mercator(south)]
        px += [left, right]
        py += [top, bottom]
    # One scale and offset per axis maps every area's box onto the screen, within a pixel
    # or two: each shape was decoded into the right place.
    for geo, screen in ((xs, px), (ys, py)):
        fit = np.polyfit(geo, screen, 1)
        assert np.max(np.abs(np.polyval(fit, geo) - np.array(screen))) < 2.5


_CELL_TEXT = st.one_of(
    st.builds(
        "{} (95% CI {} to {})".format,
        *[st.decimals(0, 3000, places=1).map(str)] * 3,
    ),
    st.builds("{:,} (mid-2020)".format, st.integers(0, 200_000)),
    st.sampled_from(["no rate: fewer than 3 crimes", "no data", "fewer than 5", "12", ""]),
    st.text(alphabet="ab 1,.%|", max_size=12),
)


@settings(deadline=None)
@given(st.lists(_CELL_TEXT, max_size=40))
@example(["253.3 (95% CI 174.3 to 355.7)", "20.0 (95% CI 1.0 to 2.5)", "no rate"])
@example(["1|2", "1|2", "3|4"])  # the numbers' separator inside a value
@example(["#1", "#2", "#3"])  # the placeholder inside a value: written as it is
@example(["exact"] * 5)
def test_a_page_column_reads_back_as_written(values):
    assert column_values(column(values), len(values)) == values


def test_repeated_text_around_numbers_is_written_once():
    rates = [f"{r}.5 (95% CI {r - 1}.0 to {r + 2}.0)" for r in range(100, 400)]
    encoded = column(rates)
    assert encoded["s"] == ["# (95% CI # to #)"]  # "95" is the same in every row

    def size(x: object) -> int:
        return len(json.dumps(x, separators=(",", ":")))

    assert size(encoded) < 0.65 * size(rates)
