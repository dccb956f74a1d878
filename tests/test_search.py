"""Chinese search on the real search files, run by the site's own search-core.js in Node and in
Chromium: the same tokens in Python and JavaScript, postings that decode to exactly those tokens,
exact answers to the queries citizens type (also across many shards and batches), a first query
that loads only what it needs, and the search page."""

from __future__ import annotations

import gzip
import json
import math
import random
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from support.browser import require
from support.chunked import write_chunked_search
from conftest import ROOT
from generator import build as pipeline
from generator import content as content_stage
from generator import postings, search_fields, tokenize as tokenize_module
from generator import search as search_stage
from generator import site as site_stage
from generator.changes import Change, ChangeKind
from generator.search_fields import measure_fields, plan_fields, unit_fields
from generator.tokenize import normalize, tokenize, words

HARNESS = ROOT / "tests" / "js" / "harness.js"
QUERIES = ["预决算", "政策解读", "依申请公开", "权责清单", "新闻发布会", "办公室", "2017", "网站集约化",
           "市财政局", "产业政策与法制科", "河", "审", "12345", "ppp", "政务 公开", "部门20", "以及2", "6年度",
           "“政策解读”", "「市财政局」", "政务-公开", "预决算。"]
# Queries with quotes, brackets and punctuation, each with the query it is the same search as
# (None: punctuation only, nothing to search).
PUNCTUATED = {"“政策”": "政策", "‹政策>": "政策", "政策。": "政策", "「政务公开」": "政务公开", "政策": "政策",
              "《政务公开》、": "政务公开", "政务，公开": "政务 公开", "“”，。": None, "……": None}


