"""How much of a source file `build.py import` will read, and for how long.

The files come from outside (mail, download sites) and a hostile or broken one must end in a
message within seconds and a few hundred MB, never in a machine out of memory. Each limit sits
far above what a plan needs (the largest plans are a few hundred rows of a 5–10 column table, a
document.xml of a few MB) and far below what hurts. docs/importing.md lists them for editors.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ..errors import CannotBuild


@dataclass(frozen=True)
class Limits:
    # The file as it is on disk: a plan with photos is a few MB.
    source_megabytes: int = 50
    # One XML part of a .docx or .xlsx unpacked (document.xml, a sheet, the shared strings),
    # counted while it is unpacked (the sizes the ZIP directory declares can lie): a 300-page
    # document is about 10 MB. Pictures and other parts count only towards the total.
    part_megabytes: int = 32
    # All parts unpacked: pictures do not shrink when zipped, so about the file's limit, plus
    # what the XML parts unpack to.
    total_megabytes: int = 128
    # Parts in the package: a document has 10–30, one with many pictures a few hundred. Checked
    # before the ZIP directory is read, so a directory of a million entries costs nothing.
    parts: int = 1000
    # XML elements in all parts together: python-docx holds the whole tree of document.xml in
    # memory, about 120 bytes an element, so a 30 MB part of empty paragraphs (5 million
    # elements) would take 600 MB. A 100-page plan with its tables has under 100,000.
    xml_elements: int = 1_000_000
    # Grid positions (rows × columns) of all tables and sheets of the file, after spans and
    # merged ranges; a span or merge running past the last cell that holds text is cut there
    # first. A 2,000-row sheet of 20 columns is 40,000.
    table_cells: int = 250_000
    # Characters of one paragraph, cell or line: some 500 printed pages without a break. The
    # interpreters are linear in it: a cell of a million characters imports in about a second.
    text_characters: int = 1_000_000
    # Paragraphs of a document (empty ones too) or lines of a text file: about 2,000 pages.
    paragraphs: int = 100_000
    # Seconds for reading the file into paragraphs and tables: a 400-measure plan takes well
    # under one.
    seconds: float = 20.0
    # Elements of a saved web page: a portal page with its menus has a few thousand.
    page_elements: int = 200_000
    # Pages of a PDF, and the seconds its tables may take to rebuild (pdfplumber is slow: about
    # a tenth of a second a page, several seconds for a page of drawn lines).
    pdf_pages: int = 300
    pdf_seconds: float = 120.0


LIMITS = Limits()  # read as limits.LIMITS at the time of use, so a test can lower one

_deadline: ContextVar[tuple[str, float, float] | None] = ContextVar("import_deadline", default=None)


@contextmanager
def timed(file_name: str, seconds: float | None = None):
    """Reading `file_name` within LIMITS.seconds (or `seconds`): check_time() inside raises once
    they are up."""
    token = _deadline.set((file_name, time.monotonic() + (seconds or LIMITS.seconds), seconds or LIMITS.seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Called in every loop of the readers, so no file keeps the import busy for long."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[1]:
        raise CannotBuild("import-too-slow", file=current[0], seconds=f"{current[2]:g}")


def check_text(text: str, file_name: str, where: str) -> str:
    """A paragraph's or cell's text, refused when longer than LIMITS.text_characters."""
    if len(text) > LIMITS.text_characters:
        raise CannotBuild("import-text-too-long", file=file_name, where=where, limit=LIMITS.text_characters)
    return text


@dataclass
class Cells:
    """What is left of LIMITS.table_cells for the tables of one file."""

    file_name: str
    left: int

    @classmethod
    def for_file(cls, file_name: str) -> "Cells":
        return cls(file_name, LIMITS.table_cells)

    def fits(self, count: int) -> bool:
        return count <= self.left

    def check(self, count: int, where: str) -> None:
        """Refuse the file once `count` more cells of the table at `where` cannot fit."""
        if count > self.left:
            raise CannotBuild("import-table-too-large", file=self.file_name, where=where, limit=LIMITS.table_cells)

    def take(self, count: int, where: str) -> None:
        self.check(count, where)
        self.left -= count
