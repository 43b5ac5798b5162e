"""Fuzz: the real answer cut short or with lines repeated is read exactly, or refused.

Never a traceback, and never figures that differ from the true ones: a damaged
answer is refused with a message naming the file, or every table it still
holds is whole and gives exactly the true figures for its year (an answer cut
after its last complete table holds fewer tables, each of them right).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hatecrime_maps.errors import InputError
from hatecrime_maps.inputs.tidy import load_foi
from tests.conftest import FOI_FILE

LINES = FOI_FILE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def true_tables():
    t = load_foi(FOI_FILE)
    return t.victims, t.offences, t.outcomes


def _check(tmp_path_factory, true_tables, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "response.txt"
    path.write_text(text, encoding="utf-8")
    try:
        t = load_foi(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
        return
    for found, true in zip((t.victims, t.offences, t.outcomes), true_tables, strict=True):
        years = {r.year for r in found}
        assert found == [r for r in true if r.year in years]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.integers(1, len(LINES)))
def test_an_answer_cut_short(tmp_path_factory, true_tables, keep):
    _check(tmp_path_factory, true_tables, "\n".join(LINES[:keep]))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.integers(0, len(LINES) - 1), st.integers(1, 40), st.integers(0, len(LINES)))
# Found by this test: the 2019 outcome table's heading pasted inside the 2019 offence table
# was read as an offence with a count of 0.
@example(start=183, length=4, at=130)
def test_an_answer_with_lines_repeated(tmp_path_factory, true_tables, start, length, at):
    copied = LINES[start : start + length]
    _check(tmp_path_factory, true_tables, "\n".join(LINES[:at] + copied + LINES[at:]))


def test_a_heading_pasted_into_a_table_is_refused_not_read_as_zero(tmp_path):
    text = "\n".join(LINES[:130] + LINES[183:187] + LINES[130:])
    path = tmp_path / "response.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_foi(path)
    assert str(err.value).startswith(f"{path}:134: row 'Number of hate crimes against")
    assert "has no figures; an empty cell is not 0" in str(err.value)


def test_an_empty_count_in_an_offence_table_is_not_zero(tmp_path):
    text = "\n".join(LINES).replace("ASSAULT OCCASION ABH\t3", "ASSAULT OCCASION ABH\t", 1)
    path = tmp_path / "response.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_foi(path)
    assert "row 'ASSAULT OCCASION ABH' of the offences table has no figures" in str(err.value)
