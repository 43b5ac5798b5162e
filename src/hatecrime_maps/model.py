"""The vocabulary every stage shares: sexes, periods, metadata, places, classes and statuses.

Inputs produce these, figures compute with them and outputs show them, so they
live here, below every stage, rather than inside the first stage that met them.
Nothing here reads a file or draws anything.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args
from urllib.parse import urlparse

WORK_CRS = "EPSG:27700"
"""British National Grid: the committed full-detail layers, exports and print maps."""
WEB_CRS = "EPSG:4326"
"""WGS84 longitude and latitude: the simplified web layers, the topology and web downloads."""

Sex = Literal["F", "M", "U"]
"""A victim's recorded sex: female, male, or not recorded."""
SEXES: tuple[Sex, ...] = get_args(Sex)
SEX_NAMES: dict[Sex, str] = {"F": "female", "M": "male", "U": "not recorded"}

FORCE = "force"
"""The level of a figure for the whole force."""

Withheld = Literal["fewer_than", "suppressed"]
"""How a withheld figure is shown: "fewer than N", or withheld outright."""
FEWER_THAN: Withheld = "fewer_than"
SUPPRESSED: Withheld = "suppressed"
Status = Literal["", "fewer_than", "suppressed", "no_data"]
"""A figure's status: shown (``""``), withheld either way, or not given by the input."""
NO_DATA: Status = "no_data"
RateStatus = Literal["ok", "low_reliability", "too_few", "suppressed", "no_data", "no_population"]
"""Whether a rate is shown: reliable, shown with a warning, too few victims, no count, or
no population estimate held for the area."""

MAX_COUNT = 10_000_000
"""Larger than any force's recorded crime in a year: a bigger figure is a mistake."""

InputKind = Literal["foi", "counts"]
"""The kinds of input: an FOI answer's text, or a plain counts table."""
Absent = Literal["zero", "no_data"]
"""What an area the input does not list means: it had none, or there is no figure."""


@dataclass(frozen=True, kw_only=True)
class Capabilities:
    """What an input can answer, whatever kind of file it is.

    Every stage asks these questions rather than what kind the input was, so a
    new kind of input says what it can answer once, where it is read.
    """

    unlisted_is_zero: bool
    """An area the input does not list had none (an FOI answer lists every area with any)."""
    lists_areas: bool
    """The input names the areas it counts, so a map can say which it named."""
    offences_and_outcomes: bool
    """It has offence and outcome tables (an FOI answer's), not area counts alone."""
    ages: bool
    """It records victims' ages (published only as force-wide bands)."""
    sexes: bool
    """It splits its counts by sex."""


FOI_ANSWER = Capabilities(
    unlisted_is_zero=True, lists_areas=True, offences_and_outcomes=True, ages=True, sexes=True
)
"""What an FOI answer of the kind the tool reads can answer."""


def counts_table(*, sexes: bool) -> Capabilities:
    """What a plain counts table can answer: its areas' counts, split by sex or not."""
    return Capabilities(
        unlisted_is_zero=False,
        lists_areas=False,
        offences_and_outcomes=False,
        ages=False,
        sexes=sexes,
    )


SpecialClass = Literal["suppressed", "no_data", "no_rate"]
"""Map classes that are not ranges of values: withheld, no figure, too few for a rate."""


@dataclass(frozen=True)
class Period:
    """The dates a year of the figures covers, and how they are written."""

    start: date
    end: date
    label: str


