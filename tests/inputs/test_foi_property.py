"""Property: any table rendered in the FOI's text style parses back to exactly that table."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hatecrime_maps.inputs import foi
from hatecrime_maps.inputs.reconcile import reconcile
from hatecrime_maps.inputs.tidy import tidy
from tests.foi_render import ItemsTable, VictimsTable, render_answer

RESERVED = {
    "total",
    "grand total",
    "unknown",
    "unknown age",
    "not known",
    "not recorded",
    "age unknown",
    "n/k",
    "nk",
    "town/city",
    "offence",
    "clear up code",
    "outcome",
}

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
names = (
    st.lists(words, min_size=1, max_size=3)
    .map(lambda ws: " ".join(ws).title())
    .filter(lambda n: n.casefold() not in RESERVED)
)
SEX_LABELS = {"F": ["F", "Female"], "M": ["M", "Male"], "U": ["U", "Unknown"]}


@st.composite
def victims_tables(draw, year):
    codes = draw(st.permutations(["F", "M", "U"]))
    codes = codes[: draw(st.integers(1, 3))]
    sex_columns = [(c, draw(st.sampled_from(SEX_LABELS[c]))) for c in codes]
    area_names = draw(st.lists(names, min_size=1, max_size=6, unique_by=str.casefold))
    age_labels = st.one_of(
        st.integers(0, 99).map(str), st.sampled_from(["Unknown", "Unknown Age", "666", "999"])
    )
    areas = []
    for name in area_names:
        labels = draw(st.lists(age_labels, min_size=1, max_size=5, unique=True))
        ages = []
        for label in labels:
            counts = {c: draw(st.integers(0, 30)) for c in codes}
            if not any(counts.values()):
                counts[codes[0]] = 1
            ages.append((label, counts))
        areas.append((name, ages))
    n_rows = sum(1 + len(a) for _, a in areas)
    breaks = draw(st.sets(st.integers(1, n_rows), max_size=1)) if n_rows > 1 else set()
    return VictimsTable(year, sex_columns, areas, draw(st.booleans()), draw(st.booleans()), breaks)


@st.composite
def item_tables(draw, kind, year, total):
    # n positive counts summing to total: cut 1..total into n runs.
    n = draw(st.integers(1, min(6, total)))
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=n - 1, max_size=n - 1)))
    counts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    if kind == "offences":
        labels = draw(
            st.lists(names.map(str.upper), min_size=n, max_size=n, unique_by=str.casefold)
        )
    else:
        codes = draw(st.lists(st.integers(1, 22), min_size=n, max_size=n, unique=True))
        labels = [f"OC{c}: Outcome number {c}" for c in codes]
    return ItemsTable(
        kind,
        year,
        list(zip(labels, counts, strict=True)),
        draw(st.sampled_from(["none", "filled", "empty"])),
        draw(st.booleans()),
    )


@st.composite
def answers(draw):
    year = draw(st.integers(2015, 2024))
    victims = draw(victims_tables(year))
    total = draw(st.integers(2, 200))
    offences = draw(item_tables("offences", year, total))
    outcomes = draw(item_tables("outcomes", year, total))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return victims, offences, outcomes, render_answer(victims, offences, outcomes, newline)


def expected_victims(t: VictimsTable) -> set:
    out: dict = {}
    for area, ages in t.areas:
        for label, counts in ages:
            if label.isdigit() and int(label) <= foi.MAX_PLAUSIBLE_AGE:
                age, note = int(label), ""
            elif label.isdigit():
                age, note = None, f"invalid: {label}"
            else:
                age, note = None, "unknown"
            for sex, n in counts.items():
                if n:
                    key = (t.year, area, sex, age, note)
                    out[key] = out.get(key, 0) + n
    return {(*k, n) for k, n in out.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_rendered_answer_parses_back_exactly(answer):
    victims, offences, outcomes, text = answer
    parsed = foi.parse_answer(text, "generated.txt")
    checks = reconcile(parsed)
    assert all(c.ok for c in checks), [c.describe() for c in checks if not c.ok]
    tables = tidy(parsed, checks)

    assert {tuple(v) for v in tables.victims} == expected_victims(victims)
    assert {(o.year, o.offence, o.count) for o in tables.offences} == {
        (offences.year, label, n) for label, n in offences.rows
    }
    assert {(o.outcome_code, o.outcome, o.count) for o in tables.outcomes} == {
        (label.split(":")[0], label.split(": ")[1], n) for label, n in outcomes.rows
    }
    stated = {t.measure: t.count for t in tables.totals}
    assert stated["crimes_stated_in_text"] == sum(n for _, n in offences.rows)
    assert stated["victims_total"] == sum(v[-1] for v in expected_victims(victims))
