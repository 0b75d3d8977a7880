/*
 * Gongkai search page: reads ?q=&column=&year=&page= from the address, loads the index
 * shards the query needs as <script> files (works from file://, no fetch, no eval), queries
 * them with lunr.js and renders the results into #search-results.
 *
 * Needs, loaded before it: lunr.min.js, tokenizer.js (GongkaiTokenizer) and t2s.js, all
 * copied into the output's search/ folder at build time. The index format is described in
 * plugins/gongkai_core/search_index.py. The search core (GongkaiSearch.search) has no DOM
 * dependency, so tests run it under node with the same shard files.
 */
(function (root) {
  "use strict";

  var PAGE_SIZE = 10;
  var state = {
    base: "search/",
    load: null,
    meta: null,
    loaded: Object.create(null), // file path -> true once its script ran
    pending: Object.create(null), // file path -> [callbacks]
    shards: Object.create(null), // shard name -> {term: flat postings}, as loaded
    postings: Object.create(null), // term -> {field: {doc: weight}}, decoded on first use
    docs: Object.create(null) // doc number -> row
  };

  // ---- loading ---------------------------------------------------------------------------

  function scriptLoader(url, done) {
    var doc = root.document;
    var el = doc.createElement("script");
    el.src = url;
    el.async = false;
    el.onload = function () { done(null); };
    el.onerror = function () { done(new Error(url)); };
    doc.head.appendChild(el);
  }

  function loadFile(path, done) {
    if (state.loaded[path]) { done(null); return; }
    if (state.pending[path]) { state.pending[path].push(done); return; }
    state.pending[path] = [done];
    (state.load || scriptLoader)(state.base + path, function (err) {
      var waiters = state.pending[path];
      delete state.pending[path];
      if (!err) { state.loaded[path] = true; }
      waiters.forEach(function (w) { w(err); });
    });
  }

  function loadAll(paths, done) {
    var left = paths.length, failed = null;
    if (!left) { done(null); return; }
    paths.forEach(function (p) {
      loadFile(p, function (err) {
        failed = failed || err;
        left -= 1;
        if (!left) { done(failed); }
      });
    });
  }

  // ---- registration (called by the index files) -------------------------------------------

  function addMeta(meta) {
    state.meta = meta;
  }

  function addShard(name, postings) {
    state.shards[name] = postings;
  }

  function addDocs(n, rows) {
    var size = state.meta ? state.meta.docShard : rows.length;
    rows.forEach(function (row, i) { state.docs[n * size + i] = row; });
  }

  /* The postings of a term from its (loaded) shard: {field: {doc: weight × 1000}}, or null. */
  function postingsOf(term) {
    if (term in state.postings) { return state.postings[term]; }
    var flat = state.shards[shardName(term)][term], out = null;
    if (flat) {
      out = {};
      for (var i = 0; i < flat.length; i += 2 + 2 * flat[i + 1]) {
        var field = {}, count = flat[i + 1], doc = 0;
        for (var k = 0; k < count; k++) {
          doc += flat[i + 2 + k];
          field[doc] = flat[i + 2 + count + k];
        }
        out[state.meta.fields[flat[i]]] = field;
      }
    }
    state.postings[term] = out;
    return out;
  }

  /*
   * A lunr index holding the query's terms for the candidate documents only. lunr scores a
   * document by the query terms' weights in its field vectors, so this scores exactly as the
   * whole index would, while lunr only walks the documents that can match.
   */
  function lunrIndexFor(terms, candidates) {
    var fields = state.meta.fields, inverted = [], vectors = Object.create(null);
    terms.forEach(function (term, idx) {
      var p = postingsOf(term), entry = { _index: idx };
      if (!p) { return; } // as in the whole index: a term no entry holds is not in it
      fields.forEach(function (f) {
        entry[f] = {};
        var weights = (p && p[f]) || {};
        Object.keys(weights).forEach(function (doc) {
          if (!candidates[doc]) { return; }
          entry[f][doc] = {};
          var ref = f + "/" + doc;
          (vectors[ref] || (vectors[ref] = [])).push(idx, weights[doc] / 1000);
        });
      });
      inverted.push([term, entry]);
    });
    inverted.sort(function (x, y) { return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0; });
    return root.lunr.Index.load({
      version: root.lunr.version,
      fields: fields,
      fieldVectors: Object.keys(vectors).map(function (ref) { return [ref, vectors[ref]]; }),
      invertedIndex: inverted,
      pipeline: []
    });
  }

  // ---- querying ---------------------------------------------------------------------------

  function shardName(term) {
    var tok = root.GongkaiTokenizer;
    var family = tok.isUnigram(term) ? "u" : "t";
    return family + tok.shardOf(term, state.meta.shards[family]);
  }

  function shardPath(term) {
    var name = shardName(term);
    return name.charAt(0) + "/" + name.slice(1) + ".js";
  }

  function runLunr(terms, candidates, presence) {
    if (!Object.keys(candidates).length) { return []; }
    return lunrIndexFor(terms, candidates).query(function (q) {
      terms.forEach(function (term) {
        q.term(term, { presence: presence, usePipeline: false });
      });
    });
  }

  /*
   * The `needed` best of `docs` by summed weight (integers: exact), with every document tied
   * with the last one.
   * lunr's score of a document is that sum divided by the query vector's length (the same
   * for every document of a query: each term has boost 1 in every field), so these are
   * exactly the documents lunr would put first.
   */
  function best(docs, score, needed) {
    docs.sort(function (a, b) { return score[b] - score[a] || a - b; });
    var n = Math.min(needed, docs.length);
    while (n > 0 && n < docs.length && score[docs[n]] === score[docs[n - 1]]) { n += 1; }
    var out = Object.create(null);
    docs.slice(0, n).forEach(function (doc) { out[doc] = true; });
    return out;
  }

  /*
   * Entries holding every term first, then entries holding some of them, each group in
   * lunr's score order. One pass over the query terms' postings applies the filters and
   * counts both groups; lunr.js then scores only the candidates the page asked for needs.
   */
  function rank(terms, needed, accept) {
    var score = Object.create(null), matched = Object.create(null), ok = Object.create(null);
    terms.forEach(function (term) {
      var p = postingsOf(term), inTerm = Object.create(null);
      if (!p) { return; }
      Object.keys(p).forEach(function (f) {
        var weights = p[f];
        Object.keys(weights).forEach(function (doc) {
          if (!(doc in ok)) { ok[doc] = accept(doc); }
          if (!ok[doc]) { return; }
          score[doc] = (score[doc] || 0) + weights[doc];
          if (!inTerm[doc]) { inTerm[doc] = true; matched[doc] = (matched[doc] || 0) + 1; }
        });
      });
    });
    var all = [], some = [];
    Object.keys(matched).forEach(function (doc) {
      (matched[doc] === terms.length ? all : some).push(+doc);
    });
    var hits = runLunr(terms, best(all, score, needed), root.lunr.Query.presence.REQUIRED);
    if (hits.length < needed && some.length) {
      hits = hits.concat(runLunr(terms, best(some, score, needed - hits.length), root.lunr.Query.presence.OPTIONAL));
    }
    return { hits: hits, total: all.length + some.length };
  }

  function columnOf(doc) {
    var c = state.meta.docColumn[doc];
    return c >= 0 ? state.meta.columns[c] : ["", ""];
  }

  function yearOf(doc) {
    var y = state.meta.docYear[doc];
    return y >= 0 ? state.meta.years[y] : "";
  }

  function withMeta(done) {
    loadFile("meta.js", function (err) {
      done(err || (state.meta ? null : new Error("meta")));
    });
  }

  /*
   * search({q, column, year, page}, done(err, result)); result:
   * {terms, total, page, pages, hits: [{ref, score, title, url, publisher, date, snippet,
   *  column, columnName, year}]}
   */
  function search(params, done) {
    var terms = root.GongkaiTokenizer.queryTerms(params.q || "");
    withMeta(function (err) {
      if (err) { done(err); return; }
      if (!terms.length) {
        done(null, { terms: terms, total: 0, page: 1, pages: 0, hits: [] });
        return;
      }
      var paths = [];
      terms.forEach(function (t) {
        var p = shardPath(t);
        if (paths.indexOf(p) < 0) { paths.push(p); }
      });
      loadAll(paths, function (err2) {
        if (err2) { done(err2); return; }
        var accept = function (ref) {
          var doc = +ref;
          return (!params.column || columnOf(doc)[0] === params.column) &&
            (!params.year || yearOf(doc) === String(params.year));
        };
        var wanted = Math.max(parseInt(params.page, 10) || 1, 1);
        var ranked = rank(terms, wanted * PAGE_SIZE, accept);
        var pages = Math.ceil(ranked.total / PAGE_SIZE);
        var page = Math.min(wanted, Math.max(pages, 1));
        if (page < wanted) { ranked = rank(terms, page * PAGE_SIZE, accept); }
        var shown = ranked.hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        var docPaths = [];
        shown.forEach(function (r) {
          var p = "d/" + Math.floor(+r.ref / state.meta.docShard) + ".js";
          if (docPaths.indexOf(p) < 0) { docPaths.push(p); }
        });
        loadAll(docPaths, function (err3) {
          if (err3) { done(err3); return; }
          done(null, {
            terms: terms,
            total: ranked.total,
            page: page,
            pages: pages,
            hits: shown.map(function (r) {
              var doc = +r.ref, row = state.docs[doc], col = columnOf(doc);
              return {
                ref: doc, score: r.score, title: row[0], url: row[1], publisher: row[2],
                date: row[3], snippet: row[4], column: col[0], columnName: col[1], year: yearOf(doc)
              };
            })
          });
        });
      });
    });
  }

  // ---- highlighting -----------------------------------------------------------------------

  /* Ranges [start, end) of the original text where a query term matches, merged. */
  function markRanges(text, terms) {
    var tok = root.GongkaiTokenizer;
    var chars = Array.from(text), norm = "", starts = [], ends = [], pos = 0;
    chars.forEach(function (ch) {
      var n = tok.normalize(ch);
      for (var k = 0; k < n.length; k++) { starts.push(pos); ends.push(pos + ch.length); }
      norm += n;
      pos += ch.length;
    });
    var needles = [];
    terms.forEach(function (t) {
      t.split("-").forEach(function (part) { if (part && needles.indexOf(part) < 0) { needles.push(part); } });
    });
    var found = [];
    needles.forEach(function (needle) {
      var word = tok.charClass(needle.charAt(0)) === "w";
      var at = norm.indexOf(needle);
      while (at >= 0) {
        var end = at + needle.length;
        var clean = !word || ((at === 0 || tok.charClass(norm.charAt(at - 1)) !== "w") &&
          (end >= norm.length || tok.charClass(norm.charAt(end)) !== "w"));
        if (clean) { found.push([starts[at], ends[end - 1]]); }
        at = norm.indexOf(needle, at + 1);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r.slice()); }
    });
    return merged;
  }

  // ---- the page ---------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = root.document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? root.document.createTextNode(c) : c);
    });
    return node;
  }

  function marked(tag, attrs, text, terms) {
    var node = el(tag, attrs), at = 0;
    markRanges(text, terms).forEach(function (r) {
      if (r[0] > at) { node.appendChild(root.document.createTextNode(text.slice(at, r[0]))); }
      node.appendChild(el("mark", {}, [text.slice(r[0], r[1])]));
      at = r[1];
    });
    if (at < text.length) { node.appendChild(root.document.createTextNode(text.slice(at))); }
    return node;
  }

  function snippetText(text, terms) {
    var ranges = markRanges(text, terms), max = 90;
    var start = ranges.length && ranges[0][0] > 40 ? ranges[0][0] - 20 : 0;
    var cut = text.slice(start, start + max);
    return (start > 0 ? "…" : "") + cut + (start + max < text.length ? "…" : "");
  }

  function pageUrl(params, page) {
    var parts = ["q=" + encodeURIComponent(params.q)];
    if (params.column) { parts.push("column=" + encodeURIComponent(params.column)); }
    if (params.year) { parts.push("year=" + encodeURIComponent(params.year)); }
    if (page > 1) { parts.push("page=" + page); }
    return "?" + parts.join("&");
  }

  function readParams() {
    var out = { q: "", column: "", year: "", page: "1" };
    (root.location.search || "").replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var i = pair.indexOf("="), key = i < 0 ? pair : pair.slice(0, i);
      var value = i < 0 ? "" : pair.slice(i + 1);
      try {
        value = decodeURIComponent(value.replace(/\+/g, " "));
      } catch (e) {
        value = "";
      }
      if (Object.prototype.hasOwnProperty.call(out, key)) { out[key] = value; }
    });
    out.q = out.q.trim();
    return out;
  }

  function fillSelect(select, options, chosen) {
    if (!select) { return; }
    options.forEach(function (o) {
      var opt = el("option", { value: o[0] }, [o[1]]);
      if (o[0] === chosen) { opt.selected = true; }
      select.appendChild(opt);
    });
  }

  function render(region, params, err, result) {
    var status = region.querySelector("[data-search-status]");
    var list = region.querySelector("[data-search-list]");
    var pager = region.querySelector("[data-search-pager]");
    list.textContent = "";
    pager.textContent = "";
    pager.hidden = true;
    region.removeAttribute("aria-busy");
    if (err) {
      status.textContent = "搜索索引加载失败。请刷新页面重试，或浏览信息公开目录。";
      return;
    }
    if (!params.q) {
      status.textContent = "请输入要查找的内容。";
      return;
    }
    if (!result.total) {
      status.textContent = "没有找到与“" + params.q + "”相关的信息。";
      return;
    }
    status.textContent = "找到 " + result.total + " 条结果" +
      (result.pages > 1 ? "，第 " + result.page + "/" + result.pages + " 页" : "") + "。";
    result.hits.forEach(function (hit) {
      var meta = el("dl", { "class": "gk-search-result__meta" }, [
        el("dt", {}, ["发布机构"]), el("dd", {}, [hit.publisher]),
        el("dt", {}, ["发布日期"]), el("dd", {}, [el("time", { datetime: hit.date }, [hit.date])]),
        el("dt", {}, ["栏目"]), el("dd", {}, [hit.columnName])
      ]);
      var link = marked("a", { href: hit.url }, hit.title, result.terms);
      list.appendChild(el("li", { "class": "gk-search-result" }, [
        el("h3", { "class": "gk-search-result__title" }, [link]),
        marked("p", { "class": "gk-search-result__snippet" }, snippetText(hit.snippet, result.terms), result.terms),
        meta
      ]));
    });
    if (result.pages > 1) {
      pager.hidden = false;
      if (result.page > 1) {
        pager.appendChild(el("a", { href: pageUrl(params, result.page - 1), rel: "prev" }, ["上一页"]));
      }
      if (result.page < result.pages) {
        pager.appendChild(el("a", { href: pageUrl(params, result.page + 1), rel: "next" }, ["下一页"]));
      }
    }
  }

  function start() {
    var doc = root.document;
    var region = doc.getElementById("search-results");
    if (!region) { return; }
    var form = doc.querySelector("form[data-search-form]");
    var params = readParams();
    state.base = region.getAttribute("data-index") || state.base;
    if (form && form.elements.q) { form.elements.q.value = params.q; }
    if (params.q) { doc.title = params.q + " - " + doc.title; }
    region.setAttribute("aria-busy", "true");
    withMeta(function (err) {
      if (!err && form) {
        fillSelect(form.elements.column, state.meta.columns, params.column);
        fillSelect(form.elements.year, state.meta.years.map(function (y) { return [y, y + "年"]; }), params.year);
      }
      if (err) { render(region, params, err); return; }
      search(params, function (err2, result) { render(region, params, err2, result); });
    });
  }

  root.GongkaiSearch = {
    configure: function (opts) {
      if (opts.base !== undefined) { state.base = opts.base; }
      if (opts.load) { state.load = opts.load; }
    },
    addMeta: addMeta,
    addShard: addShard,
    addDocs: addDocs,
    search: search,
    markRanges: markRanges,
    start: start
  };

  if (root.document && root.document.getElementById) {
    if (root.document.readyState === "loading") {
      root.document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})(typeof self !== "undefined" ? self : this);
