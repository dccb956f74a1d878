"""Fuzzing: generated YAML and mutated copies of the shipped files, thrown at the loader and at
the CLI. Whatever the input: a clean load or build, or BuildFailed / exit 1 with messages that
name a file in content/; never another exception, a traceback, or a changed previous output.
Mutated copies of a small .docx and .xlsx plan, thrown at `build.py import`: a draft or a
message, never a traceback or an internal error.

Bounded for CI (about 25 s in all); set FUZZ_SCALE=10 to search ten times as long.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, ROOT, SMALL_PLAN
from generator import content as content_stage
from generator.errors import BuildFailed
from support.hostile import parts_of, plan_docx, plan_xlsx

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


# -- build.py import --------------------------------------------------------------------------

# The parts a mutation edits, and what it writes into them: the structures readers expand
# (spans, vertical merges, merged ranges, cell addresses) at extreme values, and XML that breaks.
PARTS = {"docx": ["word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml", "_rels/.rels"],
         "xlsx": ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]}
ATTRIBUTES = {"docx": [rb'(w:gridSpan w:val=")[^"]*', rb'(w:vMerge w:val=")[^"]*', rb'(w:gridCol w:w=")[^"]*'],
              "xlsx": [rb'(ref=")[^"]*', rb'(<c r=")[^"]*', rb'(<row r=")[^"]*', rb'(<v>)[^<]*']}
VALUES = [b"0", b"-1", b"1", b"100000000", b"9" * 30, b"", b"x", b"restart", b"continue", b"A1", b"XFD1048576",
          b"A1:XFD1048576", b"A6:XFD1048576", b"B2:A1", b"A:A", b"3:3", b"A0", b"ZZZZ1", b"1e9", b"&#0;"]
INSERTS = [b'<w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>', b'<w:tcPr><w:vMerge/></w:tcPr>',
           b'<w:trPr><w:gridBefore w:val="100000000"/></w:trPr>', b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
           b'<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>', b'<c r="XFD1048576"><v>1</v></c>',
           b'<row r="1048576"><c r="A1048576" t="s"><v>0</v></c></row>', b"&bogus;", b"<!DOCTYPE x>", b"\x00",
           b"</w:tc>", b"<w:p>", b"<", b"&", b"]]>", "综合科牵头".encode()]


class ImportWork:
    def __init__(self, folder: Path, parts: dict):
        self.folder, self.parts = folder, parts  # parts: kind -> part name -> bytes

    def __repr__(self) -> str:  # a failing example shows this, not a megabyte of parts
        return f"ImportWork({self.folder})"


@pytest.fixture(scope="module")
def import_work(tmp_path_factory) -> ImportWork:
    """A content folder with the registry, and the parts of a small .docx and .xlsx plan."""
    folder = tmp_path_factory.mktemp("fuzz-import")
    (folder / "content" / "plans").mkdir(parents=True)
    shutil.copytree(CONTENT / "registry", folder / "content" / "registry")
    return ImportWork(folder, {kind: parts_of(make(folder / f"plan.{kind}"))
                               for kind, make in (("docx", plan_docx), ("xlsx", plan_xlsx))})


@st.composite
def package_change(draw) -> tuple[str, list]:
    """Which plan, and a few edits: (part, kind, …) each."""
    kind = draw(st.sampled_from(["docx", "xlsx"]))
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        part = draw(st.sampled_from(PARTS[kind]))
        edit = draw(st.sampled_from(["flip", "attribute", "insert", "truncate", "drop", "file"]))
        edits.append((part, edit, draw(st.integers(0, 1 << 20)), draw(st.sampled_from(ATTRIBUTES[kind])),
                      draw(st.sampled_from(VALUES)), draw(st.sampled_from(INSERTS))))
    return kind, edits


def changed(parts: dict, edits: list) -> tuple[dict, int | None]:
    """The parts with the edits made, and where to cut the whole file (None: nowhere)."""
    parts, cut = dict(parts), None
    for part, edit, at, attribute, value, insert in edits:
        data = parts.get(part, b"")
        at = at % (len(data) + 1)
        if edit == "flip" and data:
            data = data[:at] + bytes([data[min(at, len(data) - 1)] ^ 0x5A]) + data[at + 1:]
        elif edit == "attribute":
            data = re.sub(attribute, lambda found: found.group(1) + value, data)
        elif edit == "insert":
            data = data[:at] + insert + data[at:]
        elif edit == "truncate":
            data = data[:at]
        elif edit == "file":
            cut = at
        if edit == "drop":
            parts.pop(part, None)
        else:
            parts[part] = data
    return parts, cut


@pytest.mark.long
@fuzz(150)
@given(change=package_change())
def test_an_import_of_a_mutated_office_file_ends_in_a_draft_or_a_message(import_work, change):
    folder = import_work.folder
    kind, edits = change
    parts, cut = changed(import_work.parts[kind], edits)
    source = folder / f"mutated.{kind}"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    if cut is not None:
        source.write_bytes(source.read_bytes()[:cut])
    plans = folder / "content" / "plans"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["import", str(source), "--content", str(folder / "content"),
                         "--issuer", "中山市金融工作局", "--year", "2022"])
    drafts = list(plans.iterdir())
    for draft in drafts:
        draft.unlink()
    for wrong in ("Traceback", "内部错误", "构建失败"):
        assert wrong not in stderr.getvalue(), stderr.getvalue()
    assert (code, len(drafts)) in ((0, 1), (1, 0)), stderr.getvalue()
    assert code == 0 or stderr.getvalue().strip(), "exit 1 without a message"
