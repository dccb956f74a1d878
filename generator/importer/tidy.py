"""The draft's sections made into what the plan schema can hold, whichever interpreter read them.

A point or task heading with no measure under it would be an empty `measures:` list, which the
schema refuses; it is handed back to the interpreter, which keeps its words as a reported note.
Measures read beside points go into an untitled point, since a section holds one or the other.
"""

from __future__ import annotations

from typing import Callable

from .draft import Finding, Point, Section, Task

Unplaced = Callable[[Point | Task], None]


def tidy_sections(sections: list[Section], unplaced: Unplaced) -> None:
    for section in sections:
        section.items = _without_empty(section.items, unplaced)
        for point in section.points:
            point.items = _without_empty(point.items, unplaced)
        for point in [p for p in section.points if not p.items]:
            unplaced(point)
            section.points.remove(point)
        if section.items and section.points:
            loose = Point(label="", title="", items=section.items)
            loose.findings.append(Finding("", "这一部分既有直接列出的措施又有（一）级要点，直接列出的措施放进了一个无标题的要点"
                                              "（measures beside points put in an untitled point）", kind="structure"))
            section.points.insert(0, loose)
            section.items = []


def _without_empty(items: list, unplaced: Unplaced) -> list:
    kept = []
    for item in items:
        if isinstance(item, Task):
            item.items = _without_empty(item.items, unplaced)
            if not item.items:
                unplaced(item)
                continue
        kept.append(item)
    return kept
