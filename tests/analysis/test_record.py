"""The published record: one value or status per figure, and suppression over all its sums."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hatecrime_maps import model
from hatecrime_maps.analysis import privacy, record
from hatecrime_maps.analysis.record import Cell, RecordBuilder
from hatecrime_maps.errors import InputError
from tests import attacker

YEAR = 2020
SEXES = "FMU"


def _partition(draw, total: int, most: int) -> list[int]:
    """``total`` cut into 1 to ``most`` positive parts."""
    n = draw(st.integers(1, min(most, total)))
    cuts = (
        sorted(draw(st.sets(st.integers(1, total - 1), min_size=n - 1, max_size=n - 1)))
        if total > 1
        else []
    )
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def small_answers(draw):
    """A random small answer: areas in NPUs split by sex, age bands, offences and outcomes."""
    n_npus = draw(st.integers(1, 3))
    n_areas = draw(st.integers(n_npus, 6))
    areas = [
        (f"Area {i}", f"NPU {i % n_npus}", {s: draw(st.integers(0, 6)) for s in SEXES})
        for i in range(n_areas)
    ]
    victims = sum(sum(split.values()) for _, _, split in areas)
    bands = ("under 18", "18 to 34", "35 to 54", "unknown")
    ages = draw(st.lists(st.sampled_from(bands), min_size=victims, max_size=victims))
    crimes = draw(st.integers(1, 30))
    groups = ["Group A", "Group B", "Group C"]
    offences = [
        (f"TITLE {i}", draw(st.sampled_from(groups)), n)
        for i, n in enumerate(_partition(draw, crimes, 6))
    ]
    outcomes = [
        (f"OC{i}", draw(st.sampled_from(groups)), n)
        for i, n in enumerate(_partition(draw, crimes, 5))
    ]
    threshold = draw(st.integers(3, 8))
    return (
        areas,
        {b: ages.count(b) for b in bands if ages.count(b)},
        offences,
        outcomes,
        crimes,
        threshold,
    )


def _record(areas, bands, offences, outcomes, crimes, threshold) -> record.Record:
    builder = RecordBuilder("generated answer")
    record.add_victims(
        builder,
        YEAR,
        [(a, npu, sum(split.values()), split) for a, npu, split in areas],
        sorted({npu for _, npu, _ in areas}),
    )
    record.add_age_bands(builder, YEAR, bands)
    record.add_items(builder, YEAR, "offence", offences, crimes)
    record.add_items(builder, YEAR, "outcome", outcomes, crimes)
    return builder.record(threshold)


def _as_published(rec: record.Record) -> dict:
    """The record as the attacker's figures: each cell's value, or what a reader sees of it."""
    out = {}
    for cell in rec.values:
        status = rec.status(cell)
        tok = (
            ("value", rec.values[cell])
            if not status
            else attacker.FEWER
            if status == model.FEWER_THAN
            else attacker.WITHHELD
        )
        level = "npu" if cell.level == "parent" else cell.level  # the attacker's word for it
        out[attacker.key(cell.measure, cell.year, level, cell.name, cell.sex)] = tok
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_answers())
def test_nothing_withheld_can_be_recovered_from_a_random_answer(answer):
    areas, _, offences, outcomes, crimes, threshold = answer
    full = _record(*answer)
    published = _as_published(record.suppress(full))
    truth = _as_published(full)
    # The attacker's knowledge, from the answer's structure (not from the record's sums).
    pub = attacker.Published(threshold)
    pub.npu_of = {(YEAR, a): npu for a, npu, _ in areas}
    pub.offence_group = {title: group for title, group, _ in offences}
    pub.outcome_group = {code: group for code, group, _ in outcomes}
    known = {c: tok[1] for c, tok in truth.items() if not (c[2] == "area" and c[4])}
    nonzero = {c for c, v in known.items() if v}
    zero = {c for c, v in known.items() if not v}
    sums = attacker.sums(pub, published)
    small = [
        c
        for c, tok in published.items()
        if tok[0] == "value" and 0 < tok[1] < threshold and c[2] != "stated"
    ]
    for cell, tok in published.items():
        if tok[0] == "value":
            assert tok == truth[cell]
    if small:
        # A small figure may be shown only when the stated total pins it down anyway.
        nothing_shown = {
            c: (tok if c[2] == "stated" else attacker.WITHHELD) for c, tok in published.items()
        }
        anyway = attacker.recoverable(nothing_shown, sums, nonzero, zero, threshold, {YEAR: crimes})
        assert all(anyway.get(c) == published[c][1] for c in small), small
    found = attacker.recoverable(published, sums, nonzero, zero, threshold, {YEAR: crimes})
    # The per-area split by sex is withheld as a rule, not to protect another figure: with
    # one area (or one area with victims) it equals the published force split, which is no
    # disclosure unless it is a small count.
    found = {c: v for c, v in found.items() if not (c[2] == "area" and c[4] and v >= threshold)}
    assert found == {}


def test_a_sum_that_does_not_hold_is_refused():
    builder = RecordBuilder("answer.txt")
    total = builder.add(Cell("crimes", YEAR, "offences"), 5)
    parts = [builder.add(Cell("crimes", YEAR, "offence", t), n) for t, n in (("A", 2), ("B", 2))]
    with pytest.raises(InputError, match="5 but its parts add up to 4"):
        builder.relate(total, parts)


def test_one_figure_has_one_value():
    builder = RecordBuilder("answer.txt")
    builder.add(Cell("victims", YEAR, "force"), 5)
    with pytest.raises(InputError, match="given as both 5 and 6"):
        builder.add(Cell("victims", YEAR, "force"), 6)


def test_a_group_and_its_members_are_protected_together():
    # The table of titles alone protects C (2) by withholding A (5) too; but C's group is
    # G = B + C = 6 + 2, so G's total and B give C away unless the audit sees the group.
    builder = RecordBuilder("answer.txt")
    record.add_items(
        builder, YEAR, "offence", [("A", "H", 5), ("B", "G", 6), ("C", "G", 2), ("D", "H", 9)], 22
    )
    full = builder.record(3)
    every_sum = [privacy.Constraint(r.total, r.parts) for r in full.relations]
    together, apart = record.suppress(full), record.suppress(full, linked=False)
    assert together.status(Cell("crimes", YEAR, "offence", "C")) == model.FEWER_THAN
    assert privacy.exposed_cells(full.values, every_sum, together.withheld, 3) == []
    assert privacy.exposed_cells(full.values, every_sum, apart.withheld, 3) != []


def test_the_stated_total_is_published_as_it_stands():
    builder = RecordBuilder("answer.txt")
    record.add_items(builder, YEAR, "outcome", [("OC1", "G", 1), ("OC2", "H", 1)], 2)
    suppressed = record.suppress(builder.record(3))
    assert suppressed.text(Cell("crimes", YEAR, "stated")) == "2"
    primary, secondary = suppressed.counts()
    assert primary + secondary == len(suppressed.withheld)
