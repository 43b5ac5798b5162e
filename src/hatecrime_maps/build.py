"""``hatecrime-maps build``: from the embedded data to ``maps/``.

The pipeline, one stage after another::

    FOI text ─▶ tidy tables ─▶ joined to areas and NPUs ─▶ published figures
             ─▶ map pages, landing page and data downloads

Inputs are read and checked, every output is rendered in memory, and only then
is anything written (each file atomically), so a bad input leaves ``maps/``
as it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hatecrime_maps import webmap
from hatecrime_maps.centres import load_centres
from hatecrime_maps.errors import InputError
from hatecrime_maps.files import csv_text, write_text_atomic
from hatecrime_maps.join import ALIASES_FILE, join_victims, load_aliases
from hatecrime_maps.metadata import METADATA_FILE, load_metadata
from hatecrime_maps.publish import COUNT_MEASURES, PublicFigures, publish
from hatecrime_maps.tidy import load_foi

DEFAULT_FOI = Path("data/foi/1186A-20/response.txt")
DEFAULT_CENTRES = Path("data/reporting_centres.csv")
DEFAULT_BOUNDARIES = Path("boundaries")
DEFAULT_OUT = Path("maps")

RATE_COLUMNS = ("rate_per_100k", "rate_lower", "rate_upper", "annualised_rate_per_100k",
                "annualised_lower", "annualised_upper")


def web_attributes(boundaries_dir: Path, layer: str) -> pd.DataFrame:
    """Attributes of a committed web layer, read as plain JSON."""
    path = Path(boundaries_dir) / "web" / f"{layer}.geojson"
    if not path.exists():
        raise InputError(str(path), "file not found (is --boundaries the project's "
                         "boundaries folder?)")
    return pd.DataFrame([f["properties"] for f in webmap.read_web_layer(boundaries_dir, layer)])


def figures_csv(frame: pd.DataFrame, key_columns: list[str]) -> str:
    """Published figures as CSV: withheld counts empty with their status, rates to 2 dp."""
    columns = [*key_columns, "year", "period_start", "period_end", "period_days",
               "listed_in_foi"]
    for m in COUNT_MEASURES:
        if m in frame.columns:
            columns += [m, f"{m}_status"]
    columns += ["population", "population_year", "rate_status", *RATE_COLUMNS]

    def cell(column: str, value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        if column in RATE_COLUMNS:
            return f"{value:.2f}"
        if isinstance(value, bool) or column == "listed_in_foi":
            return "true" if value else "false"
        return value

    rows = [[cell(c, row[c]) for c in columns]
            for _, row in frame.sort_values(["year", key_columns[1]]).iterrows()]
    return csv_text(columns, rows)


DOWNLOADS = {
    "downloads/areas.csv": "victims, population and rate per policing area and year (no "
                           "geometry; withheld figures are empty with a status)",
    "downloads/npus.csv": "the same per Neighbourhood Policing Unit",
}


def render_outputs(public: PublicFigures, meta, boundaries_dir: Path, centres: list,
                   tiles: webmap.Tiles | None) -> dict[str, str]:
    """Every file of ``maps/``, by relative path."""
    years = sorted(int(y) for y in public.areas["year"].unique())
    files = {}
    for year in years:
        files[webmap.map_file_name(year)] = webmap.render_map_page(
            public, year, meta, boundaries_dir, centres, tiles,
            other_years=[y for y in years if y != year])
    files["downloads/areas.csv"] = figures_csv(public.areas, ["area_id", "area", "npu",
                                                              "borough", "confidence",
                                                              "name_status"])
    files["downloads/npus.csv"] = figures_csv(public.npus, ["npu_id", "npu", "borough",
                                                            "confidence"])
    files["index.html"] = webmap.render_index_page(
        public, meta, years, list(DOWNLOADS.items()), "", tiles)
    return files


def build_maps(foi_path: Path = DEFAULT_FOI, boundaries_dir: Path = DEFAULT_BOUNDARIES,
               centres_path: Path = DEFAULT_CENTRES, out_dir: Path = DEFAULT_OUT,
               tiles: str = webmap.DEFAULT_TILES, suppress_below: int | None = None
               ) -> list[Path]:
    """Run the whole pipeline and write ``out_dir``; return the paths written."""
    foi_path, boundaries_dir = Path(foi_path), Path(boundaries_dir)
    tables = load_foi(foi_path)
    if not (foi_path.parent / METADATA_FILE).exists():
        raise InputError(str(foi_path.parent / METADATA_FILE), "not found: each FOI answer "
                         "needs a metadata.json beside it giving the period each year covers")
    meta = load_metadata(foi_path)
    areas = web_attributes(boundaries_dir, "areas")
    npus = web_attributes(boundaries_dir, "npus")
    aliases = load_aliases(boundaries_dir / ALIASES_FILE)
    periods = {y: p for y, p in meta.periods.items() if y in tables.years}
    area_figs, npu_figs = join_victims(tables.frame("victims"), areas, npus, periods, aliases,
                                       str(foi_path))
    public = publish(area_figs, npu_figs, suppress_below)
    centres = load_centres(Path(centres_path))
    files = render_outputs(public, meta, boundaries_dir, centres,
                           None if tiles == "none" else webmap.TILES[tiles])
    written = []
    for rel, text in files.items():
        write_text_atomic(Path(out_dir) / rel, text)
        written.append(Path(out_dir) / rel)
    return written


def page_sizes(paths: list[Path]) -> str:
    """A short report of what was written and how big each page is."""
    return "\n".join(f"wrote {p} ({p.stat().st_size:,} bytes)" for p in paths)


