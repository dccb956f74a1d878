"""A plan written as prose: sections 一、, points （一）, measures 1、 found by their labels, and
inline （牵头处室：X） markers made into parts.

A section with measures (lines with a measure label or a marker) is a task list; one without
(总体要求, 保障措施) keeps its paragraphs as Markdown in `body`, with short labelled lines as
sub-headings. Lines before the first section are the preamble; sign-off lines at the end
(此件公开发布, a date, the issuer's name) the closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import deadline_in_text
from .draft import Point, Section, tidy_sections
from .findings import Finding
from .labels import MEASURE, ITEM, POINT, SECTION, glue, split_label
from .markers import has_marker, markers_in, measure_from, split_measure_label
from .names import Context
from .source import Paragraph

_SIGN_OFF = re.compile(r"[（(]此件.{1,12}[）)]|\d{4}年\d{1,2}月\d{1,2}日|[（(]?联系人.*")
_SENTENCE_END = ("。", "；", "！", "？", "：", ":", ";", "）", ")")


@dataclass
class ProseResult:
    sections: list[Section]
    preamble: str
    closing: str
    notes: list[tuple[str, Finding]] = field(default_factory=list)


@dataclass
class _Block:
    """A section's lines before they are read as a task list or as prose."""

    label: str
    title: str
    where: str
    lines: list[Paragraph] = field(default_factory=list)


def read_prose(paragraphs: list[Paragraph], context: Context, issuer_names: set[str]) -> ProseResult:
    preamble: list[str] = []
    blocks: list[_Block] = []
    for paragraph in paragraphs:
        labelled = split_label(paragraph.text)
        if labelled.kind == SECTION and not has_marker(paragraph.text, context.names) and len(labelled.text) <= 40:
            blocks.append(_Block(labelled.label, labelled.text, paragraph.where))
        elif blocks:
            blocks[-1].lines.append(paragraph)
        else:
            preamble.append(paragraph.text)
    closing: list[str] = []
    if blocks:
        lines = blocks[-1].lines
        while lines and (_SIGN_OFF.fullmatch(lines[-1].text) or lines[-1].text in issuer_names):
            closing.insert(0, lines.pop().text)
    result = ProseResult([], "\n\n".join(preamble), "\n\n".join(closing))
    origin: dict[int, str] = {}  # id(point) -> the line that started it
    for block in blocks:
        if any(_is_measure_line(line.text, context) for line in block.lines):
            result.sections.append(_task_section(block, context, result, origin))
        else:
            result.sections.append(Section(label=block.label, title=block.title, body=_body(block.lines)))
    tidy_sections(result.sections, lambda node: _unplaced(result, f"{node.label}{node.title}", origin.get(id(node), "")))
    _unmarked(result.sections)
    return result


def _unplaced(result: ProseResult, text: str, where: str) -> None:
    """A line the draft has no place for, kept word for word in the editor's notes."""
    result.notes.append((f"导入时未能归类的一段（{where}）：{text}",
                         Finding("", "这一段不是标题、要点或措施，原文记在编者说明中，请核对它属于哪里"
                                     "（a paragraph that fits no pattern）", where, kind="unplaced")))


def _unmarked(sections: list[Section]) -> None:
    """Where the document marks responsibilities inline, a measure without a marker is missing one."""
    measures = [item for section in sections for items in [section.items, *[p.items for p in section.points]]
                for item in items]
    if any(measure.parts for measure in measures):
        for measure in measures:
            if not measure.parts:
                measure.findings.append(Finding("", "这条措施没有（牵头处室：…）一类的责任标注，而本文其他措施有"
                                                    "（no responsibility marker）", kind="no-unit"))


def _is_measure_line(text: str, context: Context) -> bool:
    return split_label(text).kind in (MEASURE, ITEM) or has_marker(text, context.names)


def _task_section(block: _Block, context: Context, result: ProseResult, origin: dict[int, str]) -> Section:
    """Points and measures of a section. A measure gathers its lines until the next label: its
    continuation paragraphs, and a paragraph that is only its units in brackets
    （责任单位：市财政局）, which closes it."""
    section = Section(label=block.label, title=block.title)
    point: Point | None = None
    open_measure: _Open | None = None

    def close() -> None:
        if open_measure is not None:
            label, text = split_measure_label(open_measure.first)
            measure = measure_from(open_measure.joined(text), context, label=label)
            measure.deadline = deadline_in_text(measure.text or "".join(p.text for p in measure.parts), context.year)
            if measure.deadline:
                measure.findings.append(Finding("deadline", f"完成时限取自措施的文字“{measure.deadline.text}”，请核对"
                                                            "（deadline read from the text）", kind="deadline"))
            for finding in measure.findings:
                finding.source = finding.source or open_measure.where
            open_measure.items.append(measure)

    for line in block.lines:
        labelled = split_label(line.text)
        if labelled.kind == POINT and not has_marker(line.text, context.names):
            close()
            open_measure = None
            point = Point(label=labelled.label, title=labelled.text)
            section.points.append(point)
            origin[id(point)] = line.where
        elif open_measure is not None and _only_marker(line.text, context):
            open_measure.rest.append(("", line.text))  # the units of the lines above
        elif _is_measure_line(line.text, context):
            close()
            open_measure = _Open(line.text, line.where, point.items if point else section.items)
        elif open_measure is not None:
            open_measure.rest.append(("\n", line.text))
        else:
            _unplaced(result, line.text, line.where)
    close()
    return section


@dataclass
class _Open:
    """A measure still gathering its lines."""

    first: str
    where: str
    items: list
    rest: list[tuple[str, str]] = field(default_factory=list)  # (what joins it to the text before, line)

    def joined(self, text: str) -> str:
        for join, line in self.rest:
            text = text + join + line if join and text.endswith(_SENTENCE_END) else glue(text, line)
        return text


def _only_marker(text: str, context: Context) -> bool:
    found = markers_in(text.strip(), context.names, context.first_listed)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text.strip())


def _body(lines: list[Paragraph]) -> str:
    """Paragraphs as Markdown; a short labelled line without a full stop is a sub-heading."""
    parts = []
    for line in lines:
        labelled = split_label(line.text)
        if labelled.kind and len(line.text) <= 30 and not line.text.endswith(_SENTENCE_END):
            parts.append(f"### {line.text}")
        else:
            parts.append(line.text)
    return "\n\n".join(parts)
