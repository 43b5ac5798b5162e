"""Ship the embedded default data in the wheel, from where the repository keeps it.

``data/`` and ``boundaries/`` stay at the top of the repository, where users and
the README expect them; a wheel carries a copy of each under
``hatecrime_maps/_data`` (see :mod:`hatecrime_maps.io.defaults`).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
EMBEDDED = ("data", "boundaries")


class BuildWithData(build_py):
    """``build_py`` that also copies the embedded data into the built package."""

    def run(self) -> None:
        """Build the package as usual, then copy the data into it (not when editable)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the clone's own folders
        target = Path(self.build_lib) / "hatecrime_maps" / "_data"
        for name in EMBEDDED:
            shutil.copytree(
                HERE / name,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".*", "__pycache__"),
            )


setup(cmdclass={"build_py": BuildWithData})
