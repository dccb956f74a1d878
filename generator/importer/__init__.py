"""`build.py import FILE`: start a plan from the file the editor received (Word, Excel, a saved
web page, a PDF, text).

This module only runs the stages, one module each: read (reading picks a reader by what the
file holds; read_docx, read_xlsx, read_text, read_html, read_pdf and read_office give the
document as paragraphs and tables, source), interpret (what the document means: its title,
issuer and year, meta; its plan table or prose, interpret with tables or prose, reading labels,
unit cells, names, deadlines and markers on the way), audit (the draft held against its source),
write (writer: YAML with a `# 待核` comment above each place that needs the editor's eye) and
report (those places in the terminal and in `serve`).

The draft goes to content/plans/<id>.yaml as `draft: true`, checked against the schema before
it is written, and never over an existing file (placing); with --register, register writes the
registry files it needs first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import audit, meta, placing
from .draft import Plan, measures_of
from .interpret import interpret
from .names import Names
from .reading import read_source
from .register import Registration
from .report import terminal_lines
from .source import Document
from .writer import Placed, Written, draft_header, write


@dataclass
class Imported:
    path: Path
    plan: Plan
    placed: list[Placed]
    seconds: float
    report: list[str] = field(default_factory=list)
    registered: list[Path] = field(default_factory=list)  # registry files written by --register

    @property
    def measures(self) -> int:
        return len(measures_of(self.plan))

    @property
    def places(self) -> int:
        """How many places the draft marks for review."""
        return len(self.placed)


def import_file(source: Path, content_dir: Path, issuer: str | None = None, year: int | None = None,
                plan_id: str | None = None, register: bool = False, parent: str | None = None) -> Imported:
    started = time.perf_counter()
    if plan_id is not None:  # a draft that could not be written is known before the file is read
        placing.check_id(plan_id)
        placing.target_of(content_dir, plan_id)
    document = read_source(source)
    registry = placing.registry_of(content_dir)
    title, title_finding = meta.document_title(document)
    publisher = meta.publisher(document.metadata)
    registration = Registration(registry, content_dir, title, issuer, parent, source.name, publisher) if register else None
    if registration is not None:
        registry = registration.load()
        issuer_unit = registry.by_id[registration.issuer_id]
    else:
        issuer_unit = meta.issuer_of(title, issuer, registry, publisher)
    year = meta.plan_year(year, title, source.stem)
    plan_id = plan_id or meta.plan_id(issuer_unit, year)
    placing.check_id(plan_id)
    target = placing.target_of(content_dir, plan_id)

    draft = _draft(document, registry, issuer_unit, title, title_finding, issuer, plan_id, year, source)
    if registration is not None and draft.names.unknown:
        registration.add(draft.names.unknown)  # register what the document names, then read it again
        registry = registration.load()
        issuer_unit = registry.by_id[registration.issuer_id]
        draft = _draft(document, registry, issuer_unit, title, title_finding, issuer, plan_id, year, source)
    placing.check_draft(draft.written.text, target)
    registered = placing.write_all_new(registration.texts()) if registration is not None else []
    try:
        placing.write_new(target, draft.written.text)
    except BaseException:
        for path in registered:
            path.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - started
    shown = placing.shown(target)
    imported = Imported(target, draft.plan, draft.written.placed, seconds, terminal_lines(shown, draft.written.placed))
    imported.registered = [placing.shown(path) for path in registered]
    return imported


@dataclass
class _Draft:
    plan: Plan
    written: Written
    names: Names


def _draft(document: Document, registry, issuer_unit, title: str, title_finding, issuer: str | None, plan_id: str,
           year: int, source: Path) -> _Draft:
    """The document interpreted against `registry`, audited and written as YAML text; what the
    audit finds not placed is kept in the editor's notes and the draft written again."""
    read = interpret(document, registry, issuer_unit, title, title_finding, issuer, plan_id, year, source.name)
    audit.review_measures(read.plan, read.names)
    written = write(read.plan, draft_header(read.plan, source.name))
    strings = audit.draft_strings(written.text)
    missing = audit.unplaced(audit.pieces_of(document, read.layout_ids, read.heading_ids), strings) if strings else []
    if missing:
        audit.keep_unplaced(read.plan, missing)
        written = write(read.plan, draft_header(read.plan, source.name))
    return _Draft(read.plan, written, read.names)



