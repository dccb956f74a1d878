"""The build, top to bottom: load and validate → model → site → pages and search data → write.

`Pipeline` is the one way from content to files, for `build` (everything, once, then swapped in
by output.write_site) and for `serve` (everything at the start, then after each edit only what
the edit touched, written by output.LiveOutput). Which pages an edit touches follows from the
table of page kinds (pages.KINDS); rebuild.py turns changed files into that question.

`build` spreads two stages over worker processes, one per CPU unless `workers` says otherwise:
reading and checking the plan files (they need nothing from each other), and rendering the pages
together with indexing the plans for search (the workers are forked once the site is derived,
so they share it without copying). The main process joins the results in a fixed order, so the
output is byte for byte the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import content as content_stage
from . import output, pages, postings, render, search, site as site_stage
from .errors import BuildFailed, ContentError

PAGES_PER_TASK = 48
FILES_PER_TASK = 64
WORTH_A_POOL = 200  # below this many plan files, forking workers costs more than it saves


def check(content_dir: Path) -> content_stage.Content:
    """Load and validate everything; raises errors.BuildFailed with every problem found."""
    return content_stage.load(content_dir, with_static=True)


def build_files(content_dir: Path, include_drafts: bool = False, workers: int | None = None,
                timings: dict | None = None, notices: list | None = None) -> dict[str, bytes]:
    """Every file of the site, in memory: output path → content. `timings`, if given, receives
    the seconds each stage took (CPU seconds summed over workers for the parallel stages);
    `notices` what the editor should know (a file not written, and why)."""
    pipeline = Pipeline(content_dir, include_drafts=include_drafts, workers=workers, with_static=True)
    files = pipeline.everything()
    if timings is not None:
        timings.update(pipeline.timings)
    if notices is not None:
        notices.extend(pages.notices(pipeline.site))
    return files


def build(content_dir: Path, output_dir: Path, workers: int | None = None,
          timings: dict | None = None, notices: list | None = None) -> dict[str, bytes]:
    """Build `content_dir` into `output_dir`; on any error the old output is left untouched.

    The output is checked and locked first (output.claim), so a refused or busy output
    costs no build and changes nothing.
    """
    content_stage.require_folder(content_dir)
    with output.claim(output_dir, content_dir) as target:
        files = build_files(content_dir, workers=workers, timings=timings, notices=notices)
        started = time.perf_counter()
        output.write_site(files, target)
        if timings is not None:
            timings["write"] = time.perf_counter() - started
    return files


def static_assets(templates: render.Templates = render.Templates()) -> dict[str, bytes]:
    """The site's own CSS and JavaScript, copied as they are (a site's templates/static/ first)."""
    return templates.static_files()


@dataclass
class Pipeline:
    """Content to files, kept between runs: the content cache, the search index, the Jinja
    environment and what each page depended on when it was last rendered."""

    content_dir: Path
    include_drafts: bool = False
    workers: int | None = None
    with_static: bool = False  # content/static/ joins the site (build; the preview leaves it out)
    cache: content_stage.LoadCache = field(default_factory=content_stage.LoadCache)
    search_index: search.SearchIndex = field(default_factory=search.SearchIndex)
    # The site's own templates/ (beside content/) before the tool's. Jinja reloads a template
    # whose file changed (auto_reload), so one environment serves every run of the preview;
    # compiled templates are shared by every environment (render.py).
    templates: render.Templates | None = None
    env: object = None
    site: site_stage.Site | None = None
    dependencies: dict = field(default_factory=dict)  # page path → its dependencies when last rendered
    search_version: str = ""  # of the search data last made; the search page asks for it
    timings: dict = field(default_factory=dict)
    search_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.templates = self.templates or render.Templates.of_site(self.content_dir)
        self.env = self.env or self.templates.environment()

    def load(self) -> site_stage.Site:
        """Read what changed (every plan file the first time, in worker processes when worth it)
        and derive the site; raises BuildFailed listing every mistake."""
        started = time.perf_counter()
        workers = self._workers()
        with _pool(workers) as pool:
            def read_plans(paths, folder):
                return _map(pool, content_stage.read_plan_file, paths, folder, FILES_PER_TASK)

            content = content_stage.load(self.content_dir, self.include_drafts, self.cache,
                                         with_static=self.with_static, read_plans=read_plans if pool else None)
        self.timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        site = site_stage.derive(content)
        self.timings["derive"] = time.perf_counter() - started
        return site

    def everything(self) -> dict[str, bytes]:
        """Every file of the site: all pages, the site's own assets, the search data."""
        site = self.load()
        started = time.perf_counter()
        every_page = [page for page in pages.all_pages(site) if page.kind.depends(site, page.key) != pages.SEARCH]
        files = self.render(site, every_page)
        found = self.search_files(site)
        files.update(found)
        files.update(static_assets(self.templates))
        if self.with_static:
            _add_site_root_files(files, self.content_dir, site.content.static)
        self.timings["pages and search"] = time.perf_counter() - started
        self.site = site
        return files

    def render(self, site: site_stage.Site, chosen: list[pages.Page]) -> dict[str, bytes]:
        """Render `chosen` pages of `site` (in worker processes when worth it) and remember what
        each depended on."""
        workers = self._workers()
        if workers > 1 and len(chosen) > PAGES_PER_TASK:
            files = self._render_in_workers(site, chosen, workers)
        else:
            files = pages.render(site, self.env, chosen, self.search_version)
        for page in chosen:
            self.dependencies[page.path] = page.kind.depends(site, page.key)
        return files

    def search_files(self, site: site_stage.Site, index_batches=None) -> dict[str, bytes]:
        """The search data for `site` and the search page that names its version. Only batches
        of plans that changed are indexed again (search.SearchIndex); safe to call from another
        thread than the one rendering pages."""
        with self.search_lock:
            started = time.process_time()
            files = self.search_index.files(site, index_batches=index_batches or self._index_batches)
            self.timings["search (main)"] = time.process_time() - started
            version = search.version(files)
            search_page = [page for page in pages.all_pages(site) if page.kind.depends(site, page.key) == pages.SEARCH]
            files.update(pages.render(site, self.env, search_page, version))
            self.search_version = version
            return files

    # -- worker processes ---------------------------------------------------------------------

    def _workers(self) -> int:
        workers = self.workers or os.cpu_count() or 1
        plans = self.content_dir / "plans"
        if workers > 1 and (not plans.is_dir() or len(list(plans.glob("*.y*ml"))) < WORTH_A_POOL):
            return 1
        return workers

    def _render_in_workers(self, site, chosen, workers) -> dict[str, bytes]:
        """Pages and the plans' search batches share the workers: both are pure functions of the site."""
        postings.warm_up()
        _shared.update(site=site, env=self.env, pages=chosen, version=self.search_version)
        files: dict[str, bytes] = {}
        try:
            with _pool(workers) as pool:
                chunks = [list(range(start, min(start + PAGES_PER_TASK, len(chosen))))
                          for start in range(0, len(chosen), PAGES_PER_TASK)]
                rendered = [pool.submit(_render_chunk, chunk) for chunk in chunks]
                # Index the plans for search now too, while the workers are at hand; the main
                # process joins the batches in search_files.
                jobs = [(site.plans[start:start + search.PLANS_PER_BATCH], start)
                        for start in range(0, len(site.plans), search.PLANS_PER_BATCH)]
                indexed = [pool.submit(_index_batch, job) for job in jobs]
                for future in rendered:
                    chunk_files, seconds = future.result()
                    files.update(chunk_files)
                    self.timings["render"] = self.timings.get("render", 0.0) + seconds
                self._ready_batches = {job[1]: future.result() for job, future in zip(jobs, indexed)}
        finally:
            _shared.clear()
        return files

    _ready_batches: dict = None

    def _index_batches(self, jobs: list) -> list:
        """Batches indexed ahead by the workers (_render_in_workers) if there are, else here."""
        ready = self._ready_batches or {}
        self._ready_batches = None
        results = []
        for plans, start in jobs:
            if start in ready and ready[start][0] is not None:
                batch, seconds = ready[start]
            else:
                batch, seconds = _index_batch((plans, start))
            self.timings["search (workers)"] = self.timings.get("search (workers)", 0.0) + seconds
            results.append(batch)
        return results


