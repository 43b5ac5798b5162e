"""Shared fixtures: paths to the project's embedded data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOI_FILE = ROOT / "data" / "foi" / "1186A-20" / "response.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def foi_text() -> str:
    return FOI_FILE.read_text(encoding="utf-8")


REQUIRE_ALL = os.environ.get("HATECRIME_MAPS_REQUIRE_ALL") == "1"
CHROMIUM = os.environ.get("HATECRIME_MAPS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def need(available: bool, reason: str) -> None:
    """Skip when a real tool is missing, or fail when every test is required."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (HATECRIME_MAPS_REQUIRE_ALL=1: nothing may skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: headless, no sandbox, no background traffic."""
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def build_to(out: Path, *args: str, centres: Path | None = None) -> Path:
    """Run ``hatecrime-maps build`` into ``out`` and return it."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "hatecrime_maps", "build", "--out", str(out), *args]
    if centres is not None:
        cmd += ["--centres", str(centres)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def maps_offline(tmp_path_factory) -> Path:
    """The default build with no basemap: pages that must make no request at all."""
    return build_to(tmp_path_factory.mktemp("maps") / "offline", "--tiles", "none")


SYSTEM_PYTHON = "/usr/bin/python3"


def qgis_available() -> bool:
    """True when the system Python can import QGIS (Debian's python3-qgis)."""
    import subprocess

    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"],
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return probe.returncode == 0
