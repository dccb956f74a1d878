"""Issue 10, point 3: "was it done?" A state per measure where the document says it, else 已报告
or 未报告 labelled as the site's own; sums per plan, unit and department; a state filter on plan
and unit pages that works with JavaScript off; plan lists that say which plans have a report."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator.model import STATES
from generator.schema import SCHEMA_DIR
from generator.render import TEMPLATES_DIR


def counts(plan) -> dict:
    return {state.word: count for state, count in plan.state_counts}


def summary(soup) -> dict:
    """The state summary as a reader sees it: state word → (count, meter value, meter max)."""
    found = {}
    for item in soup.select("section.progress .state-counts li"):
        word = item.select_one(".state-name").contents[0].get_text()
        meter = item.find("meter")
        found[word] = (int(item.b.get_text().split()[0]), int(meter["value"]), int(meter["max"]))
    return found


def test_states_per_shipped_plan(shipped_site):
    by_plan = {plan.id: counts(plan) for plan in shipped_site.plans}
    assert by_plan == {
        "zs-gxj-2022": {"已完成": 1, "已报告": 21},
        "zs-jrj-2022": {"未报告": 25},
        "zs-2017": {"未报告": 114},
        "zs-jxj-2018": {"未报告": 25},
        "cz-jxw-2018": {"未报告": 10},
    }


def test_a_state_is_shown_only_where_the_document_gives_one(examples_site):
    plan = examples_site.plan("progress-report")
    assert [m.state.word for m in plan.measures] == ["已完成", "推进中", "未启动", "持续推进", "已报告", "未报告"]
    page = examples_site.soup("plans/progress-report/index.html")
    tags = {row["id"]: [t.get_text() for t in row.select(".status-tag")] for row in page.select("table.measures tbody tr")}
    assert tags == {"s1-m1": ["已完成"], "s1-m2": ["推进中"], "s1-m3": ["未启动"], "s1-m4": ["持续推进"],
                    "s1-m5": [], "s1-m6": ["未报告"]}
    assert page.find(id="s1-m6").select_one(".status-tag")["class"] == ["status-tag", "status-tag--derived"]


def test_plan_page_sums_its_measures_with_a_bar_each(examples_site):
    page = examples_site.soup("plans/progress-report/index.html")
    assert summary(page) == {word: (1, 1, 6) for word in ["已完成", "持续推进", "推进中", "未启动", "已报告", "未报告"]}
    text = page.select_one("section.progress").get_text()
    assert "落实情况截至2023年6月30日" in text
    assert "已报告（本站标注）" in text and "未报告（本站标注）" in text and "不是文件原文" in text


def test_shipped_plan_summary(built_site):
    page = BeautifulSoup(built_site.page("plans/zs-gxj-2022/index.html"), "html.parser")
    assert summary(page) == {"已完成": (1, 1, 22), "已报告": (21, 21, 22)}
    none = BeautifulSoup(built_site.page("plans/zs-2017/index.html"), "html.parser")
    assert "没有落实情况报告：114 项措施都是“未报告”（本站标注）" in none.select_one("section.progress").get_text()


def test_unit_page_sums_its_duties(examples_site):
    page = examples_site.soup("units/ex-qu-zsj-bangongshi/index.html")
    # 办公室 of 政数局: 未启动 and 持续推进 in the report, a 2020 duty and a 2023 one with no report
    assert summary(page) == {"持续推进": (1, 1, 4), "未启动": (1, 1, 4), "未报告": (2, 2, 4)}


def test_department_page_sums_its_plans(examples_site, built_site):
    page = examples_site.soup("departments/ex-qu-zsj/index.html")
    # its report (6 measures, one of each state), its 2023 plan (4) and the plan issued in 2020
    # under its former name (2)
    assert summary(page) == {"已完成": (1, 1, 12), "持续推进": (1, 1, 12), "推进中": (1, 1, 12),
                             "未启动": (1, 1, 12), "已报告": (1, 1, 12), "未报告": (7, 7, 12)}
    shipped = BeautifulSoup(built_site.page("departments/zs-gxj/index.html"), "html.parser")
    assert summary(shipped) == {"已完成": (1, 1, 47), "已报告": (21, 21, 47), "未报告": (25, 25, 47)}


def test_plan_lists_say_which_plans_have_a_report_and_as_of_when(built_site):
    for path in ["plans/index.html", "index.html", "departments/zs-gxj/index.html"]:
        page = BeautifulSoup(built_site.page(path), "html.parser")
        notes = {}
        for item in page.select("ul.plan-list li"):
            link = item.find("a")
            note = item.select_one(".report-note")
            notes[link["href"].rstrip("/").split("/")[-1]] = note.get_text() if note else None
        assert notes["zs-gxj-2022"] == "有落实情况（截至2022年11月30日）", path
        assert all(note is None for plan, note in notes.items() if plan != "zs-gxj-2022"), path


@pytest.mark.parametrize("path,state,rows", [
    ("plans/progress-report/", "推进中", 1),
    ("plans/progress-report/", "未报告", 1),
    ("units/ex-qu-zsj-bangongshi/", "未报告", 2),
    ("units/ex-qu-zsj-bangongshi/", "持续推进", 1),
])
def test_state_filter_works_with_javascript_off(page_without_javascript, examples_url, path, state, rows):
    page = page_without_javascript
    page.goto(examples_url + path)
    items = page.locator("table.measures tbody tr, ol.duty-list > li")
    everything = items.count()
    assert everything > rows
    page.locator("section.progress").get_by_role("link", name=state, exact=True).click()
    tag = next(s.tag for s in STATES if s.word == state)
    assert page.url.endswith(f"#state-{tag}")
    notice = page.locator(f"#state-{tag}")
    assert notice.is_visible() and f"只显示“{state}”的 {rows} 项措施" in notice.inner_text()
    visible = [items.nth(i) for i in range(everything) if items.nth(i).is_visible()]
    assert len(visible) == rows
    assert all(item.get_attribute("data-st") == tag for item in visible)
    notice.get_by_role("link", name="显示全部").click()
    assert sum(items.nth(i).is_visible() for i in range(everything)) == everything
    page.go_back()  # Back brings the filter back: it lives in the address
    assert sum(items.nth(i).is_visible() for i in range(everything)) == rows


def test_filtered_plan_page_passes_axe(examples_url, page):
    from support.browser import axe_problems

    paths = ["plans/progress-report/", "plans/progress-report/#state-doing", "units/ex-qu-zsj-bangongshi/#state-none"]
    assert not axe_problems(page, examples_url, paths)


def test_states_have_one_source():
    """model.STATES is the table: the schema offers its documented words, the CSS filters each tag."""
    schema = json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8"))
    offered = schema["definitions"]["status_details"]["properties"]["state"]["enum"]
    assert offered == [state.word for state in STATES if state.documented]
    css = (TEMPLATES_DIR / "static" / "site.css").read_text(encoding="utf-8")
    filtered = set(re.findall(r'#state-([a-z]+):target ~ \* \[data-st\]:not\(\[data-st="\1"\]\)', css))
    assert filtered == {state.tag for state in STATES}
