"""Layout proven by geometry, in Chromium: every kind of page at phone, tablet and desktop widths,
at each reading setting (标准, 大, 特大, and 高对比度), measured box by box.

Rules, each one a defect a reader would meet:
- nothing scrolls sideways (the page is never wider than the screen);
- every control (link, button, field) is inside the screen, unless it is inside a region that
  scrolls by itself (a wide table), and then that region is;
- no box of text is narrower than four characters of its own font (a caption or a name laid out
  one or two characters a line);
- a heading's own numbering is not doubled by a list's numbers.
Where a rule fails, a screenshot of that page at that width and setting goes to test-artifacts/layout/.
"""

from __future__ import annotations

import pytest

from support.browser import ARTIFACTS

WIDTHS = [320, 360, 375, 768, 1280]
# High contrast changes colours only, so it cannot change geometry: test_high_contrast_changes_no_size
# proves that box by box, and the rules below run at the three text sizes.
TEXT_SIZES = ["normal", "large", "x-large"]

GEOMETRY = """() => {
  const viewport = document.documentElement.clientWidth;
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const hiddenCache = new Map();
  const clipped = el => {  /* visually hidden, or inside something that is */
    if (!el || el === document.body) { return false; }
    if (hiddenCache.has(el)) { return hiddenCache.get(el); }
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const answer = style.display === 'none' || style.visibility === 'hidden' || style.clip !== 'auto' ||
      style.clipPath !== 'none' || el.hidden || el.getAttribute('aria-hidden') === 'true' ||
      ((box.width <= 2 || box.height <= 2) && style.overflow !== 'visible') || clipped(el.parentElement);
    hiddenCache.set(el, answer);
    return answer;
  };
  const visible = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && !clipped(el);
  };
  const scroller = el => {  /* the nearest ancestor that scrolls sideways by itself */
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { return node; }
    }
    return null;
  };
  if (document.documentElement.scrollWidth > viewport + 1) {
    problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px on a ' + viewport + ' px screen');
  }
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (!visible(el)) { continue; }
    const region = scroller(el);
    const box = (region || el).getBoundingClientRect();
    if (box.left < -1 || box.right > viewport + 1) {
      problems.push(name(region || el) + ' ("' + (el.textContent || el.value || '').trim().slice(0, 20) +
                    '") reaches ' + Math.round(box.left) + '…' + Math.round(box.right) + ' px');
    }
  }
  const measure = document.createElement('canvas').getContext('2d');
  const withText = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (Array.from(walker.currentNode.textContent.trim()).length >= 4) { withText.add(walker.currentNode.parentElement); }
  }
  for (const el of withText) {
    if (['SCRIPT', 'STYLE', 'MARK'].includes(el.tagName) || !visible(el)) { continue; }
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const width = el.getBoundingClientRect().width;
    // Four characters of this text in this font (four Latin letters need less than four ideographs).
    measure.font = style.font;
    const need = Math.min(3.5 * size, measure.measureText(Array.from(own || el.textContent.trim()).slice(0, 4).join('')).width);
    if (width + 0.5 < need) {
      problems.push(name(el) + ' ("' + own.slice(0, 12) + '") is ' + Math.round(width) + ' px wide, under four characters of ' + size + ' px');
    }
  }
  for (const item of document.querySelectorAll('ol > li')) {
    if (getComputedStyle(item).listStyleType === 'none' || getComputedStyle(item.parentElement).listStyleType === 'none') { continue; }
    const text = item.textContent.trim();
    if (/^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\\(?[0-9]+[.、）)])/.test(text)) {
      problems.push(name(item.parentElement) + ' numbers "' + text.slice(0, 12) + '", which has a number of its own');
    }
  }
  return problems;
}"""


def layout_pages(built_site) -> list[str]:
    """One page of each kind, every plan (they differ most), and search with results."""
    plans = sorted(path.removesuffix("index.html") for path in built_site.files
                   if path.startswith("plans/") and path.count("/") == 2 and path.endswith("index.html"))
    return ["", "plans/", *plans, "units/", "units/zs-czj/", "units/zs-gxj-chanyezhengceyufazhike/",
            "departments/", "departments/zs-gxj/", "search/?q=%E5%85%AC%E5%BC%80", "404.html", "data/"]


