"""`build.py import` of hostile and broken Office files (generator/importer/limits.py, package.py).

Each file is made here: a small real plan written with python-docx or openpyxl, then one part
edited the way a hostile or damaged file has it (a span of a hundred million columns, a merged
range to the sheet's last cell, a part that unpacks to 10 GiB, a DTD, a bad byte in the deflate
data …). Each is imported by build.py in a process of its own with at most 2 GB of address
space and 30 seconds: it ends with a message that names the limit or the damage, or (a span or
merge running past the text, which is cut) with the same draft as the file without it. The
limits that need a large file to reach are lowered in-process instead (`lowered`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, run_main
from generator.importer import limits
from support.hostile import TITLE, edited, parts_of, plan_docx, plan_xlsx, with_bomb, write_parts

ADDRESS_SPACE = 2 << 30
SECONDS = 30
PEAK_MB = 500  # "a few hundred MB": the process with Python, lxml, python-docx and openpyxl loaded is ~100


# -- running build.py import --------------------------------------------------------------------

@dataclasses.dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def _small_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_import(source: Path, content: Path, *options: str) -> Run:
    """build.py import in a process of its own, limited to 2 GB of address space and 30 s; its
    time and peak resident memory from the kernel (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "import", str(source),
                                    "--content", str(content), *options],
                                   stdout=out, stderr=err, cwd=ROOT, preexec_fn=_small_address_space)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > SECONDS:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                pytest.fail(f"build.py import {source.name} still running after {SECONDS} s")
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        run = Run(process.returncode, out.read().decode(), err.read().decode(), time.monotonic() - started,
                  usage.ru_maxrss / 1024)
    print(f"{source.name}: exit {run.code}, {run.seconds:.2f} s, peak {run.peak_mb:.0f} MB: {run.stderr.strip()[:200]}")
    return run


def assert_refused(run: Run, content: Path, *words: str) -> None:
    assert run.code == 1, run.stderr + run.stdout
    for word in words:
        assert word in run.stderr, run.stderr
    for wrong in ("Traceback", "内部错误", "构建失败", "MemoryError"):
        assert wrong not in run.stderr + run.stdout, run.stderr
    assert list((content / "plans").iterdir()) == []
    assert run.peak_mb < PEAK_MB, f"peak {run.peak_mb:.0f} MB"


def draft_of(source: Path, content: Path) -> str:
    run = run_import(source, content)
    assert run.code == 0, run.stderr
    assert run.peak_mb < PEAK_MB, f"peak {run.peak_mb:.0f} MB"
    return (content / "plans" / "zs-jrj-2022.yaml").read_text(encoding="utf-8")


@pytest.fixture
def second_content(tmp_path) -> Path:
    target = tmp_path / "second" / "content"
    (target / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "registry", target / "registry")
    return target


# -- the hostile files --------------------------------------------------------------------------

def add_merge(ref: str):
    return lambda xml: xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()) \
        if b"<mergeCells" not in xml else xml.replace(b"</mergeCells>", f'<mergeCell ref="{ref}"/></mergeCells>'.encode())


@pytest.mark.long
def test_a_merged_range_to_the_last_cell_of_the_sheet_costs_nothing(tmp_path, empty_content, second_content):
    """A6:XFD1048576 covers 17 billion cells: cut to where the text ends, it covers nothing."""
    bare = tmp_path / "bare.xlsx"
    workbook = openpyxl.Workbook()
    for row in (["名单"], ["张三"], ["李四"], [], [], ["备注"]):
        workbook.active.append(row)
    workbook.save(str(bare))
    edited(bare, "xl/worksheets/sheet1.xml", add_merge("A6:XFD1048576"))
    assert bare.stat().st_size < 10_000
    run = run_import(bare, empty_content, "--issuer", "中山市金融工作局", "--year", "2022")
    assert_refused(run, empty_content, "没有找到计划的内容")
    assert run.seconds < 10

    (tmp_path / "plain").mkdir(), (tmp_path / "hostile").mkdir()
    plain = plan_xlsx(tmp_path / "plain" / "plan.xlsx")
    hostile = edited(plan_xlsx(tmp_path / "hostile" / "plan.xlsx"), "xl/worksheets/sheet1.xml", add_merge("A30:XFD1048576"))
    assert draft_of(hostile, empty_content) == draft_of(plain, second_content)


