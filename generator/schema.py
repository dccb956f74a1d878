"""Validate content files against the JSON Schemas shipped in schema/.

The same schema files serve editors' editors (completion, inline checks through the
`# yaml-language-server: $schema=...` line) and the build, so the rules live in one place.
This module turns jsonschema's findings into messages an editor can act on.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import jsonschema

from .errors import ContentError, shorten
from .model import ROLE_FOR_WORD
from .yamlfile import YamlFile, dotted

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_real_date(value) -> bool:
    """`format: date`: a YYYY-MM-DD that exists on the calendar (2022-02-30 does not).

    Text of another shape passes here: the schema's pattern reports it with its own message.
    Both validators use this one function, so they cannot disagree.
    """
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date")(is_real_date)
FORMATS.checks("partial-date")(is_real_date)  # 2021 and 2021-03 pass; 2021-02-30 does not


# The one draft both validators read; tests/test_build.py (test_schemas_use_draft_7_alone) refuses
# keywords outside it.
DRAFT = jsonschema.Draft7Validator


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    DRAFT.check_schema(schema)
    return DRAFT(schema, format_checker=FORMATS)


@lru_cache(maxsize=None)
def fast_validator(name: str):
    """The same schema compiled to Python by fastjsonschema: about fifty times faster.

    It answers only "valid or not"; when a file is not valid, jsonschema explains every error.
    Both read the schema as it is (draft 7). fastjsonschema would write each `default` into the
    data it checks; it is told not to, so checking never changes what the editor wrote.
    """
    return fastjsonschema.compile(validator(name).schema, formats={"date": is_real_date, "partial-date": is_real_date},
                                  use_default=False)


def check(document: YamlFile, name: str) -> list[ContentError]:
    """Every schema violation in `document`, each with its line, column and field."""
    try:
        fast_validator(name)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = []
    for error in validator(name).iter_errors(document.data):
        errors.extend(_explain(document, error, validator(name).schema))
    unique = {(e.line, e.column, e.field, e.message): e for e in errors}
    return sorted(_drop_explained_required(list(unique.values())), key=lambda e: (e.line, e.column))


def _drop_explained_required(errors: list[ContentError]) -> list[ContentError]:
    """`titel:` makes `title` missing too; the misspelling, with its suggestion, says it all."""
    suggested = {(_parent(error.field), name) for error in errors if error.kind == "unknown-field"
                 for name in error.suggestions}
    return [error for error in errors
            if not (error.kind == "required" and (error.field or "", error.subject) in suggested)]


def _parent(field: str | None) -> str:
    return re.sub(r"\.?[^.\[\]]+$", "", field or "")


def _explain(document: YamlFile, error, root_schema) -> list[ContentError]:
    path = tuple(error.absolute_path)
    if error.validator in ("oneOf", "anyOf", "if") and error.context:
        # Report the branch that got furthest: its errors are the editor's real mistakes.
        best = max(error.context, key=lambda e: (len(e.absolute_path), -_depth(e)))
        deepest = [e for e in error.context if tuple(e.absolute_path) == tuple(best.absolute_path)]
        if len(best.absolute_path) > len(path):
            return [x for e in deepest for x in _explain(document, e, root_schema)][:1]
        shaped = _branch_of_the_right_shape(error)
        if shaped:
            return [x for e in shaped for x in _explain(document, e, root_schema)]
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        found = []
        for key in error.instance:
            if key in error.schema.get("properties", {}):
                continue
            line, column = document.where(path + (key,), key=True)
            close = difflib.get_close_matches(key, allowed, n=3, cutoff=0.5)
            hint = f"；您是否想写 {'、'.join(close)}？" if close else f"；可用字段：{'、'.join(allowed)}"
            if key in ROLE_FOR_WORD and ("lead" in allowed or "responsibility" in allowed):
                hint = _role_word_hint(key, "lead" in allowed)
            found.append(ContentError(
                document.path, line, column, dotted(path + (key,)),
                f"未知字段“{key}”（unknown field）{hint}", kind="unknown-field", subject=key,
                suggestions=tuple(close),
            ))
        return found
    line, column = document.where(path)
    field = dotted(path) or None
    kind, subject = _kind(error)
    return [ContentError(document.path, line, column, field, _message(error), kind=kind, subject=subject)]


def _kind(error) -> tuple[str, str]:
    """The rule an error broke, and the field it is about (for `required`, the missing one)."""
    if error.validator == "required":
        missing = next((name for name in error.validator_value if name not in error.instance), "")
        return "required", missing
    if error.validator == "oneOf" and isinstance(error.instance, dict) and not {"text", "parts"} & set(error.instance):
        return "required", "text"
    if error.validator == "format" and error.validator_value in ("date", "partial-date"):
        return "date", ""
    if error.validator in ("minLength", "minItems"):
        return "empty", ""
    return error.validator, ""


def _branch_of_the_right_shape(error) -> list:
    """Of a value that may be written in several forms (a deadline: text, or an object with
    text), the errors of the one form whose type the value has: `deadline: {date: …}` lacks
    its text, which is what the editor needs to hear, at the deadline, not at the measure."""
    by_branch: dict = {}
    for sub in error.context:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [errors for errors in by_branch.values()
               if not any(e.validator == "type" and e.absolute_path == error.absolute_path for e in errors)]
    return fitting[0] if len(fitting) == 1 and len(by_branch) > 1 else []


def _role_word_hint(word: str, in_responsibility: bool) -> str:
    """`协办:` written as a key: the schema's key for that role, and how to keep the word."""
    key = ROLE_FOR_WORD[word]
    if in_responsibility:
        return (f"；“{word}”是文件中的角色用词，字段名请写 {key}（role words are written as keys: {key}），"
                f"并用 words: {{{key}: {word}}} 保留原文用词")
    return (f"；“{word}”是角色用词，请写在 responsibility 中：responsibility: {{{key}: …, "
            f"words: {{{key}: {word}}}}}（use responsibility.{key}）")


