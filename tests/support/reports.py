"""A site whose plans hold progress reports (tests/fixtures/reports/ laid over the shipped
registry, settings and three shipped plans), built once per test session: the pages, layout,
accessibility and HTML tests read its plan, unit, department and year pages."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import build as pipeline
from generator import content as content_stage
from generator import site as site_stage

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "reports"
SHIPPED_PLANS = ("zs-jrj-2022", "zs-gxj-2022", "zs-jxj-2018")  # 金融工作局 2022; 工信局 over two names

# The pages that show reports, for the browser and HTML checks.
PAGES = ["", "plans/", "plans/jrj-2023/", "plans/zs-jrj-2022/", "units/zs-jrj-zongheke/",
         "units/zs-jrj-chanyejinrongke/", "units/zs-jrj-jinrongfazhanke/", "departments/zs-jrj/",
         "departments/zs-gxj/"]


def reports_content(target: Path) -> Path:
    """The fixture's content folder, written under `target`."""
    shipped = ROOT / "content"
    shutil.copytree(shipped / "registry", target / "registry")
    shutil.copy(shipped / "site.yaml", target / "site.yaml")
    (target / "plans").mkdir()
    for plan in SHIPPED_PLANS:
        shutil.copy(shipped / "plans" / f"{plan}.yaml", target / "plans" / f"{plan}.yaml")
    shutil.copytree(FIXTURE / "plans", target / "plans", dirs_exist_ok=True)
    shutil.copytree(FIXTURE / "reports", target / "reports")
    return target


@dataclass
class ReportsSite:
    content: Path
    output: Path
    files: dict
    site: site_stage.Site

    def page(self, path: str) -> str:
        return self.files[path].decode("utf-8")

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.page(path), "html.parser")

    def plan(self, plan_id: str):
        return self.site.plans_by_id[plan_id]


@pytest.fixture(scope="session")
def reports_site(tmp_path_factory) -> ReportsSite:
    content = reports_content(tmp_path_factory.mktemp("reports") / "content")
    output = content.parent / "output"
    files = pipeline.build_files(content, workers=1)
    for relative, data in files.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(data)
    return ReportsSite(content=content, output=output, files=files,
                       site=site_stage.derive(content_stage.load(content)))


@pytest.fixture(scope="session")
def reports_url(reports_site):
    from support.browser import StaticServer

    server = StaticServer(reports_site.output)
    yield server.url
    server.close()
