"""The search tokenizer; `tokenizer.js` beside this file implements the same functions.

Search has substring semantics, as Ctrl+F: an entry matches a query when its text contains the
query, after folding. Chinese has no spaces between words, so we do not try to find words: text is
cut into characters and overlapping character bigrams, the query's bigrams must all be present,
and the search page verifies the candidates against the text itself (`collapse`), so a result never
lacks the query.

Steps, identical in Python and JS:

1. **normalize**: Unicode NFKC (full-width `ＡＢＣ１２３` becomes `abc123` after step 2), lower
   case, then fold Traditional→Simplified one code point at a time with `data/t2s.json`
   (generated from OpenCC by `make_fold_table.py`; chains resolved, so folding is idempotent).
2. **scan** the normalized text by code point into *runs* of searchable characters:
   Han ideographs (U+3400–4DBF, U+4E00–9FFF, U+F900–FAFF, U+20000–323AF), 〇 (U+3007), kana
   (U+3040–30FF), Hangul syllables (U+AC00–D7A3), `a-z`, `0-9`, Latin letters U+00C0–024F (not
   × ÷), Greek and Cyrillic U+0370–052F, and `.` or `,` between two digits (so `1,204.50` and
   `12.5万元` are one run each). Everything else (spaces, punctuation such as 〔〕《》，。-/:,
   emoji) separates runs. `示财发〔2025〕3号` is the runs `示财发`, `2025`, `3号`.
3. **index tokens** (`tokenize`): for a run `c0 c1 … cn`, every character, every overlapping
   bigram and every overlapping trigram (`c0 … cn, c0c1 …, c0c1c2 …`; repeats kept: term
   frequency counts). Trigrams make a query of three or more characters precise before any
   check: its candidates hold its every three consecutive characters, not just its pairs. And
   for each two runs in a row, their *joint*: the last character of the first, a space, the
   first of the second (`示财发〔2025〕3号` gives `发 2` and `5 3`), so that a query of several
   runs finds them side by side.
4. **query** (`query_words`, `query_terms`): the query is split at spaces (ASCII white space,
   U+00A0, U+3000) into *words*,
   all of which must be found (AND). A word is `collapse`d: normalized, every stretch of
   separators one space, trimmed (`〔2025〕3号` → `2025 3号`, `2025/00012` → `2025 00012`).
   Its terms are, per run, the run itself when it has one or two characters, else its trigrams
   (beyond six of them, trigrams that cover it: every third from its start, and the last).
   An entry holding every term is a *candidate*; it matches when each word is a substring of
   the collapsed text of one of its parts (title, 信息索引, body, a table, an attachment).
   `needs_check(words)` says when holding the terms is not already proof (a run of four or
   more characters, or a word of several runs).

`shard_of(term, n)` is a 32-bit FNV-1a hash over the term's code points, modulo n; the index
writer and the browser use it to agree on which shard holds a term. `fold_bucket(ch)` names
the part of the fold table (`search/f/<n>.js`) a character's folding is in, so a query loads
only the parts its characters need.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from types import MappingProxyType

FOLD_TABLE_PATH = Path(__file__).with_name("data") / "t2s.json"
FOLD: MappingProxyType[str, str] = MappingProxyType(json.loads(FOLD_TABLE_PATH.read_text(encoding="utf-8")))
_FOLD_ORDS = {ord(k): v for k, v in FOLD.items()}  # for str.translate
FOLD_BUCKETS = 32  # parts of the fold table the browser loads by the characters of a query

CJK, WORD, SEP = "c", "w", "s"


# Full-width ASCII and the ideographic space, whose NFKC is the plain character (U+FF01–FF5E, U+3000),
# with the fold table: one translation that, for almost every Chinese text, leaves it NFKC-normal.
WIDE_AND_FOLD = MappingProxyType(
    {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20} | _FOLD_ORDS
)
_WIDE_AND_FOLD = dict(WIDE_AND_FOLD)


def normalize(text: str) -> str:
    """NFKC, lower case, Traditional→Simplified by the fold table.

    Quicker way to the same string: full-width forms replaced by their NFKC (which they are) and
    folded first; when that is NFKC-normal already, only lower case is left. (Every key and value of
    the fold table is an NFKC-normal ideograph that lower() leaves alone and that composes with
    nothing, so the order does not matter; tests/unit/test_tokenizer.py checks both ways agree.)"""
    quick = text.translate(_WIDE_AND_FOLD)
    if unicodedata.is_normalized("NFKC", quick):
        return quick.lower()
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD_ORDS)


_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _nfkc_plain_class() -> str:
    """A regular-expression class of characters that make, with `_WIDE` applied, an NFKC-normal text
    whatever their order: ASCII, the full-width forms and the ideographic space (`_WIDE` makes them
    ASCII), the CJK ideographs, and the Latin-1, symbols (punctuation, arrows, shapes …) and CJK
    punctuation that NFKC leaves alone (none of them composes with another: tests/unit/test_tokenizer.py
    checks)."""
    spans = [(0x00, 0x7F), (0xFF01, 0xFF5E), (0x3000, 0x3000), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
    # (all in the BMP: a class of BMP characters only is a bitmap to the regular-expression engine)
    for cp in [*range(0xA0, 0x100), *range(0x2010, 0x2C00), *range(0x3001, 0x3040)]:
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch) == ch and not unicodedata.combining(ch):
            spans.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans
    )


NFKC_PLAIN = _nfkc_plain_class()
_NOT_PLAIN = re.compile(f"[^{NFKC_PLAIN}]")
_FOLD_KEY = re.compile("[" + "".join(re.escape(ch) for ch in sorted(FOLD) if ord(ch) < 0x10000) + "]")


def foldable(text: str) -> list[str]:
    """The characters of the fold table in the text after NFKC (those `normalize` folds), sorted.

    A text of NFKC_PLAIN characters only (most Chinese text) is NFKC-normal once `_WIDE` is applied,
    which changes no fold-table character: its fold-table characters are found as they are (the
    class holds no character beyond the BMP, so neither can such a text)."""
    if _NOT_PLAIN.search(text) is None:
        return sorted(set(_FOLD_KEY.findall(text)))
    quick = text.translate(_WIDE)
    if not unicodedata.is_normalized("NFKC", quick):
        quick = unicodedata.normalize("NFKC", text)
    return sorted(ch for ch in set(quick) if ch in FOLD)


def normalize_slowly(text: str) -> str:
    """`normalize` by its definition (the reference its tests compare with)."""
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD_ORDS)


def char_class(ch: str) -> str:
    """One of CJK, WORD, SEP for a single normalized code point."""
    cp = ord(ch)
    if (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x323AF
        or 0xF900 <= cp <= 0xFAFF
        or cp == 0x3007
        or 0x3040 <= cp <= 0x30FF
        or 0xAC00 <= cp <= 0xD7A3
    ):
        return CJK
    if (
        0x61 <= cp <= 0x7A
        or 0x30 <= cp <= 0x39
        or (0xC0 <= cp <= 0x24F and cp not in (0xD7, 0xF7))
        or 0x370 <= cp <= 0x52F
    ):
        return WORD
    return SEP


# The searchable classes of char_class as one regular expression (much faster than a loop in Python).
CJK_CHARS = "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\U00020000-\U000323af"
_CJK = CJK_CHARS
_WORD = "a-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u052f"
# a searchable character, or a `.` or `,` between two digits (12.5, 1,204.50: a number stays one run)
_CHAR = f"(?:[{_CJK}{_WORD}]|(?<=[0-9])[.,](?=[0-9]))"
_RUN = re.compile(f"{_CHAR}+")
SEARCHABLE = re.compile(f"[{_CJK}{_WORD}]+")  # the searchable characters, without the digit rule
_BIGRAM = re.compile(f"(?=({_CHAR}{{2}}))")
_TRIGRAM = re.compile(f"(?=({_CHAR}{{3}}))")
_SINGLE = re.compile(_CHAR)
_SPACE = re.compile("[ \t\n\r\f\v\u00a0\u3000]+")  # what separates the words of a query


def scan(text: str) -> list[str]:
    """The runs of searchable characters of the normalized text."""
    return _RUN.findall(normalize(text))


def tokenize(text: str) -> list[str]:
    """Index-side tokens of a text, with repeats (term frequency counts): its characters, then its
    bigrams, then its trigrams, then its joints (the order does not matter to the index; the JS side
    gives the same list)."""
    norm = normalize(text)
    return _SINGLE.findall(norm) + _BIGRAM.findall(norm) + _TRIGRAM.findall(norm) + joints(_RUN.findall(norm))


def joints(runs: list[str]) -> list[str]:
    """Where one run ends and the next begins: the last character of each run, a space and the first
    of the next (`示财发〔2025〕3号`: `发 2`, `5 3`). A query of several runs holds them too, so its
    candidates have its runs side by side, not only somewhere in the text."""
    return [a[-1] + " " + b[0] for a, b in zip(runs, runs[1:], strict=False)]


def collapse(text: str) -> str:
    """The normalized text with every stretch of non-searchable characters one space, trimmed."""
    return " ".join(scan(text))


def query_words(text: str) -> list[str]:
    """The query's words (split at white space), collapsed, distinct, empty ones dropped."""
    words = (collapse(w) for w in _SPACE.split(text))
    return list(dict.fromkeys(w for w in words if w))


