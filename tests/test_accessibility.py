"""WCAG 2.2 AA in a real browser: axe on every page, keyboard use, reflow, reading settings, print."""

from __future__ import annotations

import re

import pytest

from support.browser import ARTIFACTS, AXE, axe_problems, describe, require, run_axe

REFLOW_PAGES = ["index.html", "plans/zs-2017/", "plans/zs-gxj-2022/", "plans/cz-jxw-2018/",
                "units/", "units/zs-gxj-chanyezhengceyufazhike/", "departments/zs-gxj/", "404.html"]


def html_pages(built_site) -> list[str]:
    return sorted(path.removesuffix("index.html") for path in built_site.files if path.endswith(".html"))


@pytest.fixture(scope="module")
def axe_available():
    require(AXE.exists(), "axe-core (npm)", "npm ci --ignore-scripts")


_ELEMENT = re.compile(r'<([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*/?>')


def _features(html: str) -> set[str]:
    """Each kind of element a page holds: tag, role and classes (`td.unit-list`, `details`)."""
    found = set()
    for tag, attributes in _ELEMENT.findall(html):
        classes = re.search(r'class="([^"]*)"', attributes)
        role = re.search(r'role="([^"]*)"', attributes)
        found.add(tag + (f"[{role.group(1)}]" if role else "") + "".join("." + c for c in (classes.group(1).split() if classes else [])))
    return found


def axe_sample(built_site) -> list[str]:
    """Pages that together hold every kind of element any page holds (a greedy cover) on top of
    a page of each kind. Pages of one kind come from one template, so another page adds something
    to check only where it shows an element no page chosen so far shows."""
    features = {path: _features(built_site.files[path].decode("utf-8"))
                for path in built_site.files if path.endswith(".html")}
    by_kind: dict[str, list[str]] = {}
    for path in sorted(features):
        parts = path.split("/")
        by_kind.setdefault(parts[0] + "/<id>" if len(parts) == 3 else path, []).append(path)
    # Rules such as heading order or unique landmarks depend on how a page is put together, not
    # only on its elements: the first and the largest page of every kind. (The plan pages of every
    # pattern a plan can take are checked in test_examples.)
    chosen = set()
    for paths in by_kind.values():
        chosen |= {paths[0], max(paths, key=lambda p: len(built_site.files[p]))}
    covered = set().union(*(features[p] for p in chosen))
    while True:
        path, new = max(((p, f - covered) for p, f in sorted(features.items())), key=lambda item: len(item[1]))
        if not new:
            return sorted(path.removesuffix("index.html") for path in chosen)
        chosen.add(path)
        covered |= new


@pytest.mark.long
def test_axe_finds_no_violations_on_a_page_of_every_element_kind(built_site, site_url, page, axe_available):
    """Home, plans, unit and department pages, indexes, open data, 404: every element any page
    shows is checked on at least one page (axe_sample)."""
    pages = axe_sample(built_site)
    assert {"", "plans/", "units/", "departments/", "404.html", "data/"} <= set(pages)
    assert not axe_problems(page, site_url, pages)


def test_the_axe_sample_covers_every_element_with_fewer_pages(built_site):
    sample = axe_sample(built_site)
    every = set().union(*(_features(built_site.files[p].decode("utf-8")) for p in built_site.files if p.endswith(".html")))
    shown = set().union(*(_features(built_site.files[p + ("index.html" if p.endswith("/") or not p else "")].decode("utf-8"))
                          for p in sample))
    assert shown == every
    assert len(sample) < len([p for p in built_site.files if p.endswith(".html")])


@pytest.mark.parametrize("setting", ["large", "x-large", "high-contrast"])
def test_axe_passes_with_reading_settings_on(site_url, page, axe_available, setting):
    page.goto(site_url + "plans/zs-gxj-2022/")
    if setting == "high-contrast":
        page.get_by_role("button", name="高对比度").click()
    else:
        page.get_by_role("button", name={"large": "大", "x-large": "特大"}[setting], exact=True).click()
    violations = run_axe(page)
    assert not violations, describe(violations)


OPEN_EVERY_DETAILS = "document.querySelectorAll('details').forEach(details => { details.open = true; })"


