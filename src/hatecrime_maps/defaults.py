"""Where the embedded default data lives, relative to the project root: one place for each path.

The commands read these when no path is given, so ``hatecrime-maps build`` run
from a clone uses the project's own ``data/`` and ``boundaries/``.
"""

from pathlib import Path

FOI = Path("data/foi/1186A-20/response.txt")
CENTRES = Path("data/reporting_centres.csv")
REFERENCE = Path("data/reference")
BOUNDARIES = Path("boundaries")
MAPS = Path("maps")
BOUNDARY_SOURCE = Path("../shared/boundaries/source")
"""The open source data the boundary build reads (not needed to build maps)."""
