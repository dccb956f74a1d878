"""Errors in content, reported to editors as file:line:column, field and message.

Every failure the tools can meet ends as one of these messages, never as a traceback:
mistakes in content are ContentError (collected into BuildFailed), problems with folders,
arguments or the disk are CannotBuild, and `failure_from` turns anything else that escapes
a build (a template error, an OSError) into the same shape for the terminal and the overlay.
"""

from __future__ import annotations

import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SHOWN_CHARACTERS = 60  # a value echoed in a message is cut to this many characters
MESSAGE_LIMIT = 400  # and no message grows past this, whatever it quotes


@dataclass
class ContentError(Exception):
    """One mistake in one content file (line 0: the file or folder as a whole)."""

    path: Path | None
    line: int
    column: int
    field: str | None
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:
            self.message = self.message[:MESSAGE_LIMIT] + "…"

    def __str__(self) -> str:
        field = f" [{self.field}]" if self.field else ""
        where = self.where
        return f"{where}:{field} {self.message}" if where else f"{field.strip()} {self.message}".strip()

    @property
    def where(self) -> str:
        parts = [str(self.path)] if self.path is not None else []
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __reduce__(self):
        """Errors cross process boundaries (the build reads files in worker processes)."""
        return (type(self), (self.path, self.line, self.column, self.field, self.message))

    def as_dict(self) -> dict:
        return {
            "file": str(self.path) if self.path is not None else "",
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

    def __str__(self) -> str:  # so a failing test or a log shows what was wrong, not just how much
        return self.report()

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        lines.append(f"构建失败：内容中有 {len(self.errors)} 处错误（build failed: {len(self.errors)} error(s)）")
        return "\n".join(lines)


class CannotBuild(Exception):
    """Arguments, folders or the disk do not allow the build: one message, nothing changed."""


def shorten(value, limit: int = SHOWN_CHARACTERS) -> str:
    """A value as a message quotes it: invisible characters named, long text cut.

    A registry file that is really /etc/passwd, or a 1 MB title, must not flood the terminal
    (or the browser overlay of `serve`) with its text.
    """
    text = value if isinstance(value, str) else repr(value)
    shown = "".join(_visible(character) for character in text[: limit + 1])
    if len(text) > limit:
        return shown[:limit] + f"…（共 {len(text)} 字）"
    return shown


def _visible(character: str) -> str:
    if character == "\t" or unicodedata.category(character) not in ("Cc", "Cf", "Zl", "Zp"):
        return character
    return f"<U+{ord(character):04X}>"


def character_name(character: str) -> str:
    """U+2028 LINE SEPARATOR: how a message names a character nobody can see."""
    fallback = {0x85: "NEXT LINE (NEL)", 0x7F: "DELETE"}.get(ord(character), "CONTROL CHARACTER")
    return f"U+{ord(character):04X} {unicodedata.name(character, fallback)}"


def failure_from(error: BaseException) -> BuildFailed:
    """Any failure of a build as a list of editors' messages, with file and line where known."""
    if isinstance(error, BuildFailed):
        return error
    if isinstance(error, ContentError):
        return BuildFailed([error])
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        path = Path(error.filename or error.name or "templates")
        return BuildFailed([ContentError(path, error.lineno or 0, 0, None,
                                         f"模板语法错误：{shorten(error.message or '', 200)}（template syntax error）")])
    if isinstance(error, jinja2.TemplateError):
        path, line = _template_frame(error)
        return BuildFailed([ContentError(path, line, 0, None,
                                         f"模板错误：{shorten(str(error), 200)}（template error）")])
    if isinstance(error, CannotBuild):
        return BuildFailed([ContentError(None, 0, 0, None, str(error))])
    if isinstance(error, OSError):
        path = Path(error.filename) if error.filename else None
        return BuildFailed([ContentError(path, 0, 0, None, f"无法读写：{error.strerror or error}（{type(error).__name__}）")])
    return BuildFailed([ContentError(None, 0, 0, None, internal_error(error))])


def internal_error(error: BaseException) -> str:
    """The one line shown for a failure nobody foresaw: a bug to report, not a crash to read."""
    return (f"内部错误（internal error）：{type(error).__name__}: {shorten(str(error), 200)}；"
            "请把这条消息和所用的文件报告给维护者")


def _template_frame(error: BaseException) -> tuple[Path | None, int]:
    """Jinja2 rewrites tracebacks so template lines appear as frames of the template file."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".htm", ".txt", ".xml", ".js")):
            return Path(frame.filename), frame.lineno or 0
    return None, 0
