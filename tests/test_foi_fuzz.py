"""Fuzz: the real answer cut short or with lines repeated is read exactly, or refused.

Never a traceback, and never figures that differ from the true ones: a damaged
answer is refused with a message naming the file, or every table it still
holds is whole and gives exactly the true figures for its year (an answer cut
after its last complete table holds fewer tables, each of them right).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hatecrime_maps.errors import InputError
from hatecrime_maps.tidy import load_foi
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
def test_an_answer_with_lines_repeated(tmp_path_factory, true_tables, start, length, at):
    copied = LINES[start : start + length]
    _check(tmp_path_factory, true_tables, "\n".join(LINES[:at] + copied + LINES[at:]))
