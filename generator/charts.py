"""Bar charts for inline SVG, their geometry worked out here: pages need no script to draw them,
and the same figures always give the same bytes.

A chart is sized in em (the width and height of its <svg>) and drawn in units of a sixteenth
of an em (its viewBox), so it grows with the reader's text size (大, 特大) as the text around it
does; a screen narrower than the chart scrolls it inside its own region, as wide tables do. Text
widths are reckoned from the characters, generously (`text_width`), so that a label never
reaches a bar. Without colour the parts of a bar still differ: 已完成 is solid, 逾期 hatched,
the rest empty inside the bar's outline, and every row carries its figures in words.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

EM = 16  # drawing units to an em
ROW = 40  # one row: a bar and a line of text
BAR_HEIGHT = 20
LONGEST_BAR = 10 * EM
GAP = EM // 2
LEGEND = (("done", "已完成"), ("late", "逾期"), ("rest", "其余"))
SWATCH = EM


def text_width(text: str) -> float:
    """Drawing units a line of text may take: a wide (CJK, full-width) character an em, any
    other two thirds of one (more than digits and Latin letters take in the site's fonts)."""
    return sum(EM if unicodedata.east_asian_width(char) in "WF" else EM * 2 / 3 for char in text)


def _number(value: float) -> str:
    """A coordinate as written in the SVG: at most one decimal, no trailing zeros."""
    return f"{round(value, 1):g}"


@dataclass(frozen=True)
class Segment:
    kind: str  # done | late | rest
    x: str
    width: str


@dataclass(frozen=True)
class Row:
    label: str
    figures: str  # the row's figures in words, drawn after the longest bar
    y: str  # top of the bar
    baseline: str  # of the row's texts
    bar_width: str  # the whole bar (its outline)
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Key:
    kind: str
    label: str
    x: str  # the swatch
    text_x: str


@dataclass(frozen=True)
class Chart:
    width: str  # in em, for the <svg>'s width and height
    height: str
    view_box: str
    bar_x: str
    figures_x: str
    key_y: str
    key_baseline: str
    keys: tuple[Key, ...]
    rows: tuple[Row, ...]


def _plain(row) -> SimpleNamespace:
    """A row's figures, from a site.RecordRow or a mapping with the same keys (the component's
    examples are YAML)."""
    fields = ("label", "total", "done", "overdue", "reckoned", "share")
    if isinstance(row, Mapping):
        return SimpleNamespace(**{name: row[name] for name in fields})
    return SimpleNamespace(**{name: getattr(row, name) for name in fields})


def figures(row) -> str:
    """What a row says in words: measures, share done, overdue (— where no deadline could be held
    to a dated report)."""
    overdue = f"逾期{row.overdue}" if row.reckoned else "逾期—"
    return f"{row.total}项 · 完成{row.share}% · {overdue}"


def bar_chart(rows) -> Chart:
    """The geometry of a horizontal bar chart, one bar per row (site.RecordRow: label, total,
    done, overdue, reckoned, share): the bar's length is the row's total against the largest;
    within it the done part, then the overdue part, then the rest."""
    rows = [_plain(row) for row in rows]
    label_width = max((text_width(row.label) for row in rows), default=0)
    bar_x = label_width + GAP
    figures_x = bar_x + LONGEST_BAR + GAP
    largest = max((row.total for row in rows), default=0) or 1
    unit = LONGEST_BAR / largest
    keys, x = [], 0.0
    for kind, label in LEGEND:
        keys.append(Key(kind, label, _number(x), _number(x + SWATCH + GAP / 2)))
        x += SWATCH + GAP / 2 + text_width(label) + EM
    key_height = ROW
    drawn = []
    widest = x - EM
    for index, row in enumerate(rows):
        top = key_height + index * ROW
        done, late = row.done * unit, row.overdue * unit
        rest = row.total * unit - done - late
        segments, at = [], bar_x
        for kind, width in (("done", done), ("late", late), ("rest", rest)):
            if width > 0:
                segments.append(Segment(kind, _number(at), _number(width)))
                at += width
        words = figures(row)
        widest = max(widest, figures_x + text_width(words))
        drawn.append(Row(row.label, words, _number(top + (ROW - BAR_HEIGHT) / 2),
                         _number(top + ROW / 2 + EM * 0.35), _number(row.total * unit), tuple(segments)))
    ems = math.ceil((widest + 2) / EM * 10) / 10  # room for the outline's stroke, to a tenth of an em
    width, height = ems * EM, key_height + len(rows) * ROW
    return Chart(width=f"{ems:g}em", height=f"{_number(height / EM)}em",
                 view_box=f"0 0 {_number(width)} {_number(height)}", bar_x=_number(bar_x), figures_x=_number(figures_x),
                 key_y=_number((key_height - SWATCH) / 2), key_baseline=_number(key_height / 2 + EM * 0.35),
                 keys=tuple(keys), rows=tuple(drawn))
