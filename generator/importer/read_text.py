"""Read plain text: one paragraph per line, in UTF-8 (or GB18030, which Chinese Windows writes),
and the tables editors paste into text.

A table copied out of Word, Excel or a web page lands in a .txt in one of three layouts:

- pipes, `| 序号 | 工作任务 | 责任单位 |`, Markdown-style with or without a `|---|` rule; a row
  whose line does not end with `|` goes on on the next line (a line break inside a cell);
- tabs, one row per line, as Excel copies a range (a cell holding line breaks in double quotes);
- one cell per line, as a web table often copies: the header's cells each on a line, then each
  row's cells, sometimes with `|` lines between. The header tells how many lines make a row,
  and a 序号 column counting 1, 2, 3 … checks that each row has all its cells.

Each becomes a Table for the table interpreter. Empty cells stay empty (the interpreter reads an
empty section, point or units cell as the continuation of the one above); no merge is invented.
A paste whose rows cannot be told apart for sure is refused with a message naming the layout:
rows are never glued together and cells never shifted. All other lines are paragraphs, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CannotBuild
from . import limits
from .labels import MEASURE, POINT, SECTION, split_label
from .source import Cell, Document, Paragraph, Row, Table, clean_lines
from .tables import HEADING_HINTS, is_heading_row

_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SERIAL = re.compile(r"[0-9０-９]{1,4}[.．、]?")
_QUOTED_END = re.compile(r'((?:[^"]|"")*)"(?=\t|$)')
HEADER_AT_LEAST = 3  # heading lines in a row before one cell per line is taken for a table
QUOTED_LINES = 50  # how far a cell in double quotes may run before the quote is taken as text


def read(path: Path) -> Document:
    """Each line cleaned as a Word paragraph is: text pasted from Word brings the same invisible
    characters, which the build would refuse in the draft."""
    lines = _decode(path.read_bytes()).splitlines()
    if len(lines) > limits.LIMITS.paragraphs:
        raise CannotBuild("import-too-many-paragraphs", file=path.name, limit=limits.LIMITS.paragraphs)
    for number, line in enumerate(lines, start=1):
        limits.check_text(line, path.name, f"第{number}行")
    return Document(name=path.name, blocks=blocks_of(lines, path.name))


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _clean(text: str) -> str:
    return clean_lines(text.replace("\u3000", " "))


def blocks_of(lines: list[str], name: str) -> list[Paragraph | Table]:
    """The lines as paragraphs, and the pasted tables among them in their place."""
    blocks: list[Paragraph | Table] = []
    at = 0
    while at < len(lines):
        limits.check_time()
        found = _pipes(lines, at, name) or _tabs(lines, at, name) or _one_per_line(lines, at, name)
        if found:
            table, at = found
            blocks.append(table)
            continue
        line = _clean(lines[at]).replace("\n", "")
        if line:
            blocks.append(Paragraph(line, f"第{at + 1}行"))
        at += 1
    return blocks


def _table(rows: list[tuple[int, list[Cell]]], width: int, first_line: int) -> Table:
    """Rows padded to the width; a row of one cell, or of a heading (一、 （一）) and empty cells,
    is one cell across it, as a merged heading row of a Word table is."""
    made = []
    for line, cells in rows:
        filled = [cell for cell in cells if cell.text]
        if len(cells) == 1 or filled == cells[:1] and split_label(cells[0].text).kind in (SECTION, POINT):
            cells = cells[:1] * width
        made.append(Row(cells + [Cell("") for _ in range(width - len(cells))], f"第{line}行"))
    return Table(made, f"第{first_line}行起的表格")


# -- | 序号 | 工作任务 | 责任单位 | ------------------------------------------------------------

def _is_rule(line: str) -> bool:
    return "-" in line and bool(_RULE.fullmatch(line.strip()))


def _has_cells(line: str) -> bool:
    """A pipe line with something between its pipes (a lone `|` separates cells of another layout)."""
    return "|" in line and bool(line.replace("|", "").strip())


def _pipes(lines: list[str], start: int, name: str):
    first = lines[start].strip()
    leading = first.startswith("|") and _has_cells(first)
    ruled = start + 1 < len(lines) and _is_rule(lines[start + 1])
    if not (leading or _has_cells(first) and ruled):
        return None
    rows: list[tuple[int, list[str]]] = []
    header_rows = 1
    at = start
    while at < len(lines):
        line = lines[at].strip()
        if _is_rule(line):
            header_rows = len(rows) or 1
            at += 1
            continue
        if not (_has_cells(line) and (line.startswith("|") or not leading)):
            break
        row_start = at
        while leading and not line.endswith("|") and at + 1 < len(lines) and lines[at + 1].strip() \
                and not lines[at + 1].strip().startswith("|"):
            at += 1  # a line break inside a cell: the row goes on
            line += "\n" + lines[at].strip()
        rows.append((row_start + 1, _pipe_cells(line)))
        at += 1
    if not rows or len(rows) < 2 and not ruled:
        return None
    width = len(rows[header_rows - 1][1])
    for line, cells in rows:
        if len(cells) != width and len(cells) != 1:
            raise CannotBuild("pasted-table-uneven", file=name, line=start + 1, layout="以竖线（|）分隔", width=width,
                              row=line, cells=len(cells))
    return _table([(line, [Cell(text) for text in cells]) for line, cells in rows], width, start + 1), at


def _pipe_cells(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [_clean(_BREAK_TAG.sub("\n", cell.replace("\\|", "|"))) for cell in re.split(r"(?<!\\)\|", line)]


# -- 序号<TAB>工作任务<TAB>责任单位 ------------------------------------------------------------

def _tabs(lines: list[str], start: int, name: str):
    rows: list[tuple[int, list[str]]] = []
    at = start
    while at < len(lines) and ("\t" in lines[at] or lines[at].startswith('"')):
        row_start = at
        cells, after = _tab_cells(lines, at)
        if len(cells) < 2:
            break
        rows.append((row_start + 1, cells))
        at = after
    if len(rows) < 2 or not any(is_heading_row(Row([Cell(_clean(text)) for text in cells], ""))
                                for _, cells in rows[:6]):
        return None  # tabs in prose (indents, a tab between a label and its text): still prose
    header = next(cells for _, cells in rows if is_heading_row(Row([Cell(_clean(text)) for text in cells], "")))
    width = len(header)
    joined: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        previous = joined[-1][1] if joined else None
        # A cell broken across lines without quotes (copied from Word): the row's first line is
        # short and the next line carries the rest of that cell and the cells after it.
        if previous is not None and len(previous) < width and len(previous) + len(cells) - 1 == width \
                and not _starts_row(cells[0]):
            previous[-1] += "\n" + cells[0]
            previous.extend(cells[1:])
            continue
        joined.append((line, cells))
    for line, cells in joined:
        while len(cells) > width and not cells[-1].strip():
            cells.pop()  # empty cells past the header's width
        if len(cells) > width:
            raise CannotBuild("pasted-table-uneven", file=name, line=start + 1, layout="以制表符分隔", width=width,
                              row=line, cells=len(cells))
    # A short row has lost its trailing empty cells (an editor's tool strips them): padded.
    return _table([(line, [Cell(_clean(text)) for text in cells]) for line, cells in joined if any(t.strip() for t in cells)],
                  width, start + 1), at


def _starts_row(text: str) -> bool:
    text = text.strip()
    return bool(_SERIAL.fullmatch(text)) or split_label(text).kind != ""


def _tab_cells(lines: list[str], at: int) -> tuple[list[str], int]:
    """One row of tab-separated cells from lines[at]; a cell in double quotes (Excel's way with
    a cell holding line breaks) may run over several lines. Returns the cells and the next line."""
    cells: list[str] = []
    line, position = lines[at], 0
    while True:
        if line.startswith('"', position):
            quoted = _quoted(lines, at, line, position + 1)
            if quoted is not None:
                text, at, line, position = quoted
                cells.append(text)
                if position < len(line):  # a tab follows
                    position += 1
                    continue
                return cells, at + 1
        end = line.find("\t", position)
        if end < 0:
            cells.append(line[position:])
            return cells, at + 1
        cells.append(line[position:end])
        position = end + 1


def _quoted(lines: list[str], at: int, line: str, position: int):
    """The cell in quotes starting at `position`: its text with "" as ", the line it ends on and
    where after it; None when no closing quote before a tab or a line's end is found."""
    pieces = []
    for offset in range(QUOTED_LINES):
        if at + offset >= len(lines):
            return None
        current = line if offset == 0 else lines[at + offset]
        start = position if offset == 0 else 0
        found = _QUOTED_END.match(current, start)
        if found:
            pieces.append(found.group(1))
            return "\n".join(pieces).replace("\"\"", "\""), at + offset, current, found.end()
        pieces.append(current[start:])
    return None


