"""`build.py import REPORT --report PLAN_ID`: a progress report on a plan, from the table the
units sent back, written to content/reports/<id>.yaml.

The file is read as a plan import reads it (reading); its title and kind come from the
document's words, its as-of date from --as-of or the words 截至…、上半年、年度 (the last two a
guess, reported); report_table matches each row of the progress table to a measure of the plan
and reads its 落实情况 and state. What needs the editor's eye is a `# 待核` comment above its
line, grouped in the terminal as for plans (report.terminal_lines) and listed by `serve`.

Nothing is lost without a word: a row that fits no measure, or several, is kept word for word in
`editor_notes`; so is every other cell and paragraph the report does not hold (the audit of the
plan import, held against the report and the plan). The file is checked as the build will
read it — the report schema and the plan's anchors and units — and written whole, never over a
file (placing). Unlike a plan import it is not a draft: `build` publishes it as it is.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import content as content_stage
from .. import schema, yamlfile
from ..errors import CannotBuild, ContentError
from ..model import Measure, Plan
from . import audit, meta, placing
from .findings import Finding, cut
from .reading import read_source
from .report import terminal_lines
from .report_table import (
    ReportReader, ReportRow, columns_of, label_path, per_unit, state_of_cell, states_in,
)
from .source import Document, Paragraph, Table
from .tables import find_layout, heading_text, join_continued
from . import writer
from .writer import INDENT, Placed, Written, _Writer

NOTE_UNMATCHED = "导入时没有对应到措施的一行"
NOTE_AMBIGUOUS = "导入时对应到不止一条措施的一行"
NOTE_UNPLACED = "导入时未能放入报告的原文"

# 截至2021年7月15日, 截止到11月30日, 截至2022年6月底
_AS_OF = re.compile(r"截[至止]到?\s*(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末)")
_YEAR_BEFORE = r"(?:((?:19|20)\d{2})\s*年?)?\s*"
# Words that give no day but a period, whose last day is taken (a guess, reported): the month
# of each pattern, or its second group's.
_PERIOD_ENDS = (
    (re.compile(_YEAR_BEFORE + r"上半年"), 6),
    (re.compile(_YEAR_BEFORE + r"(?:第一|一)季度"), 3),
    (re.compile(_YEAR_BEFORE + r"(?:第二|二)季度"), 6),
    (re.compile(_YEAR_BEFORE + r"(?:前三|第三|三)季度"), 9),
    (re.compile(_YEAR_BEFORE + r"(?:第四|四)季度"), 12),
    (re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月份"), None),
    (re.compile(_YEAR_BEFORE + r"(?:年度|全年|年终)"), 12),
)
# The kind of report its title names (schema/report.schema.json), the first that fits.
_KIND_WORDS = (("半年", "半年报告"), ("季度", "季度报告"), ("月度", "月度报告"), ("月份", "月度报告"),
               ("年度总结", "年度总结"), ("年终总结", "年度总结"), ("全年", "年度总结"), ("总结", "年度总结"))


@dataclass
class UnitEntry:
    name: str
    text: str
    state: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Entry:
    """What the report says of one measure, with the rows it came from."""

    measure: Measure
    text: str = ""
    state: str = ""
    units: list[UnitEntry] = field(default_factory=list)
    editor_note: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ReportDraft:
    plan: Plan
    title: str
    kind: str
    as_of: str
    source_file: str
    entries: list[Entry] = field(default_factory=list)
    editor_notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # on the report's own fields and its notes


@dataclass
class ImportedReport:
    path: Path
    draft: ReportDraft
    placed: list[Placed]
    seconds: float
    rows: int  # rows of the progress table read
    empty: int  # rows matched to a measure with nothing to report
    report: list[str] = field(default_factory=list)

    @property
    def places(self) -> int:
        return len(self.placed)


def import_report(source: Path, content_dir: Path, plan_id: str, as_of: str | None = None,
                  report_id: str | None = None) -> ImportedReport:
    started = time.perf_counter()
    if report_id is not None:  # a report that could not be written is known before the file is read
        placing.check_id(report_id)
        placing.target_of(content_dir, report_id, "reports")
    registry = placing.registry_of(content_dir)
    plan = _plan(content_dir, plan_id, registry)
    document = read_source(source)
    title, title_finding = _title(document)
    table, columns = _progress_table(document, plan)
    draft = ReportDraft(plan, title, _kind(title), "", source.name)
    if title_finding:
        draft.findings.append(title_finding)
    draft.as_of = as_of or _as_of(title, columns.layout.header, document, plan.year, draft.findings)
    report_id = report_id or f"{plan.id}-{draft.as_of}"
    placing.check_id(report_id)
    target = placing.target_of(content_dir, report_id, "reports")

    reader = ReportReader(table, columns, plan, registry)
    rows = reader.rows()
    matches = [reader.match(row) for row in rows]
    empty = _entries(draft, matches, reader)
    if not draft.entries:
        raise CannotBuild("report-nothing-matched", table=table.where, plan=plan.id)
    written = write(draft)
    named = {audit.normal(text) for matched in matches if matched.measure is not None for text in matched.row.naming}
    header_ids = {id(cell) for row in table.rows if [heading_text(c) for c in row.cells] in columns.layout.repeats
                  for cell in row.cells}
    strings = audit.draft_strings(written.text) | _plan_strings(plan) | named
    missing = audit.unplaced(audit.pieces_of(document, heading_ids=header_ids), strings)
    if missing:
        _keep_unplaced(draft, missing)
        written = write(draft)
    _check(written.text, target, plan)
    placing.write_new(target, written.text)
    shown = placing.shown(target)
    return ImportedReport(target, draft, written.placed, time.perf_counter() - started, len(rows), empty,
                          terminal_lines(shown, written.placed))



def _plan(content_dir: Path, plan_id: str, registry) -> Plan:
    """The plan the report is on, loaded as the build loads it (a draft plan too)."""
    try:
        placing.check_id(plan_id)  # an id that is no file name is no plan
        plan = content_stage.load_plan(content_dir, plan_id, registry)
    except CannotBuild:
        plan = None
    if plan is None:
        folder = content_dir / "plans"
        known = sorted(path.stem for path in folder.glob("*.yaml")) if folder.is_dir() else []
        raise CannotBuild("report-unknown-plan", difflib.get_close_matches(plan_id, known, n=3, cutoff=0.5), id=plan_id)
    return plan


def _progress_table(document: Document, plan: Plan):
    """The largest table whose header has a 落实情况, 进展 or 完成情况 column, with its columns."""
    found = []
    for table in join_continued(document.tables):
        layout = find_layout(table, False)
        columns = columns_of(table, layout) if layout else None
        if columns is not None:
            found.append((table, columns))
    if not found:
        raise CannotBuild("report-no-table", file=document.name)
    table, columns = max(found, key=lambda pair: len(pair[0].rows))
    if len(table.rows) <= columns.layout.header_rows:
        raise CannotBuild("table-without-rows", table=table.where)
    if not columns.identifies:
        raise CannotBuild("report-no-measure-column", table=table.where, plan=plan.id)
    return table, columns


def _title(document: Document) -> tuple[str, Finding | None]:
    """The title as a plan import finds it; a report's title may name no plan word
    (…2023年上半年政务公开工作总结): then the first short line before the table that names a report."""
    title, finding = meta.document_title(document)
    if finding is None:
        return title, None
    for block in document.blocks[:8]:
        if isinstance(block, Table):
            break
        text = block.text.replace("\n", "")
        if len(text) <= 80 and any(word in text for word in _REPORT_WORDS) and not text.endswith(("。", "；", "：", ":")):
            return text, None
    return title, finding


_REPORT_WORDS = ("总结", "进展", "落实", "完成", "报告", "情况")


def _kind(title: str) -> str:
    return next((kind for word, kind in _KIND_WORDS if word in title), "进展报告")


def _as_of(title: str, header: list[str], document: Document, year: int, findings: list[Finding]) -> str:
    """截至… in the title, the table's headings or the paragraphs (a date without its year is in
    the plan's year); else the end of the period the title or text names (上半年, 年度), reported
    as a guess; else the editor is asked for --as-of."""
    texts = [title, *header, *(block.text for block in document.blocks if isinstance(block, Paragraph))]
    for text in texts:
        for found in _AS_OF.finditer(text):
            when = _day(int(found[1] or year), int(found[2]), int(found[3]) if found[3] else None)
            if when:
                return when
    for text in texts:
        for pattern, month in _PERIOD_ENDS:
            found = pattern.search(text)
            when = _day(int(found[1] or year), month or int(found[2]), None) if found else ""
            if when:
                findings.append(Finding("as_of", f"报告没有写明截至哪一天，按“{found[0].strip()}”推定为 {when}：请核对"
                                                 "（as-of date guessed）", kind="report-as-of"))
                return when
    raise CannotBuild("report-no-as-of", title=title, example=f"{year}-06-30")


def _day(year: int, month: int, day: int | None) -> str:
    """YYYY-MM-DD of a day on the calendar (the month's last when `day` is None), else ""."""
    if not 1 <= month <= 12:
        return ""
    try:
        return datetime.date(year, month, day or calendar.monthrange(year, month)[1]).isoformat()
    except ValueError:
        return ""


# -- entries ------------------------------------------------------------------------------------

def _entries(draft: ReportDraft, matches, reader: ReportReader) -> int:
    """Each matched measure's entry, in the plan's order; rows matching none or several kept as
    notes. Returns how many matched rows had nothing to report."""
    by_measure: dict[int, list] = {}
    for matched in matches:
        if matched.measure is not None:
            by_measure.setdefault(id(matched.measure), []).append(matched)
        elif not (matched.row.status or matched.row.state_cell):
            continue  # nothing to report: a heading of the source's own; the audit keeps what the plan lacks
        elif matched.candidates:
            names = "、".join(f"“{label_path(m) or m.anchor}{cut(m.text, 16)}”" for m in matched.candidates[:3])
            more = f"等 {len(matched.candidates)} 条" if len(matched.candidates) > 3 else ""
            _note(draft, f"{NOTE_AMBIGUOUS}（{matched.row.where}）：", matched.row, Finding(
                "", f"这一行可以对应 {names}{more}措施，没有记入 measures（a row matching more than one measure）",
                matched.row.where, kind="report-ambiguous"))
        else:
            _note(draft, f"{NOTE_UNMATCHED}（{matched.row.where}）：", matched.row, Finding(
                "", "这一行的编号和文字都对应不到计划中的措施，没有记入 measures（a row matching no measure）",
                matched.row.where, kind="report-unmatched"))
    empty = 0
    for measure in draft.plan.measures:
        rows = by_measure.get(id(measure), [])
        told = [matched for matched in rows if matched.row.status or matched.row.state_cell]
        empty += len(rows) - len(told)
        if told:
            draft.entries.append(_entry(measure, told, reader))
    return empty


def _note(draft: ReportDraft, prefix: str, row: ReportRow, finding: Finding) -> None:
    finding.field = f"editor_notes[{len(draft.editor_notes)}]"
    draft.editor_notes.append(prefix + "｜".join(cell.text.replace("\n", " ") for cell in row.cells))
    draft.findings.append(finding)


def _entry(measure: Measure, rows, reader: ReportReader) -> Entry:
    """One measure's entry from its rows: a row per unit of a split or 分别负责 measure is that
    unit's part; rows for the measure as a whole are joined, in the table's order."""
    entry = Entry(measure)
    whole: list = []
    units: dict[str, list] = {}
    for matched in rows:
        entry.findings += matched.findings
        row = matched.row
        name = ""
        if per_unit(measure) or len(rows) > 1:
            name = reader.unit_of(row.units, measure) if row.units else (
                matched.part_units[0] if len(matched.part_units) == 1 else "")
            if name is None:
                entry.findings.append(Finding("", f"“{cut(row.units)}”不是计划中这条措施的责任单位，这一行记为整条措施的落实情况"
                                                  "（unit not of this measure）", row.where, kind="report-unit"))
                name = ""
        elif row.units and not reader.names_of_measure(row.units, measure):
            entry.findings.append(Finding("", f"责任单位“{cut(row.units)}”与计划中这条措施的单位（"
                                              f"{'、'.join(a.written for a in measure.assignments) or '无'}）不同：请核对"
                                              "（units differ from the plan）", row.where, kind="report-unit"))
        (units.setdefault(name, []) if name else whole).append(matched)
    if units and not per_unit(measure):
        entry.findings.append(Finding("", "计划中这条措施不是分别负责的，报告按单位分行填写，已按单位记录"
                                          "（reported unit by unit）", rows[0].row.where, kind="report-unit"))
    if whole:
        entry.text, entry.state, findings = _reading(whole)
        entry.findings += findings
    for name, unit_rows in units.items():
        text, state, findings = _reading(unit_rows)
        entry.units.append(UnitEntry(name, text, state, findings))
    notes = [note for matched in rows for note in matched.row.notes]
    entry.editor_note = "\n".join(dict.fromkeys(notes))
    return entry


def _reading(rows) -> tuple[str, str, list[Finding]]:
    """The text, state and findings of one or more rows about the same measure (or unit)."""
    findings: list[Finding] = []
    texts = [row.row.status or row.row.state_cell for row in rows if row.row.status or row.row.state_cell]
    states = [_state(row.row, findings) for row in rows]
    known = list(dict.fromkeys(state for state in states if state))
    if len(rows) > 1:
        findings.append(Finding("text", f"{len(rows)} 行（{'、'.join(row.row.where for row in rows)}）都对应这条措施"
                                        "（或这个单位），落实情况按行序合在一起：请核对（several rows for one measure）",
                                rows[0].row.where, kind="report-match"))
    if len(known) > 1:
        findings.append(Finding("state", f"这几行的状态不同（{'、'.join(known)}），没有记状态：请核对"
                                         "（rows give different states）", rows[0].row.where, kind="report-state"))
    return "\n".join(texts), known[0] if len(known) == 1 else "", findings


def _state(row: ReportRow, findings: list[Finding]) -> str:
    """The state from the row's 完成情况 cell; else from the words of its 落实情况 (reported)."""
    if row.state_cell:
        state = state_of_cell(row.state_cell)
        if not state:
            findings.append(Finding("state", f"{row.state_heading}“{cut(row.state_cell)}”读不出状态（已完成、持续推进、推进中、未启动），"
                                             "没有记状态，原文记在 editor_note（state word not known）", row.where,
                                    kind="report-state"))
            row.notes.append(f"{row.state_heading}：{row.state_cell}")
        return state
    found = states_in(row.status)
    if len(found) == 1:
        column = f"{row.state_heading}一栏是空的" if row.state_heading else "没有完成情况栏"
        findings.append(Finding("state", f"状态“{found[0]}”是从落实情况的文字读出的（{column}）：请核对"
                                         "（state read from the text）", row.where, kind="report-state"))
        return found[0]
    if found:
        findings.append(Finding("state", f"落实情况的文字中既有“{found[0]}”又有“{found[1]}”，没有记状态：请核对"
                                         "（the text names two states）", row.where, kind="report-state"))
    return ""


def _keep_unplaced(draft: ReportDraft, missing: list[audit.Piece]) -> None:
    """Cells and paragraphs the report does not hold, one note per row or paragraph."""
    rows: dict[str, list[audit.Piece]] = {}
    for piece in missing:
        rows.setdefault(piece.row, []).append(piece)
    for row, pieces in rows.items():
        paragraph = all(piece.where == piece.row for piece in pieces)
        field_name = f"editor_notes[{len(draft.editor_notes)}]"
        draft.editor_notes.append(f"{NOTE_UNPLACED}（{row}）：" + "｜".join(p.text.replace("\n", " ") for p in pieces))
        if paragraph:
            draft.findings.append(Finding(field_name, "报告表格以外的这段文字没有放入报告，已原样记在编者说明里"
                                                      "（text outside the table）", row, kind="report-prose"))
        else:
            draft.findings.append(Finding(field_name, "这段原文不在报告的任何字段中，已原样记在编者说明里：请对照原文放到应在的位置"
                                                      "（not placed）", "、".join(p.where for p in pieces), kind="not-placed"))


def _plan_strings(plan: Plan) -> set[str]:
    """What the plan's own file says (labels, texts, units, deadlines): a cell that repeats it
    names a measure; it is not report text to keep."""
    try:
        return audit.draft_strings(plan.source_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return set()


# -- writing ------------------------------------------------------------------------------------

def write(draft: ReportDraft) -> Written:
    """The report as YAML in the plan's order, each entry under a comment naming its measure and
    each place to review under a `# 待核` comment."""
    w = _Writer()
    count = len(draft.findings) + sum(len(e.findings) + sum(len(u.findings) for u in e.units) for e in draft.entries)
    review = (f"导入检查：{count} 处待核，每处在所指的行上方以“待核”注释标出；核对后删去该注释。"
              if count else "导入检查：没有发现需要特别核对的地方。")
    for line in ("yaml-language-server: $schema=../../schema/report.schema.json",
                 f"由 build.py import 从 {draft.source_file} 导入的进展报告：请逐条对照原文核对落实情况和所对应的措施。",
                 review + "见 docs/importing.md。",
                 "这份报告没有标为草稿（draft）：build.py build 会直接发布它；要先只在 build.py serve 中查看，加一行 draft: true。"):
        w.lines.append(f"# {line}")
    notes = {f"editor_notes[{index}]" for index in range(len(draft.editor_notes))}
    w.field(0, "plan", draft.plan.id)
    w.review([f for f in draft.findings if f.field not in notes | {"kind", "as_of"}], 0, "title")
    w.field(0, "title", draft.title)
    for key in ("kind", "as_of"):
        w.review([f for f in draft.findings if f.field == key], 0, key)
        w.field(0, key, getattr(draft, key))
    writer.source(w, draft.source_file)
    writer.editor_notes(w, draft.editor_notes, draft.findings)
    w.put("measures:")
    for index, entry in enumerate(draft.entries):
        _entry_lines(w, entry, f"measures[{index}]")
    for placed in w.placed:
        placed.line = placed.line or len(w.lines)
    return Written("\n".join(w.lines) + "\n", w.placed)


def _entry_lines(w: _Writer, entry: Entry, path: str) -> None:
    """An entry under a comment naming its measure. A finding goes above the line it is about,
    or above the entry when that line is not written (no state read)."""
    measure = entry.measure
    w.comment(1, f"{label_path(measure)}{cut(' '.join(measure.text.split()), 40)}")
    text, state = _about(entry.findings, "text"), _about(entry.findings, "state")
    if not entry.state:  # a state not read: said above the text it was not read from
        text, state = text + state, []
    w.review(_about(entry.findings, "") + (text + state if not entry.text else []), 1, path)
    w.field(1, "measure", measure.anchor, dash=True)
    if entry.text:
        w.review(text, 2, f"{path}.text")
        w.field(2, "text", entry.text)
    if entry.state:
        w.review(state, 2, f"{path}.state")
        w.field(2, "state", entry.state)
    if entry.units:
        w.put(f"{INDENT * 2}units:")
        for number, unit in enumerate(entry.units):
            here = f"{path}.units[{number}]"
            state = _about(unit.findings, "state")
            w.review(_about(unit.findings, "", "text") + (state if not unit.state else []), 3, here)
            w.field(3, "name", unit.name, dash=True)
            w.field(4, "text", unit.text)
            if unit.state:
                w.review(state, 4, f"{here}.state")
                w.field(4, "state", unit.state)
    if entry.editor_note:
        w.field(2, "editor_note", entry.editor_note)


def _about(findings: list[Finding], *fields: str) -> list[Finding]:
    return [finding for finding in findings if finding.field in fields]


def _check(text: str, target: Path, plan: Plan) -> None:
    """The report must be a file the build reads without a word: the report schema, then the
    plan's anchors and unit names. A problem here is the importer's own mistake; nothing is written."""
    try:
        document = yamlfile.parse(yamlfile.decode(target, text.encode("utf-8")), target)
    except ContentError as error:
        problems = [error]
    else:
        problems = schema.check(document, "report") or content_stage.check_report(document, plan)
    if problems:
        raise CannotBuild("report-not-valid", plan=plan.id, problems="\n".join(str(p) for p in problems[:10]))


