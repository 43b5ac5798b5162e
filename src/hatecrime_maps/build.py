"""``hatecrime-maps build``: from the embedded data to ``maps/``.

The pipeline, one stage after another::

    FOI text ─▶ tidy tables ─▶ joined to areas and NPUs ─▶ published figures
             ─▶ map pages, landing page and data downloads

Inputs are read and checked, every output is rendered in memory, and only then
is anything written: into a staging folder swapped in whole, so a bad input, an
error or a kill leaves ``maps/`` as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hatecrime_maps import (
    basemaps,
    categories,
    charts,
    defaults,
    exports,
    geography,
    output,
    record,
    report_page,
    stats,
    story,
    style,
    webmap,
)
from hatecrime_maps.centres import load_centres
from hatecrime_maps.errors import InputError
from hatecrime_maps.join import ALIASES_FILE, join_victims, load_aliases
from hatecrime_maps.metadata import METADATA_FILE, load_metadata
from hatecrime_maps.provenance import BOUNDARY_VINTAGE, OGL_ATTRIBUTION, figures_attribution
from hatecrime_maps.publish import PublicFigures, PublishedItems, publish, publish_items
from hatecrime_maps.tidy import load_foi


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (``paths``) and the figures it published (``public.record``)."""

    paths: list[Path]
    public: PublicFigures


def web_attributes(boundaries_dir: Path, layer: str) -> pd.DataFrame:
    """Attributes of a committed web layer, read as plain JSON."""
    path = Path(boundaries_dir) / "web" / f"{layer}.geojson"
    if not path.exists():
        raise InputError(str(path), "file not found (is --boundaries the project's "
                         "boundaries folder?)")
    return pd.DataFrame([f["properties"] for f in webmap.read_web_layer(boundaries_dir, layer)])


def render_outputs(public: PublicFigures, items: dict[str, PublishedItems], meta,
                   boundaries_dir: Path, centres: list, tiles: basemaps.Tiles | None,
                   victims_by_age: pd.DataFrame | None = None
                   ) -> tuple[dict[str, str], dict[str, pd.DataFrame], dict]:
    """Every text file of ``maps/`` by relative path, and the GeoPackage's tables and styles."""
    years = sorted(int(y) for y in public.areas["year"].unique())
    tables = exports.export_tables(public, items, boundaries_dir, centres, victims_by_age)
    styles = exports.layer_styles(years)
    downloads, listing = exports.download_files(tables, styles, boundaries_dir, meta,
                                                public.threshold, victims_by_age is not None)
    files = {f"downloads/{name}": text for name, text in downloads.items()}
    geometry = webmap.page_geometry(boundaries_dir)
    for year in years:
        files[webmap.map_file_name(year)] = webmap.render_map_page(
            public, year, meta, geometry, centres, tiles,
            other_years=[y for y in years if y != year])
    links = [(report_page.REPORT_FILE, "the story behind the maps: offences, outcomes, "
              "victims by sex and age band, with charts and print maps"),
             (f"downloads/{exports.GPKG_NAME}", "GeoPackage for QGIS and other GIS "
              "(British National Grid), styled like these maps"),
             ("downloads/README.md", "data dictionary: every file and field"),
             *((f"downloads/{name}", what) for name, what in listing
               if not name.endswith(".qml"))]
    files["index.html"] = webmap.render_index_page(public, meta, years, links, tiles)
    return files, tables, styles


def period_labels(meta, years: list[int]) -> dict[int, str]:
    return {y: f"{y} ({meta.periods[y].label})" for y in years}


def story_outputs(public: PublicFigures, meta, boundaries_dir: Path,
                  outcome_types: dict[str, categories.OutcomeType]) -> dict[str, str | bytes]:
    """The report page, its charts (SVG and PNG) and the print maps, all from the record."""
    record = public.record
    threshold = public.threshold
    years = sorted(public.force)
    labels = period_labels(meta, years)
    partial = [f"{y} covers {meta.periods[y].label}" for y in years
               if stats.annualisation_factor(meta.periods[y].start, meta.periods[y].end) != 1]
    source = (figures_attribution(meta.reference, meta.force)
              + (" " + "; ".join(partial) + "." if partial else ""))
    offences = story.offence_groups(record)
    outcomes = story.outcome_groups(record)
    story_tables = [t for t in (offences, outcomes, story.victims_by_sex(record),
                                story.victims_by_age_band(record)) if t is not None]
    drawn = [(charts.bar_chart(t, labels, source), t) for t in story_tables]
    files: dict[str, str | bytes] = {}
    for chart, _ in drawn:
        files[f"charts/{chart.name}.svg"] = chart.svg
        files[f"charts/{chart.name}.png"] = chart.png
    print_maps = []
    areas = geography.load_layer(boundaries_dir, "areas")
    boroughs = geography.load_layer(boundaries_dir, "boroughs")
    for year in years:
        figs = public.areas[public.areas["year"] == year].set_index("area")
        fill_of = {a: (style.SUPPRESSED_FILL if figs.loc[a, "victims_status"] else
                       style.class_for(int(figs.loc[a, "victims"]), style.COUNT_CLASSES).fill)
                   for a in areas["area"]}
        legend = [(c.label, c.fill) for c in style.COUNT_CLASSES]
        if threshold:
            legend.append((f"withheld (fewer than {threshold}, or to protect another figure)",
                           style.SUPPRESSED_FILL))
        svg, png = charts.print_map(
            areas, boroughs,
            f"Victims of hate crimes against refugees, asylum seekers and migrants\n"
            f"{meta.periods[year].label}, by West Midlands Police area",
            f"{source} Boundaries: {BOUNDARY_VINTAGE}, built into police areas by "
            f"hatecrime-maps; approximate. {OGL_ATTRIBUTION}",
            legend, fill_of, set(areas.loc[areas["confidence"] == "guess", "area"]))
        files[f"print/map-{year}.svg"] = svg
        files[f"print/map-{year}.png"] = png
        print_maps.append((year, f"print/map-{year}"))
    meanings = [(g, next(t.meaning for t in outcome_types.values() if t.group == g))
                for g in (outcomes.categories if outcomes else [])]
    files[report_page.REPORT_FILE] = report_page.render_report(
        drawn, offences, outcomes, meta, threshold, meanings, print_maps)
    return files


