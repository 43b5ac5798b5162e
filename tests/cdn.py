"""A folium page in the browser tests, served its CDN files from local npm copies.

The table of those files and the copying are shared with the benchmarks
(:mod:`bench.cdn`).
"""

from __future__ import annotations

from pathlib import Path

from bench.cdn import CDN_FILES, npm_file

__all__ = ["CDN_FILES", "STYLE_ONLY", "local_copies", "npm_file", "serve_locally"]

STYLE_ONLY = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css",
)
"""Icon-font styles with no npm release: served empty (the map uses no icon markers)."""


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
