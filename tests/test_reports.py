"""Progress reports over the year: report files beside a plan, each measure's readings, and
overdue reckoned at each report's day from the content alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_main
from generator import content as content_stage
from generator import progress
from generator.errors import BuildFailed

PLAN = """\
id: jrj-2023
title: 中山市金融工作局2023年政务公开工作要点分工方案
issuer: 中山市金融工作局
kind: 分工方案
year: 2023
status_as_of: 2023-03-31
sections:
  - label: 一、
    title: 加强信息发布
    measures:
      - label: "1."
        text: 公开年度工作要点。
        responsibility: {lead: 综合科}
        deadline: {text: 2023年6月底前, date: 2023-06}
        status: {text: 正在起草。, state: 推进中}
      - label: "2."
        text: 建设信息平台。
        responsibility: {lead: 金融发展科}
        deadline:
          text: 2023年4月完成选型，2023年10月底前上线
          milestones:
            - {date: 2023-04, text: 完成选型}
            - {date: 2023-10, text: 上线}
      - label: "3."
        text: 按季度公开金融数据。
        responsibility: {lead: 产业金融科}
        deadline: {text: 每季度末, recurring: {every: quarter, by: end}}
      - label: "4."
        text: 各科室分别做好本领域的政策解读。
        responsibility: {each_lead: [综合科, 产业金融科]}
        deadline: {text: 2023年9月底前, date: 2023-09}
"""

MID_YEAR = """\
plan: jrj-2023
title: 中山市金融工作局2023年上半年政务公开工作落实情况
kind: 半年报告
as_of: 2023-07-15
measures:
  - measure: s1-m1
    text: 已在门户网站公开。
    state: 已完成
  - measure: s1-m2
    text: 选型尚未开始。
    state: 未启动
  - measure: s1-m4
    units:
      - {name: 综合科, text: 已发布解读3篇。, state: 已完成}
      - {name: 产业金融科, text: 尚未开展。, state: 未启动}
"""

YEAR_END = """\
plan: jrj-2023
title: 中山市金融工作局2023年政务公开工作总结
kind: 年度总结
as_of: 2023-12-31
measures:
  - measure: s1-m2
    text: 平台已上线运行。
    state: 已完成
  - measure: s1-m3
    text: 每季度公开金融数据。
    state: 持续推进
