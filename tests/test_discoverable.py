"""What a web team and a data user expect of a public site: the footer a government site carries,
a sitemap and robots.txt, an Atom feed, a description and a canonical address per page, a link
to each measure, and a unit's duties printed as a list to hand out."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import yaml

from conftest import run_main
from generator import build as pipeline
from generator.errors import BuildFailed

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def with_settings(content, **settings) -> None:
    path = content / "site.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(settings)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_footer_shows_only_what_the_settings_give_with_the_record_links(content_copy, built_site):
    shipped = built_site.page("index.html")
    assert "本站内容据各单位公开发布的文件整理" in shipped and "联系方式" not in shipped and "主办单位" not in shipped
    with_settings(content_copy, footer={
        "sponsor": "某市人民政府办公室", "organizer": "某市政务服务数据管理局", "contact": "电话 0760-00000000",
        "site_code": "4420000001", "icp": "粤ICP备00000000号", "police_record": "粤公网安备 44200002000001号",
        "note": "内容以正式文件为准。"})
    page = pipeline.build_files(content_copy)["index.html"].decode("utf-8")
    footer = page[page.index("<footer"):]
    for label, value in (("主办单位", "某市人民政府办公室"), ("承办单位", "某市政务服务数据管理局"),
                         ("联系方式", "电话 0760-00000000"), ("网站标识码", "4420000001")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in footer
    assert '<a href="https://beian.miit.gov.cn/">粤ICP备00000000号</a>' in footer
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=44200002000001"' in footer
    assert '<p class="site-footer__note">内容以正式文件为准。</p>' in footer


def test_with_base_url_there_is_a_sitemap_robots_points_at_it_and_pages_are_canonical(content_copy):
    with_settings(content_copy, base_url="https://www.example.gov.cn/zwgk/plans/")
    del_base_path = yaml.safe_load((content_copy / "site.yaml").read_text(encoding="utf-8"))
    del_base_path.pop("base_path")
    (content_copy / "site.yaml").write_text(yaml.safe_dump(del_base_path, allow_unicode=True), encoding="utf-8")
    files = pipeline.build_files(content_copy)
    sitemap = ElementTree.fromstring(files["sitemap.xml"])
    addresses = [element.text for element in sitemap.iter(f"{SITEMAP}loc")]
    pages = sorted("https://www.example.gov.cn/zwgk/plans/" + path.removesuffix("index.html")
                   for path in files if path.endswith(".html") and path not in ("404.html", "search/index.html"))
    assert sorted(addresses) == pages
    assert "Sitemap: https://www.example.gov.cn/zwgk/plans/sitemap.xml" in files["robots.txt"].decode()
    plan = files["plans/zs-2017/index.html"].decode()
    assert '<link rel="canonical" href="https://www.example.gov.cn/zwgk/plans/plans/zs-2017/">' in plan
    assert 'href="/zwgk/plans/assets/site.css"' in files["404.html"].decode(), "base_path follows base_url"
    feed = ElementTree.fromstring(files["feed.xml"])
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("https://www.example.gov.cn/zwgk/plans/plans/")


def test_base_path_may_not_contradict_base_url(content_copy):
    with_settings(content_copy, base_url="https://www.example.gov.cn/zwgk/", base_path="/other/")
    try:
        pipeline.build_files(content_copy)
    except BuildFailed as failure:
        assert "base_path" in failure.report() and "/zwgk/" in failure.report()
    else:
        raise AssertionError("a base_path that is not base_url's path must be refused")


def test_without_base_url_the_build_says_there_is_no_sitemap(tmp_path, content_copy):
    result = run_main("build", "--content", str(content_copy), "--output", str(tmp_path / "output"))
    assert result.returncode == 0, result.stderr
    assert "没有生成 sitemap.xml" in result.stdout and "base_url" in result.stdout
    assert not (tmp_path / "output" / "sitemap.xml").exists()
    robots = (tmp_path / "output" / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Sitemap" not in robots


def test_a_web_team_s_own_robots_txt_comes_first(content_copy):
    (content_copy / "static").mkdir()
    (content_copy / "static" / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n", encoding="utf-8")
    assert pipeline.build_files(content_copy)["robots.txt"] == b"User-agent: *\nDisallow: /drafts/\n"


def test_the_feed_lists_plans_newest_first_as_atom(built_site, shipped_site):
    feed = ElementTree.fromstring((built_site.output / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id") is not None and feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert sorted(entry.find(f"{ATOM}title").text for entry in entries) == sorted(plan.title for plan in shipped_site.plans)
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True) and len(entries) == len(shipped_site.plans)
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}link").get("href").startswith("plans/")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
    home = built_site.page("index.html")
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="feed.xml"' in home


def test_every_page_has_its_own_description(built_site):
    from bs4 import BeautifulSoup

    seen = {}
    for path in built_site.files:
        if not path.endswith(".html"):
            continue
        tag = BeautifulSoup(built_site.page(path), "html.parser").find("meta", attrs={"name": "description"})
        assert tag is not None and len(tag["content"]) >= 10, path
        seen.setdefault(tag["content"], []).append(path)
    plans = [path for path in built_site.files if path.startswith("plans/") and path.count("/") == 2]
    assert all(len(seen[content]) == 1 for content, paths in seen.items() if set(paths) & set(plans))


def test_each_measure_has_a_link_that_works_by_keyboard_and_copies_it(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + "plans/zs-gxj-2022/")
    link = page.locator("#s1-p2-m1 a.measure__link")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#s1-p2-m1")
    page.wait_for_function("document.getElementById('copy-status') && document.getElementById('copy-status').textContent")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + "plans/zs-gxj-2022/#s1-p2-m1"
    assert page.locator("#copy-status").get_attribute("role") == "status"
    context.close()


def test_without_javascript_the_measure_link_shows_its_address(page_without_javascript, site_url):
    page = page_without_javascript
    page.goto(site_url + "plans/zs-2017/")
    page.locator("#s2-m4 a.measure__link").click()
    assert page.url.endswith("plans/zs-2017/#s2-m4")


def test_a_unit_page_prints_as_a_list_with_its_addresses(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "units/zs-czj/")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".breadcrumbs", ".site-footer"):
        assert not page.locator(hidden).is_visible(), hidden
    first = page.locator(".duty-list a").first
    printed = first.evaluate("link => getComputedStyle(link, '::after').content")
    assert site_url + "plans/" in printed, printed
    page.close()