def fit_problems(page, base_url: str, paths: list[str], shots: str = "", folded_open: bool = False) -> list[str]:
    """Every rule at every width and text size on each page; a screenshot of each place a rule
    fails (named with `shots` first). With `folded_open`, what <details> fold is measured open."""
    failures = []
    (ARTIFACTS / "layout").mkdir(parents=True, exist_ok=True)
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(base_url + path)
        if path.startswith("search/"):
            page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        if folded_open:
            page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for size in TEXT_SIZES:
                page.evaluate("size => document.documentElement.setAttribute('data-text-size', size)", size)
                problems = page.evaluate(GEOMETRY)
                failures.extend(f"/{path} at {width} px, {size}: {problem}" for problem in problems)
                if problems:  # the picture that shows them, for whoever mends it
                    name = shots + (path.strip("/").replace("/", "_").replace("?q=", "-search-") or "home")
                    page.screenshot(path=str(ARTIFACTS / "layout" / f"{name}-{width}-{size}.png"))
    return list(dict.fromkeys(failures))


@pytest.mark.long
def test_every_page_fits_every_screen_at_every_reading_setting(built_site, site_url, page):
    unique = fit_problems(page, site_url, layout_pages(built_site))
    (ARTIFACTS / "layout" / "problems.txt").write_text("\n".join(unique) + "\n", encoding="utf-8")
    assert not unique, f"{len(unique)} layout problems:\n" + "\n".join(unique[:80])


@pytest.mark.long
def test_pages_with_reports_fit_every_screen_at_every_reading_setting(reports_url, page):
    """Plan, unit, department and year pages that hold reports (timelines open), 逾期 and charts."""
    from support.reports import PAGES

    unique = fit_problems(page, reports_url, PAGES, shots="reports-", folded_open=True)
    assert not unique, f"{len(unique)} layout problems:\n" + "\n".join(unique[:80])


@pytest.mark.long
def test_a_site_with_its_own_look_fits_every_screen_at_every_reading_setting(themed_url, page):
    """tests/fixtures/themed: a portal bar above the header, a logo, the site's own footer."""
    from support.themed import PAGES

    unique = fit_problems(page, themed_url, PAGES, shots="themed-")
    assert not unique, f"{len(unique)} layout problems:\n" + "\n".join(unique[:80])


BOXES = """() => Array.from(document.querySelectorAll('body *'), el => {
  const box = el.getBoundingClientRect();
  return [box.x, box.y, box.width, box.height].map(Math.round).join(',');
})"""


def test_high_contrast_changes_no_size(site_url, reports_url, page):
    """Every box of a plan page, of the search form, and of pages with reports and a chart sits
    where it sat without high contrast, so the geometry the layout test checks is the same with it."""
    for url in (site_url + "plans/zs-gxj-2022/", site_url + "search/", reports_url + "plans/jrj-2023/",
                reports_url + "departments/zs-jrj/"):
        path = url.split("/", 3)[3]
        page.set_viewport_size({"width": 320, "height": 900})
        page.goto(url)
        for size in ("normal", "x-large"):
            page.evaluate("size => document.documentElement.setAttribute('data-text-size', size)", size)
            plain = page.evaluate(BOXES)
            page.evaluate("document.documentElement.setAttribute('data-contrast', 'high')")
            assert page.evaluate(BOXES) == plain, f"/{path} at {size}: high contrast moved a box"
            page.evaluate("document.documentElement.removeAttribute('data-contrast')")


def test_the_geometry_check_catches_each_kind_of_problem(page):
    """The rules themselves, on a page made to break each one."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.set_content("""<!DOCTYPE html><html lang="zh-CN"><body style="margin:0">
      <div style="width:400px">太宽的内容</div>
      <a href="#x" style="position:relative;left:300px">链接在屏幕外</a>
      <table><tr><td style="width:20px">一个字一行的标题</td></tr></table>
      <ol><li>一、加强预期引导</li></ol>
    </body></html>""")
    problems = "\n".join(page.evaluate(GEOMETRY))
    assert "scrolls sideways" in problems
    assert "链接在屏幕外" in problems
    assert "under four characters" in problems
    assert "has a number of its own" in problems

