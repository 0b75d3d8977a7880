"""Build the sharded search index from published documents (no Pelican here).

lunr.py computes the model: a bare `lunr.Builder` (empty pipeline: no stemmer, no stop
words, no positions) over three fields, `title` (boosted), `meta` (索引号, 文号, 发布机构,
栏目, 年份) and `body` (a leading excerpt), fed with the tokens of `tokenizer.py`. Its BM25
field vectors are then cut by term into shards that the browser loads as scripts
(`<script src>` works from file://, fetch() does not), and `search.js` rebuilds a lunr.js
index (`lunr.Index.load`) from the shards a query needs. lunr scores a document as
Σ(query weight × stored term weight) / |query|, so a shard holding some terms with their
global weights scores exactly like the whole index for queries on those terms.

Files written under the output's `search/` folder (paths relative to it):

- `meta.js`    `GongkaiSearch.addMeta({...})`: fields, shard counts, doc count, the column
               and year of every doc (for filters), the lists of columns and years.
- `t/<n>.js`   `GongkaiSearch.addShard("t<n>", {term: postings})` for terms of two or more
               characters (bigrams, words, numbers), by `shard_of(term, shards["t"])`.
- `u/<n>.js`   the same for single CJK characters (only one-character queries load these).
- `t2s.js`     `GongkaiTokenizer.setFoldTable({...})`: `data/t2s.json` for tokenizer.js.
- `d/<n>.js`   `GongkaiSearch.addDocs(<n>, [[title, url, publisher, date, snippet], ...])`,
               `doc_shard` documents each, so a results page loads only its own docs.

Postings of a term: flat list `[field, count, Δdoc × count, weight × count, field, …]` with
field the position in `FIELDS`, doc numbers ascending as deltas, weights as lunr's
3-decimal BM25 weight × 1000 (an integer, so nothing is lost).
"""

from __future__ import annotations

import gc
import json
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from lunr.builder import Builder
from lunr.idf import idf

from .tokenizer import FOLD, is_unigram, shard_of, tokenize

FIELDS = ("title", "meta", "body")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SearchDoc:
    """What the index knows of one published entry or page."""

    url: str
    title: str
    index_no: str = ""
    doc_no: str = ""
    publisher: str = ""
    column: str = ""
    column_name: str = ""
    year: str = ""
    date: str = ""  # YYYY-MM-DD
    summary: str = ""  # plain text, leading part of the body

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SearchDoc:
        names = cls.__dataclass_fields__
        return cls(**{k: "" if v is None else str(v) for k, v in data.items() if k in names})


def doc_digest(doc: SearchDoc, chars: int) -> str:
    """Hash of what the index takes from a document (its text only up to `chars`)."""
    import hashlib

    values = (doc.url, doc.title, doc.index_no, doc.doc_no, doc.publisher, doc.column, doc.column_name, doc.year,
              doc.date, doc.summary[:chars])
    return hashlib.sha256(repr(values).encode()).hexdigest()


@dataclass(frozen=True)
class IndexSettings:
    body_chars: int = 240  # leading characters of the body that are indexed
    snippet_chars: int = 120  # leading characters shipped for result snippets
    title_boost: int = 10
    meta_boost: int = 3
    shard_bytes: int = 16_000  # aimed average size of a term shard, raw
    max_shards: int = 4096
    doc_shard: int = 10  # documents per doc-store file


@dataclass
class SearchIndex:
    """The files to write (path relative to `search/` → text) and a few counts."""

    files: dict[str, str] = field(default_factory=dict)
    doc_count: int = 0
    term_count: int = 0
    posting_count: int = 0
    shards: dict[str, int] = field(default_factory=dict)


