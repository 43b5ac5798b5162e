"""Analyst downloads: a styled GeoPackage, GeoJSON, CSV and a data dictionary.

Everything here is built from the same published figures as the web pages
(:mod:`hatecrime_maps.analysis.publish`), so ``--suppress-below`` applies alike, and the
QGIS styles come from :mod:`hatecrime_maps.outputs.qgis_style`, so an analyst sees the
web map's classes and colours. Ages are written only with ``--include-ages``.

The GeoPackage is in British National Grid (EPSG:27700). Its ``layer_styles``
table makes QGIS apply each layer's style on opening (``f_table_schema`` must be
the empty string and ``f_geometry_column`` the real column for QGIS to use it).
"""

from __future__ import annotations

import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import cast

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import Point, shape

from hatecrime_maps.analysis import change, stats
from hatecrime_maps.analysis.join import RATE_COLUMNS
from hatecrime_maps.analysis.publish import PublicFigures, PublishedItems
from hatecrime_maps.geography.boundaries import Boundaries
from hatecrime_maps.geography.levels import Level
from hatecrime_maps.io.files import csv_text
from hatecrime_maps.io.geojson import feature_collection_text
from hatecrime_maps.io.templating import render_markdown
from hatecrime_maps.model import SEXES, STRANDS, WEB_CRS, WORK_CRS, Centre
from hatecrime_maps.outputs import presentation, qgis_style, wording

GPKG_NAME = "hatecrime_maps.gpkg"
GPKG_VERSION = "1.2"
"""Older than GDAL's default, so that QGIS 3.22 (Debian 12, many councils) reads it fully."""
GEOMETRY_COLUMN = "geom"
FIXED_TIMESTAMP = "2020-12-09T00:00:00.000Z"
"""Written as every table's last-change time so that the file is byte-stable."""

SEX_FIELDS = {"F": "female", "M": "male", "U": "sex_not_recorded"}

# Long-format column -> wide field stem (the year is appended).
WIDE_FIELDS = {
    "listed_in_foi": "listed_in_foi",
    "victims": "victims",
    "victims_status": "victims_status",
    **{f"victims_{s}": SEX_FIELDS[s] for s in SEXES},
    **{f"victims_{s}_status": f"{SEX_FIELDS[s]}_status" for s in SEXES},
    "population": "population_mid",
    "rate_status": "rate_status",
    "rate_per_100k": "rate_per_100k",
    "rate_lower": "rate_lower",
    "rate_upper": "rate_upper",
    "annualised_rate_per_100k": "annualised_rate",
    "annualised_lower": "annualised_lower",
    "annualised_upper": "annualised_upper",
}
RATE_FIELDS = RATE_COLUMNS

