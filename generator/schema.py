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

from . import theme, tool
from .errors import ContentError
from .messages import Message
from .model import ROLE_FOR_WORD
from .yamlfile import YamlFile, dotted

SCHEMA_DIR = tool.folder("schema")
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
    data it checks; it is told not to, so checking never changes what the editor wrote. Its
    exceptions leave out the value and the schema part they failed (nobody reads them, and
    building those took a third of the check: a `oneOf` tries each branch by raising).
    """
    return fastjsonschema.compile(validator(name).schema, formats={"date": is_real_date, "partial-date": is_real_date},
                                  use_default=False, detailed_exceptions=False)


def check(document: YamlFile, name: str) -> list[ContentError]:
    """Every schema violation in `document`, each with its line, column and field; then, in a
    file the schema passes, what its rules beyond the schema find (BEYOND_SCHEMA)."""
    try:
        fast_validator(name)(document.data)
    except fastjsonschema.JsonSchemaException:
        return _schema_problems(document, name)
    beyond = BEYOND_SCHEMA.get(name)
    return beyond(document) if beyond else []


# Rules no JSON Schema can say, by schema: a theme's colours too faint together, a logo missing.
BEYOND_SCHEMA = {"site": theme.problems}


def _schema_problems(document: YamlFile, name: str) -> list[ContentError]:
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
            if not (error.kind in _MISSING and (error.field or "", error.subject) in suggested)]


_MISSING = {"required", "measure-without-text"}  # kinds that say a field is missing (the subject)


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
            problem = Message("unknown-field", {"key": key, "allowed": tuple(allowed)})
            if key in ROLE_FOR_WORD and ("lead" in allowed or "responsibility" in allowed):
                # `协办:` written as a key: the schema's key for that role, and how to keep the word
                problem = Message("role-word-as-key" if "lead" in allowed else "role-word-outside-responsibility",
                               {"key": key, "role": ROLE_FOR_WORD[key]})
            found.append(ContentError(document.path, line, column, dotted(path + (key,)), kind=problem.kind,
                                      values=problem.values, subject=key, suggestions=tuple(close)))
        return found
    line, column = document.where(path)
    field = dotted(path) or None
    problem, subject = _problem(error)
    return [ContentError(document.path, line, column, field, kind=problem.kind, values=problem.values,
                         subject=subject)]


def _problem(error) -> tuple[Message, str]:
    """The rule an error broke with what its message quotes, and the field it is about (for a
    missing field, that one)."""
    rule, value = error.validator, error.instance
    if rule == "required":
        # One error per missing field, named in its message (validator_value lists them all).
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Message("required", {"name": missing}), missing
    if rule == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return Message("type", {"wanted": tuple(_TYPE_WORDS.get(name, name) for name in wanted), "value": value}), ""
    if rule == "enum":
        return Message("enum", {"value": value, "choices": tuple(map(str, error.validator_value))}), ""
    if rule == "pattern":
        words = error.schema.get("patternErrorMessage")
        return (Message("pattern", {"value": value, "rule": words}) if words
                else Message("pattern-mismatch", {"value": value})), ""
    if rule == "format" and error.validator_value in ("date", "partial-date"):
        return Message("date", {"value": value}), ""
    if rule in ("minLength", "minItems"):
        return Message("empty"), ""
    if rule == "oneOf" and isinstance(value, dict) and "measures" not in value:
        if {"text", "parts"} <= set(value):
            return Message("text-and-parts"), ""
        if not {"text", "parts"} & set(value):
            return Message("measure-without-text"), "text"
    if rule == "anyOf" and isinstance(value, dict) and "measure" in value:
        return Message("report-entry-empty"), ""
    if rule == "anyOf" and isinstance(value, dict):
        return Message("section-without-content"), ""
    if rule == "not" and isinstance(value, dict) and {"points", "measures"} <= set(value):
        return Message("points-and-measures"), ""
    if rule in ("minimum", "maximum"):
        return Message("out-of-range", {"value": value}), ""
    return Message("schema-rule", {"detail": error.message}), ""


# JSON types as a message names them (messages.py)
_TYPE_WORDS = {"string": Message("type-string"), "integer": Message("type-integer"), "array": Message("type-array"),
               "object": Message("type-object"), "boolean": Message("type-boolean")}


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


def _depth(error) -> int:
    return len(list(error.schema_path))


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

