"""File I/O at the edge of the pipeline: reading inputs, writing outputs atomically.

Outputs are written to a temporary file in the same folder and then renamed,
so a failed or interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from hatecrime_maps.errors import InputError

_INLINE_MARKUP = re.compile(r"</?(?:i|b|u|em|strong|span|font|sup|sub)(?:\s[^<>]*)?/?>", re.I)
"""The inline tags a pasted table brings (``<b>``, ``<span …>``): a cell's text has none."""


def read_bytes(path: str | Path, kind: type[InputError] = InputError) -> bytes:
    """Read a whole input file, turning OS errors into ``kind`` (an :class:`InputError`)."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise kind(str(path), "file not found") from None
    except IsADirectoryError:
        raise kind(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise kind(str(path), f"cannot be read ({exc.strerror})") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of UTF-16 text with no byte-order mark, judged by where its NULs fall.

    Text that is mostly Latin script has a NUL in nearly every high byte.
    """
    sample = data[:4000]
    half = len(sample) // 2
    if half < 2:
        return None
    if sample[1::2].count(0) > 0.9 * half and sample[0::2].count(0) < 0.1 * half:
        return "utf-16-le"
    if sample[0::2].count(0) > 0.9 * half and sample[1::2].count(0) < 0.1 * half:
        return "utf-16-be"
    return None


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_utf8_sequence(data: bytes) -> bool:
    """Whether the bytes hold a well-formed UTF-8 character beyond ASCII.

    Windows-1252 text almost never does: its accented letters are single bytes.
    """
    return _UTF8_MULTIBYTE.search(data) is not None


def decode_text(data: bytes, source: str, kind: type[InputError] = InputError) -> str:
    """Decode an input text file.

    Accepts UTF-8 (with or without a byte-order mark), Windows-1252 (what
    police FOI text and spreadsheets saved on Windows arrive in) and UTF-16
    (what Excel's "Unicode text" writes, with or without a byte-order mark).
    Empty and binary files are errors.
    """
    if not data.strip():
        raise kind(source, "file is empty")
    codec = (
        "utf-16"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        else _utf16_without_bom(data)
        if b"\x00" in data
        else None
    )
    if codec:
        try:
            return data.decode(codec).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise kind(
                source,
                f"looks like UTF-16 text but byte {exc.start} cannot be "
                "decoded; save it again as UTF-8",
            ) from None
    if b"\x00" in data:
        raise kind(source, "looks like a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _has_utf8_sequence(data):
            # Mostly UTF-8 with a stray byte (a pasted Windows character): decoding it all as
            # Windows-1252 would turn every other accented letter into mojibake.
            line = data[: exc.start].count(b"\n") + 1
            raise kind(
                source,
                f"is UTF-8 text but byte 0x{data[exc.start]:02x} is not UTF-8 (a character "
                "from another encoding, such as Windows-1252); retype that character or "
                "save the file again as UTF-8",
                line,
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise kind(
            source,
            "is neither UTF-8, UTF-16 nor Windows-1252 text (byte "
            f"0x{data[exc.start]:02x} cannot be decoded)",
            line,
        ) from None


def unwanted_character(text: str) -> str | None:
    """The first character a name or figure must not hold, described; else ``None``.

    Refused: control and invisible format characters (zero-width spaces and
    joiners, soft hyphens, direction marks, a stray byte-order mark), private
    and unassigned code points, and emoji and pictographs. Such characters
    make two names that look the same differ, or a name that looks right
    match nothing. Tabs and ordinary symbols such as © and ° are allowed.
    """
    for char in text:
        category = unicodedata.category(char)
        invisible = category in ("Cc", "Cf", "Co", "Cs", "Cn") and char != "\t"
        pictograph = (
            (category == "So" and ord(char) >= 0x2190)
            or char in "\ufe0e\ufe0f"
            or 0xE0000 <= ord(char) <= 0xE007F
        )
        if invisible or pictograph:
            name = unicodedata.name(char, "unnamed character")
            kind = "an invisible character" if invisible else "a symbol or emoji"
            return f"U+{ord(char):04X} {name} ({kind})"
    return None


def normalise_cell(
    text: str, source: str, line: int, what: str = "cell", kind: type[InputError] = InputError
) -> str:
    """A cell folded to compatibility form (fullwidth digits and letters to ASCII ones).

    Raises :class:`InputError` naming the character when the cell holds one
    that :func:`unwanted_character` refuses.
    """
    text = unicodedata.normalize("NFKC", text)
    bad = unwanted_character(text)
    if bad:
        raise kind(source, f"{what} {text!r} contains {bad}; retype it without", line)
    return text


def read_text(path: str | Path, kind: type[InputError] = InputError) -> str:
    """Read and decode an input text file (see :func:`decode_text`)."""
    return decode_text(read_bytes(path, kind), str(path), kind)


def csv_records(
    text: str, source: str, kind: type[InputError] = InputError, delimiter: str = ","
) -> list[tuple[int, list[str]]]:
    """Every record of CSV text as (line number, cells stripped of spaces), header included.

    A quote left open, or a field the csv module cannot take, is ``kind`` naming the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if end > line:
                # No input of this tool has a cell spanning lines: it is a quote left open.
                raise kind(
                    source,
                    f"a quote opened on this line is not closed until line "
                    f'{end}; remove the stray " or close it',
                    line,
                )
            records.append((line, [c.strip() for c in cells]))
    except csv.Error as exc:
        # The csv module stops at the line where a bad field ends; say where it began too.
        raise kind(
            source,
            f"cannot be read as CSV ({exc}); the problem starts after "
            f"line {records[-1][0] if records else 1}",
            reader.line_num,
        ) from None
    return records


def csv_rows(
    text: str, source: str, required: Sequence[str], kind: type[InputError] = InputError
) -> list[tuple[int, dict[str, str]]]:
    """Rows of CSV text as (line number, cells by column name), checking the header.

    Blank lines are skipped; a missing column is an error naming the source and line 1.
    """
    records = [(line, cells) for line, cells in csv_records(text, source, kind) if cells]
    header = records[0][1] if records else []
    missing = [c for c in required if c not in header]
    if missing:
        raise kind(source, f"missing column(s): {', '.join(missing)}", 1)
    return [
        (
            line,
            {
                name: normalise_cell(cells[i] if i < len(cells) else "", source, line, name, kind)
                for i, name in enumerate(header)
                if name
            },
        )
        for line, cells in records[1:]
    ]


def read_csv_rows(
    path: str | Path, required: Sequence[str], kind: type[InputError] = InputError
) -> list[tuple[int, dict[str, str]]]:
    """Read an input CSV file with :func:`csv_rows`, raising ``kind`` for its problems."""
    return csv_rows(read_text(path, kind), str(path), required, kind)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write UTF-8 text with LF line endings, atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula when a cell of text begins with it."""


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text with ``'``.

    Excel and LibreOffice evaluate a CSV cell such as ``=HYPERLINK(…)`` when the
    file is opened; the leading apostrophe (OWASP's advice) makes it text.
    Numbers are not text and pass unchanged, so a negative number stays one.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text: UTF-8, LF line endings, minimal quoting, None as empty.

    Every text cell goes through :func:`spreadsheet_safe`: the files are opened
    in spreadsheets, and their text comes from inputs.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return buf.getvalue()


def clean_cell(text: str) -> str:
    """Strip inline markup and entities, fold white space."""
    text = _INLINE_MARKUP.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return " ".join(text.split())
