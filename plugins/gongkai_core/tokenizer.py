"""The search tokenizer; `tokenizer.js` beside this file implements the same functions.

Chinese has no spaces between words, so we do not try to find words: CJK text is cut into
characters and overlapping character bigrams, and a query's bigrams must all be present.

Steps, identical in Python and JS:

1. **normalize**: Unicode NFKC (full-width `ＡＢＣ１２３` becomes `abc123` after step 2), lower
   case, then fold Traditional→Simplified one code point at a time with `data/t2s.json`
   (generated from OpenCC by `make_fold_table.py`; chains resolved, so folding is idempotent).
2. **scan** the normalized text by code point into runs:
   - *CJK runs*: Han ideographs (U+3400–4DBF, U+4E00–9FFF, U+F900–FAFF, U+20000–323AF),
     〇 (U+3007), kana (U+3040–30FF) and Hangul syllables (U+AC00–D7A3);
   - *word runs*: `a-z`, `0-9`, Latin letters U+00C0–024F (not × ÷), Greek and Cyrillic
     U+0370–052F;
   - *joiners* `- / . _` between two word runs join them into a **compound**
     (`sl0000001/2025-00012`, `2025-02-01`, `1.5`);
   - everything else (spaces, punctuation such as 〔〕《》，。, emoji) separates.
3. **index tokens** (`tokenize`), in order of appearance:
   - CJK run `c0 c1 … cn`: every character and every overlapping bigram:
     `c0, c0c1, c1, c1c2, …, cn`. So `征` alone and `征地` both find `征地公告`.
   - compound of parts `p0 … pk`: every part whole, and every span of 2–4 adjacent parts
     joined by `-` (whatever the joiner was). `SL0000001/2025-00012` gives `sl0000001`,
     `2025`, `sl0000001-2025`, `00012`, `2025-00012`, `sl0000001-2025-00012`; so the whole
     索引号, `2025-00012`, `2025/00012` or `00012` finds it. A 文号 `示财发〔2025〕3号` gives
     `示 示财 财 财发 发`, `2025`, `3`, `号`: the brackets separate, numbers stay whole.
   - a word longer than 64 characters is dropped (base64 debris, not something people type).
4. **query terms** (`query_terms`): distinct, in order of appearance:
   - a CJK run of one character gives that character; a longer run gives only its bigrams
     (the unigrams would match nearly everything);
   - a compound gives its whole span joined by `-` (up to 4 parts; longer ones give every
     4-part window), a single word gives itself.
   The search page requires every term first (entries holding all terms rank first), then
   lists entries holding only some terms after them.

`shard_of(term, n)` is a 32-bit FNV-1a hash over the term's code points, modulo n; the index
writer and the browser use it to agree on which shard holds a term.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from types import MappingProxyType

FOLD_TABLE_PATH = Path(__file__).with_name("data") / "t2s.json"
FOLD: MappingProxyType[str, str] = MappingProxyType(json.loads(FOLD_TABLE_PATH.read_text(encoding="utf-8")))

JOINERS = frozenset("-/._")
MAX_SPAN = 4  # parts in one compound token
MAX_WORD = 64  # longer words are dropped

CJK, WORD, JOIN, SEP = "c", "w", "j", "s"


def normalize(text: str) -> str:
    """NFKC, lower case, Traditional→Simplified by the fold table."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    return "".join(FOLD.get(ch, ch) for ch in lowered)


def char_class(ch: str) -> str:
    """One of CJK, WORD, JOIN, SEP for a single normalized code point."""
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
    if ch in JOINERS:
        return JOIN
    return SEP


# The same classes as char_class, as one regular expression (much faster than a loop in Python).
_CJK = "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\U00020000-\U000323af"
_WORD = "a-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u052f"
_RUNS = re.compile(f"([{_CJK}]+)|([{_WORD}]+(?:[-/._][{_WORD}]+)*)")
_JOINER = re.compile("[-/._]")


def scan(text: str) -> list[tuple[str, list[str]]]:
    """Runs of the normalized text: (CJK, [chars]) or (WORD, [parts of a compound])."""
    return [
        (CJK, list(m[1])) if m[1] else (WORD, _JOINER.split(m[2])) for m in _RUNS.finditer(normalize(text))
    ]


def _word_tokens(parts: list[str]) -> list[str]:
    out: list[str] = []
    for end, part in enumerate(parts):
        if len(part) <= MAX_WORD:
            out.append(part)
        for start in range(end - 1, max(end - MAX_SPAN, -1), -1):
            span = parts[start : end + 1]
            if all(len(p) <= MAX_WORD for p in span):
                out.append("-".join(span))
    return out


def tokenize(text: str) -> list[str]:
    """Index-side tokens of a text, with repeats (term frequency counts)."""
    out: list[str] = []
    for kind, items in scan(text):
        if kind == CJK:
            for i, ch in enumerate(items):
                out.append(ch)
                if i + 1 < len(items):
                    out.append(ch + items[i + 1])
        else:
            out.extend(_word_tokens(items))
    return out


def query_terms(text: str) -> list[str]:
    """Query-side terms: distinct, in order of appearance."""
    out: list[str] = []
    for kind, items in scan(text):
        if kind == CJK:
            if len(items) == 1:
                out.append(items[0])
            else:
                out.extend(items[i] + items[i + 1] for i in range(len(items) - 1))
        else:
            parts = [p for p in items if len(p) <= MAX_WORD]
            if len(parts) <= MAX_SPAN:
                if parts:
                    out.append("-".join(parts))
            else:
                out.extend("-".join(parts[i : i + MAX_SPAN]) for i in range(len(parts) - MAX_SPAN + 1))
    return list(dict.fromkeys(out))


def hash32(term: str) -> int:
    """32-bit FNV-1a over the code points of a term."""
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def is_unigram(term: str) -> bool:
    """A single CJK character: kept in its own shard family, loaded only by 1-char queries."""
    return len(term) == 1 and char_class(term) == CJK


def shard_of(term: str, count: int) -> int:
    return hash32(term) % count
