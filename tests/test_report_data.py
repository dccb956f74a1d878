"""Progress reports in the open data and the feed (issue 20.5): every report in a plan's JSON and
CSV, read back with the json and csv modules and held against the report files themselves; the
catalogue's count; an Atom entry per published report; the same bytes for the same content."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import build as pipeline
from test_reports import MID_YEAR, PLAN, YEAR_END

ATOM = "{http://www.w3.org/2005/Atom}"
PLAN_ID = "jrj-2023"
# The year-end summary was published on its own, with a 文号; a third report is still a draft.
SUMMARY = YEAR_END.replace("as_of: 2023-12-31\n", "as_of: 2023-12-31\npublished: 2024-01-20\n"
                           "document_number: 中金融〔2024〕3号\nsource: {url: https://example.gov.cn/x.html}\n")
DRAFT = """\
plan: jrj-2023
title: 中山市金融工作局2023年第三季度政务公开工作进展
kind: 季度报告
as_of: 2023-09-30
draft: true
measures:
  - measure: s1-m1
    text: 草稿中的话。
"""
REPORTS = {"jrj-2023-h1": MID_YEAR, "jrj-2023-year": SUMMARY, "jrj-2023-q3": DRAFT}


def write_reported(content: Path, order=REPORTS) -> Path:
    (content / "plans" / f"{PLAN_ID}.yaml").write_text(PLAN, encoding="utf-8")
    (content / "reports").mkdir(exist_ok=True)
    for name in order:
        (content / "reports" / f"{name}.yaml").write_text(REPORTS[name], encoding="utf-8")
    return content


@dataclass
class Built:
    content: Path
    output: Path
    files: dict

    def json(self, path: str):
        return json.loads(self.files[path].decode("utf-8"))

    def csv(self, path: str) -> list[dict]:
        raw = self.files[path]
        assert raw.startswith("\ufeff".encode("utf-8"))
        return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def reported(empty_content, tmp_path) -> Built:
    write_reported(empty_content)
    output = tmp_path / "output"
    files = pipeline.build(empty_content, output)
    return Built(empty_content, output, files)


def published_reports(content: Path) -> dict[str, dict]:
    """The report files as an editor wrote them, drafts left out."""
    found = {}
    for path in sorted((content / "reports").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("draft"):
            found[path.stem] = data
    return found


def measures_of(data: dict) -> dict[str, dict]:
    return {m["anchor"]: m for section in data["sections"]
            for m in section["measures"] + [m for point in section["points"] for m in point["measures"]]}


def test_plan_json_carries_every_report_and_what_each_said(reported):
    data = reported.json(f"data/plans/{PLAN_ID}.json")
    schema = reported.json("data/plan.schema.json")
    assert list(jsonschema.Draft7Validator(schema).iter_errors(data)) == []
    files = published_reports(reported.content)
    plan = yaml.safe_load(PLAN)
    # The plan's own 落实情况 first, then every published report file, oldest first.
    assert [(r["id"], r["own"], r["as_of"]) for r in data["reports"]] == [
        ("", True, str(plan["status_as_of"]))] + [(name, False, str(f["as_of"])) for name, f in files.items()]
    for report in data["reports"][1:]:
        written = files[report["id"]]
        assert (report["title"], report["kind"]) == (written["title"], written["kind"])
        assert report.get("document_number", "") == written.get("document_number", "")
        assert report.get("published", "") == str(written.get("published", ""))
        assert report.get("source", {}) == written.get("source", {})
    # Each measure: the plan's own status, then each report's entry for it, in the reports' order.
    measures = measures_of(data)
    anchors = list(measures)
    for number, written in enumerate(m for s in plan["sections"] for m in s["measures"]):
        expected = []
        if "status" in written:
            expected.append(("", written["status"]["text"], written["status"].get("state", ""), []))
        for name, report in files.items():
            for entry in report["measures"]:
                if entry["measure"] == anchors[number]:
                    expected.append((name, entry.get("text", ""), entry.get("state", ""),
                                     [(u["name"], u["text"], u.get("state", "")) for u in entry.get("units", [])]))
        got = [(r["report"], r["text"], r["state"], [(u["name"], u["text"], u["state"]) for u in r.get("units", [])])
               for r in measures[anchors[number]].get("readings", [])]
        assert got == expected, anchors[number]
    assert all(u["unit"]["id"] for u in measures["s1-m4"]["readings"][0]["units"])
    assert "草稿中的话。" not in reported.files[f"data/plans/{PLAN_ID}.json"].decode("utf-8")


def test_plan_json_names_each_deadline_overdue_at_each_report(reported):
    measures = measures_of(reported.json(f"data/plans/{PLAN_ID}.json"))
    overdue = {anchor: [(o["report"], o["deadline"], o["words"], o["unit"], o["milestone"], o["periods"])
                        for o in m.get("overdue", [])] for anchor, m in measures.items()}
    assert overdue == {
        "s1-m1": [],  # due in June, reported done in July
        "s1-m2": [("jrj-2023-h1", "2023-04-30", "完成选型", "", True, 0)],  # the April step, not started by July
        "s1-m3": [("jrj-2023-h1", "2023-06-30", "每季度末", "", False, 2)],  # the mid-year report skips it
        "s1-m4": [("jrj-2023-year", "2023-09-30", "2023年9月底前", "产业金融科", False, 0)],
    }


def test_csv_has_a_row_per_measure_unit_and_report(reported):
    rows = reported.csv(f"data/plans/{PLAN_ID}.csv")
    got = [(row["网址"].rsplit("#", 1)[1], row["文中名称"], row["报告编号"], row["落实状态"], row["最新"])
           for row in rows]
    assert got == [
        ("s1-m1", "综合科", "", "推进中", ""), ("s1-m1", "综合科", "jrj-2023-h1", "已完成", "是"),
        ("s1-m2", "金融发展科", "jrj-2023-h1", "未启动", ""), ("s1-m2", "金融发展科", "jrj-2023-year", "已完成", "是"),
        # skipped by the mid-year report, yet overdue at it: nothing reported by then
        ("s1-m3", "产业金融科", "jrj-2023-h1", "未报告", ""), ("s1-m3", "产业金融科", "jrj-2023-year", "持续推进", "是"),
        ("s1-m4", "综合科", "jrj-2023-h1", "已完成", "是"),
        ("s1-m4", "产业金融科", "jrj-2023-h1", "未启动", "是"),
        # the year-end summary skips it; 产业金融科's part was still not started, its deadline gone
        ("s1-m4", "产业金融科", "jrj-2023-year", "未启动", ""),
    ]
    by_key = {(row["网址"].rsplit("#", 1)[1], row["文中名称"], row["报告编号"]): row for row in rows}
    split = by_key[("s1-m4", "产业金融科", "jrj-2023-h1")]
    assert (split["本单位落实情况"], split["落实情况"], split["截至日期"]) == ("尚未开展。", "", "2023-07-15")
    assert by_key[("s1-m4", "综合科", "jrj-2023-h1")]["本单位落实情况"] == "已发布解读3篇。"
    assert by_key[("s1-m4", "产业金融科", "jrj-2023-year")]["逾期"] == "2023-09-30 2023年9月底前"
    assert by_key[("s1-m2", "金融发展科", "jrj-2023-h1")]["逾期"] == "2023-04-30 完成选型"
    assert by_key[("s1-m3", "产业金融科", "jrj-2023-h1")]["逾期"] == "2023-06-30 每季度末（已过 2 期）"
    year_end = by_key[("s1-m2", "金融发展科", "jrj-2023-year")]
    assert (year_end["报告名称"], year_end["报告类型"], year_end["落实情况"]) == (
        "中山市金融工作局2023年政务公开工作总结", "年度总结", "平台已上线运行。")
    own = by_key[("s1-m1", "综合科", "")]
    assert (own["报告名称"], own["落实情况"], own["截至日期"]) == (yaml.safe_load(PLAN)["title"], "正在起草。", "2023-03-31")


def test_a_measure_no_report_speaks_of_keeps_one_row_per_unit(reported):
    plan = reported.content / "plans" / f"{PLAN_ID}.yaml"
    plan.write_text(PLAN + """\
      - label: "5."
        text: 做好政府信息公开年度报告。
        responsibility: {lead: 综合科, support: 产业金融科}
