"""One table of invisible characters (generator/invisible.py), refused, stripped and named alike.

The walks go through every code point of this Python's Unicode database and hold the loader
(yamlfile.decode), the importer's cleaner (clean_lines), its file-name check (has_invisible)
and the messages (shorten) to the table: each refuses, strips or names exactly its members
and nothing else. The end-to-end tests put the characters that were reported to slip through
into a plan file and into a .txt and a .docx to import.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import docx
import pytest

from conftest import SMALL_PLAN, run_main
from generator import invisible, messages, yamlfile
from generator.errors import ContentError
from generator.importer.source import clean_lines, has_invisible
from generator.tokenize import CJK_RANGES

REPORTED = {"\u061c": "U+061C ARABIC LETTER MARK", "\u00ad": "U+00AD SOFT HYPHEN",
            "\u3164": "U+3164 HANGUL FILLER", "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A"}
FILE = Path("plans/walk.yaml")
LOADER_ALLOWS = "\t\n\r"  # YAML's own tab and line breaks
CLEANER_BREAKS = "\r\x0b\x0c\x85\u2028\u2029\n"  # lines, as Word shows them
BASE = "甲"  # what stands before each character: a CJK ideograph, a base for a variation selector
CHUNK = 4096


MEMBER_POINTS = frozenset(point for low, high in invisible.MEMBERS for point in range(low, high + 1))


def member(point: int) -> bool:
    return point in MEMBER_POINTS


def is_base(character: str) -> bool:
    """What a variation selector may follow: any character but a member, a mark, a separator or
    punctuation."""
    return not member(ord(character)) and unicodedata.category(character)[0] not in "MZP"


@pytest.fixture(scope="module")
def members() -> list[str]:
    return [chr(point) for point in sorted(MEMBER_POINTS)]


@pytest.fixture(scope="module")
def others() -> list[str]:
    """Every other code point: a character of this Python's Unicode, unassigned or private."""
    return [chr(point) for point in range(sys.maxunicode + 1) if point not in MEMBER_POINTS]


def chunks(characters):
    for start in range(0, len(characters), CHUNK):
        yield characters[start:start + CHUNK]


def loads(text: str) -> ContentError | None:
    try:
        yamlfile.decode(FILE, text.encode("utf-8"))
    except ContentError as error:
        return error
    return None


def test_the_table_is_current_for_this_python():
    assert unicodedata.unidata_version == invisible.UNICODE_VERSION
    assert invisible.MEMBERS == invisible.compute_members(), invisible.table_source()


def test_the_table_holds_what_was_reported_and_no_cjk():
    for character in REPORTED:
        assert member(ord(character)), REPORTED[character]
    for named in "\u200b\u200d\u202e\u2066\ufeff\ufffe\U0010ffff\u034f\u115f\u1160\uffa0\x85\u2028\U000e007f":
        assert member(ord(named)), f"U+{ord(named):04X}"
    assert not any(low <= point <= high for low, high in CJK_RANGES for point in range(low, high + 1) if member(point))
    assert not member(0x3000) and not member(0xE000) and not member(0x30000), "ideographic space, private use, Ext G"


def test_the_loader_refuses_exactly_the_table_after_a_base_character(members, others):
    for chunk in chunks(others + list(LOADER_ALLOWS)):
        text = "".join(BASE + character for character in chunk) + BASE
        error = loads(text)
        assert error is None, f"refused: {error}"
    for character in members:
        if character in LOADER_ALLOWS or unicodedata.category(character) == "Cs":
            continue  # a surrogate cannot be written in UTF-8 at all
        error = loads(f"{BASE}{character}{BASE}")
        assert error is not None and (error.line, error.column) == (1, 2), f"U+{ord(character):04X} passes"
        assert error.kind == "invisible-character" and error.values["name"] == messages.character_name(character)


def test_the_cleaner_strips_exactly_the_table_after_a_base_character(members, others):
    for chunk in chunks(others):
        text = "".join(BASE + character for character in chunk) + BASE
        assert clean_lines(text) == text
    for character in members:
        expected = "\n" if character in CLEANER_BREAKS else " " if character == "\t" else ""
        assert clean_lines(f"{BASE}{character}{BASE}") == f"{BASE}{expected}{BASE}", f"U+{ord(character):04X}"


def test_file_names_and_messages_agree_with_the_table(members, others):
    for chunk in chunks(others):
        text = "".join(BASE + character for character in chunk)
        assert not has_invisible(text)
        assert messages.shorten(text, len(text)) == text
    for character in members:
        assert has_invisible(f"{BASE}{character}"), f"U+{ord(character):04X}"
        assert messages.shorten(f"{BASE}{character}") == f"{BASE}<U+{ord(character):04X}>"


