"""The public Python API: the command line's figures and maps, for notebooks and scripts.

Read an answer or a counts table once, then ask for what you need::

    >>> import hatecrime_maps as hm
    >>> answer = hm.read_answer()                 # the embedded FOI 1186A/20
    >>> figures = hm.figures(answer, year=2020)   # a GeoDataFrame, British National Grid
    >>> m = hm.folium_map(answer, year=2020)      # needs the [notebook] extra

Every function reads the same data, runs the same checks and raises the same
errors (subclasses of :class:`hatecrime_maps.errors.InputError`) as the
``hatecrime-maps`` command, which is a thin wrapper over :func:`build_maps`. The
figures are the ones the pages publish: under ``suppress_below`` exactly the
published values, with a ``*_status`` column saying why a value is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from hatecrime_maps import pipeline as pipeline
from hatecrime_maps.analysis.publish import PublicFigures
from hatecrime_maps.errors import ArgumentError
from hatecrime_maps.geography.boundaries import Boundaries as Boundaries
from hatecrime_maps.geography.boundaries import geographies
from hatecrime_maps.inputs import categories
from hatecrime_maps.inputs import centres as centres_module
from hatecrime_maps.io import defaults
from hatecrime_maps.model import WEB_CRS, WORK_CRS, Metadata
from hatecrime_maps.outputs import exports
from hatecrime_maps.request import BuildRequest, Options


def _path_argument(path: object, name: str = "path") -> Path:
    if isinstance(path, (str, Path)) and str(path):
        return Path(path)
    raise ArgumentError(name, f"must be a file path (str or Path), not {type(path).__name__}")


def _year_argument(year: object, years: list[int]) -> int:
    """A year the figures cover, given as a whole number."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ArgumentError(
            "year",
            f"must be a whole number such as {years[-1]}, not {type(year).__name__} {year!r}",
        )
    if year not in years:
        raise ArgumentError("year", f"the figures cover {', '.join(map(str, years))}, not {year}")
    return year


def _strand_argument(strand: object, public: PublicFigures) -> PublicFigures:
    """The figures of one strand of ``public`` (None: the table's count, all the figures)."""
    if strand is None:
        return public
    held = {f.measure_key: f for f in public.strands}
    if not isinstance(strand, str) or strand not in held:
        choices = ", ".join(repr(k) for k in held) if held else "none: the figures have no strands"
        raise ArgumentError(
            "strand", f"{strand!r} is not a strand of these figures (held: {choices})"
        )
    return held[strand]


def _threshold_argument(suppress_below: object) -> int | None:
    if suppress_below is None:
        return None
    if isinstance(suppress_below, bool) or not isinstance(suppress_below, int):
        raise ArgumentError(
            "suppress_below",
            f"must be a whole number such as 5, not {type(suppress_below).__name__} "
            f"{suppress_below!r}",
        )
    return suppress_below


def _boundaries_argument(boundaries: object) -> Boundaries:
    """The geography to use: a :class:`Boundaries` as given, or one read from a folder."""
    if isinstance(boundaries, Boundaries):
        return boundaries
    if boundaries is None:
        return Boundaries(defaults.BOUNDARIES)
    return Boundaries(_path_argument(boundaries, "boundaries"))


def _geographies_argument(boundaries: object) -> list[Boundaries]:
    """The geographies to try: the one given, else the project's (West Midlands, then UK)."""
    if boundaries is None:
        return geographies()
    return [_boundaries_argument(boundaries)]


def _geographies_of(answer: object, boundaries: object) -> list[Boundaries]:
    """The geographies asked for, else those an :class:`Answer` was read against."""
    if boundaries is None and isinstance(answer, Answer):
        return answer._geographies
    return _geographies_argument(boundaries)


