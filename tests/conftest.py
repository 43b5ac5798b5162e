"""Shared fixtures: paths to the project's embedded data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOI_FILE = ROOT / "data" / "foi" / "1186A-20" / "response.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def foi_text() -> str:
    return FOI_FILE.read_text(encoding="utf-8")
