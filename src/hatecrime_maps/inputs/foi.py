"""Parse a police FOI answer into tidy tables.

An FOI answer is prose with tab-separated tables pasted in. This module finds
each table by its header row (``Offence``, ``Clear up Code``, ``Town/City``),
maps its columns by their header labels (years, sexes, ``Total``), reads its
rows until the ``Total`` row, and turns them into four tidy tables:

``victims``   year, area, sex, age, age_note, count
``offences``  year, offence, count
``outcomes``  year, outcome_code, outcome, count
``totals``    year, measure, count  (the figures the answer itself states)

It copes with what real FOI text looks like: inline markup (``<i>…</i>``),
page-footer lines and blank lines inside tables, sex columns in any order and
with any of several labels, rows that gain an extra leading column after a page
break, impossible ages, empty ``Total`` columns and ``(blank)`` outcomes.

Parsing is pure: it takes text and returns data. Whether the figures add up is
checked separately, in :mod:`hatecrime_maps.inputs.reconcile`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from hatecrime_maps.errors import AnswerError, quoted
from hatecrime_maps.io.files import clean_cell, normalise_cell
from hatecrime_maps.model import MAX_COUNT

"""Victim sex codes in output order: female, male, unknown."""

MAX_PLAUSIBLE_AGE = 120
"""Ages above this are recording placeholders (such as 666), not ages."""

# Header labels that open a table, after markup is removed and case folded.
TABLE_HEADER_LABELS = {
    "victims": ("town/city", "town/city/age", "towns/cities", "area", "area/age", "location"),
    "offences": ("offence", "offences", "offence type", "offence description", "crime type"),
    "outcomes": (
        "clear up code",
        "clear-up code",
        "clearup code",
        "outcome",
        "outcomes",
        "outcome code",
    ),
}

# Column labels naming a victim's sex.
SEX_LABELS = {
    "f": "F",
    "female": "F",
    "m": "M",
    "male": "M",
    "u": "U",
    "unknown": "U",
    "not known": "U",
    "unknown sex": "U",
    "not recorded": "U",
}

TABLE_TOTAL_LABELS = ("total", "grand total")
"""Labels of a pasted table's own total row or column."""

# Row labels meaning "age not known" in a victims table.
UNKNOWN_AGE_LABELS = (
    "unknown",
    "unknown age",
    "age unknown",
    "not known",
    "not recorded",
    "n/k",
    "nk",
)

# Words that may sit above year columns without naming a column themselves.
SPANNING_LABELS = ("year", "year/gender", "year/sex", "gender", "sex")

