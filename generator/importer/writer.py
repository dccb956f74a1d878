"""The draft written as YAML the way an editor writes a plan (see content/plans/): the same
order of fields, labels quoted, long text on one line, cells with several items as `|-` blocks,
short unit lists in brackets.

Each finding becomes a `# 待核（review）：…` comment right above the line it is about, and the
writer records that line and the field's path for the review report. Nothing here depends on
the clock or on dictionary order, so the same document always gives the same bytes.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import yamlfile
from ..errors import ContentError

from .draft import Deadline, Group, Measure, Plan, Point, Qualified, Responsibility, Section, Status, Task
from .findings import Finding, KINDS, cut
from .roles import ROLE_ORDER

REVIEW_MARK = "# 待核（review）："
INDENT = "  "
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR_TAG, _TIMESTAMP_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"
_PROBE = Path("<draft>")  # the name a probe's parse error would carry; never shown


@dataclass
class Placed:
    """A finding with the line of the draft it is about and the field's path."""

    line: int
    path: str
    finding: Finding


@dataclass
class Written:
    text: str
    placed: list[Placed] = field(default_factory=list)


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether `text` can stand unquoted where the writer puts it (a block value or list item;
    with `flow`, an item of [a, b] or a value of {k: v}) and be read back as exactly this string.

    Decided by asking the readers rather than by a list of our own: the build's loader
    (yamlfile, the authority: it reads 09 as the number 9) and PyYAML's parser must both give
    back this string there, and other YAML readers must take the plain scalar for text too
    (_OTHER_READERS: yes, 1e3, 1:20 are strings to the build but not to an editor's tool). Text starting with one of
    YAML's indicator characters is quoted as YAML emitters do: readers differ on which of them
    may start a plain scalar. One exception keeps the shipped plans' style: a calendar date
    such as 2022-06-30 stays plain, since the build reads it back as that text (a YAML 1.1
    reader's date; 2022-02-30 is no date and is quoted)."""
    return _plain_ok(text, flow)


@functools.lru_cache(maxsize=8192)  # a draft names the same units and words again and again
def _plain_ok(text: str, flow: bool) -> bool:
    if not text or "\n" in text or text[0] in _INDICATORS:
        return False
    if flow:
        probe, expected = f"k: [{text}, {text}]\nm: {{k: {text}}}\n", {"k": [text, text], "m": {"k": text}}
    else:
        probe, expected = f"k: {text}\nl:\n- {text}\n", {"k": text, "l": [text]}
    if not _read_back(probe, expected, other_parser=not _outside_syntax(text)):
        return False
    tag = _OTHER_READERS.resolve(yaml.ScalarNode, text, (True, False))
    return tag == _STR_TAG or (tag == _TIMESTAMP_TAG and _calendar_date(text))


def _read_back(probe: str, expected: dict, other_parser: bool = True) -> bool:
    """Whether YAML text gives `expected` to the build's own loader (libyaml) and, with
    `other_parser`, to PyYAML's own parser, which reads some lines differently (a Tab inside a
    plain scalar). That one is written in Python, ten times slower: see _outside_syntax."""
    try:
        return yamlfile.parse(probe, _PROBE).data == expected and (
            not other_parser or yaml.load(probe, Loader=yaml.BaseLoader) == expected)
    except (ContentError, yaml.YAMLError):
        return False


def _outside_syntax(text: str) -> bool:
    """Whether `text` holds nothing YAML's syntax looks at, so that no two parsers can split it
    differently: every indicator, space and line break of YAML is an ASCII character, but for
    the breaks U+0085, U+2028 and U+2029. Most cells (Chinese words, full-width punctuation,
    digits) are such text; asking the second parser only about the rest keeps writing a draft
    of 100 measures a matter of milliseconds."""
    return all(character.isalnum() if character.isascii() else character not in "\x85\u2028\u2029"
               for character in text)


class _OtherReaders(yaml.resolver.Resolver):
    """How YAML readers other than the build type a plain scalar: PyYAML's YAML 1.1 rules (yes,
    on, ~, 0x1F, 1_000, .5, 1:20, 2022-06-30 …) and the two sets of forms they leave out: YAML
    1.1's booleans y and n, and the YAML 1.2 core schema's numbers (09, +1, 1e3, 0o17), which
    editors' tools such as VS Code's YAML extension follow. The patterns are the specs' own."""


_OtherReaders.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN"))
_OtherReaders.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+)$"),
                                    list("-+0123456789"))
_OtherReaders.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))
_OTHER_READERS = _OtherReaders()


