"""Reading is bounded and stays inside content/: hostile files get a message naming the file,
never a hang, a traceback, a gigabyte of memory or the text of a file outside the folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, SMALL_PLAN
from generator import build as pipeline
from generator import content as content_stage
from generator.errors import BuildFailed

PLAN = SMALL_PLAN


def load_errors(content: Path) -> str:
    """The report of a load that must fail cleanly (BuildFailed, nothing else)."""
    with pytest.raises(BuildFailed) as failure:
        content_stage.load(content)
    return failure.value.report()


def run_limited(*args: str, timeout: float = 30, memory: int = 2 << 30, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real CLI with a time limit and a memory ceiling, so a regression fails instead of
    hanging the suite or eating the machine."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, preexec_fn=limit)


def plan_path(content: Path) -> Path:
    return content / "plans" / f"{PLAN}.yaml"


def test_symlink_to_a_plan_outside_content_is_not_published(small_content, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(plan_path(small_content).read_text(encoding="utf-8").replace(f"id: {PLAN}", "id: leak"),
                       encoding="utf-8")
    (small_content / "plans" / "leak.yaml").symlink_to(outside)
    report = load_errors(small_content)
    assert re.search(r"plans/leak\.yaml: 这是指向内容目录之外.*的链接，不会读取", report), report


def test_registry_symlink_to_etc_passwd_never_shows_its_text(small_content):
    (small_content / "registry" / "passwd.yaml").symlink_to("/etc/passwd")
    report = load_errors(small_content)
    assert "registry/passwd.yaml: 这是指向内容目录之外" in report, report
    first_line = Path("/etc/passwd").read_text().splitlines()[0]
    assert first_line not in report and "root:" not in report


def test_symlink_inside_content_is_read(small_content):
    """A link that stays inside the folder is an ordinary way of organising files."""
    real = small_content / "drafts" / f"{PLAN}.yaml"
    real.parent.mkdir()
    plan_path(small_content).rename(real)
    plan_path(small_content).symlink_to(real)
    assert [plan.id for plan in content_stage.load(small_content).plans] == [PLAN]


def test_fifo_named_yaml_does_not_hang_the_build(small_content, tmp_path):
    os.mkfifo(small_content / "plans" / "x.yaml")
    result = run_limited("check", "--content", str(small_content), timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "plans/x.yaml: 这是命名管道（FIFO），不是普通文件" in result.stderr, result.stderr


def test_symlink_to_dev_zero_is_refused_without_reading(small_content):
    (small_content / "registry" / "zero.yaml").symlink_to("/dev/zero")
    result = run_limited("check", "--content", str(small_content), timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "registry/zero.yaml: 这是指向内容目录之外" in result.stderr


def test_folder_named_like_a_yaml_file(small_content):
    (small_content / "plans" / "x.yaml").mkdir()
    (small_content / "registry" / ".yaml").mkdir()
    report = load_errors(small_content)
    assert "plans/x.yaml: 这是一个目录，不是文件" in report
    assert "registry/.yaml: 这是一个目录，不是文件" in report


def test_file_over_the_size_limit_is_refused_unread(small_content):
    with open(small_content / "plans" / "huge.yaml", "wb") as huge:
        huge.truncate(21 * 1024 * 1024)
    report = load_errors(small_content)
    assert "plans/huge.yaml: 文件超过大小上限 20 MB" in report, report


BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_is_refused_at_once_naming_file_and_line(small_content):
    assert len(BOMB.encode()) < 500
    (small_content / "plans" / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    result = run_limited("check", "--content", str(small_content), timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert re.search(r"plans/bomb\.yaml:5:\d+: 别名展开的值超过 10000 个", result.stderr), result.stderr
    timing = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""\
            import time, resource
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
            from pathlib import Path
            from generator import yamlfile
            from generator.errors import ContentError
            started = time.perf_counter()
            try:
                yamlfile.load(Path({str(small_content / 'plans' / 'bomb.yaml')!r}))
            except ContentError:
                print(time.perf_counter() - started)
            """)],
        capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert timing.stdout.strip(), timing.stderr[-2000:]
    assert float(timing.stdout) < 0.2, f"refused in {float(timing.stdout) * 1000:.0f} ms"


