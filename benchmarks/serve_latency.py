"""Edit-to-page latency of `build.py serve` at the shipped content, in headless Chromium.

Usage: .venv/bin/python benchmarks/serve_latency.py [--edits 10]
Starts the real preview server on a free loopback port over a copy of content/, opens a plan page,
then repeatedly saves an edit to the plan's YAML and times until the new text is on screen.
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from support.serving import Serve, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(ROOT / "content", content)
        plan = content / "plans" / "zs-jrj-2022.yaml"
        server = Serve(content, free_port())
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(server.url + "plans/zs-jrj-2022/")
                page.wait_for_function("window.LiveReload !== undefined")
                time.sleep(0.5)
                times = []
                previous = "规范行政法规使用"
                for number in range(args.edits):
                    marker = f"规范行政法规使用（第{number + 1}次）"
                    text = plan.read_text(encoding="utf-8")
                    started = time.monotonic()
                    plan.write_text(text.replace(previous, marker, 1), encoding="utf-8")
                    page.get_by_text(marker).wait_for(timeout=10000)
                    times.append(time.monotonic() - started)
                    previous = marker
                    time.sleep(0.3)
                browser.close()
        finally:
            server.stop()
    print(f"edit-to-page latency over {len(times)} saves: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
