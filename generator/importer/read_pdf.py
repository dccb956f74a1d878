"""Read a PDF that has a text layer, with pdfplumber: the tables rebuilt from the ruling lines of
each page, the text outside them as paragraphs in reading order.

A PDF stores positioned characters and lines, not paragraphs and cells. The table finder takes
the ruled grid of a table (a cell spanning rows or columns is one Cell at each position it
covers, as in a Word table); a table cut by a page break comes out as one table per page, which
the interpreter joins as it joins the pieces of a Word table (tables.join_continued). Lines
outside tables are joined into paragraphs where a line runs to the right margin and the next
is not indented and starts no label. Running headers and page numbers (the same text at the
top or bottom of several pages, `- 3 -`, 第3页) are dropped.

A scan has no text layer: it is refused with what to do. So is a PDF that needs a password.
Pages, characters and time are limited, so a huge or pathological file ends in a message.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import CannotBuild
from . import limits
from .labels import glue, starts_with_label
from .tables import is_heading_row
from .source import Cell, Document, Paragraph, Row, Table, clean_lines, clean_title

_SENTENCE_ENDS = ("。", "；", ";", "！", "!", "？", "?", "）", ")", "”", "：", ":")
MARGIN = 0.1  # the top and bottom tenth of a page, where running headers and page numbers stand
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
DAMAGED = (PdfminerException, PDFSyntaxError, PSException)
_PAGE_NUMBER = re.compile(r"[-—－–\s]*(?:第\s*\d+\s*页.*|\d+(?:\s*/\s*\d+)?|page\s*\d+.*)[-—－–\s]*", re.IGNORECASE)


def read(path: Path) -> Document:
    with limits.timed(path.name, limits.LIMITS.pdf_seconds):
        return _read(path)


def _read(path: Path) -> Document:
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > limits.LIMITS.pdf_pages:
                raise CannotBuild("pdf-too-long", file=path.name, pages=len(pdf.pages), limit=limits.LIMITS.pdf_pages)
            pages, characters, columns = [], 0, {}
            for number, page in enumerate(pdf.pages, start=1):
                limits.check_time()
                characters += len(page.chars)
                if characters > 2 * limits.LIMITS.text_characters:
                    raise CannotBuild("pdf-too-much-text", file=path.name, limit=2 * limits.LIMITS.text_characters)
                pages.append(_page(page, number, columns))
                page.close()
            title = pdf.metadata.get("Title")
    except PdfminerException as error:
        if any(isinstance(cause, PDFPasswordIncorrect) for cause in error.args):
            raise CannotBuild("pdf-encrypted", file=path.name) from None
        raise
    if characters == 0:
        raise CannotBuild("pdf-is-scan", file=path.name)
    blocks, notices = _blocks(pages, columns)
    return Document(name=path.name, blocks=blocks, title=clean_title(title if isinstance(title, str) else ""),
                    notices=notices)


class _Line:
    def __init__(self, found: dict, page: int, height: float):
        self.text = clean_lines(found["text"]).replace("\n", " ")
        self.x0, self.x1, self.top, self.bottom = found["x0"], found["x1"], found["top"], found["bottom"]
        self.page = page
        self.margin = self.bottom < height * MARGIN or self.top > height * (1 - MARGIN)


def _page(page, number: int, columns: dict) -> list[_Line | Table]:
    """The page's lines outside tables and its tables, top to bottom; `columns` records each
    table's page and the x of its column edges (by id), for joining tables over pages."""
    tables = page.find_tables(TABLE_SETTINGS)
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text = page.filter(outside) if boxes else page
    items: list[tuple[float, _Line | Table]] = [
        (found["top"], _Line(found, number, page.height)) for found in text.extract_text_lines(return_chars=False)]
    for index, table in enumerate(tables, start=1):
        made = _table(table, number, index)
        columns[id(made)] = (number, [column.bbox[0] for column in table.columns] + [table.columns[-1].bbox[2]])
        items.append((table.bbox[1], made))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items if not isinstance(item, _Line) or item.text]


