"""What the on-screen keyboard of a touch-screen kiosk (查阅点, `GONGKAI_TOUCH`) offers.

A kiosk has no input method, so Chinese cannot be typed: the keyboard offers the site's most
frequent words and characters as buttons. Both come from the titles of what the site shows,
folded to Simplified like the search index (`tokenizer.normalize`), so every button finds
something. Words are cut by jieba (the usual Chinese word segmenter; its own dictionary, no
network): words of two characters or more, found in at least two titles and at most half of
them, the most frequent first; the words of the site's own name and issuer (示例县, 人民政府 are
in every title) and function words (关于, 通知) are left out. Deterministic: ties go to the word
seen first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .tokenizer import CJK_CHARS, normalize

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")  # a run of the characters the search index calls CJK

STOP = frozenset({"关于", "印发", "通知", "有关", "意见", "进一步", "加强", "做好", "实施意见"})


@dataclass(frozen=True)
class Keyboard:
    terms: tuple[str, ...]  # frequent words, most frequent first
    chars: tuple[str, ...]  # frequent single characters, most frequent first
    idle: int  # seconds without a touch before a page returns to the home page


@cache
def _segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines on the build's terminal
    return jieba.Tokenizer()


def words(text: str) -> list[str]:
    """The Han words of `text` (normalized), in order."""
    cut = _segmenter().lcut
    out = []
    for run in _CJK_RUN.findall(normalize(text)):
        out.extend(w for w in cut(run, HMM=False) if len(w) >= 2)
    return out


def keyboard(
    texts: Iterable[str], idle: int, terms: int = 24, chars: int = 40, exclude: Iterable[str] = ()
) -> Keyboard:
    """The keyboard for the titles `texts`; `exclude`: names on every page (site, issuer)."""
    texts = [normalize(t) for t in texts]
    own = {w for name in exclude for w in words(name)} | {ch for name in exclude for ch in normalize(name)}
    seen_at: dict[str, int] = {}
    docs: dict[str, int] = {}
    char_count: dict[str, int] = {}
    for text in texts:
        for run in _CJK_RUN.findall(text):
            for ch in run:
                char_count[ch] = char_count.get(ch, 0) + 1
                seen_at.setdefault(ch, len(seen_at))
        for word in set(words(text)):
            docs[word] = docs.get(word, 0) + 1
        for word in words(text):
            seen_at.setdefault(word, len(seen_at))
    limit = max(2, len(texts) // 2)
    found = [
        w
        for w, n in docs.items()
        if 2 <= n <= limit and w not in STOP and w not in own and not all(ch in own for ch in w)
    ]
    found.sort(key=lambda w: (-docs[w], seen_at[w]))
    top_chars = sorted(char_count, key=lambda ch: (-char_count[ch], seen_at[ch]))
    return Keyboard(tuple(found[:terms]), tuple(top_chars[:chars]), idle)
