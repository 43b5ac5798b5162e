"""``hatecrime-maps boundaries build``: read the open sources, write ``boundaries/``.

The I/O edge of :mod:`hatecrime_maps.geography.wards` (the West Midlands, into
``boundaries/``) and :mod:`hatecrime_maps.geography.uk` (every council and force,
into ``boundaries/uk/``): everything is built and checked in memory first, then
written file by file (each atomically).
"""

from __future__ import annotations

from pathlib import Path

from hatecrime_maps.geography import uk
from hatecrime_maps.geography import wards as geo
from hatecrime_maps.geography.provenance import (
    CONFIDENCE_MEANINGS,
    PROVENANCE_FILE,
    WEST_MIDLANDS,
)
from hatecrime_maps.io import defaults
from hatecrime_maps.io.files import write_text_atomic
from hatecrime_maps.io.templating import render_markdown


def boundaries_readme(full: geo.Geography, web: geo.Geography) -> str:
    """The generated ``boundaries/README.md``: sources, checks and measured displacement."""
    areas = full.areas
    return render_markdown(
        "boundaries_README.md.j2",
        counts={name: len(full.layer(name)) for name in geo.LAYERS},
        structure=WEST_MIDLANDS.policing_structure,
        vintage=WEST_MIDLANDS.boundary_vintage,
        populations=WEST_MIDLANDS.populations,
        years=geo.POPULATION_YEARS,
        totals={
            y: int(full.boroughs[geo.population_column(y)].sum()) for y in geo.POPULATION_YEARS
        },
        attribution=WEST_MIDLANDS.attribution,
        confidence=CONFIDENCE_MEANINGS,
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
    files[PROVENANCE_FILE] = WEST_MIDLANDS.to_json()
    written = []
    for rel, text in files.items():
        write_text_atomic(out_dir / rel, text)
        written.append(out_dir / rel)
    return written


def uk_structures(full: uk.UkGeography) -> str:
    """``structures.csv`` of the UK folder: those held, and those refused by name.

    Refused: each set of councils abolished together whose boundaries are not held.
    """
    rows = [
        "structure,name,level,start,end,boundaries",
        'police-force-areas,"police force areas of the United Kingdom (the 43 territorial '
        "forces of England and Wales as of December 2020, Police Scotland and the Police "
        'Service of Northern Ireland)",force,,,yes',
        f'{uk.COUNCIL_STRUCTURE},"council areas (local authority districts) since April '
        "2016: those of May 2024, each from the day its code came into force, and those "
        "abolished since, each to its last day (drawn from the councils of December 2019, "
        '2020 or 2021, or approximately for those abolished in April 2019)",council,,,yes',
        'csps-2024,"community safety partnerships of 2024 (ONS lookup of 2024), each a union '
        "of whole councils: of May 2024, or of December 2019 or 2021 where partnerships "
        'divide a council of 2024",csp,,,yes',
        "police-scotland-divisions-2016,\"Police Scotland's 13 local policing divisions "
        '(from 1 January 2016), each a union of council areas",division,2016-01-01,,yes',
        'wards-2022,"wards of December 2022 (ONS); a ward new in 2022 holds from the local '
        'elections of 5 May 2022",ward,,,yes',
    ]
    for key, name, last in uk.abolished_structures(full):
        rows.append(f'{key},"{name}",,,{last},no')
    return "\n".join(rows) + "\n"


def build_uk_boundaries(
    source_dir: Path = defaults.NATIONAL_SOURCE, out_dir: Path = defaults.UK_BOUNDARIES
) -> list[Path]:
    """Build and write the UK geography (councils and forces); return the paths written.

    The folder's hand-edited files (``levels.csv``, ``fields.csv``,
    ``population_notes.csv``) are kept as they are.
    """
    from hatecrime_maps.geography.topology import TOPOLOGY_FILE, topology_text
    from hatecrime_maps.geography.wards import layer_records
    from hatecrime_maps.io.geojson import EPSG_27700_CRS, feature_collection_text

    full, web = uk.build_uk(Path(source_dir))
    files: dict[str, str] = {}
    for name in uk.LAYERS:
        files[f"{name}.geojson"] = feature_collection_text(
            layer_records(full.layer(name)),
            full.layer(name).geometry.values,
            decimals=uk.BNG_DECIMALS,
            crs=EPSG_27700_CRS,
            name=name,
        )
    assert web.topology is not None
    files[f"web/{TOPOLOGY_FILE}"] = topology_text(web.topology)
    files["web/metrics.json"] = uk.metrics_text(web)
    files |= uk.catalogue_files(Path(source_dir), full)
    files["structures.csv"] = uk_structures(full)
    files[PROVENANCE_FILE] = uk.PROVENANCE.to_json()
    files["README.md"] = render_markdown(
        "uk_boundaries_README.md.j2",
        provenance=uk.PROVENANCE,
        counts={name: len(full.layer(name)) for name in uk.LAYERS},
        forces=full.forces,
        abolished=uk.abolished_structures(full),
        metrics=web.metrics,
        sources=uk.SOURCES,
        totals={
            y: int(full.forces[uk.population_column(y)].dropna().sum()) for y in uk.POPULATION_YEARS
        },
    )
    written = []
    for rel, text in sorted(files.items()):
        write_text_atomic(Path(out_dir) / rel, text)
        written.append(Path(out_dir) / rel)
    return written
