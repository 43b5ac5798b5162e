"""Writing a whole build at once: a staging folder, a manifest, a lock and one swap.

A build's files are written into a fresh hidden folder beside ``--out``
(``.maps.staging-…``), with a manifest of every file and its SHA-256; then
the staging folder and ``--out`` are exchanged in one ``renameat2`` call, so
``--out`` always holds exactly the old build or exactly the new one, whatever
happens to the process. Files of an earlier build that this build does not
write go with the old folder. A second build into the same folder waits for
the first (an exclusive ``flock`` on the parent folder), and leftovers of a
build that was killed are cleared by the next one.

The manifest also records what each chart and print map was drawn from (a
key, see :func:`hatecrime_maps.outputs.charts.drawing_key`), so the next build into
the folder can reuse a drawing whose key is unchanged (:class:`Drawings`).

A folder holding files that no build wrote (a site's own ``index.html``) is
refused, unless ``replace_foreign``: then those files are carried over untouched (hard
links) except where the build writes a file of the same name, and except any
file named like one of the tool's own outputs (:data:`OWN_OUTPUTS`): an
earlier build's ``victims.csv`` whose manifest was lost is never carried into
a suppressed build. An ``--out`` that is a symbolic link is built into the
folder it points to, so the served folder is the one replaced.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import fnmatch
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hatecrime_maps.errors import OutputError

MANIFEST = ".hatecrime-maps-manifest.json"
"""The list of files a build wrote, in its output folder."""

OWN_OUTPUTS = (
    "index.html",
    "report.html",
    "map-*.html",
    "embed-*.html",
    "hatecrime-maps-embed.js",
    "charts/*",
    "print/*",
    "downloads/*",
    ".hatecrime-maps-*",
)
"""Paths a build of this tool writes (``fnmatch`` patterns, ``*`` crossing folders)."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_files(folder: Path) -> list[str]:
    """Every file below ``folder``, as sorted POSIX paths relative to it."""
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    )


def _read_manifest_whole(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_manifest(folder: Path) -> dict[str, str]:
    """The files an earlier build wrote into ``folder`` and their hashes ({} if none)."""
    files = _read_manifest_whole(folder).get("files")
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


@dataclass
class Drawings:
    """An earlier build's drawings, found by key, and the keys this build draws from.

    A drawing is reused only when the earlier manifest names it with the same
    key and its file still has the hash the manifest recorded: a file edited
    or damaged since is drawn again.
    """

    folder: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # path -> key, from the folder
    hashes: dict[str, str] = field(default_factory=dict)
    drawn: dict[str, str] = field(default_factory=dict)  # path -> key, this build

    @classmethod
    def of_folder(cls, folder: Path) -> Drawings:
        """The drawings an earlier build recorded in ``folder``'s manifest (none if it has none)."""
        keys = _read_manifest_whole(folder).get("drawn_from")
        if not isinstance(keys, dict):
            return cls(folder)
        return cls(folder, {str(k): str(v) for k, v in keys.items()}, read_manifest(folder))

    def reuse(self, key: str, paths: tuple[str, ...]) -> tuple[bytes, ...] | None:
        """The bytes of ``paths`` if an earlier build drew them from ``key``; records the key."""
        self.drawn.update(dict.fromkeys(paths, key))
        if self.folder is None or any(self.keys.get(p) != key for p in paths):
            return None
        out = []
        for rel in paths:
            try:
                data = (self.folder / rel).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != self.hashes.get(rel):
                return None
            out.append(data)
        return tuple(out)


def foreign_files(folder: Path) -> list[str]:
    """Files in ``folder`` that no build of this tool wrote (not in its manifest)."""
    if not folder.is_dir():
        return []
    ours = set(read_manifest(folder)) | {MANIFEST}
    return [f for f in folder_files(folder) if f not in ours]


def named_as_output(rel: str) -> bool:
    """Whether a path is named like one of the tool's own outputs (:data:`OWN_OUTPUTS`)."""
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in OWN_OUTPUTS)


def _manifest_damaged(folder: Path) -> bool:
    return (folder / MANIFEST).exists() and not _read_manifest_whole(folder)


@contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``parent`` for the length of a build's swap."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _clear_leftovers(parent: Path, name: str) -> None:
    """Remove what a killed build left beside ``name``; bring back an old build if needed."""
    target = parent / name
    olds = sorted(parent.glob(f".{name}.old-*"))
    if not target.exists() and olds:
        # Killed between the two renames of the fallback swap: the old build is intact.
        os.rename(olds[-1], target)
        olds = olds[:-1]
    for leftover in [*parent.glob(f".{name}.staging-*"), *olds]:
        _remove(leftover)


