"""The build, top to bottom: load and validate → model → site → pages → write."""

from __future__ import annotations

from pathlib import Path

from . import content as content_stage
from . import output, render, search, site as site_stage
from .errors import BuildFailed, ContentError
from .render import TEMPLATES_DIR

STATIC_DIR = TEMPLATES_DIR / "static"


def check(content_dir: Path) -> content_stage.Content:
    """Load and validate everything; raises errors.BuildFailed with every problem found."""
    return content_stage.load(content_dir, with_static=True)


def build_files(content_dir: Path, include_drafts: bool = False) -> dict[str, bytes | str]:
    """Every file of the site, in memory: output path → content."""
    content = content_stage.load(content_dir, include_drafts=include_drafts, with_static=True)
    site = site_stage.derive(content)
    files: dict[str, bytes | str] = dict(render.pages(site, render.environment()))
    files.update(static_assets())
    files.update(search.search_files(site))
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


def static_assets() -> dict[str, bytes]:
    """The site's own CSS and JavaScript, copied as they are."""
    return {
        f"assets/{path.relative_to(STATIC_DIR).as_posix()}": path.read_bytes()
        for path in sorted(STATIC_DIR.rglob("*")) if path.is_file()
    }


def build(content_dir: Path, output_dir: Path) -> dict[str, bytes | str]:
    """Build `content_dir` into `output_dir`; on any error the old output is left untouched.

    The output is checked and locked first (output.claim), so a refused or busy output
    costs no build and changes nothing.
    """
    content_stage.require_folder(content_dir)
    with output.claim(output_dir, content_dir) as target:
        files = build_files(content_dir)
        output.write_site(files, target)
    return files
