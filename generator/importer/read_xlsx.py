"""Read an .xlsx with openpyxl: each sheet a table, merged ranges kept as one cell.

The cells come from openpyxl's read-only mode, which streams a sheet row by row; its full mode
makes an object for every cell a merged range covers, and A6:XFD1048576 covers 17 billion. The
merged ranges are read here from the sheet's XML instead, and cut where the sheet's cells end
(Excel writes the cells a range covers, so a real range is never cut). A sheet that would
still pass limits.LIMITS.table_cells is cut to the last row and column holding text, and
refused if that is too large.
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from ..messages import Message
from . import limits, package
from .source import Cell, Document, Row, Table, clean_lines, clean_title


DAMAGED = (InvalidFileException,)  # what openpyxl raises for a file that is not an Excel package
MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # a reference such as A:A or 3:3 runs to the sheet's end


def read(path: Path) -> Document:
    with package.read_by("openpyxl"):
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        with package.read_by("openpyxl"):
            result = Document(name=path.name, title=clean_title(workbook.properties.title))
        cells = limits.Cells.for_file(path.name)
        with package.open_package(path) as archive:
            for sheet in workbook.worksheets:
                table = _sheet(sheet, archive, cells)
                if table.rows:
                    result.blocks.append(table)
    finally:
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


def _sheet(sheet, archive: zipfile.ZipFile, cells: limits.Cells) -> Table:
    """A merged range's value sits in its top-left cell; the others read as empty. Here every
    position of the range holds the same Cell, as in a Word table."""
    where = f"工作表“{sheet.title}”"
    merges = _merged_ranges(archive, sheet._worksheet_path, cells, where)  # noqa: SLF001 - the part openpyxl streams
    sheet.reset_dimensions()  # the sheet's own <dimension> can claim a million rows; read what is there
    texts: dict[tuple[int, int], str] = {}  # (row, column) -> text, both from 1
    seen = widest = height = last_row = last_column = 0
    for number, values in enumerate(_rows(sheet), start=1):
        limits.check_time()
        height, widest, seen = number, max(widest, len(values)), seen + len(values)
        cells.check(seen, where)  # the cells the rows hold, empty ones too: what reading them costs
        for column, value in enumerate(values, start=1):
            text = _text(value)
            if text:
                texts[number, column] = limits.check_text(text, cells.file_name, f"{where}第{number}行")
                last_row, last_column = number, max(last_column, column)
        cells.check(last_row * last_column, where)  # the least this sheet will take
        if number - last_row > EMPTY_ROWS_AFTER_TABLE:
            break
    width = widest
    if not cells.fits(height * width):  # cut to where the text is
        height, width = last_row, last_column
    cells.take(height * width, where)
    grid = [[Cell(texts.get((r, c), "")) for c in range(1, width + 1)] for r in range(1, height + 1)]
    covered = 0
    for min_row, min_col, max_row, max_col in merges:
        if min_row > height or min_col > width:
            continue
        top = grid[min_row - 1][min_col - 1]
        covered += max(min(max_row, height) - min_row + 1, 0) * max(min(max_col, width) - min_col + 1, 0)
        if covered > height * width:  # ranges that cover the same cells again and again
            raise package.Damaged(Message("merges-overlap", {"where": where}))
        for r in range(min_row - 1, min(max_row, height)):
            for c in range(min_col - 1, min(max_col, width)):
                grid[r][c] = top
    rows = [Row(row, f"{where}第{index + 1}行")
            for index, row in enumerate(grid) if any(cell.text for cell in row)]
    return Table(rows, where)


def _rows(sheet):
    """The sheet's rows as openpyxl streams them, each a tuple of values up to its last cell."""
    rows = sheet.iter_rows(values_only=True)
    while True:
        with package.read_by("openpyxl"):
            values = next(rows, None)
        if values is None:
            return
        yield values


def _merged_ranges(archive: zipfile.ZipFile, part: str, cells: limits.Cells, where: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column), read from
    its <mergeCell ref="A1:B2"/> elements without building the sheet's tree."""
    found: list[tuple[int, int, int, int]] = []

    def on_start(tag: str, attributes) -> None:
        if tag == MERGE_CELL:
            with package.read_by("openpyxl"):
                min_col, min_row, max_col, max_row = range_boundaries(attributes.get("ref", ""))
            found.append((min_row or 1, min_col or 1, max_row or MAX_ROW, max_col or MAX_COLUMN))
            cells.check(len(found), where)  # more ranges than cells: overlapping ones

    with archive.open(part) as stream:
        package.scan_xml(iter(lambda: stream.read(package.CHUNK), b""), part, on_start)
    return found
