"""The output folder is ours or untouched: no argument makes the build delete what it did not
write, one build writes at a time, a crash at any point leaves the old site or the new one, and
a full or read-only disk is a message. Real CLI, real files, real kill -9, real tmpfs."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.tmpfs import run_on_tmpfs
from conftest import ROOT, SMALL_PLAN
from generator import build as pipeline
from generator import output
from generator.errors import BuildFailed, CannotBuild


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under `folder` (hidden ones too) with a hash of what it holds.
    Python's own __pycache__ folders are left out: running build.py from a clone compiles its
    code there, as any Python program does; they are not the build's writing."""
    found = {}
    for parent, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if f != "__pycache__"]
        for name in names + [f for f in folders if (Path(parent) / f).is_symlink()]:
            path = Path(parent) / name
            data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            found[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return found


def leftovers(output_dir: Path) -> list[str]:
    return sorted(p.name for p in output_dir.parent.iterdir()
                  if p.name.startswith((f".{output_dir.name}.new-", f".{output_dir.name}.old-")))


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None, build_py: Path = ROOT / "build.py"):
    return subprocess.run([sys.executable, str(build_py), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, **(env or {})})


REFUSED = {
    "empty argument": ("", "它是或包含项目目录"),
    "current folder": (".", "它是或包含项目目录"),
    "content": ("content", "它是或包含内容目录"),
    "plans": ("content/plans", "它位于内容目录"),
    "templates": ("templates/pages/x", "它位于模板目录"),
    "parent": ("..", "它是或包含"),
    "root": ("/", "它是或包含根目录"),
    "home": ("HOME", "它是或包含主目录"),
    "user's folder": ("USER", "它是一个不是由本程序生成的非空目录"),
    "existing file": ("FILE", "它是一个已有的文件"),
}


@pytest.mark.long
def test_output_that_is_not_ours_is_refused_and_untouched(clone, tmp_path):
    home, user, file = tmp_path / "home", tmp_path / "papers", tmp_path / "notes.txt"
    for folder in (home, user):
        folder.mkdir()
        (folder / "letter.docx").write_bytes(b"mine")
    file.write_text("mine")
    before = {folder: tree(folder) for folder in (clone, home, user)}
    runs = {}
    for case, (argument, _) in REFUSED.items():  # all at once: each is a separate real CLI run
        argument = {"HOME": str(home), "USER": str(user), "FILE": str(file)}.get(argument, argument)
        runs[case] = argument, subprocess.Popen(
            [sys.executable, str(clone / "build.py"), "build", "--output", argument], cwd=clone, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "HOME": str(home)})
    for case, (argument, run) in runs.items():
        stdout, stderr = run.communicate(timeout=120)
        assert run.returncode == 1, (case, stdout + stderr)
        assert "Traceback" not in stderr and "build OK" not in stdout, (case, stderr)
        assert f"不能生成到 {argument or '.'}：{REFUSED[case][1]}" in stderr, (case, stderr)
    assert {folder: tree(folder) for folder in (clone, home, user)} == before
    assert file.read_text() == "mine"


def test_marker_lists_exactly_what_the_build_wrote(small_content, tmp_path):
    site = tmp_path / "site"
    files = pipeline.build(small_content, site)
    marker = (site / output.MARKER).read_text(encoding="utf-8")
    assert marker.startswith("# zwgk-build:")
    assert [line for line in marker.splitlines() if not line.startswith("#")] == sorted(files)
    assert set(tree(site)) == set(files) | {output.MARKER}


