"""`build.py serve`: build, serve on 127.0.0.1, rebuild on save, reload open pages.

- Files are watched with watchdog (inotify where the system has it), so a save is seen at once;
  changes that arrive within BATCH_SECONDS of the first are rebuilt together. content/, the
  tool's templates/ and the site's own (render.Templates) are also watched from their parent folder, so a folder deleted or moved and put
  back is watched again (_FolderWatcher).
- What a batch holds is sorted once into changes (changes.classify: a plan, the registry, a page
  template …, with their paths) and handed to rebuild.LiveBuild (the build's own Pipeline),
  which reads only those files again and re-renders only the pages they affect: first those
  that depend on the edited plan, then those that show every plan, then the search data in
  the background.
- Open pages hear of it through python-livereload's websocket handler and its livereload.js. We
  call its reload directly after each step, naming each page written; serve_assets/overlay.js
  plugs into livereload.js so that a page updates only when it is the one written, and then in
  place (its <main> swapped, scroll position and focus kept); a style sheet is swapped by
  livereload.js itself; anything else reloads every page.
- When content is broken, the terminal prints file:line:column and the message, the server keeps
  serving the last good pages, and every page opened or reloaded shows an overlay with the errors.
- The reload and overlay scripts are added to HTML responses here; the files on disk, like the
  output of `build`, never contain them. HEAD, Range and Content-Length describe the page as
  sent, script included.
- Every failure of a rebuild (content, registry, settings, a template, the disk) becomes the
  terminal line and the overlay, with file and line where known; the next save retries.
"""

from __future__ import annotations

import errno
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web
from watchdog.events import DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from . import messages, tool
from .changes import classify
from .contentfiles import require_folder
from .errors import CannotBuild, failure_from, internal_error
from .rebuild import LiveBuild
from .render import TEMPLATES_DIR

