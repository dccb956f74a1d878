"""How long `serve` takes to show one plan edit, at the shipped content and synthetic sizes.

Usage: .venv/bin/python benchmarks/rebuild.py [--plans 200 2000]
For each size: the first full build of every page and of the search data (as `serve` starts),
then five edits of one measure's text in one plan, each answered as `serve` answers it: the
pages by rebuild.LiveBuild.update of the change serve classifies (then the page reloads), the
pages that show every plan by LiveBuild.later, then the search data by LiveBuild.search_files
and write_extra (then search is current; serve runs it beside later(), on the same two cores,
so here one after the other). Prints wall and CPU times (median and max) and the time in Python's
cycle collector, the files the last edit rewrote at each step (folded by folder when there are
many), and the process's peak memory.
"""

from __future__ import annotations

import argparse
import gc
import resource
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

LISTED = 12  # paths printed one by one; more are folded by folder


def folded(paths: list[str]) -> str:
    """The paths themselves when few, else each folder with how many files in it, folded up
    until there are few folders (search data spreads over t/ab/, f/12/ …)."""
    if len(paths) <= LISTED:
        return ", ".join(paths) or "none"
    def folder(path: str, depth: int) -> str:
        parts = path.split("/")[:-1]
        return "/".join(parts[:depth]) + "/" if parts else ""
    depth = next((depth for depth in (9, 3, 2) if len({folder(path, depth) for path in paths}) <= LISTED), 1)
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(folder(path, depth), []).append(path)
    return ", ".join(members[0] if len(members) == 1 else f"{name} ×{len(members)}"
                     for name, members in sorted(groups.items()))


def memory() -> str:
    """Peak RSS of this process (the preview is one process) and its PSS now."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB → GiB
    pss = 0.0
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024 ** 2
    except OSError:
        return f"peak RSS {peak:.2f} GB"
    return f"peak RSS {peak:.2f} GB, PSS now {pss:.2f} GB"


_collecting = [0.0, 0.0]  # seconds spent in Python's cycle collector so far; when the pass began


def _collector(phase: str, info: dict) -> None:
    if phase == "start":
        _collecting[1] = time.perf_counter()
    else:
        _collecting[0] += time.perf_counter() - _collecting[1]


gc.callbacks.append(_collector)


class Timed:
    """Wall and CPU time of each run of a step, and how much of it the cycle collector took."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.collecting: list[float] = []

    def __enter__(self):
        self.started = time.perf_counter(), time.process_time(), _collecting[0]
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append(time.perf_counter() - self.started[0])
        self.cpu.append(time.process_time() - self.started[1])
        self.collecting.append(_collecting[0] - self.started[2])

    def __str__(self) -> str:
        return (f"median {statistics.median(self.wall) * 1000:.0f} ms (max {max(self.wall) * 1000:.0f}; "
                f"CPU median {statistics.median(self.cpu) * 1000:.0f} ms; "
                f"cycle collector {sum(self.collecting) * 1000:.0f} ms over {len(self.wall)} runs)")


def run(content: Path, label: str) -> None:
    with tempfile.TemporaryDirectory() as output:
        live = LiveBuild(content, Path(output))
        started, cpu = time.perf_counter(), time.process_time()
        first = live.build_all()
        full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
        cpu = time.process_time()
        search = live.build_search()
        print(f"{label}: {len(live.site.plans)} plans, {sum(len(p.measures) for p in live.site.plans)} measures, "
              f"{first.pages} pages; first full build {full:.2f} s (CPU {full_cpu:.2f}), then search data "
              f"{search.seconds:.2f} s (CPU {time.process_time() - cpu:.2f}); {memory()}")
        plans = sorted((content / "plans").glob("*.yaml"))
        plan = plans[len(plans) // 2]
        edit, later, search = Timed(), Timed(), Timed()
        for attempt in range(5):
            text = plan.read_text(encoding="utf-8")
            marker = "text: "
            position = text.index(marker) + len(marker)
            plan.write_text(text[:position] + f"修改{attempt}" + text[position:], encoding="utf-8")
            with edit:
                outcome = live.update(classify({plan}, content, live.templates.folders))
            with later:
                rest = live.later()
            with search:
                found = live.write_extra(live.search_files(live.site))
        print(f"  one-plan edit: {outcome.pages} pages re-rendered in {edit}\n"
              f"    written: {folded(outcome.written)}\n"
              f"  then {rest.pages} pages that show every plan in {later}\n"
              f"    written: {folded(rest.written)}\n"
              f"  then search current in {search}\n"
              f"    written: {len(found.written)} files: {folded(found.written)}\n"
              f"  {memory()}")


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
