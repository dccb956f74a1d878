"""Issue 20, points 1, 3 and 4 on the pages: the newest report's word first and the earlier ones as
a timeline under it; each unit's own part; 逾期 said in words with the deadline and the report's
day; summaries by state and by overdue or not; each record across plans as an SVG chart with the
same figures in a table beside it, readable at 特大, in 高对比度 and on paper.

The site is tests/fixtures/reports/ over the shipped registry and three shipped plans
(support/reports.py); its README says what each measure of jrj-2023 was made to show."""

from __future__ import annotations

import copy
import re
import sys

import pytest

from conftest import ROOT
from generator import charts

PLAN = "plans/jrj-2023/index.html"
CHART_PAGES = ["departments/zs-jrj/", "departments/zs-gxj/", "units/zs-jrj-zongheke/", "units/zs-jrj-jinrongfazhanke/"]


def status_cell(soup, anchor: str):
    """The 落实情况 cell of a measure's row."""
    return soup.find("tr", id=anchor).find_all("td")[-1]


def newest(element):
    """What shows before the timeline: the newest word, the units' parts, 逾期 at the newest report."""
    element = copy.copy(element)
    for details in element.select("details.timeline"):
        details.decompose()
    return element


def steps(element) -> list:
    return element.select("details.timeline ol > li")


def tags(element) -> list[str]:
    return [tag.get_text() for tag in element.select(".status-tag")]


def lates(element) -> list[str]:
    return [late.get_text() for late in element.select(".late")]


def duty(reports_site, unit: str, anchor: str):
    """One duty of a unit page, by the row of jrj-2023 it links to, as its 落实情况 field."""
    page = reports_site.soup(f"units/{unit}/index.html")
    item = next(li for li in page.select("ol.duty-list > li") if li.find("a")["href"].endswith(f"jrj-2023/#{anchor}"))
    return item.select_one(".duty-field--reading")


def test_the_newest_word_comes_first_and_earlier_reports_follow_newest_first(reports_site):
    page = reports_site.soup(PLAN)
    cell = status_cell(page, "s1-m2")
    assert tags(newest(cell)) == ["已完成"] and "平台已上线运行。" in newest(cell).get_text()
    assert not newest(cell).select(".status__as-of"), "the plan's newest report needs no name or date beside it"
    timeline = steps(cell)
    assert [step.select_one(".timeline__when").get_text() for step in timeline] == [
        "半年报告 · 截至2023年7月15日", "计划文件所载 · 截至2023年3月31日"]
    assert [tags(step) for step in timeline] == [["未启动"], ["推进中"]]
    assert "选型尚未开始。" in timeline[0].get_text() and "正在调研需求。" in timeline[1].get_text()
    assert cell.select_one("details.timeline > summary").get_text() == "此前的报告（2 次）"
    # 1.: the year-end report skipped it: its newest word names the report and the day it speaks of.
    first = newest(status_cell(page, "s1-m1"))
    assert tags(first) == ["已完成"] and first.select_one(".status__as-of").get_text() == "半年报告 · 截至2023年7月15日"
    assert [step.select_one(".timeline__when").get_text() for step in steps(status_cell(page, "s1-m1"))] == [
        "计划文件所载 · 截至2023年3月31日"]


def test_the_plan_lists_its_reports_beside_its_metadata(reports_site):
    page = reports_site.soup(PLAN)
    listed = page.select("section.reports .report-list > li")
    assert [item.select_one(".report-list__kind").get_text() for item in listed] == ["年度总结", "半年报告", "计划文件所载落实情况"]
    assert [item.find("time")["datetime"] for item in listed] == ["2023-12-31", "2023-07-15", "2023-03-31"]
    half = listed[1].get_text(" ", strip=True)
    assert "中山市金融工作局2023年上半年政务公开工作落实情况" in half and "文号：中金函〔2023〕12号" in half
    assert listed[1].find("a")["href"] == "https://www.example.gov.cn/jrj/2023-h1.html"
    assert page.select_one("dl.plan-meta").find_next_sibling() is page.select_one("section.reports")
    assert not reports_site.soup("plans/zs-gxj-2022/index.html").select("section.reports"), \
        "a plan whose only 落实情况 is its own lists no reports"


