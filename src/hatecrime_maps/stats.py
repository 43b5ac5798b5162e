"""Rates per 100,000 residents with exact Poisson intervals, and when not to show them.

Small-area crime counts are tiny. Following ONS practice, no rate is shown for
fewer than 3 events and rates from fewer than 20 are flagged as low
reliability. Intervals are exact (Garwood) Poisson 95% intervals, as UK public
health small-area statistics use.
"""

from __future__ import annotations

from datetime import date

from scipy.stats import chi2

PER = 100_000
MIN_COUNT_FOR_RATE = 3
MIN_COUNT_RELIABLE = 20
CONFIDENCE_LEVEL = 0.95

RATE_STATUS_MEANINGS = {
    "ok": "rate shown",
    "low_reliability": f"fewer than {MIN_COUNT_RELIABLE} victims: the rate is unreliable",
    "too_few": f"fewer than {MIN_COUNT_FOR_RATE} victims: no rate is calculated",
}


def poisson_interval(count: int, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for a Poisson count."""
    if count < 0:
        raise ValueError("count must be >= 0")
    alpha = 1 - level
    lower = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    upper = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(lower), float(upper)


def rate_status(count: int) -> str:
    """``too_few`` (no rate), ``low_reliability`` or ``ok``."""
    if count < MIN_COUNT_FOR_RATE:
        return "too_few"
    if count < MIN_COUNT_RELIABLE:
        return "low_reliability"
    return "ok"


def rate_with_interval(count: int, population: int) -> tuple[float, float, float]:
    """Rate per 100,000 and its 95% interval."""
    if population <= 0:
        raise ValueError("population must be > 0")
    lower, upper = poisson_interval(count)
    scale = PER / population
    return count * scale, lower * scale, upper * scale


def period_days(start: date, end: date) -> int:
    """Days in a period, counting both ends."""
    return (end - start).days + 1


def annualisation_factor(start: date, end: date) -> float:
    """Multiply a rate over ``start..end`` by this to get a rate per year.

    The days of the year that starts on ``start`` over the days covered: a
    period that began on 1 January 2020 and ran to 9 December covers 344 of 366
    days. A whole year (a calendar or a financial year) gives exactly 1.
    """
    try:
        next_start = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the year runs to 28 February
        next_start = date(start.year + 1, 3, 1)
    year_days = (next_start - start).days
    return year_days / period_days(start, end)
