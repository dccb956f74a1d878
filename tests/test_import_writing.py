"""How `build.py import` writes its draft: whole or not at all, and in YAML the build reads back
as exactly the text of the cells.

The full disk is a real tmpfs of the test's own (support/tmpfs.py); the round trip goes through
the build's own loader (yamlfile), the schema and the content model, as `build.py check` does.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, ROOT, run_main
from support import importing as support
from support.tmpfs import run_on_tmpfs
from generator import content as content_stage
from generator import schema, yamlfile
from generator.errors import CannotBuild
from generator.importer import draft, import_file
from generator.importer import writer

PLAN = "zs-jrj-2022"


def word_source(folder: Path) -> Path:
    """The shipped 2022 plan of 中山市金融工作局 as the Word table it came as (a 13 KB draft)."""
    path = folder / f"{PLAN}.docx"
    support.write_docx(path, support.title_of(PLAN), support.table_grid(PLAN, page_rows=9, break_every=30))
    return path


def everything_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))  # dot-files too: a temporary file left behind counts


# -- the draft reaches the disk whole or not at all ---------------------------------------------

FULL_DISK = textwrap.dedent("""\
    import json, os, shutil, subprocess, sys
    mount, content, source, python, build_py = sys.argv[1:]
    here = os.path.join(mount, "content")
    shutil.copytree(content, here)
    plans = os.path.join(here, "plans")

    def run(*args):
        done = subprocess.run([python, build_py, *args, "--content", here], capture_output=True, text=True)
        return {"code": done.returncode, "out": done.stdout + done.stderr, "plans": sorted(os.listdir(plans))}

    filler = os.open(os.path.join(mount, "filler"), os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(filler, bytes(1 << 16))
    except OSError:
        pass
    os.ftruncate(filler, os.fstat(filler).st_size - 8192)  # room for 8 KB, less than the draft
    os.close(filler)
    report = {"full": run("import", source, "--id", "on-full-disk"), "check_when_full": run("check")}
    os.remove(os.path.join(mount, "filler"))
    report["freed"] = run("import", source, "--id", "on-full-disk")
    report["size"] = os.path.getsize(os.path.join(plans, "on-full-disk.yaml"))
    report["check_when_freed"] = run("check")
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    report["read_only"] = run("import", source, "--id", "on-read-only-disk")
    print(json.dumps(report))
    """)


@pytest.mark.long
def test_a_full_or_read_only_disk_leaves_no_draft_and_a_message(small_content, tmp_path):
    """The reported case: a disk full while the draft was written left an 8 KB file that broke
    the next build and made the next import say "file exists"."""
    source = word_source(tmp_path)
    draft_path = "/content/plans/on-full-disk.yaml"
    report = run_on_tmpfs(FULL_DISK, 16 * 1024 * 1024, tmp_path, str(small_content), str(source),
                          sys.executable, str(ROOT / "build.py"))
    full = report["full"]
    assert full["code"] == 1 and "Traceback" not in full["out"], full
    assert f"{draft_path}：磁盘空间不足（No space left on device）" in full["out"], full["out"]
    assert "没有留下任何文件" in full["out"]
    assert full["plans"] == [f"{PLAN}.yaml"], "a draft or a temporary file was left behind"
    assert report["check_when_full"]["code"] == 0, report["check_when_full"]
    assert report["freed"]["code"] == 0, report["freed"]
    assert report["freed"]["plans"] == ["on-full-disk.yaml", f"{PLAN}.yaml"]
    assert report["size"] > 8192  # bigger than the room there was: it could not have fitted
    assert report["check_when_freed"]["code"] == 0, report["check_when_freed"]
    read_only = report["read_only"]
    assert read_only["code"] == 1 and "Traceback" not in read_only["out"], read_only
    assert "/content/plans/on-read-only-disk.yaml：文件系统是只读的（Read-only file system）" in read_only["out"]
    assert read_only["plans"] == ["on-full-disk.yaml", f"{PLAN}.yaml"]


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()],
                         ids=["disk error", "Ctrl-C"])
def test_a_failure_while_flushing_leaves_nothing(failure, tmp_path, empty_content, monkeypatch):
    """A disk that fails when the draft is flushed, or Ctrl-C at that moment: no draft, no
    temporary file; the disk error is a message naming the draft."""
    source = word_source(tmp_path)
    real_fsync = os.fsync

    def failing_fsync(descriptor):
        if os.path.isfile(f"/proc/self/fd/{descriptor}"):  # a file, not the folder
            raise failure
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(type(failure) if isinstance(failure, KeyboardInterrupt) else CannotBuild) as raised:
        import_file(source, empty_content)
    if isinstance(failure, OSError):
        assert str(raised.value).startswith(f"无法写入 {empty_content / 'plans' / PLAN}.yaml：读写磁盘时出错（Input/output error）")
    assert everything_in(empty_content / "plans") == []
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert import_file(source, empty_content).path.is_file()  # and the next import is not refused


def test_a_file_that_appears_while_importing_is_never_replaced(tmp_path, empty_content, monkeypatch):
    """An editor (or a second import) creates the file after the import checked that the name
    was free: the import says so and the editor's file stays as it was."""
    source = word_source(tmp_path)
    target = empty_content / "plans" / f"{PLAN}.yaml"
    real_link = os.link

    def editor_saves_first(source_path, link_name, **options):
        Path(link_name).write_text("# 编辑刚保存的文件\n", encoding="utf-8")
        return real_link(source_path, link_name, **options)

    monkeypatch.setattr(os, "link", editor_saves_first)
    with pytest.raises(CannotBuild) as refused:
        import_file(source, empty_content)
    assert "已经存在，导入不会覆盖任何文件" in str(refused.value)
    assert target.read_text(encoding="utf-8") == "# 编辑刚保存的文件\n"
    assert everything_in(empty_content / "plans") == [target.name]


def test_without_hard_links_the_draft_is_still_written_whole(tmp_path, empty_content, monkeypatch):
    """A file system without hard links (FAT, some network shares): the draft is written under
    its own name instead, whole, and no temporary file stays."""
    source = word_source(tmp_path)

    def no_links(*_args, **_options):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    imported = import_file(source, empty_content)
    assert everything_in(empty_content / "plans") == [f"{PLAN}.yaml"]
    assert yamlfile.load(imported.path, empty_content).data["id"] == PLAN


# -- the writer writes what the loader reads --------------------------------------------------

# The words, and more that some YAML reader takes for something other than text.
SPECIAL = ["09", "08", "-09", "+09", "1e3", "0x1F", "0o17", "1_000", ".5", "+1", "1:20", ".inf", "-.inf", ".nan",
           "yes", "no", "on", "off", "y", "n", "Y", "N", "~", "null", "Null", "True", "false", "<<", "=",
           "2022-02-30", "2022-02-03 10:00:00", "2022-2-3", "2022-02-03 10:00", "2022-02-03", "2022-06", "2022",
           "a: b", "a #b", "a:", "- a", "-a", "?a", ":a", "#a", "&a", "*a", "!a", "|a", ">a", "'a'", '"a"', "%a",
           "@a", "`a", "[a]", "{a}", "a, b", "a]", "---", "...", " a", "a ", "a\tb", "\\"]


@pytest.mark.parametrize("text", SPECIAL)
def test_a_special_word_is_read_back_as_written_by_the_build_and_other_yaml_readers(text):
    for flow in (False, True):
        written = writer.scalar(text, flow)
        line = f"k: [{written}]\n" if flow else f"k: {written}\n"
        expected = {"k": [text]} if flow else {"k": text}
        assert yamlfile.parse(line, Path("draft.yaml")).data == expected, (text, written)
        if text not in ("2022-02-03",):  # a date stays plain, as in the shipped plans
            assert yaml.safe_load(line) == expected, (text, written)  # an editor's YAML tool
    assert writer.scalar("2022-02-03") == "2022-02-03"


def test_numbers_and_words_other_readers_type_are_quoted():
    """Strings to the build, but not to YAML 1.1 readers (PyYAML, yes/on/1:20) or YAML 1.2
    ones (VS Code's YAML extension, 09/1e3/0o17): quoted, so an editor's tool agrees."""
    typed = ["09", "+09", "1e3", "0o17", "0x1F", "1_000", ".5", "+1", "1:20", ".inf", ".nan", "yes", "no", "on",
             "off", "y", "n", "~", "null", "True", "<<", "=", "2022-02-30", "2022-02-03 10:00:00"]
    assert [word for word in typed if writer.scalar(word) == word] == []
    # text to every reader: stays plain (YAML 1.1's dates need two-digit months and days,
    # its times seconds)
    assert [writer.scalar(word) for word in ("2022-2-3", "2022-06", "综合科", "1.5万元")] == [
        "2022-2-3", "2022-06", "综合科", "1.5万元"]


def test_multi_line_text_is_a_block_only_where_it_reads_back():
    for text, block in [("第一行\n第二行", True), ("  缩进的第一行\n第二行", False), ("行尾有空格 \n下一行", False),
                        ("中间一行\n   \n只有空格", False), ("末尾换行\n", False), ("\n开头空行", True),
                        ("Tab\t在中间\n下一行", True), ("\t开头的 Tab\n下一行", False)]:
        assert writer.literal_ok(text) is block, text
        lines = writer._Writer()
        lines.field(0, "text", text)
        data = yamlfile.parse("\n".join(lines.lines) + "\n", Path("draft.yaml")).data
        assert data == {"text": text}, (text, lines.lines)
        assert lines.lines[0].endswith("|-") is block


# Cell texts: Chinese, ASCII digits and punctuation, YAML's special words and characters,
# spaces at either end, several lines. No invisible characters: the readers remove those.
PIECES = SPECIAL + ["综合科", "市财政局", "年底前", "（一）", "1.", "、", "，", "：", "“", "”", "□", " ", "  ", "\t",
                    "\n", "\n\n", "\n  ", "  \n", "\r\n"]
characters = st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                       st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), st.sampled_from("，。、；：（）“”《》　"))
line = st.lists(st.one_of(st.sampled_from(PIECES), characters), max_size=5).map("".join)
cell_text = st.lists(line, min_size=1, max_size=3).map("\n".join).filter(lambda text: text.strip(" \t\r\n") != "")


