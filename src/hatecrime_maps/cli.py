"""The ``hatecrime-maps`` command line.

Every command turns bad input into a one-line message naming the file and
line, and exit code 2. Nothing is written unless the whole run succeeds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hatecrime_maps import __version__
from hatecrime_maps.errors import InputError, OptionError
from hatecrime_maps.io import defaults
from hatecrime_maps.outputs import basemaps

EXIT_BAD_INPUT = 2


def _cmd_parse(args: argparse.Namespace) -> int:
    from hatecrime_maps.inputs.tidy import load_foi, write_tables

    tables = load_foi(args.foi_file, lenient=args.lenient)
    for path in write_tables(tables, args.out):
        print(f"wrote {path}")
    for warning in tables.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from hatecrime_maps.inputs.reconcile import reconcile
    from hatecrime_maps.inputs.report import validation_report
    from hatecrime_maps.inputs.tidy import read_answer

    parsed = read_answer(args.foi_file)
    checks = reconcile(parsed)
    print(validation_report(parsed, checks))
    failed = [c for c in checks if not c.ok]
    for c in failed:
        print(f"{parsed.source}:{c.line}: {c.describe()}", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def _cmd_boundaries_build(args: argparse.Namespace) -> int:
    from hatecrime_maps.geography.boundary_build import build_boundaries

    for path in build_boundaries(args.source, args.out, args.crosswalk):
        print(f"wrote {path}")
    return 0


def _cmd_boundaries_build_uk(args: argparse.Namespace) -> int:
    from hatecrime_maps.geography.boundary_build import build_uk_boundaries

    for path in build_uk_boundaries(args.source, args.out):
        print(f"wrote {path}")
    return 0


def _options(args: argparse.Namespace):
    from hatecrime_maps.request import Options

    reference = getattr(args, "foi_reference", None)
    if reference and Path(reference).is_dir():
        raise OptionError(
            "--reference",
            f"takes the FOI reference (such as 1186A/20), not a "
            f"folder ({reference}); give the offence groups and outcome types "
            "folder with --groupings",
        )
    return Options(
        subject=getattr(args, "subject", None),
        force=getattr(args, "force", None),
        reference=reference,
        source_url=getattr(args, "source_url", None),
        periods=tuple(args.period or ()),
        level=args.level,
        structure=args.structure,
        within=getattr(args, "within", None),
        map_level=getattr(args, "map_level", None),
        absent_as_zero=getattr(args, "absent_as_zero", False),
        area_column=args.area_column,
        count_column=args.count_column,
    )


def _own_boundaries(args: argparse.Namespace):
    from hatecrime_maps.geography.own import OwnBoundaries

    if args.boundaries_file is None:
        for flag in ("name_field", "code_field", "boundaries_attribution", "population_field"):
            if getattr(args, flag) is not None:
                raise OptionError(
                    "--" + flag.replace("_", "-"), "is for --boundaries-file: give that too"
                )
        return None
    if args.name_field is None:
        raise OptionError("--boundaries-file", "needs --name-field: the field that names each area")
    return OwnBoundaries(
        path=args.boundaries_file,
        name_field=args.name_field,
        code_field=args.code_field,
        attribution=args.boundaries_attribution,
        population_field=args.population_field,
        population_year=args.population_year,
    )


def _cmd_build(args: argparse.Namespace) -> int:
    from hatecrime_maps.pipeline import build_maps, page_sizes, suppression_report
    from hatecrime_maps.request import BuildRequest

    result = build_maps(
        BuildRequest(
            foi=args.foi,
            counts=args.counts,
            boundaries=args.boundaries,
            own_boundaries=_own_boundaries(args),
            centres=args.centres,
            groupings=args.groupings,
            out=args.out,
            tiles=args.tiles,
            suppress_below=args.suppress_below,
            include_ages=args.include_ages,
            replace_foreign=args.replace_foreign,
            pages_only=args.pages_only,
            options=_options(args),
        )
    )
    for note in result.notes:
        print(note, file=sys.stderr)
    print(page_sizes(result.paths))
    if args.suppress_below:
        print(suppression_report(result.public))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from hatecrime_maps.pipeline import check_input, geographies_asked

    with geographies_asked(args.boundaries, _own_boundaries(args)) as candidates:
        report, error = check_input(args.file, geographies=candidates, options=_options(args))
    print(report)
    if error is not None:
        raise error
    return 0


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _metadata_arguments(p: argparse.ArgumentParser, periods_only: bool = False) -> None:
    p.add_argument(
        "--period",
        action="append",
        metavar="YEAR=START..END",
        help="the dates a year of the figures covers, e.g. "
        "2020=2020-01-01..2020-12-09 (repeatable)",
    )
    if periods_only:
        return
    p.add_argument(
        "--subject",
        metavar="TEXT",
        help="what the figures are about, e.g. 'disability hate crimes'",
    )
    p.add_argument(
        "--force",
        metavar="TEXT",
        help="the police force that gave the figures",
    )
    p.add_argument(
        "--reference", dest="foi_reference", metavar="TEXT", help="the FOI reference, e.g. 1186A/20"
    )
    p.add_argument("--source-url", metavar="URL", help="where the figures were published")


def _boundaries_folder_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--boundaries",
        type=Path,
        default=None,
        metavar="DIR",
        help="map on this boundaries folder only (default: the West Midlands' "
        f"{defaults.BOUNDARIES}, else the UK's {defaults.UK_BOUNDARIES})",
    )


def _own_boundaries_arguments(p: argparse.ArgumentParser) -> None:
    own = p.add_argument_group("your own boundaries")
    own.add_argument(
        "--boundaries-file",
        type=Path,
        metavar="FILE",
        help="map on the areas of this file (GeoJSON, GeoPackage or Shapefile, any CRS) "
        "instead of the project's boundaries",
    )
    own.add_argument(
        "--name-field", metavar="F", help="the field naming each area as the counts table does"
    )
    own.add_argument("--code-field", metavar="C", help="a field of codes the table may use")
    own.add_argument(
        "--boundaries-attribution",
        metavar="TEXT",
        help="the file's attribution, shown on every map and download",
    )
    own.add_argument(
        "--population-field", metavar="P", help="a field of residents, for rates per 100,000"
    )
    own.add_argument(
        "--population-year", type=int, metavar="YEAR", help="the year of --population-field"
    )


def _level_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--level",
        metavar="LEVEL",
        default=None,
        help="the level of the input's areas, a level of the boundaries' levels.csv "
        "(default: found from the names)",
    )
    p.add_argument(
        "--structure",
        metavar="NAME",
        default=None,
        help="use this policing structure even outside its dates (a warning is printed)",
    )
    p.add_argument(
        "--within",
        metavar="NAME",
        default=None,
        help="the council or force a table of wards is in, so that a ward name many "
        "councils have (Abbey, Central) means the one there",
    )
    p.add_argument(
        "--area-column",
        metavar="NAME",
        default=None,
        help="the counts table's area column (default: found by header)",
    )
    p.add_argument(
        "--count-column",
        metavar="NAME",
        default=None,
        help="the counts table's count column (default: found by header)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: every command, flag and default."""
    parser = argparse.ArgumentParser(
        prog="hatecrime-maps",
        description="Turn police FOI answers about hate crime into maps people can trust.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build the web maps from the embedded data (default)")
    p.add_argument(
        "--foi",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"FOI answer as text (default: {defaults.FOI})",
    )
    p.add_argument(
        "--counts",
        type=Path,
        default=None,
        metavar="FILE",
        help="a counts table (CSV or .xlsx) to map instead of an FOI answer",
    )
    _metadata_arguments(p)
    _level_arguments(p)
    _own_boundaries_arguments(p)
    p.add_argument(
        "--map-level",
        metavar="LEVEL",
        default=None,
        help="draw the map at a coarser level the input's areas nest in "
        "(wards into sectors, NPUs or boroughs; sectors into NPUs or boroughs)",
    )
    p.add_argument(
        "--absent-as-zero",
        action="store_true",
        help="in a counts table, an area not listed had none (default: no data)",
    )
    _boundaries_folder_argument(p)
    p.add_argument(
        "--centres",
        type=Path,
        default=defaults.CENTRES,
        metavar="FILE",
        help="reporting centres CSV (default: %(default)s)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=defaults.MAPS,
        metavar="DIR",
        help="where to write the maps (default: %(default)s)",
    )
    p.add_argument(
        "--tiles",
        choices=[*basemaps.TILES, "none"],
        default=basemaps.DEFAULT_TILES,
        help="basemap; 'none' makes pages that request nothing (default: %(default)s)",
    )
    p.add_argument(
        "--suppress-below",
        type=_threshold,
        default=None,
        metavar="N",
        help="withhold counts below N, and any figure that would reveal them",
    )
    p.add_argument(
        "--include-ages",
        action="store_true",
        help="also write the age-level victims table to the downloads (never "
        "shown on a map; not with --suppress-below)",
    )
    p.add_argument(
        "--pages-only",
        action="store_true",
        help="write the map pages and landing page alone: no report, charts, print "
        "maps or downloads (quicker while checking a new input)",
    )
    p.add_argument(
        "--groupings",
        type=Path,
        default=defaults.REFERENCE,
        metavar="DIR",
        help="offence groups and outcome types (default: %(default)s)",
    )
    p.add_argument(
        "--replace-foreign",
        action="store_true",
        help="build into a folder that holds files this tool did not write, "
        "keeping them (a file of the same name as one the build writes is "
        "replaced)",
    )
    p.set_defaults(run=_cmd_build)

    p = sub.add_parser(
        "check",
        help="show the level and areas an answer or counts table "
        "maps to, and any names that match none",
    )
    p.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="an FOI answer (.txt) or a counts table (.csv, .tsv, .xlsx)",
    )
    _metadata_arguments(p, periods_only=True)
    _level_arguments(p)
    _own_boundaries_arguments(p)
    _boundaries_folder_argument(p)
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("parse", help="parse an FOI answer into tidy CSV tables")
    p.add_argument("foi_file", metavar="FOI_FILE", help="the FOI answer as text")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the CSV files")
    p.add_argument(
        "--lenient",
        action="store_true",
        help="report totals that do not add up as warnings instead of errors",
    )
    p.set_defaults(run=_cmd_parse)

    p = sub.add_parser("validate", help="check that an FOI answer's tables add up")
    p.add_argument("foi_file", metavar="FOI_FILE", help="the FOI answer as text")
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("boundaries", help="build the project's geography from open data")
    bsub = p.add_subparsers(dest="boundaries_command", required=True, metavar="ACTION")
    b = bsub.add_parser("build", help="read the open ward data, write boundaries/")
    b.add_argument(
        "--source",
        type=Path,
        default=defaults.BOUNDARY_SOURCE,
        metavar="DIR",
        help="open source data (default: %(default)s)",
    )
    b.add_argument(
        "--out",
        type=Path,
        default=defaults.BOUNDARIES,
        metavar="DIR",
        help="where to write the geography (default: %(default)s)",
    )
    b.add_argument(
        "--crosswalk",
        type=Path,
        default=None,
        metavar="FILE",
        help="ward-to-area assignment (default: OUT/area_wards.csv)",
    )
    b.set_defaults(run=_cmd_boundaries_build)
    b = bsub.add_parser(
        "build-uk", help="read the UK-wide open data, write boundaries/uk/ (councils, forces)"
    )
    b.add_argument(
        "--source",
        type=Path,
        default=defaults.NATIONAL_SOURCE,
        metavar="DIR",
        help="UK-wide open source data (default: %(default)s)",
    )
    b.add_argument(
        "--out",
        type=Path,
        default=defaults.UK_BOUNDARIES,
        metavar="DIR",
        help="where to write the geography (default: %(default)s)",
    )
    b.set_defaults(run=_cmd_boundaries_build_uk)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        for line in str(exc).splitlines():
            print(f"hatecrime-maps: error: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
