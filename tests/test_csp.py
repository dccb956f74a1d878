"""Every kind of page works under the Content Security Policy docs/deploying.md tells a web team
to send, in real Chromium: no inline script or style, nothing from another host.

The policy is read from the documentation's nginx configuration, and the IIS and Apache ones
must say the same, so what is tested is what is documented. The built sites are served by a
small server that adds the header as those servers would; a page counts as clean when the
browser fired no securitypolicyviolation event and logged no CSP message while it loaded and,
for search, while it showed its results.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from conftest import ROOT

DOCS = ROOT / "docs" / "deploying.md"
WATCH = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', event => window.__violations.push(
    event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' + (event.sourceFile || '') + ':' + event.lineNumber));
}"""


def documented_policies() -> dict[str, str]:
    """The policy as each server's configuration in docs/deploying.md sets it."""
    text = DOCS.read_text(encoding="utf-8")
    return {
        "nginx": re.search(r'add_header Content-Security-Policy "([^"]+)" always;', text).group(1),
        "apache": re.search(r'Header always set Content-Security-Policy "([^"]+)"', text).group(1),
        "iis": re.search(r'<add name="Content-Security-Policy" value="([^"]+)" />', text).group(1),
    }


def policy() -> str:
    return documented_policies()["nginx"]


class _WithPolicy(http.server.SimpleHTTPRequestHandler):
    """A static server that sends the policy with every answer, and the site's 404 page."""

    def __init__(self, *args, policy: str, **kwargs):
        self.policy = policy
        super().__init__(*args, **kwargs)

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = self.translate_path("/404.html")
        if code != 404:
            return super().send_error(code, message, explain)
        with open(page, "rb") as handle:
            body = handle.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class PolicyServer:
    def __init__(self, folder, policy_text: str):
        handler = functools.partial(_WithPolicy, directory=str(folder), policy=policy_text)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def violations(browser, url: str, search: bool = False) -> list[str]:
    """What the policy blocked while `url` loaded (and, on the search page, showed results); on
    a page of the site, also that site.js ran (it shows the reading settings) and works."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.add_init_script(f"({WATCH})()")
        page.goto(url)
        if search:
            page.wait_for_function("document.querySelectorAll('#search-results li').length > 0", timeout=15000)
        page.wait_for_load_state("load")
        if page.locator("[data-reading-settings]").count():
            page.get_by_role("button", name="高对比度").click()
            assert page.evaluate("document.documentElement.dataset.contrast") == "high", url
        return page.evaluate("window.__violations") + console
    finally:
        context.close()


def test_the_three_documented_configurations_send_one_policy():
    policies = documented_policies()
    assert len(set(policies.values())) == 1, policies
    assert policy().startswith("default-src 'self'")
    assert "unsafe-inline" not in policy() and "unsafe-eval" not in policy()


@pytest.fixture(scope="module")
def servers(built_site, reports_site, themed_site):
    running = {name: PolicyServer(site.output, policy())
               for name, site in (("shipped", built_site), ("reports", reports_site), ("themed", themed_site))}
    yield {name: server.url for name, server in running.items()}
    for server in running.values():
        server.close()


SHIPPED = ["", "plans/", "plans/zs-gxj-2022/", "units/", "units/zs-czj/", "departments/", "departments/zs-gxj/",
           "data/", "404.html", "no/such/page/"]


@pytest.mark.long
def test_every_kind_of_page_loads_with_no_violation(browser, servers):
    found = {}
    for path in SHIPPED:
        found[path] = violations(browser, servers["shipped"] + path)
    # Timelines and charts (reports), a theme's style sheet, logo and the site's own CSS (themed)
    found["reports: departments/zs-jrj/"] = violations(browser, servers["reports"] + "departments/zs-jrj/")
    found["reports: plans/jrj-2023/"] = violations(browser, servers["reports"] + "plans/jrj-2023/")
    found["themed: plans/zs-gxj-2022/"] = violations(browser, servers["themed"] + "plans/zs-gxj-2022/")
    assert not {path: blocked for path, blocked in found.items() if blocked}


@pytest.mark.long
def test_search_finds_and_shows_results_with_no_violation(browser, servers):
    for site, query in (("shipped", "search/?q=%E6%94%BF%E7%AD%96%E8%A7%A3%E8%AF%BB"),
                        ("shipped", "search/?q=%E5%85%AC%E5%BC%80&year=2022"), ("themed", "search/?q=%E5%85%AC%E5%BC%80")):
        assert violations(browser, servers[site] + query, search=True) == [], query


def test_the_check_itself_sees_an_inline_script_and_style(browser, tmp_path):
    """A page breaking the policy must be caught, or a clean run above would mean nothing."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title><style>p{color:red}</style></head>'
        '<body><p style="color:blue">x</p><script>document.title="y"</script>'
        '</body></html>', encoding="utf-8")
    server = PolicyServer(tmp_path, policy())
    try:
        blocked = violations(browser, server.url)
    finally:
        server.close()
    assert any(item.startswith("style-src") for item in blocked), blocked
    assert any(item.startswith("script-src") for item in blocked), blocked