# -- one cell per line ------------------------------------------------------------------------

def _heading_like(text: str) -> bool:
    text = text.strip()
    return (0 < len(text) <= 14 and not re.search(r"[。；;，,：:|\t]", text) and not split_label(text).kind
            and any(hint in text for hint in HEADING_HINTS) and not text.endswith(("方案", "分工表", "清单", "台账")))


def _separator(line: str) -> bool:
    """A line of nothing but pipes, which some pastes put between cells or rows."""
    return "|" in line and not line.replace("|", "").strip()


def _one_per_line(lines: list[str], start: int, name: str):
    if not _heading_like(lines[start]) or start > 0 and _heading_like(lines[start - 1]):
        return None
    header: list[str] = []
    at = start
    while at < len(lines) and (_heading_like(lines[at]) or _separator(lines[at])):
        if not _separator(lines[at]):
            header.append(_clean(lines[at]))
        at += 1
    if len(header) < HEADER_AT_LEAST or len(set(header)) < len(header):
        return None
    width = len(header)
    rest = [(number, line.strip()) for number, line in enumerate(lines[at:], start=at) if not _separator(line)]
    filled = [pair for pair in rest if pair[1]]
    # The column that checks the rows: 序号 counting 1, 2, 3 …, else one numbered in its first row.
    serial = next((i for i, text in enumerate(header) if text.startswith(("序号", "编号")) or text == "序"), None)
    counting = serial is not None
    if serial is None:
        serial = next((i for i, (_, text) in enumerate(filled[:width]) if _numbered(text)), None)
    if serial is None:
        raise CannotBuild("pasted-cells-unchecked", file=name, line=start + 1, width=width, header=header)
    rows, used, problem = _aligned(filled, header, serial, counting)
    lines_used = filled
    if problem and len(filled) < len(rest):  # empty cells may have come as empty lines
        other_rows, other_used, other = _aligned(rest, header, serial, counting)
        if other is None:
            rows, used, problem, lines_used = other_rows, other_used, None, rest
    if problem:
        row_line, expected, found = problem
        raise CannotBuild("pasted-cells-misaligned", file=name, line=start + 1, width=width, header=header,
                          row=row_line, expected=expected, found=found)
    if not rows:
        return None  # heading-like lines with no number near them: prose
    end = lines_used[used][0] if used < len(lines_used) else len(lines)
    table_rows = [(start + 1, [Cell(text) for text in header])]
    table_rows += [(row[0][0] + 1, [Cell(_clean(text)) for _, text in row]) for row in rows]
    return _table(table_rows, width, start + 1), end


