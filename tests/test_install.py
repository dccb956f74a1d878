"""`pip install` of this repository gives a `zwgk` command that works on any site folder: a
fresh virtual environment, a new site made with `zwgk init` in an empty folder outside the
repository, `zwgk check`, `zwgk build` and `zwgk serve` there; a site with its own templates
and colours, which an upgrade of the tool leaves as it is.

Offline and in seconds: the package is built from a copy of the working tree with the
setuptools of the test's own environment (--no-build-isolation), and the new environment sees
the test environment's packages through a .pth file, so pip finds every pinned dependency
installed and downloads nothing; the package itself, with its templates and schemas, is
installed into the new environment alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig

import pytest

from conftest import ROOT
from support.serving import fetch, free_port, wait_until

pytestmark = pytest.mark.long
PACKAGED = ("pyproject.toml", "requirements.txt", "README.md", "generator", "templates", "schema")


def copy_of_the_tool(target):
    """What `pip install <repo>` reads: the working tree as it is now, uncommitted edits too."""
    target.mkdir()
    for name in PACKAGED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    return target


def install(venv, source) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-index",
         "--no-build-isolation", "--disable-pip-version-check", "--quiet", str(source)],
        capture_output=True, text=True, timeout=300, cwd=source)
    assert result.returncode == 0, result.stdout + result.stderr


def zwgk(venv, *args, cwd):
    return subprocess.run([str(venv / "bin" / "zwgk"), *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A new environment with zwgk installed from a copy of this working tree."""
    folder = tmp_path_factory.mktemp("install")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    own = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(own, "borrowed-dependencies.pth"), "w", encoding="utf-8") as pth:
        pth.write(sysconfig.get_paths()["purelib"] + "\n")
    install(venv, copy_of_the_tool(folder / "tool"))
    return venv


def test_the_installed_command_makes_checks_builds_and_serves_a_new_site(venv, tmp_path):
    work = tmp_path / "elsewhere"  # an empty folder outside the repository
    work.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                           capture_output=True, text=True, cwd=work, check=True).stdout
    assert where.startswith(str(venv)), f"zwgk runs the repository's code, not the installed package: {where}"

    made = zwgk(venv, "init", "czj", "--issuer", "中山市财政局", "--parent", "中山市人民政府", cwd=work)
    assert made.returncode == 0, made.stderr
    site = work / "czj"
    assert (site / "content" / "site.yaml").is_file() and (site / "README.md").is_file()
    registry = (site / "content" / "registry" / "zss.yaml").read_text(encoding="utf-8")
    assert "name: 中山市人民政府\n    id: zss\n    kind: government" in registry
    assert "name: 中山市财政局\n        id: zss-czj\n        kind: department" in registry

    checked = zwgk(venv, "check", cwd=site)
    assert checked.returncode == 0 and "内容无误：1 份计划，3 项措施" in checked.stdout, checked.stderr
    built = zwgk(venv, "build", cwd=site)
    assert built.returncode == 0, built.stderr
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "<title>首页 - 中山市财政局政务公开工作要点</title>" in home
    assert (site / "output" / "assets" / "site.css").read_bytes() == (ROOT / "templates" / "static" / "site.css").read_bytes()

    again = zwgk(venv, "init", "czj", "--issuer", "中山市财政局", cwd=work)
    assert again.returncode == 1 and "不是空目录" in again.stderr and "Traceback" not in again.stderr

    port = free_port()
    serving = subprocess.Popen([str(venv / "bin" / "zwgk"), "serve", "--port", str(port)], cwd=site,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/plans/"), timeout=30)
        status, headers, body = fetch(f"http://127.0.0.1:{port}/plans/")
        assert status == 200 and "年政务公开工作要点（示例）".encode() in body
        assert b"/__serve__/overlay.js" in body  # the preview's own scripts, from the installed package
        assert fetch(f"http://127.0.0.1:{port}/__serve__/overlay.js")[0] == 200
    finally:
        serving.send_signal(signal.SIGINT)
        output, _ = serving.communicate(timeout=30)
    assert serving.returncode == 0 and "Traceback" not in output, output


def _answers(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def test_a_site_with_its_own_look_builds_and_an_upgrade_of_the_tool_leaves_it_alone(venv, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert zwgk(venv, "init", "site", "--issuer", "中山市财政局", cwd=work).returncode == 0
    site = work / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "themed" / "templates", site / "templates")
    with open(site / "content" / "site.yaml", "a", encoding="utf-8") as settings:
        settings.write('theme:\n  colors:\n    primary: "#1a4d8f"\n    header_background: "#0b3d6e"\n')
    built = zwgk(venv, "build", "--site", str(site), cwd=work)  # --site names the folder from outside it
    assert built.returncode == 0, built.stderr
    page = (site / "output" / "plans" / "index.html").read_text(encoding="utf-8")
    assert "data-portal-bar" in page and "data-portal-footer" in page and "assets/theme.css" in page
    before = {path: path.read_bytes() for path in sorted((site / "content").rglob("*")) + sorted((site / "templates").rglob("*"))
              if path.is_file()}

    # A new version of the tool: its 404 page and its footer changed.
    upgrade = copy_of_the_tool(tmp_path / "tool-1.1")
    for name in ("pages/404.html", "components/site_footer.html"):
        path = upgrade / "templates" / name
        path.write_text(path.read_text(encoding="utf-8").replace("{% endmacro %}", "<!-- zwgk 1.1 -->{% endmacro %}")
                        .replace("</h1>", "</h1><!-- zwgk 1.1 -->", 1), encoding="utf-8")
    pyproject = upgrade / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "1.1.0"'))
    install(venv, upgrade)

    assert zwgk(venv, "build", cwd=site).returncode == 0
    assert "zwgk 1.1" in (site / "output" / "404.html").read_text(encoding="utf-8"), "the upgrade reaches the pages"
    page = (site / "output" / "plans" / "index.html").read_text(encoding="utf-8")
    assert "data-portal-footer" in page and "zwgk 1.1" not in page, "the site's own footer still wins"
    after = {path: path.read_bytes() for path in before}
    assert after == before and all(path.exists() for path in before)
