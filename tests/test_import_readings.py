"""The importer's readings of single cells and lines, one table each: serial numbers (labels),
完成时限 (deadlines) and responsibility cells (roles). Every row is something a plan document
prints, with what the draft must make of it; a new layout met in a real file is a new row.
"""

from __future__ import annotations

import pytest

from generator.content import load_registry
from generator.importer.deadlines import deadline_in_text, read_deadline
from generator.importer.labels import join_lines, number_of, numbered_lines, split_label
from generator.importer.names import Names
from generator.importer.roles import ColumnRole, read_cell
from support import layouts


def ids(table: list[tuple]) -> list[str]:
    return [repr(row[0]).strip("'") for row in table]


# -- labels -------------------------------------------------------------------------------------

LABELS = [
    # (the line as printed, the level read, the label kept as printed, the text after it)
    ("一、总体要求", "section", "一、", "总体要求"),
    ("一、 总体要求", "section", "一、", "总体要求"),
    ("十一、加强平台建设", "section", "十一、", "加强平台建设"),
    ("二十、其他事项", "section", "二十、", "其他事项"),
    ("二、", "section", "二、", ""),
    ("（一）推进决策公开", "point", "（一）", "推进决策公开"),
    ("(一)推进决策公开", "point", "(一)", "推进决策公开"),
    ("（二）、深化执行公开", "point", "（二）、", "深化执行公开"),
    ("（三）", "point", "（三）", ""),
    ("1.规范公开目录", "measure", "1.", "规范公开目录"),
    ("1、规范公开目录", "measure", "1、", "规范公开目录"),
    ("1．规范公开目录", "measure", "1．", "规范公开目录"),
    ("１．规范公开目录", "measure", "１．", "规范公开目录"),
    ("12. 做好政策解读", "measure", "12.", "做好政策解读"),
    ("（1）梳理公开清单", "item", "（1）", "梳理公开清单"),
    ("(2)梳理公开清单", "item", "(2)", "梳理公开清单"),
    ("①梳理公开清单", "item", "①", "梳理公开清单"),
    ("⑴梳理公开清单", "item", "⑴", "梳理公开清单"),
    # Numbers that start a sentence are no label.
    ("1.5亿元专项资金按时拨付", "", "", "1.5亿元专项资金按时拨付"),
    ("2022年底前完成", "", "", "2022年底前完成"),
    ("1.", "", "", "1."),
    ("一是推进决策公开", "", "", "一是推进决策公开"),
    ("第一条 总则", "", "", "第一条 总则"),
    ("A.公开目录", "", "", "A.公开目录"),
]


@pytest.mark.parametrize("line, kind, label, text", LABELS, ids=ids(LABELS))
def test_labels_as_plans_print_them(line, kind, label, text):
    found = split_label(line)
    assert (found.kind, found.label, found.text) == (kind, label, text)


NUMBERS = [
    # (a label, the number it counts as: a run of items is 1, 2, 3 …)
    ("一、", 1), ("十、", 10), ("十一、", 11), ("二十、", 20), ("二十三、", 23), ("（十二）", 12),
    ("1.", 1), ("１２．", 12), ("（3）", 3), ("(4)", 4), ("①", 1), ("⑳", 20), ("⑴", 1), ("⒇", 20),
]


@pytest.mark.parametrize("label, number", NUMBERS, ids=ids(NUMBERS))
def test_label_numbers(label, number):
    assert number_of(label) == number


CELL_LINES = [
    # (a cell with its line breaks, the text the draft keeps, the items it is a numbered list of)
    ("产业政策与法制\n科牵头", "产业政策与法制科牵头", []),
    ("2022年\n6月底前", "2022年6月底前", []),
    ("Open\nGovernment", "Open Government", []),
    ("规范公开目录\n2.推进平台建设", "规范公开目录\n2.推进平台建设", []),
    ("1.公开目录\n2.推进平台\n3.落实责任", "1.公开目录\n2.推进平台\n3.落实责任", ["1.公开目录", "2.推进平台", "3.落实责任"]),
    ("1.公开目录\n3.推进平台", "1.公开目录\n3.推进平台", []),
    ("（一）公开目录\n（二）推进平台", "（一）公开目录\n（二）推进平台", []),
]


@pytest.mark.parametrize("cell, joined, items", CELL_LINES, ids=ids(CELL_LINES))
def test_line_breaks_in_a_cell(cell, joined, items):
    assert (join_lines(cell), numbered_lines(cell)) == (joined, items)


# -- deadlines ----------------------------------------------------------------------------------

def shown(deadline) -> str:
    """A deadline as one line of the table below: what the draft's deadline fields hold."""
    parts = [f"date:{deadline.date}"] if deadline.date else []
    parts += [f"step:{date}:{text}" for date, text in deadline.milestones]
    if deadline.recurring:
        parts.append(f"every:{deadline.recurring.every}:{deadline.recurring.by}")
    if deadline.after:
        parts.append(f"after:{deadline.after.event}:{deadline.after.within}:{deadline.after.unit}")
    return " ".join(parts)