def _calendar_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def literal_ok(text: str) -> bool:
    """Whether multi-line `text` can be written as a `|-` block and read back as itself. Not
    when the build's loader would read the block otherwise (a first line starting with spaces
    sets a deeper indentation; a final line break is chomped), nor with a line ending in
    spaces: they are invisible in the editor and lost where it trims lines on saving."""
    lines = text.split("\n")
    if any(line != line.rstrip(" \t") for line in lines):
        return False
    return _read_back("k: |-\n" + "".join(f"{INDENT}{line}\n" if line else "\n" for line in lines), {"k": text})


def scalar(value, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _Quoted):
        return _quoted(value)
    return value if plain_ok(value, flow) else _quoted(value)


def _quoted(text: str) -> str:
    """A double-quoted scalar: JSON's escapes are YAML's too."""
    return json.dumps(str(text), ensure_ascii=False)


class _Writer:
    def __init__(self):
        self.lines: list[str] = []
        self.placed: list[Placed] = []

    def comment(self, depth: int, text: str) -> None:
        self.lines.append(f"{INDENT * depth}# {text}")

    def review(self, findings: list[Finding], depth: int, path: str, dash: bool = False) -> None:
        """The findings' comments, then the line they are about is the next one written."""
        for finding in findings:
            source = f"【{finding.source}】" if finding.source else ""
            tag = KINDS[finding.kind].tag
            self.lines.append(f"{INDENT * depth}{REVIEW_MARK}［{tag}］{cut(_one_line(finding.message), 400)}{source}")
            self.placed.append(Placed(0, path, finding))

    def field(self, depth: int, key: str, value, dash: bool = False, flow: bool = False) -> None:
        """`key: value` at `depth`; multi-line text as a `|-` block where it reads back as itself."""
        prefix = INDENT * depth + ("- " if dash else "")
        if isinstance(value, str) and "\n" in value and not isinstance(value, _Quoted) and literal_ok(value):
            self.put(f"{prefix}{key}: |-")
            inner = INDENT * (depth + (2 if dash else 1))
            for line in value.split("\n"):
                self.lines.append(f"{inner}{line}" if line else "")
        else:
            self.put(f"{prefix}{key}: {scalar(value, flow)}")

    def put(self, line: str) -> None:
        self.lines.append(line)
        number = len(self.lines)
        for placed in self.placed:
            if placed.line == 0:
                placed.line = number


class _Quoted(str):
    """A value always written in double quotes (labels such as "1、", as editors write them)."""


def _label(label: str) -> str:
    return _Quoted(label) if label[:1].isdigit() else label


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _names(names: list, in_flow: bool = False) -> str:
    """One name as a scalar, several as [a, b] (`in_flow`: inside a {…} mapping already)."""
    shown = []
    for name in names:
        if isinstance(name, Qualified):
            shown.append(f"{{name: {scalar(name.name, True)}, unit: {scalar(name.unit, True)}}}")
        else:
            shown.append(scalar(name, flow=in_flow or len(names) > 1))
    return shown[0] if len(shown) == 1 and not isinstance(names[0], Qualified) else f"[{', '.join(shown)}]"


def _flow_responsibility(responsibility: Responsibility) -> str | None:
    """{lead: 市财政局}: the short form zs-2017 uses for a group's cell, when it is that simple."""
    if responsibility.as_written or responsibility.words or len(responsibility.roles) != 1:
        return None
    role, names = next(iter(responsibility.roles.items()))
    return f"{{{role}: {_names(names, in_flow=True)}}}"


def draft_header(plan: Plan, source_name: str) -> list[str]:
    """The draft's opening comments: its schema, where it came from, how many places to review."""
    count = plan.all_findings()
    review = (f"导入检查：{count} 处待核，每处在所指的行上方以“待核”注释标出；核对后删去该注释。"
              if count else "导入检查：没有发现需要特别核对的地方。")
    return ["yaml-language-server: $schema=../../schema/plan.schema.json",
            f"由 build.py import 从 {source_name} 导入的草稿（draft）：请逐条对照原文核对，完成后删去 draft: true。",
            review + "见 docs/importing.md。"]


def write(plan: Plan, header: list[str]) -> Written:
    writer = _Writer()
    for line in header:
        writer.lines.append(f"# {line}" if line else "#")
    _plan(writer, plan)
    for placed in writer.placed:
        placed.line = placed.line or len(writer.lines)
    return Written("\n".join(writer.lines) + "\n", writer.placed)


