"""Where the embedded default data lives: one place for each path.

The inputs (the FOI answer, reporting centres, groupings and boundaries) ship
inside the package (``hatecrime_maps/_data``, found with
:mod:`importlib.resources`), so an installed wheel builds the default maps from
any folder. Installed from a clone in editable mode (``pip install -e .``, as
the README does), they are read from the clone's own ``data/`` and
``boundaries/``, where they are edited. The output folder ``maps`` is always
relative to the current folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EMBEDDED = ("data", "boundaries")
"""The repository's folders that the wheel carries, under ``hatecrime_maps/_data``."""


def clone_root() -> Path | None:
    """The clone holding ``src/hatecrime_maps``, when the package runs from one."""
    clone = Path(__file__).resolve().parents[3]
    if all((clone / name).is_dir() for name in EMBEDDED) and (clone / "src").is_dir():
        return clone
    return None


def data_root() -> Path:
    """Where ``data/`` and ``boundaries/`` are: the clone, else the package's own copy."""
    clone = clone_root()
    if clone is not None:
        return clone
    packaged = Path(str(resources.files("hatecrime_maps").joinpath("_data")))
    if all((packaged / name).is_dir() for name in EMBEDDED):
        return packaged
    return Path(".")


CLONE = clone_root()
ROOT = data_root()
FOI = ROOT / "data" / "foi" / "1186A-20" / "response.txt"
CENTRES = ROOT / "data" / "reporting_centres.csv"
REFERENCE = ROOT / "data" / "reference"
BOUNDARIES = ROOT / "boundaries"
MAPS = Path("maps")
BOUNDARY_SOURCE = (CLONE or Path("..")).parent / "shared" / "boundaries" / "source"
"""The open source data the boundary build reads (not needed to build maps)."""
