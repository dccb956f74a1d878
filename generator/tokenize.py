"""The search tokenizer. templates/static/tokenize.js is its twin for the browser: the two must
give identical tokens for every text, and tests/test_search.py holds them to it.

Chinese has no spaces, so a run of CJK characters becomes overlapping character bigrams
(政务公开 → 政务 务公 公开): a query's bigrams are all found in any text that contains the query,
whatever word boundaries a segmenter would have guessed. A lone CJK character stays a token of
its own. Runs of digits and runs of other letters stay whole. Everything else separates tokens.

Each token also has its offset: where it starts in the normalized text, counted in code points.
The index stores offsets so the browser can tell "政策解读" from a text that has 政策, 策解 and
解读 in three different places, without downloading the text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

from . import unicode_tables

# Code point ranges counted as CJK ideographs (after NFKC). Keep in step with tokenize.js.
CJK_RANGES = (
    (0x3007, 0x3007),    # 〇
    (0x3400, 0x4DBF),    # Extension A
    (0x4E00, 0x9FFF),    # Unified Ideographs
    (0xF900, 0xFAFF),    # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2EE5F),  # Extensions C-F, I
    (0x2F800, 0x2FA1F),  # Compatibility Supplement
    (0x30000, 0x323AF),  # Extensions G, H
)

CJK, DIGIT, LETTER, OTHER = "cjk", "digit", "letter", "other"


def _is_cjk(point: int) -> bool:
    return any(low <= point <= high for low, high in CJK_RANGES)


def char_class(char: str) -> str:
    if char < "\u3007":
        return DIGIT if "0" <= char <= "9" else LETTER if char.isalpha() else OTHER
    if _is_cjk(ord(char)):
        return CJK
    if "0" <= char <= "9":
        return DIGIT
    if char.isalpha():
        return LETTER
    return OTHER


def _class_pattern(ranges: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges)


def _in_bmp(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(low, min(high, 0xFFFF)) for low, high in ranges if low <= 0xFFFF]


_BEYOND_BMP = re.compile("[\U00010000-\U0010FFFF]")


def _pick(patterns: tuple[re.Pattern, re.Pattern], text: str) -> re.Pattern:
    """Python's regex engine tests a class with ranges beyond U+FFFF range by range, dozens of
    times slower than a class within the BMP (a bitmap); most texts have no such character."""
    return patterns[1] if _BEYOND_BMP.search(text) else patterns[0]


def _ranges(points) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) ranges."""
    found: list[tuple[int, int]] = []
    for point in points:
        if found and found[-1][1] == point - 1:
            found[-1] = (found[-1][0], point)
        else:
            found.append((point, point))
    return found


def _every_character() -> str:
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, sys.maxunicode + 1)))


@lru_cache(maxsize=None)
def letter_ranges() -> tuple[tuple[int, int], ...]:
    """What str.isalpha() accepts outside the CJK ranges (Unicode categories L*, the same set as
    \\p{L} in tokenize.js), as code point ranges. Taken from generator/unicode_tables.py when it
    was made from this Python's Unicode version, else worked out (about a second)."""
    if unicode_tables.UNICODE_VERSION == unicodedata.unidata_version:
        return unicode_tables.LETTERS
    return compute_letter_ranges()


def compute_letter_ranges() -> tuple[tuple[int, int], ...]:
    return tuple(_ranges(point for point in range(sys.maxunicode + 1)
                         if chr(point).isalpha() and not _is_cjk(point)))


@lru_cache(maxsize=None)
def _runs_patterns() -> tuple[re.Pattern, re.Pattern]:
    """One regular expression for the three kinds of run, so the scanning happens in C."""
    letters = list(letter_ranges())
    def runs_of(cjk, letter) -> re.Pattern:
        return re.compile(f"(?P<cjk>[{_class_pattern(cjk)}]+)|(?P<digit>[0-9]+)|(?P<letter>[{_class_pattern(letter)}]+)")

    return runs_of(_in_bmp(list(CJK_RANGES)), _in_bmp(letters)), runs_of(list(CJK_RANGES), letters)


@lru_cache(maxsize=None)
def _changed_by_nfkc() -> tuple[re.Pattern, re.Pattern]:
    """Characters that NFKC changes in a way a token or an offset could notice.

    NFKC is the slowest step of indexing (most official texts hold full-width punctuation, so
    Python's quick check sends every text down the slow path), yet full-width punctuation only
    becomes ASCII punctuation: one separator for another, same length. Texts with nothing but
    such changes are tokenized as they are; any other change (full-width letters and digits,
    compatibility ideographs, "…" → "...", combining marks, characters that compose with the
    one before) sends the text through NFKC as before. The tokens are the same either way."""
    if unicode_tables.UNICODE_VERSION == unicodedata.unidata_version:
        ranges = list(unicode_tables.CHANGED_BY_NFKC)
    else:
        ranges = list(compute_changed_by_nfkc())
    return re.compile(f"[{_class_pattern(_in_bmp(ranges))}]"), re.compile(f"[{_class_pattern(ranges)}]")


def compute_changed_by_nfkc() -> tuple[tuple[int, int], ...]:
    found: set[int] = set()
    # Blocks of characters, each kept apart by NUL (nothing composes across it), are tested
    # whole; only a block that fails is looked at character by character.
    every = _every_character()
    for start in range(0, len(every), 512):
        block = every[start:start + 512]
        if unicodedata.is_normalized("NFKC", "\0".join(block)) and unicodedata.is_normalized("NFD", "\0".join(block)):
            continue
        for char in block:
            decomposition = unicodedata.decomposition(char)
            if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
                found.add(int(decomposition.split()[1], 16))  # composes with the character before it
            if not unicodedata.is_normalized("NFKC", char):
                normalized = unicodedata.normalize("NFKC", char)
                if not (len(normalized) == 1 and char_class(char) == OTHER and char_class(normalized) == OTHER):
                    found.add(ord(char))
    found.update(range(0x1161, 0x1176))  # Hangul vowel and trailing jamo compose with the syllable before
    found.update(range(0x11A8, 0x11C3))
    found.update(ord(match.group()) for match in re.finditer(r"[\u0300-\u036f]", every))
    found.update(point for point in range(sys.maxunicode + 1) if unicodedata.combining(chr(point)))
    return tuple(_ranges(sorted(found)))


def unicode_tables_source() -> str:
    """The text of generator/unicode_tables.py for this Python's Unicode version."""
    def table(ranges) -> str:
        return "(\n" + "".join(f"    ({low:#x}, {high:#x}),\n" for low, high in ranges) + ")"

    return (
        '"""Character tables the tokenizer needs, made by `python -m generator.tokenize` from\n'
        'Python\'s own Unicode data (tokenize.py works them out itself under another Unicode version).\n'
        'Do not edit; tests/test_search.py checks that they are current."""\n\n'
        f"UNICODE_VERSION = {unicodedata.unidata_version!r}\n\n"
        f"LETTERS = {table(compute_letter_ranges())}\n\n"
        f"CHANGED_BY_NFKC = {table(compute_changed_by_nfkc())}\n"
    )


def normalize(text: str) -> str:
    """NFKC, then lower case (as tokenize.js does)."""
    if _pick(_changed_by_nfkc(), text).search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def runs(text: str) -> list[tuple[str, str]]:
    """(class, run) pairs of the normalized text, separators dropped."""
    text = normalize(text)
    return [(match.lastgroup, match.group()) for match in _pick(_runs_patterns(), text).finditer(text)]


def words(text: str) -> list[str]:
    """What a query is searched as: the stretches of the normalized text made only of characters
    the index holds (CJK, digits, letters; runs of different kinds side by side stay one word).
    Spaces, punctuation and symbols are not indexed, so they only separate words: “政策” and
    政策。 are the word 政策, and punctuation alone is no word at all."""
    found: list[str] = []
    end = -1
    text = normalize(text or "")
    for match in _pick(_runs_patterns(), text).finditer(text):
        if match.start() == end:
            found[-1] += match.group()
        else:
            found.append(match.group())
        end = match.end()
    return found


def tokens_with_offsets(text: str) -> tuple[list[str], list[int], int]:
    """(tokens, their offsets, number of tokens) of `text`."""
    tokens: list[str] = []
    offsets: list[int] = []
    text = normalize(text or "")
    for match in _pick(_runs_patterns(), text).finditer(text):
        run, start = match.group(), match.start()
        if match.lastgroup == CJK and len(run) > 1:
            tokens.extend(map(str.__add__, run[:-1], run[1:]))
            offsets.extend(range(start, start + len(run) - 1))
        else:
            tokens.append(run)
            offsets.append(start)
    return tokens, offsets, len(tokens)


def tokenize(text: str) -> list[str]:
    return tokens_with_offsets(text)[0]


if __name__ == "__main__":
    sys.stdout.write(unicode_tables_source())
