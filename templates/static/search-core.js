/* Search logic without the page, used by search.js in the browser and by the tests in Node.

   The index is split into files (see generator/search.py and docs/search.md). This file works
   out which files a query needs (routing), loads them, decodes the postings, intersects the
   terms across shards, applies the filters, checks positions, so a document counts only if it
   really holds each typed word, and ranks what is left by BM25. What a result shows comes from
   fragments, loaded a page at a time.

   A common term (公开, 政策) is cut into chunks of consecutive plans, newest first: its shard
   holds only its count of documents, its postings among the units and where each chunk starts.
   A query then reads the plans region by region, loading for each region the chunk of each of
   its common terms that covers it, and stops once it has the results a page needs: results
   come region by region (units and the newest plans first), by score within a region, and the
   total is an estimate (marked so) until every region is read or one term alone says it.

   createSearch({load, tokenizer}): `load(kind, name, path)` returns a promise of one data file:
   kind "index" (the entry), "t" (a shard), "c" (a chunk of a common term), "l" (a lexicon),
   "f" (a fragment), "facets" (the departments or units a filter offers); `path` is where it is
   under assets/search/ (dataPath). */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.zwgkSearchCore = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT_VALUE = new Int8Array(128);
  for (var a = 0; a < ALPHABET.length; a++) { DIGIT_VALUE[ALPHABET.charCodeAt(a)] = a; }
  var BLOCK = 1048576; /* a document's key: block * BLOCK + local */
  var PAGE = 20;

  /* The varint code of generator/postings.py: base 32, lowest digit first, upper half = more. */
  function decodeNumbers(text) {
    var numbers = [];
    var value = 0;
    var scale = 1;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUE[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
      } else {
        numbers.push(value);
        value = 0;
        scale = 1;
      }
    }
    return numbers;
  }

  /* FNV-1a over UTF-16 code units: a shard's file name from its first term (search.shard_name). */
  function shardName(term) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      hash ^= term.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return ("0000000" + hash.toString(16)).slice(-8);
  }

  /* Where a data file is under assets/search/ (twin of search.data_path): shards and chunks by
     the first two characters of their name, fragments by their block's batch. */
  function dataPath(entry, kind, name) {
    if (kind === "index") { return "index.js"; }
    if (kind === "t" || kind === "c") { return kind + "/" + name.slice(0, 2) + "/" + name + ".js"; }
    if (kind === "f") { return "f/" + Math.floor(parseInt(name, 10) / entry.blocksPerFolder) + "/" + name + ".js"; }
    return kind + "/" + name + ".js";
  }

  function codePoints(text) { return Array.from(text).length; }

  /* The first place in sorted `list` whose value is not below `value`. */
  function lowerBound(list, value) {
    var low = 0;
    var high = list.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (list[middle] < value) { low = middle + 1; } else { high = middle; }
    }
    return low;
  }

  /* Decoded postings of disjoint runs of blocks (a common term's chunks) as one posting. */
  function mergeParts(term, parts) {
    var out = { term: term, docs: [], from: [], field: [], tf: [], length: [], source: [], start: [], offsets: [] };
    parts.filter(function (part) { return part.docs.length; }).sort(function (x, y) {
      return x.docs[0] - y.docs[0];
    }).forEach(function (part) {
      var hits = out.field.length;
      var offsets = out.offsets.length;
      for (var i = 0; i < part.docs.length; i++) {
        out.docs.push(part.docs[i]);
        out.from.push(part.from[i] + hits);
      }
      for (var h = 0; h < part.field.length; h++) {
        out.field.push(part.field[h]);
        out.tf.push(part.tf[h]);
        out.length.push(part.length[h]);
        out.source.push(part.source[h]);
        out.start.push(part.start[h] + offsets);
      }
      for (var o = 0; o < part.offsets.length; o++) { out.offsets.push(part.offsets[o]); }
    });
    out.from.push(out.field.length);
    return out;
  }

  /* One term's posting, decoded into columns. Each hit is one field of one document holding the
     term: its field, how often, the field's length, where its offsets are, and its source (the
     text the offsets count in). A context entry (a heading) becomes a hit in every measure it
     covers, all sharing the heading's offsets and source. Hits are sorted by document;
     `docs` lists each document once, `from[i]` where its hits start. `fields` is the entry's
     declaration of the fields (generator/search_fields.py): their number and which are context. */
  function decodePosting(fields, term, text) {
    var numbers = decodeNumbers(text);
    var fieldCount = fields.length;
    var filter = term.charAt(0) === " ";
    var out = { term: term, docs: [], from: [], field: [], tf: [], length: [], source: [], start: [], offsets: [] };
    var i = 0;
    var block = 0;
    var hits = []; /* one block's hits: [local, field, tf, length, source, start] */
    function flush(headings) {
      /* A heading's measures come before the heading in its block: put such a block in order. */
      if (headings) { hits.sort(function (x, y) { return x[0] - y[0]; }); }
      for (var h = 0; h < hits.length; h++) {
        var key = block * BLOCK + hits[h][0];
        if (!out.docs.length || out.docs[out.docs.length - 1] !== key) {
          out.docs.push(key);
          out.from.push(out.field.length);
        }
        out.field.push(hits[h][1]);
        out.tf.push(hits[h][2]);
        out.length.push(hits[h][3]);
        out.source.push(hits[h][4]);
        out.start.push(hits[h][5]);
      }
      hits = [];
    }
    while (i < numbers.length) {
      block += numbers[i];
      var entries = numbers[i + 1];
      i += 2;
      var local = 0;
      var headings = false;
      for (var e = 0; e < entries; e++) {
        local = e === 0 ? numbers[i] : local + numbers[i];
        i += 1;
        if (filter) {
          out.docs.push(block * BLOCK + local);
          continue;
        }
        var field = numbers[i] % fieldCount;
        var tf = Math.floor(numbers[i] / fieldCount) + 1;
        var length = Math.pow(2, numbers[i + 1] / 3) - 1;
        i += 2;
        var first = local;
        var count = 1;
        if (fields[field].context) {
          first = numbers[i];
          count = numbers[i + 1];
          i += 2;
          headings = true;
        }
        var start = out.offsets.length;
        var offset = 0;
        for (var k = 0; k < tf; k++) {
          offset += numbers[i];
          out.offsets.push(offset);
          i += 1;
        }
        for (var m = first; m < first + count; m++) {
          hits.push([m, field, tf, length, field * BLOCK + local, start]);
        }
      }
      if (!filter) { flush(headings); }
    }
    out.from.push(out.field.length);
    return out;
  }

  /* Where document `key` is in a posting's sorted document list, or -1. */
  function findDoc(posting, key) {
    var low = 0;
    var high = posting.docs.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      var value = posting.docs[middle];
      if (value === key) { return middle; }
      if (value < key) { low = middle + 1; } else { high = middle - 1; }
    }
    return -1;
  }

  /* The query's words, each with its terms (clauses) and what their positions must be. A word
     is a stretch of characters the index holds (tokenizer.words): spaces, punctuation and
     symbols are not indexed, so they only separate words ("“政策”" is the word 政策), and the
     text check of page() looks for exactly these words. Its CJK runs become bigrams that must
     stand side by side, a lone CJK character may sit inside a bigram, and a digit or letter run
     at the start (end) of the word may be the end (start) of a longer run in the text. */
  function parse(query, tokenizer) {
    return tokenizer.words(query || "").map(function (word) {
      var runs = tokenizer.runs(word);
      var terms = [];
      runs.forEach(function (run, index) {
        var chars = run[1];
        var start = run[2];
        var first = index === 0;
        var last = index === runs.length - 1;
        var text = chars.join("");
        if (run[0] === "cjk" && chars.length > 1) {
          for (var j = 0; j < chars.length - 1; j++) {
            terms.push({ term: chars[j] + chars[j + 1], wildcard: "none", need: "exact", at: start + j });
          }
          return;
        }
        var wildcard = run[0] === "cjk" || (first && last) ? "both" : first ? "leading" : last ? "trailing" : "none";
        var need = first && last ? "any" : first ? "endsAt" : last ? "startsAt" : "exact";
        terms.push({ term: text, wildcard: wildcard, need: need, at: need === "endsAt" ? start + chars.length : start });
      });
      return { text: word, terms: terms };
    });
  }

  function matchesWildcard(term, clause) {
    if (clause.wildcard === "none") { return term === clause.term; }
    if (clause.wildcard === "trailing") { return term.indexOf(clause.term) === 0; }
    if (clause.wildcard === "leading") {
      return term.length >= clause.term.length && term.lastIndexOf(clause.term) === term.length - clause.term.length;
    }
    return term.indexOf(clause.term) >= 0;
  }

  /* Sorted lists of numbers: all of them, once. */
  function union(lists) {
    if (lists.length === 1) { return lists[0]; }
    var all = [].concat.apply([], lists).sort(function (x, y) { return x - y; });
    return all.filter(function (value, index) { return index === 0 || value !== all[index - 1]; });
  }

  /* Sorted lists of numbers: those in every list. */
  function intersect(lists) {
    lists = lists.slice().sort(function (x, y) { return x.length - y.length; });
    var result = lists[0];
    for (var l = 1; l < lists.length && result.length; l++) {
      var other = lists[l];
      var kept = [];
      var j = 0;
      for (var i = 0; i < result.length; i++) {
        while (j < other.length && other[j] < result[i]) { j++; }
        if (j < other.length && other[j] === result[i]) { kept.push(result[i]); }
      }
      result = kept;
    }
    return result;
  }

  function createSearch(options) {
    var load = options.load;
    var tokenizer = options.tokenizer;
    var files = {};
    var decoded = {};
    var common = {}; /* a common term → {summary (from its shard), parts (decoded), loaded (chunk → promise)} */

    var entryLoaded = Promise.resolve(load("index", "index", "index.js"));
    files["index/index"] = entryLoaded;

    function get(kind, name) {
      var key = kind + "/" + name;
      if (!files[key]) {
        files[key] = entryLoaded.then(function (entry) { return load(kind, name, dataPath(entry, kind, name)); });
      }
      return files[key];
    }

    /* The shard holding `term`: the last whose first term is not after it. */
    function shardOf(entry, term) {
      var low = 0;
      var high = entry.shards.length - 1;
      while (low < high) {
        var middle = (low + high + 1) >> 1;
        if (entry.shards[middle] <= term) { low = middle; } else { high = middle - 1; }
      }
      return low;
    }

    function shardsFor(entry, from, to) {
      var found = [];
      for (var s = shardOf(entry, from); s < entry.shards.length && (s === shardOf(entry, from) || entry.shards[s] < to); s++) {
        found.push(s);
      }
      return found;
    }

    function loadShard(entry, number) {
      return get("t", shardName(entry.shards[number]));
    }

    function posting(entry, shard, term) {
      if (!decoded[term]) {
        var value = shard[term];
        if (typeof value === "string") {
          decoded[term] = decodePosting(entry.fields, term, value);
        } else {
          /* A common term: until its chunks are loaded, only its postings among the units. */
          var units = decodePosting(entry.fields, term, value.units);
          common[term] = { summary: value, parts: [units], loaded: {} };
          decoded[term] = units;
        }
      }
      return decoded[term];
    }

    /* Chunk `number` of common term `term`, decoded into its posting. */
    function loadChunk(entry, term, number) {
      var held = common[term];
      if (!held.loaded[number]) {
        var name = held.summary.name + "-" + held.summary.chunks[number][0];
        held.loaded[number] = get("c", name).then(function (text) {
          held.parts.push(decodePosting(entry.fields, term, text));
          decoded[term] = mergeParts(term, held.parts);
        });
      }
      return held.loaded[number];
    }

    /* The chunk of a common term that covers plan block `block`, and where it ends. */
    function chunkAt(entry, term, block) {
      var chunks = common[term].summary.chunks;
      var number = 0;
      while (number + 1 < chunks.length && chunks[number + 1][0] <= block) { number++; }
      return { number: number, end: number + 1 < chunks.length ? chunks[number + 1][0] : entry.planBlocks };
    }

    /* Terms of the index that a clause can match but that sort elsewhere than its own text:
       for "*20" or "*公开*" the lexicon of digit and letter terms, for a lone CJK character the
       bigrams that end with it. Terms that start with the clause's text need no lexicon. */
    function lexiconTerms(entry, clause) {
      if (clause.wildcard === "none" || clause.wildcard === "trailing") { return Promise.resolve([]); }
      var point = clause.term.codePointAt(0);
      var cjk = tokenizer.runs(clause.term)[0][0] === "cjk";
      if (cjk) {
        return get("l", "s" + (point % entry.suffixBuckets)).then(function (buckets) {
          return Array.from(buckets[clause.term] || "").map(function (before) { return before + clause.term; });
        });
      }
      var lists = [];
      for (var n = 0; n < entry.latinFiles; n++) { lists.push(get("l", "latin-" + n)); }
      return Promise.all(lists).then(function (all) {
        return [].concat.apply([], all).filter(function (term) { return matchesWildcard(term, clause); });
      });
    }

    /* Every term of the index a clause matches, with its posting decoded. */
    function expand(entry, clause) {
      return lexiconTerms(entry, clause).then(function (extra) {
        var shards = clause.wildcard === "none" ? [shardOf(entry, clause.term)]
          : shardsFor(entry, clause.term, clause.term + "\uffff");
        extra.forEach(function (term) { shards.push(shardOf(entry, term)); });
        var unique = shards.filter(function (s, i) { return shards.indexOf(s) === i; });
        return Promise.all(unique.map(function (s) { return loadShard(entry, s); })).then(function (loaded) {
          var terms = [];
          loaded.forEach(function (shard) {
            Object.keys(shard).forEach(function (term) {
              if (term.charAt(0) !== " " && matchesWildcard(term, clause) && terms.indexOf(term) < 0) {
                terms.push(term);
                posting(entry, shard, term);
              }
            });
          });
          return terms;
        });
      });
    }

    function filterDocs(entry, name) {
      return loadShard(entry, shardOf(entry, name)).then(function (shard) {
        return name in shard ? posting(entry, shard, name).docs : [];
      });
    }

    /* The occurrences of a clause's terms in document `key`: [{source, term, offset}]. */
    function occurrences(key, terms) {
      var found = [];
      terms.forEach(function (term) {
        var data = decoded[term];
        var at = findDoc(data, key);
        if (at < 0) { return; }
        for (var h = data.from[at]; h < data.from[at + 1]; h++) {
          for (var k = 0; k < data.tf[h]; k++) {
            found.push({ source: data.source[h], term: term, offset: data.offsets[data.start[h] + k] });
          }
        }
      });
      return found;
    }

    /* Does document `key` hold `word` (its terms at the right distances, in one text)? */
    function holdsWord(key, word, clauseTerms) {
      var needs = word.terms.filter(function (clause) { return clause.need !== "any"; });
      if (!needs.length || (needs.length === 1 && needs[0].wildcard === "none")) { return true; }
      var hits = needs.map(function (clause) { return occurrences(key, clauseTerms.get(clause)); });
      function origin(clause, occurrence) {
        if (clause.need === "endsAt") { return occurrence.offset + codePoints(occurrence.term) - clause.at; }
        return occurrence.offset - clause.at;
      }
      return hits[0].some(function (anchor) {
        var start = origin(needs[0], anchor);
        return needs.every(function (clause, i) {
          return hits[i].some(function (occurrence) {
            return occurrence.source === anchor.source && origin(clause, occurrence) === start &&
              (clause.need !== "exact" || occurrence.term === clause.term) &&
              (clause.need !== "startsAt" || occurrence.term.indexOf(clause.term) === 0) &&
              (clause.need !== "endsAt" || occurrence.term.lastIndexOf(clause.term) === occurrence.term.length - clause.term.length);
          });
        });
      });
    }

    /* lunr.js's BM25 (its idf, which counts a document once per field holding the term; its
       average field length, over every document), with b per field as the entry declares it,
       added up as lunr does: each matched term's weight times how many clauses matched it.
       tests/test_search_lunr.py holds the order to lunr.js's own on the same documents. */
    function rank(entry, keys, clauseTerms) {
      if (!keys.length) { return []; }
      var queryWeight = {};
      clauseTerms.forEach(function (terms) {
        terms.forEach(function (term) { queryWeight[term] = (queryWeight[term] || 0) + 1; });
      });
      var scores = new Float64Array(keys.length);
      Object.keys(queryWeight).forEach(function (term) {
        var data = decoded[term];
        /* A hit is a field of a document; a common term's count is in its shard, as its chunks
           may not all be loaded. */
        var inFields = common[term] ? common[term].summary.inFields : data.field.length;
        var idf = Math.log(1 + Math.abs((entry.documents - inFields + 0.5) / (inFields + 0.5)));
        var docs = data.docs.length;
        var j = lowerBound(data.docs, keys[0]);
        for (var i = 0; i < keys.length; i++) {
          while (j < docs && data.docs[j] < keys[i]) { j++; }
          if (j >= docs || data.docs[j] !== keys[i]) { continue; }
          for (var h = data.from[j]; h < data.from[j + 1]; h++) {
            var field = entry.fields[data.field[h]];
            var tf = data.tf[h];
            var norm = 1 - field.b + field.b * (data.length[h] / (entry.averageLength[data.field[h]] || 1));
            scores[i] += queryWeight[term] * Math.round(
              idf * ((entry.k1 + 1) * tf) / (entry.k1 * norm + tf) * field.boost * 1000) / 1000;
          }
        }
      });
      var order = keys.map(function (key, index) { return index; });
      order.sort(function (x, y) { return scores[y] - scores[x] || keys[x] - keys[y]; });
      return order.map(function (index) {
        var key = keys[index];
        return { key: key, block: Math.floor(key / BLOCK), local: key % BLOCK, score: scores[index] };
      });
    }

    /* state: {q, year, department, unit}. Resolves to what was found so far: {total, exact, done,
       hits: [{key, block, local, score}], words}, with at least a page of hits unless there are
       fewer; page() reads on (fill) as later pages need. `total` is exact when `exact` is true,
       else an estimate from the regions read so far. */
    function search(state) {
      var words = parse(state.q, tokenizer);
      var clauses = [].concat.apply([], words.map(function (word) { return word.terms; }));
      if (!clauses.length) { return Promise.resolve({ total: 0, exact: true, done: true, hits: [], words: words }); }
      return entryLoaded.then(function (entry) {
        var filters = [];
        if (state.year) { filters.push(" y" + state.year); }
        if (state.department) { filters.push(" d" + state.department); }
        if (state.unit) { filters.push(" u" + state.unit); }
        return Promise.all([
          Promise.all(clauses.map(function (clause) { return expand(entry, clause); })),
          Promise.all(filters.map(function (name) { return filterDocs(entry, name); }))
        ]).then(function (loaded) {
          var clauseTerms = new Map();
          clauses.forEach(function (clause, i) { clauseTerms.set(clause, loaded[0][i]); });
          var commonTerms = [];
          clauses.forEach(function (clause) {
            clauseTerms.get(clause).forEach(function (term) {
              if (common[term] && commonTerms.indexOf(term) < 0) { commonTerms.push(term); }
            });
          });
          /* What a document must be in whatever the chunks say: each filter, and each clause
             without a common term (all its postings are loaded). */
          var bounds = loaded[1].slice();
          clauses.forEach(function (clause) {
            var terms = clauseTerms.get(clause);
            if (!terms.some(function (term) { return common[term]; })) {
              bounds.push(union(terms.map(function (term) { return decoded[term].docs; }).concat([[]])));
            }
          });
          var found = { total: 0, exact: true, done: false, hits: [], words: words, entry: entry, clauses: clauses,
                        clauseTerms: clauseTerms, filters: loaded[1], bounds: bounds, common: commonTerms, frontier: -1 };
          return fill(found, PAGE);
        });
      });
    }

    /* Read regions until `found` has `needed` hits or every region is read. */
    function fill(found, needed) {
      if (found.done || found.hits.length >= needed) { return Promise.resolve(found); }
      return step(found).then(function () { return fill(found, needed); });
    }

    /* Read the next region of plans: from the frontier to where the first of the chunks it
       needs ends. The first step also takes the units (their postings are in the shards).
       Blocks no document of the bounds is in are stepped over, their chunks not loaded. */
    function step(found) {
      var entry = found.entry;
      var first = found.frontier < 0;
      var from = first ? 0 : found.frontier;
      var block = nextCandidate(found, from);
      var to = entry.planBlocks;
      var loads = [];
      if (block < entry.planBlocks) {
        found.common.forEach(function (term) {
          var chunk = chunkAt(entry, term, block);
          loads.push(loadChunk(entry, term, chunk.number));
          to = Math.min(to, chunk.end);
        });
      }
      return Promise.all(loads).then(function () {
        var keys = candidates(found, block * BLOCK, to * BLOCK);
        if (first) { keys = keys.concat(candidates(found, entry.planBlocks * BLOCK, Infinity)); }
        keys = keys.filter(function (key) {
          return found.words.every(function (word) { return holdsWord(key, word, found.clauseTerms); });
        });
        found.hits = found.hits.concat(rank(entry, keys, found.clauseTerms));
        found.frontier = to;
        found.done = to >= entry.planBlocks;
        count(found);
      });
    }

    /* The first plan block at or after `from` that every bound has a document in. */
    function nextCandidate(found, from) {
      var planBlocks = found.entry.planBlocks;
      var block = from;
      var moved = true;
      while (moved && block < planBlocks) {
        moved = false;
        found.bounds.forEach(function (list) {
          var at = lowerBound(list, block * BLOCK);
          var next = at < list.length ? Math.floor(list[at] / BLOCK) : planBlocks;
          if (next > block) { block = next; moved = true; }
        });
      }
      return Math.min(block, planBlocks);
    }

    /* Documents with keys in [low, high) that match every clause in some field, and every filter. */
    function candidates(found, low, high) {
      function within(list) { return list.slice(lowerBound(list, low), lowerBound(list, high)); }
      var perClause = found.clauses.map(function (clause) {
        return union(found.clauseTerms.get(clause).map(function (term) { return within(decoded[term].docs); }).concat([[]]));
      });
      return intersect(perClause.concat(found.filters.map(within)));
    }

    /* The total: exact once every region is read, or when the query is one common term alone
       (its count of documents is in its shard); else the hits so far scaled by how much of the
       narrowest list the regions read cover (a bound, or else the rarest common term). */
    function count(found) {
      var entry = found.entry;
      found.exact = found.done || !found.common.length;
      if (found.exact) { found.total = found.hits.length; return; }
      var lone = found.clauses.length === 1 && !found.filters.length && found.clauses[0].wildcard === "none" &&
        found.clauseTerms.get(found.clauses[0]).length === 1;
      if (lone) {
        found.total = common[found.common[0]].summary.documents;
        found.exact = true;
        return;
      }
      function read(list) { /* how many of a sorted list of keys the regions read so far cover */
        return lowerBound(list, found.frontier * BLOCK) + list.length - lowerBound(list, entry.planBlocks * BLOCK);
      }
      var whole;
      var seen;
      if (found.bounds.length) {
        var narrowest = found.bounds.reduce(function (x, y) { return y.length < x.length ? y : x; });
        whole = narrowest.length;
        seen = read(narrowest);
      } else {
        var rarest = found.common.reduce(function (x, y) {
          return common[y].summary.documents < common[x].summary.documents ? y : x;
        });
        var summary = common[rarest].summary;
        whole = summary.documents;
        /* Chunks stepped over were not loaded: their documents are counted from the shard. */
        seen = read(decoded[rarest].docs);
        summary.chunks.forEach(function (chunk, number) {
          var end = number + 1 < summary.chunks.length ? summary.chunks[number + 1][0] : entry.planBlocks;
          if (end <= found.frontier && !common[rarest].loaded[number]) { seen += chunk[1]; }
        });
      }
      found.total = seen ? Math.max(found.hits.length, Math.round(found.hits.length * whole / seen)) : found.hits.length;
    }

    /* What results `from` to `from + count` show, loaded from their fragments: every hit, none
       left out. A hit has passed the text check before it was counted (holdsWord: a document
       has a word's terms at the right distances in one text exactly when that text holds the
       word), so the total stated is the number of results the pages show (docs/search.md,
       "An honest count"). */
    function page(found, from, count) {
      var chosen;
      return fill(found, from + (count || PAGE)).then(function () {
        chosen = found.hits.slice(from, from + (count || PAGE));
        return entryLoaded;
      }).then(function (entry) {
        return Promise.all(chosen.map(function (hit) {
          return get("f", hit.block + "-" + Math.floor(hit.local / entry.fragmentSize)).then(function (fragment) {
            return describe(entry, fragment, hit);
          });
        }));
      }).then(function (items) {
        return { items: items };
      });
    }

    function describe(entry, fragment, hit) {
      var document = fragment.docs[hit.local % entry.fragmentSize];
      if (hit.block >= entry.planBlocks) {
        return { kind: "unit", key: hit.key, url: document.url, name: document.name, names: document.names,
                 leads: document.leads, supports: document.supports };
      }
      var plan = fragment.plan;
      if (hit.local === 0) {
        return { kind: "plan", key: hit.key, url: plan.url, title: plan.title, year: plan.year, issuer: plan.issuer,
                 units: document.units, text: document.text };
      }
      var headings = fragment.headings[document.h];
      return {
        kind: "measure", key: hit.key, url: plan.url + "#" + document.a, plan: plan,
        headings: headings, label: document.l, text: document.text, status: document.status || "",
        units: document.units, leads: document.leads
      };
    }

    /* The choices of the department ("departments") or unit ("units") filter; the years are in the entry. */
    function facets(name) { return get("facets", name); }

    function entry() { return entryLoaded; }

    /* Every hit of `found`, every region read (the tests and benchmarks count them without fragments). */
    function readAll(found) { return fill(found, Infinity); }

    return { search: search, page: page, readAll: readAll, facets: facets, entry: entry,
             parse: function (q) { return parse(q, tokenizer); } };
  }

  return { createSearch: createSearch, shardName: shardName, decodeNumbers: decodeNumbers, decodePosting: decodePosting,
           dataPath: dataPath, PAGE: PAGE };
}));
