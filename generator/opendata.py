"""Open data: each plan as JSON (the model, with unit ids, every progress report and what each
said of each measure) and as CSV (a row per measure, unit role and report, for Excel), and under
data/ a catalogue of the plans, the registry's units, the JSON Schemas and a Chinese description
of every column.

The CSV columns are declared once, in COLUMNS: the writer, the data page and data/README.md all
read that table, so a column cannot be added without its description. Every file here is a pure
function of the site, written with a fixed key order, so the same content gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from . import progress, tool
from .model import (
    REPORTED, ROLES, UNREPORTED, Assignment, Deadline, Measure, Plan, Reading, Report, Responsibility, Unit,
    UnitReading,
)
from .site import Site

SCHEMA_DIR = tool.folder("schema") / "data"
SCHEMAS = ("plan", "catalogue", "units")  # data/<name>.schema.json
FORMAT = 1  # the data's format version; raised when a field changes meaning or goes away


def plan_path(plan_id: str, suffix: str) -> str:
    return f"data/plans/{plan_id}.{suffix}"


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# -- reports --------------------------------------------------------------------------------------

@dataclass
class Step:
    """One report of the plan as it bears on one measure."""

    report: Report
    said: Reading | None  # what the report says of the measure; None when it says nothing of it
    standing: Reading | None  # what stood by the report's day (said, or an earlier report's word)
    overdue: list[progress.Overdue]  # the measure's deadlines that had passed undone by that day
    units: dict[str, UnitReading]  # each unit's last part by that day, where the standing word is per unit


def report_steps(measure: Measure) -> list[Step]:
    """The plan's reports, oldest first, that speak of the measure or at whose day one of its
    deadlines had passed undone (a report that skips an overdue measure still finds it overdue)."""
    said = {id(reading.report): reading for reading in measure.readings}
    steps = []
    for report in measure.plan.reports:
        reading = said.get(id(report))
        overdue = progress.overdue_at(measure, report)
        if reading is not None or overdue:
            standing = reading if reading is not None else progress.reading_at(measure, report)
            units = progress.units_at(measure, report) if standing is not None and standing.units else {}
            steps.append(Step(report, reading, standing, overdue, units))
    return steps


def reading_as_of(reading: Reading) -> str:
    """The day a reading speaks of: its own (a status's as_of), else its report's."""
    return reading.as_of or reading.report.as_of


# -- one plan as JSON -----------------------------------------------------------------------------

def _unit(unit: Unit | None) -> dict | None:
    return None if unit is None else {"id": unit.id, "name": unit.display_name}


def _assignment(assignment: Assignment) -> dict:
    found = {"role": assignment.role, "role_word": assignment.role_word, "written": assignment.written,
             "unit": _unit(assignment.unit)}
    if assignment.collective is not None:
        found["collective"] = True
    return found


def _responsibility(responsibility: Responsibility | None) -> dict | None:
    if responsibility is None or responsibility.is_empty:
        return None
    found = {"units": [_assignment(a) for a in responsibility.assignments]}
    if responsibility.as_written:
        found["as_written"] = responsibility.as_written
    if responsibility.rule:
        found["rule"] = responsibility.rule
    return found


def _deadline(deadline: Deadline | None) -> dict | None:
    if deadline is None:
        return None
    found: dict = {"text": deadline.text}
    if deadline.date:
        found["date"] = deadline.date
    if deadline.milestones:
        found["milestones"] = [{"date": m["date"], **({"text": m["text"]} if m.get("text") else {})}
                               for m in deadline.milestones]
    if deadline.recurring:
        found["recurring"] = {"every": deadline.recurring.every, "day": deadline.recurring.day,
                              "end": deadline.recurring.end, "words": deadline.recurring.words}
    if deadline.after:
        found["after"] = {"event": deadline.after.event, "within": deadline.after.within,
                          "unit": deadline.after.unit, "words": deadline.after.words}
    return found


def _reading(reading: Reading) -> dict:
    found = {"report": reading.report.id, "as_of": reading_as_of(reading), "text": reading.text,
             "state": reading.state}
    if reading.units:
        found["units"] = [{"name": unit.name, "unit": _unit(unit.assignment.unit if unit.assignment else None),
                           "text": unit.text, "state": unit.state} for unit in reading.units]
    if reading.editor_note:
        found["editor_note"] = reading.editor_note
    return found


def _report(report: Report) -> dict:
    found = {"id": report.id, "own": report.own, "title": report.title, "kind": report.kind,
             "as_of": report.as_of, "draft": report.draft}
    if report.document_number:
        found["document_number"] = report.document_number
    if report.published:
        found["published"] = report.published
    if report.source:
        found["source"] = {key: report.source[key] for key in sorted(report.source)}
    if report.editor_notes:
        found["editor_notes"] = list(report.editor_notes)
    return found


def _measure(measure: Measure) -> dict:
    state = measure.state
    found: dict = {
        "label": measure.label,
        "anchor": measure.anchor,
        "url": f"plans/{measure.plan.id}/#{measure.anchor}",
        "text": measure.text,
        "responsibility": _responsibility(measure.responsibility),
        "state": {"word": state.word, "tag": state.tag, "documented": state.documented},
    }
    if measure.inherited_from:
        found["responsibility_from"] = measure.inherited_from
    if measure.task is not None:
        found["task"] = {"label": measure.task.label, "title": measure.task.title, "anchor": measure.task.anchor}
    if measure.requirement:
        found["requirement"] = measure.requirement
    if len(measure.parts) > 1 or any(part.responsibility for part in measure.parts):
        found["parts"] = [{"text": part.text, "responsibility": _responsibility(part.responsibility)}
                          for part in measure.parts]
    if measure.deadline:
        found["deadline"] = _deadline(measure.deadline)
    if measure.status:
        found["status"] = {"text": measure.status.text, "as_of": measure.status.as_of,
                           "state": measure.status.state}
    if measure.readings:
        found["readings"] = [_reading(reading) for reading in measure.readings]
    overdue = [late for step in report_steps(measure) for late in step.overdue]
    if overdue:
        found["overdue"] = [{"report": late.report.id, "deadline": late.deadline, "words": late.words,
                             "unit": late.unit, "milestone": late.milestone, "periods": late.periods}
                            for late in overdue]
    if measure.remarks:
        found["remarks"] = measure.remarks
    notes = [part.editor_note for part in measure.parts if part.editor_note] + (
        [measure.editor_note] if measure.editor_note else [])
    if notes:
        found["editor_notes"] = notes
    return found


def _heading_level(thing) -> dict:
    found = {"label": thing.label, "title": thing.title, "anchor": thing.anchor}
    responsibility = _responsibility(thing.responsibility)
    if responsibility:
        found["responsibility"] = responsibility
    if thing.deadline:
        found["deadline"] = _deadline(thing.deadline)
    if thing.editor_note:
        found["editor_note"] = thing.editor_note
    return found


def plan_data(plan: Plan) -> dict:
    """The plan as the site shows it: metadata, then sections → points → measures."""
    found: dict = {
        "format": FORMAT,
        "id": plan.id,
        "title": plan.title,
        "year": plan.year,
        "kind": plan.kind,
        "issuer": {"id": plan.issuer.id, "name": plan.issuer.name, "written": plan.issuer_name},
        "url": f"plans/{plan.id}/",
        "draft": plan.draft,
    }
    for key in ("document_number", "index_number", "topic", "genre", "validity", "recipients", "summary"):
        if getattr(plan, key):
            found[key] = getattr(plan, key)
    if plan.dates:
        found["dates"] = {key: plan.dates[key] for key in sorted(plan.dates)}
    if plan.source:
        found["source"] = {key: plan.source[key] for key in sorted(plan.source)}
    if plan.columns:
        found["columns"] = list(plan.columns)
    if plan.first_listed_leads:
        found["first_listed_leads"] = plan.first_listed_leads
    found["report_as_of"] = plan.report_as_of
    found["reports"] = [_report(report) for report in plan.reports]
    found["state_counts"] = [{"word": state.word, "tag": state.tag, "count": count}
                             for state, count in plan.state_counts]
    if plan.editor_notes:
        found["editor_notes"] = list(plan.editor_notes)
    found["sections"] = [
        {**_heading_level(section),
         **({"first_listed_leads": section.first_listed_leads} if section.first_listed_leads else {}),
         **({"body_html": section.body_html} if section.body_html else {}),
         "measures": [_measure(m) for m in section.measures],
         "points": [{**_heading_level(point), "measures": [_measure(m) for m in point.measures]}
                    for point in section.points]}
        for section in plan.sections
    ]
    return found


def plan_json(site: Site, plan_id: str) -> bytes:
    return _json(plan_data(site.plans_by_id[plan_id]))


# -- one plan as CSV ------------------------------------------------------------------------------

def _place(measure: Measure) -> str:
    bits = [measure.section.label if measure.section else "", measure.point.label if measure.point else "",
            measure.task.heading if measure.task else "", measure.label]
    return " ".join(bit for bit in bits if bit)


def _own_text(measure: Measure, assignment: Assignment) -> str:
    """Of a measure split among units, the parts that name this unit ("" when it is not split)."""
    if not any(part.responsibility for part in measure.parts):
        return ""
    return "".join(part.text for part in measure.parts
                   if part.responsibility and any(a is assignment for a in part.responsibility.assignments))


class PerReport:
    """A column whose value changes from one report's row to the next: (plan, measure,
    assignment or None, Step or None) → value. The other columns are worked out once per
    measure and unit, however many reports speak of it."""

    def __init__(self, value):
        self.value = value


class PerUnit:
    """A column whose value changes from one unit's row to the next: (plan, measure, assignment
    or None) → value. The plain columns hold of the measure alone: worked out once per measure,
    however many units it names."""

    def __init__(self, value):
        self.value = value


def _unit_part(step: Step | None, assignment: Assignment | None) -> UnitReading | None:
    """This unit's own part as the step's report leaves it, where that report speaks of units."""
    if step is None or assignment is None:
        return None
    return step.units.get(assignment.written)


def _state_at(step: Step | None, assignment: Assignment | None) -> str:
    """The state as the step's report leaves it: the unit's own word where the report speaks of
    units, else the measure's; 已报告 for a report without a state word, 未报告 before any."""
    if step is None or step.standing is None:
        return UNREPORTED.word
    part = _unit_part(step, assignment)
    return (part.state if part else "") or step.standing.state or REPORTED.word