_YEAR = re.compile(r"(?:19|20)\d\d")
_AGE_LIKE = re.compile(r"-?\d+(?:\.\d+)?")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
_OUTCOME_CODE = re.compile(r"(OC\s?\d+[a-z]?)\s*[:\-\u2013]\s*(.*)", re.I)
_STATED_CRIMES = re.compile(
    r"There (?:were|was) (?P<count>[\d,]+) (?P<what>(?:[\w-]+ ){0,5}?crimes?\b[^.]*?)"
    r"\b(?:in|for|during) "
    r"(?P<year>(?:19|20)\d\d)(?:/(?P<fy>\d\d))?\b"
    r"(?:\s*\((?P<start>[^()]*?\d{4}) to (?P<end>[^()]*?\d{4})\))?",
    re.I,
)
# Words around the subject in "hate crimes that had taken place against … in WMP force area".
_TOOK_PLACE = re.compile(
    r"\s+(?:(?:that|which)\s+(?:had\s+)?(?:taken|took)\s+place|"
    r"(?:that\s+were\s+)?recorded)\b",
    re.I,
)
_WHERE = re.compile(
    r"\s+(?:in|within|across)\s+(?:the\s+|your\s+|our\s+)?(?:\w+\s+){0,3}?"
    r"(?:force\s+)?area\b.*$",
    re.I,
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class VictimCount(NamedTuple):
    """Victims in one area, year, sex and age (or age note) of an FOI answer."""

    year: int
    area: str
    sex: str
    age: int | None
    age_note: str
    count: int  # type: ignore[assignment]  # shadows tuple.count: the answers' own word


class OffenceCount(NamedTuple):
    """Crimes of one offence title in one year."""

    year: int
    offence: str
    count: int  # type: ignore[assignment]  # shadows tuple.count: the answers' own word


class OutcomeCount(NamedTuple):
    """Crimes with one outcome in one year."""

    year: int
    outcome_code: str
    outcome: str
    count: int  # type: ignore[assignment]  # shadows tuple.count: the answers' own word


class StatedTotal(NamedTuple):
    """A total the answer states, in a table or in its text."""

    year: int
    measure: str
    count: int  # type: ignore[assignment]  # shadows tuple.count: the answers' own word


@dataclass(frozen=True)
class Column:
    """One value column of a table: the year it counts and its role."""

    index: int
    role: str  # "count" (a year's count or a sex within a year) or "total"
    year: int | None = None
    sex: str | None = None  # victims tables only

    @property
    def counted_year(self) -> int:
        """The year a count column counts: every count column has one."""
        if self.year is None:
            raise ValueError(f"column {self.index} counts no year")
        return self.year


@dataclass
class Row:
    """One data row as read: its label, kind and counts by column index."""

    line: int
    label: str
    kind: str  # "area", "age", "item" (offence/outcome) or "total"
    values: dict[int, int | None]
    age: int | None = None
    age_note: str = ""


@dataclass
class Table:
    """A table found in the answer, with its rows in reading order."""

    kind: str
    line: int  # line of the header row that names the table
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None

    @property
    def years(self) -> list[int]:
        """The years the table's columns count."""
        return sorted({c.year for c in self.columns if c.year is not None})

    def count_columns(self, year: int | None = None) -> list[Column]:
        """The columns holding counts, of one year or of all."""
        return [c for c in self.columns if c.role == "count" and (year is None or c.year == year)]

    def total_column(self) -> Column | None:
        """The table's Total column, if it has one."""
        return next((c for c in self.columns if c.role == "total"), None)


@dataclass
class StatedCrimes:
    """A sentence such as "There were 58 hate crimes … for 2020 (1 Jan 2020 to 9 Dec 2020)".

    ``subject`` is what it says the crimes were ("hate crimes against …");
    ``financial`` is true for a year written as a financial year ("2016/17").
    """

    year: int
    count: int
    line: int
    start: date | None = None
    end: date | None = None
    subject: str = ""
    financial: bool = False


@dataclass
class ParsedAnswer:
    """Everything read from one FOI answer, before any reconciliation."""

    source: str
    tables: list[Table]
    stated: list[StatedCrimes]


# --------------------------------------------------------------------------
# Cells and labels


def _fold(text: str) -> str:
    return clean_cell(text).casefold()


def _table_kind(first_cell: str) -> str | None:
    label = _fold(first_cell)
    for kind, labels in TABLE_HEADER_LABELS.items():
        if label in labels:
            return kind
    return None


def _is_total(label: str) -> bool:
    return _fold(label) in TABLE_TOTAL_LABELS


def parse_count_cell(cell: str, source: str, line: int) -> int | None:
    """Read a count cell: empty is ``None`` (nothing counted), else a whole number >= 0."""
    if cell == "":
        return None
    if _COUNT.fullmatch(cell):
        value = int(cell.replace(",", ""))
        if value > MAX_COUNT:
            raise AnswerError(
                source,
                f"count {cell!r} is larger than {MAX_COUNT:,}: no answer "
                "about recorded crime holds such a figure",
                line,
            )
        return value
    if re.fullmatch(r"-\s*\d+", cell):
        raise AnswerError(source, f"count {cell!r} is negative", line)
    odd = next((c for c in cell if not c.isascii()), None)
    why = f" (U+{ord(odd):04X} {unicodedata.name(odd, '')} is not one of 0-9)" if odd else ""
    raise AnswerError(source, f"count {cell!r} is not a whole number{why}", line)


# --------------------------------------------------------------------------
# Finding and reading tables


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF (and nothing else: a form feed stays in its line)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _cells(line: str) -> list[str]:
    return [clean_cell(c) for c in line.split("\t")]


def _width(rows: list[list[str]]) -> int:
    """Number of columns: one past the last labelled cell in any header row."""
    width = 1
    for cells in rows:
        filled = [j for j, c in enumerate(cells) if c]
        if filled:
            width = max(width, filled[-1] + 1)
    return width


def _is_header_continuation(cells: list[str]) -> bool:
    r"""A row under the naming header row that only carries labels (e.g. ``\t2020\tTotal``)."""
    if cells[0] or not any(cells[1:]):
        return False
    return all(
        not c
        or _YEAR.fullmatch(c)
        or _fold(c) in TABLE_TOTAL_LABELS
        or _fold(c) in SEX_LABELS
        or _fold(c) in SPANNING_LABELS
        for c in cells[1:]
    )


def _columns(
    kind: str, header: list[tuple[int, list[str]]], width: int, source: str
) -> list[Column]:
    """Map columns 1..width-1 to roles from the header rows above them."""
    years: list[int | None] = [None] * width
    for line, cells in header:
        current = None
        for j in range(1, width):
            cell = cells[j] if j < len(cells) else ""
            if _YEAR.fullmatch(cell):
                current = int(cell)
            elif cell:
                current = None
            # A year spans the empty cells to its right, as merged cells do.
            if current is not None:
                if years[j] is not None and years[j] != current:
                    raise AnswerError(
                        source,
                        f"column {j + 1} is labelled with two years ({years[j]} and {current})",
                        line,
                    )
                years[j] = current

    columns: list[Column] = []
    for j in range(1, width):
        labelled = [(line, cells[j]) for line, cells in header if j < len(cells) and cells[j]]
        if not labelled:
            continue
        line, label = labelled[-1]  # the lowest label names the column
        folded = label.casefold()
        if folded in TABLE_TOTAL_LABELS:
            columns.append(Column(j, "total", years[j]))
        elif kind == "victims" and folded in SEX_LABELS:
            if years[j] is None:
                raise AnswerError(
                    source, f"victims table: no year above column {j + 1} ({label!r})", line
                )
            columns.append(Column(j, "count", years[j], SEX_LABELS[folded]))
        elif kind != "victims" and _YEAR.fullmatch(label):
            columns.append(Column(j, "count", int(label)))
        elif folded in SPANNING_LABELS and kind != "victims" and years[j] is not None:
            continue
        else:
            raise AnswerError(
                source, f"{kind} table: unknown column label {label!r} in column {j + 1}", line
            )

    counts = [c for c in columns if c.role == "count"]
    if not counts:
        what = "sex (F, M, U)" if kind == "victims" else "year"
        raise AnswerError(source, f"{kind} table has no {what} columns", header[-1][0])
    seen: dict[tuple[int | None, str | None], Column] = {}
    for c in counts:
        key = (c.year, c.sex)
        if key in seen:
            what = f"{c.sex} for {c.year}" if c.sex else str(c.year)
            raise AnswerError(source, f"{kind} table has two columns for {what}", header[-1][0])
        seen[key] = c
    if sum(c.role == "total" for c in columns) > 1:
        raise AnswerError(source, f"{kind} table has two Total columns", header[-1][0])
    return columns


def _row_cells(cells: list[str], width: int, source: str, line: int) -> tuple[str, list[str]]:
    """Return (label, value cells) for a data row, undoing the page-break shift.

    After a page break some exports gain an extra leading column: area rows
    become ``name<TAB><TAB>values`` and age rows ``<TAB>age<TAB>values``.
    """
    while len(cells) > width and cells[-1] == "":
        cells = cells[:-1]
    shifted = len(cells) == width + 1 or (cells[0] == "" and len(cells) > 1)
    if shifted:
        if cells[0] and cells[1]:
            raise AnswerError(
                source, f"row has {len(cells)} cells but its table has {width} columns", line
            )
        label, values = cells[0] or cells[1], cells[2:]
    else:
        label, values = cells[0], cells[1:]
    if len(values) > width - 1:
        raise AnswerError(
            source, f"row has {len(cells)} cells but its table has {width} columns", line
        )
    if not label:
        raise AnswerError(source, "row has no label", line)
    return label, values + [""] * (width - 1 - len(values))


def _classify_victims_row(row: Row) -> None:
    label = row.label
    folded = label.casefold()
    if folded in UNKNOWN_AGE_LABELS:
        row.kind, row.age_note = "age", "unknown"
    elif _AGE_LIKE.fullmatch(label):
        row.kind = "age"
        if re.fullmatch(r"\d+", label) and int(label) <= MAX_PLAUSIBLE_AGE:
            row.age = int(label)
        else:
            row.age_note = f"invalid: {label}"
    else:
        row.kind = "area"


def _read_table(
    kind: str, header: list[tuple[int, list[str]]], body: Iterable[tuple[int, str]], source: str
) -> tuple[Table, int]:
    """Read rows after the header until the Total row; return the table and lines used."""
    width = _width([cells for _, cells in header])
    columns = _columns(kind, header, width, source)
    table = Table(kind, _naming_line(header, kind), columns)
    by_index = {c.index: c for c in columns}
    seen_area = False
    used = 0
    for line, text in body:
        used += 1
        if "\t" not in text:
            continue  # blank lines and page furniture such as footers inside a table
        label, values = _row_cells(_cells(text), width, source, line)
        label = normalise_cell(label, source, line, "row label", AnswerError)
        values = [normalise_cell(v, source, line, "count", AnswerError) for v in values]
        counts: dict[int, int | None] = {}
        for j, cell in enumerate(values, start=1):
            col = by_index.get(j)
            if col is None:
                if cell:
                    raise AnswerError(
                        source, f"value {cell!r} in column {j + 1}, which has no header label", line
                    )
                continue
            counts[j] = parse_count_cell(cell, source, line)
        if all(v is None for v in counts.values()):
            # A heading or a note pasted into a table: it has no figure, so it is no row.
            raise AnswerError(
                source,
                f"row {quoted(label)} of the {kind} table has no figures; an empty cell is "
                "not 0 (write 0 for none, or remove the line)",
                line,
            )
        if kind != "victims":
            empty = [c for c in columns if c.role == "count" and counts.get(c.index) is None]
            if empty:
                raise AnswerError(
                    source,
                    f"row {quoted(label)} of the {kind} table has no count for {empty[0].year}; "
                    "an empty cell is not 0 (write 0 for none)",
                    line,
                )
        row = Row(line, label, "item", counts)
        if _is_total(label):
            row.kind = "total"
            table.total = row
            return table, used
        if kind == "victims":
            _classify_victims_row(row)
            seen_area = seen_area or row.kind == "area"
            if row.kind == "age" and not seen_area:
                raise AnswerError(source, f"age row {label!r} comes before any area row", line)
        table.rows.append(row)
    raise AnswerError(
        source, f"{kind} table has no Total row before the end of the file", table.line
    )


def _naming_line(header: list[tuple[int, list[str]]], kind: str) -> int:
    for line, cells in header:
        if _table_kind(cells[0]) == kind:
            return line
    return header[-1][0]


def _parse_date(text: str) -> date | None:
    text = " ".join(text.split())
    for fmt in ("%d %b %Y", "%d %B %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def find_stated_crimes(lines: list[str]) -> list[StatedCrimes]:
    """Find sentences stating a year's number of crimes, with the period if given."""
    found = []
    for number, line in enumerate(lines, start=1):
        for m in _STATED_CRIMES.finditer(clean_cell(line)):
            year = int(m["year"])
            financial = bool(m["fy"]) and int(m["fy"]) == (year + 1) % 100
            subject = _WHERE.sub("", _TOOK_PLACE.sub("", m["what"].strip())).strip()
            if subject.casefold() in ("crime", "crimes"):
                subject = ""  # says nothing about what the crimes were
            found.append(
                StatedCrimes(
                    year=year,
                    count=int(m["count"].replace(",", "")),
                    line=number,
                    start=_parse_date(m["start"]) if m["start"] else None,
                    end=_parse_date(m["end"]) if m["end"] else None,
                    subject=subject,
                    financial=financial,
                )
            )
    return found


MAX_HEADER_ROWS_ABOVE = 4
"""Header rows a table may have above the row that names it."""


def parse_answer(text: str, source: str) -> ParsedAnswer:
    """Find and read every table and stated total in an FOI answer's text.

    Raises :class:`InputError` naming the line for anything that cannot be read:
    a count that is not a whole number, an unknown column label, the same area
    twice in one table, a table with no Total row.
    """
    lines = split_lines(text)
    tables: list[Table] = []
    pending: list[tuple[int, list[str]]] = []  # tab-separated lines just above
    i = 0
    while i < len(lines):
        number, text_line = i + 1, lines[i]
        if "\t" not in text_line:
            pending = []
            i += 1
            continue
        cells = _cells(text_line)
        kind = _table_kind(cells[0])
        if kind is None:
            # Only the lines just above can be header rows (a row of years, say); keeping
            # a few bounds memory on an input of nothing but tab-separated lines.
            pending = [*pending[-(MAX_HEADER_ROWS_ABOVE - 1) :], (number, cells)]
            i += 1
            continue
        header = [*pending, (number, cells)]
        i += 1
        while i < len(lines) and "\t" in lines[i] and _is_header_continuation(_cells(lines[i])):
            header.append((i + 1, _cells(lines[i])))
            i += 1
        body = ((k + 1, lines[k]) for k in range(i, len(lines)))  # lazily: linear overall
        table, used = _read_table(kind, header, body, source)
        _check_unique_rows(table, source)
        tables.append(table)
        i += used
        pending = []
    if not tables:
        raise AnswerError(
            source,
            "no tables found (looked for header rows such as 'Offence', "
            "'Clear up Code' and 'Town/City')",
        )
    stated = find_stated_crimes(lines)
    check_structure(tables, stated, source)
    return ParsedAnswer(source, tables, stated)


def check_structure(tables: list[Table], stated: list[StatedCrimes], source: str) -> None:
    """Each kind of table once per year, and every year the answer speaks of complete.

    A table pasted twice, or an answer cut off between tables, would otherwise
    give doubled or missing figures that still add up. The years are those the
    text states a number of crimes for and those any table covers; the kinds
    are those any table has.
    """
    first: dict[tuple[str, int], int] = {}
    for table in tables:
        for year in table.years:
            if (table.kind, year) in first:
                raise AnswerError(
                    source,
                    f"a second {table.kind} table for {year} (the first "
                    f"is at line {first[(table.kind, year)]}): is part of the "
                    "answer pasted twice?",
                    table.line,
                )
            first[(table.kind, year)] = table.line
    said: dict[int, StatedCrimes] = {}
    for s in stated:
        if said.setdefault(s.year, s).count != s.count:
            raise AnswerError(
                source,
                f"the text states two numbers of crimes for {s.year} "
                f"(line {said[s.year].line} and this one)",
                s.line,
            )
    kinds = sorted({t.kind for t in tables})
    for year in sorted({y for _, y in first} | set(said)):
        missing = [k for k in kinds if (k, year) not in first]
        if missing:
            line = (
                said[year].line
                if year in said
                else min(v for (_, y), v in first.items() if y == year)
            )
            where = (
                f"the text states its crimes at line {line}"
                if year in said
                else "other tables cover it"
            )
            raise AnswerError(
                source,
                f"no {' or '.join(missing)} table for {year}, though "
                f"{where}: is the answer cut short?",
                line,
            )


def _check_unique_rows(table: Table, source: str) -> None:
    seen: dict[str, int] = {}
    area = ""
    for row in table.rows:
        if row.kind == "area":
            area = row.label.casefold()
            key = "area:" + area
            what = f"area {row.label!r}"
        elif row.kind == "age":
            key = f"age:{area}:{row.label.casefold()}"
            what = f"age {row.label!r} under the same area"
        else:
            key = "item:" + row.label.casefold()
            what = f"{table.kind[:-1]} {row.label!r}"
        if key in seen:
            raise AnswerError(
                source,
                f"{table.kind} table lists {what} twice (first at line {seen[key]})",
                row.line,
            )
        seen[key] = row.line


# --------------------------------------------------------------------------
# Tidy tables


def _value(row: Row, col: Column) -> int:
    return row.values.get(col.index) or 0


def victims_of(table: Table) -> list[VictimCount]:
    """Tidy victim counts from a victims table: one row per year, area, sex, age."""
    out: dict[tuple[int, str, str, int | None, str], int] = {}
    areas: list[tuple[Row, list[Row]]] = []
    for row in table.rows:
        if row.kind == "area":
            areas.append((row, []))
        else:
            areas[-1][1].append(row)
    for area_row, age_rows in areas:
        # An area with no age rows keeps its counts, with the age unknown.
        details = age_rows or [Row(area_row.line, "", "age", area_row.values, age_note="unknown")]
        for detail in details:
            for col in table.count_columns():
                n = _value(detail, col)
                if n:
                    key = (
                        col.counted_year,
                        area_row.label,
                        col.sex or "",
                        detail.age,
                        detail.age_note,
                    )
                    out[key] = out.get(key, 0) + n
    return [VictimCount(*k, n) for k, n in out.items()]


def items_of(table: Table) -> list[tuple[int, str, int]]:
    """(year, label, count) for each offence or outcome row and year column."""
    return [
        (col.counted_year, row.label, _value(row, col))
        for row in table.rows
        for col in table.count_columns()
    ]


def split_outcome(label: str) -> tuple[str, str]:
    """``'OC14: Evidential difficulties …'`` → ``('OC14', 'Evidential difficulties …')``.

    ``(blank)`` (no outcome recorded yet) and uncoded labels get an empty code.
    """
    m = _OUTCOME_CODE.fullmatch(label)
    if m:
        code = m[1].replace(" ", "")
        return "OC" + code[2:], m[2].strip()  # "oc 1a" -> "OC1a": the letter keeps its case
    return "", label


def stated_totals(parsed: ParsedAnswer) -> list[StatedTotal]:
    """The totals the answer states: crimes in the text, and each table's Total row."""
    out = [StatedTotal(s.year, "crimes_stated_in_text", s.count) for s in parsed.stated]
    for table in parsed.tables:
        if table.total is None:
            continue
        for year in table.years:
            cols = table.count_columns(year)
            values = [table.total.values.get(c.index) for c in cols]
            if table.kind == "victims":
                for col, v in zip(cols, values, strict=True):
                    if v is not None:
                        out.append(StatedTotal(year, f"victims_total_{col.sex}", v))
                total_col = table.total_column()
                if total_col is not None and len(table.years) == 1:
                    v = table.total.values.get(total_col.index)
                    if v is not None:
                        out.append(StatedTotal(year, "victims_total", v))
            elif values[0] is not None:
                out.append(StatedTotal(year, f"{table.kind}_total", values[0]))
    return out
