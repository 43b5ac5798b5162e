"""Where the data comes from: the one place for attribution, vintages and source names."""

from __future__ import annotations

OGL_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data \u00a9 Crown copyright and database right 2020."
)
"""Attribution the Open Government Licence asks for, shown on every map and export."""

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

BOUNDARY_VINTAGE = "December 2019 electoral wards (ONS, generalised 20 m)"
"""The ward set every area is built from; unchanged through 2020 and 2021."""

POLICING_STRUCTURE = "West Midlands Police neighbourhood policing structure, 2017 to March 2023"
"""The structure the crosswalk's sectors and NPUs belong to (``wmp-sectors-2017``)."""

POPULATION_SOURCES = {
    2019: "ONS mid-2019 ward population estimates (SAPE22DT8a), all ages",
    2020: "ONS mid-2020 ward population estimates (SAPE23DT8a), all ages",
}
"""The population estimates the boundaries carry, by mid-year."""


def population_year(year: int) -> int:
    """The mid-year estimate used for a year's rates: that year's, else the nearest held."""
    return min(POPULATION_SOURCES, key=lambda y: (abs(y - year), y))


def population_source(year: int) -> str:
    """The estimate used for ``year``, saying so when it is another year's."""
    used = population_year(year)
    return POPULATION_SOURCES[used] + (
        "" if used == year else f" (the nearest to {year} that the boundaries hold)"
    )


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
