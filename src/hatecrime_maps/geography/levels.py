"""Area levels, the policing structures their names belong to, and finding an input's level.

The tool draws four levels of West Midlands geography, all built from the
December-2019 wards by ``boundaries build``:

- ``sector``: the 25 policing areas of the 2017 to March 2023 structure;
- ``npu``: the 8 Neighbourhood Policing Units of that structure;
- ``borough``: the 7 metropolitan boroughs (since April 2023 also the
  police's Local Policing Areas);
- ``ward``: the 192 wards, by name or ONS ``E05`` code.

A name means something only within a structure and its dates: "Birmingham
East" is an NPU from 2017 to March 2023 and a third of the city in the 2025
structure, which the tool has no boundaries for. ``boundaries/structures.csv``
lists the structures, ``boundaries/area_aliases.csv`` other spellings (each
for one level and structure), and ``boundaries/structure_names.csv`` names of
structures without boundaries, so that they are refused by name rather than
matched to a look-alike.

:func:`resolve` finds the one level all of an input's names belong to, checks
the period against that structure's dates, and maps every name to an area.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from hatecrime_maps.errors import (
    QUOTED_LIMIT,
    AreaError,
    BoundaryError,
    InputErrors,
    OptionError,
    quoted,
)
from hatecrime_maps.io.files import clean_cell, read_csv_rows

STRUCTURES_FILE = "structures.csv"
ALIASES_FILE = "area_aliases.csv"
STRUCTURE_NAMES_FILE = "structure_names.csv"
POPULATION_NOTES_FILE = "population_notes.csv"
"""Areas whose residents are a poor denominator for a rate (city centres), with why."""


LEVELS_FILE = "levels.csv"
"""The levels a boundaries folder has, one a row: see :func:`load_levels`."""
FIELDS_FILE = "fields.csv"
"""What each attribute of the layers means, for the downloads' data dictionary."""
LEVEL_COLUMNS = (
    "level",
    "label",
    "plural",
    "layer",
    "id_field",
    "name_field",
    "structure",
    "parent",
    "rollups",
    "export_name",
    "export_fields",
    "match_codes",
    "code_pattern",
    "header_words",
    "boundaries_built",
    "extent",
)


@dataclass(frozen=True, kw_only=True)
class Level:
    """One level of geography a boundaries folder has: a row of its ``levels.csv``.

    ``layer`` is the committed layer in the folder (and its ``web/``); ``id_key``
    and ``name_key`` its id and name attributes, which every unit table renames
    to ``area_id`` and ``area``; ``parent`` the level whose units are drawn as
    the map's second layer (each unit nests in one); ``rollups`` the coarser
    levels it nests in, with the unit-table column naming the unit it belongs to.
    ``header_words`` are what a counts table's area column may be headed to say
    it holds this level ("ward", "lpa"); ``built`` says the boundaries were
    built by this project (from wards) rather than published, so they are
    approximate and the pages say so.
    """

    key: str
    label: str
    plural: str
    layer: str
    id_key: str
    name_key: str
    structure: str
    parent: str | None
    parent_name_key: str | None
    """The parent level's name attribute: the column naming each unit's parent."""
    rollups: dict[str, str]
    export_name: str
    """Name of this level's layer in the downloads."""
    export_keys: tuple[str, ...]
    """Attributes written beside its figures, by their names in its layer."""
    by_code: bool
    """Whether an input may name a unit by its code (``id_key``) as well as its name."""
    code_pattern: str
    """What every code of the level looks like (a regular expression)."""
    header_words: tuple[str, ...]
    built: bool
    extent: str | None = None
    """The unit-table column that bounds a map of this level: a map of some councils is
    drawn on the forces they are in (``force``); None draws every unit of the folder."""
    local_name_key: str | None = None
    """An attribute holding each unit's name as written locally, which may repeat across
    the folder (a ward's "Abbey"): it names one unit only within a unit of a level
    this one rolls up into (a council, a force). None: names never repeat."""
    header_only: bool = False
    """Whether the level is chosen only where the area column's header (or ``--level``)
    names it, when the names fit another level too: most community safety partnerships
    are a council of the same name and shape, and a table of those names is of councils."""

    def native_names(self) -> dict[str, str]:
        """Unit-table column names to this level's own (``area`` → ``ward_name``)."""
        names = {"area_id": self.id_key, "area": self.name_key}
        if self.parent_name_key:
            names["parent"] = self.parent_name_key
        return names

    @property
    def title(self) -> str:
        """The label with a capital, for headings: "NPU", "Ward"."""
        return self.label[0].upper() + self.label[1:]


