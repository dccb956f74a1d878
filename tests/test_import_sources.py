"""`build.py import` from the other forms a plan reaches an editor in: a table pasted into text
(pipes, tabs, one cell per line), a saved portal page, a PDF with a text layer, and the old Word
and Excel formats that LibreOffice converts.

Each fixture is made here with the real tools: the same table written with python-docx is
pasted as text, written out as a portal page, printed to PDF by LibreOffice, or saved as .doc,
.wps and .xls by LibreOffice; each import is compared with the import of the .docx (or with the
shipped plan), measure by measure. LibreOffice is needed: locally its tests are skipped without
it, under CI=true they fail.
"""

from __future__ import annotations

import os
import shutil

import pytest
from PIL import Image

from conftest import run_main
from support import importing as support
from test_import import imported_plan, measure_summary
from generator.errors import CannotBuild
from generator.importer import import_file

TITLE = "中山市金融工作局2023年政务公开重点工作任务台账"
LEDGER = [["序号", "工作任务", "具体要求", "责任单位", "完成时限"],
          ["一、政策发布解读"] * 5,
          ["1", "做好涉企政策集中公开", "设立涉企政策专栏。", "综合科", "2023年3月底前"],
          ["2", "逐件标注有效性", "对现行有效的规范性文件逐件标注有效性。", "金融发展科、综合科", "持续推进"],
          ["二、数据发布"] * 5,
          ["3", "发布运行数据", "按月发布金融运行数据。", "金融发展科", "每月10日前"],
          ["4", "做好年报", "编制发布政府信息公开工作年度报告。", "综合科牵头，各科室配合", "2023年1月31日前"]]
LEDGER_MERGES = [(1, 0, 1, 4), (4, 0, 4, 4)]  # the heading rows span the width


def ledger_rows() -> list[list[str]]:
    """The ledger as copying shows it: a heading row's text in its first cell only."""
    return support.pasted_rows(support.Grid(LEDGER[0], LEDGER[1:], [(r - 1, c, r2 - 1, c2) for r, c, r2, c2 in LEDGER_MERGES]))


def source_of(plan_id: str, folder, page_rows: int = 0):
    grid = support.table_grid(plan_id, page_rows=page_rows, break_every=30)
    path = folder / f"{plan_id}-source.docx"
    support.write_docx(path, support.title_of(plan_id), grid, before=["各科室：", "现将方案印发给你们，请认真贯彻执行。"],
                       after=["（此件公开发布）"])
    return grid, path


def imported(source, content, plan_id: str, **options):
    """The measures of the draft the file imports to, and the import's report."""
    result = import_file(source, content, issuer=support.ISSUERS.get(plan_id), plan_id=plan_id, **options)
    return [measure_summary(m) for m in imported_plan(content, plan_id).measures], result


def fresh_content(tmp_path, name: str):
    content = tmp_path / name
    (content / "plans").mkdir(parents=True)
    shutil.copytree(support.ROOT / "content" / "registry", content / "registry")
    return content


def ledger_docx(path) -> None:
    from test_import import word_table

    word_table(path, LEDGER, LEDGER_MERGES, title=TITLE)


# -- tables pasted into text --------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["pipes", "tabs"])
@pytest.mark.parametrize("plan_id", ["zs-jrj-2022", "zs-jxj-2018", "zs-gxj-2022"])
def test_a_pasted_table_imports_as_its_word_table(plan_id, layout, tmp_path):
    """Merged cells pasted as a filled first cell and empty ones below, cells broken across
    lines (a pipe row going on on the next line, an Excel cell in quotes), the title above."""
    grid, docx_source = source_of(plan_id, tmp_path)
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), plan_id)
    pasted = tmp_path / f"{plan_id}.txt"
    pasted.write_text(support.pasted_text(support.title_of(plan_id), support.pasted_rows(grid), layout,
                                          before=["各科室："], after=["（此件公开发布）"]), encoding="utf-8")
    content = fresh_content(tmp_path, "from-text")
    got, _ = imported(pasted, content, plan_id)
    assert len(got) == len(want) and got == want
    plan = imported_plan(content, plan_id)
    assert plan.preamble_html and "各科室" in plan.preamble_html and "此件公开发布" in plan.closing_html


