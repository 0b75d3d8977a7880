/*
 * The search tokenizer for the browser; tokenizer.py beside this file is the same algorithm
 * (read its docstring for the rules) and tests/parity checks that both agree.
 *
 * Works as a browser global `GongkaiTokenizer` (the build ships `search/t2s.js`, which calls
 * `GongkaiTokenizer.setFoldTable(...)`) and under node via require(), where it loads
 * data/t2s.json itself. No eval, no network.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    api.setFoldTable(require("./data/t2s.json"));
    module.exports = api;
  } else {
    root.GongkaiTokenizer = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var JOINERS = "-/._";
  var MAX_SPAN = 4;
  var MAX_WORD = 64;
  var CJK = "c", WORD = "w", JOIN = "j", SEP = "s";
  var fold = Object.create(null);

  function setFoldTable(table) {
    fold = Object.create(null);
    Object.keys(table).forEach(function (k) { fold[k] = table[k]; });
  }

  function codePoints(text) {
    return Array.from(text);
  }

  function normalize(text) {
    var lowered = (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
    var out = "";
    codePoints(lowered).forEach(function (ch) {
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
    if (ch.length === 1 && JOINERS.indexOf(ch) >= 0) {
      return JOIN;
    }
    return SEP;
  }

  function scan(text) {
    var chars = codePoints(normalize(text));
    var runs = [];
    var i = 0, n = chars.length, j, kind, parts;
    while (i < n) {
      kind = charClass(chars[i]);
      if (kind === CJK) {
        j = i;
        while (j < n && charClass(chars[j]) === CJK) { j += 1; }
        runs.push([CJK, chars.slice(i, j)]);
        i = j;
      } else if (kind === WORD) {
        parts = [];
        for (;;) {
          j = i;
          while (j < n && charClass(chars[j]) === WORD) { j += 1; }
          parts.push(chars.slice(i, j).join(""));
          i = j;
          if (i + 1 < n && charClass(chars[i]) === JOIN && charClass(chars[i + 1]) === WORD) {
            i += 1;
            continue;
          }
          break;
        }
        runs.push([WORD, parts]);
      } else {
        i += 1;
      }
    }
    return runs;
  }

  function len(s) {
    return codePoints(s).length;
  }

  function allShort(parts) {
    for (var i = 0; i < parts.length; i++) {
      if (len(parts[i]) > MAX_WORD) { return false; }
    }
    return true;
  }

  function wordTokens(parts) {
    var out = [];
    for (var end = 0; end < parts.length; end++) {
      if (len(parts[end]) <= MAX_WORD) { out.push(parts[end]); }
      for (var start = end - 1; start > Math.max(end - MAX_SPAN, -1); start--) {
        var span = parts.slice(start, end + 1);
        if (allShort(span)) { out.push(span.join("-")); }
      }
    }
    return out;
  }

  function tokenize(text) {
    var out = [];
    scan(text).forEach(function (run) {
      var items = run[1];
      if (run[0] === CJK) {
        for (var i = 0; i < items.length; i++) {
          out.push(items[i]);
          if (i + 1 < items.length) { out.push(items[i] + items[i + 1]); }
        }
      } else {
        Array.prototype.push.apply(out, wordTokens(items));
      }
    });
    return out;
  }

  function queryTerms(text) {
    var out = [], seen = Object.create(null);
    function add(term) {
      if (!seen[term]) { seen[term] = true; out.push(term); }
    }
    scan(text).forEach(function (run) {
      var items = run[1], i;
      if (run[0] === CJK) {
        if (items.length === 1) {
          add(items[0]);
        } else {
          for (i = 0; i + 1 < items.length; i++) { add(items[i] + items[i + 1]); }
        }
      } else {
        var parts = items.filter(function (p) { return len(p) <= MAX_WORD; });
        if (parts.length <= MAX_SPAN) {
          if (parts.length) { add(parts.join("-")); }
        } else {
          for (i = 0; i + MAX_SPAN <= parts.length; i++) { add(parts.slice(i, i + MAX_SPAN).join("-")); }
        }
      }
    });
    return out;
  }

  function hash32(term) {
    var h = 0x811c9dc5;
    codePoints(term).forEach(function (ch) {
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    });
    return h >>> 0;
  }

  function isUnigram(term) {
    var cps = codePoints(term);
    return cps.length === 1 && charClass(cps[0]) === CJK;
  }

  function shardOf(term, count) {
    return hash32(term) % count;
  }

  return {
    setFoldTable: setFoldTable,
    normalize: normalize,
    charClass: charClass,
    scan: scan,
    tokenize: tokenize,
    queryTerms: queryTerms,
    hash32: hash32,
    isUnigram: isUnigram,
    shardOf: shardOf
  };
});