def build_maps(foi_path: Path = defaults.FOI, boundaries_dir: Path = defaults.BOUNDARIES,
               centres_path: Path = defaults.CENTRES, out_dir: Path = defaults.MAPS,
               tiles: str = basemaps.DEFAULT_TILES, suppress_below: int | None = None,
               include_ages: bool = False,
               reference_dir: Path = defaults.REFERENCE, force: bool = False) -> BuildResult:
    """Run the whole pipeline and write ``out_dir``; return what was written and published.

    ``out_dir`` is replaced whole (see :func:`hatecrime_maps.output.write_folder`): it
    holds exactly the old build or exactly the new one. ``force`` builds into a folder
    holding files this tool did not write, keeping them.
    """
    foi_path, boundaries_dir = Path(foi_path), Path(boundaries_dir)
    reference_dir = Path(reference_dir)
    tables = load_foi(foi_path)
    if not tables.victims:
        raise InputError(tables.source, "has no victims table (a 'Town/City' table of victims "
                         "by area): there is nothing to map")
    if not (foi_path.parent / METADATA_FILE).exists():
        raise InputError(str(foi_path.parent / METADATA_FILE), "not found: each FOI answer "
                         "needs a metadata.json beside it giving the period each year covers")
    meta = load_metadata(foi_path)
    areas = web_attributes(boundaries_dir, "areas")
    npus = web_attributes(boundaries_dir, "npus")
    aliases = load_aliases(boundaries_dir / ALIASES_FILE)
    periods = {y: p for y, p in meta.periods.items() if y in tables.years}
    area_figs, npu_figs = join_victims(tables.frame("victims"), areas, npus, periods, aliases,
                                       str(foi_path), tables.area_lines())
    if include_ages and suppress_below:
        raise InputError("--include-ages", "cannot be combined with --suppress-below: the "
                         "age-level table is the most detailed there is")
    groups = categories.load_offence_groups(reference_dir / categories.OFFENCE_GROUPS_FILE)
    types = categories.load_outcome_types(reference_dir / categories.OUTCOME_TYPES_FILE)
    stated = {t.year: t.count for t in tables.totals if t.measure == "crimes_stated_in_text"}
    full = record.build_record(
        area_figs, npu_figs, tables.victims,
        categories.group_offences(tables.offences, groups, tables.source),
        categories.type_outcomes(tables.outcomes, types, tables.source),
        stated, suppress_below, tables.source)
    public = publish(area_figs, npu_figs, record.suppress(full))
    items = {"offences": publish_items(public.record, "offence"),
             "outcomes": publish_items(public.record, "outcome")}
    centres = load_centres(Path(centres_path))
    files, export_tables, styles = render_outputs(
        public, items, meta, boundaries_dir, centres,
        None if tiles == "none" else basemaps.TILES[tiles],
        tables.frame("victims") if include_ages else None)
    files.update(story_outputs(public, meta, boundaries_dir, types))
    gpkg = f"downloads/{exports.GPKG_NAME}"
    written = output.write_folder(
        out_dir, files,
        {gpkg: lambda path: exports.write_geopackage(path, export_tables, styles)},
        force=force)
    return BuildResult(written, public)


def suppression_report(public: PublicFigures) -> str:
    """How many figures a suppressed build withholds, and why (empty without a threshold)."""
    if not public.threshold:
        return ""
    primary, secondary = public.record.counts()
    return (f"suppress below {public.threshold}: {primary + secondary} figures withheld, "
            f"{primary} as fewer than {public.threshold} (primary) and {secondary} to stop "
            "them being worked out from published totals (secondary)")


def page_sizes(paths: list[Path]) -> str:
    """A short report of what was written and how big each page is."""
    return "\n".join(f"wrote {p} ({p.stat().st_size:,} bytes)" for p in paths)