"""


@pytest.fixture
def reported(empty_content) -> Path:
    (empty_content / "plans" / "jrj-2023.yaml").write_text(PLAN, encoding="utf-8")
    (empty_content / "reports").mkdir()
    (empty_content / "reports" / "jrj-2023-h1.yaml").write_text(MID_YEAR, encoding="utf-8")
    (empty_content / "reports" / "jrj-2023-year.yaml").write_text(YEAR_END, encoding="utf-8")
    return empty_content


def plan_of(content: Path, drafts: bool = False):
    return next(p for p in content_stage.load(content, include_drafts=drafts).plans if p.id == "jrj-2023")


def test_each_measure_reads_every_report_oldest_first(reported):
    plan = plan_of(reported)
    assert [(r.id, r.own, r.as_of) for r in plan.reports] == [
        ("", True, "2023-03-31"), ("jrj-2023-h1", False, "2023-07-15"), ("jrj-2023-year", False, "2023-12-31")]
    first, second, third, fourth = plan.measures
    assert [(r.report.id, r.text, r.state) for r in first.readings] == [
        ("", "正在起草。", "推进中"), ("jrj-2023-h1", "已在门户网站公开。", "已完成")]
    assert second.latest.text == "平台已上线运行。" and second.state.word == "已完成"
    assert third.state.word == "持续推进"
    assert [(u.name, u.state) for u in fourth.latest.units] == [("综合科", "已完成"), ("产业金融科", "未启动")]
    assert plan.report_as_of == "2023-12-31" and plan.latest_report.kind == "年度总结"


def test_overdue_is_reckoned_at_each_report_day_and_not_before(reported):
    plan = plan_of(reported)
    own, mid, year_end = plan.reports
    first, second, third, fourth = plan.measures
    # 1.: due by June; 推进中 on 31 March is not late yet, and it was done by 15 July.
    assert progress.overdue_at(first, own) == [] and progress.overdue_at(first, mid) == []
    # 2.: the April milestone passed with the work not started; by the year's end it was done.
    late = progress.overdue_at(second, mid)
    assert [(o.deadline, o.words, o.milestone) for o in late] == [("2023-04-30", "完成选型", True)]
    assert progress.overdue_at(second, year_end) == []
    assert progress.overdue_at(second, own) == []
    # 3.: every quarter's end; nothing reported by 15 July, two quarters had ended.
    late = progress.overdue_at(third, mid)
    assert [(o.deadline, o.periods) for o in late] == [("2023-06-30", 2)]
    assert progress.overdue_at(third, year_end) == []
    # 4.: each unit its own part; by the year's end 产业金融科 had still not started (its last word).
    assert progress.overdue_at(fourth, mid) == []
    late = progress.overdue_at(fourth, year_end)
    assert [(o.unit, o.deadline) for o in late] == [("产业金融科", "2023-09-30")]


def test_a_unit_a_later_report_leaves_out_keeps_its_last_word(reported):
    """A year-end summary that speaks of 综合科's part of 4. alone leaves 产业金融科 where the
    half-year report left it (未启动): past its September deadline, its part is overdue."""
    path = reported / "reports" / "jrj-2023-year.yaml"
    path.write_text(YEAR_END + """\
  - measure: s1-m4
    units:
      - {name: 综合科, text: 全年发布解读5篇。, state: 已完成}
