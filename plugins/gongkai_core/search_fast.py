"""The search index's postings computed with numpy: the same text as `search_index._postings`.

`search_index._postings` is the reference (plain Python, a Counter per field and a loop per
posting); at 10,000 entries with whole bodies that is about a minute. Here the texts of a batch
of documents become one array of code points, its terms are numbers (a character is its code point,
a bigram and a trigram their code points side by side in 18 bits each), counted per document and
field (sorted within each), grouped by term with one stable sort, and the flat postings
(`[field, count, Δdoc …, impact …]`) are laid out
for all terms at once; only the final digits are Python's `str`. Impacts come from
`search_rank.impact` for each distinct (field, count, length class), so the numbers are Python's
own. `tests/unit/test_search_fast.py` checks byte equality with the reference on random texts of
every character class; when numpy is missing or fails, the build uses the reference.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from . import search_rank, tokenizer

_SEARCHABLE: np.ndarray | None = None
_QUICK: np.ndarray | None = None


def searchable_table() -> np.ndarray:
    """For every code point, whether the tokenizer's character class (`tokenizer.SEARCHABLE`) holds
    it: read off that regular expression itself, once, so the two cannot disagree."""
    global _SEARCHABLE  # a constant table, computed on first use (not per-build state)
    if _SEARCHABLE is None:
        every = "".join(map(chr, range(0x110000)))
        table = np.zeros(0x110000, dtype=bool)
        for match in tokenizer.SEARCHABLE.finditer(every):
            table[match.start() : match.end()] = True
        _SEARCHABLE = table
    return _SEARCHABLE


def quick_table() -> np.ndarray:
    """Every code point's image under `tokenizer`'s first step (full-width forms and the fold table,
    one code point each), read off that translation table itself, once."""
    global _QUICK  # a constant table, computed on first use (not per-build state)
    if _QUICK is None:
        table = np.arange(0x110000, dtype=np.uint32)
        for cp, image in tokenizer.WIDE_AND_FOLD.items():
            table[cp] = image if isinstance(image, int) else ord(image)
        _QUICK = table
    return _QUICK


def normalize(text: str) -> str:
    """`tokenizer.normalize`, its translation done by a table lookup over the code points (str.translate
    looks each character up in a dict: the largest cost of a whole body); any text the lookup cannot
    take (a lone surrogate) or that is not NFKC-normal afterwards goes the tokenizer's own way."""
    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return tokenizer.normalize(text)
    quick = quick_table()[points].tobytes().decode("utf-32-le")
    if unicodedata.is_normalized("NFKC", quick):
        return quick.lower()
    return tokenizer.normalize(text)


# A term id packs its code points 18 bits each (every searchable code point, and the joint's space,
# is below 0x40000): a character is its code point, a bigram two, a trigram three side by side. Ids
# sort as the terms do (by family, then code point by code point), and an id with the field in two
# more bits still fits 64 bits.
BITS = 18
MASK = (1 << BITS) - 1
SPACE_MIDDLE = np.uint64(0x20 << BITS)
FAMILIES = ((0, 1 << BITS), (1 << BITS, 1 << 2 * BITS), (1 << 2 * BITS, 1 << 3 * BITS))
BATCH_DOCS = 128  # documents whose texts are tokenized together


def term_text(term_id: int) -> str:
    if term_id < 1 << BITS:
        return chr(term_id)
    if term_id < 1 << 2 * BITS:
        return chr(term_id >> BITS) + chr(term_id & MASK)
    return chr(term_id >> 2 * BITS) + chr((term_id >> BITS) & MASK) + chr(term_id & MASK)


