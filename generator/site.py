"""Derive the site from the model: who is responsible for what, per unit and per department,
and how far each measure got by its plan's reports.

Nothing here reads files or writes HTML; it only answers the questions pages ask
("what does this unit lead?", "which plans did this department issue?", "what was overdue at
the year-end report?"). The counting every summary shows (by state, overdue or not) is here,
once: `tally`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from markupsafe import Markup

from . import progress
from .model import (
    LEADING_ROLES, REPORTED, ROLES, STATE_FOR_WORD, STATES, UNREPORTED, Assignment, Content, Measure, Part, Plan,
    Reading, Report, State, Unit, UnitReading,
)
from .render import cn_date


@lru_cache(maxsize=None)
def pinyin_key(text: str) -> tuple:
    """Sort key for Chinese names in 汉语拼音 order (the order readers expect in an index)."""
    from pypinyin import Style, lazy_pinyin  # half a second to load: not for a command refused at once

    return (tuple(lazy_pinyin(text, style=Style.TONE3)), text)


DONE = STATE_FOR_WORD["已完成"]


@dataclass(frozen=True)
class Late:
    """A deadline passed undone at a report, in words: pages say 逾期, never only colour it."""

    unit: str  # the unit whose part it is, or "" for the whole measure
    detail: str  # 完成时限2023年6月底前，截至2023年7月15日未报告完成

    @property
    def label(self) -> str:
        return f"逾期（{self.unit}）" if self.unit else "逾期"

    @property
    def words(self) -> str:
        return f"{self.label}：{self.detail}"


@dataclass(frozen=True)
class Said:
    """One report's word on a measure, or on one unit's part of it, as a page shows it.
    `report_note` and `as_of_note` are what to say beside it: the report's name when it is not
    the plan's newest report, the date when it is not the date the plan's summary gives."""

    report_name: str  # 半年报告, 年度总结 …; 计划文件所载 for the plan's own 落实情况
    as_of: str
    state: str  # the document's own state word, or ""
    text: str
    unit: str = ""  # for a unit's part: the unit as the plan names it
    editor_note: str = ""
    report_note: str = ""
    as_of_note: str = ""


@dataclass(frozen=True)
class Step:
    """One earlier report in a measure's timeline: what it said (None: it skipped the measure),
    each unit's part where it spoke of units, and what was overdue at it."""

    report_name: str
    as_of: str
    said: Said | None
    parts: tuple[Said, ...]
    late: tuple[Late, ...]


@dataclass(frozen=True)
class Shown:
    """A measure's progress as a page shows it (on a unit page, of that unit's part): the newest
    word first, each unit's own last word for a measure reported per unit, what was overdue at
    the plan's newest report, and the earlier reports newest first."""

    latest: Said | None
    parts: tuple[Said, ...]
    late: tuple[Late, ...]
    earlier: tuple[Step, ...]
    state: State
    reckoned: bool  # its deadline can be reckoned at the plan's newest report (it has a date)


@dataclass(frozen=True)
class Tally:
    """Measures summed by state and by whether they were overdue at their plan's newest report."""

    total: int
    states: list[tuple[State, int]]  # STATES order, only states with measures
    overdue: int
    on_time: int  # reckoned and not overdue

    @property
    def unreckoned(self) -> int:
        """No deadline that a dated report can be held to (none, weekly, counted from an event)."""
        return self.total - self.overdue - self.on_time

    @property
    def reckoned(self) -> int:
        return self.overdue + self.on_time


def tally(shown) -> Tally:
    """The one place summaries count: by state and by overdue / on time (`shown`: Shown views)."""
    counts = dict.fromkeys(STATES, 0)
    total = overdue = on_time = 0
    for view in shown:
        total += 1
        counts[view.state] += 1
        if view.late:
            overdue += 1
        elif view.reckoned:
            on_time += 1
    return Tally(total, [(state, count) for state, count in counts.items() if count], overdue, on_time)


