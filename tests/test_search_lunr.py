"""lunr.js as the oracle of the search ranking: the documents our index holds, as our tokenizer's
tokens, with the same fields, boosts, b and k1, indexed by the real lunr.js 2.3.9 (npm, a test
dependency). For every query of benchmarks/search_quality.py, on the shipped plans and on a
synthetic site, our ranking must be lunr's: the same results, and at each of the first 20
places a result whose lunr score is the score lunr has at that place, within TOLERANCE (so two
results may change places only when lunr scores them alike).

lunr is told each field's length as our postings store it (to a sixth of a doubling; docs/search.md
gives what that changes). Ours is the order of our scores with every region read: a common
word's pages show the newest plans' region first, each region in this order."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.search_quality import quality_queries
from conftest import ROOT
from generator import postings, search_fields
from generator.search import UNITS_PER_BLOCK
from generator.search_fields import measure_fields, plan_fields, unit_fields
from generator.tokenize import normalize, tokenize, words
from support.browser import require
from support.chunked import write_chunked_search

HARNESS = ROOT / "tests" / "js" / "harness.js"
TOP = 20
# lunr rounds each field's score for a term to a thousandth, as search-core.js rounds each hit's:
# the two add the same numbers in another order (lunr field by field, divided by the query's
# norm, ours term by term), so equal scores may differ in the last bits, and lunr keeps ties
# in its own order where ours puts the earlier document first. Two results may change places
# only when lunr's scores for them are within a thousandth.
TOLERANCE = 0.001


def node(request: dict):
    require(shutil.which("node") is not None, "Node.js", "apt-get install nodejs npm")
    require((ROOT / "node_modules" / "lunr").is_dir(), "lunr.js", "npm ci --ignore-scripts")
    result = subprocess.run(["node", str(HARNESS)], input=json.dumps(request), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def documents(site) -> dict[str, dict[str, str]]:
    """Every document a result can be, by its place in the index (block-local), with its fields'
    text, in the order of the index: each plan and its measures, then the units."""
    found = {}
    for block, plan in enumerate(site.plans):
        found[f"{block}-0"] = plan_fields(plan)
        for local, measure in enumerate(plan.measures, start=1):
            found[f"{block}-{local}"] = measure_fields(measure)
    for number, view in enumerate(site.units.values()):
        found[f"{len(site.plans) + number // UNITS_PER_BLOCK}-{number % UNITS_PER_BLOCK}"] = unit_fields(view.unit)
    return found


def compare(site, output: Path, queries: list[str]) -> list[str]:
    """What differs between our ranking and lunr's, query by query (nothing, when they agree)."""
    texts = documents(site)
    request_documents = []
    for ref, fields in texts.items():
        tokens = {name: tokenize(text) for name, text in fields.items() if text}
        lengths = {name: int(postings.length_codes(len(found))) for name, found in tokens.items()}
        request_documents.append({"ref": ref, "tokens": tokens, "lengths": lengths})
    haystacks = {ref: normalize("\n".join(fields.values())) for ref, fields in texts.items()}
    keep = []
    for query in queries:
        wanted = words(query)
        keep.append([ref for ref, text in haystacks.items() if all(word in text for word in wanted)])
    declared = search_fields.entry()
    oracle = node({"mode": "lunr", "fields": declared["fields"], "k1": declared["k1"],
                   "documents": request_documents, "queries": queries, "keep": keep})
    ours = node({"mode": "search", "site": str(output), "queries": [{"q": query} for query in queries],
                 "keys": True, "scores": True})
    problems = []
    for query, theirs, answer, held in zip(queries, oracle, ours, keep):
        ranked = sorted(zip(answer["scores"], answer["keys"]), key=lambda item: (-item[0], item[1]))
        mine = [f"{block}-{local}" for _, (block, local) in ranked]
        if set(mine) != set(held) or {ref for ref, _ in theirs} != set(held):
            problems.append(f"{query}: {len(mine)} results, lunr {len(theirs)}, the text {len(held)}")
            continue
        score = dict(theirs)
        for place, (ref, (their_ref, their_score)) in enumerate(zip(mine[:TOP], theirs)):
            if abs(score[ref] - their_score) > TOLERANCE:
                problems.append(f"{query}: place {place + 1} is {ref} (lunr {score[ref]:.4f}), "
                                f"lunr has {their_ref} ({their_score:.4f})")
                break
    return problems


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    """200 synthetic plans of 10 measures, indexed 8 plans a batch, with every term longer than
    3,000 characters cut into chunks (read region by region): many batches, hundreds of shards.
    Small enough for lunr.js, whose query time grows with the documents a term is in."""
    corpus, output, site = write_chunked_search(tmp_path_factory.mktemp("lunr"), 200, 10, seed=5)
    data = output / "assets" / "search"
    assert len(list((data / "c").rglob("*.js"))) > 100 and len(list((data / "t").rglob("*.js"))) > 100
    return site, output


def test_ranking_is_lunr_s_on_the_shipped_plans(built_site, shipped_site):
    queries = quality_queries(shipped_site)
    assert compare(shipped_site, built_site.output, queries) == []


@pytest.mark.long
def test_ranking_is_lunr_s_on_a_synthetic_site(synthetic_site, shipped_site):
    site, output = synthetic_site
    assert compare(site, output, quality_queries(shipped_site)) == []
