"""How long `serve` takes to show one plan edit, at the shipped content and synthetic sizes.

Usage: .venv/bin/python benchmarks/rebuild.py [--plans 200 2000]
For each size: the first full build of every page and of the search data (as `serve` starts),
then five edits of one measure's text in one plan, each answered as `serve` answers it: the
pages by rebuild.LiveBuild.update of the change serve classifies (then the page reloads), then the search data by
LiveBuild.search_files and write_extra (then search is current). Prints the pages re-rendered,
the search files rewritten and both times (median and max).
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
from generator.changes import classify  # noqa: E402
from generator.rebuild import LiveBuild  # noqa: E402


def run(content: Path, label: str) -> None:
    with tempfile.TemporaryDirectory() as output:
        live = LiveBuild(content, Path(output))
        started = time.perf_counter()
        first = live.build_all()
        full = time.perf_counter() - started
        print(f"{label}: {len(live.site.plans)} plans, {sum(len(p.measures) for p in live.site.plans)} measures, "
              f"{first.pages} pages; first full build {full:.2f} s, then search data {live.build_search().seconds:.2f} s")
        plan = sorted((content / "plans").glob("*.yaml"))[len(list((content / "plans").glob("*.yaml"))) // 2]
        pages_times, search_times, pages, written = [], [], 0, 0
        for attempt in range(5):
            text = plan.read_text(encoding="utf-8")
            marker = "text: "
            position = text.index(marker) + len(marker)
            plan.write_text(text[:position] + f"修改{attempt}" + text[position:], encoding="utf-8")
            started = time.perf_counter()
            outcome = live.update(classify({plan}, content, live.templates.folders))
            pages_times.append(time.perf_counter() - started)
            pages = outcome.pages
            started = time.perf_counter()
            written = len(live.write_extra(live.search_files(live.site)).written)
            search_times.append(time.perf_counter() - started)
        print(f"  one-plan edit: {pages} pages re-rendered in median {statistics.median(pages_times) * 1000:.0f} ms "
              f"(max {max(pages_times) * 1000:.0f}); then search current after {written} files rewritten in median "
              f"{statistics.median(search_times) * 1000:.0f} ms (max {max(search_times) * 1000:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="*", default=[200, 2000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        shipped = Path(folder) / "shipped"
        shutil.copytree(ROOT / "content", shipped)
        run(shipped, "shipped content")
        for plans in args.plans:
            run(make_corpus(Path(folder) / f"synthetic-{plans}", plans, 30), f"synthetic {plans}")


if __name__ == "__main__":
    main()