def _unit_text(step: Step | None, assignment: Assignment | None) -> str:
    """What the step's own report says of this unit's part ("" when it says nothing of it)."""
    if step is None or step.said is None or assignment is None:
        return ""
    return next((unit.text for unit in step.said.units if unit.name == assignment.written), "")


def _overdue_text(step: Step | None, assignment: Assignment | None) -> str:
    """The deadlines overdue at the step's report that bind this row's unit, as 2023-04-30 完成选型."""
    if step is None:
        return ""
    written = assignment.written if assignment else ""
    return "；".join(f"{late.deadline} {late.words}" + (f"（已过 {late.periods} 期）" if late.periods else "")
                    for late in step.overdue if late.unit in ("", written))


# (heading, what it holds, value from (plan, measure, assignment or None), or a PerReport value).
# The one list of columns. What is the same on every row of a file (the plan's title and issuer)
# or long and found in the JSON (a point's title) is left out: a row is repeated for each unit
# of a measure and each report that speaks of it.
COLUMNS = (
    ("计划编号", "计划在本站的编号，也是网址 plans/<编号>/ 中的一段；计划名称、发布机构等见 plans.json",
     lambda p, m, a: p.id),
    ("年度", "计划所属年度", lambda p, m, a: p.year),
    ("位置", "措施在文件中的位置：部分、要点、任务和序号，如“二、 （一） 3.”", lambda p, m, a: _place(m)),
    ("部分", "所在部分的标题", lambda p, m, a: m.section.heading if m.section else ""),
    ("措施", "措施全文（一项措施分给几个单位、或有几份进展报告说到它时，每个单位、每份报告一行，全文在每行重复）",
     lambda p, m, a: m.text),
    ("单位编号", "单位在本站的编号，也是网址 units/<编号>/ 中的一段；“各科室”等统称为空",
     PerUnit(lambda p, m, a: a.unit.id if a and a.unit else "")),
    ("单位名称", "单位的现用全称", PerUnit(lambda p, m, a: a.unit.display_name if a and a.unit else "")),
    ("文中名称", "文件中对这个单位的写法", PerUnit(lambda p, m, a: a.written if a else "")),
    ("职责", "这个单位的职责：" + "、".join(f"{key}（{word}）" for key, word in ROLES.items()),
     PerUnit(lambda p, m, a: a.role if a else "")),
    ("职责用词", "文件自己的说法（主办、协办等），文件没有说法时为通用说法",
     PerUnit(lambda p, m, a: a.role_word if a else "")),
    ("所负责部分", "措施按单位分段时，这个单位负责的那一段；不分段时为空",
     PerUnit(lambda p, m, a: _own_text(m, a) if a else "")),
    ("分工原文", "文件中分工的原话（有时才有）", lambda p, m, a: m.responsibility.as_written),
    ("完成时限", "文件写的完成时限", lambda p, m, a: m.deadline.text if m.deadline else ""),
    ("时限日期", "完成时限对应的日期，精度同原文：2021、2021-03 或 2021-03-31",
     lambda p, m, a: m.deadline.date if m.deadline else ""),
    ("报告编号", "这一行的落实情况出自哪份进展报告：报告在本站的编号（报告文件 reports/<编号>.yaml）；"
     "出自计划文件本身的落实情况为空；还没有任何报告说到这项措施时，这一列和以下几列为空",
     PerReport(lambda p, m, a, s: s.report.id if s else "")),
    ("报告名称", "进展报告的名称；出自计划文件本身时为计划名称",
     PerReport(lambda p, m, a, s: s.report.title if s else "")),
    ("报告类型", "半年报告、年度总结等；出自计划文件本身时为计划的文件类型",
     PerReport(lambda p, m, a, s: s.report.kind if s else "")),
    ("落实状态", "到这份报告的截至日期为止的状态（报告分单位说明时为这个单位的）：已完成、持续推进、推进中、未启动为"
     "文件原话；已报告、未报告由本站按有无落实情况判断", PerReport(lambda p, m, a, s: _state_at(s, a))),
    ("落实情况", "这份报告对这项措施写的落实情况原文；报告没有说到这项措施、但有时限已过时为空",
     PerReport(lambda p, m, a, s: s.said.text if s and s.said else "")),
    ("本单位落实情况", "报告分单位说明落实情况（分别负责等）时，这个单位的那一段原文；否则为空",
     PerReport(lambda p, m, a, s: _unit_text(s, a))),
    ("截至日期", "这份报告所说的日期",
     PerReport(lambda p, m, a, s: (reading_as_of(s.said) if s.said else s.report.as_of) if s else "")),
    ("逾期", "到这份报告的截至日期已过而未完成的时限（里程碑、按期的时限算到已过的那一期），"
     "写作“日期 时限原文”，几项用“；”分开；由本站按文件内容计算，没有时为空",
     PerReport(lambda p, m, a, s: _overdue_text(s, a))),
    ("最新", "“是”：这一行的报告是说到这项措施的最新一份，它的落实状态就是措施现在的状态",
     PerReport(lambda p, m, a, s: "是" if s and s.said is not None and s.said is m.latest else "")),
    ("备注", "文件中的备注", lambda p, m, a: m.remarks),
    ("网址", "措施在本站的位置（相对网站根地址）", lambda p, m, a: f"plans/{p.id}/#{m.anchor}"),
)
_PER_MEASURE = [(index, value) for index, (_, _, value) in enumerate(COLUMNS)
                if not isinstance(value, (PerUnit, PerReport))]
