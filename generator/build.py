"""The build, top to bottom: load and validate → model → site → pages → write."""

from __future__ import annotations

from pathlib import Path

from . import content as content_stage
from . import output, render, search, site as site_stage
from .render import TEMPLATES_DIR

STATIC_DIR = TEMPLATES_DIR / "static"


def check(content_dir: Path) -> content_stage.Content:
    """Load and validate everything; raises errors.BuildFailed with every problem found."""
    return content_stage.load(content_dir)


def build_files(content_dir: Path, include_drafts: bool = False) -> dict[str, bytes | str]:
    """Every file of the site, in memory: output path → content."""
    content = content_stage.load(content_dir, include_drafts=include_drafts)
    site = site_stage.derive(content)
    found = search.search_files(site)
    files: dict[str, bytes | str] = dict(render.pages(site, render.environment(), search.version(found)))
    files.update(static_assets())
    files.update(found)
    return files


def static_assets() -> dict[str, bytes]:
    """The site's own CSS and JavaScript, copied as they are."""
    return {
        f"assets/{path.relative_to(STATIC_DIR).as_posix()}": path.read_bytes()
        for path in sorted(STATIC_DIR.rglob("*")) if path.is_file()
    }


def build(content_dir: Path, output_dir: Path) -> dict[str, bytes | str]:
    """Build `content_dir` into `output_dir`; on any error the old output is left untouched."""
    files = build_files(content_dir)
    output.write_site(files, output_dir)
    return files