@pytest.mark.parametrize("layout", ["pipes", "tabs", "lines"])
def test_a_pasted_ledger_with_heading_rows_imports_as_its_word_table(layout, tmp_path):
    """序号 counting the rows, full-width 一、 heading rows, one cell per line included."""
    docx_source = tmp_path / "ledger.docx"
    ledger_docx(docx_source)
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), "zs-jrj-2023")
    pasted = tmp_path / "ledger.txt"
    pasted.write_text(support.pasted_text(TITLE, ledger_rows(), layout, after=["（此件公开发布）"]), encoding="utf-8")
    content = fresh_content(tmp_path, "from-text")
    got, result = imported(pasted, content, "zs-jrj-2023")
    assert got == want and [m[2] for m in got] == ["1", "2", "3", "4"]
    plan = imported_plan(content, "zs-jrj-2023")
    assert [(s.label, s.title) for s in plan.sections] == [("一、", "政策发布解读"), ("二、", "数据发布")]
    assert plan.measures[0].deadline.date == "2023-03" and "此件公开发布" in plan.closing_html


def test_tabs_copied_from_word_with_a_line_break_inside_a_cell(tmp_path, empty_content):
    """Word copies a cell's line break as it is, without Excel's quotes: the row's first line
    stops inside the cell and the next line carries the rest of the row."""
    text = "\n".join([TITLE, "序号\t工作任务\t责任单位\t完成时限", "1\t规范行政法规使用，", "确保文本为最新版本。\t综合科\t年底前",
                      "2\t摸清规范性文件底数。\t金融发展科牵头，", "产业金融科配合\t持续推进", "3\t规范编制年度报告。\t综合科\t"])
    source = tmp_path / "word.txt"
    source.write_text(text, encoding="utf-8")
    import_file(source, empty_content)
    plan = imported_plan(empty_content, "zs-jrj-2023")
    assert [(m.label, m.text, [a.written for a in m.assignments]) for m in plan.measures] == [
        ("1", "规范行政法规使用，确保文本为最新版本。", ["综合科"]),
        ("2", "摸清规范性文件底数。", ["金融发展科", "产业金融科"]),
        ("3", "规范编制年度报告。", ["综合科"])]
    assert [m.deadline.text if m.deadline else None for m in plan.measures] == ["年底前", "持续推进", None]


def test_one_cell_per_line_with_pipe_lines_between_and_empty_cells_as_empty_lines(tmp_path, empty_content):
    rows = ledger_rows()
    rows[3][4] = ""  # a deadline left empty: an empty line in the paste
    lines = [TITLE]
    for row in rows:
        lines += (row[:1] if not any(row[1:]) else row) + ["|"]  # a heading row: its text once
    source = tmp_path / "ledger.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(source, empty_content)
    plan = imported_plan(empty_content, "zs-jrj-2023")
    assert [(m.label, m.text) for m in plan.measures] == [(r[0], r[2]) for r in rows if r[0].isdigit()]
    assert plan.measures[1].deadline is None and plan.measures[2].deadline.text == "每月10日前"


@pytest.mark.parametrize("broken, message", [
    (lambda rows: rows[3].pop(3), "第17行“二、数据发布”处应是序号 2 那一行的“完成时限”一格"),  # a row lacks its units cell
    (lambda rows: rows[3].insert(2, "重复的一格"), "第17行“金融发展科、综合科”处应是序号 2 那一行的“完成时限”一格"),  # a row with one cell too many
    (lambda rows: rows[6].pop(3), "第27行“2023年1月31日前”处应是序号 4 那一行的“责任单位”一格"),  # the last row lacks a cell
])
def test_a_ragged_one_cell_per_line_paste_is_refused(broken, message, tmp_path, empty_content):
    rows = ledger_rows()
    broken(rows)
    source = tmp_path / "ragged.txt"
    source.write_text(support.pasted_text(TITLE, rows, "lines", after=["（此件公开发布）"]), encoding="utf-8")
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "看起来是每格一行的表格" in result.stderr and message in result.stderr
    assert list((empty_content / "plans").iterdir()) == []


def test_one_cell_per_line_without_anything_to_check_the_rows_is_refused(tmp_path, empty_content):
    rows = [["工作任务", "责任单位", "完成时限"], ["设立专栏。", "综合科", "年底前"], ["标注有效性。", "综合科", "持续推进"]]
    source = tmp_path / "unchecked.txt"
    source.write_text(support.pasted_text(TITLE, rows, "lines"), encoding="utf-8")
    with pytest.raises(CannotBuild, match="没有序号列，也没有带编号的一列"):
        import_file(source, empty_content)


def test_a_pipe_row_with_a_cell_too_few_is_refused(tmp_path, empty_content):
    text = support.pasted_text(TITLE, ledger_rows(), "pipes").replace("| 综合科 | 2023年3月底前 |", "| 2023年3月底前 |")
    source = tmp_path / "pipes.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(CannotBuild, match=r"以竖线（\|）分隔的表格（表头 5 格），但第5行有 4 格"):
        import_file(source, empty_content)


