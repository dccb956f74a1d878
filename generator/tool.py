"""Where the tool's own files are: its templates/ and schema/ folders.

In this repository they sit beside generator/, where they have always been edited. An
installed zwgk (`pip install`, pyproject.toml) carries them inside the package, as
generator/_templates and generator/_schema, so that it needs nothing but itself on any site
folder. Every module finds them through `folder`, never relative to the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The tool's `templates` or `schema` folder: the installed copy if this is an installed
    package, else the repository's."""
    installed = PACKAGE_DIR / f"_{name}"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name