def terms_of_word(word: str) -> list[str]:
    """Per run: itself when it has one or two characters, else its trigrams; when it has more than
    MAX_TRIGRAMS of them, trigrams that cover it instead: from its start every third, and the last
    one. A run of four or more characters is checked against the text anyway (`needs_check`), so
    the trigrams left out of a long run only make fewer candidates, at the cost of more postings."""
    out = []
    for run in word.split(" "):
        if len(run) <= 2:
            out.append(run)
            continue
        starts = list(range(len(run) - 2))
        if len(starts) > MAX_TRIGRAMS:
            starts = list(range(0, len(run) - 2, 3))
            if starts[-1] != len(run) - 3:
                starts.append(len(run) - 3)
        out.extend(run[i : i + 3] for i in starts)
    runs = word.split(" ")
    return out + joints(runs) if len(runs) > 1 else out


MAX_TRIGRAMS = 6  # trigrams of one run of a query before it takes a cover instead


def query_terms(text: str) -> list[str]:
    """Query-side terms: distinct, in order of appearance."""
    return list(dict.fromkeys(t for w in query_words(text) for t in terms_of_word(w)))


def needs_check(words: list[str]) -> bool:
    """Whether holding every term leaves some word unproven (see the module's docstring)."""
    return any(" " in w or len(w) > 3 for w in words)


def matches(words: list[str], parts: list[str]) -> bool:
    """Whether every query word is found in the collapsed text of one of the parts."""
    collapsed = [f" {collapse(p)} " for p in parts]
    return all(any(w in c for c in collapsed) for w in words)


def hash32(term: str) -> int:
    """32-bit FNV-1a over the code points of a term."""
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def is_unigram(term: str) -> bool:
    """A single character: kept in its own shard family, loaded only by one-character runs."""
    return len(term) == 1


def family_of(term: str) -> str:
    """The shard family of a term: `u` characters, `t` bigrams (and longer words), `g` trigrams and joints."""
    return "u" if len(term) == 1 else "g" if len(term) == 3 else "t"


def shard_of(term: str, count: int) -> int:
    return hash32(term) % count


def fold_bucket(ch: str) -> int:
    return ord(ch) % FOLD_BUCKETS
