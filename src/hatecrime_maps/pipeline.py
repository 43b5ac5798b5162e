"""``hatecrime-maps build``: from an FOI answer or a counts table to ``maps/``.

The pipeline, one stage after another::

    FOI text or counts table ─▶ tidy counts ─▶ names resolved to one level
        ─▶ joined to its areas and parent units ─▶ the record, suppressed once
        ─▶ map pages, landing page, report, print maps and data downloads

Inputs are read and checked, every output is rendered in memory, and only then
is anything written: into a staging folder swapped in whole, so a bad input, an
error or a kill leaves ``maps/`` as it was.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hatecrime_maps import model
from hatecrime_maps.analysis import change, record
from hatecrime_maps.analysis.join import join_counts
from hatecrime_maps.analysis.publish import (
    About,
    PublicFigures,
    PublishedItems,
    publish,
    publish_items,
)
from hatecrime_maps.errors import (
    AnswerError,
    AreaError,
    InputError,
    MetadataError,
    OptionError,
    quoted,
)
from hatecrime_maps.geography import levels
from hatecrime_maps.geography.boundaries import Boundaries, geographies
from hatecrime_maps.geography.own import OwnBoundaries, write_own_folder
from hatecrime_maps.geography.provenance import Provenance
from hatecrime_maps.inputs import categories
from hatecrime_maps.inputs.centres import boroughs_of, load_centres
from hatecrime_maps.inputs.counts import level_of_header, read_counts
from hatecrime_maps.inputs.metadata import (
    check_periods,
    combine,
    infer_from_answer,
    metadata_beside,
    read_metadata_file,
)
from hatecrime_maps.inputs.tidy import FoiTables, load_foi
from hatecrime_maps.io import defaults, output
from hatecrime_maps.model import FOI_ANSWER, Capabilities, Centre, InputKind, Metadata, counts_table
from hatecrime_maps.outputs import basemaps, pages, presentation, wording
from hatecrime_maps.outputs.geometry import page_geometry
from hatecrime_maps.request import BuildRequest, Options

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from hatecrime_maps.analysis.story import StoryTable


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, published and has to tell its user.

    ``paths`` are the files written, ``public`` the figures published (with
    ``public.record``), ``notes`` what the user should read: what was inferred,
    structures used out of date.
    """

    paths: list[Path]
    public: PublicFigures
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TidyInput:
    """An input read into tidy counts, whichever kind it was.

    ``counts`` has ``year, name, sex, count`` with names as the input spells
    them and ``sex`` empty when the input has no split by sex; ``foi`` holds
    an FOI answer's other tables (offences, outcomes, ages, stated totals).
    """

    source: str
    kind: InputKind
    counts: pd.DataFrame
    lines: dict[str, int]
    capabilities: Capabilities
    years: list[int]
    metadata: Metadata
    foi: FoiTables | None = None
    level_hint: str | None = None
    """The level the input's area column header names, used when --level is not given."""
    named_codes: tuple[tuple[str, str, int], ...] = ()
    """(code, name, line) where a row gives its area by both: they must agree."""
    measures: tuple[str, ...] = ("",)
    """The figures per area, each a map of its own: ``""`` for the count (all the
    figures), then each strand the table has a column of (:data:`model.STRANDS`).
    ``counts`` has a ``strand`` column saying which each row is."""


def read_input(
    path: Path, counts: bool, options: Options, *, header_levels: Mapping[str, str]
) -> TidyInput:
    """Read an FOI answer (``counts=False``) or a counts table, with what the figures are.

    ``header_levels`` are the counts-table headers that name a level
    (:meth:`~hatecrime_maps.geography.levels.Catalogue.header_levels`).
    """
    path = Path(path)
    source = str(path)
    beside = metadata_beside(path)
    from_file = read_metadata_file(beside) if beside.exists() else {}
    flags = options.metadata_flags()
    if not counts:
        tables = load_foi(path)
        if not tables.victims:
            raise AnswerError(
                source,
                "has no victims table (a 'Town/City' table of victims "
                "by area): there is nothing to map",
            )
        inferred, notes = infer_from_answer(tables.parsed.stated)
        meta = combine(flags, from_file, inferred | {"measure": "victims"}, notes)
        frame = tables.frame("victims")
        frame = frame.groupby(["year", "area", "sex"], as_index=False)[["count"]].sum()
        check_periods(meta, tables.years, source)
        return TidyInput(
            source,
            "foi",
            frame.rename(columns={"area": "name"}).assign(strand=""),
            tables.area_lines(),
            FOI_ANSWER,
            tables.years,
            meta,
            tables,
        )
    table = read_counts(
        path, options.area_column, options.count_column, header_levels=header_levels
    )
    meta = combine(flags, from_file, {"measure": table.measure}, [])
    years = table.years
    if not table.has_year:
        if len(meta.periods) != 1:
            raise MetadataError(
                source,
                "has no year column, so it needs exactly one period: give --period YEAR=START..END"
                if not meta.periods
                else f"has no year column but {len(meta.periods)} periods are given; "
                "add a year column or give one --period",
            )
        years = list(meta.periods)
    check_periods(meta, years, source)
    rows = [
        (r.area, years[0] if r.year is None else r.year, r.sex or "", r.count, r.strand)
        for r in table.rows
    ]
    frame = pd.DataFrame(rows, columns=["name", "year", "sex", "count", "strand"])
    return TidyInput(
        source,
        "counts",
        frame[["year", "name", "sex", "count", "strand"]],
        table.area_lines(),
        counts_table(sexes=table.has_sex),
        years,
        meta,
        level_hint=table.level_hint,
        named_codes=tuple(table.named_codes()),
        measures=table.measures,
    )


