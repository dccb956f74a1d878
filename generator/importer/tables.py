"""A plan table read into sections, points, tasks, groups and measures.

The columns are told by their headings (单位/科室/责任: units; 时限: deadline; 落实情况: status;
备注: remarks; 序号: numbering) and the text columns by what their cells hold: a column of 一、
labels is the sections, of （一） the points, an unnumbered merged column the tasks, and the last
text column the measures. Merged cells are the document's own grouping: a section or point cell
over several rows holds those rows; a units cell over several measures is their shared
responsibility, written on the point or section when it covers all of its measures, else as a
group. A header row repeated at a page break is dropped, and a cell left empty just after it
continues the cell above, as the merged cell it was before the break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import read_deadline
from .draft import Group, Measure, Point, Responsibility, Section, Status, Task, tidy_sections
from .findings import Finding
from .labels import POINT, SECTION, join_lines, numbered_lines, split_label
from .markers import measure_from
from .names import Context
from .roles import ColumnRole, ReadCell, read_cell, role_of_heading, strip_role
from .source import Cell, Row, Table

HEADING_HINTS = ("序号", "编号", "工作", "任务", "要求", "要点", "措施", "内容", "事项", "单位", "科室", "处室",
                 "股室", "部门", "责任", "牵头", "主办", "协办", "配合", "时限", "时间", "期限", "情况", "进展",
                 "备注", "分工", "目标", "举措", "项目", "类别")
SEQ, SECTIONS, POINTS, TASKS, REQUIREMENT, MEASURES = "seq", "section", "point", "task", "requirement", "measure"
UNITS, DEADLINE, STATUS, REMARKS, EXTRA, BLANK = "units", "deadline", "status", "remarks", "extra", "blank"
DONE_WORDS = ("已完成", "持续推进", "推进中", "未启动")
_EMPTY = Cell("")
_SPACES = re.compile(r"\s+")
_LEAD_HEADING = re.compile("牵头|主办")
_ROLE_HEADING = re.compile("牵头|主办|协办|配合|参与|协助|会办")
_SERIAL = re.compile(r"[0-9０-９]{1,3}[.．、]?|[一二三四五六七八九十]{1,3}[、.．]?|[（(][一二三四五六七八九十]{1,3}[）)]")
_UNIT_SEPARATORS = re.compile(r"[、，,；;。/／\s]+")
_TIME_WORDS = re.compile(r"\d{4}年|\d{1,2}月|年底|年末|年内|全年|季度|每月|每年|每周|持续|长期|及时|常态|随时|日前|之前")
_CHINESE_SERIAL = re.compile(r"[一二三四五六七八九十]{1,3}[、.．]?|[（(][一二三四五六七八九十]{1,3}[）)]")


@dataclass
class Column:
    index: int
    heading: str
    kind: str
    role: ColumnRole | None = None


@dataclass
class Layout:
    """The table's header: its headings as printed and what each column holds."""

    header: list[str]
    header_rows: int
    columns: list[Column]
    title_rows: list[str] = field(default_factory=list)
    repeats: list[list[str]] = field(default_factory=list)  # each header row's texts, as repeated at page breaks

    def of(self, *kinds: str) -> list[Column]:
        return [column for column in self.columns if column.kind in kinds]


@dataclass(eq=False)
class _Placed:
    """A measure with the row it came from: where it sits and the cells that apply to it."""

    measure: Measure
    section: Section
    point: Point | None
    task: Task | None
    units: tuple  # one (cell, continued-from) key per units column: equal keys share a cell
    unit_cells: list[Cell]
    where: str


@dataclass
class TableResult:
    sections: list[Section]
    columns: list[str]
    role_words: dict[str, str]
    title: str
    notes: list[tuple[str, Finding]]  # editor notes for rows that fit no pattern
    header_rows: list[Row] = field(default_factory=list)  # the header where repeated at page breaks


def heading_text(cell: Cell) -> str:
    """A heading as one word: lines joined and the spaces of 具 体 要 求 (justified type) dropped."""
    return _SPACES.sub("", cell.text)