def node(request: dict):
    require(shutil.which("node") is not None, "Node.js", "apt-get install nodejs npm")
    result = subprocess.run(["node", str(HARNESS)], input=json.dumps(request), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search(site_dir: Path, *queries, **options) -> list[dict]:
    states = [query if isinstance(query, dict) else {"q": query} for query in queries]
    return node({"mode": "search", "site": str(site_dir), "queries": states, **options})


def expected_measures(site, query: str) -> set[str]:
    """Addresses of the measures whose own text, status, units, plan title or headings contain the query."""
    parts = words(query)
    found = set()
    for plan in site.plans:
        for measure in plan.measures:
            haystack = normalize("\n".join(measure_fields(measure).values()))
            if all(part in haystack for part in parts):
                found.add(f"plans/{plan.id}/#{measure.anchor}")
    return found


def measures_in(answer: dict) -> set[str]:
    return {url for url in answer["urls"] if "#" in url}


TRICKY_TEXTS = [
    "", "   ", "政务公开", "河", "做好12345政务热线", "ＰＰＰ项目（一）１２３", "〔2017〕65号", "中府办函(2020)187号",
    "𠀀𠀁𠀂 与 𪚥字", "a𠀀b", "Ⅻ ﬁ ㈠ ㍻", "Café déjà vu", "İstanbul ΣΊΣΥΦΟΣ", "1+1+9", "e-mail: a_b@c.d",
    "“三审三校”“先审后发”", "〇一二三", "漢字かなカナ한글", "emoji 😀 政务", "tab\t换行\n政务", "e\u0301cole",
    "省略号……之后", "\u1100\u1161\u11a8 가",
    "“政策”", "‹政策>", "政策。", "「政务公开」", "，。", "《2022年政务公开工作要点》", "〔2017〕65号", "a-b", "①②③",
    "¥100", "部门20", "#政策# @市政府", "İ̇x",
]


def test_python_and_javascript_tokenizers_agree(shipped_site):
    texts = list(TRICKY_TEXTS)
    for plan in shipped_site.plans:
        texts += [plan.title] + [m.text for m in plan.measures] + [m.status.text for m in plan.measures if m.status]
    assert node({"mode": "tokenize", "texts": texts}) == [tokenize(text) for text in texts]
    assert node({"mode": "words", "texts": texts}) == [words(text) for text in texts]


def test_tokenizer_rules():
    assert tokenize("政务公开") == ["政务", "务公", "公开"]
    assert tokenize("河") == ["河"]
    assert tokenize("做好12345政务热线") == ["做好", "12345", "政务", "务热", "热线"]
    assert tokenize("ＰＰＰ（ＰＰＰ）") == ["ppp", "ppp"]
    assert tokenize("𠀀𠀁河") == ["𠀀𠀁", "𠀁河"]
    assert tokenize_module.tokens_with_offsets("省略号……之后 e\u0301")[1] == [0, 1, 9, 12]


def test_a_query_is_searched_as_its_indexed_words():
    """Characters the index does not hold only separate a query's words, as a space does; runs
    of different kinds side by side stay one word. A word is already normalized: searched again,
    it is itself."""
    assert words("“政策”") == words("‹政策>") == words("政策。") == words(" 政策 ") == ["政策"]
    assert words("「政务公开」") == ["政务公开"]
    assert words("，。") == words("“” 《》") == words("") == []
    assert words("部门20 ＰＰＰ（一）") == ["部门20", "ppp", "一"]
    assert words("a-b/c") == ["a", "b", "c"]
    for text in TRICKY_TEXTS:
        for word in words(text):
            assert words(word) == [word], text


def test_unicode_tables_are_current_for_this_python():
    """The shipped tables are what tokenize.py would work out from this Python's Unicode data."""
    assert (ROOT / "generator" / "unicode_tables.py").read_text(encoding="utf-8") == tokenize_module.unicode_tables_source()


def test_postings_hold_exactly_the_tokenizer_s_tokens_and_offsets():
    """Random batches of texts in every declared field, split into pieces the way builds split
    plans: every term's joined posting, read by search-core.js's own decoder, gives each text's
    tokens and offsets as tokenize.py gives them, a heading's in each measure it covers."""
    texts = TRICKY_TEXTS + ["政务公开政务公开 政务", "河长制河长", "12345 12345"]
    fields = search_fields.entry()["fields"]
    rng = random.Random(7)
    joined, expected = {}, {}
    for run in range(200):
        rows, pieces = [], {}
        blocks = sorted(rng.sample(range(50), rng.randint(1, 8)))
        cut = rng.randint(1, len(blocks))
        for group in (blocks[:cut], blocks[cut:]):
            slots = postings.Slots()
            for block in group:
                for local in range(rng.randint(1, 4)):
                    for number in sorted(rng.sample(range(len(fields)), rng.randint(1, len(fields)))):
                        text = "，".join(rng.choice(texts) for _ in range(rng.randint(0, 3)))
                        first, count = (local + 1, 2) if fields[number]["context"] else (0, 0)
                        slots.add(block, local, number, text, first, count)
                        rows.append((block, local, number, text, first, count))
            found, _ = postings.batch_postings(slots)
            for term, piece in found.items():
                pieces.setdefault(term, []).append(piece)
        hits: dict[str, list] = {}
        for block, local, number, text, first, count in rows:
            tokens, offsets, length = tokenize_module.tokens_with_offsets(text)
            by_term: dict[str, list[int]] = {}
            for token, offset in zip(tokens, offsets):
                by_term.setdefault(token, []).append(offset)
            stored = 2 ** (round(3 * math.log2(length + 1)) / 3) - 1
            documents = range(first, first + count) if fields[number]["context"] else [local]
            for term, where in by_term.items():
                hits.setdefault(term, []).extend(
                    [block, document, number, len(where), stored, number * 1048576 + local, where]
                    for document in documents)
        for term, found in pieces.items():
            joined[f"{run} {term}"] = postings.join(found)
            expected[f"{run} {term}"] = sorted(hits[term], key=lambda hit: (hit[0], hit[1]))
    decoded = node({"mode": "decode", "fields": fields, "postings": joined})
    assert decoded.keys() == expected.keys()
    for name, want in expected.items():
        rounded = [[*hit[:4], round(hit[4], 9), *hit[5:]] for hit in decoded[name]]
        assert rounded == [[*hit[:4], round(hit[4], 9), *hit[5:]] for hit in want], name


def test_queries_return_exactly_the_measures_that_contain_them(built_site, shipped_site):
    for query, answer in zip(QUERIES, search(built_site.output, *QUERIES)):
        expected = expected_measures(shipped_site, query)
        assert expected, f"{query}: the query set should only hold queries with answers"
        got = measures_in(answer)
        assert got == expected, f"{query}: missing {sorted(expected - got)}, extra {sorted(got - expected)}"
        assert answer["total"] == len(answer["urls"])


@dataclass
class ChunkedSite:
    content: Path
    output: Path  # the search page, the site's scripts and the search data
    site: object = field(repr=False)  # a failing test's report would print all of it


@pytest.fixture(scope="module")
def chunked_site(tmp_path_factory) -> ChunkedSite:
    """150 synthetic plans indexed 8 plans a batch, with every term longer than 3,000 characters
    cut into chunks."""
    corpus, output, site = write_chunked_search(tmp_path_factory.mktemp("chunked"), 150, 30, seed=3)
    return ChunkedSite(corpus, output, site)


# Queries whose words are all common (each term cut into chunks), common and rare, a lone
# ideograph that matches common terms, and common words with filters.
CHUNKED_QUERIES = [{"q": q} for q in ["公开", "政策", "政策解读", "信息公开工作", "公开 政策", "合成 解读", "公开 河长",
                                      "政策解读 第3局", "公", "依申请公开", "河"]] + [
    {"q": "公开", "year": "2019"}, {"q": "政策解读", "department": "syn-3"}, {"q": "办公室", "unit": "syn-5-bangongshi"}]


def test_common_terms_cut_into_chunks_give_exactly_the_measures_that_contain_them(chunked_site):
    """Read to the last page, a query on chunked terms finds exactly the measures whose text holds
    it, each once, and the total it ends with is the number of results; its first page states a
    total marked as an estimate unless one term alone says it (公开), and loads a few chunks only."""
    output, site = chunked_site.output, chunked_site.site
    data = output / "assets" / "search"
    assert len(list((data / "c").rglob("*.js"))) > 100
    answers = search(output, *CHUNKED_QUERIES, fresh=True)
    firsts = search(output, *CHUNKED_QUERIES, fresh=True, pages=1)
    measures = {f"plans/{m.plan.id}/#{m.anchor}": m for plan in site.plans for m in plan.measures}
    for state, answer, first in zip(CHUNKED_QUERIES, answers, firsts):
        got = measures_in(answer)
        assert len(got) == len([url for url in answer["urls"] if "#" in url]), state  # none twice
        assert answer["total"] == len(answer["urls"]), state
        if len(state) == 1:
            assert got == expected_measures(site, state["q"]), state
        else:
            assert got and got == {url for url in expected_measures(site, state["q"])
                                   if _passes(measures[url], state)}, state
        assert first["stated"] == answer["stated"] and first["urls"] == answer["urls"][:20], state
        if not first["estimated"]:
            assert first["stated"] == answer["total"], state
        chunks = [name for name in first["files"] if name.startswith("c/")]
        every = [name for name in answer["files"] if name.startswith("c/")]
        assert len(chunks) <= len(every), state
    by_query = {state["q"]: first for state, first in zip(CHUNKED_QUERIES, firsts) if len(state) == 1}
    assert not by_query["公开"]["estimated"] and by_query["政策解读"]["estimated"]
    for query in ["公开", "政策", "政策解读", "公开 政策"]:
        chunks = [name for name in by_query[query]["files"] if name.startswith("c/")]
        assert 0 < len(chunks) <= 6, (query, chunks)  # the head of each term, not all its chunks


def _passes(measure, state) -> bool:
    """Does a measure pass the filters of `state` (year, department, unit)?"""
    plan = measure.plan
    units = [a.unit for a in measure.assignments if a.unit]
    return ((not state.get("year") or plan.year == int(state["year"]))
            and (not state.get("department") or plan.issuer.department.id == state["department"]
                 or any(unit.department.id == state["department"] for unit in units))
            and (not state.get("unit") or any(unit.id == state["unit"] for unit in units)))


def test_chunked_search_data_is_the_same_after_an_edit_as_from_scratch(chunked_site, tmp_path, monkeypatch):
    """After a one-plan edit the kept index writes what a fresh one writes, and of the chunks only
    those holding the edited plan change: serve writes a few files, not every common term."""
    content = tmp_path / "content"
    shutil.copytree(chunked_site.content, content)
    monkeypatch.setattr(search_stage, "PLANS_PER_BATCH", 8)
    monkeypatch.setattr(search_stage, "CHUNK_AT", 3_000)
    monkeypatch.setattr(search_stage, "CHUNK_TARGET", 1_500)
    build = pipeline.Pipeline(content, workers=1)
    site = build.load()
    before = build.search_files(site)
    block = [plan.id for plan in site.plans].index("synthetic-00070")
    plan = content / "plans" / "synthetic-00070.yaml"
    # Every measure of the plan gains the words: the common terms' pieces of its batch grow a lot.
    plan.write_text(plan.read_text(encoding="utf-8").replace("text: ", "text: 政策解读公开，政策解读公开。"), encoding="utf-8")
    after = build.search_files(build.load([Change(ChangeKind.PLAN, (plan,))]))
    fresh = pipeline.Pipeline(content, workers=1)
    assert after == fresh.search_files(fresh.load())
    # Each common term of the plan changes in the one chunk that holds the plan; no cut moves.
    chunks = {path for path in after if "/c/" in path}
    assert chunks == {path for path in before if "/c/" in path}
    changed = [path.rsplit("/", 1)[1][:-3].split("-") for path in chunks if before[path] != after[path]]
    assert len(changed) > 20
    assert len({name for name, _ in changed}) == len(changed)
    assert all(int(first) <= block for _, first in changed)


def test_punctuation_in_a_query_is_searched_as_a_space(built_site):
    """Quotes, brackets and punctuation typed with a word find what the word alone finds, in the
    same order, and the total is exactly what the pages show; punctuation alone finds nothing."""
    queries = list(PUNCTUATED) + sorted({plain for plain in PUNCTUATED.values() if plain})
    answers = dict(zip(queries, search(built_site.output, *queries)))
    for query, plain in PUNCTUATED.items():
        answer = answers[query]
        assert answer["total"] == len(answer["urls"]), query
        if plain is None:
            assert answer["urls"] == [], query
        else:
            assert answer["urls"] and answer["urls"] == answers[plain]["urls"], query


def every_document(site) -> dict[str, tuple[str, set[str]]]:
    """Every document a result can be, by its address: its indexed text (normalized) and tokens."""
    found = {}
    for plan in site.plans:
        found[f"plans/{plan.id}/"] = plan_fields(plan)
        for measure in plan.measures:
            found[f"plans/{plan.id}/#{measure.anchor}"] = measure_fields(measure)
    for view in site.units.values():
        found[f"units/{view.unit.id}/"] = unit_fields(view.unit)
    return {url: (normalize("\n".join(fields.values())), {token for text in fields.values() for token in tokenize(text)})
            for url, fields in found.items()}


def check_honest_counts(site, output: Path, queries: list[str]) -> None:
    """Each query finds exactly the documents whose text holds its words, and the total it states
    is the number of results its pages show: exact from the first page, or marked 约 (an
    estimate) until the last. For each word of CJK bigrams, some document has all its bigrams
    but not the word: the postings hold hits the text check must leave out, and count none."""
    documents = every_document(site)
    answers = search(output, *queries, fresh=True)
    firsts = search(output, *queries, fresh=True, pages=1)
    dropped = 0
    for query, answer, first in zip(queries, answers, firsts):
        wanted = words(query)
        truth = {url for url, (text, _) in documents.items() if wanted and all(word in text for word in wanted)}
        got = set(answer["urls"])
        missing, extra = sorted(truth - got), sorted(got - truth)
        assert not missing and not extra and len(got) == len(answer["urls"]), (query, missing[:5], extra[:5])
        assert answer["total"] == len(answer["urls"]), query
        assert first["estimated"] or first["stated"] == len(truth), query
        bigrams = {term for word in wanted for term in tokenize(word)}
        dropped += len({url for url, (_, tokens) in documents.items() if bigrams <= tokens} - truth)
    assert dropped, "the queries should find terms apart, which the text check leaves out"


def test_the_count_is_the_results_the_pages_show(built_site):
    """The shipped site: the total is always exact; 政策解读 finds 政策, 策解 and 解读 apart too."""
    queries = QUERIES + list(PUNCTUATED) + ["单位", "公开", "局", "中山", "2022", "a", "〔2017〕65号", "e-mail",
                                            "政府信息公开", "公开工作"]
    check_honest_counts(built_site.site, built_site.output, queries)


def test_the_count_is_the_results_the_pages_show_for_common_words(chunked_site):
    """Common words read region by region: the first page states an estimate (约) or the exact count."""
    queries = [state["q"] for state in CHUNKED_QUERIES if len(state) == 1] + ["政府信息公开", "公开工作"]
    check_honest_counts(chunked_site.site, chunked_site.output, queries)


def test_unit_and_plan_titles_rank_first(built_site):
    by_unit, by_plan = search(built_site.output, "市财政局", "金融工作局")
    assert by_unit["kinds"][0] == "unit" and by_unit["urls"][0] == "units/zs-czj/"
    assert by_plan["kinds"][0] in ("plan", "unit")


def test_a_short_name_or_a_former_name_finds_the_unit(built_site):
    short, former = search(built_site.output, "市国资委", "中山市经济和信息化局")
    assert short["kinds"][0] == "unit" and short["urls"][0] == "units/zs-gzw/"
    assert "units/zs-gxj/" in former["urls"][:2]


def test_no_match_returns_nothing(built_site):
    answers = search(built_site.output, "火星移民", "xyzzy", "预决算 火星", "，。")
    assert [answer["urls"] for answer in answers] == [[], [], [], []]


def test_filters_narrow_the_results(built_site, shipped_site):
    everything, by_year, by_unit, by_department = search(
        built_site.output, {"q": "公开"}, {"q": "公开", "year": "2022"}, {"q": "公开", "unit": "zs-czj"},
        {"q": "公开", "department": "zs-jrj"})
    measures = {f"plans/{m.plan.id}/#{m.anchor}": m for plan in shipped_site.plans for m in plan.measures}
    assert set(by_year["urls"]) < set(everything["urls"]) and by_year["urls"]
    assert all(measures[url].plan.year == 2022 for url in measures_in(by_year))
    assert by_unit["urls"] and all(
        any(a.unit and a.unit.id == "zs-czj" for a in measures[url].assignments) for url in measures_in(by_unit))
    assert by_department["urls"] and all(
        measures[url].plan.issuer.department.id == "zs-jrj"
        or any(a.unit and a.unit.department.id == "zs-jrj" for a in measures[url].assignments)
        for url in measures_in(by_department))


def test_characters_beyond_the_bmp_are_found(content_copy, tmp_path):
    """Shards are cut in UTF-16 order, as JavaScript compares strings: characters beyond U+FFFF
    (two code units there, one code point in Python) must still route to the right shard."""
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("规范行政法规使用", "规范𠀀𠀁行政法规使用﨑𪚥", 1)
    plan.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    pipeline.build(content_copy, output)
    answers = search(output, "𠀀𠀁", "𪚥", "𠀁行政")
    assert [len(answer["urls"]) for answer in answers] == [1, 1, 1]


def test_a_first_query_loads_only_what_it_needs(built_site):
    """A new visitor's query loads the entry, the shards of its terms and one page of fragments."""
    (answer,) = search(built_site.output, "政策解读", fresh=True, pages=1)
    data = built_site.output / "assets" / "search"
    every_file = [path for path in data.rglob("*.js")]
    assert answer["files"][0] == "index.js"
    assert len(answer["files"]) < len(every_file) / 10
    loaded = sum(len(gzip.compress((data / name).read_bytes(), 6)) for name in answer["files"])
    everything = sum(len(gzip.compress(path.read_bytes(), 6)) for path in every_file)
    assert loaded < everything / 5, (loaded, everything)


def test_search_data_is_the_same_after_an_edit_as_from_scratch(content_copy):
    """serve keeps a SearchIndex and re-indexes only the batch that changed: the files it gives
    after an edit are those a fresh index gives."""
    index = search_stage.SearchIndex()
    before = index.files(site_stage.derive(content_stage.load(content_copy)))
    plan = content_copy / "plans" / "zs-gxj-2022.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("配合市司法局做好相关工作。", "配合市司法局做好政务热线工作。", 1),
                    encoding="utf-8")
    site = site_stage.derive(content_stage.load(content_copy))
    after = index.files(site)
    assert after != before
    assert after == search_stage.SearchIndex().files(site)