def test_prose_with_tabs_and_short_lines_stays_prose(tmp_path, empty_content):
    """Indents made with tabs, a tab after a label and short heading-like lines are prose."""
    text = "\n".join(["中山市金融工作局2022年政务公开工作实施方案", "\t各科室：", "一、\t工作任务",
                      "\t1、公开预算。（牵头科室：综合科）", "\t2、公开决算。（牵头科室：综合科）",
                      "二、保障措施", "工作要求", "责任分工", "\t各科室要高度重视。"])
    source = tmp_path / "prose.txt"
    source.write_text(text, encoding="utf-8")
    import_file(source, empty_content)
    plan = imported_plan(empty_content, "zs-jrj-2022")
    assert [(m.label, m.parts[0].text if m.parts else m.text) for m in plan.measures] == [
        ("1、", "公开预算。（牵头科室：综合科）"), ("2、", "公开决算。（牵头科室：综合科）")]
    assert "责任分工" in plan.sections[1].body_html


# -- a saved web page ---------------------------------------------------------------------------

def portal(plan_id: str, metadata=support.PORTAL_METADATA, title: str | None = None) -> str:
    grid = support.table_grid(plan_id, break_every=30)
    return support.portal_page(title or support.title_of(plan_id), support.html_table(grid.header, grid.rows, grid.merges),
                               metadata, before=["各科室：", "现将方案印发给你们，请认真贯彻执行。"],
                               after=["（此件公开发布）"], charset="gb2312")


@pytest.mark.parametrize("plan_id", ["zs-jrj-2022", "zs-jxj-2018", "zs-2017"])
def test_a_portal_page_imports_as_its_word_table_with_its_metadata(plan_id, tmp_path):
    _, docx_source = source_of(plan_id, tmp_path)
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), plan_id)
    page = tmp_path / f"{plan_id}.html"
    page.write_bytes(portal(plan_id).encode("gb18030"))  # declared gb2312, as portals do
    content = fresh_content(tmp_path, "from-page")
    got, result = imported(page, content, plan_id)
    assert got == want
    plan = imported_plan(content, plan_id)
    assert (plan.document_number, plan.index_number) == ("中金融〔2022〕5号", "007239180/2022-00015")
    assert "此件公开发布" in plan.closing_html and "各科室" in plan.preamble_html
    text = result.path.read_text(encoding="utf-8")
    assert ("draft: true\ndocument_number: 中金融〔2022〕5号\nindex_number: 007239180/2022-00015\ntopic: 综合政务\n"
            "genre: 计划\ndates:\n  written: 2022-03-10\n  published: 2022-03-15\nvalidity: 有效\n") in text
    for chrome in ("网站地图", "版权所有", "ICP", "通知公告", "当前位置", "打印", "浏览次数", "var menu", "font-size"):
        assert chrome not in text


def test_the_issuer_from_the_page_metadata_and_a_value_the_schema_cannot_take(tmp_path, empty_content):
    metadata = {**support.PORTAL_METADATA, "有效性": "现行有效", "成文日期": "2022年3月"}
    page = tmp_path / "page.htm"
    page.write_text(portal("zs-jrj-2022", metadata, title="2022年政务公开工作要点分工方案"), encoding="utf-8")
    result = import_file(page, empty_content)
    plan = imported_plan(empty_content, "zs-jrj-2022")
    assert plan.issuer.id == "zs-jrj" and plan.issuer_name == "中山市金融工作局"  # from 发布机构
    assert plan.validity == "" and plan.dates == {"published": "2022-03-15"}
    assert plan.editor_notes == ["网页的公开信息中成文日期为“2022年3月”。", "网页的公开信息中有效性为“现行有效”。"]
    report = "\n".join(result.report)
    assert "[editor_notes[1]]" in report and "metadata value does not fit the schema" in report
    assert "\n  written:" not in result.path.read_text(encoding="utf-8")


def test_a_page_saved_as_one_file_and_a_page_under_a_word_name(tmp_path):
    _, docx_source = source_of("zs-jrj-2022", tmp_path)
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), "zs-jrj-2022")
    archive = tmp_path / "page.mht"
    archive.write_bytes(support.mime_archive(portal("zs-jrj-2022")))
    assert imported(archive, fresh_content(tmp_path, "from-mht"), "zs-jrj-2022")[0] == want
    renamed = tmp_path / "分工方案.docx"  # a page saved as .docx by a browser
    renamed.write_text(portal("zs-jrj-2022"), encoding="utf-8")
    got, result = imported(renamed, fresh_content(tmp_path, "from-renamed"), "zs-jrj-2022")
    assert got == want
    assert any("文件名是 .docx，内容却是 网页 文件" in line for line in result.report)


