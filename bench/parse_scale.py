"""Parse time against input size, for real tables and for tab-separated junk.

Run with ``python bench/parse_scale.py``. The first table is an answer made of
N copies of one offences table: every copy is read before the structure check
refuses the repeats, so the time is the parser's own. The second is lines of
random tab-separated cells up to the 20 MB input limit, with the parser's peak
memory. Both should grow in step with the size (linear), not with its square.
"""

from __future__ import annotations

import contextlib
import random
import time
import tracemalloc
from pathlib import Path

from hatecrime_maps.errors import InputError
from hatecrime_maps.inputs import foi

ANSWER = Path(__file__).resolve().parents[1] / "data" / "foi" / "1186A-20" / "response.txt"


def answer_of(copies: int) -> str:
    lines = ANSWER.read_text(encoding="utf-8").split("\n")
    start = lines.index("Offence\t2020")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total"))
    table = "\n".join(lines[start : end + 1])
    return "\n\n".join([table] * copies) + "\n"


def junk_of(size: int) -> str:
    rng = random.Random(size)
    cells = ["abc", "12", "", "x y", "Total", "2019", "F", "M", "<i>9</i>"]
    lines, length = [], 0
    while length < size:
        line = "\t".join(rng.choice(cells) for _ in range(rng.randint(2, 8)))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines) + "\n"


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
    print()
    print("| junk bytes | seconds | µs per KB | peak MB |")
    print("|---:|---:|---:|---:|")
    for size in (2_500_000, 5_000_000, 10_000_000, 19_900_000):
        text = junk_of(size)
        started = time.perf_counter()
        with contextlib.suppress(InputError):  # "no tables found"
            foi.parse_answer(text, "bench")
        took = time.perf_counter() - started
        tracemalloc.start()  # a second pass: tracing slows the parser several times over
        with contextlib.suppress(InputError):
            foi.parse_answer(text, "bench")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"| {len(text):,} | {took:.2f} | {took * 1e6 / (len(text) / 1e3):.0f} "
            f"| {peak / 1e6:.0f} |"
        )


if __name__ == "__main__":
    main()