def test_an_empty_folder_is_taken(small_content, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    pipeline.build(small_content, site)
    assert (site / "index.html").is_file()


def test_a_file_added_to_the_output_is_not_lost_and_static_files_come_from_content(small_content, tmp_path):
    site = tmp_path / "site"
    pipeline.build(small_content, site)
    (site / "CNAME").write_text("zwgk.example.gov.cn\n")
    before = tree(site)
    result = cli("build", "--content", str(small_content), "--output", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "其中有 1 个不是构建写入的文件（CNAME）" in result.stderr and "content/static/" in result.stderr
    assert tree(site) == before
    static = small_content / "static"
    (static / "docs").mkdir(parents=True)
    (site / "CNAME").rename(static / "CNAME")
    (static / ".htaccess").write_text("ErrorDocument 404 /404.html\n")
    (static / "docs" / "原文.pdf").write_bytes(b"%PDF-1.4 ...")
    for _ in range(2):  # and again: what content/static gave is the build's own
        pipeline.build(small_content, site)
        assert (site / "CNAME").read_text() == "zwgk.example.gov.cn\n"
        assert (site / ".htaccess").read_text() == "ErrorDocument 404 /404.html\n"
        assert (site / "docs" / "原文.pdf").read_bytes() == b"%PDF-1.4 ..."


def test_a_static_file_may_not_replace_a_page(small_content, tmp_path):
    (small_content / "static").mkdir()
    (small_content / "static" / "index.html").write_text("<p>mine</p>")
    with pytest.raises(BuildFailed) as failure:
        pipeline.build(small_content, tmp_path / "site")
    assert "static/index.html: 与网站生成的文件 index.html 同名" in failure.value.report()
    assert not (tmp_path / "site").exists()


def test_a_static_link_out_of_content_is_refused(small_content, tmp_path):
    (small_content / "static").mkdir()
    (small_content / "static" / "robots.txt").symlink_to("/etc/passwd")
    with pytest.raises(BuildFailed) as failure:
        pipeline.check(small_content)
    assert "static/robots.txt: 这是指向内容目录之外" in failure.value.report()


def test_a_second_build_into_a_busy_output_is_told_so(small_content, tmp_path):
    site = tmp_path / "site"
    pipeline.build(small_content, site)
    before = tree(site)
    with output.claim(site, small_content):  # what a running build holds
        result = cli("build", "--content", str(small_content), "--output", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"另一个构建正在写入 {site}" in result.stderr, result.stderr
    assert tree(site) == before


def test_two_builds_racing_leave_one_complete_site(small_content, tmp_path):
    site = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(small_content), "--output", str(site)]
    racers = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    results = [(racer.wait(timeout=120), *racer.communicate()) for racer in racers]
    for code, stdout, stderr in results:
        assert "Traceback" not in stderr
        assert code == 0 or (code == 1 and "另一个构建正在写入" in stderr), stderr
    assert any(code == 0 for code, _, _ in results)
    reference = tmp_path / "reference"
    pipeline.build(small_content, reference)
    assert tree(site) == tree(reference)
    assert leftovers(site) == []


def build_killed_at(event: str, nth: int, content: Path, site: Path) -> int:
    """Build in a forked child that sends itself SIGKILL at the `nth` audit event `event`; the
    child's exit status (-9 when it was killed). A fork starts in milliseconds where a new
    Python takes a second and a half to import the generator."""
    child = os.fork()
    if child == 0:  # the child: never returns into pytest
        seen = 0

        def kill_at(name, args):
            nonlocal seen
            if name == event:
                seen += 1
                if seen == nth:
                    os.kill(os.getpid(), signal.SIGKILL)

        code = 1  # a build that raised
        try:
            sys.addaudithook(kill_at)
            pipeline.build(content, site)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


# Each step of replacing the old site, as Python's audit events show it: the last change to the
# finished new site (chmod) just before it goes in, the second rename of a two-rename swap (the
# window the old code had), and the deletion of the old site just after it went out.
KILL_POINTS = [("os.chmod", 1), ("os.rename", 2), ("shutil.rmtree", 1), ("os.remove", 1), ("os.rmdir", 1)]


def test_kill_9_at_any_step_of_the_swap_leaves_a_whole_site(small_content, tmp_path):
    site, old_copy, reference = tmp_path / "site", tmp_path / "old", tmp_path / "reference"
    pipeline.build(small_content, old_copy)
    old_site = tree(old_copy)
    plan = small_content / "plans" / f"{SMALL_PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 中山市金融工作局", "title: 新版中山市金融工作局", 1),
                    encoding="utf-8")
    pipeline.build(small_content, reference)
    new_site = tree(reference)
    killed = 0
    for event, nth in KILL_POINTS:
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(old_copy, site)
        status = build_killed_at(event, nth, small_content, site)
        if status == -9:
            killed += 1
            assert tree(site) in (old_site, new_site), f"killed at {event} #{nth}: output/ is neither site"
        else:
            assert status == 0, f"the build killed at {event} #{nth} failed"
        pipeline.build(small_content, site)  # the next build cleans up after the crash
        assert tree(site) == new_site and leftovers(site) == [], f"after a kill at {event} #{nth}"
    assert killed >= 3, "the kill points no longer match the swap's steps"


def test_leftovers_of_crashed_builds_are_removed_but_nothing_else(small_content, tmp_path):
    site = tmp_path / "site"
    pipeline.build(small_content, site)
    for name in (".site.new-crashed", ".site.old-crashed"):
        shutil.copytree(site, tmp_path / name)
        (tmp_path / name / "index.html").unlink()  # cut short
    (tmp_path / ".site.new-empty").mkdir()
    mine = tmp_path / ".site.old-mine"
    mine.mkdir()
    (mine / "letter.docx").write_bytes(b"mine")
    pipeline.build(small_content, site)
    assert leftovers(site) == [".site.old-mine"]
    assert (mine / "letter.docx").read_bytes() == b"mine"


def test_the_old_site_is_deleted_whole_and_a_link_in_it_is_not_followed(small_content, tmp_path):
    """Once the new site is in place the old one goes, all of it, by several threads at once
    (output._remove_ours); a listed file that someone turned into a link to a folder of theirs
    goes as a link: the folder it pointed to keeps what it holds."""
    site = tmp_path / "site"
    pipeline.build(small_content, site)
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "letter.docx").write_bytes(b"mine")
    page = site / "plans" / SMALL_PLAN / "index.html"
    page.unlink()
    page.symlink_to(papers, target_is_directory=True)
    pipeline.build(small_content, site)
    assert leftovers(site) == []
    assert (site / "plans" / SMALL_PLAN / "index.html").is_file()
    assert (papers / "letter.docx").read_bytes() == b"mine"

    # A retired site of the shapes a big one has: a flat folder of more files than one thread
    # takes, folders in folders, a folder with files beside folders, links to files and folders.
    retired = tmp_path / ".site.old-big"
    (retired / "data" / "plans").mkdir(parents=True)
    for number in range(1000):
        (retired / "data" / "plans" / f"{number}.json").write_bytes(b"{}")
    for number in range(300):
        (retired / "plans" / f"p{number}").mkdir(parents=True)
        (retired / "plans" / f"p{number}" / "index.html").write_bytes(b"<p>")
    (retired / "assets" / "search" / "f" / "1").mkdir(parents=True)
    (retired / "assets" / "search" / "index.js").write_bytes(b"")
    (retired / "assets" / "search" / "f" / "1" / "0-0.js").write_bytes(b"")
    (retired / "assets" / "papers").symlink_to(papers, target_is_directory=True)
    (retired / "letter").symlink_to(papers / "letter.docx")
    (retired / output.MARKER).write_text(output.MARKER_HEADER, encoding="utf-8")
    output._remove_ours(retired)
    assert not os.path.lexists(retired)
    assert (papers / "letter.docx").read_bytes() == b"mine"


def test_an_output_lost_between_two_renames_is_put_back(small_content, tmp_path):
    """Where the system cannot exchange two folders, a crash between the two renames of the
    plain swap leaves the old site beside the output; the next build puts it back first."""
    site = tmp_path / "site"
    pipeline.build(small_content, site)
    old_site = tree(site)
    site.rename(tmp_path / ".site.old-crashed")
    plan = small_content / "plans" / f"{SMALL_PLAN}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    with pytest.raises(BuildFailed):
        pipeline.build(small_content, site)
    assert tree(site) == old_site and leftovers(site) == []


TMPFS_DRIVER = textwrap.dedent("""\
    import hashlib, json, os, subprocess, sys
    mount, content, python, build_py = sys.argv[1:]

    def tree(folder):
        found = {}
        for parent, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(parent, name)
                found[os.path.relpath(path, folder)] = hashlib.sha256(open(path, "rb").read()).hexdigest()
        return found

    def build():
        run = subprocess.run([python, build_py, "build", "--content", content, "--output", mount + "/site"],
                             capture_output=True, text=True)
        return {"code": run.returncode, "stdout": run.stdout, "stderr": run.stderr}

    report = {"first": build()}
    report["before"] = tree(mount + "/site")
    report["full"] = build()
    report["after_full"] = tree(mount + "/site")
    report["entries"] = sorted(os.listdir(mount))
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    report["read_only"] = build()
    report["after_read_only"] = tree(mount + "/site")
    print(json.dumps(report))
    """)


@pytest.mark.long
def test_disk_full_and_read_only_output_are_messages(small_content, tmp_path):
    """On a real tmpfs of its own (a private mount namespace): room for one site, not two."""
    reference = tmp_path / "reference"
    files = pipeline.build(small_content, reference)
    pages = sum(-(-(p.stat().st_size) // 4096) * 4096 for p in reference.rglob("*") if p.is_file())
    report = run_on_tmpfs(TMPFS_DRIVER, pages * 3 // 2, tmp_path, str(small_content), sys.executable,
                          str(ROOT / "build.py"))
    assert report["first"]["code"] == 0, report["first"]
    assert len(report["before"]) >= len(files)
    for step, left in (("full", "after_full"), ("read_only", "after_read_only")):
        assert report[step]["code"] == 1 and "Traceback" not in report[step]["stderr"], report[step]
        assert report[left] == report["before"], f"the {step} build changed the previous site"
    assert "磁盘空间不足（No space left on device）" in report["full"]["stderr"], report["full"]["stderr"]
    assert "之前的网站没有改动" in report["full"]["stderr"]
    assert [name for name in report["entries"] if ".new-" in name or ".old-" in name] == []
    assert "文件系统是只读的（Read-only file system）" in report["read_only"]["stderr"], report["read_only"]["stderr"]


def test_a_terminal_that_cannot_show_chinese_gets_escapes_not_a_traceback(small_content, tmp_path):
    posix = {"LC_ALL": "POSIX", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    result = cli("check", "--content", str(small_content), env=posix)
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout and "\\u5185\\u5bb9" in result.stdout  # 内容
    result = cli("build", "--content", str(small_content), "--output", str(ROOT), env=posix)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "refusing to build" in result.stderr


def test_in_process_refusal_changes_nothing(small_content, tmp_path):
    with pytest.raises(CannotBuild):
        pipeline.build(small_content, small_content / "site")
    assert not (small_content / "site").exists()
    assert not list(small_content.glob(".site.*"))