def _plan(w: _Writer, plan: Plan) -> None:
    placed_elsewhere = {"kind", "year"} | {f"editor_notes[{i}]" for i in range(len(plan.editor_notes))}
    for key in ("id", "title", "issuer", "kind", "year"):
        if key == "title":  # the title line also carries what concerns the plan as a whole
            w.review([f for f in plan.findings if f.field not in placed_elsewhere], 0, "title")
        elif key in placed_elsewhere:
            w.review([f for f in plan.findings if f.field == key], 0, key)
        w.field(0, key, getattr(plan, key))
    w.field(0, "draft", True)
    for key in ("document_number", "index_number", "topic", "genre"):
        if getattr(plan, key):
            w.field(0, key, getattr(plan, key))
    if plan.dates:
        w.put("dates:")
        for key in ("written", "published"):
            if key in plan.dates:
                w.field(1, key, plan.dates[key])
    if plan.validity:
        w.field(0, "validity", plan.validity)
    if plan.columns:
        w.put(f"columns: [{', '.join(scalar(c, True) for c in plan.columns)}]")
    if plan.first_listed_leads:
        w.field(0, "first_listed_leads", plan.first_listed_leads)
    if plan.role_words:
        w.put("role_words: {" + ", ".join(f"{k}: {scalar(v, True)}" for k, v in _ordered(plan.role_words)) + "}")
    source(w, plan.source_file)
    if plan.preamble:
        w.field(0, "preamble", plan.preamble)
    editor_notes(w, plan.editor_notes, plan.findings)
    w.put("sections:")
    for index, section in enumerate(plan.sections):
        _section(w, section, f"sections[{index}]")
    if plan.closing:
        w.field(0, "closing", plan.closing)


def source(w: _Writer, file_name: str) -> None:
    """The `source:` of an imported file: its name, and that the editor has yet to check it."""
    w.put("source:")
    w.field(1, "file", file_name)
    w.field(1, "note", f"由 build.py import 从 {file_name} 导入，尚待编辑核对。")


def editor_notes(w: _Writer, notes: list[str], findings: list[Finding]) -> None:
    """`editor_notes:`, each note with the findings about it above it."""
    if notes:
        w.put("editor_notes:")
        for index, note in enumerate(notes):
            w.review([f for f in findings if f.field == f"editor_notes[{index}]"], 1, f"editor_notes[{index}]")
            w.put(f"{INDENT}- {scalar(note)}")


def _ordered(mapping: dict) -> list:
    return sorted(mapping.items(), key=lambda item: ROLE_ORDER.index(item[0]) if item[0] in ROLE_ORDER else 99)


def _section(w: _Writer, section: Section, path: str) -> None:
    depth = 1
    _start(w, section, depth, path)
    w.field(depth, "label", section.label, dash=True)
    if section.title:
        w.field(depth + 1, "title", section.title)
    _responsibility(w, section, depth + 1, path)
    _deadline(w, section, depth + 1, path)
    if section.body or not (section.points or section.items):  # a section needs one of the three
        w.field(depth + 1, "body", section.body)
    if section.points:
        w.put(f"{INDENT * (depth + 1)}points:")
        for index, point in enumerate(section.points):
            _point(w, point, depth + 2, f"{path}.points[{index}]")
    if section.items:
        w.put(f"{INDENT * (depth + 1)}measures:")
        _items(w, section.items, depth + 2, f"{path}.measures")


def _start(w: _Writer, node, depth: int, path: str) -> None:
    """Findings about the item as a whole, above its first line."""
    w.review([f for f in node.findings if f.field == ""], depth, path)


def _point(w: _Writer, point: Point, depth: int, path: str) -> None:
    _start(w, point, depth, path)
    w.field(depth, "label", point.label, dash=True)
    if point.title:
        w.field(depth + 1, "title", point.title)
    _responsibility(w, point, depth + 1, path)
    _deadline(w, point, depth + 1, path)
    w.put(f"{INDENT * (depth + 1)}measures:")
    _items(w, point.items, depth + 2, f"{path}.measures")


def _items(w: _Writer, items: list, depth: int, path: str) -> None:
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        if isinstance(item, Group):
            _group(w, item, depth, here)
        elif isinstance(item, Task):
            _task(w, item, depth, here)
        else:
            _measure(w, item, depth, here)


def _group(w: _Writer, group: Group, depth: int, path: str) -> None:
    _start(w, group, depth, f"{path}.group")
    short = _flow_responsibility(group.responsibility)
    if short:
        w.put(f"{INDENT * depth}- group: {short}")
    else:
        w.put(f"{INDENT * depth}- group:")
        _responsibility_fields(w, group.responsibility, depth + 2)
    w.put(f"{INDENT * (depth + 1)}measures:")
    for index, measure in enumerate(group.measures):
        _measure(w, measure, depth + 2, f"{path}.measures[{index}]")


