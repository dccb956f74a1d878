"""The search data: a sharded, positional index that the browser fetches piece by piece.

A query downloads only what it needs (see docs/search.md for the design and the figures):
  assets/search/index.js      the entry: statistics, where each shard starts, how many lexicon files
  assets/search/t/<name>.js   shards: the postings of a run of terms (in UTF-16 order)
  assets/search/l/…           lexicons, only for queries whose words may start or end inside a token
  assets/search/f/<b>-<n>.js  fragments: what a result shows, 8 documents of one block a file
  assets/search/facets.js     years, departments and units for the filters
Every file is a script that hands its data to window.zwgkSearch.receive, so search also works
from pages opened from disk. search-core.js routes, loads, intersects, checks positions and
ranks; generator/postings.py writes the postings.

Documents are numbered per block: a block is one plan (local 0 the plan itself, then its
measures in document order, then its context documents), or a batch of units. A context
document holds a heading (the plan's title, a section's, a point's or a task's) and covers the measures
under it, so a measure is found by the words of its headings without repeating them per measure.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from . import postings, search_fields, tokenize
from .model import LEADING_ROLES, Plan
from .postings import Slots
from .search_fields import FIELDS, NUMBER, measure_fields, plan_fields, unit_fields
from .site import Site, pinyin_key

DATA_DIR = "assets/search"

FRAGMENT_SIZE = 8  # documents per fragment file: a result costs its fragment, so keep them small
UNITS_PER_BLOCK = 256
PLANS_PER_BATCH = 64  # plans indexed in one NumPy pass (and re-indexed together after an edit)
BLOCKS_PER_FOLDER = PLANS_PER_BATCH  # fragments of one batch share a folder: f/<block // 64>/
SHARD_TARGET = 16_000  # characters of postings per shard, roughly what one shard may hold
SHARD_SPREAD = 32  # on average a shard also starts at one term in this many (see _ShardCutter)
# A term whose posting is longer than CHUNK_AT characters (公开, 政策 …) is cut into chunks of
# consecutive plans, newest first, each a file of its own (c/…); its shard holds only how the
# term is cut, its count of documents and its postings among the units. A query reads the
# chunks in order and stops once it has a page of results (see search-core.js and
# docs/search.md, "Common words"). Chunks are cut between batches, where the characters
# gathered reach CHUNK_TARGET and the batch's number hashes to 0 modulo CHUNK_SPREAD (or
# twice CHUNK_TARGET is reached), so that an edit moves no cut far from the edited batch.
CHUNK_AT = 24_000
CHUNK_TARGET = 12_000
CHUNK_SPREAD = 2
LATIN_CHUNK = 4_000  # digit and letter terms per lexicon file
SUFFIX_BUCKETS = 256


@dataclass
class Batch:
    """The search data of a run of consecutive blocks (plans, or units)."""

    pieces: dict[str, postings.Piece]  # term → its posting over these blocks
    fragments: dict[str, bytes]  # fragment file → its script
    documents: int  # documents a result can be (plans, measures, units)
    lengths: list[float]  # per field, the lengths the postings store, summed over documents (a
    #   heading once for each measure under it): the average a field's length is held against
    # fragment file → the SHA-256 of its script, for fragments written already (a build's
    # workers write them as they index, so they need not cross to the process joining the rest)
    written: dict[str, bytes] = field(default_factory=dict)
    spilled: Path | None = None  # where spill() put its pieces

    def written_out(self, write) -> None:
        """Hand each fragment file to `write(path, data)` and keep only its digest."""
        for path, data in self.fragments.items():
            write(path, data)
            self.written[path] = hashlib.sha256(data).digest()
        self.fragments = {}


@dataclass
class _Collector:
    """What one batch gathers before indexing."""

    slots: Slots = field(default_factory=Slots)
    filters: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    fragments: dict[str, dict] = field(default_factory=dict)
    documents: int = 0

    def filter(self, name: str, block: int, locals_: list[int]) -> None:
        by_block = self.filters.get(name)
        if by_block is None:
            by_block = self.filters[name] = {}
        found = by_block.get(block)
        if found is None:
            by_block[block] = list(locals_)
        else:
            found.extend(locals_)

    def finish(self) -> Batch:
        pieces, slot_lengths = postings.batch_postings(self.slots)
        pieces.update(postings.filter_postings(self.filters))
        lengths = [0.0] * len(FIELDS)
        stored = postings.stored_lengths(slot_lengths).tolist() if slot_lengths else []
        for number, length, covered in zip(self.slots.field, stored, self.slots.count):
            lengths[number] += length * (covered if FIELDS[number].context else 1)
        fragments = {data_path("f", name): _script("f", name, fragment) for name, fragment in self.fragments.items()}
        return Batch(pieces, fragments, self.documents, lengths)

    def add(self, block: int, local: int, texts: dict[str, str]) -> None:
        """A document's fields (not its context fields: see _add_contexts)."""
        for name, text in texts.items():
            if not FIELDS[NUMBER[name]].context:
                self.slots.add(block, local, NUMBER[name], text)
        self.documents += 1


