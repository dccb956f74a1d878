"""`build.py import REPORT --report PLAN_ID`: a progress table as units send it back, read into
content/reports/<id>.yaml for that plan.

The tables are written here with python-docx and openpyxl: the plan of tests/test_reports.py
(labels, milestones, a 分别负责 measure) with a second section whose two points both have a
measure 1. of the same text, and the shipped zs-gxj-2022 plan, whose 落实情况 column is turned
into a report of another date. Each report is read back by the build's own loader.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CONTENT, run_main
from generator import content as content_stage
from generator.errors import CannotBuild
from generator.importer.progress_report import import_report
from generator.importer.writer import REVIEW_MARK
from support import layouts
from test_reports import PLAN

ABOVE = layouts.ABOVE

# The plan of test_reports.py and a second section: （一）1. and （二）1. say the same words.
TWO_POINTS = """\
  - label: 二、
    title: 加强政策解读
    points:
      - label: （一）
        title: 解读重大政策
        measures:
          - label: "1."
            text: 做好政策解读。
            responsibility: {lead: 综合科}
      - label: （二）
        title: 回应社会关切
        measures:
          - label: "1."
            text: 做好政策解读。
            responsibility: {lead: 产业金融科}
          - label: "2."
            text: 及时回应企业和群众关切的热点问题，做好政策咨询服务。
            responsibility: {lead: 金融发展科}
