"""A progress table read row by row, each row matched to a measure of the plan it reports on.

Units send their 落实情况 back in the plan's own table with a column added, or in a table of
their own: measure labels (1. or 一、（二）3.) or the measure's text, sometimes a 完成情况 column
of state words, sometimes a 责任单位 column with a row per unit. A row is matched

- by its label, read from the 序号 cell, the labels at the start of the measure cell and the
  section and point it stands under (its own cells, or heading rows above it);
- by its text: equal to a measure's (or a part's) once white space and punctuation are set
  aside; else contained in exactly one; else the closest above FUZZY, clearly ahead of the next;
- by its unit, for a measure split among units or led by each (分别负责): each unit's row is
  that unit's part of the entry.

Text equal to one measure's wins over a label (a 序号 may just count the rows); a row that
fits two measures equally, or none, is kept word for word for the editor, never guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..model import Measure, Plan, Point, Section
from .audit import normal
from .findings import Finding, cut
from .labels import CHINESE_NUMBERS, ENCLOSED_NUMBERS, ITEM, MEASURE, POINT, SECTION, join_lines, number_of, split_label
from .roles import strip_role
from .source import Cell, Row, Table
from .tables import (
    DEADLINE, EXTRA, MEASURES, POINTS, REMARKS, REQUIREMENT, SECTIONS, SEQ, STATUS, TASKS, UNITS, Layout, heading_text,
)

FUZZY = 0.7  # the least similarity (difflib's ratio of the texts without punctuation) a fuzzy match needs
MARGIN = 0.1  # … and by how much it must beat the second closest measure
CONTAINED = 8  # the fewest characters a row's text needs to be matched by being part of one measure's

# The document's words for each state (schema/report.schema.json), as a 完成情况 cell or the
# 落实情况 text writes them; 未完成 says too little (not started, or under way?) and is left out.
STATE_WORDS = (
    ("已完成", "已完成"), ("全部完成", "已完成"), ("全面完成", "已完成"), ("已办结", "已完成"),
    ("持续推进", "持续推进"), ("持续开展", "持续推进"), ("长期坚持", "持续推进"),
    ("推进中", "推进中"), ("正在推进", "推进中"), ("正在开展", "推进中"), ("进行中", "推进中"), ("正在进行", "推进中"),
    ("尚未启动", "未启动"), ("未启动", "未启动"), ("尚未开展", "未启动"), ("未开展", "未启动"),
)
# A 完成情况 cell may say less (完成) or what a text would not mean by it (已落实: 已落实专人 in a text).
_CELL_STATES = {"完成": "已完成", "办结": "已完成", "已落实": "已完成", "推进": "推进中", "持续": "持续推进"}
_BARE_LABELS = (
    (SECTION, re.compile(rf"([{CHINESE_NUMBERS}]{{1,3}})[、．.]?")),
    (POINT, re.compile(rf"[（(]([{CHINESE_NUMBERS}]{{1,3}})[）)][、．.]?")),
    (MEASURE, re.compile(r"[（(]?([0-9０-９]{1,3})[）)]?[.．、]?")),
    (MEASURE, re.compile(f"[{ENCLOSED_NUMBERS}]")),
)
_UNIT_SEPARATORS = re.compile(r"[、，,；;。/／\s]+")
_LAST_BRACKET = re.compile(r"[（(][^（）()]{1,60}[）)][。；;]?\s*$")


@dataclass
class Labels:
    """The numbers a row's labels give: 一、（二）3. is section 1, point 2, measure 3."""

    section: int | None = None
    point: int | None = None
    measure: int | None = None

    def given(self) -> bool:
        return (self.section, self.point, self.measure) != (None, None, None)


@dataclass
class ReportRow:
    """One row of the progress table, its cells sorted by what they are."""

    where: str
    cells: list[Cell]  # its own cells, each once, in order
    labels: Labels = field(default_factory=Labels)
    section_title: str = ""
    point_title: str = ""
    text: str = ""  # the measure as the row words it, without its label
    cell_text: str = ""  # … and with it (a cell of items 1. 2. is the measure's text, label and all)
    units: str = ""
    status: str = ""  # the 落实情况 word for word
    state_cell: str = ""  # the 完成情况 cell
    state_heading: str = ""  # … and its heading
    notes: list[str] = field(default_factory=list)  # 备注 and other columns, as "heading：text"
    naming: list[str] = field(default_factory=list)  # cells that only name the measure (its text, label, units, deadline)


