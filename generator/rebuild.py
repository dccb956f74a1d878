"""What a change touches, for `build.py serve`: the pages to render again, now and right after.

The first build renders every page (the search data follows in the background). After that,
each batch of changed files is answered through the same Pipeline as `build`:
- a plan file: now, the pages whose dependencies changed (pages.KINDS: the plan's own page, the
  pages of the units and departments it names, before and after the edit); right after (`later`),
  the pages that show something of every plan (home, the indexes); then the search data;
- a registry file, site.yaml or a shared template: everything (names and settings reach every page);
- content/ or templates/ itself (the tool's or the site's own), deleted or put back
  (serve.PreviewServer.folder_replaced): everything;
- a page template (templates/pages/x.html, the tool's or the site's): the pages made from it;
- the site's own CSS or JS: those files.
Unchanged plan files are not even re-read (content.LoadCache); files are written only when their
bytes differ (output.LiveOutput). The result is always what a clean build with the same input
writes; tests/test_serve.py holds it to that.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import pages, search
from .build import Pipeline, static_assets
from .output import LiveOutput


@dataclass
class Outcome:
    """What one step of a (re)build did, for the terminal, the reloads and the tests."""

    pages: int = 0  # pages rendered
    written: list[str] = field(default_factory=list)  # files whose bytes changed on disk
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    search_pending: bool = False  # the search data is still to be brought up to date
    later: bool = False  # pages that show every plan are still to be rendered (LiveBuild.later)


class LiveBuild:
    """The preview's build: a Pipeline that keeps everything between edits, writing only changes."""

    def __init__(self, content_dir: Path, output_dir: Path, include_drafts: bool = True):
        self.pipeline = Pipeline(content_dir, include_drafts=include_drafts, workers=1)
        self.output = LiveOutput(output_dir)
        self.content_dir = content_dir
        self._later: list[pages.Page] = []

    @property
    def site(self):
        return self.pipeline.site

    def build_all(self) -> Outcome:
        """Load everything (through the cache) and render every page; the search data follows."""
        started = time.perf_counter()
        pipeline = self.pipeline
        site = pipeline.load()
        every_page = [page for page in pages.all_pages(site) if page.kind.depends(site, page.key) != pages.SEARCH]
        files = pipeline.render(site, every_page)
        files.update(static_assets(pipeline.templates))
        pipeline.site = site
        self._later = []
        outcome = self._outcome(self.output.write(files, replace=True), len(every_page), started)
        outcome.search_pending = True
        return outcome

    def update(self, changed: set[Path]) -> Outcome:
        """Bring the pages up to date after `changed` files changed; raises BuildFailed.

        Pages that show every plan are left for later() when a plan changed: they are rendered
        right after, so the page being edited reloads first."""
        if self.site is None:
            return self.build_all()
        started = time.perf_counter()
        changed = {path.resolve() for path in changed}
        content_dir = self.content_dir.resolve()
        content = {p for p in changed if _within(p, content_dir)}
        folders = self.pipeline.templates
        templates = {p for p in changed if folders.holds(p) and p.suffix == ".html"}
        statics = {p for p in changed if folders.holds(p, "static")}
        if set(folders.folders) & changed or any(not _within(p, content_dir / "plans") for p in content) or any(
                not folders.holds(p, "pages") for p in templates):
            outcome = self.build_all()
            outcome.seconds = time.perf_counter() - started
            return outcome

        pipeline = self.pipeline
        old = self.site
        site = pipeline.load() if content else old
        plans_changed = len(old.plans) != len(site.plans) or any(a is not b for a, b in zip(old.plans, site.plans))
        changed_templates = {f"pages/{path.name}" for path in templates}
        now, later = [], []
        for page in pages.all_pages(site):
            depends = page.kind.depends(site, page.key)
            if depends == pages.SEARCH:
                continue
            if page.template in changed_templates:
                now.append(page)
            elif depends == pages.EVERY_PLAN:
                if plans_changed:
                    later.append(page)
            elif page.path not in pipeline.dependencies or not pages.same_dependencies(
                    pipeline.dependencies[page.path], depends):
                # Data files (JSON, CSV) are nobody's open page: they wait until the pages are shown.
                (later if page.kind.produce is not None else now).append(page)
        files = pipeline.render(site, now)
        if statics:
            files.update(static_assets(pipeline.templates))
        live = {page.path for page in pages.all_pages(site)}
        # Pages (and data files) rendered before whose plan is gone; assets and search data are not pages.
        gone = [path for path in pipeline.dependencies if path not in live]
        for path in gone:
            pipeline.dependencies.pop(path, None)
        pipeline.site = site
        # What an earlier edit left for later and serve has not rendered yet is in `later` again:
        # its page's recorded dependencies are still the old ones.
        self._later = later
        outcome = self._outcome(self.output.write(files, remove=gone), len(now), started)
        outcome.search_pending = bool(content)
        outcome.later = bool(later)
        return outcome

    def later(self) -> Outcome:
        """Render the pages update() left for later (those that show every plan, and data files)."""
        started = time.perf_counter()
        chosen, self._later = self._later, []
        files = self.pipeline.render(self.site, chosen) if chosen else {}
        return self._outcome(self.output.write(files), len(chosen), started)

    def build_search(self) -> Outcome:
        """Write the search data for the current site (what serve does in the background)."""
        started = time.perf_counter()
        outcome = self.write_extra(self.search_files(self.site))
        outcome.seconds = time.perf_counter() - started
        return outcome

    def search_files(self, site) -> dict[str, bytes]:
        """The search data for `site` and the search page; safe to call from another thread."""
        return self.pipeline.search_files(site)

    def write_extra(self, files: dict[str, bytes]) -> Outcome:
        """Write the search data made on another thread, replacing the old search data."""
        started = time.perf_counter()
        return self._outcome(self.output.write(files, replace_prefix=search.DATA_DIR + "/"), 0, started)

    def _outcome(self, written: tuple[list[str], list[str]], rendered: int, started: float) -> Outcome:
        return Outcome(pages=rendered, written=written[0], removed=written[1],
                       seconds=time.perf_counter() - started)


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