def _yes_no(cell: str, what: str, path: Path, line: int) -> bool:
    if cell not in ("yes", "no"):
        raise BoundaryError(str(path), f"{what} must be yes or no, not {cell!r}", line)
    return cell == "yes"


def load_levels(path: Path) -> dict[str, Level]:
    """The levels of a ``levels.csv``, finest first among those an input is tried at.

    Each row names a level and its layer, the attributes that identify its
    units, its structure, the level above it and those it rolls up to
    (``npu=parent borough=borough``: the target level, then the unit-table
    column naming the unit), what its downloads are called and hold, whether
    inputs may use its codes (and what they look like), the header words of a
    counts table's area column that name it, and whether its boundaries were
    built by this project. Row order is the order levels are tried in.
    """
    rows = read_csv_rows(path, LEVEL_COLUMNS, BoundaryError)
    found: dict[str, tuple[int, dict[str, str]]] = {}
    for line, row in rows:
        key = row["level"]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise BoundaryError(str(path), f"level {key!r} is not a lower-case word", line)
        if key in found:
            raise BoundaryError(str(path), f"level {key!r} is listed twice", line)
        for column in ("label", "plural", "layer", "id_field", "name_field", "structure"):
            if not row[column]:
                raise BoundaryError(str(path), f"level {key!r} has no {column}", line)
        try:
            re.compile(row["code_pattern"])
        except re.error as exc:
            raise BoundaryError(str(path), f"code_pattern is not a pattern ({exc})", line) from None
        found[key] = (line, row)
    if not found:
        raise BoundaryError(str(path), "lists no level")
    levels: dict[str, Level] = {}
    for key, (line, row) in found.items():
        parent = row["parent"] or None
        if parent is not None and parent not in found:
            raise BoundaryError(str(path), f"parent {parent!r} is not a level of this file", line)
        rollups = {}
        for pair in row["rollups"].split():
            target, _, column = pair.partition("=")
            if target not in found or not column:
                raise BoundaryError(
                    str(path),
                    f"rollup {pair!r} is not LEVEL=COLUMN with a level of this file",
                    line,
                )
            rollups[target] = column
        levels[key] = Level(
            key=key,
            label=row["label"],
            plural=row["plural"],
            layer=row["layer"],
            id_key=row["id_field"],
            name_key=row["name_field"],
            structure=row["structure"],
            parent=parent,
            parent_name_key=found[parent][1]["name_field"] if parent else None,
            rollups=rollups,
            export_name=row["export_name"] or row["layer"],
            export_keys=tuple(row["export_fields"].split()) or (row["id_field"], row["name_field"]),
            by_code=_yes_no(row["match_codes"], "match_codes", path, line),
            code_pattern=row["code_pattern"] or ".+",
            header_words=tuple(w.strip() for w in row["header_words"].split(";") if w.strip()),
            built=_yes_no(row["boundaries_built"], "boundaries_built", path, line),
            extent=row["extent"] or None,
            local_name_key=row.get("local_name_field") or None,
            header_only=_yes_no(row.get("header_only") or "no", "header_only", path, line),
        )
    return levels


def load_field_docs(path: Path) -> dict[str, str]:
    """What each layer attribute means (``fields.csv``: ``field, meaning``); optional."""
    if not path.exists():
        return {}
    docs: dict[str, str] = {}
    for line, row in read_csv_rows(path, ("field", "meaning"), BoundaryError):
        if row["field"] in docs:
            raise BoundaryError(str(path), f"field {row['field']!r} is listed twice", line)
        docs[row["field"]] = row["meaning"]
    return docs


@dataclass(frozen=True)
class Structure:
    """A set of area names valid for a span of dates; ``start``/``end`` None means open."""

    key: str
    name: str
    level: str | None
    start: date | None
    end: date | None
    has_boundaries: bool

    def covers(self, start: date, end: date) -> bool:
        """Whether the structure is valid for the whole of ``start`` to ``end``."""
        return (self.start is None or self.start <= start) and (self.end is None or end <= self.end)

    @property
    def dates(self) -> str:
        """The dates the structure is valid for, in words."""
        if self.start is None:
            return "with no date limits" if self.end is None else f"until {_day(self.end)}"
        if self.end is None:
            return f"from {_day(self.start)}"
        return f"from {_day(self.start)} to {_day(self.end)}"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


@functools.lru_cache(maxsize=65_536)  # every name is looked up at each level, often twice
def normalise_name(name: str) -> str:
    """Fold case, spacing, markup, punctuation and ``&``/``and`` away."""
    text = clean_cell(name).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------
# Reading the catalogue of levels, structures and names


UNIT_COLUMNS = ("area_id", "area", "parent")
"""The columns every unit table names the same way, whatever its layer calls them."""


