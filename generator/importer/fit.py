"""Fit the draft to the plan schema in force, so the draft always passes `build.py check`.

The importer reads what the document says in the richest form the schema offers (the document's
role words, listed names, qualified references, dates at their own precision, recurring and
event-relative deadlines, unnumbered task groups). An older schema that lacks one of these gets
the plainer form instead; the document's words are kept either way (as_written, deadline text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..schema import SCHEMA_DIR
from .draft import Finding, Group, Plan, Qualified, Responsibility, Task, walk

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Features:
    listed: bool
    words: bool
    qualified: bool
    partial_dates: bool
    recurring: bool
    after: bool
    tasks: bool
    role_words: bool
    first_listed: bool

    @classmethod
    def of_schema(cls) -> Features:
        schema = json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8"))
        defs = schema.get("definitions", {})
        responsibility = defs.get("responsibility", {}).get("properties", {})
        deadline = defs.get("deadline_details", defs.get("deadline", {})).get("properties", {})
        if not deadline:
            deadline = next((option.get("properties", {}) for option in defs.get("deadline", {}).get("oneOf", [])
                             if option.get("type") == "object"), {})
        return cls(
            listed="listed" in responsibility, words="words" in responsibility,
            qualified="qualified" in defs, partial_dates="partial_date" in defs,
            recurring="recurring" in deadline, after="after" in deadline, tasks="task" in defs,
            role_words="role_words" in schema.get("properties", {}),
            first_listed="first_listed_leads" in schema.get("properties", {}),
        )


def fit(plan: Plan, features: Features) -> None:
    if not features.first_listed:
        plan.first_listed_leads = ""
    if not features.role_words:
        plan.role_words = {}
    for node in list(walk(plan)):
        for name in ("responsibility",):
            responsibility = getattr(node, name, None)
            if responsibility is not None:
                _fit_responsibility(responsibility, features)
        for part in getattr(node, "parts", []):
            if part.responsibility is not None:
                _fit_responsibility(part.responsibility, features)
        deadline = getattr(node, "deadline", None)
        if deadline is not None:
            _fit_deadline(deadline, features)
    if not features.tasks:
        for section in plan.sections:
            section.items = _without_tasks(section.items)
            for point in section.points:
                point.items = _without_tasks(point.items)


def _fit_responsibility(responsibility: Responsibility, features: Features) -> None:
    if not features.words:
        responsibility.words = {}
    if not features.listed and "listed" in responsibility.roles:
        listed = responsibility.roles.pop("listed")
        responsibility.roles = {"lead": listed + responsibility.roles.get("lead", []),
                                **{k: v for k, v in responsibility.roles.items() if k != "lead"}}
    if not features.qualified:
        for role, names in responsibility.roles.items():
            responsibility.roles[role] = [name.name if isinstance(name, Qualified) else name for name in names]


def _fit_deadline(deadline, features: Features) -> None:
    if not features.partial_dates:
        if deadline.date and not _FULL_DATE.fullmatch(deadline.date):
            deadline.date = ""
        if any(not _FULL_DATE.fullmatch(date) for date, _ in deadline.milestones):
            deadline.milestones = []
    if not features.recurring:
        deadline.recurring = None
    if not features.after:
        deadline.after = None


def _without_tasks(items: list) -> list:
    flat = []
    for item in items:
        if isinstance(item, Task):
            inner = _without_tasks(item.items)
            for measure in (m for m in inner if not isinstance(m, Group) and m.responsibility is None):
                measure.responsibility = item.responsibility
                measure.deadline = measure.deadline or item.deadline
            first = inner[0].measures[0] if isinstance(inner[0], Group) else inner[0]
            first.findings.append(Finding("", f"任务标题“{item.label}{item.title}”在当前的计划格式中无处可记，已略去"
                                              "（task heading dropped: the schema has no tasks）", kind="structure"))
            flat.extend(inner)
        else:
            flat.append(item)
    return flat
