"""The draft held against its source before it is written: nothing lost without a word, and
nothing passed off as a measure that cannot be one.

Conservation: every non-empty paragraph and cell of the source must be found in the draft (a
measure, a heading, a unit, a deadline, a note …) once white space and punctuation are set
aside, either whole or piece by piece (a units cell 办公室、宣传股 is two names in the draft). What
is not found is kept word for word in `editor_notes`, one note per source row or paragraph, and
reported as not placed with where it stood; page numbers and header cells the draft does not
repeat are reported in one line. The check reads the draft as written, so it holds whatever the
interpreters did, including their mistakes.

Suspicious measures: a measure with no text, only a number or only unit names (the signs of a
column read as the wrong kind) and a section or draft without measures are findings of the
worst kind, so the report never says there is nothing to review when the text went astray.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

from .draft import Measure, Plan, Section, measures_of, walk
from .findings import Finding
from .labels import split_label
from .names import Names
from .source import Document, Paragraph, Table

_NOT_WORD = re.compile(r"[^\w□]+")
_NAME_SEPARATORS = re.compile(r"[、，,；;／/\s]+")
NOTE_PREFIX = "导入时未能放入计划的原文"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it: 20 times quicker


@dataclass
class Piece:
    text: str
    where: str  # 第3段, 表1第7行第2栏
    row: str  # the paragraph or row it belongs to: unplaced pieces of one row make one note
    layout: bool = False  # a page number or a header cell: reported in one line, not kept as a note


def normal(text: str) -> str:
    """Text as the check compares it: compatibility forms folded (full-width digits and
    brackets), white space, punctuation and symbols dropped."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).replace("_", "")


def pieces_of(document: Document, layout_ids: set[int] = frozenset(), heading_ids: set[int] = frozenset()) -> list[Piece]:
    """Every non-empty paragraph and every cell (a merged cell once) in reading order.
    `layout_ids`: ids of the paragraphs set aside as page layout (page numbers);
    `heading_ids`: the header cells of the plan table, which the draft keeps as `columns`
    (the upper row of a two-level header is the table's shape, not plan text)."""
    found: list[Piece] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            found.append(Piece(block.text, block.where, block.where, id(block) in layout_ids))
        elif isinstance(block, Table):
            seen: set[int] = set(heading_ids)
            for row in block.rows:
                for column, cell in enumerate(row.cells):
                    if cell.text and id(cell) not in seen:
                        seen.add(id(cell))
                        found.append(Piece(cell.text, f"{row.where}第{column + 1}栏", row.where, id(cell) in layout_ids))
    return found


def draft_strings(draft_text: str) -> set[str]:
    """Every string in the draft, normalised; a label with its text or title also as one."""
    strings: set[str] = set()

    def collect(value) -> None:
        if isinstance(value, dict):
            label = value.get("label")
            for key in ("text", "title", "task"):
                if isinstance(label, str) and isinstance(value.get(key), str):
                    strings.add(normal(label + value[key]))
            if isinstance(value.get("parts"), list):
                strings.add(normal("".join(p.get("text", "") for p in value["parts"] if isinstance(p, dict))))
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif value is not None and not isinstance(value, bool):
            strings.add(normal(str(value)))

    try:
        collect(yaml.load(draft_text, Loader=_LOADER))
    except yaml.YAMLError:
        return set()  # the draft check that follows names what is wrong with the text
    strings.discard("")
    return strings


def unplaced(pieces: list[Piece], strings: set[str]) -> list[Piece]:
    """The pieces not found in the draft, whole or run by run (a run: the text between two
    punctuation marks)."""
    haystack = "\x00".join(sorted(strings))

    def found(text: str) -> bool:
        return text in strings or text in haystack

    missing = []
    for piece in pieces:
        whole = normal(piece.text)
        if not whole or found(whole):
            continue
        runs = [normal(run) for run in _NOT_WORD.split(unicodedata.normalize("NFKC", piece.text))]
        if not all(found(run) for run in runs if run):
            missing.append(piece)
    return missing


def keep_unplaced(plan: Plan, missing: list[Piece]) -> None:
    """Each row's missing pieces as one editor note and one finding; layout pieces in one line."""
    layout = [piece for piece in missing if piece.layout]
    rows: dict[str, list[Piece]] = {}
    for piece in missing:
        if not piece.layout:
            rows.setdefault(piece.row, []).append(piece)
    for row, found in rows.items():
        field = f"editor_notes[{len(plan.editor_notes)}]"
        plan.editor_notes.append(f"{NOTE_PREFIX}（{row}）：" + "｜".join(piece.text.replace("\n", " ") for piece in found))
        places = "、".join(piece.where for piece in found)
        plan.findings.append(Finding(field, "这段原文不在草稿的任何字段中，已原样记在编者说明里：请对照原文放到应在的位置"
                                            "（not placed）", places, kind="not-placed"))
    if layout:
        shown = "、".join(f"{piece.where}“{piece.text[:20]}”" for piece in layout[:5])
        more = f"等 {len(layout)} 处" if len(layout) > 5 else ""
        plan.findings.append(Finding("", f"页码、表头等版面文字没有导入：{shown}{more}（layout text not imported）",
                                     kind="layout"))


def review_measures(plan: Plan, names: Names) -> None:
    """Findings on measures that cannot be what the source meant, on sections without
    measures, and on a draft without any: the worst kinds, listed first."""
    for node in walk(plan):
        if isinstance(node, Measure):
            problem = _suspicious(node, names)
            if problem:
                node.findings.append(Finding("text", f"这条措施{problem}，很可能把别的栏读成了措施（suspicious measure text）",
                                             kind="suspect-measure"))
        elif isinstance(node, Section) and not node.body and not node.items and not node.points:
            node.findings.append(Finding("", "这一部分没有措施，只记下了标题：请对照原文（section without measures）",
                                         kind="no-measures"))
    if not measures_of(plan):
        plan.findings.append(Finding("", "草稿中没有读出任何措施：请对照原文检查版式，必要时手工录入（no measures read）",
                                     kind="no-measures"))


def _suspicious(measure: Measure, names: Names) -> str:
    if measure.parts:
        return ""
    text = measure.text.strip()
    if not normal(text):
        return "没有文字"
    labelled = split_label(text)
    if not normal(labelled.text) or re.fullmatch(r"[0-9０-９]{1,4}", normal(text)):
        return "只有编号"
    parts = [part for part in _NAME_SEPARATORS.split(text.strip("。；;，,")) if part]
    if parts and all(names.known(part) for part in parts):
        return "只有单位名称"
    return ""
