"""What a reader hands the interpreters: the document as paragraphs and tables, format aside.

A .docx, an .xlsx and a .txt differ in how they store a plan, not in what an editor sees: lines
of prose and grids of cells, some cells spanning several rows or columns. Readers turn each
format into these few classes, so the table and prose interpreters never see python-docx or
openpyxl, and a message can still say where in the source a row stood (row 12 of a sheet,
table 2 row 7 of a document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import invisible


@dataclass(eq=False)
class Cell:
    """One cell as the reader found it. A merged cell is one Cell object at every grid position
    it covers, so `grid[r][c] is grid[r + 1][c]` says the two rows share it."""

    text: str  # the cell's lines joined by "\n", each stripped; "" for an empty cell


@dataclass
class Row:
    cells: list[Cell]
    where: str  # how a message names the row in the source: 表2第7行, 第12行


@dataclass
class Table:
    rows: list[Row]
    where: str  # 表2, 工作表“Sheet1”

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass
class Paragraph:
    text: str
    where: str  # 第3段, 第3行


@dataclass
class Document:
    """The source file's content in reading order: paragraphs and tables."""

    name: str  # the file name, as source.file records it
    blocks: list[Paragraph | Table] = field(default_factory=list)
    title: str = ""  # a title the file itself records (document properties), if any
    metadata: dict[str, str] = field(default_factory=dict)  # 索引号, 文号, 成文日期 … as the source labels them
    notices: list[str] = field(default_factory=list)  # what the reader did that the editor should know

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [block for block in self.blocks if isinstance(block, Paragraph)]


# Characters nobody sees are refused in content (generator/invisible.py has the one table of
# them): Word files carry zero-width spaces, soft hyphens and direction marks from copy and
# paste, so they are stripped. Line separators, vertical tabs and form feeds are line breaks as
# Word shows them, and a tab is a space.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029\x85]")


def clean_lines(text: str) -> str:
    """A cell's or paragraph's text with each line stripped, empty lines dropped, tabs made
    spaces and invisible characters removed."""
    text = invisible.remove(_BREAKS.sub("\n", text).replace("\t", " "), allowed="\n")
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_title(text: str | None) -> str:
    """A title the file records (document properties, the file name) as one clean line."""
    return clean_lines(text or "").replace("\n", "")


def has_invisible(text: str) -> bool:
    """Whether `text` holds a character nobody sees or a line break (a file name may)."""
    return invisible.first(text) is not None