def _remove(path: Path) -> None:
    """Remove a leftover folder, or a leftover link (never what it points to)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old build
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _carry_over(source: Path, staging: Path, files: list[str]) -> None:
    for rel in files:
        if named_as_output(rel):
            continue  # an earlier build's output, whatever its manifest says: never carried
        dest = staging / rel
        if dest.exists():
            continue  # the build writes a file of that name: the build's wins
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / rel, dest, follow_symlinks=False)
        except OSError:
            shutil.copy2(source / rel, dest, follow_symlinks=False)


def _write_locked(
    target: Path,
    out_dir: str | Path,
    files: Mapping[str, str | bytes],
    *,
    writers: Mapping[str, Callable[[Path], None]] | None,
    replace_foreign: bool,
    source: str,
    drawn_from: Mapping[str, str] | None,
) -> list[str]:
    """Stage the build beside ``target`` and swap it in; the caller holds the lock."""
    foreign = _refuse_foreign(target, out_dir, replace_foreign, source)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        os.chmod(staging, 0o755)
        hashes = {}
        for rel, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
            hashes[rel] = hashlib.sha256(data).hexdigest()
        for rel, write in (writers or {}).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            write(staging / rel)
            hashes[rel] = _sha256(staging / rel)
        written = sorted(hashes)
        manifest = {"tool": "hatecrime-maps", "files": hashes}
        if drawn_from:
            manifest["drawn_from"] = dict(sorted(drawn_from.items()))
        (staging / MANIFEST).write_text(
            json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        if foreign:
            _carry_over(target, staging, foreign)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _refuse_foreign(
    target: Path, out_dir: str | Path, replace_foreign: bool, source: str
) -> list[str]:
    """The files in ``target`` no build wrote; refused unless ``replace_foreign``."""
    foreign = foreign_files(target)
    if foreign and not replace_foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        damaged = (
            f"its record of an earlier build ({MANIFEST}) is damaged, so "
            if _manifest_damaged(target)
            else ""
        )
        raise OutputError(
            source,
            f"{out_dir} holds files this tool did not write "
            f"({damaged}{foreign[0]}{more}); give an empty or new folder, or "
            "--replace-foreign to build into it and keep them (files named like this "
            "tool's outputs are never kept)",
        )
    return foreign


def _target(out_dir: str | Path, source: str) -> Path:
    """The folder to replace (a link's target), checked as far as can be without writing."""
    # A link is followed: the folder a web server serves is the one to replace.
    target = Path(os.path.realpath(Path(out_dir).absolute()))
    if target.exists() and not target.is_dir():
        raise OutputError(source, f"{out_dir} is a file, not a folder")
    return target


def check_folder(
    out_dir: str | Path, *, replace_foreign: bool = False, source: str = "--out"
) -> None:
    """Refuse early what :func:`write_folder` would refuse at the end: a file, foreign files.

    A build calls it before its work, so a folder it may not write into fails
    at once; :func:`write_folder` checks again under its lock.
    """
    _refuse_foreign(_target(out_dir, source), out_dir, replace_foreign, source)


def write_folder(
    out_dir: str | Path,
    files: Mapping[str, str | bytes],
    writers: Mapping[str, Callable[[Path], None]] | None = None,
    *,
    replace_foreign: bool = False,
    source: str = "--out",
    drawn_from: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write a whole build into ``out_dir`` at once; return the paths written.

    ``files`` maps relative paths to their text (written as UTF-8) or bytes;
    ``writers`` maps relative paths to functions that write that file
    themselves (the GeoPackage); ``drawn_from`` maps drawings to their keys
    (recorded in the manifest, see :class:`Drawings`). Raises :class:`InputError` (naming
    ``source``) when ``out_dir`` is not a folder, cannot be written, or holds
    files from elsewhere and ``replace_foreign`` is false.
    """
    link = Path(out_dir).absolute()
    target = _target(out_dir, source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(source, f"cannot create {target.parent} ({exc.strerror})") from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise OutputError(source, f"cannot write into {target.parent} (permission denied)")
    try:
        with _locked(target.parent):
            if link != target:
                for leftover in link.parent.glob(f".{link.name}.staging-*"):
                    _remove(leftover)
            _clear_leftovers(target.parent, target.name)
            written = _write_locked(
                target,
                out_dir,
                files,
                writers=writers,
                replace_foreign=replace_foreign,
                source=source,
                drawn_from=drawn_from,
            )
    except OSError as exc:
        raise OutputError(source, f"cannot write {out_dir} ({exc.strerror or exc})") from None
    return [Path(out_dir) / rel for rel in written]
