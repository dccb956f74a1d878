"""Office files made to be broken: a small real plan written with python-docx or openpyxl,
then edited part by part as a hostile or damaged file has it (tests/test_import_limits.py,
the importer target of tests/test_fuzz.py)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl

from support import importing as support

TITLE = "中山市金融工作局2022年政务公开工作要点分工方案"
HEADER = ["工作要求", "工作要点", "计划措施", "责任单位"]
ROWS = [
    ["一、优化政务公开工作基础", "（一）深化规范性文件公开。", "1.规范行政法规使用。", "综合科"],
    ["", "", "2.摸清规范性文件底数。", "金融发展科"],
    ["二、推动政策解读", "（一）加大解读力度。", "3.做到应解读尽解读。", "综合科"],
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def plan_docx(path: Path, paragraphs: int = 0) -> Path:
    """A plan as a Word table whose first row is the title, one cell across the four columns."""
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph()
    table = document.add_table(rows=2 + len(ROWS), cols=len(HEADER))
    support._set(table.cell(0, 0).merge(table.cell(0, len(HEADER) - 1)), TITLE)
    for r, texts in enumerate([HEADER, *ROWS], start=1):
        for c, text in enumerate(texts):
            if text:
                support._set(table.cell(r, c), text)
    support._set(table.cell(2, 0).merge(table.cell(3, 0)), ROWS[0][0])
    support._set(table.cell(2, 1).merge(table.cell(3, 1)), ROWS[0][1])
    document.save(str(path))
    return path


def plan_xlsx(path: Path) -> Path:
    """The plan as a sheet with merged cells, its text in xl/sharedStrings.xml as Excel keeps it
    (openpyxl writes each text into its cell)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [[TITLE], HEADER, *ROWS]:
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    sheet.merge_cells("A3:A4")
    workbook.save(str(path))
    parts = parts_of(path)
    strings: list[bytes] = []

    def shared(found: re.Match) -> bytes:
        strings.append(found.group(2))
        return b'<c %st="s"><v>%d</v></c>' % (found.group(1), len(strings) - 1)
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<c ([^>]*?)t="inlineStr"><is><t>(.*?)</t></is></c>', shared,
                                               parts["xl/worksheets/sheet1.xml"])
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'.encode()
                                     + b"".join(b"<si><t>%s</t></si>" % text for text in strings) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
    return write_parts(path, parts)


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def edited(path: Path, part: str, change) -> Path:
    """The package with `part` replaced by change(its bytes) (None: left out)."""
    parts = parts_of(path)
    parts[part] = change(parts[part])
    return write_parts(path, {name: data for name, data in parts.items() if data is not None})


def with_bomb(path: Path, part: str, gigabytes: int) -> Path:
    """The package with `part` replaced by paragraphs of a MiB of text each, to `gigabytes` GiB,
    and the ZIP directory saying so. The deflate stream is one paragraph written once and
    repeated (a full flush makes each block stand alone), so making it takes no time; its
    checksum is left wrong, as nothing should read that far."""
    parts = parts_of(path)
    head = parts[part][:parts[part].index(b"<w:body>") + len(b"<w:body>")]
    block = b"<w:p><w:r><w:t>" + b"x" * (1 << 20) + b"</w:t></w:r></w:p>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = -(-(gigabytes << 30) // len(block))
    data = start + repeated * count + compressor.flush()
    size = len(head) + count * len(block)
    out = io.BytesIO()
    directory = b""
    for name, content in [*((n, d) for n, d in parts.items() if n != part), (part, None)]:
        encoded = name.encode()
        if content is None:  # ZIP64: the sizes in an extra field
            crc, raw, compressed, packed = 0, size, len(data), data
            extra = struct.pack("<HHQQ", 1, 16, raw, compressed)
            small = (0xFFFFFFFF, 0xFFFFFFFF)
        else:
            crc, raw = zlib.crc32(content), len(content)
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = deflate.compress(content) + deflate.flush()
            compressed, extra, small = len(packed), b"", (len(packed), raw)
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, *small, len(encoded), len(extra))
                  + encoded + extra + packed)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, *small,
                                 len(encoded), len(extra), 0, 0, 0, 0, offset) + encoded + extra
    start_of_directory = out.tell()
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory),
                                      start_of_directory, 0))
    path.write_bytes(out.getvalue())
    return path