def test_a_word_only_in_a_report_file_is_found(empty_content, tmp_path):
    """A measure is found by what its newest report says (a report file, a unit's own part of it),
    and each query gives exactly the measures whose searchable text holds its words."""
    from test_report_data import PLAN_ID, write_reported

    write_reported(empty_content)
    output = tmp_path / "output"
    pipeline.build(empty_content, output)
    site = site_stage.derive(content_stage.load(empty_content))
    queries = ["门户网站", "平台已上线", "解读3篇", "尚未开展", "金融数据", "正在起草", "草稿中的话", "综合科"]
    found = {}
    for query, answer in zip(queries, search(output, *queries)):
        found[query] = measures_in(answer)
        assert found[query] == expected_measures(site, query), query
        assert answer["total"] == len(answer["urls"]), query
    assert found["门户网站"] == {f"plans/{PLAN_ID}/#s1-m1"}  # only in the half-year report
    assert found["平台已上线"] == {f"plans/{PLAN_ID}/#s1-m2"}  # only in the year-end summary
    assert found["解读3篇"] == found["尚未开展"] == {f"plans/{PLAN_ID}/#s1-m4"}  # each unit's own part
    assert found["正在起草"] == set()  # the plan's own status, said before the newer report
    assert found["草稿中的话"] == set()  # a draft report is not published


