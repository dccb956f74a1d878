"""How long `serve` takes to show one plan edit, at the shipped content and synthetic sizes.

Usage: .venv/bin/python benchmarks/rebuild.py [--plans 200 2000]
For each size: the first full build of every page (as `serve` starts), then five edits of one
measure's text in one plan, each answered by rebuild.LiveBuild.update; prints the pages
re-rendered and the time (median and max). The search data is rebuilt after the reload, in the
background, and is timed separately at the shipped size.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_corpus  # noqa: E402
from generator.rebuild import LiveBuild  # noqa: E402


def run(content: Path, label: str, search: bool) -> None:
    with tempfile.TemporaryDirectory() as output:
        live = LiveBuild(content, Path(output))
        started = time.perf_counter()
        first = live.build_all()
        full = time.perf_counter() - started
        print(f"{label}: {len(live.site.plans)} plans, {sum(len(p.measures) for p in live.site.plans)} measures, "
              f"{first.pages} pages; first full build {full:.2f} s")
        if search:
            print(f"  search data (after the reload, in the background): {live.build_search().seconds:.2f} s")
        plan = sorted((content / "plans").glob("*.yaml"))[len(list((content / "plans").glob("*.yaml"))) // 2]
        times, pages = [], 0
        for attempt in range(5):
            text = plan.read_text(encoding="utf-8")
            marker = "text: "
            position = text.index(marker) + len(marker)
            plan.write_text(text[:position] + f"修改{attempt}" + text[position:], encoding="utf-8")
            started = time.perf_counter()
            outcome = live.update({plan})
            times.append(time.perf_counter() - started)
            pages = outcome.pages
        print(f"  one-plan edit: {pages} pages re-rendered; median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="*", default=[200, 2000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        shipped = Path(folder) / "shipped"
        shutil.copytree(ROOT / "content", shipped)
        run(shipped, "shipped content", search=True)
        for plans in args.plans:
            run(make_corpus(Path(folder) / f"synthetic-{plans}", plans, 30), f"synthetic {plans}", search=False)


if __name__ == "__main__":
    main()
