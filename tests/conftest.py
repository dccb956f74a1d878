"""Shared fixtures: the shipped content built once, copies of it to break, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if sys.dont_write_bytecode:
    # PYTHONDONTWRITEBYTECODE (containers and CI images often set it) makes every pytest worker
    # compile and assertion-rewrite the tests afresh, and every build.py the tests start
    # compile generator/: 3–4 s a worker. The suite writes compiled modules as Python does by
    # default, in __pycache__ folders that git ignores, for itself and the processes it starts.
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import pytest  # noqa: E402 - after the bytecode settings, which apply to the imports below

from generator import build as pipeline
from generator import content as content_stage
from generator import site as site_stage
from support.browser import CHROMIUM, CHROMIUM_FLAGS, StaticServer, origin, require_chromium

# Fixtures of the example site (docs/examples) and of a site with progress reports, for any test that asks for them.
pytest_plugins = ["support.examples", "support.reports", "support.themed"]
CONTENT = ROOT / "content"


def pytest_collection_modifyitems(items) -> None:
    """Tests marked `long` first, each group otherwise in its order: pytest-xdist hands tests out
    in this order, and a long test handed out last keeps one worker busy while the other idles."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@dataclass
class BuiltSite:
    output: Path
    files: dict
    site: site_stage.Site

    def page(self, path: str) -> str:
        return (self.output / path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The shipped content, built once for the whole session."""
    output = tmp_path_factory.mktemp("site") / "output"
    files = pipeline.build(CONTENT, output)
    site = site_stage.derive(content_stage.load(CONTENT))
    return BuiltSite(output=output, files=files, site=site)


@pytest.fixture(scope="session")
def precompressed_site(tmp_path_factory) -> Path:
    """The shipped content built once with --precompress: the output folder."""
    output = tmp_path_factory.mktemp("precompressed") / "output"
    pipeline.build(CONTENT, output, precompress=True)
    return output


@pytest.fixture(scope="session")
def shipped_site(built_site) -> site_stage.Site:
    return built_site.site


SMALL_PLAN = "zs-jrj-2022"


@pytest.fixture
def empty_content(tmp_path) -> Path:
    """The shipped registry and settings and no plans (where `build.py import` writes its drafts)."""
    target = tmp_path / "content"
    (target / "plans").mkdir(parents=True)
    shutil.copytree(CONTENT / "registry", target / "registry")
    shutil.copy(CONTENT / "site.yaml", target / "site.yaml")
    return target


@pytest.fixture
def small_content(empty_content) -> Path:
    """The registry, the settings and one plan: enough for most rules, fast to load and build."""
    shutil.copy(CONTENT / "plans" / f"{SMALL_PLAN}.yaml", empty_content / "plans" / f"{SMALL_PLAN}.yaml")
    return empty_content


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of content/ that a test may edit or break."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of the project as a user has it: code, content, a .git folder."""
    target = tmp_path / "clone"
    target.mkdir()
    for name in ("generator", "templates", "schema", "content"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", target / "build.py")
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return target


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run build.py exactly as an editor would, from the project root (`env`: variables to add)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **(env or {})},
    )


def run_main(*args: str) -> subprocess.CompletedProcess:
    """build.py's main() in this process, its output captured as run_cli captures it: for tests
    of messages and exit codes, where starting Python again (1.5 s a call) shows nothing more.
    Tests of what only a real process shows (signals, the terminal's encoding) use run_cli."""
    import contextlib
    import importlib.util
    import io

    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse refusing an argument
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; never a downloaded browser."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The shipped site served over HTTP on 127.0.0.1, as a web server would serve it."""
    server = StaticServer(built_site.output)
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for every test's `page`: a context takes Chromium half a second to make and
    compiles scripts (axe, the site's own) afresh, a page in it a tenth of that."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A fresh tab at 1280 × 900. What a test leaves in the shared context (a reading setting
    in localStorage, a cookie) is wiped after it, so no test sees another's. (The sites it
    visited are noted as it goes: Playwright's storage_state() opens a page for every site
    the context ever saw, half a second a test by the end of a run.)"""
    opened = browser_context.new_page()
    visited: set[str] = set()
    opened.on("framenavigated", lambda frame: visited.add(origin(frame.url)))
    yield opened
    sites = sorted(site for site in visited if site.startswith("http"))
    if sites:
        wipe = browser_context.new_cdp_session(opened)
        for site in sites:
            wipe.send("Storage.clearDataForOrigin", {"origin": site, "storageTypes": "all"})
        wipe.detach()
    browser_context.clear_cookies()
    opened.close()


@pytest.fixture(scope="session")
def context_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def page_without_javascript(context_without_javascript):
    """A fresh tab in a browser with JavaScript turned off (nothing can store anything there)."""
    opened = context_without_javascript.new_page()
    yield opened
    opened.close()
