"""A site's own look without forking the tool: its templates/ laid over the tool's (a template,
a component, a static file by path; base.html's blocks), the theme's colours and logo in
site.yaml checked for contrast, and the preview watching the site's templates/."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import run_main
from generator import theme
from generator.render import TEMPLATES_DIR
from support.serving import Preview, fetch, free_port, wait_until
from support.themed import themed_folder


def with_theme(content, text: str) -> None:
    """content/site.yaml with a theme: section added at its end."""
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_contrast_is_wcag_s_ratio():
    """Published figures (WebAIM's checker): the function is WCAG's, not one of its own."""
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert theme.shown_ratio(theme.contrast("#777777", "#ffffff")) == "4.47"  # 4.478…: short of 4.5
    assert theme.shown_ratio(theme.contrast("#767676", "#fff")) == "4.54"
    assert theme.contrast("#fff", "#ffffff") == pytest.approx(1)


def test_a_faint_colour_is_refused_naming_the_pair_its_ratio_and_its_place(small_content):
    with_theme(small_content, 'theme:\n  colors:\n    primary: "#1a4d8f"\n    text: "#777777"\n')
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    line = next(line for line in lines if "[theme.colors.text]" in line)
    number = len((small_content / "site.yaml").read_text(encoding="utf-8").splitlines())  # text: is the last line
    assert line.startswith(f"{small_content / 'site.yaml'}:{number}:11: [theme.colors.text] 标准样式中正文文字与标签底色")
    assert "3.74:1" in line and "4.5:1" in line  # the worst of its four backgrounds, #e8ebef
    assert not any("primary" in line for line in lines), "a colour that passes is not named"
    assert "Traceback" not in result.stderr


def test_a_header_text_too_close_to_the_header_is_refused(small_content):
    with_theme(small_content, 'theme:\n  colors:\n    header_background: "#0b3d6e"\n    header_text: "#1a4d8f"\n')
    result = run_main("build", "--content", str(small_content), "--output", str(small_content.parent / "out"))
    assert result.returncode == 1
    assert re.search(r"\[theme\.colors\.header_text\] 标准样式中页头文字与页头背景的对比度只有 1\.\d\d:1，"
                     r"低于无障碍要求（WCAG AA）的 4\.5:1", result.stderr), result.stderr
    assert not (small_content.parent / "out").exists()


def test_a_focus_colour_is_checked_against_the_header_in_both_styles(small_content):
    """A dark focus ring on a dark header: named in the normal style, where it fails first."""
    with_theme(small_content, 'theme:\n  colors:\n    focus: "#2b2b2b"\n')
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1
    focus = [line for line in result.stderr.splitlines() if "[theme.colors.focus]" in line]
    assert any("标准样式中焦点框外圈与页头背景" in line and "3:1" in line for line in focus), focus
    assert any("高对比度样式中焦点框外圈与页头背景" in line for line in focus), focus
    assert any("“跳到正文”链接的文字与焦点色" in line for line in focus), focus


def test_a_logo_needs_its_alt_text_and_its_file(small_content):
    with_theme(small_content, "theme:\n  logo:\n    src: logo.svg\n")
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1
    assert "[theme.logo] 缺少必填字段“alt”" in result.stderr, result.stderr
    (small_content / "site.yaml").write_text((small_content / "site.yaml").read_text(encoding="utf-8")
                                             + "    alt: 中山市财政局\n", encoding="utf-8")
    result = run_main("check", "--content", str(small_content))
    assert "[theme.logo.src] 标志图片 logo.svg 不在 content/static/ 中" in result.stderr, result.stderr
    (small_content / "static").mkdir()
    (small_content / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert run_main("check", "--content", str(small_content)).returncode == 0


def test_the_tool_s_own_colours_pass_every_pair_in_both_styles():
    for _, style in theme.STYLES:
        roles = theme.colours({}, style)
        for pair in theme.PAIRS:
            ratio = theme.contrast(roles[pair.foreground][0], roles[pair.background][0])
            assert ratio >= pair.needed, (pair, ratio)


def _declarations(css: str, selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css).group(1)
    return dict(re.findall(r"--([a-z-]+):\s*([^;]+);", block))


def test_the_checked_colours_are_those_of_site_css():
    """theme.py checks against site.css's colours: the two tables may not drift apart."""
    css = (TEMPLATES_DIR / "static" / "site.css").read_text(encoding="utf-8")
    root, high = _declarations(css, ":root"), _declarations(css, 'html[data-contrast="high"]')
    properties = {"primary": "accent", "text": "text", "link": "link", "focus": "focus", "header_text": "header-text"}
    for name, prop in properties.items():
        assert root[prop] == f"var(--theme-{name.replace('_', '-')}, {theme.DEFAULTS[name]})", name
    assert root["header-bg"] == "var(--theme-header-background, var(--accent))"
    assert {"page": root["bg"], "panel": root["panel"], "tag": root["tag-bg"], "target": root["target-bg"]} == {
        role: theme.FIXED[role] for role in ("page", "panel", "tag", "target")}
    assert "#0b0c0c" in re.search(r"\.skip-link \{([^}]*)\}", css).group(1)  # the skip link's text: focus_ring
    high_roles = {"primary": "accent", "header_background": "header-bg", "header_text": "header-text",
                  "text": "text", "link": "link", "panel": "panel", "tag": "tag-bg", "target": "target-bg"}
    assert {role: high[prop] for role, prop in high_roles.items()} == theme.HIGH_CONTRAST


def test_the_theme_s_colours_reach_the_pages_as_a_style_sheet(themed_site, built_site):
    css = themed_site.files["assets/theme.css"].decode("utf-8")
    assert _declarations(css, ":root") == {"theme-primary": "#1a4d8f", "theme-header-background": "#0b3d6e",
                                           "theme-header-text": "#ffffff", "theme-text": "#222222",
                                           "theme-link": "#1a4d8f", "theme-focus": "#ffd23f"}
    page = themed_site.page("plans/zs-gxj-2022/index.html")
    assert '<link rel="stylesheet" href="../../assets/theme.css">' in page
    assert "<style" not in page and " style=" not in page  # nothing a strict CSP would block
    logo = re.search(r'<img class="site-header__logo" src="([^"]+)" alt="([^"]+)">', page)
    assert logo.groups() == ("../../logo.svg", "中山市财政局")
    assert "logo.svg" in themed_site.files
    assert "assets/theme.css" not in built_site.files, "a site without a theme has no theme.css"
    assert "theme.css" not in built_site.page("index.html")


def test_a_site_s_templates_override_the_tool_s_by_path(themed_site):
    page = themed_site.page("plans/zs-gxj-2022/index.html")
    # base.html extends zwgk/base.html: the header block holds the portal bar and the tool's header
    assert page.index("data-portal-bar") < page.index('<header class="site-header">') < page.index("<main")
    assert '<link rel="stylesheet" href="../../assets/portal.css"></head>' in page  # the head block
    # components/site_footer.html replaces the tool's footer on every page
    for path in ("index.html", "plans/zs-gxj-2022/index.html", "404.html", "search/index.html"):
        assert "data-portal-footer" in themed_site.page(path) and "site-footer" not in themed_site.page(path), path
    # static/: the site's own file joins the tool's, and its favicon.svg replaces the tool's
    assert themed_site.files["assets/portal.css"] == (themed_site.folder / "templates" / "static" / "portal.css").read_bytes()
    assert themed_site.files["assets/favicon.svg"] != (TEMPLATES_DIR / "static" / "favicon.svg").read_bytes()
    assert themed_site.files["assets/site.css"] == (TEMPLATES_DIR / "static" / "site.css").read_bytes()


def test_the_preview_watches_the_site_s_templates(tmp_path):
    """Edit the site's footer, then save an override the site did not have (the tool's 404 page):
    open pages get both, and removing the override brings the tool's page back."""
    folder = themed_folder(tmp_path / "site")
    server = Preview(folder / "content", free_port())
    try:
        footer = folder / "templates" / "components" / "site_footer.html"
        footer.write_text(footer.read_text(encoding="utf-8").replace("主办：", "主办单位："), encoding="utf-8")
        wait_until(lambda: "主办单位：".encode() in fetch(server.url + "plans/zs-gxj-2022/")[2])
        override = folder / "templates" / "pages" / "404.html"
        override.parent.mkdir()
        shutil.copy(TEMPLATES_DIR / "pages" / "404.html", override)
        override.write_text(override.read_text(encoding="utf-8").replace("<h1>", '<h1 data-site-404>', 1),
                            encoding="utf-8")
        wait_until(lambda: b"data-site-404" in fetch(server.url + "404.html")[2])
        override.unlink()
        wait_until(lambda: b"data-site-404" not in fetch(server.url + "404.html")[2])
        assert "Traceback" not in server.output
    finally:
        server.stop()


def test_an_empty_site_templates_folder_changes_nothing(small_content, built_site):
    """A site folder with an empty templates/ builds what the tool's templates alone build."""
    (small_content.parent / "templates").mkdir()
    out = small_content.parent / "out"
    assert run_main("build", "--content", str(small_content), "--output", str(out)).returncode == 0
    assert (out / "assets" / "site.css").read_bytes() == built_site.files["assets/site.css"]
    assert "theme.css" not in (out / "index.html").read_text(encoding="utf-8")
