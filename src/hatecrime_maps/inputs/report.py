"""Plain-text reports for the terminal."""

from __future__ import annotations

from hatecrime_maps.inputs.foi import ParsedAnswer
from hatecrime_maps.inputs.reconcile import Check


def validation_report(parsed: ParsedAnswer, checks: list[Check]) -> str:
    """Per year: the tables found, rows read, and how many totals matched."""
    lines = [f"{parsed.source}"]
    years = sorted({y for t in parsed.tables for y in t.years} | {s.year for s in parsed.stated})
    for year in years:
        lines.append(f"  {year}:")
        for s in parsed.stated:
            if s.year == year:
                period = f" ({s.start:%d %b %Y} to {s.end:%d %b %Y})" if s.start and s.end else ""
                lines.append(f"    text states {s.count} crimes{period} (line {s.line})")
        for table in parsed.tables:
            if year in table.years:
                ages = sum(r.kind == "age" for r in table.rows)
                rows = len(table.rows) - ages
                what = f"{rows} rows" + (f" and {ages} age rows" if ages else "")
                lines.append(f"    {table.kind} table at line {table.line}: {what}")
        year_checks = [c for c in checks if c.year == year]
        matched = sum(c.ok for c in year_checks)
        lines.append(f"    totals matched: {matched} of {len(year_checks)}")
    failed = sum(not c.ok for c in checks)
    lines.append("all totals match" if not failed else f"{failed} totals do not match")
    return "\n".join(lines)
