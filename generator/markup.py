"""Markdown fields to safe HTML.

Prose in content (covering letters, 总体要求, 保障措施) is Markdown. It is rendered with
python-markdown and then cleaned by nh3 (the Rust `ammonia` sanitiser), so no script,
event handler or javascript: link written in content can reach a page.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre",
    "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "hr", "a", "abbr",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HEADING = re.compile(r"<(/?)h([1-6])>")


def markdown_html(text: str, top_level: int = 2) -> str:
    """Render `text`, shifting its headings so the highest one is `top_level`.

    The page around a fragment owns the levels above it, so an editor's `#` never
    breaks the page's heading outline.
    """
    if not text or not text.strip():
        return ""
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if levels:
        shift = top_level - min(levels)
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
