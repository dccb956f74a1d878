"""Plan tables and prose laid out as other bodies publish them, written as the files editors get.

Each fixture is described, not copied: a grid of cell texts where `^` marks a cell merged with
the one above and `<` one merged with the one to its left (a heading spanning two columns, a
section cell spanning the point column), written to .docx with python-docx and to .xlsx with
openpyxl as Word and Excel store merged cells. The bodies are invented (江北县, 南岭市, 东陵省):
their registry is `REGISTRY`, so every name a fixture uses resolves as it would for a body
that registered itself before importing.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from . import importing

ABOVE, LEFT = "^", "<"

REGISTRY = """\
# yaml-language-server: $schema=../../schema/registry.schema.json
# Invented bodies for the importer's layout fixtures (tests/support/layouts.py).
units:
  - id: jb
    name: 江北县人民政府
    kind: government
    aliases: [县政府]
    children:
      - {id: jb-zfb, name: 江北县人民政府办公室, kind: department, aliases: [县政府办公室, 县政府办]}
      - {id: jb-czj, name: 江北县财政局, kind: department, aliases: [县财政局]}
      - {id: jb-sfj, name: 江北县司法局, kind: department, aliases: [县司法局]}
      - id: jb-wjj
        name: 江北县卫生健康局
        kind: department
        aliases: [县卫生健康局, 县卫健局]
        children:
          - {name: 办公室, kind: section}
          - {name: 医政医管股, kind: section}
          - {name: 疾病预防控制股, kind: section}
          - {name: 规划信息股, kind: section, aliases: [爱卫办]}
          - {name: 宣传股, kind: section}
          - {name: 局防控办, kind: section}
  - id: nl
    name: 南岭市人民政府
    kind: government
    aliases: [市政府]
    children:
      - {id: nl-zfb, name: 南岭市人民政府办公室, kind: department, aliases: [市政府办公室]}
      - {id: nl-fgw, name: 南岭市发展和改革委员会, kind: department, aliases: [市发展改革委, 市发改委]}
      - {id: nl-czj, name: 南岭市财政局, kind: department, aliases: [市财政局]}
      - {id: nl-ghj, name: 南岭市规划和国土资源管理委员会, kind: department, aliases: [市规划国土委]}
      - {id: nl-rsj, name: 南岭市人力资源和社会保障局, kind: department, aliases: [市人力社保局]}
      - {id: nl-zjw, name: 南岭市住房和城乡建设委员会, kind: department, aliases: [市住房城乡建委]}
      - {id: nl-jyw, name: 南岭市教育委员会, kind: department, aliases: [市教委]}
      - {id: nl-mzj, name: 南岭市民政局, kind: department, aliases: [市民政局]}
  - id: dl
    name: 东陵省人民政府
    kind: government
    children:
      - id: dl-tzw
        name: 东陵省投资促进委员会
        kind: department
        aliases: [省投资促进委]
        children:
          - {name: 办公室, kind: section}
          - {name: 政策法规处, kind: section}
          - {name: 宣传处, kind: section}
          - {name: 综合协调处, kind: section}
          - {name: 项目服务处, kind: section}
          - {name: 机关党委, kind: section}
"""

COLLECTIVES = """\
# yaml-language-server: $schema=../../schema/registry.schema.json
collectives:
  - 各科室
  - 各股室
  - 各处室
  - 各工作组
  - 各相关股室
  - 各区县人民政府
  - 市级各部门
"""


def write_registry(content: Path) -> None:
    """A content folder that knows the invented bodies (and nothing else)."""
    (content / "registry").mkdir(parents=True, exist_ok=True)
    (content / "plans").mkdir(parents=True, exist_ok=True)
    (content / "registry" / "bodies.yaml").write_text(REGISTRY, encoding="utf-8")
    (content / "registry" / "collectives.yaml").write_text(COLLECTIVES, encoding="utf-8")


def merges_of(grid: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) of each merged cell the markers describe."""
    found = []
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text in (ABOVE, LEFT):
                continue
            width = 1
            while c + width < len(row) and row[c + width] == LEFT:
                width += 1
            height = 1
            while r + height < len(grid) and grid[r + height][c] == ABOVE:
                height += 1
            if width > 1 or height > 1:
                found.append((r, c, r + height - 1, c + width - 1))
    return found


def write_docx(path: Path, grid: list[list[str]], before=(), after=()) -> None:
    """Paragraphs `before`, the grid as one Word table with its merges, paragraphs `after`."""
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=len(grid), cols=max(len(row) for row in grid))
    table.style = "Table Grid"
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text and text not in (ABOVE, LEFT):
                importing._set(table.cell(r, c), text)
    for first, col, last, col_end in merges_of(grid):
        top = table.cell(first, col)
        text = top.text
        importing._set(top.merge(table.cell(last, col_end)), text)
    for text in after:
        document.add_paragraph(text)
    document.core_properties.title = ""
    document.save(str(path))


def write_xlsx(path: Path, grid: list[list[str]], before=()) -> None:
    """Rows `before` (a title), then the grid, merged ranges as Excel keeps them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    width = max(len(row) for row in grid)
    for r, text in enumerate(before, start=1):
        sheet.cell(row=r, column=1, value=text)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    offset = len(before)
    for r, row in enumerate(grid, start=1 + offset):
        for c, text in enumerate(row, start=1):
            if text and text not in (ABOVE, LEFT):
                sheet.cell(row=r, column=c, value=text)
    for first, col, last, col_end in merges_of(grid):
        sheet.merge_cells(start_row=first + 1 + offset, start_column=col + 1,
                          end_row=last + 1 + offset, end_column=col_end + 1)
    workbook.save(str(path))


def write_prose_docx(path: Path, lines: list[str]) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
