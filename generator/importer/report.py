"""The review report: every place in a new draft that needs the editor's eye, with its line.

The draft itself carries the report: each place has a `# 待核（review）：…` comment right above
its line. The terminal lists them once after the import; `build.py serve` lists them again, read
from the drafts as they are now, at /__serve__/imports, so an editor who has dealt with a place
deletes its comment and the page forgets it. Nothing is kept beside the draft to go stale.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .findings import KINDS
from .writer import REVIEW_MARK, Placed


SHOWN_PER_KIND = 3  # places the terminal lists of each kind; the draft and the preview list all
_TAG = re.compile(r"［([^］]{1,12})］")
_TAGS = {kind.tag: kind for kind in KINDS.values()}


@dataclass
class OpenPlace:
    """A 待核 comment still in a draft: the line it is about and what it says."""

    line: int
    message: str
    text: str  # the line it is about, as it reads now
    tag: str = ""  # its kind's tag (findings.KINDS), "" for a comment written without one


def terminal_lines(draft: Path, placed: list[Placed]) -> list[str]:
    """The places by kind, the worst kinds first: a count, what to do, the first few places."""
    groups: dict[str, list[Placed]] = {}
    for item in sorted(placed, key=lambda p: p.line):
        groups.setdefault(item.finding.kind, []).append(item)
    lines = []
    for kind_name in sorted(groups, key=lambda name: (KINDS[name].severity, list(KINDS).index(name))):
        kind, items = KINDS[kind_name], groups[kind_name]
        mark = "！" if kind.severity == 0 else ""
        lines.append(f"{mark}【{kind.tag}】{len(items)} 处：{kind.advice}")
        for item in items[:SHOWN_PER_KIND]:
            source = f"（原文{item.finding.source}）" if item.finding.source else ""
            lines.append(f"  {draft}:{item.line}: [{item.path}] {item.finding.message}{source}")
        if len(items) > SHOWN_PER_KIND:
            lines.append(f"  ……另有 {len(items) - SHOWN_PER_KIND} 处（见草稿中的“待核”注释）")
    return lines


def open_places(text: str) -> list[OpenPlace]:
    """The 待核 comments in a draft's text, each with the next line that is not a comment."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith(REVIEW_MARK):
            continue
        target = next((number for number in range(index + 1, len(lines))
                       if not lines[number].strip().startswith(REVIEW_MARK)), index)
        message = stripped[len(REVIEW_MARK):]
        tag = _TAG.match(message)
        found.append(OpenPlace(target + 1, message[tag.end():] if tag else message, lines[target].strip(),
                               tag[1] if tag and tag[1] in _TAGS else ""))
    return found


# The folders imports write to: plan drafts, and progress reports (build.py import --report).
IMPORT_FOLDERS = ("plans", "reports")


def drafts_with_places(content_dir: Path) -> list[tuple[Path, list[OpenPlace]]]:
    """Every plan and report file with 待核 comments left, plans first."""
    paths = [path for name in IMPORT_FOLDERS if (content_dir / name).is_dir()
             for path in sorted((content_dir / name).glob("*.yaml"))]
    result = []
    for path in paths:
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if REVIEW_MARK in text:
            result.append((path, open_places(text)))
    return result


def page(content_dir: Path) -> str:
    """/__serve__/imports in the preview: every draft or imported report with places left to review."""
    drafts = drafts_with_places(content_dir)
    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>导入待核</title><style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;"
             "line-height:1.6}code{background:#f3f3f3;padding:0 .2em}li{margin:.4rem 0}</style></head><body><main>",
             "<h1>导入待核（imports to review）</h1>"]
    if not drafts:
        parts.append("<p>没有待核的导入草稿。用 <code>build.py import 文件</code> 导入的草稿（和用 <code>--report</code> 导入的进展报告）中，"
                     "每处需要核对的地方都有一行“# 待核”注释；删去注释即表示已核对。</p>")
    for path, places in drafts:
        name = html.escape(f"{path.parent.name}/{path.name}")
        parts.append(f"<section><h2><code>{name}</code>：{len(places)} 处待核</h2>")
        groups: dict[str, list[OpenPlace]] = {}
        for place in places:
            groups.setdefault(place.tag, []).append(place)
        order = sorted(groups, key=lambda tag: (_TAGS[tag].severity, list(_TAGS).index(tag)) if tag in _TAGS else (9, 0))
        for tag in order:
            kind = _TAGS.get(tag)
            title = f"{tag}：{len(groups[tag])} 处" if kind else f"其他：{len(groups[tag])} 处"
            parts.append(f"<h3>{html.escape(title)}</h3>")
            if kind:
                parts.append(f"<p>{html.escape(kind.advice)}</p>")
            parts.append("<ol>")
            for place in groups[tag]:
                parts.append(f"<li><strong>第 {place.line} 行</strong>："
                             f"{html.escape(place.message)}<br><code>{html.escape(place.text[:120])}</code></li>")
            parts.append("</ol>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
