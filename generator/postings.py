"""Postings: which documents hold a token, in which field, how often and where, written compactly.

Documents come in blocks (a block is one plan, or a batch of units), and blocks are indexed a
batch at a time: every token of every field of the batch is found at once with NumPy (the
tokens are exactly those of generator/tokenize.py), and each term's entries are written as a
string of small numbers that search-core.js decodes. A term's whole posting is the
concatenation of its pieces from each batch, so an edit to one plan re-encodes one batch only.

The number code ("varint"): each number is written in base 32, lowest digit first, one character
per digit from ALPHABET; a character in the upper half of the alphabet means "more digits
follow". Numbers below 32 take one character, below 1,024 two.

A term's posting is, for each block that holds it: the block's distance from the previous such
block (the first: from 0), the number of entries, then the entries in document order (`local`
numbers the documents of a block):
    local delta          the first entry's local, then the distance from the entry before
    field + F·(tf − 1)   field number and how often the term occurs there (F fields, in the
                         order of search_fields.FIELDS)
    length               tokens in that field of that document, as round(3·log2(length + 1))
    first, count         only in a context field: the measures the heading covers
    offsets              where each occurrence starts: the first in full, then the gaps
A filter term (a name starting with a space) has only local deltas: no field, no offsets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import tokenize
from .search_fields import FIELDS

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_FIELD_COUNT = len(FIELDS)
_IS_CONTEXT = np.array([field.context for field in FIELDS])
_SEPARATOR = "\x00"  # between fields; YAML cannot carry it, so no text holds it
_OTHER, _CJK, _DIGIT, _LETTER = 0, 1, 2, 3
_LONE_BASE = np.uint64(0)  # a lone CJK character: its code point
_BIGRAM_SHIFT = np.uint64(21)  # a bigram: first code point << 21 | second
_RUN_BASE = np.uint64(1 << 39)  # a digit or letter run: its number in the batch, above every bigram
_POSITION_BITS = 24  # sort key = token key << 24 | position, while a batch's text is shorter than 2**24


class Slots:
    """The fields of documents to index, one row per field of a document, kept as columns
    (a batch has tens of thousands of rows). Rows are added in (block, local, field) order."""

    def __init__(self) -> None:
        self.block: list[int] = []
        self.local: list[int] = []
        self.field: list[int] = []
        self.text: list[str] = []
        self.first: list[int] = []  # context documents: the first measure they cover
        self.count: list[int] = []  # context documents: how many measures they cover

    def add(self, block: int, local: int, field: int, text: str, first: int = 0, count: int = 0) -> None:
        self.block.append(block)
        self.local.append(local)
        self.field.append(field)
        self.text.append(text)
        self.first.append(first)
        self.count.append(count)

    def __len__(self) -> int:
        return len(self.text)


Piece = tuple[int, int, str, int, int]  # a term's posting over a run of blocks: (first block, last
#   block, text without the first block's distance from the block before (see join), documents it
#   finds (a context entry finds each measure it covers; a document is counted once), and fields
#   of documents it is in (lunr's count for the idf: a document once per field holding the term))


@lru_cache(maxsize=65536)
def encode_number(value: int) -> str:
    """One number in the varint code (see the module docstring)."""
    digits = []
    while True:
        digit, value = value & 31, value >> 5
        digits.append(ALPHABET[digit | (32 if value else 0)])
        if not value:
            return "".join(digits)


def encode_numbers(values) -> str:
    return "".join(map(encode_number, values))


_SMALL = np.arange(1024)
_FIRST_CHAR = _ALPHABET_BYTES[(_SMALL & 31) | ((_SMALL >= 32) << 5)]  # of a number below 1,024
_SECOND_CHAR = _ALPHABET_BYTES[_SMALL >> 5]


def _encode_array(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Every number of `values` in the varint code; also where each number's characters end."""
    if len(values) and values.min() < 0:  # pragma: no cover - a bug, not a content problem
        raise ValueError("negative number in postings")
    largest = int(values.max()) if len(values) else 0
    if largest < 1024:  # nearly always: one or two characters each, read from tables
        wide = values >= 32
        ends = np.cumsum(1 + wide)
        out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
        starts = ends - 1 - wide
        out[starts] = _FIRST_CHAR[values]
        out[starts[wide] + 1] = _SECOND_CHAR[values[wide]]
        return out.tobytes(), ends
    widths = 1 + (values >= 32).astype(np.int64)
    bits = 10
    while largest >= (1 << bits):
        widths += values >= (1 << bits)
        bits += 5
    ends = np.cumsum(widths)
    starts = ends - widths
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    out[starts] = _ALPHABET_BYTES[(values & 31) | ((widths > 1) << 5)]
    # Further digits: only the numbers that have them take part, fewer at each step.
    numbers = np.flatnonzero(widths > 1)
    remaining = values[numbers] >> 5
    digit = 1
    while len(numbers):
        more = widths[numbers] > digit + 1
        out[starts[numbers] + digit] = _ALPHABET_BYTES[(remaining & 31) | (more << 5)]
        numbers, remaining = numbers[more], remaining[more] >> 5
        digit += 1
    return out.tobytes(), ends