# -- PDF ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def libreoffice():
    support.require_libreoffice()


@pytest.mark.parametrize("plan_id", ["zs-jrj-2022", "zs-jxj-2018", "zs-2017"])
def test_a_pdf_printed_from_word_imports_as_the_word_table(plan_id, tmp_path, libreoffice):
    """Tables across pages (rows cut by the page break), the header repeated inside the table,
    a footer with the page number on every page, paragraphs before and after the table."""
    _, docx_source = source_of(plan_id, tmp_path, page_rows=9)
    support.with_page_footer(docx_source, "金融工作局办公室制")
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), plan_id)
    pdf = support.libreoffice_convert(docx_source, "pdf", tmp_path / "pdf")
    content = fresh_content(tmp_path, "from-pdf")
    got, result = imported(pdf, content, plan_id)
    assert len(got) == len(want) and got == want
    plan = imported_plan(content, plan_id)
    assert plan.closing_html.count("<p>") == 1 and "此件公开发布" in plan.closing_html  # no footer, no page number
    assert "办公室制" not in result.path.read_text(encoding="utf-8")


def test_a_pdf_whose_page_break_cuts_a_repeated_header_row(tmp_path, libreoffice):
    """Without the paragraphs around it, the 2017 table's header repeated after its ninth row
    falls across a page break (工作 at the foot of one page, 任务 at the top of the next)."""
    grid = support.table_grid("zs-2017", page_rows=9, break_every=30)
    source = tmp_path / "zs-2017.docx"
    support.write_docx(source, support.title_of("zs-2017"), grid)
    want, _ = imported(source, fresh_content(tmp_path, "from-docx"), "zs-2017")
    pdf = support.libreoffice_convert(source, "pdf", tmp_path / "pdf")
    got, result = imported(pdf, fresh_content(tmp_path, "from-pdf"), "zs-2017")
    assert len(got) == len(want) == 114 and got == want
    assert not any("another table not imported" in line for line in result.report)


def test_a_pdf_table_going_on_where_a_merged_cell_hides_a_column_edge(tmp_path, libreoffice):
    """The second section has no points: its cell spans the section and point columns, so the
    page holding only its rows has one column edge less; it is still the same table."""
    from test_import import word_table

    rows = [["工作要求", "工作要点", "计划措施", "责任单位"],
            ["一、优化政务公开工作基础", "（一）深化规范性文件公开。", "1.规范行政法规使用。", "综合科"],
            ["", "（二）持续推进标准化。", "2.摸清规范性文件底数。", "金融发展科"],
            ["二、强化工作指导监督", "", "3.听取政务公开工作汇报。", "综合科"],
            ["", "", "4.配齐配强工作力量。", "产业金融科"]]
    source = tmp_path / "split.docx"
    word_table(source, rows, [(1, 0, 2, 0), (3, 0, 4, 1)], tables_at=[3])
    document = support.docx.Document(str(source))
    for table in document.tables:
        table.style = "Table Grid"  # ruled, as plan tables are printed
    document.save(str(source))
    want, _ = imported(source, fresh_content(tmp_path, "from-docx"), "zs-jrj-2022")
    pdf = support.libreoffice_convert(source, "pdf", tmp_path / "pdf")
    got, result = imported(pdf, fresh_content(tmp_path, "from-pdf"), "zs-jrj-2022")
    assert got == want and [m[:3] for m in got] == [("一、", "（一）", "1."), ("一、", "（二）", "2."),
                                                    ("二、", None, "3."), ("二、", None, "4.")]
    assert not any("another table not imported" in line for line in result.report)


def test_a_pdf_under_a_word_name_is_read_as_a_pdf(tmp_path, libreoffice, empty_content):
    _, docx_source = source_of("zs-jrj-2022", tmp_path)
    pdf = support.libreoffice_convert(docx_source, "pdf", tmp_path / "pdf")
    renamed = tmp_path / "分工方案.docx"
    shutil.copy(pdf, renamed)
    result = import_file(renamed, empty_content)
    assert result.measures == 25
    assert any("文件名是 .docx，内容却是 PDF 文件" in line for line in result.report)


