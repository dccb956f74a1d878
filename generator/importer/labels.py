"""Numbering as plans print it: 一、 （一） (一) 1. 1、 1． (1) ①, glued to the text or not, and
the line breaks it decides.

The label is kept exactly as printed (the schema's rule); the text after it starts at its first
character that is not a space. Line breaks inside a cell are layout, except before a label:
Word wraps a long cell wherever the column ends, and editors break unit names to fit a narrow
column (产业政策与法制 / 科), but a line that starts with a label (2. 3、 （二）) is a new item of
a list inside the cell and keeps its line, as docs/transcribing.md asks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CHINESE_NUMBERS = "一二三四五六七八九十百零〇"
ENCLOSED_NUMBERS = "①-⑳⑴-⒇"  # one character each: ① … ⑳ and ⑴ … ⒇, a range each (for [...])
SECTION, POINT, MEASURE, ITEM = "section", "point", "measure", "item"

_PATTERNS = (
    (SECTION, re.compile(rf"([{CHINESE_NUMBERS}]+[、．.])\s*")),
    (POINT, re.compile(rf"([（(][{CHINESE_NUMBERS}]+[）)][、．.]?)\s*")),
    # 1. 1、 1． but not 1.5亿 or 2022年: the mark must not be followed by a digit.
    (MEASURE, re.compile(r"([0-9０-９]{1,3}[.．、](?![0-9０-９]))\s*")),
    (ITEM, re.compile(rf"([（(][0-9０-９]{{1,3}}[）)]|[{ENCLOSED_NUMBERS}])\s*")),
)


@dataclass(frozen=True)
class Labelled:
    kind: str  # SECTION, POINT, MEASURE, ITEM, or "" when the text has no label
    label: str
    text: str


def split_label(text: str) -> Labelled:
    """The label at the start of `text`, if any, and the text after it."""
    for kind, pattern in _PATTERNS:
        found = pattern.match(text)
        # A bare 1. is a number, not a label; a bare 二、 is a section without a title.
        if found and (text[found.end():].strip() or kind in (SECTION, POINT)):
            return Labelled(kind, found.group(1), text[found.end():].strip())
    return Labelled("", "", text.strip())


def starts_with_label(line: str) -> bool:
    return split_label(line).kind != ""


def number_of(label: str) -> int | None:
    """1 for 1. / （一） / 一、 / ① / ⑴: used to tell a run of numbered items from a stray number,
    and to find a report's row by its measure's label."""
    digits = re.sub(r"[^0-9０-９]", "", label)
    if digits:
        return int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    core = re.sub(rf"[^{CHINESE_NUMBERS}]", "", label)
    if core:
        return chinese_number(core)
    enclosed = re.search(f"[{ENCLOSED_NUMBERS}]", label)
    if enclosed:  # their Unicode numeric values
        return int(unicodedata.numeric(enclosed.group()))
    return None


def chinese_number(text: str) -> int | None:
    values = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "零": 0, "〇": 0}
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (values.get(tens, 1) if tens else 1) * 10 + (values.get(ones, 0) if ones else 0)
    if len(text) == 1 and text in values:
        return values[text]
    return None


def join_lines(text: str) -> str:
    """A cell's lines joined where the break is only layout."""
    joined: list[str] = []
    for line in text.split("\n"):
        if not joined:
            joined.append(line)
        elif starts_with_label(line):
            joined.append(line)
        else:
            joined[-1] = glue(joined[-1], line)
    return "\n".join(joined)


def glue(before: str, after: str) -> str:
    """Two pieces of one line: Chinese joins without a space, two Latin words keep one."""
    if before and after and before[-1].isascii() and before[-1].isalnum() and after[0].isascii() and after[0].isalnum():
        return f"{before} {after}"
    return before + after


def numbered_lines(text: str) -> list[str]:
    """The lines of a cell that holds a list of items 1. 2. 3. (each line one item), else []."""
    lines = text.split("\n")
    if len(lines) < 2:
        return []
    labelled = [split_label(line) for line in lines]
    if any(item.kind != MEASURE for item in labelled):
        return []
    if [number_of(item.label) for item in labelled] != list(range(1, len(lines) + 1)):
        return []
    return lines