def tally_sum(tallies) -> Tally:
    """Tallies added up: the same as tally() over all their measures at once (a unit's groups, a
    year's plans), so summaries can be counted from figures kept per plan."""
    counts = dict.fromkeys(STATES, 0)
    total = overdue = on_time = 0
    for part in tallies:
        total += part.total
        overdue += part.overdue
        on_time += part.on_time
        for state, count in part.states:
            counts[state] += count
    return Tally(total, [(state, count) for state, count in counts.items() if count], overdue, on_time)


def report_name(report: Report) -> str:
    name = "计划文件所载" if report.own else report.kind
    return name + ("（草稿）" if report.draft else "")


def reckonable(measure: Measure) -> bool:
    """Whether progress.overdue_at can hold the measure to its deadline at a dated report: a date,
    milestones or a period of a month or more (a weekly one or one counted from an event never)."""
    plan, deadline = measure.plan, measure.deadline
    if deadline is None or plan is None or plan.latest_report is None or not plan.latest_report.as_of:
        return False
    return bool(deadline.date or deadline.milestones or (deadline.recurring and deadline.recurring.every != "week"))


def late_words(overdue: progress.Overdue, measure: Measure) -> Late:
    """逾期 with the deadline in the plan's words and the report's day: a milestone by its date and
    text, a recurring deadline by the periods that had ended."""
    day = cn_date(overdue.report.as_of)
    if overdue.milestone:
        date = next((str(m["date"]) for m in measure.deadline.milestones
                     if progress.last_day(str(m["date"])) == overdue.deadline), overdue.deadline)
        what = f"“{overdue.words}”" if overdue.words != measure.deadline.text else ""
        return Late(overdue.unit, f"时间节点{cn_date(date)}{what}，截至{day}未报告开展")
    if overdue.periods:
        return Late(overdue.unit, f"完成时限{overdue.words}（本年度已到期{overdue.periods}期，最近一期"
                                  f"{cn_date(overdue.deadline)}），截至{day}未报告开展")
    return Late(overdue.unit, f"完成时限{overdue.words}，截至{day}未报告完成")


def _said(reading: Reading, plan: Plan, part: UnitReading | None = None) -> Said:
    report = reading.report
    as_of = reading.as_of or report.as_of
    words = part or reading
    return Said(report_name(report), as_of, words.state, words.text, part.name if part else "",
                "" if part else reading.editor_note,
                "" if report is plan.latest_report else report_name(report),
                "" if as_of == plan.report_as_of else as_of)


def _state(said: Said | None) -> State:
    if said is None:
        return UNREPORTED
    return STATE_FOR_WORD[said.state] if said.state else REPORTED


def _lates(measure: Measure, report: Report | None, unit: str | None) -> tuple[Late, ...]:
    """What was overdue at `report`; for one unit's part (`unit`), its own and the whole measure's."""
    if report is None:
        return ()
    return tuple(late_words(o, measure) for o in progress.overdue_at(measure, report)
                 if unit is None or o.unit in ("", unit))


def _steps(measure: Measure, shown_report: Report | None, unit: str | None) -> tuple[Step, ...]:
    """The timeline under the newest word: every report of the plan but the newest and the one
    whose word is shown first, newest first, that said something of the measure (of the unit's
    part) or at which it was overdue."""
    plan = measure.plan
    steps = []
    for report in reversed(plan.reports):
        if report is plan.latest_report or report is shown_report:
            continue
        reading = next((r for r in measure.readings if r.report is report), None)
        said, parts = None, ()
        if reading is not None:
            if not reading.units:
                said = _said(reading, plan)
            elif unit is None:
                said = _said(reading, plan) if reading.text or reading.state else None
                parts = tuple(_said(reading, plan, part) for part in reading.units)
            else:
                part = next((p for p in reading.units if p.name == unit), None)
                said = _said(reading, plan, part) if part else None
        late = _lates(measure, report, unit)
        if said or parts or late:
            steps.append(Step(report_name(report), (reading.as_of if reading else "") or report.as_of,
                              said, parts, late))
    return tuple(steps)


