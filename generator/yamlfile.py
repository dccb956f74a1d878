"""Read one YAML content file into plain data plus the line and column of every value.

Editors need errors that point at a line, so we build the data ourselves from libyaml's
event stream instead of calling yaml.safe_load, and remember where each value came from.

The YAML dialect is deliberately narrow: only `true`/`false` are booleans, only
plain digits are integers, and everything else stays a string. Labels such as
`1.` (a float in YAML 1.1) and dates such as `2018-07-26` therefore arrive as
the text the editor typed.

Reading is bounded, whatever the file: only regular files inside the content folder are
opened (never a FIFO, a device, or a symlink's target outside), at most SIZE_LIMIT bytes
are read, nesting stops at DEPTH_LIMIT, and aliases may repeat at most ALIAS_LIMIT values
in all, so a 500-byte "billion laughs" file is refused at its first big alias instead of
growing without end. The data is built with an explicit stack, so no input can exhaust
Python's (or libyaml's composer's C) recursion.
"""

from __future__ import annotations

import copy
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import invisible
from .errors import ContentError
from .messages import character_name

DataPath = tuple  # a path into the data: keys and list indexes

SIZE_LIMIT = 20 * 1024 * 1024  # bytes in one content file
DEPTH_LIMIT = 64  # nested lists and mappings (a plan needs about ten)
VALUE_LIMIT = 1_000_000  # values in one file, aliases included
ALIAS_LIMIT = 10_000  # values repeated through aliases in one file

_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when present: ten times faster

_INT = re.compile(r"-?[0-9]+")
_NULL = re.compile(r"~|null|")
_BOOL = re.compile(r"true|false")
_STR_TAG, _INT_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_BOOL_TAG, _NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

# Of the characters nobody sees (generator/invisible.py), a YAML file may hold a tab and its
# own line breaks. NEL, U+2028 and U+2029 stay refused: YAML counts them as line breaks where
# editors do not, so they would shift every line number after them.
ALLOWED_INVISIBLE = "\t\n\r"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class YamlFile:
    """A parsed file: its data and where each value stands in the text."""

    path: Path
    data: object
    positions: dict | None = field(default_factory=dict)  # DataPath -> (line, column), 1-based
    key_positions: dict | None = field(default_factory=dict)  # DataPath of a mapping key -> (line, column)
    root: Path | None = None  # the content folder it was read from

    def where(self, path: DataPath, key: bool = False) -> tuple[int, int]:
        """Position of the value at `path`, or of its nearest ancestor we know."""
        if self.positions is None:  # read without positions: read again, now that a message needs one
            again = load(self.path, self.root)
            self.positions, self.key_positions = again.positions, again.key_positions
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


# What the parser's English usually means: (words in its message, the kind of message that
# tells it in Chinese with what to do; messages.py). The first match wins.
_SYNTAX_KINDS = (
    ("mapping values are not allowed", "yaml-colon-in-text"),
    (" tab", "yaml-tab"),
    ("could not find expected ':'", "yaml-missing-colon"),
    ("did not find expected key", "yaml-keys-not-aligned"),
    ("did not find expected '-' indicator", "yaml-items-not-aligned"),
    ("did not find expected ',' or", "yaml-unclosed-bracket"),
    ("expected <block end>", "yaml-block-not-aligned"),
    ("end of stream", "yaml-unclosed-quote"),
    ("unknown escape", "yaml-bad-escape"),
    ("undefined alias", "yaml-undefined-alias"),
    ("cannot start any token", "yaml-bad-first-character"),
    ("", "yaml-syntax"),  # anything else
)


def syntax_error(path: Path, line: int, column: int, problem: str, character: str = "") -> ContentError:
    """A YAML syntax error in Chinese with a hint; the parser's own words kept in brackets.
    `character` is the one the parser stopped at (a Tab tells its own story)."""
    lowered = problem.lower() + (" tab" if character == "\t" else "")
    kind = next(kind for words, kind in _SYNTAX_KINDS if words in lowered)
    return ContentError(path, line, column, None, kind=kind, values={"problem": problem})