@pytest.mark.long
def test_axe_passes_on_pages_that_hold_reports(reports_url, page, axe_available):
    """Plan, unit, department and year pages with reports: the timelines (opened), 逾期, the report
    list, the summaries by overdue and the charts with their tables."""
    from support.reports import PAGES

    problems = []
    for path in PAGES:
        page.goto(reports_url + path)
        page.evaluate(OPEN_EVERY_DETAILS)
        violations = run_axe(page)
        if violations:
            problems.append(f"{path}\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("setting", ["x-large", "high-contrast"])
@pytest.mark.parametrize("path", ["plans/jrj-2023/", "departments/zs-jrj/"])
def test_axe_passes_on_report_pages_with_reading_settings_on(reports_url, page, axe_available, setting, path):
    page.goto(reports_url + path)
    if setting == "high-contrast":
        page.get_by_role("button", name="高对比度").click()
    else:
        page.get_by_role("button", name="特大", exact=True).click()
    page.evaluate(OPEN_EVERY_DETAILS)
    violations = run_axe(page)
    assert not violations, describe(violations)


@pytest.mark.long
def test_axe_passes_on_a_site_with_its_own_look(themed_url, page, axe_available):
    """tests/fixtures/themed: the site's own header block and footer, its colours and logo, a
    page of every kind, then 高对比度 and 特大 on a plan page."""
    from support.themed import PAGES

    assert not axe_problems(page, themed_url, PAGES)
    page.goto(themed_url + "plans/zs-gxj-2022/")
    page.get_by_role("button", name="高对比度").click()
    page.get_by_role("button", name="特大", exact=True).click()
    violations = run_axe(page)
    assert not violations, describe(violations)


def test_first_tab_focuses_a_visible_skip_link_that_lands_in_main(site_url, page):
    page.goto(site_url + "plans/zs-2017/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
        return {text: el.textContent, href: el.getAttribute('href'), top: box.top, height: box.height,
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
    }""")
    assert focused["text"] == "跳到正文" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["height"] >= 24, "skip link must be on screen when focused"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "focus must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_every_focusable_element_shows_focus(site_url, page):
    page.goto(site_url + "plans/zs-gxj-2022/")
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow};
        }""")
        if state["tag"] == "BODY":
            break
        seen += 1
        assert state["outline"] != "none" and state["width"] >= 2, state
    assert seen > 20


def test_reading_settings_work_by_keyboard_and_are_remembered(site_url, page):
    page.goto(site_url + "index.html")
    base = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    larger = page.get_by_role("button", name="大", exact=True)
    larger.focus()
    page.keyboard.press("Enter")
    assert larger.get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= base * 1.2
    contrast = page.get_by_role("button", name="高对比度")
    contrast.focus()
    page.keyboard.press("Space")
    assert contrast.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    page.goto(site_url + "plans/zs-2017/")  # another page: both settings still apply
    assert page.evaluate("document.documentElement.dataset.textSize") == "large"
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= base * 1.2


def test_pages_read_fully_without_javascript(page_without_javascript, site_url):
    page = page_without_javascript
    page.goto(site_url + "plans/zs-2017/")
    assert page.locator("table.measures tbody tr").count() == 114
    assert not page.locator("[data-reading-settings]").is_visible(), "controls that cannot work stay hidden"
    page.get_by_role("link", name="市财政局").first.click()
    assert page.locator("h1").inner_text() == "中山市财政局"


def test_no_sideways_scrolling_with_text_at_200_percent(site_url, page):
    """WCAG resize text: at 200 % the page itself never scrolls sideways, on a desktop and a tablet
    screen (320 CSS px wide at every reading setting: test_layout)."""
    for path in REFLOW_PAGES:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(site_url + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        for width in (1280, 640):
            page.set_viewport_size({"width": width, "height": 800})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} at {width}px, text 200%: {overflow}px too wide"


def test_wide_tables_scroll_in_a_focusable_region(site_url, page):
    page.set_viewport_size({"width": 660, "height": 800})
    page.goto(site_url + "plans/zs-gxj-2022/")
    region = page.locator(".table-region").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    label_id = region.get_attribute("aria-labelledby")
    assert page.locator(f"#{label_id}").inner_text()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table scrolls inside its region"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_layout_stacks_rows_but_stays_a_table(site_url, page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site_url + "plans/zs-gxj-2022/")
    table = page.locator("#s3-p1-table")
    assert table.evaluate("el => getComputedStyle(el.querySelector('tbody tr')).display") == "block"
    tree = table.aria_snapshot()
    assert tree.startswith("- table ") and "columnheader \"责任科室\"" in tree and "rowheader" in tree
    cell = table.locator("tbody td").first
    assert "责任科室" in cell.evaluate("el => getComputedStyle(el, '::before').content")  # the card's own label
    assert cell.evaluate("el => getComputedStyle(el, '::before').display") == "block"
    assert "责任科室" not in cell.aria_snapshot(), "the drawn label stays out of the accessibility tree"


def test_print_shows_the_plan_without_navigation(site_url, page):
    page.goto(site_url + "plans/zs-gxj-2022/")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator(".editor-notes li").first.is_visible(), "editor's notes are printed"
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()
    assert page.locator("dl.plan-meta").is_visible()
    assert page.locator("table.measures tbody tr:visible").count() == 22
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "plan-zs-gxj-2022.pdf"), format="A4")


def test_the_axe_check_itself_catches_problems(page, axe_available):
    """A page with known faults must fail, or a green run above would mean nothing."""
    page.set_content('<html><body><img src="x.png"><p style="color:#aaa;background:#fff">浅灰色文字</p>'
                     '<a href="#"></a></body></html>')
    found = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "color-contrast", "html-has-lang", "link-name"} <= found, found