FIELD_DOCS = {
    # The figures' own fields; what the geography's attributes mean is the boundaries'
    # (their fields.csv, in the catalogue).
    "year": "year of the figures",
    "period_start": "first day covered (ISO date)",
    "period_end": "last day covered (ISO date)",
    "period_days": "days covered",
    "listed_in_foi": "true if the input lists the area in that year",
    "victims": "the count (victims, crimes or as the input says: see above)",
    "victims_status": "empty, fewer_than (1 to N-1 withheld), suppressed (withheld to "
    "protect another figure) or no_data (the input gives no figure)",
    "female": "female victims (count)",
    "male": "male victims (count)",
    "sex_not_recorded": "victims whose sex was not recorded (count)",
    "victims_F": "female victims (count)",
    "victims_M": "male victims (count)",
    "victims_U": "victims whose sex was not recorded (count)",
    "population": "ONS mid-year population estimate, all ages, used for the rate",
    "population_mid": "ONS mid-year population estimate, all ages (persons)",
    "population_year": "year of the mid-year population estimate",
    "rate_status": "ok, low_reliability (fewer than 20 victims), too_few (fewer than 3: no "
    "rate) or suppressed",
    "rate_per_100k": "victims per 100,000 residents over the period (not annualised)",
    "rate_lower": "lower limit of the exact Poisson 95% interval of the rate",
    "rate_upper": "upper limit of the exact Poisson 95% interval of the rate",
    "annualised_rate": "rate scaled to a full year (x days in the year / days covered)",
    "annualised_rate_per_100k": "rate scaled to a full year (x days in the year / days covered)",
    "annualised_lower": "lower 95% limit of the annualised rate",
    "annualised_upper": "upper 95% limit of the annualised rate",
    "name": "name of the place or service",
    "kind": "third_party_reporting_centre or hate_crime_surgery",
    "kind_label": "kind, as a reader sees it",
    "address": "address as given in the source message",
    "location_method": "how the point was located",
    "precision_m": "how far the point may be from the place (metres)",
    "approximate": "true when the location is approximate (drawn hollow)",
    "offence": "offence title as in the FOI answer",
    "outcome_code": "Home Office outcome code (empty: none recorded yet)",
    "outcome": "outcome description as in the FOI answer",
    "count": "count as in the input",
    "count_status": "empty, fewer_than or suppressed (see victims_status)",
    "sex": "F (female), M (male) or U (not recorded)",
    "age": "age in years as recorded (only with --include-ages)",
    "age_note": "unknown, or invalid: <value> for an impossible recorded age",
    "measure": "which stated total",
    "level": "area, the parent level's key (npu, borough) for a parent unit, or force for "
    "the whole force's total",
    "earlier_year": "the year compared from",
    "later_year": "the year compared to",
    "earlier_count": "the count of the earlier year",
    "later_count": "the count of the later year",
    "difference": "later count less earlier count",
    "earlier_population": "population estimate used for the earlier year",
    "later_population": "population estimate used for the later year",
    "earlier_days": "days the earlier year's figures cover",
    "later_days": "days the later year's figures cover",
    "rate_ratio": "later rate over earlier rate, per resident per day (empty: the earlier "
    "count is 0)",
    "ratio_lower": "lower limit of the exact 95% interval of the rate ratio (conditional "
    "binomial method)",
    "ratio_upper": "upper limit of that interval (empty: no upper limit)",
    "p_value": "two-sided exact test of no change in the rate",
    "q_value": "p-value adjusted for the map's many areas (Benjamini-Hochberg); empty for "
    "the force and for areas with too few to tell",
    "change": "clearly_higher, clearly_lower (q-value at most 0.05 and an interval that "
    "leaves out 1), no_clear_change, or too_few (no split of so few could be clear)",
    "strand": "which figures: all (the count column, whatever the motivating factor) or one "
    "strand (race, religion, sexual_orientation, disability, transgender); a crime with several "
    "motivating factors is in each of its strands, so strands never add up to all",
    "change_status": "empty, withheld (a count of either year is withheld, so no change "
    "figure is shown), no_data or no_population",
}


def _field_doc(name: str, docs: dict[str, str]) -> str:
    """The data dictionary entry of a field (from ``docs``), with its year if it has one."""
    for key, strand in STRANDS.items():
        if name.startswith(f"{key}_") and name not in docs:
            return f"{_field_doc(name.removeprefix(key + '_'), docs)}, {strand.motive} strand"
    pair = re.fullmatch(r"(.*?)_((?:19|20)\d\d)_((?:19|20)\d\d)", name)
    if pair and pair[1] in docs:
        return f"{docs[pair[1]]} (from {pair[2]} to {pair[3]})"
    m = re.fullmatch(r"(.*?)_?((?:19|20)\d\d)", name)
    stem, year = (m[1], m[2]) if m and m[1] != "pop_mid" else (name, None)
    if name in docs:
        stem, year = name, None
    if stem in docs:
        doc = docs[stem]
    elif stem.endswith("_status"):
        doc = "empty, fewer_than or suppressed: why the figure it names is empty"
    else:
        raise KeyError(f"no description for field {name!r}")
    return f"{doc} ({year})" if year else doc