def _task(w: _Writer, task: Task, depth: int, path: str) -> None:
    _start(w, task, depth, path)
    w.field(depth, "task", task.title or task.label, dash=True)
    if task.label and task.title:
        w.field(depth + 1, "label", task.label)
    _responsibility(w, task, depth + 1, path)
    _deadline(w, task, depth + 1, path)
    w.put(f"{INDENT * (depth + 1)}measures:")
    _items(w, task.items, depth + 2, f"{path}.measures")


def _measure(w: _Writer, measure: Measure, depth: int, path: str) -> None:
    _start(w, measure, depth, path)
    w.field(depth, "label", _label(measure.label), dash=True)
    inner = depth + 1
    if measure.requirement:
        w.field(inner, "requirement", measure.requirement)
    if measure.parts:
        w.review([f for f in measure.findings if f.field == "parts"], inner, f"{path}.parts")
        w.put(f"{INDENT * inner}parts:")
        for index, part in enumerate(measure.parts):
            w.field(inner + 1, "text", part.text, dash=True)
            if part.responsibility is not None and not part.responsibility.empty:
                w.put(f"{INDENT * (inner + 2)}responsibility:")
                _responsibility_fields(w, part.responsibility, inner + 3)
    else:
        w.review([f for f in measure.findings if f.field == "text"], inner, f"{path}.text")
        w.field(inner, "text", measure.text)
    _responsibility(w, measure, inner, path)
    _deadline(w, measure, inner, path)
    if measure.status is not None:
        w.review([f for f in measure.findings if f.field == "status"], inner, f"{path}.status")
        _status(w, measure.status, inner)
    if measure.remarks:
        w.field(inner, "remarks", measure.remarks)


def _responsibility(w: _Writer, node, depth: int, path: str) -> None:
    findings = [f for f in node.findings if f.field == "responsibility"]
    if node.responsibility is None or node.responsibility.empty:
        if findings:
            w.review(findings, depth, f"{path}.responsibility")
            w.put(f"{INDENT * depth}# responsibility: （没有读出责任单位）")
        return
    w.review(findings, depth, f"{path}.responsibility")
    w.put(f"{INDENT * depth}responsibility:")
    _responsibility_fields(w, node.responsibility, depth + 1)


def _responsibility_fields(w: _Writer, responsibility: Responsibility, depth: int) -> None:
    if responsibility.as_written:
        w.field(depth, "as_written", responsibility.as_written)
    if responsibility.words:
        w.put(f"{INDENT * depth}words: {{" + ", ".join(
            f"{k}: {scalar(v, True)}" for k, v in _ordered(responsibility.words)) + "}")
    for role, names in responsibility.roles.items():  # in the order the cell names them
        w.put(f"{INDENT * depth}{role}: {_names(names)}")


def _deadline(w: _Writer, node, depth: int, path: str) -> None:
    deadline: Deadline | None = node.deadline
    findings = [f for f in node.findings if f.field == "deadline"]
    if deadline is None:
        return
    w.review(findings, depth, f"{path}.deadline")
    if not (deadline.date or deadline.milestones or deadline.recurring or deadline.after):
        w.field(depth, "deadline", deadline.text)
        return
    w.put(f"{INDENT * depth}deadline:")
    inner = depth + 1
    w.field(inner, "text", deadline.text)
    if deadline.date:
        w.field(inner, "date", deadline.date)
    if deadline.milestones:
        w.put(f"{INDENT * inner}milestones:")
        for date, text in deadline.milestones:
            words = f", text: {scalar(text, True)}" if text else ""
            w.put(f"{INDENT * (inner + 1)}- {{date: {scalar(date, True)}{words}}}")
    if deadline.recurring:
        by = f", by: {scalar(deadline.recurring.by, True)}" if deadline.recurring.by is not None else ""
        w.put(f"{INDENT * inner}recurring: {{every: {scalar(deadline.recurring.every, True)}{by}}}")
    if deadline.after:
        after = deadline.after
        bits = [f"event: {scalar(after.event, True)}"]
        if after.within is not None:
            bits.append(f"within: {after.within}")
        if after.unit:
            bits.append(f"unit: {scalar(after.unit, True)}")
        w.put(f"{INDENT * inner}after: {{{', '.join(bits)}}}")


def _status(w: _Writer, status: Status, depth: int) -> None:
    w.put(f"{INDENT * depth}status:")
    w.field(depth + 1, "text", status.text)
    if status.state:
        w.field(depth + 1, "state", status.state)
