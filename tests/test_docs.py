"""The docs that editors rely on stay true."""

from __future__ import annotations

from conftest import ROOT
from generator.schema_doc import reference


def test_schema_reference_is_up_to_date():
    written = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert written == reference(), "run: .venv/bin/python build.py schema-doc > docs/schema.md"


def test_readme_shipped_plan_table_matches_content(shipped_site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for plan in shipped_site.plans:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{plan.id}.yaml`"))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2:4] == [str(len(plan.sections)), str(len(plan.points))], plan.id
        assert cells[4].split()[0] == str(len(plan.measures)), plan.id
