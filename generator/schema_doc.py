"""Write the schema reference (docs/schema.md) from the JSON Schemas, so the docs cannot drift."""

from __future__ import annotations

import json

from .schema import SCHEMA_DIR

FILES = [
    ("plan", "Plan files: `content/plans/<id>.yaml`"),
    ("registry", "Registry files: `content/registry/*.yaml`"),
    ("site", "Site settings: `content/site.yaml`"),
    ("report", "Progress reports: `content/reports/<id>.yaml`"),
]


def reference() -> str:
    lines = [
        "# Content schema reference",
        "",
        "Generated from `schema/*.schema.json` by `python build.py schema-doc`; do not edit by hand.",
        "The build enforces exactly these rules, and editors that understand",
        "`# yaml-language-server: $schema=…` (VS Code with the YAML extension, for one) use them for",
        "completion and checking while you type.",
        "",
    ]
    for name, heading in FILES:
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        lines += [f"## {heading}", "", schema.get("description", ""), ""]
        lines += _table(schema, schema)
        for def_name, definition in schema.get("definitions", {}).items():
            if "properties" in definition:
                lines += [f"### `{def_name}`", "", definition.get("description", ""), ""]
                lines += _table(definition, schema)
            elif "oneOf" in definition:  # a value written in more than one form: say which
                lines += [f"### `{def_name}`", "", definition.get("description", ""), "",
                          f"Written as: {_type(definition, schema)}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _table(node: dict, root: dict) -> list[str]:
    required = set(node.get("required", []))
    rows = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
    for key, spec in node.get("properties", {}).items():
        rows.append(f"| `{key}` | {_type(spec, root)} | {'yes' if key in required else ''} | {_describe(spec, root)} |")
    return rows + [""]


def _resolve(spec: dict, root: dict) -> dict:
    while "$ref" in spec:
        name = spec["$ref"].split("/")[-1]
        spec = {**root["definitions"][name], **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def _type(spec: dict, root: dict) -> str:
    if "$ref" in spec:
        name = spec["$ref"].split("/")[-1]
        target = root["definitions"][name]
        if name == "url":
            return "URL (`https://…`, `http://…` or relative)"
        return f"`{name}`" if "properties" in target or "oneOf" in target else _type(target, root)
    if "oneOf" in spec:
        return " or ".join(_type(option, root) for option in spec["oneOf"])
    if "if" in spec:  # a list item told apart by its keys (task, group, measure)
        branches, node = [], spec
        while "if" in node:
            branches.append(_type(node["then"], root))
            node = node["else"]
        return " or ".join(branches + [_type(node, root)])
    kind = spec.get("type", "")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), root)}"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{value}`" for value in spec["enum"])
    if spec.get("format") == "date":
        return "date `YYYY-MM-DD`"
    if spec.get("format") == "partial-date":
        return "date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"
    return kind or "any"


def _describe(spec: dict, root: dict) -> str:
    text = spec.get("description") or _resolve(spec, root).get("description", "")
    if spec.get("type") == "object" and "properties" in spec:
        parts = [f"`{key}`: {_describe(sub, root).rstrip('.')}" for key, sub in spec["properties"].items()]
        text += " Fields: " + "; ".join(parts) + "."
    if "default" in spec:
        text += f" Default: `{json.dumps(spec['default'], ensure_ascii=False)}`."
    return text.replace("|", "\\|").replace("\n", " ")
