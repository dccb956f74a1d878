"""The example plans of docs/editing.md (docs/examples/), built once per test session (tests only
read it): small content made for the patterns the shipped plans do not use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import build as pipeline
from generator import content as content_stage
from generator import site as site_stage

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples"


@dataclass
class ExampleSite:
    output: Path
    files: dict
    site: site_stage.Site

    def page(self, path: str) -> str:
        return self.files[path].decode("utf-8")

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.page(path), "html.parser")

    def plan(self, plan_id: str):
        return next(plan for plan in self.site.plans if plan.id == plan_id)


@pytest.fixture(scope="session")
def examples_site(tmp_path_factory) -> ExampleSite:
    folder = tmp_path_factory.mktemp("examples")
    files = pipeline.build_files(EXAMPLES, workers=1)
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return ExampleSite(output=folder, files=files, site=site_stage.derive(content_stage.load(EXAMPLES)))


@pytest.fixture(scope="session")
def examples_url(examples_site):
    from support.browser import StaticServer

    server = StaticServer(examples_site.output)
    yield server.url
    server.close()