def _table(table, page: int, index: int) -> Table:
    """A spanning cell appears once in pdfplumber's rows, the positions it covers as None: each
    of those takes the Cell whose box covers the position's middle."""
    texts = table.extract()
    boxes: dict[tuple, Cell] = {}
    grid: list[list[Cell | None]] = []
    for row, row_texts in zip(table.rows, texts):
        cells: list[Cell | None] = []
        for box, text in zip(row.cells, row_texts):
            if box is None:
                cells.append(None)
            else:
                boxes[box] = Cell(clean_lines(text or ""))
                cells.append(boxes[box])
        grid.append(cells)
    middles_x = [_middle(column.bbox, 0) for column in table.columns]
    middles_y = [_middle(row.bbox, 1) for row in table.rows]
    for r, cells in enumerate(grid):
        for c, cell in enumerate(cells):
            if cell is None:
                x, y = middles_x[c], middles_y[r]
                cells[c] = next((made for (x0, top, x1, bottom), made in boxes.items()
                                 if x0 <= x <= x1 and top <= y <= bottom), None) or Cell("")
    where = f"第{page}页表{index}" if index > 1 else f"第{page}页的表格"
    rows = [Row(cells, f"{where}第{r + 1}行") for r, cells in enumerate(grid) if any(cell.text for cell in cells)]
    return Table(rows, where)


def _middle(box, axis: int) -> float:
    return (box[axis] + box[axis + 2]) / 2


def _blocks(pages: list[list[_Line | Table]], columns: dict) -> tuple[list[Paragraph | Table], list[str]]:
    """Running headers and page numbers dropped; lines joined into paragraphs; a table going on
    over the next page joined into one. Returns the blocks and what the editor should know."""
    running = Counter(re.sub(r"\d+", "#", item.text) for page in pages for item in page
                    if isinstance(item, _Line) and item.margin)
    blocks: list[Paragraph | Table] = []
    for page in pages:
        lines = [item for item in page if isinstance(item, _Line)]
        kept = [line for line in lines if not (line.margin and (
            _PAGE_NUMBER.fullmatch(line.text) or len(pages) > 1 and running[re.sub(r"\d+", "#", line.text)] > 1))]
        left = min((line.x0 for line in kept), default=0)
        right = max((line.x1 for line in kept), default=0)
        size = statistics.median([line.bottom - line.top for line in kept]) if kept else 0
        previous: _Line | None = None
        count = 0
        for item in page:
            if isinstance(item, Table):
                blocks.append(item)
                previous = None
                continue
            if item not in kept:
                continue
            if previous is not None and previous.x1 >= right - 1.5 * size and item.x0 <= left + 0.5 * size \
                    and not starts_with_label(item.text) and item.top - previous.bottom < size:
                blocks[-1].text = glue(blocks[-1].text, item.text)  # a line wrapped at the margin
            else:
                count += 1
                blocks.append(Paragraph(item.text, f"第{item.page}页第{count}段"))
            previous = item
    joined: list[Paragraph | Table] = []
    notices: list[str] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if isinstance(block, Table) and isinstance(previous, Table) and _continues(previous, block, columns):
            first = next((row.where for row in block.rows if not is_heading_row(row)), block.where)
            how = _join_split_row(previous, block)
            if how == "by its text":
                notices.append(f"{first}：上一页表格最后一行的文字没有结束，这一行按它被分页截断的后半部分接在一起，"
                               "请对照原文核对（a row cut by a page break joined to the row above）")
            elif how == "maybe":
                notices.append(f"{first}在新一页的开头，可能是上一页最后一行被分页截断的后半部分，已按单独的一行导入，"
                               "请对照原文核对（a row at the top of a page may go on from the row above）")
            previous.rows += [row for row in block.rows if row.cells]
            columns[id(previous)] = (columns[id(block)][0], columns[id(previous)][1])
        else:
            joined.append(block)
    return joined, notices