def unit_table(attributes: pd.DataFrame, level: Level, levels: Mapping[str, Level]) -> pd.DataFrame:
    """A layer's attributes as a unit table: ``area_id``, ``area``, ``parent`` and the rest.

    Every level gets a ``confidence`` (wards and boroughs are ``exact``) and a
    ``name_status`` (official names are ``reported``). An attribute naming the unit
    of another level under one of the table's own column names (a ward layer's
    ``area``, its policing area) is called by that level's key instead (``sector``).
    """
    renames = {
        other.name_key: other.key
        for other in levels.values()
        if other.key != level.key and other.name_key in UNIT_COLUMNS
    }
    renames |= {level.id_key: "area_id", level.name_key: "area"}
    if level.parent_name_key:
        renames[level.parent_name_key] = "parent"
    frame = attributes.rename(columns=renames)
    if "confidence" not in frame:
        frame["confidence"] = "exact"
    if "name_status" not in frame:
        frame["name_status"] = "reported"
    front = ["area_id", "area", *(["parent"] if level.parent else [])]
    return frame[front + [c for c in frame.columns if c not in front]]


@dataclass(frozen=True)
class Alias:
    """Another name for an area, valid within one structure (``area_aliases.csv``)."""

    alias: str
    area: str
    level: str
    structure: str
    line: int


