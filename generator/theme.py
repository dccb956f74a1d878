"""A site's colours and logo (`theme:` in site.yaml): checked for contrast, written as CSS.

The colours are CSS custom properties that templates/static/site.css reads with its own
colours as fallbacks (`--accent: var(--theme-primary, #8c1c13)`); assets/theme.css, written
only when the theme gives colours (templates/pages/theme.css), sets them. A style sheet rather
than a <style> in every page: pages need no inline style, so they work under a Content
Security Policy without 'unsafe-inline' (docs/deploying.md).

Each colour is checked where site.css puts it, against the colours beside it, in the normal
style and in 高对比度 (which puts its own text, link and header colours in place of the
theme's and keeps the focus colour): text at 4.5:1, the focus ring's outer colour against the
header it is drawn on at 3:1 (WCAG 2.2 AA: 1.4.3 text, 1.4.11 non-text). A pair of the tool's
own colours alone is not checked here: tests/test_theme.py holds them to the same rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .messages import Message
from .yamlfile import YamlFile, dotted

# The theme's colours, each with site.css's own value (its fallback) and the custom property.
DEFAULTS = {
    "primary": "#8c1c13",  # headings' rule, buttons, 逾期; the header's background unless given
    "header_background": None,  # None: the primary colour
    "header_text": "#ffffff",
    "text": "#1b1b1b",
    "link": "#0b4f9c",
    "focus": "#ffbf47",  # the outer ring of the focus outline, and the skip link's background
}
# Colours of site.css the theme does not change, by the role they play.
FIXED = {"page": "#ffffff", "panel": "#f3f5f7", "tag": "#e8ebef", "target": "#fff8d6", "focus_ring": "#0b0c0c"}
# 高对比度 (html[data-contrast="high"] in site.css): what it puts in place of the theme's.
HIGH_CONTRAST = {"primary": "#000000", "header_background": "#000000", "header_text": "#ffffff",
                 "text": "#000000", "link": "#00007a", "panel": "#ffffff", "tag": "#ffffff", "target": "#ffffff"}


@dataclass(frozen=True)
class Pair:
    """Two colours site.css puts one on the other, and the contrast they need."""

    foreground: str
    background: str
    needed: float
    words: str  # how a message names the pair


PAIRS = (
    Pair("text", "page", 4.5, "正文文字与页面背景"),
    Pair("text", "panel", 4.5, "正文文字与浅色底（表头、页脚）"),
    Pair("text", "tag", 4.5, "正文文字与标签底色"),
    Pair("text", "target", 4.5, "正文文字与定位行的底色"),
    Pair("link", "page", 4.5, "链接与页面背景"),
    Pair("link", "panel", 4.5, "链接与页脚的浅色底"),
    Pair("primary", "page", 4.5, "主色与白色（逾期文字、搜索按钮上的白字）"),
    Pair("header_text", "header_background", 4.5, "页头文字与页头背景"),
    Pair("focus", "header_background", 3.0, "焦点框外圈与页头背景"),
    Pair("focus_ring", "focus", 4.5, "“跳到正文”链接的文字与焦点色"),
)
STYLES = ((Message("theme-style-normal"), {}), (Message("theme-style-high-contrast"), HIGH_CONTRAST))


def colours(given: dict, style: dict) -> dict[str, tuple[str, str | None]]:
    """Each role's colour in a style, with the theme field it comes from (None: the tool's)."""
    found: dict[str, tuple[str, str | None]] = {role: (value, None) for role, value in FIXED.items()}
    for name, default in DEFAULTS.items():
        found[name] = (given[name], name) if name in given else (default, None)
    if found["header_background"][0] is None:
        found["header_background"] = found["primary"]
    found.update((role, (value, None)) for role, value in style.items())
    return found


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two sRGB colours (#rgb or #rrggbb), from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[at:at + 2], 16) / 255 for at in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def shown_ratio(ratio: float) -> str:
    """A ratio as a message shows it: cut, never rounded up (4.497 is 4.49, which fails 4.5)."""
    return f"{math.floor(ratio * 100) / 100:.2f}"


def problems(document: YamlFile) -> list[ContentError]:
    """site.yaml's theme against the rules: every pair too faint, at the colour the theme gave
    (the foreground's, else the background's); a logo not in content/static/."""
    theme = document.data.get("theme") if isinstance(document.data, dict) else None
    if not theme:
        return []
    found = []
    given = theme.get("colors", {})
    said = set()  # a pair the same in both styles is named once
    for style_name, style in STYLES:
        roles = colours(given, style)
        # A text colour too faint on four backgrounds is one mistake: its worst pair is named.
        worst: dict[tuple[str, str], tuple[float, Pair]] = {}
        for pair in PAIRS:
            (fore, fore_field), (back, back_field) = roles[pair.foreground], roles[pair.background]
            field = fore_field or back_field
            ratio = contrast(fore, back)
            if field is not None and ratio < pair.needed and (field, shown_ratio(ratio), pair) not in said:
                said.add((field, shown_ratio(ratio), pair))
                if ratio < worst.get((field, pair.foreground), (math.inf,))[0]:
                    worst[field, pair.foreground] = (ratio, pair)
        for (field, _), (ratio, pair) in worst.items():
            path = ("theme", "colors", field)
            line, column = document.where(path)
            found.append(ContentError(document.path, line, column, dotted(path), kind="theme-low-contrast", values={
                "style": style_name, "pair": pair.words, "ratio": shown_ratio(ratio),
                "needed": f"{pair.needed:g}"}))
    logo = theme.get("logo")
    if logo and not (Path(document.path).parent / "static" / logo["src"]).is_file():
        path = ("theme", "logo", "src")
        line, column = document.where(path)
        found.append(ContentError(document.path, line, column, dotted(path), kind="logo-not-found",
                                  values={"src": logo["src"]}))
    return found
