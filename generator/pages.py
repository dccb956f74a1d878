"""Every kind of page in one table: its template, its address, what it shows, what it depends on.

Rendering, the full build and serve's rebuild read this table and nothing else, so a new kind of
page is one entry in KINDS and one template in templates/pages/.

`depends` says when serve must render a page again after an edit (a clean build renders all):
- a tuple: the plans the page shows, compared by identity (contentfiles.LoadCache keeps the Plan of an
  unchanged file, so an edited plan is a new object), and the facts about the rest of the site
  the template looks up (which units and departments have pages of their own);
- EVERY_PLAN: the page shows something of every plan (home, the indexes); it is rendered again
  when what it can show of a plan changed (index_facts), right after the pages that depend on
  that plan alone;
- SEARCH: the search page, rendered with the search data whose version it names.
Kinds with a page per plan, unit or department say which of their pages can show given plans
(`reached`), so that after an edit serve asks only those pages what they depend on.
Registry, settings and shared templates reach every page: a change to them renders everything.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable

import jinja2

from . import opendata
from . import site as site_stage
from .model import Plan, Report
from .render import linker, without_indentation
from .site import Site

EVERY_PLAN = "every plan"
SEARCH = "search data"


@dataclass(frozen=True)
class PageKind:
    name: str
    template: str  # "" for a data file, which `produce` makes without a template
    keys: Callable[[Site], list[str]]  # one page per key; single pages have the key ""
    path: Callable[[str], str]  # key → where the page is written
    context: Callable[[Site, str], dict]  # key → the template's own variables
    depends: Callable[[Site, str], object]  # key → a tuple, EVERY_PLAN or SEARCH (see above)
    absolute_base: bool = False  # links from settings' base_path instead of relative ones (404)
    produce: Callable[[Site, str], bytes] | None = None  # key → the file's bytes (data files)
    of_plan: bool = False  # one page per plan, made from that plan alone (a build makes them in its workers)
    # (site, plans) → the keys of the pages that may show any of these plans; None for a kind of
    # a few pages, which serve looks at after every edit
    reached: Callable[[Site, list[Plan]], set[str]] | None = None


@dataclass(frozen=True)
class Page:
    """One page of the site: its kind and key."""

    kind: PageKind
    key: str

    @property
    def path(self) -> str:
        return self.kind.path(self.key)

    @property
    def template(self) -> str:
        return self.kind.template


def _single(site: Site) -> list[str]:
    return [""]


def _no_context(site: Site, key: str) -> dict:
    return {}


def _every_plan(site: Site, key: str) -> str:
    return EVERY_PLAN


def _unit_depends(site: Site, key: str) -> tuple:
    view = site.units[key]
    unit = view.unit
    plans = tuple(group.plan for group in view.leads + view.supports)
    facts = (unit.parent is not None and unit.parent.id in site.departments, unit.id in site.departments)
    return plans, facts


def _department_depends(site: Site, key: str) -> tuple:
    view = site.departments[key]
    plans = list(view.plans) + [group.plan for group in view.upward]
    plans += [group.plan for section in view.sections for group in section.leads + section.supports]
    return tuple(plans), (key in site.units,)


def _addresses(site: Site, key: str) -> dict:
    """Every HTML page but 404 and search, as addresses under the site (a folder ends in /)."""
    found = []
    for page in all_pages(site):
        path = page.path
        if path.endswith(".html") and page.kind.name not in ("404", "search"):
            found.append(path.removesuffix("index.html"))
    return {"addresses": found}


@dataclass(frozen=True)
class FeedEntry:
    """One entry of feed.xml: a plan, or a report file on it."""

    date: str  # YYYY-MM-DD
    plan: Plan
    report: Report | None = None  # None: the plan itself
    measures: int = 0  # of a report: how many measures it speaks of


def _feed(site: Site, key: str) -> dict:
    """Plans and their progress reports, newest first. A plan is dated published, else written,
    else 1 January; a report file by its published date, else the day it speaks of. The plan's
    own 落实情况 is the plan's entry; a draft report has none."""
    def date(plan) -> str:
        return plan.dates.get("published") or plan.dates.get("written") or f"{plan.year:04d}-01-01"

    entries = [FeedEntry(date(plan), plan) for plan in site.plans]
    for plan in site.plans:
        spoken = site_stage.spoken(plan)
        for report in plan.reports:
            if not report.own and not report.draft:
                entries.append(FeedEntry(report.published or report.as_of, plan, report, spoken.get(report.id, 0)))
    entries.sort(key=lambda entry: (entry.date, entry.plan.id, entry.report.id if entry.report else ""), reverse=True)
    return {"feed_entries": entries}


