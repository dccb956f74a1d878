"""`build.py import FILE`: start a plan from the file the editor received (Word, Excel, a saved
web page, a PDF, text).

The stages, one module each: reading picks a reader by what the file holds, and the reader
(read_docx, read_xlsx, read_text, read_html, read_pdf, read_office) gives the document as
paragraphs and tables (source); the table interpreter (tables) or the prose
interpreter (prose) makes the draft plan (draft), reading labels (labels), unit cells (roles,
names), deadlines (deadlines) and inline markers (markers) on the way; fit adapts the draft to
the plan schema in force; writer writes it as YAML with a `# 待核` comment above each place that
needs the editor's eye; report lists those places in the terminal and in `serve`.

The draft goes to content/plans/<id>.yaml as `draft: true`, checked against the schema before
it is written, and never over an existing file.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema, yamlfile
from ..content import load_registry
from ..errors import BuildFailed, CannotBuild, ContentError
from . import meta
from .context import Context
from .draft import Finding, Plan, measures_of
from .fit import Features, fit
from .names import Names
from .prose import read_prose
from .report import terminal_lines
from .source import Document, Paragraph, Table, clean_title
from .reading import read_source
from .tables import find_layout, join_continued, read_table
from .writer import Placed, write

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_FIRST_LISTED = re.compile(r"[^。；;，,]*(?:排在?第一位|排在首位|排名第一|列第一位|第一个)[^。；;]*?牵头[^。；;，,）)]*")
_PAGE_CHROME = re.compile(r"[-—－\s]*(?:第\s*\d+\s*页.*|\d+)[-—－\s]*")


@dataclass
class Imported:
    path: Path
    plan: Plan
    placed: list[Placed]
    seconds: float
    report: list[str] = field(default_factory=list)

    @property
    def measures(self) -> int:
        return len(measures_of(self.plan))


def import_file(source: Path, content_dir: Path, issuer: str | None = None, year: int | None = None,
                plan_id: str | None = None) -> Imported:
    started = time.perf_counter()
    document = read_source(source)
    registry = _registry(content_dir)
    title, title_finding = _title(document)
    publisher = meta.publisher(document.metadata)
    issuer_unit = meta.issuer_named(issuer, registry) if issuer else meta.issuer_in(title, registry, publisher)
    if issuer_unit is None:
        raise CannotBuild("issuer-not-in-title", title=title)
    year = year or meta.year_of(title) or meta.year_of(source.stem)
    if year is None:
        raise CannotBuild("year-not-in-title", title=title)
    if not 1990 <= year <= 2100:
        raise CannotBuild("year-out-of-range", year=year)
    plan_id = plan_id or meta.plan_id(issuer_unit, year)
    if not _ID.fullmatch(plan_id):
        raise CannotBuild("bad-plan-id", id=plan_id)
    target = _target(content_dir, plan_id)

    kind = meta.kind_of(title)
    plan = Plan(id=plan_id, title=title, issuer=issuer if issuer else _issuer_name(title, issuer_unit),
                kind=kind or "分工方案", year=year, source_file=source.name)
    if title_finding:
        plan.findings.append(title_finding)
    plan.findings += [Finding("", notice) for notice in document.notices]
    _disclosure(plan, document)
    if not kind:
        plan.findings.append(Finding("kind", "标题中没有写明文件类型（分工方案、实施方案……），暂记为分工方案"
                                             "（kind not in the title）"))
    rule = _first_listed_rule(document)
    plan.first_listed_leads = rule
    context = Context(Names(registry, issuer_unit), year, first_listed=bool(rule))
    _interpret(document, plan, context, title)
    fit(plan, Features.of_schema())

    header = _header(plan, source)
    written = write(plan, header)
    _self_check(written.text, target)
    _write_new(target, written.text)
    seconds = time.perf_counter() - started
    shown = _shown(target)
    return Imported(target, plan, written.placed, seconds, terminal_lines(shown, written.placed))


def _registry(content_dir: Path):
    try:
        return load_registry(content_dir)
    except BuildFailed as failure:
        raise CannotBuild("registry-has-errors", errors="\n".join(str(error) for error in failure.errors)) from None


def _title(document: Document) -> tuple[str, Finding | None]:
    """The document's title: a title-like paragraph or table row before the plan, the file's
    title property, else the file name (reported)."""
    for block in document.blocks[:8]:
        candidates = [block.text] if isinstance(block, Paragraph) else [
            filled[0].text.replace("\n", "") for filled in (
                [cell for cell in dict.fromkeys(row.cells) if cell.text] for row in block.rows[:3])
            if len(filled) == 1]
        for text in candidates:
            if meta.looks_like_title(text.replace("\n", "")):
                return text.replace("\n", ""), None
    if document.title:
        return document.title, None
    stem = clean_title(Path(document.name).stem) or "未命名"
    return stem, Finding("title", f"文件中找不到标题，暂用文件名“{stem}”（title taken from the file name）")


def _disclosure(plan: Plan, document: Document) -> None:
    """文号, 索引号, dates … from the page's metadata; a value the schema cannot take is a note."""
    fields, notes = meta.disclosure(document.metadata)
    for name in ("document_number", "index_number", "topic", "genre", "validity"):
        setattr(plan, name, fields.get(name, ""))
    plan.dates = {name: fields[name] for name in ("written", "published") if name in fields}
    for note, message in notes:
        plan.findings.append(Finding(f"editor_notes[{len(plan.editor_notes)}]", message))
        plan.editor_notes.append(note)