@lru_cache(maxsize=None)
def _class_table() -> np.ndarray:
    """The tokenizer's class of every code point (other, CJK, digit, letter)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for low, high in tokenize.letter_ranges():
        table[low:high + 1] = _LETTER
    for low, high in tokenize.CJK_RANGES:
        table[low:high + 1] = _CJK
    table[ord("0"):ord("9") + 1] = _DIGIT
    return table


def length_codes(lengths: np.ndarray) -> np.ndarray:
    """Field lengths as the postings store them: round(3·log2(tokens + 1)), a sixth of a doubling."""
    return np.rint(3 * np.log2(np.asarray(lengths) + 1)).astype(np.int64)


def stored_lengths(lengths) -> np.ndarray:
    """The lengths search-core.js reads back from length_codes (tokens + 1 to within 12%)."""
    return 2.0 ** (length_codes(lengths) / 3) - 1


def warm_up() -> None:
    """Build the tables once, before worker processes are forked, so each need not."""
    _class_table()
    tokenize.normalize("")


def batch_postings(slots: Slots) -> tuple[dict[str, Piece], list[int]]:
    """(term → its piece of posting, tokens per row) for a batch of blocks.

    Indexing many blocks in one pass keeps the work per term and block in NumPy: Python sees
    each term once per batch."""
    if not len(slots):
        return {}, []
    text = tokenize.normalize(_SEPARATOR.join(slots.text))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    classes = _class_table()[codes]
    field_starts = np.concatenate(([0], np.flatnonzero(codes == 0) + 1))

    keys, positions, runs = _tokens(text, codes, classes)
    if not len(keys):
        return {}, [0] * len(slots)
    slot_at = np.cumsum(codes == 0)  # separators up to each character = the row it belongs to
    lengths = np.bincount(slot_at[positions], minlength=len(slots))
    # Sorted by (key, position), each term's tokens stand in (row, offset) order. One number per
    # token sorts several times faster than an indirect sort on two.
    if len(codes) < (1 << _POSITION_BITS):
        combined = np.sort((keys << np.uint64(_POSITION_BITS)) | positions.astype(np.uint64))
        keys, positions = combined >> np.uint64(_POSITION_BITS), (combined & np.uint64((1 << _POSITION_BITS) - 1)).astype(np.int64)
    else:
        order = np.argsort(keys, kind="stable")
        keys, positions = keys[order], positions[order]
    slot_of = slot_at[positions]
    offsets = positions - field_starts[slot_of]
    new_entry = _changes(keys, slot_of)
    entry_starts = np.flatnonzero(new_entry)
    entry_of_token = np.cumsum(new_entry) - 1
    tf = np.diff(np.append(entry_starts, len(keys)))
    entry_keys, entry_slots = keys[entry_starts], slot_of[entry_starts]

    slot_block, slot_local, slot_field, slot_first, slot_count = (
        np.array(column, dtype=np.int64) for column in (slots.block, slots.local, slots.field, slots.first, slots.count))
    block, local, field = slot_block[entry_slots], slot_local[entry_slots], slot_field[entry_slots]
    new_term = _changes(entry_keys)
    new_group = _changes(entry_keys, block)  # the entries of one term in one block
    group_starts = np.flatnonzero(new_group)
    group_sizes = np.diff(np.append(group_starts, len(entry_starts)))

    local_delta = local.copy()
    within = np.flatnonzero(~new_group)
    local_delta[within] -= local[within - 1]
    context = _IS_CONTEXT[field]
    quantized_length = length_codes(lengths[entry_slots])

    # Numbers each entry writes: its group's header when it opens one (block distance and entry
    # count; only the count for a term's first group), its own header (local delta, field and tf,
    # length; first and count for context documents), then one number per occurrence.
    group_head = np.where(new_group, np.where(new_term, 1, 2), 0)
    head = 3 + 2 * context
    size = group_head + head + tf
    end = np.cumsum(size)
    begin = end - size
    stream = np.empty(int(end[-1]), dtype=np.int64)
    opens_later_group = new_group & ~new_term
    stream[begin[opens_later_group]] = block[opens_later_group] - block[np.flatnonzero(opens_later_group) - 1]
    stream[begin[new_group] + group_head[new_group] - 1] = group_sizes
    own = begin + group_head
    stream[own] = local_delta
    stream[own + 1] = field + _FIELD_COUNT * (tf - 1)
    stream[own + 2] = quantized_length
    stream[own[context] + 3] = slot_first[entry_slots[context]]
    stream[own[context] + 4] = slot_count[entry_slots[context]]
    gaps = offsets.copy()
    later = np.flatnonzero(~new_entry)  # second and later occurrences within an entry
    gaps[later] = offsets[later] - offsets[later - 1]
    rank = np.arange(len(keys)) - entry_starts[entry_of_token]
    stream[own[entry_of_token] + head[entry_of_token] + rank] = gaps

    encoded, number_ends = _encode_array(stream)
    text_of = encoded.decode("ascii")
    term_starts = np.flatnonzero(new_term)
    term_ends = np.append(term_starts[1:], len(entry_starts))
    char_start = np.concatenate(([0], number_ends))[begin[term_starts]]
    char_end = number_ends[end[term_ends - 1] - 1]
    term_of_entry = np.cumsum(new_term) - 1
    covered = np.where(context, slot_count[entry_slots], 1)
    found = _documents_found(term_of_entry, block, np.where(context, slot_first[entry_slots], local),
                             covered, len(term_starts))
    in_fields = np.bincount(term_of_entry, weights=covered, minlength=len(term_starts)).astype(np.int64)
    result = {}
    for key, first_block, last_block, start, stop, documents, fields in zip(
            entry_keys[term_starts].tolist(), block[term_starts].tolist(), block[term_ends - 1].tolist(),
            char_start.tolist(), char_end.tolist(), found.tolist(), in_fields.tolist()):
        result[_term(key, runs)] = (first_block, last_block, text_of[start:stop], documents, fields)
    return result, lengths.tolist()


def _documents_found(term: np.ndarray, block: np.ndarray, first: np.ndarray, count: np.ndarray, terms: int) -> np.ndarray:
    """How many documents each term finds: an entry finds documents first … first + count − 1 of
    its block (a context entry the measures under its heading, any other its own document), and
    a document found twice counts once. search-core.js takes a term's count from here when it
    has loaded only part of the term (its idf, and the total a page states)."""
    total = int(count.sum())
    opened = np.repeat(np.cumsum(count) - count, count)
    document = np.repeat(first, count) + (np.arange(total) - opened)
    # Sorted, not np.unique: the keys come nearly in order (term, then block), which a sort
    # takes in a tenth of the time NumPy's hashing unique does.
    keys = np.sort((np.repeat(term, count) << 42) | (np.repeat(block, count) << 21) | document)
    return np.bincount(keys[_changes(keys)] >> 42, minlength=terms)


def _changes(*columns: np.ndarray) -> np.ndarray:
    """True where any column differs from the row before (and on the first row)."""
    changed = np.ones(len(columns[0]), dtype=bool)
    if len(changed) > 1:
        changed[1:] = np.logical_or.reduce([column[1:] != column[:-1] for column in columns])
    return changed


def _tokens(text: str, codes: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(token keys, token positions in text order, the digit and letter runs the keys above
    _RUN_BASE name)."""
    cjk = classes == _CJK
    after = np.zeros(len(codes), dtype=bool)
    after[:-1] = cjk[1:]
    before = np.zeros(len(codes), dtype=bool)
    before[1:] = cjk[:-1]
    bigram_at = np.flatnonzero(cjk & after)
    lone_at = np.flatnonzero(cjk & ~after & ~before)
    bigram_keys = (codes[bigram_at].astype(np.uint64) << _BIGRAM_SHIFT) | codes[bigram_at + 1].astype(np.uint64)
    lone_keys = codes[lone_at].astype(np.uint64) + _LONE_BASE

    word = (classes == _DIGIT) | (classes == _LETTER)
    changed = np.ones(len(codes), dtype=bool)
    changed[1:] = classes[1:] != classes[:-1]
    run_starts = np.flatnonzero(word & changed)
    ends_here = np.ones(len(codes), dtype=bool)
    ends_here[:-1] = classes[:-1] != classes[1:]
    run_ends = np.flatnonzero(word & ends_here) + 1
    names: dict[str, int] = {}
    run_numbers = [names.setdefault(text[start:end], len(names))
                   for start, end in zip(run_starts.tolist(), run_ends.tolist())]
    run_keys = np.array(run_numbers, dtype=np.uint64) + _RUN_BASE
    # At most one token starts at any position: lay them out by position to get text order.
    key_at = np.zeros(len(codes), dtype=np.uint64)
    starts_token = np.zeros(len(codes), dtype=bool)
    for at, found in ((bigram_at, bigram_keys), (lone_at, lone_keys), (run_starts, run_keys)):
        key_at[at] = found
        starts_token[at] = True
    positions = np.flatnonzero(starts_token)
    return key_at[positions], positions, list(names)


