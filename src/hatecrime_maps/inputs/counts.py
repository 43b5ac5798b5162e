"""Read a plain counts table: a CSV or ``.xlsx`` file with one row per area (and year, sex).

The other input besides an FOI answer's text. Columns are found by their
headers, in any order and case:

- the area: ``area``, ``name`` or ``code``, or a level's own word from the
  boundaries' ``levels.csv`` (``ward``, ``sector``, ``npu``, ``borough``,
  ``lpa`` and their ``… name`` / ``… code`` forms);
- the count: ``count``, ``victims``, ``crimes`` or ``offences`` (which also
  says what is counted), or one column per sex (``F``/``M``/``U`` or
  ``Female``/``Male``/``Unknown``), or one column per year (``2019``,
  ``2020``, …: years, not measures);
- beside or instead of the count, one column per strand (``race``,
  ``religion``, ``sexual orientation``, ``disability``, ``transgender``): each
  strand is a figure of its own, never added to the others or checked against
  the total (one crime can have several motivating factors);
- optionally ``year`` and ``sex`` (``F``, ``M``, ``U`` or the words).

CSV may be UTF-8 (with or without a byte-order mark), Windows-1252 or UTF-16,
comma- or tab-separated. A row whose area is ``Total`` (or ``All``) is a
stated total: it is checked against the rows, not mapped. Errors name the
file and line (for a spreadsheet, the row).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hatecrime_maps.errors import CountsTableError, quoted
from hatecrime_maps.inputs.foi import SEX_LABELS
from hatecrime_maps.io.files import csv_records, decode_text, normalise_cell, read_bytes
from hatecrime_maps.model import MAX_COUNT, MEASURES, STRANDS

MAX_COUNTS_BYTES = 20_000_000
"""A counts table of every ward in England would be a few MB; larger is not one."""

AREA_HEADERS = (
    "area",
    "name",
    "code",
    "area name",
    "area code",
    "force",
    "police force",
    "force name",
    "division",
    "neighbourhood",
    "csp",
    "community safety partnership",
)
"""Headers of an area column whatever its level, the first three listed in messages.
Words of levels the boundaries may not hold (a force, a division) still say that
the column names places; the levels' own words ("ward", "lpa", "council") come
from the boundaries' catalogue (``header_levels``)."""
MEASURE_HEADERS = {header: m.key for m in MEASURES.values() for header in m.headers}
"""Count column headers, and what each says the figures are."""
STRAND_HEADERS = {header: s.key for s in STRANDS.values() for header in s.headers}
"""Strand column headers, and the strand each is."""
TOTAL_ROW_NAMES = ("total", "all", "all areas", "grand total")
"""Area names that mean the whole table: its total row, read as a check on the rest."""

_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)


@dataclass(frozen=True)
class CountRow:
    """One row's figure: ``year`` and ``sex`` are None when the table has no such column."""

    line: int
    area: str
    year: int | None
    sex: str | None
    count: int
    name: str | None = None
    """The row's area name, where ``area`` is a code read from a column beside a name column."""
    strand: str = ""
    """The strand the figure is of (a key of :data:`~hatecrime_maps.model.STRANDS`), or
    ``""`` for the count column's figure."""


@dataclass(frozen=True)
class CountsTable:
    """A counts table as read: its rows, its stated totals and what the figures are.

    ``measure`` is ``victims``, ``crimes`` or ``count`` (a column headed only
    "count" does not say what it counts).
    """

    source: str
    rows: list[CountRow]
    totals: list[CountRow]
    measure: str
    area_column: str
    has_year: bool
    has_sex: bool
    level_hint: str | None = None
    """The level word the area column's header gives ("ward", "borough code"), if any."""
    strands: tuple[str, ...] = ()
    """The strands the table has a column of, in the columns' order (empty: none)."""

    @property
    def measures(self) -> tuple[str, ...]:
        """Each figure per area the table gives: ``""`` for its count column, then strands."""
        counted = ("",) if any(not r.strand for r in self.rows) else ()
        return counted + self.strands

    def named_codes(self) -> list[tuple[str, str, int]]:
        """(code, name, line) for each row that gives an area both ways, to be compared."""
        seen = {(r.area, r.name, r.line) for r in self.rows if r.name}
        return sorted(seen, key=lambda t: t[2])

    @property
    def years(self) -> list[int]:
        """The years the table's rows name, in order (empty without a year column)."""
        return sorted({r.year for r in self.rows if r.year is not None})

    def area_lines(self) -> dict[str, int]:
        """The line each area name is first read from."""
        lines: dict[str, int] = {}
        for row in self.rows:
            lines.setdefault(row.area, row.line)
        return lines


