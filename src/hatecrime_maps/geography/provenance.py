"""Where a geography comes from: its attribution, vintages and population sources, as data.

Each boundaries folder says so in its ``provenance.json``, written by the build
that made the folder, so the West Midlands wards and the UK councils each carry
their own vintage, attribution and population years. The meanings below are
the tool's own words and hold for every folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hatecrime_maps.errors import BoundaryError

PROVENANCE_FILE = "provenance.json"

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

MAX_NAMED = 8
"""Units of a boundary set listed by name where a map draws several sets; more are counted."""

CONFIDENCE_MEANINGS = {
    "exact": "the area's wards are known to match the police area",
    "approximate": "built from wards that mostly lie in the police area; edges may differ",
    "guess": "the police never published this split; the line is our best guess",
}
"""What each boundary confidence level means, best first."""

NAME_STATUS_MEANINGS = {
    "reported": "the name appears in the FOI answer",
    "inferred": "a sibling area that the FOI answer never names; name and extent inferred",
}


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """What one boundaries folder is and where it comes from (its ``provenance.json``).

    ``context_lines`` names the web layers drawn as thin and thick outlines
    under every map (``fine``, ``outline``); ``centres_layer`` and
    ``centres_name_field`` the layer the reporting centres are placed in (None:
    the folder covers places whose local reporting centres the tool does not
    hold, so maps list the national routes instead).
    """

    name: str
    attribution: str
    boundary_vintage: str
    policing_structure: str | None = None
    populations: dict[int, str] = field(default_factory=dict)
    context_lines: dict[str, str] = field(default_factory=dict)
    outline_name_field: str | None = None
    """The attribute naming each unit of the ``outline`` layer, for labels in QGIS."""
    centres_layer: str | None = None
    centres_name_field: str | None = None
    open_government_licence: bool = True
    """Whether the boundaries are under the Open Government Licence (a user's may not be)."""
    extra_tables: dict[str, dict[str, object]] = field(default_factory=dict)
    """Attribute tables the downloads carry beside the figures, as ``NAME.csv`` and in the
    GeoPackage: name -> ``layer``, ``fields``, ``order`` (sort columns), ``what`` it is."""
    confidence_meanings: dict[str, str] = field(default_factory=lambda: dict(CONFIDENCE_MEANINGS))
    """What each boundary confidence means in this geography, best first."""
    level_boundaries: dict[str, str] = field(default_factory=dict)
    """Level -> what its boundaries are, where not ``boundary_vintage`` (a UK ward's)."""
    level_populations: dict[str, dict[int, str]] = field(default_factory=dict)
    """Level -> the estimates its units hold by year, where not ``populations``."""

    def drawn(self, vintages: Mapping[str, Sequence[str]]) -> Provenance:
        """The provenance saying which boundary sets a map drew: set -> its units drawn.

        Nothing is added where the units have no boundary sets of their own.
        """
        if not vintages:
            return self
        parts = []
        for vintage, units in vintages.items():
            few = len(units) <= MAX_NAMED
            listed = f": {', '.join(units)}" if few else f" ({len(units)})"
            parts.append(f"the councils of {vintage}{listed}")
        return replace(
            self, boundary_vintage=f"{self.boundary_vintage}; drawn here: {'; '.join(parts)}"
        )

    def for_level(self, level: str) -> Provenance:
        """The provenance as one level's figures cite it: its boundaries, its estimates."""
        return replace(
            self,
            boundary_vintage=self.level_boundaries.get(level, self.boundary_vintage),
            populations=self.level_populations.get(level, self.populations),
        )

    @property
    def licence_url(self) -> str | None:
        """The Open Government Licence's address, where the boundaries are under it."""
        return OGL_URL if self.open_government_licence else None

    @property
    def has_centres(self) -> bool:
        """Whether the reporting centres belong on this geography's maps."""
        return self.centres_layer is not None

    def population_year(self, year: int) -> int | None:
        """The mid-year estimate used for a year's rates: that year's, else the nearest held."""
        if not self.populations:
            return None
        return min(self.populations, key=lambda y: (abs(y - year), y))

    def population_source(self, year: int) -> str:
        """The estimate used for ``year``, saying so when it is another year's."""
        used = self.population_year(year)
        if used is None:
            return "no population estimate held"
        return self.populations[used] + (
            "" if used == year else f" (the nearest to {year} that the boundaries hold)"
        )

    def to_json(self) -> str:
        """The ``provenance.json`` text: sorted keys, so a rebuild writes the same bytes."""
        data: dict[str, object] = {
            "name": self.name,
            "attribution": self.attribution,
            "boundary_vintage": self.boundary_vintage,
            "policing_structure": self.policing_structure,
            "populations": {str(y): s for y, s in sorted(self.populations.items())},
            "context_lines": self.context_lines,
            "outline_name_field": self.outline_name_field,
            "centres_layer": self.centres_layer,
            "centres_name_field": self.centres_name_field,
            "extra_tables": self.extra_tables,
            "open_government_licence": self.open_government_licence,
        }
        if self.confidence_meanings != CONFIDENCE_MEANINGS:
            data["confidence_meanings"] = self.confidence_meanings
        if self.level_boundaries:
            data["level_boundaries"] = self.level_boundaries
        if self.level_populations:
            data["level_populations"] = {
                level: {str(y): t for y, t in sorted(years.items())}
                for level, years in self.level_populations.items()
            }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def parse_provenance(text: str, source: str) -> Provenance:
    """A :class:`Provenance` from ``provenance.json`` text; ``source`` names it in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryError(source, f"is not JSON ({exc.msg})", exc.lineno) from None
    if not isinstance(data, dict):
        raise BoundaryError(source, "must hold a JSON object")
    for key in ("name", "attribution", "boundary_vintage"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise BoundaryError(source, f"needs {key!r} as text")
    populations = data.get("populations") or {}
    try:
        years = {int(y): str(s) for y, s in populations.items()}
    except (AttributeError, ValueError):
        raise BoundaryError(source, "'populations' must map years to sources") from None
    by_level = data.get("level_populations") or {}
    try:
        level_years = {str(k): {int(y): str(t) for y, t in v.items()} for k, v in by_level.items()}
    except (AttributeError, ValueError):
        raise BoundaryError(source, "'level_populations' must map levels to years") from None
    lines = data.get("context_lines") or {}
    if not isinstance(lines, dict) or set(lines) != {"fine", "outline"}:
        raise BoundaryError(source, "'context_lines' must name the 'fine' and 'outline' layers")
    return Provenance(
        name=data["name"],
        attribution=data["attribution"],
        boundary_vintage=data["boundary_vintage"],
        policing_structure=data.get("policing_structure") or None,
        populations=years,
        context_lines={str(k): str(v) for k, v in lines.items()},
        outline_name_field=data.get("outline_name_field") or None,
        centres_layer=data.get("centres_layer") or None,
        centres_name_field=data.get("centres_name_field") or None,
        extra_tables=dict(data.get("extra_tables") or {}),
        open_government_licence=bool(data.get("open_government_licence", True)),
        level_boundaries={str(k): str(v) for k, v in (data.get("level_boundaries") or {}).items()},
        level_populations=level_years,
        confidence_meanings=_confidence_meanings(data.get("confidence_meanings"), source),
    )


def _confidence_meanings(found: object, source: str) -> dict[str, str]:
    """A ``confidence_meanings`` object: the known confidences, each with its meaning."""
    if found is None:
        return dict(CONFIDENCE_MEANINGS)
    if not isinstance(found, dict) or not set(found) <= set(CONFIDENCE_MEANINGS):
        raise BoundaryError(
            source,
            f"'confidence_meanings' must map some of {', '.join(CONFIDENCE_MEANINGS)} to text",
        )
    return {k: str(found[k]) for k in CONFIDENCE_MEANINGS if k in found}


def read_provenance(folder: Path) -> Provenance:
    """The provenance of a boundaries folder."""
    path = Path(folder) / PROVENANCE_FILE
    if not path.is_file():
        raise BoundaryError(str(path), "file not found (run 'hatecrime-maps boundaries build')")
    return parse_provenance(path.read_text(encoding="utf-8"), str(path))


WEST_MIDLANDS = Provenance(
    name="West Midlands",
    attribution=(
        "Source: Office for National Statistics licensed under the Open Government Licence "
        "v.3.0. Contains OS data \u00a9 Crown copyright and database right 2020."
    ),
    boundary_vintage="December 2019 electoral wards (ONS, generalised 20 m)",
    policing_structure="West Midlands Police neighbourhood policing structure, 2017 to March 2023",
    populations={
        2019: "ONS mid-2019 ward population estimates (SAPE22DT8a), all ages",
        2020: "ONS mid-2020 ward population estimates (SAPE23DT8a), all ages",
    },
    context_lines={"fine": "wards", "outline": "boroughs"},
    outline_name_field="borough",
    centres_layer="boroughs",
    centres_name_field="borough",
    extra_tables={
        "area_wards": {
            "layer": "wards",
            "fields": ["area", "npu", "ward_code", "ward_name", "borough_code", "borough"],
            "order": ["area", "ward_code"],
            "what": "which ward (ONS code) is in which area and NPU",
        }
    },
)
"""What the West Midlands boundary build writes to ``boundaries/provenance.json``."""
