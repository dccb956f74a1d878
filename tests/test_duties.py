"""Issue 10, point 2: a unit's page carries the whole duty: the role in the document's words,
deadline and milestones, 备注, 落实情况 with its date and state, a link to the row; of a
measure split among units, the unit's own part, with the rest folded and marked as others'."""

from __future__ import annotations

from bs4 import BeautifulSoup



def duties(soup) -> dict:
    """The unit page's duties by the row they link to: `plan-id#anchor`."""
    found = {}
    for item in soup.select("ol.duty-list > li"):
        path, anchor = item.find("a")["href"].split("#")
        found[f"{path.rstrip('/').split('/')[-1]}#{anchor}"] = item
    return found


def test_roles_show_in_the_document_s_own_words(examples_site):
    host = examples_site.soup("units/ex-wjj-yizhengyiguangu/index.html")
    assert duties(host)["host-assist#s1-m1"].select_one(".role").get_text() == "主办"
    office = duties(examples_site.soup("units/ex-wjj-bangongshi/index.html"))
    assert office["host-assist#s1-m1"].select_one(".role").get_text() == "协办"
    each = duties(examples_site.soup("units/ex-ybj/index.html"))
    assert each["each-lead#s1-m1"].select_one(".role").get_text().startswith("分别负责")


def test_shipped_role_words_are_kept(built_site):
    page = BeautifulSoup(built_site.page("plans/zs-jrj-2022/index.html"), "html.parser")
    row = page.find(id="s1-p2-m1")
    assert "（按职能落实）" in row.get_text() and "（配合）" in row.get_text()


def test_deadline_and_milestones_at_their_own_precision(examples_site):
    item = duties(examples_site.soup("units/ex-gxt-xinxihuatuijinchu/index.html"))["milestones#s1-m1"]
    text = item.get_text(" ", strip=True)
    assert "完成时限：" in text and "2023年6月前完成系统选型，2023年10月底前上线运行" in text
    milestones = [li.get_text() for li in item.select(".milestones li")]
    assert milestones == ["2023年6月：完成系统选型", "2023年10月：上线运行"]
    assert item.select_one(".milestones time")["datetime"] == "2023-06"


def test_remarks_under_the_document_s_heading(examples_site):
    item = duties(examples_site.soup("units/ex-gxt-faguichu/index.html"))["merged-cells#s1-m2"]
    assert "备注：与政策文件清理工作同步开展" in item.get_text()


def test_report_with_its_date_and_state(examples_site):
    page = examples_site.soup("units/ex-qu-zsj-zhengwugongkaike/index.html")
    groups = {h3.a.get_text(): h3.get_text() for h3 in page.select(".duty-group h3")}
    assert "落实情况截至2023年6月30日" in groups["示例区政务服务数据管理局2023年上半年政务公开工作任务落实情况"]
    assert "落实情况" not in groups["示例区政务服务数据管理局2023年政务公开工作要点"]  # no report there
    found = duties(page)
    assert found["progress-report#s1-m1"].select_one(".status-tag").get_text() == "已完成"
    assert "已核对更新全部事项的办事指南" in found["progress-report#s1-m1"].get_text()
    assert not found["progress-report#s1-m5"].select(".status-tag")  # no state in the document: none shown
    unreported = found["progress-report#s1-m6"].select_one(".status-tag--derived")
    assert unreported.get_text() == "未报告"
    office = duties(examples_site.soup("units/ex-qu-zsj-bangongshi/index.html"))
    assert "截至2023年5月" in office["progress-report#s1-m4"].get_text()  # a report of its own date


def test_each_duty_links_to_its_row(examples_site):
    page = examples_site.soup("units/ex-gxt-bangongshi/index.html")
    links = [item.find("a")["href"] for item in page.select("ol.duty-list > li")]
    assert links
    for href in links:
        path, anchor = href.removeprefix("../../").split("#")
        plan = examples_site.soup(path + "index.html")
        assert plan.find("tr", id=anchor) is not None, href


def test_a_split_measure_shows_the_unit_s_part_and_folds_the_rest(built_site):
    """常州 二、(二) 2、: 法规处's sentence is its duty; the 12345 hotline (办公室's) is folded."""
    page = BeautifulSoup(built_site.page("units/cz-jxw-faguichu/index.html"), "html.parser")
    item = duties(page)["cz-jxw-2018#s2-p2-m2"]
    shown = "".join(p.get_text() for p in item.find_all("p", recursive=False))
    assert "推进企业咨询便捷化" in shown and "12345" not in shown
    folded = item.find("details")
    assert "12345政务热线" in folded.get_text()
    assert folded.summary.get_text() == "本措施其余部分（办公室牵头）"
    office = duties(BeautifulSoup(built_site.page("units/cz-jxw-bangongshi/index.html"), "html.parser"))
    assert "12345政务热线" in "".join(p.get_text() for p in office["cz-jxw-2018#s2-p2-m2"].find_all("p", recursive=False))


def test_the_folded_part_opens_by_keyboard(site_url, page):
    page.goto(site_url + "units/cz-jxw-faguichu/")
    item = page.locator("ol.duty-list > li").filter(has=page.locator('a[href$="#s2-p2-m2"]'))
    hotline = item.get_by_text("做好12345政务热线解答工作")
    assert not hotline.is_visible()
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    assert hotline.is_visible()


def test_unit_page_passes_axe_with_every_new_piece(examples_url, page):
    from support.browser import axe_problems

    paths = ["units/ex-gxt-faguichu/", "units/ex-gxt-xinxihuatuijinchu/", "units/ex-qu-zsj-bangongshi/"]
    assert not axe_problems(page, examples_url, paths)


def test_roles_have_one_source():
    """model.ROLE_TABLE is the table: the schema's role keys follow it and no template keeps its own words."""
    import json

    from generator.model import ROLE_TABLE
    from generator.render import TEMPLATES_DIR
    from generator.schema import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8"))["definitions"]
    keys = [role.key for role in ROLE_TABLE]
    assert [key for key in schema["responsibility"]["properties"] if key in keys] == keys
    assert set(schema["responsibility"]["properties"]) - set(keys) == {"as_written", "words", "listed"}
    assert list(schema["role_words"]["properties"]) == keys
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not any(f'"{role.key}": "{role.word}"' in text for role in ROLE_TABLE), template
