"""Parse time against input size: an answer made of N copies of one offences table.

Run with ``python bench/parse_scale.py``. Every copy is read before the
structure check refuses the repeats, so the time is the parser's own; it
should grow in step with the size (linear), not with its square.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from hatecrime_maps import foi
from hatecrime_maps.errors import InputError

ANSWER = Path(__file__).resolve().parents[1] / "data" / "foi" / "1186A-20" / "response.txt"


def answer_of(copies: int) -> str:
    lines = ANSWER.read_text(encoding="utf-8").split("\n")
    start = lines.index("Offence\t2020")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total"))
    table = "\n".join(lines[start:end + 1])
    return "\n\n".join([table] * copies) + "\n"


def main() -> None:
    print("| tables | bytes | seconds | µs per KB |")
    print("|---:|---:|---:|---:|")
    for copies in (500, 1000, 2000, 4000, 8000):
        text = answer_of(copies)
        started = time.perf_counter()
        with contextlib.suppress(InputError):  # repeats are refused after all are read
            foi.parse_answer(text, "bench")
        took = time.perf_counter() - started
        print(f"| {copies} | {len(text):,} | {took:.2f} | {took * 1e6 / (len(text) / 1e3):.0f} |")


if __name__ == "__main__":
    main()