def test_a_scan_is_refused_with_what_to_do(tmp_path, empty_content):
    page = Image.new("RGB", (1240, 1754), "white")
    scan = tmp_path / "扫描件.pdf"
    page.save(scan, "PDF", resolution=150)
    result = run_main("import", str(scan), "--content", str(empty_content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "这是扫描件，没有文字层" in result.stderr and "OCR" in result.stderr and "Word" in result.stderr


def test_an_encrypted_pdf_is_refused(tmp_path, libreoffice, empty_content):
    _, docx_source = source_of("zs-jrj-2022", tmp_path)
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"x"}}'
    pdf = support.libreoffice_convert(docx_source, f"pdf:writer_pdf_Export:{options}", tmp_path / "pdf")
    with pytest.raises(CannotBuild, match="加密的 PDF"):
        import_file(pdf, empty_content)


# -- old Office formats through LibreOffice --------------------------------------------------------

def test_doc_wps_and_xls_are_converted_and_read(tmp_path, libreoffice):
    grid, docx_source = source_of("zs-jrj-2022", tmp_path, page_rows=9)
    want, _ = imported(docx_source, fresh_content(tmp_path, "from-docx"), "zs-jrj-2022")
    # LibreOffice writes a .doc without its table straight from python-docx's file; through .odt it keeps it.
    doc = support.libreoffice_convert(support.libreoffice_convert(docx_source, "odt", tmp_path / "odt"), "doc", tmp_path / "old")
    wps = doc.with_name("分工方案.wps")
    shutil.copy(doc, wps)
    renamed = doc.with_name("改了名.docx")  # an old .doc renamed by hand
    shutil.copy(doc, renamed)
    xlsx = tmp_path / "台账.xlsx"
    support.write_xlsx(xlsx, support.title_of("zs-jrj-2022"), grid)
    xls = support.libreoffice_convert(xlsx, "xls", tmp_path / "old")
    reports = {}
    for source in (doc, wps, renamed, xls):
        got, result = imported(source, fresh_content(tmp_path, f"from-{source.stem}{source.suffix}"), "zs-jrj-2022")
        assert got == want, source.name
        target = ".xlsx" if source.suffix == ".xls" else ".docx"
        assert any(f"已用 LibreOffice 转换为 {target} 后读取" in line for line in result.report)
        reports[source.name] = "\n".join(result.report)
    assert "文件名是 .docx，内容却是 旧版 Word 文件" in reports[renamed.name] and "内容却是" not in reports[wps.name]


def test_without_libreoffice_an_old_file_gets_how_to_convert_it(tmp_path, empty_content, monkeypatch):
    source = tmp_path / "分工方案.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "没有安装 LibreOffice" in result.stderr and "另存为 .docx" in result.stderr
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in result.stderr
    sheet = tmp_path / "台账.et"
    sheet.write_bytes(source.read_bytes())
    assert "另存为 .xlsx" in run_main("import", str(sheet), "--content", str(empty_content)).stderr


def test_a_file_libreoffice_cannot_convert_gets_a_message(tmp_path, libreoffice, empty_content):
    source = tmp_path / "坏文件.odt"  # an OpenDocument package cut short
    source.write_bytes(b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text" + os.urandom(2048))
    result = run_main("import", str(source), "--content", str(empty_content), "--issuer", "中山市金融工作局", "--year", "2022")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "无法用 LibreOffice 转换 坏文件.odt" in result.stderr and "另存为 .docx" in result.stderr
    assert list((empty_content / "plans").iterdir()) == []


# -- whatever the paste or page, a draft or a message ----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from test_import import noisy_table  # noqa: E402


@pytest.mark.long
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=noisy_table(), kind=st.sampled_from(["pipes", "tabs", "lines", "html"]))
def test_any_pasted_table_or_page_gives_a_valid_draft_or_a_message(table, kind):
    """Tables of labels, names, role words, dates, pipes, tabs and noise, pasted into text in
    each layout or written as a web page: a draft that passes the schema, or a message; never
    an internal error."""
    import tempfile
    from pathlib import Path

    from generator import schema

    rows, merges = table
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        content = fresh_content(base, "content")
        if kind == "html":
            source = base / "noise.html"
            width = max(len(row) for row in rows)
            source.write_text(support.portal_page(TITLE, support.html_table(rows[0], rows[1:], [
                (a - 1, b, c - 1, d) for a, b, c, d in merges if a > 0 and (a, b) != (c, d) and d < width]), {}),
                encoding="utf-8")
        else:
            source = base / "noise.txt"
            source.write_text(support.pasted_text(TITLE, rows, kind), encoding="utf-8")
        try:
            result = import_file(source, content, issuer="中山市金融工作局", year=2022)
        except CannotBuild as error:
            assert not str(error).startswith("内部错误"), str(error)
            assert list((content / "plans").iterdir()) == []
            return
        assert schema.check(support.yamlfile.load(result.path, content), "plan") == []
