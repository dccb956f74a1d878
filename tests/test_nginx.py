"""docs/deploying.md's nginx configuration, run: Debian's nginx serves the shipped site built
with --precompress, and real HTTP requests see the documented headers, caching, the prebuilt
gzip copies (gzip_static) and the 404 page.

The server block and the headers snippet are cut out of the markdown as they are printed; only
`listen` and `root` are replaced, so the page and the test cannot drift apart. nginx runs as the
user running the tests, in the foreground with one process, its configuration, pid file, logs and
temporary folders in the test's folder, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.client
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from support.browser import require

DOCS = ROOT / "docs" / "deploying.md"
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")  # Debian's, which its own nginx.conf includes
LONG_CACHE = "public, max-age=31536000, immutable"


@dataclass
class Documented:
    snippet_name: str  # the snippet's path as the server block includes it
    snippet: str
    server: str


def documented() -> Documented:
    """The nginx section of docs/deploying.md: the headers snippet and the server block."""
    section = DOCS.read_text(encoding="utf-8").split("\n## nginx\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```nginx\n(.*?)^```", section, flags=re.M | re.S)
    server = next(block for block in blocks if block.startswith("server {"))
    snippet = next(block for block in blocks if not block.startswith("server {"))
    return Documented(re.search(r"^\s*include (\S+);", server, flags=re.M).group(1), snippet, server)


def documented_headers() -> dict[str, str]:
    """The headers the snippet sends with every answer."""
    return dict(re.findall(r'^add_header (\S+) "([^"]+)" always;', documented().snippet, flags=re.M))


def replaced_once(pattern: str, replacement: str, text: str) -> str:
    changed, count = re.subn(pattern, replacement, text, flags=re.M)
    assert count == 1, f"docs/deploying.md's server block has no single line matching {pattern!r}"
    return changed


def configuration(folder: Path, site: Path, port: int) -> Path:
    """nginx.conf for an unprivileged nginx in `folder`: Debian's http settings around the
    documented server block, with its listen address and root replaced."""
    doc = documented()
    snippet = folder / doc.snippet_name
    snippet.parent.mkdir(parents=True, exist_ok=True)
    snippet.write_text(doc.snippet, encoding="utf-8")
    server = replaced_once(r"^(\s*)listen 80;$", rf"\g<1>listen 127.0.0.1:{port};", doc.server)
    server = replaced_once(r"^(\s*)root /var/www/zwgk;$", rf"\g<1>root {site};", server)
    temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                          ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {folder / "access.log"};
{temporary}
{server}
}}
""", encoding="utf-8")
    return conf


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Nginx:
    """nginx in the foreground on `port`, serving `site` under the documented configuration."""

    def __init__(self, folder: Path, site: Path):
        for attempt in range(3):  # another process may take the free port before nginx does
            self.port = free_port()
            conf = configuration(folder, site, self.port)
            self.process = subprocess.Popen([str(NGINX), "-p", str(folder), "-c", str(conf), "-e",
                                             str(folder / "error.log")],
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if self._ready():
                return
            output = self.process.communicate(timeout=10)[0].decode(errors="replace")
            log = (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
            if "Address already in use" not in output + log or attempt == 2:
                pytest.fail(f"nginx did not start:\n{output}\n{log}")

    def _ready(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def get(self, path: str, gzip_accepted: bool = False) -> http.client.HTTPResponse:
        """GET `path`; the answer with its body read (`.body`), never decompressed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Accept-Encoding": "gzip" if gzip_accepted else "identity"})
        answer = connection.getresponse()
        answer.body = answer.read()
        connection.close()
        return answer

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(precompressed_site, tmp_path_factory):
    require(NGINX.exists() and MIME_TYPES.exists(), "Debian's nginx", "apt-get install nginx")
    server = Nginx(tmp_path_factory.mktemp("nginx"), precompressed_site)
    yield server
    server.stop()


def search_data(site: Path) -> tuple[str, str]:
    """The search page's version and a search data file that has a gzip copy."""
    version = re.search(r'data-version="([0-9a-f]+)"', (site / "search" / "index.html").read_text()).group(1)
    assert (site / "assets" / "search" / "index.js.gz").is_file()
    return version, "assets/search/index.js"


def test_the_documented_snippet_sends_the_documented_headers():
    headers = documented_headers()
    assert set(headers) == {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"}
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_pages_carry_the_security_headers_and_a_short_cache(nginx):
    for path in ("/", "/plans/zs-2017/", "/search/", "/assets/site.css", "/data/plans.json"):
        answer = nginx.get(path)
        assert answer.status == 200, path
        for name, value in documented_headers().items():
            assert answer.getheader(name) == value, (path, name)
        assert answer.getheader("Cache-Control") == "no-cache", path
    assert nginx.get("/plans/zs-2017/").getheader("Content-Type") == "text/html; charset=utf-8"


def test_search_data_is_cached_for_a_year_with_the_same_headers(nginx, precompressed_site):
    version, path = search_data(precompressed_site)
    answer = nginx.get(f"/{path}?v={version}")
    assert answer.status == 200
    assert answer.getheader("Cache-Control") == LONG_CACHE
    for name, value in documented_headers().items():
        assert answer.getheader(name) == value, name
    assert answer.body == (precompressed_site / path).read_bytes()


@pytest.mark.parametrize("path, file", [("/", "index.html"), ("/plans/zs-2017/", "plans/zs-2017/index.html"),
                                        ("/assets/search/index.js?v=1", "assets/search/index.js"),
                                        ("/data/plans/zs-2017.csv", "data/plans/zs-2017.csv")])
def test_the_prebuilt_gzip_copy_is_sent_when_gzip_is_accepted(nginx, precompressed_site, path, file):
    compressed = nginx.get(path, gzip_accepted=True)
    assert compressed.status == 200
    assert compressed.getheader("Content-Encoding") == "gzip"
    assert compressed.getheader("Vary") == "Accept-Encoding"
    assert compressed.body == (precompressed_site / f"{file}.gz").read_bytes()  # not compressed again
    assert gzip.decompress(compressed.body) == (precompressed_site / file).read_bytes()
    plain = nginx.get(path)
    assert plain.getheader("Content-Encoding") is None
    assert plain.body == (precompressed_site / file).read_bytes()
    assert plain.getheader("Content-Type") == compressed.getheader("Content-Type")


def test_open_data_csv_is_utf8_text(nginx):
    answer = nginx.get("/data/plans/zs-2017.csv")
    assert answer.getheader("Content-Type") == "text/csv; charset=utf-8"
    assert answer.getheader("Cache-Control") == "no-cache"
    assert answer.getheader("X-Content-Type-Options") == "nosniff"


def test_an_unknown_address_gets_the_sites_404_page(nginx, precompressed_site):
    answer = nginx.get("/plans/no-such-plan/")
    assert answer.status == 404
    assert answer.body == (precompressed_site / "404.html").read_bytes()
    assert answer.getheader("Content-Security-Policy") == documented_headers()["Content-Security-Policy"]
    assert nginx.get("/plans/no-such-plan/", gzip_accepted=True).body == (precompressed_site / "404.html.gz").read_bytes()


def test_search_through_nginx_finds_measures_from_the_compressed_data(nginx, browser):
    """Chromium accepts gzip: it is sent the prebuilt copies of the search data and decodes them."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        encodings = {}
        page.on("response", lambda response: encodings.__setitem__(
            response.url.split("?")[0].split("/assets/search/")[-1], response.headers.get("content-encoding"))
            if "/assets/search/" in response.url else None)
        page.goto(f"http://127.0.0.1:{nginx.port}/search/?q=政务公开")
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0", timeout=15000)
        assert "政务公开" in page.locator("#search-results li").first.inner_text()
        assert encodings.get("index.js") == "gzip", encodings
    finally:
        context.close()
