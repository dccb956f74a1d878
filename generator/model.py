"""The plan model: plain data classes, built once from validated content and then only read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# Roles a unit can have on a measure, in the order pages list them.
ROLES = {
    "lead": "牵头",
    "each_lead": "分别牵头",
    "support": "配合",
    "implement": "落实",
    "follow": "参照落实",
    "compile": "汇总",
}
LEADING_ROLES = ("lead", "each_lead")


@dataclass(eq=False, repr=False)
class Unit:
    """A body or internal unit from the registry (city, bureau, section)."""

    id: str
    name: str
    kind: str  # government | department | section
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    former_names: list[dict] = field(default_factory=list)  # {name, until, aliases}
    note: str = ""
    source: Path | None = None

    def __repr__(self) -> str:
        return f"Unit({self.id!r}, {self.display_name!r})"

    @cached_property
    def ancestors(self) -> list[Unit]:
        """Parent, grandparent, …: fixed once the unit is made (a unit's parent never changes)."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    @property
    def department(self) -> Unit:
        """The nearest body that has pages of its own: itself unless it is a section."""
        unit = self
        while unit.kind == "section" and unit.parent is not None:
            unit = unit.parent
        return unit

    @property
    def is_department(self) -> bool:
        return self.kind != "section"

    def name_in(self, year: int | None) -> str:
        """The name the unit went by in `year` (former names end with their `until` year)."""
        if year is not None:
            for former in sorted(self.former_names, key=lambda f: f.get("until", 0)):
                if former.get("until") and year < former["until"]:
                    return former["name"]
        return self.name

    @property
    def display_name(self) -> str:
        """Section names repeat across bodies (办公室), so they carry their body's name."""
        if self.kind == "section" and self.parent is not None:
            return f"{self.parent.name}{self.name}"
        return self.name


@dataclass(frozen=True)
class Collective:
    """A collective reference (各科室, 各镇区): named in plans, not a unit."""

    name: str


@dataclass
class Assignment:
    """One name in a responsibility, resolved."""

    role: str
    written: str  # the name as the plan prints it
    unit: Unit | None  # None for a collective
    collective: Collective | None = None


@dataclass
class Responsibility:
    as_written: str = ""
    assignments: list[Assignment] = field(default_factory=list)

    def units(self, *roles: str) -> list[Assignment]:
        return [a for a in self.assignments if not roles or a.role in roles]

    @property
    def is_empty(self) -> bool:
        return not self.assignments and not self.as_written


@dataclass
class Deadline:
    text: str
    date: str = ""
    milestones: list[dict] = field(default_factory=list)


@dataclass
class Status:
    text: str
    as_of: str = ""
    state: str = ""


@dataclass
class Part:
    text: str
    responsibility: Responsibility | None = None
    editor_note: str = ""


@dataclass(eq=False)
class Measure:
    label: str
    anchor: str
    parts: list[Part]  # a measure with plain text has one part
    responsibility: Responsibility  # effective: own, else its group's, point's or section's
    inherited_from: str = ""  # "" | group | point | section: where the responsibility was written
    requirement: str = ""
    deadline: Deadline | None = None
    status: Status | None = None
    remarks: str = ""
    editor_note: str = ""
    plan: Plan | None = None
    section: Section | None = None
    point: Point | None = None

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def assignments(self) -> list[Assignment]:
        """Every unit named for this measure: its own responsibility and its parts'."""
        found = list(self.responsibility.assignments)
        for part in self.parts:
            if part.responsibility:
                found.extend(part.responsibility.assignments)
        return found

    @property
    def path_labels(self) -> str:
        """`二、(一) 3.`: how people cite a measure."""
        bits = [self.section.label if self.section else "", self.point.label if self.point else "", self.label]
        return " ".join(bit for bit in bits if bit)


@dataclass(eq=False)
class Point:
    label: str
    title: str
    anchor: str
    measures: list[Measure]
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    editor_note: str = ""


@dataclass(eq=False)
class Section:
    label: str
    title: str
    anchor: str
    points: list[Point] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)  # measures directly under the section
    body_html: str = ""
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    editor_note: str = ""

    @property
    def all_measures(self) -> list[Measure]:
        return self.measures + [m for point in self.points for m in point.measures]

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}" if self.title else (self.label or "（无标题）")


@dataclass(eq=False)
class Plan:
    id: str
    title: str
    issuer: Unit
    issuer_name: str  # as the plan names its issuer (the name the body had then)
    kind: str
    year: int
    sections: list[Section]
    source_path: Path
    draft: bool = False
    document_number: str = ""
    index_number: str = ""
    topic: str = ""
    genre: str = ""
    dates: dict = field(default_factory=dict)
    validity: str = ""
    recipients: str = ""
    source: dict = field(default_factory=dict)
    summary: str = ""
    columns: list[str] = field(default_factory=list)
    status_as_of: str = ""
    preamble_html: str = ""
    closing_html: str = ""
    editor_notes: list[str] = field(default_factory=list)

    @cached_property
    def measures(self) -> list[Measure]:
        """All measures in document order (a plan is not changed once built, so this is kept)."""
        return [m for section in self.sections for m in section.all_measures]

    @property
    def points(self) -> list[Point]:
        return [p for section in self.sections for p in section.points]

    @property
    def has_status(self) -> bool:
        return any(m.status for m in self.measures)

    @property
    def table_columns(self) -> dict:
        """Which optional columns the plan's tables need: a column nobody uses is noise."""
        measures = self.measures
        return {
            "others": any(a.role not in LEADING_ROLES for m in measures for a in m.assignments),
            "deadline": any(m.deadline for m in measures),
            "status": self.has_status,
        }


@dataclass
class Content:
    """Everything loaded from content/: the registry tree, the plans, the site settings and the
    files of content/static/ (when the build asked for them)."""

    units: list[Unit]  # every registry unit, tree order
    plans: list[Plan]
    settings: dict
    static: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes
