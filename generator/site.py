"""Derive the site from the model: who is responsible for what, per unit and per department.

Nothing here reads files or writes HTML; it only answers the questions pages ask
("what does this unit lead?", "which plans did this department issue?").
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .model import LEADING_ROLES, ROLES, Assignment, Content, Measure, Part, Plan, State, Unit, state_counts


@lru_cache(maxsize=None)
def pinyin_key(text: str) -> tuple:
    """Sort key for Chinese names in 汉语拼音 order (the order readers expect in an index)."""
    from pypinyin import Style, lazy_pinyin  # half a second to load: not for a command refused at once

    return (tuple(lazy_pinyin(text, style=Style.TONE3)), text)


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
    def others_named(self) -> str:
        """Who answers for the other parts: 办公室牵头、法规处牵头."""
        named = [f"{a.written}{a.role_word}" for part in self.other_parts if part.responsibility
                 for a in part.responsibility.assignments]
        return "、".join(dict.fromkeys(named))


@dataclass
class PlanDuties:
    plan: Plan
    duties: list[Duty]


@dataclass
class UnitView:
    unit: Unit
    leads: list[PlanDuties] = field(default_factory=list)
    supports: list[PlanDuties] = field(default_factory=list)

    @property
    def lead_count(self) -> int:
        return sum(len(group.duties) for group in self.leads)

    @property
    def support_count(self) -> int:
        return sum(len(group.duties) for group in self.supports)

    @property
    def measures(self) -> list[Measure]:
        return [duty.measure for group in self.leads + self.supports for duty in group.duties]

    @property
    def state_counts(self) -> list[tuple[State, int]]:
        return state_counts(self.measures)


@dataclass
class DepartmentView:
    unit: Unit
    plans: list[Plan]  # issued by the department, newest first
    sections: list[UnitView]  # its internal units that have duties, pinyin order
    upward: list[PlanDuties]  # its own duties in plans issued by other bodies (e.g. the city's)

    @property
    def measures(self) -> list[Measure]:
        return [measure for plan in self.plans for measure in plan.measures]

    @property
    def state_counts(self) -> list[tuple[State, int]]:
        return state_counts(self.measures)

    @property
    def names_used(self) -> list[str]:
        """Names the department issued plans under, when they differ from today's."""
        return sorted({plan.issuer_name for plan in self.plans if plan.issuer_name != self.unit.name})


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

    @property
    def measure_count(self) -> int:
        return sum(len(plan.measures) for plan in self.plans)


def derive(content: Content) -> Site:
    duties_by_unit = _collect_duties(content.plans)
    units: dict[str, UnitView] = {}
    for unit in content.units:
        if unit in duties_by_unit:
            units[unit.id] = _unit_view(unit, duties_by_unit[unit])

    plans_by_issuer: dict[Unit, list[Plan]] = {}
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
        upward = []
        if unit.id in units:
            own = units[unit.id]
            upward = [group for group in own.leads + own.supports
                      if not _issued_within(group.plan, unit)]
            upward = _merge_by_plan(upward)
        departments[unit.id] = DepartmentView(
            unit=unit, plans=issued,
            sections=sorted(sections, key=lambda v: pinyin_key(v.unit.name)),
            upward=upward,
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


ROLE_ORDER = {role: position for position, role in enumerate(ROLES)}
_plan_duties: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _duties_in(plan: Plan) -> list[tuple[Unit, Duty]]:
    """(unit, duty) pairs of one plan, computed once per plan object.

    `serve` keeps the Plan objects of unchanged files, so after an edit only the edited plan's
    duties are worked out again.
    """
    if plan not in _plan_duties:
        pairs: list[tuple[Unit, Duty]] = []
        for measure in plan.measures:
            pairs.extend(_measure_duties(measure))
        _plan_duties[plan] = pairs
    return _plan_duties[plan]


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
    leads = [duty for duty in duties if duty.leads]
    supports = [duty for duty in duties if not duty.leads]
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


def _issued_within(plan: Plan, unit: Unit) -> bool:
    return plan.issuer is unit or unit in plan.issuer.ancestors
