"""`build.py import FILE`: start a plan from the file the editor received (Word, Excel, a saved
web page, a PDF, text).

The stages, one module each: reading picks a reader by what the file holds, and the reader
(read_docx, read_xlsx, read_text, read_html, read_pdf, read_office) gives the document as
paragraphs and tables (source); the table interpreter (tables) or the prose
interpreter (prose) makes the draft plan (draft), reading labels (labels), unit cells (roles,
names), deadlines (deadlines) and inline markers (markers) on the way; writer writes it as YAML with a `# 待核` comment above each place that
needs the editor's eye; report lists those places in the terminal and in `serve`.

The draft goes to content/plans/<id>.yaml as `draft: true`, checked against the schema before
it is written, and never over an existing file (placing). Before that, audit holds it against
the source; with --register, register writes the registry files it needs.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..content import load_registry
from ..errors import BuildFailed, CannotBuild
from . import audit, meta, placing
from .context import Context
from .draft import Finding, Plan, measures_of
from .names import Names
from .prose import read_prose
from .report import terminal_lines
from .source import Document, Paragraph, Table, clean_title
from .reading import read_source
from .register import Registration
from .roles import rule_sentence
from .tables import find_layout, join_continued, layout_by_cells, read_table
from .writer import Placed, Written, write

_COLUMN_NAMES = {"seq": "序号", "section": "部分", "point": "要点", "task": "任务", "requirement": "要求",
                 "measure": "措施", "units": "责任单位", "deadline": "时限", "status": "落实情况", "remarks": "备注",
                 "extra": "其他"}
# The first line of a title broken over two: a body's name, or the words before the year.
_TITLE_START = re.compile(r"[^。；;，,：:\s]{2,24}(?:局|委|委员会|办|办公室|厅|政府|中心|院|部|(?:19|20)\d{2}年度?[^。；;，,]{0,12})")
_PAGE_CHROME = re.compile(r"[-—－\s]*(?:第\s*\d+\s*页.*|\d+)[-—－\s]*")


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
    registry = _registry(content_dir)
    title, title_finding = document_title(document)
    publisher = meta.publisher(document.metadata)
    registration = Registration(registry, content_dir, title, issuer, parent, source.name, publisher) if register else None
    if registration is not None:
        registry = registration.load()
        issuer_unit = registry.by_id[registration.issuer_id]
    else:
        issuer_unit = meta.issuer_named(issuer, registry) if issuer else meta.issuer_in(title, registry, publisher)
    if issuer_unit is None:
        raise CannotBuild("issuer-not-in-title", title=title)
    year = year or meta.year_of(title) or meta.year_of(source.stem)
    if year is None:
        raise CannotBuild("year-not-in-title", title=title)
    if not 1990 <= year <= 2100:
        raise CannotBuild("year-out-of-range", year=year)
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
    shown = _shown(target)
    imported = Imported(target, draft.plan, draft.written.placed, seconds, terminal_lines(shown, draft.written.placed))
    imported.registered = [_shown(path) for path in registered]
    return imported


@dataclass
class _Draft:
    plan: Plan
    written: Written
    names: Names


def _draft(document: Document, registry, issuer_unit, title: str, title_finding, issuer: str | None, plan_id: str,
           year: int, source: Path) -> _Draft:
    """The document read into a plan against `registry`, audited and written as YAML text."""
    kind = meta.kind_of(title)
    plan = Plan(id=plan_id, title=title, issuer=issuer if issuer else _issuer_name(title, issuer_unit),
                kind=kind or "分工方案", year=year, source_file=source.name)
    if title_finding:
        plan.findings.append(title_finding)
    plan.findings += [Finding("", notice, kind="file") for notice in document.notices]
    _disclosure(plan, document)
    if not kind:
        plan.findings.append(Finding("kind", "标题中没有写明文件类型（分工方案、实施方案……），暂记为分工方案"
                                             "（kind not in the title）", kind="title"))
    rule = _first_listed_rule(document)
    plan.first_listed_leads = rule
    context = Context(Names(registry, issuer_unit), year, first_listed=bool(rule))
    layout_ids, heading_ids = _interpret(document, plan, context, title)
    audit.review_measures(plan, context.names)

    written = write(plan, _header(plan, source))
    strings = audit.draft_strings(written.text)
    missing = audit.unplaced(audit.pieces_of(document, layout_ids, heading_ids), strings) if strings else []
    if missing:
        audit.keep_unplaced(plan, missing)
        written = write(plan, _header(plan, source))
    return _Draft(plan, written, context.names)


def _registry(content_dir: Path):
    try:
        return load_registry(content_dir)
    except BuildFailed as failure:
        raise CannotBuild("registry-has-errors", errors="\n".join(str(error) for error in failure.errors)) from None


def document_title(document: Document) -> tuple[str, Finding | None]:
    """The document's title: a title-like paragraph or table row before the plan (with the line
    above it when the title is broken over two, 江北县卫生健康局 / 2021年政务公开工作要点), the
    file's title property, else the file name (reported)."""
    for index, block in enumerate(document.blocks[:8]):
        candidates = [block.text] if isinstance(block, Paragraph) else [
            filled[0].text.replace("\n", "") for filled in (
                [cell for cell in dict.fromkeys(row.cells) if cell.text] for row in block.rows[:3])
            if len(filled) == 1]
        for text in candidates:
            if meta.looks_like_title(text.replace("\n", "")):
                above = document.blocks[index - 1] if index and isinstance(block, Paragraph) else None
                if isinstance(above, Paragraph) and _TITLE_START.fullmatch(above.text):
                    return above.text + text.replace("\n", ""), None
                return text.replace("\n", ""), None
    if document.title:
        return document.title, None
    stem = clean_title(Path(document.name).stem) or "未命名"
    return stem, Finding("title", f"文件中找不到标题，暂用文件名“{stem}”（title taken from the file name）", kind="title")


def _part_of_title(paragraph: Paragraph, title: str) -> bool:
    """A line the title was joined from (its first or second half)."""
    text = paragraph.text.replace("\n", "")
    return len(text) < len(title) and (title.startswith(text) and _TITLE_START.fullmatch(text) or title.endswith(text))


def _disclosure(plan: Plan, document: Document) -> None:
    """文号, 索引号, dates … from the page's metadata; a value the schema cannot take is a note."""
    fields, notes = meta.disclosure(document.metadata)
    for name in ("document_number", "index_number", "topic", "genre", "validity"):
        setattr(plan, name, fields.get(name, ""))
    plan.dates = {name: fields[name] for name in ("written", "published") if name in fields}
    for note, message in notes:
        plan.findings.append(Finding(f"editor_notes[{len(plan.editor_notes)}]", message, kind="metadata"))
        plan.editor_notes.append(note)


def _issuer_name(title: str, unit) -> str:
    """The issuer as the title names it (a former name in an old plan), else its registry name."""
    names = [unit.name, *unit.aliases] + [n for f in unit.former_names for n in [f["name"], *f.get("aliases", [])]]
    starting = [name for name in names if title.startswith(name)]
    full = [name for name in starting if name == unit.name or any(name == f["name"] for f in unit.former_names)]
    return (full or [unit.name])[0]


def _first_listed_rule(document: Document) -> str:
    """The document's sentence saying the first unit listed leads, wherever it stands."""
    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in dict.fromkeys(row.cells)]
    for text in texts:
        kind, sentence = rule_sentence(text.replace("\n", ""))
        if kind == "first":
            return sentence.strip("（()）")
    return ""


