"""Issue 10, point 4: the model holds what the documents say: dates at their own precision,
recurring and event-relative deadlines, the first-listed-leads rule, unnumbered task groups,
sub-units in brackets, and the document's own column headings on its plan page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.model import Recurrence, Relative
from generator.search import measure_fields
from test_model import errors_of, load_plan


def headers(soup, table_id: str) -> list[str]:
    return [th.get_text() for th in soup.find(id=table_id).select("thead th")]


def test_dates_show_at_the_precision_the_document_gives(examples_site):
    page = examples_site.soup("plans/milestones/index.html")
    times = [(t["datetime"], t.get_text()) for t in page.select("table.measures time")]
    assert times == [("2023-06", "2023年6月"), ("2023-10", "2023年10月"), ("2023", "2023年")]
    assert "2023年6月30日" not in page.get_text() and "2023年12月31日" not in page.get_text()
    plan = examples_site.plan("merged-cells")
    assert plan.measures[0].deadline.date == "2023-03"


@pytest.mark.parametrize("date", ["2023-13", "2023-02-30", "23-01", "2023-1"])
def test_a_partial_date_must_exist(tmp_path, date):
    report = errors_of(tmp_path, f"sections:\n  - measures:\n      - {{text: 甲, deadline: {{text: 乙, date: \"{date}\"}}}}\n")
    assert "[sections[0].measures[0].deadline.date]" in report


def test_recurring_and_event_deadlines_are_data_beside_their_text(examples_site):
    plan = examples_site.plan("deadlines")
    shapes = [(m.deadline.text, m.deadline.recurring, m.deadline.after) for m in plan.measures]
    assert shapes == [
        ("每月10日前", Recurrence(every="month", day=10), None),
        ("每季度末", Recurrence(every="quarter", end=True), None),
        ("作出决定之日起7个工作日内", None, Relative(event="作出决定之日", within=7, unit="working_days")),
        ("印发后□个工作日内", None, Relative(event="印发", within=None, unit="working_days")),
    ]
    page = examples_site.soup("plans/deadlines/index.html")
    kinds = [p.get_text() for p in page.select("table.measures .deadline-kind")]
    assert kinds == ["周期每月10日前", "周期每季度末", "起算自作出决定之日起7个工作日内", "起算自印发起□个工作日内"]


def test_first_listed_unit_leads_under_the_document_s_rule(examples_site):
    plan = examples_site.plan("first-listed")
    roles = [[(a.written, a.role) for a in m.assignments] for m in plan.measures]
    assert roles[0] == [("区司法局", "lead"), ("区直各部门", "support")]
    assert roles[2] == [("区委宣传部", "lead"), ("区政府办公室", "support")]
    assert plan.measures[0].responsibility.rule == "排在第一位的为牵头单位"
    page = examples_site.soup("plans/first-listed/index.html")
    meta = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in page.select("dl.plan-meta dt")}
    assert meta["分工规则"] == "排在第一位的为牵头单位"


def test_without_the_rule_every_listed_unit_leads_and_a_section_may_have_its_own(tmp_path):
    plan = load_plan(tmp_path, """\
        sections:
          - measures:
              - {text: 甲, responsibility: {listed: [办公室, 政策科]}}
          - first_listed_leads: 排在前面的单位牵头
            measures:
              - {text: 乙, responsibility: {listed: [办公室, 政策科]}}
        """)
    assert [[a.role for a in m.assignments] for m in plan.measures] == [["lead", "lead"], ["lead", "support"]]


def test_unnumbered_task_groups_from_merged_task_cells(examples_site):
    plan = examples_site.plan("merged-cells")
    tasks = [m.task.title if m.task else None for m in plan.measures]
    assert tasks == ["做好涉企政策集中公开"] * 2 + ["提升政策解读质量"] * 2 + [None, None]
    third, fourth = plan.measures[2], plan.measures[3]
    assert [a.written for a in third.assignments] == ["法规处"] and third.inherited_from == "task"
    assert [a.written for a in fourth.assignments] == ["中小企业处"]
    assert [m.anchor for m in plan.measures] == [f"s1-m{n}" for n in range(1, 5)] + ["s2-m1", "s2-m2"]
    page = examples_site.soup("plans/merged-cells/index.html")
    heading = page.find(id="s1-t2")
    assert heading.name == "h3" and heading.get_text() == "提升政策解读质量"
    assert [tr["id"] for tr in heading.find_next("table").select("tbody tr")] == ["s1-m3", "s1-m4"]
    assert measure_fields(third)["task"] == "提升政策解读质量"


def test_sub_unit_in_brackets_is_credited_to_the_sub_unit(examples_site):
    plan = examples_site.plan("sub-units")
    first, second = (m.assignments[0] for m in plan.measures)
    assert first.written == "办公室（信息中心）" and first.unit.id == "ex-wjj-bangongshi-xinxizhongxin"
    assert second.unit.id == "ex-wjj-bangongshi"
    page = examples_site.soup("units/ex-wjj-bangongshi-xinxizhongxin/index.html")
    assert "文中称“办公室（信息中心）”" in page.get_text()


def test_an_unregistered_sub_unit_says_where_to_register_it(tmp_path):
    report = errors_of(tmp_path, "sections:\n  - measures:\n      - {text: 甲, responsibility: {lead: 办公室(档案室)}}\n")
    assert "“档案室”没有登记在甲市科技和信息局办公室（tech-bangongshi）之下" in report


def test_plan_page_uses_the_document_s_column_headings(examples_site, built_site):
    merged = examples_site.soup("plans/merged-cells/index.html")
    assert headers(merged, "s1-t1-table") == ["具体措施", "责任处室", "完成时限"]
    host = examples_site.soup("plans/host-assist/index.html")
    assert headers(host, "s1-table") == ["工作任务", "主办股室", "协办股室"]
    assert [td["data-label"] for td in host.find(id="s1-m1").find_all("td")] == ["主办股室", "协办股室"]
    shipped = BeautifulSoup(built_site.page("plans/zs-gxj-2022/index.html"), "html.parser")
    assert headers(shipped, "s1-p1-table") == ["计划措施", "责任科室", "落实情况"]
    default = BeautifulSoup(built_site.page("plans/cz-jxw-2018/index.html"), "html.parser")
    assert headers(default, "s2-p1-table") == ["措施", "牵头单位"]  # the document has no table


def test_one_units_column_names_each_role_where_the_cell_has_several(built_site):
    page = BeautifulSoup(built_site.page("plans/zs-gxj-2022/index.html"), "html.parser")
    cell = page.find(id="s1-p1-m1").find("td")
    assert cell.get_text(" ", strip=True).startswith("产业政策与法制科 （牵头） 各业务科室 统称 （配合落实）")
    single = page.find(id="s1-p2-m1").find("td")
    assert single.get_text(strip=True) == "办公室"


def test_a_task_heading_finds_its_measures_in_search(examples_site):
    from test_search import expected_measures, measures_in, search

    queries = ["提升政策解读质量", "涉企政策集中公开"]
    for query, answer in zip(queries, search(examples_site.output, *queries)):
        expected = expected_measures(examples_site.site, query)
        assert len(expected) == 2 and measures_in(answer) == expected, query