def is_heading_row(row: Row) -> bool:
    texts = list(dict.fromkeys(heading_text(cell) for cell in row.cells if cell.text))
    if len(texts) < 2:
        return False
    plain = all(len(text) <= 14 and not re.search(r"[。；;，,]", text) and not split_label(text).kind
                for text in texts)
    hinted = sum(any(hint in text for hint in HEADING_HINTS) for text in texts)
    return plain and hinted >= max(2, (len(texts) + 1) // 2)


def find_layout(table: Table, first_listed: bool) -> Layout | None:
    titles: list[str] = []
    for index, row in enumerate(table.rows[:6]):
        if is_heading_row(row):
            header = [heading_text(cell) for cell in row.cells]
            repeats = [header]
            rows = 1
            if index + 1 < len(table.rows) and is_heading_row(table.rows[index + 1]):
                below = table.rows[index + 1]  # a two-level header: 责任单位 over 牵头单位 | 配合单位
                header = [heading_text(low) if up is not low and low.text else heading_text(up)
                          for up, low in zip(row.cells, below.cells)]
                repeats.append([heading_text(cell) for cell in below.cells])
                rows = 2
            return Layout(header, index + rows, _columns(table, index + rows, header, first_listed), titles, repeats)
        distinct = {heading_text(cell) for cell in row.cells if cell.text}
        titles.extend(sorted(distinct))
    return None


def layout_by_cells(table: Table, names, first_listed: bool) -> Layout | None:
    """A table without a header row: each column told by its cells alone (serial numbers, unit
    names the registry knows, deadlines, text). It is a plan table only with a text column and a
    units column; its `columns` stay empty, since the document gives no headings."""
    if len(_data_rows(table, 0)) < 2:
        return None
    header = [""] * table.width
    columns = _columns(table, 0, header, first_listed, names)
    if not any(c.kind == UNITS for c in columns) or not any(c.kind == MEASURES for c in columns):
        return None
    return Layout(header, 0, columns, [], [])


def _columns(table: Table, start: int, header: list[str], first_listed: bool, names=None) -> list[Column]:
    """What each column holds. Headings say it for units, deadlines, status and the like; the
    cells say it where a heading cannot: a heading cell spanning several columns (具体要求 over
    an unheaded 序号 column, 工作任务 over the section, point and 序号 columns), a column with
    no heading, and the text columns (sections, points, tasks, the measures). The measures are
    the last text column before the units: a text column after them (公开路径) is an extra."""
    rows = _data_rows(table, start)
    columns = []
    for index, heading in enumerate(header):
        if index and all(len(row.cells) <= index or row.cells[index] is row.cells[index - 1] for row in rows):
            continue  # every cell spans this column and the one before: one column
        kind = _kind_of_heading(heading)
        shared = index and header[index - 1] == heading or index + 1 < len(header) and header[index + 1] == heading
        if kind == "text" or not heading or shared:
            kind = _kind_of_cells(rows, index, names if not heading else None) or kind
        if kind != BLANK:
            columns.append(Column(index, heading, kind))
    texts = [column for column in columns if column.kind == "text"]
    first_detail = next((c.index for c in columns if c.kind in (UNITS, DEADLINE, STATUS)), None)
    before = [column for column in texts if first_detail is None or column.index < first_detail]
    measure = (before or texts)[-1] if texts else None
    for column in texts:
        if measure is not None and column.index > measure.index:
            column.kind = EXTRA
        elif column is not measure:
            column.kind = _level_of(table, start, column.index)
    if measure is not None:
        measure.kind = MEASURES
    units = [column for column in columns if column.kind == UNITS]
    for column in units:
        column.role = role_of_heading(column.heading, first_listed)
    if any(_LEAD_HEADING.search(column.heading) for column in units):
        for column in units:  # 牵头单位 | 责任单位: the second names the units that carry the work out
            if not _ROLE_HEADING.search(column.heading):
                column.role = ColumnRole("implement")
    return columns


def _data_rows(table: Table, start: int) -> list[Row]:
    """The rows below the header that have cells of their own (not one cell across the width)."""
    return [row for row in table.rows[start:] if len(set(map(id, row.cells))) > 1]


def _kind_of_cells(rows: list[Row], index: int, names=None) -> str:
    """SEQ for a column of bare serial numbers, BLANK for one with no text of its own, else "".
    With `names` (a column with no heading at all): UNITS for one of registered names, DEADLINE
    for one of dates and time words."""
    cells = [row.cells[index] for row in rows if index < len(row.cells)
             and not (index and row.cells[index] is row.cells[index - 1])]
    texts = [cell.text.strip() for cell in {id(cell): cell for cell in cells}.values() if cell.text.strip()]
    if not texts:
        return BLANK
    if sum(bool(_SERIAL.fullmatch(text)) for text in texts) * 5 >= len(texts) * 4:
        return SEQ
    if names is not None:
        if sum(_names_only(text, names) for text in texts) * 5 >= len(texts) * 3:
            return UNITS
        if sum(bool(_TIME_WORDS.search(text)) and len(text) <= 30 for text in texts) * 5 >= len(texts) * 3:
            return DEADLINE
    return ""


def _names_only(text: str, names) -> bool:
    """Whether a cell is nothing but unit names (with their role words): 办公室、宣传股配合."""
    parts = [strip_role(part) for part in _UNIT_SEPARATORS.split(text) if part]
    return bool(parts) and all(names.known(part) for part in parts)


def _kind_of_heading(heading: str) -> str:
    if heading.startswith(("序号", "编号")) or heading == "序":
        return SEQ
    if any(word in heading for word in ("落实情况", "完成情况", "进展", "推进情况", "进度", "工作成效")):
        return STATUS
    if any(word in heading for word in ("时限", "时间", "期限")):
        return DEADLINE
    if "备注" in heading:
        return REMARKS
    if any(word in heading for word in ("单位", "科室", "处室", "股室", "部门", "责任", "牵头", "主办", "协办", "配合")):
        return UNITS
    return "text"


def _level_of(table: Table, start: int, index: int) -> str:
    """What an upper text column holds, by its cells: 一、 sections, （一） points, else tasks
    when its cells span several rows, else a requirement per measure."""
    rows = [row for row in table.rows[start:]  # full-width heading rows say nothing about a column
            if index < len(row.cells) and row.cells[index].text and len(set(map(id, row.cells))) > 1]
    cells = list({id(row.cells[index]): row.cells[index] for row in rows}.values())
    if not cells:
        return TASKS
    kinds = [split_label(join_lines(cell.text)).kind for cell in cells]
    for kind, level in ((SECTION, SECTIONS), (POINT, POINTS)):
        if kinds.count(kind) * 2 >= len(kinds):
            return level
    return TASKS if len(rows) > len(cells) else REQUIREMENT


def join_continued(tables: list[Table]) -> list[Table]:
    """A table that a page break split into two (the second starting with the same header, or
    with no header at all and the same width) is one table."""
    joined: list[Table] = []
    for table in tables:
        if joined and table.width == joined[-1].width and table.rows and (
                is_heading_row(table.rows[0]) and _same_header(table.rows[0], joined[-1])
                or not any(is_heading_row(row) for row in table.rows[:2])):
            joined[-1] = Table(joined[-1].rows + table.rows, joined[-1].where)
        else:
            joined.append(table)
    return joined


def _same_header(row: Row, table: Table) -> bool:
    return any(is_heading_row(other) and _texts(other) == _texts(row) for other in table.rows[:6])


def _texts(row: Row) -> list[str]:
    return [heading_text(cell) for cell in row.cells]


class TableReader:
    """Walks the rows of one table, then places each shared cell where it belongs."""

    def __init__(self, table: Table, layout: Layout, context: Context):
        self.table, self.layout, self.context = table, layout, context
        self.sections: list[Section] = []
        self.placed: list[_Placed] = []
        self.notes: list[tuple[str, Finding]] = []
        self.rows_of: dict[int, int] = {}  # id(cell) -> how many data rows it covers
        for row in table.rows[layout.header_rows:]:
            for cell in dict.fromkeys(row.cells):
                self.rows_of[id(cell)] = self.rows_of.get(id(cell), 0) + 1
        self.levels = layout.of(SECTIONS, POINTS, TASKS)
        self.previous: dict[int, Cell | None] = {}  # column index -> the cell that row above had
        self.section: Section | None = None
        self.point: Point | None = None
        self.task: Task | None = None
        self.after_break = False
        self.last_units: tuple = ()
        self.continuing: dict[int, tuple] = {}  # id(cell) -> the units entry an empty cell continues
        self.last_measure_cell: Cell | None = None
        self.origin: dict[int, str] = {}  # id(point or task) -> the source row that started it
        self.row_above: set[int] = set()  # ids of the cells of the last row that started a measure

    # -- the walk -------------------------------------------------------------------------

    def read(self) -> TableResult:
        header = self.layout.header
        repeated = []
        for row in self.table.rows[self.layout.header_rows:]:
            cells = row.cells + [_EMPTY] * (len(header) - len(row.cells))
            if [heading_text(cell) for cell in cells] in self.layout.repeats:
                self.after_break = True  # a header repeated at the top of a page
                repeated.append(row)
                continue
            self.read_row(cells, row.where)
            self.after_break = False
        if len(self.sections) == 1 and not self.sections[0].label and not self.sections[0].title:
            self.sections[0].findings = []  # a flat list (a 台账 without 一、 headings): nothing is out of place
        tidy_sections(self.sections, self.unplaced_heading)
        self.place_responsibilities()
        role_words = {}
        for column in self.layout.of(UNITS):
            if column.role.word and column.role.role != "listed":
                role_words[column.role.role] = column.role.word
        return TableResult(self.sections, _headings(header), role_words, "".join(self.layout.title_rows[:1]), self.notes,
                           repeated)

    def read_row(self, cells: list[Cell], where: str) -> None:
        if len(set(map(id, cells))) == 1:  # one cell across the whole width: a heading or a note
            if not self.heading_row(cells[0].text, where):
                self.unplaced(cells[0].text, where)
            return
        measure_column = self.layout.of(MEASURES)
        cell = cells[measure_column[0].index] if measure_column else None
        own = [c for c in dict.fromkeys(cells) if c.text and not self.covers_row_above(c)]
        if len(own) == 1 and own[0] is not cell and not self.is_level_cell(own[0], cells) \
                and self.heading_row(own[0].text, where):
            return  # 二、推进执行公开 alone in its row, in whatever column
        if self.serial_heading(cells, cell, own, where):
            return
        for column in self.levels:
            self.level_cell(column, cells, where)
        if cell is None:
            return
        others = [c.text for c in dict.fromkeys(cells) if c.text and c is not cell and not self.is_level_cell(c, cells)
                  and not self.covers_row_above(c)]
        if cell is self.last_measure_cell and cell.text:
            if others:  # one measure cell over rows that say more: units or a status of their own
                self.unplaced(" ".join(others), where)
            return
        self.last_measure_cell = cell
        self.row_above = set(map(id, cells))
        text = join_lines(cell.text)
        if not text:
            if others:
                self.unplaced(" ".join(others), where)
            return
        alone = not any(c.text for c in cells if c is not cell and not self.is_level_cell(c, cells))
        if alone and split_label(text).kind in (SECTION, POINT) and "\n" not in text and len(text) < 60 \
                and self.heading_row(text, where):
            return  # a heading written in the measure column, alone in its row (no unit, even merged from above)
        self.add_measures(text, cells, where)

    def serial_heading(self, cells: list[Cell], cell: Cell | None, own: list[Cell], where: str) -> bool:
        """一 | 推进决策公开 | | : a Chinese number in the 序号 column numbers a section (（一）: a
        point), its title in the measure column, nothing else in the row."""
        seq = self.cell_of(SEQ, cells)
        if seq is None or cell is None or not cell.text or len(own) != 2 or seq not in own or cell not in own:
            return False
        number = seq.text.strip()
        if not _CHINESE_SERIAL.fullmatch(number):
            return False
        title = join_lines(cell.text).replace("\n", "")
        if number.startswith(("（", "(")):
            if self.section is None:
                return False
            self.start_point(number, title, where)
        else:
            self.start_section(number, title, where)
            self.previous = {}
        return True

    def covers_row_above(self, cell: Cell) -> bool:
        return id(cell) in self.row_above

    def heading_row(self, text: str, where: str) -> bool:
        """A row that is only a heading: 一、 starts a section, （一） a point."""
        labelled = split_label(join_lines(text).replace("\n", ""))
        if labelled.kind == SECTION:
            self.start_section(labelled.label, labelled.text, where)
            self.previous = {}
            return True
        if labelled.kind == POINT and self.section is not None:
            self.start_point(labelled.label, labelled.text, where)
            return True
        return False

    def unplaced(self, text: str, where: str) -> None:
        note = f"导入时未能归类的一行（{where}）：{text}"
        self.notes.append((note, Finding("", "这一行不符合表格的任何模式，原文记在编者说明中，请核对它属于哪里"
                                             "（a row that fits no pattern）", where, kind="unplaced")))

    def is_level_cell(self, cell: Cell, cells: list[Cell]) -> bool:
        return any(cells[column.index] is cell for column in self.levels)

    def level_cell(self, column: Column, cells: list[Cell], where: str) -> None:
        cell = cells[column.index]
        before = self.previous.get(column.index)
        self.previous[column.index] = cell if cell.text or before is None else before
        if cell is before or not cell.text or (before is not None and cell.text == before.text):
            return  # the same merged cell, or its continuation after a page break
        if column.kind != SECTIONS and any(cells[c.index] is cell for c in self.levels if c.kind == SECTIONS):
            return  # a section cell spanning the point column too: the section has no points
        if any(cells[c.index] is cell for c in self.layout.of(MEASURES)):
            if column.kind == TASKS:
                self.task = None
            return  # a task cell spanning the measure column: the row is a measure of its own, no task
        text = join_lines(cell.text).replace("\n", "")
        labelled = split_label(text)
        if column.kind == SECTIONS:
            self.start_section(labelled.label if labelled.kind == SECTION else "",
                               labelled.text if labelled.kind == SECTION else text, where)
            for other in self.levels:
                if other.kind != SECTIONS:
                    self.previous[other.index] = None
        elif column.kind == POINTS:
            self.ensure_section(where)
            self.start_point(labelled.label if labelled.kind == POINT else "",
                             labelled.text if labelled.kind == POINT else text, where)
            for other in self.levels:
                if other.kind == TASKS:
                    self.previous[other.index] = None
        elif column.kind == TASKS:
            self.ensure_section(where)
            self.task = Task(title=labelled.text, label=labelled.label)
            self.origin[id(self.task)] = where
            (self.point.items if self.point else self.section.items).append(self.task)

    def start_section(self, label: str, title: str, where: str) -> None:
        self.section = Section(label=label, title=title)
        self.sections.append(self.section)
        self.point = self.task = None
        self.last_units = ()

    def ensure_section(self, where: str) -> None:
        if self.section is None:
            self.start_section("", "", where)
            self.section.findings.append(Finding("", "表格开头的措施前没有“一、”一级的标题，放在一个无标题的部分中"
                                                     "（measures before any section）", where, kind="structure"))

    def start_point(self, label: str, title: str, where: str) -> None:
        self.point = Point(label=label, title=title)
        self.origin[id(self.point)] = where
        self.section.points.append(self.point)
        self.task = None
        self.last_units = ()

    def add_measures(self, text: str, cells: list[Cell], where: str) -> None:
        self.ensure_section(where)
        status = self.cell_of(STATUS, cells)
        innermost = next((cells[c.index] for c in reversed(self.levels) if cells[c.index].text), None)
        items = numbered_lines(text)
        whole = innermost is not None and self.rows_of.get(id(innermost)) == 1
        if items and whole and not (status and status.text):
            measures = [measure_from(line, self.context) for line in items]
            measures[0].findings.append(Finding("", f"一个单元格中的 {len(items)} 项编号内容拆成了 {len(items)} 条措施"
                                                    "（它们是这一行所属要点的全部措施）；如应是一条措施，请合并"
                                                    "（numbered items in one cell split into measures）", where, kind="split"))
        else:
            seq = self.cell_of(SEQ, cells)
            measures = [measure_from(text, self.context, label=None if not seq else seq.text.replace("\n", ""))]
        requirement = self.cell_of(REQUIREMENT, cells)
        for measure in measures:
            if requirement and requirement.text:
                measure.requirement = join_lines(requirement.text)
            self.add_details(measure, cells, where)
            (self.task.items if self.task else self.point.items if self.point else self.section.items).append(measure)
        units_key, unit_cells = self.units_of(cells, where, measures[0])
        for measure in measures:
            self.placed.append(_Placed(measure, self.section, self.point, self.task, units_key, unit_cells, where))

    def cell_of(self, kind: str, cells: list[Cell]) -> Cell | None:
        found = self.layout.of(kind)
        return cells[found[0].index] if found else None

    def add_details(self, measure: Measure, cells: list[Cell], where: str) -> None:
        deadline = self.cell_of(DEADLINE, cells)
        if deadline and deadline.text:
            measure.deadline, understood = read_deadline(join_lines(deadline.text).replace("\n", ""), self.context.year)
            if not understood:
                measure.findings.append(Finding("deadline", f"完成时限“{measure.deadline.text}”没有读出日期，只保留了原文"
                                                            "（deadline not parsed; text kept）", where, kind="deadline"))
        reports = [cells[column.index] for column in self.layout.of(STATUS) if cells[column.index].text]
        words = [join_lines(cell.text) for cell in reports]
        # A 完成情况 column of state words beside a 落实情况 column of text: the state of that text.
        state = next((word for word in words if word in DONE_WORDS), "") if len(words) > 1 else ""
        texts = [word for word in words if word != state] or words
        if texts:
            text = "\n".join(texts)
            state = state or (text if text in DONE_WORDS else ("已完成" if text.startswith("已完成") else ""))
            measure.status = Status(text=text, state=state)
            if any(self.rows_of.get(id(cell), 1) > 1 for cell in reports):
                measure.findings.append(Finding("status", "落实情况是跨多行的合并单元格，每条措施都记了同样的文字"
                                                          "（one status cell over several measures）", where, kind="status"))
        notes = [join_lines(cells[c.index].text) for c in self.layout.of(REMARKS) if cells[c.index].text]
        notes += [f"{c.heading or '无表头的一栏'}：{join_lines(cells[c.index].text)}"  # 公开路径：门户网站
                  for c in self.layout.of(EXTRA) if cells[c.index].text]
        if notes:
            measure.remarks = "\n".join(notes)

    def units_of(self, cells: list[Cell], where: str, measure: Measure) -> tuple[tuple, list[Cell]]:
        """The units cells of this row, each keyed by the cell it continues: an empty cell right
        after a repeated header (or with no merge to explain it) continues the one above."""
        columns = self.layout.of(UNITS)
        # An empty cell continues the one above when the whole responsibility is missing from the
        # row (a merged cell whose merge was lost), or right after a page break; beside a filled
        # cell (a 协办 column left empty) it is just empty.
        lost = all(not cells[column.index].text for column in columns)
        same = self.after_break and all(
            not cells[column.index].text or position < len(self.last_units)
            and cells[column.index].text == self.last_units[position][1].text
            for position, column in enumerate(columns))
        key, chosen = [], []
        for position, column in enumerate(columns):
            cell = cells[column.index]
            before = self.last_units[position] if len(self.last_units) > position else None
            if id(cell) in self.continuing and before is self.continuing[id(cell)]:
                key.append(before)
                chosen.append(before[1])
                continue
            continued = before is not None and (lost or same)
            if continued:
                self.continuing[id(cell)] = before
            if continued and not cell.text and not self.after_break:
                measure.findings.append(Finding("", f"“{column.heading}”栏是空的，按上一行单元格的延续导入"
                                                    "（empty units cell taken as the merged cell above）", where, kind="no-unit"))
            entry = before if continued else (id(cell), cell)
            key.append(entry)
            chosen.append(entry[1])
        self.last_units = tuple(key)
        return tuple(entry[0] for entry in key), chosen

    # -- after the walk ---------------------------------------------------------------------

    def unplaced_heading(self, node: Point | Task) -> None:
        """A point or task cell with no measure beside it, kept as a reported note."""
        self.unplaced(f"{node.label}{node.title}", self.origin.get(id(node), ""))

    def place_responsibilities(self) -> None:
        spans: list[list[_Placed]] = []
        for placed in self.placed:
            if spans and spans[-1][-1].units == placed.units and placed.units:
                spans[-1].append(placed)
            else:
                spans.append([placed])
        for span in spans:
            read = self.read_units(span[0])
            if read.responsibility.empty:
                if self.layout.of(UNITS):
                    span[0].measure.findings.append(Finding("", "没有责任单位（no responsible unit）", span[0].where, kind="no-unit"))
                continue
            for finding in read.findings:
                finding.source = finding.source or span[0].where
            self.place(span, read)

    def read_units(self, placed: _Placed) -> ReadCell:
        result = ReadCell(Responsibility())
        written = []
        for column, cell in zip(self.layout.of(UNITS), placed.unit_cells):
            if not cell.text:
                continue
            read = read_cell(cell.text, self.context.names, ColumnRole(column.role.role))
            result.findings.extend(read.findings)
            for role, names in read.responsibility.roles.items():
                result.responsibility.roles.setdefault(role, []).extend(names)
            for role, word in read.responsibility.words.items():
                result.responsibility.words.setdefault(role, word)
            if read.responsibility.as_written:
                written.append(read.responsibility.as_written)
        result.responsibility.as_written = "\n".join(written)
        return result

    def place(self, span: list[_Placed], read: ReadCell) -> None:
        """On the one measure; on the task, point or section whose measures it covers exactly;
        as a group of consecutive measures; else on each measure, reported."""
        measures = [placed.measure for placed in span]
        responsibility = read.responsibility
        if len(span) == 1:
            return self.give(span[0].measure, "responsibility", responsibility, read.findings)
        first = span[0]
        for container in (first.task, first.point, first.section):
            if container is None:
                continue
            if [p.measure for p in self.placed if container in (p.task, p.point, p.section)] == measures:
                return self.give(container, "responsibility", responsibility, read.findings)
        items = self.items_holding(first)
        positions = [index for index, item in enumerate(items) if item in measures]
        if len(positions) == len(measures) and positions == list(range(positions[0], positions[0] + len(measures))):
            group = Group(responsibility=responsibility, measures=measures)
            group.findings.extend(_at(read.findings, ""))
            items[positions[0]:positions[-1] + 1] = [group]
            return
        for placed in span:
            placed.measure.responsibility = responsibility
        first.measure.findings.extend(_at(read.findings, "responsibility"))
        first.measure.findings.append(Finding("responsibility", f"责任单位的合并单元格跨过了要点或部分的边界，覆盖 {len(span)} 条措施，"
                                                                 "已分别记在每条措施上（a merged units cell across points）", first.where, kind="structure"))

    def items_holding(self, placed: _Placed) -> list:
        return placed.task.items if placed.task else placed.point.items if placed.point else placed.section.items

    def give(self, node, name: str, responsibility: Responsibility, findings: list[Finding]) -> None:
        node.responsibility = responsibility
        node.findings.extend(_at(findings, name))


def _at(findings: list[Finding], name: str) -> list[Finding]:
    for finding in findings:
        finding.field = finding.field or name
    return findings


def _headings(header: list[str]) -> list[str]:
    """The headings as the document prints them: one heading spanning two columns once, no
    empty heading."""
    return [heading for index, heading in enumerate(header) if heading and (index == 0 or heading != header[index - 1])]


def read_table(table: Table, layout: Layout, context: Context) -> TableResult:
    return TableReader(table, layout, context).read()