SELECTORS = [chr(point) for low, high in invisible.VARIATION_SELECTORS for point in range(low, high + 1)]


def test_a_variation_selector_passes_exactly_after_a_base_character(others):
    """Every code point as the character before U+FE0F: a base lets it pass, anything else not.
    (U+E0100, the first ideographic variation selector, after the same non-base characters and
    after every CJK ideograph of the BMP.)"""
    before = others
    bases = [character for character in before if is_base(character)]
    assert "葛" in bases and "❤" in bases and "\U0001f600" in bases and "1" in bases and "、" not in bases
    for chunk in chunks(bases):
        text = "".join(character + "\ufe0f" for character in chunk)
        assert loads(text) is None and clean_lines(text) == text
    ideographs = "".join(chr(point) + "\U000e0100" for point in range(0x3400, 0xA000))
    assert loads(ideographs) is None and clean_lines(ideographs) == ideographs and not has_invisible(ideographs)
    for selector in ("\ufe0f", "\U000e0100"):
        for character in (c for c in before if not is_base(c)):
            error = loads(f"{BASE}{character}{selector}{BASE}")
            assert error is not None and error.column == 3, f"U+{ord(character):04X} then U+{ord(selector):04X}"
            assert clean_lines(f"{BASE}{character}{selector}{BASE}") == f"{BASE}{character}{BASE}"
    for selector in SELECTORS:  # at the start, after a space, a line break, a mark, another selector
        for before, cleaned in (("", ""), (" ", ""), (f"{BASE}\n", BASE), ("e\u0301", "e\u0301"),
                                (f"{BASE}\ufe0e", f"{BASE}\ufe0e")):
            text = before + selector
            assert loads(text) is not None and has_invisible(text), f"U+{ord(selector):04X} in {text!r}"
            assert clean_lines(text) == cleaned, f"U+{ord(selector):04X} in {text!r}"


def plan_file(content: Path) -> Path:
    return content / "plans" / f"{SMALL_PLAN}.yaml"


@pytest.mark.parametrize("character", list(REPORTED))
def test_a_reported_character_in_a_plan_is_named_at_its_line_and_column(small_content, character):
    plan = plan_file(small_content)
    text = plan.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("title:"))
    plan.write_text(text.replace("title: 中山市", f"title: 中山{character}市", 1), encoding="utf-8")
    result = run_main("check", "--content", str(small_content))
    assert result.returncode == 1
    assert f"{plan}:{line}:10: 这里有一个看不见的字符 {REPORTED[character]}，请删除它" in result.stderr, result.stderr


def test_variation_selectors_after_an_ideograph_or_an_emoji_pass_and_alone_are_refused(small_content):
    plan = plan_file(small_content)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("title: 中山市", "title: 中山\U000e0100市❤\ufe0f", 1), encoding="utf-8")
    assert run_main("check", "--content", str(small_content)).returncode == 0
    plan.write_text(text.replace("title: 中山市", "title: \ufe0f中山市", 1), encoding="utf-8")
    result = run_main("check", "--content", str(small_content))
    assert "这里有一个看不见的字符 U+FE0F VARIATION SELECTOR-16" in result.stderr, result.stderr


PROSE = ["中山市金融工作局2022年政务公开工作要点分工方案",
         "一、\ufe0f推进\u061c政务\u00ad公开",  # a selector after punctuation, the label split off
         "1、规范\u3164行政\U000e0041法规\u200d\ufe0f使用，确保文本最新（牵头科室：综\u00ad合科）"]


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_an_imported_document_loses_the_reported_characters(tmp_path, empty_content, fmt):
    source = tmp_path / f"plan.{fmt}"
    if fmt == "txt":
        source.write_text("\n".join(PROSE) + "\n", encoding="utf-8")
    else:
        document = docx.Document()
        for line in PROSE:
            document.add_paragraph(line)
        document.save(str(source))
    result = run_main("import", str(source), "--content", str(empty_content))
    assert result.returncode == 0, result.stderr
    draft = (empty_content / "plans" / "zs-jrj-2022.yaml").read_text(encoding="utf-8")
    assert "推进政务公开" in draft and "规范行政法规使用，确保文本最新" in draft, draft
    assert invisible.first(draft, "\n") is None
    assert "lead: 综合科" in draft and "没有发现需要特别核对的地方" in result.stdout, "the unit is found"