def progress_of(measure: Measure, unit: str | None = None) -> Shown:
    """The measure's progress as its plan page shows it or, with `unit` (a name as the plan
    writes it), as that unit's page does: the unit's own part where reports speak of units.

    Views by unit name are kept on the measure while its readings and its plan's reports are
    the very same lists: `serve` keeps the Plan of an unchanged file, and progress.attach gives
    it new lists when reports change."""
    key = (measure.readings, measure.plan.reports)
    cached = measure.derived.get("shown")
    if cached is None or cached[0][0] is not key[0] or cached[0][1] is not key[1]:
        cached = measure.derived["shown"] = (key, {})
    views = cached[1]
    if unit in views:
        return views[unit]
    if unit is not None and not any(p.name == unit for r in measure.readings for p in r.units):
        view = progress_of(measure)  # reports never speak of this unit's part: the whole measure
    else:
        view = _shown_now(measure, unit)
    views[unit] = view
    return view


def _shown_now(measure: Measure, unit: str | None) -> Shown:
    plan = measure.plan
    reckoned = reckonable(measure)
    late = _lates(measure, plan.latest_report, unit)
    if unit is None:
        latest = measure.latest
        said = _said(latest, plan) if latest and (latest.text or latest.state or not latest.units) else None
        parts = tuple(_said(reading, plan, part) for reading, part in progress.unit_parts(measure.readings)) \
            if latest and latest.units else ()
        return Shown(said, parts, late, _steps(measure, latest.report if latest else None, None), measure.state, reckoned)
    reading, part = _unit_word(measure.readings, unit)
    said = _said(reading, plan, part) if reading else None
    return Shown(said, (), late, _steps(measure, reading.report if reading else None, unit), _state(said), reckoned)


def _unit_word(readings: list[Reading], unit: str) -> tuple[Reading | None, UnitReading | None]:
    """The newest word on one unit's part: a report that speaks of other units only is skipped;
    one that speaks of the measure as a whole speaks for every unit."""
    for reading in reversed(readings):
        if not reading.units:
            return reading, None
        part = next((p for p in reading.units if p.name == unit), None)
        if part is not None:
            return reading, part
    return None, None


def plan_progress(plan: Plan) -> dict[str, Shown]:
    """Each measure's view by anchor, for the plan page's tables."""
    return {measure.anchor: progress_of(measure) for measure in plan.measures}


def plan_tally(plan) -> Tally:
    """A plan's measures summed (of a PlanEntry, as its worker counted them)."""
    if isinstance(plan, PlanEntry):
        return plan.tally
    return _kept(plan, "tally", lambda: tally(progress_of(measure) for measure in plan.measures))


def _kept(plan: Plan, name: str, work):
    """`work()` of a plan, kept on it while its reports are the very same list: `serve` keeps the
    Plan of an unchanged file, and progress.attach gives it a new list when its readings change.
    So pages that sum every plan cost a look-up per plan after an edit, not a count of every measure."""
    held = plan.derived.get(name)
    if held is None or held[0] is not plan.reports:
        held = plan.derived[name] = (plan.reports, work())
    return held[1]


@dataclass(frozen=True)
class RecordRow:
    """One plan in a department's or a unit's record: its measures (the unit's duties), how many
    were done and how many overdue at the plan's newest report. `reckoned`: how many could be
    held to a deadline at all (0: "逾期" cannot be said either way)."""

    plan: Plan = field(repr=False)
    label: str  # the year, numbered ① ② when the record has two plans of one year
    total: int
    done: int
    overdue: int
    reckoned: int

    @property
    def share(self) -> int:
        """Per cent done, rounded half up."""
        return (200 * self.done + self.total) // (2 * self.total) if self.total else 0


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def record(groups: list[tuple[Plan, list[Shown]]]) -> list[RecordRow]:
    """A record's rows, oldest plan first; a year with several plans numbers them."""
    return record_of([(plan, tally(views)) for plan, views in groups])