def index_plans(plans: list[Plan], first_block: int) -> Batch:
    """The search data of consecutive plans, the first of them being block `first_block`."""
    batch = _Collector()
    for block, plan in enumerate(plans, start=first_block):
        _add_plan(batch, plan, block)
    return batch.finish()


def _add_plan(batch: _Collector, plan: Plan, block: int) -> None:
    measures = plan.measures
    plan_texts = plan_fields(plan)
    batch.add(block, 0, plan_texts)
    everyone = list(range(len(measures) + 1))
    batch.filter(f" y{plan.year}", block, everyone)
    batch.filter(f" d{plan.issuer.department.id}", block, everyone)
    shown = [{"units": plan_texts["units"], "text": plan_texts["text"]}]
    measure_texts = []
    for local, measure in enumerate(measures, start=1):
        leads, departments = [], [plan.issuer.department.id]
        for assignment in measure.assignments:
            unit = assignment.unit
            if assignment.role in LEADING_ROLES and assignment.written not in leads:
                leads.append(assignment.written)
            if unit is not None:
                batch.filter(f" u{unit.id}", block, [local])
                if unit.department.id not in departments:
                    departments.append(unit.department.id)
        for department in departments:
            batch.filter(f" d{department}", block, [local])
        texts = measure_fields(measure)
        measure_texts.append(texts)
        batch.add(block, local, texts)
        document = {"a": measure.anchor, "h": [texts["section"], texts["point"], texts["task"]],
                    "l": measure.label, "text": texts["text"], "units": texts["units"], "leads": leads}
        if texts["status"]:
            document["status"] = texts["status"]
        shown.append(document)
    _add_contexts(batch, block, measure_texts)
    header = {"plan": {"title": plan.title, "year": plan.year, "url": f"plans/{plan.id}/",
                       "issuer": plan.issuer_name}}
    _add_fragments(batch, block, shown, header)


def _add_contexts(batch: _Collector, block: int, measure_texts: list[dict[str, str]]) -> None:
    """Context documents, numbered after the plan's measures: for each context field, a run of
    consecutive measures (locals 1, 2, …) with the same heading there is one document holding
    the heading once, and covering them."""
    number = len(measure_texts) + 1
    for name in search_fields.CONTEXT:
        start = 0
        while start < len(measure_texts):
            text = measure_texts[start][name]
            end = start + 1
            while end < len(measure_texts) and measure_texts[end][name] == text:
                end += 1
            if text:
                batch.slots.add(block, number, NUMBER[name], text, start + 1, end - start)
                number += 1
            start = end


