/* Test harness: runs the site's own tokenizer and search code in Node on the files a build
   wrote. Reads one JSON request on stdin, writes one JSON answer on stdout.
     {"mode": "tokenize", "texts": [...]}                  -> [[tokens], ...]
     {"mode": "words", "texts": [...]}                     -> [[words], ...] (what a query searches)
     {"mode": "search", "site": OUTPUT_DIR, "queries": [{q, year, department, unit}, ...],
      "fresh": bool, "pages": N}
        -> [{total, stated, estimated, urls, kinds, files, ms}, ...]: every result's address
           (the first N pages of 20 only, if "pages" is given), the total once those pages are
           shown, the total the first page stated and whether it was an estimate, the files the
           query loaded (with "fresh", each query starts with nothing loaded, as a new visitor
           would), and the time the query took to its first page.
       With "keys": after the first page, every hit's [block, local] instead of urls (no fragments).
       With "scores": also every hit's score, in the order of the hits.
     {"mode": "decode", "fields": [...], "postings": {term: posting}}
        -> {term: [[block, local, field, tf, length, source, offsets], ...]}: each posting as
           search-core.js decodes it (a hit per field of a document), with the entry's fields.
     {"mode": "lunr", ...}: see lunr-oracle.js. */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "..", "..");

const request = JSON.parse(fs.readFileSync(0, "utf8"));

function loader(site, log) {
  const data = path.join(site, "assets", "search");
  return function load(kind, name, file) {
    log.push(file);
    let received;
    const sandbox = { zwgkSearch: { receive: (k, n, value) => { received = value; } } };
    vm.runInNewContext(fs.readFileSync(path.join(data, file), "utf8"), sandbox, { filename: file });
    return Promise.resolve(received);
  };
}

async function main() {
  if (request.mode === "tokenize" || request.mode === "words") {
    const tokenizer = require(path.join(root, "templates", "static", "tokenize.js"));
    return request.texts.map((text) => tokenizer[request.mode === "words" ? "words" : "tokenize"](text));
  }
  if (request.mode === "decode") {
    const core = require(path.join(root, "templates", "static", "search-core.js"));
    return decode(core, request.fields, request.postings);
  }
  if (request.mode === "lunr") {
    return require("./lunr-oracle.js")(request);
  }
  const assets = path.join(request.site, "assets");
  const tokenizer = require(path.join(assets, "tokenize.js"));
  const core = require(path.join(assets, "search-core.js"));
  let log = [];
  let engine = core.createSearch({ load: loader(request.site, log), tokenizer });
  const answers = [];
  for (const state of request.queries) {
    if (request.fresh) {
      log = [];
      engine = core.createSearch({ load: loader(request.site, log), tokenizer });
    }
    const started = process.hrtime.bigint();
    const found = await engine.search(state);
    const stated = found.total;
    const estimated = !found.exact;
    const urls = [];
    const kinds = [];
    const limit = request.pages ? request.pages * core.PAGE : Infinity;
    let ms = 0;
    if (request.keys) {
      await engine.page(found, 0);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const firstFiles = log.slice();
      await engine.readAll(found);
      const answer = { total: found.total, stated, estimated, keys: found.hits.map((hit) => [hit.block, hit.local]),
                       files: firstFiles, ms };
      if (request.scores) { answer.scores = found.hits.map((hit) => hit.score); }
      answers.push(answer);
      log.length = 0;
      continue;
    }
    for (let from = 0; from < limit; from += core.PAGE) {
      const page = await engine.page(found, from);
      if (from === 0) { ms = Number(process.hrtime.bigint() - started) / 1e6; }
      page.items.forEach((item) => { urls.push(item.url); kinds.push(item.kind); });
      if (found.done && from + core.PAGE >= found.hits.length) { break; }
    }
    answers.push({ total: found.total, stated, estimated, urls, kinds, files: log.slice(), ms });
    log.length = 0;
  }
  return answers;
}

function decode(core, fields, postings) {
  const BLOCK = 1048576;
  const answer = {};
  for (const [term, text] of Object.entries(postings)) {
    const data = core.decodePosting(fields, term, text);
    const hits = [];
    data.docs.forEach((key, d) => {
      for (let h = data.from[d]; h < data.from[d + 1]; h++) {
        hits.push([Math.floor(key / BLOCK), key % BLOCK, data.field[h], data.tf[h], data.length[h], data.source[h],
                   data.offsets.slice(data.start[h], data.start[h] + data.tf[h])]);
      }
    });
    answer[term] = hits;
  }
  return answer;
}

main().then((answer) => process.stdout.write(JSON.stringify(answer)), (error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
