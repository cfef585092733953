"""Fixtures of the browser tests: the built site served on 127.0.0.1, and Debian's chromium driven by Playwright.

Nothing is downloaded: Playwright's own browsers are not installed (``playwright
install`` is never run); the tests launch ``/usr/bin/chromium``, which
``.ci/run`` installs with apt. Where chromium or Playwright is missing the tests
skip on a developer's machine and fail in CI (``CI`` set), so that CI never
passes by skipping them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("BRIEFING_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = ("127.0.0.1",)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


# Module scope, not session: the server's thread (and Playwright's) must be gone when the other tests
# run, since `briefing build` and the PDF export fork a helper only in a process without threads.
@pytest.fixture(scope="module")
def base_url(site_dir: Path):
    """The built site on a local HTTP server, in a thread, for the module's tests."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A browser tab on the site that records what a page asks the network for and what it logs."""

    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path.lstrip("/"), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        return response

    def outside(self) -> list[str]:
        return [u for u in self.requests if not _is_local(u)]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def _open(browser, base_url: str, color_scheme: str = "light") -> Visit:
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    visit = Visit(page, base_url)

    def route(route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:  # never let a request leave the machine; the test reports it
            visit.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda message: visit.errors.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(f"page error: {error}"))
    return visit


@pytest.fixture
def visit(browser, base_url):
    v = _open(browser, base_url)
    yield v
    v.page.context.close()


@pytest.fixture
def dark_visit(browser, base_url):
    v = _open(browser, base_url, "dark")
    yield v
    v.page.context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser script, from the Python package that ships it (no network, no npm)."""
    from importlib.resources import files

    try:
        return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        _unavailable("axe-core not available: pip install -e '.[test]' (axe-playwright-python ships axe.min.js)")