def _continues(above: Table, below: Table, columns: dict) -> bool:
    """The next page's table goes on with this one: it starts the next page, has the same
    columns (a piece where a merged cell hides a column edge is spread over the columns above),
    and starts with no header of its own (a repeated header is the interpreter's to drop)."""
    page_above, edges_above = columns[id(above)]
    page_below, edges_below = columns[id(below)]
    if page_below != page_above + 1 or not below.rows:
        return False
    if edges_below != edges_above and not _spread(below, edges_below, edges_above):
        return False
    header = next((row for row in above.rows[:6] if is_heading_row(row)), None)
    first = below.rows[0]
    return (not is_heading_row(first) or _header_cut(above, below)
            or header is not None and [c.text for c in first.cells] == [c.text for c in header.cells])


def _header_cut(above: Table, below: Table) -> bool:
    """The page break fell inside a header row (工作 / 任务): a heading row on each side, not
    the same one repeated."""
    if not above.rows or not below.rows:
        return False
    last, first = above.rows[-1], below.rows[0]
    return is_heading_row(last) and is_heading_row(first) and [c.text for c in last.cells] != [c.text for c in first.cells]


def _spread(table: Table, edges: list[float], wanted: list[float]) -> bool:
    """The table's rows laid over the columns `wanted`, when every edge it has is one of them."""
    near = lambda x, xs: any(abs(x - other) < 2 for other in xs)  # noqa: E731
    if len(edges) > len(wanted) or not all(near(x, wanted) for x in edges):
        return False
    middles = [(a + b) / 2 for a, b in zip(wanted, wanted[1:])]
    source = [next(i for i in range(len(edges) - 1) if edges[i] - 2 <= x <= edges[i + 1] + 2) for x in middles]
    for row in table.rows:
        row.cells = [row.cells[i] for i in source]
    return True


def _join_split_row(above: Table, below: Table) -> str:
    """A row that a page break cut in two (Word and LibreOffice let a row break across pages):
    the top row of the next page's piece (under a repeated header) goes on from the last row
    above when it starts no label and fills no cell the row above left empty, and either goes
    on from a cell that starts with a label (6.全面推广“中山市 / 惠企政策平台”…) or every cell
    it goes on from stops mid-sentence (then the report says so). Its cells' text is added to
    those above, and the piece's rows use the cells above from there on. Returns how the row
    was told, or "" when it was not joined."""
    if not above.rows or not below.rows or above.width != below.width:
        return ""
    if _header_cut(above, below):
        for up, low in dict.fromkeys(zip(above.rows[-1].cells, below.rows[0].cells)):
            up.text = "\n".join(text for text in (up.text, low.text) if text)
        del below.rows[0]
        return "header"
    start = 1 if is_heading_row(below.rows[0]) and len(below.rows) > 1 else 0
    last, first = above.rows[-1], below.rows[start]
    pairs = list(zip(last.cells, first.cells))
    going_on = [(up, low) for up, low in pairs if low.text]
    if not going_on or any(not up.text or starts_with_label(low.text) for up, low in going_on):
        return ""
    if any(low is up for up, low in going_on):
        return ""  # the row above reaches down into this page: nothing was cut
    if any(starts_with_label(up.text) for up, _ in going_on):
        how = "by its label"
    elif all(not up.text.endswith(_SENTENCE_ENDS) for up, _ in going_on) and any(len(up.text) >= 10 for up, _ in going_on):
        how = "by its text"
    else:
        return "maybe"
    for up, low in dict.fromkeys(pairs):
        if low.text and low is not up:
            up.text += "\n" + low.text
    replaced = {id(low): up for up, low in pairs}
    for row in below.rows[start + 1:]:
        row.cells = [replaced.get(id(cell), cell) for cell in row.cells]
    del below.rows[start]
    if start and len(below.rows) == 1:
        below.rows.clear()  # only the repeated header was left
    return how