def _published_of(
    answer: Answer | PublicFigures, boundaries: object, **options: Any
) -> tuple[PublicFigures, Boundaries]:
    """``answer`` as published figures, and the geography (cut to its extent) they are on.

    Published figures are taken as they are, on the geography they were published on.
    ``options`` are :func:`published`'s keywords, which the callers spell out.
    """
    _public_argument(answer)
    candidates = _geographies_of(answer, boundaries)
    if isinstance(answer, PublicFigures):
        about = answer.about
        for geography in candidates:
            # The figures cite their level's boundaries and the sets drawn, not the folder's
            # whole provenance: the geography is the one of that name.
            if geography.provenance.name == about.geography.name:
                last_day = about.meta.span(answer.years)[1]
                cut = geography.within(about.level.key, set(answer.areas["area"]), on=last_day)
                return answer, cut
        raise ArgumentError(
            "boundaries",
            f"the figures are drawn on the {about.geography.name} boundaries: pass that "
            "boundaries folder",
        )
    return _publish(answer, candidates, **options)


def _publish(
    answer: Answer,
    candidates: list[Boundaries],
    *,
    level: str | None = None,
    map_level: str | None = None,
    structure: str | None = None,
    absent_as_zero: bool = False,
    suppress_below: int | None = None,
) -> tuple[PublicFigures, Boundaries]:
    suppress_below = _threshold_argument(suppress_below)
    options = Options(
        level=level, map_level=map_level, structure=structure, absent_as_zero=absent_as_zero
    )
    mapped = pipeline.choose_geography(answer._tidy, candidates, options)
    public, _, _, _ = pipeline.build_public(
        answer._tidy, mapped, options, answer._groupings, suppress_below
    )
    return public, mapped.boundaries


def _period_flags(periods: Mapping[int, str] | Iterable[str] | None) -> tuple[str, ...]:
    """``{2021: "2021-01-01..2021-12-31"}`` or ``["2021=…"]`` as ``--period`` flags."""
    if isinstance(periods, Mapping):
        return tuple(f"{y}={p}" for y, p in periods.items())
    return tuple(periods or ())


def _public_argument(answer: object, name: str = "answer") -> None:
    if not isinstance(answer, (Answer, PublicFigures)):
        raise ArgumentError(
            name,
            "must be an Answer from read_answer() or the PublicFigures of published(), "
            f"not {type(answer).__name__}",
        )


@dataclass(frozen=True)
class Answer:
    """An FOI answer or counts table, read and checked, with what its figures are.

    Attributes
    ----------
    source : str
        The file it was read from.
    kind : str
        ``"foi"`` for an FOI answer's text, ``"counts"`` for a counts table.
    metadata : Metadata
        Subject, force, reference, source address and the period of each year.
    years : list of int
        The years the figures cover.
    counts : pandas.DataFrame
        The counts as the input gives them: ``year, name, sex, count, strand``
        (``sex`` empty when the input has no split by sex; ``strand`` empty for
        the table's count of all crimes, else the strand a column counts, as
        :data:`hatecrime_maps.model.STRANDS` names them).
    inferred : tuple of str
        What was read from the answer's text rather than given.

    Examples
    --------
    >>> answer = read_answer()
    >>> answer.counts.groupby("year")["count"].sum().to_dict()
    {2019: 22, 2020: 58}
    """

    source: str
    kind: str
    metadata: Metadata
    years: list[int]
    counts: pd.DataFrame
    inferred: tuple[str, ...]
    _tidy: pipeline.TidyInput
    _groupings: categories.Groupings | None
    _geographies: list[Boundaries]

    def table(self, name: str) -> pd.DataFrame:
        """One of an FOI answer's tidy tables: ``victims``, ``offences``, ``outcomes``, ``totals``.

        Parameters
        ----------
        name : str
            The table's name, as ``hatecrime-maps parse`` writes it.

        Returns
        -------
        pandas.DataFrame
            The table, one row per figure.

        Raises
        ------
        hatecrime_maps.errors.ArgumentError
            For a counts table, which has none of these, or an unknown name.

        Examples
        --------
        >>> int(read_answer().table("offences")["count"].sum())
        80
        """
        if self._tidy.foi is None:
            raise ArgumentError("name", f"{self.source} is a counts table: it has no {name} table")
        if name not in ("victims", "offences", "outcomes", "totals"):
            raise ArgumentError("name", f"no table {name!r}: victims, offences, outcomes or totals")
        return self._tidy.foi.frame(name)