def _plans_reached(site: Site, plans: list[Plan]) -> set[str]:
    return {plan.id for plan in plans if plan.id in site.plans_by_id}


def _units_reached(site: Site, plans: list[Plan]) -> set[str]:
    return {unit.id for plan in plans for unit in site_stage.duties_by_unit(plan) if unit.id in site.units}


def _departments_reached(site: Site, plans: list[Plan]) -> set[str]:
    """The issuer's page (the plans it issued) and those of the units named and the bodies above
    them (their sections' duties, their own duties in others' plans)."""
    named = {plan.issuer for plan in plans}
    named.update(unit for plan in plans for unit in site_stage.duties_by_unit(plan))
    around = {other for unit in named for other in (unit, unit.department, *unit.ancestors)}
    return {unit.id for unit in around if unit.id in site.departments}


def index_facts(plan: Plan) -> tuple:
    """What the pages that show every plan can show of one plan: its entry in a build's plan index
    (site.PlanEntry, all that a build renders those pages from) and its units' duties in figures.
    Serve renders those pages again after an edit only when these differ."""
    entry = site_stage.PlanEntry.of(plan)
    values = []
    for name in (f.name for f in fields(entry)):
        value = getattr(entry, name)
        if name == "issuer":
            value = value.id
        elif name == "reports":  # compared by value: the plan's own report is made anew with it
            value = tuple(tuple(getattr(report, f.name) for f in fields(report)) for report in value)
        values.append(value)
    figures = []
    for unit, duties in site_stage.duties_by_unit(plan).items():
        leads, supports = site_stage.by_role(duties)
        figures.append((unit.id, len(leads), site_stage.tally(duty.progress for duty in leads),
                        len(supports), site_stage.tally(duty.progress for duty in supports)))
    return tuple(values), tuple(figures)


def _plan_depends(site: Site, key: str) -> tuple:
    return (site.plans_by_id[key],), ()


def _nothing(site: Site, key: str) -> tuple:
    """Shows nothing of any plan: only registry, settings or template changes render it again."""
    return (), ()


def _search(site: Site, key: str) -> str:
    return SEARCH


def _plan_context(site: Site, key: str) -> dict:
    plan = site.plans_by_id[key]
    return {"plan": plan, "progress": site_stage.plan_progress(plan), "tally": site_stage.plan_tally(plan)}


def _plan_ids(site: Site) -> list[str]:
    return [plan.id for plan in site.plans]


def _data_columns(site: Site, key: str) -> dict:
    return {"columns": opendata.COLUMNS, "schemas": opendata.SCHEMAS}


def _with_base_url(site: Site) -> list[str]:
    return [""] if site.content.settings.get("base_url") else []


