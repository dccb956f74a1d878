"""Read .doc, .wps, .et, .xls, .odt, .ods and .rtf: converted with LibreOffice, then read as
.docx or .xlsx.

No Python library reads the old binary Office formats well; LibreOffice does. It runs headless
in a private temporary folder with a profile of its own (a desktop LibreOffice the editor has
open is not touched, and two imports at once do not share a profile), under a time limit, on a
copy of the file with a plain name. The converted file is read by the docx or xlsx reader with
their limits, and the report says that it was converted. Without LibreOffice the message says
how to convert the file by hand.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CannotBuild
from . import limits, package, read_docx, read_xlsx
from .reading import sniff
from .source import Document

CONVERT_SECONDS = 120
INSTALL = "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
# What each content converts to, and the reader of the result.
SHEETS = ("xls", "ods")
TARGETS = {"doc": "docx", "odt": "docx", "rtf": "docx", "xls": "xlsx", "ods": "xlsx"}
DAMAGED = read_docx.DAMAGED + read_xlsx.DAMAGED


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> Document:
    with open(path, "rb") as stream:
        kind = sniff(stream.read(8192), path)
    target = TARGETS.get(kind, "xlsx" if path.suffix.lower() in (".xls", ".et", ".ods") else "docx")
    program = libreoffice()
    if program is None:
        raise CannotBuild("libreoffice-missing", file=path.name, target=f".{target}",
                          application="Excel 或 WPS 表格" if target == "xlsx" else "Word 或 WPS 文字", install=INSTALL)
    with tempfile.TemporaryDirectory(prefix="zwgk-convert-") as folder:
        work = Path(folder)
        original = work / "in" / f"source{path.suffix.lower()}"
        original.parent.mkdir()
        shutil.copyfile(path, original)
        converted = _convert(program, original, work, target, path.name)
        reader = read_xlsx if target == "xlsx" else read_docx
        with limits.timed(path.name):  # reading has its time again: the conversion had its own
            package.check_package(converted)
            document = reader.read(converted)
    document.name = path.name
    document.notices.append(f"{path.name} 已用 LibreOffice 转换为 .{target} 后读取，请特别留意表格和换行是否与原文一致"
                            f"（converted to .{target} with LibreOffice）")
    return document


def _convert(program: str, original: Path, work: Path, target: str, name: str) -> Path:
    """`soffice --convert-to` in its own process group, killed whole when it takes too long
    (soffice starts soffice.bin, which a plain kill would leave running)."""
    out = work / "out"
    profile = work / "profile"
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(out), str(original)]
    environment = {**os.environ, "HOME": str(work)}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    except OSError as error:
        raise CannotBuild("conversion-failed", file=name, detail=error.strerror or str(error)) from None
    try:
        output, _ = process.communicate(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise CannotBuild("conversion-timed-out", file=name, seconds=CONVERT_SECONDS) from None
    except BaseException:  # Ctrl-C while converting: no LibreOffice left behind
        _kill(process)
        raise
    converted = out / f"{original.stem}.{target}"
    if not converted.is_file():
        said = output.decode("utf-8", "replace").strip().splitlines()
        raise CannotBuild("conversion-failed", file=name, detail=said[-1] if said else f"exit status {process.returncode}")
    return converted


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
