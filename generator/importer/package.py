"""A .docx or .xlsx (a ZIP package) checked part by part before python-docx or openpyxl sees it.

Both libraries trust the package: they unpack whole parts into memory and python-docx builds
the whole XML tree of each. So every part is first unpacked here as a stream, counted as it
comes (the sizes the ZIP directory declares can lie; zipfile never gives more than the declared
size, so what is counted here bounds what the libraries get), and each XML part is run through a
parser that builds nothing: it must be well-formed, without a DTD (Office never writes one; a
DTD is how entity bombs and external entities get in), and its elements are counted. Whatever
fails is the file's fault and says so, naming the part and, for XML, the line.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from ..errors import CannotBuild
from ..messages import Message
from . import limits

CHUNK = 1 << 20
CONTENT_TYPES = "[Content_Types].xml"
DIRECTORY_ENTRY_BYTES = 1024  # a part's entry in the ZIP directory: 46 bytes, its name and extras
_UNPACKING = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
              ValueError, OSError)


class Damaged(Exception):
    """The package is broken; `problem` says how, as a catalogue Message."""

    def __init__(self, problem: Message):
        super().__init__(problem.kind)
        self.problem = problem


def open_package(path: Path) -> zipfile.ZipFile:
    """The ZIP, its directory no larger than limits.LIMITS.parts entries need: zipfile reads
    the whole directory into objects at once, and a 50 MB file can list a million entries."""
    try:
        with open(path, "rb") as stream:
            # The end record zipfile itself trusts (ZIP64 included), read before it trusts it.
            record = zipfile._EndRecData(stream)  # noqa: SLF001 - no public way to read it first
    except OSError:
        record = None
    if record and record[zipfile._ECD_SIZE] > limits.LIMITS.parts * DIRECTORY_ENTRY_BYTES:  # noqa: SLF001
        raise CannotBuild("import-too-many-parts", file=path.name, limit=limits.LIMITS.parts)
    package = zipfile.ZipFile(path)
    if len(package.infolist()) > limits.LIMITS.parts:
        package.close()
        raise CannotBuild("import-too-many-parts", file=path.name, limit=limits.LIMITS.parts)
    return package


def check_package(path: Path) -> None:
    """Every part unpacks within the limits; every XML part is well-formed XML without a DTD.
    Raises CannotBuild for a limit passed, Damaged for a broken file."""
    try:
        package = open_package(path)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise Damaged(Message("zip-unreadable", {"detail": str(error)})) from None
    with package:
        infos = sorted(package.infolist(), key=lambda info: info.filename != CONTENT_TYPES)
        types, needed = _ContentTypes(), _Needed()
        budget = _Budget(path.name)
        for info in infos:
            name = info.filename
            is_xml = types.is_xml(name)
            chunks = _unpacked(package, info, budget, is_xml)
            if is_xml:
                collect = types.collect if name == CONTENT_TYPES else needed.collector(name) if name.endswith(".rels") else None
                scan_xml(chunks, name, collect, budget)
            else:
                for _ in chunks:
                    pass
        names = set(package.namelist())
        missing = next((part for part in needed.parts if part not in names), None)
        if missing is not None:
            raise Damaged(Message("part-missing", {"part": missing}))


class _Budget:
    """What one file may still unpack and parse."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.bytes_left = limits.LIMITS.total_megabytes << 20
        self.elements_left = limits.LIMITS.xml_elements


def _unpacked(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, is_xml: bool) -> Iterable[bytes]:
    """The part's bytes as they are unpacked, refused once they pass a limit."""
    part_left = limits.LIMITS.part_megabytes << 20
    try:
        with package.open(info) as stream:
            while chunk := stream.read(CHUNK):
                limits.check_time()
                part_left -= len(chunk)
                budget.bytes_left -= len(chunk)
                if is_xml and part_left < 0:
                    raise CannotBuild("import-part-too-large", file=budget.file_name, part=info.filename,
                                      megabytes=limits.LIMITS.part_megabytes)
                if budget.bytes_left < 0:
                    raise CannotBuild("import-package-too-large", file=budget.file_name,
                                      megabytes=limits.LIMITS.total_megabytes)
                yield chunk
    except _UNPACKING as error:
        raise Damaged(Message("part-damaged", {"part": info.filename, "detail": str(error)})) from None


