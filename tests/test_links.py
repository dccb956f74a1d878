"""Links in the built site: every link and asset resolves, no page is an orphan, and the
site works when served over HTTP at the server root or under a subpath (/zwgk/plans/).

Pages link relatively, so the same output works anywhere; only 404.html links
absolutely from `base_path` (content/site.yaml), because a server shows it at any address.
The checkers below use only the standard library: html.parser to read pages,
urllib to resolve and fetch links, http.server to serve the output for real.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}  # not followed
MAX_REQUESTS = 5000  # per crawl; a generator bug must not turn into an endless crawl
TIMEOUT = 5  # seconds, on every HTTP request

# When resolving links on disk, pages are pretended to be served from a made-up subpath, so a
# root-relative link ("/units/") or one '../' too many lands outside the site and is reported.
# Only 404.html is placed at its base_path, the address its absolute links are written for.
DISK_HOST = "http://site.invalid"
DISK_SUBPATH = "/made/up/subpath/"


# ---------------------------------------------------------------------------------------------
# Reading pages
# ---------------------------------------------------------------------------------------------

@dataclass
class Link:
    """One href or src attribute as written in a page."""

    tag: str
    attribute: str
    value: str
    rel: str = ""  # the element's rel attribute, lower case ("stylesheet" …)

    @property
    def is_stylesheet(self) -> bool:
        return self.tag == "link" and "stylesheet" in self.rel.split()


@dataclass
class Page:
    """What the link checkers need from one HTML document."""

    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _PageReader(HTMLParser):
    """Collects every href/src (on any element) and every element id of one document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = next((value or "" for name, value in attrs if name == "rel"), "").lower()
        for name, value in attrs:
            if name in ("href", "src"):
                self.page.links.append(Link(tag, name, (value or "").strip(), rel))
            elif name == "id" and value:
                self.page.ids.add(value)


def parse_html(text: str) -> Page:
    """Links and ids of an HTML document."""
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    return reader.page


def html_pages(output_dir: Path) -> list[str]:
    """Every HTML file of a built site, as output-relative POSIX paths."""
    return sorted(path.relative_to(output_dir).as_posix() for path in output_dir.rglob("*.html"))


def read_base_path(site_yaml: Path) -> str:
    """The base_path setting of a site.yaml ("/" when it is not set)."""
    found = re.search(r"^base_path:[ \t]*(\S+)", site_yaml.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1).strip("'\"") if found else "/"


def set_base_path(site_yaml: Path, base_path: str) -> None:
    """Set base_path in a copy of site.yaml, leaving every other line as it is."""
    text = site_yaml.read_text(encoding="utf-8")
    text, count = re.subn(r"^base_path:.*$", f"base_path: {base_path}", text, flags=re.MULTILINE)
    if count == 0:
        text = text.rstrip("\n") + f"\nbase_path: {base_path}\n"
    site_yaml.write_text(text, encoding="utf-8")
    assert read_base_path(site_yaml) == base_path


