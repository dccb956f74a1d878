"""The search tokenizer. templates/static/tokenize.js is its twin for the browser: the two must
give identical tokens for every text, and tests/test_search.py holds them to it.

Chinese has no spaces, so a run of CJK characters becomes overlapping character bigrams
(政务公开 → 政务 务公 公开): a query's bigrams are all found in any text that contains the query,
whatever word boundaries a segmenter would have guessed. A lone CJK character stays a token of
its own. Runs of digits and runs of other letters stay whole. Everything else separates tokens.
"""

from __future__ import annotations

import unicodedata

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


def char_class(char: str) -> str:
    point = ord(char)
    for low, high in CJK_RANGES:
        if low <= point <= high:
            return CJK
    if "0" <= char <= "9":
        return DIGIT
    if char.isalpha():
        return LETTER
    return OTHER


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[tuple[str, str]]:
    """(class, run) pairs of the normalized text, separators dropped."""
    found: list[tuple[str, str]] = []
    current_class, current = OTHER, ""
    for char in normalize(text):
        kind = char_class(char)
        if kind == current_class and kind != OTHER:
            current += char
            continue
        if current_class != OTHER and current:
            found.append((current_class, current))
        current_class, current = kind, char
    if current_class != OTHER and current:
        found.append((current_class, current))
    return found


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for kind, run in runs(text or ""):
        if kind == CJK and len(run) > 1:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens
