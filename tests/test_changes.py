"""What serve saw, sorted into changes (generator/changes.py): each path to its kind, one change
per kind; and what the rebuild does with them (tests/test_serve.py holds the output to a clean build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.changes import Change, ChangeKind, classify, merged

SITE = Path("/site")
CONTENT = SITE / "content"
OWN = SITE / "templates"  # the site's own templates/, searched first
TOOL = Path("/tool/templates")
FOLDERS = (OWN, TOOL)

KINDS = [
    (CONTENT / "plans" / "zs-2017.yaml", ChangeKind.PLAN),
    (CONTENT / "plans" / "sub" / "misplaced.yaml", ChangeKind.PLAN),  # listed again, and reported
    (CONTENT / "reports" / "zs-2017-h1.yml", ChangeKind.REPORT),
    (CONTENT / "registry" / "zs.yaml", ChangeKind.REGISTRY),
    (CONTENT / "site.yaml", ChangeKind.SETTINGS),
    (CONTENT / "static" / "logo.svg", ChangeKind.SETTINGS),  # the logo site.yaml names
    (CONTENT / "notes.yaml", ChangeKind.OTHER),  # nothing reads it
    (CONTENT, ChangeKind.FOLDER),
    (TOOL / "pages" / "plan.html", ChangeKind.PAGE_TEMPLATE),
    (OWN / "pages" / "unit.html", ChangeKind.PAGE_TEMPLATE),
    (TOOL / "base.html", ChangeKind.SHARED_TEMPLATE),
    (OWN / "base.html", ChangeKind.SHARED_TEMPLATE),
    (TOOL / "components" / "measure_list.html", ChangeKind.SHARED_TEMPLATE),
    (TOOL / "pages" / "parts" / "header.html", ChangeKind.SHARED_TEMPLATE),  # included, not a page kind's
    (TOOL / "static" / "site.css", ChangeKind.ASSET),
    (OWN / "static" / "portal.css", ChangeKind.ASSET),
    (TOOL / "static" / "icons" / "logo.svg", ChangeKind.ASSET),
    (TOOL / "components" / "examples" / "measure_list.yaml", ChangeKind.OTHER),
    (OWN, ChangeKind.FOLDER),
    (TOOL, ChangeKind.FOLDER),
    (Path("/elsewhere/plan.yaml"), ChangeKind.OTHER),
    (SITE / "plans" / "zs-2017.yaml", ChangeKind.OTHER),  # a plans/ folder outside content/
]


@pytest.mark.parametrize("path, kind", KINDS, ids=[str(path) for path, _ in KINDS])
def test_each_path_is_its_kind_of_change(path, kind):
    assert classify([path], CONTENT, FOLDERS) == [Change(kind, (path,))]


def test_a_batch_is_one_change_per_kind_in_a_fixed_order_with_sorted_paths():
    plans = [CONTENT / "plans" / name for name in ("b.yaml", "a.yaml", "c.yaml")]
    batch = {plans[0], TOOL / "static" / "site.css", plans[1], CONTENT / "site.yaml", plans[2]}
    assert classify(batch, CONTENT, FOLDERS) == [
        Change(ChangeKind.PLAN, tuple(sorted(plans))),
        Change(ChangeKind.SETTINGS, (CONTENT / "site.yaml",)),
        Change(ChangeKind.ASSET, (TOOL / "static" / "site.css",)),
    ]
    assert classify([], CONTENT, FOLDERS) == []


def test_changes_left_from_a_failed_rebuild_join_the_next():
    first = classify({CONTENT / "plans" / "a.yaml", OWN / "pages" / "unit.html"}, CONTENT, FOLDERS)
    second = classify({CONTENT / "plans" / "b.yaml", CONTENT / "plans" / "a.yaml"}, CONTENT, FOLDERS)
    assert merged(first + second) == [
        Change(ChangeKind.PLAN, (CONTENT / "plans" / "a.yaml", CONTENT / "plans" / "b.yaml")),
        Change(ChangeKind.PAGE_TEMPLATE, (OWN / "pages" / "unit.html",)),
    ]


def test_a_site_whose_templates_are_the_tools_has_one_template_folder():
    assert classify([TOOL / "pages" / "plan.html"], CONTENT, (TOOL,)) == [
        Change(ChangeKind.PAGE_TEMPLATE, (TOOL / "pages" / "plan.html",))]
    assert classify([OWN / "pages" / "plan.html"], CONTENT, (TOOL,)) == [
        Change(ChangeKind.OTHER, (OWN / "pages" / "plan.html",))]
