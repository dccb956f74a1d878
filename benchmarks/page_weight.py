"""Print the weight of the built site: CSS and JS, and HTML per page type, raw and gzipped.

Usage: .venv/bin/python benchmarks/page_weight.py [--content DIR]
Target (issue #3): all CSS together at most 15 KB gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build_files  # noqa: E402


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def kind_of(path: str) -> str:
    if path == "index.html":
        return "home"
    if path == "404.html":
        return "404"
    parts = path.split("/")
    return parts[0] + ("/<id>" if len(parts) > 2 else "/")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    files = {path: (data.encode("utf-8") if isinstance(data, str) else data)
             for path, data in build_files(args.content).items()}

    print(f"{'asset':32} {'raw B':>9} {'gzip B':>9}")
    for suffix in (".css", ".js"):
        total_raw = total_gz = 0
        for path, data in sorted(files.items()):
            if path.endswith(suffix):
                print(f"{path:32} {len(data):9} {gz(data):9}")
                total_raw += len(data)
                total_gz += gz(data)
        print(f"{'all ' + suffix + ' together':32} {total_raw:9} {total_gz:9}")

    groups: dict[str, list[tuple[int, int, str]]] = {}
    for path, data in files.items():
        if path.endswith(".html"):
            groups.setdefault(kind_of(path), []).append((len(data), gz(data), path))
    print()
    print(f"{'HTML page type':16} {'pages':>5} {'median raw':>11} {'median gz':>10} {'max raw':>9} {'max gz':>8}  largest")
    for kind, rows in sorted(groups.items()):
        raws = [r for r, _, _ in rows]
        gzs = [g for _, g, _ in rows]
        largest = max(rows)
        print(f"{kind:16} {len(rows):5} {int(statistics.median(raws)):11} {int(statistics.median(gzs)):10} "
              f"{largest[0]:9} {largest[1]:8}  {largest[2]}")


if __name__ == "__main__":
    main()