def test_overdue_is_said_with_the_deadline_and_the_report_day_and_not_before(reports_site):
    page = reports_site.soup(PLAN)
    assert lates(newest(status_cell(page, "s1-m4"))) == [
        "逾期（产业金融科）：完成时限2023年9月底前，截至2023年12月31日未报告完成"]
    milestone = steps(status_cell(page, "s1-m2"))
    assert [lates(step) for step in milestone] == [
        ["逾期：时间节点2023年4月“完成选型”，截至2023年7月15日未报告开展"], []]  # not at 31 March
    assert not lates(newest(status_cell(page, "s1-m2"))), "done by the year's end"
    quarterly = status_cell(page, "s1-m3")
    assert not lates(newest(quarterly))
    [skipped] = steps(quarterly)
    assert skipped.select_one(".timeline__none").get_text() == "本次报告未提及此项。"
    assert lates(skipped) == ["逾期：完成时限每季度末（本年度已到期2期，最近一期2023年6月30日），截至2023年7月15日未报告开展"]
    assert not lates(status_cell(page, "s1-m1")), "due in June, done by 15 July, not yet due on 31 March"
    event = status_cell(page, "s2-m2")
    assert not lates(event) and tags(event) == ["未报告"], "a deadline counted from an event is never reckoned"
    for mark in page.select(".late"):
        assert mark.strong.get_text().startswith("逾期"), "the word itself says it, not a colour"


def test_a_measure_reported_per_unit_shows_each_unit_s_last_word(reports_site):
    cell = newest(status_cell(reports_site.soup(PLAN), "s2-m1"))
    parts = [(part.select_one(".said__unit").get_text(), tags(part), part.find("p").get_text(),
              part.select_one(".status__as-of").get_text() if part.select_one(".status__as-of") else "")
             for part in cell.select(".unit-parts > li")]
    assert parts == [("综合科：", ["已完成"], "办事指南已更新。", "半年报告 · 截至2023年7月15日"),
                     ("金融发展科：", ["推进中"], "问答仍在整理，计划明年一季度公开。", "")]
    assert lates(cell) == ["逾期（金融发展科）：完成时限2023年6月底前，截至2023年12月31日未报告完成"]


def test_a_unit_page_shows_the_unit_s_own_part(reports_site):
    behind = duty(reports_site, "zs-jrj-chanyejinrongke", "s1-m4")
    assert tags(newest(behind)) == ["未启动"] and "尚未开展。" in behind.get_text()
    assert "已发布解读3篇" not in behind.get_text(), "another unit's part is not this unit's"
    assert lates(newest(behind)) == ["逾期（产业金融科）：完成时限2023年9月底前，截至2023年12月31日未报告完成"]
    done = duty(reports_site, "zs-jrj-zongheke", "s1-m4")
    assert tags(newest(done)) == ["已完成"] and "已发布解读3篇。" in done.get_text() and not lates(done)
    split = duty(reports_site, "zs-jrj-zongheke", "s2-m1")
    assert tags(split) == ["已完成"] and "办事指南已更新。" in split.get_text()
    assert "问答" not in split.get_text() and not lates(split)
    other = duty(reports_site, "zs-jrj-jinrongfazhanke", "s2-m1")
    assert tags(newest(other)) == ["推进中"] and lates(newest(other)) == [
        "逾期（金融发展科）：完成时限2023年6月底前，截至2023年12月31日未报告完成"]
    [earlier] = steps(other)
    assert "问答正在整理。" in earlier.get_text() and "办事指南" not in earlier.get_text()
    assert lates(earlier) == ["逾期（金融发展科）：完成时限2023年6月底前，截至2023年7月15日未报告完成"]


def summary(soup) -> dict:
    """The summary's counts as a reader sees them: state word (or 逾期 / 未逾期) → count."""
    found = {}
    for item in soup.select("section.progress .state-counts li"):
        word = item.select_one(".state-name").contents[0].get_text()
        found[word] = int(item.b.get_text().split()[0])
    return found