def _add_fragments(batch: _Collector, block: int, shown: list[dict], header: dict) -> None:
    """FRAGMENT_SIZE documents to a file; headings shared by a file's measures are written once."""
    for start in range(0, len(shown), FRAGMENT_SIZE):
        documents = [dict(document) for document in shown[start:start + FRAGMENT_SIZE]]
        headings: list[list[str]] = []
        for document in documents:
            if "h" in document:
                if document["h"] not in headings:
                    headings.append(document["h"])
                document["h"] = headings.index(document["h"])
        batch.fragments[f"{block}-{start // FRAGMENT_SIZE}"] = {**header, "headings": headings, "docs": documents}


def index_units(site: Site, first_block: int) -> Batch:
    """The units with duties, UNITS_PER_BLOCK to a block, in the order of site.units."""
    batch = _Collector()
    views = list(site.units.values())
    for number, start in enumerate(range(0, len(views), UNITS_PER_BLOCK)):
        block = first_block + number
        shown = []
        for local, view in enumerate(views[start:start + UNITS_PER_BLOCK]):
            unit = view.unit
            texts = unit_fields(unit)
            names = texts["title"]
            batch.add(block, local, texts)
            batch.filter(f" d{unit.department.id}", block, [local])
            batch.filter(f" u{unit.id}", block, [local])
            shown.append({"name": unit.display_name, "names": names, "url": f"units/{unit.id}/",
                          "leads": view.lead_count, "supports": view.support_count})
        _add_fragments(batch, block, shown, {})
    return batch.finish()


# -- assembling the files ------------------------------------------------------------------------

def _js_order(term: str) -> bytes:
    """JavaScript compares strings by UTF-16 code units; so do the shard boundaries."""
    return term.encode("utf-16-be")


@lru_cache(maxsize=None)
def shard_name(first_term: str) -> str:
    """FNV-1a (32 bit) over the UTF-16 code units of a shard's first term; search-core.js has the twin."""
    value = 0x811C9DC5
    data = first_term.encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


