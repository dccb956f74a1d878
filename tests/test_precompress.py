"""`build --precompress`: a gzip copy beside each text file worth compressing, part of the build's
files, so it is replaced with the site and gone after a build without the flag.
(Same content, same bytes: tests/test_build.py; nginx sending the copies: tests/test_nginx.py.)"""

from __future__ import annotations

import gzip
import random

from conftest import SMALL_PLAN, run_main
from generator.output import MARKER
from test_build import read_all


def copies(folder) -> dict[str, bytes]:
    return {path: data for path, data in read_all(folder).items() if path.endswith(".gz")}


def listed(folder) -> set[str]:
    return {line for line in (folder / MARKER).read_text(encoding="utf-8").splitlines() if not line.startswith("#")}


def test_each_copy_is_the_file_beside_it_compressed_and_nothing_else_changes(precompressed_site, built_site):
    files = read_all(precompressed_site)
    gzipped = copies(precompressed_site)
    for path, data in gzipped.items():
        assert gzip.decompress(data) == files[path.removesuffix(".gz")], path
        assert data[3] == 0 and data[4:8] == bytes(4), path  # no file name, no time: the same bytes every build
        assert len(data) < len(files[path.removesuffix(".gz")]), path
    for path in ("index.html", "plans/zs-2017/index.html", "search/index.html", "404.html", "assets/site.css",
                 "assets/search-core.js", "assets/search/index.js", "data/plans.json", "data/plans/zs-2017.csv",
                 "data/README.md", "feed.xml"):
        assert f"{path}.gz" in gzipped, path
    small = [path for path, data in files.items() if len(data) <= 1024 and not path.endswith(".gz")]
    assert small and not any(f"{path}.gz" in gzipped for path in small)  # a copy would save too little
    assert listed(precompressed_site) == listed(built_site.output) | set(gzipped)
    plain = {path: data for path, data in files.items() if not path.endswith(".gz") and path != MARKER}
    assert plain == {path: data for path, data in read_all(built_site.output).items() if path != MARKER}


def build(content, output, *flags: str) -> None:
    result = run_main("build", *flags, "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr


def test_a_build_without_the_flag_removes_the_copies(small_content, tmp_path):
    output = tmp_path / "output"
    build(small_content, output, "--precompress")
    assert f"plans/{SMALL_PLAN}/index.html.gz" in copies(output)
    build(small_content, output)
    assert copies(output) == {}
    assert not any(path.endswith(".gz") for path in listed(output))


def test_an_unchanged_site_keeps_its_bytes_and_a_changed_page_gets_a_fresh_copy(small_content, tmp_path):
    output = tmp_path / "output"
    build(small_content, output, "--precompress")
    before = read_all(output)
    build(small_content, output, "--precompress")
    assert read_all(output) == before
    plan = small_content / "plans" / f"{SMALL_PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 修订后的", 1), encoding="utf-8")
    build(small_content, output, "--precompress")
    page = f"plans/{SMALL_PLAN}/index.html"
    assert "修订后的" in (output / page).read_text(encoding="utf-8")
    assert gzip.decompress((output / f"{page}.gz").read_bytes()) == (output / page).read_bytes()


def test_static_files_are_compressed_when_it_pays_and_a_stale_copy_of_theirs_is_replaced(small_content, tmp_path):
    static = small_content / "static"
    static.mkdir()
    notes = "政务公开工作要点分工方案的说明。\n" * 200
    (static / "notes.txt").write_text(notes, encoding="utf-8")
    (static / "notes.txt.gz").write_bytes(gzip.compress("旧的说明\n".encode() * 200))
    (static / "noise.txt").write_bytes(random.Random(22).randbytes(4096))  # gzip cannot shrink it
    output = tmp_path / "output"
    build(small_content, output, "--precompress")
    assert gzip.decompress((output / "notes.txt.gz").read_bytes()).decode("utf-8") == notes
    assert (output / "noise.txt").is_file() and not (output / "noise.txt.gz").exists()
