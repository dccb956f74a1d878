"""What a citizen's first search costs: bytes transferred and time until the first result is
painted, in Chromium on loopback, against Pagefind indexing the same built pages.

Usage: .venv/bin/python benchmarks/search_transfer.py [--plans 200 2000] [--runs 3] [--keep DIR]
       SEARCH_TRANSFER_TRACE=1 … also lists every request of every visit with its times.

For each size: builds a synthetic corpus with build.py, runs Pagefind (npm `pagefind`, installed
into benchmarks/.peers/ on first use; never a project dependency) over the built pages, serves
the site gzip-compressed from 127.0.0.1 as a web server would, and opens the search page for a
common phrase (政策解读), two very common words (公开, 政策) and a rare one in a fresh browser each time (nothing cached). Bytes are
the compressed bodies and headers of every request (the page's and its workers') that finished
before the first result was on screen; the time is from navigation start to the first frame
painted after the first result appeared. The Pagefind
page uses Pagefind's own JavaScript API with no UI around it (less than its default UI loads).
"""

from __future__ import annotations

import argparse
import os
import gzip
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.sites import synthetic_site  # noqa: E402
from generator import content as content_stage  # noqa: E402
from generator.search import measure_fields  # noqa: E402
from generator.tokenize import normalize  # noqa: E402

PEERS = ROOT / "benchmarks" / ".peers"
PAGEFIND_VERSION = "1.6.0"
COMMON = ["政策解读", "公开", "政策"]
RARE_CANDIDATES = ["网站集约化", "新闻发布会", "权责清单", "依申请公开", "12345", "河长"]

FIRST_RESULT_PROBE = """
window.__firstResult = null;
new MutationObserver(function (changes, observer) {
  if (document.querySelector('#search-results li, #results li')) {
    observer.disconnect();
    requestAnimationFrame(function () { window.__firstResult = performance.now(); });
  }
}).observe(document, { subtree: true, childList: true });
"""

PAGEFIND_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><ol id="results"></ol><script type="module">
const pagefind = await import("./pagefind/pagefind.js");
const query = new URLSearchParams(location.search).get("q");
const search = await pagefind.search(query);
const first = search.results.slice(0, 20);
const data = await Promise.all(first.map((result) => result.data()));
for (const item of data) {
  const li = document.createElement("li");
  li.textContent = item.meta.title + " " + item.excerpt.replace(/<[^>]+>/g, "");
  document.getElementById("results").appendChild(li);
}
</script></body></html>
"""


def pagefind_binary() -> Path:
    folder = PEERS / f"pagefind-{PAGEFIND_VERSION}"
    binary = folder / "node_modules" / ".bin" / "pagefind"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-save", f"pagefind@{PAGEFIND_VERSION}"],
                       check=True, capture_output=True)
    return binary


class GzipServer:
    """The site on 127.0.0.1, gzip-compressed for clients that ask (as nginx with gzip on)."""

    def __init__(self, folder: Path):
        compressed: dict[Path, bytes] = {}

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

            def send_head(self):
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
                    return super().send_head()
                if path not in compressed:
                    compressed[path] = gzip.compress(path.read_bytes(), 6)
                body = compressed[path]
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                import io
                return io.BytesIO(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def first_result(browser, url: str) -> tuple[float, float, int]:
    """(kilobytes received, milliseconds to the first painted result, requests) for one fresh visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(FIRST_RESULT_PROBE)
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))  # with what its workers fetch
    page.goto(url)
    page.wait_for_function("window.__firstResult !== null", timeout=120_000)
    painted, origin = page.evaluate("[window.__firstResult, performance.timeOrigin]")
    received, counted = 0, 0
    for request in list(finished):
        timing = request.timing
        if timing["startTime"] + timing["responseEnd"] > origin + painted:
            continue  # finished after the first result was on screen
        sizes = request.sizes()
        received += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        counted += 1
    if os.environ.get("SEARCH_TRANSFER_TRACE"):
        for request in sorted(finished, key=lambda r: r.timing["startTime"]):
            timing = request.timing
            print(f"      {timing['startTime'] - origin:7.0f} → {timing['startTime'] + timing['responseEnd'] - origin:7.0f} ms "
                  f"{request.sizes()['responseBodySize']:8d} B  {request.url.split('/', 3)[-1][:60]}")
        print(f"      first result painted at {painted:.0f} ms")
    context.close()
    return received / 1024, painted, counted


def rare_query(corpus: Path) -> str:
    content = content_stage.load(corpus)
    texts = [normalize("\n".join(measure_fields(m).values())) for plan in content.plans for m in plan.measures]
    counts = {query: sum(normalize(query) in text for text in texts) for query in RARE_CANDIDATES}
    return min((count, query) for query, count in counts.items() if count)[1]


def measure(plans: int, runs: int, folder: Path, browser, kept: bool, pagefind_max: int) -> None:
    corpus, site, made = synthetic_site(folder, plans, kept)
    started = time.perf_counter()
    pagefind = (site / "pagefind" / "pagefind.js").is_file() and kept
    if plans > pagefind_max:
        print(f"  Pagefind left out above {pagefind_max} plans (--pagefind-max)")
    elif not pagefind:
        # Pagefind may fail on a big site (at 10,000 plans it was killed for want of memory at
        # 22.6 GB on this 24 GB machine): say so and measure ours alone.
        indexing = subprocess.run([str(pagefind_binary()), "--site", str(site), "--output-path", str(site / "pagefind")],
                                  capture_output=True, text=True)
        pagefind = indexing.returncode == 0
        if not pagefind:
            print(f"  Pagefind failed on {plans} plans (exit status {indexing.returncode}): "
                  f"{(indexing.stderr or indexing.stdout).strip()[-300:]}")
    pagefind_seconds = time.perf_counter() - started
    (site / "pagefind-search.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    ours_bytes = sum(p.stat().st_size for p in (site / "assets" / "search").rglob("*") if p.is_file())
    theirs_bytes = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) if pagefind else 0
    rare = rare_query(corpus)
    server = GzipServer(site)
    print(f"{plans} plans ({made}): search data on disk: ours {ours_bytes / 1e6:.1f} MB, Pagefind {theirs_bytes / 1e6:.1f} MB "
          f"(Pagefind indexing took {pagefind_seconds:.1f} s)")
    peers = [("this project", "search/?q=")] + ([(f"Pagefind {PAGEFIND_VERSION}", "pagefind-search.html?q=")] if pagefind else [])
    try:
        for label, query in [("common", query) for query in COMMON] + [("rare", rare)]:
            for name, address in ((name, page + quote(query)) for name, page in peers):
                results = [first_result(browser, server.url + address) for _ in range(runs)]
                kilobytes = statistics.median(r[0] for r in results)
                milliseconds = statistics.median(r[1] for r in results)
                print(f"  {label:6} {query:8} {name:16} {kilobytes:8.0f} KB gzip before the first result, "
                      f"painted after {milliseconds:6.0f} ms (median of {runs}; {results[0][2]} requests)")
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the corpora, sites and Pagefind indexes here and reuse them")
    parser.add_argument("--pagefind-max", type=int, default=5000,
                        help="run Pagefind up to this many plans (it needed more than 22 GB at 10,000)")
    args = parser.parse_args()
    from support.browser import CHROMIUM, CHROMIUM_FLAGS
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for plans in args.plans:
            measure(plans, args.runs, folder, browser, args.keep is not None, args.pagefind_max)
        browser.close()


if __name__ == "__main__":
    main()
