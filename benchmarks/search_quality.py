"""Recall and precision of the search on the shipped content, in Node.

Usage: .venv/bin/python benchmarks/search_quality.py [--random 300]
Runs search-core.js in Node on the files the build wrote.
The query set: the queries named in issue #4, every unit name, and random 2-6 character
substrings of measure texts. The truth for a query: the measures whose text, status, unit
names, plan title or headings contain it (after NFKC and lower-casing).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import build as pipeline  # noqa: E402
from generator import content as content_stage, site as site_stage  # noqa: E402
from generator.search import measure_fields  # noqa: E402
from generator.tokenize import normalize, words  # noqa: E402

NAMED = ["预决算", "政策解读", "依申请公开", "权责清单", "新闻发布会", "办公室", "2017", "网站集约化", "河长", "12345"]


def quality_queries(site, random_count: int = 300) -> list[str]:
    """The query set (also the lunr.js oracle's, tests/test_search_lunr.py)."""
    measures = [m for plan in site.plans for m in plan.measures]
    rng = random.Random(4)
    queries = list(NAMED) + sorted({a.written for m in measures for a in m.assignments})
    while len(queries) < len(NAMED) + random_count:
        text = rng.choice(measures).text
        length = rng.randint(2, 6)
        start = rng.randrange(0, max(1, len(text) - length))
        piece = text[start:start + length]
        if re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z]+", piece):
            queries.append(piece)
    return queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=300)
    args = parser.parse_args()
    site = site_stage.derive(content_stage.load(ROOT / "content"))
    measures = [m for plan in site.plans for m in plan.measures]
    haystacks = [(f"plans/{m.plan.id}/#{m.anchor}", normalize("\n".join(measure_fields(m).values())))
                 for m in measures]
    queries = quality_queries(site, args.random)
    with tempfile.TemporaryDirectory() as folder:
        pipeline.build(ROOT / "content", Path(folder) / "site")
        result = subprocess.run(["node", str(ROOT / "tests" / "js" / "harness.js")], capture_output=True, text=True,
                                input=json.dumps({"mode": "search", "site": str(Path(folder) / "site"),
                                                  "queries": [{"q": q} for q in queries]}), check=True)
    answers = json.loads(result.stdout)
    found = relevant = correct = 0
    for query, answer in zip(queries, answers):
        got = {url for url in answer["urls"] if "#" in url}
        truth = {url for url, text in haystacks if all(p in text for p in words(query))}
        found += len(got)
        relevant += len(truth)
        correct += len(got & truth)
        if truth - got:
            print("missed:", query, len(truth - got))
    times = sorted(answer["ms"] for answer in answers)
    print(f"queries: {len(queries)} ({len(NAMED)} named, unit names, random substrings)")
    print(f"recall {correct / relevant:.4f}  precision {correct / found:.4f}  ({correct} of {relevant} relevant, {found} returned)")
    print(f"query time in Node: median {times[len(times) // 2]:.2f} ms, 95th {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