DEADLINES = [
    # (the 完成时限 cell of a 2022 plan, what it is read as, whether it is understood: a deadline
    # with a number none of the shapes explains is reported, its words kept, never half-read)
    ("2022年6月底前", "date:2022-06", True),
    ("6月底前", "date:2022-06", True),
    ("6月前", "date:2022-06", True),
    ("9月中旬", "date:2022-09", True),
    ("2023年3月", "date:2023-03", True),
    ("年底前", "date:2022", True),
    ("年内", "date:2022", True),
    ("全年", "date:2022", True),
    ("2022年", "date:2022", True),
    ("2022年12月31日前", "date:2022-12-31", True),
    ("2022年12月31日", "date:2022-12-31", True),
    ("6月底前。", "date:2022-06", True),
    ("２０２２年６月底前", "date:2022-06", True),
    ("2022-06-30", "date:2022-06-30", True),
    ("2022/6/30", "date:2022-06-30", True),
    ("2022.6.30", "date:2022-06-30", True),
    ("每季度末", "every:quarter:end", True),
    ("每月10日前", "every:month:10", True),
    ("每半年", "every:half_year:None", True),
    ("每年", "every:year:None", True),
    ("每周", "every:week:None", True),
    ("印发后10个工作日内", "after:印发:10:working_days", True),
    ("收到申请之日起15日内", "after:收到申请之日:15:days", True),
    ("自作出决定之日起7个工作日内", "after:作出决定之日:7:working_days", True),
    ("文件印发后□个工作日内", "after:文件印发:None:working_days", True),
    ("2023年6月前完成系统选型，2023年10月底前上线运行", "step:2023-06:完成系统选型 step:2023-10:上线运行", True),
    ("长期坚持", "", True),
    ("持续推进", "", True),
    ("及时公开", "", True),
    ("2022年2月30日前", "", False),
    ("13月底前", "", False),
    ("2022年上半年", "", False),
    ("第三季度", "", False),
    ("年底前完成，长期坚持", "", False),
]


@pytest.mark.parametrize("cell, read, understood", DEADLINES, ids=ids(DEADLINES))
def test_deadline_cells(cell, read, understood):
    deadline, was_understood = read_deadline(cell, 2022)
    assert (shown(deadline), was_understood) == (read, understood)
    assert deadline.text == cell  # the document's words are always kept


DEADLINES_IN_PROSE = [
    # (a measure written as prose in a 2020 plan, the deadline it states, or "" for none read)
    ("在2020年9月30日前完成平台建设", "2020年9月30日前 date:2020-09-30"),
    ("6月底前出台实施细则", "6月底前 date:2020-06"),
    ("年底前全面推开", "年底前 date:2020"),
    ("6月底前出台细则，9月底前全面实施", ""),
    ("2019年出台的办法继续执行", ""),
    ("按要求及时公开", ""),
]


@pytest.mark.parametrize("text, read", DEADLINES_IN_PROSE, ids=ids(DEADLINES_IN_PROSE))
def test_deadlines_in_prose(text, read):
    deadline = deadline_in_text(text, 2020)
    assert (f"{deadline.text} {shown(deadline)}" if deadline else "") == read


# -- roles --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bureau_names(tmp_path_factory) -> Names:
    """Names in the scope of 江北县卫生健康局 (tests/support/layouts.py's registry)."""
    content = tmp_path_factory.mktemp("roles") / "content"
    layouts.write_registry(content)
    registry = load_registry(content)
    return Names(registry, registry.by_id["jb-wjj"])