def record_of(groups: list[tuple[Plan, Tally]]) -> list[RecordRow]:
    """record() from each plan's figures already summed."""
    ordered = sorted(groups, key=lambda group: (group[0].year, group[0].id))
    years: dict[int, int] = {}
    for plan, _ in ordered:
        years[plan.year] = years.get(plan.year, 0) + 1
    rows, seen = [], {}
    for plan, counted in ordered:
        label = f"{plan.year}年"
        if years[plan.year] > 1:
            seen[plan.year] = seen.get(plan.year, 0) + 1
            number = seen[plan.year]
            label += _CIRCLED[number - 1] if number <= len(_CIRCLED) else f"（{number}）"
        done = dict(counted.states).get(DONE, 0)
        rows.append(RecordRow(plan, label, counted.total, done, counted.overdue, counted.reckoned))
    return rows


@dataclass
class Duty:
    """One measure a unit answers for, with the role(s) it has there in the document's words."""

    measure: Measure
    roles: list[str]  # role keys, in ROLES order
    written: str  # the name as the plan prints it
    assignments: list[Assignment] = field(default_factory=list)  # the unit's own, in the document
    parts: list[int] | None = None  # of a split measure, the parts that name the unit; None: all of it

    @property
    def role_names(self) -> str:
        """The unit's roles as the document words them (主办, 协办, 分别负责 …)."""
        words = [a.role_word for a in sorted(self.assignments, key=lambda a: ROLE_ORDER[a.role])]
        return "、".join(dict.fromkeys(words)) or "、".join(ROLES[role] for role in self.roles)

    @property
    def leads(self) -> bool:
        return any(role in LEADING_ROLES for role in self.roles)

    @property
    def own_parts(self) -> list[Part]:
        parts = self.measure.parts
        return parts if self.parts is None else [parts[i] for i in self.parts]

    @property
    def other_parts(self) -> list[Part]:
        """The rest of a split measure, which others answer for: the unit page keeps it folded."""
        if self.parts is None:
            return []
        return [part for i, part in enumerate(self.measure.parts) if i not in self.parts]

    @property
    def progress(self) -> Shown:
        """The measure's progress as this unit's page shows it: its own part where reports speak of units."""
        return progress_of(self.measure, self.written)

    @property
    def others_named(self) -> str:
        """Who answers for the other parts: 办公室牵头、法规处牵头."""
        named = [f"{a.written}{a.role_word}" for part in self.other_parts if part.responsibility
                 for a in part.responsibility.assignments]
        return "、".join(dict.fromkeys(named))


@dataclass
class PlanDuties:
    plan: Plan
    duties: list[Duty]

    @property
    def count(self) -> int:
        return len(self.duties)

    @property
    def tally(self) -> Tally:
        """Its duties summed, each by the unit's own part where reports speak of units."""
        return tally(duty.progress for duty in self.duties)


@dataclass
class UnitView:
    """A unit's duties by plan, leading first (groups: PlanDuties, or ListedDuties in a build)."""

    unit: Unit
    leads: list[PlanDuties] = field(default_factory=list)
    supports: list[PlanDuties] = field(default_factory=list)

    @property
    def lead_count(self) -> int:
        return sum(group.count for group in self.leads)

    @property
    def support_count(self) -> int:
        return sum(group.count for group in self.supports)

    @property
    def tally(self) -> Tally:
        """Its duties summed, each by the unit's own part where reports speak of units."""
        return tally_sum(group.tally for group in self.leads + self.supports)

    @property
    def state_counts(self) -> list[tuple[State, int]]:
        return self.tally.states

    @property
    def record(self) -> list[RecordRow]:
        """Its record across plans (leading and supporting together), oldest plan first."""
        plans: dict[Plan, list[Tally]] = {}
        for group in self.leads + self.supports:
            plans.setdefault(group.plan, []).append(group.tally)
        return record_of([(plan, tally_sum(tallies)) for plan, tallies in plans.items()])


