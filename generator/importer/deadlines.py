"""完成时限 read as far as the schema can say it: dates at the precision written (2021, 2021-06,
2021-06-30), recurring deadlines (每季度末, 每月10日前), deadlines counted from an event
(印发后10个工作日内), and several dated steps as milestones. The words are always kept; a
deadline with a number that none of these shapes explains is reported, never half-read.
"""

from __future__ import annotations

import calendar
import re

from .draft import Deadline, Recurrence, Relative

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?)?"
    r"(?P<when>年底|年末|底|末|上旬|中旬|下旬|内|前|之前)*"
)
_DATED = re.compile(r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月(?:\d{1,2}日)?|年底|年末|年内|全年)"
                    r"(?:年底|年末|底|末|中旬|上旬|下旬)?(?:之?前|内)?")
_NUMERIC_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:日)?(?:之?前)?")
_PERIODS = {"年": "year", "半年": "half_year", "季度": "quarter", "季": "quarter", "月": "month", "周": "week"}
_RECURRING = re.compile(r"每(半年|季度|季|年|月|周)(?:(末|底)|(\d{1,2})日(?:之?前)?)?")
_AFTER = re.compile(r"自?(?P<event>.+?)(?:后|起)(?P<count>\d+|□)?(?:个)?(?P<unit>工作日|日|天|个月|月)内")
_UNITS = {"工作日": "working_days", "日": "days", "天": "days", "个月": "months", "月": "months"}


def read_deadline(text: str, year: int) -> tuple[Deadline, bool]:
    """(the deadline, whether it was understood). `year` is the plan's: 年底前 in a 2022 plan is 2022."""
    deadline = Deadline(text=text)
    plain = text.translate(_DIGITS).strip("。；;，, ")
    recurring = _RECURRING.fullmatch(plain)
    if recurring:
        by = "end" if recurring[2] else (int(recurring[3]) if recurring[3] else None)
        deadline.recurring = Recurrence(_PERIODS[recurring[1]], by)
        return deadline, True
    after = _AFTER.fullmatch(plain)
    if after:
        count = after["count"]
        deadline.after = Relative(after["event"].strip(), int(count) if count and count.isdigit() else None,
                                  _UNITS[after["unit"]])
        return deadline, True
    numeric = _NUMERIC_DATE.fullmatch(plain)
    if numeric:  # 2022-06-30, 2022/6/30, 2022.6.30 (a date cell of a sheet reads as the first)
        date = _date_of(f"{numeric[1]}年{numeric[2]}月{numeric[3]}日", year)
        if date:
            deadline.date = date
            return deadline, True
    dated = list(_DATED.finditer(plain))
    if len(dated) == 1 and dated[0].group(0) == plain:
        date = _date_of(plain, year)
        if date:
            deadline.date = date
            return deadline, True
    if len(dated) > 1:
        steps = _milestones(plain, dated, year)
        if steps:
            deadline.milestones = steps
            return deadline, True
    return deadline, not re.search(r"\d|年|月|日|季|周", plain)


def _date_of(words: str, year: int) -> str:
    """2021年6月底前 → 2021-06; 年底前 → the plan's year; 2021年6月30日 → 2021-06-30."""
    if words.startswith(("年底", "年末", "年内", "全年")):
        return f"{year:04d}"
    found = _DATE.match(words)
    if not found or not found.group(0):
        return ""
    the_year = int(found["year"]) if found["year"] else year
    if not found["month"]:
        return f"{the_year:04d}" if found["year"] else ""
    month = int(found["month"])
    if not 1 <= month <= 12:
        return ""
    if not found["day"]:
        return f"{the_year:04d}-{month:02d}"
    day = int(found["day"])
    if not 1 <= day <= calendar.monthrange(the_year, month)[1]:
        return ""
    return f"{the_year:04d}-{month:02d}-{day:02d}"


def _milestones(words: str, dated: list, year: int) -> list[tuple[str, str]]:
    """2023年6月前完成系统选型，2023年10月底前上线运行: each date with the words after it."""
    steps = []
    for index, found in enumerate(dated):
        end = dated[index + 1].start() if index + 1 < len(dated) else len(words)
        date = _date_of(found.group(0), year)
        if not date:
            return []
        steps.append((date, words[found.end():end].strip("。；;，, ")))
    if words[: dated[0].start()].strip("。；;，, "):
        return []
    return steps


_IN_TEXT = re.compile(r"(?:在|于)?((?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:年底|年末|底|末)?(?:之?前))")


def deadline_in_text(text: str, year: int) -> Deadline | None:
    """The one dated deadline a measure's prose states (在2020年9月30日前, 6月底前, 年底前), else
    None: two different dates, or a date without 前 (2019年出台的), are left to the editor."""
    found = {match[1] for match in _IN_TEXT.finditer(text.translate(_DIGITS)) if re.search(r"\d|年", match[1])}
    if len(found) != 1:
        return None
    words = found.pop()
    date = _date_of(words, year)
    return Deadline(text=words, date=date) if date else None