def _interpret(document: Document, plan: Plan, context: Context, title: str) -> tuple[set[int], set[int]]:
    """Read the plan table, else the prose, into `plan`. For the audit: the ids of the
    paragraphs set aside as page layout (page numbers), and of the plan table's header cells
    (its header rows, also where repeated at page breaks)."""
    blocks = [block for block in document.blocks
              if not (isinstance(block, Paragraph) and _PAGE_CHROME.fullmatch(block.text))]
    layout_ids = {id(block) for block in document.blocks if block not in blocks}
    tables = join_continued([block for block in blocks if isinstance(block, Table)])
    laid_out = [(table, find_layout(table, context.first_listed)) for table in tables]
    chosen = max(((t, layout) for t, layout in laid_out if layout), key=lambda pair: len(pair[0].rows), default=None)
    if chosen is None and tables:  # no header row anywhere: the largest table, if its cells tell its columns
        largest = max(tables, key=lambda table: len(table.rows))
        layout = layout_by_cells(largest, context.names, context.first_listed)
        if layout is not None:
            chosen = (largest, layout)
            laid_out = [(t, layout if t is largest else None) for t in tables]
            plan.findings.append(Finding("", f"{largest.where}没有表头行，各栏按内容读作：" + "、".join(
                f"第{c.index + 1}栏{_COLUMN_NAMES[c.kind]}" for c in layout.columns) + "（no header row: columns told by their cells）",
                kind="file"))
    notes: list = []
    heading_ids: set[int] = set()
    if chosen is None:
        paragraphs = [block for block in blocks if isinstance(block, Paragraph)]
        for table in tables:  # a sheet without a header row: its rows as lines of prose
            paragraphs += [Paragraph("".join(c.text for c in dict.fromkeys(row.cells)), row.where) for row in table.rows]
        paragraphs = [p for p in paragraphs if p.text.replace("\n", "") != title and not _part_of_title(p, title)]
        issuer_names = {plan.issuer}
        result = read_prose(paragraphs, context, issuer_names)
        plan.sections, plan.preamble, plan.closing = result.sections, result.preamble, result.closing
        notes = result.notes
        if tables:
            plan.findings.append(Finding("", f"{tables[0].where}没有可以识别的表头行（工作任务、责任单位……），"
                                             "表格的各行按文字导入（no header row found: table read as prose）", kind="file"))
    else:
        table, layout = chosen
        if len(table.rows) <= layout.header_rows:
            raise CannotBuild("table-without-rows", table=table.where)
        result = read_table(table, layout, context)
        header = table.rows[layout.header_rows - len(layout.repeats):layout.header_rows]
        heading_ids = {id(cell) for row in header + result.header_rows for cell in row.cells}
        plan.sections, plan.columns, plan.role_words = result.sections, result.columns, result.role_words
        position = blocks.index(next(b for b in blocks if isinstance(b, Table)))
        before = [b.text for b in blocks[:position] if isinstance(b, Paragraph) and b.text.replace("\n", "") != title
                  and not _part_of_title(b, title)]
        after = [b.text for b in blocks[position:] if isinstance(b, Paragraph)]
        plan.preamble, plan.closing = "\n\n".join(before), "\n\n".join(after)
        notes = result.notes
        for other, _ in laid_out:
            if other is not table and len(other.rows) > 1:
                plan.findings.append(Finding("", f"{other.where}没有导入：只导入了最大的一张计划表（{table.where}）"
                                                 "（another table not imported）", kind="file"))
    for note, finding in notes:
        finding.field = f"editor_notes[{len(plan.editor_notes)}]"
        plan.editor_notes.append(note)
        plan.findings.append(finding)
    if not plan.sections:
        raise CannotBuild("no-plan-found")
    return layout_ids, heading_ids


def _header(plan: Plan, source: Path) -> list[str]:
    """The draft's opening comments: its schema, where it came from, how many places to review."""
    count = plan.all_findings()
    review = (f"导入检查：{count} 处待核，每处在所指的行上方以“待核”注释标出；核对后删去该注释。"
              if count else "导入检查：没有发现需要特别核对的地方。")
    return ["yaml-language-server: $schema=../../schema/plan.schema.json",
            f"由 build.py import 从 {source.name} 导入的草稿（draft）：请逐条对照原文核对，完成后删去 draft: true。",
            review + "见 docs/importing.md。"]


def _shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
