"""Shipped plans written back out as the files editors receive, for the importer's round trip.

Each plan is laid out as its source was: a Word table or an Excel sheet with a header row,
section and point cells merged down their rows, a units cell merged over the measures it
covers (a group, a point, a section), cells broken across lines, the header repeated at page
breaks with the merged cells split there, and prose with inline (牵头处室:X) markers. The files
are made with python-docx and openpyxl, as Word and Excel would store them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_BREAK

from generator import yamlfile

ROOT = Path(__file__).resolve().parent.parent.parent
PLANS = ROOT / "content" / "plans"

# What each column of a shipped plan's table holds, left to right (its `columns` give the words).
LAYOUTS = {
    "zs-2017": ("section", "measure", "units"),
    "zs-jxj-2018": ("section", "point", "measure_cell", "units"),
    "zs-jrj-2022": ("section", "point", "measure", "units"),
    "zs-gxj-2022": ("section", "point", "measure", "status", "units"),
}
TITLES = {"zs-jxj-2018": "中山市经济和信息化局2018年政务公开工作要点分工方案"}
ISSUERS = {"zs-2017": "中山市人民政府办公室"}  # its title does not start with the issuer's name


@dataclass
class Grid:
    """A table as rows of cell texts; `merges` are (first row, first col, last row, last col)."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)  # data rows after which the header repeats


def plan_data(plan_id: str) -> dict:
    return yamlfile.load(PLANS / f"{plan_id}.yaml").data


def units_text(responsibility: dict | None) -> str:
    """The cell as the document printed it: the words as written, else the names with 、."""
    if not responsibility:
        return ""
    if responsibility.get("as_written"):
        return responsibility["as_written"]
    names = []
    for role in ("listed", "lead", "each_lead", "support", "implement", "follow", "compile"):
        value = responsibility.get(role)
        for name in [value] if isinstance(value, (str, dict)) else value or []:
            names.append(name["name"] if isinstance(name, dict) else name)
    return "、".join(names)


def broken(text: str, every: int) -> str:
    """A line break inside the text every `every` characters, only between two Chinese
    characters and never before something that reads as a label (1. 2、 （一）)."""
    if every <= 0 or len(text) <= every:
        return text
    out, count = [], 0
    for index, character in enumerate(text):
        out.append(character)
        count += 1
        following = text[index + 1:index + 4]
        if (count >= every and index + 1 < len(text) and _cjk(character) and _cjk(text[index + 1])
                and not re.match(r"[0-9一二三四五六七八九十（(]", following)):
            out.append("\n")
            count = 0
    return "".join(out)


def _cjk(character: str) -> bool:
    return "\u4e00" <= character <= "\u9fff"


def table_grid(plan_id: str, page_rows: int = 0, break_every: int = 0) -> Grid:
    data = plan_data(plan_id)
    layout = LAYOUTS[plan_id]
    grid = Grid(header=[broken(h, 2) if len(h) == 4 else h for h in data["columns"]])
    col = {kind: layout.index(kind) for kind in layout}
    for section in data["sections"]:
        section_first = len(grid.rows)
        section_cell = section["label"] + section.get("title", "")
        if "points" in section:
            for point in section["points"]:
                point_first = len(grid.rows)
                point_cell = point.get("label", "") + point.get("title", "")
                _measure_rows(grid, layout, point["measures"], plan_id, break_every)
                if "point" in col:
                    for row in grid.rows[point_first:]:
                        row[col["point"]] = point_cell
                    _merge_down(grid, point_first, col["point"])
                _units_over(grid, point_first, col, point.get("responsibility") or section.get("responsibility"))
        else:
            _measure_rows(grid, layout, section["measures"], plan_id, break_every)
            if "point" in col:  # no points: the section cell spans the point column too
                for row in grid.rows[section_first:]:
                    row[col["point"]] = section_cell
            _units_over(grid, section_first, col, section.get("responsibility"))
        for row in grid.rows[section_first:]:
            row[col["section"]] = section_cell
        _merge_down(grid, section_first, col["section"], width=2 if "point" in col and "points" not in section else 1)
    if page_rows:
        grid.header_rows = list(range(page_rows, len(grid.rows), page_rows))
    return grid


