"""The Jinja2 environment the pages are rendered in, and the links between pages.

Pages link to each other relatively, so the same output works at the server root, under
a subpath (/zwgk/plans/) or opened from disk. Only the 404 page, which a server shows at
any address, links from the configured base_path.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import jinja2
import jinja2.bccache

from .charts import bar_chart
from .model import ROLES, STATE_FOR_WORD, STATES

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once, by name and checksum of their source (Jinja's own bytecode
    cache). Compiling them takes a new process a third of a second: a one-plan `build.py build`
    takes 1.6 s with them on disk and 1.9 s without.

    Kept in memory, because a process may build many times (`serve`, the tests, a program
    using the generator), and on disk in the folder Jinja keeps for this user in the system's
    temporary directory (mode 0700, checked to be the user's own), so the next `build.py build`
    or `serve` starts without compiling. A template whose source changed has another checksum,
    so Jinja compiles it afresh and never serves it stale. Like Python's own .pyc files, it
    holds nothing that depends on the content, and a cache that cannot be read or written
    (a full or read-only disk) only means compiling again: it never fails a build.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # checks the source's checksum; resets if it differs
        elif self.on_disk is not None:
            try:
                self.on_disk.load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged cache file: compile instead
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.on_disk is not None:
            try:
                self.on_disk.dump_bytecode(bucket)
            except OSError:
                pass

    @cached_property
    def on_disk(self) -> jinja2.FileSystemBytecodeCache | None:
        """Looked for when first needed, not on import: a command refused at once writes nothing."""
        try:
            return jinja2.FileSystemBytecodeCache(pattern="zwgk-%s.cache")
        except (OSError, RuntimeError):  # no private folder can be had: memory only
            return None


_COMPILED = _CompiledTemplates()


def environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["digits"] = lambda text: "".join(char for char in str(text) if char.isascii() and char.isdigit())
    env.filters["lines"] = lambda text: [line for line in (text or "").split("\n") if line.strip()]
    # The domain tables, from their one source (model.py).
    env.globals.update(ROLES=ROLES, STATES=STATES, STATE_FOR_WORD=STATE_FOR_WORD)
    env.globals["bar_chart"] = bar_chart  # the geometry of a chart (components/record_chart.html)
    return env


def cn_date(value: str) -> str:
    """2018-07-26 → 2018年7月26日, the form Chinese official documents use, at the precision
    given: 2021-03 → 2021年3月, 2021 → 2021年 (a month is never shown as its last day)."""
    if not value:
        return ""
    return "".join(f"{int(number)}{unit}" for number, unit in zip(value.split("-"), "年月日"))


def linker(page: str, absolute_base: str | None = None):
    """The `url(target)` function for one page: links to `target` (`units/x/`, `plans/y/#s1`)."""

    depth = page.count("/")  # plans/x/index.html sits two folders down

    def url(target: str) -> str:
        if absolute_base:
            return absolute_base + target
        return ("../" * depth + target) or "./"

    return url


_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def without_indentation(html: str) -> str:
    """The templates' indentation, dropped from the page: a line break alone is still the same
    white space to a browser, and at 2,000 plans the indentation was a tenth of the site.
    Preformatted text (<pre>, from Markdown) keeps every space."""
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _INDENT.sub("\n", part) for index, part in enumerate(parts))