def test_summaries_count_what_the_rows_show(reports_site):
    """Each count is the number of rows (plan page) or duties (unit page) that show it."""
    for path, rows in [(PLAN, "table.measures tbody tr"), ("units/zs-jrj-zongheke/index.html", "ol.duty-list > li"),
                       ("units/zs-jrj-jinrongfazhanke/index.html", "ol.duty-list > li")]:
        page = reports_site.soup(path)
        shown = page.select(rows)
        counts = summary(page)
        by_tag = {}
        for row in shown:
            by_tag[row["data-st"]] = by_tag.get(row["data-st"], 0) + 1
        states = {word: count for word, count in counts.items() if word not in ("逾期", "未逾期")}
        words = {"done": "已完成", "ongoing": "持续推进", "doing": "推进中", "todo": "未启动", "reported": "已报告", "none": "未报告"}
        assert states == {words[tag]: count for tag, count in by_tag.items()}, path
        assert counts.get("逾期", 0) == sum(1 for row in shown if lates(newest(row))), path
    assert summary(reports_site.soup(PLAN)) == {"已完成": 2, "持续推进": 1, "已报告": 2, "未报告": 1, "逾期": 2, "未逾期": 3}
    assert "另有 1 项没有可对照的时限" in reports_site.soup(PLAN).select_one("section.progress").get_text()
    department = summary(reports_site.soup("departments/zs-jrj/index.html"))
    assert (department["逾期"], department["未逾期"]) == (2, 3)


def test_year_listings_sum_each_year(reports_site):
    line = ("6 项措施：已完成 2 项，持续推进 1 项，已报告（本站标注） 2 项，未报告（本站标注） 1 项；"
            "有时限可对照的 5 项中，逾期 2 项、未逾期 3 项。")
    for path, heading in [("index.html", "h3"), ("plans/index.html", "h2")]:
        page = reports_site.soup(path)
        years = {h.get_text(): h.find_next_sibling("p", class_="tally").get_text()
                 for h in page.find_all(heading) if re.fullmatch(r"\d{4}年", h.get_text())}
        assert years["2023年"] == line, path
        assert years["2018年"] == "25 项措施：未报告（本站标注） 25 项。", path


def chart_and_table(soup):
    """The chart's bars as drawn and the table's rows as written, row by row."""
    svg = soup.select_one("svg.chart")
    bars = []
    for row in svg.select("g.chart__row"):
        widths = {rect["class"][0].removeprefix("chart__"): float(rect["width"]) for rect in row.find_all("rect")}
        label, figures = (text.get_text() for text in row.find_all("text"))
        bars.append((label, widths, figures))
    table = []
    for tr in soup.select("table.record-table tbody tr"):
        cells = [td.get_text() for td in tr.find_all("td")]
        done = re.fullmatch(r"(\d+) 项（(\d+)%）", cells[1])
        table.append((tr.th.select_one(".record-table__label").get_text(), int(cells[0].removesuffix(" 项")),
                      int(done[1]), int(done[2]), None if cells[2] == "—" else int(cells[2].removesuffix(" 项"))))
    return svg, bars, table


@pytest.mark.parametrize("path", CHART_PAGES)
def test_each_chart_has_a_table_beside_it_with_the_same_figures(reports_site, path):
    soup = reports_site.soup(path + "index.html")
    svg, bars, table = chart_and_table(soup)
    assert svg["role"] == "img" and soup.find(id=svg["aria-labelledby"]).name == "title"
    assert "数字见旁边的表格" in soup.find(id=svg["aria-describedby"]).get_text()
    assert soup.select_one(".record .record-table"), "the table is beside the chart"
    assert [bar[0] for bar in bars] == [row[0] for row in table] and bars
    largest = max(total for _, total, _, _, _ in table)
    for (label, widths, figures), (_, total, done, share, overdue) in zip(bars, table):
        scale = charts.LONGEST_BAR / largest
        assert widths["outline"] == pytest.approx(total * scale, abs=0.1), label
        assert widths.get("done", 0) == pytest.approx(done * scale, abs=0.1), label
        assert widths.get("late", 0) == pytest.approx((overdue or 0) * scale, abs=0.1), label
        assert sum(widths[k] for k in widths if k != "outline") == pytest.approx(total * scale, abs=0.2), label
        assert figures == f"{total}项 · 完成{share}% · 逾期{'—' if overdue is None else overdue}", label
        assert share == (200 * done + total) // (2 * total)


