"""The plan model: plain data classes, built once from validated content and then only read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path



@dataclass(frozen=True)
class Role:
    """A role a unit can have on a measure. `key` is what plan files write (lead, support …);
    `word` is what pages show when the document gives no word of its own; `written` lists the
    words documents use for it, so that an editor who writes one of them as a key is told the key."""

    key: str
    word: str
    leads: bool  # counts as leading the work: the unit page lists it first
    written: tuple[str, ...]


# The one table of roles, in the order pages list them (the schema's keys are held to it by a test).
ROLE_TABLE = (
    Role("lead", "牵头", True, ("牵头", "主办", "负责", "牵头单位", "主办单位", "责任单位", "牵头落实", "牵头负责")),
    Role("each_lead", "分别牵头", True, ("分别牵头", "分别负责", "分别主办")),
    Role("support", "配合", False, ("配合", "协办", "协助", "配合单位", "协办单位", "配合落实", "参与")),
    Role("implement", "落实", False, ("落实", "按职责落实", "按职能落实", "按要求落实", "负责落实")),
    Role("follow", "参照落实", False, ("参照落实", "参照执行")),
    Role("compile", "汇总", False, ("汇总", "汇总上报")),
)
ROLES = {role.key: role.word for role in ROLE_TABLE}
LEADING_ROLES = tuple(role.key for role in ROLE_TABLE if role.leads)
ROLE_FOR_WORD = {word: role.key for role in ROLE_TABLE for word in role.written}


@dataclass(frozen=True)
class State:
    """How far a measure has got. A `documented` state is the document's own word, recorded by
    the editor; the others are worked out by the site from whether a report exists, and pages
    label them as such so that nobody reads them as the document's word."""

    word: str
    tag: str  # used in anchors (#state-done), data-state attributes and CSS
    documented: bool


# The one table of states, in the order summaries list them (schema and CSS are held to it by tests).
STATES = (
    State("已完成", "done", True),
    State("持续推进", "ongoing", True),
    State("推进中", "doing", True),
    State("未启动", "todo", True),
    State("已报告", "reported", False),
    State("未报告", "none", False),
)
STATE_FOR_WORD = {state.word: state for state in STATES}
REPORTED, UNREPORTED = STATE_FOR_WORD["已报告"], STATE_FOR_WORD["未报告"]


def state_counts(measures) -> list[tuple[State, int]]:
    """(state, count) for each state the measures are in, in STATES order."""
    counts = dict.fromkeys(STATES, 0)
    for measure in measures:
        counts[measure.state] += 1
    return [(state, count) for state, count in counts.items() if count]


@dataclass(frozen=True)
class Headings:
    """The headings of a plan's measure table, in the document's own words where it gives them.

    `single`: the document has one column for every unit named (责任处室), so the page does too.
    """

    measure: str = "措施"
    lead: str = "牵头单位"
    others: str = "配合及其他单位"
    single: bool = False
    deadline: str = "完成时限"
    status: str = "落实情况"
    remarks: str = "备注"


# Words that tell what a document's column holds, checked in this order (落实情况 before 落实).
_HEADING_KINDS = (
    ("status", ("落实情况", "完成情况", "进展", "进度")),
    ("deadline", ("时限", "时间", "期限", "时间节点")),
    ("remarks", ("备注",)),
    ("units", ("单位", "科室", "处室", "部门", "责任", "牵头", "主办", "协办", "配合")),
)


def headings_from(columns: list[str]) -> Headings:
    """The table headings a plan's `columns` give: a heading holding 单位/科室/处室/责任 heads the
    units (two such headings: lead and others), 时限/时间 the deadline, 落实情况 the status,
    备注 the remarks; the last other heading heads the measures."""
    found: dict[str, list[str]] = {}
    for heading in columns:
        kind = next((kind for kind, words in _HEADING_KINDS if any(w in heading for w in words)), "text")
        found.setdefault(kind, []).append(heading)
    defaults = Headings()
    units = found.get("units", [])
    return Headings(
        measure=found["text"][-1] if found.get("text") else defaults.measure,
        lead=units[0] if units else defaults.lead,
        others=units[1] if len(units) > 1 else defaults.others,
        single=len(units) == 1,
        deadline=found["deadline"][0] if found.get("deadline") else defaults.deadline,
        # A report with a 完成情况 (state) column and a 落实情况 (text) column: the text's heading.
        status=next((h for h in found.get("status", []) if "落实情况" in h), None) or (
            found["status"][0] if found.get("status") else defaults.status),
        remarks=found["remarks"][0] if found.get("remarks") else defaults.remarks,
    )


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
    word: str = ""  # the document's own word for the role (主办, 协办 …), when it gives one

    @property
    def role_word(self) -> str:
        """The role as a page shows it: the document's word, else the generic one."""
        return self.word or ROLES[self.role]

    @property
    def leads(self) -> bool:
        return self.role in LEADING_ROLES


