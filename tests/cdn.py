"""Local copies of the CDN files a folium page loads, from the npm registry.

A folium page fetches Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers
and Leaflet.pattern from CDNs. The browser tests serve each from the same
release in the npm registry (``npm pack``), cached in ``bench/.cache``, so a
folium map is tested offline with its real scripts.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from tests.conftest import ROOT

CACHE = ROOT / "bench" / ".cache"

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
    "https://teastman.github.io/Leaflet.pattern/leaflet.pattern.js": (
        "leaflet.pattern@0.1.0",
        "dist/leaflet.pattern.js",
    ),
}
"""CDN address -> (npm package, file inside it)."""

STYLE_ONLY = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
)
"""Icon-font styles with no npm release: served empty (the map uses no icon markers)."""


def npm_file(package: str, inner: str) -> Path:
    """A file of an npm package, fetched once with ``npm pack`` into ``bench/.cache``."""
    folder = CACHE / package.replace("/", "_")
    path = folder / "package" / inner
    if not path.exists():
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
    return path


def local_copies() -> dict[str, Path]:
    """Each CDN address with its local copy; raises if npm cannot supply one."""
    return {url: npm_file(package, inner) for url, (package, inner) in CDN_FILES.items()}


def serve_locally(context, copies: dict[str, Path], unexpected: list[str]) -> None:
    """Answer every https request of ``context`` from ``copies``; note any other address."""

    def handle(route) -> None:
        url = route.request.url
        if url in copies:
            kind = "text/css" if url.endswith(".css") else "application/javascript"
            route.fulfill(status=200, content_type=kind, body=copies[url].read_bytes())
        elif url in STYLE_ONLY:
            route.fulfill(status=200, content_type="text/css", body="")
        else:
            unexpected.append(url)
            route.abort()

    context.route("https://**/*", handle)
