"""The public Python API: same figures as the downloads, same errors as the command line."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hatecrime_maps as hm
from hatecrime_maps.outputs import exports
from tests.conftest import FOI_FILE, ROOT

MODULES_WITH_EXAMPLES = (
    "hatecrime_maps.api",
    "hatecrime_maps.geography.boundaries",
    "hatecrime_maps.errors",
    "hatecrime_maps.analysis.change",
)
NUMPYDOC_IGNORED = {"ES01", "SA01"}  # extended summaries and See Also are optional


@pytest.fixture(scope="module")
def answer():
    return hm.read_answer()


@pytest.mark.parametrize("module", MODULES_WITH_EXAMPLES)
def test_the_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_name_is_documented_in_numpydoc_style():
    from numpydoc.validate import validate

    problems = []
    for name in hm.__all__:
        obj = getattr(hm, name)
        if name == "__version__" or (
            isinstance(obj, type) and issubclass(obj, hm.InputError) and obj is not hm.InputError
        ):
            continue  # the error kinds inherit the base class's parameters
        qualified = f"{obj.__module__}.{obj.__qualname__}"
        for code, message in validate(qualified)["errors"]:
            if code not in NUMPYDOC_IGNORED and not (name == "Answer" and code == "PR01"):
                problems.append(f"{qualified}: {code} {message}")
    assert problems == []


def test_the_package_imports_without_the_mapping_libraries():
    code = (
        "import sys, hatecrime_maps; "
        "print(sorted(m for m in ('geopandas', 'matplotlib', 'folium') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    assert (
        hm.__version__
        in subprocess.run(
            [sys.executable, "-m", "hatecrime_maps", "--version"], capture_output=True, text=True
        ).stdout
    )


@pytest.mark.parametrize("suppress", [None, 5])
def test_the_geodataframes_equal_the_csv_downloads_figure_for_figure(
    default_build, answer, suppress
):
    maps = default_build(*(["--suppress-below", str(suppress)] if suppress else []))
    public = hm.published(answer, suppress_below=suppress)
    for parents, csv in ((False, "areas.csv"), (True, "npus.csv")):
        frame = hm.figures(public, parents=parents)
        assert frame.crs.to_epsg() == 27700
        assert exports.csv_of(frame) == (maps / "downloads" / csv).read_text(encoding="utf-8")
    assert len(hm.figures(public, year=2020)) == 25


def test_the_build_function_is_what_the_command_runs(tmp_path, default_build):
    result = hm.build_maps(out=tmp_path / "maps", tiles="none")
    command = default_build()
    for path in result.paths:
        rel = path.relative_to(tmp_path / "maps")
        if rel.suffix in (".html", ".csv", ".md", ".svg"):
            assert path.read_bytes() == (command / rel).read_bytes(), rel


def test_geography_and_centres_on_their_own():
    assert [len(hm.geography_layer(lv)) for lv in ("sector", "npu", "borough", "ward")] == [
        25,
        8,
        7,
        192,
    ]
    centres = hm.reporting_centres()
    assert centres.crs.to_epsg() == 27700 and len(centres) == 5
    assert hm.to_web(centres).crs.to_epsg() == 4326
    with pytest.raises(ValueError, match="'parish' is not one of"):
        hm.geography_layer("parish")


@pytest.mark.parametrize(
    "text,kind,where",
    [
        ("area,victims\nAston,x\n", hm.CountsTableError, "t.csv:2"),
        ("area,victims\nAstonn,1\nYardley,1\n", hm.AreaError, "t.csv:2"),
    ],
)
def test_errors_are_the_kind_of_input_with_file_and_line(tmp_path, text, kind, where):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(kind) as err:
        hm.figures(hm.read_answer(path, periods={2021: "2021-01-01..2021-12-31"}))
    assert isinstance(err.value, hm.InputError) and str(err.value).startswith(
        f"{tmp_path}/{where}:"
    )


def test_an_answer_problem_is_an_answer_error(tmp_path, foi_text):
    path = tmp_path / "response.txt"
    path.write_text(
        foi_text.replace("ASSAULT OCCASION ABH\t3", "ASSAULT OCCASION ABH\tx"), encoding="utf-8"
    )
    with pytest.raises(hm.AnswerError, match=r"response.txt:\d+: count 'x'"):
        hm.read_answer(path)
    with pytest.raises(hm.MetadataError, match="--period"):
        hm.read_answer(FOI_FILE, periods=["2020=2020-12-01..2020-01-01"])


def test_a_counts_table_answer_reads_with_its_metadata(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("ward,victims\nAston,3\n", encoding="utf-8")
    read = hm.read_answer(
        path, subject="disability hate crimes", periods={2021: "2021-01-01..2021-12-31"}
    )
    assert read.kind == "counts" and read.metadata.subject == "disability hate crimes"
    assert read.counts.to_dict("records") == [
        {"year": 2021, "name": "Aston", "sex": "", "count": 3, "strand": ""}
    ]
    frame = hm.figures(read)
    assert int(frame.set_index("ward_name").loc["Aston", "victims"]) == 3
    assert pd.isna(frame.set_index("ward_name").loc["Bablake", "victims"])
    with pytest.raises(ValueError, match="counts table: it has no offences table"):
        read.table("offences")
    assert str(ROOT) not in read.source or read.source == str(path)


def test_the_defaults_are_found_from_anywhere(tmp_path):
    # Not from the current folder: a notebook or script elsewhere still finds the data.
    code = "import hatecrime_maps as hm; print(len(hm.build_maps(out='m', tiles='none').paths))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m" / "map-2020.html").exists()
    result = subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", "check", str(FOI_FILE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and "level: policing areas" in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package built as a wheel, as ``pip install .`` would build it."""
    folder = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return next(folder.glob("hatecrime_maps-*.whl"))


