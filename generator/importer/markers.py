"""Inline responsibility markers in prose: ……（牵头处室：办公室）……（牵头处室：法规处）.

Each marker closes a stretch of the measure that belongs to the units it names; the measure is
written as parts, one per stretch, the marker staying in its part's text word for word.
"""

from __future__ import annotations

import re

from .draft import Finding, Part
from .names import Names
from .roles import ColumnRole, read_cell

MARKER = re.compile(
    r"[（(](?P<key>(?:牵头|责任|主办|协办|配合|承办|落实)(?:单位|处室|科室|股室|部门)?)[:：](?P<names>[^（）()]*)[）)]"
)


def has_marker(text: str) -> bool:
    return MARKER.search(text) is not None


def parts_of(text: str, names: Names, first_listed: bool) -> tuple[list[Part], list[Finding]]:
    """The stretches of `text`, each ending with its marker; text after the last marker (a
    sentence without a marker of its own) is a last part without a responsibility."""
    parts: list[Part] = []
    findings: list[Finding] = []
    start = 0
    for found in MARKER.finditer(text):
        column = _role_of_key(found["key"], first_listed)
        cell = read_cell(found["names"], names, column, marker=True)
        findings.extend(cell.findings)
        parts.append(Part(text[start:found.end()].strip(), cell.responsibility))
        start = found.end()
    rest = text[start:].strip()
    if rest:
        parts.append(Part(rest))
        findings.append(Finding("parts", f"措施末尾“{rest[:20]}”之后没有责任标注，单独成段，没有责任单位"
                                         "（text after the last marker has no responsibility）"))
    return parts, findings


def _role_of_key(key: str, first_listed: bool) -> ColumnRole:
    if key.startswith(("协办", "配合")):
        return ColumnRole("support", "" if key.startswith("配合") else "协办")
    if key.startswith("主办"):
        return ColumnRole("lead", "主办")
    if key.startswith(("责任", "承办", "落实")):
        return ColumnRole("listed" if first_listed else "lead")
    return ColumnRole("lead")