def wide(frame: pd.DataFrame, key_columns: list[str]) -> pd.DataFrame:
    """One row per unit, each year's figures as columns (``victims_2020``, …)."""
    years = sorted(frame["year"].unique())
    base = frame[frame["year"] == years[0]][key_columns].reset_index(drop=True)
    for year in years:
        part = frame[frame["year"] == year].reset_index(drop=True)
        for col, stem in WIDE_FIELDS.items():
            if col not in part.columns:
                continue
            name = f"{stem}{year}" if stem == "population_mid" else f"{stem}_{year}"
            values = part[col]
            if col in RATE_FIELDS:
                values = values.round(2)
            base[name] = values.values
    return base


def long(frame: pd.DataFrame, key_columns: list[str]) -> pd.DataFrame:
    """A figures table with one row per unit and year, keys first."""
    cols = [
        c
        for c in frame.columns
        if c in key_columns
        or c in WIDE_FIELDS
        or c in ("year", "period_start", "period_end", "period_days", "population_year")
    ]
    out = frame[cols].copy()
    for c in RATE_FIELDS:
        out[c] = out[c].round(2)
    return out.reset_index(drop=True)


def _ints(df: pd.DataFrame) -> pd.DataFrame:
    """Counts and populations as nullable integers, so missing stays NULL, not NaN."""
    for c in df.columns:
        if c == "geometry":
            continue
        if pd.api.types.is_bool_dtype(df[c]) or c.startswith("listed_in_foi"):
            df[c] = df[c].astype("boolean")
        elif pd.api.types.is_integer_dtype(df[c]) or (
            pd.api.types.is_float_dtype(df[c])
            and c.split("_")[0]
            in ("victims", "female", "male", "sex", "population", "pop", "count")
        ):
            df[c] = df[c].astype("Int64")
    return df


def centres_frame(centres: list[Centre]) -> gpd.GeoDataFrame:
    """The located places as points (WGS84), one row each."""
    placed = [c for c in centres if c.is_place and c.is_located]
    df = pd.DataFrame(
        {
            "name": [c.name for c in placed],
            "kind": [c.kind for c in placed],
            "kind_label": [c.kind_label for c in placed],
            "address": [c.address for c in placed],
            "location_method": [c.location_method for c in placed],
            "precision_m": pd.array([c.precision_m for c in placed], dtype="Float64"),
            "approximate": [c.is_approximate for c in placed],
        }
    )
    return gpd.GeoDataFrame(df, geometry=[Point(c.lon, c.lat) for c in placed], crs="EPSG:4326")


def native(frame: pd.DataFrame, level: Level) -> pd.DataFrame:
    """A unit table or figures table with the level's own column names (``ward_code``, …)."""
    return frame.rename(columns=level.native_names())


def figures_name(level: Level) -> str:
    """The long-format table of a level: ``police_area_figures``, ``ward_figures``."""
    return f"{level.export_name.removesuffix('s')}_figures"


