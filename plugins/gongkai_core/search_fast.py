"""The search index's postings computed with numpy: the same text as `search_index._postings`.

`search_index._postings` is the reference (plain Python, a Counter per field and a loop per
posting); at 10,000 entries with whole bodies that is about a minute. Here every text becomes an
array of code points, its terms are numbers (a character is its code point, a bigram and a trigram
their code points side by side in 21 bits each), counted per field with `numpy.unique`, grouped by
term with one stable sort, and the flat postings (`[field, count, Δdoc …, impact …]`) are laid out
for all terms at once; only the final digits are Python's `str`. Impacts come from
`search_rank.impact` for each distinct (field, count, length class), so the numbers are Python's
own. `tests/unit/test_search_fast.py` checks byte equality with the reference on random texts of
every character class; when numpy is missing or fails, the build uses the reference.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import search_rank, tokenizer

MASK = (1 << 21) - 1
_SEARCHABLE: np.ndarray | None = None


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


def term_ids(normalized: str) -> np.ndarray:
    """The index tokens of a normalized text (`tokenizer.tokenize`, with repeats) as numbers: a
    character its code point, a bigram or trigram its code points side by side, 21 bits each, a joint
    (`tokenizer.joints`) as the trigram of its two characters with a space between."""
    if not normalized:
        return np.zeros(0, dtype=np.uint64)
    cps = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    mask = searchable_table()[cps]
    if len(cps) > 2:
        digit = (cps >= 0x30) & (cps <= 0x39)
        between = ((cps[1:-1] == 0x2E) | (cps[1:-1] == 0x2C)) & digit[:-2] & digit[2:]
        mask[1:-1] |= between
    parts = [cps[mask]]
    if len(cps) > 1:
        pair = mask[:-1] & mask[1:]
        parts.append((cps[:-1][pair] << np.uint64(21)) | cps[1:][pair])
        if len(cps) > 2:
            three = pair[:-1] & mask[2:]
            parts.append(
                (cps[:-2][three] << np.uint64(42)) | (cps[1:-1][three] << np.uint64(21)) | cps[2:][three]
            )
    # joints: the last character of a run, a space, the first of the next (`tokenizer.joints`)
    edge = np.diff(mask.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1) - 1
    if len(starts) > 1:
        parts.append((cps[ends[:-1]] << np.uint64(42)) | SPACE_MIDDLE | cps[starts[1:]])
    return np.concatenate(parts)


SPACE_MIDDLE = np.uint64(0x20 << 21)


def term_text(term_id: int) -> str:
    if term_id < 1 << 21:
        return chr(term_id)
    if term_id < 1 << 42:
        return chr(term_id >> 21) + chr(term_id & MASK)
    return chr(term_id >> 42) + chr((term_id >> 21) & MASK) + chr(term_id & MASK)


def postings(
    field_texts: Sequence[Sequence[Sequence[str]]], lengths: dict[str, int] | None
) -> dict[str, str]:
    """Flat postings as JSON by term, as `search_index._postings` gives them for the same texts
    (`field_texts[doc][field]`: the texts of that field, `FIELDS` order)."""
    field_count = len(search_rank.FIELDS)
    field_lengths: tuple[list[int], ...] = tuple([] for _ in range(field_count))
    # per field, each document's distinct term ids (ascending) and their counts
    pieces: list[list[tuple[int, np.ndarray, np.ndarray]]] = [[] for _ in range(field_count)]
    normalize = tokenizer.normalize
    for doc, fields in enumerate(field_texts):
        for f in range(field_count):
            texts = fields[f]
            arrays = [term_ids(normalize(t)) for t in texts if t]
            ids = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint64)
            field_lengths[f].append(len(ids))
            if len(ids):
                unique, counts = np.unique(ids, return_counts=True)
                pieces[f].append((doc, unique, counts.astype(np.uint32)))
    search_rank.record_lengths(field_lengths, lengths)
    averages = search_rank.averages(field_lengths)
    doc_count = len(field_lengths[0])
    if lengths is not None:
        lengths["_postings"] = sum(len(unique) for part in pieces for _, unique, _ in part)
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
    out: dict[str, str] = {}
    # one family of terms at a time (characters, bigrams, trigrams: id ranges), a large family in
    # parts of about PART_POSTINGS postings by id, to bound the memory
    for low, high in ((0, 1 << 21), (1 << 21, 1 << 42), (1 << 42, 1 << 63)):
        for lo, hi in _parts(pieces, low, high):
            ids_parts, tfs_parts, docs_parts, fields_parts = [], [], [], []
            for f in range(field_count):
                for doc, unique, counts in pieces[f]:
                    a, b = np.searchsorted(unique, [lo, hi])
                    if b > a:
                        ids_parts.append(unique[a:b])
                        tfs_parts.append(counts[a:b])
                        docs_parts.append(np.full(b - a, doc, dtype=np.int32))
                        fields_parts.append(np.full(b - a, f, dtype=np.int8))
            if ids_parts:
                out.update(
                    _family(
                        np.concatenate(ids_parts),
                        np.concatenate(tfs_parts),
                        np.concatenate(docs_parts),
                        np.concatenate(fields_parts),
                        classes,
                        norms,
                        table,
                    )
                )
            del ids_parts, tfs_parts, docs_parts, fields_parts
    return out


PART_POSTINGS = 8_000_000
TABLE_TF = 255  # impacts of counts up to this are looked up in `impact_table`


def _parts(pieces, low: int, high: int) -> list[tuple[int, int]]:
    """[low, high) cut into id ranges holding about PART_POSTINGS postings each (a term is one id:
    never split), by quantiles of a sample of the ids."""
    total, sample = 0, []
    for part in pieces:
        for _, unique, _ in part:
            a, b = np.searchsorted(unique, [low, high])
            total += b - a
            if b > a:
                sample.append(unique[a:b:16])
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

    # by term, then field, then doc (the arrays are by field, then doc: a stable sort keeps that)
    order = np.argsort(ids, kind="stable")
    ids, docs, fields, impacts = ids[order], docs[order], fields[order], impacts[order]
    del order
    n = len(ids)
    # groups: runs of one (term, field)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (ids[1:] != ids[:-1]) | (fields[1:] != fields[:-1])
    group_start = np.flatnonzero(new_group)
    group_size = np.diff(np.append(group_start, n))
    group_of = np.cumsum(new_group, dtype=np.int32) - 1
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
    at = group_out[group_of] + 2 + (np.arange(n) - group_start[group_of])  # where each Δdoc goes
    stream[at] = deltas
    del deltas
    at += group_size[group_of]
    stream[at] = impacts
    del at, impacts, group_of
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


def decimal_text(values: np.ndarray) -> tuple[str, np.ndarray]:
    """Non-negative integers as decimal digits, each followed by a comma, in one string; with the
    offset just past each comma."""
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