def _issuer_name(title: str, unit) -> str:
    """The issuer as the title names it (a former name in an old plan), else its registry name."""
    names = [unit.name, *unit.aliases] + [n for f in unit.former_names for n in [f["name"], *f.get("aliases", [])]]
    starting = [name for name in names if title.startswith(name)]
    full = [name for name in starting if name == unit.name or any(name == f["name"] for f in unit.former_names)]
    return (full or [unit.name])[0]


def _first_listed_rule(document: Document) -> str:
    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in dict.fromkeys(row.cells)]
    for text in texts:
        found = _FIRST_LISTED.search(text.replace("\n", ""))
        if found:
            return found.group(0).strip("（()）")
    return ""


def _interpret(document: Document, plan: Plan, context: Context, title: str) -> None:
    blocks = [block for block in document.blocks
              if not (isinstance(block, Paragraph) and _PAGE_CHROME.fullmatch(block.text))]
    tables = join_continued([block for block in blocks if isinstance(block, Table)])
    laid_out = [(table, find_layout(table, context.first_listed)) for table in tables]
    chosen = max(((t, layout) for t, layout in laid_out if layout), key=lambda pair: len(pair[0].rows), default=None)
    notes: list = []
    if chosen is None:
        paragraphs = [block for block in blocks if isinstance(block, Paragraph)]
        for table in tables:  # a sheet without a header row: its rows as lines of prose
            paragraphs += [Paragraph("".join(c.text for c in dict.fromkeys(row.cells)), row.where) for row in table.rows]
        paragraphs = [p for p in paragraphs if p.text.replace("\n", "") != title]
        issuer_names = {plan.issuer}
        result = read_prose(paragraphs, context, issuer_names)
        plan.sections, plan.preamble, plan.closing = result.sections, result.preamble, result.closing
        notes = result.notes
        if tables:
            plan.findings.append(Finding("", f"{tables[0].where}没有可以识别的表头行（工作任务、责任单位……），"
                                             "表格的各行按文字导入（no header row found: table read as prose）"))
    else:
        table, layout = chosen
        result = read_table(table, layout, context)
        plan.sections, plan.columns, plan.role_words = result.sections, result.columns, result.role_words
        position = blocks.index(next(b for b in blocks if isinstance(b, Table)))
        before = [b.text for b in blocks[:position] if isinstance(b, Paragraph) and b.text.replace("\n", "") != title]
        after = [b.text for b in blocks[position:] if isinstance(b, Paragraph)]
        plan.preamble, plan.closing = "\n\n".join(before), "\n\n".join(after)
        notes = result.notes
        for other, _ in laid_out:
            if other is not table and len(other.rows) > 1:
                plan.findings.append(Finding("", f"{other.where}没有导入：只导入了最大的一张计划表（{table.where}）"
                                                 "（another table not imported）"))
    for note, finding in notes:
        finding.field = f"editor_notes[{len(plan.editor_notes)}]"
        plan.editor_notes.append(note)
        plan.findings.append(finding)
    if not plan.sections:
        raise CannotBuild("no-plan-found")


def _header(plan: Plan, source: Path) -> list[str]:
    count = plan.all_findings()
    lines = ["yaml-language-server: $schema=../../schema/plan.schema.json"]
    lines[0] = lines[0]
    review = (f"导入检查：{count} 处待核，每处在所指的行上方以“待核”注释标出；核对后删去该注释。"
              if count else "导入检查：没有发现需要特别核对的地方。")
    return [lines[0], f"由 build.py import 从 {source.name} 导入的草稿（draft）：请逐条对照原文核对，完成后删去 draft: true。",
            review + "见 docs/importing.md。"]


def _target(content_dir: Path, plan_id: str) -> Path:
    plans = content_dir / "plans"
    target = plans / f"{plan_id}.yaml"
    if os.path.lexists(target):
        raise CannotBuild("draft-exists", target=target)
    if plans.is_symlink() or (plans.exists() and not plans.is_dir()):
        raise CannotBuild("plans-not-plain-folder", folder=plans)
    resolved = plans.resolve()
    if content_dir.resolve() not in resolved.parents and resolved != content_dir.resolve() / "plans":
        raise CannotBuild("plans-outside-content", folder=plans)
    return target


def _self_check(text: str, target: Path) -> None:
    """The draft must be a plan file the build can read: a schema error here is the importer's
    own mistake, reported as such, and nothing is written. It is read as the build reads the
    file, invisible characters and all, so a draft that passes here also loads."""
    try:
        document = yamlfile.parse(yamlfile.decode(target, text.encode("utf-8")), target)
    except ContentError as error:
        problems = [error]
    else:
        problems = schema.check(document, "plan")
    if problems:
        raise CannotBuild("draft-not-valid", problems="\n".join(str(problem) for problem in problems[:10]))


def _write_new(target: Path, text: str) -> None:
    target.parent.mkdir(exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise CannotBuild("draft-exists", target=target) from None


def _shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