def read_bytes(path: Path, root: Path | None = None, limit: int = SIZE_LIMIT) -> bytes:
    """The bytes of `path` if it is a regular file inside `root` and within `limit`.

    Anything else is a ContentError naming the file and what it is, never its contents:
    a symlink out of the content folder may point at /etc/passwd.
    """
    if root is not None:
        _require_inside(path, root)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _whole_file(path, "broken-link" if os.path.islink(path) else "file-not-found") from None
    except OSError as error:
        raise _whole_file(path, "cannot-read", detail=error.strerror) from None
    _require_regular(path, info.st_mode)
    _require_small(path, info.st_size, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise _whole_file(path, "cannot-read", detail=error.strerror) from None
    with os.fdopen(descriptor, "rb") as handle:
        _require_regular(path, os.fstat(descriptor).st_mode)  # it may have been swapped since stat
        data = handle.read(limit + 1)
    _require_small(path, len(data), limit)
    return data


def _require_inside(path: Path, root: Path) -> None:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        raise _whole_file(path, "symlink-loop") from None
    if not real.is_relative_to(root.resolve()):
        raise _whole_file(path, "link-outside-content", target=real)


def _require_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise _whole_file(path, "a-folder")
    if not stat.S_ISREG(mode):
        raise _whole_file(path, "a-fifo" if stat.S_ISFIFO(mode) else "a-device")


def _require_small(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise _whole_file(path, "file-too-large", megabytes=limit // (1024 * 1024))


def _whole_file(path: Path, kind: str, **values) -> ContentError:
    return ContentError(path, 0, 0, None, kind=kind, values=values)


def decode(path: Path, raw: bytes) -> str:
    """Decode a content file as UTF-8, naming the likely cause when it is not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ContentError(path, line, column, None,
                           kind="gbk-not-utf8" if _is_gb18030(raw) else "not-utf8") from None
    _refuse_invisible(path, text)
    return text


def _is_gb18030(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_invisible(path: Path, text: str) -> None:
    """Name the first invisible character by code point, at the line an editor shows it on."""
    found = invisible.first(text, ALLOWED_INVISIBLE)
    if found is None:
        return
    before = text[:found]
    line = len(_LINE_BREAK.findall(before)) + 1
    last_break = max(before.rfind("\n"), before.rfind("\r"))
    column = found - last_break
    raise ContentError(path, line, column, None, kind="invisible-character",
                       values={"name": character_name(text[found])})


def load(path: Path, root: Path | None = None, positions: bool = True, raw: bytes | None = None) -> YamlFile:
    """Parse `path` (which must lie inside `root` when given); raise ContentError for any problem.

    Without `positions` the line and column of each value are not kept (a valid file never needs
    them, and the build reads thousands); where() reads the file again if a message asks.
    `raw`: the file's bytes, already read by read_bytes."""
    text = decode(path, read_bytes(path, root) if raw is None else raw)
    document = _Builder(path, record=positions).build(text)
    document.root = root
    if not positions:
        document.positions = document.key_positions = None
    return document


def parse(text: str, path: Path) -> YamlFile:
    """YAML text not yet on disk (a draft `build.py import` is about to write), read as `load`
    reads a file, so it can be checked before it is written."""
    return _Builder(path, record=True).build(text)


class _Frame:
    """A list or mapping being filled, with what its anchor needs when it closes."""

    __slots__ = ("container", "path", "anchor", "first_value", "first_mark", "key")

    def __init__(self, container, path, anchor, first_value, first_mark):
        self.container, self.path, self.anchor = container, path, anchor
        self.first_value, self.first_mark = first_value, first_mark
        self.key = None  # a mapping's key waiting for its value


@dataclass
class _Anchored:
    value: object
    path: DataPath
    marks: tuple[int, int]  # slice of the builder's marks
    size: int  # values it stands for, its own aliases included


class _Builder:
    """Builds data and positions from YAML events with an explicit stack and counted aliases."""

    def __init__(self, path: Path, record: bool = True):
        self.path = path
        self.record = record  # keep every value's position (else only what anchors and errors need)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored | None] = {}  # None: still open (an alias to it is a loop)
        self.marks: list[tuple[bool, DataPath, tuple[int, int]]] = []  # (is key, path, position), in order
        self.values = 0
        self.repeated = 0
        self.root = None
        self.documents = 0

    def build(self, text: str) -> YamlFile:
        parser = _Parser(text)
        node_events = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
        end_events = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
        try:
            get_event = parser.get_event
            while (event := get_event()) is not None:
                kind = type(event)
                if kind in node_events:  # the common case first: a plan file is mostly values
                    self.node(event)
                elif kind in end_events:
                    self.close()
                else:
                    self.event(event)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = error.problem or error.context or ""
            lines = text.splitlines()
            at = lines[line - 1][column - 1:column] if mark and line <= len(lines) else ""
            raise syntax_error(self.path, line, column, problem, at) from None
        except yaml.YAMLError as error:
            raise syntax_error(self.path, 1, 1, str(error)) from None
        finally:
            parser.dispose()
        result = YamlFile(path=self.path, data=self.root)
        for is_key, path, position in self.marks:
            (result.key_positions if is_key else result.positions)[path] = position
        return result

    def error(self, event, kind: str, field_path: DataPath | None = None, **values) -> ContentError:
        mark = event.start_mark
        return ContentError(self.path, mark.line + 1, mark.column + 1,
                            dotted(field_path) if field_path else None, kind=kind, values=values)

    def event(self, event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.error(event, "second-document")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.close()
        elif isinstance(event, yaml.NodeEvent):
            self.node(event)

    def node(self, event) -> None:
        frame = self.stack[-1] if self.stack else None
        mapping = frame is not None and type(frame.container) is dict
        if mapping and frame.key is None:
            self.key(frame, event)
            return
        if frame is None:
            path = ()
        elif mapping:
            path = frame.path + (frame.key,)
        else:
            path = frame.path + (len(frame.container),)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self.values += 1
            if self.values > VALUE_LIMIT:
                self.count(event, 0)
            if self.record or event.anchor is not None:
                self.marks.append((False, path, (event.start_mark.line + 1, event.start_mark.column + 1)))
            value = self.scalar(event, path)
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchored(value, path, (len(self.marks) - 1, len(self.marks)), 1)
        elif kind is yaml.AliasEvent:
            value = self.alias(event, path)
        else:
            value = self.open(event, path, (event.start_mark.line + 1, event.start_mark.column + 1))
        if frame is None:
            self.root = value
        elif mapping:
            frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)

    def key(self, frame: _Frame, event) -> None:
        if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None:
            raise self.error(event, "key-not-plain")
        key = event.value
        child = frame.path + (key,)
        if key in frame.container:
            raise self.error(event, "duplicate-key", child, key=key)
        if self.record or self.anchors:
            self.marks.append((True, child, (event.start_mark.line + 1, event.start_mark.column + 1)))
        frame.key = key

    def open(self, event, path: DataPath, position) -> list | dict:
        if len(self.stack) >= DEPTH_LIMIT:
            raise self.error(event, "too-deep", limit=DEPTH_LIMIT)
        if event.tag not in _COLLECTION_TAGS:
            raise self.error(event, "unsupported-tag", tag=event.tag)
        self.count(event, 1)
        container = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.marks.append((False, path, position))
        if event.anchor is not None:
            self.anchors[event.anchor] = None
        self.stack.append(_Frame(container, path, event.anchor, self.values - 1, len(self.marks) - 1))
        return container

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = _Anchored(
                frame.container, frame.path, (frame.first_mark, len(self.marks)), self.values - frame.first_value)

    def alias(self, event, path: DataPath):
        """A copy of the anchored value under `path`, its positions re-rooted, counted first."""
        if event.anchor not in self.anchors:
            raise self.error(event, "undefined-alias", anchor=event.anchor)
        anchored = self.anchors[event.anchor]
        if anchored is None:
            raise self.error(event, "recursive-alias", anchor=event.anchor)
        self.repeated += anchored.size
        if self.repeated > ALIAS_LIMIT:
            raise self.error(event, "alias-bomb", limit=ALIAS_LIMIT)
        self.count(event, anchored.size)
        if len(self.stack) + _depth(anchored.value) > DEPTH_LIMIT:
            raise self.error(event, "too-deep", limit=DEPTH_LIMIT)
        start, end = anchored.marks
        cut = len(anchored.path)
        for is_key, old_path, position in self.marks[start:end]:
            self.marks.append((is_key, path + old_path[cut:], position))
        self.marks.append((False, path, (event.start_mark.line + 1, event.start_mark.column + 1)))
        return copy.deepcopy(anchored.value)

    def count(self, event, values: int) -> None:
        self.values += values
        if self.values > VALUE_LIMIT:
            raise self.error(event, "too-many-values", limit=VALUE_LIMIT)

    def scalar(self, event, path: DataPath):
        """A scalar's value from its tag, or from the narrow implicit rules above when untagged."""
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value
            if value == "true" or value == "false":
                return value == "true"
            if _INT.fullmatch(value):
                return int(value)
            if value in ("", "~", "null"):
                return None
            return value
        if tag == _STR_TAG:
            return value
        if tag == _INT_TAG and _INT.fullmatch(value):
            return int(value)
        if tag == _BOOL_TAG and _BOOL.fullmatch(value):
            return value == "true"
        if tag == _NULL_TAG and _NULL.fullmatch(value):
            return None
        raise self.error(event, "unsupported-tagged-value", path, tag=tag, value=value)


def _depth(value) -> int:
    """Nesting depth of built data (bounded: it was built under DEPTH_LIMIT)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def dotted(path) -> str:
    """`sections[2].measures[0].text`: how we name a field in messages."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += ("." if text else "") + str(step)
    return text