def plan_holding(text: str, unit: str, outside: str = "") -> draft.Plan:
    """A draft with `text` wherever the writer puts a cell's words, and `unit` wherever it puts
    a unit's name (`outside`, else `unit`, for 市财政局 named outside the issuer's scope): block
    values and list items, flow lists and mappings, `|-` blocks."""
    names = draft.Responsibility(roles={"lead": [unit], "support": [unit, "综合科"]})
    measure = draft.Measure(label=text, text=text, requirement=text, responsibility=names,
                            deadline=draft.Deadline(text=text), status=draft.Status(text=text, state="推进中"),
                            remarks=text)
    dated = draft.Measure(label="2.", text=text, deadline=draft.Deadline(
        text=text, milestones=[("2022-06", text), ("2022-12-31", "")]),
                          responsibility=draft.Responsibility(as_written=text, words={"lead": text}, roles={
                              "lead": [draft.Qualified(outside or unit, "zs-czj")]}))
    counted = draft.Measure(label="3.", text=text, parts=[draft.Part(text=text, responsibility=names)],
                            deadline=draft.Deadline(text=text, after=draft.Relative(event=text, within=15,
                                                                                     unit="working_days")))
    group = draft.Group(responsibility=draft.Responsibility(roles={"lead": [unit, "综合科"]}), measures=[
        draft.Measure(label="4.", text=text, deadline=draft.Deadline(text=text, recurring=draft.Recurrence("month", 10)))])
    task = draft.Task(title=text, label=text, responsibility=names, items=[draft.Measure(label="5.", text=text)])
    point = draft.Point(label=text, title=text, responsibility=names, items=[measure, dated, counted, group, task])
    section = draft.Section(label=text, title=text, body=text, points=[point])
    return draft.Plan(id=PLAN, title="中山市金融工作局2022年政务公开工作要点分工方案", issuer="中山市金融工作局",
                      kind="分工方案", year=2022, source_file=f"{text}.docx", columns=[text, "责任单位"],
                      first_listed_leads=text, role_words={"lead": text}, preamble=text, closing=text,
                      editor_notes=[text, text], sections=[section])


