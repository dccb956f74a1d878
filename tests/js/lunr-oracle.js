/* lunr.js 2.3.9 (the npm package, a test dependency) ranking the documents our index holds, as
   the oracle of search-core.js's ranking (tests/test_search_lunr.py).

   Request: {"mode": "lunr", "fields": [{name, boost, b}], "k1": 1.2,
             "documents": [{"ref": "…", "tokens": {field: [token, …]}, "lengths": {field: code}}],
             "queries": ["…"], "keep": [[ref, …] per query]}
   Each document's fields are given as our tokenizer's tokens, so lunr's terms are ours: its
   own tokenizer, stemmer and stop words are not used. "lengths" (optional) are the field
   lengths as our postings store them, round(3·log2(tokens + 1)); lunr is told them in place
   of its own count. lunr has one b for all fields; each field's vectors are made with its own b
   (build, below): every number is still lunr's own. A query is parsed into clauses by search-core.js (the same terms, wildcards and
   requirements) and run as required lunr clauses; lunr cannot check positions, so only the
   refs of `keep` (the documents whose text holds the query's words) are answered.
   Answer: [[[ref, score], …] best first, per query]. */
"use strict";
const path = require("path");
const lunr = require("lunr");

const root = path.resolve(__dirname, "..", "..");

/* lunr.Builder.build() is calculateAverageFieldLengths, createFieldVectors, createTokenSet and
   a new lunr.Index of the result: here the field vectors are made once per b, and each field
   takes its vectors from the run with its own b. */
function build(request) {
  const builder = new lunr.Builder();
  builder.ref("ref");
  builder.tokenizer = (tokens) => (tokens || []).map((token) => new lunr.Token(token, {}));
  request.fields.forEach((field) => builder.field(field.name, { boost: field.boost }));
  builder.k1(request.k1);
  request.documents.forEach((document) => builder.add({ ref: document.ref, ...document.tokens }));
  request.documents.forEach((document) => {
    Object.entries(document.lengths || {}).forEach(([name, code]) => {
      builder.fieldLengths[new lunr.FieldRef(document.ref, name)] = Math.pow(2, code / 3) - 1;
    });
  });
  builder.calculateAverageFieldLengths();
  const vectors = {};
  new Set(request.fields.map((field) => field.b)).forEach((b) => {
    builder.b(b);
    builder.createFieldVectors();
    Object.entries(builder.fieldVectors).forEach(([fieldRef, vector]) => {
      const name = lunr.FieldRef.fromString(fieldRef).fieldName;
      if (request.fields.find((field) => field.name === name).b === b) { vectors[fieldRef] = vector; }
    });
  });
  builder.createTokenSet();
  return new lunr.Index({ invertedIndex: builder.invertedIndex, fieldVectors: vectors, tokenSet: builder.tokenSet,
                          fields: Object.keys(builder._fields), pipeline: builder.searchPipeline });
}

module.exports = function oracle(request) {
  const index = build(request);
  const tokenizer = require(path.join(root, "templates", "static", "tokenize.js"));
  const core = require(path.join(root, "templates", "static", "search-core.js"));
  const parser = core.createSearch({ load: () => Promise.resolve({}), tokenizer });
  const wildcards = { none: lunr.Query.wildcard.NONE, leading: lunr.Query.wildcard.LEADING,
                      trailing: lunr.Query.wildcard.TRAILING,
                      both: lunr.Query.wildcard.LEADING | lunr.Query.wildcard.TRAILING };
  return request.queries.map((q, number) => {
    const clauses = [].concat(...parser.parse(q).map((word) => word.terms));
    const keep = new Set(request.keep[number]);
    const results = index.query((query) => {
      clauses.forEach((clause) => query.term(clause.term, {
        presence: lunr.Query.presence.REQUIRED, wildcard: wildcards[clause.wildcard], usePipeline: false
      }));
    });
    return results.filter((result) => keep.has(result.ref)).map((result) => [result.ref, result.score]);
  });
};