REPLACEABLE = {"robots.txt"}  # generated, but the web team's own in content/static/ comes first


def _add_site_root_files(files: dict, content_dir: Path, static: dict[str, bytes]) -> None:
    """content/static/ (CNAME, .htaccess …) joins the site; it may not replace a generated file
    (but robots.txt, which a web team may well want to write itself)."""
    clashes = sorted(set(static) & set(files) - REPLACEABLE)
    if clashes:
        raise BuildFailed([
            ContentError(content_dir / content_stage.STATIC_DIR_NAME / name, 0, 0, None, kind="static-clashes",
                         values={"name": name})
            for name in clashes
        ])
    files.update(static)


_shared: dict = {}  # what forked workers inherit: the site, the Jinja environment, the page list


@contextmanager
def _pool(workers: int):
    """A pool of `workers` forked processes, or None to work in this process alone."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    gc.collect()
    gc.freeze()  # objects made so far stay where they are: the forked workers share their pages
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _map(pool, function, items: list, argument, per_task: int):
    """function(item, argument) for each item, in order, as the workers finish them (a task is
    `per_task` items)."""
    chunks = [items[start:start + per_task] for start in range(0, len(items), per_task)]
    for answers in pool.map(_apply_each, [function] * len(chunks), chunks, [argument] * len(chunks)):
        yield from answers


def _apply_each(function, items: list, argument) -> list:
    return [function(item, argument) for item in items]


def _render_chunk(indexes: list[int]) -> tuple[dict[str, bytes], float]:
    """Render some pages (by their place in _shared["pages"]); also the CPU seconds it took."""
    started = time.process_time()
    chosen = [_shared["pages"][index] for index in indexes]
    files = pages.render(_shared["site"], _shared["env"], chosen, _shared["version"])
    return files, time.process_time() - started


def _index_batch(job) -> tuple[search.Batch, float]:
    started = time.process_time()
    batch = search.index_plans(*job)
    return batch, time.process_time() - started
