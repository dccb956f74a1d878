"""A small disk of a test's own: a tmpfs mounted in a private user and mount namespace
(`unshare --user --map-root-user --mount`, util-linux), so a test can fill it up or make it
read-only without root and without touching the machine's disks.

The test's Python script runs inside the namespace with the tmpfs mounted at sys.argv[1] (its
own arguments follow) and prints one JSON report on stdout, which `run_on_tmpfs` returns. The
script sees the rest of the file system as it is, so it may run build.py from the project.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from support.browser import require

_MOUNT = """\
import subprocess, sys
subprocess.run(["mount", "-t", "tmpfs", "-o", "size={size}", "tmpfs", sys.argv[1]], check=True)
"""


def run_on_tmpfs(script: str, size: int, folder: Path, *args: str, timeout: int = 300) -> dict:
    """Run `script` with a tmpfs of `size` bytes at sys.argv[1] (an empty folder made in
    `folder`) and `args` after it; its JSON report. Skips (locally) or fails (CI=true) where
    the tool or the namespaces are missing."""
    require(shutil.which("unshare") is not None, "unshare (util-linux)", "apt-get install util-linux")
    driver, mount = folder / "tmpfs-driver.py", folder / "tmpfs"
    driver.write_text(_MOUNT.format(size=int(size)) + script, encoding="utf-8")
    mount.mkdir()
    run = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", sys.executable, str(driver), str(mount),
                          *args], capture_output=True, text=True, timeout=timeout)
    require(run.returncode == 0 or "Operation not permitted" not in run.stderr, "a private tmpfs (unshare --mount)",
            "run as a user allowed to create user and mount namespaces")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
