"""Search index size, build time and query time at synthetic corpus sizes.

Usage: .venv/bin/python benchmarks/search_scale.py [--plans 200 2000] [--measures 30]
Prints, per size: measures, index and display data raw/gzip, lunr.py index build time, and
lunr.js query times in Node (load time and median/max over the query set).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_corpus  # noqa: E402
from generator import content as content_stage  # noqa: E402
from generator import search, site as site_stage  # noqa: E402

QUERIES = ["预决算", "政策解读", "依申请公开", "权责清单", "新闻发布会", "办公室", "2017", "网站集约化",
           "综合科", "河", "公开", "政务 公开"]


def measure(plans: int, measures: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = make_corpus(Path(folder) / "content", plans, measures)
        started = time.perf_counter()
        site = site_stage.derive(content_stage.load(corpus))
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        files = search.search_files(site)
        indexed = time.perf_counter() - started
        assets = Path(folder) / "assets"
        assets.mkdir()
        for name, data in files.items():
            (assets / Path(name).name).write_bytes(data)
        for name in ("tokenize.js", "search-core.js"):
            (assets / name).write_bytes((ROOT / "templates" / "static" / name).read_bytes())
        started = time.perf_counter()
        result = subprocess.run(["node", str(ROOT / "tests" / "js" / "harness.js")], capture_output=True, text=True,
                                input=json.dumps({"mode": "search", "assets": str(assets),
                                                  "queries": [{"q": q} for q in QUERIES]}))
        wall = time.perf_counter() - started
        answers = json.loads(result.stdout)
        times = [answer["ms"] for answer in answers]
        count = sum(len(plan.measures) for plan in site.plans)
        print(f"plans={plans} measures={count}: content load {loaded:.1f} s, lunr.py index {indexed:.1f} s")
        for name in ("assets/search-index.js", "assets/search-docs.js"):
            data = files[name]
            print(f"  {name:24} raw {len(data) / 1e6:7.2f} MB   gzip {len(gzip.compress(data, 6)) / 1e6:6.2f} MB")
        print(f"  node: load+all queries {wall:.2f} s; per query median {statistics.median(times):.1f} ms, "
              f"max {max(times):.1f} ms; hits {[len(a['refs']) for a in answers]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="+", default=[200])
    parser.add_argument("--measures", type=int, default=30)
    args = parser.parse_args()
    for plans in args.plans:
        measure(plans, args.measures)


if __name__ == "__main__":
    main()
