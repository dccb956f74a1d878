"""Derive the site from the model: who is responsible for what, per unit and per department.

Nothing here reads files or writes HTML; it only answers the questions pages ask
("what does this unit lead?", "which plans did this department issue?").
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pypinyin import Style, lazy_pinyin

from .model import LEADING_ROLES, ROLES, Content, Measure, Plan, Unit


@lru_cache(maxsize=None)
def pinyin_key(text: str) -> tuple:
    """Sort key for Chinese names in 汉语拼音 order (the order readers expect in an index)."""
    return (tuple(lazy_pinyin(text, style=Style.TONE3)), text)


@dataclass
class Duty:
    """One measure a unit answers for, with the role(s) it has there."""

    measure: Measure
    roles: list[str]  # role keys, in ROLES order
    written: str  # the name as the plan prints it

    @property
    def role_names(self) -> str:
        return "、".join(ROLES[role] for role in self.roles)

    @property
    def leads(self) -> bool:
        return any(role in LEADING_ROLES for role in self.roles)


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


@dataclass
class DepartmentView:
    unit: Unit
    plans: list[Plan]  # issued by the department, newest first
    sections: list[UnitView]  # its internal units that have duties, pinyin order
    upward: list[PlanDuties]  # its own duties in plans issued by other bodies (e.g. the city's)

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
        pairs: dict[tuple[int, int], tuple[Unit, Duty]] = {}
        for measure in plan.measures:
            for assignment in measure.assignments:
                if assignment.unit is None:
                    continue
                key = (id(assignment.unit), id(measure))
                if key not in pairs:
                    pairs[key] = (assignment.unit, Duty(measure, [], assignment.written))
                duty = pairs[key][1]
                if assignment.role not in duty.roles:
                    duty.roles.append(assignment.role)
                    duty.roles.sort(key=ROLE_ORDER.__getitem__)
        _plan_duties[plan] = list(pairs.values())
    return _plan_duties[plan]


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
