"""Real tools for the browser tests: Debian's Chromium driven by Playwright, axe-core and the Nu
Html Checker from node_modules, and a plain HTTP server on 127.0.0.1.

The browser is Debian's chromium-headless-shell, the same Chromium without the desktop browser
around it (what Playwright itself runs headless): the browser tests take a third less time in it.
Where only the full `chromium` is installed, that is used; TEST_CHROMIUM names another.

Locally a missing tool skips the test with the command that installs it; under CI=true it fails,
so a green CI run always means the browser tests really ran.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("TEST_CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
                or "/usr/bin/chromium-headless-shell")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = ROOT / "test-artifacts"


def require(available: bool, what: str, install: str) -> None:
    """Skip (locally) or fail (under CI=true) when a tool the test needs is missing."""
    if available:
        return
    message = f"{what} is missing; install it with: {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    require(CHROMIUM.exists(), "Debian's chromium-headless-shell", "apt-get install chromium-headless-shell fonts-noto-cjk")


AXE_URL_PATH = "/__axe__.js"  # where StaticServer also serves axe-core (no built site has it)
_STATIC_ORIGINS: set[str] = set()  # the StaticServers running, which serve it


def origin(url: str) -> str:
    """http://127.0.0.1:8000/plans/x/ → http://127.0.0.1:8000"""
    return "/".join(url.split("/", 3)[:3])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        if path == AXE_URL_PATH:
            return str(AXE)
        return super().translate_path(path)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class StaticServer:
    """Serve a folder on 127.0.0.1 at a free port for as long as the test needs it."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        _STATIC_ORIGINS.add(origin(self.url))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        _STATIC_ORIGINS.discard(origin(self.url))
        self.httpd.shutdown()
        self.httpd.server_close()


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now.

    On a page from a StaticServer, axe is loaded from the server's address, so Chromium compiles
    it once per browser context and takes it from its cache after that (inlining it costs half a
    second on every page)."""
    if origin(page.url) in _STATIC_ORIGINS:
        page.add_script_tag(url=origin(page.url) + AXE_URL_PATH)
    else:
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def axe_problems(page, base_url: str, paths: list[str]) -> str:
    """Open each page under `base_url` and run axe; "" when none has a violation, else each
    page's violations (assert on it: `assert not axe_problems(...)`)."""
    require(AXE.exists(), "axe-core (npm)", "npm ci --ignore-scripts")
    problems = []
    for path in paths:
        page.goto(base_url + path)
        violations = run_axe(page)
        if violations:
            problems.append(f"{path}\n{describe(violations)}")
    return "\n\n".join(problems)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']}: {violation['help']} at {node['target']}: {node.get('failureSummary', '')}")
    return "\n".join(lines)