def _term(key: int, runs: list[str]) -> str:
    if key >= int(_RUN_BASE):
        return runs[key - int(_RUN_BASE)]
    if key >> int(_BIGRAM_SHIFT):
        return chr(key >> int(_BIGRAM_SHIFT)) + chr(key & ((1 << int(_BIGRAM_SHIFT)) - 1))
    return chr(key)


def filter_postings(documents_by_filter: dict[str, dict[int, list[int]]]) -> dict[str, Piece]:
    """Filter terms (names starting with a space) of a batch: filter → block → local numbers."""
    result = {}
    for name, by_block in documents_by_filter.items():
        parts, previous = [], None
        for block in sorted(by_block):
            ordered = sorted(set(by_block[block]))
            deltas = [ordered[0]] + [b - a for a, b in zip(ordered, ordered[1:])]
            head = [len(ordered)] if previous is None else [block - previous, len(ordered)]
            parts.append(encode_numbers(head + deltas))
            previous = block
        blocks = sorted(by_block)
        documents = sum(len(set(found)) for found in by_block.values())
        result[name] = (blocks[0], blocks[-1], "".join(parts), documents, documents)
    return result


def join(pieces: list[Piece]) -> str:
    """A term's whole posting from its pieces in block order."""
    out, previous = [], 0
    for first_block, last_block, text, *_ in pieces:
        out.append(encode_number(first_block - previous))
        out.append(text)
        previous = last_block
    return "".join(out)