def values_at(data, text: str, unit: str) -> list:
    """Every place plan_holding put `text` or `unit`, read from the loaded data, with what it should be."""
    section = data["sections"][0]
    point = section["points"][0]
    measure, dated, counted, group, task = point["measures"]
    names = {"lead": unit, "support": [unit, "综合科"]}
    return [
        (data["columns"][0], text), (data["first_listed_leads"], text), (data["role_words"], {"lead": text}),
        (data["preamble"], text), (data["closing"], text), (data["editor_notes"], [text, text]),
        (data["source"]["file"], f"{text}.docx"),
        (section["label"], text), (section["title"], text), (section["body"], text),
        (point["label"], text), (point["title"], text), (point["responsibility"], names),
        (measure["label"], text), (measure["text"], text), (measure["requirement"], text),
        (measure["responsibility"], names), (measure["deadline"], text),
        (measure["status"], {"text": text, "state": "推进中"}), (measure["remarks"], text),
        (dated["deadline"]["text"], text), (dated["deadline"]["milestones"][0], {"date": "2022-06", "text": text}),
        (dated["responsibility"], {"as_written": text, "words": {"lead": text},
                                   "lead": [{"name": unit, "unit": "zs-czj"}]}),
        (counted["parts"][0], {"text": text, "responsibility": names}),
        (counted["deadline"]["after"]["event"], text),
        (group["group"], {"lead": [unit, "综合科"]}), (group["measures"][0]["text"], text),
        (task["task"], text), (task["label"], text), (task["responsibility"], names),
    ]


