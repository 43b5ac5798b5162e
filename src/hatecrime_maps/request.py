"""What a build is asked for: one frozen, keyword-only request from the CLI and the API.

The command line and :func:`hatecrime_maps.build_maps` both turn what they are
given into a :class:`BuildRequest` and hand it to
:func:`hatecrime_maps.pipeline.build_maps`; nothing else passes a build's
settings along. Paths are turned into :class:`~pathlib.Path` and impossible
combinations refused when the request is made, before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hatecrime_maps.errors import MetadataError, OptionError
from hatecrime_maps.geography.own import OwnBoundaries
from hatecrime_maps.io import defaults
from hatecrime_maps.outputs import basemaps


@dataclass(frozen=True, kw_only=True)
class Options:
    """How an input is read and mapped: what the figures are, and which level they are at.

    The metadata fields (``subject``, ``force`` (the police force), ``reference``,
    ``source_url``, ``periods`` as ``YEAR=START..END``) win over a ``metadata.json``
    and over what an answer's text states; ``level``, ``structure`` and
    ``map_level`` choose the areas; ``absent_as_zero``, ``area_column`` and
    ``count_column`` say how a counts table is read.
    """

    subject: str | None = None
    force: str | None = None
    reference: str | None = None
    source_url: str | None = None
    periods: tuple[str, ...] = ()
    level: str | None = None
    structure: str | None = None
    within: str | None = None
    """A council or force whose units a repeated name (a ward's "Abbey") means."""
    map_level: str | None = None
    absent_as_zero: bool = False
    area_column: str | None = None
    count_column: str | None = None

    def metadata_flags(self) -> dict[str, object]:
        """The metadata these options give, checked.

        As :func:`~hatecrime_maps.inputs.metadata.combine` takes it.
        """
        from hatecrime_maps.inputs.metadata import check_text, parse_period_flag

        flags: dict[str, object] = {
            k: check_text(k, v, "--" + k.replace("_", "-"))
            for k, v in (
                ("subject", self.subject),
                ("force", self.force),
                ("reference", self.reference),
                ("source_url", self.source_url),
            )
            if v
        }
        if self.periods:
            periods: dict[int, object] = {}
            for text in self.periods:
                year, period = parse_period_flag(text)
                if year in periods:
                    raise MetadataError("--period", f"{year} is given twice")
                periods[year] = period
            flags["periods"] = periods
        return flags


@dataclass(frozen=True, kw_only=True)
class BuildRequest:
    """One build: its inputs, what to publish and where to write it.

    ``foi`` is an FOI answer and ``counts`` a counts table; give one or neither
    (then the embedded FOI answer is read). ``out`` is replaced whole;
    ``replace_foreign`` lets the build go into a folder holding files this tool
    did not write (keeping them). ``pages_only`` writes the map pages and the
    landing page alone: no report, charts, print maps or downloads.

    Raises
    ------
    hatecrime_maps.errors.OptionError
        When both inputs are given, or ``include_ages`` with ``suppress_below`` or
        with a counts table.
    """

    foi: Path | None = None
    counts: Path | None = None
    boundaries: Path | None = None
    """A boundaries folder to map on; None tries the project's (the West Midlands, then the UK)."""
    own_boundaries: OwnBoundaries | None = None
    """A user's own boundaries file to map on instead (``--boundaries-file``)."""
    centres: Path = defaults.CENTRES
    groupings: Path = defaults.REFERENCE
    out: Path = defaults.MAPS
    tiles: str = basemaps.DEFAULT_TILES
    suppress_below: int | None = None
    include_ages: bool = False
    replace_foreign: bool = False
    pages_only: bool = False
    options: Options = field(default_factory=Options)
    tile_service: basemaps.Tiles | None = field(init=False, repr=False, compare=False)
    """The tile service ``tiles`` names, found when the request is made (None: no tiles)."""

    def __post_init__(self) -> None:
        for name in ("foi", "counts", "boundaries", "centres", "groupings", "out"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
        if self.foi is not None and self.counts is not None:
            raise OptionError(
                "--counts",
                "give an FOI answer (--foi FILE) or a counts table (--counts FILE), not both",
            )
        if self.include_ages and self.suppress_below:
            raise OptionError(
                "--include-ages",
                "cannot be combined with --suppress-below: the "
                "age-level table is the most detailed there is",
            )
        if self.include_ages and self.counts is not None:
            raise OptionError("--include-ages", "a counts table has no ages")
        if self.own_boundaries is not None and self.boundaries is not None:
            raise OptionError(
                "--boundaries-file", "give a boundaries folder or a boundaries file, not both"
            )
        object.__setattr__(self, "tile_service", basemaps.tiles_named(self.tiles))

    @property
    def input_path(self) -> Path:
        """The file the figures are read from."""
        return self.counts or self.foi or defaults.FOI

    @property
    def is_counts(self) -> bool:
        """Whether the input is a counts table (else an FOI answer)."""
        return self.counts is not None