"""
TITLE = "中山市金融工作局2023年上半年政务公开工作落实情况（截至2023年7月15日）"
HEADER = ["序号", "工作措施", "责任科室", "落实情况", "完成情况"]


@pytest.fixture
def planned(empty_content) -> Path:
    (empty_content / "plans" / "jrj-2023.yaml").write_text(PLAN + TWO_POINTS, encoding="utf-8")
    return empty_content


def report_of(content: Path, report_id: str) -> dict:
    return yaml.load((content / "reports" / f"{report_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def entries_of(content: Path, report_id: str) -> dict:
    return {entry["measure"]: entry for entry in report_of(content, report_id)["measures"]}


def readings(content: Path) -> dict:
    """Each measure's newest reading as the build's loader gives it: (text, state, units)."""
    plan = next(p for p in content_stage.load(content).plans if p.id == "jrj-2023")
    return {m.anchor: (m.latest.text, m.latest.state, [(u.name, u.text, u.state) for u in m.latest.units])
            for m in plan.measures if m.latest and not m.latest.report.own}


def word(path: Path, rows: list[list[str]], title: str = TITLE, after=()) -> Path:
    layouts.write_docx(path, rows, before=[title] if title else [], after=after)
    return path


def test_rows_matched_by_label_with_section_and_point_and_by_unit(tmp_path, planned):
    """一、1. and 2 in the 序号 column under 一、; 二、（二）1. tells apart two measures of the same
    words; a 分别负责 measure reported in a row per unit, its 序号 cell merged over both."""
    source = word(tmp_path / "上半年.docx", [
        HEADER,
        ["一、1.", "公开年度工作要点", "综合科", "已在门户网站公开。", "已完成"],
        ["2", "建设信息平台", "金融发展科", "选型尚未开始。", "未启动"],
        ["4", "各科室分别做好本领域的政策解读", "综合科", "已发布解读3篇。", "已完成"],
        [ABOVE, ABOVE, "产业金融科", "尚未开展。", "未启动"],
        ["二、（二）1.", "做好政策解读", "产业金融科", "发布解读2篇。", "推进中"],
    ])
    imported = import_report(source, planned, "jrj-2023")
    assert imported.path == planned / "reports" / "jrj-2023-2023-07-15.yaml"
    assert readings(planned) == {
        "s1-m1": ("已在门户网站公开。", "已完成", []),
        "s1-m2": ("选型尚未开始。", "未启动", []),
        "s1-m4": ("", "", [("综合科", "已发布解读3篇。", "已完成"), ("产业金融科", "尚未开展。", "未启动")]),
        "s2-p2-m1": ("发布解读2篇。", "推进中", []),
    }
    assert imported.places == 0 and imported.report == []


def test_text_with_other_punctuation_and_a_fuzzy_match_reported(tmp_path, planned):
    """No labels at all: the measure's words with half-width punctuation and spaces match
    exactly; a shortened wording matches the closest measure, and the report says so."""
    source = word(tmp_path / "report.docx", [
        ["工作措施", "落实情况", "完成情况"],
        ["公开年度工作要点.", "已在门户网站公开。", "已完成"],
        ["按 季度 公开 金融数据", "一季度数据已公开。", "推进中"],
        ["及时回应企业群众关切的热点问题，做好咨询服务工作", "开通咨询专线。", "持续推进"],
    ])
    imported = import_report(source, planned, "jrj-2023")
    assert readings(planned) == {"s1-m1": ("已在门户网站公开。", "已完成", []),
                                 "s1-m3": ("一季度数据已公开。", "推进中", []),
                                 "s2-p2-m2": ("开通咨询专线。", "持续推进", [])}
    assert [line for line in imported.report if line.startswith("【")] == [
        "【对应待核】1 处：按相近的文字或按编号对应到措施，或几行记在同一项中：核对对应的措施"]
    text = imported.path.read_text(encoding="utf-8")
    assert "［对应待核］这一行的措施文字与计划中“二、（二）2.及时回应企业和群众关切的热点问题，做好政…（共 26 字）”相近（相似度 89%）" in text


def test_rows_matching_nothing_or_two_measures_are_kept_for_review(tmp_path, planned):
    source = word(tmp_path / "report.docx", [
        HEADER,
        ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"],
        ["", "开展政务公开专题培训。", "综合科", "举办培训1场。", "已完成"],
        ["", "做好政策解读。", "综合科", "解读3篇。", "已完成"],
    ])
    imported = import_report(source, planned, "jrj-2023", as_of="2023-06-30")
    data = report_of(planned, "jrj-2023-2023-06-30")
    assert [entry["measure"] for entry in data["measures"]] == ["s1-m1"]
    assert data["editor_notes"] == [
        "导入时没有对应到措施的一行（表1第3行）：开展政务公开专题培训。｜综合科｜举办培训1场。｜已完成",
        "导入时对应到不止一条措施的一行（表1第4行）：做好政策解读。｜综合科｜解读3篇。｜已完成",
    ]
    report = "\n".join(imported.report)
    assert report.index("！【未对应措施】1 处") < report.index("！【对应两条措施】1 处")
    assert "“二、（一）1.做好政策解读。”、“二、（二）1.做好政策解读。”" in report
    text = imported.path.read_text(encoding="utf-8")
    assert text.count(REVIEW_MARK) == 2
    assert run_main("check", "--content", str(planned)).returncode == 0


def test_state_from_a_column_and_from_the_words_of_the_text(tmp_path, planned):
    source = word(tmp_path / "report.docx", [
        ["序号", "工作措施", "落实情况"],
        ["1", "公开年度工作要点。", "已完成，在门户网站公开。"],
        ["2", "建设信息平台。", "平台选型正在推进。"],
        ["3", "按季度公开金融数据。", "一季度数据已公开，二季度数据尚未启动整理，整体持续推进。"],
    ], title="中山市金融工作局2023年政务公开工作要点落实情况（截至2023年6月30日）")
    imported = import_report(source, planned, "jrj-2023")
    entries = entries_of(planned, "jrj-2023-2023-06-30")
    assert [entries[a].get("state") for a in ("s1-m1", "s1-m2", "s1-m3")] == ["已完成", "推进中", None]
    text = imported.path.read_text(encoding="utf-8")
    assert text.count("［状态］状态“") == 2 and "是从落实情况的文字读出的" in text
    lines = text.split("\n")  # no state written: the comment stands above the text it was read from
    at = next(number for number, line in enumerate(lines) if "既有“持续推进”又有“未启动”" in line)
    assert lines[at + 1] == "    text: 一季度数据已公开，二季度数据尚未启动整理，整体持续推进。"
    # A 完成情况 column is the state: no note, and a word it does not know is named.
    source = word(tmp_path / "column.docx", [
        ["序号", "工作措施", "落实情况", "完成情况"],
        ["1", "公开年度工作要点。", "正在推进中，门户网站专栏已建好。", "已完成"],
        ["2", "建设信息平台。", "选型中。", "基本完成"],
    ], title="中山市金融工作局2023年政务公开工作要点落实情况（截至2023年9月1日）")
    imported = import_report(source, planned, "jrj-2023")
    entries = entries_of(planned, "jrj-2023-2023-09-01")
    assert entries["s1-m1"]["state"] == "已完成" and "state" not in entries["s1-m2"]
    assert [line.split("】")[0] for line in imported.report if line.startswith("【")] == ["【状态"]
    assert "完成情况“基本完成”读不出状态" in imported.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("title, as_of, guessed", [
    ("中山市金融工作局2023年政务公开工作要点落实情况（截至2023年7月15日）", "2023-07-15", False),
    ("中山市金融工作局政务公开工作要点落实情况（截至11月30日）", "2023-11-30", False),
    ("中山市金融工作局2023年上半年政务公开工作总结", "2023-06-30", True),
    ("中山市金融工作局2023年度政务公开工作总结", "2023-12-31", True),
])
def test_as_of_and_kind_from_the_title(tmp_path, planned, title, as_of, guessed):
    source = word(tmp_path / "report.docx", [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]],
                  title=title)
    imported = import_report(source, planned, "jrj-2023")
    data = report_of(planned, f"jrj-2023-{as_of}")
    assert (data["title"], data["as_of"]) == (title, as_of)
    assert data["kind"] == {"2023-07-15": "进展报告", "2023-11-30": "进展报告", "2023-06-30": "半年报告",
                            "2023-12-31": "年度总结"}[as_of]
    assert any("【截至日期】" in line for line in imported.report) == guessed


def test_as_of_from_the_option_and_refused_without_one(tmp_path, planned):
    rows = [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]]
    source = word(tmp_path / "report.docx", rows, title="中山市金融工作局政务公开工作要点落实情况")
    with pytest.raises(CannotBuild) as refused:
        import_report(source, planned, "jrj-2023")
    assert "看出报告截至哪一天：请用 --as-of 指定，例如 --as-of 2023-06-30" in str(refused.value)
    assert not (planned / "reports").exists()
    result = run_main("import", str(source), "--report", "jrj-2023", "--as-of", "2023-05-31",
                      "--content", str(planned), "--id", "jrj-2023-may")
    assert result.returncode == 0, result.stderr
    assert report_of(planned, "jrj-2023-may")["as_of"] == "2023-05-31"
    assert "build.py build 会直接发布它" in result.stdout and "draft: true" in result.stdout
    result = run_main("import", str(source), "--report", "jrj-2023", "--as-of", "2023-02-30", "--content", str(planned))
    assert result.returncode == 2 and "“2023-02-30”不是日期" in result.stderr


def test_never_overwrites_a_report(tmp_path, planned):
    source = word(tmp_path / "report.docx", [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]])
    import_report(source, planned, "jrj-2023")
    target = planned / "reports" / "jrj-2023-2023-07-15.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# 编辑改过\n", encoding="utf-8")
    before = target.read_bytes()
    result = run_main("import", str(source), "--report", "jrj-2023", "--content", str(planned))
    assert result.returncode == 1 and "已经存在，导入不会覆盖任何文件" in result.stderr
    assert target.read_bytes() == before
    # With --id, an existing file is refused before the source is read (here: no source at all).
    result = run_main("import", str(tmp_path / "missing.docx"), "--report", "jrj-2023", "--id", "jrj-2023-2023-07-15",
                      "--content", str(planned))
    assert result.returncode == 1 and "已经存在" in result.stderr
    assert sorted(path.name for path in (planned / "reports").iterdir()) == ["jrj-2023-2023-07-15.yaml"]


def test_a_file_saved_while_the_import_reads_is_not_overwritten(tmp_path, planned, monkeypatch):
    from generator.importer import progress_report

    source = word(tmp_path / "report.docx", [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]])
    checked = progress_report._check

    def saved_meanwhile(text, target, plan):  # an editor saves a file of that name after the first look
        target.parent.mkdir(exist_ok=True)
        target.write_text("# 编辑刚存的文件\n", encoding="utf-8")
        checked(text, target, plan)

    monkeypatch.setattr(progress_report, "_check", saved_meanwhile)
    with pytest.raises(CannotBuild) as refused:
        import_report(source, planned, "jrj-2023")
    assert "已经存在，导入不会覆盖任何文件" in str(refused.value)
    assert [(path.name, path.read_text(encoding="utf-8")) for path in (planned / "reports").iterdir()] == [
        ("jrj-2023-2023-07-15.yaml", "# 编辑刚存的文件\n")]


def test_an_unknown_plan_or_a_table_without_a_progress_column_is_a_message(tmp_path, planned):
    source = word(tmp_path / "report.docx", [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]])
    result = run_main("import", str(source), "--report", "jrj-2032", "--content", str(planned))
    assert result.returncode == 1 and "没有 id 为“jrj-2032”的计划" in result.stderr and "jrj-2023" in result.stderr
    plan_table = word(tmp_path / "plan.docx", [["序号", "工作措施", "责任科室"], ["1", "公开年度工作要点。", "综合科"]])
    result = run_main("import", str(plan_table), "--report", "jrj-2023", "--content", str(planned))
    assert result.returncode == 1 and "没有找到落实情况表" in result.stderr and "Traceback" not in result.stderr
    result = run_main("import", str(source), "--report", "jrj-2023", "--year", "2023", "--content", str(planned))
    assert result.returncode == 1 and "不能与 --year 同用" in result.stderr


def test_a_shipped_plans_progress_as_a_report_of_another_date(tmp_path, empty_content):
    """zs-gxj-2022's own 落实情况 (as of 30 November) sent back as a year-end table in Excel:
    its sections and points merged down their rows, the measures' own words and units. Every
    measure is matched, its text word for word, and the build reads the report with the plan."""
    shutil.copy(CONTENT / "plans" / "zs-gxj-2022.yaml", empty_content / "plans")
    plan = yaml.safe_load((CONTENT / "plans" / "zs-gxj-2022.yaml").read_text(encoding="utf-8"))
    rows, expected = [["工作要求", "一级要点", "计划措施", "落实情况", "责任科室"]], {}
    for number, section in enumerate(plan["sections"], start=1):
        section_cell = section["label"] + section["title"]
        for place, point in enumerate(section.get("points") or [None], start=1):
            for index, measure in enumerate(point["measures"] if point else section["measures"], start=1):
                point_cell = (point["label"] + point["title"] if index == 1 else ABOVE) if point else ""
                units = measure["responsibility"].get("as_written") or measure["responsibility"]["lead"]
                rows.append([section_cell, point_cell, measure["text"], "全年：" + measure["status"]["text"],
                             "、".join(units) if isinstance(units, list) else units])
                section_cell = ABOVE
                expected[f"s{number}-p{place}-m{index}" if point else f"s{number}-m{index}"] = rows[-1][3]
    source = tmp_path / "全年落实情况.xlsx"
    layouts.write_xlsx(source, rows, before=["中山市工业和信息化局2022年政务公开工作要点落实情况（截至2022年12月31日）"])
    result = run_main("import", str(source), "--report", "zs-gxj-2022", "--content", str(empty_content))
    assert result.returncode == 0, result.stderr
    assert "22 项措施（共 22 项）" in result.stdout
    # The one place to review: 三、（一）4.'s text says 已完成 (as the plan's own notes read it).
    assert [line for line in result.stdout.split("\n") if line.startswith("【")] == [
        "【状态】1 处：状态（state）是从落实情况的文字读出的，或完成情况栏的用词读不出状态：核对 state"]
    written = entries_of(empty_content, "zs-gxj-2022-2022-12-31")
    assert {anchor: entry["text"] for anchor, entry in written.items()} == expected
    assert [anchor for anchor, entry in written.items() if "state" in entry] == ["s3-p1-m4"]
    assert run_main("check", "--content", str(empty_content)).returncode == 0
    loaded = next(p for p in content_stage.load(empty_content).plans if p.id == "zs-gxj-2022")
    assert [r.id for r in loaded.reports] == ["", "zs-gxj-2022-2022-12-31"]


def test_a_paragraph_outside_the_table_is_kept_and_the_preview_lists_the_report(tmp_path, planned):
    from support.serving import Preview, fetch, free_port

    source = word(tmp_path / "report.docx", [HEADER, ["1", "公开年度工作要点。", "综合科", "已公开。", "已完成"]],
                  after=["特此报告。"])
    imported = import_report(source, planned, "jrj-2023")
    assert report_of(planned, "jrj-2023-2023-07-15")["editor_notes"] == ["导入时未能放入报告的原文（第2段）：特此报告。"]
    assert any(line.startswith("【表外文字】1 处") for line in imported.report)
    running = Preview(planned, free_port())
    try:
        status, _, body = fetch(running.url + "__serve__/imports")
        shown = body.decode("utf-8")
        assert status == 200 and "reports/jrj-2023-2023-07-15.yaml</code>：1 处待核" in shown and "表外文字" in shown
        path = imported.path  # the editor deals with the place and deletes its comment
        path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").split("\n")
                                  if not line.strip().startswith(REVIEW_MARK)), encoding="utf-8")
        assert "没有待核的导入草稿" in fetch(running.url + "__serve__/imports")[2].decode("utf-8")
    finally:
        running.stop()


def test_the_example_in_docs_importing_md_is_what_the_import_writes(tmp_path, empty_content):
    (empty_content / "plans" / "jrj-2023.yaml").write_text(PLAN, encoding="utf-8")
    source = word(tmp_path / "上半年落实情况.docx", [
        HEADER,
        ["一、1.", "公开年度工作要点", "综合科", "已在门户网站公开。", "已完成"],
        ["2", "建设信息平台", "金融发展科", "选型正在推进。", ""],
        ["4", "各科室分别做好本领域的政策解读", "综合科", "已发布解读3篇。", "已完成"],
        [ABOVE, ABOVE, "产业金融科", "尚未开展。", "未启动"],
        ["", "开展政务公开专题培训", "综合科", "举办培训1场。", "已完成"],
    ], title="中山市金融工作局2023年上半年政务公开工作落实情况（截至2023年7月15日）")
    imported = import_report(source, empty_content, "jrj-2023")
    docs = (Path(__file__).parent.parent / "docs" / "importing.md").read_text(encoding="utf-8")
    start = docs.index("```yaml\nplan: jrj-2023\n") + len("```yaml\n")
    written = imported.path.read_text(encoding="utf-8")
    assert docs[start:docs.index("```", start)] == written[written.index("plan: "):]


def test_a_measure_split_into_parts_is_reported_part_by_part(tmp_path, empty_content):
    """cz-jxw-2018's measures are parts, each closed by its (牵头处室:X): a unit's row repeats
    its part without that bracket, and is that unit's entry."""
    shutil.copy(CONTENT / "plans" / "cz-jxw-2018.yaml", empty_content / "plans")
    plan = yaml.safe_load((CONTENT / "plans" / "cz-jxw-2018.yaml").read_text(encoding="utf-8"))
    first, second = plan["sections"][1]["points"][0]["measures"][0]["parts"]
    source = word(tmp_path / "report.docx", [
        ["工作任务", "牵头处室", "落实情况"],
        [first["text"].split("(牵头处室")[0], "办公室", "已公开重要政策12件。"],
        [second["text"].split("(牵头处室")[0], "法规处", "权责清单已调整。"],
    ], title="市经信委2018年政务公开工作要点落实情况（截至2018年12月31日）")
    imported = import_report(source, empty_content, "cz-jxw-2018")
    assert imported.places == 0
    assert entries_of(empty_content, "cz-jxw-2018-2018-12-31") == {"s2-p1-m1": {"measure": "s2-p1-m1", "units": [
        {"name": "办公室", "text": "已公开重要政策12件。"}, {"name": "法规处", "text": "权责清单已调整。"}]}}


