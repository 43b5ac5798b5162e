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
NATIONAL_ROUTES = ROOT / "data" / "national_routes.csv"
"""The ways to report anywhere in the UK, listed on maps with no local centres held."""
REFERENCE = ROOT / "data" / "reference"
BOUNDARIES = ROOT / "boundaries"
"""The West Midlands geography: wards, policing areas, NPUs and boroughs."""
UK_BOUNDARIES = BOUNDARIES / "uk"
"""Every council and police force of the UK, for answers from anywhere."""
GEOGRAPHIES = (BOUNDARIES, UK_BOUNDARIES)
"""The geographies an input is tried against, best first: the West Midlands' finer and
better-checked boundaries win wherever its names are theirs."""
HOME_OFFICE = ROOT / "data" / "home-office" / "hate_crime_by_force_2017-18_2018-19.csv"
MAPS = Path("maps")
BOUNDARY_SOURCE = (CLONE or Path("..")).parent / "shared" / "boundaries" / "source"
"""The open source data the boundary build reads (not needed to build maps)."""
NATIONAL_SOURCE = BOUNDARY_SOURCE.parent / "national"
"""The UK-wide open data the UK boundary build reads."""
