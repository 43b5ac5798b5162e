"""Turn a parsed, reconciled FOI answer into the four tidy tables, and write them.

This is the public entry point of the first pipeline stage::

    tables = load_foi("data/foi/1186A-20/response.txt")
    tables.victims      # pandas DataFrame: year, area, sex, age, age_note, count

A mismatch found by :mod:`hatecrime_maps.inputs.reconcile` is an error unless
``lenient=True``, when it is kept in ``tables.warnings`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hatecrime_maps import model
from hatecrime_maps.errors import AnswerError, InputErrors
from hatecrime_maps.inputs import foi
from hatecrime_maps.inputs.reconcile import Check, reconcile
from hatecrime_maps.io.files import csv_text, read_text, write_text_atomic

COLUMNS = {
    "victims": ("year", "area", "sex", "age", "age_note", "count"),
    "offences": ("year", "offence", "count"),
    "outcomes": ("year", "outcome_code", "outcome", "count"),
    "totals": ("year", "measure", "count"),
}
"""Output tables and their columns, in the order they are written."""


@dataclass
class FoiTables:
    """The tidy tables of one FOI answer, with every reconciliation check made."""

    source: str
    victims: list[foi.VictimCount]
    offences: list[foi.OffenceCount]
    outcomes: list[foi.OutcomeCount]
    totals: list[foi.StatedTotal]
    checks: list[Check]
    parsed: foi.ParsedAnswer
    warnings: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """The years any of the tables counts, in order."""
        return sorted(
            {v.year for v in self.victims}
            | {o.year for o in self.offences}
            | {t.year for t in self.totals}
        )

    def area_lines(self) -> dict[str, int]:
        """The line of the answer each area name is first read from."""
        lines: dict[str, int] = {}
        for table in self.parsed.tables:
            for row in table.rows:
                if table.kind == "victims" and row.kind == "area":
                    lines.setdefault(row.label, row.line)
        return lines

    def frame(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame (ages as nullable integers)."""
        df = pd.DataFrame(getattr(self, name), columns=list(COLUMNS[name]))
        if name == "victims":
            df["age"] = df["age"].astype("Int64")
        return df


def _natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


def tidy(parsed: foi.ParsedAnswer, checks: list[Check], lenient: bool = False) -> FoiTables:
    """Build the tidy tables from a parsed answer and its checks.

    Rows come out in a fixed order (year, then names in natural order, sexes
    F, M, U, ages ascending with unknown and invalid ages last) so that the same
    answer always gives the same bytes.
    """
    failed = [c for c in checks if not c.ok]
    if failed and not lenient:
        raise InputErrors([AnswerError(parsed.source, c.describe(), c.line) for c in failed])

    victims: list[foi.VictimCount] = []
    offences: dict[tuple[int, str], int] = {}
    outcomes: dict[tuple[int, str, str], int] = {}
    for table in parsed.tables:
        if table.kind == "victims":
            victims.extend(foi.victims_of(table))
        elif table.kind == "offences":
            for year, label, n in foi.items_of(table):
                _add_once(offences, (year, label), n, parsed.source, table)
        else:
            for year, label, n in foi.items_of(table):
                code, text = foi.split_outcome(label)
                _add_once(outcomes, (year, code, text), n, parsed.source, table)

    def sex_order(sex: str) -> int:
        return model.SEXES.index(sex)

    victims.sort(
        key=lambda v: (
            v.year,
            _natural_key(v.area),
            sex_order(v.sex),
            v.age is None,
            v.age or 0,
            v.age_note,
        )
    )
    return FoiTables(
        source=parsed.source,
        victims=victims,
        offences=[
            foi.OffenceCount(y, o, n)
            for (y, o), n in sorted(
                offences.items(), key=lambda kv: (kv[0][0], _natural_key(kv[0][1]))
            )
        ],
        outcomes=[
            foi.OutcomeCount(y, c, o, n)
            for (y, c, o), n in sorted(
                outcomes.items(),
                key=lambda kv: (
                    kv[0][0],
                    kv[0][1] == "",
                    _natural_key(kv[0][1]),
                    _natural_key(kv[0][2]),
                ),
            )
        ],
        totals=sorted(foi.stated_totals(parsed), key=lambda t: (t.year, t.measure)),
        checks=checks,
        parsed=parsed,
        warnings=[c.describe() for c in failed],
    )


def _add_once(into: dict, key: tuple, n: int, source: str, table: foi.Table) -> None:
    if key in into:
        raise AnswerError(
            source,
            f"{table.kind} for {key[0]} are given in more than one table "
            f"({key[1:]!r} again in the table at line {table.line})",
            table.line,
        )
    into[key] = n


MAX_ANSWER_BYTES = 20_000_000
"""An FOI answer runs to kilobytes; anything this large is not one."""


def read_answer(path: str | Path) -> foi.ParsedAnswer:
    """Read and parse an FOI answer file, refusing one too large to be an answer."""
    source = str(path)
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    if size > MAX_ANSWER_BYTES:
        raise AnswerError(
            source,
            f"is {size / 1e6:.0f} MB: an FOI answer is far smaller (the "
            f"limit is {MAX_ANSWER_BYTES // 1_000_000} MB)",
        )
    return foi.parse_answer(read_text(path, AnswerError), source)


def load_foi(path: str | Path, lenient: bool = False) -> FoiTables:
    """Read, parse and reconcile an FOI answer file into tidy tables."""
    parsed = read_answer(path)
    return tidy(parsed, reconcile(parsed), lenient=lenient)


def table_csv(tables: FoiTables, name: str) -> str:
    """One tidy table as CSV text (UTF-8, LF, empty for missing)."""
    return csv_text(COLUMNS[name], getattr(tables, name))


def write_tables(tables: FoiTables, out_dir: str | Path) -> list[Path]:
    """Write the four tidy tables as CSV files into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise AnswerError("--out", f"{out_dir} is a file, not a folder")
    texts = {name: table_csv(tables, name) for name in COLUMNS}  # render all before writing any
    source = Path(tables.source).resolve()
    for name in texts:
        if (out_dir / f"{name}.csv").resolve() == source:
            raise AnswerError(
                "--out",
                f"would write {name}.csv over the answer being parsed "
                f"({tables.source}); choose another folder",
            )
    paths = []
    for name, text in texts.items():
        path = out_dir / f"{name}.csv"
        write_text_atomic(path, text)
        paths.append(path)
    return paths