@pytest.fixture(scope="module")
def round_trip_content(tmp_path_factory):
    """A content folder with the shipped registry and settings."""
    folder = tmp_path_factory.mktemp("round-trip") / "content"
    (folder / "plans").mkdir(parents=True)
    shutil.copytree(CONTENT / "registry", folder / "registry")
    shutil.copy(CONTENT / "site.yaml", folder / "site.yaml")
    return folder


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=cell_text, unit=cell_text)
def test_any_cell_text_is_read_back_by_the_build_as_written(text, unit, round_trip_content):
    """The property: whatever a cell holds, the draft's YAML gives it back as exactly that
    string, read as `build.py check` reads it: the loader, the schema, the content model."""
    unit = unit.replace("\r\n", "\n")
    text = text.replace("\r\n", "\n")  # a cell's line breaks come out of the readers as \n
    written = writer.write(plan_holding(text, unit), ["草稿"]).text
    folder = round_trip_content
    path = folder / "plans" / f"{PLAN}.yaml"
    document = yamlfile.parse(yamlfile.decode(path, written.encode("utf-8")), path)
    assert schema.check(document, "plan") == []
    for got, expected in values_at(document.data, text, unit):
        assert got == expected, written
    # the content model, with units it knows (a name it does not know is a finding, not a load)
    path.write_text(writer.write(plan_holding(text, "综合科", "市财政局"), ["草稿"]).text, encoding="utf-8")
    plan = content_stage.load(folder, include_drafts=True).plans[0]
    measure = plan.measures[0]
    assert (measure.label, measure.text, measure.requirement, measure.deadline.text, measure.status.text,
            measure.remarks) == (text,) * 6
    assert (plan.sections[0].title, plan.points[0].title, plan.columns[0], plan.role_words, plan.editor_notes) == (
        text, text, text, {"lead": text}, [text, text])


# -- the table, end to end ------------------------------------------------------------

WORDS = ["09", "08", "1e3", "yes", "2022-02-30", "~", "null"]


def words_sheet(path: Path) -> None:
    """A 台账 whose every cell (number, measure, deadline, units, state, remarks) is one of WORDS."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["中山市金融工作局2022年政务公开工作要点分工方案"])
    sheet.append(["序号", "工作任务", "完成时限", "责任单位", "落实情况", "备注"])
    for word in WORDS:
        sheet.append([word] * 6)
    workbook.save(str(path))


def test_a_table_of_yaml_words_imports_and_check_reads_them_as_text(tmp_path, small_content):
    source = tmp_path / "words.xlsx"
    words_sheet(source)
    imported = run_main("import", str(source), "--content", str(small_content), "--id", "words")
    assert imported.returncode == 0, imported.stderr
    draft_path = small_content / "plans" / "words.yaml"
    data = yamlfile.load(draft_path, small_content).data
    measures = data["sections"][0]["measures"]
    # A units cell of punctuation alone (~, like — or ／) names no unit: the one cell read otherwise.
    assert [(m["label"], m["text"], m["deadline"], m.get("responsibility", {}).get("lead", "~"), m["status"]["text"],
             m["remarks"]) for m in measures] == [(word,) * 6 for word in WORDS]
    assert "responsibility" not in measures[WORDS.index("~")]
    checked = run_main("check", "--content", str(small_content))
    assert "内部错误" not in checked.stdout + checked.stderr, checked.stderr
    problems = [line for line in checked.stderr.splitlines() if "words.yaml" in line]
    assert [line.split("单位名称“")[1].split("”")[0] for line in problems] == [w for w in WORDS if w != "~"], checked.stderr
    assert all("（unknown unit）" in line for line in problems)


def test_with_the_words_registered_the_draft_passes_check(tmp_path, small_content):
    """The same table where the registry has units of those names: check passes and the model
    holds the names as text."""
    units = "\n".join(f"  - {{id: zs-jrj-word-{number}, name: {writer.scalar(word, True)}, kind: section}}"
                      for number, word in enumerate(WORDS))
    (small_content / "registry" / "zs-jrj-words.yaml").write_text(f"parent: zs-jrj\nunits:\n{units}\n", encoding="utf-8")
    source = tmp_path / "words.xlsx"
    words_sheet(source)
    imported = run_main("import", str(source), "--content", str(small_content), "--id", "words")
    assert imported.returncode == 0, imported.stderr
    checked = run_main("check", "--content", str(small_content))
    assert checked.returncode == 0, checked.stderr
    plan = next(p for p in content_stage.load(small_content, include_drafts=True).plans if p.id == "words")
    assert [(m.label, m.text, m.deadline.text, m.responsibility.assignments[0].written if m.responsibility and m.responsibility.assignments else "~",
             m.status.text, m.remarks) for m in plan.measures] == [(word,) * 6 for word in WORDS]
