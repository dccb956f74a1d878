"""The message catalogue (generator/messages.py) against the code that raises its messages.

Kinds are found by reading the source: the kind argument of every call that names one
(ContentError(kind=…), CannotBuild(kind, …), Message(kind, …), messages.text(kind, …), the
readers' self.error(where, kind, …) and _whole_file(path, kind, …)), and the kinds of tables
named *_KINDS. A kind computed at run time comes from one of those.
"""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from generator import invisible, messages
from generator.errors import MESSAGE_LIMIT, CannotBuild, ContentError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "generator").rglob("*.py")) + [ROOT / "build.py"]

# callee → where its kind stands among the positional arguments (None: only as kind=)
KIND_ARGUMENT = {"ContentError": None, "CannotBuild": 0, "Message": 0, "text": 0, "error": 1, "_whole_file": 1,
                 "_report_error": 3}
VALUES_AS_KEYWORDS = {"CannotBuild", "error", "_whole_file", "_report_error"}  # the others take a dict


def _callee(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        owner, name = function.value.id, function.attr
        if (name, owner) in (("text", "messages"), ("error", "self")):
            return name
    return None


def _literals(node) -> set[str] | None:
    """The kinds an argument can be: a string, or either string of a conditional; None if computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _kind_node(call: ast.Call, name: str):
    for keyword in call.keywords:
        if keyword.arg == "kind":
            return keyword.value
    position = KIND_ARGUMENT[name]
    return call.args[position] if position is not None and len(call.args) > position else None


def _given_values(call: ast.Call, name: str) -> set[str] | None:
    """The names of the values a call passes, when it spells them all out."""
    if name in VALUES_AS_KEYWORDS:
        if any(keyword.arg is None for keyword in call.keywords):
            return None
        return {keyword.arg for keyword in call.keywords} - {"kind", "suggestions"}
    given = next((keyword.value for keyword in call.keywords if keyword.arg == "values"), None)
    if given is None and name == "text" and len(call.args) > 1:
        given = call.args[1]
    if given is None:
        return set()
    if isinstance(given, ast.Dict) and all(isinstance(key, ast.Constant) for key in given.keys):
        return {key.value for key in given.keys}
    return None


def _raised():
    """(file:line, kind, names of the values given or None) for every kind named in the source."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (name := _callee(node)) in KIND_ARGUMENT:
                kinds = _literals(_kind_node(node, name))
                # A Message may be finished where it is used (output.py adds the output folder).
                given = None if name == "Message" else _given_values(node, name)
                found += [(f"{where}:{node.lineno}", kind, given) for kind in kinds or ()]
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_KINDS")
                                                      for t in node.targets):
                found += [(f"{where}:{row.lineno}", row.elts[-1].value, None) for row in node.value.elts
                          if isinstance(row, ast.Tuple) and isinstance(row.elts[-1], ast.Constant)]
    return found


def _placeholders(kind: str) -> dict[str, str]:
    """The names a kind's message quotes, each with its spec (`、.40`: a list, each item cut at 40)."""
    entry = messages.CATALOGUE[kind]
    templates = [entry.text, entry.hint, entry.otherwise] if isinstance(entry, messages.Hinted) else [entry]
    found = {name: spec for template in templates for _, name, spec, _ in string.Formatter().parse(template) if name}
    return {name: spec for name, spec in found.items() if name not in ("hint", "suggestions")}


RAISED = _raised()


def test_the_source_is_read():  # so that the tests below cannot pass by finding nothing
    assert len({kind for _, kind, _ in RAISED}) > 100
    assert any(kind == "unknown-unit" for _, kind, _ in RAISED)
    assert any(kind == "yaml-tab" for _, kind, _ in RAISED)  # from yamlfile._SYNTAX_KINDS


def test_every_kind_raised_is_in_the_catalogue():
    missing = sorted(f"{where}: {kind}" for where, kind, _ in RAISED if kind not in messages.CATALOGUE)
    assert not missing, "kinds with no message in generator/messages.py:\n" + "\n".join(missing)


def test_every_message_in_the_catalogue_is_used():
    unused = sorted(set(messages.CATALOGUE) - {kind for _, kind, _ in RAISED})
    assert not unused, f"messages nothing raises: {unused}"


def test_every_raise_gives_the_values_its_message_quotes():
    short = sorted(f"{where}: {kind} lacks {', '.join(sorted(set(_placeholders(kind)) - given))}"
                   for where, kind, given in RAISED
                   if given is not None and kind in messages.CATALOGUE and set(_placeholders(kind)) - given)
    assert not short, "\n".join(short)