def _header_key(cell: str) -> str:
    return " ".join(re.sub(r"[^\w\s/]", " ", cell.casefold()).split())


def _find(
    headers: list[str], wanted, given: str | None, *, what: str, flag: str, source: str
) -> int | None:
    keys = [_header_key(h) for h in headers]
    if given is not None:
        if _header_key(given) not in keys:
            raise CountsTableError(
                source,
                f"{flag} {quoted(given)} is not a column (headers seen: "
                f"{', '.join(repr(h) for h in headers)})",
                1,
            )
        return keys.index(_header_key(given))
    found = [i for i, k in enumerate(keys) if k in wanted]
    if len(found) > 1:
        # An area name and code side by side: the code is exact, take it.
        codes = [i for i in found if keys[i].endswith("code")]
        if what == "area" and len(codes) == 1:
            return codes[0]
        raise CountsTableError(
            source,
            f"more than one {what} column "
            f"({', '.join(repr(headers[i]) for i in found)}); choose one with "
            f"{flag}",
            1,
        )
    return found[0] if found else None


def parse_count(cell: str, source: str, line: int, what: str = "count") -> int:
    """A whole number of at most :data:`MAX_COUNT`, allowing thousands commas."""
    if _COUNT.fullmatch(cell):
        value = int(cell.replace(",", ""))
        if value > MAX_COUNT:
            raise CountsTableError(
                source, f"{what} {quoted(cell)} is larger than {MAX_COUNT:,}", line
            )
        return value
    if cell == "":
        raise CountsTableError(source, f"{what} is empty (write 0 for none)", line)
    if re.fullmatch(r"-\s*\d+", cell):
        raise CountsTableError(source, f"{what} {quoted(cell)} is negative", line)
    raise CountsTableError(source, f"{what} {quoted(cell)} is not a whole number", line)


def _year(cell: str, source: str, line: int) -> int:
    if re.fullmatch(r"(19|20)\d\d", cell):
        return int(cell)
    if re.fullmatch(r"(19|20)\d\d\s*[/-]\s*\d\d", cell):
        first = cell[:4]
        raise CountsTableError(
            source,
            f"year {quoted(cell)} is a financial year: label it by its first "
            f"year ({first}) and give its dates with --period "
            f"{first}=START..END",
            line,
        )
    raise CountsTableError(source, f"year {quoted(cell)} is not a year such as 2021", line)


