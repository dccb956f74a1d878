"""Read an .xlsx with openpyxl: each sheet a table, merged ranges kept as one cell."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .source import Cell, Document, Row, Table, clean_lines, clean_title


DAMAGED = (InvalidFileException,)  # what openpyxl raises for a file that is not an Excel package


def read(path: Path) -> Document:
    workbook = openpyxl.load_workbook(str(path), read_only=False, data_only=True)
    result = Document(name=path.name, title=clean_title(workbook.properties.title))
    for sheet in workbook.worksheets:
        table = _sheet(sheet)
        if table.rows:
            result.blocks.append(table)
    workbook.close()
    return result


EMPTY_ROWS_AFTER_TABLE = 200  # formatting can stretch a sheet to a million empty rows


def _text(value) -> str:
    """A cell as Excel shows it, as far as the value tells: whole numbers without .0, a date
    as YYYY-MM-DD (its display format is not kept)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_lines(str(value))


def _sheet(sheet) -> Table:
    """A merged range's value sits in its top-left cell; the others read as empty. Here every
    position of the range holds the same Cell, as in a Word table."""
    width = sheet.max_column
    grid: list[list[Cell]] = []
    empty = 0
    for row in sheet.iter_rows(min_row=1, max_col=width, values_only=True):
        cells = [Cell(_text(value)) for value in row]
        grid.append(cells)
        empty = 0 if any(cell.text for cell in cells) else empty + 1
        if empty > EMPTY_ROWS_AFTER_TABLE:
            break
    height = len(grid)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > height:
            continue
        top = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, height)):
            for c in range(merged.min_col - 1, min(merged.max_col, width)):
                grid[r][c] = top
    rows = [Row(cells, f"工作表“{sheet.title}”第{index + 1}行")
            for index, cells in enumerate(grid) if any(cell.text for cell in cells)]
    return Table(rows, f"工作表“{sheet.title}”")