""", encoding="utf-8")
    plan = plan_of(reported)
    fourth, year_end = plan.measures[3], plan.reports[2]
    assert [(o.unit, o.deadline) for o in progress.overdue_at(fourth, year_end)] == [("产业金融科", "2023-09-30")]
    assert {name: unit.state for name, unit in progress.units_at(fourth, year_end).items()} == {
        "综合科": "已完成", "产业金融科": "未启动"}


def test_the_reckoning_needs_no_clock(reported, monkeypatch):
    """The same content gives the same answer whatever day the build runs."""
    import datetime
    plan = plan_of(reported)
    before = [progress.overdue_at(m, r) for m in plan.measures for r in plan.reports]

    class Later(datetime.date):
        @classmethod
        def today(cls):
            return cls(2031, 1, 1)
    monkeypatch.setattr(datetime, "date", Later)
    assert [progress.overdue_at(m, r) for m in plan.measures for r in plan.reports] == before


@pytest.mark.parametrize("change, message", [
    (("plan: jrj-2023", "plan: jrj-2032"), "jrj-2023-h1.yaml:1:7: [plan] 没有 id 为“jrj-2032”的计划"),
    (("measure: s1-m2", "measure: s1-m9"), "jrj-2023-h1.yaml:9:14: [measures[1].measure] 计划 jrj-2023 中没有锚点为“s1-m9”的措施"),
    (("measure: s1-m4", "measure: s1-m1"), "jrj-2023-h1.yaml:12:14: [measures[2].measure] 措施“s1-m1”在这份报告中出现了两次"),
    (("name: 产业金融科", "name: 办公室"), "[measures[2].units[1].name] “办公室”不是措施“s1-m4”的责任单位；这条措施的单位：综合科、产业金融科"),
    (("    text: 选型尚未开始。\n", ""), None),
    (("as_of: 2023-07-15", "as_of: 2023-02-30"), "jrj-2023-h1.yaml:4:8: [as_of]"),
])
def test_a_mistake_in_a_report_names_file_line_and_field(reported, change, message):
    path = reported / "reports" / "jrj-2023-h1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    if message is None:  # an entry with a state and no text: still fine, the state is the report's word
        path.write_text(path.read_text(encoding="utf-8").replace("    state: 未启动\n", "", 1), encoding="utf-8")
        with pytest.raises(BuildFailed) as failure:
            content_stage.load(reported)
        assert "既没有 text（落实情况）也没有 units" in failure.value.report()
        return
    with pytest.raises(BuildFailed) as failure:
        content_stage.load(reported)
    assert message in failure.value.report()


def test_a_draft_report_waits_for_the_preview(reported):
    path = reported / "reports" / "jrj-2023-year.yaml"
    path.write_text("draft: true\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [r.id for r in plan_of(reported).reports] == ["", "jrj-2023-h1"]
    assert [r.id for r in plan_of(reported, drafts=True).reports] == ["", "jrj-2023-h1", "jrj-2023-year"]


def test_check_reads_the_reports(reported):
    result = run_main("check", "--content", str(reported))
    assert result.returncode == 0, result.stderr
    (reported / "reports" / "jrj-2023-h1.yaml").write_text(MID_YEAR.replace("s1-m2", "s1-x2"), encoding="utf-8")
    result = run_main("check", "--content", str(reported))
    assert result.returncode == 1 and "s1-x2" in result.stderr and "Traceback" not in result.stderr


def test_a_unit_a_report_skips_keeps_its_last_word(reported):
    """A year-end report that speaks only of 产业金融科 leaves what the half-year report said of
    综合科: 综合科 had not started, so it is overdue at the year's end, not forgotten."""
    mid = reported / "reports" / "jrj-2023-h1.yaml"
    mid.write_text(mid.read_text(encoding="utf-8").replace("已发布解读3篇。, state: 已完成", "尚未开展。, state: 未启动"),
                   encoding="utf-8")
    year_end = reported / "reports" / "jrj-2023-year.yaml"
    year_end.write_text(year_end.read_text(encoding="utf-8") + (
        "  - measure: s1-m4\n    units:\n      - {name: 产业金融科, text: 已发布解读2篇。, state: 已完成}\n"), encoding="utf-8")
    plan = plan_of(reported)
    fourth = plan.measures[3]
    late = progress.overdue_at(fourth, plan.reports[-1])
    assert [(o.unit, o.deadline) for o in late] == [("综合科", "2023-09-30")]
    assert [(reading.report.id, part.name, part.state) for reading, part in progress.unit_parts(fourth.readings)] == [
        ("jrj-2023-h1", "综合科", "未启动"), ("jrj-2023-year", "产业金融科", "已完成")]


def test_a_measure_reported_unit_by_unit_takes_the_units_common_word(reported):
    """Both units of 4. say 已完成 by the year's end: 4. is 已完成, not the site's 已报告; while they
    differ, it is 已报告. A unit the reports never speak of is held to the deadline too."""
    path = reported / "reports" / "jrj-2023-year.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - measure: s1-m4\n    units:\n"
                    "      - {name: 产业金融科, text: 已发布解读2篇。, state: 已完成}\n", encoding="utf-8")
    fourth = plan_of(reported).measures[3]
    assert fourth.state.word == "已完成"
    assert progress.overdue_at(fourth, plan_of(reported).reports[-1]) == []
    mid = reported / "reports" / "jrj-2023-h1.yaml"
    mid.write_text(mid.read_text(encoding="utf-8").replace("      - {name: 产业金融科, text: 尚未开展。, state: 未启动}\n", ""),
                   encoding="utf-8")
    path.write_text(YEAR_END, encoding="utf-8")
    plan = plan_of(reported)
    fourth = plan.measures[3]
    assert fourth.state.word == "已报告"  # one unit said 已完成, the other nothing
    assert [(o.unit, o.deadline) for o in progress.overdue_at(fourth, plan.reports[-1])] == [("产业金融科", "2023-09-30")]
