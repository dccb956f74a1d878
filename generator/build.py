"""The build, top to bottom: load and validate → model → site → search data and pages → write.

Two stages are spread over worker processes, one per CPU unless `workers` says otherwise:
reading and checking the plan files (they need nothing from each other), and rendering the
pages together with indexing the plans for search (the workers are forked once the site is
derived, so they share it without copying). The main process joins the results in a fixed
order, so the output is byte for byte the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from . import content as content_stage
from . import output, postings, render, search, site as site_stage
from .errors import BuildFailed, ContentError
from .render import TEMPLATES_DIR

STATIC_DIR = TEMPLATES_DIR / "static"
PAGES_PER_TASK = 48
FILES_PER_TASK = 64
WORTH_A_POOL = 200  # below this many plan files, forking workers costs more than it saves


def check(content_dir: Path) -> content_stage.Content:
    """Load and validate everything; raises errors.BuildFailed with every problem found."""
    return content_stage.load(content_dir, with_static=True)


def build_files(content_dir: Path, include_drafts: bool = False, workers: int | None = None,
                timings: dict | None = None) -> dict[str, bytes]:
    """Every file of the site, in memory: output path → content. `timings`, if given, receives
    the seconds each stage took (CPU seconds summed over workers for the parallel stages)."""
    timings = timings if timings is not None else {}
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(list((content_dir / "plans").glob("*.y*ml"))) < WORTH_A_POOL:
        workers = 1
    started = time.perf_counter()
    with _pool(workers) as pool:
        def read_plans(paths, folder):
            return _map(pool, content_stage.read_plan_file, paths, folder, FILES_PER_TASK)

        content = content_stage.load(content_dir, include_drafts=include_drafts, with_static=True,
                                     read_plans=read_plans if pool else None)
    timings["load"] = time.perf_counter() - started

    started = time.perf_counter()
    site = site_stage.derive(content)
    timings["derive"] = time.perf_counter() - started

    started = time.perf_counter()
    env = render.environment()
    specs = [spec for spec in render.page_specs(site) if spec.kind != "search"]
    postings.warm_up()
    _shared.update(site=site, env=env, specs=specs)
    files: dict[str, bytes] = {}
    with _pool(workers) as pool:
        chunks = [list(range(start, min(start + PAGES_PER_TASK, len(specs))))
                  for start in range(0, len(specs), PAGES_PER_TASK)]
        rendered = [pool.submit(_render_chunk, chunk) for chunk in chunks] if pool else None

        def index_batches(jobs):
            if pool is None:
                return [_index_batch(job) for job in jobs]
            return [future.result() for future in [pool.submit(_index_batch, job) for job in jobs]]

        search_cpu = time.process_time()
        found = search.SearchIndex().files(site, index_batches=_timed(index_batches, timings))
        timings["search (main)"] = time.process_time() - search_cpu
        for result in (future.result() for future in rendered) if pool else [_render_chunk(c) for c in chunks]:
            pages, seconds = result
            files.update(pages)
            timings["render"] = timings.get("render", 0.0) + seconds
    _shared.clear()
    version = search.version(found)
    search_page = [spec for spec in render.page_specs(site) if spec.kind == "search"]
    files.update({path: html.encode("utf-8") for path, html in render.render_pages(site, env, search_page, version).items()})
    files.update(static_assets())
    files.update(found)
    timings["pages and search"] = time.perf_counter() - started
    _add_site_root_files(files, content_dir, content.static)
    return files


def _add_site_root_files(files: dict, content_dir: Path, static: dict[str, bytes]) -> None:
    """content/static/ (CNAME, .htaccess …) joins the site; it may not replace a generated file."""
    clashes = sorted(set(static) & set(files))
    if clashes:
        raise BuildFailed([
            ContentError(content_dir / content_stage.STATIC_DIR_NAME / name, 0, 0, None,
                         f"与网站生成的文件 {name} 同名，不能覆盖它（clashes with a generated file）")
            for name in clashes
        ])
    files.update(static)


def _add_site_root_files(files: dict, content_dir: Path, static: dict[str, bytes]) -> None:
    """content/static/ (CNAME, .htaccess …) joins the site; it may not replace a generated file."""
    clashes = sorted(set(static) & set(files))
    if clashes:
        raise BuildFailed([
            ContentError(content_dir / content_stage.STATIC_DIR_NAME / name, 0, 0, None,
                         f"与网站生成的文件 {name} 同名，不能覆盖它（clashes with a generated file）")
            for name in clashes
        ])
    files.update(static)


def static_assets() -> dict[str, bytes]:
    """The site's own CSS and JavaScript, copied as they are."""
    return {
        f"assets/{path.relative_to(STATIC_DIR).as_posix()}": path.read_bytes()
        for path in sorted(STATIC_DIR.rglob("*")) if path.is_file()
    }


def build(content_dir: Path, output_dir: Path, workers: int | None = None,
          timings: dict | None = None) -> dict[str, bytes]:
    """Build `content_dir` into `output_dir`; on any error the old output is left untouched.

    The output is checked and locked first (output.claim), so a refused or busy output
    costs no build and changes nothing.
    """
    content_stage.require_folder(content_dir)
    with output.claim(output_dir, content_dir) as target:
        files = build_files(content_dir, workers=workers, timings=timings)
        started = time.perf_counter()
        output.write_site(files, target)
        if timings is not None:
            timings["write"] = time.perf_counter() - started
    return files


# -- worker processes -------------------------------------------------------------------------

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
    """Render some pages (by their place in _shared["specs"]); also the CPU seconds it took."""
    started = time.process_time()
    specs = [_shared["specs"][index] for index in indexes]
    pages = render.render_pages(_shared["site"], _shared["env"], specs)
    return {path: html.encode("utf-8") for path, html in pages.items()}, time.process_time() - started


def _index_batch(job) -> tuple[search.Batch, float]:
    started = time.process_time()
    batch = search.index_plans(*job)
    return batch, time.process_time() - started


def _timed(index_batches, timings: dict):
    """index_batches that also adds the workers' CPU seconds to timings["search (workers)"]."""
    def run(jobs):
        results = index_batches(jobs)
        timings["search (workers)"] = timings.get("search (workers)", 0.0) + sum(seconds for _, seconds in results)
        return [batch for batch, _ in results]
    return run