def _measure_rows(grid: Grid, layout, items: list, plan_id: str, break_every: int) -> None:
    width = len(layout)
    col = {kind: layout.index(kind) for kind in layout}
    if "measure_cell" in col:  # zs-jxj: one row per point, its numbered measures in one cell
        measures = [m for item in items for m in (item["measures"] if "group" in item else [item])]
        text = "\n".join(m.get("label", "") + m["text"] for m in measures)
        row = [""] * width
        row[col["measure_cell"]] = text
        grid.rows.append(row)
        return
    for item in items:
        first = len(grid.rows)
        for measure in item["measures"] if "group" in item else [item]:
            row = [""] * width
            text = measure.get("text") or "".join(part["text"] for part in measure["parts"])
            row[col["measure"]] = broken(measure.get("label", "") + text, break_every) if "\n" not in text else (
                measure.get("label", "") + text)
            if "status" in col and measure.get("status"):
                status = measure["status"]
                row[col["status"]] = status if isinstance(status, str) else status["text"]
            if measure.get("responsibility"):
                row[col["units"]] = broken(units_text(measure["responsibility"]), 7)
                grid.merges.append((len(grid.rows), col["units"], len(grid.rows), col["units"]))
            grid.rows.append(row)
        if "group" in item:
            grid.rows[first][col["units"]] = broken(units_text(item["group"]), 7)
            grid.merges.append((first, col["units"], len(grid.rows) - 1, col["units"]))


def _units_over(grid: Grid, first: int, col: dict, responsibility: dict | None) -> None:
    """A point's or section's responsibility: one units cell merged over its rows without one."""
    if not responsibility:
        return
    free = [r for r in range(first, len(grid.rows)) if not any(
        m[0] <= r <= m[2] and m[1] == col["units"] for m in grid.merges)]
    if free:
        grid.rows[free[0]][col["units"]] = broken(units_text(responsibility), 7)
        grid.merges.append((free[0], col["units"], free[-1], col["units"]))


def _merge_down(grid: Grid, first: int, column: int, width: int = 1) -> None:
    grid.merges.append((first, column, len(grid.rows) - 1, column + width - 1))


def _pieces(grid: Grid) -> list[tuple[int, int]]:
    """Data rows split at page breaks: (first, last) of each page."""
    starts = [0] + grid.header_rows
    ends = grid.header_rows + [len(grid.rows)]
    return [(a, b - 1) for a, b in zip(starts, ends) if b > a]


def _split_merges(grid: Grid) -> list[tuple[int, int, int, int]]:
    """Merged cells cut at each page break, as a document converted from print has them."""
    out = []
    for first, col, last, col_end in grid.merges:
        for page_first, page_last in _pieces(grid):
            a, b = max(first, page_first), min(last, page_last)
            if a <= b:
                out.append((a, col, b, col_end))
    return out


def write_docx(path: Path, title: str, grid: Grid, split_tables: bool = False,
               before: list[str] = (), after: list[str] = ()) -> None:
    """The table in Word: a title paragraph, the header, rows with merged cells; at each page
    break the header again, either as a row of the same table or (split_tables) as the first
    row of a new table after a page-break paragraph, as a document converted from PDF has it."""
    document = docx.Document()
    document.add_paragraph(title)
    for text in before:
        document.add_paragraph(text)
    merges = _split_merges(grid)
    pages = _pieces(grid)
    tables = [pages] if not split_tables else [[page] for page in pages]
    for number, table_pages in enumerate(tables):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        rows_in = sum(last - first + 2 for first, last in table_pages)
        table = document.add_table(rows=rows_in, cols=len(grid.header))
        table.style = "Table Grid"
        at = 0
        where: dict[int, int] = {}
        for first, last in table_pages:
            _fill(table.rows[at].cells, grid.header)
            at += 1
            for r in range(first, last + 1):
                where[r] = at
                at += 1
        for r, at in where.items():
            _fill(table.rows[at].cells, grid.rows[r], skip={c for m in merges for c in range(m[1], m[3] + 1)
                                                            if m[0] < r <= m[2] or (m[0] == r and c > m[1])})
        for first, col, last, col_end in merges:
            if first in where and last in where and (last > first or col_end > col):
                top = table.cell(where[first], col)
                text = top.text
                merged = top.merge(table.cell(where[last], col_end))
                _set(merged, text)
    for text in after:
        document.add_paragraph(text)
    document.core_properties.title = ""
    document.save(str(path))


def _fill(cells, texts: list[str], skip: set[int] = frozenset()) -> None:
    for index, text in enumerate(texts):
        if index not in skip and text:
            _set(cells[index], text)


