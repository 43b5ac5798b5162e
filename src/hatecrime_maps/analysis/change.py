"""Whether a count changed between two periods more than chance would explain.

Two counts of events, ``earlier`` over an exposure ``E1`` and ``later`` over
``E2`` (each exposure is residents times days, so that periods of different
lengths and populations compare fairly), are taken as Poisson. Given their
total ``n``, the later count is binomial with probability
``pi = R * E2 / (R * E2 + E1)``, where ``R`` is the ratio of the later rate to
the earlier one. The exact (Clopper-Pearson) interval for ``pi`` gives an exact
interval for ``R``, and the two-sided binomial test of ``R = 1`` gives the
p-value: the conditional method of R's ``poisson.test``. Over the many areas
of one map, Benjamini-Hochberg at 5% decides which changes are clear.

A change is called clear only when its adjusted p-value is at most 5% *and*
its interval leaves out 1. The two can disagree (the two-sided test sums the
least likely outcomes, the interval takes 2.5% from each tail): 0 against 5
events has p = 0.027 but an interval from 0.97, and a reader shown "clearly
higher" beside an interval that allows no change would be misled.

The statistics work on counts alone; :func:`change_rows` and
:func:`unit_change_rows` apply them to published figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import pandas as pd

from hatecrime_maps.model import FEWER_THAN, NO_DATA, SUPPRESSED

if TYPE_CHECKING:
    from hatecrime_maps.analysis.publish import PublicFigures

ChangeClass = Literal["clearly_higher", "clearly_lower", "no_clear_change", "too_few"]
"""How one area's change is told: clear either way (after Benjamini-Hochberg),
not clear, or too few events for any split of them to be clear."""

CHANGE_MEANINGS: dict[ChangeClass, str] = {
    "clearly_higher": "clearly higher",
    "clearly_lower": "clearly lower",
    "no_clear_change": "no clear change",
    "too_few": "too few to tell",
}

FALSE_DISCOVERY_RATE = 0.05
"""Benjamini-Hochberg's rate: of the changes called clear, at most 5% expected by chance."""

CONFIDENCE_LEVEL = 0.95

_TIES = 1 + 1e-7
"""Binomial probabilities this close count as equal in the two-sided test (as R and
scipy do), so that rounding does not decide which outcomes are as extreme."""