def export_tables(
    public: PublicFigures,
    items: dict[str, PublishedItems],
    boundaries: Boundaries,
    centres: list[Centre],
    victims_by_age: pd.DataFrame | None,
) -> dict[str, pd.DataFrame]:
    """Every layer and table of the downloads, by name (spatial ones in BNG)."""
    about = public.about

    def shapes(level: Level, table: pd.DataFrame) -> gpd.GeoDataFrame:
        geo = boundaries.layer(level.layer)[[level.name_key, "geometry"]]
        merged = table.merge(geo, on=level.name_key, how="left", validate="one_to_one")
        return gpd.GeoDataFrame(merged, geometry="geometry", crs=WORK_CRS)

    geography = about.geography
    context = list(dict.fromkeys(geography.context_lines.values()))
    # Context layers first: a figures layer of the same level takes its place.
    tables: dict[str, pd.DataFrame] = {name: boundaries.layer(name) for name in context}
    figure_tables = {}
    years = public.years
    last = (years[-2], years[-1]) if len(years) > 1 else None
    for level, frame, changes in (
        (about.level, public.areas, public.changes),
        (about.parent, public.parents, public.parent_changes),
    ):
        if level is None or frame is None:
            continue
        keys = list(level.export_keys)
        own = native(frame, level)
        layer = wide(own, keys)
        if last is not None:
            names = layer[level.name_key]
            unit_rows = changes[last][:-1] if level is about.level else changes[last]
            layer = pd.concat([layer, change_fields(unit_rows, names, last)], axis=1)
        figures = long(own, keys)
        if public.strands:
            layer = pd.concat(
                [layer, *(strand_fields(s, level, layer, last) for s in public.strands)], axis=1
            )
            figures = pd.concat(
                [
                    long(native(_level_frame(s, level), level), keys).assign(strand=s.measure_key)
                    for s in public.measures
                ],
                ignore_index=True,
            )
            first = [*keys, "year", "strand"]
            figures = figures[first + [c for c in figures.columns if c not in first]]
        tables[level.export_name] = shapes(level, layer)
        figure_tables[figures_name(level)] = figures
    order = [about.level.export_name, *([about.parent.export_name] if about.parent else [])]
    tables = {name: tables[name] for name in [*order, *context] if name in tables}
    if geography.has_centres:
        tables["reporting_centres"] = centres_frame(centres).to_crs(WORK_CRS)
    tables |= figure_tables
    for name, spec in geography.extra_tables.items():
        fields, order_by = list(spec["fields"]), list(spec["order"])  # type: ignore[call-overload]
        layer = boundaries.layer(str(spec["layer"]))
        tables[name] = layer[fields].sort_values(order_by).reset_index(drop=True)
    if about.capabilities.offences_and_outcomes:
        tables["foi_offences"] = items["offences"].frame
        tables["foi_outcomes"] = items["outcomes"].frame
        if public.threshold is None:
            tables["foi_victims"] = _victims_without_ages(public)
    if victims_by_age is not None:
        tables["foi_victims_by_age"] = victims_by_age
    if public.last_change is not None:
        tables["change"] = change_frame(public)
    return {name: _ints(t.copy()) for name, t in tables.items()}


STRAND_WIDE_FIELDS = (
    "victims",
    "victims_status",
    "rate_status",
    "rate_per_100k",
    "rate_lower",
    "rate_upper",
    "annualised_rate",
    "annualised_lower",
    "annualised_upper",
)
"""The map layers' fields repeated for each strand, prefixed by it (``race_victims_2018``);
the population is the same for every strand, so it is not."""


def _level_frame(public: PublicFigures, level: Level) -> pd.DataFrame:
    frame = public.areas if level is public.about.level else public.parents
    assert frame is not None
    return frame


def strand_fields(
    strand: PublicFigures, level: Level, layer: pd.DataFrame, last: tuple[int, int] | None
) -> pd.DataFrame:
    """One strand's figures (and last change) as map layer fields, in ``layer``'s row order."""
    keys = list(level.export_keys)
    own = wide(native(_level_frame(strand, level), level), keys)
    if last is not None:
        rows = (
            strand.changes[last][:-1]
            if level is strand.about.level
            else (strand.parent_changes[last])
        )
        own = pd.concat([own, change_fields(rows, own[level.name_key], last)], axis=1)
    own = own.set_index(level.name_key).reindex(layer[level.name_key])
    kept = [
        c
        for c in own.columns
        if c not in keys
        and (
            re.sub(r"_(19|20)\d\d$", "", c) in STRAND_WIDE_FIELDS
            or c.startswith(tuple(f"{f}_" for f in CHANGE_LAYER_FIELDS))
        )
    ]
    return own[kept].rename(columns=lambda c: f"{strand.measure_key}_{c}").set_index(layer.index)


