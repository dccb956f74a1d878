/* Search logic without the page, used by search.js in the browser and by the tests in Node.

   The index is split into files (see generator/search.py and docs/search.md); this file does
   what lunr.js cannot: it works out which files a query needs (routing), loads them, decodes
   the postings, intersects the terms across shards, applies the filters, and checks positions,
   so a document counts only if it really holds each typed word. lunr.js then ranks what is
   left: core builds a small lunr index of just those documents and the query's terms and runs
   the same query on it. What a result shows comes from fragments, loaded a page at a time.

   createSearch({load, lunr, tokenizer}): `load(kind, name)` returns a promise of one data file:
   kind "index" (the entry), "t" (a shard), "l" (a lexicon), "f" (a fragment), "facets". */
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
  var DIGIT_VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) { DIGIT_VALUE[ALPHABET.charCodeAt(a)] = a; }
  var BLOCK = 1048576; /* a document's key: block * BLOCK + local */
  var CONTEXT = 4; /* the field whose entries stand for a heading over several measures */
  var PAGE = 20;

  /* The varint code of generator/postings.py: base 32, lowest digit first, upper half = more. */
  function decodeNumbers(text) {
    var numbers = [];
    var value = 0;
    var shift = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUE[text.charCodeAt(i)];
      value += (digit & 31) * Math.pow(2, shift);
      if (digit & 32) {
        shift += 5;
      } else {
        numbers.push(value);
        value = 0;
        shift = 0;
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

  function codePoints(text) { return Array.from(text).length; }

  /* One term's posting, decoded: for each document, the hits of the term in it. A context entry
     (a heading) becomes a hit in every measure it covers; its `source` names the heading, so
     positions are compared only within one text. */
  function decodePosting(term, text) {
    var numbers = decodeNumbers(text);
    var filter = term.charAt(0) === " ";
    var docs = new Map();
    var i = 0;
    var block = 0;
    function hit(key, found) {
      var list = docs.get(key);
      if (!list) { docs.set(key, list = []); }
      list.push(found);
    }
    while (i < numbers.length) {
      block += numbers[i];
      var entries = numbers[i + 1];
      i += 2;
      var local = 0;
      for (var e = 0; e < entries; e++) {
        local = e === 0 ? numbers[i] : local + numbers[i];
        i += 1;
        if (filter) {
          hit(block * BLOCK + local, null);
          continue;
        }
        var field = numbers[i] & 7;
        var tf = Math.floor(numbers[i] / 8) + 1;
        var length = Math.pow(2, numbers[i + 1] / 3) - 1;
        i += 2;
        var first = 0;
        var count = 0;
        if (field === CONTEXT) {
          first = numbers[i];
          count = numbers[i + 1];
          i += 2;
        }
        var offsets = [];
        var offset = 0;
        for (var k = 0; k < tf; k++) {
          offset = k === 0 ? numbers[i] : offset + numbers[i];
          offsets.push(offset);
          i += 1;
        }
        var found = { term: term, field: field, tf: tf, length: length, offsets: offsets,
                      source: field + ":" + local };
        if (field === CONTEXT) {
          for (var m = first; m < first + count; m++) { hit(block * BLOCK + m, found); }
        } else {
          hit(block * BLOCK + local, found);
        }
      }
    }
    return docs;
  }

  /* The query's words, each with its terms (lunr clauses) and what their positions must be.
     A word is a run of non-space characters; its CJK runs become bigrams that must stand side by
     side, a lone CJK character may sit inside a bigram, and a digit or letter run at the start
     (end) of the word may be the end (start) of a longer run in the text. */
  function parse(query, tokenizer) {
    var words = [];
    tokenizer.normalize(query || "").split(/\s+/).forEach(function (word) {
      if (!word) { return; }
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
      words.push({ text: word, terms: terms });
    });
    return words;
  }

  function matchesWildcard(term, clause) {
    if (clause.wildcard === "none") { return term === clause.term; }
    if (clause.wildcard === "trailing") { return term.indexOf(clause.term) === 0; }
    if (clause.wildcard === "leading") {
      return term.length >= clause.term.length && term.lastIndexOf(clause.term) === term.length - clause.term.length;
    }
    return term.indexOf(clause.term) >= 0;
  }

  function createSearch(options) {
    var load = options.load;
    var lunr = options.lunr;
    var tokenizer = options.tokenizer;
    var files = {};
    var decoded = {};

    function get(kind, name) {
      var key = kind + "/" + name;
      if (!files[key]) { files[key] = Promise.resolve(load(kind, name)); }
      return files[key];
    }

    var entryLoaded = get("index", "index");

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

    /* Every term of the index a clause matches, with its posting loaded. */
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
                if (!decoded[term]) { decoded[term] = decodePosting(term, shard[term]); }
              }
            });
          });
          return terms;
        });
      });
    }

    function filterDocs(entry, name) {
      return loadShard(entry, shardOf(entry, name)).then(function (shard) {
        if (!(name in shard)) { return new Map(); }
        if (!decoded[name]) { decoded[name] = decodePosting(name, shard[name]); }
        return decoded[name];
      });
    }

    /* Does document `key` hold `word` (its terms at the right distances, in one text)? */
    function holdsWord(key, word, clauseTerms) {
      var needs = word.terms.filter(function (clause) { return clause.need !== "any"; });
      if (!needs.length || (needs.length === 1 && needs[0].wildcard === "none")) { return true; }
      /* hits[i]: the occurrences of clause i's terms in this document: [{source, term, offset}] */
      var hits = needs.map(function (clause) {
        var found = [];
        clauseTerms.get(clause).forEach(function (term) {
          (decoded[term].get(key) || []).forEach(function (hit) {
            hit.offsets.forEach(function (offset) { found.push({ source: hit.source, term: term, offset: offset }); });
          });
        });
        return found;
      });
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

    /* BM25 as lunr scores, from the statistics the entry gives (b per field, see search.py). */
    function weight(entry, hit, documents) {
      var idf = Math.log(1 + Math.abs((entry.documents - documents + 0.5) / (documents + 0.5)));
      var average = entry.averageLength[hit.field] || 1;
      var b = entry.b[hit.field];
      var score = idf * ((entry.k1 + 1) * hit.tf) /
        (entry.k1 * (1 - b + b * hit.length / average) + hit.tf) * entry.boosts[hit.field];
      return Math.round(score * 1000) / 1000;
    }

    /* Rank the documents with lunr.js: an index of just these documents and the matched terms. */
    function rank(entry, words, keys, matchedTerms) {
      var terms = matchedTerms.slice().sort();
      var invertedIndex = [];
      var vectors = new Map();
      terms.forEach(function (term, index) {
        var posting = { _index: index };
        entry.fields.forEach(function (field) { posting[field] = {}; });
        var postingDocs = decoded[term];
        keys.forEach(function (key) {
          var found = postingDocs.get(key);
          if (!found) { return; }
          var ref = String(key);
          var byField = {};
          found.forEach(function (hit) {
            byField[hit.field] = (byField[hit.field] || 0) + weight(entry, hit, postingDocs.size);
          });
          Object.keys(byField).forEach(function (field) {
            var name = entry.fields[field];
            posting[name][ref] = {};
            var vectorKey = name + "/" + ref;
            if (!vectors.has(vectorKey)) { vectors.set(vectorKey, []); }
            vectors.get(vectorKey).push(index, byField[field]);
          });
        });
        invertedIndex.push([term, posting]);
      });
      var index = lunr.Index.load({
        version: lunr.version, fields: entry.fields, pipeline: [],
        fieldVectors: Array.from(vectors.entries()), invertedIndex: invertedIndex
      });
      var wildcards = {
        none: lunr.Query.wildcard.NONE,
        leading: lunr.Query.wildcard.LEADING,
        trailing: lunr.Query.wildcard.TRAILING,
        both: lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING
      };
      return index.query(function (query) {
        words.forEach(function (word) {
          word.terms.forEach(function (clause) {
            query.term(clause.term, { presence: lunr.Query.presence.REQUIRED, usePipeline: false,
                                      wildcard: wildcards[clause.wildcard] });
          });
        });
      });
    }

    /* state: {q, year, department, unit}. Resolves to {total, hits: [{key, block, local, score}]}. */
    function search(state) {
      var words = parse(state.q, tokenizer);
      var clauses = [].concat.apply([], words.map(function (word) { return word.terms; }));
      if (!clauses.length) { return Promise.resolve({ total: 0, hits: [], words: words }); }
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
          /* Documents that match every clause in some field: start from the rarest clause. */
          var perClause = clauses.map(function (clause) {
            var docs = new Set();
            clauseTerms.get(clause).forEach(function (term) {
              decoded[term].forEach(function (hits, key) { docs.add(key); });
            });
            return docs;
          });
          var sets = perClause.concat(loaded[1]).sort(function (x, y) { return x.size - y.size; });
          var keys = [];
          sets[0].forEach(function (value, key) {
            if (sets.every(function (set) { return set.has(key); })) { keys.push(key); }
          });
          keys = keys.filter(function (key) {
            return words.every(function (word) { return holdsWord(key, word, clauseTerms); });
          });
          if (!keys.length) { return { total: 0, hits: [], words: words }; }
          var matched = [];
          clauseTerms.forEach(function (terms) {
            terms.forEach(function (term) { if (matched.indexOf(term) < 0) { matched.push(term); } });
          });
          var ranked = rank(entry, words, keys, matched);
          var hits = ranked.map(function (result) {
            var key = Number(result.ref);
            return { key: key, block: Math.floor(key / BLOCK), local: key % BLOCK, score: result.score };
          });
          return { total: hits.length, hits: hits, words: words };
        });
      });
    }

    /* What results `from` to `from + count` show, loaded from their fragments. A result whose
       text, on this last look, does not hold every typed word is left out (`dropped`). */
    function page(found, from, count) {
      var chosen = found.hits.slice(from, from + (count || PAGE));
      return entryLoaded.then(function (entry) {
        return Promise.all(chosen.map(function (hit) {
          return get("f", hit.block + "-" + Math.floor(hit.local / entry.fragmentSize)).then(function (fragment) {
            return describe(entry, fragment, hit);
          });
        }));
      }).then(function (items) {
        var wanted = found.words.map(function (word) { return word.text; });
        var shown = items.filter(function (item) {
          var text = tokenizer.normalize(item.searchText);
          return wanted.every(function (word) { return text.indexOf(word) >= 0; });
        });
        return { items: shown, dropped: items.length - shown.length };
      });
    }

    function describe(entry, fragment, hit) {
      var document = fragment.docs[hit.local % entry.fragmentSize];
      if (hit.block >= entry.planBlocks) {
        return { kind: "unit", key: hit.key, url: document.url, name: document.name, names: document.names,
                 leads: document.leads, supports: document.supports, searchText: document.names };
      }
      var plan = fragment.plan;
      if (hit.local === 0) {
        return { kind: "plan", key: hit.key, url: plan.url, title: plan.title, year: plan.year, issuer: plan.issuer,
                 units: document.units, text: document.text,
                 searchText: [plan.title, document.units, document.text].join("\n") };
      }
      var headings = fragment.headings[document.h];
      var context = [plan.title].concat(headings.filter(Boolean)).join("\n");
      return {
        kind: "measure", key: hit.key, url: plan.url + "#" + document.a, plan: plan,
        headings: headings, label: document.l, text: document.text, status: document.status || "",
        units: document.units, leads: document.leads,
        searchText: [document.text, document.status || "", document.units, context].join("\n")
      };
    }

    function facets() { return get("facets", "facets"); }

    return { search: search, page: page, facets: facets, parse: function (q) { return parse(q, tokenizer); } };
  }

  return { createSearch: createSearch, shardName: shardName, decodeNumbers: decodeNumbers, PAGE: PAGE };
}));