@dataclass
class Responsibility:
    as_written: str = ""
    assignments: list[Assignment] = field(default_factory=list)
    rule: str = ""  # the first-listed rule that gave `listed` names their roles, if one did

    @property
    def is_empty(self) -> bool:
        """Names no unit and keeps no words: open data and the importer's round trip leave it out."""
        return not self.assignments and not self.as_written

    @property
    def mixed(self) -> bool:
        """More than one role in the cell, or words of the document's own: a page names each role."""
        return len({a.role for a in self.assignments}) > 1 or any(a.word for a in self.assignments)


# How a recurring deadline's period reads (每季度末, 每月10日前).
PERIODS = {"year": "年", "half_year": "半年", "quarter": "季度", "month": "月", "week": "周"}
COUNT_UNITS = {"working_days": "个工作日", "days": "日", "months": "个月"}


@dataclass
class Recurrence:
    """A deadline that comes back: every `every`, by day `day` of it or at its end."""

    every: str  # a key of PERIODS
    day: int | None = None
    end: bool = False

    @property
    def words(self) -> str:
        when = "末" if self.end else (f"{self.day}日前" if self.day else "")
        return f"每{PERIODS[self.every]}{when}"


@dataclass
class Relative:
    """A deadline counted from an event (作出决定之日起7个工作日内)."""

    event: str
    within: int | None = None  # None: the document's number was lost (□)
    unit: str = "days"  # a key of COUNT_UNITS

    @property
    def words(self) -> str:
        count = "□" if self.within is None else str(self.within)
        return f"自{self.event}起{count}{COUNT_UNITS[self.unit]}内"


@dataclass
class Deadline:
    """完成时限: the document's words, with the dates they give at their own precision
    (2021, 2021-03 or 2021-03-31) and, for recurring or event-relative deadlines, their shape."""

    text: str
    date: str = ""
    milestones: list[dict] = field(default_factory=list)  # {date, text}
    recurring: Recurrence | None = None
    after: Relative | None = None


@dataclass
class Status:
    text: str
    as_of: str = ""
    state: str = ""  # the document's own state word (a key of STATE_FOR_WORD), or ""


@dataclass(eq=False)
class Report:
    """A progress report on a plan: a file of content/reports/ (`id` its name), or the 落实情况 the
    plan's own file carries (`own`: id "", the plan's title and status_as_of)."""

    id: str
    title: str
    kind: str
    as_of: str  # YYYY-MM-DD from a report file; the plan's status_as_of (any precision, or "") for its own
    own: bool = False
    draft: bool = False
    document_number: str = ""
    published: str = ""
    source: dict = field(default_factory=dict)
    editor_notes: list[str] = field(default_factory=list)
    source_path: Path | None = None


@dataclass
class UnitReading:
    """What a report says of one unit's part of a measure (分别负责, or a measure split among units)."""

    name: str  # as the plan names the unit for this measure
    text: str
    state: str = ""
    assignment: Assignment | None = None


@dataclass
class Reading:
    """What one report says of one measure: a Status with the report it comes from and, where
    the report speaks of each unit, each unit's part. Pages read it as they read a Status."""

    report: Report
    text: str = ""
    as_of: str = ""
    state: str = ""  # the document's own state word, or ""
    units: list[UnitReading] = field(default_factory=list)
    editor_note: str = ""