@dataclass
class DepartmentView:
    unit: Unit
    plans: list[Plan]  # issued by the department, newest first
    sections: list[UnitView]  # its internal units that have duties, pinyin order
    upward: list[PlanDuties]  # its own duties in plans issued by other bodies (e.g. the city's)

    @property
    def tally(self) -> Tally:
        return tally_sum(plan_tally(plan) for plan in self.plans)

    @property
    def state_counts(self) -> list[tuple[State, int]]:
        return self.tally.states

    @property
    def record(self) -> list[RecordRow]:
        """Its plans across years, oldest first."""
        return record_of([(plan, plan_tally(plan)) for plan in self.plans])

    @property
    def names_used(self) -> list[str]:
        """Names the department issued plans under, when they differ from today's."""
        return sorted({plan.issuer_name for plan in self.plans if plan.issuer_name != self.unit.name})


@dataclass
class YearView:
    year: int
    plans: list[Plan]
    tally: Tally


@dataclass
class IndexGroup:
    """A heading in the lead-unit index: a body and those of its units that have duties."""

    body: Unit
    units: list[UnitView]


@dataclass
class Site:
    content: Content
    plans: list[Plan]
    units: dict[str, UnitView]  # unit id -> view, only units with duties
    departments: dict[str, DepartmentView]  # unit id -> view
    unit_index: list[IndexGroup]

    @cached_property
    def plans_by_id(self) -> dict[str, Plan]:
        return {plan.id: plan for plan in self.plans}

    @property
    def plans_by_year(self) -> list[tuple[int, list[Plan]]]:
        years: dict[int, list[Plan]] = {}
        for plan in self.plans:
            years.setdefault(plan.year, []).append(plan)
        return sorted(years.items(), reverse=True)

    @property
    def plans_by_department(self) -> list[tuple[DepartmentView, list[Plan]]]:
        views = [view for view in self.departments.values() if view.plans]
        return [(view, view.plans) for view in sorted(views, key=lambda v: pinyin_key(v.unit.name))]

    @cached_property
    def years(self) -> list[YearView]:
        """Each year's plans with their measures summed, newest year first."""
        return [YearView(year, plans, tally_sum(plan_tally(plan) for plan in plans))
                for year, plans in self.plans_by_year]

    @property
    def measure_count(self) -> int:
        return sum(plan.measure_count for plan in self.plans)


def derive(content: Content) -> Site:
    duties_by_unit = _collect_duties(content.plans)
    units: dict[str, UnitView] = {}
    for unit in content.units:
        if unit in duties_by_unit:
            units[unit.id] = _unit_view(unit, duties_by_unit[unit])

    def upward(unit: Unit) -> list[PlanDuties]:
        own = units[unit.id]
        return _merge_by_plan([group for group in own.leads + own.supports if not issued_within(group.plan, unit)])

    return _site(content, units, upward)


def _site(content: Content, units: dict[str, UnitView], upward) -> Site:
    """The site around its unit views: departments (`upward(unit)`: a department's duties in
    plans of other bodies, by plan) and the lead-unit index."""
    plans_by_issuer: dict[Unit, list] = {}
    for plan in content.plans:
        plans_by_issuer.setdefault(plan.issuer, []).append(plan)
    departments: dict[str, DepartmentView] = {}
    for unit in content.units:
        if not unit.is_department:
            continue
        issued = plans_by_issuer.get(unit, [])
        sections = [units[child.id] for child in _descendants(unit)
                    if child.kind == "section" and child.department is unit and child.id in units]
        if not issued and not sections:
            continue
        departments[unit.id] = DepartmentView(
            unit=unit, plans=issued,
            sections=sorted(sections, key=lambda v: pinyin_key(v.unit.name)),
            upward=upward(unit) if unit.id in units else [],
        )

    groups: dict[Unit, list[UnitView]] = {}
    for view in units.values():
        body = view.unit.parent if view.unit.parent is not None else view.unit
        groups.setdefault(body, []).append(view)
    unit_index = [
        IndexGroup(body=body, units=sorted(views, key=lambda v: pinyin_key(v.unit.name)))
        for body, views in sorted(groups.items(), key=lambda item: pinyin_key(item[0].name))
    ]
    return Site(content=content, plans=content.plans, units=units,
                departments=departments, unit_index=unit_index)


