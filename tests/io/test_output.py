"""A build replaces its output folder whole: never mixed, never half-written, never foreign."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from hatecrime_maps.io.output import MANIFEST, folder_files
from tests.conftest import FOI_FILE, ROOT, build_to, need


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hatecrime_maps", *args], capture_output=True, text=True, cwd=ROOT
    )


def build_command(out: Path, *extra: str) -> list[str]:
    """``hatecrime-maps build`` into ``out`` with no basemap, for a process of its own."""
    return [
        sys.executable,
        "-m",
        "hatecrime_maps",
        "build",
        "--tiles",
        "none",
        "--out",
        str(out),
        *extra,
    ]


def state(folder: Path) -> dict[str, str]:
    """Every file of a folder with its hash: two folders are the same build if these match."""
    return {
        rel: hashlib.sha256((folder / rel).read_bytes()).hexdigest() for rel in folder_files(folder)
    }


@pytest.fixture(scope="module")
def plain(default_build) -> Path:
    return default_build()


@pytest.fixture(scope="module")
def suppressed(default_build) -> Path:
    return default_build("--suppress-below", "5")


def test_the_manifest_lists_every_file_the_build_wrote(plain):
    import json

    listed = json.loads((plain / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(listed) == [f for f in folder_files(plain) if f != MANIFEST]
    assert listed == {k: v for k, v in state(plain).items() if k != MANIFEST}


def test_a_folder_holding_other_files_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>our own page</p>", encoding="utf-8")
    result = run("build", "--tiles", "none", "--out", str(site))
    assert result.returncode == 2
    assert "holds files this tool did not write (index.html)" in result.stderr
    assert "Traceback" not in result.stderr
    assert state(site) == {"index.html": hashlib.sha256(b"<p>our own page</p>").hexdigest()}


def test_replace_foreign_builds_beside_other_files_and_keeps_them(tmp_path, plain):
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.css").write_text("body { margin: 0 }", encoding="utf-8")
    inode = (site / "site.css").stat().st_ino
    # --force names the police force only: given bare, it is refused, and nothing is built.
    bare = run("build", "--tiles", "none", "--out", str(site), "--force")
    assert bare.returncode == 2 and "--force: expected one argument" in bare.stderr
    assert run("build", "--tiles", "none", "--out", str(site), "--replace-foreign").returncode == 0
    assert (site / "site.css").stat().st_ino == inode  # the very same file
    assert {k: v for k, v in state(site).items() if k != "site.css"} == state(plain)
    # The kept file is still not the build's: the next build asks again.
    assert run("build", "--tiles", "none", "--out", str(site)).returncode == 2


def test_files_of_an_earlier_build_are_removed(tmp_path, plain, suppressed):
    out = tmp_path / "maps"
    build_to(out, "--tiles", "none", "--include-ages")
    assert (out / "downloads" / "victims_by_age.csv").exists()
    build_to(out, "--tiles", "none")
    assert state(out) == state(plain)
    build_to(out, "--tiles", "none", "--suppress-below", "5")
    assert not (out / "downloads" / "victims.csv").exists()  # exact counts by area and sex
    assert state(out) == state(suppressed)


def test_leftovers_of_a_killed_build_are_cleared(tmp_path, plain):
    out = tmp_path / "maps"
    (tmp_path / ".maps.staging-abc123" / "downloads").mkdir(parents=True)
    (tmp_path / ".maps.staging-abc123" / "downloads" / "victims.csv").write_text("x")
    build_to(out, "--tiles", "none")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]
    assert state(out) == state(plain)


@pytest.mark.parametrize("out", ["README.md", "/proc/version/maps"])
def test_an_output_that_cannot_be_a_folder_is_a_message(out):
    result = run("build", "--tiles", "none", "--out", out)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("hatecrime-maps: error: --out: ")
    assert "Traceback" not in result.stderr


def test_parse_never_writes_over_its_input(tmp_path):
    answer = tmp_path / "victims.csv"
    answer.write_bytes(FOI_FILE.read_bytes())
    result = run("parse", str(answer), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "over the answer being parsed" in result.stderr
    assert answer.read_bytes() == FOI_FILE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victims.csv"]


def test_builds_running_at_once_do_not_mix(tmp_path, plain, suppressed):
    out = tmp_path / "maps"
    procs = [
        subprocess.Popen(
            build_command(out, *extra),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for extra in ([], ["--suppress-below", "5"], [])
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert state(out) in (state(plain), state(suppressed))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]


def test_an_out_that_is_a_link_replaces_the_folder_it_points_to(tmp_path, plain, suppressed):
    served = tmp_path / "www" / "maps"
    build_to(served, "--tiles", "none", "--pages-only")
    link = tmp_path / "current"
    link.symlink_to(served, target_is_directory=True)
    build_to(link, "--tiles", "none", "--suppress-below", "5")
    assert link.is_symlink() and link.resolve() == served.resolve()
    # What the web server serves is the suppressed build: no exact counts are left there.
    assert state(served) == state(suppressed)
    assert not (served / "downloads" / "victims.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "www"]
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["maps"]


def test_a_link_left_by_an_older_build_is_cleared(tmp_path, plain):
    served = tmp_path / "served"
    served.mkdir()
    link = tmp_path / "current"
    link.symlink_to(served, target_is_directory=True)
    (tmp_path / ".current.staging-old").symlink_to(served, target_is_directory=True)
    build_to(link, "--tiles", "none")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "served"]
    assert state(served) == state(plain)


def test_a_damaged_manifest_never_carries_old_outputs_into_a_build(tmp_path, suppressed):
    out = tmp_path / "maps"
    build_to(out, "--tiles", "none", "--include-ages")
    manifest = out / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:40])  # truncated
    (out / "our-notes.txt").write_text("kept", encoding="utf-8")
    refused = run("build", "--tiles", "none", "--suppress-below", "5", "--out", str(out))
    assert refused.returncode == 2, refused.stderr
    assert "is damaged" in refused.stderr and "Traceback" not in refused.stderr
    # Following the message's advice keeps the user's own file, and none of the old build.
    forced = run(
        "build", "--tiles", "none", "--suppress-below", "5", "--replace-foreign", "--out", str(out)
    )
    assert forced.returncode == 0, forced.stderr
    assert not (out / "downloads" / "victims.csv").exists()
    assert not (out / "downloads" / "victims_by_age.csv").exists()
    assert (out / "our-notes.txt").read_text(encoding="utf-8") == "kept"
    assert {k: v for k, v in state(out).items() if k != "our-notes.txt"} == state(suppressed)


def test_an_out_in_a_folder_that_takes_no_files_is_a_message():
    result = run("build", "--tiles", "none", "--out", "/proc/hc")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("hatecrime-maps: error: --out: cannot write /proc/hc")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_full_disk_is_a_message_and_the_old_build_stays_whole(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True
    )
    need(mounted.returncode == 0, "a 3 MB tmpfs cannot be mounted here (needs root)")
    try:
        out = disk / "maps"
        build_to(out, "--tiles", "none", "--pages-only")
        before = state(out)
        result = run("build", "--tiles", "none", "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"hatecrime-maps: error: --out: cannot write {out}")
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert state(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["maps"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)