class _TextExtractor(HTMLParser):
    SKIP = frozenset({"script", "style", "template"})
    BLOCK = frozenset(
        {"p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6", "caption"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _js_literal(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # U+2028/9 end a line in pre-2019 JavaScript string literals.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(call: str, *args: object) -> str:
    return f"GongkaiSearch.{call}(" + ",".join(_js_literal(a) for a in args) + ");\n"


def _fields_of(doc: SearchDoc, settings: IndexSettings) -> dict[str, list[str]]:
    meta = " ".join(x for x in (doc.index_no, doc.doc_no, doc.publisher, doc.column_name, doc.year) if x)
    return {
        "title": tokenize(doc.title),
        "meta": tokenize(meta),
        "body": tokenize(doc.summary[: settings.body_chars]),
    }


class FastBuilder(Builder):
    """`lunr.Builder` fed with ready-made tokens, without lunr.py's per-token overhead.

    Stock `Builder.add` wraps every token in a `Token` with a deep-copied metadata dict,
    keeps a `defaultdict(list)` per posting and a term-frequency dict per field, and
    `_create_field_vectors` inserts each weight into a `Vector` by binary search: at
    10,000 entries that took most of the build time and over 1 GB. Here a posting keeps
    the term frequency (lunr's `idf` only counts postings), and `postings()` applies
    lunr.py's BM25 formula (same `idf`, k1, b, field boosts, rounding to 3 decimals)
    term by term. `tests/unit/test_search_index.py` checks the weights equal the stock
    builder's field vectors.
    """

    def add_tokens(self, doc: int, fields: Mapping[str, list[str]]) -> None:
        self._documents[doc] = {}
        self.document_count += 1
        for field_name in self._fields:
            tokens = fields.get(field_name) or ()
            self.field_lengths[f"{field_name}/{doc}"] = len(tokens)
            for term, tf in Counter(tokens).items():
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                posting[field_name][doc] = tf

    def postings(self) -> Iterator[tuple[str, str, list[tuple[int, float]]]]:
        """(term, field, [(doc, weight)]) by term, then field order; docs as added."""
        self._calculate_average_field_lengths()
        k1, b = self._k1, self._b
        norms = {}
        for field_ref, length in self.field_lengths.items():
            field_name, _, doc = field_ref.partition("/")
            norms[(field_name, int(doc))] = k1 * (
                1 - b + b * (length / (self.average_field_length[field_name] or 1))
            )
        for term in sorted(self.inverted_index):
            posting = self.inverted_index[term]
            term_idf = idf(posting, self.document_count)
            for field_name, spec in self._fields.items():
                docs = posting[field_name]
                if not docs:
                    continue
                boost = spec.boost
                yield (
                    term,
                    field_name,
                    [
                        (doc, round(term_idf * ((k1 + 1) * tf) / (norms[(field_name, doc)] + tf) * boost, 3))
                        for doc, tf in docs.items()
                    ],
                )


def new_builder(settings: IndexSettings) -> FastBuilder:
    builder = FastBuilder()  # bare: empty pipeline, no stemmer or stop-word filter
    builder.ref("id")
    builder.field("title", boost=settings.title_boost)
    builder.field("meta", boost=settings.meta_boost)
    builder.field("body")
    return builder


def _postings(token_lists: Iterable[dict[str, list[str]]], settings: IndexSettings) -> dict[str, list[int]]:
    builder = new_builder(settings)
    for doc, fields in enumerate(token_lists):
        builder.add_tokens(doc, fields)
    field_no = {name: i for i, name in enumerate(FIELDS)}
    out: dict[str, list[int]] = {}
    for term, field_name, pairs in builder.postings():
        flat = out.setdefault(term, [])
        flat += [field_no[field_name], len(pairs)]
        prev = 0
        for doc, _ in pairs:
            flat.append(doc - prev)
            prev = doc
        flat += [round(w * 1000) for _, w in pairs]
    return out


def _shard_count(total_bytes: int, settings: IndexSettings) -> int:
    count = 1
    while count * settings.shard_bytes < total_bytes and count < settings.max_shards:
        count *= 2
    return count


def build_search_index(
    docs: Iterable[SearchDoc | Mapping[str, object]], settings: IndexSettings | None = None
):
    """The search files for these documents; output depends only on their content."""
    settings = settings or IndexSettings()
    items = [d if isinstance(d, SearchDoc) else SearchDoc.from_mapping(d) for d in docs]
    items.sort(key=lambda d: (d.date, d.url), reverse=True)  # newest first: doc numbers are ranks of recency
    index = SearchIndex(doc_count=len(items))

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small containers, no cycles: collection passes only cost time
    try:
        postings = _postings((_fields_of(d, settings) for d in items), settings) if items else {}
    finally:
        if gc_was_enabled:
            gc.enable()
    index.term_count = len(postings)
    index.posting_count = sum(sum(flat[i + 1] for i in _field_starts(flat)) for flat in postings.values())

    families: dict[str, dict[str, list[int]]] = {"t": {}, "u": {}}
    for term, flat in postings.items():
        families["u" if is_unigram(term) else "t"][term] = flat
    for family, terms in families.items():
        size = sum(len(t) * 3 + len(_js_literal(f)) for t, f in terms.items())
        count = _shard_count(size, settings)
        index.shards[family] = count
        buckets: dict[int, dict[str, list[int]]] = defaultdict(dict)
        for term, flat in terms.items():
            buckets[shard_of(term, count)][term] = flat
        for n in sorted(buckets):
            index.files[f"{family}/{n}.js"] = _script("addShard", f"{family}{n}", buckets[n])

    columns = sorted({(d.column, d.column_name or d.column) for d in items if d.column})
    column_no = {key: i for i, (key, _) in enumerate(columns)}
    years = sorted({d.year for d in items if d.year}, reverse=True)
    year_no = {y: i for i, y in enumerate(years)}
    meta = {
        "v": FORMAT_VERSION,
        "fields": list(FIELDS),
        "shards": index.shards,
        "docs": len(items),
        "docShard": settings.doc_shard,
        "columns": [list(c) for c in columns],
        "years": years,
        "docColumn": [column_no.get(d.column, -1) for d in items],
        "docYear": [year_no.get(d.year, -1) for d in items],
    }
    index.files["meta.js"] = _script("addMeta", meta)
    index.files["t2s.js"] = f"GongkaiTokenizer.setFoldTable({_js_literal(dict(FOLD))});\n"
    for start in range(0, len(items), settings.doc_shard):
        rows = [
            [d.title, d.url, d.publisher, d.date, d.summary[: settings.snippet_chars]]
            for d in items[start : start + settings.doc_shard]
        ]
        index.files[f"d/{start // settings.doc_shard}.js"] = _script(
            "addDocs", start // settings.doc_shard, rows
        )
    return index


def _field_starts(flat: list[int]) -> list[int]:
    starts, i = [], 0
    while i < len(flat):
        starts.append(i)
        i += 2 + 2 * flat[i + 1]
    return starts


def write_search_index(index: SearchIndex, out_dir: Path, previous_dir: Path | None = None) -> list[Path]:
    """Replace `out_dir` with the index files; stale shards of an earlier build never remain.
    A file equal to the one in `previous_dir` (the previous build's index) is hard-linked from it."""
    from .outfiles import write_bytes

    if out_dir.exists():
        shutil.rmtree(out_dir)
    written = []
    for rel_path in sorted(index.files):
        path = out_dir / rel_path
        write_bytes(path, index.files[rel_path].encode("utf-8"), previous_dir, out_dir)
        written.append(path)
    return written
