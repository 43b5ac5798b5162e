"""What the figures are: from flags, a metadata file, or the answer's own text."""

from __future__ import annotations

from datetime import date

import pytest

from hatecrime_maps import model
from hatecrime_maps.errors import InputError
from hatecrime_maps.inputs import foi, metadata


def stated(*sentences: str) -> list:
    return foi.find_stated_crimes(list(sentences))


def test_periods_and_subject_come_from_the_sentences_that_state_totals():
    fields, notes = metadata.infer_from_answer(
        stated(
            "There were 58 hate crimes that had taken place against refugees in WMP force area "
            "for 2020 (1 Jan 2020 to 9 Dec 2020).",
            "There were 22 hate crimes that had taken place against refugees in WMP force area "
            "for 2019.",
        )
    )
    assert fields["periods"][2020] == model.Period(
        date(2020, 1, 1), date(2020, 12, 9), "1 January to 9 December 2020"
    )
    assert fields["periods"][2019].label == "1 January to 31 December 2019"
    assert fields["subject"] == "hate crimes against refugees"
    assert (
        "period 2019: 1 January to 31 December 2019 (the calendar year: the text says "
        "2019, line 2)" in notes
    )


def test_a_financial_year_is_april_to_march():
    fields, notes = metadata.infer_from_answer(
        stated(
            "There were 1,204 racially or religiously aggravated hate crimes recorded in your "
            "force area in 2016/17."
        )
    )
    period = fields["periods"][2016]
    assert (period.start, period.end) == (date(2016, 4, 1), date(2017, 3, 31))
    assert period.label == "1 April 2016 to 31 March 2017"
    assert fields["subject"] == "racially or religiously aggravated hate crimes"
    assert "the financial year 2016/17" in notes[0]


def test_flags_win_over_the_file_which_wins_over_the_text():
    text = {"subject": "from the text", "periods": {2020: model.calendar_year(2020)}}
    in_file = {"subject": "from the file", "force": "Police A"}
    flags = {
        "force": "Police B",
        "periods": {2020: metadata.parse_period_flag("2020=2020-01-01..2020-06-30")[1]},
    }
    meta = metadata.combine(flags, in_file, text, ["subject: from the text (line 1)"])
    assert (meta.subject, meta.force) == ("from the file", "Police B")
    assert meta.periods[2020].end == date(2020, 6, 30)
    assert meta.inferred == ()  # nothing inferred was used


@pytest.mark.parametrize(
    "flag,words",
    [
        ("2020", "is not YEAR=START..END"),
        ("2020=2020-01-01..2020-13-01", "is not two dates YYYY-MM-DD"),
        ("2020=2020-12-01..2020-01-01", "ends (2020-01-01) before it starts (2020-12-01)"),
        ("20x0=2020-01-01..2020-12-31", "year '20x0' is not a year"),
    ],
)
def test_a_bad_period_flag_says_what_is_wrong(flag, words):
    with pytest.raises(InputError, match=words.replace("(", "\\(").replace(")", "\\)")):
        metadata.parse_period_flag(flag)


def test_a_year_with_no_period_names_the_flag():
    meta = model.Metadata(periods={2020: model.calendar_year(2020)})
    with pytest.raises(InputError, match=r"give --period 2021=START\.\.END"):
        metadata.check_periods(meta, [2020, 2021], "counts.csv")


def _metadata_file(tmp_path, text: str):
    path = tmp_path / "metadata.json"
    path.write_text(text, encoding="utf-8")
    return path


PERIODS = '"periods": {"2021": {"start": "2021-01-01", "end": "2021-12-31"%s}}'


@pytest.mark.parametrize(
    "text,words",
    [
        ("[" * 20_000, "is nested too deeply to be a metadata file"),
        ("[" * 100_000, "is nested too deeply to be a metadata file"),
        ("[" * 200_000, "is 200,000 bytes: a metadata.json is far smaller"),
        ("{%s}" % (PERIODS % ', "label": 5'), "start, end and label must be text"),
        ('{"subject": "hate\\u0000crimes"}', "U+0000"),
        ('{"force": "West \\u202eMidlands"}', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("{%s}" % (PERIODS % ', "label": "a\\u200bb"'), "U+200B ZERO WIDTH SPACE"),
        ('{"subject": "%s"}' % ("x" * 5000), "subject is 5,000 characters long; at most 300"),
        ('{"source_url": "javascript:alert(1)"}', "source_url 'javascript:alert(1)' is not a web"),
        ('{"source_url": "data:text/html,hi"}', "is not a web address"),
    ],
)
def test_a_bad_metadata_file_is_one_clear_error(tmp_path, text, words):
    path = _metadata_file(tmp_path, text)
    with pytest.raises(InputError) as err:
        metadata.read_metadata_file(path)
    assert str(err.value).startswith(str(path))
    assert words in str(err.value)


def test_the_flags_get_the_checks_the_file_gets():
    from hatecrime_maps.request import Options

    with pytest.raises(InputError) as err:
        Options(source_url="javascript:alert(1)").metadata_flags()
    assert str(err.value).startswith("--source-url: source_url 'javascript:alert(1)'")
    with pytest.raises(InputError) as err:
        Options(subject="x" * 400).metadata_flags()
    assert str(err.value).startswith("--subject: subject is 400 characters long")


def test_a_web_address_and_a_label_are_kept():
    path_text = '{"source_url": "https://example.org/foi", %s}' % (PERIODS % ', "label": "2021"')
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "metadata.json"
    path.write_text(path_text, encoding="utf-8")
    fields = metadata.read_metadata_file(path)
    assert fields["source_url"] == "https://example.org/foi"
    assert fields["periods"][2021].label == "2021"


def test_a_financial_year_is_named_as_one():
    from datetime import date

    from hatecrime_maps.model import Metadata, Period

    meta = Metadata(
        periods={
            2018: Period(date(2018, 4, 1), date(2019, 3, 31), "2018/19"),
            2019: Period(date(2019, 1, 1), date(2019, 12, 31), "2019"),
            2099: Period(date(2099, 4, 1), date(2100, 3, 31), "2099/00"),
            2020: Period(date(2020, 4, 1), date(2020, 12, 9), "part"),
        }
    )
    assert [meta.year_name(y) for y in (2018, 2019, 2099, 2020)] == [
        "2018/19",
        "2019",
        "2099/00",
        "2020",
    ]
