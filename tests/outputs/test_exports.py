"""Analyst downloads: the GeoPackage in real QGIS, round trips, NULLs, ages, dictionary."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from hatecrime_maps import model
from hatecrime_maps.outputs import exports, presentation
from tests.conftest import ARTIFACTS, ROOT, SYSTEM_PYTHON, build_to, need, qgis_available
from tests.pagedata import area_figures

DOWNLOADS = ROOT / "maps" / "downloads"
GPKG = DOWNLOADS / exports.GPKG_NAME
LAYERS = {"police_areas": 25, "npus": 8, "wards": 192, "boroughs": 7, "reporting_centres": 5}


def page_rows(year: int) -> dict[str, dict[str, str]]:
    html = (ROOT / "maps" / f"map-{year}.html").read_text(encoding="utf-8")
    return area_figures(html)


@pytest.fixture(scope="module")
def qgis_report():
    need(
        qgis_available(),
        f"QGIS is not importable from {SYSTEM_PYTHON} (apt-get install python3-qgis)",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(ROOT / "tests" / "qgis_check.py"),
            str(GPKG),
            str(ARTIFACTS / "qgis.png"),
            str(DOWNLOADS),
            *LAYERS,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_layer_loads_in_qgis_valid_in_british_national_grid(qgis_report):
    for name, count in LAYERS.items():
        info = qgis_report[name]
        assert info["valid"] and info["crs"] == "EPSG:27700", name
        assert info["features"] == count, name


@pytest.mark.parametrize("layer", ["police_areas", "npus"])
def test_qgis_applies_the_default_style_by_itself(qgis_report, layer):
    info = qgis_report[layer]
    assert info["renderer"] == "graduatedSymbol"
    assert info["attribute"] == 'coalesce("victims_2020", -2)'
    assert [r[2] for r in info["ranges"]] == ["withheld", *(c.label for c in model.COUNT_CLASSES)]
    assert info["colours"] == [
        presentation.SUPPRESSED_FILL,
        *(presentation.CLASS_FILLS[c.key] for c in model.COUNT_CLASSES),
    ]
    # Ranges do not overlap and hold each whole number of their class.
    for (lo, hi, _), c in zip(info["ranges"][1:], model.COUNT_CLASSES, strict=True):
        assert lo < c.lower < hi
    assert info["labels"]
    if layer == "police_areas":
        assert "'guess' THEN 'dash'" in info["outline_expression"]
        assert info["styles_in_database"] == [
            "victims 2020",
            "victims 2019",
            "rate 2020",
            "rate 2019",
            "change 2019 to 2020",
        ]


def test_qml_files_load_in_qgis(qgis_report):
    files = qgis_report["qml_files"]
    assert sorted(files) == sorted(p.name for p in DOWNLOADS.glob("*.qml"))
    assert all(f["ok"] for f in files.values())
    rate = files["police_areas_rate_2020.qml"]["labels"]
    assert rate[:2] == ["withheld", "no rate: fewer than 3 victims"]
    assert rate[2:] == [c.label for c in model.RATE_CLASSES]


def test_reporting_centres_in_qgis(qgis_report):
    info = qgis_report["reporting_centres"]
    assert info["renderer"] == "categorizedSymbol"
    points = {name: (x, y) for name, x, y in info["points"]}
    assert "Jamia Masjid Al-Aqsa" not in points
    # St Peter's from its listed-building grid reference SO 91426 98793 (a few metres of
    # datum shift without the OSTN15 grid).
    x, y = points["St Peter's Collegiate Church"]
    assert abs(x - 391426) < 10 and abs(y - 298793) < 10


def test_qgis_draws_the_map(qgis_report):
    render = qgis_report["render"]
    assert render["width"] == 1200 and render["colours"] > 20  # not blank


@pytest.mark.parametrize("year", [2019, 2020])
def test_geopackage_geojson_and_csv_carry_the_web_maps_figures(year):
    rows = page_rows(year)
    gpkg = gpd.read_file(GPKG, layer="police_areas").set_index("area")
    web = gpd.read_file(DOWNLOADS / "police_areas.geojson").set_index("area")
    with open(DOWNLOADS / "areas.csv", encoding="utf-8") as fh:
        table = {r["area"]: r for r in csv.DictReader(fh) if int(r["year"]) == year}
    assert set(gpkg.index) == set(web.index) == set(table) == set(rows)
    for area, shown in rows.items():
        for source in (gpkg.loc[area], web.loc[area]):
            assert str(int(source[f"victims_{year}"])) == shown["Victims"]
            assert f"{int(source[f'population_mid{year}']):,} (mid-{year})" == shown["Population"]
            rate = source[f"rate_per_100k_{year}"]
            if shown["Rate per 100,000"].startswith("no rate"):
                assert pd.isna(rate)
            else:
                assert shown["Rate per 100,000"].startswith(f"{rate:.1f} (95% CI")
        assert table[area]["victims"] == shown["Victims"]


def test_geojson_is_rfc7946():
    data = json.loads((DOWNLOADS / "police_areas.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data
    x, y = data["features"][0]["geometry"]["coordinates"][0][0]
    assert -3 < x < -1 and 52 < y < 53


def test_integers_stay_integers():
    with sqlite3.connect(GPKG) as db:
        types = dict(
            db.execute("SELECT name, type FROM pragma_table_info('police_areas')").fetchall()
        )
        assert types["victims_2020"] == "INTEGER" and types["population_mid2020"] == "INTEGER"
        assert types["rate_per_100k_2020"] == "REAL"
        # Areas with too few victims have no rate: NULL, not NaN or a number.
        kinds = {
            k for (k,) in db.execute("SELECT DISTINCT typeof(rate_per_100k_2020) FROM police_areas")
        }
        assert kinds == {"real", "null"}
    info = pyogrio.read_info(GPKG, layer="police_areas")
    dtypes = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert dtypes["victims_2020"] in ("int32", "int64")


def test_suppression_reaches_the_geopackage_as_null(default_build):
    maps = default_build("--suppress-below", "3")
    gpkg = maps / "downloads" / exports.GPKG_NAME
    with sqlite3.connect(gpkg) as db:
        rows = db.execute(
            "SELECT area, victims_2020, victims_status_2020 FROM police_areas "
            "WHERE victims_status_2020 != ''"
        ).fetchall()
        assert rows and all(v is None for _, v, _ in rows)
        assert {s for *_, s in rows} <= {"fewer_than", "suppressed"}
        tables = {t for (t,) in db.execute("SELECT table_name FROM gpkg_contents")}
        offences = db.execute(
            "SELECT count, count_status FROM foi_offences WHERE count_status = 'fewer_than'"
        ).fetchall()
    assert "foi_victims" not in tables, "the per-area sex table is withheld under suppression"
    assert offences and all(c is None for c, _ in offences)
    assert "fewer than 3" in (maps / "downloads" / "README.md").read_text(encoding="utf-8")


def test_ages_only_when_asked(default_build, maps_offline):
    def columns(folder):
        names = set()
        for layer, *_ in pyogrio.list_layers(folder / "downloads" / exports.GPKG_NAME):
            names |= set(
                pyogrio.read_info(folder / "downloads" / exports.GPKG_NAME, layer=layer)["fields"]
            )
        return names

    assert "age" not in columns(ROOT / "maps")
    assert not (DOWNLOADS / "victims_by_age.csv").exists()
    maps = default_build("--include-ages")
    assert "age" in columns(maps)
    ages = pd.read_csv(maps / "downloads" / "victims_by_age.csv")
    assert ages["count"].sum() == 80 and "invalid: 666" in set(ages["age_note"].dropna())
    # The public pages are exactly as without the option: no ages reach them.
    for page in ("map-2019.html", "map-2020.html"):
        assert (maps / page).read_bytes() == (maps_offline / page).read_bytes()


def test_include_ages_with_suppression_is_refused(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hatecrime_maps",
            "build",
            "--include-ages",
            "--suppress-below",
            "3",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--include-ages: cannot be combined with --suppress-below" in result.stderr
    assert not (tmp_path / "out").exists()


def test_data_dictionary_documents_every_field_of_every_table():
    readme = (DOWNLOADS / "README.md").read_text(encoding="utf-8")
    for layer, *_ in pyogrio.list_layers(GPKG):
        if layer == "layer_styles":
            continue
        assert f"### `{layer}`" in readme, layer
        section = readme.split(f"### `{layer}`")[1].split("### ")[0]
        for field in pyogrio.read_info(GPKG, layer=layer)["fields"]:
            assert f"| `{field}` |" in section, (layer, field)
    for fact in (
        "1 January to 9 December 2020",
        "mid-2020",
        "December 2019 electoral wards",
        "Open Government Licence",
        "FOI 1186A/20",
        "`guess`",
    ):
        assert fact in readme


FORMULA = '=HYPERLINK("http://x.example/?a","Area 6")'


def test_no_csv_cell_can_run_as_a_formula_in_a_spreadsheet(tmp_path):
    import shutil

    from tests.conftest import SHARED

    source = SHARED / "boundaries" / "source"
    need(source.is_dir(), f"the open boundary sources are not at {source}")
    # A council's own crosswalk names an area (and so its wards' area) with a formula.
    geography = tmp_path / "boundaries"
    geography.mkdir()
    for name in (
        "levels.csv",
        "fields.csv",
        "structures.csv",
        "area_aliases.csv",
        "structure_names.csv",
    ):
        shutil.copy(ROOT / "boundaries" / name, geography / name)
    crosswalk = (ROOT / "boundaries" / "area_wards.csv").read_text(encoding="utf-8")
    quoted_formula = '"' + FORMULA.replace('"', '""') + '"'
    (geography / "area_wards.csv").write_text(
        crosswalk.replace("\nWalsall Central,", f"\n{quoted_formula},"), encoding="utf-8"
    )
    built = subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", "boundaries", "build", "--source", str(source),
         "--out", str(geography)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    counts = tmp_path / "counts.csv"
    counts.write_text(f"sector,victims\n{quoted_formula},4\nEdgbaston,2\n", encoding="utf-8")
    out = build_to(
        tmp_path / "maps", "--tiles", "none", "--counts", str(counts), "--boundaries",
        str(geography), "--period", "2021=2021-01-01..2021-12-31", "--subject", "=1+1",
        "--force", "@SUM(A1)",
    )  # fmt: skip
    seen = 0
    for path in sorted((out / "downloads").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
                    seen += cell == "'" + FORMULA
    assert seen >= 2  # the area in areas.csv and in area_wards.csv, as text
    figures = pd.read_csv(out / "downloads" / "areas.csv")
    assert (figures["victims"].dropna() >= 0).all()  # numbers are still numbers


def test_the_downloads_readme_shows_metadata_as_typed_text(tmp_path):
    hostile = '[click](javascript:alert(1)) <img src=x onerror=alert(1)> *so-called* | "honour"'
    out = build_to(tmp_path / "full", "--tiles", "none", "--subject", hostile, "--force", "A_B`C")
    readme = (out / "downloads" / "README.md").read_text(encoding="utf-8")
    assert "<img" not in readme and "[click](" not in readme and " *so-called*" not in readme
    assert r"\[click\](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;" in readme
    assert r"\*so-called\* \| " in readme and r"A\_B\`C" in readme
    # Rendered as Markdown, it is the text the user typed, with no link or tag in it.
    import markdown_it

    rendered = markdown_it.MarkdownIt("commonmark").render(readme)
    assert "<a " not in rendered.split("## Licence")[0] and "<img" not in rendered
    assert "[click](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;" in rendered


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_change_table_holds_both_years_counts_and_a_test_of_each(maps_offline):
    from scipy import stats

    rows = _rows(maps_offline / "downloads" / "change.csv")
    areas = {(r["year"], r["area"]): r for r in _rows(maps_offline / "downloads" / "areas.csv")}
    npus = {r["npu"] for r in _rows(maps_offline / "downloads" / "npus.csv")}
    assert [r["level"] for r in rows].count("force") == 1 and rows[-1]["level"] == "force"
    assert {r["area"] for r in rows if r["level"] == "npu"} == npus
    change = [r for r in rows if r["level"] != "npu"]
    assert len(change) == 1 + len({a for _, a in areas})
    for row in change[:-1]:
        before, after = areas[("2019", row["area"])], areas[("2020", row["area"])]
        assert (row["earlier_count"], row["later_count"]) == (before["victims"], after["victims"])
        assert int(row["difference"]) == int(after["victims"]) - int(before["victims"])
        assert row["earlier_days"] == "365" and row["later_days"] == "344"
        n = int(row["earlier_count"]) + int(row["later_count"])
        if n:
            e1 = int(row["earlier_population"]) * 365
            e2 = int(row["later_population"]) * 344
            p = stats.binomtest(int(row["later_count"]), n, e2 / (e1 + e2)).pvalue
            assert float(row["p_value"]) == pytest.approx(p, rel=1e-3)
    clear = [r["area"] for r in change if r["change"] == "clearly_higher"]
    assert "Birmingham City Centre" in clear and "" in clear  # an area, and the force
    assert {r["change"] for r in change} <= {
        "clearly_higher", "clearly_lower", "no_clear_change", "too_few"
    }  # fmt: skip


def test_a_change_is_published_only_where_both_its_counts_are(default_build):
    maps = default_build("--suppress-below", "5")
    change = _rows(maps / "downloads" / "change.csv")
    areas = {(r["year"], r["area"]): r for r in _rows(maps / "downloads" / "areas.csv")}
    withheld = 0
    for row in (r for r in change if r["level"] == "area"):
        statuses = {areas[(y, row["area"])]["victims_status"] for y in ("2019", "2020")}
        if statuses - {""}:
            withheld += 1
            assert row["change_status"] == "withheld"
            figures = [k for k in row if k.endswith(("count", "ratio", "value", "difference"))]
            assert all(row[k] == "" for k in figures), row
            assert row["change"] == ""
        else:
            assert row["change_status"] == "" and row["change"]
    assert withheld > 0


def test_the_map_layers_carry_the_last_change_and_qgis_draws_its_style(maps_offline):
    downloads = maps_offline / "downloads"
    change = {(r["level"], r["area"]): r for r in _rows(downloads / "change.csv")}
    for layer, level, name_field in (("police_areas", "area", "area"), ("npus", "npu", "npu")):
        for source in (downloads / f"{layer}.geojson", downloads / "hatecrime_maps.gpkg"):
            frame = (
                gpd.read_file(source, layer=layer)
                if source.suffix == ".gpkg"
                else (gpd.read_file(source))
            )
            for _, unit in frame.iterrows():
                row = change[(level, unit[name_field])]
                assert (unit["change_2019_2020"] or "") == row["change"], (source, row)
                assert (unit["change_status_2019_2020"] or "") == row["change_status"]
                ratio = unit["rate_ratio_2019_2020"]
                assert (pd.isna(ratio) and row["rate_ratio"] == "") or ratio == pytest.approx(
                    float(row["rate_ratio"])
                )
    need(
        qgis_available(),
        f"QGIS is not importable from {SYSTEM_PYTHON} (apt-get install python3-qgis)",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    drawn = {}
    for area in ("Birmingham City Centre", "Sutton Coldfield"):
        result = subprocess.run(
            [
                SYSTEM_PYTHON,
                str(ROOT / "tests" / "qgis_render_area.py"),
                str(downloads / "hatecrime_maps.gpkg"),
                "police_areas",
                "area",
                area,
                str(ARTIFACTS / f"qgis-change-{area.split()[0]}.png"),
                str(downloads / "police_areas_change_2019_to_2020.qml"),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert result.returncode == 0, result.stderr
        colours = json.loads(result.stdout.strip().splitlines()[-1])["colours"]
        drawn[area] = max(colours, key=colours.get), len(colours)
    assert change[("area", "Birmingham City Centre")]["change"] == "clearly_higher"
    assert drawn["Birmingham City Centre"][0] == presentation.CHANGE_FILLS["clearly_higher"]
    # Too few to tell: hatched as on the web page, two colours in quantity, not one.
    assert change[("area", "Sutton Coldfield")]["change"] == "too_few"
    assert drawn["Sutton Coldfield"][0] != presentation.CHANGE_FILLS["clearly_higher"]
    assert drawn["Sutton Coldfield"][1] >= 2
