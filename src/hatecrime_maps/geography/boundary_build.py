"""``hatecrime-maps boundaries build``: read the open sources, write ``boundaries/``.

The I/O edge of :mod:`hatecrime_maps.geography.wards`: everything is built and
checked in memory first, then written file by file (each atomically).
"""

from __future__ import annotations

from pathlib import Path

from hatecrime_maps.geography import provenance
from hatecrime_maps.geography import wards as geo
from hatecrime_maps.io import defaults
from hatecrime_maps.io.files import write_text_atomic
from hatecrime_maps.io.templating import render_markdown


def boundaries_readme(full: geo.Geography, web: geo.Geography) -> str:
    """The generated ``boundaries/README.md``: sources, checks and measured displacement."""
    areas = full.areas
    return render_markdown(
        "boundaries_README.md.j2",
        counts={name: len(full.layer(name)) for name in geo.LAYERS},
        structure=provenance.POLICING_STRUCTURE,
        vintage=provenance.BOUNDARY_VINTAGE,
        populations=provenance.POPULATION_SOURCES,
        years=geo.POPULATION_YEARS,
        totals={
            y: int(full.boroughs[geo.population_column(y)].sum()) for y in geo.POPULATION_YEARS
        },
        attribution=provenance.OGL_ATTRIBUTION,
        confidence=provenance.CONFIDENCE_MEANINGS,
        inferred=sorted(areas.loc[areas["name_status"] == "inferred", "area"]),
        guesses=sorted(areas.loc[areas["confidence"] == "guess", "area"]),
        metrics=web.metrics,
        layers=geo.LAYERS,
    )


def build_boundaries(
    source_dir: Path = defaults.BOUNDARY_SOURCE,
    out_dir: Path = defaults.BOUNDARIES,
    crosswalk_path: Path | None = None,
) -> list[Path]:
    """Build and write the project's geography; return the paths written."""
    crosswalk_path = crosswalk_path or out_dir / geo.CROSSWALK_FILE
    wards = geo.read_source_wards(Path(source_dir))
    crosswalk = geo.read_crosswalk(crosswalk_path)
    geo.check_crosswalk(crosswalk, wards, str(crosswalk_path))
    full, web = geo.build_geography(wards, crosswalk)
    files = geo.geography_files(full, web)
    files["README.md"] = boundaries_readme(full, web)
    written = []
    for rel, text in files.items():
        write_text_atomic(out_dir / rel, text)
        written.append(out_dir / rel)
    return written