""", encoding="utf-8")
    rows = pipeline.build_files(reported.content, workers=1)[f"data/plans/{PLAN_ID}.csv"].decode("utf-8-sig")
    rows = [row for row in csv.DictReader(io.StringIO(rows, newline="")) if row["网址"].endswith("#s1-m5")]
    assert [(row["文中名称"], row["报告编号"], row["报告名称"], row["落实状态"]) for row in rows] == [
        ("综合科", "", "", "未报告"), ("产业金融科", "", "", "未报告")]


def test_the_catalogue_counts_each_plan_s_reports_and_gives_the_latest_date(reported):
    catalogue = reported.json("data/plans.json")
    (entry,) = catalogue["plans"]
    assert (entry["reports"], entry["report_as_of"]) == (3, "2023-12-31")
    schema = reported.json("data/catalogue.schema.json")
    assert list(jsonschema.Draft7Validator(schema).iter_errors(catalogue)) == []


def test_the_same_content_gives_the_same_bytes_whatever_the_order_of_the_files(reported, tmp_path):
    """Report files written in another order (other inodes, other times) change nothing."""
    again = tmp_path / "again"
    shutil.copytree(reported.content / "registry", again / "registry")
    shutil.copy(reported.content / "site.yaml", again / "site.yaml")
    (again / "plans").mkdir()
    write_reported(again, order=list(reversed(REPORTS)))
    files = pipeline.build_files(again, workers=1)
    assert files.keys() == reported.files.keys()
    changed = [path for path in files if files[path] != reported.files[path]]
    assert changed == []


def test_the_feed_has_an_entry_for_each_published_report(reported, tmp_path):
    feed = ElementTree.fromstring(reported.files["feed.xml"])
    entries = {entry.find(f"{ATOM}title").text: entry for entry in feed.findall(f"{ATOM}entry")}
    files = published_reports(reported.content)
    plan_title = yaml.safe_load(PLAN)["title"]
    assert set(entries) == {plan_title} | {report["title"] for report in files.values()}
    updated = [entry.find(f"{ATOM}updated").text for entry in feed.findall(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
    assert feed.find(f"{ATOM}updated").text == updated[0] == "2024-01-20T00:00:00Z"  # the summary's published date
    mid = entries[files["jrj-2023-h1"]["title"]]
    assert mid.find(f"{ATOM}updated").text == "2023-07-15T00:00:00Z"  # no published date: its as-of date
    for title, entry in entries.items():
        assert entry.find(f"{ATOM}link").get("href") == f"plans/{PLAN_ID}/"
        assert (reported.output / entry.find(f"{ATOM}link").get("href") / "index.html").is_file()
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "中山市金融工作局"
    assert "中金融〔2024〕3号" in entries[files["jrj-2023-year"]["title"]].find(f"{ATOM}summary").text
    ids = {title: entry.find(f"{ATOM}id").text for title, entry in entries.items()}
    assert len(set(ids.values())) == len(ids)

    # Publishing the draft adds its entry and leaves every other id as it was.
    draft = reported.content / "reports" / "jrj-2023-q3.yaml"
    draft.write_text(DRAFT.replace("draft: true\n", ""), encoding="utf-8")
    later = ElementTree.fromstring(pipeline.build_files(reported.content, workers=1)["feed.xml"])
    later_ids = {entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}id").text for entry in later.findall(f"{ATOM}entry")}
    assert later_ids == {**ids, "中山市金融工作局2023年第三季度政务公开工作进展": "urn:zwgk:report:jrj-2023-q3"}


def test_with_base_url_a_report_s_entry_links_and_names_the_plan_page(reported):
    settings = reported.content / "site.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data.pop("base_path", None)
    data["base_url"] = "https://www.example.gov.cn/zwgk/"
    settings.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    feed = ElementTree.fromstring(pipeline.build_files(reported.content, workers=1)["feed.xml"])
    entries = {entry.find(f"{ATOM}id").text: entry for entry in feed.findall(f"{ATOM}entry")}
    assert set(entries) == {"https://www.example.gov.cn/zwgk/plans/jrj-2023/",
                            "https://www.example.gov.cn/zwgk/plans/jrj-2023/#report-jrj-2023-h1",
                            "https://www.example.gov.cn/zwgk/plans/jrj-2023/#report-jrj-2023-year"}
    for entry in entries.values():
        assert entry.find(f"{ATOM}link").get("href") == "https://www.example.gov.cn/zwgk/plans/jrj-2023/"


def test_the_guide_s_example_reports_reach_the_open_data_and_the_feed(examples_site):
    """docs/editing.md's plan with three reports: what the guide says of it holds."""
    plan_id = "reports-over-the-year"
    data = json.loads(examples_site.files[f"data/plans/{plan_id}.json"])
    assert [(r["id"], r["kind"], r["as_of"]) for r in data["reports"]] == [
        (f"{plan_id}-q1", "季度报告", "2023-03-31"), (f"{plan_id}-h1", "半年报告", "2023-07-15"),
        (f"{plan_id}-summary", "年度总结", "2023-12-31")]
    measures = measures_of(data)
    assert {anchor: [(o["report"], o["deadline"], o["words"], o["milestone"]) for o in m.get("overdue", [])]
            for anchor, m in measures.items()} == {
        "s1-m1": [], "s1-m2": [(f"{plan_id}-h1", "2023-05-31", "完成系统选型", True)], "s1-m3": [], "s1-m4": []}
    assert [[(u["name"], u["unit"]["id"], u["state"]) for u in r["units"]] for r in measures["s1-m3"]["readings"]] == [
        [("法规处", "ex-gxt-faguichu", "已完成"), ("中小企业处", "ex-gxt-zhongxiaoqiyechu", "推进中")],
        [("法规处", "ex-gxt-faguichu", "已完成"), ("中小企业处", "ex-gxt-zhongxiaoqiyechu", "已完成")]]
    feed = ElementTree.fromstring(examples_site.files["feed.xml"])
    updated = {entry.find(f"{ATOM}id").text: entry.find(f"{ATOM}updated").text for entry in feed.findall(f"{ATOM}entry")}
    assert {key: value for key, value in updated.items() if key.startswith("urn:zwgk:report:")} == {
        f"urn:zwgk:report:{plan_id}-q1": "2023-03-31T00:00:00Z", f"urn:zwgk:report:{plan_id}-h1": "2023-07-15T00:00:00Z",
        f"urn:zwgk:report:{plan_id}-summary": "2024-01-15T00:00:00Z"}


