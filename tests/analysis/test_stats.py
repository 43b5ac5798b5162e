"""Rates and exact Poisson intervals against published table values."""

from __future__ import annotations

from datetime import date

import pytest

from hatecrime_maps.analysis import stats

# Exact (Garwood) 95% limits for a Poisson count, as tabulated in the literature.
KNOWN_INTERVALS = {
    0: (0.0, 3.6889),
    1: (0.0253, 5.5716),
    5: (1.6235, 11.6683),
    10: (4.7954, 18.3904),
    24: (15.3772, 35.7104),
}


@pytest.mark.parametrize("count", sorted(KNOWN_INTERVALS))
def test_poisson_interval_matches_tables(count):
    lower, upper = stats.poisson_interval(count)
    assert lower == pytest.approx(KNOWN_INTERVALS[count][0], abs=5e-4)
    assert upper == pytest.approx(KNOWN_INTERVALS[count][1], abs=5e-4)


def test_rate_and_interval_per_100k():
    rate, lower, upper = stats.rate_with_interval(24, 30_344)
    assert rate == pytest.approx(79.09, abs=0.01)
    assert lower == pytest.approx(15.3772 / 30_344 * 1e5, rel=1e-4)
    assert upper == pytest.approx(35.7104 / 30_344 * 1e5, rel=1e-4)


@pytest.mark.parametrize(
    "count,status",
    [(0, "too_few"), (2, "too_few"), (3, "low_reliability"), (19, "low_reliability"), (20, "ok")],
)
def test_rate_status_thresholds(count, status):
    assert stats.rate_status(count) == status


def test_2020_period_is_344_days_and_annualises_by_366_over_344():
    start, end = date(2020, 1, 1), date(2020, 12, 9)
    assert stats.period_days(start, end) == 344
    assert stats.annualisation_factor(start, end) == pytest.approx(366 / 344)
    assert stats.annualisation_factor(date(2019, 1, 1), date(2019, 12, 31)) == 1


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 19, 20, 58, 250, 1_000, 15_260, 100_000])
def test_poisson_interval_is_the_chi_squared_formula(count):
    # The textbook form, from scipy; the package computes it without scipy.stats.
    from scipy.stats import chi2

    lower, upper = stats.poisson_interval(count)
    expected_lower = 0.0 if count == 0 else chi2.ppf(0.025, 2 * count) / 2
    assert lower == pytest.approx(expected_lower, rel=1e-10, abs=1e-12)
    assert upper == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 2, rel=1e-10)


def test_classes_scale_with_the_figures_and_keep_the_fixed_ones_for_small_counts():
    from hatecrime_maps import model

    small = model.scale_for([0, 1, 1, 2, 24], [2.4, 3.2, 79.0])
    assert small.counts == model.COUNT_CLASSES and small.rates == model.RATE_CLASSES
    forces = model.scale_for([223, 981, 2_466, 5_715, 16_839], [60.0, 150.0, 210.0])
    assert [c.label for c in forces.counts] == [
        "0",
        "1 to 1,999",
        "2,000 to 4,999",
        "5,000 to 9,999",
        "10,000 and over",
    ]
    assert forces.rates[0].label == "under 50" and forces.rates[-1].label == "500 and over"
    # Every value falls in exactly one class, whatever the scale.
    for value in (0, 1, 1_999, 2_000, 9_999, 10_000, 99_999):
        assert sum(c.contains(value) for c in forces.counts) == 1
