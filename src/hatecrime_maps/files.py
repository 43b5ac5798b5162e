"""File I/O at the edge of the pipeline: reading inputs, writing outputs atomically.

Outputs are written to a temporary file in the same folder and then renamed,
so a failed or interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from hatecrime_maps.errors import InputError


def read_bytes(path: str | Path) -> bytes:
    """Read a whole input file, turning OS errors into :class:`InputError`."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from None


def decode_text(data: bytes, source: str) -> str:
    """Decode an input text file.

    Accepts UTF-8 (with or without a byte-order mark) and Windows-1252, the
    encodings police FOI text arrives in. Empty and binary files are errors.
    """
    if not data.strip():
        raise InputError(source, "file is empty")
    if b"\x00" in data:
        raise InputError(source, "looks like a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            source, "is neither UTF-8 nor Windows-1252 text (byte "
            f"0x{data[exc.start]:02x} cannot be decoded)", line
        ) from None


def read_text(path: str | Path) -> str:
    """Read and decode an input text file (see :func:`decode_text`)."""
    return decode_text(read_bytes(path), str(path))


def csv_rows(text: str, source: str, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of CSV text as (line number, cells stripped of spaces), checking the header.

    A missing column is an error naming the source and line 1.
    """
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    try:
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(source, f"missing column(s): {', '.join(missing)}", 1)
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    except csv.Error as exc:
        # The csv module stops at the line where a bad field ends; say where it began too.
        raise InputError(source, f"cannot be read as CSV ({exc}); the problem starts after "
                         f"line {rows[-1][0] if rows else 1}", reader.line_num) from None
    return rows


def read_csv_rows(path: str | Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Read an input CSV file with :func:`csv_rows`."""
    return csv_rows(read_text(path), str(path), required)


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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text: UTF-8, LF line endings, minimal quoting, None as empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()