@dataclass(eq=False)
class Task:
    """A task heading without its own number that several measures share (a merged 工作任务 cell)."""

    title: str
    anchor: str
    label: str = ""
    editor_note: str = ""

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}"


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
    inherited_from: str = ""  # "" | group | task | point | section: where the responsibility was written
    requirement: str = ""
    deadline: Deadline | None = None
    status: Status | None = None
    remarks: str = ""
    editor_note: str = ""
    plan: Plan | None = None
    section: Section | None = None
    point: Point | None = None
    task: Task | None = None
    readings: list[Reading] = field(default_factory=list)  # every report's, oldest first (progress.py)
    # What site.py works out of this measure, kept on it so that it goes when the measure goes
    # (a cache in a module-level mapping would keep the measure alive through its own views).
    derived: dict = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def latest(self) -> Reading | None:
        """What the newest report that speaks of this measure says."""
        return self.readings[-1] if self.readings else None

    @property
    def assignments(self) -> list[Assignment]:
        """Every unit named for this measure: its own responsibility and its parts'."""
        found = list(self.responsibility.assignments)
        for part in self.parts:
            if part.responsibility:
                found.extend(part.responsibility.assignments)
        return found

    @property
    def lead_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.leads]

    @property
    def other_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if not a.leads]

    @property
    def state(self) -> State:
        """The newest report's state word where it gives one; else whether a report exists."""
        latest = self.latest
        if latest is None:
            return UNREPORTED
        if not latest.state and latest.units:  # reported unit by unit: their word, where all say the same
            last: dict[str, str] = {}  # each unit's last word (a report may speak of some units only)
            for reading in reversed(self.readings):
                if not reading.units:
                    break
                for unit in reading.units:
                    last.setdefault(unit.name, unit.state)
            for assignment in self.lead_assignments:  # a leading unit no report speaks of has said nothing
                last.setdefault(assignment.written, "")
            words = set(last.values())
            return STATE_FOR_WORD[words.pop()] if len(words) == 1 and "" not in words else REPORTED
        return STATE_FOR_WORD[latest.state] if latest.state else REPORTED


@dataclass(eq=False)
class Point:
    label: str
    title: str
    anchor: str
    measures: list[Measure]
    responsibility: Responsibility | None = None
    deadline: Deadline | None = None
    editor_note: str = ""

    @property
    def blocks(self) -> list[tuple[Task | None, list[Measure]]]:
        return blocks(self.measures)


def blocks(measures: list[Measure]) -> list[tuple[Task | None, list[Measure]]]:
    """Measures in runs that share a task heading (None: no task), so each run is one table."""
    runs: list[tuple[Task | None, list[Measure]]] = []
    for measure in measures:
        if runs and runs[-1][0] is measure.task:
            runs[-1][1].append(measure)
        else:
            runs.append((measure.task, [measure]))
    return runs


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
    first_listed_leads: str = ""

    @property
    def blocks(self) -> list[tuple[Task | None, list[Measure]]]:
        return blocks(self.measures)

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
    first_listed_leads: str = ""  # the document's sentence: the first unit listed leads
    role_words: dict = field(default_factory=dict)  # role key -> the document's word, plan-wide
    preamble_html: str = ""
    closing_html: str = ""
    editor_notes: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # its own and those of content/reports/, oldest first
    derived: dict = field(default_factory=dict, repr=False)  # what site.py works out of it (see Measure.derived)

    @cached_property
    def measures(self) -> list[Measure]:
        """All measures in document order (a plan is not changed once built, so this is kept)."""
        return [m for section in self.sections for m in section.all_measures]

    @property
    def measure_count(self) -> int:
        return len(self.measures)

    @property
    def points(self) -> list[Point]:
        return [p for section in self.sections for p in section.points]

    @property
    def has_status(self) -> bool:
        return any(m.readings for m in self.measures)

    @property
    def latest_report(self) -> Report | None:
        return self.reports[-1] if self.reports else None

    @property
    def report_as_of(self) -> str:
        """The date the plan's newest progress report speaks of (for its own 落实情况, the latest
        when they differ); "" when it has no report or the report gives no date."""
        latest = self.latest_report
        if latest is None:
            return ""
        if latest.as_of or not latest.own:
            return latest.as_of
        dates = [m.status.as_of for m in self.measures if m.status and m.status.as_of]
        return max(dates, key=date_order, default="")

    @cached_property
    def state_counts(self) -> list[tuple[State, int]]:
        return state_counts(self.measures)

    @cached_property
    def headings(self) -> Headings:
        return headings_from(self.columns)

    @cached_property
    def table_columns(self) -> dict:
        """Which optional columns the plan's tables need: a column nobody uses is noise."""
        measures = self.measures
        return {
            "others": not self.headings.single and any(
                not a.leads for m in measures for a in m.assignments),
            "deadline": any(m.deadline for m in measures),
            "status": self.has_status,
            "filter": len(self.state_counts) > 1,
        }


def date_order(value: str) -> str:
    """Dates of different precision compared by the last day they can mean: 2021-03 after 2021-03-30."""
    return value + "-99" * (2 - value.count("-"))


@dataclass
class Content:
    """Everything loaded from content/: the registry tree, the plans, the site settings and the
    files of content/static/ (when the build asked for them)."""

    units: list[Unit]  # every registry unit, tree order
    plans: list[Plan]
    settings: dict
    static: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes
