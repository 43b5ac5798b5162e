"""Every title and stock sentence, generated from what the figures are.

The subject, force, reference, periods and measure come from
:class:`hatecrime_maps.inputs.metadata.Metadata`, and the level from
:class:`hatecrime_maps.geography.levels.Level`; nothing here names a subject, force or
year of its own. A field that was not given is left out, never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from hatecrime_maps.analysis import stats
from hatecrime_maps.analysis.change import CHANGE_MEANINGS, smallest_clear_ratio
from hatecrime_maps.geography.levels import Level
from hatecrime_maps.model import MEASURES, STRANDS, Metadata, Period

if TYPE_CHECKING:
    from hatecrime_maps.analysis.publish import About


def capitalise(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def measure(meta: Metadata) -> str:
    """What one figure counts, in the plural: ``victims``, ``crimes`` or ``cases``."""
    return MEASURES[meta.measure].noun


def measure_title(meta: Metadata) -> str:
    """The count column's heading: ``Victims``, ``Crimes`` or ``Count``."""
    return MEASURES[meta.measure].title


def motive(meta: Metadata) -> str:
    """``' motivated by race'`` for one strand of several figures, else ``''``."""
    return f" motivated by {STRANDS[meta.strand].motive}" if meta.strand else ""


def strand_label(meta: Metadata) -> str:
    """How a page's figures control names these figures: ``'Race'``, or ``'All crimes'``."""
    return STRANDS[meta.strand].label if meta.strand else f"All {measure(meta)}"


def of_strand(meta: Metadata, text: str) -> str:
    """``text`` led by the strand it counts (``'Race: crimes per 100,000 residents'``)."""
    if not meta.strand:
        return text
    return f"{STRANDS[meta.strand].label}: {text[:1].lower()}{text[1:]}"


def strands_note(meta: Metadata) -> str:
    """Why a page's strands are never added: one crime can have several motivating factors."""
    noun = measure(meta)
    return (
        "A crime can have more than one motivating factor, and is counted in each of its "
        f"strands: the strands need not add up to all {noun}, and no figure here adds them."
    )


def what(meta: Metadata) -> str:
    """What the figures are, as a noun phrase: the subject with its measure and strand.

    ``'victims of hate crimes against refugees'``, ``'hate crimes against
    refugees'`` (crimes of a subject that names crimes), just the measure, or
    ``'police recorded hate crimes motivated by race'`` (one strand of several).
    """
    return _what(meta) + motive(meta)


def _what(meta: Metadata) -> str:
    subject = meta.subject
    if not subject:
        return measure(meta)
    if meta.measure == "victims":
        return f"victims of {subject}"
    if meta.measure == "crimes" and "crime" in subject.casefold():
        return subject
    if meta.measure == "incidents" and re.search(r"\bcrimes?\b", subject, re.I):
        # Hate incidents are not hate crimes: "hate crimes against X" counted as incidents.
        return re.sub(r"\bcrime(s?)\b", r"incident\1", subject, flags=re.I)
    return f"{measure(meta)} of {subject}"


def topic(meta: Metadata) -> str:
    """The subject for a heading, or the measure when no subject was given.

    A measure that names itself (incidents, reports, outcomes) is in the heading
    with the subject: "Hate incidents against …", "Reports of hate crimes …".
    """
    if MEASURES[meta.measure].names_itself:
        return capitalise(what(meta))
    return capitalise(meta.subject or measure(meta)) + motive(meta)


def per_unit(meta: Metadata, level: Level) -> str:
    """``'Victims per policing area'``."""
    return f"{measure_title(meta)} per {level.label}"


def by_whom(meta: Metadata) -> str:
    """``'<force> figures'`` (or the publisher's), or ``'figures'`` when neither is known."""
    who = meta.force or meta.publisher
    return f"{who} figures" if who else "figures"


def map_title(meta: Metadata, level: Level, year: int) -> str:
    """The map page's title and main heading."""
    return f"{topic(meta)}, {meta.year_name(year)}: {by_whom(meta)} by {level.label}"


def embed_title(meta: Metadata, level: Level, year: int) -> str:
    """The title of a year's embed page (and its iframe)."""
    return "Map: " + map_title(meta, level, year)


def index_title(meta: Metadata) -> str:
    """The title of the landing page."""
    return f"{topic(meta)}: {meta.force + ' ' if meta.force else ''}maps and data"


def report_title(meta: Metadata, has_story: bool) -> str:
    """The title of the report page."""
    return (
        f"{topic(meta)}: what happened and what came of it"
        if has_story
        else f"{topic(meta)}: the figures behind the maps"
    )


def print_title(meta: Metadata, level: Level, year: int) -> str:
    """Two lines: what the figures are, then the period and the level."""
    force = f" ({meta.force})" if meta.force else ""
    return f"{capitalise(what(meta))}\n{meta.periods[year].label}, by {level.label}{force}"


def source_of_figures(meta: Metadata, input_name: str) -> str:
    """Who published the figures and where: the attribution every output carries."""
    if meta.publisher:
        parts = [p for p in (meta.publisher, meta.reference) if p]
    else:
        parts = [p for p in (meta.force, f"FOI {meta.reference}" if meta.reference else "") if p]
    label = "Hate crime figures" if "hate crime" in meta.subject.casefold() else "Figures"
    return f"{label}: {', '.join(parts) if parts else input_name}."


def partial_period(period: Period) -> str:
    """``', 344 days rather than a full year'``, or empty for a full year."""
    if stats.annualisation_factor(period.start, period.end) == 1:
        return ""
    return f", {stats.period_days(period.start, period.end)} days rather than a full year"


def period_notes(meta: Metadata, years: list[int]) -> list[str]:
    """A note for each year that is not a full year, and that years differ in length."""
    notes = []
    for y in years:
        period = meta.periods[y]
        if stats.annualisation_factor(period.start, period.end) != 1:
            notes.append(
                f"The {meta.year_name(y)} figures cover {period.label} "
                f"({stats.period_days(period.start, period.end)} days), not a full "
                "year, so they are not like for like with a full year's."
            )
    return notes


def recorded_by(meta: Metadata) -> str:
    """``'West Midlands Police recorded'`` or ``'The figures give'``."""
    return f"{meta.force} recorded" if meta.force else "The figures give"


def merged_notes(level: Level, merged: tuple[str, ...]) -> list[str]:
    """A sentence per unit that holds the summed figures of the units it replaced."""
    return [f"Earlier {level.plural}: {said}." for said in merged]


def counting_note(meta: Metadata) -> str:
    """What one count is, for the notes under a map."""
    who = meta.force or "the police"
    if "hate crime" in meta.subject.casefold():
        who += " with a hate crime flag"
    if meta.measure == "victims":
        return f"Counts are victims as recorded by {who}; a crime can have more than one victim."
    if meta.measure == "crimes":
        return f"Counts are crimes as recorded by {who}; a crime can have several victims."
    return (
        "Counts are as given in the input, which does not say whether they count crimes or victims."
    )


def flag_note(meta: Metadata) -> str:
    """Why the figures depend on recording practice, when the subject is known."""
    if not meta.subject:
        return (
            "The figures count what was recorded; recording practice varies between "
            "officers, places and years."
        )
    return (
        f"Figures count only what police record as {meta.subject}; how often that is "
        "recorded varies between officers, places and years."
    )


def index_intro(meta: Metadata, about) -> str:
    """The landing page's opening sentence: whose figures, about what, on which areas."""
    if meta.force and meta.reference:
        whose = f"{meta.force}'s answer to Freedom of Information request {meta.reference}"
    else:
        whose = meta.force or (f"FOI {meta.reference}" if meta.reference else about.input_name)
    text = f"Figures from {whose}: {what(meta)}, by {about.level.label}."
    if about.level.built:
        text += (
            " The police areas' boundaries were never published; the maps build them "
            "from wards and say how sure each one is."
        )
    return text