@dataclass(frozen=True)
class Catalogue:
    """Everything names are resolved against: levels' units, structures, aliases."""

    levels: dict[str, Level]
    """Every level of the folder, in the order an input's names are tried at."""
    units: dict[str, pd.DataFrame]
    structures: dict[str, Structure]
    aliases: list[Alias]
    unbuilt: dict[str, list[tuple[str, Structure]]] = field(default_factory=dict)
    """Normalised name -> (name, structure) for structures the tool has no boundaries for."""
    population_notes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(level, area) -> why a rate per resident misleads there (``population_notes.csv``)."""
    field_docs: dict[str, str] = field(default_factory=dict)
    """What each layer attribute means (``fields.csv``), for the data dictionary."""

    def header_levels(self) -> dict[str, str]:
        """Counts-table area headers that name a level ("ward", "ward code", "lpa"), to its key."""
        return header_levels(self.levels)


def header_levels(levels: Mapping[str, Level]) -> dict[str, str]:
    """Counts-table area headers that name one of ``levels``, to its key.

    Each level's header words, alone and as ``… name`` and ``… code``; the first
    level listed wins a word two share.
    """
    headers: dict[str, str] = {}
    for level in levels.values():
        for word in level.header_words:
            for header in (word, f"{word} name", f"{word} code"):
                headers.setdefault(header, level.key)
    return headers


def _date(cell: str, path: Path, line: int) -> date | None:
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise BoundaryError(str(path), f"date {cell!r} is not YYYY-MM-DD", line) from None


def load_structures(path: Path, levels: Mapping[str, Level]) -> dict[str, Structure]:
    """The structures of ``structures.csv`` by key, checked against the levels."""
    structures = {}
    for line, row in read_csv_rows(
        path, ("structure", "name", "level", "start", "end", "boundaries"), BoundaryError
    ):
        key = row["structure"]
        if key in structures:
            raise BoundaryError(str(path), f"structure {key!r} is listed twice", line)
        if row["level"] and row["level"] not in levels:
            raise BoundaryError(
                str(path), f"level {row['level']!r} is not one of {', '.join(levels)}", line
            )
        if row["boundaries"] not in ("yes", "no"):
            raise BoundaryError(str(path), "boundaries must be yes or no", line)
        has = row["boundaries"] == "yes"
        if has and not row["level"]:
            raise BoundaryError(str(path), "a structure with boundaries needs a level", line)
        s = Structure(
            key,
            row["name"],
            row["level"] or None,
            _date(row["start"], path, line),
            _date(row["end"], path, line),
            has,
        )
        if s.start and s.end and s.end < s.start:
            raise BoundaryError(str(path), f"structure {key!r} ends before it starts", line)
        structures[key] = s
    for level in levels.values():
        if level.structure not in structures:
            raise BoundaryError(
                str(path), f"has no row for structure {level.structure!r} (the {level.plural})"
            )
    return structures


def load_catalogue(
    boundaries_dir: Path,
    web_attributes: Callable[[str], pd.DataFrame],
    levels: dict[str, Level] | None = None,
) -> Catalogue:
    """Read every level's units and the structures, aliases and unbuilt names.

    ``web_attributes`` gives a web layer's attributes by layer name; ``levels``
    are the folder's, when already read. Use
    :attr:`Boundaries.catalogue <hatecrime_maps.geography.boundaries.Boundaries.catalogue>`,
    which reads each file once.
    """
    if levels is None:
        levels = load_levels(boundaries_dir / LEVELS_FILE)
    units = {
        key: unit_table(web_attributes(level.layer), level, levels) for key, level in levels.items()
    }
    for key, table in units.items():
        level = levels[key]
        wrong = [c for c in table["area_id"] if not re.fullmatch(level.code_pattern, str(c))]
        if wrong:
            raise BoundaryError(
                str(boundaries_dir / "web" / f"{level.layer}.geojson"),
                f"{level.id_key} {wrong[0]!r} is not a {level.label} code "
                f"(code_pattern {level.code_pattern!r} in {LEVELS_FILE})",
            )
    for key, table in units.items():
        twice = table["area"].map(normalise_name).duplicated(keep=False)
        if twice.any():
            raise BoundaryError(
                str(boundaries_dir / "web" / f"{levels[key].layer}.geojson"),
                f"two {levels[key].plural} share the name {table.loc[twice, 'area'].iloc[0]!r}",
            )
    structures = load_structures(boundaries_dir / STRUCTURES_FILE, levels)
    aliases_path = boundaries_dir / ALIASES_FILE
    aliases = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_csv_rows(
        aliases_path, ("alias", "area", "level", "structure"), BoundaryError
    ):
        if not all(row[c] for c in ("alias", "area", "level", "structure")):
            raise BoundaryError(
                str(aliases_path), "every alias needs an area, a level and a structure", line
            )
        structure = structures.get(row["structure"])
        if structure is None:
            raise BoundaryError(
                str(aliases_path),
                f"structure {row['structure']!r} is not in {STRUCTURES_FILE}",
                line,
            )
        if row["level"] not in levels or structure.level != row["level"]:
            raise BoundaryError(
                str(aliases_path),
                f"level {row['level']!r} is not the level of "
                f"structure {structure.key!r} ({structure.level})",
                line,
            )
        if row["area"] not in set(units[row["level"]]["area"]):
            raise BoundaryError(
                str(aliases_path),
                f"alias {row['alias']!r} points to unknown "
                f"{levels[row['level']].label} {row['area']!r}",
                line,
            )
        alias_key = (normalise_name(row["alias"]), row["level"])
        if alias_key in seen:
            raise BoundaryError(
                str(aliases_path), f"alias {row['alias']!r} is also on line {seen[alias_key]}", line
            )
        seen[alias_key] = line
        aliases.append(Alias(row["alias"], row["area"], row["level"], row["structure"], line))
    names_path = boundaries_dir / STRUCTURE_NAMES_FILE
    unbuilt: dict[str, list[tuple[str, Structure]]] = {}
    for line, row in read_csv_rows(names_path, ("name", "structure"), BoundaryError):
        structure = structures.get(row["structure"])
        if structure is None:
            raise BoundaryError(
                str(names_path), f"structure {row['structure']!r} is not in {STRUCTURES_FILE}", line
            )
        unbuilt.setdefault(normalise_name(row["name"]), []).append((row["name"], structure))
    notes = _population_notes(boundaries_dir / POPULATION_NOTES_FILE, units)
    return Catalogue(
        levels,
        units,
        structures,
        aliases,
        unbuilt,
        notes,
        load_field_docs(boundaries_dir / FIELDS_FILE),
    )


def _population_notes(path: Path, units: dict[str, pd.DataFrame]) -> dict[tuple[str, str], str]:
    """The notes of ``population_notes.csv`` (optional), each naming an area these hold.

    A note for an area that is not one is refused by line, so a misspelt name
    cannot silently lose its note.
    """
    if not path.exists():
        return {}
    notes = {}
    for line, row in read_csv_rows(path, ("level", "area", "note"), BoundaryError):
        if row["level"] not in units or row["area"] not in set(units[row["level"]]["area"]):
            raise BoundaryError(
                str(path), f"{row['area']!r} is not one of the {row['level']} areas", line
            )
        notes[(row["level"], row["area"])] = row["note"]
    return notes


# --------------------------------------------------------------------------
# Finding the level of an input


@dataclass(frozen=True)
class Resolution:
    """The level an input's names belong to and the area each name is.

    ``areas`` maps each input name to an area name of ``level``; ``warnings``
    are for the user to read (a structure used outside its dates).
    """

    level: Level
    structure: Structure
    areas: dict[str, str]
    warnings: tuple[str, ...] = ()
    merged: tuple[Merge, ...] = ()
    """The units abolished during the figures' years whose figures were summed into
    the unit they became part of (set once the counts are joined)."""


@dataclass(frozen=True)
class Merge:
    """Units abolished during a table's years, their figures summed into their successor.

    ``area`` is the unit in force on the figures' last day, from ``day``; ``parts``
    the units it replaced that the table's years saw; it holds their summed figures
    for ``years``, and has no data for the ``missing`` years, in which the table did
    not give every one of them.
    """

    area: str
    day: date | None
    parts: tuple[str, ...]
    years: tuple[int, ...]
    missing: tuple[int, ...] = ()

    def describe(self, level: Level, year_name: Callable[[int], str]) -> str:
        """What was summed, in words: "Allerdale, Carlisle and Copeland's figures for …"."""
        since = f" on {_day(self.day)}" if self.day else ""
        said = []
        if self.years:
            said.append(
                f"the figures of {_and(self.parts)} for "
                f"{_and([year_name(y) for y in self.years])} are summed into {self.area}, "
                f"the {level.label} they became part of{since}"
            )
        if self.missing:
            said.append(
                f"{self.area} has no data for {_and([year_name(y) for y in self.missing])}: "
                f"it was made of {_and(self.parts)} then, and the table does not give "
                f"{'both' if len(self.parts) == 2 else 'them all'}"
            )
        return "; ".join(said)


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def lookup(catalogue: Catalogue, level: Level) -> dict[str, tuple[str, Alias | None]]:
    """Normalised name (and code) -> (area name, the alias used or None)."""
    table = catalogue.units[level.key]
    found: dict[str, tuple[str, Alias | None]] = {}
    for area_id, area in zip(table["area_id"], table["area"], strict=True):
        found[normalise_name(area)] = (area, None)
        if level.by_code:
            found[normalise_name(area_id)] = (area, None)
    for alias in catalogue.aliases:
        if alias.level == level.key:
            found.setdefault(normalise_name(alias.alias), (alias.area, alias))
    return found


MAX_LISTED = 10
"""Unknown names reported one by one; the rest are counted, so a wrong table fails fast."""


def local_lookup(catalogue: Catalogue, level: Level) -> dict[str, list[str]]:
    """Normalised local name -> every area of ``level`` with it (empty: no local names)."""
    if level.local_name_key is None:
        return {}
    table = catalogue.units[level.key]
    found: dict[str, list[str]] = {}
    for local, area in zip(table[level.local_name_key], table["area"], strict=True):
        found.setdefault(normalise_name(str(local)), []).append(area)
    return found


def scope_areas(
    catalogue: Catalogue, level: Level, scope: str | None, *, required: bool
) -> tuple[str, set[str]] | None:
    """What ``scope`` names among the levels ``level`` rolls up into, and its areas of ``level``.

    ``scope`` is a council or force name (``--within``, or the force that answered).
    None where no scope is given, or where it names nothing and is not ``required``.
    """
    if scope is None:
        return None
    table = catalogue.units[level.key]
    for target, column in level.rollups.items():
        hit = lookup(catalogue, catalogue.levels[target]).get(normalise_name(scope))
        if hit is not None:
            return hit[0], set(table.loc[table[column] == hit[0], "area"])
    if required:
        targets = [catalogue.levels[t] for t in level.rollups]
        options = {
            k: f"{a} ({lv.label})" for lv in targets for k, (a, _) in lookup(catalogue, lv).items()
        }
        raise OptionError(
            "--within",
            f"{scope!r} is no {' or '.join(lv.label for lv in targets)} this tool holds "
            f"(nearest: {_nearest(scope, options)})",
        )
    return None


def _where(name: str, lines: Mapping[str, int | None]) -> str:
    line = lines.get(name)
    return quoted(name) + (f" (line {line})" if line else "")


def _known_names(catalogue: Catalogue) -> dict[str, str]:
    """Every normalised name and code of every level, with what it is, for suggestions."""
    options: dict[str, str] = {}
    for level in catalogue.levels.values():
        for key, (area, _) in lookup(catalogue, level).items():
            options.setdefault(key, f"{area} ({level.label})")
    return options


def _nearest(name: str, options: dict[str, str]) -> str:
    key = normalise_name(name)
    if len(key) > 4 * QUOTED_LIMIT:
        return "none close"  # no area is named anything so long
    near = difflib.get_close_matches(key, list(options), n=10, cutoff=0.5)
    names = list(dict.fromkeys(options[n] for n in near))[:4]
    return ", ".join(repr(n) for n in names) or "none close"


def held_geography(*catalogues: Catalogue) -> str:
    """What the boundaries hold, for a message about names they do not."""
    held = [s.name for c in catalogues for s in c.structures.values() if s.has_boundaries]
    return "This tool holds boundaries only for: " + "; ".join(held) + "."


def unknown_everywhere(
    names: Mapping[str, int | None], catalogues: list[Catalogue], source: str
) -> AreaError:
    """The error for names no geography knows: the nearest of all, and all that is held."""
    options: dict[str, str] = {}
    for catalogue in catalogues:
        for key, what in _known_names(catalogue).items():
            options.setdefault(key, what)
    first = next(iter(names))
    listed = ", ".join(_where(n, names) for n in list(names)[:3])
    return AreaError(
        source,
        f"{'none of the ' + str(len(names)) + ' names is' if len(names) > 1 else 'the name is not'}"
        f" an area this tool has boundaries for ({listed}{', …' if len(names) > 3 else ''}; "
        f"the nearest to the first: {_nearest(first, options)}): places of another structure "
        "(a police division, a neighbourhood) need its boundaries, and a table of groups or "
        f"categories cannot be mapped. {held_geography(*catalogues)}",
        names.get(first) if len(names) == 1 else None,
    )


def _unknown_errors(
    unknown: list[str],
    names: Mapping[str, int | None],
    catalogue: Catalogue,
    source: str,
    where: str,
) -> AreaError:
    """The unknown names in input order: the first :data:`MAX_LISTED` each with its nearest."""
    options = _known_names(catalogue)
    problems = [
        AreaError(
            source,
            f"area {quoted(name)} matches no area of {where} (nearest: "
            f"{_nearest(name, options)}); add it to boundaries/{ALIASES_FILE} if it "
            "is another name for one",
            names.get(name),
        )
        for name in unknown[:MAX_LISTED]
    ]
    if len(unknown) > MAX_LISTED:
        rest = unknown[MAX_LISTED:]
        problems.append(
            AreaError(
                source,
                f"and {len(rest):,} more names match no area of {where} "
                f"(from {_where(rest[0], names)} on)",
            )
        )
    return problems[0] if len(problems) == 1 else InputErrors(list(problems))  # type: ignore[return-value]


def resolve(
    names: Mapping[str, int | None],
    catalogue: Catalogue,
    source: str,
    *,
    span: tuple[date, date] | None = None,
    spans: Mapping[str, tuple[date, date]] | None = None,
    level: str | None = None,
    structure: str | None = None,
    within: str | None = None,
    force: str | None = None,
) -> Resolution:
    """Find the one level every name belongs to and map each name to an area of it.

    ``names`` maps each input name to the line it was read from (or None);
    ``span`` is the first and last day the figures cover, ``spans`` the same for
    each name's own figures (a unit abolished during a table of several years may
    hold the years it existed; default: ``span`` for every name). ``level`` forces a
    level; ``structure`` lets a structure be used outside its dates, with a
    warning. A level whose names repeat (wards) resolves a repeated name within
    ``within`` (a council or force; it must be one) or else ``force`` (the force
    that answered, where it is one). Raises :class:`InputError` for: a name
    that several units share in that scope (listing where each is), a name of a structure with no
    boundaries, names that fit no one level (listing which fit which), names
    that fit several levels equally, a period outside the structure's dates,
    and a name that matches nothing (with the nearest known names).
    """
    levels = catalogue.levels
    if level is not None and level not in levels:
        raise OptionError("--level", f"{level!r} is not one of {', '.join(levels)}")
    forced = catalogue.structures.get(structure) if structure else None
    if structure and forced is None:
        raise OptionError(
            "--structure",
            f"{structure!r} is not a known structure (known: {', '.join(catalogue.structures)})",
        )
    if forced is not None:
        if not forced.has_boundaries:
            raise OptionError(
                "--structure",
                f"{forced.name} ({forced.key}) has no boundaries "
                "in this tool, so it cannot be mapped",
            )
        if level is not None and level != forced.level:
            raise OptionError(
                "--structure", f"{forced.key} is a structure of {forced.level}s, not of {level}s"
            )
        level = forced.level
    lookups = {key: lookup(catalogue, lv) for key, lv in levels.items()}
    locals_ = {key: local_lookup(catalogue, lv) for key, lv in levels.items()}
    normal = {name: normalise_name(name) for name in names}
    fits = {
        name: [key for key in levels if key_ in lookups[key] or key_ in locals_[key]]
        for name, key_ in normal.items()
    }

    def unbuilt_error(name: str, s: Structure) -> AreaError:
        return AreaError(
            source,
            f"{quoted(name)} is a name of the {s.name} ({s.key}, "
            f"{s.dates}), which this tool has no boundaries for; it is not "
            f"matched to any area of another structure. {held_geography(catalogue)}",
            names.get(name),
        )

    if level is None:
        candidates = [key for key in levels if all(key in f for f in fits.values())]
        named = [key for key in candidates if not levels[key].header_only]
        candidates = named or candidates
    else:
        candidates = [level]
    # A name of a structure without boundaries is refused whenever that structure could
    # be the one meant: its own dates cover the period, or the name fits nothing else.
    for name in names:
        for _, s in catalogue.unbuilt.get(normal[name], []):
            fits_chosen = any(key in fits[name] for key in candidates)
            if forced is None and (not fits_chosen or (span is not None and s.covers(*span))):
                raise unbuilt_error(name, s)
    if not candidates or (level is not None and not all(level in f for f in fits.values())):
        unknown = [n for n, f in fits.items() if not f or (level is not None and level not in f)]
        if level is None and not unknown:
            groups: dict[str, list[str]] = {}
            for name, f in fits.items():
                groups.setdefault(" or ".join(levels[k].plural for k in f), []).append(name)
            listed = "; ".join(
                f"{', '.join(_where(n, names) for n in ns[:5])}"
                f"{' and others' if len(ns) > 5 else ''} fit {what}"
                for what, ns in groups.items()
            )
            raise AreaError(
                source,
                f"the area names are of more than one level: {listed}. "
                "All rows must be of one level (or give --level)",
            )
        if len(unknown) == len(names) > 1 and level is None:
            first = ", ".join(_where(n, names) for n in list(names)[:3])
            nearest = _nearest(next(iter(names)), _known_names(catalogue))
            raise AreaError(
                source,
                f"none of the {len(names)} names is an area this tool has boundaries "
                f"for ({first}, …; the nearest to the first: {nearest}): places of another "
                "structure need its boundaries, and a table of groups or categories cannot "
                f"be mapped. {held_geography(catalogue)}",
            )
        where = f"the {levels[level].plural}" if level else "any level"
        raise _unknown_errors(unknown, names, catalogue, source, where)
    if len(candidates) > 1 and span is not None:
        dated = [k for k in candidates if catalogue.structures[levels[k].structure].covers(*span)]
        candidates = dated or candidates
    if len(candidates) > 1:
        raise AreaError(
            source,
            "the area names fit more than one level ("
            f"{', '.join(levels[k].plural for k in candidates)}); give --level "
            f"{' or --level '.join(candidates)}",
        )
    chosen = levels[candidates[0]]
    used = forced or catalogue.structures[chosen.structure]
    areas: dict[str, str] = {}
    warnings: list[str] = []

    def check_dates(s: Structure, what: str, line: int | None) -> None:
        if span is None or s.covers(*span):
            return
        message = (
            f"{what} {'is a name' if line else 'are names'} of the {s.name} ({s.key}, "
            f"{s.dates}), but the figures cover {_day(span[0])} to {_day(span[1])}"
        )
        if forced is None:
            raise AreaError(
                source, message + f"; give --structure {s.key} to map them on it anyway", line
            )
        warnings.append(message + "; mapped anyway, as --structure asks")

    check_dates(used, f"the {chosen.plural}", None)
    scope = scope_areas(catalogue, chosen, within or force, required=within is not None)
    units = catalogue.units[chosen.key]
    for name in names:
        key = normal[name]
        if key not in lookups[chosen.key]:
            found = locals_[chosen.key][key]
            areas[name] = _local_area(
                name,
                found=found,
                scope=scope,
                units=units,
                level=chosen,
                source=source,
                line=names.get(name),
            )
            continue
        area, alias = lookups[chosen.key][key]
        areas[name] = area
        if alias is not None:  # an alias holds only within its own structure's dates
            check_dates(catalogue.structures[alias.structure], repr(name), names.get(name))
    _check_unit_dates(
        areas,
        names,
        catalogue.units[chosen.key],
        chosen,
        spans=spans or {},
        span=span,
        source=source,
    )
    return Resolution(chosen, used, areas, tuple(warnings))


def _local_area(
    name: str,
    *,
    found: list[str],
    scope: tuple[str, set[str]] | None,
    units: pd.DataFrame,
    level: Level,
    source: str,
    line: int | None,
) -> str:
    """The one area a locally written name is in its scope, else the error saying where."""
    shown = [a for a in found if scope is None or a in scope[1]]
    if len(shown) == 1:
        return shown[0]
    parents = dict(zip(units["area"], units["parent"], strict=True))
    councils = sorted({str(parents[a]) for a in (shown or found)})
    # Council names hold commas ("Herefordshire, County of"), so the list is split by semicolons.
    more = f"; and {len(councils) - 8} more" if len(councils) > 8 else ""
    where = "; ".join(councils[:8]) + more
    if not shown:
        assert scope is not None
        raise AreaError(
            source,
            f"{quoted(name)} is no {level.label} of {scope[0]} (there are "
            f"{level.plural} of that name in {where})",
            line,
        )
    raise AreaError(
        source,
        f"{quoted(name)} is the name of {len(shown)} {level.plural}"
        f"{' in ' + scope[0] if scope else ''} (in {where}): give the council with "
        "--within COUNCIL, the force that answered (--force or metadata.json), or the "
        f"{level.label} codes",
        line,
    )


def _check_unit_dates(
    areas: Mapping[str, str],
    names: Mapping[str, int | None],
    units: pd.DataFrame,
    level: Level,
    *,
    spans: Mapping[str, tuple[date, date]],
    span: tuple[date, date] | None,
    source: str,
) -> None:
    """A unit that did not exist for all of the period of its figures cannot hold them.

    Units carry the day they came into force in ``valid_from`` (blank: older than
    the geography says) and, where they were abolished, their last day in
    ``valid_to``; a unit that did not exist for all of the period of its figures
    (``spans``, else ``span``) is refused, naming the day, rather than drawn with
    boundaries it did not have then.
    """
    if "valid_from" not in units:
        return
    starts = dict(zip(units["area"], units["valid_from"], strict=True))
    ends = dict(
        zip(units["area"], units.get("valid_to", pd.Series("", index=units.index)), strict=True)
    )
    ids = dict(zip(units["area"], units["area_id"].astype(str), strict=True))
    successors = (
        dict(zip(units["area"], units["successor_code"].astype(str), strict=True))
        if "successor_code" in units
        else {}
    )
    for name, area in areas.items():
        own = spans.get(name, span)
        if own is None:
            continue
        figures = "the figures" if own == span else "its figures"
        end = str(ends.get(area) or "")
        if end and date.fromisoformat(end) < own[1]:
            raise AreaError(
                source,
                f"{quoted(name)} is a {level.label} until {_day(date.fromisoformat(end))}, "
                f"but {figures} cover {_day(own[0])} to {_day(own[1])}: it did not "
                f"exist for all of that period; figures from after it are of the "
                f"{level.plural} that followed it",
                names.get(name),
            )
        start = str(starts.get(area) or "")
        if start and date.fromisoformat(start) > own[0]:
            replaced = sorted(a for a, code in successors.items() if code and code == ids.get(area))
            if replaced:
                raise AreaError(
                    source,
                    f"{quoted(name)} is a {level.label} from "
                    f"{_day(date.fromisoformat(start))}, but {figures} cover {_day(own[0])} "
                    f"to {_day(own[1])}: it did not exist for all of that period; figures "
                    f"from before it are of the {level.plural} it replaced "
                    f"({_and(replaced)}): give those figures under their names",
                    names.get(name),
                )
            raise AreaError(
                source,
                f"{quoted(name)} is a {level.label} from {_day(date.fromisoformat(start))}, "
                f"but {figures} cover {_day(own[0])} to {_day(own[1])}: it did not "
                f"exist for all of that period, and the {level.plural} before it are not "
                "held",
                names.get(name),
            )


def successors_on(units: pd.DataFrame, day: date) -> dict[str, str]:
    """Each unit not in force on ``day`` -> the unit in force then that it became part of.

    A unit table whose abolished units name the unit they became part of
    (``successor_code``, an ``area_id`` of the same level) is followed along that
    chain (Taunton Deane, then Somerset West and Taunton, then Somerset); a unit
    with no successor in force on the day is left out.
    """
    if "successor_code" not in units:
        return {}
    now = in_force(units, day)
    by_id = dict(zip(units["area_id"].astype(str), units["area"], strict=True))
    next_of = {
        area: by_id.get(str(code or ""))
        for area, code in zip(units["area"], units["successor_code"], strict=True)
    }
    found: dict[str, str] = {}
    for area in set(units["area"]) - now:
        seen = {area}
        step = next_of.get(area)
        while step is not None and step not in now and step not in seen:
            seen.add(step)
            step = next_of.get(step)
        if step in now:
            found[area] = step
    return found


def in_force(units: pd.DataFrame, on: date | None) -> set[str]:
    """The units of a unit table in force ``on`` a day (None: today's, with no end).

    Only a table with ``valid_to`` holds units of several dates; every unit of
    another is in force.
    """
    if on is None:
        if "valid_to" not in units:
            return set(units["area"])
        return set(units.loc[units["valid_to"].fillna("").astype(str) == "", "area"])
    return in_force_over(units, on, on)


def in_force_over(units: pd.DataFrame, start: date, end: date) -> set[str]:
    """The units of a unit table in force on every day from ``start`` to ``end``."""
    if "valid_to" not in units:
        return set(units["area"])
    starts = units["valid_from"].fillna("").astype(str)
    ends = units["valid_to"].fillna("").astype(str)
    now = ((starts == "") | (starts <= start.isoformat())) & (
        (ends == "") | (ends >= end.isoformat())
    )
    return set(units.loc[now, "area"])
