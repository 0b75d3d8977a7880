/*
 * The search tokenizer for the browser; tokenizer.py beside this file is the same algorithm
 * (read its docstring for the rules) and tests/parity checks that both agree.
 *
 * Works as a browser global `GongkaiTokenizer` (the build ships the fold table in parts,
 * `search/f/<n>.js`, each calling `GongkaiTokenizer.addFold(...)`; search.js loads the parts a
 * query's characters need) and under node via require(), where it loads data/t2s.json whole.
 * No eval, no network.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    api.addFold(require("./data/t2s.json"));
    module.exports = api;
  } else {
    root.GongkaiTokenizer = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var FOLD_BUCKETS = 32;
  var CJK = "c", WORD = "w", SEP = "s";
  var fold = Object.create(null);
  var CHARS = "\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7a3\\uf900-\\ufaff" +
    "\\u{20000}-\\u{323af}a-z0-9\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u052f";
  // a searchable character, or a "." or "," between two digits (a number stays one run)
  var CHAR = "(?:[" + CHARS + "]|(?<=[0-9])[.,](?=[0-9]))";
  var RUN = new RegExp(CHAR + "+", "gu");
  var SINGLE = new RegExp(CHAR, "gu");
  var BIGRAM = new RegExp("(?=(" + CHAR + "{2}))", "gu");
  var TRIGRAM = new RegExp("(?=(" + CHAR + "{3}))", "gu");
  var SPACE = /[ \t\n\r\f\v\u00a0\u3000]+/;

  /* Adds entries to the fold table (a part of it, or all of it). */
  function addFold(table) {
    Object.keys(table).forEach(function (k) { fold[k] = table[k]; });
  }

  function foldBucket(ch) {
    return ch.codePointAt(0) % FOLD_BUCKETS;
  }

  function normalize(text) {
    var lowered = (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
    var out = "";
    Array.from(lowered).forEach(function (ch) {
      out += fold[ch] || ch;
    });
    return out;
  }

  function charClass(ch) {
    var cp = ch.codePointAt(0);
    if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
        (cp >= 0x20000 && cp <= 0x323af) || (cp >= 0xf900 && cp <= 0xfaff) ||
        cp === 0x3007 || (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0xac00 && cp <= 0xd7a3)) {
      return CJK;
    }
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) ||
        (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) || (cp >= 0x370 && cp <= 0x52f)) {
      return WORD;
    }
    return SEP;
  }

  function scan(text) {
    return normalize(text).match(RUN) || [];
  }

  function grams(norm, re, out) {
    var m;
    re.lastIndex = 0;
    while ((m = re.exec(norm)) !== null) {
      out.push(m[1]);
      re.lastIndex = m.index + (norm.codePointAt(m.index) > 0xffff ? 2 : 1);
    }
  }

  function tokenize(text) {
    var norm = normalize(text), out = norm.match(SINGLE) || [];
    grams(norm, BIGRAM, out);
    grams(norm, TRIGRAM, out);
    return out.concat(joints(norm.match(RUN) || []));
  }

  /* Where one run ends and the next begins: its last character, a space, the next's first (tokenizer.py). */
  function joints(runs) {
    var out = [];
    for (var i = 0; i + 1 < runs.length; i++) {
      var last = Array.from(runs[i]).pop();
      out.push(last + " " + String.fromCodePoint(runs[i + 1].codePointAt(0)));
    }
    return out;
  }

  function collapse(text) {
    return scan(text).join(" ");
  }

  function unique(items) {
    var out = [], seen = Object.create(null);
    items.forEach(function (x) {
      if (!seen[x]) { seen[x] = true; out.push(x); }
    });
    return out;
  }

  function queryWords(text) {
    return unique(text.split(SPACE).map(collapse).filter(function (w) { return w; }));
  }

  var MAX_TRIGRAMS = 6;

  function termsOfWord(word) {
    var out = [];
    var runs = word.split(" ");
    runs.forEach(function (run) {
      var chars = Array.from(run);
      if (chars.length <= 2) { out.push(run); return; }
      var starts = [], i;
      for (i = 0; i + 2 < chars.length; i++) { starts.push(i); }
      if (starts.length > MAX_TRIGRAMS) { // a long run: trigrams that cover it (tokenizer.py)
        starts = [];
        for (i = 0; i + 2 < chars.length; i += 3) { starts.push(i); }
        if (starts[starts.length - 1] !== chars.length - 3) { starts.push(chars.length - 3); }
      }
      starts.forEach(function (j) { out.push(chars[j] + chars[j + 1] + chars[j + 2]); });
    });
    return runs.length > 1 ? out.concat(joints(runs)) : out;
  }

  function queryTerms(text) {
    var out = [];
    queryWords(text).forEach(function (w) { Array.prototype.push.apply(out, termsOfWord(w)); });
    return unique(out);
  }

  function needsCheck(words) {
    return words.some(function (w) { return w.indexOf(" ") >= 0 || Array.from(w).length > 3; });
  }

  function matches(words, parts) {
    var collapsed = parts.map(function (p) { return " " + collapse(p) + " "; });
    return words.every(function (w) {
      return collapsed.some(function (c) { return c.indexOf(w) >= 0; });
    });
  }

  function hash32(term) {
    var h = 0x811c9dc5;
    Array.from(term).forEach(function (ch) {
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    });
    return h >>> 0;
  }

  function isUnigram(term) {
    return Array.from(term).length === 1;
  }

  function familyOf(term) {
    var n = Array.from(term).length;
    return n === 1 ? "u" : n === 3 ? "g" : "t";
  }

  function shardOf(term, count) {
    return hash32(term) % count;
  }

  return {
    addFold: addFold,
    foldBucket: foldBucket,
    normalize: normalize,
    charClass: charClass,
    scan: scan,
    tokenize: tokenize,
    collapse: collapse,
    queryWords: queryWords,
    termsOfWord: termsOfWord,
    queryTerms: queryTerms,
    needsCheck: needsCheck,
    matches: matches,
    hash32: hash32,
    isUnigram: isUnigram,
    familyOf: familyOf,
    shardOf: shardOf
  };
});
