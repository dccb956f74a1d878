"""Errors in content, reported to editors as file:line:column, field and message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class ContentError(Exception):
    """One mistake in one content file."""

    path: Path
    line: int
    column: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"

    def __reduce__(self):
        """Errors cross process boundaries (the build reads files in worker processes)."""
        return (type(self), (self.path, self.line, self.column, self.field, self.message))

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class BuildFailed(Exception):
    """The content has errors; all of them are collected here, in file order."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line, e.column, e.message))
        super().__init__(f"{len(self.errors)} error(s) in content")

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        lines.append(f"构建失败：内容中有 {len(self.errors)} 处错误（build failed: {len(self.errors)} error(s)）")
        return "\n".join(lines)
