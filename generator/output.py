"""Write the built site: nothing lost, nothing half-written, one build at a time.

The output folder is ours or untouched. Every folder the build writes holds MARKER
(`.zwgk-build`), a small text file listing the files that build wrote. A build replaces only
an empty folder, or a marked folder that holds nothing but what the marker lists; it refuses,
before touching anything, an existing file, a folder it did not write, a marked folder that
someone has added files to (they would be lost: such files belong in content/static/), and
any output that is, contains or lies inside the content folder or the templates, or that is
or contains the project, the current folder, the home folder or the root.

One build at a time: a build holds an flock(2) on `.<name>.lock` beside the output for as
long as it runs; a second build into the same output stops with a message. The lock file
stays (removing a lock file is itself racy); it is empty and harmless.

The swap. The new site is written to `.<name>.new-*` beside the output (Staging: page by page
as the build makes them, by the worker processes too, so no build holds its site in memory),
then exchanged with the old one in a single renameat2(RENAME_EXCHANGE) call, so at every instant `output/` is a
complete site, old or new, even under kill -9; the old site is then deleted. We chose this
over the other atomic scheme, a symlink `output -> .output.v2/` replaced by rename(2),
because `output/` stays a plain folder: `cp -r output/ …`, `rsync -a output …`, `scp -r`,
web servers that refuse symlinks (Apache without FollowSymLinks, nginx disable_symlinks) and
a user's `ls output` all keep working, and the deploy story does not change. RENAME_EXCHANGE
is Linux ≥ 3.15 on ext4, xfs, btrfs, tmpfs and overlayfs. Where the system lacks it (other
kernels, some network filesystems) we fall back to two renames (old → `.<name>.old-*`,
new → output); a crash between them leaves no `output/` for a moment, and the next build
puts the old site back before it starts.

Beside the staging folder the build keeps its scratch work (`.<name>.work-*`, marked too),
deleted with the old site once the new one is in place.

Leftovers of a crash (`.<name>.new-*`, `.<name>.old-*`, `.<name>.work-*`) are removed by the
next build, but only when they are empty or hold our marker. A staging folder holds the marker (its header)
from the moment it is made, and the list of files is written into it once the site is
complete; the marker is removed last, so a folder whose writing or deletion was cut short is
still recognisable as ours. The marker has no size limit: it is read line by line.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .errors import CannotBuild
from .messages import Message
from .render import TEMPLATES_DIR

MARKER = ".zwgk-build"
MARKER_HEADER = ("# zwgk-build: 本目录由 build.py 生成，每次构建整体替换；其他文件请放在 content/static/ 中。\n"
                 "# (written by build.py and replaced at every build; put other files in content/static/)\n")
PROJECT_DIR = Path(__file__).resolve().parent.parent

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def claim(output_dir: Path, content_dir: Path) -> Iterator[Path]:
    """Check that `output_dir` may be replaced, hold its lock, clean what a crash left.

    Yields the real path to write to. Raises CannotBuild, having changed nothing, when the
    output may not be used or another build holds it.
    """
    target = checked_target(output_dir, content_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock(target)
    except OSError as error:
        raise CannotBuild("cannot-write-beside-output", folder=target.parent, reason=error) from None
    try:
        try:
            _recover(target)
        except OSError as error:
            raise CannotBuild("cannot-clean-up", reason=error) from None
        checked_target(output_dir, content_dir)
        yield target
    finally:
        os.close(lock)


def checked_target(output_dir: Path, content_dir: Path) -> Path:
    """The real output folder, if the build may replace it; CannotBuild saying why not."""
    try:
        target = Path(os.path.abspath(output_dir)).resolve()
    except (OSError, RuntimeError) as error:
        raise CannotBuild("cannot-resolve-output", output=output_dir, detail=str(error)) from None
    try:
        refusal = _refusal(target, content_dir) or _content_refusal(target)
    except OSError as error:
        raise CannotBuild("cannot-inspect-output", output=output_dir, reason=error) from None
    if refusal:
        raise CannotBuild(refusal.kind, output=output_dir, **refusal.values)
    return target


def _refusal(target: Path, content_dir: Path) -> Message | None:
    """Places the output may never be: folders that hold far more than a site, or that the build reads."""
    for name, english, folder in ((Message("root-folder"), Message("root-folder-english"), Path(target.anchor)),
                                  (Message("home-folder"), Message("home-folder-english"), _home()),
                                  (Message("project-folder"), Message("project-folder-english"), PROJECT_DIR),
                                  (Message("current-folder"), Message("current-folder-english"), _cwd())):
        if folder is not None and (target == folder or folder.is_relative_to(target)):
            return Message("output-is-or-holds", {"name": name, "english": english, "folder": folder})
    for name, english, folder in ((Message("content-folder"), Message("content-folder-english"), content_dir),
                                  (Message("templates-folder"), Message("templates-folder-english"), TEMPLATES_DIR)):
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            return Message("output-is-or-holds", {"name": name, "english": english, "folder": folder})
        if target.is_relative_to(folder):
            return Message("output-inside", {"name": name, "english": english, "folder": folder})
    return None


def _content_refusal(target: Path) -> Message | None:
    """What is already there: nothing, or exactly what an earlier build wrote."""
    if not os.path.lexists(target):
        return None
    if not target.is_dir():
        return Message("output-is-a-file")
    written = _written_by_us(target)
    if written is None:
        return Message("output-not-ours") if any(target.iterdir()) else None
    others = sorted(path for path in _files_in(target) if path not in written)
    if others:
        return Message("output-holds-other-files", {"count": len(others), "files": others[:5],
                                                 "more": Message("and-more") if len(others) > 5 else ""})
    return None


def _cwd() -> Path | None:
    try:
        return Path.cwd().resolve()
    except OSError:
        return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _written_by_us(folder: Path) -> set[str] | None:
    """The files our marker lists, or None when the folder has no marker of ours. Read line by
    line, however long: a site of any size must recognise its own output."""
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    with open(marker, encoding="utf-8", errors="replace", newline="\n") as handle:
        if handle.read(len(MARKER_HEADER)) != MARKER_HEADER:
            return None
        return {line.rstrip("\n") for line in handle if line != "\n"}


def _files_in(folder: Path) -> Iterator[str]:
    """Every file and link under `folder` (links are not followed) but the marker, as site paths."""
    pending = [("", str(folder))]
    while pending:
        prefix, here = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((path + "/", entry.path))
                elif path != MARKER:
                    yield path


def _write_marker(folder: Path, paths) -> None:
    """The marker: a fixed header and the sorted list of files, so the same site gives the same
    bytes; written line by line."""
    with open(folder / MARKER, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(MARKER_HEADER)
        handle.writelines(f"{path}\n" for path in sorted(paths))


def _lock(target: Path) -> int:
    """An open descriptor holding the flock on `.<name>.lock`; close it to release."""
    descriptor = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise CannotBuild("output-busy", target=target) from None
    return descriptor


def _leftovers(target: Path) -> list[Path]:
    """Staging and retired folders a crashed build left beside `target`, if they are ours."""
    prefixes = (f".{target.name}.new-", f".{target.name}.old-", f".{target.name}.work-")
    found = []
    for entry in sorted(target.parent.iterdir()):
        if not entry.name.startswith(prefixes) or entry.is_symlink() or not entry.is_dir():
            continue
        if (entry / MARKER).is_file() or not any(entry.iterdir()):
            found.append(entry)
    return found


def _recover(target: Path) -> None:
    """Undo what a crash left: put the old site back if the output is missing, remove the rest."""
    leftovers = _leftovers(target)
    if not os.path.lexists(target):
        retired = [p for p in leftovers if p.name.startswith(f".{target.name}.old-") and (p / MARKER).is_file()]
        if retired:
            newest = max(retired, key=lambda p: p.stat().st_mtime_ns)
            os.rename(newest, target)
            leftovers.remove(newest)
    for folder in leftovers:
        _remove_ours(folder)


def _remove_ours(folder: Path) -> None:
    """Delete a folder we wrote, its marker last (see the module docstring).

    Deleting a file is mostly waiting for the disk, so the files are deleted by several threads
    at once, a run of them to a thread: 18,000 files go in under half the time one thread takes.
    Links are deleted, never followed."""
    runs, folders = _deletion_runs(folder)
    with ThreadPoolExecutor(_DELETERS) as pool:
        for _ in pool.map(_delete_run, runs):
            pass  # the first error is raised here
    for inner in folders:
        os.rmdir(inner)
    (folder / MARKER).unlink(missing_ok=True)
    os.rmdir(folder)


_DELETERS = 8
_FILES_PER_RUN = 256


def _deletion_runs(folder: Path) -> tuple[list[list[tuple[str, list[str], bool]]], list[str]]:
    """What is under `folder` (but its marker), in runs of (folder, some of its files, whether
    the run deletes the folder too: one with no folders inside and all its files in that run);
    and the folders left to delete once the runs are done, each before the folders it is in."""
    top = str(folder)
    runs: list[list[tuple[str, list[str], bool]]] = [[]]
    size = 0
    folders: list[str] = []
    pending = [top]
    while pending:
        here = pending.pop()
        files, inner = [], []
        with os.scandir(here) as entries:
            for entry in entries:
                (inner if entry.is_dir(follow_symlinks=False) else files).append(entry.name)
        if here == top and MARKER in files:
            files.remove(MARKER)
        whole = here != top and not inner and len(files) <= _FILES_PER_RUN
        if here != top and not whole:
            folders.append(here)
        pending.extend(os.path.join(here, name) for name in inner)
        for start in range(0, len(files) or 1, _FILES_PER_RUN):
            part = files[start:start + _FILES_PER_RUN]
            runs[-1].append((here, part, whole))
            size += len(part) + 1
            if size >= _FILES_PER_RUN:
                runs.append([])
                size = 0
    folders.reverse()
    return [run for run in runs if run], folders


def _delete_run(run: list[tuple[str, list[str], bool]]) -> None:
    for here, names, with_folder in run:
        for name in names:
            os.unlink(os.path.join(here, name))
        if with_folder:
            os.rmdir(here)


class Staging:
    """The new site while it is written (`.<name>.new-*` beside the output): each file as soon as
    it is made, by this process or by a forked worker (each keeps its own note of the folders it
    has made). Nothing of it shows at the output until swap_in. `work`: a folder for the build's
    scratch files, gone with the build."""

    def __init__(self, folder: Path, work: Path):
        self.folder = folder
        self.work = work
        self._made: set[str] = {""}

    def write(self, path: str, data: bytes) -> None:
        """Write one file of the site (`path` relative to the site's root)."""
        parent = path.rpartition("/")[0]
        try:
            if parent not in self._made:
                os.makedirs(self.folder / parent, exist_ok=True)
                self._made.add(parent)
            with open(self.folder / path, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise CannotBuild("cannot-write-site", path=Path(error.filename or self.folder / path),
                              reason=error) from None


@contextmanager
def staged(target: Path) -> Iterator[Staging]:
    """A staging folder beside `target` for the new site and one for the build's scratch work,
    both marked as ours from the start; removed if the build stops before swap_in has put the
    new site in place. Call inside `claim`."""
    made = []
    try:
        for kind in ("new", "work"):
            try:
                made.append(Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-", dir=target.parent)))
            except OSError as error:
                raise CannotBuild("cannot-make-staging", folder=target.parent, reason=error) from None
            try:
                _write_marker(made[-1], ())
            except OSError as error:
                raise CannotBuild("cannot-write-site", path=made[-1] / MARKER, reason=error) from None
        yield Staging(*made)
    except BaseException:
        for folder in made:
            _remove_quietly(folder)
        raise


def swap_in(staging: Staging, target: Path, paths) -> None:
    """Finish the staged site (the marker lists `paths`, every file written) and put it at
    `target` in one step; the old site and the scratch work are then deleted. On any error the
    previous site is left as it was and CannotBuild says why (staged() removes the rest)."""
    folder = staging.folder
    try:
        _write_marker(folder, paths)
        os.chmod(folder, 0o755)
    except OSError as error:
        raise CannotBuild("cannot-write-site", path=Path(error.filename or folder / MARKER), reason=error) from None
    try:
        retired = _swap_in(folder, target)
    except OSError as error:
        raise CannotBuild("cannot-swap-in", target=target, reason=error) from None
    if retired is not None:
        _remove_quietly(retired)
    _remove_quietly(staging.work)


def _swap_in(staging: Path, target: Path) -> Path | None:
    """Put `staging` at `target`; return the folder now holding the old site, to be deleted."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return None
    if _exchange(staging, target):
        return staging
    retired = target.parent / f".{target.name}.old-{os.urandom(4).hex()}"
    os.rename(target, retired)
    os.rename(staging, target)
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@lru_cache(maxsize=1)
def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _remove_quietly(folder: Path) -> None:
    """Best effort: what stays behind is removed by the next build."""
    try:
        _remove_ours(folder)
    except OSError:
        pass


class LiveOutput:
    """The preview's writer (`serve`): a private temporary folder, written file by file, and
    only the files whose bytes changed, so an edit costs a few writes, not a whole site. What is
    on disk is remembered by digest (a page's bytes are not kept: at 10,000 plans they would be
    gigabytes); under `replace_prefix` (the search data, whose index keeps its files anyway) by
    the bytes themselves, so an unchanged file is told by identity, without reading it through."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[str, bytes] = {}  # path → its digest, or its bytes under replace_prefix

    def write(self, files: dict[str, bytes], replace: bool = False, remove=(),
              replace_prefix: str | None = None) -> tuple[list[str], list[str]]:
        """Write `files`; with `replace`, delete every other file but the search data (it is
        made in the background and replaced by itself); with `replace_prefix`, delete the other
        files under that prefix; delete the paths in `remove`. Returns (written, removed)."""
        written = []
        self.folder.mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            held = self.files.get(path)
            if held is data:
                continue
            kept = data if replace_prefix is not None and path.startswith(replace_prefix) else _digest(data)
            if held != kept:
                target = self.folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.append(path)
            self.files[path] = kept
        stale = set(remove)
        if replace:
            stale |= {path for path in self.files if path not in files and not path.startswith("assets/search/")}
        if replace_prefix:
            stale |= {path for path in self.files if path.startswith(replace_prefix) and path not in files}
        for path in sorted(stale):
            (self.folder / path).unlink(missing_ok=True)
            self.files.pop(path, None)
        return sorted(written), sorted(stale)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
