"""The folium map in Chromium, the quick-start notebook executed, and escaping of input text."""

from __future__ import annotations

import html
import re
import sys

import pytest

import hatecrime_maps as hm
from hatecrime_maps import model
from hatecrime_maps.outputs import presentation
from tests.conftest import ARTIFACTS, FOI_FILE, ROOT

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def cdn_copies():
    from shutil import which

    from tests.cdn import local_copies
    from tests.conftest import need

    need(which("npm") is not None, "npm is not installed (needed for folium's CDN files)")
    return local_copies()


def hostile_centres(tmp_path):
    lines = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if "third_party_reporting_centre" in line)
    name = lines[i].split(",")[0]
    lines[i] = lines[i].replace(name, f'"{HOSTILE}"', 1)
    path = tmp_path / "centres.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_map_html_holds_every_area_in_its_class_colour_and_escapes_input_text(tmp_path):
    public = hm.published(hm.read_answer(FOI_FILE, subject=f"crimes {HOSTILE}"))
    m = hm.folium_map(public, 2020, tiles=None, centres_path=hostile_centres(tmp_path))
    page = m.get_root().render()
    assert HOSTILE not in page
    assert html.escape(HOSTILE) in page  # as text: in the legend's title and a marker
    # folium writes each layer's styles as a switch on the area's name: read the first
    # (the counts layer) back into name -> fill, the default branch for the names not cased.
    switch = page.split("_styler(feature) {", 1)[1].split("function ", 1)[0]
    fills, default = {}, None
    for cases, fill in re.findall(
        r'((?:case "[^"]*": )+|default:)\s*return \{[^}]*'
        r'"fillColor": "(#[0-9a-f]{6})"',
        switch,
    ):
        names = re.findall(r'case "([^"]*)"', cases)
        fills |= dict.fromkeys(names, fill)
        default = fill if not names else default
    year = public.areas[public.areas["year"] == 2020]
    assert len(year) == 25
    for _, row in year.iterrows():
        expected = presentation.CLASS_FILLS[
            model.class_for(int(row["victims"]), model.COUNT_CLASSES).key
        ]
        assert fills.get(row["area"], default) == expected, row["area"]
        assert f'"name": "{row["area"]}"' in page


def test_without_folium_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match=r"pip install 'hatecrime-maps\[notebook\]'"):
        hm.folium_map(hm.read_answer(), 2020)


def test_the_folium_map_renders_in_chromium(browser, cdn_copies, tmp_path):
    from tests.cdn import serve_locally

    m = hm.folium_map(hm.read_answer(), 2020, tiles=None, centres_path=hostile_centres(tmp_path))
    path = tmp_path / "folium.html"
    m.save(str(path))
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    unexpected: list[str] = []
    serve_locally(context, cdn_copies, unexpected)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 25")
    assert errors == [] and unexpected == [] and dialogs == []
    # 25 areas and 5 centre markers (the approximate-location rings take no pointer).
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 25 + 5
    assert page.locator("img[src='x']").count() == 0
    box = page.locator("path.leaflet-interactive").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".leaflet-tooltip")
    tip.first.wait_for()
    assert "Victims" in tip.first.inner_text()
    # The layer control switches to rates, where too-few areas are hatched.
    page.get_by_label("Victims per 100,000 residents").check()
    fills = page.eval_on_selector_all(
        ".leaflet-overlay-pane path", "ps => ps.map(p => p.getAttribute('fill'))"
    )
    assert any(f and f.startswith("url(#") for f in fills)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "folium-map.png"))
    context.close()


def test_the_quickstart_notebook_runs(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = ROOT / "examples" / "quickstart.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "committed without outputs"
    )
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) for o in outputs)
    assert "Victims in all areas: {2019: 22, 2020: 58}" in text
    assert any(
        "folium" in str(o.get("data", {}).get("text/html", ""))
        or "leaflet" in str(o.get("data", {}).get("text/html", ""))
        for o in outputs
    )
