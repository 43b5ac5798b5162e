"""The package's layout is its pipeline: a test reads every import and fails on one
that runs the wrong way between stages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hatecrime_maps"

STAGES = {
    "model": 0,
    "errors": 0,
    "io": 1,
    "inputs": 2,
    "geography": 2,
    "analysis": 3,
    "outputs": 4,
}
"""Each stage's floor: a module may import its own stage and those below it. Anything
not named here (the pipeline, the request, the API and the command line) stands on top."""
TOP = 5
NEVER = {
    ("inputs", "geography"): "an input is read without knowing the areas it will be mapped to",
    ("geography", "inputs"): "the geography is read without knowing any input",
    ("outputs", "inputs"): "renderers take figures and geography, never what was read",
}


def stage_of(module: str) -> str:
    """``hatecrime_maps.outputs.pages`` → ``outputs``; ``hatecrime_maps.cli`` → ``cli``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) for every import inside the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("hatecrime_maps.") and _is_module(target):
                    found.append((module, target, node.lineno))
    return found


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def test_the_reader_finds_the_stages_imports():
    found = {(stage_of(a), stage_of(b)) for a, b, _ in imports()}
    # A reader that found nothing would pass every rule below.
    assert ("outputs", "analysis") in found and ("analysis", "model") in found
    assert ("pipeline", "outputs") in found


@pytest.mark.parametrize("importer,imported,line", imports())
def test_no_import_runs_the_wrong_way(importer, imported, line):
    source, target = stage_of(importer), stage_of(imported)
    where = f"{importer} line {line} imports {imported}"
    assert (source, target) not in NEVER, f"{where}: {NEVER.get((source, target))}"
    assert STAGES.get(source, TOP) >= STAGES.get(target, TOP), (
        f"{where}: a stage may import only its own stage and those below it"
    )


def test_every_stage_module_says_why_it_exists():
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.relative_to(PACKAGE)} has no module docstring"