def parse_counts(
    rows: list[tuple[int, list[str]]],
    source: str,
    area_column: str | None = None,
    count_column: str | None = None,
    *,
    header_levels: Mapping[str, str] | None = None,
) -> CountsTable:
    """Read a counts table from its rows of cells (line number, cells), header first.

    ``header_levels`` maps the headers that name a level ("ward", "lpa code") to
    its key (:meth:`hatecrime_maps.geography.levels.Catalogue.header_levels`):
    such a column is an area column, and says the level.
    """
    levels_named = dict(header_levels or {})
    area_headers = (*AREA_HEADERS, *levels_named)
    rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise CountsTableError(source, "file is empty")
    header_line, headers = rows[0]
    headers = [h.strip() for h in headers]
    seen = ", ".join(repr(h) for h in headers if h)
    area_i = _find(
        headers, area_headers, area_column, what="area", flag="--area-column", source=source
    )
    if area_i is None:
        raise CountsTableError(
            source,
            "no area column: no header is one of "
            f"{', '.join(AREA_HEADERS[:3])} (headers seen: {seen}); give "
            "--area-column NAME",
            header_line,
        )
    count_i = _find(
        headers, MEASURE_HEADERS, count_column, what="count", flag="--count-column", source=source
    )
    keys = [_header_key(h) for h in headers]
    strand_columns = _strand_columns(headers, keys, count_column, source, header_line)
    # A code chosen over a name beside it: the name is kept, to be checked against the code.
    name_i = next(
        (
            i
            for i, k in enumerate(keys)
            if k in area_headers and not k.endswith("code") and keys[area_i].endswith("code")
        ),
        None,
    )
    sex_columns = {i: SEX_LABELS[k] for i, k in enumerate(keys) if k in SEX_LABELS}
    year_columns = _year_columns(headers, keys, source, header_line)
    if year_columns and (
        count_i is not None or "year" in keys or len(set(sex_columns.values())) > 1
    ):
        other = headers[count_i] if count_i is not None else "year" if "year" in keys else "sex"
        raise CountsTableError(
            source,
            f"has one column per year ({', '.join(headers[i] for i in year_columns)}) and a "
            f"{other!r} column: give the years either as columns or as a year column",
            header_line,
        )
    has_sex_column = any(k in ("sex", "gender") for k in keys)
    if strand_columns and (year_columns or len(set(sex_columns.values())) > 1 or has_sex_column):
        raise CountsTableError(
            source,
            f"has one column per strand ({', '.join(headers[i] for i in strand_columns)}) and "
            + ("one column per year" if year_columns else "a split by sex")
            + ": give strands as columns with a year column, and no split by sex",
            header_line,
        )
    if (
        count_i is None
        and len(set(sex_columns.values())) < 2
        and not year_columns
        and not strand_columns
    ):
        raise CountsTableError(
            source,
            "no count column: no header is one of "
            f"{', '.join(MEASURE_HEADERS)}, nor F/M/U, nor a year such as 2021 "
            f"(headers seen: {seen}); give --count-column NAME",
            header_line,
        )
    measure = (
        MEASURE_HEADERS.get(keys[count_i], "count")
        if count_i is not None
        else "count"
        if year_columns
        else "victims"
    )
    year_i = keys.index("year") if "year" in keys else None
    sex_i = next((i for i, k in enumerate(keys) if k in ("sex", "gender")), None)
    if len(set(sex_columns.values())) < 2 or sex_i is not None:
        sex_columns = {}
    # With one column per sex, a count or Total column beside them is each row's total.
    check_i = count_i if sex_columns else None
    if sex_columns and check_i is None and "total" in keys:
        check_i = keys.index("total")
    if sex_i is not None and sex_columns:
        raise CountsTableError(source, "has both a sex column and one column per sex", header_line)

    out: list[CountRow] = []
    totals: list[CountRow] = []
    first: dict[tuple, int] = {}
    width = len(headers)
    for line, cells in rows[1:]:
        cells = [c.strip() for c in cells] + [""] * (width - len(cells))
        if any(cells[width:]):
            raise CountsTableError(
                source, f"row has {len(cells)} cells but the header has {width}", line
            )
        area = " ".join(cells[area_i].split())
        if not area:
            raise CountsTableError(source, f"row has no area (column {headers[area_i]!r})", line)
        year = _year(cells[year_i], source, line) if year_i is not None else None
        count_cell = cells[count_i] if count_i is not None else ""
        figures: list[tuple[str | None, int]]
        if year_columns:
            figures = []
            for i, column_year in year_columns.items():
                count = parse_count(cells[i], source, line, f"{headers[i]} count")
                _add_row(
                    CountRow(line, area, column_year, None, count, _name(cells, name_i) or None),
                    first, out, totals, source,
                )  # fmt: skip
            continue
        if sex_i is not None:
            sex_cell = cells[sex_i].casefold()
            if sex_cell not in SEX_LABELS:
                raise CountsTableError(
                    source,
                    f"sex {quoted(cells[sex_i])} is not F, M or U (or Female, Male, Unknown)",
                    line,
                )
            figures = [(SEX_LABELS[sex_cell], parse_count(count_cell, source, line))]
        elif sex_columns:
            if not any(cells[i] for i in sex_columns):
                raise CountsTableError(source, "row has no count in any sex column", line)
            figures = [
                (sex, parse_count(cells[i] or "0", source, line, f"{headers[i]} count"))
                for i, sex in sex_columns.items()
            ]
            if check_i is not None and cells[check_i]:
                stated = parse_count(cells[check_i], source, line, f"{headers[check_i]} count")
                if stated != sum(n for _, n in figures):
                    found = sum(n for _, n in figures)
                    raise CountsTableError(
                        source,
                        f"{headers[check_i]} {stated:,} is not the "
                        f"sum of the sex columns ({found:,})",
                        line,
                    )
        elif count_i is not None:
            figures = [(None, parse_count(count_cell, source, line))]
        else:
            figures = []
        name = _name(cells, name_i)
        for sex, count in figures:
            _add_row(
                CountRow(line, area, year, sex, count, name or None), first, out, totals, source
            )
        for i, strand in strand_columns.items():
            count = parse_count(cells[i], source, line, f"{headers[i]} count")
            _add_row(
                CountRow(line, area, year, None, count, name or None, strand),
                first, out, totals, source,
            )  # fmt: skip
    if not out:
        raise CountsTableError(source, "has a header but no rows of figures")
    table = CountsTable(
        source,
        out,
        totals,
        measure,
        headers[area_i],
        year_i is not None or bool(year_columns),
        sex_i is not None or bool(sex_columns),
        _level_named(headers[area_i], levels_named),
        tuple(strand_columns.values()),
    )
    _check_totals(table)
    return table