class _ContentTypes:
    """[Content_Types].xml: which parts are XML, as the libraries decide it (a part can be XML
    under any name)."""

    def __init__(self):
        self.defaults: dict[str, str] = {}  # extension -> content type
        self.overrides: dict[str, str] = {}  # /part/name -> content type

    def collect(self, tag: str, attributes) -> None:
        if tag.endswith("}Default"):
            self.defaults[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
        elif tag.endswith("}Override"):
            self.overrides[attributes.get("PartName", "").lower()] = attributes.get("ContentType", "")

    def is_xml(self, name: str) -> bool:
        if name.lower().endswith((".xml", ".rels")):
            return True
        extension = name.rpartition(".")[2].lower() if "." in name.rpartition("/")[2] else ""
        declared = self.overrides.get("/" + name.lower(), self.defaults.get(extension, ""))
        return "xml" in declared.lower()


class _Needed:
    """The parts a package's relationships say it must have: the document itself and each
    sheet. (openpyxl leaves out a sheet whose part is missing without a word.)"""

    def __init__(self):
        self.parts: list[str] = []

    def collector(self, rels: str) -> Callable[[str, dict], None]:
        folder = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/document.xml.rels: word

        def collect(tag: str, attributes) -> None:
            kind = attributes.get("Type", "")
            if tag.endswith("}Relationship") and kind.endswith(("/officeDocument", "/worksheet")) \
                    and attributes.get("TargetMode") != "External":
                target = attributes.get("Target", "")
                self.parts.append(target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target)))
        return collect


class _Doctype(Exception):
    pass


class _Checker:
    """A parser target that builds nothing: counts elements, refuses a DTD, hands each start
    tag to `on_start` if given."""

    def __init__(self, on_start: Callable[[str, dict], None] | None, budget: _Budget | None):
        self.on_start, self.budget = on_start, budget

    def start(self, tag, attributes) -> None:
        if self.budget is not None:
            self.budget.elements_left -= 1
            if self.budget.elements_left < 0:
                raise CannotBuild("import-too-many-elements", file=self.budget.file_name, limit=limits.LIMITS.xml_elements)
        if self.on_start is not None:
            self.on_start(tag, attributes)

    def doctype(self, *_) -> None:
        raise _Doctype()

    def close(self) -> None:
        return None


_POSITION = re.compile(r",? line \d+, column \d+\s*$")


def scan_xml(chunks: Iterable[bytes], part: str, on_start: Callable[[str, dict], None] | None = None,
             budget: _Budget | None = None) -> None:
    """Parse a part as it streams in, entities and the network off, keeping nothing."""
    parser = etree.XMLParser(target=_Checker(on_start, budget), resolve_entities=False, no_network=True,
                             huge_tree=False, load_dtd=False)
    try:
        for chunk in chunks:
            limits.check_time()
            parser.feed(chunk)
        parser.close()
    except _Doctype:
        raise Damaged(Message("part-has-doctype", {"part": part})) from None
    except etree.XMLSyntaxError as error:
        detail = _POSITION.sub("", (error.msg or "").strip())
        raise Damaged(Message("part-xml-error", {"part": part, "line": error.lineno or 0, "detail": detail})) from None


@contextmanager
def read_by(library: str):
    """A library's own exception while it reads the package is the file's fault: the package
    passed check_package, so the library met content it cannot take (an attribute Word never
    writes, a part of the wrong type). Only calls into the library go in here, so a mistake in
    our own code stays an internal error."""
    try:
        yield
    except (CannotBuild, Damaged):
        raise
    except KeyError as error:
        part = missing_part(error)
        problem = Message("part-missing", {"part": part}) if part else None
        raise Damaged(problem or _refused(library, error)) from None
    except Exception as error:  # noqa: BLE001 - whatever the library raises on content it cannot take
        raise Damaged(_refused(library, error)) from None


def _refused(library: str, error: Exception) -> Message:
    return Message("library-refused", {"library": library, "error_type": type(error).__name__, "detail": str(error)})


def missing_part(error: KeyError) -> str | None:
    """The part a library asked zipfile for and did not find, from zipfile's KeyError."""
    found = re.fullmatch(r"There is no item named (['\"])(.*)\1 in the archive", str(error.args[0]) if error.args else "")
    return found.group(2) if found else None
