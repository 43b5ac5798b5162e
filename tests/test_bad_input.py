"""Inputs that used to end in a traceback: each is now one line naming the file, and exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hatecrime_maps.geography import wards as geo
from hatecrime_maps.inputs import tidy
from tests.conftest import FOI_FILE, ROOT
from tests.geography.test_boundary_build import (
    assert_rejected,
    crosswalk_rows,
    run_build,
    write_crosswalk,
    write_source,
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=ROOT
    )


def assert_message(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for w in words:
        assert w in result.stderr


def answer_copy(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "answer"
    folder.mkdir()
    (folder / "response.txt").write_text(text, encoding="utf-8")
    shutil.copy(FOI_FILE.parent / "metadata.json", folder / "metadata.json")
    return folder / "response.txt"


@pytest.mark.parametrize("huge", [str(10**30), str(2**63)])
def test_an_absurd_count_is_refused(tmp_path, foi_text, huge):
    # Consistent everywhere (the row, its table's total and the stated total): only its size
    # is wrong.
    text = foi_text.replace("There were 58 hate", f"There were {int(huge) + 43} hate")
    text = text.replace("WITH A VIEW TO EXPLOITATION\t15", f"WITH A VIEW TO EXPLOITATION\t{huge}")
    path = answer_copy(tmp_path, text)
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, f"{path}:", "is larger than 10,000,000")
    assert not (tmp_path / "maps").exists()


def test_a_period_that_ends_before_it_starts(tmp_path, foi_text):
    path = answer_copy(tmp_path, foi_text)
    meta = json.loads((path.parent / "metadata.json").read_text(encoding="utf-8"))
    meta["periods"]["2020"]["end"] = "2019-12-01"
    (path.parent / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(
        result, "metadata.json: the period for 2020 ends (2019-12-01) before it starts (2020-01-01)"
    )


def test_an_enormous_csv_field(tmp_path):
    centres = tmp_path / "centres.csv"
    header = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8").split("\n")[0]
    centres.write_text(header + '\n"' + "x" * 200_000 + '"\n', encoding="utf-8")
    result = run(
        "build", "--tiles", "none", "--centres", str(centres), "--out", str(tmp_path / "maps")
    )
    assert_message(result, f"{centres}:", "cannot be read as CSV", "field larger than")


@pytest.mark.parametrize(
    "n,words", [("2", "must be 3 or more"), (str(10**30), "from 3 to 1,000,000")]
)
def test_a_threshold_out_of_range(tmp_path, n, words):
    result = run("build", "--tiles", "none", "--suppress-below", n, "--out", str(tmp_path / "maps"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert words in result.stderr
    assert not (tmp_path / "maps").exists()


def test_an_answer_with_no_victims_table(tmp_path, foi_text):
    path = answer_copy(tmp_path, "\n".join(foi_text.split("\n")[:30]))  # offences only
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, "has no victims table")


@pytest.mark.parametrize(
    "population,words",
    [("0", "population 0 is not between 1"), (str(10**30), "is not between 1 and 1,000,000")],
)
def test_a_ward_population_out_of_range(tmp_path, population, words):
    source = write_source(tmp_path / "src")
    pop = source / geo.POPULATION_SOURCE
    lines = pop.read_text(encoding="utf-8").splitlines()
    lines[2] = ",".join([*lines[2].split(",")[:4], population, "1010"])
    pop.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(run_build(source, tmp_path / "out"), tmp_path / "out", f"{pop}:3:", words)


def test_ward_boundaries_that_are_not_geojson(tmp_path):
    source = write_source(tmp_path / "src")
    wards = source / geo.WARD_SOURCE
    wards.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(
        run_build(source, tmp_path / "out"),
        tmp_path / "out",
        f"{wards}:",
        "cannot be read as ward boundaries",
    )


def test_ward_boundaries_labelled_with_the_wrong_crs(tmp_path):
    source = write_source(tmp_path / "src")
    wards = source / geo.WARD_SOURCE
    data = json.loads(wards.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    wards.write_text(json.dumps(data), encoding="utf-8")
    write_crosswalk(tmp_path / "out", crosswalk_rows())
    assert_rejected(
        run_build(source, tmp_path / "out"),
        tmp_path / "out",
        f"{wards}:",
        "expected longitude and latitude",
    )


# --------------------------------------------------------------------------
# Encodings and characters


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_answer_reads_as_the_utf8_one(tmp_path, foi_text, encoding):
    # Excel and Notepad's "Unicode" save as UTF-16, with a byte-order mark or without.
    path = answer_copy(tmp_path, "")
    path.write_bytes(foi_text.encode(encoding))
    assert tidy.load_foi(path).frame("victims").equals(tidy.load_foi(FOI_FILE).frame("victims"))


@pytest.mark.parametrize(
    "inserted,named",
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        (" \U0001f600", "U+1F600 GRINNING FACE"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_an_area_name_with_an_invisible_character_or_emoji_is_refused(
    tmp_path, foi_text, inserted, named
):
    line = foi_text.split("\n").index("<i>Birmingham City Centre</i>\t4\t19\t1\t24") + 1
    path = answer_copy(
        tmp_path,
        foi_text.replace(
            "<i>Birmingham City Centre</i>\t4", f"<i>Birmingham{inserted} City Centre</i>\t4"
        ),
    )
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(result, f"{path}:{line}:", named)
    assert not (tmp_path / "maps").exists()


def test_fullwidth_digits_read_as_the_same_counts(tmp_path, foi_text):
    fullwidth = {ord(d): 0xFF10 + int(d) for d in "0123456789"}  # FULLWIDTH DIGIT ZERO...
    row = "<i>Birmingham City Centre</i>\t4\t19\t1\t24"
    path = answer_copy(
        tmp_path,
        foi_text.replace(
            row, "<i>Birmingham City Centre</i>\t" + "4\t19\t1\t24".translate(fullwidth)
        ),
    )
    assert "\uff11\uff19" in path.read_text(encoding="utf-8")
    assert tidy.load_foi(path).frame("victims").equals(tidy.load_foi(FOI_FILE).frame("victims"))


def test_a_digit_from_another_script_is_refused_by_name(tmp_path, foi_text):
    path = answer_copy(
        tmp_path,
        foi_text.replace(
            "<i>Birmingham City Centre</i>\t4", "<i>Birmingham City Centre</i>\t\u0664"
        ),
    )
    result = run("validate", str(path))
    assert_message(result, f"{path}:", "U+0664 ARABIC-INDIC DIGIT FOUR is not one of 0-9")


def test_an_unknown_area_name_is_reported_on_its_line(tmp_path, foi_text):
    lines = foi_text.split("\n")
    line = lines.index("<i>Birmingham City Centre</i>\t4\t19\t1\t24") + 1
    path = answer_copy(
        tmp_path, foi_text.replace("<i>Birmingham City Centre</i>\t4", "<i>Birmingam Centre</i>\t4")
    )
    result = run("build", "--foi", str(path), "--out", str(tmp_path / "maps"))
    assert_message(
        result,
        f"{path}:{line}:",
        "'Birmingam Centre' matches no area",
        "nearest: 'Birmingham City Centre (policing area)'",
    )


def test_an_unclosed_quote_in_the_crosswalk_is_reported_where_it_opens(tmp_path):
    source = write_source(tmp_path / "src")
    rows = crosswalk_rows()
    path = write_crosswalk(tmp_path / "out", rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = '"' + lines[2]  # line 3; the next quote the csv module finds is far below
    lines[5] = lines[5].replace(",test", ',"test"')
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_rejected(
        run_build(source, tmp_path / "out"),
        tmp_path / "out",
        f"{path}:3:",
        "a quote opened on this line is not closed until line 6",
    )


def test_two_centres_with_one_name_are_refused(tmp_path):
    # Labels were looked up by name, so one exact venue showed as the other's "approximate".
    centres = tmp_path / "centres.csv"
    lines = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if "third_party_reporting_centre" in line)
    lines.append(lines[first])
    centres.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "build", "--tiles", "none", "--centres", str(centres), "--out", str(tmp_path / "maps")
    )
    assert_message(
        result, f"{centres}:{len(lines)}:", f"is named the same as the one on line {first + 1}"
    )


def test_an_answer_far_too_large_is_refused_before_it_is_read(tmp_path):
    junk = tmp_path / "junk.txt"
    with open(junk, "wb") as fh:
        fh.truncate(tidy.MAX_ANSWER_BYTES + 1)  # sparse: no 20 MB written to disk
    for command in ("validate", "parse"):
        result = run(
            command, str(junk), *(("--out", str(tmp_path / "out")) if command == "parse" else ())
        )
        assert_message(result, f"{junk}:", "the limit is 20 MB")


def _centres_with(tmp_path: Path, **changes: str) -> tuple[Path, int]:
    """The embedded centres with the first located centre's fields changed; its line."""
    import csv
    import io

    text = (ROOT / "data" / "reporting_centres.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    first = next(i for i, row in enumerate(rows) if row["lat"])
    rows[first].update(changes)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "centres.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path, first + 2


@pytest.mark.parametrize(
    "changes,words",
    [
        ({"location_precision_m": "-50"}, "location_precision_m '-50' is not a distance"),
        ({"location_precision_m": "1e308"}, "location_precision_m '1e308' is not a distance"),
        # Kidderminster: inside the West Midlands' bounding box, outside the county.
        ({"lat": "52.3885", "lon": "-2.2490"}, "is outside every borough of the map"),
    ],
)
def test_a_centre_that_is_not_where_it_can_be_is_refused(tmp_path, changes, words):
    centres, line = _centres_with(tmp_path, **changes)
    result = run(
        "build", "--tiles", "none", "--pages-only", "--centres", str(centres),
        "--out", str(tmp_path / "maps"),
    )  # fmt: skip
    assert_message(result, f"{centres}:{line}:", words)
    assert not (tmp_path / "maps").exists()


def test_utf8_with_one_windows_byte_names_the_byte_and_line(tmp_path):
    counts = tmp_path / "counts.csv"
    text = "ward,victims\nSt Michael\u2019s,2\nAston,3\nLadywood,1\n".encode()
    counts.write_bytes(text.replace(b"Ladywood", b"Ladywood\x96"))
    result = run("check", str(counts), "--period", "2021=2021-01-01..2021-12-31")
    assert_message(result, f"{counts}:4:", "byte 0x96 is not UTF-8")
    assert "â€" not in result.stderr  # no mojibake of the other, good characters


def test_a_windows_file_still_reads_as_windows_1252(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_bytes("ward,victims\nSt Michael\u2019s,2\n".encode("cp1252"))
    result = run("check", str(counts), "--period", "2021=2021-01-01..2021-12-31")
    assert result.returncode == 0, result.stderr
    assert "St Michael\u2019s" in result.stdout


def test_many_unknown_names_fail_fast_first_name_first(tmp_path):
    counts = tmp_path / "counts.csv"
    rows = [f"Nowhere {i},1" for i in range(50_000)]
    counts.write_text("ward,victims\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run("check", str(counts), "--period", "2021=2021-01-01..2021-12-31")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith(f"hatecrime-maps: error: {counts}:2: area 'Nowhere 0' matches")
    assert len(errors) == 11
    assert errors[-1].endswith("and 49,990 more names match no area of the wards "
                               "(from 'Nowhere 10' (line 12) on)")  # fmt: skip


def test_an_enormous_unknown_name_is_cut_in_the_message(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("ward,victims\nAston,1\n" + "x" * 120_000 + ",2\n", encoding="utf-8")
    result = run("check", str(counts), "--period", "2021=2021-01-01..2021-12-31")
    assert_message(result, f"{counts}:3:", "(120,000 characters)")
    assert len(result.stderr) < 500
