"""How long `build.py import` takes on a plan table of 100 (or more) measures.

Usage: .venv/bin/python benchmarks/import_speed.py [--measures 100 400] [--runs 5]
Writes a Word file laid out like the shipped 分工方案 tables (a title, a header row repeated at
every page break, section and point cells merged down their rows, units cells merged over
groups, cells broken across lines, a 落实情况 column), imports it into a fresh content folder
with the shipped registry, and prints the time of the whole import (reading, interpreting,
checking against the schema, writing) and of reading the .docx alone, median and max over the
runs. An .xlsx of the same table is timed too. Then `build.py import --report` of a progress
table on that plan, one row per measure, found by its 序号 label, by its text, and by a changed
wording (the closest text, where near-identical measures make every row a close call). Files go
to a temporary folder, removed after.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx
import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import CannotBuild  # noqa: E402
from generator.importer import import_file, read_source  # noqa: E402
from generator.importer.progress_report import import_report  # noqa: E402

HEADER = ["工作\n要求", "工作要点", "计划措施", "落实情况", "责任\n单位"]
UNITS = ["综合科", "金融发展科牵头，各科室按职能落实", "产业金融\n科", "综合科、金融发展科"]
PAGE_ROWS = 12


def rows_for(measures: int) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Rows of cell texts and merges (first row, col, last row, last col); 5 measures a point,
    4 points a section, every other pair of measures sharing one units cell."""
    rows, merges = [], []
    for number in range(measures):
        section, point = divmod(number // 5, 4)
        rows.append([f"{'一二三四五六七八九十'[section % 10]}、第{section + 1}部分的标题",
                     f"（{'一二三四'[point]}）第{point + 1}个要点的标题。",
                     f"{number + 1}.做好第{number + 1}项工作，按要求及时公开有关信息，\n接受社会监督。",
                     f"截至11月30日，第{number + 1}项已按计划推进。",
                     UNITS[number % len(UNITS)]])
    for first in range(0, measures, 20):
        merges.append((first, 0, min(first + 19, measures - 1), 0))
    for first in range(0, measures, 5):
        merges.append((first, 1, min(first + 4, measures - 1), 1))
    for first in range(0, measures, 4):
        merges.append((first, 4, min(first + 1, measures - 1), 4))
    return rows, merges


def pages(count: int) -> list[tuple[int, int]]:
    return [(start, min(start + PAGE_ROWS, count) - 1) for start in range(0, count, PAGE_ROWS)]


def cut(merges, count: int):
    """Merges split at page breaks, as in a document converted from print."""
    return [(max(a, p0), c, min(b, p1), d) for a, c, b, d in merges for p0, p1 in pages(count)
            if max(a, p0) <= min(b, p1) and (min(b, p1) > max(a, p0) or d > c)]


def write_docx(path: Path, measures: int) -> None:
    rows, merges = rows_for(measures)
    document = docx.Document()
    document.add_paragraph("中山市金融工作局2022年政务公开工作要点分工方案")
    page_list = pages(len(rows))
    table = document.add_table(rows=len(rows) + len(page_list), cols=len(HEADER))
    at, where = 0, {}
    for first, last in page_list:
        for c, text in enumerate(HEADER):
            table.cell(at, c).text = text
        at += 1
        for r in range(first, last + 1):
            where[r] = at
            at += 1
    covered = {(r, c) for a, c0, b, c1 in cut(merges, len(rows)) for r in range(a, b + 1)
               for c in range(c0, c1 + 1) if (r, c) != (a, c0)}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) not in covered:
                table.cell(where[r], c).text = text
    for a, c0, b, c1 in cut(merges, len(rows)):
        text = table.cell(where[a], c0).text
        merged = table.cell(where[a], c0).merge(table.cell(where[b], c1))
        merged.text = text
    document.save(str(path))


def write_xlsx(path: Path, measures: int) -> None:
    rows, merges = rows_for(measures)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["中山市金融工作局2022年政务公开工作要点分工方案"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for a, c0, b, c1 in merges:
        if b > a or c1 > c0:
            sheet.merge_cells(start_row=a + 3, start_column=c0 + 1, end_row=b + 3, end_column=c1 + 1)
    workbook.save(str(path))


def timed(action, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, nargs="+", default=[100])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for count in args.measures:
            for suffix, writer in ((".docx", write_docx), (".xlsx", write_xlsx)):
                source = base / f"plan-{count}{suffix}"
                writer(source, count)
                runs: list[int] = [0]

                def whole():
                    runs[0] += 1
                    content = base / f"content-{count}{suffix}-{runs[0]}"
                    (content / "plans").mkdir(parents=True)
                    shutil.copytree(ROOT / "content" / "registry", content / "registry")
                    imported = import_file(source, content)
                    assert imported.measures == count, imported.measures

                whole()  # the first run also imports the libraries: not counted
                total = timed(whole, args.runs)
                reading = timed(lambda: read_source(source), args.runs)
                print(f"{count:5d} 项措施 {suffix:5s} {source.stat().st_size / 1024:7.0f} KB  "
                      f"导入 中位 {statistics.median(total):.3f} s 最长 {max(total):.3f} s；"
                      f"其中读取文件 中位 {statistics.median(reading):.3f} s")
            report_speed(base, count, args.runs)


def report_speed(base: Path, count: int, runs: int) -> None:
    """import --report of a progress table on a plan of `count` measures, by label, text and close text."""
    content = base / f"content-report-{count}"
    (content / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "registry", content / "registry")
    write_docx(base / "plan.docx", count)
    import_file(base / "plan.docx", content, plan_id="plan")
    rows, _ = rows_for(count)
    texts = [row[2].split(".", 1)[1].replace("\n", "") for row in rows]
    for number, (how, cells) in enumerate((("序号", lambda n, text: [str(n), ""]), ("文字", lambda n, text: ["", text]),
                                           ("相近文字", lambda n, text: ["", text.replace("按要求及时", "及时")]))):
        source = base / f"report-{count}-{how}.docx"
        document = docx.Document()
        document.add_paragraph("中山市金融工作局2022年政务公开工作要点落实情况（截至2022年12月31日）")
        grid = [["序号", "计划措施", "落实情况"]] + [[*cells(n, text), f"第{n}项已按计划推进。"] for n, text in
                                                   enumerate(texts, start=1)]
        table = document.add_table(rows=len(grid), cols=3)
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        document.save(str(source))
        made = iter(range(runs + 1))

        def once():
            try:
                import_report(source, content, "plan", report_id=f"report-{number}-{next(made)}")
            except CannotBuild as error:
                if error.kind != "report-nothing-matched":
                    raise  # (every row a close call: nothing to write, the time is what counts)

        once()
        seconds = timed(once, runs)
        print(f"{count:5d} 项措施 进展报告 按{how:4s} 导入 中位 {statistics.median(seconds):.3f} s 最长 {max(seconds):.3f} s")


if __name__ == "__main__":
    main()
