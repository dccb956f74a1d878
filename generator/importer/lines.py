"""Line breaks inside a cell are layout: join them, except before a numbered item.

Word wraps a long cell wherever the column ends, and editors break unit names to fit a narrow
column (产业政策与法制 / 科牵头). A line that starts with a label (2. 3、 （二）) is a new item
of a list inside the cell and keeps its line, as docs/transcribing.md asks.
"""

from __future__ import annotations

from .labels import starts_with_label


def join_lines(text: str) -> str:
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
    from .labels import MEASURE, number_of, split_label

    lines = text.split("\n")
    if len(lines) < 2:
        return []
    labelled = [split_label(line) for line in lines]
    if any(item.kind != MEASURE for item in labelled):
        return []
    if [number_of(item.label) for item in labelled] != list(range(1, len(lines) + 1)):
        return []
    return lines