def test_the_wheel_carries_the_templates_scripts_data_and_type_marker(wheel):
    import zipfile

    assert wheel.name.startswith(f"hatecrime_maps-{hm.__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "hatecrime_maps/templates/map.html.j2",
        "hatecrime_maps/static/map.js",
        "hatecrime_maps/static/map.css",
        "hatecrime_maps/py.typed",
        "hatecrime_maps/api.py",
        "hatecrime_maps/_data/data/foi/1186A-20/response.txt",
        "hatecrime_maps/_data/boundaries/web/topology.json",
    ):
        assert needed in names, needed
    assert not any(n.startswith("hatecrime_maps/_data/") and "__pycache__" in n for n in names)


def test_an_installed_wheel_builds_the_default_maps_from_an_empty_folder(wheel, tmp_path):
    import site
    import sysconfig

    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    # The environment borrows this one's dependencies through a plain path entry (whose own
    # .pth files, such as an editable install's, are not run): the package comes from the
    # wheel alone.
    own_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    deps = [p for p in [sysconfig.get_paths()["purelib"], *site.getsitepackages()] if p]
    Path(own_site, "borrowed-dependencies.pth").write_text("\n".join(deps) + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import hatecrime_maps as hm; a = hm.read_answer(); "
         "print(hm.__file__); print(a.kind, a.years, a.source)"],
        capture_output=True, text=True, cwd=empty,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    package_file, answer = where.stdout.splitlines()
    assert Path(package_file).is_relative_to(env), "the package came from the clone"
    assert answer.startswith("foi [2019, 2020] ") and "/_data/data/foi/1186A-20/" in answer
    build = subprocess.run(
        [str(env / "bin" / "hatecrime-maps"), "build"], capture_output=True, text=True, cwd=empty
    )
    assert build.returncode == 0, build.stderr
    built = sorted(
        p.relative_to(empty / "maps") for p in (empty / "maps").rglob("*") if p.is_file()
    )
    committed = sorted(
        p.relative_to(ROOT / "maps") for p in (ROOT / "maps").rglob("*") if p.is_file()
    )
    assert built == committed
    for relative in committed:
        assert (empty / "maps" / relative).read_bytes() == (
            ROOT / "maps" / relative
        ).read_bytes(), f"maps/{relative} differs from the committed build"


@pytest.mark.parametrize(
    "call,where,words",
    [
        (lambda hm, a: hm.read_answer(123), "path", "must be a file path"),
        (lambda hm, a: hm.figures(a, year="2020"), "year", "not str '2020'"),
        (lambda hm, a: hm.figures(a, year=1999), "year", "cover 2019, 2020, not 1999"),
        (lambda hm, a: hm.figures(a, year=2020, suppress_below="5"), "suppress_below", "str"),
        (lambda hm, a: hm.figures(a, year=2020, suppress_below=5.5), "suppress_below", "5.5"),
        (lambda hm, a: hm.figures(None, year=2020), "answer", "not NoneType"),
        (lambda hm, a: hm.folium_map(a, 1999), "year", "not 1999"),
        (lambda hm, a: hm.folium_map("x", 2020), "answer", "not str"),
        (lambda hm, a: hm.geography_layer("planet"), "level", "'planet' is not one of"),
    ],
)
def test_wrong_arguments_raise_the_documented_error(answer, call, where, words):
    import hatecrime_maps as hm

    with pytest.raises(hm.InputError) as err:
        call(hm, answer)
    assert isinstance(err.value, hm.ArgumentError) and isinstance(err.value, ValueError)
    assert err.value.source == where and words in err.value.message
