"""Change between two periods: the exact rate ratio, its test, and Benjamini-Hochberg."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from hatecrime_maps.analysis import change

DAYS_2019, DAYS_2020 = 365, 344  # FOI 1186A/20: 2020 runs to 9 December


def scipy_change(earlier: int, later: int, e1: float, e2: float) -> tuple[float, float, float]:
    """The same figures from scipy: p-value, and the ratio interval from its exact CI."""
    test = stats.binomtest(later, earlier + later, e2 / (e1 + e2))
    ci = test.proportion_ci(0.95, method="exact")
    scale = e1 / e2

    def ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * scale

    return test.pvalue, ratio(ci.low), ratio(ci.high)


@pytest.mark.parametrize(
    ("earlier", "later", "words"),
    [
        (22, 58, "clearly_higher"),  # the force's victims, 2019 to 2020
        (8, 24, "clearly_higher"),  # Birmingham City Centre
        (0, 5, "too_few"),  # Sandwell North: even 5 against 0 could be chance
        (3, 3, "no_clear_change"),
        (30, 9, "clearly_lower"),
    ],
)
def test_the_hand_cases_agree_with_scipy(earlier, later, words):
    c = change.rate_ratio(
        earlier=earlier, later=later, earlier_exposure=DAYS_2019, later_exposure=DAYS_2020
    )
    p, lower, upper = scipy_change(earlier, later, DAYS_2019, DAYS_2020)
    assert c.p_value == pytest.approx(p, rel=1e-9)
    assert c.lower == pytest.approx(lower, rel=1e-9)
    assert c.upper == pytest.approx(upper, rel=1e-9)
    assert c.change_class == words
    assert c.difference == later - earlier


def test_the_force_change_reads_as_the_issue_states():
    # 22 victims in 365 days, then 58 in 344: 2.8 times the rate (1.69 to 4.80).
    c = change.rate_ratio(earlier=22, later=58, earlier_exposure=365, later_exposure=344)
    assert (round(c.ratio, 2), round(c.lower, 2), round(c.upper, 2)) == (2.8, 1.69, 4.8)


def test_populations_count_as_much_as_days():
    # The same counts from a population that doubled are no change in the rate.
    c = change.rate_ratio(earlier=20, later=40, earlier_exposure=1000, later_exposure=2000)
    assert c.ratio == pytest.approx(1.0) and c.change_class == "no_clear_change"


@settings(max_examples=150, deadline=None)
@given(
    earlier=st.integers(0, 400),
    later=st.integers(0, 400),
    e1=st.floats(0.05, 20),
    e2=st.floats(0.05, 20),
)
@example(earlier=0, later=1, e1=1.0, e2=1.0)
@example(earlier=400, later=0, e1=0.05, e2=20.0)
def test_random_cases_agree_with_scipy(earlier, later, e1, e2):
    c = change.rate_ratio(earlier=earlier, later=later, earlier_exposure=e1, later_exposure=e2)
    if earlier + later == 0:
        assert c.change_class == "too_few" and c.p_value == 1 and math.isnan(c.ratio)
        return
    p, lower, upper = scipy_change(earlier, later, e1, e2)
    assert c.p_value == pytest.approx(p, rel=1e-7, abs=1e-300)
    assert c.lower == pytest.approx(lower, rel=1e-6, abs=1e-12)
    assert c.upper == pytest.approx(upper, rel=1e-6)
    # Clear means both: a small p-value and an interval that leaves out 1.
    if c.change_class == "clearly_higher":
        assert c.lower > 1 and c.p_value <= 0.05
    elif c.change_class == "clearly_lower":
        assert c.upper < 1 and c.p_value <= 0.05


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=40))
def test_benjamini_hochberg_agrees_with_scipy(ps):
    ours = change.benjamini_hochberg(ps)
    theirs = stats.false_discovery_control(ps, method="bh")
    assert ours == pytest.approx(list(theirs), rel=1e-12, abs=1e-15)


def _map(pairs):
    return [
        change.rate_ratio(earlier=a, later=b, earlier_exposure=365, later_exposure=344)
        for a, b in pairs
    ]


def test_many_areas_are_taken_into_account():
    # One area at p of about 0.02 among 19 unchanged ones: clear on its own, not once the
    # other areas are in view.
    areas = _map([(2, 11)] + [(5, 5)] * 19)
    alone = change.classify(areas, adjust=False)
    together = change.classify(areas)
    assert areas[0].p_value < 0.05
    assert alone[0].change_class == "clearly_higher"
    assert together[0].change_class == "no_clear_change"
    assert together[0].q_value == pytest.approx(min(1.0, areas[0].p_value * 20))
    # A change clear enough stays clear among the same areas.
    strong = change.classify(_map([(2, 40)] + [(5, 5)] * 19))
    assert strong[0].change_class == "clearly_higher"


def test_areas_with_too_few_events_take_no_part_in_the_adjustment():
    areas = _map([(8, 24)] + [(0, 1)] * 30)
    classed = change.classify(areas)
    assert classed[0].change_class == "clearly_higher"
    assert classed[0].q_value == pytest.approx(areas[0].p_value)  # one testable area
    assert all(c.change_class == "too_few" and c.q_value is None for c in classed[1:])


def test_the_smallest_clear_rise_is_the_first_split_called_clear():
    ratio = change.smallest_clear_ratio(30, earlier_exposure=365, later_exposure=344)
    assert ratio is not None and ratio > 1
    shares = [
        change.rate_ratio(earlier=30 - b, later=b, earlier_exposure=365, later_exposure=344)
        for b in range(31)
    ]
    clear = [c.ratio for c in shares if c.change_class == "clearly_higher"]
    assert ratio == min(clear)
    assert change.smallest_clear_ratio(5, earlier_exposure=365, later_exposure=344) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"earlier": -1, "later": 2, "earlier_exposure": 1, "later_exposure": 1},
        {"earlier": 1, "later": 2, "earlier_exposure": 0, "later_exposure": 1},
    ],
)
def test_impossible_counts_are_refused(kwargs):
    with pytest.raises(ValueError):
        change.rate_ratio(**kwargs)


# --------------------------------------------------------------------------
# Applied to published figures


@pytest.fixture(scope="module")
def default_public():
    import hatecrime_maps as hm

    return hm.published(hm.read_answer())


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    """A counts table of two wards over three years, one of them 344 days long."""
    import hatecrime_maps as hm

    path = tmp_path_factory.mktemp("three-years") / "counts.csv"
    path.write_text("ward,2018,2019,2020\nAston,4,9,20\nLadywood,6,5,7\n", encoding="utf-8")
    periods = {
        2018: "2018-06-01..2019-05-31",
        2019: "2019-06-01..2020-05-31",
        2020: "2020-06-01..2021-05-10",
    }
    return hm.published(hm.read_answer(path, periods=periods), level="ward")


def test_every_two_years_have_their_change_and_the_last_two_come_last(three_years):
    assert list(three_years.changes) == [(2018, 2019), (2018, 2020), (2019, 2020)]
    assert three_years.last_change == three_years.changes[(2019, 2020)]
    aston = next(r for r in three_years.changes[(2018, 2020)] if r["area"] == "Aston")
    assert (aston["earlier_count"], aston["later_count"]) == (4, 20)
    # The force: the two wards with data in every year, so their totals compare.
    force = three_years.changes[(2018, 2020)][-1]
    assert force["level"] == "force" and force["change_status"] == ""
    assert (force["earlier_count"], force["later_count"]) == (10, 27)


def test_parent_units_change_as_their_own_counts_do(default_public):
    rows = default_public.parent_changes[(2019, 2020)]
    parents = default_public.parents
    assert {r["area"] for r in rows} == set(parents["area"])
    for r in rows:
        counts = parents[parents["area"] == r["area"]].set_index("year")["victims"]
        assert (r["earlier_count"], r["later_count"]) == (counts[2019], counts[2020])
        assert r["level"] == "parent" and r["change"] in change.CHANGE_MEANINGS
    # Classified among themselves (8 NPUs), not among the 25 areas.
    tested = [r for r in rows if r["change"] != "too_few"]
    qs = change.benjamini_hochberg([r["p_value"] for r in tested])
    assert [r["q_value"] for r in tested] == pytest.approx(qs)


def test_the_trend_is_each_year_s_rate_a_year_with_its_exact_interval(three_years):
    trend = change.force_trend(three_years)
    assert [r["year"] for r in trend] == [2018, 2019, 2020]
    areas = three_years.areas
    for r in trend:
        mine = areas[(areas["year"] == r["year"]) & areas["has_data"]]  # the two wards
        population = mine["population"].sum()
        days = int(mine["period_days"].iloc[0])
        year_days = 366 if r["year"] == 2019 else 365  # June 2019 to May 2020 holds 29 Feb
        scale = 100_000 / population * year_days / days
        lower = stats.chi2.ppf(0.025, 2 * r["count"]) / 2
        upper = stats.chi2.ppf(0.975, 2 * r["count"] + 2) / 2
        assert r["count"] == mine["victims"].sum() and r["population"] == population
        assert r["rate"] == pytest.approx(r["count"] * scale)
        assert (r["lower"], r["upper"]) == pytest.approx((lower * scale, upper * scale), rel=1e-6)


def test_no_trend_from_two_years(default_public):
    assert change.force_trend(default_public) is None