def _depth(error) -> int:
    return len(list(error.schema_path))


def _message(error) -> str:
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"缺少必填字段“{missing}”（required field missing）"
    if kind == "type":
        wanted = {"string": "文字", "integer": "整数", "array": "列表", "object": "字段表",
                  "boolean": "true 或 false"}
        expected = error.validator_value
        names = [wanted.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
        return f"应为{'或'.join(names)}，实际是 {shorten(error.instance)}（wrong type）"
    if kind == "enum":
        return f"“{shorten(error.instance)}”不是可选值之一：{'、'.join(map(str, error.validator_value))}"
    if kind == "pattern":
        hint = error.schema.get("patternErrorMessage", "格式不对（does not match the pattern）")
        return f"“{shorten(error.instance)}”{hint}"
    if kind == "format" and error.validator_value in ("date", "partial-date"):
        return f"日期“{shorten(error.instance)}”不存在（no such date）"
    if kind in ("minLength", "minItems"):
        return "不能为空（must not be empty）"
    if kind == "oneOf" and isinstance(error.instance, dict) and "measures" not in error.instance:
        if {"text", "parts"} <= set(error.instance):
            return "text 和 parts 只能写一个（give either text or parts）"
        if not {"text", "parts"} & set(error.instance):
            return "措施缺少 text（或 parts）（a measure needs text or parts）"
    if kind == "anyOf" and isinstance(error.instance, dict):
        return "这一部分需要 points、measures 或 body 之一（a section needs points, measures or body）"
    if kind == "not" and isinstance(error.instance, dict) and {"points", "measures"} <= set(error.instance):
        return "一个部分不能同时有 points 和 measures：把直接挂在部分下的措施放进一个没有标题的要点（points）"
    if kind in ("minimum", "maximum"):
        return f"数值 {shorten(error.instance)} 超出范围（out of range）"
    return shorten(error.message, 200)


def defaults(name: str) -> dict:
    """The `default` of each top-level property of a schema: settings an editor left out."""
    properties = validator(name).schema.get("properties", {})
    return {key: value["default"] for key, value in properties.items() if "default" in value}


def main(argv: list[str]) -> int:
    """`python -m generator.schema plan|registry FILE...`: check files against one schema."""
    from . import yamlfile

    name, *files = argv
    status = 0
    for file in files:
        try:
            document = yamlfile.load(Path(file))
            problems = check(document, name)
        except ContentError as error:
            problems = [error]
        for problem in problems:
            print(problem)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