CIRCLED = """\
  - label: 二、
    title: 加强政策解读
    measures:
      - label: "①"
        text: 围绕优化营商环境出台的政策文件同步发布解读材料。
        responsibility: {lead: 综合科}
      - label: "②"
        text: 对涉及企业切身利益的政策开展多种形式的解读。
        responsibility: {lead: 产业金融科}
"""


def test_rows_numbered_as_the_plan_numbers_them_with_circled_numbers(tmp_path, empty_content):
    """A plan that numbers measures ① ② and a table that numbers its rows the same way under a
    row naming the section, each row's words too short to match a measure's text: the rows land
    on the measures their numbers name."""
    (empty_content / "plans" / "jrj-2023.yaml").write_text(PLAN + CIRCLED, encoding="utf-8")
    source = word(tmp_path / "上半年.docx", [
        HEADER,
        ["二", "加强政策解读", "", "", ""],
        ["②", "政策解读", "产业金融科", "开展解读2次。", "推进中"],
        ["①", "解读材料", "综合科", "同步发布解读5篇。", "已完成"],
    ])
    import_report(source, empty_content, "jrj-2023")
    assert readings(empty_content) == {
        "s2-m1": ("同步发布解读5篇。", "已完成", []),
        "s2-m2": ("开展解读2次。", "推进中", []),
    }
