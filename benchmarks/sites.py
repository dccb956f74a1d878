"""Synthetic sites for the search benchmarks, built once and kept with `--keep DIR`.

A site of 20,000 plans takes many minutes to build; the search benchmarks need its pages only
for Pagefind and for the search page's surroundings, which search work does not change. So with
a kept folder the corpus and the built pages are made once, and each later run writes only the
search data, the search page and the site's scripts again with the current code (the same bytes
a full build of that code writes for them). Without `--keep` everything is made afresh in a
temporary folder, as before.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_corpus  # noqa: E402


def synthetic_site(folder: Path, plans: int, kept: bool) -> tuple[Path, Path, str]:
    """(content folder, built site, what was done) for `plans` synthetic plans of 30 measures."""
    corpus = folder / f"content-{plans}"
    site = folder / f"site-{plans}"
    if kept and (site / ".zwgk-build").is_file() and (corpus / "plans").is_dir():
        started = time.perf_counter()
        refresh_search(corpus, site)
        return corpus, site, f"kept site, search data written again in {time.perf_counter() - started:.0f} s"
    started = time.perf_counter()
    if not (kept and (corpus / "plans").is_dir()):
        make_corpus(corpus, plans, 30)
    if site.exists():
        shutil.rmtree(site)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(corpus), "--output", str(site)],
                   check=True, capture_output=True)
    return corpus, site, f"built in {time.perf_counter() - started:.0f} s"


def refresh_search(corpus: Path, site: Path) -> None:
    """The search data, the search page and the scripts of `site` as the current code writes them."""
    from generator import build

    pipeline = build.Pipeline(corpus)
    files = pipeline.search_files(pipeline.load())
    files.update(build.static_assets())
    shutil.rmtree(site / "assets" / "search", ignore_errors=True)
    for path, data in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