def period_label(start: date, end: date) -> str:
    """``'1 January to 9 December 2020'``, ``'1 April 2016 to 31 March 2017'``."""
    if start.year == end.year:
        return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def calendar_year(year: int) -> Period:
    """1 January to 31 December of ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Period(start, end, period_label(start, end))


def financial_year(year: int) -> Period:
    """The UK financial year starting 1 April of ``year``."""
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    return Period(start, end, period_label(start, end))


@dataclass(frozen=True)
class Measure:
    """What a count counts, in the words of a table's header and of a page.

    ``noun`` is the plural a sentence uses, ``title`` the column heading and
    ``headers`` the counts-table headers that say it. ``names_itself``: titles say
    the measure with the subject ("hate incidents against …"), since the subject
    may name crimes and incidents are not crimes.
    """

    key: str
    noun: str
    title: str
    headers: tuple[str, ...]
    names_itself: bool = False


MEASURES = {
    m.key: m
    for m in (
        # A column headed only "count" says no more than cases.
        Measure("count", "cases", "Count", ("count",)),
        Measure("victims", "victims", "Victims", ("victims", "number of victims")),
        Measure(
            "crimes",
            "crimes",
            "Crimes",
            ("crimes", "number of crimes", "offences", "number of offences"),
        ),
        Measure("incidents", "incidents", "Incidents", ("incidents", "number of incidents"), True),
        Measure("reports", "reports", "Reports", ("reports", "number of reports"), True),
        Measure("outcomes", "outcomes", "Outcomes", ("outcomes", "number of outcomes"), True),
    )
}
"""Every measure a count can be of, by key."""


@dataclass(frozen=True)
class Strand:
    """A motivating factor that hate crime figures are split by (the Home Office's strands).

    One crime can have several motivating factors, so a table's strands need
    not add up to its total and are never added. ``motive`` completes "motivated
    by …"; ``headers`` are the counts-table headers that say it.
    """

    key: str
    label: str
    motive: str
    headers: tuple[str, ...]


STRANDS = {
    s.key: s
    for s in (
        Strand("race", "Race", "race", ("race", "racial", "race hate crime")),
        Strand("religion", "Religion", "religion", ("religion", "religious", "faith")),
        Strand(
            "sexual_orientation",
            "Sexual orientation",
            "sexual orientation",
            ("sexual orientation", "sexual_orientation", "sexuality"),
        ),
        Strand("disability", "Disability", "disability", ("disability",)),
        Strand(
            "transgender",
            "Transgender",
            "transgender identity",
            ("transgender", "transgender identity", "gender identity"),
        ),
    )
}
"""The five monitored strands, in the Home Office's order, by key."""


@dataclass(frozen=True)
class Metadata:
    """What the figures are. Empty fields are left out of every title and source line.

    ``measure`` says what a count counts: a key of :data:`MEASURES` (``victims``,
    ``crimes``, ``incidents``, ``reports``, ``outcomes``, or just ``count``).
    ``inferred`` lists, for the user, what was read from the answer's text
    rather than given.
    """

    periods: dict[int, Period]
    force: str = ""
    publisher: str = ""
    """Who published the figures when they are not a force's FOI answer (the Home
    Office); ``reference`` is then the publication's, not an FOI reference."""
    reference: str = ""
    subject: str = ""
    source_url: str = ""
    measure: str = "victims"
    strand: str = ""
    """A key of :data:`STRANDS` when the figures are one strand of a table's several
    (``""``: all the figures, whatever motivated them)."""
    inferred: tuple[str, ...] = field(default=(), compare=False)

    def year_name(self, year: int) -> str:
        """How the figures name a year: ``"2018/19"`` for April 2018 to March 2019, else ``"2018"``.

        Police and Home Office figures often run over the financial year; a year
        key is the calendar year its period starts in.
        """
        period = self.periods.get(year)
        if period is not None and (period.start, period.end) == (
            date(year, 4, 1),
            date(year + 1, 3, 31),
        ):
            return f"{year}/{(year + 1) % 100:02d}"
        return str(year)

    def span(self, years: list[int]) -> tuple[date, date]:
        """The first and last day the given years' periods cover."""
        return (min(self.periods[y].start for y in years), max(self.periods[y].end for y in years))


@dataclass(frozen=True)
class Class:
    """A class of figures, ``lower <= v < upper`` (``upper`` None: no limit).

    How a class looks is :mod:`hatecrime_maps.outputs.presentation`'s.
    """

    # ``lower <= v < upper`` (``upper`` None: no limit)."""

    key: str
    label: str
    lower: float
    upper: float | None

    def contains(self, value: float) -> bool:
        """Whether ``value`` is in the class."""
        return value >= self.lower and (self.upper is None or value < self.upper)


COUNT_CLASSES = (
    Class("c0", "0", 0, 1),
    Class("c1", "1", 1, 2),
    Class("c2", "2 to 4", 2, 5),
    Class("c5", "5 to 9", 5, 10),
    Class("c10", "10 and over", 10, None),
)
"""Victim counts. Zero has its own class: most areas have no or few victims."""

RATE_CLASSES = (
    Class("r0", "under 2.5", 0, 2.5),
    Class("r2", "2.5 to under 5", 2.5, 5),
    Class("r5", "5 to under 10", 5, 10),
    Class("r10", "10 to under 25", 10, 25),
    Class("r25", "25 and over", 25, None),
)
"""Victims per 100,000 residents over the period."""

NICE_STEPS = (1, 2, 5)
"""Scales are 1, 2 or 5 times a power of ten, so every class limit is a round number."""


def _nice_scales() -> Iterator[int]:
    power = 1
    while True:
        for step in NICE_STEPS:
            yield step * power
        power *= 10


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


@dataclass(frozen=True)
class Scale:
    """The count and rate classes of one build's maps, the same for every year.

    The classes of :data:`COUNT_CLASSES` and :data:`RATE_CLASSES`, their limits
    multiplied by a round factor when the figures are large (a force's thousands
    of crimes), so that the areas spread across the classes. The keys (and so the
    colours) stay the same; only the limits and labels change.
    """

    count_factor: int = 1
    rate_factor: int = 1

    @functools.cached_property
    def counts(self) -> tuple[Class, ...]:
        """The count classes: 0, then four classes from 1 up."""
        f = self.count_factor
        if f == 1:
            return COUNT_CLASSES
        limits = [2 * f, 5 * f, 10 * f]
        return (
            Class("c0", "0", 0, 1),
            Class("c1", f"1 to {_number(limits[0] - 1)}", 1, limits[0]),
            Class("c2", f"{_number(limits[0])} to {_number(limits[1] - 1)}", limits[0], limits[1]),
            Class("c5", f"{_number(limits[1])} to {_number(limits[2] - 1)}", limits[1], limits[2]),
            Class("c10", f"{_number(limits[2])} and over", limits[2], None),
        )

    @functools.cached_property
    def rates(self) -> tuple[Class, ...]:
        """The rate classes per 100,000 residents."""
        g = self.rate_factor
        if g == 1:
            return RATE_CLASSES
        a, b, c, d = (2.5 * g, 5 * g, 10 * g, 25 * g)
        return (
            Class("r0", f"under {_number(a)}", 0, a),
            Class("r2", f"{_number(a)} to under {_number(b)}", a, b),
            Class("r5", f"{_number(b)} to under {_number(c)}", b, c),
            Class("r10", f"{_number(c)} to under {_number(d)}", c, d),
            Class("r25", f"{_number(d)} and over", d, None),
        )


def scale_for(counts: Iterable[float], rates: Iterable[float]) -> Scale:
    """The classes that spread these figures, the same for every year of them.

    The largest round factor that keeps at least half of the non-zero counts above
    the second class's lower limit, and half the rates above the third's; never
    below 1, so small figures keep the fixed classes.
    """

    def factor(values: list[float], fits: Callable[[int, float], bool]) -> int:
        if not values:
            return 1
        middle = float(statistics.median(values))
        best = 1
        for f in _nice_scales():
            if not fits(f, middle):
                break
            best = f
        return best

    positive = [float(v) for v in counts if v and v > 0]
    shown = [float(v) for v in rates if v is not None and v == v]  # NaN is not a rate
    return Scale(
        count_factor=factor(positive, lambda f, m: 2 * f <= m),
        rate_factor=factor(shown, lambda f, m: 5 * f <= m),
    )


def count_classes_shown(
    threshold: int | None, classes: tuple[Class, ...] = COUNT_CLASSES
) -> list[tuple[Class, str]]:
    """The count classes a map can show, with their labels, under a threshold.

    When counts below ``threshold`` are withheld, a class of withheld counts alone
    is left out, and one that starts below the threshold is labelled from it
    ("5 to 9", not "2 to 9").
    """
    shown = []
    for c in classes:
        if not threshold or c.lower == 0 or c.lower >= threshold:
            shown.append((c, c.label))
        elif c.upper is None:
            shown.append((c, f"{threshold} and over"))
        elif c.upper - 1 >= threshold:
            last = int(c.upper - 1)
            shown.append(
                (c, str(threshold) if last == threshold else f"{threshold} to {_number(last)}")
            )
    return shown


def class_for(value: float, classes: tuple[Class, ...]) -> Class:
    """The class of ``classes`` that holds ``value``."""
    for c in classes:
        if c.contains(value):
            return c
    raise ValueError(f"{value} is in no class")


def count_class(victims: float | None, status: str, scale: Scale) -> str:
    """The map class of an area's count: a count class's key or a :data:`SpecialClass`."""
    if status == NO_DATA:
        return "no_data"
    if status:
        return "suppressed"
    return class_for(float(victims or 0), scale.counts).key


def rate_class(rate: float | None, status: str, scale: Scale) -> str:
    """The map class of an area's rate: a rate class's key or a :data:`SpecialClass`."""
    if status in ("no_data", "suppressed"):
        return status
    if status in ("too_few", "no_population") or rate is None:
        return "no_rate"
    return class_for(float(rate), scale.rates).key


KINDS = {
    "third_party_reporting_centre": "Third-party reporting centre",
    "hate_crime_surgery": "Hate crime surgery venue",
    "online": "Online reporting",
    "phone": "Phone",
}
"""Kinds of centre, with the label a reader sees."""

KIND_MEANINGS = {
    "third_party_reporting_centre": (
        "a community place, not a police station, where you can report hate crime with "
        "someone to help you"
    ),
    "hate_crime_surgery": (
        "a community venue that holds hate crime surgeries: sessions where specialist "
        "support with hate crime is offered, including help to report it"
    ),
}
"""What each kind of place is, in plain words, for a reader who has not met the term."""

PLACE_KINDS = ("third_party_reporting_centre", "hate_crime_surgery")

APPROXIMATE_ABOVE_M = 25
"""A location less precise than this is drawn as approximate."""

_PHONE = re.compile(r"(?<![\w.])(?:0\d{2,4}(?: ?\d{3,4}){2}|1\d\d)(?![\w.])")
"""A UK phone number as written (``0300 303 1977``) or a three-digit service (``101``)."""


@dataclass(frozen=True)
class Centre:
    """A place or service where hate crime can be reported, as its CSV row gives it."""

    name: str
    kind: str
    address: str
    postcode: str
    lat: float | None
    lon: float | None
    location_method: str
    precision_m: float | None
    notes: str
    line: int

    @property
    def kind_label(self) -> str:
        """The kind as a reader sees it."""
        return KINDS[self.kind]

    @property
    def is_place(self) -> bool:
        """Whether it is a place to go to (not an online or phone service)."""
        return self.kind in PLACE_KINDS

    @property
    def is_located(self) -> bool:
        """Whether its location is known."""
        return self.lat is not None

    @property
    def is_approximate(self) -> bool:
        """Whether its location is known only roughly."""
        return self.precision_m is not None and self.precision_m > APPROXIMATE_ABOVE_M

    @property
    def phone_text(self) -> str:
        """A phone service's first phone number as written, or ``""``."""
        m = _PHONE.search(self.address) if self.kind == "phone" else None
        return m[0] if m else ""

    @property
    def phone(self) -> str | None:
        """A ``tel:`` address that dials :attr:`phone_text`, if there is one."""
        return "tel:" + re.sub(r"\s", "", self.phone_text) if self.phone_text else None

    def address_parts(self) -> list[tuple[str, str | None]]:
        """The address as (text, link) pieces: its phone number and web address linked."""
        targets = [(self.phone_text, self.phone), (self.link or "", self.link)]
        parts: list[tuple[str, str | None]] = [(self.address, None)]
        for text, href in targets:
            if not text or not href:
                continue
            out: list[tuple[str, str | None]] = []
            for piece, linked in parts:
                if linked is None and text in piece:
                    before, _, after = piece.partition(text)
                    out += [(before, None), (text, href), (after, None)]
                else:
                    out.append((piece, linked))
            parts = out
        return [(t, h) for t, h in parts if t]

    @property
    def link(self) -> str | None:
        """The service's web address, if its address is one (http or https only)."""
        for part in self.address.replace(",", " ").split():
            parsed = urlparse(part)
            if parsed.scheme in ("http", "https") and parsed.netloc:
                return part
        return None