@dataclass(frozen=True, kw_only=True)
class Change:
    """One area's change from an earlier period to a later one.

    Attributes
    ----------
    earlier, later
        The two counts.
    earlier_exposure, later_exposure
        Residents times days of each period.
    ratio
        Later rate over earlier rate (``inf`` when the earlier count is 0 and the
        later is not; ``nan`` when both are 0).
    lower, upper
        The exact 95% interval of the ratio.
    p_value
        Two-sided exact test of no change.
    q_value
        The p-value adjusted over the map's areas (Benjamini-Hochberg); None until
        :func:`classify` has seen them all.
    change_class
        How the change is told (:data:`ChangeClass`).
    """

    earlier: int
    later: int
    earlier_exposure: float
    later_exposure: float
    ratio: float
    lower: float
    upper: float
    p_value: float
    q_value: float | None
    change_class: ChangeClass

    @property
    def difference(self) -> int:
        """The later count less the earlier one."""
        return self.later - self.earlier


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_p_value(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial test: P(an outcome no more likely than ``k``).

    Parameters
    ----------
    k, n
        Successes out of ``n`` trials (``0 <= k <= n``).
    p
        The probability of success under the hypothesis (``0 < p < 1``).

    Returns
    -------
    float
        The sum of the probabilities of every outcome whose probability is at
        most that of ``k`` (the "minimum likelihood" rule of R's ``binom.test``
        and scipy's ``binomtest``), at most 1.
    """
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return 1.0
    observed = _log_pmf(k, n, p) + math.log(_TIES)
    return min(
        1.0, math.fsum(math.exp(lp) for i in range(n + 1) if (lp := _log_pmf(i, n, p)) <= observed)
    )


def clopper_pearson(k: int, n: int, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
    """The exact interval for a binomial probability from ``k`` successes in ``n``.

    The bounds are quantiles of beta distributions (the binomial tail's own
    identity), which scipy inverts to full precision in microseconds.

    Returns
    -------
    tuple of float
        ``(lower, upper)``: 0 and 1 where ``k`` is 0 or ``n``.
    """
    if not 0 <= k <= n or n == 0:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    from scipy import special  # slow to import; only a change between years needs it

    tail = (1 - level) / 2
    lower = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, tail))
    upper = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1 - tail))
    return lower, upper


def _ratio_of(pi: float, odds_scale: float) -> float:
    """The rate ratio for a binomial probability ``pi`` (``odds_scale`` = E1 / E2)."""
    if pi >= 1.0:
        return math.inf
    return pi / (1 - pi) * odds_scale


def rate_ratio(
    *,
    earlier: int,
    later: int,
    earlier_exposure: float,
    later_exposure: float,
    level: float = CONFIDENCE_LEVEL,
) -> Change:
    """The later rate over the earlier one, its exact interval and the test of no change.

    Parameters
    ----------
    earlier, later
        Counts of the two periods (0 or more).
    earlier_exposure, later_exposure
        Residents times days of each period (more than 0). Only their ratio matters.
    level
        The interval's confidence level.

    Returns
    -------
    Change
        Its ``change_class`` is from this test alone (``q_value`` None): use
        :func:`classify` for the areas of a map together.

    Examples
    --------
    >>> c = rate_ratio(earlier=8, later=24, earlier_exposure=365, later_exposure=344)
    >>> round(c.ratio, 2), round(c.lower, 2), round(c.upper, 2), round(c.p_value, 4)
    (3.18, 1.38, 8.2, 0.0039)
    """
    if earlier < 0 or later < 0:
        raise ValueError(f"counts must be 0 or more, got {earlier} and {later}")
    if not (earlier_exposure > 0 and later_exposure > 0):
        raise ValueError("exposures must be more than 0")
    n = earlier + later
    odds_scale = earlier_exposure / later_exposure
    expected = later_exposure / (earlier_exposure + later_exposure)  # pi when nothing changed
    if n == 0:
        return Change(
            earlier=0,
            later=0,
            earlier_exposure=earlier_exposure,
            later_exposure=later_exposure,
            ratio=math.nan,
            lower=0.0,
            upper=math.inf,
            p_value=1.0,
            q_value=None,
            change_class="too_few",
        )
    lo, hi = clopper_pearson(later, n, level)
    ratio = math.inf if earlier == 0 else (later / later_exposure) / (earlier / earlier_exposure)
    p_value = binomial_p_value(later, n, expected)
    alpha = 1 - level
    lower, upper = _ratio_of(lo, odds_scale), _ratio_of(hi, odds_scale)
    return Change(
        earlier=earlier,
        later=later,
        earlier_exposure=earlier_exposure,
        later_exposure=later_exposure,
        ratio=ratio,
        lower=lower,
        upper=upper,
        p_value=p_value,
        q_value=None,
        change_class="too_few"
        if not can_be_clear(n, expected, alpha)
        else _told(ratio, lower, upper, p_value, alpha),
    )


def can_be_clear(n: int, expected: float, alpha: float) -> bool:
    """Whether any split of ``n`` events between two periods could be a clear change.

    ``expected`` is the later period's share of the exposure. The most extreme
    split (every event in one period) has the interval furthest from 1: its
    bound is ``(alpha / 2) ** (1 / n)`` on the binomial scale.
    """
    if n == 0:
        return False
    bound = (alpha / 2) ** (1 / n)
    return bound > expected or 1 - bound < expected


def _told(ratio: float, lower: float, upper: float, p: float, alpha: float) -> ChangeClass:
    """A change that could be clear: clear only if ``p`` is small and the interval leaves out 1."""
    if p > alpha or lower <= 1 <= upper:
        return "no_clear_change"
    return "clearly_higher" if ratio > 1 else "clearly_lower"


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given.

    A change whose q-value is at most 0.05 is among a set of which at most 5%
    are expected to be chance.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = running
    return adjusted


def classify(
    changes: Sequence[Change], *, rate: float = FALSE_DISCOVERY_RATE, adjust: bool = True
) -> list[Change]:
    """The areas of one map, each told as clear or not with the others in view.

    Areas with too few events for any split to be clear take no part in the
    adjustment (they could never be called clear, so they do not dilute it).

    Parameters
    ----------
    changes
        One :class:`Change` per area, from :func:`rate_ratio`.
    rate
        The false discovery rate.
    adjust
        False: each change tested on its own at ``rate`` (``q_value`` = ``p_value``).
    """
    testable = [i for i, c in enumerate(changes) if c.change_class != "too_few"]
    qs = benjamini_hochberg([changes[i].p_value for i in testable]) if adjust else None
    out = list(changes)
    for j, i in enumerate(testable):
        c = changes[i]
        q = qs[j] if qs is not None else c.p_value
        out[i] = replace(c, q_value=q, change_class=_told(c.ratio, c.lower, c.upper, q, rate))
    return out


def smallest_clear_ratio(
    n: int, *, earlier_exposure: float, later_exposure: float, alpha: float = 0.05
) -> float | None:
    """The least rise (a ratio above 1) that ``n`` events in all could show as clear.

    The later count is raised from what no change would give until the change
    is clear on its own (no other areas in view); None when no split of ``n``
    events would be.
    """
    expected = later_exposure / (earlier_exposure + later_exposure)
    for later in range(math.ceil(n * expected), n + 1):
        c = rate_ratio(
            earlier=n - later,
            later=later,
            earlier_exposure=earlier_exposure,
            later_exposure=later_exposure,
            level=1 - alpha,
        )
        if c.change_class == "clearly_higher":
            return c.ratio
    return None


CHANGE_COLUMNS = (
    "level",
    "area",
    "earlier_year",
    "later_year",
    "earlier_count",
    "later_count",
    "difference",
    "earlier_population",
    "later_population",
    "earlier_days",
    "later_days",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "p_value",
    "q_value",
    "change",
    "change_status",
)
"""The change table's columns, in order."""

ChangeStatus = Literal["", "withheld", "no_data", "no_population"]
"""Why a row of the change table has no figures: a count of either year is withheld
or not in the input, or a population estimate is not held."""


def change_rows(public: PublicFigures, *, earlier: int, later: int) -> list[dict]:
    """Per area (and for the force, last) the change from ``earlier`` to ``later``.

    A change is published only where both of its counts are: where either is
    withheld or absent, the row has its status and no figure at all, so that
    no change figure can bring back a withheld count. Areas are classified
    together (Benjamini-Hochberg); the force on its own.
    """
    rows = unit_change_rows(public.areas, years=public.years, earlier=earlier, later=later)
    return [*rows, _force_row(public, earlier, later)]


def unit_change_rows(
    frame: pd.DataFrame, *, years: list[int], earlier: int, later: int, level: str = "area"
) -> list[dict]:
    """The change of each unit of one layer of published figures (areas or parent units).

    ``frame`` is :attr:`PublicFigures.areas` or :attr:`PublicFigures.parents`; its
    units are classified together, as the units of one map.
    """
    if earlier not in years or later not in years or earlier >= later:
        raise ValueError(f"need two of the years {years}, earlier first: {earlier}, {later}")
    by_year = {y: frame[frame["year"] == y].set_index("area") for y in (earlier, later)}
    rows: list[dict] = []
    tested: list[tuple[int, Change]] = []
    for name in by_year[later].index:
        a, b = by_year[earlier].loc[name], by_year[later].loc[name]
        row = {"level": level, "area": name, "earlier_year": earlier, "later_year": later}
        status = _status_of(a, b)
        if status == "":
            c = _change_of(a, b)
            tested.append((len(rows), c))
            row |= _figures(c, a, b)
        rows.append(row | {"change_status": status})
    for (i, _), c in zip(tested, classify([c for _, c in tested]), strict=True):
        rows[i]["q_value"] = c.q_value
        rows[i]["change"] = c.change_class
    return [{col: r.get(col) for col in CHANGE_COLUMNS} for r in rows]


def _status_of(a, b) -> ChangeStatus:
    statuses = {a["victims_status"], b["victims_status"]}
    if statuses & {FEWER_THAN, SUPPRESSED}:
        return "withheld"
    if NO_DATA in statuses or not (a["has_data"] and b["has_data"]):
        return "no_data"
    if any(pd.isna(r["population"]) for r in (a, b)):
        return "no_population"
    return ""


def _change_of(a, b) -> Change:
    return rate_ratio(
        earlier=int(a["victims"]),
        later=int(b["victims"]),
        earlier_exposure=float(a["population"]) * int(a["period_days"]),
        later_exposure=float(b["population"]) * int(b["period_days"]),
    )


def _figures(c: Change, a, b) -> dict:
    def finite(x: float) -> float | None:
        return x if math.isfinite(x) else None

    return {
        "earlier_count": c.earlier,
        "later_count": c.later,
        "difference": c.difference,
        "earlier_population": int(a["population"]),
        "later_population": int(b["population"]),
        "earlier_days": int(a["period_days"]),
        "later_days": int(b["period_days"]),
        "rate_ratio": finite(c.ratio),
        "ratio_lower": c.lower,
        "ratio_upper": finite(c.upper),
        "p_value": c.p_value,
        "q_value": c.q_value,
        "change": c.change_class,
    }


def _force_year(public: PublicFigures, year: int, years: Sequence[int]) -> dict:
    """The force's total in one of ``years``, shaped as an area's row of the published figures.

    The total is of the areas with data, and its population theirs; it compares
    across ``years`` only where the same areas have data in each (otherwise it
    counts as no data).
    """
    frame = public.areas
    with_data = [set(frame[(frame["year"] == y) & frame["has_data"]]["area"]) for y in years]
    areas = frame[(frame["year"] == year) & frame["has_data"]]
    population = areas["population"]
    return {
        "victims": public.force[year].get("victims"),
        "victims_status": public.force_status[year].get("victims", ""),
        "has_data": bool(len(areas)) and all(s == with_data[0] for s in with_data),
        "population": math.nan if population.isna().any() else float(population.sum()),
        "period_days": int(frame.loc[frame["year"] == year, "period_days"].iloc[0]),
    }


def _force_rows(public: PublicFigures, earlier: int, later: int) -> tuple[dict, dict]:
    years = (earlier, later)
    return _force_year(public, earlier, years), _force_year(public, later, years)


TREND_FROM_YEARS = 3
"""With this many years or more, the report draws the force's trend."""


def force_trend(public: PublicFigures) -> list[dict] | None:
    """The force's rate per 100,000 residents a year, with its exact 95% interval, by year.

    Rates are annualised (a period of 344 days is scaled to its year), so that
    years of different lengths compare. None with fewer than
    :data:`TREND_FROM_YEARS` years, or where some year's total is withheld, is
    not the whole force's, or has no population estimate: a trend with a gap
    would mislead. Where the input covers some areas, the rate is theirs, and
    only when the same areas have figures in every year.
    """
    from hatecrime_maps.analysis import stats

    years = public.years
    if len(years) < TREND_FROM_YEARS:
        return None
    rows = []
    for year in years:
        row = _force_year(public, year, years)
        if _status_of(row, row) or row["victims"] is None:
            return None
        period = public.about.meta.periods[year]
        count, population = int(row["victims"]), float(row["population"])
        lower, upper = stats.poisson_interval(count)
        scale = stats.PER / population * stats.annualisation_factor(period.start, period.end)
        rows.append(
            {
                "year": year,
                "name": public.about.meta.year_name(year),
                "count": count,
                "population": int(population),
                "days": row["period_days"],
                "rate": count * scale,
                "lower": lower * scale,
                "upper": upper * scale,
            }
        )
    return rows


def _force_row(public: PublicFigures, earlier: int, later: int) -> dict:
    """The force's change, tested on its own (no other unit shares its adjustment)."""
    row = {"level": "force", "area": "", "earlier_year": earlier, "later_year": later}
    a, b = _force_rows(public, earlier, later)
    status = _status_of(a, b)
    if status:
        row |= {"change_status": status}
    else:
        row |= _figures(_change_of(a, b), a, b) | {"change_status": ""}
    return {col: row.get(col) for col in CHANGE_COLUMNS}