def test_the_records_count_what_the_plan_pages_show(reports_site):
    """A department's row for a plan holds that plan page's own counts; a unit's, its duties."""
    _, _, table = chart_and_table(reports_site.soup("departments/zs-jrj/index.html"))
    assert [row[0] for row in table] == ["2022年", "2023年"], "oldest first"
    for (label, total, done, _, overdue), plan in zip(table, ["zs-jrj-2022", "jrj-2023"]):
        page = reports_site.soup(f"plans/{plan}/index.html")
        rows = page.select("table.measures tbody tr")
        assert total == len(rows)
        assert done == sum(1 for row in rows if row["data-st"] == "done")
        assert (overdue or 0) == sum(1 for row in rows if lates(newest(row)))
    assert table[0][4] is None, "2022 has no deadline to hold anything to"
    _, _, table = chart_and_table(reports_site.soup("units/zs-jrj-zongheke/index.html"))
    page = reports_site.soup("units/zs-jrj-zongheke/index.html")
    mine = [li for li in page.select("ol.duty-list > li") if "/jrj-2023/#" in li.find("a")["href"]]
    assert table[-1][1:3] == (len(mine), sum(1 for li in mine if li["data-st"] == "done"))


def test_two_plans_of_one_year_are_told_apart(reports_site):
    from generator import site as site_stage

    plans = [reports_site.plan("zs-jrj-2022"), reports_site.plan("jrj-2023")]
    plans[1].year = 2022  # a moment's pretence on this session's own copy, put back below
    try:
        rows = site_stage.record([(plan, []) for plan in plans])
    finally:
        plans[1].year = 2023
    assert [row.label for row in rows] == ["2022年①", "2022年②"]


def test_a_build_on_another_day_in_another_process_writes_the_same_bytes(reports_site, tmp_path):
    """Overdue is reckoned from the content alone: a build whose clock says 2031 writes what this
    session built."""
    import subprocess

    later = ("import datetime, sys, time, runpy\n"
             "time.time = lambda: 1925000000.0\n"
             "class Later(datetime.datetime):\n"
             "    @classmethod\n"
             "    def now(cls, tz=None): return cls(2031, 1, 1, tzinfo=tz)\n"
             "    @classmethod\n"
             "    def today(cls): return cls(2031, 1, 1)\n"
             "class Day(datetime.date):\n"
             "    @classmethod\n"
             "    def today(cls): return cls(2031, 1, 1)\n"
             "datetime.datetime, datetime.date = Later, Day\n"
             f"sys.argv = ['build.py', 'build', '--content', {str(reports_site.content)!r}, '--output', {str(tmp_path / 'out')!r}]\n"
             f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", later], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    written = {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in (tmp_path / "out").rglob("*")
               if p.is_file() and p.name != ".zwgk-build"}
    assert written == reports_site.files


# In the browser: the chart's geometry at every text size, without colour, in high contrast, on paper.

CHART_GEOMETRY = """() => {
  const svg = document.querySelector('svg.chart');
  const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent}; };
  /* the size a text is drawn at: its font size through the chart's scaling */
  const drawn = el => Object.assign(box(el), {size: parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a});
  const region = svg.closest('.chart-region');
  return {
    svg: box(svg), texts: Array.from(svg.querySelectorAll('text'), drawn),
    bars: Array.from(svg.querySelectorAll('rect[class]:not(.chart__paper)'), box),
    body: parseFloat(getComputedStyle(document.body).fontSize),
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    region: {scrolls: region.scrollWidth > region.clientWidth, tabindex: region.getAttribute('tabindex')},
  };
}"""


