"""The shell every page shares: inlined Leaflet, the package's script and styles, and a strict CSP.

Each page is one self-contained file that renders from ``file://``, offline,
and under a hash-based Content Security Policy that allows exactly its own
inline scripts and styles, and makes no request but for basemap tiles.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources
from pathlib import Path

from hatecrime_maps.io.templating import html_environment
from hatecrime_maps.outputs.basemaps import Tiles


def _leaflet_file(name: str) -> bytes:
    import xstatic.pkg.leaflet as leaflet

    return (Path(leaflet.BASE_DIR) / name).read_bytes()


def _lf(text: str) -> str:
    # HTML parsers turn CRLF into LF inside <style> and <script>: hash what they will see.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def leaflet_js() -> str:
    """Leaflet's script, without its source map line."""
    text = _lf(_leaflet_file("leaflet.js").decode("utf-8"))
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text)


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS, minified, without its images, so it fetches nothing.

    Its images belong to the layers control and the default marker icon, which
    the pages never use (every marker has its own icon).
    """
    import rcssmin

    css = _lf(_leaflet_file("leaflet.css").decode("utf-8"))
    return rcssmin.cssmin(re.sub(r"url\(images/[\w.-]+\.png\)", "none", css))


@functools.cache
def static_text(name: str) -> str:
    """One of the package's page scripts or style sheets, minified (rjsmin, rcssmin)."""
    import rcssmin
    import rjsmin

    text = (
        resources.files("hatecrime_maps")
        .joinpath("static")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    minify = rjsmin.jsmin if name.endswith(".js") else rcssmin.cssmin
    return minify(_lf(text))


def csp_hash(text: str) -> str:
    """The CSP source that allows one inline script or style sheet."""
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


def content_security_policy(
    scripts: list[str], styles: list[str], tiles: Tiles | None, own_images: bool = False
) -> str:
    """A strict policy allowing exactly this page's inline scripts and styles.

    ``own_images`` lets the page show image files beside it (the report's print maps).
    """
    img = "data:" + (" 'self'" if own_images else "") + (f" {tiles.csp_source}" if tiles else "")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(s) for s in scripts),
            "style-src " + " ".join(csp_hash(s) for s in styles),
            f"img-src {img}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_page(
    template: str,
    context: dict,
    *,
    scripts: list[str],
    styles: list[str],
    tiles: Tiles | None,
    own_images: bool = False,
) -> str:
    """Render a page with its inline scripts, styles and matching CSP."""
    csp = content_security_policy(scripts, styles, tiles, own_images)
    return (
        html_environment()
        .get_template(template)
        .render(**context, csp=csp, inline_scripts=scripts, inline_styles=styles)
    )
