"""The editors' preview: `build.py serve` with the real livereload server on 127.0.0.1 and a real
browser: saves show up by themselves, mistakes show in the page, the output stays clean."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, run_main
from generator import build as pipeline
from generator.changes import classify
from generator.errors import BuildFailed
from generator.rebuild import LiveBuild
from generator.render import TEMPLATES_DIR
from support.serving import Preview, Serve, fetch, free_port, wait_until


@pytest.fixture
def server(content_copy):
    running = Preview(content_copy, free_port())
    yield running
    running.stop()


@pytest.fixture
def two_plans(small_content) -> Path:
    """The registry, the settings and two plans of one year: every kind of page, fast to build."""
    shutil.copy(ROOT / "content" / "plans" / "zs-gxj-2022.yaml", small_content / "plans")
    return small_content


@pytest.fixture(scope="module")
def unedited_server(tmp_path_factory):
    """One preview for the tests that only read from it."""
    content = tmp_path_factory.mktemp("unedited") / "content"
    shutil.copytree(ROOT / "content", content)
    running = Preview(content, free_port())
    yield running
    running.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def connected(page) -> None:
    """Wait until livereload.js has shaken hands with the server (protocol 7 agreed)."""
    page.wait_for_function("window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol >= 7")


def test_saved_edit_shows_in_the_open_page_in_place(server, content_copy, page):
    """The page being edited updates by itself, without a reload: scroll position and the
    page's own state are kept. A second save right after updates it again."""
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    page.goto(server.url + "plans/zs-jrj-2022/")
    connected(page)
    page.evaluate("window.scrollTo(0, 900); window.stillTheSamePage = true")
    edit(plan, "规范行政法规使用", "规范行政法规使用（第一次修改）")
    page.get_by_text("（第一次修改）").wait_for(timeout=5000)  # how fast: benchmarks/serve_latency.py
    assert page.evaluate("[window.stillTheSamePage, window.scrollY]") == [True, 900]
    edit(plan, "（第一次修改）", "（第二次修改）")
    page.get_by_text("（第二次修改）").wait_for(timeout=5000)
    assert "已更新" in server.output


