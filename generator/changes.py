"""What changed, as a value: the files `serve` saw written, each sorted once into the kind of
change it is, so that the rest of the preview matches on the kind instead of looking again.

A change carries its paths: the loader reads exactly those files again (content.LoadCache),
nothing else is read or stat-ed. Paths are absolute, as the watcher reports them under the
folders it watches; nothing here touches the disk.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class ChangeKind(enum.Enum):
    PLAN = "plan"  # content/plans/: a plan file written, added or removed
    REPORT = "report"  # content/reports/
    REGISTRY = "registry"  # content/registry/: names resolve against it on every page
    SETTINGS = "settings"  # content/site.yaml, and content/static/ (its logo, files copied to the site root)
    PAGE_TEMPLATE = "page template"  # templates/pages/*.html: the pages made from it
    SHARED_TEMPLATE = "shared template"  # base.html, components: every page
    ASSET = "asset"  # templates/static/: the site's own CSS and JavaScript, copied as they are
    FOLDER = "folder"  # content/ or a templates/ itself deleted, moved or put back
    OTHER = "other"  # nothing the preview reads (a stray file in content/, a component's example)


# Kinds after which every page is rendered again. (A report file changes the readings of plans
# whose files did not change: contentfiles.LoadCache.refreshed names them, and only their pages
# are rendered again.)
EVERYTHING = frozenset({ChangeKind.REGISTRY, ChangeKind.SETTINGS, ChangeKind.SHARED_TEMPLATE, ChangeKind.FOLDER})
# Kinds after which the content is loaded again (and the search data made again).
CONTENT = frozenset({ChangeKind.PLAN, ChangeKind.REPORT, ChangeKind.REGISTRY, ChangeKind.SETTINGS, ChangeKind.FOLDER})


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    paths: tuple[Path, ...]


def classify(paths: Iterable[Path], content_dir: Path, template_folders: Iterable[Path]) -> list[Change]:
    """The changes `paths` make, one per kind, in the order of ChangeKind, paths sorted.
    `template_folders`: the site's own templates/ first, then the tool's (render.Templates)."""
    folders = tuple(template_folders)
    return merged(Change(kind_of(path, content_dir, folders), (path,)) for path in paths)


def kind_of(path: Path, content_dir: Path, template_folders: tuple[Path, ...]) -> ChangeKind:
    if path == content_dir or path in template_folders:
        return ChangeKind.FOLDER
    if path.is_relative_to(content_dir):
        parts = path.relative_to(content_dir).parts
        if parts[0] == "plans":
            return ChangeKind.PLAN
        if parts[0] == "reports":
            return ChangeKind.REPORT
        if parts[0] == "registry":
            return ChangeKind.REGISTRY
        if parts == ("site.yaml",) or parts[0] == "static":
            return ChangeKind.SETTINGS
        return ChangeKind.OTHER
    folder = next((folder for folder in template_folders if path.is_relative_to(folder)), None)
    if folder is None:
        return ChangeKind.OTHER
    parts = path.relative_to(folder).parts
    if parts[0] == "static":
        return ChangeKind.ASSET
    if path.suffix != ".html":
        return ChangeKind.OTHER
    if parts[0] == "pages" and len(parts) == 2:
        return ChangeKind.PAGE_TEMPLATE
    return ChangeKind.SHARED_TEMPLATE


def paths_of(changes: Iterable[Change], *kinds: ChangeKind) -> set[Path]:
    """The paths of the changes of `kinds`."""
    return {path for change in changes if change.kind in kinds for path in change.paths}


def kinds_of(changes: Iterable[Change]) -> set[ChangeKind]:
    return {change.kind for change in changes}


def merged(changes: Iterable[Change]) -> list[Change]:
    """One change per kind, holding the paths of all (changes left from a failed rebuild join the next)."""
    found: dict[ChangeKind, set[Path]] = {}
    for change in changes:
        found.setdefault(change.kind, set()).update(change.paths)
    return [Change(kind, tuple(sorted(found[kind]))) for kind in ChangeKind if kind in found]