@pytest.mark.parametrize("kind", sorted(messages.CATALOGUE))
def test_every_message_formats_with_its_values(kind):
    """Each value stands in the text (a list's items too); a hint appears only with suggestions."""
    placeholders = _placeholders(kind)
    values = {name: (f"‹{name}›",) if spec.partition(".")[0] else f"‹{name}›" for name, spec in placeholders.items()}
    hinted = isinstance(messages.CATALOGUE[kind], messages.Hinted)
    for suggestions in ((), ("甲", "乙")):
        text = messages.compose(kind, values, suggestions)  # a value missing from `values` raises KeyError
        shown = {name for name in placeholders if f"‹{name}›" in text}
        in_otherwise = {name for name in placeholders if hinted and f"{{{name}" in messages.CATALOGUE[kind].otherwise}
        assert shown == set(placeholders) - (in_otherwise if suggestions else set()), text
        assert ("甲、乙" in text) == bool(hinted and suggestions), text


def test_suggestions_become_the_hint_when_the_message_is_shown():
    error = ContentError(Path("plans/a.yaml"), 3, 5, "issuer", kind="unknown-issuer", values={"name": "市财正局"},
                         suggestions=("市财政局", "中山市财政局"))
    assert str(error) == ("plans/a.yaml:3:5: [issuer] 发布机构“市财正局”在登记册中找不到（unknown issuer）"
                          "；最接近的登记名称：市财政局、中山市财政局")
    unsuggested = ContentError(None, 0, 0, None, kind="unknown-issuer", values={"name": "甲"})
    assert unsuggested.message.endswith("（unknown issuer）")
    assert str(CannotBuild("unknown-unit-id", ("zs-czj",), id="zs-cz")).endswith("；您是否想写 zs-czj？")


def test_a_megabyte_quoted_in_a_message_is_cut():
    huge = "长" * 1_000_000
    error = ContentError(Path("plans/a.yaml"), 2, 1, "kind", kind="enum", values={"value": huge, "choices": ("分工方案",)})
    assert len(error.message) < 200 and "…（共 1000000 字）" in error.message
    assert len(str(CannotBuild("bad-plan-id", id=huge))) < 200
    assert "<U+2028>" in ContentError(None, 0, 0, None, kind="duplicate-key", values={"key": "a\u2028b"}).message


def test_no_message_grows_past_the_limit_but_cannot_build_says_everything():
    many = "\n".join(f"plans/{i}.yaml: 错误" for i in range(100))
    error = ContentError(None, 0, 0, None, kind="registry-has-errors", values={"errors": many})
    assert len(error.message) == MESSAGE_LIMIT + 1 and error.message.endswith("…")
    assert str(CannotBuild("registry-has-errors", errors=many)).endswith("plans/99.yaml: 错误")


def test_errors_keep_their_message_across_processes():
    error = ContentError(Path("a.yaml"), 1, 2, "x", kind="unknown-unit", values={"name": "甲"}, subject="x",
                         suggestions=("乙",))
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
    refusal = CannotBuild("output-busy", target=Path("/srv/site"))
    again = pickle.loads(pickle.dumps(refusal))
    assert str(again) == str(refusal) == "另一个构建正在写入 /srv/site：请等它结束后再试（another build is writing to it）"


def test_a_value_missing_still_gives_a_message_not_a_traceback():
    assert "unknown-unit" in messages.text("unknown-unit", {})
    with pytest.raises(KeyError):
        messages.compose("unknown-unit", {})


@pytest.mark.parametrize("kind", sorted(messages.CATALOGUE))
def test_every_message_names_what_nobody_sees_and_cuts_what_it_quotes(kind):
    """A value of escape sequences and 40,000 characters, as text and as a path: the message
    carries no control character (a `!s` value keeps its line breaks) and, `!s` aside, each value
    takes no more room than its limit and the count of the rest."""
    hostile = "\x1b[31m" + "长" * 40_000 + "\u202e\x07"
    rest = len(f"…（共 {len(hostile)} 字）")
    entry = messages.CATALOGUE[kind]
    templates = [entry.text, entry.hint, entry.otherwise] if isinstance(entry, messages.Hinted) else [entry]
    parsed = [part for template in templates for part in string.Formatter().parse(template)]
    fields = [(name, spec, conversion) for _, name, spec, conversion in parsed if name]
    in_full = any(conversion == "s" for _, _, conversion in fields)
    for as_path in (False, True):
        values = {name: (hostile, hostile) if spec.partition(".")[0] else Path(hostile) if as_path else hostile
                  for name, spec, _ in fields if name not in ("hint", "suggestions")}
        text = messages.compose(kind, values, (hostile,))
        assert invisible.first(text, "\n") is None, f"{kind}: {text[:200]!r}"
        assert "<U+001B>[31m" in text or not values, text[:200]
        if in_full:
            continue
        room = sum(len(literal) for literal, *_ in parsed)
        for name, spec, _ in fields:
            separator, _, limit = spec.partition(".")
            default = messages.PATH_CHARACTERS if as_path and not separator else messages.SHOWN_CHARACTERS
            room += (2 if separator or name == "suggestions" else 1) * ((int(limit) if limit else default) + rest + 1)
        assert len(text) <= room, f"{kind}: {len(text)} characters, room for {room}"
