"""Read a .docx with python-docx: paragraphs and tables in document order, merged cells kept."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable

from .source import Cell, Document, Paragraph, Row, Table, clean_lines, clean_title


DAMAGED = (PackageNotFoundError,)  # what python-docx raises for a file that is not a Word package


def read(path: Path) -> Document:
    document = docx.Document(str(path))
    result = Document(name=path.name, title=clean_title(document.core_properties.title))
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            tables += 1
            result.blocks.append(_table(block, tables))
        else:
            paragraphs += 1
            text = clean_lines(block.text)
            if text:
                result.blocks.append(Paragraph(text, f"第{paragraphs}段"))
    return result


def _table(table: DocxTable, number: int) -> Table:
    """One Cell per Word cell: python-docx answers a merged cell with the same element at each
    grid position it covers (vertically and horizontally), so identity tells the merges."""
    raw = [row.cells for row in table.rows]  # kept alive: element identity holds while referenced
    made: dict[int, tuple[object, Cell]] = {}
    rows: list[Row] = []
    for index, cells in enumerate(raw):
        row_cells = []
        for cell in cells:
            key = id(cell._tc)
            if key not in made or made[key][0] is not cell._tc:
                made[key] = (cell._tc, Cell(clean_lines(_text(cell))))
            row_cells.append(made[key][1])
        rows.append(Row(row_cells, f"表{number}第{index + 1}行"))
    return Table(rows, f"表{number}")


def _text(cell) -> str:
    """The cell's paragraphs, then the cells of any table nested in it, one per line."""
    nested = [inner.text for table in cell.tables for row in table.rows for inner in dict.fromkeys(row.cells)]
    return "\n".join([cell.text, *nested])
