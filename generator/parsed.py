"""Content files once read and checked, kept by the hash of their bytes (a build's store).

A build reads and checks every plan and report file in its workers and puts what each holds
here; the workers that then build the plans take it back from here, so no process ever holds
every plan's data. The store is kept beside the output (`.<name>.cache/`), and the next build
parses only the files whose bytes changed.

A kept answer is never one the file would not give now: an entry is found by the SHA-256 of the
file's bytes together with everything that decides what reading them gives (this program's
reader, its checks and the schemas, PyYAML and libyaml, the validators, Python). Only files
without mistakes are kept (a file with a mistake is read again, to report it with its line).
Entries are JSON, the kinds of values a content file holds, so the store holds nothing that
runs; an entry that cannot be read or was cut short is not an answer, and the file is read
again. The folder is the user's own (mode 0700): a link or someone else's folder of that name
is not used, and then the build keeps its store in its scratch folder for this build only. A
store that cannot be written only means reading again: it never fails a build. After a build,
the entries it did not use are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import yaml

from . import tool

PACKAGE = Path(__file__).resolve().parent
# What reading and checking a content file depends on, besides its bytes.
READERS = ("yamlfile.py", "invisible.py", "schema.py", "theme.py", "content.py")


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """This program's readers and schemas and the libraries under them, as one digest."""
    digest = hashlib.sha256()
    for path in [PACKAGE / name for name in READERS] + sorted(tool.folder("schema").glob("*.schema.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    libyaml = yaml._yaml.get_version_string() if getattr(yaml, "__with_libyaml__", False) else ""
    versions = [sys.version, yaml.__version__, libyaml] + [metadata.version(name) for name in ("fastjsonschema", "jsonschema")]
    digest.update("\0".join(versions).encode())
    return digest.digest()


class Store:
    """Checked content files by key (Store.key): `get` the data, or None; `put` it."""

    def __init__(self, folder: Path):
        self.folder = folder

    @staticmethod
    def key(kind: str, raw: bytes) -> str:
        return hashlib.sha256(fingerprint() + kind.encode() + b"\0" + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str):
        try:
            with open(self._path(key), "rb") as handle:
                entry = json.loads(handle.read())
            return entry["data"] if entry.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, data) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(json.dumps({"key": key, "data": data}, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass

    def keep_only(self, keys: set[str]) -> None:
        """Remove the entries not in `keys` (those of files that changed or are gone)."""
        try:
            with os.scandir(self.folder) as buckets:
                for bucket in buckets:
                    if not bucket.is_dir(follow_symlinks=False):
                        continue
                    with os.scandir(bucket.path) as entries:
                        for entry in entries:
                            key = entry.name.removesuffix(".json")
                            if entry.name.endswith(".json") and len(key) == 64 and key not in keys:
                                os.unlink(entry.path)
        except OSError:
            pass


def beside(target: Path) -> Store | None:
    """The store kept beside the output folder `target`, made if need be; None when that name is
    taken by something that is not the user's own private folder, or it cannot be made."""
    folder = target.parent / f".{target.name}.cache"
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return Store(folder)