def test_search_data_follows_an_edited_report_file(empty_content):
    """serve keeps the plans of unchanged plan files; an edited report file still reaches the
    search data, which is then what a fresh build gives."""
    from test_report_data import write_reported

    write_reported(empty_content)
    build = pipeline.Pipeline(empty_content, workers=1)
    before = build.search_files(build.load())
    report = empty_content / "reports" / "jrj-2023-h1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("已在门户网站公开。", "已在政务新媒体公开。"),
                      encoding="utf-8")
    after = build.search_files(build.load([Change(ChangeKind.REPORT, (report,))]))
    assert after != before
    fresh = pipeline.Pipeline(empty_content, workers=1)
    assert after == fresh.search_files(fresh.load())


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
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    assert status.inner_text().startswith("找到 2 条")
    first = page.locator("#search-results li").first
    assert first.locator("mark").first.inner_text() in ("预决算", "预决", "决算")
    href = first.locator("a").first.get_attribute("href")
    assert "#s" in href
    first.locator("a").first.click()
    target = page.locator(f"[id='{href.split('#')[1]}']")
    target.first.wait_for(state="attached")  # the click starts loading the plan page; it may not be there yet
    assert target.count() == 1
    # The row the reader came for is marked, and its section heading is still on screen.
    assert target.evaluate("row => getComputedStyle(row).outlineStyle") != "none"
    assert page.evaluate("""id => {
        const row = document.getElementById(id);
        const heading = row.closest('section').querySelector('h2');
        const box = heading.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight;
    }""", href.split("#")[1])


