// Query a built search index with real lunr.js, loading its files the way the browser does:
// every file is a script run in one global scope (a vm context standing in for `window`),
// and search.js's own loader is given a function that runs the requested file there.
//
// Usage: node plugins/gongkai_search/nodequery.js SEARCH_DIR '[{"q": "…", "column": "", "year": "", "page": 1}]' [--bench]
// Prints a JSON list, one object per query: {q, terms, total, page, pages, hits, files, bytes, bytes_gz,
// load_ms, query_ms}. Each query runs in a fresh context, as a first visit would.
// Library files are taken from SEARCH_DIR when present there (as in a built site), otherwise
// from the repository (node_modules/lunr, plugins/gongkai_core/tokenizer.js, theme/static/js/search.js).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..", "..");  // the repository: plugins/gongkai_search/..
const [dir, queriesJson, flag] = process.argv.slice(2);
const bench = flag === "--bench";

function lib(name, fallback) {
  const local = path.join(dir, name);
  return fs.existsSync(local) ? local : path.join(ROOT, fallback);
}
const LIBS = [
  lib("lunr.min.js", "node_modules/lunr/lunr.min.js"),
  lib("tokenizer.js", "plugins/gongkai_core/tokenizer.js"),
  path.join(dir, "t2s.js"),
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
  const hits = result.hits.map((h) => Object.assign({}, h, { marks: ctx.GongkaiSearch.markRanges(h.title, result.terms) }));
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
