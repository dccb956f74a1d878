"""Issue 10, point 5: a transcription guide that a new editor can follow from the repository alone:
docs/editing.md walks through each pattern with an example plan under docs/examples/ that builds,
docs/schema.md explains every nested field, and nothing points outside the repository."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT, run_main
from support.examples import EXAMPLES

GUIDE = ROOT / "docs" / "editing.md"

# Each pattern the guide must walk through, with its example plan.
PATTERNS = {
    "Merged cells": "merged-cells", "Inline markers": "inline-markers", "主办 and 协办": "host-assist",
    "分别负责": "each-lead", "参照落实": "follow", "Collectives": "collectives", "Milestones": "milestones",
    "Recurring deadlines": "deadlines", "Progress reports": "progress-report",
    "Reports over the year": "reports-over-the-year", "Former names": "former-names",
    "Sub-units": "sub-units", "The first listed unit leads": "first-listed",
}


def guide_sections() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_pattern_has_a_section_with_its_example_plan():
    sections = guide_sections()
    for pattern, plan_id in PATTERNS.items():
        title = next((t for t in sections if t.startswith(pattern)), None)
        assert title, f"docs/editing.md has no section for {pattern}"
        assert f"(examples/plans/{plan_id}.yaml)" in sections[title], pattern
        assert (EXAMPLES / "plans" / f"{plan_id}.yaml").is_file()
    shipped = {path.stem for path in (EXAMPLES / "plans").glob("*.yaml")}
    assert shipped == set(PATTERNS.values()), "an example plan the guide does not explain"


def test_the_guide_s_snippets_are_in_its_examples():
    """Each YAML line the guide shows for a pattern is in that pattern's example files."""
    examples = "\n".join(path.read_text(encoding="utf-8") for path in EXAMPLES.rglob("*.yaml"))
    for block in re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S):
        if block.startswith("# content/"):
            continue  # a file of the editor's own, shown as an illustration
        for line in block.splitlines():
            if line.strip() and line.strip() != "..." and not line.lstrip().startswith("#"):
                assert line.strip() in examples, line


def test_the_examples_build_and_check_clean():
    result = run_main("check", "--content", str(EXAMPLES))
    assert result.returncode == 0, result.stderr
    assert "13 份计划" in result.stdout


@pytest.mark.long
def test_every_example_plan_page_passes_axe(examples_site, examples_url, page):
    """Each pattern's plan page, and the lists and department page that sum them (unit pages:
    test_duties and test_progress)."""
    from support.browser import axe_problems

    pages = [p.removesuffix("index.html") for p in examples_site.files if p.startswith("plans/") and p.endswith(".html")]
    assert not axe_problems(page, examples_url, sorted(pages) + ["", "departments/ex-qu-zsj/", "departments/ex-gxt/"])


@pytest.mark.parametrize("definition", ["deadline_details", "milestone", "recurrence", "relative", "status_details",
                                        "qualified", "role_words", "task"])
def test_schema_reference_explains_every_nested_field(definition):
    reference = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    section = reference.split(f"### `{definition}`\n", 1)[1].split("\n### ", 1)[0]
    rows = [row for row in section.splitlines() if row.startswith("| `")]
    assert rows and all(not row.endswith("|  |") for row in rows), f"{definition}: a field without its meaning"


def test_nothing_in_the_repository_points_outside_it():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"\.\./shared|shared/seeds|\.\./\.\./\.\./shared")
    found = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".md", ".py", ".yaml", ".yml", ".json", ".html", ".js", ".css", ".txt"} and path.is_file():
            if outside.search(path.read_text(encoding="utf-8", errors="replace")) and path.name != "test_examples.py":
                found.append(name)
    assert not found, found