def _serial_of(text: str) -> int | None:
    if not _SERIAL.fullmatch(text):
        return None
    return int(re.sub(r"[.．、]", "", text).translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _aligned(lines: list[tuple[int, str]], header: list[str], serial: int, counting: bool):
    """Rows of `width` lines, each with the next serial number (or, not `counting`, any number)
    in its place; a heading line (一、 （一）) before a row is a row of its own. Returns the rows,
    how many lines they used, and (line, what should stand there, what does) when the numbers
    stop lining up inside the table."""
    width = len(header)

    def fits(text: str, expected: int) -> bool:
        return _serial_of(text) == expected if counting else _numbered(text)

    def heading(text: str) -> bool:
        return split_label(text).kind in (SECTION, POINT)

    rows: list[list[tuple[int, str]]] = []
    levels: set[int] | None = None  # the columns of sections and points, by the first full row
    position, expected = 0, 1
    while position < len(lines):
        if position + width <= len(lines) and fits(lines[position + serial][1], expected):
            row = lines[position:position + width]
            levels = {c for c, (_, text) in enumerate(row) if heading(text)} if levels is None else levels
            stray = [(c, pair) for c, pair in enumerate(row)
                     if c not in levels and heading(pair[1]) or _out_of_place(header[c], pair[1])]
            if stray:  # a heading or a date where it cannot be: the row lacks a cell or has one too many
                c, (line, text) = stray[0]
                row_name = f"序号 {expected} 那一行" if counting else f"表头下第 {len(rows) + 1} 行"
                return rows, position, (line + 1, f"{row_name}的“{header[c]}”一格", text)
            rows.append(row)
            position += width
            expected += 1
        elif split_label(lines[position][1]).kind in (SECTION, POINT) and position + 1 + width <= len(lines) \
                and fits(lines[position + 1 + serial][1], expected):
            rows.append(lines[position:position + 1])
            position += 1
        else:
            break
    # The table ends where the numbers stop. A number close by, out of its place, means a row
    # above lost or gained a cell: the rows cannot be told apart.
    window = range(max(0, position - width + 1), min(len(lines), position + 2 * width))
    shifted = [i for i in window if i != position + serial and fits(lines[i][1], expected)]
    if shifted:
        at = position + serial if position + serial < len(lines) else shifted[0]
        return rows, position, (lines[at][0] + 1, f"序号“{expected}”" if counting else "带编号（1. 1、）的一格",
                                lines[at][1] if at == position + serial else "（文件结束）")
    return rows, position, None


_DEADLINE_HEADING = re.compile("时限|时间|期限")
_UNITS_HEADING = re.compile("单位|科室|处室|股室|部门|责任|牵头|主办|协办|配合")
_TIME_WORDS = re.compile(r"[0-9０-９]|年|月|日|季|周|前|后|持续|长期|常态|及时|随时|每")
_DEADLINE_TEXT = re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月|月底|年底|季度|[（(]此件")


def _out_of_place(heading: str, text: str) -> bool:
    """A cell that cannot belong under its heading: no time in a 完成时限 column, a date in a
    责任单位 column. In one cell per line, that is a row that lost or gained a cell."""
    if not text:
        return False
    if _DEADLINE_HEADING.search(heading):
        return not _TIME_WORDS.search(text)
    return bool(_UNITS_HEADING.search(heading) and _DEADLINE_TEXT.search(text))


def _numbered(text: str) -> bool:
    return _serial_of(text) is not None or split_label(text).kind == MEASURE