def read_answer(
    path: str | Path | None = None,
    *,
    counts: bool | None = None,
    subject: str | None = None,
    force: str | None = None,
    reference: str | None = None,
    source_url: str | None = None,
    periods: Mapping[int, str] | Iterable[str] | None = None,
    area_column: str | None = None,
    count_column: str | None = None,
    boundaries: str | Path | Boundaries | None = None,
) -> Answer:
    """Read an FOI answer's text or a counts table, as ``hatecrime-maps build`` does.

    Parameters
    ----------
    path : str or Path, optional
        The file; the embedded FOI 1186A/20 answer when not given.
    counts : bool, optional
        True for a counts table, False for an FOI answer's text; by default
        ``.csv``, ``.tsv`` and ``.xlsx`` files are counts tables.
    subject, force, reference, source_url : str, optional
        What the figures are, as the flags of the same names (they win over a
        ``metadata.json`` beside the file and over what the text states).
    periods : mapping or iterable, optional
        The period of each year, as ``{2021: "2021-01-01..2021-12-31"}`` or
        ``["2021=2021-01-01..2021-12-31"]``.
    area_column, count_column : str, optional
        The counts table's columns, when their headers do not say.
    boundaries : str, Path or Boundaries, optional
        The geography the answer is read against (its levels name a counts
        table's area columns) and later mapped on; the project's
        ``boundaries/`` by default.

    Returns
    -------
    Answer
        The checked input and its metadata.

    Raises
    ------
    hatecrime_maps.errors.ArgumentError
        A ``path`` that is not a str or Path.
    hatecrime_maps.errors.InputError
        A subclass naming the file and line: :class:`~hatecrime_maps.errors.AnswerError`,
        :class:`~hatecrime_maps.errors.CountsTableError` or
        :class:`~hatecrime_maps.errors.MetadataError`.

    Examples
    --------
    >>> answer = read_answer()
    >>> answer.kind, answer.years
    ('foi', [2019, 2020])
    >>> answer.metadata.periods[2020].label
    '1 January to 9 December 2020'
    """
    path = _path_argument(path) if path is not None else defaults.FOI
    if counts is None:
        counts = pipeline.is_counts_table(path)
    period_flags = _period_flags(periods)
    options = Options(
        subject=subject,
        force=force,
        reference=reference,
        source_url=source_url,
        periods=period_flags,
        area_column=area_column,
        count_column=count_column,
    )
    candidates = _geographies_argument(boundaries)
    tidy = pipeline.read_input(
        path, counts, options, header_levels=pipeline.header_levels(candidates)
    )
    return Answer(
        tidy.source,
        tidy.kind,
        tidy.metadata,
        list(tidy.years),
        tidy.counts.copy(),
        tidy.metadata.inferred,
        tidy,
        pipeline.read_groupings(tidy, defaults.REFERENCE),
        candidates,
    )


def published(
    answer: Answer,
    *,
    level: str | None = None,
    map_level: str | None = None,
    structure: str | None = None,
    absent_as_zero: bool = False,
    suppress_below: int | None = None,
    boundaries: str | Path | Boundaries | None = None,
) -> PublicFigures:
    """Everything a build would publish from ``answer``: the record, suppressed once.

    Parameters
    ----------
    answer : Answer
        From :func:`read_answer`.
    level : str, optional
        ``sector``, ``npu``, ``borough`` or ``ward``: the level of the input's
        names (found from them by default).
    map_level : str, optional
        A coarser level to roll the figures up to.
    structure : str, optional
        Use this structure even outside its dates.
    absent_as_zero : bool, default False
        In a counts table, an area not listed had none (not "no data").
    suppress_below : int, optional
        Withhold counts below this, and every figure that would reveal them.
    boundaries : str, Path or Boundaries, optional
        The geography: a boundaries folder, or a :class:`Boundaries` already
        read (then it is not read again). By default, the one an
        :class:`Answer` was read against, else the project's ``boundaries/``.

    Returns
    -------
    PublicFigures
        The published figures per area and parent unit, and what they are
        (``.about``).

    Raises
    ------
    hatecrime_maps.errors.AreaError
        Names that match no area, mix levels, or belong to a structure with no
        boundaries.
    hatecrime_maps.errors.ArgumentError
        An ``answer`` that is not an :class:`Answer`, or a ``suppress_below``
        that is not a whole number.
    hatecrime_maps.errors.OptionError
        A threshold below 3, or a level or structure the tool does not know.

    Examples
    --------
    >>> public = published(read_answer())
    >>> public.about.level.plural, public.force[2020]["victims"]
    ('policing areas', 58)
    """
    if not isinstance(answer, Answer):
        raise ArgumentError(
            "answer", f"must be an Answer from read_answer(), not {type(answer).__name__}"
        )
    public, _ = _publish(
        answer,
        _geographies_of(answer, boundaries),
        level=level,
        map_level=map_level,
        structure=structure,
        absent_as_zero=absent_as_zero,
        suppress_below=suppress_below,
    )
    return public


