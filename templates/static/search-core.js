/* Search logic without the page: load the index, run a query, keep only true hits, apply filters.
   Used by search.js in the browser and by the tests in Node, so both exercise the same code. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.zwgkSearchCore = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function createSearch(serialized, data, lunr, tokenizer) {
    var normalize = tokenizer.normalize;
    /* The build leaves out empty postings to save bytes; lunr.js expects every field present. */
    serialized.invertedIndex.forEach(function (entry) {
      serialized.fields.forEach(function (field) {
        if (!entry[1][field]) { entry[1][field] = {}; }
      });
    });
    var index = lunr.Index.load(serialized);
    var WILDCARDS = {
      none: lunr.Query.wildcard.NONE,
      leading: lunr.Query.wildcard.LEADING,
      trailing: lunr.Query.wildcard.TRAILING,
      both: lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING
    };
    var normalizedText = {};

    function item(ref) {
      return data[{ m: "measures", p: "plans", u: "units" }[ref.charAt(0)]][Number(ref.slice(1))];
    }

    /* The text a hit must contain: the same fields the index was built from. */
    function searchableText(ref) {
      var found = item(ref);
      var kind = ref.charAt(0);
      if (kind === "m") { return [found.text, found.status, found.units, found.context].join("\n"); }
      if (kind === "p") { return found.searchText; }
      return found.names;
    }

    function passesFilters(ref, state) {
      var kind = ref.charAt(0);
      var found = item(ref);
      if (kind === "m") {
        var plan = data.plans[found.plan];
        return (!state.year || String(plan.year) === state.year) &&
          (!state.department || found.departments.indexOf(state.department) >= 0) &&
          (!state.unit || found.unitIds.indexOf(state.unit) >= 0);
      }
      if (kind === "p") {
        return !state.unit && (!state.year || String(found.year) === state.year) &&
          (!state.department || found.department === state.department);
      }
      return !state.year && (!state.department || found.department === state.department) &&
        (!state.unit || found.id === state.unit);
    }

    function parts(query) {
      return normalize(query).split(/\s+/).filter(Boolean);
    }

    /* Every query term is required; the tokenizer says which terms may match inside longer ones. */
    function search(state) {
      var terms = tokenizer.queryTerms(state.q || "");
      if (!terms.length) { return []; }
      var wanted = parts(state.q);
      var hits = index.query(function (query) {
        terms.forEach(function (term) {
          query.term(term.term, {
            presence: lunr.Query.presence.REQUIRED,
            usePipeline: false,
            wildcard: WILDCARDS[term.wildcard]
          });
        });
      });
      return hits.filter(function (hit) {
        if (!(hit.ref in normalizedText)) { normalizedText[hit.ref] = normalize(searchableText(hit.ref)); }
        var text = normalizedText[hit.ref];
        return wanted.every(function (part) { return text.indexOf(part) >= 0; }) && passesFilters(hit.ref, state);
      });
    }

    return { search: search, item: item, parts: parts };
  }

  return { createSearch: createSearch };
}));