def test_a_unit_a_later_report_leaves_out_keeps_its_state_in_the_csv(reported):
    """The year-end summary speaks of 综合科's part of 4. alone: 产业金融科's row for it keeps
    the half-year word (未启动), with its passed deadline, and no text of its own."""
    path = reported.content / "reports" / "jrj-2023-year.yaml"
    path.write_text(SUMMARY + """\
  - measure: s1-m4
    units:
      - {name: 综合科, text: 全年发布解读5篇。, state: 已完成}
""", encoding="utf-8")
    text = pipeline.build_files(reported.content, workers=1)[f"data/plans/{PLAN_ID}.csv"].decode("utf-8-sig")
    rows = {(row["文中名称"], row["报告编号"]): row for row in csv.DictReader(io.StringIO(text, newline=""))
            if row["网址"].endswith("#s1-m4")}
    left_out = rows[("产业金融科", "jrj-2023-year")]
    assert (left_out["落实状态"], left_out["本单位落实情况"], left_out["逾期"], left_out["最新"]) == (
        "未启动", "", "2023-09-30 2023年9月底前", "是")
    assert (rows[("综合科", "jrj-2023-year")]["本单位落实情况"], rows[("综合科", "jrj-2023-year")]["落实状态"]) == (
        "全年发布解读5篇。", "已完成")