class _ShardCutter:
    """Cuts the sorted terms into shards as they come: (listed first term, terms).

    The cuts depend on the terms themselves (a term whose name hashes to 0 modulo SHARD_SPREAD
    starts a shard) and on size (a shard is closed once it reaches SHARD_TARGET; a bigger term
    stands alone), so an edit that changes a few terms moves at most the cuts near them and the
    other shards keep their names and bytes. Shards are named after their first term; a cut
    whose name is taken is not made."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.current: list[str] = []
        self.size = 0

    def add(self, term: str, length: int) -> tuple[str, list[str]] | None:
        """Take the next term; the shard it closes, if it starts a new one."""
        closed = None
        wants_cut = self.current and (self.size >= SHARD_TARGET or length >= SHARD_TARGET
                                      or int(shard_name(term), 16) % SHARD_SPREAD == 0)
        if wants_cut and shard_name(term) not in self.names:
            closed = (self.names and self.current[0] or "", self.current)
            self.names.add(shard_name(closed[0]))
            self.current, self.size = [], 0
        self.current.append(term)
        self.size += length
        return closed

    def finish(self) -> tuple[str, list[str]]:
        """The last shard (an empty one for a site without terms)."""
        return (self.names and self.current[0] or "", self.current)


def data_path(kind: str, name: str) -> str:
    """Where a data file lives, spread over folders so that none holds tens of thousands of files
    (search-core.js's dataPath is the twin): shards and chunks by the first two characters of
    their hash name, fragments by their block's batch."""
    if kind == "index":
        return f"{DATA_DIR}/index.js"
    if kind in ("t", "c"):
        return f"{DATA_DIR}/{kind}/{name[:2]}/{name}.js"
    if kind == "f":
        return f"{DATA_DIR}/f/{int(name.split('-')[0]) // BLOCKS_PER_FOLDER}/{name}.js"
    return f"{DATA_DIR}/{kind}/{name}.js"  # l (lexicons), facets


def _script(kind: str, name: str, data) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Keep the JSON inert inside a script even if content holds "</script>" or U+2028.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"zwgkSearch.receive({json.dumps(kind)},{json.dumps(name)},{text});\n".encode("utf-8")


@dataclass
class _Chunked:
    """A common term cut into chunks of plans: what its shard says of it, and its chunk files."""

    summary: dict  # in the shard: documents found, the units' posting, where each chunk starts
    files: dict[int, tuple[tuple, bytes]]  # first block → (its pieces, its script, until named)
    name: str = ""  # the chunks' file name, given in _write (two terms may hash alike)


class SearchIndex:
    """The search data, kept between builds so that `serve` re-indexes only what an edit touched.

    Plans are indexed PLANS_PER_BATCH at a time; a batch is indexed again only when one of its
    plans is a new object (contentfiles.LoadCache keeps the Plan objects of unchanged files) or what
    its report files say changed (they change the readings of a kept plan), and only the terms
    of re-indexed batches are joined (or cut into chunks) again; the units' batch only when a unit
    gained or lost its page or duties. files() always returns the whole
    search data, exactly what a fresh SearchIndex would return for the same site."""

    def __init__(self) -> None:
        # first block → (its plans, what their report files said, batch)
        self._batches: dict[int, tuple[tuple[Plan, ...], tuple, Batch]] = {}
        self._joined: dict[str, str] = {}  # term → its whole posting (terms not cut into chunks)
        self._chunked: dict[str, _Chunked] = {}  # term → its chunks (common terms)
        self._pieces: dict[str, dict[int, postings.Piece]] = {}  # term → batch start → piece
        self._shards: dict[str, tuple[tuple[str, ...], bytes]] = {}  # shard name → (its terms, its file)
        self._changed_terms: set[str] = set()  # terms whose pieces changed since the last files()
        self._digests: dict[str, tuple[bytes, bytes]] = {}  # path → (file, its SHA-256), for the version
        self._units: tuple | None = None  # (first block, the unit views) the units' batch was made of

    def files(self, site: Site, index_batches=None, write=None) -> dict[str, bytes]:
        """All search files for `site`, but the fragments a batch has written out already
        (Batch.written_out; they count in the version all the same). `index_batches(jobs)` may
        index batches elsewhere (a process pool): it takes [(plans, first block)] and returns
        their Batches in the same order.

        With `write(path, data)` (a build: this index is used once), each file is handed to it
        as soon as it is made, postings are let go once written, and only the entry (index.js)
        is returned: the search data is never in memory twice over."""
        wanted = {start: tuple(site.plans[start:start + PLANS_PER_BATCH])
                  for start in range(0, len(site.plans), PLANS_PER_BATCH)}
        reported = {start: _reported(plans) for start, plans in wanted.items()}
        stale = [start for start, plans in wanted.items() if not self._same(start, plans, reported[start])]
        jobs = [(list(wanted[start]), start) for start in stale]
        indexed = index_batches(jobs) if index_batches and jobs else [index_plans(*job) for job in jobs]
        for start, batch in zip(stale, indexed):
            self._replace(start, wanted[start], reported[start], batch)
        for start in [start for start in self._batches if start not in wanted and start >= 0]:
            self._replace(start, (), (), None)
        views = tuple(site.units.values())
        if not self._same_units(len(site.plans), views):
            self._replace(-1, (), (), index_units(site, len(site.plans)))
        self._units = (len(site.plans), views)
        changed_terms, self._changed_terms = self._changed_terms, set()
        for term in changed_terms if write is None else ():  # a build reads its terms merged (_merged)
            found = sorted(self._pieces.get(term, {}).items(), key=_batch_order)
            self._joined.pop(term, None)
            held = self._chunked.pop(term, None)
            if not found:
                continue
            if term.startswith(" ") or sum(len(piece[2]) for _, piece in found) <= CHUNK_AT:
                self._joined[term] = postings.join([piece for _, piece in found])
            else:
                self._chunked[term] = _chunk(term, found, held)
        return self._write(site, changed_terms, write)

    def _same_units(self, first_block: int, views: tuple) -> bool:
        """Whether the units' batch shows what it showed: the same units from the same block on,
        each with as many duties (a view is kept while its duties are, site._unit_view)."""
        held = self._units
        return (held is not None and held[0] == first_block and len(held[1]) == len(views) and all(
            a is b or a.unit is b.unit and a.lead_count == b.lead_count and a.support_count == b.support_count
            for a, b in zip(held[1], views)))

    def _same(self, start: int, plans: tuple, reported: tuple) -> bool:
        held = self._batches.get(start)
        return (held is not None and len(held[0]) == len(plans) and all(a is b for a, b in zip(held[0], plans))
                and held[1] == reported)

    def _replace(self, start: int, plans: tuple, reported: tuple, batch: Batch | None) -> None:
        """Put `batch` in place of what the batch at `start` held; remember the terms whose
        pieces differ (after an edit to one plan, the terms of that plan only)."""
        old = self._batches.pop(start, None)
        old_pieces = old[2].pieces if old is not None else {}
        new_pieces = batch.pieces if batch is not None else {}
        if not old_pieces:  # a new batch (every batch, in a fresh build): every term is news
            self._changed_terms.update(new_pieces)
            for term, piece in new_pieces.items():
                self._pieces.setdefault(term, {})[start] = piece
            if batch is not None:
                self._batches[start] = (plans, reported, batch)
            return
        for term in old_pieces.keys() | new_pieces.keys():
            if old_pieces.get(term) == new_pieces.get(term):
                continue
            self._changed_terms.add(term)
            if term in new_pieces:
                self._pieces.setdefault(term, {})[start] = new_pieces[term]
            else:
                self._pieces[term].pop(start, None)
        if batch is not None:
            self._batches[start] = (plans, reported, batch)

    def _write(self, site: Site, changed_terms: set[str], write=None) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        written: dict[str, bytes] = {}  # path → SHA-256 of a file handed to `write` (or by a worker)

        def emit(path: str, data: bytes) -> None:
            if write is None:
                files[path] = data
            else:
                write(path, data)
                written[path] = hashlib.sha256(data).digest()

        terms: list[str] = []  # every term, in order (the lexicons)
        values: dict[str, str | dict] = {}  # the terms of the shard being filled → what it says of each
        taken: set[str] = set()
        cutter = _ShardCutter()
        firsts: list[str] = []
        kept: dict[str, tuple[tuple[str, ...], bytes]] = {}

        def shard(first: str, members: list[str]) -> None:
            name = shard_name(first)
            members = tuple(members)
            firsts.append(first)
            held = self._shards.get(name)
            if held is None or held[0] != members or changed_terms.intersection(members):
                held = (members, _script("t", name, {term: values[term] for term in members}))
            emit(data_path("t", name), held[1])
            if write is None:
                kept[name] = held
            for term in members:
                del values[term]

        if write is None:
            ordered = ((term, self._joined.get(term) or self._chunked[term])
                       for term in sorted(self._joined.keys() | self._chunked.keys(), key=_js_order))
        else:
            ordered = _merged(self._batches)
        for term, value in ordered:
            if isinstance(value, _Chunked):
                name = shard_name(term)
                while name in taken:  # two common terms whose names hash alike: the later one moves on
                    name = shard_name(name + term)
                taken.add(name)
                if name != value.name:
                    value.name = name
                    value.files = {first: (pieces, b"") for first, (pieces, _) in value.files.items()}
                for first, (pieces, script) in value.files.items():
                    if not script:
                        script = _script("c", f"{name}-{first}", postings.join(list(pieces)))
                        value.files[first] = (pieces, script) if write is None else ((), b"")
                    emit(data_path("c", f"{name}-{first}"), script)
                value = {**value.summary, "name": name}
            terms.append(term)
            size = len(value) if isinstance(value, str) else 64 + 8 * len(value["chunks"]) + len(value["units"])
            closed = cutter.add(term, size)
            if closed is not None:
                shard(*closed)
            values[term] = value
        shard(*cutter.finish())
        self._shards = kept

        latin = [term for term in terms if not term.startswith(" ") and not _is_cjk_term(term)]
        latin_files = max(1, -(-len(latin) // LATIN_CHUNK))
        for number in range(latin_files):
            emit(data_path("l", f"latin-{number}"), _script(
                "l", f"latin-{number}", latin[number * LATIN_CHUNK:(number + 1) * LATIN_CHUNK]))
        before: dict[int, dict[str, list[str]]] = {}
        for term in terms:
            if len(term) == 2 and _is_cjk_term(term):
                before.setdefault(ord(term[1]) % SUFFIX_BUCKETS, {}).setdefault(term[1], []).append(term[0])
        for bucket in range(SUFFIX_BUCKETS):
            chars = {last: "".join(firsts) for last, firsts in sorted(before.get(bucket, {}).items())}
            emit(data_path("l", f"s{bucket}"), _script("l", f"s{bucket}", chars))

        batches = [batch for _, (_, _, batch) in sorted(self._batches.items(), key=lambda item: _batch_order(item))]
        for batch in batches:
            for path, data in batch.fragments.items():
                emit(path, data)
            written.update(batch.written)
        choices = facets(site)
        for name in ("departments", "units"):
            emit(data_path("facets", name), _script("facets", name, choices[name]))
        lengths = [sum(batch.lengths[i] for batch in batches) for i in range(len(FIELDS))]
        documents = sum(batch.documents for batch in batches)
        digest = hashlib.sha256()
        for path in sorted(files.keys() | written.keys()):
            if path in written:
                digest.update(path.encode() + b"\0" + written[path])
                continue
            held = self._digests.get(path)
            if held is None or held[0] is not files[path]:
                held = self._digests[path] = (files[path], hashlib.sha256(files[path]).digest())
            digest.update(path.encode() + b"\0" + held[1])
        self._digests = {path: held for path, held in self._digests.items() if path in files}
        entry = {
            "version": digest.hexdigest()[:12],
            **search_fields.entry(),
            "documents": documents,
            # lunr's average: a field's length over every document, those without the field too
            "averageLength": [total / documents if documents else 0 for total in lengths],
            "planBlocks": len(site.plans),
            "fragmentSize": FRAGMENT_SIZE,
            "blocksPerFolder": BLOCKS_PER_FOLDER,
            "shards": firsts,
            "latinFiles": latin_files,
            "suffixBuckets": SUFFIX_BUCKETS,
            "years": choices["years"],
        }
        emit(data_path("index", "index"), _script("index", "index", entry))
        return files if write is None else {data_path("index", "index"): _script("index", "index", entry)}


def _chunk(term: str, found: list[tuple[int, postings.Piece]], held: _Chunked | None) -> _Chunked:
    """Cut a common term's pieces (by batch start, units last) into chunks of consecutive plans.

    Chunk k covers the plan blocks from its first block up to the next chunk's (the first chunk
    from block 0, the last to the end of the plans); the units' piece stays in the shard. A
    chunk whose pieces are the very same objects as before keeps its script."""
    groups: list[list[postings.Piece]] = []
    starts: list[int] = []
    size = 0
    units: list[postings.Piece] = []
    for start, piece in found:
        if start < 0:
            units.append(piece)
            continue
        if not groups or size >= CHUNK_TARGET and (
                size >= 2 * CHUNK_TARGET or int(shard_name(f"{start}"), 16) % CHUNK_SPREAD == 0):
            groups.append([])
            starts.append(start if groups[:-1] else 0)
            size = 0
        groups[-1].append(piece)
        size += len(piece[2])
    previous = held.files if held is not None else {}
    files = {}
    for first, pieces in zip(starts, groups):
        pieces = tuple(pieces)
        old = previous.get(first)
        same = old is not None and len(old[0]) == len(pieces) and all(a is b for a, b in zip(old[0], pieces))
        files[first] = old if same else (pieces, b"")
    summary = {
        "documents": sum(piece[3] for _, piece in found),
        "inFields": sum(piece[4] for _, piece in found),
        "units": postings.join(units) if units else "",
        "chunks": [[first, sum(piece[3] for piece in pieces)] for first, pieces in zip(starts, groups)],
    }
    chunked = _Chunked(summary, files, held.name if held is not None else "")
    return chunked


def _merged(batches: dict) -> Iterator[tuple[str, str | _Chunked]]:
    """Every term of `batches` (first block → (plans, reported, Batch)) in shard order, each with
    its whole posting or, for a common term, its chunks; read from the batches' spilled files
    one term at a time, so that no more than a term's postings are held at once."""
    units_last = _batch_order((-1,))
    sources = [_spilled(batch, _batch_order((start,))) for start, (_, _, batch) in batches.items()]
    for term, records in groupby(heapq.merge(*sources), key=itemgetter(2)):
        found = [(-1 if order == units_last else order, piece) for _, order, _, piece in records]
        if term.startswith(" ") or sum(len(piece[2]) for _, piece in found) <= CHUNK_AT:
            yield term, postings.join([piece for _, piece in found])
        else:
            yield term, _chunk(term, found, None)


SPILL_RECORDS = 256  # records per pickle in a spilled file: the merge holds one of each at once


def spill(batch: Batch, path: Path) -> None:
    """Move a batch's postings to a scratch file of this build, sorted as shards are: a build's
    workers do this, and the process that joins every batch reads them back a term at a time
    (_merged). Pickle, as the file is this build's own, in its private scratch folder."""
    records = sorted(((_js_order(term), term, piece) for term, piece in batch.pieces.items()), key=itemgetter(0))
    with open(path, "wb") as handle:
        for start in range(0, len(records), SPILL_RECORDS):
            pickle.dump(records[start:start + SPILL_RECORDS], handle, protocol=pickle.HIGHEST_PROTOCOL)
    batch.pieces, batch.spilled = {}, path


def _spilled(batch: Batch, order: int) -> Iterator[tuple[bytes, int, str, postings.Piece]]:
    if batch.spilled is None:
        for term in sorted(batch.pieces, key=_js_order):
            yield _js_order(term), order, term, batch.pieces[term]
        return
    with open(batch.spilled, "rb") as handle:
        while True:
            try:
                records = pickle.load(handle)
            except EOFError:
                return
            for key, term, piece in records:
                yield key, order, term, piece


def _reported(plans: tuple[Plan, ...]) -> tuple:
    """What search takes from the report files of these plans: a report file can change while
    its plan, kept by contentfiles.LoadCache, stays the same object."""
    return tuple(tuple(search_fields.status_text(measure) for measure in plan.measures)
                 if any(not report.own for report in plan.reports) else () for plan in plans)


def _batch_order(item) -> int:
    """Batches by first block; the units' batch (keyed -1) comes after every plan."""
    start = item[0]
    return start if start >= 0 else 1 << 40


def _is_cjk_term(term: str) -> bool:
    return tokenize.char_class(term[0]) == tokenize.CJK


def facets(site: Site) -> dict:
    """What the filters offer: years, departments and units (pinyin order)."""
    departments = sorted(((view.unit.id, view.unit.name) for view in site.departments.values()),
                         key=lambda item: pinyin_key(item[1]))
    # Units as the unit index lists them: by the body they belong to, each in pinyin order.
    units = [[group.body.name, [[view.unit.id, view.unit.name] for view in group.units]] for group in site.unit_index]
    return {"years": sorted({plan.year for plan in site.plans}, reverse=True),
            "departments": [list(item) for item in departments], "units": units}


def version(files: dict[str, bytes]) -> str:
    """The search data's version, for the search page to ask for the entry without a stale cache."""
    entry = files[f"{DATA_DIR}/index.js"]
    return json.loads(entry[entry.index(b"{"):entry.rindex(b"}") + 1])["version"]
