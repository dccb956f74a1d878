/* Test harness: runs the site's own tokenizer and search code in Node with the real lunr.js.
   Reads one JSON request on stdin, writes one JSON answer on stdout.
     {"mode": "tokenize", "texts": [...]}                       -> [[tokens], ...]
     {"mode": "search", "assets": DIR, "queries": [{q, year, department, unit}, ...]}
                                                                 -> [[refs], ...] */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(root, "node_modules", "lunr", "lunr.js"));

function loadWindowScript(file) {
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  return sandbox.window;
}

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const assets = request.assets || path.join(root, "templates", "static");
const tokenizer = require(path.join(assets, "tokenize.js"));
let answer;
if (request.mode === "tokenize") {
  answer = request.texts.map((text) => tokenizer.tokenize(text));
} else if (request.mode === "search") {
  const core = require(path.join(assets, "search-core.js"));
  const index = loadWindowScript(path.join(assets, "search-index.js")).ZWGK_SEARCH_INDEX;
  const docs = loadWindowScript(path.join(assets, "search-docs.js")).ZWGK_SEARCH_DOCS;
  const engine = core.createSearch(index, docs, lunr, tokenizer);
  answer = request.queries.map((state) => {
    const started = process.hrtime.bigint();
    const refs = engine.search(state).map((hit) => hit.ref);
    return { refs, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  });
} else if (request.mode === "load-raw") {
  /* Load an index exactly as given, to show what lunr.js accepts. */
  const data = JSON.parse(fs.readFileSync(request.file, "utf8"));
  try {
    lunr.Index.load(data);
    answer = { ok: true };
  } catch (error) {
    answer = { ok: false, error: String(error && error.message || error) };
  }
}
process.stdout.write(JSON.stringify(answer));
