"""Editors' mistakes: each gets file:line:column, the field and a clear message, exit status 1,
no traceback, and the previous output left exactly as it was."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, run_main  # in process: these tests read messages and exit codes


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("good") / "output"
    result = run_main("build", "--content", str(CONTENT), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture
def previous_output(tmp_path, good_build) -> Path:
    """A good build of the shipped content already sitting in the output folder, as on an
    editor's machine (copied: building it again for every test took most of their time)."""
    output = tmp_path / "output"
    shutil.copytree(good_build, output, symlinks=True)
    return output


def build_fails(content: Path, output: Path) -> str:
    """Run the build, require a clean failure that left `output` untouched; return stderr."""
    before = snapshot(output)
    result = run_main("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(output) == before, "a failed build changed the previous output"
    assert not [p for p in output.parent.iterdir() if p.name.startswith((".output.new-", ".output.old-"))], \
        "staging folder left behind"
    return result.stderr


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_yaml_syntax_error(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    edit(plan, "title: 中山市金融工作局2022年政务公开工作要点分工方案", "title: [中山市金融工作局2022年")
    stderr = build_fails(content_copy, previous_output)
    line = line_of(plan, "title: [中山市金融工作局")
    assert re.search(rf"zs-jrj-2022\.yaml:{line + 1}:\d+: .*YAML 语法错误", stderr), stderr


def test_unknown_field_suggests_the_right_name(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    edit(plan, "\ntitle:", "\ntitel:")
    stderr = build_fails(content_copy, previous_output)
    line = line_of(plan, "titel:")
    assert f"zs-jrj-2022.yaml:{line}:1: [titel] 未知字段“titel”" in stderr, stderr
    assert "您是否想写 title" in stderr


def test_misspelt_field_deep_in_a_measure(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-2017.yaml"
    edit(plan, "responsibility:", "responsibilty:")
    stderr = build_fails(content_copy, previous_output)
    line = line_of(plan, "responsibilty:")
    assert re.search(rf"zs-2017\.yaml:{line}:\d+: \[sections\[0\]\.measures\[0\]\.responsibilty\]", stderr), stderr
    assert "您是否想写 responsibility" in stderr


def test_unknown_unit_suggests_registered_names(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-2017.yaml"
    edit(plan, "lead: 市财政局", "lead: 市财政厅")
    stderr = build_fails(content_copy, previous_output)
    line = line_of(plan, "lead: 市财政厅")
    assert re.search(rf"zs-2017\.yaml:{line}:\d+: \[sections\[\d+\]\.\S*lead\] 单位名称“市财政厅”在登记册", stderr), stderr
    assert "市财政局" in stderr.split("市财政厅", 2)[-1]


def test_ambiguous_unit_name_is_reported(content_copy, previous_output):
    """Two city bureaus registered under one short name: say so with each one's body, never guess."""
    edit(content_copy / "registry" / "zhongshan.yaml", "aliases: [市统计局]", "aliases: [市统计局, 市财政局]")
    stderr = build_fails(content_copy, previous_output)
    assert "单位名称“市财政局”有歧义" in stderr
    assert "中山市财政局（属中山市人民政府，id zs-czj）" in stderr and "中山市统计局（属中山市人民政府，id zs-tjj）" in stderr
    assert "{name: 市财政局, unit: <id>}" in stderr and "别名" not in stderr


def test_gbk_file_is_named_as_gbk(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    plan.write_bytes(plan.read_text(encoding="utf-8").encode("gb18030"))
    stderr = build_fails(content_copy, previous_output)
    assert re.search(r"zs-jrj-2022\.yaml:\d+:\d+: 文件不是 UTF-8 编码；它看起来是 GBK", stderr), stderr


def test_empty_file(content_copy, previous_output):
    (content_copy / "plans" / "new-plan.yaml").write_text("", encoding="utf-8")
    stderr = build_fails(content_copy, previous_output)
    assert "new-plan.yaml:1:1: 文件是空的" in stderr


def test_yaml_that_is_not_a_plan(content_copy, previous_output):
    (content_copy / "plans" / "notes.yaml").write_text("- 待办一\n- 待办二\n", encoding="utf-8")
    (content_copy / "plans" / "settings.yaml").write_text("theme: red\n", encoding="utf-8")
    stderr = build_fails(content_copy, previous_output)
    assert "notes.yaml:1:1: 这不是计划文件" in stderr
    assert "settings.yaml:1:1: 这不是计划文件" in stderr


def test_duplicate_plan_id(content_copy, previous_output):
    source = content_copy / "plans" / "zs-jrj-2022.yaml"
    copy = content_copy / "plans" / "zs-jrj-2022-copy.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    stderr = build_fails(content_copy, previous_output)
    line = line_of(copy, "id: zs-jrj-2022")
    assert f"zs-jrj-2022.yaml:{line}:5: [id] 计划 id“zs-jrj-2022”重复" in stderr, stderr


def test_duplicate_measure_anchor(content_copy, previous_output):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace('label: "1."', 'label: "1."\n            anchor: first', 1)
    text = text.replace('label: "2."', 'label: "2."\n            anchor: first', 1)
    plan.write_text(text, encoding="utf-8")
    stderr = build_fails(content_copy, previous_output)
    line = [n for n, l in enumerate(text.splitlines(), 1) if "anchor: first" in l][1]
    assert re.search(rf"zs-jrj-2022\.yaml:{line}:\d+: \[\S+anchor\] 锚点“first”在本计划中重复", stderr), stderr


def test_all_errors_are_reported_in_one_run(content_copy, previous_output):
    edit(content_copy / "plans" / "zs-jrj-2022.yaml", "\ntitle:", "\ntitel:")
    edit(content_copy / "plans" / "zs-2017.yaml", "lead: 市财政局", "lead: 市财政厅")
    (content_copy / "plans" / "empty.yaml").write_text("", encoding="utf-8")
    stderr = build_fails(content_copy, previous_output)
    assert "zs-jrj-2022.yaml" in stderr and "zs-2017.yaml" in stderr and "empty.yaml" in stderr
    assert "内容中有 3 处错误" in stderr


def test_check_command_reports_without_writing(content_copy, tmp_path):
    edit(content_copy / "plans" / "zs-jrj-2022.yaml", "\ntitle:", "\ntitel:")
    result = run_main("check", "--content", str(content_copy))
    assert result.returncode == 1 and "titel" in result.stderr
    assert not (tmp_path / "output").exists()