def downloads_intro(meta: Metadata, about) -> str:
    """The data dictionary's opening sentence."""
    if meta.force and meta.reference:
        whose = f"recorded by {meta.force}, from its answer to FOI {meta.reference}"
    elif meta.force:
        whose = f"recorded by {meta.force}"
    else:
        whose = f"from {about.input_name}"
    return f"{capitalise(what(meta))} {whose}, joined to {about.level.plural}."


def report_description(meta: Metadata, years: list[int]) -> str:
    """The report page's meta description."""
    periods = "; ".join(meta.periods[y].label for y in years)
    return f"{topic(meta)}: the figures in charts and tables, {periods}."


def places_note(where: dict[str, str], boroughs: list[str]) -> str:
    """Where the reporting places on a map are, when they are not spread over all of it.

    ``where`` maps each located place to its borough; ``boroughs`` are all the
    map's boroughs. A reader in another borough must not think there is nowhere
    near them to go.
    """
    held = sorted(set(where.values()))
    if not held or len(held) == len(boroughs):
        return ""
    listed = " and ".join(held) if len(held) <= 2 else ", ".join(held[:-1]) + " and " + held[-1]
    every = "All the" if len(where) > 1 else "The"
    verb = "are" if len(where) > 1 else "is"
    return (
        f"{every} reporting place{'s' if len(where) > 1 else ''} on this map {verb} in "
        f"{listed}: it holds none for the other {len(boroughs) - len(held)} boroughs. "
        "Wherever you are, you can report online or by phone (listed above)."
    )


def layer_noun(layer: str) -> str:
    """A context layer's units as a reader names one: ``"wards"`` -> ``"Ward"``."""
    return layer.removesuffix("s").replace("_", " ").capitalize()


def no_centres_note(geography: str) -> str:
    """What a map beyond the West Midlands says about local places to report."""
    return (
        f"This tool holds no local reporting centres for the {geography} outside the West "
        "Midlands, so none are on this map. You can report online or by phone anywhere "
        "(listed above), or ask your council or local police for a third-party reporting "
        "centre near you."
    )


def times(x: float | None) -> str:
    """A rate ratio as a reader reads it: ``3.05``, ``1.3``, or ``no upper limit``."""
    if x is None or x == float("inf"):
        return "no upper limit"
    return f"{x:.2f}".rstrip("0").rstrip(".")


CHANGE_STATUS_TEXT = {
    "withheld": "not shown: a count of one of the years is withheld",
    "no_data": "not shown: the input gives no figure for one of the years",
    "no_population": "not shown: no population estimate held",
}


def change_text(row: dict, meta: Metadata) -> str:
    """One row of the change table in words: both counts, the ratio and its interval.

    ``8 in 2019, 24 in 2020: 3.05 times the rate (95% interval 1.32 to 7.84), clearly
    higher``.
    """
    if row["change_status"]:
        return CHANGE_STATUS_TEXT[row["change_status"]]
    counts = (
        f"{row['earlier_count']:,} in {meta.year_name(row['earlier_year'])}, "
        f"{row['later_count']:,} in {meta.year_name(row['later_year'])}"
    )
    meaning = CHANGE_MEANINGS[row["change"]]
    if row["change"] == "too_few":  # an interval of so few says nothing a reader can use
        return f"{counts}: {meaning}"
    interval = f"95% interval {times(row['ratio_lower'])} to {times(row['ratio_upper'])}"
    ratio = (
        f"{times(row['rate_ratio'])} times the rate"
        if row["rate_ratio"] is not None
        else "none before"
    )
    return f"{counts}: {ratio} ({interval}), {meaning}"


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


