// Query a built search index with real lunr.js, loading its files the way the browser does:
// every file is a script run in one global scope (a vm context standing in for `window`),
// and search.js's own loader is given a function that runs the requested file there.
//
// Usage: node tests/nodequery.js SEARCH_DIR '[{"q": "…", "column": "", "year": "", "page": 1}]' [--bench] [--full]
// Prints a JSON list, one object per query: {q, terms, total, page, pages, hits, files, bytes, bytes_gz,
// load_ms, query_ms}. Each query runs in a fresh context, as a first visit would.
// Library files are taken from SEARCH_DIR when present there (as in a built site), otherwise
// from the repository (node_modules/lunr, plugins/gongkai_core/tokenizer.js, theme/static/js/search.js).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..");  // the repository: tests/..
const [dir, queriesJson] = process.argv.slice(2);
const bench = process.argv.includes("--bench");
const full = process.argv.includes("--full"); // also query one lunr index of every shard, for comparison

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

// The plain way, for tests: one lunr index of every posting (every shard), queried with all
// terms required, then with any term. Returns [[ref, score], ...].
function fullIndexQuery(ctx, terms) {
  const shards = {};
  ctx.GongkaiSearch.addShard = (name, postings) => { shards[name] = postings; };
  for (const family of ["t", "u"]) {
    const folder = path.join(dir, family);
    for (const f of fs.readdirSync(folder)) vm.runInContext(fs.readFileSync(path.join(folder, f), "utf8"), ctx);
  }
  const fields = JSON.parse(fs.readFileSync(path.join(dir, "meta.js"), "utf8").replace(/^GongkaiSearch\.addMeta\(|\);\s*$/g, "")).fields;
  const inverted = {}, vectors = {};
  const all = [];
  for (const name of Object.keys(shards)) for (const term of Object.keys(shards[name])) all.push([term, shards[name][term]]);
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  all.forEach(([term, flat], idx) => {
    const entry = { _index: idx };
    fields.forEach((f) => { entry[f] = {}; });
    for (let i = 0; i < flat.length; i += 2 + 2 * flat[i + 1]) {
      const f = fields[flat[i]], count = flat[i + 1];
      let doc = 0;
      for (let k = 0; k < count; k++) {
        doc += flat[i + 2 + k];
        entry[f][doc] = {};
        (vectors[f + "/" + doc] = vectors[f + "/" + doc] || []).push(idx, flat[i + 2 + count + k] / 1000);
      }
    }
    inverted[term] = entry;
  });
  const L = ctx.lunr;
  const index = L.Index.load({
    version: L.version, fields, pipeline: [],
    fieldVectors: Object.keys(vectors).map((r) => [r, vectors[r]]),
    invertedIndex: Object.keys(inverted).sort().map((t) => [t, inverted[t]]),
  });
  const run = (presence) => index.query((q) => terms.forEach((t) => q.term(t, { presence, usePipeline: false })));
  const first = run(L.Query.presence.REQUIRED);
  const seen = new Set(first.map((r) => r.ref));
  const rest = terms.length > 1 ? run(L.Query.presence.OPTIONAL).filter((r) => !seen.has(r.ref)) : [];
  return first.concat(rest).map((r) => [Number(r.ref), r.score]);
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
  if (full) result.full = fullIndexQuery(ctx, result.terms);
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
