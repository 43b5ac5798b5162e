"""Joining victims to areas and NPUs: conservation, zeros, names, aliases and rates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from hatecrime_maps.errors import InputError
from hatecrime_maps.geography import load_geography
from hatecrime_maps.join import join_victims, load_aliases, match_areas, normalise_name
from hatecrime_maps.metadata import Period, load_metadata
from hatecrime_maps.tidy import load_foi
from tests.conftest import FOI_FILE, ROOT

BOUNDARIES = ROOT / "boundaries"


@pytest.fixture(scope="module")
def geography():
    return load_geography(BOUNDARIES)


@pytest.fixture(scope="module")
def aliases():
    return load_aliases(BOUNDARIES / "area_aliases.csv")


@pytest.fixture(scope="module")
def joined(geography, aliases):
    tables = load_foi(FOI_FILE)
    periods = load_metadata(FOI_FILE).periods
    victims = tables.frame("victims")
    return victims, *join_victims(victims, geography.areas, geography.npus, periods, aliases,
                                  str(FOI_FILE))


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


def test_names_match_after_normalising(aliases, geography):
    known = list(geography.areas["area"])
    got = match_areas(["BIRMINGHAM  city centre", "<i>Hall Green</i>", "Wolverhampton Town Centre"],
                      known, aliases, "answer.txt")
    assert got == {"BIRMINGHAM  city centre": "Birmingham City Centre",
                   "<i>Hall Green</i>": "Hall Green",
                   "Wolverhampton Town Centre": "Wolverhampton City Centre"}
    assert normalise_name("Sandwell & Dudley") == normalise_name("sandwell and  dudley")


def test_unknown_name_stops_with_the_nearest_names(aliases, geography):
    with pytest.raises(InputError) as err:
        match_areas(["Sandwel Nort"], list(geography.areas["area"]), aliases, "answer.txt")
    message = str(err.value)
    assert "area 'Sandwel Nort' matches no known area" in message
    assert "'Sandwell North'" in message


def test_an_unmatched_area_never_drops_counts(geography, aliases):
    victims = pd.DataFrame({"year": [2020, 2020], "area": ["Solihull", "Atlantis"],
                            "sex": ["F", "M"], "age": [30, 40], "age_note": ["", ""],
                            "count": [1, 2]})
    periods = {2020: Period(date(2020, 1, 1), date(2020, 12, 9), "2020")}
    with pytest.raises(InputError, match="'Atlantis' matches no known area"):
        join_victims(victims, geography.areas, geography.npus, periods, aliases, "x.txt")