def change_frame(public: PublicFigures) -> pd.DataFrame:
    """The change between every two years: per area, per parent unit and for the force.

    The rows of :attr:`PublicFigures.changes` and :attr:`PublicFigures.parent_changes`,
    typed; a parent unit's ``level`` is its level's key (``npu``). With strands, a
    ``strand`` column says whose change each row is (``all`` for the count column's).
    """
    parent = public.about.parent
    frames = []
    for figures in public.measures:
        rows = []
        for pair, area_rows in figures.changes.items():
            rows += area_rows[:-1]
            if parent is not None:
                rows += [r | {"level": parent.key} for r in figures.parent_changes[pair]]
            rows.append(area_rows[-1])
        frame = _typed_change(pd.DataFrame(rows, columns=list(change.CHANGE_COLUMNS)))
        if public.strands:
            frame.insert(0, "strand", figures.measure_key)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if public.strands else frames[0]


def _typed_change(frame: pd.DataFrame) -> pd.DataFrame:
    whole = ("earlier_count", "later_count", "difference", "earlier_days", "later_days")
    for col in (*whole, "earlier_population", "later_population"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    for col in ("rate_ratio", "ratio_lower", "ratio_upper"):
        if col in frame:
            frame[col] = frame[col].astype("float64").round(3)
    for col in ("p_value", "q_value"):
        if col in frame:
            frame[col] = [None if pd.isna(v) else float(f"{v:.4g}") for v in frame[col]]
            frame[col] = frame[col].astype("float64")
    return frame


CHANGE_LAYER_FIELDS = (
    "change",
    "change_status",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "p_value",
    "q_value",
)
"""The change fields the map layers carry, for the change between the last two years."""


def change_fields(rows: list[dict], names: pd.Series, pair: tuple[int, int]) -> pd.DataFrame:
    """The map layer's change columns (``change_2019_2020``, …) for units named ``names``."""
    by_name = {r["area"]: r for r in rows}
    suffix = f"_{pair[0]}_{pair[1]}"
    frame = pd.DataFrame(
        [{f: by_name[n][f] for f in CHANGE_LAYER_FIELDS} for n in names], index=names.index
    )
    frame["change"] = frame["change"].fillna("")
    return _typed_change(frame).rename(columns=lambda c: c + suffix)


def _victims_without_ages(public: PublicFigures) -> pd.DataFrame:
    rows = []
    for _, r in public.areas.sort_values(["year", "area"]).iterrows():
        for s in SEXES:
            n = r[f"victims_{s}"]
            if n:
                rows.append({"year": int(r["year"]), "area": r["area"], "sex": s, "count": int(n)})
    return pd.DataFrame(rows, columns=["year", "area", "sex", "count"])


def spatial_layers(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The names of the tables that have geometry."""
    return [name for name, t in tables.items() if isinstance(t, gpd.GeoDataFrame)]


def layer_styles(public: PublicFigures) -> dict[str, list[tuple[str, str, str]]]:
    """Per spatial layer: (style name, description, QML), the first being the default."""
    about = public.about
    years = public.years
    meta, level, parent = about.meta, about.level, about.parent
    noun = wording.measure_title(meta)

    def status(frame: pd.DataFrame | None, year: int) -> str | None:
        """The status field, where some unit has no data that year (else the plain style)."""
        if frame is None:
            return None
        mine = frame[frame["year"] == year]
        return f"victims_status_{year}" if (~mine["has_data"]).any() else None

    def count_and_rate(figures: PublicFigures, prefix: str, named: str) -> list:
        m = figures.about.meta
        return [
            (
                f"{named}victims {y}" if not named else f"{named}{y}",
                f"{wording.per_unit(m, level)}{wording.motive(m)}, {m.year_name(y)}, count classes",
                qgis_style.count_qml(
                    f"{prefix}victims_{y}",
                    level.name_key,
                    classes=figures.scale.counts,
                    status_field=None
                    if status(figures.areas, y) is None
                    else f"{prefix}{status(figures.areas, y)}",
                ),
            )
            for y in reversed(years)
        ] + [
            (
                f"{named}rate {y}",
                f"{noun} per 100,000 residents{wording.motive(m)}, {m.year_name(y)}",
                qgis_style.rate_qml(
                    f"{prefix}rate_per_100k_{y}",
                    f"{prefix}rate_status_{y}",
                    level.name_key,
                    classes=figures.scale.rates,
                    no_data=status(figures.areas, y) is not None,
                    no_population=bool((figures.areas["rate_status"] == "no_population").any()),
                    noun=wording.measure(m),
                ),
            )
            for y in reversed(years)
        ]

    areas = count_and_rate(public, "", "")
    last = f"{years[-2]}_{years[-1]}" if len(years) > 1 else None

    def change_style(
        unit: Level, dashed: bool, prefix: str = "", named: str = "", what: str = ""
    ) -> list[tuple[str, str, str]]:
        if last is None:
            return []
        a, b = years[-2], years[-1]
        return [
            (
                f"{named}change {a} to {b}",
                f"Change{what} from {meta.year_name(a)} to {meta.year_name(b)}: clearly higher, "
                "no clear change, clearly lower "
                "(Benjamini-Hochberg at 5%)",
                qgis_style.change_qml(
                    f"{prefix}change_{last}",
                    f"{prefix}change_status_{last}",
                    unit.name_key,
                    dashed=dashed,
                    noun=wording.measure(meta),
                ),
            )
        ]

    areas += change_style(level, True)
    for strand in public.strands:
        # Each strand's styles follow the table's own, named by the strand.
        key, m = strand.measure_key, strand.about.meta
        named = f"{wording.strand_label(m).lower()} "
        areas += count_and_rate(strand, f"{key}_", named)
        areas += change_style(level, True, f"{key}_", named, wording.motive(m))
    styles = {level.export_name: areas}
    if parent is not None:
        styles[parent.export_name] = [
            (
                f"victims {y}",
                f"{wording.per_unit(meta, parent)}, {meta.year_name(y)}, count classes",
                qgis_style.count_qml(
                    f"victims_{y}",
                    parent.name_key,
                    classes=public.scale.counts,
                    dashed=False,
                    status_field=status(public.parents, y),
                ),
            )
            for y in reversed(years)
        ] + change_style(parent, False)
    geography = about.geography
    fine, outline = geography.context_lines["fine"], geography.context_lines["outline"]
    if fine not in styles:
        styles[fine] = [
            (
                "outlines",
                f"{wording.layer_noun(fine)} outlines",
                qgis_style.line_qml(str(presentation.WARD_LINE["color"]), 0.2),
            )
        ]
    if outline not in styles:
        styles[outline] = [
            (
                "outlines",
                f"{wording.layer_noun(outline)} outlines",
                qgis_style.line_qml(
                    str(presentation.BOROUGH_LINE["color"]), 0.7, geography.outline_name_field
                ),
            )
        ]
    if geography.has_centres:
        styles["reporting_centres"] = [
            ("by kind", "Reporting centres by kind", qgis_style.centres_qml())
        ]
    return styles


def _styles_frame(styles: dict[str, list[tuple[str, str, str]]]) -> pd.DataFrame:
    rows = []
    for table, entries in styles.items():
        for i, (name, description, qml) in enumerate(entries):
            rows.append(
                {
                    "f_table_catalog": "",
                    "f_table_schema": "",
                    "f_table_name": table,
                    "f_geometry_column": GEOMETRY_COLUMN,
                    "styleName": name,
                    "styleQML": qml,
                    "styleSLD": "",
                    "useAsDefault": i == 0,
                    "description": description,
                    "owner": "",
                    "ui": "",
                    "update_time": FIXED_TIMESTAMP,
                }
            )
    return pd.DataFrame(rows)


def write_geopackage(
    path: Path, tables: dict[str, pd.DataFrame], styles: dict[str, list[tuple[str, str, str]]]
) -> None:
    """Write every table into one GeoPackage, atomically and byte-stably.

    Raises :class:`OSError` when GDAL cannot write it (a full disk, say).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        for name, table in tables.items():
            if isinstance(table, gpd.GeoDataFrame):
                pyogrio.write_dataframe(
                    table,
                    tmp,
                    layer=name,
                    driver="GPKG",
                    dataset_options={"VERSION": GPKG_VERSION},
                    layer_options={"GEOMETRY_NAME": GEOMETRY_COLUMN, "SPATIAL_INDEX": "NO"},
                )
            else:
                pyogrio.write_dataframe(
                    pd.DataFrame(table),
                    tmp,
                    layer=name,
                    driver="GPKG",
                    dataset_options={"VERSION": GPKG_VERSION},
                )
        pyogrio.write_dataframe(
            _styles_frame(styles),
            tmp,
            layer="layer_styles",
            driver="GPKG",
            layer_options={"FID": "id"},
        )
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FeatureError,
        pyogrio.errors.FieldError,
    ) as exc:
        # GDAL says so when the disk fills or the folder goes away; it is a write failure.
        raise OSError(f"the GeoPackage could not be written: {str(exc).splitlines()[0]}") from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        Path(tmp).unlink(missing_ok=True)


def geojson_text(gdf: gpd.GeoDataFrame) -> str:
    """RFC 7946 GeoJSON (WGS84, 6 decimals) of a layer."""
    wgs = gdf.to_crs(WEB_CRS)
    cols = [c for c in wgs.columns if c != "geometry"]
    records = [
        {c: (None if pd.isna(v) else v) for c, v in zip(cols, row, strict=True)}
        for row in wgs[cols].itertuples(index=False)
    ]
    return feature_collection_text(records, wgs.geometry.values, decimals=6)


def csv_of(df: pd.DataFrame) -> str:
    """A table as CSV text, geometry left out and empty values empty."""
    cols = [c for c in df.columns if c != "geometry"]
    formats = [SIGNIFICANT_FIELDS.get(c, ".2f") for c in cols]

    def cell(v: object, form: str) -> object:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return Decimal(format(v, form))  # a number, not text: written as it reads
        return v

    return csv_text(
        cols,
        (
            [cell(v, f) for v, f in zip(row, formats, strict=True)]
            for row in df[cols].itertuples(index=False)
        ),
    )


SIGNIFICANT_FIELDS = {
    "p_value": ".4g",
    "q_value": ".4g",
    "rate_ratio": ".3f",
    "ratio_lower": ".3f",
    "ratio_upper": ".3f",
}
"""Fields written with other than two decimals: p-values to four significant figures
(0.0039, 1.6e-05), ratios to three decimals."""


def downloads_readme(
    tables: dict[str, pd.DataFrame],
    files: list[tuple[str, str]],
    public: PublicFigures,
    include_ages: bool,
    *,
    field_docs: dict[str, str],
) -> str:
    """The data dictionary: every file, table and field, with periods and attribution.

    ``field_docs`` says what the geography's attributes mean (the boundaries'
    ``fields.csv``); the figures' own fields are described here.
    """
    docs = FIELD_DOCS | field_docs
    about = public.about
    meta = about.meta
    years = public.years
    entries = []
    for name, table in tables.items():
        spatial = isinstance(table, gpd.GeoDataFrame)
        entries.append(
            {
                "name": name,
                "spatial": spatial,
                "rows": len(table),
                "geometry": (table.geom_type.iloc[0] if spatial and len(table) else ""),
                "fields": [(c, _field_doc(c, docs)) for c in table.columns if c != "geometry"],
            }
        )
    return render_markdown(
        "downloads_README.md.j2",
        intro=wording.downloads_intro(meta, about),
        meta=meta,
        years=years,
        days={y: stats.period_days(meta.periods[y].start, meta.periods[y].end) for y in years},
        populations={y: about.geography.population_source(y) for y in years},
        vintage=about.geography.boundary_vintage,
        built=about.level.built,
        structure=about.geography.policing_structure,
        threshold=public.threshold,
        include_ages=include_ages,
        confidence=about.geography.confidence_meanings,
        gpkg=GPKG_NAME,
        files=files,
        tables=entries,
        ogl=about.geography.attribution,
        ogl_url=about.geography.licence_url,
        kind=about.kind,
        capabilities=about.capabilities,
        has_sex=about.has_sex,
        noun=wording.measure(meta),
        partial="; ".join(
            f"{y} is not a full year" for y in years if wording.partial_period(meta.periods[y])
        ),
        figures=wording.source_of_figures(meta, about.input_name),
        strands=", ".join(f"`{s.measure_key}`" for s in public.strands),
        strands_note=wording.strands_note(meta) if public.strands else "",
    )


def download_files(
    tables: dict[str, pd.DataFrame],
    styles: dict,
    boundaries: Boundaries,
    public: PublicFigures,
    include_ages: bool,
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Text files of the downloads folder (relative path → text) and the file list."""
    about = public.about
    files: dict[str, str] = {}
    listing: list[tuple[str, str]] = []

    def add(name: str, text: str, what: str) -> None:
        files[name] = text
        listing.append((name, what))

    for layer, entries in styles.items():
        for i, (style_name, description, qml) in enumerate(entries):
            suffix = "" if i == 0 else "_" + style_name.replace(" ", "_")
            add(f"{layer}{suffix}.qml", qml, f"QGIS style: {description}")
    levels_out = [lv for lv in (about.level, about.parent) if lv is not None]
    # Web GeoJSON from the committed web geometry (already WGS84, simplified).
    for level in levels_out:
        attrs = tables[level.export_name].drop(columns="geometry")
        geoms = {
            f["properties"][level.name_key]: f["geometry"]
            for f in boundaries.web_features(level.layer)
        }
        gdf = gpd.GeoDataFrame(
            attrs, geometry=[shape(geoms[k]) for k in attrs[level.name_key]], crs=WEB_CRS
        )
        add(
            f"{level.export_name}.geojson",
            geojson_text(gdf),
            f"{level.export_name.replace('_', ' ')} with each year's figures, WGS84 (RFC 7946), "
            "web geometry",
        )
    if "reporting_centres" in tables:
        centres = cast(gpd.GeoDataFrame, tables["reporting_centres"]).to_crs(WEB_CRS)
        add("reporting_centres.geojson", geojson_text(centres), "reporting centres, WGS84")
    csvs = [
        (f"{level.layer}.csv", figures_name(level), f"figures per {level.label} and year")
        for level in levels_out
    ]
    csvs += [
        (f"{name}.csv", name, str(spec["what"]))
        for name, spec in about.geography.extra_tables.items()
    ]
    if about.capabilities.offences_and_outcomes:
        csvs += [
            ("offences.csv", "foi_offences", "offences per year, as in the FOI answer"),
            ("outcomes.csv", "foi_outcomes", "outcomes per year, as in the FOI answer"),
        ]
    if "foi_victims" in tables:
        csvs.append(("victims.csv", "foi_victims", "victims per area, year and sex (no ages)"))
    if "foi_victims_by_age" in tables:
        csvs.append(
            (
                "victims_by_age.csv",
                "foi_victims_by_age",
                "victims per area, year, sex and age: only with --include-ages",
            )
        )
    if "change" in tables:
        earlier, later = public.years[-2:]
        csvs.append(
            (
                "change.csv",
                "change",
                f"change per area and for the force from {earlier} to {later}: both counts, "
                "populations and days, the rate ratio with its exact 95% interval, p- and "
                "q-values, and whether the change is clear",
            )
        )
    for name, table, what in csvs:
        add(name, csv_of(tables[table]), what + " (CSV, no geometry)")
    files["README.md"] = downloads_readme(
        tables, listing, public, include_ages, field_docs=boundaries.catalogue.field_docs
    )
    return files, listing