# -- the site as a build keeps it: an index of plans and each unit's duties in figures --------------
#
# A build does not hold the plans: workers make each plan's own pages from the whole plan, in
# batches, and hand back what the pages about many plans need (build.py). Those pages read the
# entries below as they read Plans and PlanDuties; tests/test_build.py holds the two to the same bytes.

@dataclass(eq=False)
class PlanEntry:
    """One plan in the index: what the pages about many plans show of it (title, issuer, counts,
    reports, its measures summed), without its measures."""

    id: str
    title: str
    issuer: Unit
    issuer_name: str
    kind: str
    year: int
    draft: bool
    summary: str
    dates: dict
    measure_count: int
    has_status: bool
    report_as_of: str
    reports: list[Report]
    tally: Tally
    spoken: dict[str, int]  # report id → how many of the plan's measures it speaks of (the feed)
    # search.SearchIndex asks a plan's measures what its report files said, so that `serve` can
    # tell a changed report; an entry has none (a build's index is new, and the plans' search data
    # is made from the whole plans, in the workers).
    measures: tuple = ()

    @classmethod
    def of(cls, plan: Plan) -> PlanEntry:
        return cls(plan.id, plan.title, plan.issuer, plan.issuer_name, plan.kind, plan.year, plan.draft,
                   plan.summary, dict(plan.dates), plan.measure_count, plan.has_status, plan.report_as_of,
                   list(plan.reports), plan_tally(plan), spoken(plan))


def spoken(plan) -> dict[str, int]:
    """How many of a plan's measures each of its reports speaks of, by report id."""
    if isinstance(plan, PlanEntry):
        return plan.spoken

    def count() -> dict[str, int]:
        counts: dict[str, int] = {}
        for measure in plan.measures:
            for reading in measure.readings:
                counts[reading.report.id] = counts.get(reading.report.id, 0) + 1
        return counts
    return _kept(plan, "spoken", count)


@dataclass(eq=False, slots=True)  # a site at scale has one for each unit of every plan
class ListedDuties:
    """A unit's duties in one plan as a build keeps them: how many, summed, and the list itself as
    it was rendered where the plan was (`listing.text()`, with each duty's state for the filter)."""

    plan: PlanEntry
    count: int
    tally: Tally
    listing: object

    def listed(self, filter: bool) -> Markup:
        """The list as the unit's page shows it; without the state filter, without the states."""
        text = self.listing.text()
        return Markup(text if filter else _FILTER_STATE.sub("<li>", text))


_FILTER_STATE = re.compile(r'<li data-st="[a-z]+">')  # components/measure_list.html's duty_list


def derive_from_index(content: Content, groups) -> Site:
    """The site of a build from its index: `content.plans` are PlanEntries (site order), `groups`
    (unit, plan entry, kind, ListedDuties) with kind "leads", "supports" or "upward" (a
    department's duties in a plan of another body, all in one list), in site order of plans."""
    found: dict[Unit, UnitView] = {}
    upward: dict[Unit, list[ListedDuties]] = {}
    for unit, kind, group in groups:
        if kind == "upward":
            upward.setdefault(unit, []).append(group)
            continue
        view = found.get(unit)
        if view is None:
            view = found[unit] = UnitView(unit)
        (view.leads if kind == "leads" else view.supports).append(group)
    units = {unit.id: found[unit] for unit in content.units if unit in found}
    return _site(content, units, lambda unit: upward.get(unit, []))


ROLE_ORDER = {role: position for position, role in enumerate(ROLES)}