@dataclass
class Matched:
    """A row and the measure it reports on (None: no measure, or `candidates` several)."""

    row: ReportRow
    measure: Measure | None
    candidates: list[Measure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    part_units: list[str] = field(default_factory=list)  # the units of the part its text is, for a split measure


@dataclass
class Columns:
    """What the report table's columns hold, from the plan importer's layout."""

    layout: Layout
    state: list[int]  # 完成情况 columns of state words
    status: list[int]  # 落实情况 columns of text

    def of(self, *kinds: str) -> list[int]:
        return [column.index for column in self.layout.columns if column.kind in kinds]

    @property
    def identifies(self) -> bool:
        return bool(self.of(SEQ, SECTIONS, POINTS, MEASURES))


def columns_of(table: Table, layout: Layout) -> Columns | None:
    """The layout read as a report's: None without a 落实情况/进展/完成情况 column. A text
    column after the first status column (下一步计划) is not the measure, whatever its place."""
    status = [column for column in layout.columns if column.kind == STATUS]
    if not status:
        return None
    for column in layout.columns:
        if column.kind == MEASURES and column.index > status[0].index:
            column.kind = EXTRA
    rows = table.rows[layout.header_rows:]
    states = [column.index for column in status if _state_column(rows, column.index, column.heading, len(status) > 1)]
    texts = [column.index for column in status if column.index not in states]
    return Columns(layout, states if texts else [], texts or states)


def _state_column(rows: list[Row], index: int, heading: str, beside_text: bool) -> bool:
    """Whether a status column holds state words (已完成, 推进中 …) rather than text: by its
    cells, or beside another status column by its heading (完成情况, 完成状态)."""
    texts = {normal(row.cells[index].text) for row in rows if index < len(row.cells) and row.cells[index].text}
    texts.discard("")
    if not texts:
        return False
    if sum(len(text) <= 6 and bool(state_of_cell(text)) for text in texts) * 5 >= len(texts) * 4:
        return True
    return beside_text and any(word in heading for word in ("完成情况", "状态")) and "落实" not in heading


def state_of_cell(text: str) -> str:
    """The state a 完成情况 cell gives: its state word (完成 alone counts), else ""."""
    words = normal(text)
    found = states_in(words)
    if len(found) == 1:
        return found[0]
    return _CELL_STATES.get(words, "") if not found else ""


def states_in(text: str) -> list[str]:
    """The states the words of `text` name, in the table's order, each once."""
    return list(dict.fromkeys(state for word, state in STATE_WORDS if word in text))


def read_labels(text: str) -> tuple[Labels, str]:
    """The labels at the start of `text` (一、（二）3.公开… or a bare 3 or 一) and the text after."""
    labels, rest = Labels(), text.strip()
    while rest:
        found = split_label(rest)
        kind, label, after = found.kind, found.label, found.text
        if not kind:
            bare = next(((kind, match) for kind, pattern in _BARE_LABELS if (match := pattern.fullmatch(rest))), None)
            if bare is None:
                break
            kind, label, after = bare[0], bare[1][0], ""
        name = {SECTION: "section", POINT: "point", MEASURE: "measure", ITEM: "measure"}[kind]
        if getattr(labels, name) is not None or (name == "section" and (labels.point or labels.measure)):
            break
        setattr(labels, name, number_of(label))
        rest = after
    return labels, rest


class ReportReader:
    """Walks the rows of the progress table with the section and point they stand under."""

    def __init__(self, table: Table, columns: Columns, plan: Plan, registry):
        self.table, self.columns, self.plan, self.registry = table, columns, plan, registry
        self.layout = columns.layout
        self.context = Labels()
        self.context_titles = ["", ""]  # section, point
        self.use_seq = self._seq_is_label()
        self.texts = {id(m): normal(m.text) for m in plan.measures}  # each measure's text as matching compares it
        self.keys = _text_keys(plan)
        # difflib keeps what it learnt of the second text: one matcher per measure, the row's text set as the first
        self.matchers = {id(m): difflib.SequenceMatcher(None, "", text, autojunk=False) for m, text in
                         ((m, self.texts[id(m)]) for m in plan.measures)}
        self.numbered: dict[int, list[Measure]] = {}  # measures by the number of their own label
        for measure in plan.measures:
            if measure.label:
                self.numbered.setdefault(number_of(measure.label), []).append(measure)

    def rows(self) -> list[ReportRow]:
        layout = self.layout
        width = len(layout.header)
        found = []
        for row in self.table.rows[layout.header_rows:]:
            cells = row.cells + [Cell("")] * (width - len(row.cells))
            if [heading_text(cell) for cell in cells] in layout.repeats or not any(cell.text for cell in cells):
                continue  # a header repeated at a page break, or an empty row
            if len(set(map(id, cells))) == 1:
                self._heading(cells[0].text)
                continue
            read = self._row(cells, row.where)
            if not self._heading_row(read):
                found.append(read)
        return found

    def _heading(self, text: str) -> None:
        """一、… or （二）… across the width: the section or point the rows below stand under.
        Another line across the width (a note) says nothing of where the rows stand."""
        labels, title = read_labels(join_lines(text).replace("\n", ""))
        if labels.section is not None:
            self.context, self.context_titles = Labels(section=labels.section), [title, ""]
        elif labels.point is not None:
            self.context = Labels(section=self.context.section, point=labels.point)
            self.context_titles[1] = title

    def _row(self, cells: list[Cell], where: str) -> ReportRow:
        columns = self.columns
        row = ReportRow(where, list(dict.fromkeys(cell for cell in cells if cell.text)))
        labels = Labels(self.context.section, self.context.point)
        row.section_title, row.point_title = self.context_titles
        for index in columns.of(SECTIONS, POINTS) + (columns.of(SEQ) if self.use_seq else []) + columns.of(MEASURES):
            text = join_lines(cells[index].text).replace("\n", "")
            if not text:
                continue
            read, rest = read_labels(text)
            kind = next(column.kind for column in self.layout.columns if column.index == index)
            if read.section is not None:  # a section of its own: the point above is not its
                labels.section, labels.point = read.section, None
                row.section_title, row.point_title = rest if kind == SECTIONS else "", ""
            if read.point is not None:
                labels.point = read.point
                row.point_title = rest if kind == POINTS else ""
            if read.measure is not None:
                labels.measure = read.measure
            if kind == MEASURES:
                row.text, row.cell_text = rest, text
            elif read == Labels() and kind == SECTIONS:  # a section cell without its label: its title
                labels.section, labels.point, row.section_title, row.point_title = None, None, text, ""
            elif read == Labels() and kind == POINTS:
                labels.point, row.point_title = None, text
        row.labels = labels
        row.naming = [cells[i].text for i in columns.of(SEQ, SECTIONS, POINTS, TASKS, REQUIREMENT, MEASURES, DEADLINE, UNITS)
                      if cells[i].text]
        row.units = join_lines("\n".join(cells[i].text for i in columns.of(UNITS) if cells[i].text)).replace("\n", "")
        row.status = "\n".join(join_lines(cells[i].text) for i in columns.status if cells[i].text)
        headings = {column.index: column.heading for column in self.layout.columns}
        row.state_cell = " ".join(cells[i].text for i in columns.state if cells[i].text)
        row.state_heading = "".join(headings[i] for i in columns.state[:1])
        row.notes = [f"{headings[i] or '无表头的一栏'}：{join_lines(cells[i].text)}"
                     for i in columns.of(REMARKS, EXTRA) if cells[i].text]
        return row

    def _heading_row(self, row: ReportRow) -> bool:
        """A row with nothing to report that names a section or point (一 | 优化政务公开工作基础):
        the rows below stand under it."""
        if row.status or row.state_cell or row.notes or row.labels.measure is not None:
            return False
        if (row.labels.section, row.labels.point) == (self.context.section, self.context.point) and not row.text:
            return False
        titles = [row.section_title, row.point_title]
        if row.labels.point is not None and row.labels.point != self.context.point:
            titles[1] = titles[1] or row.text
        elif row.labels.section is not None and row.labels.section != self.context.section:
            titles = [titles[0] or row.text, ""]
        else:
            return False
        self.context, self.context_titles = Labels(row.labels.section, row.labels.point), titles
        return True

    def _seq_is_label(self) -> bool:
        """Whether the 序号 column numbers measures as the plan does, not just the rows (1, 2, 3 …
        through the table, where the plan's labels start again in each point or are empty)."""
        seq = self.columns.of(SEQ)
        if not seq:
            return False
        numbers = [number_of(row.cells[seq[0]].text) for row in self.table.rows[self.columns.layout.header_rows:]
                   if seq[0] < len(row.cells) and row.cells[seq[0]].text.strip()]
        running = numbers == list(range(1, len(numbers) + 1))
        labels = [number_of(m.label) if m.label else None for m in self.plan.measures]
        return not running or labels == list(range(1, len(labels) + 1))

    # -- matching ----------------------------------------------------------------------------

    def match(self, row: ReportRow) -> Matched:
        by_label = self._measures_under(row.labels, row.section_title, row.point_title) if (
            row.labels.given() or row.section_title or row.point_title) else None
        own_label = row.labels.measure is not None
        text = normal(row.text)
        exact = self._equal(text) if text else []
        if not exact and text and row.cell_text != row.text:  # 1.… 2.… : the numbers were the measure's own text
            exact = self._equal(normal(row.cell_text))
            own_label = own_label and not exact
        if len(exact) > 1 and by_label:
            exact = [pair for pair in exact if pair[0] in by_label] or exact
        if len({id(m) for m, _ in exact}) == 1:
            measure, part = exact[0]
            matched = Matched(row, measure, part_units=part)
            if own_label and by_label is not None and measure not in by_label:
                matched.findings.append(Finding("", f"这一行的编号与计划中“{_named(measure)}”的编号不同，按文字对应到这条措施"
                                                    "（label differs; matched by text）", row.where, kind="report-match"))
            return matched
        if exact:
            return Matched(row, None, [m for m, _ in exact])
        if by_label and len(by_label) == 1:
            measure = by_label[0]
            matched = Matched(row, measure)
            if text and self._similarity(text, measure) < FUZZY and not self._contains(text, [measure]):
                matched.findings.append(Finding("", f"按编号对应到“{_named(measure)}”，但这一行的措施文字与计划中的不同："
                                                    f"“{cut(row.text)}”（matched by label; text differs）", row.where,
                                                kind="report-match"))
            return matched
        if text:
            for pool in ([by_label] if by_label else []) + [self.plan.measures]:
                matched = self._close(row, text, pool)
                if matched is not None:
                    return matched
        if by_label:
            return Matched(row, None, by_label)
        return Matched(row, None)

    def _equal(self, text: str) -> list[tuple[Measure, list[str]]]:
        """Measures whose text (or one of whose parts' text) is `text`, with that part's units."""
        return self.keys.get(text, [])

    def _close(self, row: ReportRow, text: str, pool: list[Measure]) -> Matched | None:
        """The one measure of `pool` holding the row's text, or holding all of it; else the
        closest above FUZZY, clearly ahead of the next. Several as close: candidates."""
        inside = self._contains(text, pool)
        if len(inside) == 1:
            measure = inside[0]
            return Matched(row, measure, findings=[Finding("", f"这一行的措施文字是计划中“{_named(measure)}”的一部分"
                                                              "（或包含它），按此对应，请核对（matched by part of the text）",
                                                          row.where, kind="report-match")])
        scored = sorted(((self._similarity(text, m), index) for index, m in enumerate(pool)), reverse=True)
        if not scored or scored[0][0] < FUZZY:
            return None if len(inside) < 2 else Matched(row, None, inside)
        close = [pool[index] for score, index in scored if score > scored[0][0] - MARGIN]
        if len(close) > 1:
            return Matched(row, None, close)
        measure = close[0]
        return Matched(row, measure, findings=[Finding(
            "", f"这一行的措施文字与计划中“{_named(measure)}”相近（相似度 {scored[0][0]:.0%}），按此对应，请核对"
                "（fuzzy match）", row.where, kind="report-match")])

    def _contains(self, text: str, pool: list[Measure]) -> list[Measure]:
        if len(text) < CONTAINED:
            return []
        return [m for m in pool if text in self.texts[id(m)] or len(self.texts[id(m)]) >= CONTAINED and self.texts[id(m)] in text]

    def _similarity(self, text: str, measure: Measure) -> float:
        matcher = self.matchers[id(measure)]
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() < FUZZY - MARGIN or matcher.quick_ratio() < FUZZY - MARGIN:
            return 0.0
        return matcher.ratio()

    def _measures_under(self, labels: Labels, section_title: str = "", point_title: str = "") -> list[Measure]:
        """The plan's measures that fit what the row's labels and headings say of it."""
        pool = self.plan.measures if labels.measure is None else self.numbered.get(labels.measure, [])
        return [m for m in pool if _fits(m, labels, section_title, point_title)]

    # -- units ---------------------------------------------------------------------------------

    def unit_of(self, text: str, measure: Measure) -> str | None:
        """The name the plan gives the one unit `text` names for this measure ("" when the cell
        names several units or none; None when it names a unit the measure does not have)."""
        names = [strip_role(name) for name in _UNIT_SEPARATORS.split(text) if name]
        if len(names) != 1:
            return ""
        name = names[0]
        resolved = self.registry.resolve(name, self.plan.issuer)
        for assignment in measure.assignments:
            if assignment.written == name or assignment.unit is not None and assignment.unit is resolved or (
                    assignment.collective is not None and assignment.collective.name == name):
                return assignment.written
        return None

    def names_of_measure(self, text: str, measure: Measure) -> bool:
        """Whether every name in a units cell is one of the measure's (with its role words)."""
        names = [strip_role(name) for name in _UNIT_SEPARATORS.split(text) if name]
        return all(self.unit_of(name, measure) is not None for name in names)


def _text_keys(plan: Plan) -> dict[str, list[tuple[Measure, list[str]]]]:
    """Each measure's text as the matching compares it, and each part's of a measure in parts
    with the part's units, each also without the bracket at its end that names its units
    (……(牵头处室:办公室)), which a unit's row leaves out."""
    keys: dict[str, list[tuple[Measure, list[str]]]] = {}
    for measure in plan.measures:
        pieces = [(measure.text, measure.assignments, [])]
        if len(measure.parts) > 1:
            pieces += [(part.text, part.responsibility.assignments if part.responsibility else [],
                        _lead_names(part.responsibility)) for part in measure.parts]
        for text, assignments, units in pieces:
            for key in {normal(text), normal(_without_units_bracket(text, assignments))} - {""}:
                if (measure, units) not in keys.setdefault(key, []):
                    keys[key].append((measure, units))
    return keys


def _without_units_bracket(text: str, assignments) -> str:
    """The text without a last bracket that names one of `assignments`' units."""
    found = _LAST_BRACKET.search(text)
    if found and any(a.written in found[0] for a in assignments):
        return text[:found.start()]
    return text


def _fits(measure: Measure, labels: Labels, section_title: str, point_title: str) -> bool:
    section, point = measure.section, measure.point
    if labels.section is not None and number_of(section.label or "") != labels.section:
        return False
    if section_title and not _same_title(section, section_title):
        return False
    measure_number = labels.measure
    if labels.point is not None or point_title:
        if point is None:
            # （一） under a section without points numbers a measure there, not a point
            if labels.measure is not None or point_title or not measure.label:
                return False
            measure_number = labels.point
        elif labels.point is not None and number_of(point.label or "") != labels.point \
                or point_title and not _same_title(point, point_title):
            return False
    return measure_number is None or bool(measure.label) and number_of(measure.label) == measure_number


def _same_title(node: Section | Point, title: str) -> bool:
    return normal(node.title) == normal(title) or bool(normal(title)) and normal(node.title).startswith(normal(title))


def _lead_names(responsibility) -> list[str]:
    if responsibility is None:
        return []
    return [a.written for a in responsibility.assignments]


def _named(measure: Measure) -> str:
    """A measure as findings name it: its labels and the start of its text."""
    return f"{label_path(measure)}{cut(measure.text, 20)}"


def label_path(measure: Measure) -> str:
    """一、（二）3.: the labels of the section, point and measure."""
    return "".join(node.label for node in (measure.section, measure.point, measure) if node is not None and node.label)


def per_unit(measure: Measure) -> bool:
    """Whether the plan splits the measure among units: led by each (分别负责), or parts with units of their own."""
    return any(a.role == "each_lead" for a in measure.assignments) or sum(
        bool(part.responsibility and part.responsibility.assignments) for part in measure.parts) > 1