ROLE_CELLS = [
    # (the cell as printed, the column's role, the roles read, whether the cell is kept as
    # written, the kinds of review place the editor is shown)
    ("办公室", "lead", "lead:办公室", False, ""),
    ("办公室、宣传股", "lead", "lead:办公室 lead:宣传股", False, ""),
    ("办公室/宣传股", "lead", "lead:办公室 lead:宣传股", False, ""),
    ("办公室\n宣传股", "lead", "lead:办公室 lead:宣传股", False, ""),
    ("办公室 宣传股", "lead", "lead:办公室 lead:宣传股", False, ""),
    ("办公室，各股室", "lead", "lead:办公室 lead:各股室", False, ""),
    ("县财政局", "lead", "lead:县财政局", False, ""),
    ("办公室牵头", "lead", "lead:办公室", True, ""),
    ("办公室主责", "lead", "lead:办公室", True, ""),
    ("办公室牵头负责", "lead", "lead:办公室", True, ""),
    ("办公室主办、宣传股协办", "lead", "lead:办公室 support:宣传股", True, ""),
    ("局防控办主办、各工作组协办", "lead", "lead:局防控办 support:各工作组", True, ""),
    ("医政医管股负责", "lead", "lead:医政医管股", True, ""),
    ("医政医管股负责落实", "lead", "lead:医政医管股", True, ""),
    ("医政医管股牵头落实", "lead", "lead:医政医管股", True, ""),
    ("办公室牵头，宣传股配合", "lead", "lead:办公室 support:宣传股", True, ""),
    ("办公室牵头，宣传股、医政医管股配合落实", "lead", "lead:办公室 support:宣传股 support:医政医管股", True, ""),
    ("办公室协办", "lead", "support:办公室", True, ""),
    ("宣传股协助", "lead", "support:宣传股", True, ""),
    ("宣传股参与", "lead", "support:宣传股", True, ""),
    ("宣传股配合落实", "lead", "support:宣传股", True, ""),
    ("宣传股会办公室", "lead", "lead:宣传股 support:办公室", True, ""),
    ("宣传股会同办公室", "lead", "lead:宣传股 support:办公室", True, ""),
    ("办公室会办", "lead", "support:办公室", True, ""),
    ("办公室、宣传股分别负责", "lead", "each_lead:办公室 each_lead:宣传股", True, ""),
    ("办公室、宣传股分别牵头落实", "lead", "each_lead:办公室 each_lead:宣传股", True, ""),
    ("办公室、宣传股分别落实", "lead", "each_lead:办公室 each_lead:宣传股", True, ""),
    ("办公室、宣传股分别主办", "lead", "each_lead:办公室 each_lead:宣传股", True, ""),
    ("各股室按职责分工落实", "lead", "implement:各股室", True, ""),
    ("医政医管股、疾病预防控制股按职能落实", "lead", "implement:医政医管股 implement:疾病预防控制股", True, ""),
    ("办公室、宣传股按职责分工负责", "lead", "implement:办公室 implement:宣传股", True, ""),
    ("各股室落实", "lead", "implement:各股室", True, ""),
    ("各股室抓好落实", "lead", "implement:各股室", True, ""),
    ("各股室具体落实", "lead", "implement:各股室", True, ""),
    ("各股室参照落实", "lead", "follow:各股室", True, ""),
    ("各股室参照执行", "lead", "follow:各股室", True, ""),
    ("办公室汇总", "lead", "compile:办公室", True, ""),
    ("办公室汇总上报", "lead", "compile:办公室", True, ""),
    ("各股室按要求落实，办公室汇总。", "lead", "implement:各股室 compile:办公室", True, ""),
    ("办公室等", "lead", "lead:办公室", True, ""),
    ("办公室等有关单位", "lead", "lead:办公室", True, ""),
    ("办公室、宣传股等有关部门", "lead", "lead:办公室 lead:宣传股", True, ""),
    ("规划信息股（爱卫办）牵头", "lead", "lead:规划信息股（爱卫办）", True, ""),
    ("办公室（牵头）、宣传股", "lead", "lead:办公室 lead:宣传股", True, ""),
    ("牵头科室：办公室", "lead", "lead:办公室", True, ""),
    ("牵头单位：办公室；配合单位：宣传股", "lead", "lead:办公室 support:宣传股", True, ""),
    ("主办：办公室；协办：宣传股", "lead", "lead:办公室 support:宣传股", True, ""),
    ("责任单位：办公室、宣传股。排在第一位的为牵头单位。", "lead", "lead:办公室 support:宣传股", True, ""),
    ("办公室，宣传股、医政医管股。逗号前的为牵头单位。", "lead", "lead:办公室 support:宣传股 support:医政医管股", True, ""),
    ("宣传股", "support", "support:宣传股", False, ""),
    ("办公室牵头", "support", "lead:办公室", True, ""),
    ("办公室、宣传股", "listed", "listed:办公室 listed:宣传股", False, ""),
    # What the importer cannot tell is shown to the editor, never guessed silently.
    ("宣传股，办公室牵头", "lead", "lead:宣传股 lead:办公室", True, "role"),
    ("办公室督办", "lead", "lead:办公室", True, "role"),
    ("财务股", "lead", "lead:财务股", False, "unknown-unit"),
    # A cell left without a unit.
    ("—", "lead", "", False, ""),
    ("／", "lead", "", False, ""),
    ("无", "lead", "", False, ""),
    ("暂无", "lead", "", False, ""),
]


@pytest.mark.parametrize("cell, column, expected, kept, kinds", ROLE_CELLS,
                         ids=[f"{row[0]} ({row[1]})" for row in ROLE_CELLS])
def test_role_words_of_real_documents(cell, column, expected, kept, kinds, bureau_names):
    read = read_cell(cell, bureau_names, ColumnRole(column))
    got = [f"{role}:{name}" for role, names in read.responsibility.roles.items() for name in names]
    assert got == expected.split()
    assert (read.responsibility.as_written == cell) is kept
    assert sorted({finding.kind for finding in read.findings}) == kinds.split()