CLEAR_CHANGES_TOLD = 5
"""At most this many clear changes are told in words; the table holds every one."""


def change_story(rows: list[dict] | None, about: About) -> list[str]:
    """A change between two years in words: the force's, then the areas'.

    ``rows`` are the change table's rows of the two years, areas then the force
    (:func:`hatecrime_maps.analysis.change.change_rows`); every figure comes from
    them. Nothing is said of a change whose counts are withheld.
    """
    if rows is None:
        return []
    meta, level = about.meta, about.level
    earlier = meta.year_name(rows[-1]["earlier_year"])
    later = meta.year_name(rows[-1]["later_year"])
    noun = measure(meta)
    force = rows[-1]
    paragraphs = []
    if force["change_status"] == "":
        ratio, low, high = force["rate_ratio"], force["ratio_lower"], force["ratio_upper"]
        days = f"{later}'s {force['later_days']} days against {earlier}'s {force['earlier_days']}"
        said = (
            f"{later} had {times(ratio)} times the rate of {earlier} (95% interval "
            f"{times(low)} to {times(high)}), allowing for {days} and the population"
            if ratio is not None
            else f"{earlier} had no {noun} and {later} {force['later_count']:,}"
        )
        verdict = {
            "clearly_higher": "a rise chance would not explain",
            "clearly_lower": "a fall chance would not explain",
            "no_clear_change": "chance could explain the difference",
            "too_few": "too few to tell whether anything changed",
        }[force["change"]]
        paragraphs.append(
            f"From {force['earlier_count']:,} {noun} in {earlier} to {force['later_count']:,} in "
            f"{later}: {said}; {verdict} (exact test, {_p_text(force['p_value'])})."
        )
    areas = rows[:-1]
    compared = [r for r in areas if r["change_status"] == ""]
    clear = [r for r in compared if r["change"] in ("clearly_higher", "clearly_lower")]
    few = [r for r in compared if r["change"] == "too_few"]
    withheld = [r for r in areas if r["change_status"] == "withheld"]
    tested = len(compared) - len(few)
    if clear:
        # The largest changes by count; a long list belongs in the table, not a paragraph.
        told = sorted(clear, key=lambda r: -(r["earlier_count"] + r["later_count"]))
        told = sorted(told[:CLEAR_CHANGES_TOLD], key=lambda r: clear.index(r))
        listed = "; ".join(f"{r['area']}, {change_text(r, meta)}" for r in told)
        text = f"Of the {len(areas):,} {level.plural}, {len(clear):,} changed clearly"
        if len(told) < len(clear):
            text += (
                f"; the {len(told)} with the most {noun}: {listed}. The table's Change "
                "column has every one."
            )
        else:
            text += f": {listed}."
    else:
        text = f"No {level.label} changed clearly."
        biggest = max(compared, key=lambda r: r["earlier_count"] + r["later_count"], default=None)
        if biggest is not None:
            n = biggest["earlier_count"] + biggest["later_count"]
            rise = smallest_clear_ratio(
                n,
                earlier_exposure=biggest["earlier_population"] * biggest["earlier_days"],
                later_exposure=biggest["later_population"] * biggest["later_days"],
            )
            if rise is not None:
                text += (
                    f" With counts this small only a large change would show: in "
                    f"{biggest['area']}, with {n} {noun} in the two years, a rise to about "
                    f"{times(rise)} times the rate."
                )
    if few:
        text += f" {len(few)} had too few {noun} for any change to be clear."
    if tested - len(clear):
        text += f" {tested - len(clear)} showed no clear change."
    if tested > 1:
        text += (
            f" The {tested} that could show a change were judged together "
            "(Benjamini-Hochberg: of the changes called clear, at most 5% are expected by "
            "chance)."
        )
    if withheld:
        text += f" {len(withheld)} are not compared: a count of one of the years is withheld."
    paragraphs.append(text)
    return paragraphs