def absent_as_zero(tidy: TidyInput, options: Options) -> bool:
    """Whether an area the input does not list had none (an FOI area table) or no data."""
    return tidy.capabilities.unlisted_is_zero or options.absent_as_zero


def resolve_counts(
    tidy: TidyInput, catalogue: levels.Catalogue, options: Options
) -> tuple[levels.Resolution, levels.Level, pd.DataFrame]:
    """How the input's names resolve, the map's level, and the counts by area of that level.

    Two names that are one area (a name and its alias) are an error naming both
    lines; a roll-up (``options.map_level``) sums areas into the coarser units
    they nest in; without ``absent_as_zero`` a unit with an area the input does not
    give has no data.
    """
    meta = tidy.metadata
    span = meta.span(tidy.years)
    found = levels.resolve(
        tidy.lines,
        catalogue,
        tidy.source,
        span=span,
        spans=name_spans(tidy),
        level=options.level or level_of_header(tidy.level_hint, catalogue.header_levels()),
        structure=options.structure,
        within=options.within,
        force=meta.force or None,
    )
    _check_named_codes(tidy, catalogue, found)
    counts = tidy.counts.assign(area=tidy.counts["name"].map(found.areas))
    twice = counts.duplicated(["year", "area", "sex", "strand"], keep=False)
    if twice.any():
        names = sorted(set(counts.loc[twice, "name"]))
        area = counts.loc[twice, "area"].iloc[0]
        raise AreaError(
            tidy.source,
            f"{' and '.join(repr(n) for n in names)} (lines "
            f"{', '.join(str(tidy.lines[n]) for n in names)}) are one "
            f"{found.level.label}, {area!r}: give it once",
        )
    level = found.level
    counts, merged = merge_into_successors(
        counts,
        catalogue.units[level.key],
        periods=meta.periods,
        last_day=span[1],
        complete=not absent_as_zero(tidy, options),
    )
    found = replace(found, merged=merged)
    if options.map_level and options.map_level != level.key:
        target = options.map_level
        if target not in level.rollups:
            raise OptionError(
                "--map-level",
                f"{level.plural} cannot be rolled up into "
                f"{target!r}; they roll up into "
                f"{', '.join(level.rollups) or 'nothing coarser'}",
            )
        column = catalogue.units[level.key].set_index("area")[level.rollups[target]]
        if not absent_as_zero(tidy, options):
            # A unit is the sum of its areas only if the input gives every one of them.
            members = column.groupby(column).groups
            listed = counts.groupby("year")["area"].agg(set)
            complete = {
                (y, unit)
                for y, names in listed.items()
                for unit, ms in members.items()
                if set(ms) <= names
            }
            keep = [
                (y, a) in complete
                for y, a in zip(counts["year"], counts["area"].map(column), strict=True)
            ]
            counts = counts[keep]
        counts = counts.assign(area=counts["area"].map(column))
        level = catalogue.levels[target]
        structure = catalogue.structures[level.structure]
        if not structure.covers(*span) and not options.structure:
            raise OptionError(
                "--map-level",
                f"the {level.plural} are of the {structure.name} "
                f"({structure.dates}), which does not cover the figures' period",
            )
    return found, level, counts[["year", "area", "sex", "count", "strand"]]


def name_spans(tidy: TidyInput) -> dict[str, tuple[date, date]]:
    """Each input name -> the first and last day of the years it has figures for."""
    periods = tidy.metadata.periods
    spans: dict[str, tuple[date, date]] = {}
    for name, year in set(zip(tidy.counts["name"], tidy.counts["year"], strict=True)):
        start, end = periods[year].start, periods[year].end
        if name in spans:
            start, end = min(start, spans[name][0]), max(end, spans[name][1])
        spans[name] = (start, end)
    return spans


def merge_into_successors(
    counts: pd.DataFrame,
    units: pd.DataFrame,
    *,
    periods: Mapping[int, model.Period],
    last_day: date,
    complete: bool,
) -> tuple[pd.DataFrame, tuple[levels.Merge, ...]]:
    """Counts of units abolished before ``last_day``, summed into the units that replaced them.

    A table of several years that spans a reorganisation (Cumbria's six districts
    in 2021/22, Cumberland and Westmorland and Furness from April 2023) is drawn on
    the units of its last day, so that every year is the same areas and a change
    between years compares like with like. With ``complete``, a successor holds a
    year's sum only where the table gives every unit it was made of that year;
    otherwise it has no data for that year (see :attr:`levels.Merge.missing`).
    """
    later = levels.successors_on(units, last_day)
    moved = counts["area"].isin(set(later))
    if not moved.any():
        return counts, ()
    starts = dict(zip(units["area"], units["valid_from"].fillna("").astype(str), strict=True))
    target = counts["area"].map(lambda a: later.get(a, a))
    listed = counts.groupby("year")["area"].agg(set)
    existing = {
        year: levels.in_force_over(units, periods[year].start, periods[year].end)
        for year in listed.index
    }
    keep = pd.Series(True, index=counts.index)
    merged = []
    for area in sorted(set(target[moved])):
        made_of = sorted({a for a, s in later.items() if s == area} | {area})
        years, missing = [], []
        for year in sorted(listed.index):
            needed = set(made_of) & existing[year]
            if area in needed or not (needed & listed[year]):
                continue  # the unit itself held the year, or the table gives none of it
            if complete and not needed <= listed[year]:
                missing.append(int(year))
                keep &= ~((counts["year"] == year) & (target == area))
            else:
                years.append(int(year))
        parts = tuple(
            a for a in made_of if a != area and any(a in existing[y] for y in listed.index)
        )
        start = starts.get(area, "")
        merged.append(
            levels.Merge(
                area,
                date.fromisoformat(start) if start else None,
                parts,
                tuple(years),
                tuple(missing),
            )
        )
    summed = (
        counts.assign(area=target)[keep]
        .groupby(["year", "area", "sex", "strand"], as_index=False, sort=False)["count"]
        .sum()
    )
    return summed[["year", "area", "sex", "count", "strand"]], tuple(merged)


