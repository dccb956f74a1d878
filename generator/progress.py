"""Progress over the year: each measure's readings from every report, and whether it was done on time.

A plan's 落实情况 come from its own file (the `status` of each measure, as of status_as_of) and
from any number of report files (content/reports/<id>.yaml), each as of one day. `attach` gives
every measure its readings, oldest first; pages show the newest and the earlier ones as a
timeline.

Overdue is reckoned at each report's day, from the content alone — never from the build
machine's clock, so the same content builds the same pages on any day:

- a measure whose deadline (2022-06 means the end of June) had passed by the report's day and
  that was not reported 已完成 by then is 逾期 at that report;
- a milestone is 逾期 once its date has passed while nothing was reported yet or the work was
  reported 未启动 (a milestone has no state of its own: a measure under way is not held to it);
- a recurring deadline (每季度末) is 逾期 when one of its periods in the plan's year had ended and
  the work was not reported under way;
- a measure led by each unit separately is reckoned unit by unit, where the reports speak of units
  (a unit a report skips keeps what an earlier one said of it).

Deadlines counted from an event (收到申请之日起20个工作日内) cannot be reckoned and never are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from .model import Measure, Plan, Reading, Report, UnitReading, date_order

DONE = "已完成"
NOT_STARTED = "未启动"


@dataclass(frozen=True)
class Overdue:
    """One deadline that had passed undone at a report."""

    deadline: str  # the last day it allowed, YYYY-MM-DD
    words: str  # the deadline as the plan words it (or the milestone's words)
    report: Report
    unit: str = ""  # the unit whose part it is, for a measure reckoned unit by unit
    milestone: bool = False
    periods: int = 0  # for a recurring deadline: how many periods had ended


def attach(plan: Plan, reports: list[tuple[Report, dict]]) -> None:
    """Give the plan its reports and each measure its readings, oldest first.

    `reports`: each report file with its entries by measure anchor (content.py has checked that
    every anchor and unit name exists). The plan's own 落实情况 is a report too, the first."""
    own = Report(id="", title=plan.title, kind=plan.kind, as_of=plan.status_as_of, own=True)
    readings: dict[str, list[Reading]] = {}
    if any(measure.status for measure in plan.measures):
        for measure in plan.measures:
            if measure.status:
                status = measure.status
                readings.setdefault(measure.anchor, []).append(
                    Reading(own, status.text, status.as_of, status.state))
        plan.reports = [own]
    else:
        plan.reports = []
    ordered = sorted(reports, key=lambda pair: (pair[0].as_of, pair[0].id))
    for report, entries in ordered:
        plan.reports.append(report)
        for anchor, reading in entries.items():
            readings.setdefault(anchor, []).append(reading)
    for measure in plan.measures:
        found = readings.get(measure.anchor, [])
        measure.readings = sorted(found, key=lambda r: date_order(r.as_of or r.report.as_of or "0000"))
    for name in ("state_counts", "table_columns"):  # a plan kept by `serve` may have worked them out before
        plan.__dict__.pop(name, None)


def last_day(date: str) -> str:
    """The last day a date of any precision allows: 2022 → 2022-12-31, 2022-06 → 2022-06-30."""
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def _said_by(measure: Measure, report: Report) -> list[Reading]:
    """The measure's readings said by `report`'s day, oldest first."""
    if not report.as_of:
        return measure.readings[-1:] if measure.readings and measure.readings[-1].report is report else []
    day = last_day(report.as_of)
    return [r for r in measure.readings if last_day(r.as_of or r.report.as_of or "9999") <= day]


def reading_at(measure: Measure, report: Report) -> Reading | None:
    """What was last said of the measure by `report`'s day (a report that skips the measure
    leaves what an earlier one said)."""
    said = _said_by(measure, report)
    return said[-1] if said else None


def unit_parts(readings: list[Reading]) -> list[tuple[Reading, UnitReading]]:
    """Each unit's last word in `readings` (oldest first), with the reading it is in: a report
    that skips a unit leaves what an earlier one said of it, back to the newest reading that
    speaks of the measure as a whole. In the order the units first spoke."""
    found: dict[str, tuple[Reading, UnitReading]] = {}
    for reading in reversed(readings):
        if not reading.units:
            break
        for unit in reading.units:
            found.setdefault(unit.name, (reading, unit))
    order: dict[str, int] = {}
    for reading in readings:
        for unit in reading.units:
            order.setdefault(unit.name, len(order))
    return sorted(found.values(), key=lambda pair: order[pair[1].name])


def units_at(measure: Measure, report: Report) -> dict[str, UnitReading]:
    """Each unit's own part as last said by `report`'s day (unit_parts of what was said by then)."""
    return {unit.name: unit for _, unit in unit_parts(_said_by(measure, report))}


def unit_states(reading: Reading | None) -> dict[str, str]:
    """Unit name → its state word, where the reading speaks of units."""
    return {unit.name: unit.state for unit in reading.units} if reading else {}


def overdue_at(measure: Measure, report: Report) -> list[Overdue]:
    """Every deadline of the measure that had passed undone by `report`'s day."""
    deadline = measure.deadline
    if deadline is None or not report.as_of:
        return []
    day = last_day(report.as_of)
    reading = reading_at(measure, report)
    if reading is not None and reading.units:
        found = []
        parts = [unit for _, unit in unit_parts(_said_by(measure, report))]
        spoken = {unit.name for unit in parts}
        # A leading unit the reports never speak of has reported nothing: held to the deadline too.
        silent = [a.written for a in measure.lead_assignments if a.written not in spoken]
        for name, state, reported in [(u.name, u.state, True) for u in parts] + [(n, "", False) for n in silent]:
            found += [Overdue(o.deadline, o.words, report, name, o.milestone, o.periods)
                      for o in _overdue(measure, report, day, state, reported)]
        return found
    state = reading.state if reading else ""
    return _overdue(measure, report, day, state, reading is not None)


def _overdue(measure: Measure, report: Report, day: str, state: str, reported: bool) -> list[Overdue]:
    deadline = measure.deadline
    if state == DONE:
        return []
    found = []
    started = reported and state != NOT_STARTED
    for milestone in deadline.milestones:
        end = last_day(str(milestone["date"]))
        if end < day and not started:
            found.append(Overdue(end, milestone.get("text") or deadline.text, report, milestone=True))
    final = deadline.date or (str(deadline.milestones[-1]["date"]) if deadline.milestones else "")
    if final and last_day(final) < day and not any(o.deadline == last_day(final) for o in found):
        found.append(Overdue(last_day(final), deadline.text, report))
    if deadline.recurring is not None and not started:
        periods = _periods_ended(deadline.recurring, measure.plan.year, day)
        if periods:
            found.append(Overdue(periods[-1], deadline.text, report, periods=len(periods)))
    return found


_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def _periods_ended(recurring, year: int, day: str) -> list[str]:
    """The deadlines of a recurring duty in the plan's year that had passed by `day`."""
    step = _MONTHS.get(recurring.every)
    if step is None:  # 每周: too fine to reckon from a report's day
        return []
    ends = []
    for month in range(step, 13, step):
        if recurring.day and not recurring.end:
            end = f"{year:04d}-{month:02d}-{min(recurring.day, calendar.monthrange(year, month)[1]):02d}"
        else:
            end = last_day(f"{year:04d}-{month:02d}")
        if end < day:
            ends.append(end)
    return ends
