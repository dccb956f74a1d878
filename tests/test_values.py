"""Values that reach pages are real and safe: dates that exist, ids without a hidden newline,
links that are http(s) or relative, a base_path that stays on this host. Each mistake is refused
with file:line and a message about that field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SMALL_PLAN
from generator import build as pipeline
from generator import content as content_stage
from generator.errors import BuildFailed


def plan_file(content: Path) -> Path:
    return content / "plans" / f"{SMALL_PLAN}.yaml"


def add_to_plan(content: Path, yaml_lines: str) -> int:
    """Insert top-level fields after the title; return the line number of the first one."""
    plan = plan_file(content)
    lines = plan.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("title:")) + 1
    lines[at:at] = yaml_lines.rstrip("\n").split("\n")
    plan.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def refused(content: Path) -> str:
    with pytest.raises(BuildFailed) as failure:
        content_stage.load(content)
    return failure.value.report()


@pytest.mark.parametrize("date", ["2022-02-30", "2022-13-45", "0000-00-00", "2023-02-29"])
def test_a_date_that_does_not_exist_is_refused(small_content, date):
    line = add_to_plan(small_content, f"dates:\n  written: {date}")
    report = refused(small_content)
    assert f"{SMALL_PLAN}.yaml:{line + 1}:12: [dates.written] 日期“{date}”不存在（no such date）" in report, report


@pytest.mark.parametrize("date", ["２０２２-01-01", "2022-1-1", "2022/01/01"])
def test_a_date_in_another_shape_is_refused(small_content, date):
    line = add_to_plan(small_content, f"dates:\n  written: {date}")
    report = refused(small_content)
    assert f"{SMALL_PLAN}.yaml:{line + 1}:12: [dates.written] “{date}”应写成 YYYY-MM-DD" in report, report


def test_a_leap_day_is_a_date(small_content):
    add_to_plan(small_content, "dates:\n  written: 2024-02-29")
    assert content_stage.load(small_content).plans[0].dates["written"] == "2024-02-29"


def test_plan_id_ending_in_a_newline_is_refused(small_content):
    plan = plan_file(small_content)
    plan.write_text(plan.read_text(encoding="utf-8").replace(f"id: {SMALL_PLAN}", f'id: "{SMALL_PLAN}\\n"', 1),
                    encoding="utf-8")
    report = refused(small_content)
    assert re.search(rf"\[id\] “{SMALL_PLAN}<U\+000A>”格式不对：应为小写英文字母", report), report


def test_anchor_ending_in_a_newline_is_refused(small_content):
    plan = plan_file(small_content)
    plan.write_text(plan.read_text(encoding="utf-8").replace('label: "1."', 'label: "1."\n            anchor: "first\\n"', 1),
                    encoding="utf-8")
    report = refused(small_content)
    assert re.search(r"\[\S+\.anchor\] “first<U\+000A>”格式不对：应以小写英文字母开头", report), report


def set_source_url(content: Path, url: str) -> int:
    """Give the plan's existing `source:` a url; return the url's line."""
    plan = plan_file(content)
    text = plan.read_text(encoding="utf-8")
    line = text[: text.index("\nsource:\n")].count("\n") + 3
    plan.write_text(text.replace("\nsource:\n", f"\nsource:\n  url: '{url}'\n", 1), encoding="utf-8")
    return line


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                 "//evil.example/x", "/\\evil.example/", "https://", " javascript:alert(1)",
                                 "vbscript:x", "https://gov.cn@evil.example/"])
def test_a_source_url_must_be_http_or_relative(small_content, url):
    line = set_source_url(small_content, url)
    report = refused(small_content)
    assert re.search(rf"{SMALL_PLAN}\.yaml:{line}:\d+: \[source\.url\] “.*”不是可用的网址", report), report


@pytest.mark.parametrize("url", ["https://www.zs.gov.cn/zwgk/2022/x.html?id=1#top", "http://example.org/", "files/plan.docx",
                                 "../plan.pdf", "/uploads/plan.pdf"])
def test_an_http_or_relative_source_url_is_linked(small_content, url):
    """A full address or a path from the host's root is linked as written; a relative path is
    relative to the site (the schema's word), so the plan's page, two folders down, climbs to it."""
    set_source_url(small_content, url)
    page = BeautifulSoup(pipeline.build_files(small_content)[f"plans/{SMALL_PLAN}/index.html"], "html.parser")
    href = url if url.startswith(("http://", "https://", "/")) else "../../" + url
    assert [link["href"] for link in page.find_all("a", href=href)] == [href]


@pytest.mark.parametrize("base_path", ["/\\evil.example/", "//evil.example/", "https://evil.example/", "/zwgk//",
                                       "/zwgk/plans", "/zw gk/", "/zwgk/\n"])
def test_base_path_must_be_a_clean_absolute_path(small_content, base_path):
    settings = small_content / "site.yaml"
    escaped = base_path.replace("\\", "\\\\").replace("\n", "\\n")
    settings.write_text(settings.read_text(encoding="utf-8").replace("base_path: /", f'base_path: "{escaped}"'),
                        encoding="utf-8")
    report = refused(small_content)
    assert re.search(r"site\.yaml:\d+:\d+: \[base_path\] “.*”应是以 / 开头和结尾的路径", report), report
    assert "ASCII id" not in report


def test_a_clean_base_path_reaches_the_404_page(small_content):
    settings = small_content / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("base_path: /", "base_path: /zwgk/plans/"),
                        encoding="utf-8")
    page = BeautifulSoup(pipeline.build_files(small_content)["404.html"], "html.parser")
    assert page.find("link", rel="stylesheet")["href"] == "/zwgk/plans/assets/site.css"
    assert all(tag["src"].startswith("/zwgk/plans/") for tag in page.find_all("script", src=True))