def _tokens(texts: list[str], segment_of_text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index tokens (`tokenizer.tokenize`, with repeats) of normalized texts as term ids, and the
    segment of each (`segment_of_text[i]` for a token of texts[i]). A joint (`tokenizer.joints`) is
    the trigram of its two characters with a space between; runs never join across two texts."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # one string, a text per stretch, a NUL after each: no token spans two texts (NUL is no
    # searchable character and no digit); the lengths, not the NULs, say where a text ends
    cps = np.frombuffer("\0".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    text_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths + 1)[: len(cps)]
    segment = segment_of_text[text_of]
    mask = searchable_table()[cps]
    ids, segments = [], []
    if len(cps):
        if len(cps) > 2:
            digit = (cps >= 0x30) & (cps <= 0x39)
            mask[1:-1] |= ((cps[1:-1] == 0x2E) | (cps[1:-1] == 0x2C)) & digit[:-2] & digit[2:]
        ids.append(cps[mask])
        segments.append(segment[mask])
    if len(cps) > 1:
        pair = mask[:-1] & mask[1:]
        ids.append((cps[:-1][pair] << np.uint64(BITS)) | cps[1:][pair])
        segments.append(segment[:-1][pair])
        if len(cps) > 2:
            three = pair[:-1] & mask[2:]
            ids.append(
                (cps[:-2][three] << np.uint64(2 * BITS))
                | (cps[1:-1][three] << np.uint64(BITS))
                | cps[2:][three]
            )
            segments.append(segment[:-2][three])
    if len(cps):
        # joints: the last character of a run, a space, the first of the next run of the same text
        edge = np.diff(mask.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1) - 1
        if len(starts) > 1:
            last, first = ends[:-1], starts[1:]
            joined = text_of[last] == text_of[first]
            last, first = last[joined], first[joined]
            ids.append((cps[last] << np.uint64(2 * BITS)) | SPACE_MIDDLE | cps[first])
            segments.append(segment[last])
    if not ids:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int16)
    return np.concatenate(ids), np.concatenate(segments)


def _batch(docs: Sequence[Sequence[Sequence[str]]], field_count: int):
    """The distinct terms of each (document, field) of a few documents, with their counts: term ids,
    counts and segments (document × field_count + field, by document) in segment order, ids ascending
    within a segment; and the number of tokens of each segment."""
    texts, segment_of = [], []
    for doc, fields in enumerate(docs):
        for f in range(field_count):
            for text in fields[f]:
                if text:
                    texts.append(normalize(text))
                    segment_of.append(doc * field_count + f)
    segment_count = len(docs) * field_count
    ids, segments = _tokens(texts, np.array(segment_of, dtype=np.int16))
    # by segment (a stable radix sort of small integers), then each segment's ids sorted in place
    order = np.argsort(segments, kind="stable")
    ids, segments = ids[order], segments[order]
    sizes = np.bincount(segments, minlength=segment_count)
    bounds = np.cumsum(sizes).tolist()
    a = 0
    for b in bounds:
        if b - a > 1:
            ids[a:b].sort()
        a = b
    n = len(ids)
    if not n:
        return ids, np.zeros(0, dtype=np.uint32), segments, sizes
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(ids[1:], ids[:-1], out=new[1:])
    new[1:] |= segments[1:] != segments[:-1]
    first = np.flatnonzero(new)
    counts = np.diff(np.append(first, n)).astype(np.uint32)
    return ids[first], counts, segments[first], sizes


def postings(
    field_texts: Sequence[Sequence[Sequence[str]]], lengths: dict[str, int] | None
) -> dict[str, str]:
    """Flat postings as JSON by term, as `search_index._postings` gives them for the same texts
    (`field_texts[doc][field]`: the texts of that field, `FIELDS` order)."""
    field_count = len(search_rank.FIELDS)
    field_lengths: tuple[list[int], ...] = tuple([] for _ in range(field_count))
    # per batch of documents: its first document and (term ids, counts, segments) of its postings
    batches: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, len(field_texts), BATCH_DOCS):
        ids, counts, segments, sizes = _batch(field_texts[first : first + BATCH_DOCS], field_count)
        for f in range(field_count):
            field_lengths[f].extend(sizes[f::field_count].tolist())
        batches.append((first, ids, counts, segments))
    search_rank.record_lengths(field_lengths, lengths)
    averages = search_rank.averages(field_lengths)
    doc_count = len(field_lengths[0])
    if lengths is not None:
        lengths["_postings"] = sum(len(ids) for _, ids, _, _ in batches)
    classes = np.array(
        [[search_rank.length_class(n) for n in field_lengths[f]] for f in range(field_count)], dtype=np.int16
    ).reshape(field_count, doc_count)
    norms = np.array(
        [
            [search_rank.norm(length, averages[f]) for length in search_rank.LENGTH_OF_CLASS]
            for f in range(field_count)
        ]
    )
    table = impact_table(norms)
    # one part of the id space at a time (characters, bigrams, trigrams; a large family in parts of
    # about PART_POSTINGS postings by id), to bound the memory: each batch's postings cut by part
    bounds = [lo for low, high in FAMILIES for lo, _ in _parts(batches, low, high)] + [FAMILIES[-1][1]]
    cuts = np.array(bounds[1:-1], dtype=np.uint64)
    by_part: list[list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in range(len(bounds) - 1)]
    batches.reverse()
    while batches:  # (each batch let go once cut: the postings are held once)
        first, ids, counts, segments = batches.pop()
        part = np.searchsorted(cuts, ids, side="right").astype(np.int16)
        order = np.argsort(part, kind="stable")
        ends = np.cumsum(np.bincount(part, minlength=len(by_part))).tolist()
        ids, counts, segments = ids[order], counts[order], segments[order]
        a = 0
        for k, b in enumerate(ends):
            if b > a:
                by_part[k].append((first, ids[a:b], counts[a:b], segments[a:b]))
            a = b
        del ids, counts, segments, order, part
    out: dict[str, str] = {}
    for k, pieces in enumerate(by_part):
        if not pieces:
            continue
        by_part[k] = []
        ids = np.concatenate([piece[1] for piece in pieces])
        tfs = np.concatenate([piece[2] for piece in pieces])
        segments = np.concatenate([piece[3] for piece in pieces])
        docs = np.concatenate([np.full(len(piece[1]), piece[0], dtype=np.int32) for piece in pieces])
        del pieces
        docs += segments // field_count
        fields = (segments % field_count).astype(np.int8)
        del segments
        out.update(_family(ids, tfs, docs, fields, classes, norms, table))
        del ids, tfs, docs, fields
    return out


