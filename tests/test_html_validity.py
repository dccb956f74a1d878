"""Every built page is valid HTML by the Nu Html Checker (vnu.jar from npm, run on Java).

The checker starts once for the whole module (a Java start costs seconds): the shipped site, the
example site, the site with progress reports, the site with its own look (tests/fixtures/themed)
and a page broken on purpose go to one run, and
each test reads its own part."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from support.browser import VNU, require

BROKEN = "<!DOCTYPE html><html lang=zh-CN><title>x</title><p><div></p>"

# Every test here reads the one run: under pytest-xdist they go to one worker (--dist loadgroup).
pytestmark = [pytest.mark.xdist_group("vnu"), pytest.mark.long]


def run_vnu(paths) -> list[dict]:
    result = subprocess.run(
        # One short run: the quick compiler only (which needs a larger stack, as vnu itself says)
        # and one garbage-collector thread take half the processor time of the defaults.
        ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m", "-jar", str(VNU),
         "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(result.stderr or "{}").get("messages", [])


@pytest.fixture(scope="module")
def checked(built_site, examples_site, reports_site, themed_site, tmp_path_factory) -> dict[Path, list[dict]]:
    """Each page → the errors vnu found in it (every page has an entry, most of them empty)."""
    require(shutil.which("java") is not None, "a Java runtime", "apt-get install default-jre-headless")
    require(VNU.exists(), "vnu-jar (npm)", "npm ci --ignore-scripts")
    broken = tmp_path_factory.mktemp("broken") / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    pages = [*sorted(built_site.output.rglob("*.html")), *sorted(examples_site.output.rglob("*.html")),
             *sorted(reports_site.output.rglob("*.html")), *sorted(themed_site.output.rglob("*.html")), broken]
    found: dict[Path, list[dict]] = {page.resolve(): [] for page in pages}
    for message in run_vnu(pages):
        page = Path(message.get("url", "").removeprefix("file:")).resolve()
        found.setdefault(page, []).append(message)
    return found


def report(found: dict[Path, list[dict]], folder: Path) -> str:
    return "\n".join(f"{page.relative_to(folder.resolve())}:{m.get('lastLine')}: {m.get('message')}"
                     for page, messages in found.items() if page.is_relative_to(folder.resolve()) for m in messages)


def test_every_page_has_zero_html_errors(built_site, checked):
    assert len([page for page in checked if page.is_relative_to(built_site.output.resolve())]) > 50
    assert not report(checked, built_site.output)


def test_example_pages_are_valid_html(examples_site, checked):
    assert any(page.is_relative_to(examples_site.output.resolve()) for page in checked)
    assert not report(checked, examples_site.output)


def test_pages_with_reports_are_valid_html(reports_site, checked):
    assert (reports_site.output / "plans" / "jrj-2023" / "index.html").resolve() in checked
    assert not report(checked, reports_site.output)


def test_a_site_with_its_own_look_is_valid_html(themed_site, checked):
    assert (themed_site.output / "plans" / "zs-gxj-2022" / "index.html").resolve() in checked
    assert not report(checked, themed_site.output)


def test_the_checker_itself_reports_errors(checked):
    """A page broken on purpose must have errors, or a clean report above would mean nothing."""
    broken = [messages for page, messages in checked.items() if page.name == "broken.html"]
    assert broken and broken[0], "vnu found nothing wrong in a broken page"
