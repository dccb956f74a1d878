"""When the preview writes what a change touched: the pages now, the pages that show every plan
right after, the search data in the background.

serve.py sorts what it saw into changes (changes.py) and hands them here; the one build state
(build.Pipeline: content cache, site, page dependencies, search index) says which files differ:
- a plan file: now, the pages whose dependencies changed (pages.KINDS: the plan's own page, the
  pages of the units and departments it names, before and after the edit); right after (`later`),
  the pages that show something of every plan (home, the indexes) and the data files; then the
  search data;
- a report or registry file, site.yaml or a shared template, content/ or templates/ itself
  (the tool's or the site's own) deleted or put back: everything;
- a page template (templates/pages/x.html, the tool's or the site's): the pages made from it;
- the site's own CSS or JS: those files.
Only the files a change names are read again (contentfiles.LoadCache); files are written only
when their bytes differ (output.LiveOutput). The result is always what a clean build with the
same input writes; tests/test_serve.py holds it to that.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import pages, search
from .build import Applied, Pipeline
from .changes import Change
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
    """The preview's build: changes go to the Pipeline, what it renders is written to the
    preview's folder; this keeps only what is to be done next."""

    def __init__(self, content_dir: Path, output_dir: Path, include_drafts: bool = True):
        self.pipeline = Pipeline(content_dir, include_drafts=include_drafts, workers=1, with_static=True)
        self.output = LiveOutput(output_dir)
        self._later: list[pages.Page] = []

    @property
    def site(self):
        return self.pipeline.site

    @property
    def templates(self):
        return self.pipeline.templates

    def build_all(self) -> Outcome:
        """The first build: every page (the search data follows)."""
        return self.update([])

    def update(self, changes: list[Change]) -> Outcome:
        """Bring the pages up to date after `changes`; raises BuildFailed.

        Pages that show every plan are left for later() when a plan changed: they are rendered
        right after, so the page being edited reloads first. What an earlier change left for
        later and later() has not rendered yet is among them again (the Pipeline counts those
        pages stale until rendered)."""
        started = time.perf_counter()
        applied: Applied = self.pipeline.apply(changes)
        self._later = applied.later
        if applied.everything:
            _settle()
        written = self.output.write(applied.files, replace=applied.everything, remove=applied.removed)
        outcome = self._outcome(written, applied.rendered, started)
        outcome.search_pending, outcome.later = applied.search_pending, bool(applied.later)
        return outcome

    def later(self) -> Outcome:
        """Render the pages update() left for later (those that show every plan, and data files)."""
        started = time.perf_counter()
        chosen, self._later = self._later, []
        return self._outcome(self.output.write(self.pipeline.render_later(chosen)), len(chosen), started)

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


def _settle() -> None:
    """Set the site just built aside from Python's cycle collector (gc.freeze). Its full passes
    walk every object; at 10,000 plans (tens of millions of objects) one took seconds, and came
    in the middle of an edit. What an edit replaces afterwards is collected as usual; what it
    replaces of the frozen site (the first version of each edited plan) waits for the next
    build of everything, which lets the old site go (unfreeze, collect) before setting the new aside."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