def wait_for_results(page):
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')"
                           " || document.getElementById('search-status').textContent.startsWith('没有')")


def status_count(page) -> int:
    text = page.locator("#search-status").inner_text()
    return int(text.split()[1]) if text.startswith("找到") else 0


def test_an_estimated_count_is_marked_and_becomes_what_more_shows(chunked_site, browser):
    """While only the first chunks of a common word are read the page says 约 N; pressed to the
    end, "more" shows exactly the results, and the count then stated is their number."""
    from support.browser import StaticServer

    output, site = chunked_site.output, chunked_site.site
    server = StaticServer(output)
    page = browser.new_page()
    try:
        page.goto(server.url + "search/?q=" + quote("政策解读") + "&department=syn-3")
        wait_for_results(page)
        status = page.locator("#search-status").inner_text()
        assert status.startswith("找到约 ") and "显示前 20 条" in status, status
        more = page.get_by_role("button", name="显示更多结果")
        while more.is_visible():
            before = page.locator("#search-status").inner_text()
            more.click()
            page.wait_for_function("previous => document.getElementById('search-status').textContent !== previous",
                                   arg=before)
        status = page.locator("#search-status").inner_text()
        shown = page.locator("#search-results li").count()
        assert status.startswith(f"找到 {shown} 条") and "显示前" not in status, status
        measures = {f"plans/{m.plan.id}/#{m.anchor}": m for plan in site.plans for m in plan.measures}
        expected = {url for url in expected_measures(site, "政策解读")
                    if _passes(measures[url], {"department": "syn-3"})}
        assert shown == len(expected) > 20
    finally:
        page.close()
        server.close()


