"""Render every page of the site with Jinja2.

Pages link to each other relatively, so the same output works at the server root, under
a subpath (/zwgk/plans/) or opened from disk. Only the 404 page, which a server shows at
any address, links from the configured base_path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .model import ROLES, STATE_FOR_WORD, STATES
from .site import Site

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["lines"] = lambda text: [line for line in (text or "").split("\n") if line.strip()]
    # The domain tables, from their one source (model.py).
    env.globals.update(ROLES=ROLES, STATES=STATES, STATE_FOR_WORD=STATE_FOR_WORD)
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


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its template, output path, and what it shows."""

    template: str
    path: str
    kind: str  # home | plans | plan | units | unit | departments | department | search | 404
    key: str = ""  # the plan or unit id a page is about
    absolute_base: bool = False


def page_specs(site: Site) -> list[PageSpec]:
    """Every page of the site, in a fixed order."""
    specs = [PageSpec("pages/home.html", "index.html", "home"),
             PageSpec("pages/plans.html", "plans/index.html", "plans")]
    specs += [PageSpec("pages/plan.html", f"plans/{plan.id}/index.html", "plan", plan.id) for plan in site.plans]
    specs.append(PageSpec("pages/units.html", "units/index.html", "units"))
    specs += [PageSpec("pages/unit.html", f"units/{uid}/index.html", "unit", uid) for uid in site.units]
    specs.append(PageSpec("pages/departments.html", "departments/index.html", "departments"))
    specs += [PageSpec("pages/department.html", f"departments/{did}/index.html", "department", did)
              for did in site.departments]
    specs.append(PageSpec("pages/search.html", "search/index.html", "search"))
    specs.append(PageSpec("pages/404.html", "404.html", "404", absolute_base=True))
    return specs


def render_pages(site: Site, env: jinja2.Environment, specs, search_version: str = "") -> dict[str, str]:
    """Render the given pages: output path → HTML. `search_version` names the search data the
    search page asks for, so a browser never mixes an old cached file with a new one."""
    common = {"site": site, "settings": site.content.settings, "search_version": search_version}
    plans = {plan.id: plan for plan in site.plans}
    out: dict[str, str] = {}
    for spec in specs:
        context = {}
        if spec.kind == "plan":
            context["plan"] = plans[spec.key]
        elif spec.kind == "unit":
            context["view"] = site.units[spec.key]
        elif spec.kind == "department":
            context["view"] = site.departments[spec.key]
        url = linker(spec.path, site.content.settings["base_path"] if spec.absolute_base else None)
        html = env.get_template(spec.template).render(page_path=spec.path, url=url, **common, **context)
        out[spec.path] = without_indentation(html)
    return out


_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def without_indentation(html: str) -> str:
    """The templates' indentation, dropped from the page: a line break alone is still the same
    white space to a browser, and at 2,000 plans the indentation was a tenth of the site.
    Preformatted text (<pre>, from Markdown) keeps every space."""
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _INDENT.sub("\n", part) for index, part in enumerate(parts))


def pages(site: Site, env: jinja2.Environment, search_version: str = "") -> dict[str, str]:
    """Every page of the site: output path → HTML."""
    return render_pages(site, env, page_specs(site), search_version)
