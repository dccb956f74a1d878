"""Where a draft goes and how it is put there: never over a file, never outside the content
folder, checked as the build will read it, and whole or not at all. Also what both importers
(a plan, a progress report) need around that: the registry to name units against, and how the
terminal shows a path."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from pathlib import Path

from .. import schema, yamlfile
from ..content import load_registry
from ..errors import BuildFailed, CannotBuild, ContentError

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def registry_of(content_dir: Path):
    """The registry the import names units against; a registry with mistakes stops the import
    (every mistake listed), as no draft could be checked against it."""
    try:
        return load_registry(content_dir)
    except BuildFailed as failure:
        raise CannotBuild("registry-has-errors", errors="\n".join(str(error) for error in failure.errors)) from None


def shown(path: Path) -> Path:
    """A path as the terminal names it: relative to the working folder where it lies under it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def check_id(plan_id: str) -> None:
    if not _ID.fullmatch(plan_id):
        raise CannotBuild("bad-plan-id", id=plan_id)


def target_of(content_dir: Path, plan_id: str, folder: str = "plans") -> Path:
    """content/<folder>/<id>.yaml, refused if anything is there or the folder is not a plain one
    inside the content folder (`folder`: plans, or reports for a progress report)."""
    plans = content_dir / folder
    target = plans / f"{plan_id}.yaml"
    if os.path.lexists(target):
        raise CannotBuild("draft-exists", target=target)
    if plans.is_symlink() or (plans.exists() and not plans.is_dir()):
        raise CannotBuild("plans-not-plain-folder", folder=plans)
    resolved = plans.resolve()
    if content_dir.resolve() not in resolved.parents and resolved != content_dir.resolve() / folder:
        raise CannotBuild("plans-outside-content", folder=plans)
    return target


def check_draft(text: str, target: Path) -> None:
    """The draft must be a plan file the build can read: a schema error here is the importer's
    own mistake, reported as such, and nothing is written. It is read as the build reads the
    file, invisible characters and all, so a draft that passes here also loads."""
    try:
        document = yamlfile.parse(yamlfile.decode(target, text.encode("utf-8")), target)
    except ContentError as error:
        problems = [error]
    else:
        problems = schema.check(document, "plan")
    if problems:
        raise CannotBuild("draft-not-valid", problems="\n".join(str(problem) for problem in problems[:10]))


def write_new(target: Path, text: str) -> None:
    """Put the draft at `target` whole or not at all, and never over a file.

    The text goes first to a temporary file beside it, `.<id>.yaml.tmp-<random>`: the build and
    `serve` read only names ending in .yaml and skip dot-files, and O_EXCL with a random name
    never takes another's file. Once written and flushed to disk (fsync), it gets its real name
    by os.link, which creates a name only where there is none, in one step: a file an editor or
    a second import made there meanwhile is never replaced (os.rename would replace it, and any
    check before a rename leaves a moment for one to appear). The temporary name is removed
    after. Whatever fails on the way (a full disk, a quota, a read-only or failing disk, Ctrl-C),
    the temporary file is removed and nothing is left. Where the file system has no hard links
    (FAT, some network shares) the draft is written under its own name with O_EXCL instead and
    removed on failure: never over a file, though a crash while writing could leave part of it.
    """
    data = text.encode("utf-8")
    temporary = target.with_name(f".{target.name}.tmp-{secrets.token_hex(6)}")
    try:
        target.parent.mkdir(exist_ok=True)
        _write_synced(temporary, data)
        try:
            _link_or_write(temporary, target, data)
        finally:
            _remove_quietly(temporary)
        _sync_folder(target.parent)
    except FileExistsError:
        raise CannotBuild("draft-exists", target=target) from None
    except OSError as error:
        raise CannotBuild("cannot-write-draft", path=target, reason=error) from None


def _link_or_write(temporary: Path, target: Path, data: bytes) -> None:
    """`target` as a second name of the written temporary file; written anew where there are no
    hard links."""
    try:
        os.link(temporary, target)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        _write_synced(target, data)


# What link(2) answers where a file system has no hard links.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}


def _write_synced(path: Path, data: bytes) -> None:
    """Create `path` (never an existing one) holding `data`, flushed to disk. A partial file is
    removed before the error goes on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _remove_quietly(path)
        raise


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries, so the new name survives a power cut; where a file system
    cannot (EINVAL), the draft is still written."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_all_new(texts: dict[Path, str]) -> list[Path]:
    """Several new files (the registry files of --register), each as write_new writes one; all or none."""
    written: list[Path] = []
    try:
        for path, text in texts.items():
            write_new(path, text)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