def test_results_come_twenty_at_a_time_with_the_total(site_url, page, shipped_site):
    page.goto(site_url + "search/?q=" + quote("公开"))
    wait_for_results(page)
    total = len(expected_measures(shipped_site, "公开"))
    assert status_count(page) >= total > 40
    assert page.locator("#search-results li").count() == 20
    assert "显示前 20 条" in page.locator("#search-status").inner_text()
    page.get_by_role("button", name="显示更多结果").click()
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 40")
    # Focus moves to the first new result, so a keyboard or screen reader user reads on from there.
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#search-results li')[20]")


def results_to_the_end(page) -> tuple[int, int]:
    """(the total the status states first, the results on the page once "more" is pressed until
    it is gone); at every step the status names the count on the page, and the total stays."""
    wait_for_results(page)
    stated = status_count(page)
    more = page.get_by_role("button", name="显示更多结果")
    while True:
        status = page.locator("#search-status").inner_text()
        items = page.locator("#search-results li").count()
        assert status_count(page) == stated, status
        if not more.is_visible():
            assert "显示前" not in status, status
            return stated, items
        assert f"显示前 {items} 条" in status and 0 < items < stated, status
        more.click()
        page.wait_for_function("previous => document.getElementById('search-status').textContent !== previous", arg=status)


