"""Chinese search with the real lunr.js: the same tokens in Python and JavaScript, exact answers
to the queries citizens type, characters beyond U+FFFF, and the search page in Chromium."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from browser_support import require
from conftest import ROOT, run_cli
from generator import build as pipeline
from generator.search import FIELDS, documents
from generator.tokenize import normalize, tokenize

HARNESS = ROOT / "tests" / "js" / "harness.js"
QUERIES = ["预决算", "政策解读", "依申请公开", "权责清单", "新闻发布会", "办公室", "2017", "网站集约化",
           "市财政局", "产业政策与法制科", "河", "审", "12345", "ppp", "政务 公开", "部门20", "以及2", "6年度"]


def node(request: dict):
    require(shutil.which("node") is not None, "Node.js", "apt-get install nodejs npm")
    require((ROOT / "node_modules" / "lunr").exists(), "lunr (npm)", "npm ci --ignore-scripts")
    result = subprocess.run(["node", str(HARNESS)], input=json.dumps(request), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def expected_measures(site, query: str) -> set[str]:
    """Refs of the measures whose own text, status, units, plan title or headings contain the query."""
    parts = normalize(query).split()
    found, number = set(), 0
    for plan in site.plans:
        for measure in plan.measures:
            names = []
            for a in measure.assignments:
                names += [a.written] + ([a.unit.name] if a.unit else [])
            texts = [measure.requirement, measure.text, measure.remarks, measure.status.text if measure.status else "",
                     *names, plan.title, measure.section.heading,
                     (measure.point.label + measure.point.title) if measure.point else ""]
            haystack = normalize("\n".join(texts))
            if all(part in haystack for part in parts):
                found.add(f"m{number}")
            number += 1
    return found


TRICKY_TEXTS = [
    "", "   ", "政务公开", "河", "做好12345政务热线", "ＰＰＰ项目（一）１２３", "〔2017〕65号", "中府办函(2020)187号",
    "𠀀𠀁𠀂 与 𪚥字", "a𠀀b", "Ⅻ ﬁ ㈠ ㍻", "Café déjà vu", "İstanbul ΣΊΣΥΦΟΣ", "1+1+9", "e-mail: a_b@c.d",
    "“三审三校”“先审后发”", "〇一二三", "漢字かなカナ한글", "emoji 😀 政务", "tab\t换行\n政务",
]


def test_python_and_javascript_tokenizers_agree(shipped_site):
    texts = list(TRICKY_TEXTS)
    for plan in shipped_site.plans:
        texts += [plan.title] + [m.text for m in plan.measures] + [m.status.text for m in plan.measures if m.status]
    assert node({"mode": "tokenize", "texts": texts}) == [tokenize(text) for text in texts]


def test_tokenizer_rules():
    assert tokenize("政务公开") == ["政务", "务公", "公开"]
    assert tokenize("河") == ["河"]
    assert tokenize("做好12345政务热线") == ["做好", "12345", "政务", "务热", "热线"]
    assert tokenize("ＰＰＰ（ＰＰＰ）") == ["ppp", "ppp"]
    assert tokenize("𠀀𠀁河") == ["𠀀𠀁", "𠀁河"]


def test_queries_return_exactly_the_measures_that_contain_them(built_site, shipped_site):
    answers = node({"mode": "search", "assets": str(built_site.output / "assets"),
                    "queries": [{"q": q} for q in QUERIES]})
    for query, answer in zip(QUERIES, answers):
        got = {ref for ref in answer["refs"] if ref.startswith("m")}
        expected = expected_measures(shipped_site, query)
        assert expected, f"{query}: the query set should only hold queries with answers"
        assert got == expected, f"{query}: missing {sorted(expected - got)}, extra {sorted(got - expected)}"


def test_unit_and_plan_titles_rank_first(built_site):
    (answer,) = node({"mode": "search", "assets": str(built_site.output / "assets"), "queries": [{"q": "市财政局"}]})
    assert answer["refs"][0].startswith("u"), answer["refs"][:3]
    (answer,) = node({"mode": "search", "assets": str(built_site.output / "assets"), "queries": [{"q": "金融工作局"}]})
    assert answer["refs"][0][0] in "pu", answer["refs"][:3]


def test_no_match_returns_nothing(built_site):
    answers = node({"mode": "search", "assets": str(built_site.output / "assets"),
                    "queries": [{"q": "火星移民"}, {"q": "xyzzy"}, {"q": "预决算 火星"}, {"q": "，。"}]})
    assert [answer["refs"] for answer in answers] == [[], [], [], []]


def test_filters_narrow_the_results(built_site, shipped_site):
    assets = str(built_site.output / "assets")
    everything, by_year, by_unit, by_department = node({"mode": "search", "assets": assets, "queries": [
        {"q": "公开"}, {"q": "公开", "year": "2022"}, {"q": "公开", "unit": "zs-czj"},
        {"q": "公开", "department": "zs-jrj"}]})
    docs = documents(shipped_site)[1]
    measures = lambda refs: [docs["measures"][int(r[1:])] for r in refs if r.startswith("m")]  # noqa: E731
    assert set(by_year["refs"]) < set(everything["refs"]) and by_year["refs"]
    assert all(docs["plans"][m["plan"]]["year"] == 2022 for m in measures(by_year["refs"]))
    assert by_unit["refs"] and all("zs-czj" in m["unitIds"] for m in measures(by_unit["refs"]))
    assert by_department["refs"] and all("zs-jrj" in m["departments"] for m in measures(by_department["refs"]))


def test_characters_beyond_the_bmp_load_and_are_found(content_copy, tmp_path):
    """lunr.py sorts by code point, lunr.js needs UTF-16 order: the build re-sorts, or this fails."""
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("规范行政法规使用", "规范𠀀𠀁行政法规使用﨑𪚥", 1)
    plan.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    assert run_cli("build", "--content", str(content_copy), "--output", str(output)).returncode == 0
    (answer,) = node({"mode": "search", "assets": str(output / "assets"), "queries": [{"q": "𠀀𠀁"}]})
    assert len(answer["refs"]) == 1
    (answer,) = node({"mode": "search", "assets": str(output / "assets"), "queries": [{"q": "𪚥"}]})
    assert len(answer["refs"]) == 1
    # The same index in lunr.py's own order is refused by lunr.js: the re-sort is what makes it load.
    script = (output / "assets" / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("=") + 1:].rstrip().rstrip(";"))
    index["invertedIndex"].sort(key=lambda entry: entry[0])
    for entry in index["invertedIndex"]:
        for field in FIELDS:
            entry[1].setdefault(field, {})
    raw = tmp_path / "codepoint-order.json"
    raw.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    refused = node({"mode": "load-raw", "file": str(raw)})
    assert not refused["ok"] and "Out of order" in refused["error"]


def test_search_payload_is_small(built_site):
    payload = ["assets/lunr.min.js", "assets/tokenize.js", "assets/search-core.js", "assets/search.js",
               "assets/search-index.js", "assets/search-docs.js"]
    total = sum(len(gzip.compress((built_site.output / name).read_bytes(), 9)) for name in payload)
    assert total <= 150 * 1024, f"search payload {total} bytes gzipped"


def test_lunr_is_copied_from_node_modules_not_the_repository():
    assert not list(ROOT.glob("templates/**/lunr*.js")) and not list(ROOT.glob("generator/**/lunr*.js"))
    shipped = (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()
    assert pipeline.build_files(ROOT / "content")["assets/lunr.min.js"] == shipped


# --- the search page in Chromium ---------------------------------------------------------


def test_header_search_by_keyboard_shows_results(site_url, page):
    page.goto(site_url)
    page.keyboard.press("Tab")  # skip link
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("预决算")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("找到 2 条")
    first = page.locator("#search-results li").first
    assert first.locator("mark").first.inner_text() in ("预决算", "预决", "决算")
    href = first.locator("a").get_attribute("href")
    assert "#s" in href
    first.locator("a").click()
    assert page.locator(f"[id='{href.split('#')[1]}']").count() == 1


def test_filters_are_in_the_address_and_the_back_button_works(site_url, page):
    page.goto(site_url + "search/?q=" + quote("公开"))
    everything = page.locator("#search-results li").count()
    page.select_option("#search-year", "2022")
    assert "year=2022" in page.url
    narrowed = page.locator("#search-results li").count()
    assert 0 < narrowed < everything
    page.go_back()
    assert page.locator("#search-year").input_value() == ""
    assert page.locator("#search-results li").count() == everything
    page.goto(site_url + "search/?q=" + quote("公开") + "&year=2022")  # a shared address
    assert page.locator("#search-results li").count() == narrowed


def test_no_results_says_so_and_points_to_the_index(site_url, page):
    page.goto(site_url + "search/?q=" + quote("火星移民"))
    assert page.locator("#search-status").inner_text() == "没有找到与“火星移民”有关的结果。"
    help_box = page.locator("#search-empty")
    assert help_box.is_visible() and help_box.get_by_role("link", name="在牵头单位索引中按单位查找").count() == 1


def test_search_page_without_javascript_explains_and_links(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=" + quote("预决算"))
    assert page.get_by_text("搜索需要浏览器启用 JavaScript").is_visible()
    assert page.get_by_role("link", name="浏览全部计划").is_visible()
    assert page.get_by_role("link", name="查看牵头单位索引").is_visible()
    assert not page.locator("#search-form").is_visible()
    context.close()


def test_search_results_are_text_not_html(tmp_path, content_copy, browser):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8").replace("规范行政法规使用", "规范<img src=x onerror=alert(1)>行政法规使用", 1)
    plan.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    assert run_cli("build", "--content", str(content_copy), "--output", str(output)).returncode == 0
    from browser_support import StaticServer

    server = StaticServer(output)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + "search/?q=" + quote("行政法规"))
    assert "<img" in page.locator("#search-results").inner_text()
    assert page.locator("#search-results img").count() == 0 and not dialogs
    page.close()
    server.close()