def test_an_edit_leaves_other_open_pages_alone(server, content_copy, page, browser):
    """Only the pages an edit wrote update: a unit page the edit does not touch stays as it is."""
    page.goto(server.url + "units/zs-czj/")
    connected(page)
    page.evaluate("window.stillTheSamePage = true")
    other = browser.new_page()
    other.goto(server.url + "plans/zs-jrj-2022/")
    connected(other)
    edit(content_copy / "plans" / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规使用（修改）")
    other.get_by_text("（修改）").wait_for(timeout=5000)
    server.wait_for("搜索数据已是最新")
    assert page.evaluate("window.stillTheSamePage") is True
    other.close()


def test_broken_file_shows_an_overlay_and_recovers(server, content_copy, page):
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    page.goto(server.url + "plans/zs-jrj-2022/")
    connected(page)
    edit(plan, "\ntitle:", "\ntitel:")
    overlay = page.locator("#serve-error-overlay")
    overlay.wait_for(timeout=5000)
    assert overlay.get_attribute("role") == "alert"
    text = overlay.inner_text()
    assert "zs-jrj-2022.yaml:3:1" in text and "未知字段“titel”" in text
    server.wait_for("zs-jrj-2022.yaml:3:1: [titel]")
    assert page.locator("h1").inner_text() == "中山市金融工作局2022年政务公开工作要点分工方案"  # last good page
    page.keyboard.press("Escape")
    assert overlay.count() == 0, "the overlay is dismissed by keyboard"
    edit(plan, "\ntitel:", "\ntitle:")
    server.wait_for("错误已修正")
    page.wait_for_function("!document.getElementById('serve-error-overlay')")
    assert server.running(), "the server keeps running"


def test_content_folder_deleted_and_copied_back_is_watched_again(server, content_copy, tmp_path, page):
    """`rm -rf content && cp -r backup content`: while it is gone the page says so; once it is
    back the page reloads with the backup's text, and the next save shows too (inotify's watch
    went with the deleted folder)."""
    backup = shutil.copytree(content_copy, tmp_path / "backup")
    edit(backup / "plans" / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规使用（备份的版本）")
    page.goto(server.url + "plans/zs-jrj-2022/")
    connected(page)
    shutil.rmtree(content_copy)
    page.locator("#serve-error-overlay", has_text="content folder not found").wait_for(timeout=5000)
    shutil.copytree(backup, content_copy)
    page.get_by_text("（备份的版本）").wait_for(timeout=5000)
    page.wait_for_function("!document.getElementById('serve-error-overlay')")
    connected(page)
    edit(content_copy / "plans" / "zs-jrj-2022.yaml", "（备份的版本）", "（恢复后修改）")
    page.get_by_text("（恢复后修改）").wait_for(timeout=5000)


def test_content_folder_moved_away_and_back_is_watched_again(server, content_copy, tmp_path):
    """`mv content away && mv away content`: gone is said while it is away, and an editor's
    safe-save (a temporary file renamed over the plan) in the folder moved back shows."""
    away = content_copy.rename(tmp_path / "away")
    server.wait_for("content folder not found")
    assert any("content folder not found" in error["message"] for error in errors_shown(server))
    away.rename(content_copy)
    wait_until(lambda: errors_shown(server) == [])
    server.wait_for("错误已修正")
    plan = content_copy / "plans" / "zs-jrj-2022.yaml"
    saved = plan.with_name(".zs-jrj-2022.yaml.tmp")
    saved.write_text(plan.read_text(encoding="utf-8").replace("规范行政法规使用", "规范行政法规使用（移回后修改）", 1),
                     encoding="utf-8")
    saved.replace(plan)
    wait_until(lambda: "（移回后修改）".encode() in fetch(server.url + "plans/zs-jrj-2022/")[2])


def test_templates_folder_deleted_and_put_back_is_watched_again(clone, tmp_path):
    """The same for templates/ (a clone's: the preview watches the templates beside its code),
    put back whole by renaming another version into place, as a tool that replaces a folder
    safely does: no file inside it is written once it is back, only the folder's return is seen."""
    templates = clone / "templates"
    other = shutil.copytree(templates, tmp_path / "other-templates")
    edit(other / "pages" / "plan.html", '<article class="plan">', '<article class="plan" data-restored>')
    running = Serve(clone / "content", free_port(), build_py=clone / "build.py")
    try:
        shutil.rmtree(templates)
        running.wait_for("（template error）")
        wait_until(lambda: errors_shown(running) != [])  # the overlay lists the missing template
        other.rename(templates)
        wait_until(lambda: b"data-restored" in fetch(running.url + "plans/zs-jrj-2022/")[2])
        wait_until(lambda: errors_shown(running) == [])  # the pages are written a moment before it is cleared
        edit(templates / "pages" / "plan.html", "data-restored", "data-edited")
        wait_until(lambda: b"data-edited" in fetch(running.url + "plans/zs-jrj-2022/")[2])
        assert "Traceback" not in running.output
    finally:
        running.stop()


def test_burst_of_saves_is_one_rebuild(server, content_copy):
    plans = content_copy / "plans"
    before = server.output.count("已更新")
    for name, old in (("zs-jrj-2022.yaml", "规范行政法规使用"), ("zs-2017.yaml", "密切跟踪研判")):
        edit(plans / name, old, old + "甲")
    server.wait_for("zs-2017.yaml")
    server.wait_for("搜索数据已是最新")  # the rebuild's last step: any second rebuild would have begun
    updates = server.output.count("已更新") - before
    assert updates == 1, server.output


def test_drafts_show_in_serve_marked_and_stay_out_of_build(two_plans, tmp_path, page):
    plan = two_plans / "plans" / "zs-jrj-2022.yaml"
    edit(plan, "\nkind:", "\ndraft: true\nkind:")  # the other plan is published
    running = Preview(two_plans, free_port())
    try:
        page.goto(running.url + "plans/zs-jrj-2022/")
        assert page.locator("h1 .draft-tag").inner_text() == "草稿"
    finally:
        running.stop()
    assert "plans/zs-jrj-2022/index.html" not in pipeline.build_files(two_plans)


def test_ctrl_c_stops_cleanly(content_copy):
    running = Serve(content_copy, free_port())
    assert running.stop() == 0
    assert "已停止预览" in running.output and "Traceback" not in running.output


def test_port_in_use_gets_a_clear_message(content_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content_copy),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1
    assert f"端口 {port} 已被占用" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_built_output_has_no_reload_script(built_site):
    for path in built_site.files:
        data = (built_site.output / path).read_bytes()
        assert b"livereload" not in data and b"__serve__" not in data, path


def clean_build(content: Path) -> dict[str, bytes]:
    """What `build` would write for `content` (drafts included, as the preview shows them)."""
    files = pipeline.build_files(content, include_drafts=True)
    return {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files.items()}


def changes(live: LiveBuild, content: Path, paths: set[Path]):
    """The changes serve hands the rebuild when it sees `paths` written."""
    return classify(paths, content, live.templates.folders)


def previewed(content: Path, served: Path) -> LiveBuild:
    """A preview of `content` as serve starts it: every page, then the search data."""
    live = LiveBuild(content, served)
    live.build_all()
    live.build_search()
    return live


def saved(live: LiveBuild, content: Path, paths: set[Path]):
    """What serve does once it sees `paths` written: the pages they touch (the outcome returned),
    right after them the pages that show every plan, then the search data."""
    outcome = live.update(changes(live, content, paths))
    live.later()
    live.build_search()
    return outcome


def written_by(content: Path, change) -> set[Path]:
    """The content files `change(content)` wrote, made or removed."""
    before = {p: p.read_bytes() for p in content.rglob("*.yaml")}
    change(content)
    after = {p: p.read_bytes() for p in content.rglob("*.yaml")}
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def on_disk(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


EDITS = {
    "measure text": lambda c: edit(c / "plans" / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规的使用"),
    "lead unit": lambda c: edit(c / "plans" / "zs-2017.yaml", "lead: 市财政局", "lead: 市审计局"),
    "plan removed": lambda c: (c / "plans" / "zs-jrj-2022.yaml").unlink(),
    "plan id changed": lambda c: (edit(c / "plans" / "zs-gxj-2022.yaml", "id: zs-gxj-2022", "id: zs-gxj-2022-v2"),
                                  (c / "plans" / "zs-gxj-2022.yaml").rename(c / "plans" / "zs-gxj-2022-v2.yaml")),
    "new plan": lambda c: (c / "plans" / "zs-jrj-2023.yaml").write_text(
        (c / "plans" / "zs-jrj-2022.yaml").read_text(encoding="utf-8").replace("id: zs-jrj-2022", "id: zs-jrj-2023")
        .replace("year: 2022", "year: 2023"), encoding="utf-8"),
    "registry": lambda c: edit(c / "registry" / "zs-jrj.yaml", "{name: 产业金融科, kind: section}",
                               "{name: 产业金融科, kind: section, note: 测试}"),
    "settings": lambda c: edit(c / "site.yaml", "title: 政务公开工作要点", "title: 政务公开"),
}


@pytest.mark.parametrize("change", sorted(EDITS))
def test_incremental_output_equals_a_clean_build(content_copy, tmp_path, change):
    live = previewed(content_copy, tmp_path / "served")
    outcome = saved(live, content_copy, written_by(content_copy, EDITS[change]))
    assert on_disk(tmp_path / "served") == clean_build(content_copy)
    if change == "measure text":
        assert outcome.pages < 20, "a text edit re-renders a few pages, not the site"


def test_files_in_content_static_are_previewed_as_the_build_writes_them(two_plans, tmp_path):
    """An original kept in content/static/ and linked from a plan opens in the preview as on the
    built site; a static file added, changed or removed shows at once; one that would replace a
    page is the build's message, and the preview keeps the last good files until it is moved."""
    static = two_plans / "static"
    (static / "files").mkdir(parents=True)
    original = static / "files" / "原文.pdf"
    original.write_bytes(b"%PDF-1.4 first")
    served = tmp_path / "served"
    live = previewed(two_plans, served)
    assert (served / "files" / "原文.pdf").read_bytes() == b"%PDF-1.4 first"

    original.write_bytes(b"%PDF-1.4 second")
    (static / "CNAME").write_text("zwgk.example.gov.cn\n")
    saved(live, two_plans, {original, static / "CNAME"})
    assert on_disk(served) == clean_build(two_plans)
    assert (served / "files" / "原文.pdf").read_bytes() == b"%PDF-1.4 second"

    original.unlink()
    saved(live, two_plans, {original})
    assert on_disk(served) == clean_build(two_plans)
    assert not (served / "files" / "原文.pdf").exists()

    clash = static / "plans" / "zs-jrj-2022" / "index.html"
    clash.parent.mkdir(parents=True)
    clash.write_text("<p>mine</p>")
    with pytest.raises(BuildFailed) as failure:
        live.update(changes(live, two_plans, {clash}))
    assert "与网站生成的文件 plans/zs-jrj-2022/index.html 同名" in failure.value.report()
    assert "<p>mine</p>" not in (served / "plans" / "zs-jrj-2022" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(static / "plans")
    saved(live, two_plans, {clash})
    assert on_disk(served) == clean_build(two_plans)


def test_an_original_in_content_static_opens_from_the_running_preview(small_content):
    """The link a plan page gives to its original in content/static/ answers in the preview."""
    (small_content / "static" / "files").mkdir(parents=True)
    (small_content / "static" / "files" / "plan.pdf").write_bytes(b"%PDF-1.4 original")
    running = Preview(small_content, free_port())
    try:
        status, headers, body = fetch(running.url + "files/plan.pdf")
        assert (status, headers["content-type"], body) == (200, "application/pdf", b"%PDF-1.4 original")
    finally:
        running.stop()


def test_two_edits_before_the_deferred_pages_are_rendered_keep_both(content_copy, tmp_path):
    """serve renders index pages and data files a moment after the reload; a second save in that
    moment must not drop what the first one left for later (one plan edited, another deleted)."""
    live = previewed(content_copy, tmp_path / "served")
    first, second = content_copy / "plans" / "zs-jrj-2022.yaml", content_copy / "plans" / "zs-jxj-2018.yaml"
    edit(first, "规范行政法规使用", "规范行政法规使用。")
    live.update(changes(live, content_copy, {first}))
    second.unlink()
    saved(live, content_copy, {second})
    assert on_disk(tmp_path / "served") == clean_build(content_copy)


def test_a_file_no_change_names_is_not_read_again(two_plans, tmp_path):
    """The preview reads only the files a change names: a plan file rewritten without a change
    naming it is not read (nor stat-ed), so the edit of another plan shows; named, it is read."""
    live = LiveBuild(two_plans, tmp_path / "served")
    live.build_all()
    plans = two_plans / "plans"
    (plans / "zs-gxj-2022.yaml").write_text("id: [broken\n", encoding="utf-8")
    edited = plans / "zs-jrj-2022.yaml"
    edit(edited, "规范行政法规使用", "规范行政法规使用（改）")
    live.update(changes(live, two_plans, {edited}))
    assert "（改）" in (tmp_path / "served" / "plans" / "zs-jrj-2022" / "index.html").read_text(encoding="utf-8")
    with pytest.raises(BuildFailed):
        live.update(changes(live, two_plans, {plans / "zs-gxj-2022.yaml"}))


def test_a_change_of_a_failed_rebuild_is_applied_with_the_next(two_plans, tmp_path):
    """A site's unit template saved in the same moment as a broken plan: that rebuild fails. The
    next save fixes the plan alone, and every unit page shows the new template too."""
    own = two_plans.parent / "templates" / "pages"
    own.mkdir(parents=True)
    live = previewed(two_plans, tmp_path / "served")
    unit = own / "unit.html"
    unit.write_text((TEMPLATES_DIR / "pages" / "unit.html").read_text(encoding="utf-8")
                    .replace("<h1>", '<h1 data-own-template="">', 1), encoding="utf-8")
    plan = two_plans / "plans" / "zs-jrj-2022.yaml"
    edit(plan, "\ntitle:", "\ntitel:")
    with pytest.raises(BuildFailed):
        live.update(changes(live, two_plans, {unit, plan}))
    edit(plan, "\ntitel:", "\ntitle:")
    saved(live, two_plans, {plan})
    assert on_disk(tmp_path / "served") == clean_build(two_plans)
    unit_pages = list((tmp_path / "served" / "units").glob("*/index.html"))
    assert unit_pages and all(b"data-own-template" in page.read_bytes() for page in unit_pages)


def test_pages_left_for_later_are_rendered_when_another_change_comes_first(two_plans, tmp_path):
    """A plan's title edited, and before the index pages that list it are rendered another save
    comes that touches no page (a file nothing reads): the index pages still follow."""
    live = previewed(two_plans, tmp_path / "served")
    plan = two_plans / "plans" / "zs-jrj-2022.yaml"
    edit(plan, "\ntitle: 中山市金融工作局", "\ntitle: 中山市金融局")
    assert live.update(changes(live, two_plans, {plan})).later
    stray = two_plans / "notes.yaml"
    stray.write_text("note: 不是内容文件\n", encoding="utf-8")
    saved(live, two_plans, {stray})
    assert on_disk(tmp_path / "served") == clean_build(two_plans)


REPORT_EDITS = {
    "a report's word changed": lambda c: edit(c / "reports" / "jrj-2023-h1.yaml", "选型尚未开始。", "选型已经开始。"),
    "a report's state changed": lambda c: edit(c / "reports" / "jrj-2023-h1.yaml", "state: 未启动", "state: 推进中"),
    "the reported plan edited": lambda c: edit(c / "plans" / "jrj-2023.yaml", "\ntitle:", "\ntitle: 修订"),
    "another plan edited": lambda c: edit(c / "plans" / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规的使用"),
    "a second report added": lambda c: (c / "reports" / "jrj-2023-q3.yaml").write_text(
        (c / "reports" / "jrj-2023-h1.yaml").read_text(encoding="utf-8").replace("as_of: 2023-07-15", "as_of: 2023-10-15")
        .replace("上半年", "前三季度").replace("选型尚未开始。", "选型已完成。"), encoding="utf-8"),
    "the report removed": lambda c: (c / "reports" / "jrj-2023-h1.yaml").unlink(),
}


def test_report_edits_in_the_preview_match_a_clean_build(tmp_path):
    """Progress reports edited, added and removed one after another, and the plans they speak of
    edited: after each, the preview's files are exactly a clean build's (the preview keeps a plan's
    readings while neither it nor its reports changed, and must notice when either did)."""
    from support.reports import reports_content

    content = reports_content(tmp_path / "content")
    live = LiveBuild(content, tmp_path / "served")
    everything = live.build_all().pages
    live.build_search()
    for name, change in REPORT_EDITS.items():
        outcome = saved(live, content, written_by(content, change))
        assert on_disk(tmp_path / "served") == clean_build(content), f"the preview is stale after {name}"
        if name.startswith("a report"):  # the pages of its plan, its units and departments; not every page
            assert outcome.pages < everything / 2, (name, outcome.pages, everything)


def test_a_report_saved_beside_a_broken_plan_shows_once_the_plan_is_fixed(tmp_path):
    """A report's word changed and, in the same moment, another plan saved with a mistake: that
    rebuild fails. Only the plan is fixed and saved again; the report's change shows on every
    page all the same, as a clean build shows it."""
    from support.reports import reports_content

    content = reports_content(tmp_path / "content")
    live = previewed(content, tmp_path / "served")
    report, plan = content / "reports" / "jrj-2023-h1.yaml", content / "plans" / "zs-gxj-2022.yaml"
    edit(report, "选型尚未开始。", "选型已经开始。")
    edit(plan, "\ntitle:", "\ntitel:")
    with pytest.raises(BuildFailed):
        live.update(changes(live, content, {report, plan}))
    edit(plan, "\ntitel:", "\ntitle:")
    saved(live, content, {plan})
    assert on_disk(tmp_path / "served") == clean_build(content)


def test_a_measure_edit_leaves_the_pages_that_list_every_plan_alone(content_copy, tmp_path):
    """A measure's text is on its plan's page, its units' pages and its data files, not on the home
    page or the indexes: those are not rendered again (at 10,000 plans each costs a look at every plan)."""
    live = previewed(content_copy, tmp_path / "served")
    edit(content_copy / "plans" / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规的使用")
    outcome = live.update(changes(live, content_copy, {content_copy / "plans" / "zs-jrj-2022.yaml"}))
    rest = live.later()
    assert "plans/zs-jrj-2022/index.html" in outcome.written
    assert rest.pages == 2 and sorted(rest.written) == ["data/plans/zs-jrj-2022.csv", "data/plans/zs-jrj-2022.json"]


def test_template_change_renders_only_its_pages(content_copy, tmp_path):
    live = LiveBuild(content_copy, tmp_path / "served")
    live.build_all()
    outcome = live.update(changes(live, content_copy, {TEMPLATES_DIR / "pages" / "unit.html"}))
    assert outcome.pages == len(live.site.units)
    outcome = live.update(changes(live, content_copy, {TEMPLATES_DIR / "static" / "site.css"}))
    assert outcome.pages == 0


def errors_shown(server: Serve | Preview) -> list[dict]:
    """What the overlay shows: the preview's own error list, as the browser fetches it."""
    with urllib.request.urlopen(server.url + "__serve__/errors.json", timeout=10) as response:
        return json.loads(response.read())




@pytest.mark.long
def test_template_syntax_error_reaches_terminal_and_overlay_and_recovers(clone, page):
    template = clone / "templates" / "pages" / "plan.html"
    good = template.read_text(encoding="utf-8")
    running = Serve(clone / "content", free_port(), build_py=clone / "build.py")
    try:
        page.goto(running.url + "plans/zs-jrj-2022/")
        connected(page)
        template.write_text(good.replace("\n", "\n{% if %}\n", 1), encoding="utf-8")
        running.wait_for("模板语法错误")
        overlay = page.locator("#serve-error-overlay")
        overlay.wait_for(timeout=5000)
        assert f"{template}:2" in overlay.inner_text() and "模板语法错误" in overlay.inner_text()
        assert f"{template}:2: 模板语法错误" in running.output
        template.write_text(good, encoding="utf-8")
        running.wait_for("错误已修正")
        page.wait_for_function("!document.getElementById('serve-error-overlay')")
        assert "Traceback" not in running.output and running.running()
    finally:
        running.stop()


def test_unreadable_content_reaches_the_overlay_and_recovers(server, content_copy):
    plans = content_copy / "plans"
    (plans / "deep.yaml").write_text("id: deep\nsections: " + "[" * 10000 + "]" * 10000 + "\n", encoding="utf-8")
    (plans / ".yaml").mkdir()
    wait_until(lambda: len(errors_shown(server)) == 2)
    shown = {(Path(e["file"]).name, e["message"].split("（")[0]) for e in errors_shown(server)}
    assert shown == {("deep.yaml", "嵌套超过 64 层"), (".yaml", "这是一个目录，不是文件：请改名或移走")}, shown
    server.wait_for("deep.yaml:2:74: 嵌套超过 64 层")
    (plans / "deep.yaml").unlink()
    (plans / ".yaml").rmdir()
    edit(plans / "zs-jrj-2022.yaml", "规范行政法规使用", "规范行政法规使用。")  # the next save
    server.wait_for("错误已修正")
    assert errors_shown(server) == [] and "Traceback" not in server.output




PATHS = ["", "plans/zs-jrj-2022/", "assets/site.css", "no/such/page", "__serve__/errors.json", "__serve__/overlay.js",
         "livereload.js"]


def test_head_answers_with_the_headers_of_get(unedited_server):
    for path in PATHS:
        status, headers, body = fetch(unedited_server.url + path)
        head_status, head_headers, head_body = fetch(unedited_server.url + path, "HEAD")
        assert (head_status, head_headers, head_body) == (status, headers, b""), path
        assert int(headers["content-length"]) == len(body), path


def test_a_range_is_answered_with_exactly_those_bytes(unedited_server):
    for path in ("plans/zs-jrj-2022/", "assets/site.css"):
        _, _, whole = fetch(unedited_server.url + path)
        size = len(whole)
        for asked, first, last in (("bytes=0-99", 0, 99), ("bytes=100-", 100, size - 1), ("bytes=-50", size - 50, size - 1)):
            status, headers, body = fetch(unedited_server.url + path, headers={"Range": asked})
            assert status in (200, 206), (path, asked)
            if status == 206:  # a range answered: exactly those bytes, and said so
                assert body == whole[first:last + 1] and int(headers["content-length"]) == len(body), (path, asked)
                assert headers["content-range"] == f"bytes {first}-{last}/{size}", (path, asked)
            else:  # or not at all: the whole page
                assert body == whole, (path, asked)


@pytest.mark.parametrize("port", ["99999", "0", "65536"])
def test_port_outside_the_valid_range_is_an_error(small_content, port):
    result = run_main("serve", "--content", str(small_content), "--port", port)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "端口应为 1–65535 之间的整数" in result.stderr, result.stderr


# --- every field, one at a time ----------------------------------------------------------------

def _yaml_data(path: Path):
    from generator import yamlfile

    return yamlfile.load(path).data


def _write_yaml(path: Path, data) -> None:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _changed(value, schema: dict):
    """A different value of the same kind, valid under `schema`; None when there is none."""
    if "enum" in schema:
        others = [option for option in schema["enum"] if option != value]
        return others[0] if others else None
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":  # a date: another real date
            return value[:8] + ("02" if value[8:] != "02" else "03")
        if schema.get("pattern"):
            import re

            candidates = [value + "-x", value + "x/", "/zwgk/", value + "x"]
            return next((text for text in candidates if re.search(schema["pattern"], text)), None)
        return value + "改"
    if isinstance(value, list):
        return value + ["测试"] if all(isinstance(item, str) for item in value) else None
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, str) and key not in ("date", "as_of"):
                return {**value, key: inner + "改"}
    return None


SAMPLES = {  # a valid value for a field the shipped content leaves out
    "deadline": "年底前", "dates": {"written": "2022-01-05"},
    "former_names": [{"name": "测试旧名", "until": 2020}], "draft": True, "role_words": {"support": "协办"},
    "theme": {"colors": {"primary": "#1a4d8f", "focus": "#ffd23f"}},  # assets/theme.css appears
}


def _sample(key: str, schema: dict, target: dict):
    if key == "base_url":  # must agree with the base_path an earlier edit may have changed
        return "https://www.example.gov.cn" + target.get("base_path", "/")
    if key in SAMPLES:
        return SAMPLES[key]
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "array":
        return ["测试"]
    return "测试"


def _field_edits(content: Path) -> list:
    """(description, edit) for every field the schemas give plans, sections, points, measures,
    registry units and settings: the value changed if the shipped content has one, a short text
    added where the field is an absent text."""
    import json

    schemas = {name: json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
               for name in ("plan", "registry", "site")}
    plan_defs = schemas["plan"]["definitions"]
    structural = {"id", "issuer", "sections", "points", "measures", "parts", "group", "responsibility", "children",
                  "parent", "units", "name"}

    def field_schema(properties: dict, key: str) -> dict:
        found = properties[key]
        if "$ref" in found:
            return {**plan_defs.get(found["$ref"].rsplit("/", 1)[-1], {}), "$ref": found["$ref"]}
        return found

    def edits_of(label: str, path: Path, locate, properties: dict) -> list:
        found = []
        for key in properties:
            if key in structural:
                continue
            schema = field_schema(properties, key)

            def edit(content_dir, key=key, schema=schema):
                data = _yaml_data(content_dir / path)
                target = locate(data)
                if key in target:
                    new = _changed(target[key], schema)
                    if new is None:
                        return False
                    target[key] = new
                else:
                    target[key] = f"{label}-anchor" if key == "anchor" else _sample(key, schema, target)
                _write_yaml(content_dir / path, data)
                return True

            found.append((f"{label}.{key}", edit))
        return found

    plan = Path("plans") / "zs-gxj-2022.yaml"
    edits = edits_of("plan", plan, lambda data: data, schemas["plan"]["properties"])
    edits += edits_of("section", plan, lambda data: data["sections"][0], plan_defs["section"]["properties"])
    edits += edits_of("point", plan, lambda data: data["sections"][0]["points"][0], plan_defs["point"]["properties"])
    edits += edits_of("measure", plan, lambda data: data["sections"][0]["points"][0]["measures"][0],
                      plan_defs["measure"]["properties"])
    edits += edits_of("unit", Path("registry") / "zs-gxj.yaml", lambda data: data["units"][0],
                      schemas["registry"]["definitions"]["unit"]["properties"])
    edits += edits_of("settings", Path("site.yaml"), lambda data: data, schemas["site"]["properties"])
    footer = schemas["site"]["properties"]["footer"]["properties"]
    edits += edits_of("settings.footer", Path("site.yaml"), lambda data: data.setdefault("footer", {}), footer)
    return edits


# The fields in three groups, each a test of its own so that pytest-xdist can spread them; how
# many edits each must make, so that a schema change cannot quietly leave a group with none.
FIELD_GROUPS = {
    "plan": (("plan",), 18),
    "sections, points and measures": (("section", "point", "measure"), 18),
    "registry unit and settings": (("unit", "settings"), 14),
}


@pytest.mark.long
@pytest.mark.parametrize("group", sorted(FIELD_GROUPS))
def test_every_field_edited_in_the_preview_matches_a_clean_build(two_plans, tmp_path, group):
    """Each field of a plan (and of its sections, points and measures), of a registry unit and of
    the settings, changed one at a time: after each change the preview's files are exactly a
    clean build's. A page that shows a field its page kind does not depend on would fail here.
    Two plans of one year are enough to have every kind of page, and a plan the edits leave alone."""
    labels, at_least = FIELD_GROUPS[group]
    content = two_plans
    live = previewed(content, tmp_path / "served")
    checked = []
    for name, edit in _field_edits(content):
        if name.split(".")[0] not in labels:
            continue
        before = {p: p.read_bytes() for p in content.rglob("*.yaml")}
        if not edit(content):
            continue
        saved(live, content, {p for p in content.rglob("*.yaml") if before.get(p) != p.read_bytes()})
        assert on_disk(tmp_path / "served") == clean_build(content), f"the preview is stale after {name}"
        checked.append(name)
    assert len(checked) >= at_least, checked


def test_a_watch_the_system_refuses_is_said_and_the_preview_still_serves(small_content, monkeypatch):
    """inotify's per-user limit reached (ENOSPC from the kernel, raised here in its place): the
    terminal says saves will not show by themselves, not 磁盘空间不足 and not a traceback, and the
    site is still served."""
    import errno

    from watchdog.observers import Observer
    refused = Observer.schedule

    def schedule(self, handler, path, recursive=False, **options):
        if recursive:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        return refused(self, handler, path, recursive=recursive, **options)
    monkeypatch.setattr(Observer, "schedule", schedule)
    running = Preview(small_content, free_port())
    try:
        assert "系统允许监视的目录数已用完" in running.output and "磁盘空间不足" not in running.output
        assert "Traceback" not in running.output
        assert fetch(running.url + "plans/")[0] == 200
    finally:
        running.stop()
