"""Render every page of the site with Jinja2.

Pages link to each other relatively, so the same output works at the server root, under
a subpath (/zwgk/plans/) or opened from disk. Only the 404 page, which a server shows at
any address, links from the configured base_path.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import jinja2

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
    return env


def cn_date(value: str) -> str:
    """2018-07-26 → 2018年7月26日, the form Chinese official documents use."""
    if not value:
        return ""
    year, month, day = value.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def linker(page: str, absolute_base: str | None = None):
    """The `url(target)` function for one page: links to `target` (`units/x/`, `plans/y/#s1`)."""

    def url(target: str) -> str:
        if absolute_base:
            return absolute_base + target
        path, _, fragment = target.partition("#")
        relative = posixpath.relpath(path or ".", posixpath.dirname(page) or ".")
        if path == "" or path.endswith("/"):
            relative = "./" if relative == "." else relative + "/"
        return relative + (f"#{fragment}" if fragment else "")

    return url


def pages(site: Site, env: jinja2.Environment, serve_mode: bool = False) -> dict[str, str]:
    """Every page of the site: output path → HTML."""
    common = {"site": site, "settings": site.content.settings, "serve_mode": serve_mode}
    out: dict[str, str] = {}

    def render(template: str, path: str, absolute_base: str | None = None, **context) -> None:
        url = linker(path, absolute_base)
        out[path] = env.get_template(template).render(page_path=path, url=url, **common, **context)

    render("pages/home.html", "index.html")
    render("pages/plans.html", "plans/index.html")
    for plan in site.plans:
        render("pages/plan.html", f"plans/{plan.id}/index.html", plan=plan)
    render("pages/units.html", "units/index.html")
    for view in site.units.values():
        render("pages/unit.html", f"units/{view.unit.id}/index.html", view=view)
    render("pages/departments.html", "departments/index.html")
    for view in site.departments.values():
        render("pages/department.html", f"departments/{view.unit.id}/index.html", view=view)
    render("pages/search.html", "search/index.html")
    render("pages/404.html", "404.html", absolute_base=site.content.settings["base_path"])
    return out
