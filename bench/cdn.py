"""The CDN files a folium page loads, and where the same release is in the npm registry.

A folium page (``GeoDataFrame.explore()`` in the benchmarks, ``folium_map`` in
the tests) fetches Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers,
d3 and Leaflet.pattern from CDNs. The benchmarks and the browser tests serve
each from its npm release (``npm pack``), cached in ``bench/.cache``, so such a
page is measured and tested offline with its real scripts.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"

CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": (
        "leaflet@1.9.3",
        "dist/leaflet.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": (
        "leaflet@1.9.3",
        "dist/leaflet.css",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap@5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free@6.2.0",
        "css/all.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.js": (
        "leaflet.awesome-markers@2.0.4",
        "dist/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.css": (
        "leaflet.awesome-markers@2.0.4",
        "dist/leaflet.awesome-markers.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": ("d3@3.5.5", "d3.min.js"),
    "https://teastman.github.io/Leaflet.pattern/leaflet.pattern.js": (
        "leaflet.pattern@0.1.0",
        "dist/leaflet.pattern.js",
    ),
}
"""CDN address -> (npm package, file inside it)."""


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """Hold the cache's lock, so that test workers running at once fetch each package once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def npm_file(package: str, inner: str) -> Path:
    """A file of an npm package, fetched once with ``npm pack`` into ``bench/.cache``."""
    folder = CACHE / package.replace("/", "_")
    path = folder / "package" / inner
    with cache_lock():
        if not path.exists():
            _fetch(package, folder)
    return path


def _fetch(package: str, folder: Path) -> None:
    tmp = Path(tempfile.mkdtemp())
    try:
        out = subprocess.run(
            ["npm", "pack", package, "--pack-destination", str(tmp)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        with tarfile.open(tmp / out.strip().splitlines()[-1]) as tar:
            tar.extractall(folder, filter="data")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
