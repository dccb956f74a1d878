"""Fuzzing: generated YAML and mutated copies of the shipped files, thrown at the loader and at
the CLI. Whatever the input: a clean load or build, or BuildFailed / exit 1 with messages that
name a file in content/; never another exception, a traceback, or a changed previous output.

Bounded for CI (about 25 s in all); set FUZZ_SCALE=10 to search ten times as long.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, ROOT, SMALL_PLAN
from generator import content as content_stage
from generator.errors import BuildFailed

sys.path.insert(0, str(ROOT))
import build as cli  # noqa: E402 - the CLI's own main(), run in-process to keep the fuzzing fast

SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces of YAML and of our content, including the ones that broke things before.
TOKENS = [
    "\n", "  ", "    ", "- ", ": ", ":", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ",
    "!!python/object:os.system ", "!!set ", "!foo ", "---\n", "...\n", "'", '"', "# ", "|\n", ">-\n", "? ", "<<: ",
    "\t", "\u2028", "\x85", "\x00", "\ufeff", "\u200b", "\\", "\r", "~", "null", "true", "no", "0x1F", "1e3", "007",
    "id: ", f"id: {SMALL_PLAN}\n", "title: ", "issuer: 中山市金融工作局\n", "kind: 分工方案\n", "year: 2022\n",
    "sections:\n", "measures:\n", "points:\n", "text: ", "lead: ", "support: ", "group:\n", "parts:\n", "anchor: ",
    "deadline: ", "date: ", "2022-02-30", "2022-03-15", "source:\n  url: ", "javascript:alert(1)", "https://x.cn/",
    "base_path: ", "/\\evil/", "units:\n", "name: ", "parent: ", "children:\n", "综合科", "市财政局", "各科室",
]
SHIPPED = sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml"))

token_soup = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=80).map("".join)
# Structure made of anchors, aliases and brackets only: where cycles and expansions come from.
alias_soup = st.lists(st.sampled_from(["&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ", ", ": ", "- ", "\n", "  ", "k",
                                       "!!int ", "!!bool ", "v"]), max_size=40).map("".join)
nesting = st.tuples(st.integers(1, 5000), st.sampled_from(["[", "{a: ", "- "])).map(
    lambda depth_open: "id: x\nsections: " + depth_open[1] * depth_open[0] + ("]" * depth_open[0] if depth_open[1] == "[" else ""))
yaml_text = st.one_of(token_soup, alias_soup, nesting)


@st.composite
def mutated(draw) -> tuple[str, str]:
    """A shipped file with a few edits of the kinds an editor's slip makes."""
    name = draw(st.sampled_from(SHIPPED))
    text = (CONTENT / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate line", "swap lines", "indent"]))
        at = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        elif kind == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))) + text[at:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate line":
                lines.insert(i, lines[i])
            elif kind == "swap lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
            text = "\n".join(lines)
    return name, text


@pytest.fixture(scope="module")
def fuzz_content(tmp_path_factory) -> Path:
    """The small content (registry, settings, one plan), rewritten by each example."""
    target = tmp_path_factory.mktemp("fuzz") / "content"
    (target / "plans").mkdir(parents=True)
    shutil.copytree(CONTENT / "registry", target / "registry")
    shutil.copy(CONTENT / "site.yaml", target / "site.yaml")
    shutil.copy(CONTENT / "plans" / f"{SMALL_PLAN}.yaml", target / "plans" / f"{SMALL_PLAN}.yaml")
    return target


@contextlib.contextmanager
def replaced(content: Path, name: str, text: str):
    """`content/name` holds `text` for the duration; the original comes back afterwards."""
    path = content / name
    original = path.read_bytes() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    try:
        yield path
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def load_cleanly_or_explain(content: Path) -> None:
    try:
        content_stage.load(content, with_static=True)
    except BuildFailed as failure:
        assert failure.errors
        for error in failure.errors:
            assert error.path is not None and Path(error.path).resolve().is_relative_to(content.resolve()), str(error)
            assert "内部错误" not in error.message, str(error)
            assert len(str(error)) < 1000


@pytest.mark.long
@fuzz(150)
@given(text=yaml_text, where=st.sampled_from(["plans/fuzz.yaml", "registry/fuzz.yaml", "site.yaml"]))
def test_generated_yaml_is_loaded_or_explained(fuzz_content, text, where):
    with replaced(fuzz_content, where, text):
        load_cleanly_or_explain(fuzz_content)


@pytest.mark.long
@fuzz(150)
@given(change=mutated())
def test_mutated_shipped_files_are_loaded_or_explained(fuzz_content, change):
    name, text = change
    with replaced(fuzz_content, name, text):
        load_cleanly_or_explain(fuzz_content)


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_site(fuzz_content, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("fuzz-site") / "output"
    assert cli.main(["build", "--content", str(fuzz_content), "--output", str(site)]) == 0
    return site


@fuzz(12)
@given(change=mutated())
def test_cli_builds_or_fails_cleanly_and_keeps_the_previous_site(fuzz_content, previous_site, change):
    name, text = change
    before = tree(previous_site)
    stdout, stderr = io.StringIO(), io.StringIO()
    with replaced(fuzz_content, name, text), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["build", "--content", str(fuzz_content), "--output", str(previous_site)])
    assert code in (0, 1), stderr.getvalue()
    assert "Traceback" not in stderr.getvalue() and "内部错误" not in stderr.getvalue(), stderr.getvalue()
    if code == 1:
        assert str(fuzz_content) in stderr.getvalue(), stderr.getvalue()
        assert tree(previous_site) == before
    else:
        assert "build OK" in stdout.getvalue() and (previous_site / "index.html").is_file()
        assert cli.main(["build", "--content", str(fuzz_content), "--output", str(previous_site)]) == 0  # put it back