def figures(
    answer: Answer | PublicFigures,
    *,
    year: int | None = None,
    parents: bool = False,
    boundaries: str | Path | Boundaries | None = None,
    level: str | None = None,
    map_level: str | None = None,
    structure: str | None = None,
    absent_as_zero: bool = False,
    suppress_below: int | None = None,
    strand: str | None = None,
) -> gpd.GeoDataFrame:
    """The figures as a GeoDataFrame in British National Grid, one row per area and year.

    The rows and columns are those of the CSV download of the same level
    (``areas.csv``, ``wards.csv``, …), figure for figure, with the geometry:
    names and codes, ``victims`` with its sex split (where the input has one),
    ``population``, ``rate_per_100k`` with its 95% interval, the annualised
    rate, ``rate_status``, ``victims_status`` and boundary ``confidence``.

    Parameters
    ----------
    answer : Answer or PublicFigures
        From :func:`read_answer` or :func:`published`.
    year : int, optional
        Only this year.
    parents : bool, default False
        The level above instead (NPUs for sectors, boroughs for wards).
    boundaries : str, Path or Boundaries, optional
        The geography: a boundaries folder, or a :class:`Boundaries` already
        read (then it is not read again). By default, the one an
        :class:`Answer` was read against, else the project's ``boundaries/``.
    level, map_level, structure, absent_as_zero, suppress_below : optional
        For an :class:`Answer`: as for :func:`published`.
    strand : str, optional
        For a table with one column per strand, that strand's figures
        (``"race"``, …: as for :func:`folium_map`); by default the table's count.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:27700; see :func:`to_web` for web maps. For
        ``GeoDataFrame.explore()``, pass ``column="victims"`` and a tooltip
        list of the name, ``victims`` and ``rate_per_100k`` columns.

    Raises
    ------
    hatecrime_maps.errors.ArgumentError
        For an ``answer`` of another type, ``parents=True`` at a level with
        nothing above it (boroughs), or a ``year`` that is not a whole number
        the figures cover, or a ``strand`` they do not hold. It is also a ``ValueError``.
    hatecrime_maps.errors.InputError
        As for :func:`published`.

    Examples
    --------
    >>> frame = figures(read_answer(), year=2020)
    >>> frame.crs.to_epsg(), len(frame)
    (27700, 25)
    >>> int(frame.set_index("area").loc["Birmingham City Centre", "victims"])
    24
    """
    public, geography_read = _published_of(
        answer,
        boundaries,
        level=level,
        map_level=map_level,
        structure=structure,
        absent_as_zero=absent_as_zero,
        suppress_below=suppress_below,
    )
    public = _strand_argument(strand, public)
    about = public.about
    shown = about.parent if parents else about.level
    frame = public.parents if parents else public.areas
    if shown is None or frame is None:
        raise ArgumentError("parents", f"{about.level.plural} have no level above them")
    if year is not None:
        frame = frame[frame["year"] == _year_argument(year, public.years)]
    keys = list(shown.export_keys)
    table = exports.long(exports.native(frame, shown), keys)
    shapes = geography_read.layer(shown.layer)
    merged = table.merge(
        shapes[[shown.name_key, "geometry"]], on=shown.name_key, how="left", validate="many_to_one"
    )
    return gpd.GeoDataFrame(exports._ints(merged), geometry="geometry", crs=WORK_CRS)


