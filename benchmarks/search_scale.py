"""Search at scale: data size, and exact answers and query times in Node on synthetic corpora.

Usage: .venv/bin/python benchmarks/search_scale.py [--plans 200 2000] [--queries 60] [--keep DIR]

For each size: builds the site with build.py, prints the search data on disk by kind (shards,
chunks, lexicons, fragments) and the fullest folder, then runs a query set with search-core.js
in Node and compares every answer, read to its last region, with the truth computed from the
content (the measures whose text, status, units or headings contain every typed word). The set
mixes common and rare words, unit names, numbers, single ideographs and random pieces of measure
text. Prints the number of queries that differ (0 expected), totals that are wrong (an exact
total must be the number of results; an estimate, how far off it was), how many files and bytes
a new visitor's first page of results loads, and the time to it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sites import synthetic_site  # noqa: E402
from generator import content as content_stage  # noqa: E402
from generator import site as site_stage  # noqa: E402
from generator.search import measure_fields  # noqa: E402
from generator.tokenize import normalize, words  # noqa: E402

NAMED = ["预决算", "政策解读", "依申请公开", "权责清单", "新闻发布会", "办公室", "2017", "网站集约化", "综合科",
         "河", "公开", "政务 公开", "信息", "12345", "第3局", "合成第12局办公室", "市财政局", "2019年"]


def query_set(content, count: int, seed: int = 5) -> list[str]:
    measures = [m for plan in content.plans for m in plan.measures]
    rng = random.Random(seed)
    queries = list(NAMED)
    names = sorted({a.written for m in measures for a in m.assignments})
    queries += rng.sample(names, min(8, len(names)))
    while len(queries) < count:
        text = rng.choice(measures).text
        length = rng.randint(1, 6)
        start = rng.randrange(0, max(1, len(text) - length))
        piece = text[start:start + length]
        if re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z]+", piece):
            queries.append(piece)
    return queries


def measure(plans: int, count: int, folder: Path, kept: bool) -> None:
    corpus, site, made = synthetic_site(folder, plans, kept)
    data = site / "assets" / "search"
    sizes: dict[str, list[int]] = {}
    for path in data.rglob("*.js"):
        kind = path.relative_to(data).parts[0]
        sizes.setdefault(kind, []).append(path.stat().st_size)
    folders = max(sum(1 for child in folder_.iterdir() if child.is_file()) for folder_ in [data, *data.rglob("*")]
                  if folder_.is_dir())
    derived = site_stage.derive(content_stage.load(corpus))
    measures = [[(f"plans/{plan.id}/#{m.anchor}", normalize("\n".join(measure_fields(m).values())))
                 for m in plan.measures] for plan in derived.plans]
    print(f"{plans} plans ({made}), {sum(map(len, measures))} measures: search data "
          + ", ".join(f"{kind} {len(found)} files {sum(found) / 1e6:.1f} MB" for kind, found in sorted(sizes.items()))
          + f"; at most {folders} files in one folder")
    queries = query_set(derived.content, count)
    # Every hit as [block, local], read to the last region without fragments: a measure is
    # block (its plan's place in the site) and local (1 + its place in the plan).
    request = {"mode": "search", "site": str(site), "queries": [{"q": q} for q in queries], "fresh": True, "keys": True}
    result = subprocess.run(["node", "--max-old-space-size=8192", str(ROOT / "tests" / "js" / "harness.js")],
                            input=json.dumps(request), capture_output=True, text=True, check=True)
    answers = json.loads(result.stdout)
    differ = wrong_total = 0
    for query, answer in zip(queries, answers):
        parts = words(query)
        truth = {url for plan in measures for url, text in plan if all(part in text for part in parts)}
        found = [measures[block][local - 1][0] for block, local in answer["keys"] if block < len(measures) and local]
        got = set(found)
        if got != truth or len(found) != len(got):
            differ += 1
            print(f"  differs: {query}: missing {len(truth - got)}, extra {len(got - truth)}, twice {len(found) - len(got)}")
        if answer["total"] != len(answer["keys"]) or (not answer["estimated"] and answer["stated"] != answer["total"]):
            wrong_total += 1
            print(f"  total: {query}: stated {answer['stated']}, estimated {answer['estimated']}, found {len(answer['keys'])}")
    loaded = [sum(len(gzip.compress((data / name).read_bytes(), 6)) for name in answer["files"]) / 1024
              for answer in answers]
    times = [answer["ms"] for answer in answers]
    estimates = [abs(a["stated"] - len(a["keys"])) / len(a["keys"]) for a in answers if a["estimated"] and a["keys"]]
    print(f"  {len(queries)} queries ({sum(1 for a in answers if a['keys'])} with results), {differ} differ from the truth, "
          f"{wrong_total} with a wrong exact total; {len(estimates)} first pages state an estimate"
          + (f" (off by median {statistics.median(estimates):.1%}, max {max(estimates):.1%})" if estimates else ""))
    print(f"  a new visitor's first page of results: files median {statistics.median(len(a['files']) for a in answers)}, "
          f"gzip median {statistics.median(loaded):.0f} KB, max {max(loaded):.0f} KB "
          f"({queries[loaded.index(max(loaded))]}; search data only)")
    print(f"  time in Node to the first page (load from disk, decode, intersect, rank, fragments): "
          f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    for query, answer, kilobytes in zip(queries, answers, loaded):
        if query in ("政策解读", "公开", "河", "2017", "信息", "政务 公开"):
            print(f"    {query}: {len(answer['keys'])} results ({'约 ' if answer['estimated'] else ''}{answer['stated']} stated), "
                  f"first page {len(answer['files'])} files, {kilobytes:.0f} KB gzip, {answer['ms']:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="keep the corpora and sites here and reuse them (benchmarks/sites.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for plans in args.plans:
            measure(plans, args.queries, folder, args.keep is not None)


if __name__ == "__main__":
    main()