def merge_notes(found: levels.Resolution, meta: Metadata) -> tuple[str, ...]:
    """One line per successor the figures of abolished units were summed into."""
    return tuple(f"note: {m.describe(found.level, meta.year_name)}" for m in found.merged)


def summed_note(geography: Provenance, merged: Sequence[str], level: levels.Level) -> Provenance:
    """The provenance, saying (``merged``, in words) which units' figures were summed."""
    if not merged:
        return geography
    note = f"; so that every year is drawn on the same {level.plural}, {'; '.join(merged)}"
    return replace(geography, boundary_vintage=geography.boundary_vintage + note)


def drawn_vintages(units: pd.DataFrame) -> dict[str, list[str]]:
    """Boundary set -> the units a map draws from it, largest set first (none: no ``vintage``)."""
    if "vintage" not in units:
        return {}
    sets = units.groupby("vintage")["area"].agg(sorted)
    order = sorted(sets.index, key=lambda v: (-len(sets[v]), v))
    return {str(v): list(sets[v]) for v in order}


def header_levels(geographies: Sequence[Boundaries]) -> dict[str, str]:
    """Every header word any of the geographies gives a level, for reading a counts table."""
    words: dict[str, str] = {}
    for boundaries in geographies:
        for word, level in levels.header_levels(boundaries.levels).items():
            words.setdefault(word, level)
    return words


def _names_known(
    tidy: TidyInput, catalogue: levels.Catalogue, within: str | None
) -> tuple[int, int]:
    """How many of the input's names and ``within`` a geography holds, then knows unbuilt.

    To say which geography an input that fails was meant for.
    """
    keys = {levels.normalise_name(n) for n in [*tidy.lines, *([within] if within else [])]}
    held: set[str] = set()
    for level in catalogue.levels.values():
        held |= set(levels.lookup(catalogue, level)) | set(levels.local_lookup(catalogue, level))
    return len(keys & held), len(keys & set(catalogue.unbuilt))


@dataclass(frozen=True)
class Mapped:
    """An input's names resolved once: the geography cut to the map, and the counts by area.

    ``found`` is how the names resolved (against the whole geography: a unit
    abolished during the figures' years is not among the areas drawn), ``level``
    the map's level and ``counts`` the figures by area of it (``year, area, sex,
    count, strand``).
    """

    boundaries: Boundaries
    found: levels.Resolution
    level: levels.Level
    counts: pd.DataFrame


def choose_geography(
    tidy: TidyInput, geographies: Sequence[Boundaries], options: Options
) -> Mapped:
    """The first geography that maps every name of the input, cut to the map's extent.

    Where none does, the error is the one from the geography that knows most of
    the names (so a table of councils with one misspelt name is told about the
    councils, not about West Midlands wards).
    """
    failures: list[tuple[tuple[int, int], InputError]] = []
    for boundaries in geographies:
        try:
            found, level, counts = resolve_counts(tidy, boundaries.catalogue, options)
        except InputError as exc:
            failures.append((_names_known(tidy, boundaries.catalogue, options.within), exc))
            continue
        last_day = tidy.metadata.span(tidy.years)[1]
        cut = boundaries.within(level.key, set(counts["area"]), on=last_day)
        return Mapped(cut, found, level, counts)
    if all(known == (0, 0) for known, _ in failures):
        # No name is known anywhere: the geography the header names a level of says
        # which names it would take; with none named, say what every geography holds.
        hinted = [
            i
            for i, g in enumerate(geographies)
            if options.level or level_of_header(tidy.level_hint, levels.header_levels(g.levels))
        ]
        if hinted:
            raise failures[hinted[0]][1]
        if len(geographies) > 1:
            raise levels.unknown_everywhere(
                tidy.lines, [g.catalogue for g in geographies], tidy.source
            )
    best = max(range(len(failures)), key=lambda i: (failures[i][0], -i))
    raise failures[best][1]


