"""Which reader a source file goes to: by what the file holds, not only by its name.

Editors rename files, save web pages as .doc and get PDFs called .docx. The first bytes tell
what a file really is (a ZIP package with word/document.xml is Word, %PDF- is a PDF, D0 CF 11 E0
an old Office file, <html a web page); the name only says what the editor expects. A file read
as something other than its name says is read by its content, and the report says so; a file
holding something no reader knows (a picture, an archive) is named for what it is.

Each format is one entry of FORMATS: its suffixes, the reader module that turns it into a
Document (source.py), and the exceptions its library raises for a damaged file.

Reading stays within limits.LIMITS: the file's size here, a .docx's or .xlsx's parts in
package.py before its library opens it, tables, text and time in the readers.
"""

from __future__ import annotations

import importlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotBuild
from . import limits, package
from .source import Document, has_invisible

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Format:
    kind: str  # what the content is: docx, xlsx, text …
    name: str  # as a message calls it: Word, Excel …
    suffixes: tuple[str, ...]
    reader: str  # the module under generator/importer/ with read(path) -> Document


FORMATS = (
    Format("docx", "Word", (".docx",), "read_docx"),
    Format("xlsx", "Excel", (".xlsx",), "read_xlsx"),
    Format("text", "文本", (".txt",), "read_text"),
    Format("html", "网页", (".html", ".htm"), "read_html"),
    Format("mhtml", "网页存档", (".mht", ".mhtml"), "read_html"),
    Format("pdf", "PDF", (".pdf",), "read_pdf"),
    # Converted with LibreOffice, then read as .docx or .xlsx (read_office.py).
    Format("doc", "旧版 Word", (".doc", ".wps"), "read_office"),
    Format("xls", "旧版 Excel", (".xls", ".et"), "read_office"),
    Format("odt", "OpenDocument 文本", (".odt",), "read_office"),
    Format("ods", "OpenDocument 表格", (".ods",), "read_office"),
    Format("rtf", "RTF", (".rtf",), "read_office"),
)
ZIPPED = ("docx", "xlsx")  # formats that are ZIP packages
SUFFIXES = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
# What the first bytes can show that no reader takes, as a message names it.
OTHER_CONTENTS = {"text": "纯文本", "broken-zip": "损坏的 ZIP 包", "pdf": "PDF 文件", "ole": "旧版 Office 文件（.doc、.xls、.wps 或 .et）", "html": "网页（HTML）",
               "rtf": "RTF 文件", "odf": "OpenDocument 文件（.odt、.ods）", "zip": "ZIP 压缩包",
               "image": "图片", "binary": "二进制文件"}


