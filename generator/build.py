"""The build, top to bottom: load and validate → model → site → pages and search data → write.

`build` writes a site of any size in memory that does not grow with it. No process holds every
plan: the plans are read, built and rendered in batches in worker processes (one per CPU unless
`workers` says otherwise), which write their pages straight into the staging folder
(output.Staging) and hand back only what the pages about many plans need:

1. The registry and settings are read here; the workers are forked then, before any plan.
2. Every plan and report file is read and checked by the workers; what each holds goes to the
   store (parsed.Store, kept beside the output, so the next build parses only what changed) and
   here come back its id, year and whether it is a draft, or its mistakes.
3. The plans, in site order, a search batch (search.PLANS_PER_BATCH) at a time: a worker builds
   them from the store with their reports, writes their pages and open data, indexes them for
   search, renders each unit's duties in them as its unit page will list them (kept in the
   scratch folder, output.Staging.work) and hands back the plan index (site.PlanEntry), each
   unit's duties in figures, the search batch and any mistakes.
4. Here, from that index: the unit and department pages (their lists as the workers rendered
   them), the pages about every plan, the search data, the site's own assets.
The workers' answers are joined in site order, so the output is byte for byte the same whatever
the number of workers, and the same as the whole-model pages `serve` renders.

`Pipeline` is the whole model at once, the one build state `serve` keeps: everything at the
start, then after each change (changes.Change: what serve saw, sorted once) only the files the
change names are read again and only the pages it touches rendered (Pipeline.apply). Which
pages a change touches follows from the table of page kinds (pages.KINDS); rebuild.py decides
only when they are written (output.LiveOutput).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import content as content_stage
from . import contentfiles, output, pages, parsed, postings, progress, render, search, site as site_stage
from . import yamlfile
from .changes import CONTENT, EVERYTHING, Change, ChangeKind, kinds_of, merged, paths_of
from .errors import BuildFailed, ContentError
from .model import STATES, Content
from .precompress import precompress as gzip_copies

FILES_PER_TASK = 64
WORTH_A_POOL = 200  # below this many plan files, forking workers costs more than it saves


def check(content_dir: Path) -> content_stage.Content:
    """Load and validate everything; raises errors.BuildFailed with every problem found."""
    return content_stage.load(content_dir, with_static=True)


def build(content_dir: Path, output_dir: Path, workers: int | None = None,
          timings: dict | None = None, notices: list | None = None, precompress: bool = False) -> Mapping[str, bytes]:
    """Build `content_dir` into `output_dir`; on any error the old output is left untouched.
    Returns what was written: path → bytes, read from the output when asked. `precompress`:
    a .gz copy beside each text file (generator/precompress.py).

    The output is checked and locked first (output.claim), so a refused or busy output
    costs no build and changes nothing.
    """
    contentfiles.require_folder(content_dir)
    with output.claim(output_dir, content_dir) as target:
        store = parsed.beside(target)
        with output.staged(target) as staging:
            built = SiteBuild(content_dir, staging, store or parsed.Store(staging.work / "parsed"), workers,
                              with_static=True)
            built.run()
            built.paths.update(gzip_copies(staging.folder, built.paths) if precompress else ())
            started = time.perf_counter()
            output.swap_in(staging, target, built.paths)
        if store is not None:
            store.keep_only(built.keys)
        built.timings["swap"] = time.perf_counter() - started
    if timings is not None:
        timings.update(built.timings)
    if notices is not None:
        notices.extend(built.notices)
    return Written(target, sorted(built.paths))


def build_files(content_dir: Path, include_drafts: bool = False, workers: int | None = None,
                timings: dict | None = None, notices: list | None = None) -> dict[str, bytes]:
    """Every file of the site, in memory (for tests and small sites): built as `build` builds
    it, into a temporary folder, and read back."""
    contentfiles.require_folder(content_dir)
    with tempfile.TemporaryDirectory(prefix="zwgk-build-") as folder:
        staging = output.Staging(Path(folder) / "site", Path(folder) / "work")
        staging.folder.mkdir()
        staging.work.mkdir()
        built = SiteBuild(content_dir, staging, parsed.Store(staging.work / "parsed"), workers,
                          include_drafts=include_drafts, with_static=True)
        built.run()
        files = {path: (staging.folder / path).read_bytes() for path in sorted(built.paths)}
    if timings is not None:
        timings.update(built.timings)
    if notices is not None:
        notices.extend(built.notices)
    return files


class Written(Mapping):
    """The files a build wrote: their paths, and each one's bytes read from the output when asked
    (a large site is never in memory at once)."""

    def __init__(self, folder: Path, paths: list[str]):
        self.folder = folder
        self._paths = dict.fromkeys(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __iter__(self):
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def static_assets(templates: render.Templates = render.Templates()) -> dict[str, bytes]:
    """The site's own CSS and JavaScript, copied as they are (a site's templates/static/ first)."""
    return templates.static_files()


# -- the build, plans a batch at a time ---------------------------------------------------------

@dataclass
class FileRecord:
    """A plan or report file as the workers found it: the store's key and its facts
    (plan: id, year, draft; report: the plan's id, draft), or its mistakes."""

    path: Path
    kind: str
    key: str | None
    facts: tuple | None
    errors: list[ContentError]


@dataclass
class PlanJob:
    path: Path
    key: str
    reports: list[tuple[Path, str]]  # its report files, (path, key)


@dataclass
class PlanTask:
    """Plans for one worker: built, and when `start` is not None (their first block in site
    order) rendered and indexed as one search batch; else only checked (drafts, a second file
    with an id already taken)."""

    plans: list[PlanJob]
    start: int | None


@dataclass
class TaskResult:
    errors: list[ContentError]
    built: list[tuple[Path, str | None]]  # each plan's id, None when it could not be built
    entries: list[site_stage.PlanEntry] = field(default_factory=list)  # issuer as its id, tally as figures
    groups: list[tuple] = field(default_factory=list)  # (unit id, plan's place in the task, kind, count, figures, listing)
    batch: search.Batch | None = None
    written: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class SiteBuild:
    """One build of the whole site into `staging` (see the module's docstring)."""

    content_dir: Path
    staging: output.Staging
    store: parsed.Store
    workers: int | None = None
    include_drafts: bool = False
    with_static: bool = False
    paths: set[str] = field(default_factory=set)  # every file written
    keys: set[str] = field(default_factory=set)  # the store's entries this build used
    timings: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def run(self) -> None:
        started = time.perf_counter()
        errors: list[ContentError] = []
        settings = contentfiles.load_settings(self.content_dir, errors)
        registry = content_stage.read_registry(self.content_dir, errors)
        plan_paths = contentfiles.yaml_files(self.content_dir / "plans", errors)
        report_paths = contentfiles.yaml_files(self.content_dir / "reports", errors)
        templates = render.Templates.of_site(self.content_dir)
        env = templates.environment(auto_reload=False)
        for name in ("pages/plan.html", "components/measure_list.html"):
            env.get_template(name)  # compiled once, before the workers are forked
        postings.warm_up()
        _shared.update(content_dir=self.content_dir, store=self.store, staging=self.staging, registry=registry,
                       settings=settings, env=env)
        try:
            with _pool(_workers(self.workers, len(plan_paths))) as pool:
                records = list(_map(pool, _read_file, [(path, "plan") for path in plan_paths]
                                    + [(path, "report") for path in report_paths], FILES_PER_TASK))
                self.timings["read"] = time.perf_counter() - started
                started = time.perf_counter()
                tasks, reports = self._tasks(records, errors)
                results = list(_map(pool, _make_plans, tasks, 1))
                self.timings["plans"] = time.perf_counter() - started
                self.timings["plans (CPU in workers)"] = sum(result.seconds for result in results)
        finally:
            _shared.clear()
        started = time.perf_counter()
        index, groups, batches = self._join(results, registry, errors)
        self._admit(records, results, reports, errors)
        static = contentfiles.static_files(self.content_dir, errors) if self.with_static else {}
        if errors:
            raise BuildFailed(errors)
        site = site_stage.derive_from_index(Content(units=registry.units, plans=index, settings=settings), groups)
        self.notices.extend(pages.notices(site))
        self.timings["site"] = time.perf_counter() - started
        started = time.perf_counter()
        chosen = [page for page in pages.all_pages(site)
                  if not page.kind.of_plan and page.kind.depends(site, page.key) != pages.SEARCH]
        # The pages about many plans are rendered by workers forked now (they see the site as it is
        # here) while this process makes the search data: the two need nothing of each other.
        _shared.update(site=site, env=env, staging=self.staging, pages=chosen)
        try:
            workers = _workers(self.workers, len(plan_paths))
            with _pool(workers) as pool:
                shares = _shares(len(chosen), workers if pool else 1)
                written = [pool.submit(_render_share, share) for share in shares] if pool else []
                entry = search.SearchIndex().files(site, index_batches=lambda jobs: [batches.pop(start) for _, start in jobs],
                                                   write=self._write)
                version = search.version(entry)
                self.timings["search"] = time.perf_counter() - started
                for share in (shares if pool is None else ()):
                    self.paths.update(_render_share(share))
                for future in written:
                    self.paths.update(future.result())
        finally:
            _shared.clear()
        self.timings["pages and search"] = time.perf_counter() - started
        search_page = [page for page in pages.all_pages(site) if page.kind.depends(site, page.key) == pages.SEARCH]
        for path, data in pages.each(site, env, search_page, version):
            self._write(path, data)
        for path, data in static_assets(templates).items():
            self._write(path, data)
        if self.with_static:
            _add_site_root_files(self, static)

    def _write(self, path: str, data: bytes) -> None:
        self.staging.write(path, data)
        self.paths.add(path)

    def _tasks(self, records: list[FileRecord], errors: list[ContentError]) -> tuple[list[PlanTask], list]:
        """The plans to build, a search batch to a task in site order (published ones) and the rest
        to check; each published plan with its report files. Which plan is published is told
        from the files' facts; _admit then applies the rules to what was really built."""
        plans = [record for record in records if record.kind == "plan" and not record.errors]
        reports = [record for record in records if record.kind == "report" and not record.errors]
        for record in records:
            errors.extend(record.errors)
            if record.key is not None:
                self.keys.add(record.key)
        taken: set[str] = set()
        published, others = [], []
        for record in plans:
            plan_id, year, draft = record.facts
            if plan_id not in taken and (self.include_drafts or not draft):
                published.append(record)
            else:
                others.append(record)
            taken.add(plan_id)
        published.sort(key=lambda record: (-record.facts[1], record.facts[0]))
        of_plan: dict[str, list[tuple[Path, str]]] = {}
        for record in reports:
            plan_id, draft = record.facts
            if self.include_drafts or not draft:
                of_plan.setdefault(plan_id, []).append((record.path, record.key))
        jobs = [PlanJob(record.path, record.key, of_plan.get(record.facts[0], [])) for record in published]
        tasks = [PlanTask(jobs[start:start + search.PLANS_PER_BATCH], start)
                 for start in range(0, len(jobs), search.PLANS_PER_BATCH)]
        tasks += [PlanTask([PlanJob(record.path, record.key, []) for record in others[start:start + search.PLANS_PER_BATCH]],
                           None) for start in range(0, len(others), search.PLANS_PER_BATCH)]
        return tasks, reports

    def _join(self, results: list[TaskResult], registry, errors: list[ContentError]):
        """The plan index, each unit's duties and the search batches, in site order."""
        index: list[site_stage.PlanEntry] = []
        groups: list[tuple] = []
        batches: dict[int, search.Batch] = {}
        tallies: dict[tuple, site_stage.Tally] = {}  # equal figures shared: most are a handful of values
        listings = self.staging.work / "listings"
        files: dict[str, Path] = {}  # listings file → its path, one object for all its groups

        def tally(figures: tuple) -> site_stage.Tally:
            if figures not in tallies:
                total, states, overdue, on_time = figures
                tallies[figures] = site_stage.Tally(total, [(_STATE_BY_TAG[tag], count) for tag, count in states],
                                                    overdue, on_time)
            return tallies[figures]

        for result in results:
            errors.extend(result.errors)
            self.paths.update(result.written)
            first = len(index)
            for entry in result.entries:
                entry.issuer = registry.by_id[entry.issuer]
                entry.tally = tally(entry.tally)
                index.append(entry)
            for unit_id, place, kind, count, figures, (name, offset, length) in result.groups:
                if name not in files:
                    files[name] = listings / name
                group = site_stage.ListedDuties(index[first + place], count, tally(figures),
                                                Listing(files[name], offset, length))
                groups.append((registry.by_id[unit_id], kind, group))
            if result.batch is not None:
                batches[first] = result.batch
        return index, groups, batches

    def _admit(self, records: list[FileRecord], results: list[TaskResult], reports: list[FileRecord],
               errors: list[ContentError]) -> None:
        """The rules on ids and on the plans reports name, as content.load applies them, to the
        plans that were built (file order); and the message for a site without plans."""
        built = {path: plan_id for result in results for path, plan_id in result.built if plan_id is not None}
        drafts = {record.path: record.facts[2] for record in records if record.kind == "plan" and record.facts}
        seen: dict[str, Path] = {}
        published = left_out = 0
        for path in sorted(built, key=str):
            if content_stage.admit(path, built[path], contentfiles.document_at(path, self.content_dir), seen, errors):
                if self.include_drafts or not drafts[path]:
                    published += 1
                else:
                    left_out += 1
        for record in reports:
            content_stage.report_of_known_plan(record.path, record.facts[0],
                                               contentfiles.document_at(record.path, self.content_dir), seen, errors)
        if not errors and not published:
            errors.append(content_stage.no_plans(self.content_dir, left_out))


_STATE_BY_TAG = {state.tag: state for state in STATES}


def _figures(counted: site_stage.Tally) -> tuple:
    """A Tally as plain values, to cross from a worker (see SiteBuild._join)."""
    return counted.total, tuple((state.tag, count) for state, count in counted.states), counted.overdue, counted.on_time


@dataclass(frozen=True, slots=True)
class Listing:
    """A unit's duties in one plan as a worker rendered them: a stretch of a scratch file."""

    path: Path
    offset: int
    length: int

    def text(self) -> str:
        handle = _open_listings.get(self.path)
        if handle is None:
            if len(_open_listings) >= _OPEN_LISTINGS_AT_MOST:
                os.close(_open_listings.pop(next(iter(_open_listings))))
            handle = _open_listings[self.path] = os.open(self.path, os.O_RDONLY)
        return os.pread(handle, self.length, self.offset).decode("utf-8")


# The scratch files a process reads listings from, kept open while it renders unit pages (a page
# reads from many of them, each file serves many pages); closed by _close_listings.
_open_listings: dict[Path, int] = {}
_OPEN_LISTINGS_AT_MOST = 64


def _close_listings() -> None:
    while _open_listings:
        os.close(_open_listings.popitem()[1])


REPLACEABLE = {"robots.txt"}  # generated, but the web team's own in content/static/ comes first


def site_root_files(content_dir: Path, static: dict[str, bytes], generated) -> dict[str, bytes]:
    """content/static/ (CNAME, .htaccess, originals of plans …) as it joins the site beside the
    `generated` paths: it may not replace a generated file (but robots.txt, which a web team may
    well want to write itself). The build and the preview both hold to this."""
    clashes = sorted(set(static).intersection(generated) - REPLACEABLE)
    if clashes:
        raise BuildFailed([
            ContentError(content_dir / contentfiles.STATIC_DIR_NAME / name, 0, 0, None, kind="static-clashes",
                         values={"name": name})
            for name in clashes
        ])
    return static


def _add_site_root_files(built: SiteBuild, static: dict[str, bytes]) -> None:
    for path, data in site_root_files(built.content_dir, static, built.paths).items():
        built._write(path, data)


# -- what the workers do -------------------------------------------------------------------------

_shared: dict = {}  # what forked workers inherit: folders, the store, the registry, settings, templates


def _read_file(job: tuple[Path, str]) -> FileRecord:
    """Read and check one plan or report file, or find it in the store (parsed.py)."""
    path, kind = job
    content_dir, store = _shared["content_dir"], _shared["store"]
    errors: list[ContentError] = []
    try:
        raw = yamlfile.read_bytes(path, content_dir)
    except ContentError as error:
        return FileRecord(path, kind, None, None, [error])
    key = store.key(kind, raw)
    data = store.get(key)
    if data is None:
        document = contentfiles.read(path, kind, errors, content_dir, positions=False, raw=raw)
        if document is None:
            return FileRecord(path, kind, None, None, errors)
        data = document.data
        store.put(key, data)
    facts = (data["id"], data["year"], bool(data.get("draft"))) if kind == "plan" else (data["plan"], bool(data.get("draft")))
    return FileRecord(path, kind, key, facts, [])


def _document(path: Path, key: str, kind: str, errors: list[ContentError]) -> yamlfile.YamlFile | None:
    """A checked file from the store; read again if the store lost it."""
    content_dir = _shared["content_dir"]
    data = _shared["store"].get(key)
    if data is not None:
        return yamlfile.YamlFile(path=path, data=data, positions=None, key_positions=None, root=content_dir)
    return contentfiles.read(path, kind, errors, content_dir, positions=False)


def _make_plans(task: PlanTask) -> TaskResult:
    """Build a task's plans; when it is a batch of published plans and all is well, write their
    pages and open data, render their units' duty lists and index them for search."""
    started = time.process_time()
    registry = _shared["registry"]
    errors: list[ContentError] = []
    result = TaskResult(errors, [])
    plans = []
    for job in task.plans:
        document = _document(job.path, job.key, "plan", errors)
        plan = content_stage.build_plan(document, registry, errors) if document is not None else None
        result.built.append((job.path, plan.id if plan else None))
        if plan is not None and task.start is not None:
            reports = [content_stage.report_entries(found, plan, errors)
                       for found in (_document(path, key, "report", errors) for path, key in job.reports)
                       if found is not None]
            progress.attach(plan, reports)
            plans.append(plan)
    if task.start is not None and not errors:
        _render_plans(plans, task.start, result)
    result.seconds = time.process_time() - started
    return result


def _render_plans(plans: list, start: int, result: TaskResult) -> None:
    """Each plan's pages and open data, written; the plan index; each unit's duties in each plan,
    rendered into the task's listings file; the plans' search batch."""
    staging, env, settings = _shared["staging"], _shared["env"], _shared["settings"]
    registry = _shared["registry"]
    site = site_stage.Site(content=Content(units=registry.units, plans=plans, settings=settings), plans=plans,
                           units={}, departments={}, unit_index=[])
    chosen = [pages.Page(kind, plan.id) for plan in plans for kind in pages.KINDS if kind.of_plan]
    for path, data in pages.each(site, env, chosen):
        staging.write(path, data)
        result.written.append(path)
    duty_list = env.get_template("components/measure_list.html").module.duty_list
    name = f"{start}.html"
    (staging.work / "listings").mkdir(exist_ok=True)
    with open(staging.work / "listings" / name, "wb") as listings:
        def listed(group, unit, page: str, filter: bool) -> tuple[str, int, int]:
            data = str(duty_list(group, unit, render.linker(page), filter=filter)).encode("utf-8")
            offset = listings.tell()
            listings.write(data)
            return name, offset, len(data)

        for place, plan in enumerate(plans):
            entry = site_stage.PlanEntry.of(plan)
            entry.issuer, entry.tally = plan.issuer.id, _figures(entry.tally)
            result.entries.append(entry)
            for unit, duties in site_stage.duties_by_unit(plan).items():
                for kind, chosen_duties in zip(("leads", "supports"), site_stage.by_role(duties)):
                    if chosen_duties:
                        group = site_stage.PlanDuties(plan, chosen_duties)
                        result.groups.append((unit.id, place, kind, group.count, _figures(group.tally),
                                              listed(group, unit, f"units/{unit.id}/index.html", True)))
                if unit.is_department and not site_stage.issued_within(plan, unit):
                    group = site_stage.PlanDuties(plan, duties)
                    result.groups.append((unit.id, place, "upward", group.count, _figures(group.tally),
                                          listed(group, unit, f"departments/{unit.id}/index.html", False)))
    result.batch = search.index_plans(plans, start)

    def write(path: str, data: bytes) -> None:
        staging.write(path, data)
        result.written.append(path)

    result.batch.written_out(write)  # the fragments: only their digests go back
    (staging.work / "search").mkdir(exist_ok=True)
    search.spill(result.batch, staging.work / "search" / f"{start}.pickle")  # and the postings stay on disk


def _shares(pages: int, workers: int) -> list[range]:
    """The pages about many plans split for `workers`: each share every n-th page, so that the
    long unit pages (which come together in site order) fall on all of them alike."""
    count = 1 if workers <= 1 else min(pages, 4 * workers) or 1
    return [range(first, pages, count) for first in range(count)]


def _render_share(share: range) -> list[str]:
    """Render and write some of the pages about many plans (`_shared["pages"]`); their paths."""
    site, env, staging, chosen = _shared["site"], _shared["env"], _shared["staging"], _shared["pages"]
    written = []
    try:
        for path, data in pages.each(site, env, [chosen[place] for place in share]):
            staging.write(path, data)
            written.append(path)
    finally:
        _close_listings()
    return written


def _workers(wanted: int | None, plan_files: int) -> int:
    workers = wanted or os.cpu_count() or 1
    return 1 if workers > 1 and plan_files < WORTH_A_POOL else workers


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


def _map(pool, function, items: list, per_task: int):
    """function(item) for each item, in order, as the workers finish them (a task is `per_task`
    items); in this process when there is no pool."""
    if pool is None:
        yield from map(function, items)
        return
    chunks = [items[start:start + per_task] for start in range(0, len(items), per_task)]
    for answers in pool.map(_apply_each, [function] * len(chunks), chunks):
        yield from answers


def _apply_each(function, items: list) -> list:
    return [function(item) for item in items]


# -- the whole model at once, for serve ----------------------------------------------------------

@dataclass
class Applied:
    """What Pipeline.apply made of some changes: the files to write now, the pages gone, the pages
    to render right after (Pipeline.render_later), and whether the search data is now stale."""

    files: dict[str, bytes]
    rendered: int  # pages rendered
    removed: list[str] = field(default_factory=list)
    later: list[pages.Page] = field(default_factory=list)
    everything: bool = False  # every page rendered: any other file but the search data is stale
    search_pending: bool = False


@dataclass
class Pipeline:
    """Content to files with the whole model in memory, the one build state kept between runs
    (serve): the content cache, the site, what each page depended on when it was last rendered,
    the search index and the Jinja environment. apply() takes what changed (changes.py) and
    gives back the files that differ."""

    content_dir: Path
    include_drafts: bool = False
    workers: int | None = None
    with_static: bool = False  # content/static/ joins the site (the preview's; read again when it changes)
    cache: contentfiles.LoadCache = field(default_factory=contentfiles.LoadCache)
    search_index: search.SearchIndex = field(default_factory=search.SearchIndex)
    # The site's own templates/ (beside content/) before the tool's. Jinja reloads a template
    # whose file changed (auto_reload), so one environment serves every run of the preview;
    # compiled templates are shared by every environment (render.py).
    templates: render.Templates | None = None
    env: object = None
    site: site_stage.Site | None = None
    # page path → its dependencies when last rendered; a page whose entry is missing is stale
    dependencies: dict = field(default_factory=dict)
    stale: dict = field(default_factory=dict)  # page path → page, of those left for later and not rendered yet
    unapplied: list[Change] = field(default_factory=list)  # of an apply that failed: applied with the next
    search_version: str = ""  # of the search data last made; the search page asks for it
    timings: dict = field(default_factory=dict)
    search_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.templates = self.templates or render.Templates.of_site(self.content_dir)
        self.env = self.env or self.templates.environment()

    def load(self, changes: list[Change] = ()) -> site_stage.Site:
        """Read what `changes` name (every file the first time, or when content/ itself was
        replaced; plan files in worker processes when worth it) and derive the site; raises
        BuildFailed listing every mistake."""
        started = time.perf_counter()
        if self.content_dir in paths_of(changes, ChangeKind.FOLDER):
            self.cache = contentfiles.LoadCache()
        self.cache.forget(changes)
        plans = self.content_dir / "plans"
        first = not self.cache.files and plans.is_dir()
        workers = _workers(self.workers, len(list(plans.glob("*.y*ml")))) if first else 1
        with _pool(workers) as pool:
            def read_plans(paths, folder):
                return _map(pool, _read_plan_file, [(path, folder) for path in paths], FILES_PER_TASK)

            content = content_stage.load(self.content_dir, self.include_drafts, self.cache,
                                         with_static=self.with_static, read_plans=read_plans if pool else None)
        self.timings["load"] = time.perf_counter() - started
        started = time.perf_counter()
        site = site_stage.derive(content)
        self.timings["derive"] = time.perf_counter() - started
        return site

    def apply(self, changes: list[Change]) -> Applied:
        """Bring the site up to date after `changes` and render the pages they touch: every page
        the first time or after a change of EVERYTHING; else the pages of a changed page template,
        the pages whose dependencies changed (pages.KINDS), and, right after (`later`), the pages
        that show every plan and the data files. Raises BuildFailed; the changes are then applied
        again with the next ones."""
        changes = merged(self.unapplied + list(changes))
        self.unapplied = changes
        kinds = kinds_of(changes)
        old = self.site
        site = self.load(changes) if old is None or kinds & CONTENT else old
        if old is None or kinds & EVERYTHING:
            chosen = [page for page in pages.all_pages(site) if page.kind.depends(site, page.key) != pages.SEARCH]
            self.dependencies, self.stale = {}, {}
            files = self.render(site, chosen)
            files.update(static_assets(self.templates))
            files.update(site_root_files(self.content_dir, site.content.static,
                                         set(files) | {page.path for page in pages.search_pages(site)}))
            applied = Applied(files, len(chosen), everything=True, search_pending=True)
        else:
            applied = self._touched(old, site, changes)
        self.site = site
        self.unapplied = []
        self.cache.refreshed.clear()
        return applied

    def _touched(self, old: site_stage.Site, site: site_stage.Site, changes: list[Change]) -> Applied:
        """The pages `changes` touch. A plan changed: the pages that showed it or show it now
        (PageKind.reached; every page when units or departments gained or lost pages, whose
        links every page's dependencies name) and the pages that show every plan when what they
        show of it changed (pages.index_facts); any page left for later and not rendered yet.
        A plan kept whose reports changed (LoadCache.refreshed) is the same object with new
        readings: its pages are rendered again whatever their dependencies say, and so are the
        pages that show every plan (what they showed of it is gone)."""
        templates = {f"pages/{path.name}" for path in paths_of(changes, ChangeKind.PAGE_TEMPLATE)}
        old_plans, new_plans = set(old.plans), set(site.plans)
        edited = [plan for plan in old.plans if plan not in new_plans] + [
            plan for plan in site.plans if plan not in old_plans]
        given_reports = set(self.cache.refreshed)
        refreshed = [plan for plan in site.plans if plan in given_reports and plan in old_plans]
        for kind in pages.KINDS if refreshed else ():
            for key in kind.reached(site, refreshed) if kind.reached is not None else ():
                self.dependencies.pop(kind.path(key), None)  # stale: rendered again below
        edited += refreshed
        same_pages = old.units.keys() == site.units.keys() and old.departments.keys() == site.departments.keys()
        index_changed = not same_pages or bool(refreshed) or len(old.plans) != len(site.plans) or any(
            a is not b and pages.index_facts(a) != pages.index_facts(b) for a, b in zip(old.plans, site.plans))
        if templates or not same_pages:
            candidates = pages.all_pages(site)
        else:
            candidates = [pages.Page(kind, key) for kind in pages.KINDS
                          for key in (kind.keys(site) if kind.reached is None else sorted(kind.reached(site, edited)))]
            candidates += [page for path, page in self.stale.items() if page.kind.reached is not None]
        now, later, search_page, seen = [], [], False, set()
        for page in candidates:
            if page.path in seen:
                continue
            seen.add(page.path)
            depends = page.kind.depends(site, page.key)
            if depends == pages.SEARCH:
                search_page = search_page or page.template in templates  # made with the search data
            elif page.template in templates:
                now.append(page)
            elif depends == pages.EVERY_PLAN:
                if index_changed or page.path not in self.dependencies:
                    later.append(page)
            elif page.path not in self.dependencies or not pages.same_dependencies(
                    self.dependencies[page.path], depends):
                # Data files (JSON, CSV) are nobody's open page: they wait until the pages are shown.
                (later if page.kind.produce is not None else now).append(page)
        for page in later:  # stale until rendered, whatever comes first
            self.dependencies.pop(page.path, None)
            self.stale[page.path] = page
        files = self.render(site, now)
        if ChangeKind.ASSET in kinds_of(changes):
            files.update(static_assets(self.templates))
        # Pages (and data files) rendered before whose plan, unit or department is gone; assets
        # and search data are not pages.
        gone = [kind.path(key) for kind in pages.KINDS for key in set(kind.keys(old)) - set(kind.keys(site))]
        gone = [path for path in gone if path in self.dependencies or path in self.stale]
        for path in gone:
            self.dependencies.pop(path, None)
            self.stale.pop(path, None)
        return Applied(files, len(now), gone, later, search_pending=bool(kinds_of(changes) & CONTENT) or search_page)

    def render(self, site: site_stage.Site, chosen: list[pages.Page]) -> dict[str, bytes]:
        """Render `chosen` pages of `site` and remember what each depended on."""
        files = pages.render(site, self.env, chosen, self.search_version)
        for page in chosen:
            self.dependencies[page.path] = page.kind.depends(site, page.key)
            self.stale.pop(page.path, None)
        return files

    def render_later(self, chosen: list[pages.Page]) -> dict[str, bytes]:
        """The pages apply() left for later, of the current site."""
        return self.render(self.site, chosen) if chosen else {}

    def search_files(self, site: site_stage.Site) -> dict[str, bytes]:
        """The search data for `site` and the search page that names its version. Only batches
        of plans that changed are indexed again (search.SearchIndex); safe to call from another
        thread than the one rendering pages."""
        with self.search_lock:
            started = time.process_time()
            files = self.search_index.files(site)
            self.timings["search"] = time.process_time() - started
            version = search.version(files)
            files.update(pages.render(site, self.env, pages.search_pages(site), version))
            self.search_version = version
            return files


def _read_plan_file(job: tuple[Path, Path]):
    return contentfiles.read_plan_file(*job)
