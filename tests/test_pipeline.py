"""``hatecrime-maps build``: determinism, page basics, privacy of content, bad input."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FOI_FILE, ROOT, build_to
from tests.pagedata import area_classes, area_figures, page_data

MAPS = ROOT / "maps"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=cwd
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_rebuild_gives_the_committed_bytes(tmp_path):
    # With no arguments the build reads data/ and boundaries/ and writes maps/.
    committed = files_of(MAPS)
    built = build_to(tmp_path / "maps")
    mine = files_of(built)
    assert sorted(mine) == sorted(committed), "maps/ holds exactly what a build writes"
    for name, data in mine.items():
        assert data == committed.get(name), f"maps/{name} differs from a fresh build"


def test_no_arguments_means_the_embedded_defaults(tmp_path):
    # Run from a copy of the project root so the real maps/ is untouched.
    for part in ("data", "boundaries"):
        subprocess.run(["cp", "-r", str(ROOT / part), str(tmp_path / part)], check=True)
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    built = (tmp_path / "maps" / "map-2020.html").read_bytes()
    assert built == (MAPS / "map-2020.html").read_bytes()
    assert "map-2019.html" in result.stdout and "bytes" in result.stdout


@pytest.mark.parametrize("year", [2019, 2020])
def test_page_basics(year):
    html = (MAPS / f"map-{year}.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert f"<title>Hate crimes against refugees, asylum seekers and migrants, {year}" in html
    viewport = re.search(r'<meta name="viewport" content="([^"]+)"', html)[1]
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
    assert "Content-Security-Policy" in html and "'unsafe-inline'" not in html
    assert "FOI 1186A/20" in html
    period = "1 January to 9 December 2020" if year == 2020 else "1 January to 31 December 2019"
    assert period in html
    assert f"ONS mid-{year} ward population estimates" in html
    assert "December 2019 electoral wards" in html
    assert "Open Government Licence" in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', html), "nothing external"


def test_landing_page_links_maps_downloads_and_embeds():
    html = (MAPS / "index.html").read_text(encoding="utf-8")
    for target in ("map-2019.html", "map-2020.html", "downloads/areas.csv", "downloads/npus.csv"):
        assert f'href="{target}"' in html
        assert (MAPS / target).exists()
    # The snippet is shown as text, with a titled iframe.
    assert "&lt;iframe src=&#34;map-2020.html&#34; title=&#34;Map: Hate crimes" in html


def _visible_and_data_text(html: str) -> str:
    """What a reader or a script could read: text outside styles and scripts, and every
    figure string in the page's data (but the encoded coordinates of its shapes)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    if 'id="map-data"' not in html:
        return body
    data = page_data(html)
    data.pop("arcs")

    def strings(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    return body + "\n".join(strings(data))


def test_public_outputs_never_carry_ages():
    for path in sorted(MAPS.rglob("*")):
        if path.suffix == ".html":
            text = _visible_and_data_text(path.read_text(encoding="utf-8"))
            # 666 is the placeholder age in Walsall Central 2020; no age of any kind is shown.
            assert "666" not in text and "invalid:" not in text, path
            assert not re.search(r"\b(age|aged)\s*(:|\d)|unknown age|\d+ years", text, re.I), path
        elif path.suffix == ".csv":
            header = next(csv.reader(path.open(encoding="utf-8")))
            assert not any("age" in h.split("_") for h in header), header


def test_tooltips_and_table_come_from_the_same_figures():
    html = (MAPS / "map-2020.html").read_text(encoding="utf-8")
    rows = area_figures(html)["Birmingham City Centre"]
    assert rows["Victims"] == "24"
    assert rows["By sex"] == "female 4, male 19, not recorded 1"
    assert rows["Population"] == "30,344 (mid-2020)"
    assert rows["Rate per 100,000"] == (
        "79.1 (95% CI 50.7 to 117.7); a poor guide: most people in a city centre, victims "
        "among them, do not live there"
    )
    assert rows["Boundary"] == "guess (dashed outline)"
    # The page's data holds each year's figures once, for the year control and tooltips.
    assert html.split('id="map-data"')[1].count("79.1 (95% CI 50.7 to 117.7)") == 1
    # The phone layout labels each cell with its column, the tooltip's label.
    for i, label in enumerate(rows, start=2):
        rule = rf'#area-table td:nth-child\({i}\)::before ?\{{ ?content: ?"{re.escape(label)}: "'
        assert re.search(rule, html), label


def test_counts_classes_and_rates_are_consistent():
    html = (MAPS / "map-2020.html").read_text(encoding="utf-8")
    data = page_data(html)
    by_name = area_classes(html)
    assert by_name["Birmingham City Centre"]["c"] == "c10"
    assert by_name["Sutton Coldfield"]["c"] == "c0"
    assert by_name["Hodge Hill"]["c"] == "c2" and by_name["Hodge Hill"]["r"] == "no_rate"
    assert by_name["Perry Barr"]["r"] == "r2"  # 4.2 per 100,000
    assert by_name["Ladywood West"]["guess"] and not by_name["Sutton Coldfield"]["guess"]
    assert len(data["parents"]["ids"]) == 8 and len(data["areas"]["ids"]) == 25
    placed = [c["name"] for c in data["centres"]]
    assert "Jamia Masjid Al-Aqsa" not in placed and "True Vision" not in placed
    assert len(placed) == 5


def test_unknown_area_in_the_answer_stops_the_build(tmp_path, foi_text):
    foi_dir = tmp_path / "foi"
    foi_dir.mkdir()
    (foi_dir / "response.txt").write_text(
        foi_text.replace("<i>Yardley</i>", "<i>Yardly Wood</i>"), encoding="utf-8"
    )
    (foi_dir / "metadata.json").write_bytes((FOI_FILE.parent / "metadata.json").read_bytes())
    result = run("build", "--foi", str(foi_dir / "response.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "area 'Yardly Wood' matches no area of any level (nearest: 'Yardley (policing "
        "area)'" in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_answer_without_metadata_takes_its_periods_and_subject_from_its_text(tmp_path, foi_text):
    (tmp_path / "response.txt").write_text(foi_text, encoding="utf-8")
    result = run(
        "build",
        "--foi",
        str(tmp_path / "response.txt"),
        "--tiles",
        "none",
        "--pages-only",
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 0, result.stderr
    # The run says what it read from the text, and where.
    assert "inferred period 2020: 1 January to 9 December 2020 (as stated, line 5)" in result.stderr
    assert "inferred period 2019: 1 January to 31 December 2019 (the calendar year" in result.stderr
    assert (
        "inferred subject: 'hate crimes against refugees, asylum seekers and migrants'"
        in result.stderr
    )
    page = (tmp_path / "out" / "map-2020.html").read_text(encoding="utf-8")
    assert (
        "<title>Hate crimes against refugees, asylum seekers and migrants, 2020: figures "
        "by policing area</title>" in page
    )
    # Nothing said who gave the figures, so no force is named: the file is the source.
    title = re.search(r"<title>(.*?)</title>", page)[1]
    summary = re.search(r'<p class="summary"[^>]*>(.*?)</p>', page)[1]
    source = re.search(r'<p class="source">(.*?)</p>', page)[1]
    for text in (title, summary, source):
        assert "West Midlands Police" not in text and "1186A" not in text
    assert source.startswith("Sources: Hate crime figures: response.txt.")
    assert summary.startswith("The figures give 58 victims of hate crimes against refugees")


def test_answer_whose_text_states_no_period(tmp_path, foi_text):
    text = re.sub(r"There were \d+ hate crimes[^\n]*", "", foi_text)
    (tmp_path / "response.txt").write_text(text, encoding="utf-8")
    result = run("build", "--foi", str(tmp_path / "response.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "nothing states the period the 2019 figures cover; give --period "
        "2019=START..END" in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_bad_centres_file_names_the_line(tmp_path):
    rows = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace("52.58220", "5x.58220")
    bad = tmp_path / "centres.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("build", "--centres", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:4: lat '5x.58220' is not a number" in result.stderr


@pytest.mark.parametrize("value", ["1", "0", "x"])
def test_suppress_below_must_be_two_or_more(tmp_path, value):
    result = run("build", "--suppress-below", value, "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--suppress-below" in result.stderr


def test_text_from_inputs_is_escaped_in_html(tmp_path):
    centres = tmp_path / "centres.csv"
    text = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8")
    centres.write_text(
        text.replace("Zebra Access", "<img src=x onerror=alert(1)>"), encoding="utf-8"
    )
    out = build_to(tmp_path / "maps", "--tiles", "none", "--pages-only", centres=centres)
    html = (out / "map-2020.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # inside the JSON block


def test_a_rebuild_reuses_unchanged_drawings_and_redraws_changed_ones(tmp_path, monkeypatch):
    from hatecrime_maps.outputs import charts
    from hatecrime_maps.pipeline import build_maps
    from hatecrime_maps.request import BuildRequest

    out = tmp_path / "maps"
    build_maps(BuildRequest(out=out, tiles="none"))
    first = files_of(out)

    def no_drawing(*args, **kwargs):
        raise AssertionError("an unchanged chart or print map was drawn again")

    # The same inputs again: nothing is drawn, and every byte is the same.
    monkeypatch.setattr(charts, "draw_bar_chart", no_drawing)
    monkeypatch.setattr(charts, "print_map", no_drawing)
    build_maps(BuildRequest(out=out, tiles="none"))
    assert files_of(out) == first
    monkeypatch.undo()

    # A damaged drawing is drawn again, not reused.
    (out / "print" / "map-2020.png").write_bytes(b"not a png")
    build_maps(BuildRequest(out=out, tiles="none"))
    assert files_of(out) == first

    # A drawing whose inputs change is drawn again: a new subject retitles the print maps
    # (the charts' titles do not name it, so they are reused).
    from hatecrime_maps.request import Options

    monkeypatch.setattr(charts, "draw_bar_chart", no_drawing)
    build_maps(
        BuildRequest(out=out, tiles="none", options=Options(subject="hate crimes of every kind"))
    )
    again = files_of(out)
    assert again["print/map-2020.png"] != first["print/map-2020.png"]
    assert again["charts/offences_by_group.png"] == first["charts/offences_by_group.png"]


def test_pages_only_writes_the_pages_and_nothing_they_do_not_link_to(tmp_path, maps_offline):
    out = build_to(tmp_path / "maps", "--tiles", "none", "--pages-only")
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        ".hatecrime-maps-manifest.json",
        "embed-2019.html",
        "embed-2020.html",
        "hatecrime-maps-embed.js",
        "index.html",
        "map-2019.html",
        "map-2020.html",
    ]
    for name in ("index.html", "map-2019.html", "map-2020.html", "embed-2020.html"):
        html = (out / name).read_text(encoding="utf-8")
        for target in re.findall(r'href="([^"#:]+)"', html):
            assert (out / target).exists(), f"{name} links to {target}, which is not there"
    # The pages are the full build's pages.
    assert (out / "map-2020.html").read_bytes() == (maps_offline / "map-2020.html").read_bytes()


def test_drawings_are_the_same_bytes_drawn_in_parallel_or_in_this_process(tmp_path, monkeypatch):
    from hatecrime_maps.outputs import charts
    from hatecrime_maps.pipeline import build_maps
    from hatecrime_maps.request import BuildRequest

    used_workers = []

    class Recorded(charts.DrawingPool):
        def __init__(self, calls):
            super().__init__(calls)
            used_workers.append(self.pool is not None)

    monkeypatch.setattr(charts, "DrawingPool", Recorded)
    monkeypatch.setattr(charts, "_spare_cores", lambda: 2)
    monkeypatch.setattr(charts, "_can_fork", lambda: True)
    build_maps(BuildRequest(out=tmp_path / "parallel", tiles="none"))
    monkeypatch.setattr(charts, "_can_fork", lambda: False)  # as in a notebook kernel
    build_maps(BuildRequest(out=tmp_path / "here", tiles="none"))
    assert used_workers == [True, False]
    assert files_of(tmp_path / "here") == files_of(tmp_path / "parallel")


def _drawn_by() -> tuple[str, bytes]:
    import os

    return "", str(os.getpid()).encode()


def test_one_drawing_is_drawn_in_another_process_while_the_build_goes_on(monkeypatch):
    import os

    from hatecrime_maps.outputs import charts

    monkeypatch.setattr(charts, "_can_fork", lambda: True)
    monkeypatch.setattr(charts, "_spare_cores", lambda: 2)
    with charts.DrawingPool([(_drawn_by, ())]) as pool:
        [(_, pid)] = pool.results()
    assert int(pid) != os.getpid()
    monkeypatch.setattr(charts, "_spare_cores", lambda: 1)
    with charts.DrawingPool([(_drawn_by, ())]) as pool:
        [(_, pid)] = pool.results()
    assert int(pid) == os.getpid(), "with one core, nothing to draw alongside"


@pytest.mark.parametrize(
    ("header", "subject", "title"),
    [
        (
            "incidents",
            "hate crimes against disabled people",
            "Hate incidents against disabled people",
        ),
        (
            "reports",
            "hate crimes against disabled people",
            "Reports of hate crimes against disabled people",
        ),
        ("incidents", "", "Incidents"),
    ],
)
def test_titles_say_what_was_counted(tmp_path, header, subject, title):
    # Hate incidents are not hate crimes: a table of incidents is never titled as crimes.
    table = tmp_path / "counts.csv"
    table.write_text(f"Ward,{header.capitalize()}\nAston,5\nLadywood,3\n", encoding="utf-8")
    flags = ["--subject", subject] if subject else []
    out = build_to(
        tmp_path / "maps", "--counts", str(table), "--tiles", "none", "--pages-only",
        "--period", "2020=2020-01-01..2020-12-31", *flags,
    )  # fmt: skip
    page = (out / "map-2020.html").read_text(encoding="utf-8")
    assert re.search(r"<title>(.*?)</title>", page)[1] == f"{title}, 2020: figures by ward"
    summary = re.search(r'<p class="summary"[^>]*>(.*?)</p>', page)[1]
    assert f"8 {title.lower() if subject else header}" in summary
    assert (
        f">{header.capitalize()} per ward<" in page or f"> {header.capitalize()} per ward<" in page
    )
