"""Every built page is valid HTML by the Nu Html Checker (vnu.jar from npm, run on Java)."""

from __future__ import annotations

import json
import shutil
import subprocess

from support.browser import VNU, require


def run_vnu(paths) -> list[dict]:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(result.stderr or "{}").get("messages", [])


def test_every_page_has_zero_html_errors(built_site):
    require(shutil.which("java") is not None, "a Java runtime", "apt-get install default-jre-headless")
    require(VNU.exists(), "vnu-jar (npm)", "npm ci --ignore-scripts")
    pages = sorted(built_site.output.rglob("*.html"))
    assert len(pages) > 50
    errors = run_vnu(pages)
    report = "\n".join(f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in errors)
    assert not errors, report


def test_the_checker_itself_reports_errors(tmp_path):
    require(shutil.which("java") is not None, "a Java runtime", "apt-get install default-jre-headless")
    require(VNU.exists(), "vnu-jar (npm)", "npm ci --ignore-scripts")
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=zh-CN><title>x</title><p><div></p>", encoding="utf-8")
    assert run_vnu([broken]), "vnu found nothing wrong in a broken page"
