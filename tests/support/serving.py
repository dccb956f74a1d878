"""`build.py serve` as an editor runs it, in a subprocess, and the small HTTP helpers the serve
tests, the import tests and benchmarks/serve_latency.py share."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """`build.py serve` in a subprocess, its terminal output collected line by line."""

    def __init__(self, content: Path, port: int, build_py: Path = ROOT / "build.py"):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(build_py), "serve", "--content", str(content), "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("正在预览")

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"serve never printed {text!r}; it printed:\n{self.output}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


def fetch(url: str, method: str = "GET", headers: dict | None = None):
    host, _, rest = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request(method, "/" + rest, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders() if k.lower() != "date"}, body


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition never became true")