_PER_UNIT = [(index, value.value) for index, (_, _, value) in enumerate(COLUMNS) if isinstance(value, PerUnit)]
_PER_REPORT = [(index, value.value) for index, (_, _, value) in enumerate(COLUMNS) if isinstance(value, PerReport)]
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def _csv_text(value) -> str:
    """Excel runs a cell that starts with = + - @ as a formula: such text gets a leading apostrophe
    (Excel's own mark for text). Numbers stay numbers."""
    text = value if type(value) is str else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def plan_rows(plan: Plan) -> list[list]:
    """A row per measure, unit role and report step (report_steps); a measure that names no unit,
    or that no report speaks of, still has its row. A report that skips the measure gives rows
    only to the units whose deadline had passed undone by its day."""
    rows = []
    blank = [None] * len(COLUMNS)
    for measure in plan.measures:
        steps = report_steps(measure) or [None]
        of_measure = list(blank)
        for index, value in _PER_MEASURE:
            of_measure[index] = _csv_text(value(plan, measure, None))
        for assignment in measure.assignments or [None]:
            fixed = list(of_measure)
            for index, value in _PER_UNIT:
                fixed[index] = _csv_text(value(plan, measure, assignment))
            for step in steps:
                if step is None or step.said is not None or _overdue_text(step, assignment):
                    row = list(fixed)
                    for index, value in _PER_REPORT:
                        row[index] = _csv_text(value(plan, measure, assignment, step))
                    rows.append(row)
    return rows