BATCH_SECONDS = 0.03  # an editor's save is a burst of events within a few milliseconds
AFTER_RELOAD_SECONDS = 0.25  # index pages, data files and search data come this long after the reload
OVERLAY_JS = tool.PACKAGE_DIR / "serve_assets" / "overlay.js"
INJECTED = (
    b'<script src="/livereload.js?port=PORT"></script>'
    b'<script src="/__serve__/overlay.js" defer></script>'
)
PLACEHOLDER = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>内容有错误</title></head>
<body><main><h1>内容有错误，网站还没有生成</h1><p>请按终端或本页提示修正文件；保存后页面会自动刷新。</p></main></body></html>
"""


def _with_scripts(page: bytes, script: bytes) -> bytes:
    """An HTML page as the preview sends it: the reload and overlay scripts before </head>."""
    return page.replace(b"</head>", script + b"</head>", 1)


class _SiteHandler(web.StaticFileHandler):
    """The built pages, never cached, with the site's own 404 page for unknown addresses.

    An HTML page is served with the scripts already in it: its size, its byte ranges and the
    answer to HEAD all describe the bytes GET sends (an output transform that edits the body
    afterwards would get HEAD's Content-Length and every Range wrong).
    """

    def initialize(self, path: str, default_filename: str, script: bytes):
        super().initialize(path, default_filename)
        self.script = script

    def get_content(self, abspath, start=None, end=None):  # an instance method here: it needs the script
        if not abspath.endswith(".html"):
            return super().get_content(abspath, start, end)
        with open(abspath, "rb") as page:
            return _with_scripts(page.read(), self.script)[start:end]

    def get_content_size(self):
        if not self.absolute_path.endswith(".html"):
            return super().get_content_size()
        return len(self.get_content(self.absolute_path))

    def compute_etag(self):
        return None  # pages change under the same path at every rebuild; never let a client reuse one

    def set_extra_headers(self, path):
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code, **kwargs):
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.exists():
            self.clear_header("Content-Range")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(_with_scripts(page.read_bytes(), self.script))
        else:
            super().write_error(status_code, **kwargs)


class _ErrorsHandler(web.RequestHandler):
    def initialize(self, server: "PreviewServer"):
        self.server = server

    def get(self):
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(self.server.errors, ensure_ascii=False))

    head = get  # tornado sends HEAD the same headers and no body


class _ImportsHandler(web.RequestHandler):
    """/__serve__/imports: drafts made by `build.py import` and the places still to review,
    read from the drafts at each request (generator/importer/report.py)."""

    def initialize(self, content_dir: Path):
        self.content_dir = content_dir

    def get(self):
        from .importer.report import page

        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page(self.content_dir))

    head = get


class _OverlayHandler(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.finish(OVERLAY_JS.read_bytes())

    head = get


class _LiveReloadJS(LiveReloadJSHandler):
    def head(self):
        self.get()


class _Reloads(LiveReloadHandler):
    """python-livereload's websocket, with the open pages of one preview in a set of that
    preview's own: the library adds every page to one set on its own class, shared by every
    server in the process, so one preview's edit would reload another preview's pages."""

    waiters: set  # each preview's subclass has its own (PreviewServer.__init__)

    def on_message(self, message):
        super().on_message(message)
        if self in LiveReloadHandler.waiters:  # the library's handshake put it there
            LiveReloadHandler.waiters.discard(self)
            type(self).waiters.add(self)

    def on_close(self):
        type(self).waiters.discard(self)


class _Watcher(FileSystemEventHandler):
    """Hands changes to content and templates to the IO loop.

    Only writes count (not the reads the build itself makes), and only the kinds of file the
    build uses, so editors' swap and backup files do not trigger rebuilds.
    """

    WRITES = {"created", "modified", "deleted", "moved", "closed"}
    SUFFIXES = {".yaml", ".yml", ".html", ".css", ".js", ".svg"}

    def __init__(self, server: "PreviewServer"):
        self.server = server

    def on_any_event(self, event):
        if event.is_directory or event.event_type not in self.WRITES:
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(raw) if raw else None
            if path is None or path.suffix not in self.SUFFIXES or path.name.startswith((".", "~")):
                continue
            self.server.loop.add_callback(self.server.file_changed, path)


class _FolderWatcher(FileSystemEventHandler):
    """Sees content/ or templates/ itself deleted, created or moved, from its parent folder.

    inotify watches a folder, not a name: the recursive watch dies with a deleted folder, and
    follows one moved away. Only the parent sees the name come back (`cp -r`, `git checkout`,
    `mv` back, a folder renamed over it), so the parent is watched, not recursively, for that.
    """

    KINDS = [DirCreatedEvent, DirDeletedEvent, DirMovedEvent]  # the kernel is asked for these alone

    def __init__(self, server: "PreviewServer", folders: set[Path]):
        self.server = server
        self.folders = folders

    def on_any_event(self, event):
        for raw in {event.src_path, getattr(event, "dest_path", "")}:
            if raw and Path(raw) in self.folders:
                self.server.loop.add_callback(self.server.folder_replaced, Path(raw))


class PreviewServer:
    def __init__(self, content_dir: Path, host: str, port: int, out=sys.stdout):
        self.content_dir = content_dir.resolve()
        self.host, self.port = host, port
        self.out = out
        self.serve_dir = Path(tempfile.mkdtemp(prefix="zwgk-serve-"))
        self.live = LiveBuild(self.content_dir, self.serve_dir, include_drafts=True)
        self.errors: list[dict] = []
        self.pending: set[Path] = set()
        self.timer = None
        self.generation = 0
        self.builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")
        self.loop: ioloop.IOLoop | None = None
        # python-livereload keeps its settings on the handler class: this server gets a class of
        # its own, with its own open pages, instead of changing the library's.
        self.reloads = type("Reloads", (_Reloads,), {"waiters": set(), "watcher": self, "live_css": True})
        self.observer = None
        self.watches: dict[Path, ObservedWatch | None] = {}  # content/ and templates/, recursively
        self.closing = False

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # -- building -------------------------------------------------------------------------

    def _run(self, job):
        """Run a LiveBuild step; turn any failure (content, template, disk) into the overlay's list."""
        try:
            outcome = job()
            return outcome, None
        except Exception as error:  # noqa: BLE001 - every failure is shown, never a traceback
            return None, failure_from(error)

    def first_build(self) -> None:
        outcome, failure = self._run(self.live.build_all)
        if failure is not None:
            self._show_failure(failure)
            (self.serve_dir / "index.html").write_text(PLACEHOLDER, encoding="utf-8")
        else:
            self.say(f"已生成 {outcome.pages} 个页面（{outcome.seconds * 1000:.0f} ms）")
            self._start_search()

    def file_changed(self, path: Path) -> None:
        self.pending.add(path)
        if self.timer is None:
            self.timer = self.loop.call_later(BATCH_SECONDS, self._flush)

    def _flush(self) -> None:
        self.timer = None
        batch, self.pending = self.pending, set()
        self.generation += 1
        changes = classify(batch, self.content_dir, self.live.templates.folders)
        future = self.builder.submit(self._run, lambda: self.live.update(changes))

        def finished(done):
            if not done.cancelled() and not self.closing:
                self.loop.add_callback(self._rebuilt, batch, done.result())

        future.add_done_callback(finished)

    def _rebuilt(self, batch: set[Path], result) -> None:
        outcome, failure = result
        # A folder put back is named once, not with every file copied into it.
        names = messages.shorten("、".join(sorted(_relative(p) for p in batch if not batch.intersection(p.parents))), 300)
        if failure is not None:
            self._show_failure(failure)
            self._reload(["*"])
            return
        recovered = bool(self.errors)
        self.errors = []
        if recovered:
            self.say("错误已修正。")
        self.say(f"已更新 {names}：渲染 {outcome.pages} 个页面，写入 {len(outcome.written)} 个文件"
                 f"（{outcome.seconds * 1000:.0f} ms）")
        self._reload(["*"] if recovered else outcome.written + outcome.removed)
        # The rest waits until the browser has fetched the edited page: both would hold the
        # one Python process, and the editor is looking at that page.
        if outcome.later:
            self.loop.call_later(AFTER_RELOAD_SECONDS, self._run_later)
        if outcome.search_pending:
            self.loop.call_later(AFTER_RELOAD_SECONDS, self._start_search)

    def _run_later(self) -> None:
        """The pages that show every plan, right after the ones that depend on the edit alone."""
        future = self.builder.submit(self._run, self.live.later)

        def finished(done):
            if done.cancelled() or self.closing:
                return
            outcome, failure = done.result()
            if failure is None:
                self.loop.add_callback(self._reload, outcome.written)

        future.add_done_callback(finished)

    def _start_search(self) -> None:
        """Build the search data on a daemon thread: slow on big sites, and never worth waiting
        for when the editor presses Ctrl-C. Only the newest site's data is written."""
        generation, site = self.generation, self.live.site
        started = time.perf_counter()

        def build():
            try:
                files = self.live.search_files(site)
            except Exception as error:  # noqa: BLE001 - a thread's traceback would reach the terminal
                if generation != self.generation or not (TEMPLATES_DIR.is_dir() and self.content_dir.is_dir()):
                    return  # a newer rebuild, or a folder gone that the rebuild's own message names
                failed = messages.text("search-data-failed", {"failure": internal_error(error)})
                self.loop.add_callback(self.say, failed)
                return
            if generation == self.generation and not self.closing:
                written = self.builder.submit(self.live.write_extra, files)
                written.add_done_callback(lambda done: self._search_written(done, generation, started))

        threading.Thread(target=build, name="search", daemon=True).start()

    def _search_written(self, done, generation: int, started: float) -> None:
        if done.cancelled() or done.exception() is not None or self.closing:
            return
        outcome = done.result()
        seconds = time.perf_counter() - started
        self.loop.add_callback(self._reload, [path for path in outcome.written if path.endswith(".html")])
        self.loop.add_callback(
            self.say, f"搜索数据已是最新：写入 {len(outcome.written)} 个文件（{seconds * 1000:.0f} ms）（search is current）")

    def _show_failure(self, failure) -> None:
        self.errors = [error.as_dict() for error in failure.errors]
        self.say(failure.report())
        self.say("网站仍显示上一次成功生成的页面；修正并保存后会自动更新。")

    def _reload(self, paths: list[str]) -> None:
        """Tell open pages what was written: each page updates itself if it is among them (see
        overlay.js); a changed script, or "*", reloads every page."""
        if any(path == "*" or path.endswith(".js") for path in paths):
            paths = ["*"]
        for path in paths:
            if path == "*" or path.endswith((".html", ".css")):
                self.reloads.reload_waiters(path)

    # -- watching -------------------------------------------------------------------------

    def _watch(self, handler, folder: Path, **options) -> ObservedWatch | None:
        """Watch `folder`; None if it is gone again (its parent's watch will see it come back), or
        if the system will watch no more folders (inotify's limit per user): the preview still
        serves, and says that saves will not show by themselves."""
        try:
            return self.observer.schedule(handler, str(folder), **options)
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EMFILE):
                raise
            self.say(messages.text("watch-limit", {"folder": folder}))
            return None

    def folder_replaced(self, folder: Path) -> None:
        """content/ or templates/ was deleted, moved, or put back: drop the watch that went with
        the old folder, watch the one there now, and rebuild everything. The rebuild starts after
        the new watch is in place, so a file written in between is read by it."""
        old = self.watches.pop(folder, None)
        if old is not None:
            self.observer.unschedule(old)
        if folder.is_dir():
            self.watches[folder] = self._watch(_Watcher(self), folder, recursive=True)
        self.file_changed(folder)

    # -- serving --------------------------------------------------------------------------

    def application(self) -> web.Application:
        script = INJECTED.replace(b"PORT", str(self.port).encode())
        return web.Application(
            [
                (r"/livereload", self.reloads),
                (r"/livereload.js", _LiveReloadJS),
                (r"/__serve__/errors.json", _ErrorsHandler, {"server": self}),
                (r"/__serve__/overlay.js", _OverlayHandler),
                (r"/__serve__/imports/?", _ImportsHandler, {"content_dir": self.content_dir}),
                (r"/(.*)", _SiteHandler, {"path": str(self.serve_dir), "default_filename": "index.html",
                                          "script": script}),
            ],
        )

    filepath = "*"  # what python-livereload reads of its "watcher" when a reload names no file

    def run(self) -> int:
        _stop_on_sigterm()
        self.loop = ioloop.IOLoop.current()
        try:
            self.application().listen(self.port, address=self.host)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                self.say(messages.text("port-in-use", {"port": self.port}))
            else:
                self.say(messages.text("cannot-listen", {"host": self.host, "port": self.port,
                                                         "detail": error.strerror}))
            self.close()
            return 1
        self.first_build()
        # A folder copied in while it is being watched: watchdog's walk and its own handling of
        # the new subfolder both register the subfolder, and it warns that the second replaces
        # the first, which is the same. Not for the editor's terminal.
        warnings.filterwarnings("ignore", "Callback with id .* already exists", RuntimeWarning, r"watchdog\.")
        self.observer = Observer()
        self.observer.start()
        folders = {self.content_dir, *self.live.templates.folders}  # the site's own templates/ too
        parents = _FolderWatcher(self, folders)
        for parent in {folder.parent for folder in folders}:
            self._watch(parents, parent, recursive=False, event_filter=_FolderWatcher.KINDS)
        for folder in folders:
            self.watches[folder] = self._watch(_Watcher(self), folder, recursive=True)
        self.say(f"正在预览 http://{messages.shorten(self.host, 100)}:{self.port}/ （保存文件后页面自动刷新；按 Ctrl-C 停止）")
        _stop_loop_on_signals(self.loop)
        try:
            self.loop.start()
        except KeyboardInterrupt:
            pass
        self.say("已停止预览。")
        self.close()
        return 0

    def close(self) -> None:
        self.closing = True
        if self.observer is not None:
            # Its threads are daemons and wake once a second to look at the stop flag: waiting
            # for them made every Ctrl-C take a second.
            self.observer.stop()
        self.builder.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.serve_dir, ignore_errors=True)


def _relative(path: Path) -> str:
    """A changed file as the editor knows it: relative to where serve was started, if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _stop_on_sigterm() -> None:
    """A terminal's Ctrl-C raises KeyboardInterrupt; treat a polite kill (SIGTERM) the same way
    (until the loop runs: then _stop_loop_on_signals)."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def _stop_loop_on_signals(loop: ioloop.IOLoop) -> None:
    """While serving, Ctrl-C and SIGTERM stop the loop between two callbacks: raised in the middle
    of one (a request, a file write), KeyboardInterrupt could be swallowed or leave a lock held."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.asyncio_loop.add_signal_handler(signum, loop.stop)


def serve(content_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    try:
        require_folder(content_dir)
    except CannotBuild as error:
        print(error, file=sys.stderr)
        return 1
    return PreviewServer(content_dir, host, port).run()