def overlap(a, b, slack=0.5) -> bool:
    return a["left"] < b["right"] - slack and b["left"] < a["right"] - slack and \
        a["top"] < b["bottom"] - slack and b["top"] < a["bottom"] - slack


@pytest.mark.parametrize("path", ["departments/zs-jrj/", "units/zs-jrj-zongheke/"])
def test_the_chart_is_readable_at_every_text_size_on_every_screen(reports_url, page, path):
    problems = []
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reports_url + path)
        for size in ("normal", "large", "x-large"):
            page.evaluate("size => document.documentElement.setAttribute('data-text-size', size)", size)
            found = page.evaluate(CHART_GEOMETRY)
            where = f"{path} at {width} px, {size}"
            texts, bars, svg = found["texts"], found["bars"], found["svg"]
            for i, text in enumerate(texts):
                if text["size"] < found["body"] * 0.99:
                    problems.append(f"{where}: “{text['text']}” is drawn at {text['size']:.1f} px, under the page's {found['body']} px")
                if text["left"] < svg["left"] - 0.5 or text["right"] > svg["right"] + 0.5:
                    problems.append(f"{where}: “{text['text']}” runs out of the chart")
                problems += [f"{where}: “{text['text']}” meets “{other['text']}”" for other in texts[i + 1:] if overlap(text, other)]
                problems += [f"{where}: “{text['text']}” meets a bar" for bar in bars if overlap(text, bar)]
            if found["page"] > 0:
                problems.append(f"{where}: the page scrolls sideways")
            if found["region"]["scrolls"] and found["region"]["tabindex"] != "0":
                problems.append(f"{where}: the chart scrolls in a region the keyboard cannot reach")
    assert not problems, "\n".join(problems)


FILLS = """() => Object.fromEntries(['done', 'late', 'rest'].map(kind => {
  const rect = document.querySelector('svg.chart g.chart__row rect.chart__' + kind);
  return [kind, getComputedStyle(rect).fill];
}))"""


def test_the_chart_s_parts_differ_without_colour_and_in_high_contrast(reports_url, page):
    page.goto(reports_url + "departments/zs-jrj/")  # 2023: done, overdue and the rest
    for contrast in (False, True):
        if contrast:
            page.get_by_role("button", name="高对比度").click()
        fills = page.evaluate(FILLS)
        assert fills["late"].startswith("url(") and "hatch" in fills["late"], fills  # a pattern, not a colour
        assert fills["done"] != fills["rest"], fills
        if contrast:
            assert fills["done"] == "rgb(0, 0, 0)" and fills["rest"] == "rgb(255, 255, 255)", fills
    legend = [text.text_content() for text in page.locator("svg.chart > g > text").all()]
    assert legend == ["已完成", "逾期", "其余"], "each kind of part is named on the chart itself"


def test_the_timeline_opens_by_keyboard_and_without_javascript(reports_url, page, page_without_javascript):
    for browser_page in (page, page_without_javascript):
        browser_page.goto(reports_url + "plans/jrj-2023/")
        cell = browser_page.locator("#s1-m2 td").last
        earlier = cell.get_by_text("选型尚未开始。")
        assert not earlier.is_visible()
        summary = cell.locator("details.timeline > summary")
        if browser_page is page:
            summary.focus()
            browser_page.keyboard.press("Enter")
        else:
            summary.click()
        assert earlier.is_visible()
    snapshot = page.locator("#s1-m2 details.timeline").aria_snapshot()
    assert "此前的报告（2 次）" in snapshot and "listitem" in snapshot


def test_print_opens_the_timelines_and_keeps_the_chart_on_the_paper(reports_url, page):
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(reports_url + "plans/jrj-2023/")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.get_by_text("逾期：时间节点2023年4月“完成选型”").is_visible(), "an earlier report's 逾期 is printed"
    page.goto(reports_url + "departments/zs-jrj/")
    page.emulate_media(media="print")
    assert page.locator("svg.chart").is_visible() and page.locator("table.record-table").is_visible()
    right = page.evaluate("document.querySelector('svg.chart').getBoundingClientRect().right")
    assert right <= 794, f"the chart reaches {right} px on a page 794 px wide"
