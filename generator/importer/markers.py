"""Responsibility written inside the text, in brackets: ……（牵头处室：办公室）……（牵头处室：法规处）,
or at the end of a sentence as names and a role word: ……。（市规划国土委负责落实）, （A、B分别负责落实）.

Each marker closes a stretch of the measure that belongs to the units it names; the measure is
written as parts, one per stretch, the marker staying in its part's text word for word.

A bracket is a marker when it starts with a key (牵头处室：, 责任单位：), or when everything in
it reads as units: names the registry knows, or names that end like a unit (局, 委, 办, 科 …)
followed by a role word. Brackets that say something else (以下简称“条例”, 试行, 2018年版) are
text. A bracket with bare known names (市财政局、市教委) counts only at a sentence's end, where a
plan puts its units, not inside a sentence that names a body in passing.

`measure_from` makes one measure's text into a draft measure, for the table and the prose
interpreters alike: its label split off, and parts where the text carries markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .draft import Measure, Part
from .findings import Finding
from .labels import SECTION, split_label
from .names import Context, Names
from .roles import ColumnRole, names_in_clause, read_cell, rule_sentence

_KEYED = re.compile(r"(?P<key>(?:牵头|责任|主办|协办|配合|承办|落实)(?:单位|处室|科室|股室|部门)?)[:：](?P<names>.*)", re.S)
_OPENING, _CLOSING = "（(", "）)"
_CLAUSES = re.compile(r"[，,；;。]+")
_UNIT_ENDINGS = re.compile(r"(局|委|办|厅|部|院|室|科|股|处|中心|政府|公司|集团|队|所|站|会|行|组|馆|署|社|台|团|校|"
                           r"单位|部门|机构|企业|街道|镇|乡|区|县|市)$|^各")
_SENTENCE_END = "。；;！？!?"
LONGEST_MARKER = 300  # characters inside a bracket without a key: a longer one is text, whatever it holds


@dataclass
class Marker:
    start: int  # the opening bracket
    end: int  # just after the closing bracket
    names: str  # what the marker says about units, its key left out
    column: ColumnRole  # the role of names without a word of their own


def markers_in(text: str, names: Names, first_listed: bool = False) -> list[Marker]:
    found = []
    for start, end in _brackets(text):
        inner = text[start + 1:end - 1]
        keyed = _KEYED.fullmatch(inner.strip())
        if keyed:
            found.append(Marker(start, end, keyed["names"], _role_of_key(keyed["key"], first_listed)))
        elif len(inner) <= LONGEST_MARKER and _reads_as_units(inner, names, _at_sentence_end(text, start, end)):
            found.append(Marker(start, end, inner, ColumnRole("listed" if first_listed else "lead")))
    tail = _tail_marker(text, found[-1].end if found else 0, first_listed)
    return found + [tail] if tail else found


_KEYS = r"(?:牵头|责任|主办|协办|配合|承办|落实)(?:单位|处室|科室|股室|部门)"
# 责任单位：市财政局 without brackets, closing the text (after its last full stop) or alone on a line.
_TAIL = re.compile(rf"(?:^|(?<=[。；;！？!?]))\s*(?P<key>{_KEYS})[:：](?P<names>[^。（）()]+?)[。；;]?\s*$")


def _tail_marker(text: str, after: int, first_listed: bool) -> Marker | None:
    found = _TAIL.search(text, after)
    if found is None or not found["names"].strip():
        return None
    return Marker(found.start("key"), len(text), found["names"], _role_of_key(found["key"], first_listed))


def has_marker(text: str, names: Names) -> bool:
    return bool(markers_in(text, names))


def _brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost bracket pair, in one pass; an unclosed bracket is text."""
    pairs, depth, start = [], 0, 0
    for index, character in enumerate(text):
        if character in _OPENING:
            if depth == 0:
                start = index
            depth += 1
        elif character in _CLOSING and depth:
            depth -= 1
            if depth == 0:
                pairs.append((start, index + 1))
    return pairs


def _at_sentence_end(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return not after or after[0] in _SENTENCE_END or not before or before[-1] in _SENTENCE_END


def _reads_as_units(inner: str, names: Names, at_sentence_end: bool) -> bool:
    kind, sentence = rule_sentence(inner)
    body = inner.replace(sentence, "", 1) if kind else inner
    read = [entry for clause in _CLAUSES.split(body) if clause.strip() for entry in names_in_clause(clause.strip(), names)]
    if not read:
        return False
    worded = any(word is not None for _, _, word, _ in read)
    for name, _, word, _ in read:
        if not name or not (names.known(name) or worded and _UNIT_ENDINGS.search(name)):
            return False
    return worded or at_sentence_end


def parts_of(text: str, names: Names, first_listed: bool) -> tuple[list[Part], list[Finding]]:
    """The stretches of `text`, each ending with its marker; text after the last marker (a
    sentence without a marker of its own) is a last part without a responsibility."""
    parts: list[Part] = []
    findings: list[Finding] = []
    start = 0
    for marker in markers_in(text, names, first_listed):
        cell = read_cell(marker.names, names, marker.column, marker=True)
        findings.extend(cell.findings)
        end = marker.end
        while end < len(text) and text[end] in _SENTENCE_END:  # ……（市财政局负责）。 keeps its full stop
            end += 1
        parts.append(Part(text[start:end].strip(), cell.responsibility))
        start = end
    rest = text[start:].strip()
    if rest:
        parts.append(Part(rest))
        findings.append(Finding("parts", f"措施末尾“{rest[:20]}”之后没有责任标注，单独成段，没有责任单位"
                                         "（text after the last marker has no responsibility）", kind="no-unit"))
    return parts, findings


def _role_of_key(key: str, first_listed: bool) -> ColumnRole:
    if key.startswith(("协办", "配合")):
        return ColumnRole("support", "" if key.startswith("配合") else "协办")
    if key.startswith("主办"):
        return ColumnRole("lead", "主办")
    if key.startswith(("责任", "承办", "落实")):
        return ColumnRole("listed" if first_listed else "lead")
    return ColumnRole("lead")


def measure_from(text: str, context: Context, label: str | None = None) -> Measure:
    """`1.规范……` → label 1., text 规范……; a text of several numbered lines stays whole.
    A `label` given (the 序号 column's, or "" for none) is taken as it is."""
    if label is None:
        label, text = split_measure_label(text) if "\n" not in text else ("", text)
    measure = Measure(label=label)
    if has_marker(text, context.names):
        measure.parts, findings = parts_of(text, context.names, context.first_listed)
        for finding in findings:
            finding.field = finding.field or "parts"
        measure.findings.extend(findings)
    else:
        measure.text = text
    return measure


def split_measure_label(text: str) -> tuple[str, str]:
    """(label, text) of a measure's first line; a bare （一） or a 一、 is text, not a label."""
    labelled = split_label(text)
    if labelled.kind and labelled.kind != SECTION and labelled.text:
        return labelled.label, labelled.text
    return "", text
