"""The plan as the importer understood it, before it is written as YAML: plain data classes that
mirror schema/plan.schema.json, each carrying the findings an editor must look at (findings).

Whichever interpreter read them, the sections are tidied to what the schema can hold
(`tidy_sections`): a point or task heading with no measure under it would be an empty
`measures:` list, which the schema refuses, so it is handed back to the interpreter, which keeps
its words as a reported note; measures read beside points go into an untitled point, since a
section holds one or the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .findings import Finding


@dataclass
class Qualified:
    """A unit outside the issuer's scope, named as printed and pinned to its registry id."""

    name: str
    unit: str


Name = str | Qualified


@dataclass
class Responsibility:
    as_written: str = ""
    words: dict[str, str] = field(default_factory=dict)  # role -> the document's own word
    roles: dict[str, list[Name]] = field(default_factory=dict)  # role (listed, lead …) -> names

    def same_as(self, other: Responsibility | None) -> bool:
        return other is not None and (self.as_written, self.words, self.roles) == (
            other.as_written, other.words, other.roles)

    @property
    def empty(self) -> bool:
        return not self.roles and not self.as_written


@dataclass
class Recurrence:
    every: str
    by: str | int | None = None


@dataclass
class Relative:
    event: str
    within: int | None = None
    unit: str = ""


@dataclass
class Deadline:
    text: str
    date: str = ""
    milestones: list[tuple[str, str]] = field(default_factory=list)  # (date, text)
    recurring: Recurrence | None = None
    after: Relative | None = None


@dataclass
class Status:
    text: str
    state: str = ""


@dataclass
class Part:
    text: str
    responsibility: Responsibility | None = None


@dataclass(eq=False)
class Measure:
    label: str
    text: str = ""
    requirement: str = ""
    parts: list[Part] = field(default_factory=list)
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    status: Status | None = None
    remarks: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass(eq=False)
class Group:
    """Measures under one merged responsibility cell."""

    responsibility: Responsibility
    measures: list[Measure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(eq=False)
class Task:
    """Measures under a merged task cell without a number of its own."""

    title: str
    label: str = ""
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    items: list[Measure | Group] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


Item = Measure | Group | Task


@dataclass(eq=False)
class Point:
    label: str
    title: str
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(eq=False)
class Section:
    label: str
    title: str
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    body: str = ""
    points: list[Point] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # measures directly under the section
    findings: list[Finding] = field(default_factory=list)


@dataclass(eq=False)
class Plan:
    id: str
    title: str
    issuer: str
    kind: str
    year: int
    source_file: str
    document_number: str = ""  # 文号, 索引号 … from a web page's disclosure metadata
    index_number: str = ""
    topic: str = ""
    genre: str = ""
    dates: dict[str, str] = field(default_factory=dict)  # written, published: YYYY-MM-DD
    validity: str = ""
    columns: list[str] = field(default_factory=list)
    first_listed_leads: str = ""
    role_words: dict[str, str] = field(default_factory=dict)
    preamble: str = ""
    closing: str = ""
    editor_notes: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def all_findings(self) -> int:
        return sum(len(node.findings) for node in walk(self))


def walk(plan: Plan):
    """Every node of the plan in document order, the plan first."""
    yield plan
    for section in plan.sections:
        yield section
        yield from _items(section.items)
        for point in section.points:
            yield point
            yield from _items(point.items)


def _items(items):
    for item in items:
        yield item
        if isinstance(item, Group):
            yield from item.measures
        elif isinstance(item, Task):
            yield from _items(item.items)


def measures_of(plan: Plan) -> list[Measure]:
    return [node for node in walk(plan) if isinstance(node, Measure)]


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
