"""The content folder's files: listed, read within limits and checked against the schema, and
kept between the preview's rebuilds until a change names them (LoadCache). content.py builds the
model from what is read here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, yamlfile
from .changes import Change, ChangeKind
from .errors import CannotBuild, ContentError
from .yamlfile import YamlFile

PLAN_FIELDS_THAT_MARK_A_PLAN = {"id", "title", "issuer", "sections"}
YAML_SUFFIXES = (".yaml", ".yml")
STATIC_DIR_NAME = "static"  # content/static/: files copied as they are to the site root (CNAME, .htaccess)
STATIC_SIZE_LIMIT = 100 * 1024 * 1024
RESERVED_STATIC_NAMES = {".zwgk-build"}  # the output marker (generator/output.py)


@dataclass
class LoadCache:
    """What `load` read, kept for `serve` until a change names it (changes.Change): a file is read
    again only when a change names its path, a folder listed again only when one names a path in
    it that it did not list or that is gone (the one path named is looked at), a plan built again
    when its file or the registry changed, given its reports again when it or they changed.
    Nothing else is stat-ed to find out."""

    listings: dict = field(default_factory=dict)  # folder -> (its YAML files, errors)
    files: dict = field(default_factory=dict)  # path -> (document or None, errors)
    plans: dict = field(default_factory=dict)  # path -> (plan or None, errors), built against `registry`
    # plan path -> (plan, its report files' documents, errors): what content.load attached to it
    attached: dict = field(default_factory=dict)
    # plans kept from an earlier load whose reports changed since: the same objects with new
    # readings, whose pages the preview must render again (build.Pipeline clears it once it has)
    refreshed: list = field(default_factory=list)
    registry: tuple | None = None  # (registry, errors)
    settings: tuple | None = None  # (settings, errors)
    static: tuple | None = None  # (content/static/'s files, errors)

    def forget(self, changes: list[Change]) -> None:
        """Drop what `changes` make stale (a folder replaced is a new LoadCache instead)."""
        for change in changes:
            if change.kind in (ChangeKind.PLAN, ChangeKind.REPORT, ChangeKind.REGISTRY):
                for path in change.paths:
                    self.files.pop(path, None)
                    self.plans.pop(path, None)
                    self.attached.pop(path, None)
                    for folder in [folder for folder in self.listings if path.is_relative_to(folder)]:
                        if path.parent == folder and path in self.listings[folder][0] and os.path.lexists(path):
                            continue  # a listed file saved again: the folder lists the same files
                        del self.listings[folder]
            if change.kind is ChangeKind.REGISTRY:
                self.registry = None
                self.plans.clear()  # names resolve against the registry
            if change.kind is ChangeKind.SETTINGS:  # site.yaml or a file in content/static/
                self.settings = self.static = None

    def listing(self, folder: Path, errors: list[ContentError]) -> list[Path]:
        if folder not in self.listings:
            found: list[ContentError] = []
            self.listings[folder] = (yaml_files(folder, found), found)
        paths, found = self.listings[folder]
        errors.extend(found)
        return paths

    def read(self, path: Path, kind: str, errors: list[ContentError], content_dir: Path) -> YamlFile | None:
        if path not in self.files:
            found: list[ContentError] = []
            self.files[path] = (read(path, kind, found, content_dir), found)
        document, found = self.files[path]
        errors.extend(found)
        return document

    def read_settings(self, content_dir: Path, errors: list[ContentError]) -> dict:
        if self.settings is None:
            found: list[ContentError] = []
            self.settings = (load_settings(content_dir, found), found)
        settings, found = self.settings
        errors.extend(found)
        return settings

    def read_static(self, content_dir: Path, errors: list[ContentError]) -> dict[str, bytes]:
        if self.static is None:
            found: list[ContentError] = []
            self.static = (static_files(content_dir, found), found)
        files, found = self.static
        errors.extend(found)
        return files


def require_folder(content_dir: Path) -> None:
    """A content folder that is missing or is a file is a message, not an empty site."""
    if not content_dir.exists():
        raise CannotBuild("content-folder-missing", folder=content_dir)
    if not content_dir.is_dir():
        raise CannotBuild("content-folder-not-folder", folder=content_dir)



def document_at(path: Path, content_dir: Path) -> YamlFile:
    """A file known to be valid whose data is not at hand: where() reads it again for a message."""
    return YamlFile(path=path, data=None, positions=None, key_positions=None, root=content_dir)



def yaml_files(folder: Path, errors: list[ContentError]) -> list[Path]:
    """The YAML files directly in `folder`; any in a subfolder is reported, never silently skipped.

    A folder named like a YAML file is listed too, so that reading it says what it is. The
    folder itself must be a plain folder: a link, wherever it leads, is named and not followed
    (as content/static/ is, and as `build.py import` will not write into one).
    """
    if folder.is_symlink():
        errors.append(ContentError(folder, 0, 0, None, kind="folder-is-link",
                                   values={"target": Path(os.readlink(folder))}))
        return []
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for parent, folders, names in os.walk(folder):
        folders.sort()
        here = Path(parent)
        for name in sorted(names + [f for f in folders if f.endswith(YAML_SUFFIXES)]):
            if not name.endswith(YAML_SUFFIXES):
                continue
            if here == folder:
                found.append(here / name)
            elif name in names:
                errors.append(ContentError(here / name, 0, 0, None, kind="file-in-subfolder",
                                           values={"folder": folder}))
    return sorted(found, key=str)



def static_files(content_dir: Path, errors: list[ContentError]) -> dict[str, bytes]:
    """content/static/, copied as it is to the site root: files the web team needs there."""
    folder = content_dir / STATIC_DIR_NAME
    if not os.path.lexists(folder):
        return {}
    if folder.is_symlink() or not folder.is_dir():
        errors.append(ContentError(folder, 0, 0, None, kind="static-not-folder"))
        return {}
    files: dict[str, bytes] = {}
    for parent, folders, names in os.walk(folder):  # links to folders are listed, never entered
        folders.sort()
        here = Path(parent)
        for name in sorted(names + [f for f in folders if (here / f).is_symlink()]):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if relative in RESERVED_STATIC_NAMES:
                errors.append(ContentError(path, 0, 0, None, kind="reserved-name", values={"name": name}))
            elif name in folders:
                errors.append(ContentError(path, 0, 0, None, kind="link-to-folder"))
            else:
                try:
                    files[relative] = yamlfile.read_bytes(path, content_dir, STATIC_SIZE_LIMIT)
                except ContentError as error:
                    errors.append(error)
    return files



def read(path: Path, kind: str, errors: list[ContentError], content_dir: Path,
          positions: bool = True, raw: bytes | None = None) -> YamlFile | None:
    """Parse and schema-check one file (`raw`: its bytes, if read already); None when it cannot be used."""
    try:
        document = yamlfile.load(path, content_dir, positions=positions, raw=raw)
    except ContentError as error:
        errors.append(error)
        return None
    if document.data is None:
        errors.append(ContentError(path, 1, 1, None, kind="empty-file"))
        return None
    if kind == "plan" and (not isinstance(document.data, dict) or not PLAN_FIELDS_THAT_MARK_A_PLAN & set(document.data)):
        errors.append(ContentError(path, 1, 1, None, kind="not-a-plan"))
        return None
    problems = schema.check(document, kind)
    if problems:
        errors.extend(problems)
        return None
    return document



def load_settings(content_dir: Path, errors: list[ContentError]) -> dict:
    path = content_dir / "site.yaml"
    if not os.path.lexists(path):
        return schema.defaults("site")
    try:
        document = yamlfile.load(path, content_dir)
    except ContentError as error:
        errors.append(error)
        return schema.defaults("site")
    if document.data is None:
        document.data = {}
    given = set(document.data) if isinstance(document.data, dict) else set()  # before validation adds defaults
    problems = schema.check(document, "site")
    errors.extend(problems)
    settings = {**schema.defaults("site"), **(document.data if not problems else {})}
    if settings.get("base_url"):
        # The full address names the path too: base_path follows it, and may not say otherwise.
        path_of_url = "/" + settings["base_url"].split("://", 1)[1].split("/", 1)[1]
        if "base_path" in given and document.data["base_path"] != path_of_url:
            line, column = document.where(("base_path",))
            errors.append(ContentError(path, line, column, "base_path", kind="base-path-mismatch",
                                       values={"base_path": document.data["base_path"], "url_path": path_of_url}))
        settings["base_path"] = path_of_url
    return settings


def read_plan_file(path: Path, content_dir: Path) -> tuple[YamlFile | None, list[ContentError]]:
    """(document or None, errors) of one plan file: the part of loading that needs no other
    file, so it can be done in worker processes."""
    errors: list[ContentError] = []
    return read(path, "plan", errors, content_dir, positions=False), errors