def _check_named_codes(
    tidy: TidyInput, catalogue: levels.Catalogue, found: levels.Resolution
) -> None:
    """A row that names its area and gives its code must mean one area by both."""
    if not tidy.named_codes:
        return
    names = levels.lookup(catalogue, found.level)
    for code, name, line in tidy.named_codes:
        by_code = found.areas[code]
        by_name = names.get(levels.normalise_name(name), (None, None))[0]
        if by_name != by_code:
            meant = (
                f"{quoted(name)} is {by_name!r}"
                if by_name
                else f"{quoted(name)} is no {found.level.label}"
            )
            raise AreaError(
                tidy.source,
                f"the name and the code disagree: {quoted(code)} is {by_code!r} but "
                f"{meant}; correct one of them",
                line,
            )


def read_groupings(tidy: TidyInput, folder: Path) -> categories.Groupings | None:
    """The offence groups and outcome types an FOI answer needs; None for a counts table."""
    return categories.load_groupings(folder) if tidy.foi is not None else None


def build_public(
    tidy: TidyInput,
    mapped: Mapped,
    options: Options,
    groupings: categories.Groupings | None,
    suppress_below: int | None,
) -> tuple[PublicFigures, dict[str, PublishedItems], dict, tuple[str, ...]]:
    """From tidy input to the published figures: resolve, join, record, suppress once.

    ``groupings`` gives an FOI answer's offences and outcomes their groups (see
    :func:`read_groupings`); a counts table has neither.
    """
    boundaries, found, level, counts = mapped.boundaries, mapped.found, mapped.level, mapped.counts
    catalogue = boundaries.catalogue
    warnings = found.warnings
    meta = tidy.metadata
    periods = {y: meta.periods[y] for y in tidy.years}
    parent = catalogue.levels[level.parent] if level.parent else None
    zero = absent_as_zero(tidy, options)
    merged = tuple(m.describe(found.level, meta.year_name) for m in found.merged)

    def joined(strand: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        return join_counts(
            counts[counts["strand"] == strand].drop(columns="strand"),
            catalogue.units[level.key],
            catalogue.units[parent.key] if parent else None,
            periods=periods,
            geography=boundaries.provenance.for_level(level.key),
            parent_geography=boundaries.provenance.for_level(parent.key) if parent else None,
            has_sex=tidy.capabilities.sexes,
            absent_as_zero=zero,
            source=tidy.source,
        )

    headline, *others = tidy.measures
    area_figs, parent_figs = joined(headline)
    strand_figs = [(strand, *joined(strand)) for strand in others]
    offences, outcomes, stated, victims = [], [], {}, []
    types: dict = {}
    if tidy.foi is not None:
        tables = tidy.foi
        if groupings is None:
            raise ValueError("an FOI answer's offences and outcomes need their groupings")
        groups, types = groupings.offence_groups, groupings.outcome_types
        offences = categories.group_offences(tables.offences, groups, tables.source)
        outcomes = categories.type_outcomes(tables.outcomes, types, tables.source)
        stated = {t.year: t.count for t in tables.totals if t.measure == "crimes_stated_in_text"}
        victims = tables.victims
    full = record.build_record(
        [
            ("victims", area_figs, parent_figs),
            *((record.area_measure(k), a, p) for k, a, p in strand_figs),
        ],
        victims=victims,
        offences=offences,
        outcomes=outcomes,
        stated=stated,
        threshold=suppress_below,
        source=tidy.source,
        has_sex=tidy.capabilities.sexes,
    )
    about = About(
        meta=replace(meta, strand=headline),
        level=level,
        parent=parent,
        input_name=Path(tidy.source).name,
        capabilities=tidy.capabilities,
        absent="zero" if zero else "no_data",
        kind=tidy.kind,
        geography=summed_note(
            boundaries.provenance.for_level(level.key).drawn(
                drawn_vintages(catalogue.units[level.key])
            ),
            merged,
            found.level,
        ),
        grandparent=catalogue.levels[parent.parent] if parent and parent.parent else None,
        population_notes={
            area: n for (key, area), n in catalogue.population_notes.items() if key == level.key
        },
        merged=merged,
    )
    published = record.suppress(full)
    public = publish(area_figs, parent_figs, published, about)
    if strand_figs:
        public.strands = tuple(
            publish(
                a,
                p,
                published,
                replace(about, meta=replace(meta, strand=k)),
                measure=record.area_measure(k),
            )
            for k, a, p in strand_figs
        )
    items = {
        "offences": publish_items(public.record, "offence"),
        "outcomes": publish_items(public.record, "outcome"),
    }
    return public, items, types, warnings


def render_outputs(
    public: PublicFigures,
    items: dict[str, PublishedItems],
    *,
    boundaries: Boundaries,
    centres: list,
    tiles: basemaps.Tiles | None,
    victims_by_age: pd.DataFrame | None = None,
    places_note: str = "",
) -> tuple[dict[str, str | bytes], dict[str, pd.DataFrame], dict]:
    """Every text file of ``maps/`` by relative path, and the GeoPackage's tables and styles."""
    # The export and report stages pull in geopandas and matplotlib: imported only when
    # they run, so that building the pages alone does not pay for them.
    from hatecrime_maps.outputs import exports, report_page

    tables = exports.export_tables(public, items, boundaries, centres, victims_by_age)
    styles = exports.layer_styles(public)
    downloads, listing = exports.download_files(
        tables, styles, boundaries, public, victims_by_age is not None
    )
    files: dict[str, str | bytes] = {f"downloads/{name}": t for name, t in downloads.items()}
    links = [
        (report_page.REPORT_FILE, report_page.link_text(public)),
        (
            f"downloads/{exports.GPKG_NAME}",
            "GeoPackage for QGIS and other GIS (British National Grid), styled like these maps",
        ),
        ("downloads/README.md", "data dictionary: every file and field"),
        *((f"downloads/{name}", what) for name, what in listing if not name.endswith(".qml")),
    ]
    files |= render_pages(
        public, boundaries, centres=centres, tiles=tiles, links=links, places_note=places_note
    )
    return files, tables, styles


def render_pages(
    public: PublicFigures,
    boundaries: Boundaries,
    *,
    centres: list,
    tiles: basemaps.Tiles | None,
    links: list[tuple[str, str]],
    places_note: str = "",
) -> dict[str, str]:
    """Every year's map and embed pages, the embed helper script and the landing page.

    The landing page lists ``links``.
    """
    geometry = page_geometry(
        boundaries.topology,
        public.about.level,
        public.about.parent,
        context=public.about.geography.context_lines,
    )
    figures = pages.page_figures(public)
    files = {
        (pages.embed_file_name(year) if compact else pages.map_file_name(year)): (
            pages.render_map_page(
                public,
                year,
                geometry,
                centres=centres,
                tiles=tiles,
                figures=figures,
                downloads=bool(links),
                places_note=places_note,
                compact=compact,
            )
        )
        for year in public.years
        for compact in (False, True)
    }
    files[pages.EMBED_SCRIPT] = pages.embed_script()
    files["index.html"] = pages.render_index_page(public, links, tiles, centres, places_note)
    return files


def print_legend(public: PublicFigures, no_data: bool) -> list[tuple[str, str, str | None]]:
    """The count print map's legend: each class shown, its fill and hatch."""
    legend: list[tuple[str, str, str | None]] = [
        (label, presentation.CLASS_FILLS[c.key], None)
        for c, label in model.count_classes_shown(public.threshold, public.scale.counts)
    ]
    legend += _withheld_and_missing(public, no_data)
    return legend


def _withheld_and_missing(
    public: PublicFigures, no_data: bool
) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    if public.threshold:
        out.append(
            (
                f"withheld (fewer than {public.threshold}, or to protect another figure)",
                presentation.SUPPRESSED_FILL,
                None,
            )
        )
    if no_data:
        out.append(("no data: the input gives no figure", presentation.NO_DATA_FILL, "xx"))
    return out


def change_print_legend(public: PublicFigures, no_data: bool) -> list[tuple[str, str, str | None]]:
    """The change print map's legend, as the page's change view."""
    from hatecrime_maps.analysis.change import CHANGE_MEANINGS

    legend: list[tuple[str, str, str | None]] = [
        (CHANGE_MEANINGS[key], presentation.CHANGE_FILLS[key], None)
        for key in ("clearly_higher", "no_clear_change", "clearly_lower")
    ]
    legend.append(
        (f"too few {wording.measure(public.about.meta)} to tell", presentation.NO_RATE_FILL, "///")
    )
    return legend + _withheld_and_missing(public, no_data)


def _count_fills(public: PublicFigures, year: int, names) -> tuple[dict, dict]:
    """A year's count classes as print fills, and its areas with no data cross-hatched."""
    figs = public.areas[public.areas["year"] == year]
    status = dict(zip(figs["area"], figs["victims_status"], strict=True))
    victims = dict(zip(figs["area"], figs["victims"], strict=True))
    fills = {
        a: presentation.fill_of(model.count_class(victims[a], status[a], public.scale))
        for a in names
    }
    return fills, {a: "xx" for a, st in status.items() if st == model.NO_DATA}


def _change_fills(rows: list[dict]) -> tuple[dict, dict]:
    """A change's classes as print fills, with too few hatched and no data cross-hatched."""
    fills, hatches = {}, {}
    for r in rows:
        status = r["change_status"]
        if status == "withheld":
            fills[r["area"]] = presentation.SUPPRESSED_FILL
        elif status:
            fills[r["area"]], hatches[r["area"]] = presentation.NO_DATA_FILL, "xx"
        elif r["change"] == "too_few":
            fills[r["area"]], hatches[r["area"]] = presentation.NO_RATE_FILL, "///"
        else:
            fills[r["area"]] = presentation.CHANGE_FILLS[r["change"]]
    return fills, hatches


@dataclass(frozen=True)
class Drawing:
    """One chart or print map: its two files, its key and the call that draws it."""

    paths: tuple[str, str]
    key: str
    draw: Callable[..., tuple[str, bytes]]
    args: tuple


@dataclass(frozen=True)
class StoryPlan:
    """What the report shows, and every drawing it needs, before anything is drawn."""

    tables: list[StoryTable]
    offences: StoryTable | None
    outcomes: StoryTable | None
    labels: dict[int, str]
    source: str
    drawings: list[Drawing]
    print_maps: list[tuple[str, str, str]]
    trend: list[dict] | None = None
    """The force's yearly rates, for the trend chart (three years or more)."""


def story_plan(public: PublicFigures, boundaries: Boundaries) -> StoryPlan:
    """The report's tables and the drawings of its charts and print maps, from the record."""
    from hatecrime_maps.analysis import story
    from hatecrime_maps.outputs import charts

    about = public.about
    meta = about.meta
    rec = public.record
    years = public.years
    labels = {y: f"{meta.year_name(y)} ({meta.periods[y].label})" for y in years}
    partial = [
        f"{meta.year_name(y)} covers {meta.periods[y].label}"
        for y in years
        if wording.partial_period(meta.periods[y])
    ]
    source = wording.source_of_figures(meta, about.input_name) + (
        " " + "; ".join(partial) + "." if partial else ""
    )
    offences = story.offence_groups(rec)
    outcomes = story.outcome_groups(rec)
    by_sex = story.victims_by_sex(rec, wording.measure(meta))
    tables = [
        t for t in (offences, outcomes, by_sex, story.victims_by_age_band(rec)) if t is not None
    ]
    drawings = [
        Drawing(
            (f"charts/{t.name}.svg", f"charts/{t.name}.png"),
            charts.bar_chart_key(t, labels, source),
            charts.draw_bar_chart,
            (t, labels, source),
        )
        for t in tables
    ]
    print_drawings, print_maps = print_plan(public, boundaries, source)
    drawings += print_drawings
    trend = change.force_trend(public)
    if trend is not None:
        title = trend_title(public)
        drawings.append(
            Drawing(
                ("charts/trend.svg", "charts/trend.png"),
                charts.trend_chart_key(trend, title, source),
                charts.draw_trend_chart,
                (trend, title, source, wording.measure(meta)),
            )
        )
    return StoryPlan(tables, offences, outcomes, labels, source, drawings, print_maps, trend)


def trend_title(public: PublicFigures) -> str:
    """The trend chart's title."""
    years, meta = public.years, public.about.meta
    noun = wording.measure(meta)
    return (
        f"{noun.capitalize()} per 100,000 residents a year, "
        f"{meta.year_name(years[0])} to {meta.year_name(years[-1])}"
    )


def print_plan(
    public: PublicFigures, boundaries: Boundaries, source: str
) -> tuple[list[Drawing], list[tuple[str, str, str]]]:
    """The print maps: each year's counts, the last change, and every year side by side.

    Returns the drawings and, for the report, each print map's label, file stem and
    text alternative.
    """
    from hatecrime_maps.outputs import charts

    about = public.about
    meta, level = about.meta, about.level
    years = public.years
    shapes = levels.unit_table(boundaries.layer(level.layer), level, boundaries.catalogue.levels)
    geography = about.geography
    boroughs = boundaries.layer(geography.context_lines["outline"])
    built = "built into police areas by hatecrime-maps; approximate. " if level.built else ""
    credit = (
        f"{source} Boundaries: {geography.boundary_vintage}{', ' if built else '. '}{built}"
        f"{geography.attribution}"
    )
    guess = set(shapes.loc[shapes["confidence"] == "guess", "area"])
    names = list(shapes["area"])
    noun = wording.measure_title(meta)
    in_table = " The figures are in the map page's data table."
    drawings, listed = [], []

    def add(
        stem: str, draw: Callable[..., tuple[str, bytes]], args: tuple, label: str, alt: str
    ) -> None:
        drawings.append(
            Drawing(
                (f"print/{stem}.svg", f"print/{stem}.png"),
                charts.print_map_key(*args),
                draw,
                args,
            )
        )
        listed.append((label, f"print/{stem}", alt + in_table))

    def plan_set(figures: PublicFigures) -> None:
        meta = figures.about.meta
        # A strand's maps are named by it; the table's count keeps the plain names.
        tag = f"{figures.measure_key.replace('_', '-')}-" if figures is not public else ""
        label = f"{wording.strand_label(meta)}: " if figures is not public else ""
        fills = {y: _count_fills(figures, y, names) for y in years}
        no_data = {y: bool(fills[y][1]) for y in years}
        for year in years:
            title = wording.print_title(meta, level, year)
            args = (
                shapes,
                boroughs,
                title,
                credit,
                print_legend(figures, no_data[year]),
                fills[year][0],
                guess,
                fills[year][1],
                noun,
            )
            add(
                f"map-{tag}{year}",
                charts.print_map,
                args,
                label + meta.year_name(year),
                title.replace("\n", ": ") + ".",
            )
        if len(years) < 2:
            return
        a, b = years[-2], years[-1]
        rows = figures.changes[(a, b)][:-1]
        change_fill, change_hatch = _change_fills(rows)
        year_names = {y: meta.year_name(y) for y in years}
        title = (
            f"{wording.topic(meta)}: change from {year_names[a]} to {year_names[b]}"
            f"\nby {level.label}"
        ) + (f" ({meta.force})" if meta.force else "")
        args = (
            shapes,
            boroughs,
            title,
            credit + " Clear: the 95% interval of the rate ratio leaves out no change, "
            "with the many areas allowed for (Benjamini-Hochberg at 5%).",
            change_print_legend(figures, any(st == "xx" for st in change_hatch.values())),
            change_fill,
            guess,
            change_hatch,
            f"Change, {year_names[a]} to {year_names[b]}",
        )
        add(
            f"change-{tag}{a}-{b}",
            charts.print_map,
            args,
            f"{label}Change, {year_names[a]} to {year_names[b]}",
            title.replace("\n", " ") + ".",
        )
        title = (
            f"{wording.topic(meta)}, {year_names[years[0]]} to {year_names[years[-1]]}: "
            f"{noun.lower()} by {level.label}"
        )
        panels = [
            (
                f"{year_names[y]}: {meta.periods[y].label}"
                if wording.partial_period(meta.periods[y])
                else year_names[y],
            )
            + fills[y]
            for y in years
        ]
        panel_args = (
            shapes,
            boroughs,
            title,
            credit,
            print_legend(figures, any(no_data.values())),
            panels,
            guess,
            noun,
        )
        add(
            f"years{'-' + tag.rstrip('-') if tag else ''}",
            charts.print_panels,
            panel_args,
            f"{label}Every year",
            title + ", one map per year in the same classes.",
        )

    for figures in public.measures:
        plan_set(figures)
    return drawings, listed


def story_outputs(
    public: PublicFigures,
    plan: StoryPlan,
    *,
    drawn: list[tuple[str, bytes]],
    outcome_types: dict[str, categories.OutcomeType],
    centres: list[Centre],
    places_note: str,
) -> dict[str, str | bytes]:
    """The report page and its drawings' files; ``drawn`` holds each drawing's SVG and PNG."""
    from hatecrime_maps.outputs import charts, report_page

    files: dict[str, str | bytes] = {}
    drawing_of: dict[str, tuple[str, bytes]] = {}
    for d, (svg, png) in zip(plan.drawings, drawn, strict=True):
        files[d.paths[0]], files[d.paths[1]] = svg, png
        drawing_of[d.paths[0]] = (svg, png)
    charts_shown = [
        (
            charts.bar_chart(t, plan.labels, plan.source, drawing_of[f"charts/{t.name}.svg"]),
            t,
        )
        for t in plan.tables
    ]
    meanings = [
        (g, next(t.meaning for t in outcome_types.values() if t.group == g))
        for g in (plan.outcomes.categories if plan.outcomes else [])
    ]
    trend = None
    if plan.trend is not None:
        svg, png = drawing_of["charts/trend.svg"]
        unit = wording.measure(public.about.meta)
        chart = charts.Chart(
            "trend", trend_title(public), charts.trend_alt_text(plan.trend, unit), svg, png
        )
        trend = (chart, plan.trend)
    files[report_page.REPORT_FILE] = report_page.render_report(
        public,
        charts_shown,
        trend=trend,
        offences=plan.offences,
        outcomes=plan.outcomes,
        meanings=meanings,
        print_maps=plan.print_maps,
        routes=pages.routes_context(centres, places_note, places=False, map_link="index.html"),
    )
    return files


def read_centres(path: Path, boundaries: Boundaries) -> tuple[list[Centre], str]:
    """The reporting centres and what the maps say about where they are.

    Only a geography whose provenance places the centres (the West Midlands)
    shows them; every other map lists the national routes and says that local
    centres are not held, and the centres file is not read.
    """
    from shapely.geometry import shape

    provenance = boundaries.provenance
    if provenance.centres_layer is None or provenance.centres_name_field is None:
        return load_centres(defaults.NATIONAL_ROUTES), wording.no_centres_note(provenance.name)
    field = provenance.centres_name_field
    places: dict[str, BaseGeometry] = {
        f["properties"][field]: shape(f["geometry"])
        for f in boundaries.web_features(provenance.centres_layer)
    }
    centres = load_centres(path)
    return centres, wording.places_note(boroughs_of(centres, places, str(path)), sorted(places))


def build_maps(request: BuildRequest) -> BuildResult:
    """Run the whole pipeline and write ``request.out``; return what was written and published.

    ``request.out`` is replaced whole (see
    :func:`hatecrime_maps.io.output.write_folder`): it holds exactly the old build
    or exactly the new one. Every input is read once: the boundaries through
    one :class:`~hatecrime_maps.geography.boundaries.Boundaries` handed to every
    stage that needs them.

    Charts and print maps already in ``request.out`` from an earlier build are
    reused where what they are drawn from is unchanged (see
    :class:`~hatecrime_maps.io.output.Drawings`).
    """
    out_dir = request.out
    output.check_folder(out_dir, replace_foreign=request.replace_foreign)
    with geographies_asked(request.boundaries, request.own_boundaries) as candidates:
        return _build_on(request, candidates)


@contextlib.contextmanager
def geographies_asked(folder: Path | None, own: OwnBoundaries | None) -> Iterator[list[Boundaries]]:
    """The geographies an input is tried against, for the length of one build.

    A user's own boundaries file is checked and made a boundaries folder in a
    temporary directory that lasts as long as the build (nothing is written
    beside the file); else the folder given, else the project's own.
    """
    if own is None:
        yield geographies(folder)
        return
    with tempfile.TemporaryDirectory(prefix="hatecrime-maps-boundaries-") as tmp:
        yield [Boundaries(write_own_folder(own, Path(tmp)))]


def _build_on(request: BuildRequest, candidates: list[Boundaries]) -> BuildResult:
    out_dir = request.out
    tidy = read_input(
        request.input_path,
        request.is_counts,
        request.options,
        header_levels=header_levels(candidates),
    )
    mapped = choose_geography(tidy, candidates, request.options)
    boundaries = mapped.boundaries
    public, items, types, warnings = build_public(
        tidy,
        mapped,
        request.options,
        read_groupings(tidy, request.groupings),
        request.suppress_below,
    )
    centres, places = read_centres(request.centres, boundaries)
    page_tiles = request.tile_service
    writers = {}
    drawn_from: dict[str, str] = {}
    if request.pages_only:
        files: dict[str, str | bytes] = dict(
            render_pages(
                public, boundaries, centres=centres, tiles=page_tiles, links=[], places_note=places
            )
        )
    else:
        from hatecrime_maps.outputs import charts, exports

        plan = story_plan(public, boundaries)
        # Drawing is the slow part: reuse what an earlier build drew from the same inputs,
        # and draw the rest in other processes while this one writes the pages and data.
        earlier = output.Drawings.of_folder(Path(out_dir))
        reused = [earlier.reuse(d.key, d.paths) for d in plan.drawings]
        with charts.DrawingPool(
            [(d.draw, d.args) for d, r in zip(plan.drawings, reused, strict=True) if not r]
        ) as pool:
            files, export_tables, styles = render_outputs(
                public,
                items,
                boundaries=boundaries,
                centres=centres,
                tiles=page_tiles,
                victims_by_age=tidy.foi.frame("victims")
                if request.include_ages and tidy.foi
                else None,
                places_note=places,
            )
            fresh = iter(pool.results())
        drawn = [(r[0].decode("utf-8"), r[1]) if r else next(fresh) for r in reused]
        files.update(
            story_outputs(
                public, plan, drawn=drawn, outcome_types=types, centres=centres, places_note=places
            )
        )
        gpkg = f"downloads/{exports.GPKG_NAME}"
        writers[gpkg] = lambda path: exports.write_geopackage(path, export_tables, styles)
        drawn_from = earlier.drawn
    written = output.write_folder(
        out_dir, files, writers, replace_foreign=request.replace_foreign, drawn_from=drawn_from
    )
    notes = (
        tuple(f"inferred {n}" for n in tidy.metadata.inferred)
        + merge_notes(mapped.found, tidy.metadata)
        + tuple(f"warning: {w}" for w in warnings)
    )
    return BuildResult(written, public, notes)


COUNTS_SUFFIXES = (".csv", ".tsv", ".xlsx")


def is_counts_table(path: Path) -> bool:
    """Whether a file is read as a counts table (by its suffix) rather than an FOI answer."""
    return Path(path).suffix.casefold() in COUNTS_SUFFIXES


def check_input(
    path: Path, *, geographies: Sequence[Boundaries], options: Options
) -> tuple[str, InputError | None]:
    """What ``hatecrime-maps check`` prints: the level found and every name's area.

    Returns the report and, when the names cannot all be mapped, the error
    (the report then lists the names that did match at some level).
    """
    path = Path(path)
    tidy = read_input(
        path, is_counts_table(path), options, header_levels=header_levels(geographies)
    )
    years = ", ".join(
        f"{tidy.metadata.year_name(y)} ({tidy.metadata.periods[y].label})" for y in tidy.years
    )
    head = [
        f"{path}: {'an FOI answer' if tidy.kind == 'foi' else 'a counts table'} with "
        f"{len(tidy.lines)} area names; {years}"
    ]
    try:
        mapped = choose_geography(tidy, geographies, options)
    except InputError as exc:
        lookups = {
            f"{lv.plural} ({g.provenance.name})": levels.lookup(g.catalogue, lv)
            for g in geographies
            for lv in g.catalogue.levels.values()
        }
        fits = []
        for name, line in tidy.lines.items():
            key = levels.normalise_name(name)
            matched = [what for what, lookup in lookups.items() if key in lookup]
            if matched:
                fits.append(f"  line {line}: {quoted(name)} is one of the {' / '.join(matched)}")
        return "\n".join([*head, *(["names that match a level:", *fits] if fits else [])]), exc
    boundaries, found, level, counts = mapped.boundaries, mapped.found, mapped.level, mapped.counts
    catalogue = boundaries.catalogue
    structure = found.structure
    out = [
        *head,
        f"geography: {boundaries.provenance.name} ({boundaries.provenance.boundary_vintage})",
        f"level: {found.level.plural} ({structure.name}, {structure.key}, {structure.dates})",
    ]
    if level is not found.level:
        out.append(f"mapped as: {level.plural} (rolled up)")
    out.append("names matched:")
    for name, line in tidy.lines.items():
        area = found.areas[name]
        out.append(f"  line {line}: {quoted(name)}" + ("" if area == name else f" -> {area!r}"))
    missing = sorted(set(catalogue.units[level.key]["area"]) - set(counts["area"]))
    if missing:
        means = "had none (0)" if tidy.capabilities.unlisted_is_zero else "no data"
        out.append(
            f"{len(missing)} {level.plural} not in the input ({means}): "
            + ", ".join(missing[:10])
            + (", …" if len(missing) > 10 else "")
        )
    out += [f"inferred {n}" for n in tidy.metadata.inferred]
    out += merge_notes(found, tidy.metadata)
    out += [f"warning: {w}" for w in found.warnings]
    return "\n".join(out), None


def suppression_report(public: PublicFigures) -> str:
    """How many figures a suppressed build withholds, and why (empty without a threshold)."""
    if not public.threshold:
        return ""
    primary, secondary = public.record.counts()
    return (
        f"suppress below {public.threshold}: {primary + secondary} figures withheld, "
        f"{primary} as fewer than {public.threshold} (primary) and {secondary} to stop "
        "them being worked out from published totals (secondary)"
    )


def page_sizes(paths: list[Path]) -> str:
    """A short report of what was written and how big each page is."""
    return "\n".join(f"wrote {p} ({p.stat().st_size:,} bytes)" for p in paths)
