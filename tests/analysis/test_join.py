"""Joining victims to areas and NPUs: conservation, zeros, names, aliases and rates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from hatecrime_maps.analysis.join import join_counts
from hatecrime_maps.errors import InputError
from hatecrime_maps.geography import levels
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.provenance import WEST_MIDLANDS
from hatecrime_maps.inputs.metadata import load_metadata
from hatecrime_maps.inputs.tidy import load_foi
from hatecrime_maps.model import Period
from tests.conftest import FOI_FILE, ROOT

BOUNDARIES = ROOT / "boundaries"


@pytest.fixture(scope="module")
def catalogue():
    return Boundaries(BOUNDARIES).catalogue


@pytest.fixture(scope="module")
def geography(catalogue):
    class Units:
        areas = catalogue.units["sector"]
        npus = catalogue.units["npu"]

    return Units


def sector_counts(victims: pd.DataFrame, catalogue) -> pd.DataFrame:
    names = {n: None for n in victims["area"].unique()}
    found = levels.resolve(names, catalogue, "answer.txt")
    return victims.assign(area=victims["area"].map(found.areas))[["year", "area", "sex", "count"]]


@pytest.fixture(scope="module")
def joined(catalogue, geography):
    tables = load_foi(FOI_FILE)
    periods = load_metadata(FOI_FILE).periods
    victims = tables.frame("victims")
    return victims, *join_counts(
        sector_counts(victims, catalogue),
        geography.areas,
        geography.npus,
        periods=periods,
        geography=WEST_MIDLANDS,
        has_sex=True,
        absent_as_zero=True,
        source=str(FOI_FILE),
    )


@pytest.mark.parametrize("year", [2019, 2020])
def test_totals_are_conserved_at_both_levels(joined, year):
    victims, areas, npus = joined
    before = victims.loc[victims["year"] == year].groupby("sex")["count"].sum()
    for figs in (areas, npus):
        mine = figs[figs["year"] == year]
        assert mine["victims"].sum() == before.sum()
        for sex in "FMU":
            assert mine[f"victims_{sex}"].sum() == before.get(sex, 0)


def test_every_area_appears_each_year_and_zeros_are_marked_unlisted(joined, geography):
    _, areas, _ = joined
    for year in (2019, 2020):
        mine = areas[areas["year"] == year].set_index("area")
        assert set(mine.index) == set(geography.areas["area"])
        assert not mine.loc["Sutton Coldfield", "listed_in_foi"]
        assert mine.loc["Sutton Coldfield", "victims"] == 0
    y2019 = areas[areas["year"] == 2019].set_index("area")
    assert not y2019.loc["Solihull", "listed_in_foi"] and y2019.loc["Yardley", "victims"] == 3


def test_rates_use_the_matching_years_population(joined, geography):
    _, areas, _ = joined
    row = areas[(areas["year"] == 2020) & (areas["area"] == "Birmingham City Centre")].iloc[0]
    pop = geography.areas.set_index("area").loc["Birmingham City Centre", "pop_mid2020"]
    assert row["population"] == pop and row["population_year"] == 2020
    assert row["rate_per_100k"] == pytest.approx(24 / pop * 1e5)
    assert row["rate_lower"] < row["rate_per_100k"] < row["rate_upper"]
    assert row["annualised_rate_per_100k"] == pytest.approx(row["rate_per_100k"] * 366 / 344)
    assert row["period_days"] == 344 and row["period_end"] == "2020-12-09"


def test_too_few_victims_means_no_rate(joined):
    _, areas, _ = joined
    few = areas[areas["victims"] < 3]
    assert (few["rate_status"] == "too_few").all()
    assert few[["rate_per_100k", "rate_lower", "rate_upper"]].isna().all().all()
    some = areas[(areas["victims"] >= 3) & (areas["victims"] < 20)]
    assert len(some) and (some["rate_status"] == "low_reliability").all()


def test_names_match_after_normalising(catalogue):
    got = levels.resolve(
        {"BIRMINGHAM  city centre": 3, "<i>Hall Green</i>": 4, "Wolverhampton Town Centre": 5},
        catalogue,
        "answer.txt",
    )
    assert got.areas == {
        "BIRMINGHAM  city centre": "Birmingham City Centre",
        "<i>Hall Green</i>": "Hall Green",
        "Wolverhampton Town Centre": "Wolverhampton City Centre",
    }
    assert got.level.key == "sector"
    assert levels.normalise_name("Sandwell & Dudley") == levels.normalise_name(
        "sandwell and  dudley"
    )


def test_unknown_name_stops_with_the_nearest_names(catalogue):
    with pytest.raises(InputError) as err:
        levels.resolve({"Sandwel Nort": 7, "Yardley": 8}, catalogue, "answer.txt")
    message = str(err.value)
    assert message.startswith("answer.txt:7: area 'Sandwel Nort' matches no area")
    assert "'Sandwell North (policing area)'" in message


def test_every_count_reaches_the_map_or_the_build_stops(geography):
    # Counts are joined only after every name is resolved; a count for an area the level
    # does not have would be lost, so the join refuses to run without its period instead
    # of dropping anything, and checks its totals.
    counts = pd.DataFrame(
        {"year": [2020, 2020], "area": ["Solihull", "Yardley"], "sex": ["F", "M"], "count": [1, 2]}
    )
    periods = {2020: Period(date(2020, 1, 1), date(2020, 12, 9), "2020")}
    areas, npus = join_counts(
        counts,
        geography.areas,
        geography.npus,
        periods=periods,
        geography=WEST_MIDLANDS,
        has_sex=True,
        absent_as_zero=True,
        source="x.txt",
    )
    assert areas["victims"].sum() == 3 and npus["victims"].sum() == 3
    with pytest.raises(InputError, match="no period is given for 2021"):
        join_counts(
            counts.assign(year=2021),
            geography.areas,
            geography.npus,
            periods=periods,
            geography=WEST_MIDLANDS,
            has_sex=True,
            absent_as_zero=True,
            source="x.txt",
        )


def test_absent_areas_have_no_data_in_a_counts_table(geography):
    counts = pd.DataFrame({"year": [2020], "area": ["Yardley"], "sex": [""], "count": [4]})
    periods = {2020: Period(date(2020, 1, 1), date(2020, 12, 31), "2020")}
    areas, npus = join_counts(
        counts,
        geography.areas,
        geography.npus,
        periods=periods,
        geography=WEST_MIDLANDS,
        has_sex=False,
        absent_as_zero=False,
        source="x.csv",
    )
    yardley = areas.set_index("area").loc["Yardley"]
    solihull = areas.set_index("area").loc["Solihull"]
    assert yardley["victims"] == 4 and yardley["has_data"]
    assert pd.isna(solihull["victims"]) and not solihull["has_data"]
    assert solihull["rate_status"] == "no_data"
    # Birmingham East holds Yardley and four areas with no data: its total is unknown.
    assert not npus.set_index("area").loc["Birmingham East", "has_data"]
    zero, _ = join_counts(
        counts,
        geography.areas,
        geography.npus,
        periods=periods,
        geography=WEST_MIDLANDS,
        has_sex=False,
        absent_as_zero=True,
        source="x.csv",
    )
    assert zero.set_index("area").loc["Solihull", "victims"] == 0