def test_the_count_is_what_more_shows_also_with_punctuation(site_url, page):
    """“政策” once said 找到 48 条…显示前 0 条 over an empty list, and "more" changed the count:
    punctuation typed with a word is searched as a space, whatever the count and the pages do."""
    counts = {}
    for query in ["政策", "“政策”", "‹政策>", "政策。", "「政务公开」"]:
        page.goto(site_url + "search/?q=" + quote(query))
        counts[query] = results_to_the_end(page)
        # The word is marked where it stands, without the punctuation typed.
        assert page.locator("#search-results li mark").first.inner_text() in ("政策", "政务公开"), query
    page.goto(site_url + "search/?q=" + quote("政务公开"))
    wait_for_results(page)
    counts["政务公开"] = (status_count(page), None)
    assert counts["政策"][0] > 20
    for query in ["“政策”", "‹政策>", "政策。"]:
        assert counts[query] == counts["政策"], query
    stated, shown = counts["「政务公开」"]
    assert stated == shown == counts["政务公开"][0]
    page.goto(site_url + "search/?q=" + quote("“”，。"))
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('请输入')")
    assert "标点" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results li").count() == 0
    assert not page.get_by_role("button", name="显示更多结果").is_visible()


def test_a_measure_result_shows_its_own_text_plan_label_and_leads(site_url, page):
    page.goto(site_url + "search/?q=" + quote("市国资委"))
    wait_for_results(page)
    results = page.locator("#search-results li.search-result--measure")
    assert results.count() >= 1
    first = results.first
    title = first.locator("h2").inner_text()
    assert "中山市人民政府国有资产监督管理委员会" not in title  # the measure's words, not the unit list
    meta = first.locator(".search-result__meta").inner_text()
    assert "年" in meta and "·" in meta
    assert first.locator("mark").count() >= 1  # the hit is marked where it is (the units line)