def to_web(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame in WGS84 longitude and latitude, for web maps and GeoJSON.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Any frame of this package (British National Grid).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326.

    Examples
    --------
    >>> to_web(geography_layer("borough")).crs.to_epsg()
    4326
    """
    return frame.to_crs(WEB_CRS)


def geography_layer(
    level: str, boundaries: str | Path | Boundaries | None = None
) -> gpd.GeoDataFrame:
    """One level's areas on their own: ``sector``, ``npu``, ``borough`` or ``ward``.

    Parameters
    ----------
    level : str
        The level.
    boundaries : str, Path or Boundaries, optional
        The geography: a boundaries folder, or a :class:`Boundaries` already
        read (then it is not read again); the project's ``boundaries/`` by
        default.

    Returns
    -------
    geopandas.GeoDataFrame
        Names, codes, parent units, boundary confidence and mid-year
        populations, in EPSG:27700.

    Raises
    ------
    hatecrime_maps.errors.ArgumentError
        For an unknown level (also a ``ValueError``).

    Examples
    --------
    >>> len(geography_layer("ward")), len(geography_layer("npu"))
    (192, 8)
    """
    geography_read = _boundaries_argument(boundaries)
    known = geography_read.catalogue.levels
    if level not in known:
        raise ArgumentError("level", f"{level!r} is not one of {', '.join(known)}")
    return geography_read.layer(known[level].layer)


def reporting_centres(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The reporting centres with a known location, as points in EPSG:27700.

    Parameters
    ----------
    path : str or Path, optional
        The centres CSV; the embedded ``data/reporting_centres.csv`` by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Name, kind, address, how and how precisely each was located.

    Raises
    ------
    hatecrime_maps.errors.CentresError
        A bad row, naming its line.

    Examples
    --------
    >>> sorted(reporting_centres()["kind"].unique())
    ['hate_crime_surgery', 'third_party_reporting_centre']
    """
    found = centres_module.load_centres(Path(path or defaults.CENTRES))
    return exports.centres_frame(found).to_crs(WORK_CRS)


def build_maps(
    answer_path: str | Path | None = None,
    *,
    counts: bool | None = None,
    out: str | Path = defaults.MAPS,
    tiles: str = "positron",
    suppress_below: int | None = None,
    include_ages: bool = False,
    replace_foreign: bool = False,
    boundaries: str | Path | None = None,
    centres: str | Path | None = None,
    pages_only: bool = False,
    subject: str | None = None,
    force: str | None = None,
    reference: str | None = None,
    source_url: str | None = None,
    periods: Mapping[int, str] | Iterable[str] | None = None,
    area_column: str | None = None,
    count_column: str | None = None,
    level: str | None = None,
    structure: str | None = None,
    map_level: str | None = None,
    absent_as_zero: bool = False,
) -> pipeline.BuildResult:
    """Build the maps, report and downloads into ``out``: the whole ``hatecrime-maps build``.

    Parameters
    ----------
    answer_path : str or Path, optional
        An FOI answer or a counts table; the embedded answer by default.
    counts : bool, optional
        As for :func:`read_answer`.
    out : str or Path, default "maps"
        The folder to write, replaced whole.
    tiles : str, default "positron"
        ``positron``, ``osm`` or ``none`` (pages that request nothing).
    suppress_below, include_ages : optional
        As the flags of the same names.
    replace_foreign : bool, default False
        Build into a folder holding files this tool did not write.
    boundaries, centres : str or Path, optional
        Other geography or reporting centres.
    pages_only : bool, default False
        Write the map pages and the landing page alone (``--pages-only``).
    subject, force, reference, source_url, periods, area_column, count_column : optional
        As for :func:`read_answer` (``force`` is the police force).
    level, structure, map_level, absent_as_zero : optional
        As for :func:`published`.

    Returns
    -------
    BuildResult
        The paths written, the published figures and what to tell the user.

    Raises
    ------
    hatecrime_maps.errors.InputError
        Any input problem; nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> result = build_maps(out=Path(tempfile.mkdtemp()) / "maps", tiles="none")
    >>> sorted(p.name for p in result.paths if p.name.startswith("map-") and p.suffix == ".html")
    ['map-2019.html', 'map-2020.html']
    """
    path = _path_argument(answer_path) if answer_path is not None else defaults.FOI
    if counts is None:
        counts = pipeline.is_counts_table(path)
    request = BuildRequest(
        foi=None if counts else path,
        counts=path if counts else None,
        boundaries=_path_argument(boundaries, "boundaries") if boundaries else defaults.BOUNDARIES,
        centres=_path_argument(centres, "centres") if centres else defaults.CENTRES,
        out=_path_argument(out, "out"),
        tiles=tiles,
        suppress_below=_threshold_argument(suppress_below),
        include_ages=include_ages,
        replace_foreign=replace_foreign,
        pages_only=pages_only,
        options=Options(
            subject=subject,
            force=force,
            reference=reference,
            source_url=source_url,
            periods=_period_flags(periods),
            level=level,
            structure=structure,
            map_level=map_level,
            absent_as_zero=absent_as_zero,
            area_column=area_column,
            count_column=count_column,
        ),
    )
    return pipeline.build_maps(request)


def folium_map(
    answer: Answer | PublicFigures,
    year: int | None = None,
    *,
    tiles: str | None = "OpenStreetMap",
    centres: bool = True,
    boundaries: str | Path | Boundaries | None = None,
    centres_path: str | Path | None = None,
    level: str | None = None,
    map_level: str | None = None,
    structure: str | None = None,
    absent_as_zero: bool = False,
    suppress_below: int | None = None,
    strand: str | None = None,
) -> Any:
    """A folium map of one year's figures, in the pages' classes and colours.

    Parameters
    ----------
    answer : Answer or PublicFigures
        From :func:`read_answer` or :func:`published`.
    year : int, optional
        The year to draw; the latest by default.
    tiles : str or None, default "OpenStreetMap"
        A folium basemap name, or None for none (a map that fetches no tiles).
    centres : bool, default True
        Draw the reporting centres with a known location.
    boundaries : str, Path or Boundaries, optional
        As for :func:`published`.
    centres_path : str or Path, optional
        Other reporting centres.
    level, map_level, structure, absent_as_zero, suppress_below : optional
        For an :class:`Answer`: as for :func:`published`.
    strand : str, optional
        For a table with one column per strand, the strand to draw (``"race"``,
        ``"religion"``, ``"sexual_orientation"``, ``"disability"``,
        ``"transgender"``: see ``figures.strands``); by default the table's count.
        Each strand is a map of its own, in its own classes with its own legend.

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; add to it as to any folium map. Its layer
        control switches between counts, rates and the level above.

    Raises
    ------
    ImportError
        When folium is not installed, naming the ``[notebook]`` extra.
    hatecrime_maps.errors.ArgumentError
        An ``answer`` of another type, a ``year`` the figures do not cover, or a
        ``strand`` they do not hold.

    Examples
    --------
    >>> import hatecrime_maps as hm
    >>> m = hm.folium_map(hm.read_answer(), 2020, tiles=None)
    >>> "Birmingham City Centre" in m.get_root().render()
    True
    """
    from hatecrime_maps.outputs import notebook

    notebook.import_folium()  # before any work: a missing extra is named at once
    public, geography_read = _published_of(
        answer,
        boundaries,
        level=level,
        map_level=map_level,
        structure=structure,
        absent_as_zero=absent_as_zero,
        suppress_below=suppress_below,
    )
    shown_year = _year_argument(year, public.years) if year is not None else public.years[-1]
    public = _strand_argument(strand, public)
    places = (
        centres_module.load_centres(
            _path_argument(centres_path, "centres_path") if centres_path else defaults.CENTRES
        )
        if centres and geography_read.provenance.has_centres
        else []
    )
    return notebook.draw_folium_map(
        public, shown_year, boundaries=geography_read, centres=places, tiles=tiles
    )
