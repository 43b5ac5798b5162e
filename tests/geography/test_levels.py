"""Finding an input's level and structure, and refusing names from structures with no map."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from hatecrime_maps.errors import InputError
from hatecrime_maps.geography import levels
from hatecrime_maps.geography.boundaries import Boundaries
from tests.conftest import ROOT

BOUNDARIES = ROOT / "boundaries"
Y2019 = (date(2019, 1, 1), date(2019, 12, 31))
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(scope="module")
def catalogue():
    return Boundaries(BOUNDARIES).catalogue


def resolve(catalogue, names, span=Y2019, **kw):
    return levels.resolve(
        {n: i for i, n in enumerate(names, start=2)}, catalogue, "counts.csv", span=span, **kw
    )


@pytest.mark.parametrize("level,count", [("sector", 25), ("npu", 8), ("borough", 7), ("ward", 192)])
def test_each_level_is_found_from_all_its_names(catalogue, level, count):
    units = catalogue.units[level]
    assert len(units) == count
    found = resolve(catalogue, list(units["area"]))
    assert found.level.key == level
    assert found.areas == {a: a for a in units["area"]}


@pytest.mark.parametrize("level", ["ward", "borough"])
def test_wards_and_boroughs_are_found_by_ons_code(catalogue, level):
    units = catalogue.units[level]
    found = resolve(catalogue, [c.lower() for c in units["area_id"]])
    assert found.level.key == level
    assert set(found.areas.values()) == set(units["area"])


def test_birmingham_central_of_2025_is_refused_never_matched(catalogue):
    for span in (Y2025, Y2019):
        with pytest.raises(InputError) as err:
            resolve(catalogue, ["Birmingham Central", "Birmingham East", "Coventry"], span)
        message = str(err.value)
        assert message.startswith(
            "counts.csv:2: 'Birmingham Central' is a name of the West "
            "Midlands Police local policing structure of 2025"
        )
        assert "wmp-2025" in message and "no boundaries" in message
        assert "Birmingham City Centre" not in message


def test_a_2017_npu_name_in_a_2025_answer_is_refused_unless_the_structure_is_forced(catalogue):
    with pytest.raises(InputError, match=r"'Birmingham East' is a name of the .*2025"):
        resolve(catalogue, ["Birmingham East", "Coventry"], Y2025)
    # Without the 2025 name, an NPU table dated after March 2023 is refused for the NPUs.
    with pytest.raises(InputError) as err:
        resolve(
            catalogue,
            ["Birmingham West", "Solihull"],
            (date(2023, 6, 1), date(2024, 5, 31)),
            level="npu",
        )
    assert (
        "the NPUs are names of the West Midlands Police Neighbourhood Policing Units "
        "(NPUs) of the 2017 to March 2023 structure (wmp-npus-2017, from 1 January 2017 to "
        "31 March 2023), but the figures cover 1 June 2023 to 31 May 2024; give "
        "--structure wmp-npus-2017" in str(err.value)
    )
    found = resolve(
        catalogue,
        ["Birmingham West", "Solihull"],
        (date(2023, 6, 1), date(2024, 5, 31)),
        structure="wmp-npus-2017",
    )
    assert found.level.key == "npu" and "mapped anyway" in found.warnings[0]


def test_every_alias_is_scoped_to_a_structure_of_its_level(catalogue):
    with open(BOUNDARIES / levels.ALIASES_FILE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["level"] and r["structure"] for r in rows)
    for r in rows:
        assert catalogue.structures[r["structure"]].level == r["level"], r
    # The 2025 unit name is no alias of the old city-centre sector.
    assert "birmingham central" not in {levels.normalise_name(r["alias"]) for r in rows}


def test_an_alias_holds_only_in_its_structures_dates(catalogue):
    with pytest.raises(
        InputError,
        match="'Birmingham LPA' is a name of the West Midlands "
        "Police Local Policing Areas from April 2023",
    ):
        resolve(catalogue, ["Birmingham LPA", "Coventry"], Y2019)
    found = resolve(
        catalogue, ["Birmingham LPA", "Coventry"], (date(2023, 4, 1), date(2024, 3, 31))
    )
    assert found.areas["Birmingham LPA"] == "Birmingham"


def test_names_of_two_levels_are_an_error_listing_which_is_which(catalogue):
    with pytest.raises(InputError) as err:
        resolve(catalogue, ["Aston", "Yardley", "Erdington"])
    message = str(err.value)
    assert "more than one level" in message
    assert "'Aston' (line 2) fit wards" in message
    assert "'Yardley' (line 3) fit policing areas" in message
    assert "'Erdington' (line 4) fit policing areas or wards" in message


def test_names_that_fit_two_levels_need_level(catalogue):
    with pytest.raises(
        InputError,
        match="fit more than one level \\(NPUs, boroughs\\); give --level npu or --level borough",
    ):
        resolve(catalogue, ["Coventry", "Dudley"])
    assert resolve(catalogue, ["Coventry", "Dudley"], level="borough").level.key == "borough"
    # After March 2023 only the boroughs' structure is in force.
    assert resolve(catalogue, ["Coventry", "Dudley"], Y2025).level.key == "borough"


def test_rows_that_are_not_areas_are_refused_saying_what_is_held(catalogue):
    with pytest.raises(InputError) as err:
        resolve(catalogue, ["White", "Black", "Asian"])
    said = str(err.value)
    assert "none of the 3 names is an area this tool has boundaries for" in said
    assert "a table of groups or categories cannot be mapped" in said
    assert "This tool holds boundaries only for: West Midlands Police" in said


@pytest.mark.parametrize(
    "names",
    [
        ["Metropolitan Police Service", "Greater Manchester Police"],
        ["the Met", "Dyfed-Powys Police"],
        ["West Midlands Police"],
        ["PSNI", "Police Scotland"],
    ],
)
def test_police_forces_are_named_as_forces_and_never_matched(catalogue, names):
    with pytest.raises(InputError) as err:
        resolve(catalogue, names)
    said = str(err.value)
    assert f"counts.csv:2: {names[0]!r} is a name of the police forces of the United Kingdom" in (
        said
    )
    assert "which this tool has no boundaries for" in said
    assert "This tool holds boundaries only for: West Midlands Police" in said


def test_no_force_name_is_also_a_name_of_a_unit_held(catalogue):
    forces = {
        n
        for n, held in catalogue.unbuilt.items()
        if any(s.key == "uk-police-forces" for _, s in held)
    }
    assert len(forces) > 90  # 43 forces with their other names, and the UK's other three
    for key, level in catalogue.levels.items():
        assert not forces & set(levels.lookup(catalogue, level)), key


def test_a_division_the_tool_holds_no_boundaries_for_gets_the_nearest_names(catalogue):
    with pytest.raises(InputError) as err:
        resolve(catalogue, ["North Manchester", "City of Manchester"])
    said = str(err.value)
    assert "the nearest to the first: 'North Edgbaston (ward)'" in said
    assert "places of another structure need its boundaries" in said


def test_an_unknown_name_gets_the_nearest_at_every_level(catalogue):
    with pytest.raises(InputError) as err:
        resolve(catalogue, ["Astn", "Ladywood"], level="ward")
    assert "counts.csv:2: area 'Astn' matches no area of the wards (nearest: 'Aston (ward)'" in str(
        err.value
    )


def test_an_abolished_unit_follows_its_successors_to_the_unit_in_force_on_a_day():
    import pandas as pd

    units = pd.DataFrame(
        {
            "area_id": ["A", "B", "AB", "ABC", "C", "D"],
            "area": ["Aton", "Bton", "Abton", "Shire", "Cton", "Dton"],
            "valid_from": ["", "", "2019-04-01", "2023-04-01", "", ""],
            "valid_to": ["2019-03-31", "2019-03-31", "2023-03-31", "", "2023-03-31", ""],
            "successor_code": ["AB", "AB", "ABC", "", "ABC", ""],
        }
    )
    assert levels.successors_on(units, date(2020, 3, 31)) == {"Aton": "Abton", "Bton": "Abton"}
    assert levels.successors_on(units, date(2024, 3, 31)) == {
        "Aton": "Shire",
        "Bton": "Shire",
        "Abton": "Shire",
        "Cton": "Shire",
    }
    # Before any change, and for a table with no successors, nothing moves.
    assert levels.successors_on(units, date(2018, 3, 31)) == {}
    assert levels.successors_on(units.drop(columns="successor_code"), date(2024, 3, 31)) == {}
