"""A build killed at any moment leaves exactly the old build or the new one.

Its own file so that it runs beside the rest of the output tests (it is one of the
longest tests: builds killed part way).
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_to, need
from tests.io.test_output import build_command, state


@pytest.fixture(scope="module")
def plain(default_build):
    return default_build()


@pytest.fixture(scope="module")
def suppressed(default_build):
    return default_build("--suppress-below", "5")


def test_a_killed_build_leaves_exactly_the_old_or_the_new_build(tmp_path, plain, suppressed):
    # Kill builds at 7 moments, one at random in each seventh of a whole build's time,
    # each one building the other variant over whatever the folder holds: it must always
    # be one whole build.
    builds = {"plain": state(plain), "suppressed": state(suppressed)}
    out = tmp_path / "maps"
    started = time.monotonic()
    build_to(out, "--tiles", "none")
    whole = time.monotonic() - started
    rng = random.Random(20)
    kills = 7
    moments = [whole * 1.1 * (k + rng.uniform(0.05, 0.95)) / kills for k in range(kills)]
    outcomes = []
    for moment in moments:
        current = next(k for k, v in builds.items() if v == state(out))
        extra = ["--suppress-below", "5"] if current == "plain" else []
        proc = subprocess.Popen(
            build_command(out, *extra),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = state(out)
        assert now in builds.values(), f"mixed folder after a kill at {moment:.2f} s"
        outcomes.append(now != builds[current])
    assert not all(outcomes) and not any(outcomes[:2]), "kills should land before the swap"
    # The next build clears whatever the killed ones left beside the folder.
    build_to(out, "--tiles", "none")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; it waits only for its new parent to reap it


def test_drawing_workers_end_when_the_build_is_killed(tmp_path):
    need(Path("/proc/self/stat").exists(), "needs Linux's /proc to see a build's processes")
    proc = subprocess.Popen(
        build_command(tmp_path / "maps"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.02)
    need(bool(workers), "the build drew in its own process (fewer than two cores to spare)")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1)
    left = {pid for pid in workers if _alive(pid)}
    assert not left, f"drawing workers {sorted(left)} outlived the killed build"
