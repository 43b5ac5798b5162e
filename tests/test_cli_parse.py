"""``hatecrime-maps parse`` and ``validate``: outputs, and one test per kind of bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FOI_FILE


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=cwd
    )


def test_parse_writes_four_tables_identically_twice(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("parse", str(FOI_FILE), "--out", str(first)).returncode == 0
    assert run("parse", str(FOI_FILE), "--out", str(second)).returncode == 0
    names = ["offences.csv", "outcomes.csv", "totals.csv", "victims.csv"]
    assert sorted(p.name for p in first.iterdir()) == names
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes()
        assert b"\r" not in data
    header = (first / "victims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "year,area,sex,age,age_note,count"


def test_validate_reports_each_year(tmp_path):
    result = run("validate", str(FOI_FILE))
    assert result.returncode == 0, result.stderr
    assert "2019:" in result.stdout and "2020:" in result.stdout
    assert "victims table at line 32: 19 rows and 48 age rows" in result.stdout
    assert "all totals match" in result.stdout


def test_python_dash_m_and_version():
    result = run("--version")
    assert result.returncode == 0 and "hatecrime-maps" in result.stdout


def _bad(tmp_path: Path, content: bytes | str, *, command: str = "parse") -> tuple:
    path = tmp_path / "answer.txt"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    out = tmp_path / "out"
    args = ["parse", str(path), "--out", str(out)] if command == "parse" else [command, str(path)]
    result = run(*args)
    return path, out, result


def _assert_rejected(result, path, out: Path | None, *, line: int | None, words: str):
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    if line is not None:
        assert f"{path}:{line}:" in result.stderr
    assert words in result.stderr
    if out is not None:
        assert not out.exists() or not any(out.iterdir()), "nothing is written on error"


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.txt"
    result = run("parse", str(path), "--out", str(tmp_path / "out"))
    _assert_rejected(result, path, tmp_path / "out", line=None, words="file not found")


def test_empty_file(tmp_path):
    path, out, result = _bad(tmp_path, "\n\n")
    _assert_rejected(result, path, out, line=None, words="file is empty")


def test_binary_file(tmp_path):
    path, out, result = _bad(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _assert_rejected(result, path, out, line=None, words="binary")


def test_count_not_a_whole_number(tmp_path, foi_text):
    text = foi_text.replace("ASSAULT OCCASION ABH\t3", "ASSAULT OCCASION ABH\t2.5")
    path, out, result = _bad(tmp_path, text)
    _assert_rejected(
        result,
        path,
        out,
        line=_line_of(text, "ABH\t2.5"),
        words="count '2.5' is not a whole number",
    )


def test_negative_count(tmp_path, foi_text):
    text = foi_text.replace("<i>Solihull</i>\t\t1\t\t1", "<i>Solihull</i>\t\t-1\t\t1")
    path, out, result = _bad(tmp_path, text)
    _assert_rejected(
        result, path, out, line=_line_of(text, "Solihull</i>\t\t-1"), words="count '-1' is negative"
    )


def test_total_that_does_not_add_up(tmp_path, foi_text):
    text = foi_text.replace("Total\t13\t43\t2\t58", "Total\t13\t44\t2\t58")
    path, out, result = _bad(tmp_path, text)
    _assert_rejected(
        result, path, out, line=_line_of(text, "Total\t13\t44"), words="expected 44, found 43"
    )
    assert "2020 victims table" in result.stderr


def test_total_that_does_not_add_up_fails_validate(tmp_path, foi_text):
    text = foi_text.replace("There were 22 hate crimes", "There were 23 hate crimes")
    _, _, result = _bad(tmp_path, text, command="validate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "2019 offences table" in result.stderr and "expected 23, found 22" in result.stderr


def test_lenient_turns_mismatches_into_warnings(tmp_path, foi_text):
    text = foi_text.replace("There were 22 hate crimes", "There were 23 hate crimes")
    path = tmp_path / "answer.txt"
    path.write_text(text, encoding="utf-8")
    result = run("parse", str(path), "--out", str(tmp_path / "out"), "--lenient")
    assert result.returncode == 0
    assert "warning: 2019 offences table" in result.stderr
    assert (tmp_path / "out" / "victims.csv").exists()


def test_same_area_twice(tmp_path, foi_text):
    text = foi_text.replace("<i>Yardley</i>\t\t1\t\t1\n27", "<i>Solihull</i>\t\t1\t\t1\n27")
    path, out, result = _bad(tmp_path, text)
    second = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith("<i>Solihull")]
    _assert_rejected(result, path, out, line=second[1], words="lists area 'Solihull' twice")


def test_unknown_column_label(tmp_path, foi_text):
    text = foi_text.replace(
        "<i>Town/City</i>\t<i>F</i>\t<i>M</i>\t<i>U</i>",
        "<i>Town/City</i>\t<i>F</i>\t<i>Males</i>\t<i>U</i>",
    )
    path, out, result = _bad(tmp_path, text)
    _assert_rejected(
        result, path, out, line=_line_of(text, "Males"), words="unknown column label 'Males'"
    )


def test_table_without_total_row(tmp_path, foi_text):
    text = foi_text.replace("Total\t22\t\n", "\n")
    path, out, result = _bad(tmp_path, text)
    _assert_rejected(result, path, out, line=None, words="outcomes table has no Total row")


@pytest.mark.parametrize(
    "encoding,bom,newline",
    [("utf-8", False, "\r\n"), ("utf-8", True, "\n"), ("cp1252", False, "\r\n")],
)
def test_encodings_and_line_endings_give_the_same_tables(
    tmp_path, foi_text, encoding, bom, newline
):
    data = foi_text.replace("\n", newline).encode(encoding)
    path = tmp_path / "answer.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    assert run("parse", str(path), "--out", str(tmp_path / "a")).returncode == 0
    assert run("parse", str(FOI_FILE), "--out", str(tmp_path / "b")).returncode == 0
    for name in ("victims.csv", "offences.csv", "outcomes.csv", "totals.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_an_answer_and_a_counts_table_together_are_refused(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("ward,victims\nAston,3\n", encoding="utf-8")
    result = run(
        "build", "--foi", str(FOI_FILE), "--counts", str(counts), "--out", str(tmp_path / "m")
    )
    assert result.returncode == 2
    assert result.stderr == (
        "hatecrime-maps: error: --counts: give an FOI answer (--foi FILE) or a counts table "
        "(--counts FILE), not both\n"
    )
    assert not (tmp_path / "m").exists()
