"""The Jinja2 environment the pages are rendered in, the folders its templates come from, and
the links between pages.

A site's own templates/ folder, beside its content/, is laid over the tool's (Templates): any
template, component or static file there replaces the tool's of the same path, so a web team
changes its header or its CSS without editing (and then merging) the tool's own files.

Pages link to each other relatively, so the same output works at the server root, under
a subpath (/zwgk/plans/) or opened from disk. Only the 404 page, which a server shows at
any address, links from the configured base_path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
import jinja2.bccache

from . import tool
from .charts import bar_chart
from .model import ROLES, STATE_FOR_WORD, STATES

TEMPLATES_DIR = tool.folder("templates")  # the tool's own; a site's own come first (Templates)


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


@dataclass(frozen=True)
class Templates:
    """The folders templates, components and static files are looked up in, the first that
    holds a path wins: the site's own templates/ (which need not exist), then the tool's."""

    folders: tuple[Path, ...] = (TEMPLATES_DIR,)

    @classmethod
    def of_site(cls, content_dir: Path) -> Templates:
        """A site's own templates/ sits beside its content/, in the site folder (zwgk init)."""
        own = (Path(os.path.abspath(content_dir)).parent / "templates").resolve()
        return cls() if own == TEMPLATES_DIR.resolve() else cls((own, TEMPLATES_DIR))

    def environment(self, auto_reload: bool = True) -> jinja2.Environment:
        return environment(self, auto_reload)

    def static_files(self) -> dict[str, bytes]:
        """Every file of the folders' static/, as the site's assets/: a site's own file replaces
        the tool's of the same path, and joins them if the tool has none."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                found.update((f"assets/{path.relative_to(static).as_posix()}", path)
                             for path in static.rglob("*") if path.is_file())
        return {name: found[name].read_bytes() for name in sorted(found)}

    def holds(self, path: Path, under: str = "") -> bool:
        """Whether `path` (resolved) is in one of the folders (or in their `under` subfolder)."""
        return any(path.is_relative_to(folder / under) for folder in self.folders)


class _FirstFolderLoader(jinja2.FileSystemLoader):
    """Jinja's loader over several folders, which also notices a template of the same name
    appearing in, or going from, a folder searched earlier (a site's override saved while
    `serve` runs): Jinja's own check looks only at the file it loaded."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        pieces = jinja2.loaders.split_template_path(template)

        def still_first() -> bool:
            first = next((os.path.normpath(os.path.join(folder, *pieces)) for folder in self.searchpath
                          if os.path.isfile(os.path.join(folder, *pieces))), None)
            return first == filename and uptodate()

        return source, filename, still_first


TOOL_PREFIX = "zwgk"  # "zwgk/base.html" is always the tool's own, for a site's template to extend


def environment(templates: Templates | None = None, auto_reload: bool = True) -> jinja2.Environment:
    """With auto_reload (serve), each use of a template first checks its file for changes; a
    build, which reads every template once, asks not to."""
    folders = [str(folder) for folder in (templates or Templates()).folders]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            _FirstFolderLoader(folders) if len(folders) > 1 else jinja2.FileSystemLoader(folders),
            jinja2.PrefixLoader({TOOL_PREFIX: jinja2.FileSystemLoader(str(TEMPLATES_DIR))}),
        ]),
        bytecode_cache=_COMPILED,
        auto_reload=auto_reload,
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
    env.globals["remember"] = remember
    return env


_REMEMBERED = 16  # a measure's fragments kept at most: its deadline and its views (whole, per unit)


def remember(holder, macro, *args):
    """`macro(*args)` as a page shows it, rendered once per `holder` (a Measure, in its `derived`)
    and reused by every page and listing that shows the same thing: a measure's deadline and its
    落实情况 appear on its plan's page and again in the listing of each unit it names.

    A macro's output depends on its arguments alone (components are imported without context),
    so the fragment is reused only for the very same macro (a template edited under `serve` makes
    new ones) and the very same argument objects, which the entry keeps alive. A holder that
    keeps nothing (a component's example gives plain data) has the macro called every time."""
    derived = getattr(holder, "derived", None)
    if not isinstance(derived, dict):
        return macro(*args)
    fragments = derived.setdefault("html", {})
    key = (macro.name, *map(id, args))
    found = fragments.get(key)
    if found is not None and found[0] is macro and all(a is b for a, b in zip(found[1], args)):
        return found[2]
    if len(fragments) >= _REMEMBERED:
        fragments.clear()
    html = macro(*args)
    fragments[key] = (macro, args, html)
    return html


def cn_date(value: str) -> str:
    """2018-07-26 → 2018年7月26日, the form Chinese official documents use, at the precision
    given: 2021-03 → 2021年3月, 2021 → 2021年 (a month is never shown as its last day)."""
    if not value:
        return ""
    return "".join(f"{int(number)}{unit}" for number, unit in zip(value.split("-"), "年月日"))


def linker(page: str, absolute_base: str | None = None):
    """The `url(target)` function for one page: links to `target` (`units/x/`, `plans/y/#s1`, a
    file of content/static/), a path in the site. A full address or a path from the host's root
    (an editor's source.url) is a link already and is given back as it is."""

    depth = page.count("/")  # plans/x/index.html sits two folders down

    def url(target: str) -> str:
        if target.startswith(("http://", "https://", "/")):
            return target
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
