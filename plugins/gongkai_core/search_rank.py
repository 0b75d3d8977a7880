"""How the search index weighs a term in a field (BM25, as lunr does), shared by the index's two
builders (`search_index._postings` and `search_fast`) and read by the page (`search.js`)."""

from __future__ import annotations

import math
from bisect import bisect_right

FIELDS = ("title", "meta", "body")

K1, B = 1.2, 0.75  # BM25's parameters (lunr's defaults)
IMPACT_SCALE = 20  # a posting's impact: BM25's term-frequency part × this, rounded (1 … 44)

# A field's length enters BM25 by its class only: round(4 × log2(length + 1)), steps of about 19 %.
# The class is found by comparing with these bounds (no logarithm: the same class on every machine
# and in both builders below), and weighed at its representative length.
LENGTH_BOUNDS = tuple(2 ** ((k - 0.5) / 4) for k in range(1, 200))
LENGTH_OF_CLASS = tuple(2 ** (c / 4) - 1 for c in range(200))


def length_class(length: int) -> int:
    """The class of a field length (tokens): round(4 × log2(length + 1)) by `LENGTH_BOUNDS`."""
    return bisect_right(LENGTH_BOUNDS, length + 1)


def rounded_average(average: float) -> float:
    """The average field length rounded to about 1/16 of itself: a whole number of tokens, a multiple of
    a power of two (see `update_search_index`: an edit then seldom moves it; BM25's length
    normalisation barely notices)."""
    if average < 32:
        return float(max(1, round(average)))
    step = 2 ** (math.floor(math.log2(average)) - 4)
    return float(round(average / step) * step)


def norm(length: float, average: float, k1: float = K1, b: float = B) -> float:
    """BM25's length normalisation of a field."""
    return k1 * (1 - b + b * (length / (average or 1)))


def impact(tf: int, length_cls: int, average: float) -> int:
    """What a posting stores: BM25's term-frequency part, (k1 + 1) tf / (norm + tf), for the field's
    length class, × IMPACT_SCALE, rounded (at least 1). The page multiplies it by the term's idf
    (from the number of postings it holds) and the field's boost: nothing in a posting depends on
    other documents, so an edit rewrites only the terms whose count changed in the edited text."""
    part = (K1 + 1) * tf / (norm(LENGTH_OF_CLASS[length_cls], average) + tf)
    return max(1, round(part * IMPACT_SCALE))


def idf_of(documents_with_term: int, document_count: int) -> float:
    """lunr.idf.idf for a term in this many (document, field) postings (the page computes the same)."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def averages(field_lengths: tuple[list[int], ...]) -> list[float]:
    count = len(field_lengths[0])
    return [rounded_average(sum(ls) / count) if count else 0.0 for ls in field_lengths]


def record_lengths(field_lengths: tuple[list[int], ...], lengths: dict[str, int] | None) -> None:
    if lengths is None:
        return
    for f, name in enumerate(FIELDS):
        lengths[name] = lengths.get(name, 0) + sum(field_lengths[f])
        for doc, length in enumerate(field_lengths[f]):
            lengths[f"{name}/{doc}"] = length