def plan_csv(site: Site, plan_id: str) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _, _ in COLUMNS])
    writer.writerows(plan_rows(site.plans_by_id[plan_id]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- the whole site -------------------------------------------------------------------------------

def catalogue(site: Site, key: str = "") -> bytes:
    """data/plans.json: every plan with its figures and where its files are."""
    return _json({
        "format": FORMAT,
        "title": site.content.settings["title"],
        "base_url": site.content.settings.get("base_url") or "",
        "plans": [{
            "id": plan.id, "title": plan.title, "year": plan.year, "kind": plan.kind,
            "issuer": {"id": plan.issuer.id, "name": plan.issuer.name, "written": plan.issuer_name},
            "measures": plan.measure_count, "has_status": plan.has_status, "reports": len(plan.reports),
            "report_as_of": plan.report_as_of,
            "draft": plan.draft, "url": f"plans/{plan.id}/",
            "json": plan_path(plan.id, "json"), "csv": plan_path(plan.id, "csv"),
        } for plan in site.plans],
    })


def units(site: Site, key: str = "") -> bytes:
    """data/units.json: the registry, so that unit ids in the plans can be looked up."""
    return _json({
        "format": FORMAT,
        "units": [{
            "id": unit.id, "name": unit.name, "full_name": unit.display_name, "kind": unit.kind,
            "parent": unit.parent.id if unit.parent else None,
            "aliases": list(unit.aliases),
            "former_names": [{"name": f["name"], "until": f.get("until")} for f in unit.former_names],
            "url": f"units/{unit.id}/" if unit.id in site.units else None,
        } for unit in site.content.units],
    })


def schema_file(site: Site, name: str) -> bytes:
    return (SCHEMA_DIR / f"{name}.schema.json").read_bytes()