def test_a_cell_in_the_last_column_and_text_down_to_the_last_row_is_refused(tmp_path, empty_content):
    """Real text at XFD6 and every 150 rows to row 1,048,576: a table far past the limit."""
    source = plan_xlsx(tmp_path / "wide.xlsx")
    rows = '<row r="6"><c r="XFD6" t="inlineStr"><is><t>x</t></is></c></row>' + "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(156, 1_048_577, 150))
    edited(source, "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        rb"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>".encode(), xml, flags=re.S))
    assert source.stat().st_size < 100_000
    run = run_import(source, empty_content, "--issuer", "中山市金融工作局", "--year", "2022")
    assert_refused(run, empty_content, "wide.xlsx", f"超过 {limits.LIMITS.table_cells} 个单元格", "表格单元格上限")
    assert run.seconds < 10


@pytest.mark.long
def test_a_span_of_a_hundred_million_columns_costs_nothing(tmp_path, empty_content, second_content):
    (tmp_path / "plain").mkdir(), (tmp_path / "hostile").mkdir()
    plain = plan_docx(tmp_path / "plain" / "plan.docx")
    hostile = edited(plan_docx(tmp_path / "hostile" / "plan.docx"), "word/document.xml",
                     lambda xml: xml.replace(b'<w:gridSpan w:val="4"/>', b'<w:gridSpan w:val="100000000"/>', 1))
    assert b"100000000" in parts_of(hostile)["word/document.xml"]
    assert draft_of(hostile, empty_content) == draft_of(plain, second_content)


def test_a_part_that_unpacks_to_10_gib_is_refused_at_the_limit(tmp_path, empty_content):
    source = with_bomb(plan_docx(tmp_path / "bomb.docx"), "word/document.xml", 10)
    with zipfile.ZipFile(source) as package:
        assert package.getinfo("word/document.xml").file_size > 10 << 30
    run = run_import(source, empty_content)
    assert_refused(run, empty_content, "bomb.docx", "word/document.xml", f"解压后超过 {limits.LIMITS.part_megabytes} MB",
                   "单个部件上限")
    assert run.seconds < 10


def test_30_mib_of_empty_paragraphs(tmp_path, empty_content):
    """To an id that exists: refused before the file is read. Otherwise refused at the limit
    on XML elements python-docx would hold in memory, well within the time limit."""
    source = edited(plan_docx(tmp_path / "empty.docx"), "word/document.xml",
                    lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * (30 * 2**20 // 6)))
    assert source.stat().st_size < 100_000
    (empty_content / "plans" / "zs-jrj-2022.yaml").write_text("# 已有\n", encoding="utf-8")
    run = run_import(source, empty_content, "--id", "zs-jrj-2022")
    assert run.code == 1 and "已经存在" in run.stderr and run.seconds < 5, run.stderr
    (empty_content / "plans" / "zs-jrj-2022.yaml").unlink()
    run = run_import(source, empty_content, "--id", "zs-jrj-2022")
    assert_refused(run, empty_content, "empty.docx", f"XML 元素超过 {limits.LIMITS.xml_elements} 个")
    assert run.seconds < 10


def test_a_package_of_many_parts_or_a_large_total_is_refused(tmp_path, empty_content):
    many = plan_docx(tmp_path / "many.docx")
    parts = parts_of(many)
    write_parts(many, {**parts, **{f"word/media/x{n}.bin": b"" for n in range(limits.LIMITS.parts)}})
    assert_refused(run_import(many, empty_content), empty_content, "many.docx", f"部件超过 {limits.LIMITS.parts} 个")
    directory = plan_docx(tmp_path / "directory.docx")  # refused before zipfile reads its directory
    write_parts(directory, {**parts, **{f"word/media/{'x' * 2500}{n}.bin": b"" for n in range(limits.LIMITS.parts // 2)}})
    assert_refused(run_import(directory, empty_content), empty_content, f"部件超过 {limits.LIMITS.parts} 个")
    total = plan_docx(tmp_path / "total.docx")
    write_parts(total, {**parts, "word/media/image1.png": bytes((limits.LIMITS.total_megabytes << 20) + 1)})
    assert_refused(run_import(total, empty_content), empty_content, "total.docx",
                   f"解压后超过 {limits.LIMITS.total_megabytes} MB", "解压总量上限")


# -- damaged files ------------------------------------------------------------------------------

def flip_deflate(path: Path, part: str) -> Path:
    """Bytes in the middle of the part's compressed data overwritten."""
    with zipfile.ZipFile(path) as package:
        info = package.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10:start + 40] = b"\xff" * 30
    path.write_bytes(bytes(data))
    return path


DOCTYPE = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n')

DAMAGE = {
    "XML syntax error": ("docx", lambda path: edited(path, "word/document.xml", lambda xml: xml.replace(b"</w:body>", b"\n</w:bdy>")),
                         ["word/document.xml", "不是正确的 XML", "XML 第 3 行"]),
    "undefined entity": ("docx", lambda path: edited(path, "word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body>\n&bogus;")),
                         ["word/document.xml", "XML 第 3 行", "Entity 'bogus' not defined"]),
    "entity bomb": ("docx", lambda path: edited(path, "word/document.xml", lambda xml: DOCTYPE + xml.split(b"?>", 1)[1].replace(b"<w:body>", b"<w:body>&c;")),
                    ["word/document.xml", "<!DOCTYPE>"]),
    "bad deflate data": ("docx", lambda path: flip_deflate(path, "word/document.xml"), ["word/document.xml", "已损坏，无法解压"]),
    "truncated ZIP": ("docx", lambda path: path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2]),
                      ["ZIP 包的目录读不出来"]),
    "no word/document.xml": ("docx", lambda path: edited(path, "word/document.xml", lambda xml: None),
                             ["缺少其中的 word/document.xml"]),
    "no sheet part": ("xlsx", lambda path: edited(path, "xl/worksheets/sheet1.xml", lambda xml: None),
                      ["缺少其中的 xl/worksheets/sheet1.xml"]),
    "broken shared strings": ("xlsx", lambda path: edited(path, "xl/sharedStrings.xml", lambda xml: xml[:len(xml) // 2]),
                              ["xl/sharedStrings.xml", "不是正确的 XML", "XML 第 1 行"]),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_named_with_what_is_wrong(damage, tmp_path, empty_content):
    kind, spoil, words = DAMAGE[damage]
    source = (plan_docx if kind == "docx" else plan_xlsx)(tmp_path / f"damaged.{kind}")
    spoil(source)
    name = "Word" if kind == "docx" else "Excel"
    assert_refused(run_import(source, empty_content), empty_content, f"damaged.{kind}", f"不是有效的 {name} 文件", *words)


# -- limits lowered in-process ----------------------------------------------------------------

@pytest.fixture
def lowered(monkeypatch):
    """limits.LIMITS with some values lowered, for the duration of the test."""
    return lambda **values: monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, **values))


def test_real_data_beyond_the_table_limit_is_refused(tmp_path, empty_content, lowered):
    source = plan_xlsx(tmp_path / "plan.xlsx")
    lowered(table_cells=19)  # the sheet is 5 rows × 4 columns
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and "超过 19 个单元格" in result.stderr and "工作表“Sheet”" in result.stderr, result.stderr
    lowered(table_cells=20)
    assert run_main("import", str(source), "--content", str(empty_content)).returncode == 0


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_too_many_paragraphs_or_too_long_a_text(kind, tmp_path, empty_content, lowered):
    source = tmp_path / f"plan.{kind}"
    if kind == "docx":
        plan_docx(source, paragraphs=5)
    else:
        source.write_text("\n".join([TITLE, "一、任务", "1.做好工作。（牵头科室：综合科）", "", "", ""]), encoding="utf-8")
    lowered(paragraphs=4)
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and "段落超过 4 个（段落数上限）" in result.stderr, result.stderr
    lowered(paragraphs=6, text_characters=TITLE.__len__() - 1)
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and f"超过 {len(TITLE) - 1} 字（一段文字上限）" in result.stderr, result.stderr
    assert ("表1第1行" if kind == "docx" else "第1行") in result.stderr
    lowered(text_characters=len(TITLE))
    assert run_main("import", str(source), "--content", str(empty_content)).returncode == 0


def test_reading_stops_at_the_time_limit(tmp_path, empty_content, lowered):
    source = plan_docx(tmp_path / "plan.docx")
    lowered(seconds=0)
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and "读取 plan.docx 超过 0 秒（读取时间上限）" in result.stderr, result.stderr
    assert list((empty_content / "plans").iterdir()) == []


def test_an_unforeseen_failure_of_an_import_is_not_a_failed_build(tmp_path, empty_content, monkeypatch):
    import generator.importer as importer

    def broken(_):
        raise RuntimeError("a bug")
    monkeypatch.setattr(importer, "read_source", broken)
    result = run_main("import", str(plan_docx(tmp_path / "plan.docx")), "--content", str(empty_content))
    assert result.returncode == 1 and "内部错误" in result.stderr and "a bug" in result.stderr
    assert "构建失败" not in result.stderr


def test_the_limits_docs_importing_md_lists_are_the_limits_in_force():
    text = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    section = text[text.index("## Limits on what is read"):text.index("## What it cannot read yet")]
    shown = {field.name: getattr(limits.LIMITS, field.name) for field in dataclasses.fields(limits.LIMITS)}
    for name, value in shown.items():
        written = f"{value:g} seconds" if name.endswith("seconds") else f"{value} MB" if name.endswith("megabytes") else f"{value:,}"
        assert f"| {written}" in section, f"{name} = {value} is not in docs/importing.md"
