"""Shared fixtures: the project's embedded data, Chromium pages and a local web server."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine, so a red CI is
# reproducible; HATECRIME_MAPS_HYPOTHESIS=explore draws new ones (keep what they find
# as @example).
settings.register_profile("reproducible", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HATECRIME_MAPS_HYPOTHESIS", "reproducible"))

ROOT = Path(__file__).resolve().parents[1]
FOI_FILE = ROOT / "data" / "foi" / "1186A-20" / "response.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def foi_text() -> str:
    return FOI_FILE.read_text(encoding="utf-8")


REQUIRE_ALL = os.environ.get("HATECRIME_MAPS_REQUIRE_ALL") == "1"
CHROMIUM = os.environ.get("HATECRIME_MAPS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def need(available: bool, reason: str) -> None:
    """Skip when a real tool is missing, or fail when every test is required."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (HATECRIME_MAPS_REQUIRE_ALL=1: nothing may skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: headless, no sandbox, no background traffic."""
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def build_to(out: Path, *args: str, centres: Path | None = None) -> Path:
    """Run ``hatecrime-maps build`` into ``out`` and return it."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "hatecrime_maps", "build", "--out", str(out), *args]
    if centres is not None:
        cmd += ["--centres", str(centres)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this run sees (pytest-xdist gives each its own basetemp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    """``default_build(*args)``: the default data built with ``--tiles none`` and ``args``.

    Each set of arguments is built once per run and shared by every test and worker
    (a lock file makes the others wait for it): read it, never write into it; copy it
    first to change it.
    """
    import fcntl
    import hashlib
    import shutil

    shared = _shared_folder(tmp_path_factory) / "default-builds"
    shared.mkdir(exist_ok=True)

    def build(*args: str) -> Path:
        key = hashlib.sha256("\0".join(args).encode()).hexdigest()[:16]
        out = shared / key / "maps"
        with open(shared / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not out.is_dir():
                staging = shared / f"{key}.staging"
                shutil.rmtree(staging, ignore_errors=True)
                build_to(staging / "maps", "--tiles", "none", *args)
                staging.rename(shared / key)
        return out

    return build


@pytest.fixture(scope="session")
def maps_offline(default_build) -> Path:
    """The default build with no basemap: pages that must make no request at all."""
    return default_build()


SYSTEM_PYTHON = "/usr/bin/python3"


def qgis_available() -> bool:
    """True when the system Python can import QGIS (Debian's python3-qgis)."""
    import subprocess

    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"],
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return probe.returncode == 0


def qgis_report(downloads: Path, render_to: str, *layers: str) -> dict:
    """Open a build's GeoPackage in real QGIS (``tests/qgis_check.py``): what QGIS sees.

    Skips (or fails, when everything is required) without Debian's python3-qgis;
    renders the layers to ``test-artifacts/RENDER_TO``.
    """
    import json
    import subprocess

    from hatecrime_maps.outputs import exports

    need(
        qgis_available(),
        f"QGIS is not importable from {SYSTEM_PYTHON} (apt-get install python3-qgis)",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(ROOT / "tests" / "qgis_check.py"),
            str(downloads / exports.GPKG_NAME),
            str(ARTIFACTS / render_to),
            str(downloads),
            *layers,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    report: dict = json.loads(result.stdout.strip().splitlines()[-1])
    return report


# --------------------------------------------------------------------------
# Pages in Chromium, and a local web server


WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class Page:
    """A page with everything it logged and requested."""

    def __init__(
        self, browser, url: str, *, route_tiles: bool = False, width: int = 1280, ready: bool = True
    ):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.add_init_script(WATCH)
        if route_tiles:
            self.context.route(
                re.compile(r"^https://"),
                lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
            )
        self.page.goto(url)
        if ready:  # map pages say when the map is drawn
            self.page.wait_for_selector("html[data-map-ready]", timeout=15000)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size(
            {"width": self.page.viewport_size["width"], "height": min(height, 6000)}
        )
        self.page.screenshot(path=str(ARTIFACTS / name))
        self.page.set_viewport_size({"width": self.page.viewport_size["width"], "height": 900})

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages = []

    def opener(url: str, **kw) -> Page:
        pages.append(Page(browser, url, **kw))
        return pages[-1]

    yield opener
    for p in pages:
        p.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    csp: str | None = None

    def end_headers(self):
        if self.csp and self.path.startswith("/map-"):
            self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def log_message(self, *args):
        pass


def start_server(
    folder: Path, csp: str | None = None
) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``folder`` on 127.0.0.1 (map pages under ``csp``): its address and server."""
    handler = type("H", (_Handler,), {"csp": csp})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


@pytest.fixture
def serve():
    servers = []

    def start(folder: Path, csp: str | None = None) -> str:
        base, server = start_server(folder, csp)
        servers.append(server)
        return base

    yield start
    for s in servers:
        s.shutdown()


def embed_snippets(maps: Path) -> dict[str, str]:
    """The landing page's embed snippets, as a host pastes them, by the page each frames."""
    import html as html_lib

    index = (maps / "index.html").read_text(encoding="utf-8")
    snippets = [
        html_lib.unescape(s)
        for s in re.findall(r"<pre[^>]*><code>(&lt;iframe.*?)</code></pre>", index, re.S)
    ]
    return {re.search(r'src="([^"]+)"', s)[1]: s for s in snippets}


def council_site(
    maps: Path, folder: Path, page: str = "map-2020.html", head: str = "", src: str = ""
) -> Path:
    """A host site: the maps folder and a council page embedding ``page`` by its snippet.

    ``src`` replaces the snippet's address (a map on another origin); ``head`` goes in
    the host page's head (a policy, say).
    """
    import shutil

    snippet = embed_snippets(maps)[page]
    if src:
        snippet = snippet.replace(f'src="{page}"', f'src="{src}"')
    shutil.copytree(maps, folder)
    (folder / "host.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>Council page</title>{head}"
        "<link rel='icon' href='data:,'></head><body>"
        f"<h1>Our area</h1>{snippet}<p>After the map.</p></body></html>",
        encoding="utf-8",
    )
    return folder


SLOW_FILES_FIRST = (
    "test_output_killed.py",
    "test_large_map.py",
    "test_output.py",
    "test_privacy.py",
    "test_level_builds.py",
    "test_accessibility.py",
)
"""Files whose tests take longest: started first, so that no worker is left with one at the end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slowest files first: pytest-xdist (``--dist loadfile``) hands out whole files
    in this order, each to one worker, so a file's module-scoped builds are made once."""
    rank = {name: i for i, name in enumerate(SLOW_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
