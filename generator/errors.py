"""Errors in content, reported to editors as file:line:column, field and message.

Every failure the tools can meet ends as one of these messages, never as a traceback:
mistakes in content are ContentError (collected into BuildFailed), problems with folders,
arguments or the disk are CannotBuild, and `failure_from` turns anything else that escapes
a build (a template error, an OSError) into the same shape for the terminal and the overlay.
An error carries its kind and values; its words come from the catalogue in messages.py.
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import messages
from .messages import Message

MESSAGE_LIMIT = 400  # no message grows past this, whatever it quotes
FIELD_LIMIT = 120  # a field's name holds keys from content: cut like a value


@dataclass
class ContentError(Exception):
    """One mistake in one content file (line 0: the file or folder as a whole)."""

    path: Path | None
    line: int
    column: int
    field: str | None
    # What went wrong, for code that acts on errors (the overlay, the dedupe in schema.check):
    # kind names the rule (unknown-field, required, type, enum, pattern, date, …) and with it the
    # message in messages.CATALOGUE, values what the message quotes, subject the field a rule is
    # about (the missing one, the unknown one), suggestions what the editor may have meant.
    kind: str
    values: dict = dataclasses.field(default_factory=dict)
    subject: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        text = messages.text(self.kind, self.values, self.suggestions)
        return text[:MESSAGE_LIMIT] + "…" if len(text) > MESSAGE_LIMIT else text

    def __str__(self) -> str:
        field = f" [{messages.shorten(self.field, FIELD_LIMIT)}]" if self.field else ""
        where = self.where
        return f"{where}:{field} {self.message}" if where else f"{field.strip()} {self.message}".strip()

    @property
    def where(self) -> str:
        """file:line:column, the file as messages show a path (cut, invisible characters named)."""
        parts = [messages.shown_path(self.path)] if self.path is not None else []
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __reduce__(self):
        """Errors cross process boundaries (the build reads files in worker processes)."""
        return (type(self), (self.path, self.line, self.column, self.field, self.kind, self.values,
                             self.subject, self.suggestions))

    def as_dict(self) -> dict:
        return {
            "file": str(self.path) if self.path is not None else "",
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "kind": self.kind,
            "suggestions": list(self.suggestions),
        }


class BuildFailed(Exception):
    """The content has errors; all of them are collected here, in file order."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line, e.column, e.message))
        super().__init__(f"{len(self.errors)} error(s) in content")

    def __str__(self) -> str:  # so a failing test or a log shows what was wrong, not just how much
        return self.report()

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        lines.append(f"构建失败：内容中有 {len(self.errors)} 处错误（build failed: {len(self.errors)} error(s)）")
        return "\n".join(lines)


class CannotBuild(Exception):
    """Arguments, folders or the disk do not allow the build: one message, nothing changed.

    Raised as CannotBuild(kind, **values); str() is the whole message (build.py prints it)."""

    def __init__(self, kind: str, suggestions=(), **values):
        super().__init__(kind)
        self.kind, self.values, self.suggestions = kind, values, tuple(suggestions)

    def __str__(self) -> str:
        return messages.text(self.kind, self.values, self.suggestions)

    def __reduce__(self):
        return (_cannot_build, (type(self), self.kind, self.values, self.suggestions))


def _cannot_build(cls, kind: str, values: dict, suggestions: tuple) -> CannotBuild:
    return cls(kind, suggestions, **values)


def failure_from(error: BaseException) -> BuildFailed:
    """Any failure of a build as a list of editors' messages, with file and line where known."""
    if isinstance(error, BuildFailed):
        return error
    if isinstance(error, ContentError):
        return BuildFailed([error])
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        path = Path(error.filename or error.name or "templates")
        return BuildFailed([ContentError(path, error.lineno or 0, 0, None, kind="template-syntax-error",
                                         values={"detail": error.message or ""})])
    if isinstance(error, jinja2.TemplateError):
        path, line = _template_frame(error)
        return BuildFailed([ContentError(path, line, 0, None, kind="template-error", values={"detail": str(error)})])
    if isinstance(error, CannotBuild):
        return BuildFailed([ContentError(None, 0, 0, None, kind=error.kind, values=error.values,
                                         suggestions=error.suggestions)])
    if isinstance(error, OSError):
        path = Path(error.filename) if error.filename else None
        return BuildFailed([ContentError(path, 0, 0, None, kind="cannot-read-or-write",
                                         values={"detail": error.strerror or str(error),
                                                 "error_type": type(error).__name__})])
    unforeseen = internal_error(error)
    return BuildFailed([ContentError(None, 0, 0, None, kind=unforeseen.kind, values=unforeseen.values)])


def internal_error(error: BaseException) -> Message:
    """The one line shown for a failure nobody foresaw: a bug to report, not a crash to read."""
    return Message("internal-error", {"error_type": type(error).__name__, "detail": str(error)})


def _template_frame(error: BaseException) -> tuple[Path | None, int]:
    """Jinja2 rewrites tracebacks so template lines appear as frames of the template file."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".htm", ".txt", ".xml", ".js")):
            return Path(frame.filename), frame.lineno or 0
    return None, 0
