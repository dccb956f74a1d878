"""Read a .docx with python-docx: paragraphs and tables in document order, merged cells kept.

python-docx gives the blocks and the text of paragraphs; the grid of each table is read here
from the w:tr and w:tc elements (w:gridBefore, w:gridSpan, w:vMerge), because python-docx
repeats a cell once per grid column it spans, and a gridSpan of 100,000,000 is a list that long.
A span is cut where the table's columns (w:tblGrid) and its text end, so such a span costs
nothing; a table that would still pass limits.LIMITS.table_cells is cut to the last row and
column holding text, and refused if that is too large.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ..errors import CannotBuild
from . import limits, package
from .source import Cell, Document, Paragraph, Row, Table, clean_lines, clean_title


DAMAGED = (PackageNotFoundError,)  # what python-docx raises for a file that is not a Word package


def read(path: Path) -> Document:
    with package.read_by("python-docx"):
        document = docx.Document(str(path))
        result = Document(name=path.name, title=clean_title(document.core_properties.title))
    cells = limits.Cells.for_file(path.name)
    paragraphs = tables = 0
    for block in _blocks(document):
        limits.check_time()
        if isinstance(block, DocxTable):
            tables += 1
            result.blocks.append(_table(block, tables, cells))
        else:
            paragraphs += 1
            if paragraphs > limits.LIMITS.paragraphs:
                raise CannotBuild("import-too-many-paragraphs", file=path.name, limit=limits.LIMITS.paragraphs)
            with package.read_by("python-docx"):
                text = block.text
            text = limits.check_text(clean_lines(text), path.name, f"第{paragraphs}段")
            if text:
                result.blocks.append(Paragraph(text, f"第{paragraphs}段"))
    return result


def _blocks(document):
    """The body's paragraphs and tables as python-docx finds them."""
    with package.read_by("python-docx"):
        blocks = document.iter_inner_content()
    while True:
        with package.read_by("python-docx"):
            block = next(blocks, None)
        if block is None:
            return
        yield block


def _table(table: DocxTable, number: int, cells: limits.Cells) -> Table:
    """One Cell per Word cell, the same Cell at every grid position it spans or merges over."""
    where = f"表{number}"
    grid = _grid(table._tbl, lambda tc, row: limits.check_text(  # noqa: SLF001 - the table's element
        clean_lines(_text(tc, table, cells, where)), cells.file_name, f"{where}第{row + 1}行"), cells, where)
    return Table([Row(row, f"{where}第{index + 1}行") for index, row in enumerate(grid)], where)


def _text(tc, table: DocxTable, cells: limits.Cells, where: str) -> str:
    """The cell's paragraphs, then the cells of any table nested in it, one per line."""
    own = [_paragraphs(tc, table)]
    for nested in tc.tbl_lst:
        for row in _grid(nested, lambda inner, _: _paragraphs(inner, table), cells, where):
            own += [cell.text for cell in dict.fromkeys(row)]
    return "\n".join(own)


def _paragraphs(tc, table: DocxTable) -> str:
    with package.read_by("python-docx"):
        return "\n".join(DocxParagraph(p, table).text for p in tc.p_lst)


def _grid(tbl, text_of, cells: limits.Cells, where: str) -> list[list[Cell]]:
    """The table's rows as grid positions. A cell with w:vMerge (not "restart") continues the
    Cell above it; columns skipped by w:gridBefore are empty cells of their own."""
    rows = []  # per row: (first column, span, tc, continues the cell above, its text)
    for index, tr in enumerate(tbl.tr_lst):
        limits.check_time()
        column, placed = max(_count(_property(tr, "w:trPr", "w:gridBefore"), 0), 0), []
        for tc in tr.tc_lst:
            span = max(_count(_property(tc, "w:tcPr", "w:gridSpan"), 1), 1)
            continues = _merge(tc) not in (None, "restart")
            placed.append((column, span, tc, continues, None if continues else text_of(tc, index)))
            column += span
        rows.append(placed)
    holding = [(index, first) for index, row in enumerate(rows) for first, _, _, _, text in row if text]
    text_height = max((index + 1 for index, _ in holding), default=0)
    text_width = max((first + 1 for _, first in holding), default=0)
    columns = max(len(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")), text_width)
    height, width = len(rows), max((min(row[-1][0] + row[-1][1], columns) for row in rows if row), default=0)
    if not cells.fits(height * max(width, 1)):  # cut to where the text is
        height, width = text_height, text_width
    cells.take(height * max(width, 1), where)
    grid: list[list[Cell]] = []
    for index, placed in enumerate(rows[:height]):
        limits.check_time()
        row: list[Cell] = []
        for first, span, tc, continues, text in placed:
            if first >= width:
                break
            row += [Cell("") for _ in range(first - len(row))]
            above = grid[index - 1] if index else []
            if continues and first < len(above):
                cell = above[first]
            else:  # a cell continuing nothing starts a new one
                cell = Cell(text if text is not None else text_of(tc, index))
            row += [cell] * (min(first + span, width) - first)
        grid.append(row)
    return grid


def _property(element, properties: str, name: str) -> str | None:
    """The w:val of a w:trPr or w:tcPr child, read from the XML as it is: python-docx's typed
    properties raise on a value out of range."""
    holder = element.find(qn(properties))
    found = holder.find(qn(name)) if holder is not None else None
    return found.get(qn("w:val")) if found is not None else None


def _merge(tc) -> str | None:
    """w:vMerge's value: None without it, "continue" when it has none (Word's default)."""
    holder = tc.find(qn("w:tcPr"))
    found = holder.find(qn("w:vMerge")) if holder is not None else None
    return None if found is None else found.get(qn("w:val"), "continue")


def _count(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