def test_filters_are_in_the_address_and_the_back_button_works(site_url, page):
    page.goto(site_url + "search/?q=" + quote("公开"))
    wait_for_results(page)
    everything = status_count(page)
    page.wait_for_function("document.querySelectorAll('#search-year option').length > 1")
    page.select_option("#search-year", "2022")
    assert "year=2022" in page.url
    page.wait_for_function("(text => text.startsWith('找到') && !text.startsWith('找到 %d '))"
                           "(document.getElementById('search-status').textContent)" % everything)
    narrowed = status_count(page)
    assert 0 < narrowed < everything
    page.go_back()
    page.wait_for_function(f"document.getElementById('search-status').textContent.startsWith('找到 {everything} ')")
    assert page.locator("#search-year").input_value() == ""
    page.goto(site_url + "search/?q=" + quote("公开") + "&year=2022")  # a shared address
    wait_for_results(page)
    assert status_count(page) == narrowed
    page.wait_for_function("document.getElementById('search-year').value === '2022'")
    # The units (a long list on a big site) are loaded when their filter is opened, and offered
    # by the body they belong to.
    assert page.locator("#search-unit optgroup").count() == 0
    page.locator("#search-unit").focus()
    page.wait_for_function("document.querySelectorAll('#search-unit optgroup').length >= 2")
    page.select_option("#search-unit", "zs-czj")
    page.wait_for_url("**unit=zs-czj**")
    wait_for_results(page)
    assert page.locator("#search-year").input_value() == "2022"


def test_no_results_says_so_and_points_to_the_index(site_url, page):
    page.goto(site_url + "search/?q=" + quote("火星移民"))
    wait_for_results(page)
    assert page.locator("#search-status").inner_text() == "没有找到与“火星移民”有关的结果。"
    help_box = page.locator("#search-empty")
    assert help_box.is_visible() and help_box.get_by_role("link", name="在牵头单位索引中按单位查找").count() == 1


def test_search_works_from_pages_opened_from_disk(built_site, page):
    page.goto((built_site.output / "search" / "index.html").as_uri() + "?q=" + quote("预决算"))
    wait_for_results(page)
    assert page.locator("#search-status").inner_text().startswith("找到 2 条")


def test_search_page_without_javascript_explains_and_links(page_without_javascript, site_url):
    page = page_without_javascript
    page.goto(site_url + "search/?q=" + quote("预决算"))
    assert page.get_by_text("搜索需要浏览器启用 JavaScript").is_visible()
    assert page.get_by_role("link", name="浏览全部计划").is_visible()
    assert page.get_by_role("link", name="查看牵头单位索引").is_visible()
    assert not page.locator("#search-form").is_visible()


def test_search_results_are_text_not_html(tmp_path, small_content, browser):
    plan = small_content / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8").replace("规范行政法规使用", "规范<img src=x onerror=alert(1)>行政法规使用", 1)
    plan.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    pipeline.build(small_content, output)
    from support.browser import StaticServer

    server = StaticServer(output)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + "search/?q=" + quote("行政法规"))
    wait_for_results(page)
    assert "<img" in page.locator("#search-results").inner_text()
    assert page.locator("#search-results img").count() == 0 and not dialogs
    page.close()
    server.close()


def test_the_build_writes_the_search_data_serve_makes(chunked_site, monkeypatch):
    """The build writes its search data as it makes it (fragments from the workers, postings let
    go once written): every file is the one `serve` makes from the whole model, and no other."""
    monkeypatch.setattr(search_stage, "PLANS_PER_BATCH", 8)
    monkeypatch.setattr(search_stage, "CHUNK_AT", 3_000)
    monkeypatch.setattr(search_stage, "CHUNK_TARGET", 1_500)
    built = pipeline.build_files(chunked_site.content, workers=2)
    served = pipeline.Pipeline(chunked_site.content, workers=1)
    expected = served.search_files(served.load())
    searched = {path: data for path, data in built.items() if path.startswith(search_stage.DATA_DIR + "/")}
    assert any("/c/" in path for path in searched) and any("/f/" in path for path in searched)
    assert searched.keys() == {path for path in expected if path.startswith(search_stage.DATA_DIR + "/")}
    assert [path for path in searched if searched[path] != expected[path]] == []
    assert built["search/index.html"] == expected["search/index.html"]
