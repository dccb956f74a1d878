"""What reaches the editor's terminal: every value echoed from arguments or files is cut, and a
control or invisible character in it is shown as its code point (<U+001B>), never sent as it is;
a symlinked registry/ or plans/ folder is named in one message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SMALL_PLAN, run_cli, run_main
from generator import invisible

HOSTILE = {"escape": "\x1b[31m红色\x1b[0m\x1b]0;标题\x07", "long": "长" * 40_000}
LINE_LIMIT = 500  # "a few hundred characters"
PROSE = "中山市金融工作局2022年政务公开工作要点分工方案\n一、推进政务公开\n1、规范行政法规使用（牵头科室：综合科）\n"


def assert_safe(result, value: str) -> None:
    """Nothing invisible reaches the terminal, no line is long, and the value is shown, not lost."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert invisible.first(output, "\n") is None, repr(output[:300])
    longest = max(output.split("\n"), key=len)
    assert len(longest) <= LINE_LIMIT, f"a line of {len(longest)} characters: {longest[:200]}…"
    if value.startswith("\x1b"):
        assert "<U+001B>[31m红色<U+001B>[0m<U+001B>]0;标题<U+0007>" in output, output
    else:
        assert "…（共 " in output, output[:600]


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(PROSE, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("option", ["--issuer", "--id", "--year", "--content", "FILE"])
def test_import_arguments_are_echoed_cut_and_visible(source, empty_content, option, value):
    arguments = {"FILE": str(source), "--content": str(empty_content)}
    arguments[option] = value + ".txt" if option == "FILE" else value
    result = run_main("import", arguments.pop("FILE"), *[part for pair in arguments.items() for part in pair])
    assert result.returncode in (1, 2), result.stdout  # 2: argparse refused the argument
    assert_safe(result, value)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_check_with_an_issuer_it_does_not_take_is_refused_cut_and_visible(small_content, value):
    assert_safe(run_main("check", "--content", str(small_content), "--issuer", value), value)


def test_a_real_process_gets_no_escape_byte():
    """argparse's own refusal, as the terminal receives it from a process."""
    result = run_cli("check", "--issuer", HOSTILE["escape"] + HOSTILE["long"])
    assert result.returncode == 2
    assert "\x1b" not in result.stdout + result.stderr and "<U+001B>[31m" in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) <= LINE_LIMIT


def test_a_long_name_in_an_imported_document_is_cut_in_the_review_line(tmp_path, empty_content):
    source = tmp_path / "plan.txt"
    source.write_text(PROSE.replace("综合科", "长" * 2_000 + "科"), encoding="utf-8")
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 0 and "需要核对 1 处" in result.stdout, result.stderr
    assert_safe(result, "long")


def test_a_long_key_in_a_plan_is_cut_in_the_field_of_its_message(small_content):
    plan = small_content / "plans" / f"{SMALL_PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - label: 一、", "  - label: 一、\n    " + "长" * 1_000 + ": 1", 1),
                    encoding="utf-8")
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1 and "[sections[0].长长" in result.stderr, result.stderr[:300]
    assert_safe(result, "long")


def hostile_folder(tmp_path: Path, content: Path) -> Path:
    moved = tmp_path / ("内容" + HOSTILE["escape"])
    shutil.move(content, moved)
    return moved


def test_a_folder_named_with_escapes_is_shown_visibly_in_errors_and_success_lines(tmp_path, small_content, source):
    content = hostile_folder(tmp_path, small_content)
    imported = run_main("import", str(source), "--content", str(content), "--id", "zs-jrj-2022-draft")
    assert imported.returncode == 0 and "已导入" in imported.stdout, imported.stderr
    assert_safe(imported, HOSTILE["escape"])
    plan = content / "plans" / f"{SMALL_PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("kind: 分工方案", "kind: 分工" + HOSTILE["escape"], 1),
                    encoding="utf-8")
    checked = run_main("check", "--content", str(content))
    assert checked.returncode == 1 and f"{SMALL_PLAN}.yaml:" in checked.stderr
    assert_safe(checked, HOSTILE["escape"])


def test_the_build_s_success_line_shows_the_output_folder_visibly(tmp_path, small_content):
    result = run_main("build", "--content", str(small_content), "--output", str(tmp_path / HOSTILE["escape"]))
    assert result.returncode == 0 and "已生成" in result.stdout, result.stderr
    assert_safe(result, HOSTILE["escape"])


@pytest.mark.parametrize("leads", ["outside", "inside"])
@pytest.mark.parametrize("folder", ["registry", "plans"])
def test_a_symlinked_folder_is_named_in_one_message(tmp_path, small_content, folder, leads):
    real = (tmp_path / "elsewhere" if leads == "outside" else small_content / "shared") / folder
    real.parent.mkdir()
    shutil.move(small_content / folder, real)
    target = real if leads == "outside" else Path("shared") / folder
    (small_content / folder).symlink_to(target)
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{small_content / folder}: 这是指向 {target} 的目录链接，不会读取：registry/ 和 plans/ 必须是普通目录，"
        "请用目录本身代替链接（a symlinked folder is not read, wherever it leads）",
        "构建失败：内容中有 1 处错误（build failed: 1 error(s)）"], result.stderr[:2000]


def test_import_names_a_symlinked_registry_once(tmp_path, empty_content, source):
    shutil.move(empty_content / "registry", tmp_path / "registry")
    (empty_content / "registry").symlink_to(tmp_path / "registry")
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 2 and "registry: 这是指向" in result.stderr, result.stderr[:2000]
