"""Every input is read once, at the edge: a build, the API and the notebook map open
each input file at most once (counted by an audit hook in a process of their own)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

COUNTER = textwrap.dedent(
    """
    import collections, json, os, sys
    from pathlib import Path

    root = Path(sys.argv[1]).resolve()
    watched = [root / "data", root / "boundaries"]
    opened = collections.Counter()

    def hook(event, args):
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        path = Path(os.fsdecode(args[0])).resolve()
        if any(path.is_relative_to(w) for w in watched) and path.is_file():
            opened[path.relative_to(root).as_posix()] += 1

    sys.addaudithook(hook)
    try:
        exec(sys.argv[2])
    finally:
        print(json.dumps(opened))
    """
)


def opened_files(code: str, tmp_path) -> dict[str, int]:
    """How often each file under ``data/`` and ``boundaries/`` was opened by ``code``."""
    result = subprocess.run(
        [sys.executable, "-c", COUNTER, str(ROOT), code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


FOI = str(ROOT / "data" / "foi" / "1186A-20" / "response.txt")
BUILD = (
    "from hatecrime_maps.cli import main; "
    f"main(['build', '--tiles', 'none', '--out', 'maps', '--foi', {FOI!r}])"
)


@pytest.mark.parametrize(
    "what,code",
    [
        ("the build", BUILD),
        (
            "figures and a layer",
            f"import hatecrime_maps as hm; b = hm.Boundaries({str(ROOT / 'boundaries')!r}); "
            "a = hm.read_answer(boundaries=b); hm.figures(a, year=2020); "
            "hm.figures(a, parents=True); hm.geography_layer('ward', boundaries=b)",
        ),
        (
            "the notebook map",
            "import hatecrime_maps as hm; hm.folium_map(hm.read_answer(), 2020, tiles=None)",
        ),
    ],
    ids=["build", "api", "notebook"],
)
def test_no_input_file_is_opened_twice(tmp_path, what, code):
    if what == "the notebook map":
        pytest.importorskip("folium")
    opened = opened_files(code, tmp_path)
    # The counter saw the inputs at all: a hook that saw nothing would pass.
    assert "data/foi/1186A-20/response.txt" in opened
    assert any(p.startswith("boundaries/") for p in opened)
    twice = {p: n for p, n in opened.items() if n > 1}
    assert not twice, f"{what} opened these more than once: {twice}"


def test_a_build_reads_every_layer_it_draws_and_exports(tmp_path):
    opened = opened_files(BUILD, tmp_path)
    for layer in ("areas", "npus", "wards", "boroughs"):
        assert f"boundaries/{layer}.geojson" in opened  # exports and print: full detail
    assert "boundaries/web/topology.json" in opened  # the pages
