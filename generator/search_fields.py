"""The search format's fields, declared once, and the text each document is indexed by.

FIELDS is read by the postings writer (postings.py), written into the search entry (search.py)
and read from there by search-core.js, which decodes and ranks by it; the tests and the lunr.js
oracle read it too. `plan_fields`, `measure_fields` and `unit_fields` are the one place a
document's indexed text is made: the index is built from them and the tests' truth is checked
against them. A new field is one entry here and its text in one of those functions.

A context field holds a heading over several measures (the plan's title, a section's, a
point's or a task's). A measure holds at most one heading of each kind; the index writes a
heading once for the run of measures under it, and a hit in it counts for each of them, as if
each measure held the heading itself (which is how lunr.js, given the same documents, scores it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Measure, Plan, Unit


@dataclass(frozen=True)
class Field:
    name: str
    boost: float  # how much a hit here counts against a hit in text
    b: float  # BM25 b: how much a field longer than the average counts against a hit
    context: bool = False  # a heading, written once for the measures under it


# A hit in a title (a plan's title, a unit's names) or in the units responsible ranks first.
# Titles are not held against their length: a unit's title is all its names, and a hit on any
# one of them (a short form such as 市国资委) is as good as a hit on a short title.
FIELDS = (
    Field("title", 10, 0.0),
    Field("units", 5, 0.75),
    Field("text", 1, 0.75),
    Field("status", 1, 0.75),
    Field("plan", 1, 0.75, context=True),
    Field("section", 1, 0.75, context=True),
    Field("point", 1, 0.75, context=True),
    Field("task", 1, 0.75, context=True),
)
NUMBER = {field.name: number for number, field in enumerate(FIELDS)}
CONTEXT = tuple(field.name for field in FIELDS if field.context)
BM25_K1 = 1.2  # lunr.js's k1


def entry() -> dict:
    """The declaration as the search entry (index.js) carries it to search-core.js."""
    return {"fields": [{"name": field.name, "boost": field.boost, "b": field.b, "context": field.context}
                       for field in FIELDS], "k1": BM25_K1}


def unit_names(measure: Measure) -> list[str]:
    """The names a measure's units are searched by: as the plan prints them and as registered."""
    names = []
    for assignment in measure.assignments:
        for name in (assignment.written, assignment.unit.name if assignment.unit else ""):
            if name and name not in names:
                names.append(name)
    return names


def status_text(measure: Measure) -> str:
    """What the newest report says of the measure, each unit's part after the rest with the unit's
    name: what search finds a measure by and shows as its 落实情况."""
    latest = measure.latest
    if latest is None:
        return ""
    return "\n".join(filter(None, [latest.text, *(f"{unit.name}：{unit.text}" for unit in latest.units)]))


def point_heading(point) -> str:
    return f"{point.label}{point.title}" if point and (point.label or point.title) else ""


def plan_fields(plan: Plan) -> dict[str, str]:
    """The plan as a document: its title, its issuer's names, its summary and document number."""
    return {"title": plan.title,
            "units": "\n".join(dict.fromkeys([plan.issuer_name, plan.issuer.name])),
            "text": "\n".join(filter(None, [plan.summary, plan.document_number]))}


def measure_fields(measure: Measure) -> dict[str, str]:
    """A measure as a document: its units, text and newest status, and the headings over it."""
    return {
        "units": "\n".join(unit_names(measure)),
        "text": "\n".join(filter(None, [measure.requirement, measure.text, measure.remarks])),
        "status": status_text(measure),
        "plan": measure.plan.title,
        "section": measure.section.heading,
        "point": point_heading(measure.point),
        "task": measure.task.heading if measure.task else "",
    }


def unit_fields(unit: Unit) -> dict[str, str]:
    """A unit as a document: every name (current, short forms, former names)."""
    names = [unit.display_name, unit.name, *unit.aliases]
    for former in unit.former_names:
        names += [former["name"], *former.get("aliases", [])]
    return {"title": "\n".join(dict.fromkeys(names))}
