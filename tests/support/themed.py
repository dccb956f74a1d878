"""A site with its own header, footer, style sheet and colours (tests/fixtures/themed/: its
templates/ and content/site.yaml laid over the shipped registry and two shipped plans), built
once per test session as `zwgk build` builds a site folder: the accessibility, layout and HTML
tests check it as they check the shipped site."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import build as pipeline

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "themed"
PLANS = ("zs-gxj-2022", "zs-jrj-2022")
# One page of each kind a reader meets, for the browser checks.
PAGES = ["", "plans/", "plans/zs-gxj-2022/", "units/", "units/zs-jrj-zongheke/", "departments/zs-gxj/",
         "search/?q=%E5%85%AC%E5%BC%80", "404.html", "data/"]


def themed_folder(target: Path) -> Path:
    """The site folder (content/ and templates/), written at `target`."""
    shutil.copytree(FIXTURE / "templates", target / "templates")
    shutil.copytree(FIXTURE / "content", target / "content")
    shutil.copytree(ROOT / "content" / "registry", target / "content" / "registry")
    (target / "content" / "plans").mkdir()
    for plan in PLANS:
        shutil.copy(ROOT / "content" / "plans" / f"{plan}.yaml", target / "content" / "plans")
    return target


@dataclass
class ThemedSite:
    folder: Path
    output: Path
    files: dict

    def page(self, path: str) -> str:
        return self.files[path].decode("utf-8")


@pytest.fixture(scope="session")
def themed_site(tmp_path_factory) -> ThemedSite:
    folder = themed_folder(tmp_path_factory.mktemp("themed") / "site")
    files = pipeline.build(folder / "content", folder / "output", workers=1)
    return ThemedSite(folder=folder, output=folder / "output", files=files)


@pytest.fixture(scope="session")
def themed_url(themed_site):
    from support.browser import StaticServer

    server = StaticServer(themed_site.output)
    yield server.url
    server.close()