def test_recursive_alias_is_named_not_a_recursion_error(small_content):
    (small_content / "plans" / "loop.yaml").write_text("id: loop\nsections: &s\n  - measures: *s\n", encoding="utf-8")
    report = load_errors(small_content)
    assert re.search(r"plans/loop\.yaml:3:\d+: 别名 \*s 出现在它自己的锚点之内", report), report


def test_deep_nesting_is_refused_with_its_line(small_content):
    (small_content / "plans" / "deep.yaml").write_text("id: deep\nsections: " + "[" * 10000 + "]" * 10000 + "\n",
                                                     encoding="utf-8")
    report = load_errors(small_content)
    assert re.search(r"plans/deep\.yaml:2:\d+: 嵌套超过 64 层", report), report


@pytest.mark.parametrize("character, name", [("\u2028", "U+2028 LINE SEPARATOR"), ("\x85", "U+0085 NEXT LINE (NEL)"),
                                             ("\u200b", "U+200B ZERO WIDTH SPACE"), ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE")])
def test_invisible_character_is_named_at_the_editors_line(small_content, character, name):
    plan = plan_path(small_content)
    text = plan.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("title:"))
    plan.write_text(text.replace("title: 中山市", f"title: 中山{character}市", 1), encoding="utf-8")
    report = load_errors(small_content)
    assert f"{PLAN}.yaml:{line}:10: 这里有一个看不见的字符 {name}" in report, report


def test_long_value_is_cut_in_the_message(small_content):
    plan = plan_path(small_content)
    plan.write_text(plan.read_text(encoding="utf-8").replace("kind: 分工方案", "kind: " + "长" * 1_000_000, 1),
                    encoding="utf-8")
    report = load_errors(small_content)
    assert "“" + "长" * 60 + "…（共 1000000 字）”不是可选值之一" in report, report[:500]
    assert len(report) < 1000


def test_unit_suggestions_say_which_body_each_belongs_to(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    plan = content / "plans" / "zs-2017.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("lead: 市财政局", "lead: 综合课", 1), encoding="utf-8")
    report = load_errors(content)
    hint = re.search(r"单位名称“综合课”在登记册.*最接近的登记名称：(\S+)", report).group(1)
    assert "综合科（中山市工业和信息化局）" in hint and "综合科（中山市金融工作局）" in hint, hint
    assert "综合科、综合科" not in hint


def test_plan_in_a_subfolder_is_reported_not_skipped(small_content):
    (small_content / "plans" / "2023").mkdir()
    shutil.copy(plan_path(small_content), small_content / "plans" / "2023" / "zs-jrj-2023.yaml")
    report = load_errors(small_content)
    assert "plans/2023/zs-jrj-2023.yaml: 子目录中的文件不会被读取" in report, report


def test_file_name_must_be_the_plan_id(small_content):
    plan_path(small_content).rename(small_content / "plans" / "jrj.yaml")
    report = load_errors(small_content)
    assert re.search(r"plans/jrj\.yaml:\d+:5: \[id\] 文件名 jrj\.yaml 与 id“zs-jrj-2022”不一致", report), report


def test_no_plans_is_a_message(small_content):
    plan_path(small_content).unlink()
    with pytest.raises(BuildFailed) as failure:
        pipeline.build_files(small_content)
    assert "plans: 没有计划文件" in failure.value.report()


def test_all_drafts_is_a_message_for_build_but_fine_for_serve(small_content):
    plan = plan_path(small_content)
    plan.write_text(plan.read_text(encoding="utf-8").replace("\nkind:", "\ndraft: true\nkind:", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        pipeline.build_files(small_content)
    assert "全部 1 份计划都是草稿" in failure.value.report()
    assert "plans/zs-jrj-2022/index.html" in pipeline.build_files(small_content, include_drafts=True)


@pytest.mark.parametrize("command", ["check", "build"])
def test_missing_content_folder_is_a_message(tmp_path, command):
    result = run_limited(command, "--content", str(tmp_path / "nowhere"), *(["--output", str(tmp_path / "out")]
                                                                           if command == "build" else []))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and "content OK" not in result.stdout
    assert f"内容目录 {tmp_path / 'nowhere'} 不存在" in result.stderr
    assert not (tmp_path / "out").exists()
