"""The places an import asks the editor to look at (findings), and their kinds, worst first.

A finding belongs to a field of a node of the draft (a measure's responsibility, a section's
title), so the writer can put its `# 待核` comment right above that field and tell the line.
Every finding has one kind. The report groups by kind — a count, the first few places, the
worst kinds first — so a 5,000-row sheet with one misspelt unit says so in three lines instead of
four hundred. The kind's tag is written in each `# 待核` comment of the draft too, so the preview's
/__serve__/imports page can group what is left without anything kept beside the draft.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Finding:
    """One place that needs the editor's eye."""

    field: str  # the key the finding is about (responsibility, deadline, text …); "" = the item
    message: str  # Chinese, with a short English gloss in brackets
    source: str = ""  # where in the source file: 表1第7行, 第12行
    kind: str = "structure"  # what sort of place it is (KINDS): the report groups by it


@dataclass(frozen=True)
class Kind:
    tag: str  # as the draft's comment and the report name it
    severity: int  # 0: text may be lost or wrong; 1: the draft's shape; 2: names and roles; 3: details
    advice: str  # what to do, in one line


KINDS = {
    "not-placed": Kind("原文未放入", 0, "这些原文不在草稿的任何字段中：逐条对照原文，放到应在的位置"),
    "no-measures": Kind("没有措施", 0, "草稿中没有读出任何措施：检查原文的版式，必要时手工录入"),
    "suspect-measure": Kind("措施可疑", 0, "措施文字为空、只有编号或只有单位名称：很可能读错了栏，对照原文改正"),
    # A progress report (build.py import --report): rows of the table against the plan's measures.
    "report-unmatched": Kind("未对应措施", 0, "这一行对应不到计划中的任何措施，原文记在编者说明中：查明是哪条措施，"
                                         "在 measures 中补上一项后删去说明"),
    "report-ambiguous": Kind("对应两条措施", 0, "这一行可以对应不止一条措施，原文记在编者说明中：确定是哪一条，"
                                           "在 measures 中补上一项后删去说明"),
    "report-as-of": Kind("截至日期", 1, "截至日期是按“上半年”“年度”等字样推定的：按报告核对 as_of，逾期按它计算"),
    "report-match": Kind("对应待核", 1, "按相近的文字或按编号对应到措施，或几行记在同一项中：核对对应的措施"),
    "report-prose": Kind("表外文字", 1, "报告表格以外的段落记在编者说明中：有用的话移到相应措施的落实情况，否则删去"),
    "unplaced": Kind("原文待归位", 1, "不符合任何模式的原文已记在编者说明（editor_notes）中：移到应在的位置后删去"),
    "file": Kind("文件", 1, "读取文件时的情况：确认导入的是要导入的表格或正文"),
    "structure": Kind("结构", 1, "部分、要点、任务或措施的归属可能不对：对照原文的层级"),
    "split": Kind("拆分", 1, "一格中的几项被拆成了几条措施：如果原文是一条，请合并"),
    "unknown-unit": Kind("单位未登记", 2, "登记册中找不到的名称：改正笔误，或在 content/registry/ 中登记这个单位"),
    "ambiguous-unit": Kind("单位有歧义", 2, "多个单位用这个名称：写成 {name: …, unit: <id>} 指明是哪一个"),
    "outside-scope": Kind("范围外单位", 2, "发布机构不能直接称呼的单位：核对导入时选定的单位"),
    "no-unit": Kind("没有责任单位", 2, "这一行没有读出责任单位：对照原文补上"),
    "role": Kind("角色", 2, "角色用词不明确：核对牵头、配合等角色"),
    "report-unit": Kind("报告单位", 2, "报告中的单位与计划中这条措施的单位不符，或不是分别负责的措施按单位分行报告：核对单位"),
    "deadline": Kind("时限", 3, "完成时限只保留了原文：能读出日期的话补上 date、recurring 或 after"),
    "status": Kind("落实情况", 3, "落实情况的归属需要核对"),
    "report-state": Kind("状态", 3, "状态（state）是从落实情况的文字读出的，或完成情况栏的用词读不出状态：核对 state"),
    "title": Kind("标题", 3, "标题或文件类型是推定的：按原文改正"),
    "metadata": Kind("公开信息", 3, "网页上的文号、日期、有效性等不合字段的格式，记在编者说明中：按格式填入字段后删去说明"),
    "layout": Kind("版面文字", 3, "页码、表头等版面文字没有导入：确认其中没有计划的内容"),
}


def cut(text: str, limit: int = 40) -> str:
    """A value as a finding quotes it: a 100,000-character cell is not a name to repeat in full."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 字）"