def _name(cells: list[str], name_i: int | None) -> str:
    return " ".join(cells[name_i].split()) if name_i is not None else ""


def _add_row(
    row: CountRow,
    first: dict[tuple, int],
    out: list[CountRow],
    totals: list[CountRow],
    source: str,
) -> None:
    """Keep one figure of the table (a total row's apart), refusing one given twice."""
    key = (row.area.casefold(), row.year, row.sex, row.strand)
    if key in first:
        raise CountsTableError(
            source,
            quoted(row.area)
            + (f" {row.year}" if row.year else "")
            + (f" {row.sex}" if row.sex else "")
            + (f" {STRANDS[row.strand].motive}" if row.strand else "")
            + f" is given twice (also on line {first[key]})",
            row.line,
        )
    first[key] = row.line
    (totals if row.area.casefold() in TOTAL_ROW_NAMES else out).append(row)


def _strand_columns(
    headers: list[str], keys: list[str], count_column: str | None, source: str, line: int
) -> dict[int, str]:
    """The columns headed by a strand, each strand once; none when --count-column chose one."""
    if count_column is not None:
        return {}
    found: dict[int, str] = {}
    for i, key in enumerate(keys):
        strand = STRAND_HEADERS.get(key)
        if strand is None:
            continue
        if strand in found.values():
            other = next(j for j, s in found.items() if s == strand)
            raise CountsTableError(
                source,
                f"{headers[other]!r} and {headers[i]!r} are both the "
                f"{STRANDS[strand].motive} strand: give it once",
                line,
            )
        found[i] = strand
    return found


def _year_columns(headers: list[str], keys: list[str], source: str, line: int) -> dict[int, int]:
    """The columns headed by a year (``2019``, ``2020``): one count column per year.

    A financial year's header (``2019/20``) is refused with how to label it.
    """
    found = {}
    for i, key in enumerate(keys):
        if re.fullmatch(r"(19|20)\d\d", key):
            found[i] = int(key)
        elif re.fullmatch(r"(19|20)\d\d\s*[/-]\s*\d\d", headers[i].strip()):
            _year(headers[i].strip(), source, line)  # raises, saying how to label it
    return found


def _level_named(header: str, header_levels: Mapping[str, str]) -> str | None:
    """The level word an area column's header gives: the whole header, else its first word.

    The word, not a level: each geography the table is tried against says which of
    its levels the word names (:func:`level_of_header`).
    """
    key = _header_key(header)
    for word in (key, key.split(" ")[0]):
        if word in header_levels:
            return word
    return None


def level_of_header(word: str | None, header_levels: Mapping[str, str]) -> str | None:
    """The level a geography's ``header_levels`` give a header word, if any."""
    return None if word is None else header_levels.get(word)


def _check_totals(table: CountsTable) -> None:
    for total in table.totals:
        found = sum(
            r.count
            for r in table.rows
            if r.year == total.year
            and r.strand == total.strand
            and (total.sex is None or r.sex == total.sex)
        )
        if found != total.count:
            raise CountsTableError(
                table.source,
                f"the {total.area} row says {total.count:,}"
                + (f" for the {STRANDS[total.strand].motive} strand" if total.strand else "")
                + f" but the rows above add up to {found:,}",
                total.line,
            )


