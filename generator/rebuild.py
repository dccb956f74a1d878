"""Rebuild only what a change affects, for `build.py serve`.

The first build renders everything. After that, each batch of changed files is answered with
the smallest set of pages that can differ:
- a plan file: that plan's page, the pages of every unit it names (before and after the edit),
  the pages of their departments and of units under those departments, and those index pages
  whose inputs changed (index_inputs);
- a registry file or site.yaml: everything (names and settings reach every page);
- a page template (templates/pages/x.html): the pages made from it; any other template: all;
- the site's own CSS or JS: that file only.
Unchanged plan files are not even re-read (content.LoadCache). Pages are written only when their
bytes differ. The search data takes longest to build, so it is written after the pages, and the
reload does not wait for it. The result is always what a clean build with the same input writes;
tests/test_serve.py holds it to that.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import content as content_stage
from . import render, search, site as site_stage
from .build import STATIC_DIR, static_assets
from .render import TEMPLATES_DIR

def index_inputs(site: site_stage.Site) -> dict[str, tuple]:
    """What each index page shows, in a comparable form: an index page whose inputs did not
    change is not rendered again (at 2,000 plans, the home page alone takes a quarter second)."""
    plans = tuple((p.id, p.title, p.year, p.issuer_name, p.kind, len(p.measures), p.draft,
                   p.issuer.department.id, p.has_status, p.report_as_of) for p in site.plans)
    departments = tuple((v.unit.id, v.unit.name, len(v.plans), len(v.sections), tuple(v.names_used))
                        for v in site.departments.values())
    units = tuple((g.body.id, g.body.name, tuple((v.unit.id, v.unit.name, v.lead_count, v.support_count)
                                                 for v in g.units)) for g in site.unit_index)
    return {
        "home": (plans, departments, site.measure_count, len(site.units)),
        "plans": plans,
        "units": units,
        "departments": departments,
        "search": (),
        "404": (),
    }


@dataclass
class Outcome:
    """What one (re)build did, for the terminal and the tests."""

    pages: int = 0  # pages rendered
    written: int = 0  # files whose bytes changed on disk
    removed: int = 0
    seconds: float = 0.0
    search_pending: bool = False


@dataclass
class LiveBuild:
    content_dir: Path
    output_dir: Path
    include_drafts: bool = True
    cache: content_stage.LoadCache = field(default_factory=content_stage.LoadCache)
    site: site_stage.Site | None = None
    files: dict = field(default_factory=dict)  # output path -> bytes, as on disk
    env: object = None
    indexes: dict = field(default_factory=dict)  # index page kind -> what it showed last
    search_index: search.SearchIndex = field(default_factory=search.SearchIndex)
    search_version: str = ""  # of the search data on disk; the search page asks for it
    search_lock: threading.Lock = field(default_factory=threading.Lock)

    def build_all(self) -> Outcome:
        """Load everything (through the cache) and render every page."""
        started = time.perf_counter()
        self.env = render.environment()
        site = self._derive()
        new = {path: html.encode("utf-8") for path, html in render.pages(site, self.env, self.search_version).items()}
        new.update(static_assets())
        outcome = self._write(new, replace_all=True)
        self.site = site
        self.indexes = index_inputs(site)
        outcome.pages = len(render.page_specs(site))
        outcome.search_pending = True
        outcome.seconds = time.perf_counter() - started
        return outcome

    def update(self, changed: set[Path]) -> Outcome:
        """Bring the output up to date after `changed` files changed; raises BuildFailed."""
        if self.site is None:
            return self.build_all()
        started = time.perf_counter()
        changed = {path.resolve() for path in changed}
        templates = {p for p in changed if _within(p, TEMPLATES_DIR) and p.suffix == ".html"}
        statics = {p for p in changed if _within(p, STATIC_DIR)}
        content = {p for p in changed if _within(p, self.content_dir.resolve())}
        plan_dir = (self.content_dir / "plans").resolve()
        whole_site = any(not _within(p, plan_dir) for p in content) or any(
            not _within(p, TEMPLATES_DIR / "pages") for p in templates)
        if whole_site:
            self.env = render.environment()  # templates are re-read
            outcome = self.build_all()
            outcome.seconds = time.perf_counter() - started
            return outcome

        outcome = Outcome()
        new = dict(self.files)
        if statics:
            for path, data in static_assets().items():
                new[path] = data
        old_site = self.site
        site = self._derive() if content else old_site
        indexes = index_inputs(site)
        specs = self._affected(old_site, site, templates, indexes)
        rendered = render.render_pages(site, self.env, specs, self.search_version) if specs else {}
        for path, html in rendered.items():
            new[path] = html.encode("utf-8")
        live = {spec.path for spec in render.page_specs(site)}
        for path in list(new):
            if path.endswith(".html") and path not in live:
                del new[path]
        outcome = self._write(new)
        self.site = site
        self.indexes = indexes
        outcome.pages = len(rendered)
        outcome.search_pending = bool(content)
        outcome.seconds = time.perf_counter() - started
        return outcome

    def build_search(self) -> Outcome:
        """Write the search data for the current site (run it after the pages are out)."""
        started = time.perf_counter()
        outcome = self.write_extra(self.search_files(self.site))
        outcome.seconds = time.perf_counter() - started
        return outcome

    def search_files(self, site: site_stage.Site) -> dict:
        """The search data for `site` and the search page that asks for it. Only the batches of
        plans that changed are indexed again (search.SearchIndex); safe to call from another thread."""
        with self.search_lock:
            files = self.search_index.files(site)
            version = search.version(files)
            page = [spec for spec in render.page_specs(site) if spec.kind == "search"]
            files.update({path: html.encode("utf-8")
                          for path, html in render.render_pages(site, self.env, page, version).items()})
            return files

    def write_extra(self, files: dict) -> Outcome:
        """Write files made elsewhere (the search data, built on another thread)."""
        self.search_version = search.version(files)
        kept = {path: data for path, data in self.files.items()
                if not path.startswith(search.DATA_DIR + "/")}
        return self._write({**kept, **files}, replace_search=True)

    # -- internals ------------------------------------------------------------------------

    def _derive(self) -> site_stage.Site:
        return site_stage.derive(content_stage.load(self.content_dir, self.include_drafts, self.cache))

    def _affected(self, old: site_stage.Site, new: site_stage.Site, templates: set[Path], indexes: dict) -> list:
        """The pages that can differ between `old` and `new` (or that use a changed template)."""
        old_plans = {plan.id: plan for plan in old.plans}
        new_plans = {plan.id: plan for plan in new.plans}
        changed_plans = [plan for pid, plan in old_plans.items() if new_plans.get(pid) is not plan]
        changed_plans += [plan for pid, plan in new_plans.items() if old_plans.get(pid) is not plan]
        units, departments = set(), set()
        for plan in changed_plans:
            departments.add(plan.issuer.department.id)
            for measure in plan.measures:
                for assignment in measure.assignments:
                    if assignment.unit is not None:
                        units.add(assignment.unit.id)
                        departments.add(assignment.unit.department.id)
        wanted_templates = {f"pages/{path.name}" for path in templates}
        specs = []
        for spec in render.page_specs(new):
            if spec.template in wanted_templates:
                specs.append(spec)
            elif not changed_plans:
                continue
            elif spec.kind in indexes:
                if indexes[spec.kind] != self.indexes.get(spec.kind):
                    specs.append(spec)
            elif spec.kind == "plan" and new_plans[spec.key] in changed_plans:
                specs.append(spec)
            elif spec.kind == "department" and spec.key in departments:
                specs.append(spec)
            elif spec.kind == "unit":
                unit = new.units[spec.key].unit
                if spec.key in units or unit.department.id in departments or (
                        unit.parent is not None and unit.parent.id in departments):
                    specs.append(spec)
        return specs

    def _write(self, new: dict, replace_all: bool = False, replace_search: bool = False) -> Outcome:
        """Write the files whose bytes changed and delete those that are gone (search data only
        when `replace_search`: pages are written before the search data that goes with them)."""
        outcome = Outcome()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        for path, data in new.items():
            if self.files.get(path) != data or replace_all and not (self.output_dir / path).exists():
                target = self.output_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                outcome.written += 1
        for path in set(self.files) - set(new):
            if path.startswith(search.DATA_DIR + "/"):
                if not replace_search:
                    new[path] = self.files[path]  # kept until the search data is rebuilt
                    continue
            (self.output_dir / path).unlink(missing_ok=True)
            outcome.removed += 1
        self.files = new
        return outcome


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False

