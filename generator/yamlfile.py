"""Read one YAML content file into plain data plus the line and column of every value.

Editors need errors that point at a line, so we compose the YAML node tree ourselves
instead of calling yaml.safe_load, and remember where each value came from.

The YAML dialect is deliberately narrow: only `true`/`false` are booleans, only
plain digits are integers, and everything else stays a string. Labels such as
`1.` (a float in YAML 1.1) and dates such as `2018-07-26` therefore arrive as
the text the editor typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError

DataPath = tuple  # a path into the data: keys and list indexes


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


_INTEGER = re.compile(r"-?[0-9]+")
_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null"))


class _ContentLoader(_BaseLoader):
    """SafeLoader with a small, predictable set of implicit types.

    libyaml asks `resolve` for the tag of every value; PyYAML's general resolver (a table of
    regular expressions per first character) is a third of the parsing time, so the four
    rules are written out here."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted: always text
            if value in ("true", "false"):
                return _BOOL
            if value in ("", "~", "null"):
                return _NULL
            return _INT if _INTEGER.fullmatch(value) else _STR
        return super().resolve(kind, value, implicit)


@dataclass
class YamlFile:
    """A parsed file: its data and where each value stands in the text."""

    path: Path
    data: object
    positions: dict | None = field(default_factory=dict)  # DataPath -> (line, column), 1-based
    key_positions: dict | None = field(default_factory=dict)  # DataPath of a mapping key -> (line, column)

    def where(self, path: DataPath, key: bool = False) -> tuple[int, int]:
        """Position of the value at `path`, or of its nearest ancestor we know."""
        if self.positions is None:  # read without positions: read again, now that a message needs one
            again = load(self.path)
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


def decode(path: Path, raw: bytes) -> str:
    """Decode a content file as UTF-8, naming the likely cause when it is not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "；它看起来是 GBK/GB18030 编码，请在编辑器中以 UTF-8 编码另存"
        except UnicodeDecodeError:
            pass
        raise ContentError(
            path, line, column, None,
            f"文件不是 UTF-8 编码{hint}（file is not UTF-8{', it looks like GBK' if hint else ''}）",
        ) from None


def load(path: Path, positions: bool = True) -> YamlFile:
    """Parse `path`; raise ContentError for unreadable text or YAML syntax errors.

    Without `positions` the line and column of each value are not recorded (a valid file never
    needs them; the build reads thousands); where() reads the file again if a message asks."""
    text = decode(path, path.read_bytes())
    try:
        node = yaml.compose(text, Loader=_ContentLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "YAML 语法错误"
        raise ContentError(path, line, column, None, f"YAML 语法错误：{problem}") from None
    except yaml.YAMLError as error:  # pragma: no cover - reader errors without marks
        raise ContentError(path, 1, 1, None, f"YAML 语法错误：{error}") from None
    result = YamlFile(path=path, data=None, positions={} if positions else None,
                      key_positions={} if positions else None)
    if node is None:
        return result
    result.data = _construct(node, (), result)
    return result


def _construct(node, path: DataPath, out: YamlFile):
    if out.positions is not None:
        out.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(
                    out.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    None, "字段名必须是简单文字（a key must be plain text）",
                )
            key = key_node.value
            child = path + (key,)
            if key in mapping:
                raise ContentError(
                    out.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    dotted(child), f"字段“{key}”重复出现（duplicate key）",
                )
            if out.key_positions is not None:
                out.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            mapping[key] = _construct(value_node, child, out)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, path + (index,), out) for index, item in enumerate(node.value)]
    return _scalar(node, out)


def _scalar(node, out: YamlFile):
    """A scalar's value from the tag the resolver gave it (only the narrow set above)."""
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag == "tag:yaml.org,2002:int":
        return int(value)
    if tag == "tag:yaml.org,2002:bool":
        return value == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    raise ContentError(
        out.path, node.start_mark.line + 1, node.start_mark.column + 1, None,
        f"不支持的 YAML 标签 {tag}（unsupported YAML tag）；请直接写文字",
    )


def dotted(path) -> str:
    """`sections[2].measures[0].text`: how we name a field in messages."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += ("." if text else "") + str(step)
    return text
