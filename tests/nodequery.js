// Query a built search index with the real search.js and tokenizer.js, loading its files the way the
// browser does: every file is a script run in one global scope (a vm context standing in for
// `window`), and search.js's own loader is given a function that runs the requested file there.
//
// Usage: node tests/nodequery.js SEARCH_DIR '[{"q": "…", "column": "", "year": "", "page": 1}]' [--bench] [--full]
// Prints a JSON list, one object per query: {q, words, terms, total, exact, page, pages, hits, suggestions,
// files, loaded, bytes, bytes_gz, load_ms, query_ms}; each hit has `snippet` (what the page shows) and
// the marked ranges of its title and snippet. Each query runs in a fresh context, as a first visit would.
// --full adds `full`: every document whose text holds the query, found by reading every text file
// (x/*.js) with the tokenizer's matcher: the reference a sharded search must equal.
// Library files are taken from SEARCH_DIR when present there (as in a built site), otherwise
// from the repository (plugins/gongkai_core/tokenizer.js, theme/static/js/search.js).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..");  // the repository: tests/..
const [dir, queriesJson] = process.argv.slice(2);
const bench = process.argv.includes("--bench");
const full = process.argv.includes("--full");

function lib(name, fallback) {
  const local = path.join(dir, name);
  return fs.existsSync(local) ? local : path.join(ROOT, fallback);
}
const LIBS = [
  lib("tokenizer.js", "plugins/gongkai_core/tokenizer.js"),
  fs.existsSync(path.join(dir, "..", "theme", "js", "search.js"))
    ? path.join(dir, "..", "theme", "js", "search.js")
    : path.join(ROOT, "theme/static/js/search.js"),
];

function freshContext(record) {
  const sandbox = { console };
  sandbox.self = sandbox;
  const ctx = vm.createContext(sandbox);
  const run = (file) => {
    const code = fs.readFileSync(file);
    record(file, code);
    vm.runInContext(code.toString("utf8"), ctx, { filename: file });
  };
  LIBS.forEach(run);
  ctx.GongkaiSearch.configure({
    base: dir + path.sep,
    load: (url, done) => {
      if (!fs.existsSync(url)) return done(new Error("missing " + url));
      run(url);
      done(null);
    },
  });
  return ctx;
}

function once(ctx, params) {
  let out;
  ctx.GongkaiSearch.search(params, (err, result) => {
    if (err) throw err;
    out = result;
  });
  return out; // the loader above is synchronous, so the callback has run
}

// The plain way, for tests: read every document's texts and keep those holding every word.
function fullScan(ctx, words) {
  const docs = {};
  ctx.GongkaiSearch.addDoc = (n, row) => { docs[n] = row; };
  const folder = path.join(dir, "x");
  for (const f of fs.readdirSync(folder)) vm.runInContext(fs.readFileSync(path.join(folder, f), "utf8"), ctx);
  const tok = ctx.GongkaiTokenizer;
  for (const f of fs.readdirSync(path.join(dir, "f"))) vm.runInContext(fs.readFileSync(path.join(dir, "f", f), "utf8"), ctx);
  return Object.keys(docs).map(Number).filter((n) => words.length && tok.matches(words, docs[n][4].map((p) => p[1])))
    .sort((a, b) => a - b);
}

const results = JSON.parse(queriesJson).map((params) => {
  const files = [];
  const t0 = process.hrtime.bigint();
  const ctx = freshContext((file, code) => files.push([file, code]));
  const result = once(ctx, params);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let queryMs = null;
  if (bench) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      once(ctx, params);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    queryMs = times.sort((a, b) => a - b)[2];
  }
  if (full) result.full = fullScan(freshContext(() => {}), result.words);
  const S = ctx.GongkaiSearch;
  const hits = result.hits.map((h) => {
    const snippet = S.snippetOf(h.text, result.words);
    const out = Object.assign({}, h, {
      snippet, marks: S.markRanges(h.title, result.words), snippet_marks: S.markRanges(snippet, result.words),
    });
    delete out.text;
    return out;
  });
  return Object.assign({}, params, result, {
    hits,
    files: files.length,
    loaded: files.map(([f]) => path.relative(dir, f)),
    bytes: files.reduce((n, [, c]) => n + c.length, 0),
    bytes_gz: files.reduce((n, [, c]) => n + zlib.gzipSync(c, { level: 9 }).length, 0),
    load_ms: loadMs,
    query_ms: queryMs,
  });
});
process.stdout.write(JSON.stringify(results));
