/*
 * Gongkai search page: reads ?q=&column=&year=&page= from the address, loads the index files
 * the query needs as <script> files (works from file://, no fetch, no eval, no inline script)
 * and renders the results into #search-results.
 *
 * Substring semantics, as Ctrl+F (rules in plugins/gongkai_core/tokenizer.py): the entries holding
 * every term of the query (its characters' bigrams) are candidates, ranked by where the terms are
 * (title, then 信息索引 such as 文号/索引号, then body, tables and attachments) and how often
 * (BM25: impacts stored per posting, idf and field boosts applied here); when holding the terms is not proof, each candidate
 * shown is checked against its own text (`x/<n>.js`), so a result never lacks the query.
 *
 * Needs tokenizer.js (GongkaiTokenizer) loaded before it; loads the parts of the fold table the
 * query's characters need (`f/<n>.js`). The index format is in
 * plugins/gongkai_core/search_index.py. The search core (GongkaiSearch.search) has no DOM
 * dependency, so tests run it under node with the same files.
 */
(function (root) {
  "use strict";

  var PAGE_SIZE = 10;
  var SUGGESTIONS = 3;
  var SUGGESTION_FILES = 4; // shard files a query that found nothing may load for its suggestions
  var SUGGESTION_CHECKS = 5; // variants whose candidates are checked against their texts
  var MAX_REJECTS = 5 * PAGE_SIZE; // candidates found to lack the query before a page stops looking
  var state = {
    base: "search/",
    load: null,
    meta: null,
    loaded: Object.create(null), // file path -> true once its script ran
    pending: Object.create(null), // file path -> [callbacks]
    shards: Object.create(null), // shard name -> {term: flat postings}, as loaded
    postings: Object.create(null), // term -> {field number: {doc: weight}}, decoded on first use
    docs: Object.create(null) // doc number -> [title, url, publisher, date, texts, fold]
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

  function unique(items) {
    var out = [], seen = Object.create(null);
    items.forEach(function (x) {
      if (!seen[x]) { seen[x] = true; out.push(x); }
    });
    return out;
  }

  // ---- registration (called by the index files) -------------------------------------------

  function addMeta(meta) {
    state.meta = meta;
  }

  function addShard(name, postings) {
    state.shards[name] = postings;
  }

  function addDoc(n, row) {
    state.docs[n] = row;
    root.GongkaiTokenizer.addFold(row[5] || {});
  }

  /* lunr's idf of a term held by this many (document, field) postings. */
  function idf(postings) {
    var n = state.meta.docs;
    return Math.log(1 + Math.abs((n - postings + 0.5) / (postings + 0.5)));
  }

  /*
   * The postings of a term from its (loaded) shard, or null: per field number, [docs, weights]
   * (ascending doc numbers in an Int32Array, their weights in a Float64Array). A posting stores
   * the term's impact in the field (BM25's term-frequency part for the field's length); its weight
   * is that × the term's idf × the field's boost.
   */
  function postingsOf(term) {
    if (term in state.postings) { return state.postings[term]; }
    var flat = state.shards[shardName(term)][term], out = null;
    if (flat) {
      out = {};
      var held = 0, i;
      for (i = 0; i < flat.length; i += 2 + 2 * flat[i + 1]) { held += flat[i + 1]; }
      var termIdf = idf(held), boosts = state.meta.boosts;
      for (i = 0; i < flat.length; i += 2 + 2 * flat[i + 1]) {
        var count = flat[i + 1], doc = 0, factor = termIdf * boosts[flat[i]];
        var docs = new Int32Array(count), weights = new Float64Array(count);
        for (var k = 0; k < count; k++) {
          doc += flat[i + 2 + k];
          docs[k] = doc;
          weights[k] = flat[i + 2 + count + k] * factor;
        }
        out[flat[i]] = [docs, weights];
      }
    }
    state.postings[term] = out;
    return out;
  }

  // ---- querying ---------------------------------------------------------------------------

  function shardName(term) {
    var tok = root.GongkaiTokenizer;
    var family = tok.familyOf(term);
    return family + tok.shardOf(term, state.meta.shards[family]);
  }

  function shardPath(term) {
    var name = shardName(term);
    return name.charAt(0) + "/" + name.slice(1) + ".js";
  }

  function textPath(doc) {
    return "x/" + doc + ".js";
  }

  /* The parts of the fold table the characters of `text` need (not ASCII: nothing there folds). */
  function foldPaths(text) {
    var tok = root.GongkaiTokenizer, lowered = (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
    return unique(Array.from(lowered).filter(function (ch) { return ch.codePointAt(0) > 0x7f; })
      .map(function (ch) { return "f/" + tok.foldBucket(ch) + ".js"; }));
  }

  /*
   * The candidates: documents holding every term and passing the filters, best first. A document
   * ranks by the first field holding every term (title, 信息索引, body), then by the summed BM25
   * weights of the terms (each field boosted), then the newer first (doc numbers are by recency).
   */
  function candidates(terms, accept) {
    var lists = [];
    for (var t = 0; t < terms.length; t++) {
      var p = postingsOf(terms[t]);
      if (!p) { return []; }
      lists.push(p);
    }
    var n = state.meta.docs, fields = state.meta.fields.length, all = terms.length;
    var held = new Uint16Array(n); // how many of the terms so far a doc holds (one less: out)
    var score = new Float64Array(n);
    var tier = new Uint16Array(n * fields); // per doc and field, the terms that field holds
    for (t = 0; t < all; t++) {
      for (var f = 0; f < fields; f++) {
        var part = lists[t][f];
        if (!part) { continue; }
        var docs = part[0], weights = part[1];
        for (var k = 0; k < docs.length; k++) {
          var doc = docs[k];
          if (held[doc] < t) { continue; } // lacks an earlier term
          held[doc] = t + 1;
          score[doc] += weights[k];
          tier[doc * fields + f] += 1;
        }
      }
    }
    var out = [], best = new Uint8Array(n);
    for (var d = 0; d < n; d++) {
      if (held[d] !== all || !accept(d)) { continue; }
      var first = fields;
      for (var f2 = 0; f2 < fields; f2++) {
        if (tier[d * fields + f2] === all) { first = f2; break; }
      }
      best[d] = first;
      out.push(d);
    }
    out.sort(function (a, b) { return best[a] - best[b] || score[b] - score[a] || a - b; });
    return out;
  }

  function textsOf(doc) {
    return state.docs[doc][4].map(function (part) { return part[1]; });
  }

  /*
   * Walks the candidates in rank order and keeps those whose text holds every word, loading their
   * texts a page at a time, until `needed` are kept, none are left, or MAX_REJECTS lacked the query
   * (so that a query whose trigrams are everywhere but never together costs a bounded download;
   * the count then says "at most").
   */
  function verify(words, ranked, needed, check, done, maxRejects) {
    var kept = [], at = 0, rejects = maxRejects || MAX_REJECTS;
    if (!check) {
      kept = ranked.slice(0, needed);
      done(null, kept, kept.length);
      return;
    }
    function step() {
      if (kept.length >= needed || at >= ranked.length || at - kept.length >= rejects) {
        done(null, kept, at);
        return;
      }
      var batch = ranked.slice(at, at + Math.max(needed - kept.length, 1));
      at += batch.length;
      loadAll(batch.map(textPath), function (err) {
        if (err) { done(err); return; }
        batch.forEach(function (doc) {
          if (root.GongkaiTokenizer.matches(words, textsOf(doc))) { kept.push(doc); }
        });
        step();
      });
    }
    step();
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

  /* Loads what the words' terms need: fold-table parts first (they change the terms), then shards. */
  function prepare(q, done) {
    loadAll(foldPaths(q), function (err) {
      if (err) { done(err); return; }
      var tok = root.GongkaiTokenizer, words = tok.queryWords(q), terms = tok.queryTerms(q);
      loadAll(unique(terms.map(shardPath)), function (err2) {
        done(err2, words, terms);
      });
    });
  }

  /* Queries close to one that found nothing: a character left out, or a word left out. */
  function variants(words) {
    var out = [];
    if (words.length > 1) {
      words.forEach(function (w, i) {
        out.push(words.filter(function (x, j) { return j !== i; }).join(" "));
      });
    } else {
      var chars = Array.from(words[0] || "");
      if (chars.length > 1) {
        chars.forEach(function (ch, i) {
          if (ch === " ") { return; }
          var rest = chars.slice(0, i).concat(chars.slice(i + 1)).join("");
          out.push(root.GongkaiTokenizer.collapse(rest));
        });
      }
    }
    return unique(out.filter(function (v) { return v; }));
  }

  /*
   * The variants to try and the shard files they need: those whose shards are loaded first (leaving out
   * the first or last character uses the query's own), then the others while they add at most
   * SUGGESTION_FILES files in all and no character's shard, so that a query that found nothing costs
   * a bounded download.
   */
  function affordable(tried) {
    var tok = root.GongkaiTokenizer, extra = Object.create(null), count = 0;
    var needs = tried.map(function (v, i) {
      var paths = unique(tok.queryTerms(v).map(shardPath));
      return [paths.filter(function (p) { return !state.loaded[p]; }).length, i, v, paths];
    });
    needs.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var kept = [], paths = [];
    needs.forEach(function (n) {
      var fresh = n[3].filter(function (p) { return !state.loaded[p] && !extra[p]; });
      // a character's shard not loaded yet is left out: its postings are the largest of all
      if (count + fresh.length > SUGGESTION_FILES || fresh.some(function (p) { return p.charAt(0) === "u"; })) { return; }
      fresh.forEach(function (p) { extra[p] = true; });
      count += fresh.length;
      kept.push([n[1], n[2]]);
      paths = paths.concat(n[3]);
    });
    kept.sort(function (a, b) { return a[0] - b[0]; });
    return { tried: kept.map(function (k) { return k[1]; }), paths: unique(paths) };
  }

  /*
   * Up to SUGGESTIONS variants that some entry holds, the most found first. The variants are tried
   * from the one with most candidates down, each checked against the text of its best two
   * candidates at most, and no more than SUGGESTION_CHECKS variants: a bounded download.
   */
  function suggest(words, accept, done) {
    var chosen = affordable(variants(words)), found = [];
    if (!chosen.tried.length) { done(null, found); return; }
    var tok = root.GongkaiTokenizer;
    loadAll(chosen.paths, function (err) {
      if (err) { done(err); return; }
      var tried = chosen.tried.map(function (v, i) {
        return [i, v, candidates(tok.queryTerms(v), accept), tok.queryWords(v)];
      }).filter(function (t) { return t[2].length; });
      tried.sort(function (a, b) { return b[2].length - a[2].length || a[0] - b[0]; });
      tried = tried.slice(0, SUGGESTION_CHECKS);
      function next(k) {
        if (k >= tried.length || found.length >= SUGGESTIONS) {
          done(null, found.map(function (x) { return { q: x[1], count: x[2], exact: x[3] }; }));
          return;
        }
        var t = tried[k], check = tok.needsCheck(t[3]);
        verify(t[3], t[2], 1, check, function (err2, kept) {
          if (err2) { done(err2); return; }
          if (kept.length) { found.push([t[0], t[1], t[2].length, !check]); }
          next(k + 1);
        }, 2);
      }
      next(0);
    });
  }


  /*
   * The part of a document to show for the words: the first of body, tables and attachments holding
   * one, else its 信息索引 when that holds one, else the start of its body.
   */
  function passage(doc, words) {
    var tok = root.GongkaiTokenizer, texts = state.docs[doc][4], meta = null, body = null;
    for (var i = 0; i < texts.length; i++) {
      var label = texts[i][0];
      if (label === "标题") { continue; }
      var holds = words.some(function (w) { return tok.matches([w], [texts[i][1]]); });
      if (label === "信息索引") {
        if (holds) { meta = texts[i]; }
        continue;
      }
      if (holds) { return texts[i]; }
      if (body === null) { body = texts[i]; }
    }
    return meta || body || ["", ""];
  }

  /*
   * search({q, column, year, page}, done(err, result)); result:
   * {words, terms, total, exact, page, pages, suggestions,
   *  hits: [{ref, title, url, publisher, date, where, text, column, columnName, year}]}
   * `total` is the number of results when `exact`, else at most that many (candidates not all checked).
   */
  function search(params, done) {
    var q = params.q || "";
    withMeta(function (err) {
      if (err) { done(err); return; }
      prepare(q, function (err2, words, terms) {
        if (err2) { done(err2); return; }
        var empty = { words: words, terms: terms, total: 0, exact: true, page: 1, pages: 0, hits: [], suggestions: [] };
        if (!terms.length) { done(null, empty); return; }
        var accept = function (doc) {
          return (!params.column || columnOf(doc)[0] === params.column) &&
            (!params.year || yearOf(doc) === String(params.year));
        };
        var tok = root.GongkaiTokenizer, check = tok.needsCheck(words);
        var ranked = candidates(terms, accept);
        var wanted = Math.max(parseInt(params.page, 10) || 1, 1);
        var page = Math.min(wanted, Math.max(Math.ceil(ranked.length / PAGE_SIZE), 1));
        verify(words, ranked, page * PAGE_SIZE, check, function (err3, kept, looked) {
          if (err3) { done(err3); return; }
          // the candidates looked at that lack the query are not counted; the others are, checked or not
          var total = ranked.length - (looked - kept.length);
          var exact = !check || looked >= ranked.length;
          var pages = Math.ceil(total / PAGE_SIZE);
          var shown = kept.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
          loadAll(shown.map(textPath), function (err4) {
            if (err4) { done(err4); return; }
            var result = {
              words: words, terms: terms, total: total, exact: exact, page: page, pages: pages,
              suggestions: [],
              hits: shown.map(function (doc) {
                var row = state.docs[doc], col = columnOf(doc), part = passage(doc, words);
                return {
                  ref: doc, title: row[0], url: row[1], publisher: row[2], date: row[3],
                  where: part[0], text: part[1], column: col[0], columnName: col[1], year: yearOf(doc)
                };
              })
            };
            if (total) { done(null, result); return; }
            suggest(words, accept, function (err5, found) {
              result.suggestions = found || [];
              done(null, result);
            });
          });
        });
      });
    });
  }

  // ---- highlighting -----------------------------------------------------------------------

  /*
   * Ranges [start, end) of `text` (UTF-16 offsets) where a query word is found, merged: the text is
   * collapsed as the matcher does (normalized, separators one space) with each character's place
   * in the original kept, so what is marked is what matched.
   */
  function markRanges(text, words) {
    var tok = root.GongkaiTokenizer;
    var collapsed = "", starts = [], ends = [], pos = 0, gap = false, items = [];
    Array.from(text).forEach(function (ch) {
      Array.from(tok.normalize(ch)).forEach(function (n) { items.push([n, pos, pos + ch.length]); });
      pos += ch.length;
    });
    function digit(i) {
      return i >= 0 && i < items.length && /^[0-9]$/.test(items[i][0]);
    }
    items.forEach(function (item, i) {
      var n = item[0];
      var searchable = tok.charClass(n) !== "s" || ((n === "." || n === ",") && digit(i - 1) && digit(i + 1));
      if (!searchable) {
        gap = collapsed.length > 0;
        return;
      }
      if (gap) {
        collapsed += " ";
        starts.push(item[1]);
        ends.push(item[1]);
        gap = false;
      }
      for (var k = 0; k < n.length; k++) { starts.push(item[1]); ends.push(item[2]); }
      collapsed += n;
    });
    var found = [];
    words.forEach(function (word) {
      var at = word ? collapsed.indexOf(word) : -1;
      while (at >= 0) {
        found.push([starts[at], ends[at + word.length - 1]]);
        at = collapsed.indexOf(word, at + 1);
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

  /* About `max` characters of the passage around its first match (the text itself, never rebuilt). */
  function snippetOf(text, words, max) {
    max = max || 100;
    var window = text.length > 4 * max ? null : text;
    var first = -1;
    if (window === null) {
      // long texts: find the first match on the collapsed text cheaply, then mark only around it
      var tok = root.GongkaiTokenizer;
      for (var at = 0; at < text.length && first < 0; at += 2 * max) {
        var piece = text.slice(at, at + 3 * max);
        if (words.some(function (w) { return tok.matches([w], [piece]); })) {
          var r = markRanges(piece, words);
          first = r.length ? at + r[0][0] : at;
        }
      }
    } else {
      var ranges = markRanges(text, words);
      first = ranges.length ? ranges[0][0] : 0;
    }
    var start = Math.max(first - Math.floor(max / 3), 0);
    var cut = text.slice(start, start + max);
    return (start > 0 ? "…" : "") + cut + (start + max < text.length ? "…" : "");
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

  function marked(tag, attrs, text, words) {
    var node = el(tag, attrs), at = 0;
    markRanges(text, words).forEach(function (r) {
      if (r[0] > at) { node.appendChild(root.document.createTextNode(text.slice(at, r[0]))); }
      node.appendChild(el("mark", {}, [text.slice(r[0], r[1])]));
      at = r[1];
    });
    if (at < text.length) { node.appendChild(root.document.createTextNode(text.slice(at))); }
    return node;
  }

  function pageUrl(params, page, q) {
    var parts = ["q=" + encodeURIComponent(q === undefined ? params.q : q)];
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

  /* Where in the entry the passage is from, when not its body: 表格：… or 附件：… */
  function whereLabel(where) {
    return where && where !== "正文" ? "（" + where + "）" : "";
  }

  function renderNone(region, params, result) {
    var status = region.querySelector("[data-search-status]");
    var list = region.querySelector("[data-search-list]");
    var none = region.querySelector("[data-search-none]");
    status.textContent = "没有找到含有“" + params.q + "”的信息。";
    if (result.suggestions.length) {
      var items = result.suggestions.map(function (s) {
        return el("li", {}, [el("a", { href: pageUrl(params, 1, s.q) }, [s.q]), "（" + (s.exact ? "" : "至多 ") + s.count + " 条）"]);
      });
      list.appendChild(el("li", { "class": "gk-search-suggestions" }, [
        el("p", {}, ["您是不是要找："]), el("ul", {}, items)
      ]));
    }
    if (none) { none.hidden = false; }
  }

  function render(region, params, err, result) {
    var status = region.querySelector("[data-search-status]");
    var list = region.querySelector("[data-search-list]");
    var pager = region.querySelector("[data-search-pager]");
    var none = region.querySelector("[data-search-none]");
    list.textContent = "";
    pager.textContent = "";
    pager.hidden = true;
    if (none) { none.hidden = true; }
    region.removeAttribute("aria-busy");
    if (err) {
      status.textContent = "搜索索引加载失败。请刷新页面重试，或浏览信息公开目录。";
      if (none) { none.hidden = false; }
      return;
    }
    if (!params.q) {
      status.textContent = "请输入要查找的内容。";
      return;
    }
    if (!result.total) {
      renderNone(region, params, result);
      return;
    }
    status.textContent = (result.exact ? "找到 " : "找到至多 ") + result.total + " 条含有“" + params.q + "”的信息" +
      (result.pages > 1 ? "，第 " + result.page + "/" + result.pages + " 页" : "") + "。";
    result.hits.forEach(function (hit) {
      var meta = el("dl", { "class": "gk-search-result__meta" }, [
        el("dt", {}, ["发布机构"]), el("dd", {}, [hit.publisher]),
        el("dt", {}, ["发布日期"]), el("dd", {}, [el("time", { datetime: hit.date }, [hit.date])]),
        el("dt", {}, ["栏目"]), el("dd", {}, [hit.columnName])
      ]);
      var link = marked("a", { href: hit.url }, hit.title, result.words);
      var snippet = marked("p", { "class": "gk-search-result__snippet" }, snippetOf(hit.text, result.words), result.words);
      var where = whereLabel(hit.where);
      if (where) { snippet.insertBefore(el("span", { "class": "gk-search-result__where" }, [where]), snippet.firstChild); }
      list.appendChild(el("li", { "class": "gk-search-result" }, [
        el("h3", { "class": "gk-search-result__title" }, [link]), snippet, meta
      ]));
    });
    if (result.pages > 1) {
      pager.hidden = false;
      if (result.page > 1) {
        pager.appendChild(el("a", { href: pageUrl(params, result.page - 1), rel: "prev" }, ["上一页"]));
      }
      if (result.page < result.pages && result.hits.length === PAGE_SIZE) {
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
    addDoc: addDoc,
    search: search,
    markRanges: markRanges,
    snippetOf: snippetOf,
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
