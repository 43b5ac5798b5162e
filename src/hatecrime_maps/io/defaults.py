"""Where the embedded default data lives: one place for each path.

The inputs (the FOI answer, reporting centres, groupings and boundaries) are
found from the project the package runs from, so ``hatecrime-maps build`` and
:func:`hatecrime_maps.pipeline` work from any folder when the package is
installed from a clone (``pip install -e .``, as the README does). Without a
clone beside the package, they are looked for in the current folder. The
output folder ``maps`` is always relative to the current folder.
"""

from pathlib import Path


def project_root() -> Path:
    """The clone holding ``src/hatecrime_maps``, or the current folder if there is none."""
    clone = Path(__file__).resolve().parents[3]
    if (clone / "boundaries").is_dir() and (clone / "data").is_dir():
        return clone
    return Path(".")


ROOT = project_root()
FOI = ROOT / "data" / "foi" / "1186A-20" / "response.txt"
CENTRES = ROOT / "data" / "reporting_centres.csv"
REFERENCE = ROOT / "data" / "reference"
BOUNDARIES = ROOT / "boundaries"
MAPS = Path("maps")
BOUNDARY_SOURCE = ROOT.parent / "shared" / "boundaries" / "source"
"""The open source data the boundary build reads (not needed to build maps)."""