def sniff(head: bytes, path: Path) -> str:
    """What the file's first bytes say it is (a kind of FORMATS or of OTHER_CONTENTS)."""
    if head.startswith(b"PK\x03\x04"):
        return _opendocument(head) or _package_kind(path)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "image"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"mime-version:", b"from:", b"content-type: multipart/related")) \
            and b"multipart/related" in head.lower():
        return "mhtml"  # a page saved as one file (.mht): a MIME message holding the HTML
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower() \
            or start.startswith(b"<") and any(tag in head.lower() for tag in (b"<table", b"<html", b"<body")):
        return "html"
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _package_kind(path: Path) -> str:
    """A ZIP file: Word, Excel or OpenDocument by the parts it holds, else a plain archive."""
    try:
        with package.open_package(path) as opened:
            names = set(opened.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "broken-zip"
    office = package.CONTENT_TYPES in names  # a package missing its main part is a damaged one
    if "word/document.xml" in names or office and any(name.startswith("word/") for name in names):
        return "docx"
    if "xl/workbook.xml" in names or office and any(name.startswith("xl/") for name in names):
        return "xlsx"
    if "mimetype" in names and "content.xml" in names:
        return "odf"
    return "zip"


def _opendocument(head: bytes) -> str:
    """An OpenDocument package names its kind in its first, uncompressed entry."""
    for mimetype, kind in ((b"opendocument.text", "odt"), (b"opendocument.spreadsheet", "ods")):
        if b"mimetypeapplication/vnd.oasis." + mimetype in head[:200]:
            return kind
    return ""


def _directory_entry(name: str) -> bytes:
    """How an old Office file's directory names a stream: UTF-16, padded to 64 bytes, then
    the name's length in bytes with its terminating zero."""
    encoded = name.encode("utf-16-le")
    return encoded + b"\x00" * (64 - len(encoded)) + bytes([len(encoded) + 2, 0])


# The stream that holds the content, by which an old Office file tells what it is.
OLE_STREAMS = {_directory_entry("WordDocument"): "doc", _directory_entry("Workbook"): "xls",
               _directory_entry("Book"): "xls"}
OLE_SUFFIXES = {".doc": "doc", ".wps": "doc", ".xls": "xls", ".et": "xls"}


def _ole_kind(path: Path) -> str:
    """Word or Excel of before 2007 (WPS saves the same formats): by the streams the file
    holds, else by its name."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    for stream, kind in OLE_STREAMS.items():
        if stream in data:
            return kind
    return OLE_SUFFIXES.get(path.suffix.lower(), "ole")


def read_source(source: Path) -> Document:
    """The file as a Document; a file that is not what a reader takes is a message."""
    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise CannotBuild("unsupported-file-type", file=source.name)
    try:
        info = source.stat()
    except OSError as error:
        raise CannotBuild("cannot-read-source", source=source, detail=error.strerror or str(error)) from None
    if has_invisible(source.name):
        raise CannotBuild("invisible-in-file-name", file=source.name)
    if not source.is_file():
        raise CannotBuild("source-not-regular", source=source)
    if info.st_size > limits.LIMITS.source_megabytes << 20:
        raise CannotBuild("source-too-large", file=source.name, megabytes=limits.LIMITS.source_megabytes)
    try:
        with open(source, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        raise CannotBuild("cannot-read-source", source=source, detail=error.strerror or str(error)) from None
    named = SUFFIXES[suffix]
    kind = sniff(head, source)
    # A document under another document's name is read as what it is; plain text under a
    # document's name is a file that went wrong somewhere, not a document to read.
    fmt = next((f for f in FORMATS if f.kind == kind and (kind != "text" or named.kind == "text")), None)
    if named.kind == "text" and kind in ("html", "mhtml") or kind == "broken-zip" and named.kind in ZIPPED:
        fmt = named  # a .txt holding markup is still text to its editor; a damaged package is told by its reader
    if fmt is None:
        raise CannotBuild("source-is-other", file=source.name, format=named.name, actual=OTHER_CONTENTS.get(kind, kind))
    with limits.timed(source.name):
        document = _read(fmt, source, suffix)
    if fmt is not named:
        document.notices.append(f"文件名是 {suffix}，内容却是 {fmt.name} 文件，已按 {fmt.name} 文件读取"
                                "（the content does not match the file name）")
    return document


def _read(fmt: Format, source: Path, suffix: str) -> Document:
    try:
        module = importlib.import_module(f"{__package__}.{fmt.reader}")
    except ImportError as error:
        raise CannotBuild("missing-library", suffix=suffix, library=error.name) from None
    try:
        if fmt.kind in ZIPPED:
            package.check_package(source)
        return module.read(source)
    except package.Damaged as error:
        raise CannotBuild("source-damaged", file=source.name, format=fmt.name, suffix=suffix, problem=error.problem) from None
    except (zipfile.BadZipFile, KeyError, ValueError, *getattr(module, "DAMAGED", ())) as error:
        if fmt.kind == "text" and isinstance(error, UnicodeDecodeError):
            raise CannotBuild("unknown-encoding", file=source.name) from None
        raise CannotBuild("source-not-valid", file=source.name, format=fmt.name, suffix=suffix,
                          error_type=type(error).__name__, detail=str(error)) from None
    except OSError as error:
        raise CannotBuild("cannot-read-source", source=source, detail=error.strerror or str(error)) from None
