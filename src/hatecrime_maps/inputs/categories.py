"""Offence groups and outcome types: what the FOI's codes and titles mean.

Two hand-edited data files hold the meanings, one fact a row:

- ``data/reference/offence_groups.csv``: each offence title as the police
  write it → its offence group (violence against the person, sexual offences,
  modern slavery and exploitation, …).
- ``data/reference/outcome_types.csv``: each outcome code → its Home Office
  outcome type, a group (charged or summonsed, evidential difficulties, …)
  and a plain-English meaning; the empty code is ``(blank)``, no outcome yet.

A title or code with no row is an error naming it: a chart must never
quietly lose a crime.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hatecrime_maps.errors import ReferenceDataError
from hatecrime_maps.io.files import read_csv_rows

OFFENCE_GROUPS_FILE = "offence_groups.csv"
OUTCOME_TYPES_FILE = "outcome_types.csv"

OFFENCE_GROUP_ORDER = (
    "Modern slavery and exploitation",
    "Violence against the person",
    "Sexual offences",
    "Criminal damage and arson",
    "Robbery",
    "Theft",
    "Public order offences",
    "Possession of weapons",
    "Other offences",
)
"""Order of offence groups in charts and tables."""

OUTCOME_GROUP_ORDER = (
    "Charged or summonsed",
    "Evidential difficulties",
    "Investigation complete: no suspect",
    "Another body",
    "Not yet recorded",
)


@dataclass(frozen=True)
class OutcomeType:
    """What an outcome code means: its Home Office type, group and plain words."""

    code: str
    outcome_type: str
    group: str
    meaning: str


def load_offence_groups(path: Path) -> dict[str, str]:
    """Offence title (case-folded) → group."""
    groups: dict[str, str] = {}
    for line, row in read_csv_rows(path, ("offence", "group"), ReferenceDataError):
        if row["group"] not in OFFENCE_GROUP_ORDER:
            raise ReferenceDataError(
                str(path),
                f"group {row['group']!r} is not one of {', '.join(OFFENCE_GROUP_ORDER)}",
                line,
            )
        key = row["offence"].casefold()
        if key in groups:
            raise ReferenceDataError(str(path), f"offence {row['offence']!r} is listed twice", line)
        groups[key] = row["group"]
    return groups


def load_outcome_types(path: Path) -> dict[str, OutcomeType]:
    """Outcome code (upper case; empty for ``(blank)``) → its type and meaning."""
    types: dict[str, OutcomeType] = {}
    for line, row in read_csv_rows(
        path, ("outcome_code", "outcome_type", "group", "meaning"), ReferenceDataError
    ):
        if row["group"] not in OUTCOME_GROUP_ORDER:
            raise ReferenceDataError(
                str(path),
                f"group {row['group']!r} is not one of {', '.join(OUTCOME_GROUP_ORDER)}",
                line,
            )
        key = row["outcome_code"].upper()
        if key in types:
            raise ReferenceDataError(
                str(path), f"outcome code {row['outcome_code']!r} is listed twice", line
            )
        types[key] = OutcomeType(
            row["outcome_code"], row["outcome_type"], row["group"], row["meaning"]
        )
    return types


@dataclass(frozen=True)
class Groupings:
    """The offence groups and outcome types of a groupings folder, read once."""

    offence_groups: dict[str, str]
    outcome_types: dict[str, OutcomeType]


def load_groupings(folder: Path) -> Groupings:
    """Read both files of a groupings folder (``data/reference/`` by default)."""
    folder = Path(folder)
    return Groupings(
        load_offence_groups(folder / OFFENCE_GROUPS_FILE),
        load_outcome_types(folder / OUTCOME_TYPES_FILE),
    )


def group_offences(offences: list, groups: dict[str, str], source: str) -> list[dict]:
    """Each offence row with its group; an offence title with no group is an error."""
    missing = sorted({o.offence for o in offences if o.offence.casefold() not in groups})
    if missing:
        raise ReferenceDataError(
            source,
            f"no offence group for {missing[0]!r}"
            + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
            + ": add it to offence_groups.csv",
        )
    return [
        {
            "year": o.year,
            "offence": o.offence,
            "group": groups[o.offence.casefold()],
            "count": o.count,
        }
        for o in offences
    ]


def type_outcomes(outcomes: list, types: dict[str, OutcomeType], source: str) -> list[dict]:
    """Each outcome row with its type and meaning; an unknown code is an error."""
    missing = sorted(
        {o.outcome_code or "(blank)" for o in outcomes if o.outcome_code.upper() not in types}
    )
    if missing:
        raise ReferenceDataError(
            source, f"no outcome type for code {missing[0]!r}: add it to outcome_types.csv"
        )
    return [
        {
            "year": o.year,
            "outcome_code": o.outcome_code,
            "outcome": o.outcome,
            "group": types[o.outcome_code.upper()].group,
            "meaning": types[o.outcome_code.upper()].meaning,
            "count": o.count,
        }
        for o in outcomes
    ]


AGE_BANDS = ("under 18", "18 to 34", "35 to 54", "55 and over", "unknown")


def age_band(age: int | None) -> str:
    """Broad age band of a victim (``unknown`` for missing or invalid ages)."""
    if age is None:
        return "unknown"
    if age < 18:
        return "under 18"
    if age < 35:
        return "18 to 34"
    if age < 55:
        return "35 to 54"
    return "55 and over"
