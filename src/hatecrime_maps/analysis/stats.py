"""Rates per 100,000 residents with exact Poisson intervals, and when not to show them.

Small-area crime counts are tiny. Following ONS practice, no rate is shown for
fewer than 3 events and rates from fewer than 20 are flagged as low
reliability. Intervals are exact (Garwood) Poisson 95% intervals, as UK public
health small-area statistics use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hatecrime_maps.model import RateStatus

import functools
import math
from datetime import date
from statistics import NormalDist

PER = 100_000
MIN_COUNT_FOR_RATE = 3
MIN_COUNT_RELIABLE = 20
CONFIDENCE_LEVEL = 0.95

RATE_STATUS_MEANINGS = {
    "ok": "rate shown",
    "low_reliability": f"fewer than {MIN_COUNT_RELIABLE} victims: the rate is unreliable",
    "too_few": f"fewer than {MIN_COUNT_FOR_RATE} victims: no rate is calculated",
}


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X < k) for X ~ Poisson(mean).

    Terms are summed relative to the largest one, outwards until they no longer
    count, so the cost grows with the square root of the mean, and nothing
    overflows or underflows however large the count.
    """
    if k <= 0:
        return 0.0
    if mean == 0:
        return 1.0
    top = min(k - 1, int(mean))  # the largest term of P(X = 0 .. k-1)
    log_top = top * math.log(mean) - math.lgamma(top + 1) - mean
    terms = [1.0]
    term = 1.0
    for i in range(top, 0, -1):
        term *= i / mean
        terms.append(term)
        if term < 1e-17:
            break
    term = 1.0
    for i in range(top + 1, k):
        term *= mean / i
        terms.append(term)
        if term < 1e-17:
            break
    return math.exp(log_top) * math.fsum(terms)


def _poisson_pmf(k: int, mean: float) -> float:
    """P(X = k) for X ~ Poisson(mean), through logarithms so that nothing overflows."""
    return math.exp(k * math.log(mean) - math.lgamma(k + 1) - mean)


def _mean_where_cdf_is(k: int, target: float) -> float:
    """The Poisson mean at which P(X < k) equals ``target``, to double precision.

    This is the inverse of the regularised upper incomplete gamma function
    (the mean where Q(k, mean) = target), so the chi-squared quantile of the
    textbook formula: ``chi2.ppf(1 - target, 2k) / 2``. Newton's method (the
    derivative of P(X < k) in the mean is -P(X = k - 1)) from the Wilson-Hilferty
    estimate, kept inside a bracket that bisection narrows wherever a step would
    leave it: a few evaluations where bisection alone takes fifty.
    """
    low, high = 0.0, k + 10.0 + 10.0 * math.sqrt(k)
    while _poisson_cdf(k, high) > target:
        high *= 2
    z = NormalDist().inv_cdf(1 - target)
    h = 2 / (9 * 2 * k)
    mean = min(max(k * (1 - h + z * math.sqrt(h)) ** 3, low), high)
    for _ in range(200):
        excess = _poisson_cdf(k, mean) - target
        if excess > 0:
            low = mean
        else:
            high = mean
        if excess == 0 or high - low <= 4e-16 * high:
            break
        slope = _poisson_pmf(k - 1, mean) if mean > 0 else 0.0
        step = mean + excess / slope if slope > 0 else low - 1.0
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - mean) <= 2e-16 * max(step, 1.0):
            mean = step
            break
        mean = step
    return mean


@functools.cache
def poisson_interval(count: int, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for a Poisson count.

    The bounds are the means for which the count is just in either tail:
    P(X >= count) = alpha/2 and P(X <= count) = alpha/2.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    alpha = 1 - level
    lower = 0.0 if count == 0 else _mean_where_cdf_is(count, 1 - alpha / 2)
    upper = _mean_where_cdf_is(count + 1, alpha / 2)
    return lower, upper


def rate_status(count: int) -> RateStatus:
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
