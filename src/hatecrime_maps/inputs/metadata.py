"""What the figures are: who gave them, about what, under which reference, for which periods.

Every title, summary, source line and data dictionary is generated from a
:class:`Metadata` (see :mod:`hatecrime_maps.outputs.wording`), never written in code.
It comes from three places, the first that says wins for each field:

1. command-line flags (``--subject``, ``--force``, ``--reference``,
   ``--source-url``, ``--period YEAR=START..END``);
2. a ``metadata.json`` beside the input;
3. for an FOI answer, what its text states: a sentence such as "There were
   58 hate crimes … for 2020 (1 Jan 2020 to 9 Dec 2020)" gives the subject and
   the period; "for 2019" alone is the calendar year; "for 2016/17" the
   financial year (1 April to 31 March).

A field nobody gives stays empty and the wording leaves it out; a year of the
data with no period is an error that names the flag to give.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from hatecrime_maps.errors import MetadataError, quoted
from hatecrime_maps.io.files import decode_text, read_bytes, unwanted_character
from hatecrime_maps.model import (
    MEASURES,
    Metadata,
    Period,
    calendar_year,
    financial_year,
    period_label,
)

METADATA_FILE = "metadata.json"
FIELDS = ("force", "publisher", "reference", "subject", "source_url")
MAX_METADATA_BYTES = 100_000
"""A ``metadata.json`` is a few hundred bytes; far larger is not one."""
MAX_FIELD_LENGTH = {
    "force": 200,
    "publisher": 200,
    "reference": 200,
    "subject": 300,
    "source_url": 2000,
    "label": 200,
}
"""The longest text each field may hold: each is printed in every title and source line."""


def check_text(name: str, value: str, source: str) -> str:
    """A metadata field's text, checked: printable, of sensible length, a web address if a URL.

    Every field reaches every title, page and download, so it gets the checks a
    table's cells get (no invisible or control characters) and a length limit;
    ``source_url`` must be an ``http`` or ``https`` address (a ``javascript:``
    link would run in the reader's browser).
    """
    value = value.strip()
    limit = MAX_FIELD_LENGTH[name]
    if len(value) > limit:
        raise MetadataError(
            source, f"{name} is {len(value):,} characters long; at most {limit:,} are allowed"
        )
    bad = unwanted_character(value)
    if bad:
        raise MetadataError(source, f"{name} {quoted(value)} contains {bad}; retype it without")
    if name == "source_url" and value:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise MetadataError(
                source,
                f"source_url {quoted(value)} is not a web address: give one that starts "
                "with https:// (or http://)",
            )
    return value


def _period(
    year: str, start: str, end: str, *, label: str | None, source: str, line: int | None = None
) -> tuple[int, Period]:
    if not re.fullmatch(r"(19|20)\d\d", year):
        raise MetadataError(source, f"year {year!r} is not a year such as 2021", line)
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise MetadataError(
            source,
            f"the period for {year} is not two dates YYYY-MM-DD ({start!r} to {end!r})",
            line,
        ) from None
    if last < first:
        raise MetadataError(
            source, f"the period for {year} ends ({last}) before it starts ({first})", line
        )
    if label is not None:
        label = check_text("label", label, source)
    return int(year), Period(first, last, label or period_label(first, last))


def parse_period_flag(text: str) -> tuple[int, Period]:
    """``'2020=2020-01-01..2020-12-09'`` → ``(2020, Period(...))``."""
    m = re.fullmatch(r"\s*(\S+?)\s*=\s*(\S+?)\s*\.\.\s*(\S+?)\s*", text)
    if not m:
        raise MetadataError(
            "--period", f"{text!r} is not YEAR=START..END (for example 2020=2020-01-01..2020-12-09)"
        )
    return _period(m[1], m[2], m[3], label=None, source="--period")


def read_metadata_file(path: Path) -> dict:
    """The fields a ``metadata.json`` gives (any may be missing), checked."""
    path = Path(path)
    source = str(path)
    data = read_bytes(path, MetadataError)
    if len(data) > MAX_METADATA_BYTES:
        raise MetadataError(
            source,
            f"is {len(data):,} bytes: a metadata.json is far smaller "
            f"(the limit is {MAX_METADATA_BYTES:,})",
        )
    text = decode_text(data, source, MetadataError)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataError(source, f"not valid JSON ({exc.msg})", exc.lineno) from None
    except RecursionError:
        raise MetadataError(source, "is nested too deeply to be a metadata file") from None
    if not isinstance(raw, dict):
        raise MetadataError(source, "must be a JSON object of fields")
    fields: dict = {}
    for name in (*FIELDS, "measure"):
        if name in raw:
            if not isinstance(raw[name], str):
                raise MetadataError(source, f"field {name!r} must be text")
            fields[name] = (
                check_text(name, raw[name], source) if name in FIELDS else raw[name].strip()
            )
    if "measure" in fields and fields["measure"] not in MEASURES:
        raise MetadataError(source, f"measure must be one of {', '.join(MEASURES)}")
    if "periods" in raw:
        if not isinstance(raw["periods"], dict):
            raise MetadataError(source, "periods must map each year to its start and end")
        periods = {}
        for year, p in raw["periods"].items():
            if not isinstance(p, dict) or "start" not in p or "end" not in p:
                raise MetadataError(source, f"the period for {year} needs a start and an end")
            if not all(isinstance(p.get(k, ""), str) for k in ("start", "end", "label")):
                raise MetadataError(
                    source, f"the period for {year}: start, end and label must be text"
                )
            y, period = _period(
                str(year), p["start"], p["end"], label=p.get("label"), source=source
            )
            periods[y] = period
        fields["periods"] = periods
    return fields


def metadata_beside(input_path: Path) -> Path:
    """Where the ``metadata.json`` of an input would be: in the same folder."""
    return Path(input_path).parent / METADATA_FILE


def combine(flags: dict, from_file: dict, inferred: dict, notes: list[str]) -> Metadata:
    """One :class:`Metadata` from flags, a metadata file and the text, in that order.

    Periods combine year by year, so a flag can add or correct one year.
    ``notes`` says what was inferred; only inferences that are used are kept.
    """
    values: dict = {}
    used_notes = []
    for name in (*FIELDS, "measure"):
        for given in (flags, from_file):
            if given.get(name):
                values[name] = given[name]
                break
        else:
            if inferred.get(name):
                values[name] = inferred[name]
                used_notes += [n for n in notes if n.startswith(f"{name}:")]
    periods = dict(inferred.get("periods", {}))
    for year in periods:
        if year not in from_file.get("periods", {}) and year not in flags.get("periods", {}):
            used_notes += [n for n in notes if n.startswith(f"period {year}:")]
    periods |= from_file.get("periods", {})
    periods |= flags.get("periods", {})
    return Metadata(periods=periods, inferred=tuple(used_notes), **values)


def check_periods(meta: Metadata, years: list[int], source: str) -> None:
    """Every year of the data has a period, or the error says which flag gives one."""
    missing = [y for y in years if y not in meta.periods]
    if missing:
        year = missing[0]
        raise MetadataError(
            source,
            f"nothing states the period the {year} figures cover; give "
            f"--period {year}=START..END (for example --period "
            f"{year}={year}-01-01..{year}-12-31 for the calendar year)",
        )


def load_metadata(path: Path) -> Metadata:
    """Read a complete ``metadata.json`` (a path to it, or to the input beside it)."""
    path = Path(path)
    if path.suffix != ".json":
        path = metadata_beside(path)
    fields = read_metadata_file(path)
    if "periods" not in fields:
        raise MetadataError(str(path), "missing field 'periods'")
    return combine({}, fields, {}, [])


def infer_from_answer(stated: list) -> tuple[dict, list[str]]:
    """Periods and subject from the sentences an FOI answer states its totals in.

    ``stated`` holds :class:`hatecrime_maps.inputs.foi.StatedCrimes`. Returns the
    fields found and, for each, a note saying where it came from.
    """
    periods: dict[int, Period] = {}
    notes = []
    for s in stated:
        if s.year in periods:
            continue
        if s.start and s.end:
            period, how = Period(s.start, s.end, period_label(s.start, s.end)), "as stated"
        elif s.financial:
            period, how = (
                financial_year(s.year),
                f"the financial year {s.year}/{(s.year + 1) % 100:02d}",
            )
        else:
            period, how = calendar_year(s.year), f"the calendar year: the text says {s.year}"
        periods[s.year] = period
        notes.append(f"period {s.year}: {period.label} ({how}, line {s.line})")
    fields: dict = {"periods": periods} if periods else {}
    subjects = list(dict.fromkeys(s.subject for s in stated if s.subject))
    if len(subjects) == 1:
        fields["subject"] = subjects[0]
        line = next(s.line for s in stated if s.subject)
        notes.append(f"subject: {subjects[0]!r} (line {line})")
    return fields, notes
