"""Read plain text: one paragraph per line, in UTF-8 (or GB18030, which Chinese Windows writes)."""

from __future__ import annotations

from pathlib import Path

from .source import Document, Paragraph, clean_lines


def read(path: Path) -> Document:
    """Each line cleaned as a Word paragraph is: text pasted from Word brings the same invisible
    characters, which the build would refuse in the draft."""
    text = _decode(path.read_bytes())
    result = Document(name=path.name)
    for number, line in enumerate(text.splitlines(), start=1):
        line = clean_lines(line.replace("\u3000", " ")).replace("\n", "")
        if line:
            result.blocks.append(Paragraph(line, f"第{number}行"))
    return result


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")
