"""Check that an FOI answer's figures add up, and say exactly where they do not.

Every figure the project shows must be reconciled. For each table this module
checks that:

- each row's ``Total`` cell (where filled in) equals the sum of its counts;
- in a victims table, the age rows under an area add up to the area row, sex by sex;
- the area (or offence, outcome) rows add up to the table's ``Total`` row;
- the offences and outcomes totals equal the number of crimes the text states.

Each check is kept, passed or not, so a report can show what was matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from hatecrime_maps.inputs.foi import ParsedAnswer, Row, Table


@dataclass(frozen=True)
class Check:
    """One reconciliation: a figure the answer states against the sum it should be."""

    year: int
    table: str
    line: int
    what: str
    expected: int
    found: int

    @property
    def ok(self) -> bool:
        """Whether the figures agree."""
        return self.expected == self.found

    def describe(self) -> str:
        """The check in words, with both figures."""
        return (
            f"{self.year} {self.table} table, line {self.line}: {self.what}: "
            f"expected {self.expected}, found {self.found}"
        )


def _sum(rows: list[Row], index: int) -> int:
    return sum(r.values.get(index) or 0 for r in rows)


def _row_total_checks(table: Table, row: Row) -> list[Check]:
    total_col = table.total_column()
    if total_col is None or row.values.get(total_col.index) is None:
        return []  # an empty Total cell states nothing
    found = sum(row.values.get(c.index) or 0 for c in table.count_columns())
    stated = row.values[total_col.index] or 0  # not None: checked above
    return [
        Check(
            table.years[0],
            table.kind,
            row.line,
            f"{row.label!r}: row Total against the sum of its cells",
            stated,
            found,
        )
    ]


def _victims_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    areas = [r for r in table.rows if r.kind == "area"]
    groups: dict[int, list[Row]] = {r.line: [] for r in areas}
    current: int | None = None
    for row in table.rows:
        if row.kind == "area":
            current = row.line
        elif current is not None:
            groups[current].append(row)
    for area in areas:
        ages = groups[area.line]
        if ages:
            for col in table.count_columns():
                checks.append(
                    Check(
                        col.counted_year,
                        "victims",
                        area.line,
                        f"{area.label!r}, sex {col.sex}: area row against the sum of its age rows",
                        area.values.get(col.index) or 0,
                        _sum(ages, col.index),
                    )
                )
    if table.total is not None:
        for col in table.count_columns():
            stated = table.total.values.get(col.index)
            if stated is not None:
                checks.append(
                    Check(
                        col.counted_year,
                        "victims",
                        table.total.line,
                        f"Total row, sex {col.sex}: against the sum of area rows",
                        stated,
                        _sum(areas, col.index),
                    )
                )
    return checks


def _items_checks(table: Table) -> list[Check]:
    checks: list[Check] = []
    if table.total is not None:
        for col in table.count_columns():
            stated = table.total.values.get(col.index)
            if stated is not None:
                checks.append(
                    Check(
                        col.counted_year,
                        table.kind,
                        table.total.line,
                        f"Total row, {col.year}: against the sum of {table.kind} rows",
                        stated,
                        _sum(table.rows, col.index),
                    )
                )
    return checks


def reconcile(parsed: ParsedAnswer) -> list[Check]:
    """Run every check on a parsed answer; return them all, in reading order."""
    checks: list[Check] = []
    stated = {s.year: s for s in parsed.stated}
    for table in parsed.tables:
        for row in [*table.rows, *([table.total] if table.total else [])]:
            checks.extend(_row_total_checks(table, row))
        if table.kind == "victims":
            checks.extend(_victims_checks(table))
        else:
            checks.extend(_items_checks(table))
            if table.total is not None:
                for col in table.count_columns():
                    said = stated.get(col.counted_year)
                    total = table.total.values.get(col.index)
                    if said is not None and total is not None:
                        checks.append(
                            Check(
                                col.counted_year,
                                table.kind,
                                table.total.line,
                                f"Total row against the {said.count} crimes the "
                                f"text states at line {said.line}",
                                said.count,
                                total,
                            )
                        )
    return checks