def _duties_in(plan: Plan) -> list[tuple[Unit, Duty]]:
    """(unit, duty) pairs of one plan, computed once per plan object.

    `serve` keeps the Plan objects of unchanged files, so after an edit only the edited plan's
    duties are worked out again.
    """
    if "duties" not in plan.derived:
        pairs: list[tuple[Unit, Duty]] = []
        for measure in plan.measures:
            pairs.extend(_measure_duties(measure))
        plan.derived["duties"] = pairs
    return plan.derived["duties"]


def by_role(duties: list[Duty]) -> tuple[list[Duty], list[Duty]]:
    """The duties a unit leads and those it supports (or has another role in), each in order."""
    return [duty for duty in duties if duty.leads], [duty for duty in duties if not duty.leads]


def duties_by_unit(plan: Plan) -> dict[Unit, list[Duty]]:
    """Each unit's duties in one plan, in the plan's order (units as first named)."""
    found: dict[Unit, list[Duty]] = {}
    for unit, duty in _duties_in(plan):
        found.setdefault(unit, []).append(duty)
    return found


def _measure_duties(measure: Measure) -> list[tuple[Unit, Duty]]:
    """Each unit named for a measure once, with all its roles there and, for a split measure,
    the parts that name it (None when it answers for the whole measure)."""
    named = [(a, None) for a in measure.responsibility.assignments]
    named += [(a, index) for index, part in enumerate(measure.parts) if part.responsibility
              for a in part.responsibility.assignments]
    duties: dict[int, tuple[Unit, Duty]] = {}
    for assignment, part in named:
        if assignment.unit is None:
            continue
        if id(assignment.unit) not in duties:
            duties[id(assignment.unit)] = (assignment.unit, Duty(measure, [], assignment.written, parts=[]))
        duty = duties[id(assignment.unit)][1]
        duty.assignments.append(assignment)
        if part is None or duty.parts is None:
            duty.parts = None
        elif part not in duty.parts:
            duty.parts.append(part)
        if assignment.role not in duty.roles:
            duty.roles.append(assignment.role)
            duty.roles.sort(key=ROLE_ORDER.__getitem__)
    for _, duty in duties.values():
        if duty.parts is not None and len(duty.parts) == len(measure.parts):
            duty.parts = None  # every part: the whole measure
    return list(duties.values())


def _collect_duties(plans: list[Plan]) -> dict[Unit, list[Duty]]:
    """Every (unit, measure) pair once, with all the roles the unit has on that measure."""
    found: dict[Unit, list[Duty]] = defaultdict(list)
    for plan in plans:
        for unit, duty in _duties_in(plan):
            found[unit].append(duty)
    return found


_unit_views: dict[str, tuple[tuple, UnitView]] = {}


def _unit_view(unit: Unit, duties: list[Duty]) -> UnitView:
    """A unit's view, reused while its duties are the very same objects (see _duties_in)."""
    key = (id(unit), *map(id, duties))
    cached = _unit_views.get(unit.id)
    if cached is not None and cached[0] == key:
        return cached[1]
    view = UnitView(unit)
    leads, supports = by_role(duties)
    view.leads = _group_by_plan(leads)
    view.supports = _group_by_plan(supports)
    _unit_views[unit.id] = (key, view)
    return view


def _group_by_plan(duties: list[Duty]) -> list[PlanDuties]:
    plans: dict[Plan, list[Duty]] = {}
    for duty in duties:
        plans.setdefault(duty.measure.plan, []).append(duty)
    ordered = sorted(plans.items(), key=lambda item: (-item[0].year, item[0].id))
    return [PlanDuties(plan, plan_duties) for plan, plan_duties in ordered]


def _merge_by_plan(groups: list[PlanDuties]) -> list[PlanDuties]:
    order = {measure: index for group in groups for index, measure in enumerate(group.plan.measures)}
    return _group_by_plan(sorted((d for g in groups for d in g.duties), key=lambda d: order[d.measure]))


def _descendants(unit: Unit) -> list[Unit]:
    found = []
    for child in unit.children:
        found.append(child)
        found.extend(_descendants(child))
    return found


def issued_within(plan: Plan, unit: Unit) -> bool:
    return plan.issuer is unit or unit in plan.issuer.ancestors