def content_plan_ids(content_dir: Path) -> list[str]:
    """Ids of the plans in content/plans that `build` publishes (drafts are left out)."""
    ids = []
    for path in sorted((content_dir / "plans").glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        plan_id = re.search(r"^id:[ \t]*(\S+)", text, re.MULTILINE)
        if plan_id and not re.search(r"^draft:[ \t]*true\b", text, re.MULTILINE):
            ids.append(plan_id.group(1).strip("'\""))
    return ids


# ---------------------------------------------------------------------------------------------
# Checking a built site on disk
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Broken:
    """A link that does not work, and why."""

    page: str
    href: str
    why: str

    def __str__(self) -> str:
        return f"{self.page} → {self.href!r}: {self.why}"


@dataclass(frozen=True)
class Resolved:
    """Where an internal link leads in the output: a file (None when it leaves the site)."""

    path: str | None
    fragment: str = ""
    problem: str = ""


def unexpected_scheme(href: str) -> str:
    """A complaint about the link's scheme (javascript:, file: …), or "" for a normal link."""
    scheme = urllib.parse.urlsplit(href).scheme
    return f"unexpected '{scheme}:' link" if scheme and scheme not in EXTERNAL_SCHEMES else ""


def is_external(href: str) -> bool:
    """http(s)/mailto/tel links and protocol-relative ones (//host/…): not followed."""
    parts = urllib.parse.urlsplit(href)
    return parts.scheme in EXTERNAL_SCHEMES or (not parts.scheme and bool(parts.netloc))


def resolve_on_disk(page: str, href: str, base_path: str = "/") -> Resolved | None:
    """The output file (and fragment) `href` on `page` points at; None for external links."""
    if is_external(href):
        return None
    if unexpected_scheme(href):
        return Resolved(None, problem=unexpected_scheme(href))
    site_path = base_path if page == "404.html" else DISK_SUBPATH
    url = urllib.parse.urljoin(DISK_HOST + site_path + page, href)
    parts = urllib.parse.urlsplit(url)
    path, fragment = urllib.parse.unquote(parts.path), urllib.parse.unquote(parts.fragment)
    if not path.startswith(site_path):
        where = "at its base_path" if page == "404.html" else "anywhere but the server root, or from disk"
        return Resolved(None, fragment, f"leads outside the site (to {path}); breaks when served {where}")
    relative = path[len(site_path):]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return Resolved(relative, fragment)


def find_broken_links(output_dir: Path, base_path: str = "/") -> list[Broken]:
    """Every internal href/src of every page that does not lead to a file, or to an id in it."""
    pages = {page: parse_html((output_dir / page).read_text(encoding="utf-8")) for page in html_pages(output_dir)}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            target = resolve_on_disk(page, link.value, base_path)
            if target is None:
                continue
            why = target.problem or _missing_target(output_dir, target, pages)
            if why:
                broken.append(Broken(page, link.value, why))
    return broken


def _missing_target(output_dir: Path, target: Resolved, pages: dict[str, Page]) -> str:
    """Why a resolved link leads nowhere, or "" when its file (and fragment id) exist."""
    file = output_dir / target.path
    if file.is_dir():
        return f"{target.path} is a folder: the link needs a trailing '/'"
    if not file.is_file():
        return f"no file {target.path} in the output"
    if target.fragment and target.path in pages and target.fragment not in pages[target.path].ids:
        return f"no element with id={target.fragment!r} in {target.path}"
    return ""


def reachable_pages(output_dir: Path, start: str = "index.html", base_path: str = "/") -> set[str]:
    """The HTML pages a reader reaches from `start` by following links (on disk)."""
    seen, queue = {start}, deque([start])
    while queue:
        page = queue.popleft()
        for link in parse_html((output_dir / page).read_text(encoding="utf-8")).links:
            target = resolve_on_disk(page, link.value, base_path)
            if (target and target.path and target.path.endswith(".html") and target.path not in seen
                    and (output_dir / target.path).is_file()):
                seen.add(target.path)
                queue.append(target.path)
    return seen


# ---------------------------------------------------------------------------------------------
# Serving and crawling over HTTP
# ---------------------------------------------------------------------------------------------

class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves files like a production web server would: no folder listings, no log noise."""

    def list_directory(self, path):  # a folder without index.html is not a page
        self.send_error(404, "No index.html in this folder")
        return None

    def log_message(self, format, *args):
        pass


def serve_folder(directory: Path, request: pytest.FixtureRequest) -> str:
    """Serve `directory` on 127.0.0.1 (a free port) until `request`'s fixture is finalized."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="test-links-http", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)

    request.addfinalizer(stop)
    return f"http://127.0.0.1:{server.server_address[1]}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back instead of following them: a link must answer 200 by itself."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxies: an http_proxy in the environment must not intercept 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


@dataclass
class Response:
    status: int | None  # None when there was no HTTP answer at all
    content_type: str = ""
    body: bytes = b""
    error: str = ""


def fetch(url: str) -> Response:
    """GET `url` (never following redirects, TIMEOUT seconds at most)."""
    try:
        with _OPENER.open(url, timeout=TIMEOUT) as answer:
            return Response(answer.status, answer.headers.get_content_type(), answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error=str(error.reason))
    except (urllib.error.URLError, OSError) as error:
        return Response(None, error=str(error))


def describe(response: Response) -> str:
    """A failed response in a few words for an assertion message."""
    return f"HTTP {response.status} {response.error}".strip() if response.status else f"no answer ({response.error})"


def resolve_http(page_url: str, href: str) -> str | None:
    """The absolute URL (without fragment) a link on `page_url` fetches; None for external links."""
    if is_external(href):
        return None
    url = urllib.parse.urldefrag(urllib.parse.urljoin(page_url, href)).url
    return url if urllib.parse.urlsplit(url).netloc == urllib.parse.urlsplit(page_url).netloc else None


@dataclass
class Crawl:
    pages: list[str]  # URLs of the HTML pages read
    broken: list[Broken]
    requests: int


def crawl_http(start_url: str, scope: str, max_requests: int = MAX_REQUESTS) -> Crawl:
    """Fetch `start_url` and, breadth first, every link under `scope` (a URL ending in '/').

    A link is broken when its URL does not answer 200, or when it leads out of `scope`.
    """
    referrers: dict[str, list[tuple[str, str]]] = {start_url: [("(start)", start_url)]}
    queue, answers, pages, broken = deque([start_url]), {}, [], []
    while queue:
        if len(answers) >= max_requests:
            broken.append(Broken("(crawler)", start_url, f"gave up after {max_requests} requests"))
            break
        url = queue.popleft()
        response = answers[url] = fetch(url)
        if response.status != 200 or response.content_type != "text/html":
            continue
        pages.append(url)
        for link in parse_html(response.body.decode("utf-8", errors="replace")).links:
            if unexpected_scheme(link.value):
                broken.append(Broken(url, link.value, unexpected_scheme(link.value)))
                continue
            target = resolve_http(url, link.value)
            if target is None:
                continue
            if not target.startswith(scope):
                broken.append(Broken(url, link.value, f"leads outside {scope} (to {target})"))
                continue
            if target not in referrers:
                referrers[target] = []
                queue.append(target)
            referrers[target].append((url, link.value))
    for target, response in answers.items():
        if response.status != 200:
            broken.extend(Broken(page, href, f"{target} answers {describe(response)}")
                          for page, href in referrers[target])
    return Crawl(pages, broken, len(answers))


def check_not_found_page(site_url: str, wrong_address: str) -> tuple[Page, list[Broken]]:
    """Links of `site_url`404.html as a server shows it at `wrong_address`, and those that fail there."""
    response = fetch(site_url + "404.html")
    assert response.status == 200, f"{site_url}404.html answers {describe(response)}"
    page = parse_html(response.body.decode("utf-8"))
    broken, answers = [], {}
    for link in page.links:
        if link.value.startswith("#"):  # same-document link: works at any address if the id is there
            if link.value[1:] and urllib.parse.unquote(link.value[1:]) not in page.ids:
                broken.append(Broken("404.html", link.value, f"no element with id={link.value[1:]!r}"))
            continue
        if unexpected_scheme(link.value):
            broken.append(Broken("404.html", link.value, unexpected_scheme(link.value)))
            continue
        target = resolve_http(wrong_address, link.value)
        if target is None:
            continue
        if not target.startswith(site_url):
            broken.append(Broken("404.html", link.value, f"at {wrong_address} leads outside {site_url} (to {target})"))
            continue
        answer = answers[target] = answers.get(target) or fetch(target)
        if answer.status != 200:
            broken.append(Broken("404.html", link.value, f"at {wrong_address} fetches {target}: {describe(answer)}"))
    return page, broken


def report(broken: list[Broken]) -> str:
    """All broken links, one a line, for an assertion message."""
    return f"{len(broken)} broken link(s):\n" + "\n".join(f"  {item}" for item in broken)


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def shipped_output(built_site) -> Path:
    """The output folder of the shipped content (built once, by conftest's built_site)."""
    return built_site.output


@dataclass
class Deployment:
    site_url: str  # http://127.0.0.1:PORT/zwgk/plans/
    base_path: str
    output_dir: Path


@pytest.fixture(scope="module", params=["/zwgk/plans/", "/"], ids=["subpath", "root"])
def deployment(request, tmp_path_factory) -> Deployment:
    """A copy of the shipped content with base_path set, built and served where it says."""
    base_path = request.param
    work = tmp_path_factory.mktemp("deploy")
    content_dir = work / "content"
    shutil.copytree(CONTENT, content_dir)
    set_base_path(content_dir / "site.yaml", base_path)
    server_root = work / "www"
    output_dir = server_root.joinpath(*base_path.strip("/").split("/")) if base_path != "/" else server_root
    build(content_dir, output_dir)
    return Deployment(serve_folder(server_root, request) + base_path, base_path, output_dir)


@pytest.fixture
def serve(request):
    """Start an HTTP server for a folder; returns its http://127.0.0.1:PORT address."""
    return lambda directory: serve_folder(directory, request)


# ---------------------------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------------------------

def test_every_link_and_asset_in_the_built_site_resolves(shipped_output):
    pages = html_pages(shipped_output)
    assert "index.html" in pages and "404.html" in pages, pages
    broken = find_broken_links(shipped_output, read_base_path(CONTENT / "site.yaml"))
    assert not broken, report(broken)


def test_originals_kept_in_content_static_are_linked_from_the_plan_and_its_report(tmp_path):
    """A plan's and a report's source.url as a path relative to the site (files/…, the originals
    kept in content/static/): the link on the plan's page, three folders down, reaches the file."""
    from support.reports import reports_content

    content = reports_content(tmp_path / "content")
    (content / "static" / "files").mkdir(parents=True)
    (content / "static" / "files" / "方案.pdf").write_bytes(b"%PDF-1.4\n")
    (content / "static" / "files" / "上半年.pdf").write_bytes(b"%PDF-1.4\n")
    plan = content / "plans" / "jrj-2023.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "source:\n", "source:\n  url: files/方案.pdf\n  file: 方案.pdf\n", 1), encoding="utf-8")
    report = content / "reports" / "jrj-2023-h1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "url: https://www.example.gov.cn/jrj/2023-h1.html", "url: files/上半年.pdf"), encoding="utf-8")
    output = tmp_path / "output"
    build(content, output)
    page = (output / "plans" / "jrj-2023" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../files/方案.pdf"' in page and 'href="../../files/上半年.pdf"' in page
    broken = find_broken_links(output, read_base_path(content / "site.yaml"))
    assert not broken, report(broken)


def test_every_page_and_plan_is_reachable_from_the_home_page(shipped_output):
    base_path = read_base_path(CONTENT / "site.yaml")
    reached = reachable_pages(shipped_output, "index.html", base_path)
    # 404.html is shown by the server at wrong addresses; nothing links to it.
    orphans = sorted(set(html_pages(shipped_output)) - reached - {"404.html"})
    assert not orphans, "pages no link leads to from index.html:\n  " + "\n  ".join(orphans)

    plan_ids = content_plan_ids(CONTENT)
    assert plan_ids, "no plans found in content/plans"
    unreached = [plan_id for plan_id in plan_ids if f"plans/{plan_id}/index.html" not in reached]
    assert not unreached, f"plans in content without a reachable page: {unreached}"
    unit_pages = [page for page in reached if re.fullmatch(r"units/[^/]+/index\.html", page)]
    assert unit_pages, "no unit page is reachable from index.html"


# ---------------------------------------------------------------------------------------------
# Served over HTTP, at a subpath and at the server root
# ---------------------------------------------------------------------------------------------

def test_served_site_answers_200_for_every_link(deployment):
    crawl = crawl_http(deployment.site_url, scope=deployment.site_url)
    assert not crawl.broken, report(crawl.broken)
    served = {urllib.parse.urlsplit(url).path[len(deployment.base_path):] for url in crawl.pages}
    served = {page + "index.html" if page == "" or page.endswith("/") else page for page in served}
    expected = set(html_pages(deployment.output_dir)) - {"404.html"}
    assert served == expected, f"crawl from {deployment.site_url} missed: {sorted(expected - served)}"


def test_404_page_links_and_assets_work_at_a_wrong_address(deployment):
    wrong_address = deployment.site_url + "no/such/page/"
    page, broken = check_not_found_page(deployment.site_url, wrong_address)
    assert not broken, report(broken)
    assert any(link.is_stylesheet for link in page.links), "404.html has no stylesheet link"
    assert any(link.tag == "script" for link in page.links), "404.html has no script"


# ---------------------------------------------------------------------------------------------
# The checkers themselves: a hand-made site with known faults must be reported
# ---------------------------------------------------------------------------------------------

def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


FAULTY_SITE = {
    "index.html": (
        '<link rel="stylesheet" href="assets/x.css"><script src="assets/none.js"></script>'
        '<h1 id="top">Home</h1>'
        '<a href="#top">ok</a> <a href="good/">ok</a> <a href="good/#there">ok</a>'
        '<a href="https://example.org/">external</a> <a href="mailto:a@example.org">mail</a>'
        '<a href="missing/">no page</a> <a href="#nowhere">no id</a> <a href="good/#gone">no id there</a>'
        '<a href="/sub/good/">root-relative</a> <a href="../../outside/">too far up</a>'
        '<a href="folder">no slash</a> <a href="javascript:void(0)">script</a>'
    ),
    "good/index.html": '<p id="there"><a href="../">home</a> <img src="../assets/x.css"></p>',
    "folder/index.html": "<p>only reached through a link without '/'</p>",
    "orphan/index.html": "<p>nothing links here</p>",
    "assets/x.css": "body {}",
    "404.html": (
        '<link rel="stylesheet" href="../assets/x.css"><main id="main">'
        '<a href="#main">ok</a> <a href="/sub/">ok</a> <a href="/sub/assets/x.css">ok</a>'
        '<a href="#gone">no id</a> <a href="/sub/nothing/">no page</a></main>'
    ),
}


def test_disk_checker_reports_each_kind_of_broken_link(tmp_path):
    _write(tmp_path, FAULTY_SITE)
    broken = {(item.page, item.href) for item in find_broken_links(tmp_path, base_path="/sub/")}
    assert broken == {
        ("index.html", "assets/none.js"), ("index.html", "missing/"), ("index.html", "#nowhere"),
        ("index.html", "good/#gone"), ("index.html", "/sub/good/"), ("index.html", "../../outside/"),
        ("index.html", "folder"), ("index.html", "javascript:void(0)"),
        ("404.html", "../assets/x.css"), ("404.html", "#gone"), ("404.html", "/sub/nothing/"),
    }
    assert reachable_pages(tmp_path, base_path="/sub/") == {"index.html", "good/index.html"}


def test_http_checkers_report_broken_links(tmp_path, serve):
    _write(tmp_path / "sub", FAULTY_SITE)
    site_url = serve(tmp_path) + "/sub/"
    crawl = crawl_http(site_url, scope=site_url)
    assert {(item.page.removeprefix(site_url), item.href) for item in crawl.broken} == {
        ("", "assets/none.js"), ("", "missing/"), ("", "../../outside/"),
        ("", "folder"),  # answers 301, not 200
        ("", "javascript:void(0)"),
    }, report(crawl.broken)
    assert crawl.requests < 10

    _, broken = check_not_found_page(site_url, site_url + "no/such/page/")
    assert {item.href for item in broken} == {"../assets/x.css", "#gone", "/sub/nothing/"}, report(broken)

    capped = crawl_http(site_url, scope=site_url, max_requests=2)
    assert capped.requests == 2 and any(item.why == "gave up after 2 requests" for item in capped.broken)