def _set(cell, text: str) -> None:
    """Lines of a cell as Word stores them: the first as the paragraph, the next after breaks."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run = paragraph.add_run(line)


def write_xlsx(path: Path, title: str, grid: Grid) -> None:
    """The table as a 台账 sheet: a title row merged across, the header, merged ranges, line
    breaks inside cells (wrap text), the header repeated at page breaks."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "分工方案"
    width = len(grid.header)
    sheet.cell(row=1, column=1, value=title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    row_of: dict[int, int] = {}
    at = 2
    for first, last in _pieces(grid):
        for index, text in enumerate(grid.header):
            sheet.cell(row=at, column=index + 1, value=text)
        at += 1
        for r in range(first, last + 1):
            row_of[r] = at
            for index, text in enumerate(grid.rows[r]):
                if text:
                    sheet.cell(row=at, column=index + 1, value=text)
            at += 1
    for first, col, last, col_end in _split_merges(grid):
        if last > first or col_end > col:
            sheet.merge_cells(start_row=row_of[first], start_column=col + 1, end_row=row_of[last], end_column=col_end + 1)
    workbook.save(str(path))


def prose_lines(plan_id: str) -> tuple[str, list[str]]:
    """A prose plan (cz-jxw-2018) as its paragraphs: title, preamble, sections, measures with
    their markers, closing."""
    data = plan_data(plan_id)
    lines = [p for p in data.get("preamble", "").split("\n\n") if p]
    for section in data["sections"]:
        lines.append(section["label"] + section.get("title", ""))
        if section.get("body"):
            lines += [p.removeprefix("### ") for p in section["body"].split("\n\n") if p]
        for point in section.get("points", []):
            lines.append(point["label"] + point.get("title", ""))
            for measure in point["measures"]:
                text = measure.get("text") or "".join(part["text"] for part in measure["parts"])
                lines.append(measure["label"] + text)
    if data.get("closing"):
        lines.append(data["closing"])
    return data["title"], lines


def write_prose_docx(path: Path, title: str, lines: list[str]) -> None:
    document = docx.Document()
    document.add_paragraph(title)
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def write_prose_xlsx(path: Path, title: str, lines: list[str]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for index, line in enumerate([title, *lines], start=1):
        sheet.cell(row=index, column=1, value=line)
    workbook.save(str(path))


def title_of(plan_id: str) -> str:
    return TITLES.get(plan_id) or plan_data(plan_id)["title"]


# -- the example plans of docs/editing.md, one per pattern --------------------------------------

EXAMPLES = ROOT / "docs" / "examples"
ROLE_WORDS_OF = {"lead": "牵头", "each_lead": "分别牵头", "support": "配合", "implement": "落实",
                 "follow": "参照落实", "compile": "汇总"}


def _names_of(value) -> list[str]:
    return [n["name"] if isinstance(n, dict) else n for n in ([value] if isinstance(value, (str, dict)) else value or [])]


def cell_for(responsibility: dict | None, role_words: dict) -> str:
    """A units cell for an example: the words as written, the names alone when they all lead,
    else each role's names followed by its word (办公室牵头，区财政局配合)."""
    if not responsibility:
        return ""
    if responsibility.get("as_written"):
        return responsibility["as_written"]
    roles = [role for role in ROLE_WORDS_OF if role in responsibility]
    if roles in (["lead"], []) or "listed" in responsibility:
        return "、".join(_names_of(responsibility.get("listed")) + _names_of(responsibility.get("lead")))
    words = {**ROLE_WORDS_OF, **role_words, **responsibility.get("words", {})}
    return "，".join("、".join(_names_of(responsibility[role])) + words[role] for role in roles)


def is_prose(data: dict) -> bool:
    return any("parts" in m or "（责任单位" in m.get("text", "") for s in data["sections"] for m in s.get("measures", []))


def example_rows(data: dict) -> tuple[list[str], list[list[str]], list[tuple[int, int, int, int]]]:
    """An example plan as a table: its own columns (or 序号, 工作任务, 责任单位 and what it needs),
    a full-width heading row per section, tasks and groups as merged cells."""
    measures = [m for s in data["sections"] for item in s["measures"]
                for m in (item["measures"] if "task" in item or "group" in item else [item])]
    header = list(data.get("columns") or ["序号", "工作任务", "责任单位"]
                  + (["完成时限"] if any("deadline" in m for m in measures) else [])
                  + (["落实情况"] if any("status" in m for m in measures) else []))
    kinds = [_column_kind(heading, header) for heading in header]
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    role_words = data.get("role_words", {})
    for section in data["sections"]:
        rows.append([section["label"] + section.get("title", "")] * len(header))
        merges.append((len(rows) - 1, 0, len(rows) - 1, len(header) - 1))
        for item in section["measures"]:
            first = len(rows)
            inner = item["measures"] if "task" in item or "group" in item else [item]
            for measure in inner:
                rows.append([_value(kind, measure, item, role_words) for kind in kinds])
            if "task" in item and "task" in kinds:
                merges.append((first, kinds.index("task"), len(rows) - 1, kinds.index("task")))
            shared = item.get("group") or (item.get("responsibility") if "task" in item else None)
            if shared and "units" in kinds:
                free = [r for r, m in zip(range(first, len(rows)), inner) if not m.get("responsibility")]
                rows[free[0]][kinds.index("units")] = cell_for(shared, role_words)
                merges.append((free[0], kinds.index("units"), free[-1], kinds.index("units")))
    return header, rows, merges


def _column_kind(heading: str, header: list[str]) -> str:
    if heading == "序号":
        return "label"
    if heading == "工作任务" and "具体措施" in header:
        return "task"
    if heading in ("工作任务", "具体措施"):
        return "text"
    if heading.startswith("协办"):
        return "support"
    if heading.startswith("主办"):
        return "lead"
    return {"完成时限": "deadline", "完成情况": "state", "落实情况": "status", "备注": "remarks"}.get(heading, "units")


def _value(kind: str, measure: dict, item: dict, role_words: dict) -> str:
    status = measure.get("status")
    status = {"text": status} if isinstance(status, str) else status or {}
    deadline = measure.get("deadline")
    responsibility = measure.get("responsibility") or {}
    return {
        "label": measure.get("label", ""),
        "task": item.get("task", ""),
        "text": measure["text"],
        "units": cell_for(measure.get("responsibility"), role_words),
        "lead": "、".join(_names_of(responsibility.get("lead"))),
        "support": "、".join(_names_of(responsibility.get("support"))),
        "deadline": deadline if isinstance(deadline, str) else (deadline or {}).get("text", ""),
        "state": status.get("state", ""),
        "status": status.get("text", ""),
        "remarks": measure.get("remarks", ""),
    }[kind]


def example_prose(data: dict) -> list[str]:
    lines = [data["title"], *[p for p in data.get("preamble", "").split("\n\n") if p]]
    for section in data["sections"]:
        lines.append(section["label"] + section.get("title", ""))
        for measure in section["measures"]:
            lines.append(measure["label"] + (measure.get("text") or "".join(p["text"] for p in measure["parts"])))
    return lines


# -- the same tables as other sources: pasted into text, as a web page ---------------------------

def pasted_rows(grid: Grid) -> list[list[str]]:
    """The header and rows as copying the table shows them: a merged cell's text in its first
    row and column, the positions it covers below or beside empty."""
    rows = [list(grid.header)] + [list(row) for row in grid.rows]
    for first, col, last, col_end in grid.merges:
        for r in range(first, last + 1):
            for c in range(col, col_end + 1):
                if (r, c) != (first, col):
                    rows[r + 1][c] = ""
    return rows


def pasted_text(title: str, rows: list[list[str]], layout: str, before=(), after=()) -> str:
    """A table pasted into text: `pipes` (| a | b |, a |---| rule under the header, a line break
    in a cell kept as a line break), `tabs` (as Excel copies: a cell with line breaks in double
    quotes) or `lines` (one cell per line, as a web table copies)."""
    out = [title, *before]
    for index, row in enumerate(rows):
        if layout == "pipes":
            out.append("| " + " | ".join(row) + " |")
            if index == 0:
                out.append("|" + "---|" * len(row))
        elif layout == "tabs":
            out.append("\t".join(f'"{cell}"' if "\n" in cell else cell for cell in row))
        else:
            out += row[:1] if not any(row[1:]) else row
    return "\n".join([*out, *after]) + "\n"


def html_table(header: list[str], rows: list[list[str]], merges) -> str:
    """The table as a web page has it: merged cells as rowspan and colspan, the lines of a cell
    separated by <br> (or each in its own <p>, every other row), text escaped."""
    import html

    spans, covered = {}, set()
    for first, col, last, col_end in merges:
        spans[(first, col)] = (last - first + 1, col_end - col + 1)
        covered |= {(r, c) for r in range(first, last + 1) for c in range(col, col_end + 1)} - {(first, col)}
    out = ['<table border="1" cellspacing="0" class="MsoTableGrid">', "<tr>" + "".join(
        f"<th>{html.escape(text).replace(chr(10), '<br>')}</th>" for text in header) + "</tr>"]
    for r, row in enumerate(rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            down, across = spans.get((r, c), (1, 1))
            attributes = (f' rowspan="{down}"' if down > 1 else "") + (f' colspan="{across}"' if across > 1 else "")
            lines = [html.escape(line) for line in text.split("\n")]
            inner = "".join(f"<p>{line}</p>" for line in lines) if r % 2 and len(lines) > 1 else "<br/>\n".join(lines)
            cells.append(f"<td{attributes}>{inner}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out + ["</table>"])


PORTAL_METADATA = {"索引号": "007239180/2022-00015", "发布机构": "中山市金融工作局", "成文日期": "2022-03-10",
                   "文号": "中金融〔2022〕5号", "发布日期": "2022年03月15日", "主题分类": "综合政务",
                   "体裁分类": "计划", "有效性": "有效"}


def portal_page(title: str, table: str, metadata: dict[str, str], before=(), after=(), charset: str = "utf-8") -> str:
    """A government portal's page as a browser saves it: scripts and styles, a menu, a layout
    table around the article, the 政府信息公开 metadata table, the title, the plan's paragraphs
    and table, print links and a footer."""
    import html

    pairs = list(metadata.items())
    meta_rows = "".join(
        "<tr>" + "".join(f'<td class="label">{label}：</td><td>{html.escape(value)}</td>' for label, value in pairs[i:i + 2])
        + "</tr>" for i in range(0, len(pairs), 2))
    paragraphs = lambda texts: "".join(f"<p style=\"text-indent:2em\">{html.escape(t)}</p>" for t in texts)  # noqa: E731
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_中山市人民政府门户网站</title>
<style>td {{ font-size: 14px }}</style>
<script>var menu = "<table><tr><td>首页</td><td>政务公开</td></tr><tr><td>a</td><td>b</td></tr></table>";</script>
</head><body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/gzjh/">工作计划</a></li></ul></div>
<table width="100%"><tr>
<td class="side"><ul><li><a href="/a">通知公告</a></li><li><a href="/b">计划总结</a></li></ul></td>
<td>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 计划总结</div>
<table class="xxgk-info"><tr><td>名称：</td><td colspan="3">{html.escape(title)}</td></tr>{meta_rows}</table>
<h1 class="article-title">{html.escape(title)}</h1>
<div class="info">发布时间：2022-03-15 10:20 来源：本网 浏览次数：<span id="hits">128</span></div>
<div id="zoom">{paragraphs(before)}
{table}
{paragraphs(after)}</div>
<div class="print">【打印】【关闭】</div>
</td></tr></table>
<div class="footer"><p><a href="/map">网站地图</a> | <a href="/contact">联系我们</a></p>
<p>版权所有：中山市人民政府 粤ICP备05000000号 网站标识码：4420000000</p></div>
<script>document.getElementById("hits").innerText = "129";</script>
</body></html>
"""


def libreoffice_convert(source: Path, target: str, folder: Path) -> Path:
    """`source` converted by LibreOffice (`pdf`, `doc` …) into `folder`, with a profile of its own."""
    import shutil
    import subprocess

    program = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (folder / "libreoffice-profile").as_uri()
    subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", target,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{target.split(':')[0]}"


def require_libreoffice() -> None:
    """Skip (locally) or fail (under CI=true) when LibreOffice is missing."""
    import shutil

    from support.browser import require

    require(bool(shutil.which("soffice") or shutil.which("libreoffice")), "LibreOffice",
            "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")


def with_page_footer(path: Path, text: str) -> None:
    """A footer on every page of the Word file: `text` and the page number (a PAGE field)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document(str(path))
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = text + " "
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    document.save(str(path))


def mime_archive(page: str, encoding: str = "gb18030") -> bytes:
    """A page saved as one file (.mht), as Chromium writes it: a MIME message whose HTML part
    is quoted-printable, in the page's own encoding, with no charset of its own."""
    import quopri

    boundary = "----MultipartBoundary--zwgk"
    head = (f"From: <Saved by Blink>\r\nSubject: saved page\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nContent-Location: http://www.zs.gov.cn/zwgk/plan.html\r\n\r\n")
    body = quopri.encodestring(page.encode(encoding)).replace(b"\n", b"\r\n")
    return head.encode("ascii") + body + f"\r\n--{boundary}--\r\n".encode("ascii")
