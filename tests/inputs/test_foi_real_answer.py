"""FOI 1186A/20 parsed: every figure a reader can check against the answer itself.

The expected figures below were read off the answer text by hand.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from hatecrime_maps.inputs.tidy import load_foi
from tests.conftest import FOI_FILE

# Area -> (F, M, U) as printed in each year's victims table.
VICTIMS_2020 = {
    "Birmingham City Centre": (4, 19, 1),
    "Coventry City Centre": (0, 1, 0),
    "Dudley East": (1, 0, 0),
    "Dudley West": (1, 0, 0),
    "Edgbaston": (1, 0, 0),
    "Hall Green": (0, 1, 0),
    "Hodge Hill": (1, 1, 0),
    "Ladywood East": (0, 0, 1),
    "Ladywood West": (1, 0, 0),
    "Northfield": (2, 0, 0),
    "Perry Barr": (1, 3, 0),
    "Sandwell North": (0, 5, 0),
    "Sandwell South": (0, 4, 0),
    "Selly Oak": (0, 1, 0),
    "Solihull": (0, 1, 0),
    "Walsall Central": (1, 3, 0),
    "Walsall Outer": (0, 1, 0),
    "Wolverhampton Outer": (0, 2, 0),
    "Yardley": (0, 1, 0),
}
VICTIMS_2019 = {
    "Birmingham City Centre": (0, 7, 1),
    "Coventry City Centre": (0, 1, 0),
    "Coventry North East": (0, 2, 0),
    "Edgbaston": (1, 0, 0),
    "Erdington": (0, 1, 0),
    "Ladywood West": (0, 0, 1),
    "Perry Barr": (0, 1, 0),
    "Sandwell South": (0, 0, 1),
    "Selly Oak": (1, 0, 0),
    "Wolverhampton City Centre": (0, 2, 0),
    "Yardley": (3, 0, 0),
}
OFFENCES_2020 = {
    "ARRANGE OR FACILITATE TRAVEL OF ANOTHER PERSON WITH A VIEW TO EXPLOITATION": 15,
    "ASSAULT OCCASION ABH": 3,
    "COMMON ASSAULT": 3,
    "CRIMINAL DAMAGE TO DWELLING": 1,
    "ENGAGE IN CONTROLLING/COERCIVE BEHAVIOUR IN AN INTIMATE/FAMILY RELATIONSHIP": 1,
    "FALSE IMPRISONMENT": 1,
    "HARASSMENT": 1,
    "HOLD PERSON IN SLAVERY OR SERVITUDE": 7,
    "MULTIPLE UNDEFINED OFFENDERS - RAPE OF FEMALE 16 OR OVER": 1,
    "RAPE OF FEMALE 16 OR OVER": 2,
    "REQUIRE PERSON TO PERFORM FORCED OR COMPULSORY LABOUR": 18,
    "ROBBERY-PERSONAL PROPERTY": 1,
    "SEND COMMUNICATION/ARTICLE CONVEYING A THREATENING MESSAGE": 1,
    "TAKE MOTOR/VEH W/O OWNER CONSENT": 1,
    "THEFT DWELLING NOT MACHINE/METER": 1,
    "THREATS TO KILL": 1,
}
OFFENCES_2019 = {
    "ARRANGE OR FACILITATE TRAVEL OF ANOTHER PERSON WITH A VIEW TO EXPLOITATION": 5,
    "ARSON - RECKLESSLY ENDANGER LIFE": 1,
    "ATTEMPT RAPE OF FEMALE CHILD AGED 13-15": 1,
    "COMMON ASSAULT": 1,
    "FALSE IMPRISONMENT": 1,
    "HOLD PERSON IN SLAVERY OR SERVITUDE": 2,
    "MULTIPLE UNDEFINED OFFENDERS - RAPE OF FEMALE 16 OR OVER": 1,
    "POSSESS F/ARM W/I CAUSE FEAR VIOLENCE": 1,
    "RAPE OF FEMALE 16 OR OVER": 2,
    "REQUIRE PERSON TO PERFORM FORCED OR COMPULSORY LABOUR": 6,
    "THEFT FROM SHOP OR STALL": 1,
}
OUTCOMES = {
    2020: {"OC14": 1, "OC15": 1, "OC16": 4, "OC18": 44, "": 8},
    2019: {"OC14": 1, "OC16": 1, "OC18": 14, "OC1a": 1, "OC20": 5},
}


@pytest.fixture(scope="module")
def tables():
    return load_foi(FOI_FILE)


def _by_area_sex(tables, year):
    out = defaultdict(lambda: [0, 0, 0])
    for v in tables.victims:
        if v.year == year:
            out[v.area]["FMU".index(v.sex)] += v.count
    return {area: tuple(c) for area, c in out.items()}


@pytest.mark.parametrize("year,expected", [(2020, VICTIMS_2020), (2019, VICTIMS_2019)])
def test_victims_per_area_and_sex(tables, year, expected):
    assert _by_area_sex(tables, year) == expected


@pytest.mark.parametrize("year,expected", [(2020, OFFENCES_2020), (2019, OFFENCES_2019)])
def test_offences(tables, year, expected):
    assert {o.offence: o.count for o in tables.offences if o.year == year} == expected


@pytest.mark.parametrize("year", [2019, 2020])
def test_outcomes_by_code(tables, year):
    assert {o.outcome_code: o.count for o in tables.outcomes if o.year == year} == OUTCOMES[year]


def test_outcome_descriptions_keep_their_text(tables):
    oc1a = next(o for o in tables.outcomes if o.outcome_code == "OC1a")
    assert oc1a.outcome == "Charge/summons"
    blank = next(o for o in tables.outcomes if o.year == 2020 and o.outcome_code == "")
    assert blank.outcome == "(blank)"
    oc14 = next(o for o in tables.outcomes if o.outcome_code == "OC14")
    assert oc14.outcome.startswith("Evidential Difficulties Victim Based \u2013 No Named suspect")


def test_stated_totals(tables):
    got = {(t.year, t.measure): t.count for t in tables.totals}
    assert got == {
        (2019, "crimes_stated_in_text"): 22,
        (2019, "offences_total"): 22,
        (2019, "outcomes_total"): 22,
        (2019, "victims_total"): 22,
        (2019, "victims_total_F"): 5,
        (2019, "victims_total_M"): 14,
        (2019, "victims_total_U"): 3,
        (2020, "crimes_stated_in_text"): 58,
        (2020, "offences_total"): 58,
        (2020, "outcomes_total"): 58,
        (2020, "victims_total"): 58,
        (2020, "victims_total_F"): 13,
        (2020, "victims_total_M"): 43,
        (2020, "victims_total_U"): 2,
    }


def test_odd_ages(tables):
    def ages(year, area):
        return sorted(
            (v.sex, v.age, v.age_note, v.count)
            for v in tables.victims
            if v.year == year and v.area == area
        )

    # 666 is a placeholder: the victim is kept, the age is not.
    assert ages(2020, "Walsall Central") == [
        ("F", None, "invalid: 666", 1),
        ("M", 29, "", 1),
        ("M", 40, "", 2),
    ]
    # "Unknown Age" and "Unknown" (both in 2019) mean the same thing.
    assert ("U", None, "unknown", 1) in ages(2019, "Birmingham City Centre")
    assert ages(2019, "Ladywood West") == [("U", None, "unknown", 1)]
    assert ages(2019, "Sandwell South") == [("U", None, "unknown", 1)]


def test_rows_after_the_2019_page_break(tables):
    # After the page break the 2019 table gains a leading column.
    def ages(area):
        return [
            (v.sex, v.age, v.count) for v in tables.victims if v.year == 2019 and v.area == area
        ]

    assert ages("Selly Oak") == [("F", 14, 1)]
    assert ages("Wolverhampton City Centre") == [("M", 22, 2)]
    assert ages("Yardley") == [("F", 33, 3)]


def test_every_check_passes_and_covers_each_table(tables):
    assert tables.checks and all(c.ok for c in tables.checks)
    kinds = {(c.year, c.table) for c in tables.checks}
    assert kinds == {(y, t) for y in (2019, 2020) for t in ("victims", "offences", "outcomes")}


def test_stated_period_matches_metadata(tables):
    import json

    meta = json.loads((FOI_FILE.parent / "metadata.json").read_text(encoding="utf-8"))
    stated = {s.year: s for s in tables.parsed.stated}
    assert str(stated[2020].start) == meta["periods"]["2020"]["start"]
    assert str(stated[2020].end) == meta["periods"]["2020"]["end"]


def _cut(text: str, keep) -> str:
    lines = text.split("\n")
    return "\n".join(keep(lines))


@pytest.mark.parametrize(
    "edit,words",
    [
        # The 2019 victims table pasted twice: every count would double and still add up.
        (
            lambda ls: ls[:183] + ls[147:183] + ls[183:],
            "a second victims table for 2019 (the first is at line 150)",
        ),
        # Cut off after the 2020 part: 2019's crimes are stated but its tables are gone.
        (lambda ls: ls[:125], "no offences or outcomes or victims table for 2019"),
        # Cut off after 2019's victims: no 2019 outcomes, so "none led to a charge" would be false.
        (lambda ls: ls[:184], "no outcomes table for 2019"),
    ],
)
def test_a_table_missing_or_repeated_is_an_error(tmp_path, foi_text, edit, words):
    from hatecrime_maps.errors import InputError

    path = tmp_path / "response.txt"
    path.write_text(_cut(foi_text, edit), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(words)):
        load_foi(path)
