"""What a read document means: the plan it states (title, kind, issuer as named, the
政府信息公开 fields of a web page), the sentence saying the first unit listed leads, and its body:
the largest table whose header (or, without one, whose cells) tell its columns, read by the
table interpreter (tables), else the paragraphs, read by the prose interpreter (prose).

Everything the document says lands in the draft plan or in its findings; the orchestration
(reading the file, the audit, writing the draft) is `importer/__init__.py`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import CannotBuild
from ..model import Unit
from . import meta
from .draft import Plan
from .findings import Finding
from .names import Context, Names
from .prose import read_prose
from .roles import rule_sentence
from .source import Document, Paragraph, Table
from .tables import find_layout, join_continued, layout_by_cells, read_table

_COLUMN_NAMES = {"seq": "序号", "section": "部分", "point": "要点", "task": "任务", "requirement": "要求",
                 "measure": "措施", "units": "责任单位", "deadline": "时限", "status": "落实情况", "remarks": "备注",
                 "extra": "其他"}
_PAGE_CHROME = re.compile(r"[-—－\s]*(?:第\s*\d+\s*页.*|\d+)[-—－\s]*")


@dataclass
class Interpreted:
    plan: Plan
    names: Names  # the registry in the issuer's scope, with the unknown names the document gave
    layout_ids: set[int]  # for the audit: paragraphs set aside as page layout (page numbers)
    heading_ids: set[int]  # and the plan table's header cells, where repeated at page breaks too


def interpret(document: Document, registry, issuer_unit: Unit, title: str, title_finding: Finding | None,
              issuer: str | None, plan_id: str, year: int, source_name: str) -> Interpreted:
    """The document read into a draft plan against `registry`, in the issuer's scope. `issuer`
    is the --issuer option as given (the plan names the issuer so), else the title's name for it."""
    kind = meta.kind_of(title)
    plan = Plan(id=plan_id, title=title, issuer=issuer if issuer else meta.issuer_as_titled(title, issuer_unit),
                kind=kind or "分工方案", year=year, source_file=source_name)
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
    layout_ids, heading_ids = _read_body(document, plan, context, title)
    return Interpreted(plan, context.names, layout_ids, heading_ids)


def _disclosure(plan: Plan, document: Document) -> None:
    """文号, 索引号, dates … from the page's metadata; a value the schema cannot take is a note."""
    fields, notes = meta.disclosure(document.metadata)
    for name in ("document_number", "index_number", "topic", "genre", "validity"):
        setattr(plan, name, fields.get(name, ""))
    plan.dates = {name: fields[name] for name in ("written", "published") if name in fields}
    for note, message in notes:
        plan.findings.append(Finding(f"editor_notes[{len(plan.editor_notes)}]", message, kind="metadata"))
        plan.editor_notes.append(note)


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


def _read_body(document: Document, plan: Plan, context: Context, title: str) -> tuple[set[int], set[int]]:
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
        paragraphs = [p for p in paragraphs if p.text.replace("\n", "") != title and not meta.part_of_title(p, title)]
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
                  and not meta.part_of_title(b, title)]
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