KINDS: tuple[PageKind, ...] = (
    PageKind("home", "pages/home.html", _single, lambda key: "index.html", _no_context, _every_plan),
    PageKind("plans", "pages/plans.html", _single, lambda key: "plans/index.html", _no_context, _every_plan),
    PageKind("plan", "pages/plan.html", _plan_ids,
             lambda key: f"plans/{key}/index.html", _plan_context, _plan_depends, of_plan=True,
             reached=_plans_reached),
    PageKind("units", "pages/units.html", _single, lambda key: "units/index.html", _no_context, _every_plan),
    PageKind("unit", "pages/unit.html", lambda site: list(site.units), lambda key: f"units/{key}/index.html",
             lambda site, key: {"view": site.units[key]}, _unit_depends, reached=_units_reached),
    PageKind("departments", "pages/departments.html", _single, lambda key: "departments/index.html",
             _no_context, _every_plan),
    PageKind("department", "pages/department.html", lambda site: list(site.departments),
             lambda key: f"departments/{key}/index.html", lambda site, key: {"view": site.departments[key]},
             _department_depends, reached=_departments_reached),
    PageKind("search", "pages/search.html", _single, lambda key: "search/index.html", _no_context, _search),
    PageKind("404", "pages/404.html", _single, lambda key: "404.html", _no_context, _nothing,
             absolute_base=True),
    # Files for crawlers and feed readers. The sitemap needs absolute addresses: without
    # base_url it is not written (the build says so).
    PageKind("sitemap", "pages/sitemap.xml", _with_base_url, lambda key: "sitemap.xml", _addresses, _every_plan),
    PageKind("robots", "pages/robots.txt", _single, lambda key: "robots.txt", _no_context, _nothing),
    PageKind("feed", "pages/feed.xml", _single, lambda key: "feed.xml", _feed, _every_plan),
    # The theme's colours (theme.py), for site.css; only when site.yaml gives some.
    PageKind("theme", "pages/theme.css", lambda site: [""] if site.content.settings["theme"].get("colors") else [],
             lambda key: "assets/theme.css", _no_context, _nothing),
    # Open data (opendata.py): each plan as JSON and CSV, the catalogue, the units, the schemas
    # and the description of the columns, as a page and as data/README.md.
    PageKind("plan-json", "", _plan_ids, lambda key: opendata.plan_path(key, "json"), _no_context,
             _plan_depends, produce=opendata.plan_json, of_plan=True, reached=_plans_reached),
    PageKind("plan-csv", "", _plan_ids, lambda key: opendata.plan_path(key, "csv"), _no_context,
             _plan_depends, produce=opendata.plan_csv, of_plan=True, reached=_plans_reached),
    PageKind("catalogue", "", _single, lambda key: "data/plans.json", _no_context, _every_plan,
             produce=opendata.catalogue),
    PageKind("units-data", "", _single, lambda key: "data/units.json", _no_context, _every_plan,
             produce=opendata.units),
    PageKind("data-schema", "", lambda site: list(opendata.SCHEMAS), lambda key: f"data/{key}.schema.json",
             _no_context, _nothing, produce=opendata.schema_file),
    PageKind("data", "pages/data.html", _single, lambda key: "data/index.html", _data_columns, _nothing),
    PageKind("data-readme", "pages/data-readme.md", _single, lambda key: "data/README.md", _data_columns,
             _nothing),
)


def notices(site: Site) -> list[str]:
    """What an editor should know about the pages that were or were not written."""
    if not site.content.settings.get("base_url"):
        return ["没有生成 sitemap.xml：在 content/site.yaml 中设置 base_url（网站的完整网址）后才会生成"
                "（no sitemap.xml without base_url）"]
    return []


def all_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    return [Page(kind, key) for kind in KINDS for key in kind.keys(site)]


def search_pages(site: Site) -> list[Page]:
    """The pages made with the search data (all_pages' of them, without asking every page)."""
    return [Page(kind, key) for kind in KINDS if kind.depends is _search for key in kind.keys(site)]


def render(site: Site, env: jinja2.Environment, pages: list[Page], search_version: str = "") -> dict[str, bytes]:
    """Render `pages`: output path → HTML. `search_version` names the search data the search page
    asks for, so a browser never mixes an old cached file with a new one."""
    return dict(each(site, env, pages, search_version))


def each(site: Site, env: jinja2.Environment, pages: list[Page], search_version: str = ""):
    """render(), one (path, bytes) at a time: a build writes each page as soon as it is made."""
    common = {"site": site, "settings": site.content.settings, "search_version": search_version}
    base_url = site.content.settings.get("base_url") or ""
    for page in pages:
        path = page.path
        if page.kind.produce is not None:
            yield path, page.kind.produce(site, page.key)
            continue
        url = linker(path, site.content.settings["base_path"] if page.kind.absolute_base else None)
        canonical = (base_url + path.removesuffix("index.html")) if base_url else ""
        html = env.get_template(page.template).render(
            page_path=path, url=url, canonical=canonical, **common, **page.kind.context(site, page.key))
        yield path, (without_indentation(html) if path.endswith(".html") else html).encode("utf-8")


def same_dependencies(old, new) -> bool:
    """Whether a page's dependencies are unchanged: the plans by identity, the facts by value."""
    if isinstance(old, str) or isinstance(new, str):
        return old == new
    (old_plans, old_facts), (new_plans, new_facts) = old, new
    return (len(old_plans) == len(new_plans) and all(a is b for a, b in zip(old_plans, new_plans))
            and old_facts == new_facts)