PART_POSTINGS = 8_000_000
TABLE_TF = 255  # impacts of counts up to this are looked up in `impact_table`


def _parts(batches, low: int, high: int) -> list[tuple[int, int]]:
    """[low, high) cut into id ranges holding about PART_POSTINGS postings each (a term is one id:
    never split), by quantiles of a sample of the ids."""
    total, sample = 0, []
    for _, ids, _, _ in batches:
        inside = ids[(ids >= low) & (ids < high)]
        total += len(inside)
        sample.append(inside[::16])
    count = -(-total // PART_POSTINGS)
    if count <= 1:
        return [(low, high)]
    ids = np.concatenate(sample)
    cuts = np.unique(np.quantile(ids, np.arange(1, count) / count, method="nearest")).tolist()
    bounds = [low, *(int(c) for c in cuts if low < c < high), high]
    return list(zip(bounds, bounds[1:], strict=False))


def impact_table(norms: np.ndarray) -> np.ndarray:
    """`search_rank.impact` for every field, length class and count up to TABLE_TF, computed as
    `_family` computes it (the same operations on the same doubles)."""
    tf = np.arange(TABLE_TF + 1, dtype=np.float64)
    part = (search_rank.K1 + 1) * tf / (norms[:, :, None] + tf)
    return np.maximum(np.rint(part * search_rank.IMPACT_SCALE), 1).astype(np.int32)


def _family(ids, tfs, docs, fields, classes, norms, table) -> dict[str, str]:
    """The JSON postings of the terms of these postings (by field, then doc), by term."""
    # impact of each posting: `search_rank.impact` in the same floating-point operations, in the same
    # order, on the same doubles (rint and round both round half to even), so the same integers;
    # looked up in the table for counts up to TABLE_TF
    cls = classes[fields, docs]
    impacts = table[fields, cls, np.minimum(tfs, TABLE_TF)]
    big = np.flatnonzero(tfs > TABLE_TF)
    if len(big):
        tf = tfs[big].astype(np.float64)
        part = (search_rank.K1 + 1) * tf / (norms[fields[big], cls[big]] + tf)
        impacts[big] = np.maximum(np.rint(part * search_rank.IMPACT_SCALE), 1)
    del tfs, cls, big

    # by term, then field, then doc (the arrays are by doc: a stable sort by term and field keeps that)
    order = np.argsort((ids << np.uint64(2)) | fields.astype(np.uint64), kind="stable")
    ids, docs, fields, impacts = ids[order], docs[order], fields[order], impacts[order]
    del order
    n = len(ids)
    # groups: runs of one (term, field)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (ids[1:] != ids[:-1]) | (fields[1:] != fields[:-1])
    group_start = np.flatnonzero(new_group)
    group_size = np.diff(np.append(group_start, n))
    # output layout: per group [field, count, Δdoc × count, impact × count]
    group_out = np.cumsum(np.append(0, 2 + 2 * group_size))
    stream = np.empty(group_out[-1], dtype=np.int32)
    stream[group_out[:-1]] = fields[group_start]
    stream[group_out[:-1] + 1] = group_size
    del fields
    deltas = docs.copy()
    deltas[1:] -= docs[:-1]
    deltas[new_group] = docs[new_group]
    del docs, new_group
    # where each Δdoc goes: its group's place in the output, 2 on, plus its place within the group
    at = np.arange(n, dtype=np.int64)
    at += np.repeat(group_out[:-1] + 2 - group_start, group_size)
    stream[at] = deltas
    del deltas
    at += np.repeat(group_size, group_size)  # and its impact, the group's count further on
    stream[at] = impacts
    del at, impacts
    # terms: runs of groups with one id
    group_ids = ids[group_start]
    del ids
    new_term = np.ones(len(group_ids), dtype=bool)
    new_term[1:] = group_ids[1:] != group_ids[:-1]
    term_first_group = np.flatnonzero(new_term)
    term_starts = group_out[term_first_group]
    term_ends = group_out[1:][np.append(term_first_group[1:] - 1, len(group_ids) - 1)]
    term_id_list = group_ids[term_first_group].tolist()
    out = {}
    # the digits, a few million numbers at a time (a term's numbers never split)
    first = 0
    while first < len(term_id_list):
        last = int(np.searchsorted(term_starts, term_starts[first] + CHUNK, side="right"))
        last = max(last, first + 1)
        base = int(term_starts[first])
        text, ends = decimal_text(stream[base : int(term_ends[last - 1])])
        offsets = np.append(0, ends)
        # each number ends with a comma: a term's JSON array is its numbers' text without the last comma
        starts = offsets[term_starts[first:last] - base].tolist()
        stops = (offsets[term_ends[first:last] - base] - 1).tolist()
        for term_id, a, b in zip(term_id_list[first:last], starts, stops, strict=True):
            out[term_text(term_id)] = "[" + text[a:b] + "]"
        first = last
    return out


CHUNK = 4_000_000  # numbers turned into digits at once (bounds the memory of `decimal_text`)


SMALL_DIGITS = 5  # numbers below 10**5 (every Δdoc and impact of a site under 100,000 documents) …
_SMALL: tuple[np.ndarray, np.ndarray] | None = None


def _small_table() -> tuple[np.ndarray, np.ndarray]:
    """… are looked up: each one's digits and comma right-aligned in a row of zero bytes, and its length."""
    global _SMALL  # a constant table, computed on first use (not per-build state)
    if _SMALL is None:
        numbers = np.arange(10**SMALL_DIGITS, dtype=np.int64)
        rows = np.zeros((len(numbers), SMALL_DIGITS + 1), dtype=np.uint8)
        rows[:, SMALL_DIGITS] = ord(",")
        length = np.ones(len(numbers), dtype=np.int64)
        for place in range(SMALL_DIGITS):
            rows[:, SMALL_DIGITS - 1 - place] = numbers // 10**place % 10 + 48
            if place:
                length += numbers >= 10**place
        rows[np.arange(SMALL_DIGITS + 1)[None, :] < (SMALL_DIGITS - length)[:, None]] = 0
        _SMALL = rows, length + 1
    return _SMALL


def decimal_text(values: np.ndarray) -> tuple[str, np.ndarray]:
    """Non-negative integers as decimal digits, each followed by a comma, in one string; with the
    offset just past each comma."""
    if len(values) and int(values.max()) < 10**SMALL_DIGITS:
        rows, lengths = _small_table()
        flat = rows[values].ravel()
        return flat[flat != 0].tobytes().decode("ascii"), np.cumsum(lengths[values])
    digits = np.ones(len(values), dtype=np.int8)
    power = 10
    while True:
        more = values >= power
        if not more.any():
            break
        digits += more
        power *= 10
    ends = np.cumsum(digits + 1, dtype=np.int64)
    buffer = np.full(int(ends[-1]) if len(ends) else 0, ord(","), dtype=np.uint8)
    rest, position = values, ends - 2  # the last digit of each number, then the one before …
    while len(rest):
        rest, digit = np.divmod(rest, 10)
        buffer[position] = digit + 48
        more = rest > 0
        rest, position = rest[more], position[more] - 1
    return buffer.tobytes().decode("ascii"), ends
