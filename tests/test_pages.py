"""What the pages tell a reader: checked against the content itself, not against hand-written lists."""

from __future__ import annotations

from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from generator.model import LEADING_ROLES


def soup(built_site, path: str) -> BeautifulSoup:
    return BeautifulSoup(built_site.page(path), "html.parser")


def expected_duties(site, unit_id: str) -> tuple[set, set]:
    """(plan id, anchor) pairs the unit leads and the ones it only supports, straight from the plans."""
    roles = defaultdict(set)
    for plan in site.plans:
        for measure in plan.measures:
            for assignment in measure.assignments:
                if assignment.unit is not None and assignment.unit.id == unit_id:
                    roles[(plan.id, measure.anchor)].add(assignment.role)
    leads = {key for key, found in roles.items() if found & set(LEADING_ROLES)}
    return leads, set(roles) - leads


def linked_measures(section) -> set:
    pairs = set()
    for link in section.select("ol.duty-list > li > a:first-child"):
        href = link["href"]
        path, _, anchor = href.partition("#")
        pairs.add((path.rstrip("/").split("/")[-1], anchor))
    return pairs


def all_unit_ids(site):
    return sorted({a.unit.id for p in site.plans for m in p.measures for a in m.assignments if a.unit})


def test_every_unit_page_lists_exactly_its_measures(built_site, shipped_site):
    unit_ids = all_unit_ids(shipped_site)
    assert len(unit_ids) > 40
    for unit_id in unit_ids:
        page = soup(built_site, f"units/{unit_id}/index.html")
        leads, supports = expected_duties(shipped_site, unit_id)
        assert linked_measures(page.find(id="leads").parent) == leads, unit_id
        assert linked_measures(page.find(id="supports").parent) == supports, unit_id
        assert f"牵头的措施（{len(leads)} 项）" in page.get_text()


def test_unit_page_shows_measure_text_and_plan(built_site):
    page = soup(built_site, "units/zs-czj/index.html")
    assert page.h1.get_text() == "中山市财政局"
    text = page.get_text()
    assert "按月公开全市一般公共预算收支完成情况" in text
    assert "中山市贯彻落实省政府办公厅2017年政务公开工作要点分工方案" in text
    assert "文中称“市财政局”" in text


def test_measure_anchors_exist_on_plan_pages(built_site, shipped_site):
    for plan in shipped_site.plans:
        page = soup(built_site, f"plans/{plan.id}/index.html")
        rows = page.select("table.measures tbody tr")
        assert [row["id"] for row in rows] == [m.anchor for m in plan.measures]


def test_plan_page_shows_metadata_and_units(built_site):
    page = soup(built_site, "plans/cz-jxw-2018/index.html")
    meta = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in page.select("dl.plan-meta dt")}
    assert meta["索引号"] == "014109453/2018-00070"
    assert meta["文号"] == "常经信办〔2018〕□11号"
    assert meta["成文日期"] == "2018年7月26日" and meta["发布日期"] == "2018年7月27日"
    assert meta["主题分类"] == "电子政务"
    assert page.find("h1").get_text() == "市经信委2018年政务公开工作要点实施方案"
    row = page.find(id="s2-p2-m3")
    leads = [a.get_text() for a in row.select("td a.unit-link")]
    assert leads == ["法规处", "执法支队", "信用办"]


def test_inherited_unit_shows_on_every_row(built_site):
    page = soup(built_site, "plans/zs-2017/index.html")
    section = page.find(id="s2").parent
    rows = section.select("tbody tr")
    fifth = rows[4]
    assert fifth.th.get_text(" ", strip=True).startswith("5.")
    assert [a.get_text() for a in fifth.select("a.unit-link")] == ["市财政局"]
    assert fifth.select_one("a.unit-link")["href"] == "../../units/zs-czj/"


def test_collectives_are_marked_and_not_linked(built_site):
    page = soup(built_site, "plans/zs-jrj-2022/index.html")
    first = page.find(id="s1-p1-m1")
    collective = first.select_one(".collective")
    assert collective.get_text() == "各科室统称"
    assert not first.select("a.unit-link")
    index = soup(built_site, "units/index.html").get_text()
    assert "各科室" not in index.split("不列入索引。")[1]


def test_units_index_groups_by_body_in_pinyin_order(built_site, shipped_site):
    page = soup(built_site, "units/index.html")
    headings = [h.get_text() for h in page.select("main section h2")]
    assert "中山市工业和信息化局" in headings and "常州市经济和信息化委员会" in headings
    section = page.find("h2", string="中山市工业和信息化局").parent
    names = [th.get_text() for th in section.select("tbody th")]
    assert names[:3] == ["办公室", "财务室", "产业政策科"]  # bàn, cái, chǎn
    row = section.find("a", string="办公室").find_parent("tr")
    leads, supports = expected_duties(shipped_site, "zs-gxj-bangongshi")
    counts = [td.get_text().removeprefix(td.select_one(".cell-label").get_text()) for td in row.select("td")]
    assert counts == [str(len(leads)), str(len(supports))]


def test_department_page_spans_names_and_years(built_site):
    page = soup(built_site, "departments/zs-gxj/index.html")
    plans = page.find(id="plans").parent.get_text()
    assert "以“中山市经济和信息化局”名义发布" in plans and "2018年" in plans
    assert "中山市工业和信息化局2022年政务公开工作要点分工方案" in plans
    sections = [th.get_text() for th in page.find(id="sections").parent.select("tbody th")]
    assert "产业政策与法制科" in sections and "信息中心" in sections
    upward = page.find(id="upward").parent
    assert "中山市贯彻落实省政府办公厅2017年政务公开工作要点分工方案" in upward.get_text()
    assert len(upward.select("ol.duty-list li")) == 10


def test_home_lists_plans_by_year_and_department(built_site, shipped_site):
    page = soup(built_site, "index.html")
    by_year = page.find(id="by-year").parent
    assert [h.get_text() for h in by_year.select("h3")] == ["2022年", "2018年", "2017年"]
    assert len(by_year.select("li a")) == len(shipped_site.plans)
    by_department = page.find(id="by-department").parent.get_text()
    assert "中山市工业和信息化局" in by_department and "2 份计划" in by_department


def test_every_page_is_chinese_with_one_h1_and_a_skip_link(built_site):
    for path in built_site.files:
        if not path.endswith(".html"):
            continue
        page = soup(built_site, path)
        assert page.html["lang"] == "zh-CN", path
        assert len(page.find_all("h1")) == 1, path
        first_link = page.body.find("a")
        assert first_link["href"] == "#main" and page.find("main", id="main"), path


def test_404_page_links_from_base_path(built_site):
    page = soup(built_site, "404.html")
    assert page.find("link", rel="stylesheet")["href"] == "/assets/site.css"
    assert {a["href"] for a in page.select("main a")} == {"/", "/plans/", "/units/"}


@pytest.mark.parametrize("path", ["index.html", "plans/zs-2017/index.html", "units/zs-czj/index.html"])
def test_pages_need_nothing_from_other_hosts(built_site, path):
    page = soup(built_site, path)
    for tag in page.find_all(["link", "script", "img", "iframe"]):
        address = tag.get("href") or tag.get("src") or ""
        assert not address.startswith(("http:", "https:", "//")), address
