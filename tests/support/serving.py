"""The preview two ways, and the small HTTP helpers the serve tests, the import tests and
benchmarks/serve_latency.py share.

`Serve` is `build.py serve` as an editor runs it, in a subprocess: for what only a process shows
(Ctrl-C, a template folder of its own, the command line). `Preview` is the same PreviewServer on
a thread of the test's own process: the same livereload server on 127.0.0.1, the same builds
and messages, without starting Python (1.7 s a start, 0.4 s a stop)."""

from __future__ import annotations

import asyncio
import http.client
import io
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


class _Running:
    """A preview at http://127.0.0.1:<port>/ and what it has printed to its terminal."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"

    @property
    def output(self) -> str:
        raise NotImplementedError

    def running(self) -> bool:
        raise NotImplementedError

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if not self.running():
                break
            time.sleep(0.05)
        raise AssertionError(f"serve never printed {text!r}; it printed:\n{self.output}")


class Serve(_Running):
    """`build.py serve` in a subprocess, its terminal output collected line by line."""

    def __init__(self, content: Path, port: int, build_py: Path = ROOT / "build.py"):
        super().__init__(port)
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

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


class _Printed(io.TextIOBase):
    """What the preview prints, kept as it was printed."""

    def __init__(self) -> None:
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return len(text)


class Preview(_Running):
    """The preview's PreviewServer on a thread of this process, its terminal output collected."""

    def __init__(self, content: Path, port: int):
        from generator.serve import PreviewServer

        super().__init__(port)
        self.printed = _Printed()
        self.server = PreviewServer(content, "127.0.0.1", port, out=self.printed)
        self.returncode: int | None = None
        self.thread = threading.Thread(target=self._run, name="preview", daemon=True)
        self.thread.start()
        self.wait_for("正在预览")

    def _run(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # a thread has no event loop of its own
        try:
            self.returncode = self.server.run()
        finally:
            asyncio.get_event_loop().close()

    @property
    def output(self) -> str:
        return "".join(self.printed.chunks).rstrip("\n")

    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self) -> int:
        if self.thread.is_alive():
            self.server.loop.add_callback(self.server.loop.stop)  # what Ctrl-C does, between two callbacks
            self.thread.join(timeout=30)
            assert not self.thread.is_alive(), "the preview did not stop"
        return self.returncode


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