def _csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first else ","
    return [
        (line, [normalise_cell(c, source, line, kind=CountsTableError) for c in cells])
        for line, cells in csv_records(text, source, CountsTableError, delimiter)
    ]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_workbook(path: Path, source: str, *, values: bool):
    import zipfile

    from openpyxl import load_workbook

    try:
        # Not read-only: that mode trusts the sheet's stored used range (<dimension>),
        # which some writers get wrong, and it cannot see hidden rows.
        return load_workbook(path, read_only=False, data_only=values)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise CountsTableError(source, f"cannot be read as an .xlsx workbook ({exc})") from None


def _formulas_without_results(path: Path, source: str, sheet_title: str, cells: list) -> None:
    """Refuse the first formula cell among ``cells`` whose workbook saved no result.

    A workbook written by a program that does not calculate (or never saved
    in Excel) holds formulas with no value: read as values they look empty.
    """
    book = _open_workbook(path, source, values=False)
    try:
        sheet = book[sheet_title]
        for cell in cells:
            formula = sheet[cell.coordinate]
            if formula.data_type == "f":
                raise CountsTableError(
                    source,
                    f"cell {cell.coordinate} is a formula ({quoted(str(formula.value))}) with no "
                    "saved result; open and save the workbook in a spreadsheet program, "
                    "or type the figure",
                    cell.row,
                )
    finally:
        book.close()


def _xlsx_rows(path: Path, source: str) -> list[tuple[int, list[str]]]:
    book = _open_workbook(path, source, values=True)
    try:
        sheets = [s for s in book.worksheets if any(c.value is not None for c in s._cells.values())]
        if len(sheets) > 1:
            raise CountsTableError(
                source,
                "has figures on more than one sheet ("
                f"{', '.join(s.title for s in sheets)}); keep one",
            )
        if not sheets:
            raise CountsTableError(source, "file is empty")
        sheet = sheets[0]
        hidden = sorted(
            r
            for r, dim in sheet.row_dimensions.items()
            if dim.hidden
            and any(sheet.cell(r, c).value is not None for c in range(1, sheet.max_column + 1))
        )
        if hidden:
            rows = ", ".join(str(r) for r in hidden[:5]) + (" and more" if len(hidden) > 5 else "")
            raise CountsTableError(
                source,
                f"row{'s' if len(hidden) > 1 else ''} {rows} of sheet {sheet.title!r} "
                f"{'are' if len(hidden) > 1 else 'is'} hidden; hidden rows often hold "
                "provisional figures, so unhide them to map them or delete them",
                hidden[0],
            )
        unsaved = [c for c in sheet._cells.values() if c.value is None]
        if unsaved:
            _formulas_without_results(path, source, sheet.title, sorted(unsaved, key=_position))
        return [
            (
                i,
                [
                    normalise_cell(_cell_text(v).strip(), source, i, kind=CountsTableError)
                    for v in row
                ],
            )
            for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _position(cell) -> tuple[int, int]:
    return cell.row, cell.column


def read_counts(
    path: str | Path,
    area_column: str | None = None,
    count_column: str | None = None,
    *,
    header_levels: Mapping[str, str] | None = None,
) -> CountsTable:
    """Read a counts table file (``.csv``, ``.tsv``, ``.txt`` or ``.xlsx``).

    ``header_levels`` as for :func:`parse_counts`.
    """
    path = Path(path)
    source = str(path)
    data = read_bytes(path, CountsTableError)
    if len(data) > MAX_COUNTS_BYTES:
        raise CountsTableError(
            source,
            f"is {len(data) / 1e6:.0f} MB: a counts table is far "
            f"smaller (the limit is {MAX_COUNTS_BYTES // 1_000_000} MB)",
        )
    if path.suffix.casefold() == ".xlsx" or data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(path, source)
    else:
        rows = _csv_rows(decode_text(data, source, CountsTableError), source)
    return parse_counts(rows, source, area_column, count_column, header_levels=header_levels)
