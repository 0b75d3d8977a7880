"""Build the sharded search index from published documents (no Pelican here).

Search has substring semantics (rules in `tokenizer.py`): every character, bigram and trigram
of a document's text is a term; the page takes the documents holding every term of the query
as candidates, ranks them, and checks each one it shows against the document's own text, so a
result always contains the query. Three fields: `title`, `meta` (the 信息索引: 索引号, 文号,
发布机构, 主题分类, 关键词, 栏目, dates) and `body` (摘要 and 正文, every table of the 正文 and every data
table row by row (`html_text_and_tables`, each its own 表格：… part), the
data block's sentences, the text of every attachment: `body_parts`, up to `body_chars`). Each
posting carries the term's *impact* in that field: BM25's term-frequency part (k1 1.2, b 0.75) for
the field's length class (`length_class`, steps of about 19 %) and its rounded average length,
× IMPACT_SCALE, an integer; the page multiplies it by the term's idf (lunr's, from the number of
postings the term has) and the field's boost (title 10, 信息索引 3, body 1), ranks by the first
field holding every term (title, 信息索引, body), then the summed weights. Nothing in a posting
depends on other documents, so an edit rewrites only the shards of the terms whose count changed
(`update_search_index`). The postings are computed with numpy (`search_fast`), falling back to
the plain-Python reference `_postings` (the same bytes, tested). No search library is used on
either side: the format is ours and small.

Files written under the output's `search/` folder (paths relative to it), each a script that
registers itself (`<script src>` works from file://, fetch() does not):

- `meta.js`    `GongkaiSearch.addMeta({...})`: fields, boosts, shard counts, doc count, the column
               and year of every doc (for filters), the lists of columns and years.
- `u/<n>.js`   `GongkaiSearch.addShard("u<n>", {term: postings})` for single characters (loaded
               only by one-character queries), by `shard_of(term, shards["u"])`;
- `t/<n>.js`   the same for bigrams (two-character queries), `g/<n>.js` for trigrams (longer ones).
- `f/<n>.js`   `GongkaiTokenizer.addFold({...})`: the part of `data/t2s.json` for the characters
               whose `fold_bucket` is n; a query loads the parts of its own characters.
- `x/<n>.js`   `GongkaiSearch.addDoc(n, [title, url, publisher, date, [[label, text], …], fold])`:
               one per document, what the result shows and every text a match is checked
               against (标题, 信息索引, 正文, 表格：…, 说明, 附件：…), with the fold-table entries
               its characters need; loaded only for the candidates a results page looks at.

The average field lengths are rounded to about 1/16 (`rounded_average`): an edit of a few texts
almost never moves them (when it does, the whole index is built again).

Postings of a term: flat list `[field, count, Δdoc × count, impact × count, field, …]` with
field the position in `FIELDS`, doc numbers ascending as deltas, impacts as above.
"""

from __future__ import annotations

import gc
import json
import shutil
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from .search_rank import (
    FIELDS,
    averages as _averages,
    impact,
    length_class,
    record_lengths as _record_lengths,
    rounded_average,
)
from .tokenizer import FOLD, FOLD_BUCKETS, family_of, fold_bucket, foldable, shard_of, tokenize

FORMAT_VERSION = 2


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
    date: str = ""  # YYYY-MM-DD (发布日期)
    topic: str = ""  # 主题分类
    date_written: str = ""  # 成文日期
    keywords: str = ""  # 关键词, separated by spaces
    summary: str = ""  # plain text of the body (摘要 and 正文)
    # what else a reader can read of it, each (label, plain text): 信息索引 fields beyond the ones
    # above, its data tables row by row, the text of each attachment
    parts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SearchDoc:
        names = cls.__dataclass_fields__
        values = {k: "" if v is None else str(v) for k, v in data.items() if k in names and k != "parts"}
        parts = tuple((str(label), str(text)) for label, text in data.get("parts") or ())
        return cls(**values, parts=parts)

    def meta_text(self) -> str:
        """The 信息索引 fields the index holds as `meta` (ranked between the title and the body)."""
        fields = (
            ("索引号", self.index_no),
            ("文号", self.doc_no),
            ("发布机构", self.publisher),
            ("主题分类", self.topic),
            ("关键词", self.keywords),
            ("栏目", self.column_name),
            ("成文日期", self.date_written),
            ("发布日期", self.date),
        )
        return " ".join(f"{label}：{value}" for label, value in fields if value)


def body_parts(doc: SearchDoc, chars: int) -> list[tuple[str, str]]:
    """(label, text) of the body and the other parts, in order, cut to `chars` characters in all:
    what the index takes as `body` and what the page checks a match against and shows."""
    out, left = [], chars
    for label, text in (("正文", doc.summary), *doc.parts):
        if left <= 0:
            break
        if text:
            out.append((label, text[:left]))
            left -= len(out[-1][1])
    return out


def doc_digest(doc: SearchDoc, chars: int) -> str:
    """Hash of what the index takes from a document (its texts only up to `chars`)."""
    import hashlib

    values = (
        doc.url,
        doc.title,
        doc.index_no,
        doc.doc_no,
        doc.publisher,
        doc.column,
        doc.column_name,
        doc.year,
        doc.date,
        doc.topic,
        doc.date_written,
        doc.keywords,
        body_parts(doc, chars),
    )
    return hashlib.sha256(repr(values).encode()).hexdigest()


@dataclass(frozen=True)
class IndexSettings:
    body_chars: int = 100_000  # characters of body, tables and attachments indexed per document
    title_boost: int = 10
    meta_boost: int = 3
    shard_bytes: int = 16_000  # aimed average size of a term shard, raw
    max_shards: int = 16384  # per family: at 50,000 entries a shard still averages about shard_bytes


@dataclass
class SearchIndex:
    """The files to write (path relative to `search/` → text) and a few counts."""

    files: dict[str, str] = field(default_factory=dict)
    doc_count: int = 0
    term_count: int = 0
    posting_count: int = 0
    shards: dict[str, int] = field(default_factory=dict)
    state: IndexState | None = None  # what `update_search_index` needs to change it later


@dataclass
class IndexState:
    """What an index was built from, beyond its files: enough to change a few documents' text."""

    settings: IndexSettings
    docs: list[SearchDoc]  # by doc number; summaries cut to what the index uses
    lengths: dict[str, int]  # total tokens per field over all documents
    doc_lengths: list[tuple[int, ...]]  # tokens per field (FIELDS order) of each document
    sizes: dict[str, int]  # per shard family, the size that chose its shard count
    shards: dict[str, int]


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


def _squash(text: str) -> str:
    return " ".join(text.split())


class _TableSplitter(_TextExtractor):
    """The text of an HTML fragment outside its tables, and each table as (name, rows): the name
    is its caption, else the heading before it, else `fallback`; a cell is "header value"."""

    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self, fallback: str) -> None:
        super().__init__()
        self.fallback = fallback
        self.heading = ""
        self.tables: list[tuple[str, str]] = []
        self.depth = 0  # inside a table (a nested table counts as its outer table's text)
        self.sink: list[str] | None = None  # the caption, heading or cell being read
        self.caption = ""
        self.rows: list[list[tuple[bool, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.caption, self.rows = "", []
                return
        if self.depth == 1 and not self.skipping:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th") and self.rows:
                self.sink = []
                self.rows[-1].append((tag == "th", ""))
            elif tag == "caption":
                self.sink = []
            return
        if self.depth == 0 and tag in self.HEADINGS:
            self.sink = []
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self._close_table()
            return
        if self.depth == 1 and not self.skipping:
            if tag in ("td", "th") and self.sink is not None and self.rows and self.rows[-1]:
                header, _ = self.rows[-1][-1]
                self.rows[-1][-1] = (header, _squash("".join(self.sink)))
                self.sink = None
            elif tag == "caption" and self.sink is not None:
                self.caption, self.sink = _squash("".join(self.sink)), None
            return
        if self.depth == 0 and tag in self.HEADINGS and self.sink is not None:
            self.heading, self.sink = _squash("".join(self.sink)), None
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.sink is not None:
            self.sink.append(data)
        if self.depth == 0:
            super().handle_data(data)

    def _close_table(self) -> None:
        rows = [r for r in self.rows if any(text for _, text in r)]
        header: list[str] = []
        if rows and all(is_th for is_th, _ in rows[0]):
            header = [text for _, text in rows.pop(0)]
        lines = []
        for row in rows:
            cells = [
                f"{header[i]} {text}" if i < len(header) and header[i] else text
                for i, (_, text) in enumerate(row)
                if text
            ]
            lines.append("，".join(cells))
        text = "；".join(line for line in lines if line)
        if text:
            self.tables.append((f"表格：{self.caption or self.heading or self.fallback}", text))
        self.sink = None


def html_text_and_tables(html: str, fallback: str) -> tuple[str, list[tuple[str, str]]]:
    """Visible text of an HTML fragment outside its tables (whitespace collapsed), and its tables as
    parts ("表格：name", rows) read like a data table's (`table_text` in the search glue): each row
    its headed cells, rows apart, so a match in a table line is shown as that line."""
    parser = _TableSplitter(fallback)
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split()), parser.tables


def _js_literal(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # U+2028/9 end a line in pre-2019 JavaScript string literals.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(call: str, *args: object) -> str:
    return f"GongkaiSearch.{call}(" + ",".join(_js_literal(a) for a in args) + ");\n"


def _fields_of(doc: SearchDoc, settings: IndexSettings) -> dict[str, list[str]]:
    return {
        "title": tokenize(doc.title),
        "meta": tokenize(doc.meta_text()),
        "body": [t for _, text in body_parts(doc, settings.body_chars) for t in tokenize(text)],
    }


def _postings(
    token_lists: Iterable[dict[str, list[str]]],
    settings: IndexSettings,
    lengths: dict[str, int] | None = None,
) -> dict[str, str]:
    """Flat postings of every term as JSON (see the module docstring): the reference builder, in
    plain Python. `_fast_postings` gives the same text from numpy when numpy is there."""
    inverted: dict[str, list[array]] = {}  # term -> [docs, counts] per field, in FIELDS order
    field_lengths: tuple[list[int], ...] = tuple([] for _ in FIELDS)
    for doc, fields in enumerate(token_lists):
        for f, name in enumerate(FIELDS):
            tokens = fields.get(name) or ()
            field_lengths[f].append(len(tokens))
            docs_at, counts_at = 2 * f, 2 * f + 1
            for term, tf in Counter(tokens).items():
                posting = inverted.get(term)
                if posting is None:
                    posting = inverted[term] = [array("i") for _ in range(2 * len(FIELDS))]
                posting[docs_at].append(doc)
                posting[counts_at].append(tf)
    _record_lengths(field_lengths, lengths)
    averages = _averages(field_lengths)
    classes = [[length_class(n) for n in ls] for ls in field_lengths]
    out: dict[str, str] = {}
    total = 0
    for term in sorted(inverted):
        posting = inverted.pop(term)
        flat: list[int] = []
        for f in range(len(FIELDS)):
            docs, counts = posting[2 * f], posting[2 * f + 1]
            if not docs:
                continue
            flat += [f, len(docs), docs[0]]
            flat += [y - x for x, y in zip(docs, docs[1:], strict=False)]
            flat += [impact(tf, classes[f][doc], averages[f]) for doc, tf in zip(docs, counts, strict=True)]
            total += len(docs)
        out[term] = _js_literal(flat)
    if lengths is not None:
        lengths["_postings"] = total
    return out


def _field_texts(doc: SearchDoc, settings: IndexSettings) -> tuple[list[str], list[str], list[str]]:
    """The texts of each field (`FIELDS` order) that `_fields_of` tokenizes."""
    return [doc.title], [doc.meta_text()], [text for _, text in body_parts(doc, settings.body_chars)]


def _fast_postings(items: list[SearchDoc], settings: IndexSettings, lengths: dict[str, int]):
    """`_postings` by numpy (`search_fast`), or None when numpy is missing or fails: the reference
    builder then runs."""
    try:
        from . import search_fast

        found: dict[str, int] = {}
        out = search_fast.postings([_field_texts(d, settings) for d in items], found)
    except Exception:  # noqa: BLE001 - numpy missing, or a numpy change: the reference is always right
        return None
    lengths.update(found)
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
    lengths: dict[str, int] = {}
    try:
        postings = _fast_postings(items, settings, lengths) if items else {}
        if postings is None:
            postings = _postings((_fields_of(d, settings) for d in items), settings, lengths)
    finally:
        if gc_was_enabled:
            gc.enable()
    index.term_count = len(postings)
    index.posting_count = lengths.pop("_postings", 0)

    families: dict[str, dict[str, str]] = {"t": {}, "u": {}, "g": {}}
    for term, flat in postings.items():
        families[family_of(term)][term] = flat
    sizes = {}
    for family, terms in families.items():
        size = sizes[family] = sum(_term_size(t, f) for t, f in terms.items())
        count = _shard_count(size, settings)
        index.shards[family] = count
        buckets: dict[int, dict[str, str]] = defaultdict(dict)
        for term, flat in terms.items():
            buckets[shard_of(term, count)][term] = flat
        for n in sorted(buckets):
            index.files[f"{family}/{n}.js"] = _shard_script(f"{family}{n}", buckets[n])

    columns = sorted({(d.column, d.column_name or d.column) for d in items if d.column})
    column_no = {key: i for i, (key, _) in enumerate(columns)}
    years = sorted({d.year for d in items if d.year}, reverse=True)
    year_no = {y: i for i, y in enumerate(years)}
    meta = {
        "v": FORMAT_VERSION,
        "fields": list(FIELDS),
        "boosts": [settings.title_boost, settings.meta_boost, 1],
        "shards": index.shards,
        "docs": len(items),
        "columns": [list(c) for c in columns],
        "years": years,
        "docColumn": [column_no.get(d.column, -1) for d in items],
        "docYear": [year_no.get(d.year, -1) for d in items],
    }
    index.files["meta.js"] = _script("addMeta", meta)
    index.files.update(fold_files())
    kept = [_cut(d, settings.body_chars) for d in items]
    for n, doc in enumerate(kept):
        name, text = _text_file(doc, n)
        index.files[name] = text
    doc_lengths = [tuple(lengths.pop(f"{name}/{n}", 0) for name in FIELDS) for n in range(len(items))]
    index.state = IndexState(settings, kept, lengths, doc_lengths, sizes, dict(index.shards))
    return index


def _term_size(term: str, flat: list[int] | str) -> int:
    return len(term) * 3 + len(flat if isinstance(flat, str) else _js_literal(flat))


def _shard_script(name: str, bucket: Mapping[str, list[int] | str]) -> str:
    """`_script("addShard", name, bucket)`, with postings given as lists or as their JSON already."""
    body = ",".join(
        _js_literal(term) + ":" + (flat if isinstance(flat, str) else _js_literal(flat))
        for term, flat in sorted(bucket.items())
    )
    return f"GongkaiSearch.addShard({_js_literal(name)},{{{body}}});\n"


def _cut(doc: SearchDoc, chars: int) -> SearchDoc:
    """The document with only what `body_parts(doc, chars)` takes of its body and parts."""
    if len(doc.summary) + sum(len(t) for _, t in doc.parts) <= chars:
        return doc
    summary = doc.summary[:chars]
    left, parts = chars - len(summary), []
    for label, text in doc.parts:
        if left <= 0:
            break
        if text:
            parts.append((label, text[:left]))
            left -= len(parts[-1][1])
    return replace(doc, summary=summary, parts=tuple(parts))


def text_file_name(n: int) -> str:
    return f"x/{n}.js"


def _text_file(doc: SearchDoc, n: int) -> tuple[str, str]:
    """The page's record of one document: what it shows of it and every text a match is checked
    against, (label, text) each, with the fold-table entries its characters need."""
    texts = [["标题", doc.title]]
    meta = doc.meta_text()
    if meta:
        texts.append(["信息索引", meta])
    texts += [
        [label, text] for label, text in body_parts(doc, len(doc.summary) + sum(len(t) for _, t in doc.parts))
    ]
    fold = {ch: FOLD[ch] for ch in foldable("".join(t for _, t in texts))}
    return text_file_name(n), _script("addDoc", n, [doc.title, doc.url, doc.publisher, doc.date, texts, fold])


def fold_files() -> dict[str, str]:
    """The fold table in FOLD_BUCKETS parts by `fold_bucket` of the character (search/f/<n>.js)."""
    buckets: dict[int, dict[str, str]] = defaultdict(dict)
    for ch, folded in FOLD.items():
        buckets[fold_bucket(ch)][ch] = folded
    return {
        f"f/{n}.js": f"GongkaiTokenizer.addFold({_js_literal(buckets[n])});\n" for n in range(FOLD_BUCKETS)
    }


def _decode(flat: list[int]) -> dict[int, dict[int, int]]:
    """flat postings → {field number: {doc: weight × 1000}} (docs ascending)."""
    fields, i = {}, 0
    while i < len(flat):
        number, count = flat[i], flat[i + 1]
        docs, doc = [], 0
        for delta in flat[i + 2 : i + 2 + count]:
            doc += delta
            docs.append(doc)
        fields[number] = dict(zip(docs, flat[i + 2 + count : i + 2 + 2 * count]))
        i += 2 + 2 * count
    return fields


def _encode(fields: dict[int, dict[int, int]]) -> list[int]:
    flat: list[int] = []
    for number in sorted(fields):
        docs = fields[number]
        if not docs:
            continue
        order = sorted(docs)
        flat += [number, len(order)]
        prev = 0
        for doc in order:
            flat.append(doc - prev)
            prev = doc
        flat += [docs[doc] for doc in order]
    return flat


def _parse_script(text: str) -> object:
    """The JSON argument of a one-call script written by `_script`, e.g. addShard("t3", {...})."""
    start = text.index(",") + 1
    return json.loads(text[start : text.rindex(");")])


def update_search_index(state: IndexState, previous_dir: Path, changed: Mapping[str, SearchDoc]):
    """The index files that change when some documents' text changed (nothing else of them), with
    the new state; None when the whole index must be built again.

    Gives exactly what `build_search_index` would give for the new documents. A posting holds the
    term's count in the field weighed by the field's length class and the rounded average length
    (`impact`), nothing of other documents (the page computes the idf from the postings it loads):
    while the rounded averages stay, only the terms whose impact in an edited text changed are
    written again, with their shards and the edited documents' text files."""
    settings = state.settings
    number = {d.url: i for i, d in enumerate(state.docs)}
    docs = list(state.docs)
    for url, doc in changed.items():
        i = number.get(url)
        if i is None:
            return None
        old = docs[i]
        new = _cut(doc, settings.body_chars)
        if replace(new, summary=old.summary, parts=old.parts) != old:
            return None  # more than the text changed: its order, filters or title may move
        docs[i] = new
    edited = sorted(number[url] for url in changed)
    body = FIELDS.index("body")
    old_tokens = {i: Counter(_fields_of(state.docs[i], settings)["body"]) for i in edited}
    new_tokens = {i: Counter(_fields_of(docs[i], settings)["body"]) for i in edited}
    lengths = dict(state.lengths)
    lengths["body"] += sum(sum(new_tokens[i].values()) - sum(old_tokens[i].values()) for i in edited)
    count = len(docs)
    average = [rounded_average(lengths.get(name, 0) / count) for name in FIELDS]
    if average != [rounded_average(state.lengths.get(name, 0) / count) for name in FIELDS]:
        return None

    # the new impact of each term of an edited body whose impact changed (0: the term left it)
    moved: dict[int, dict[str, int]] = {}
    for i in edited:
        old_class = length_class(sum(old_tokens[i].values()))
        new_class = length_class(sum(new_tokens[i].values()))
        moved[i] = {}
        for term in {*old_tokens[i], *new_tokens[i]}:
            was, now = old_tokens[i][term], new_tokens[i][term]
            before = impact(was, old_class, average[body]) if was else 0
            after = impact(now, new_class, average[body]) if now else 0
            if before != after:
                moved[i][term] = after
    terms = sorted({t for i in edited for t in moved[i]})
    shard_files: dict[str, dict[str, list[int]]] = {}
    try:
        for term in terms:
            name = _shard_name(term, state.shards)
            if name not in shard_files:
                path = previous_dir / name
                shard_files[name] = _parse_script(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return None

    sizes = dict(state.sizes)
    for term in terms:
        name = _shard_name(term, state.shards)
        bucket = shard_files[name]
        old_flat = bucket.get(term)
        fields = _decode(old_flat) if old_flat else {}
        for i in edited:
            if term in moved[i]:
                fields.setdefault(body, {}).pop(i, None)
                if moved[i][term]:
                    fields[body][i] = moved[i][term]
        new_flat = _encode(fields)
        family = name.partition("/")[0]
        sizes[family] += (_term_size(term, new_flat) if new_flat else 0) - (
            _term_size(term, old_flat) if old_flat else 0
        )
        if new_flat:
            bucket[term] = new_flat
        else:
            bucket.pop(term, None)
    if any(_shard_count(sizes[f], settings) != state.shards[f] for f in state.shards):
        return None  # the index is cut into another number of shards: every shard changes

    files = {}
    for name, bucket in shard_files.items():
        family, _, rest = name.partition("/")
        if bucket:
            files[name] = _shard_script(f"{family}{rest.removesuffix('.js')}", bucket)
        else:
            files[name] = None  # no term left in it: the file goes
    for n in edited:
        name, text = _text_file(docs[n], n)
        files[name] = text
    doc_lengths = list(state.doc_lengths)
    for i in edited:
        doc_lengths[i] = (*doc_lengths[i][:body], sum(new_tokens[i].values()), *doc_lengths[i][body + 1 :])
    return files, IndexState(settings, docs, lengths, doc_lengths, sizes, dict(state.shards))


def _shard_name(term: str, shards: Mapping[str, int]) -> str:
    family = family_of(term)
    return f"{family}/{shard_of(term, shards[family])}.js"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_search_index(
    index: SearchIndex, out_dir: Path, write: Callable[[Path, bytes], None] = _write
) -> list[Path]:
    """Replace `out_dir` with the index files; stale shards of an earlier build never remain.
    `write(path, data)` writes one file (the build passes one that links unchanged files from the
    previous output, gongkai_build.outfiles)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written = []
    for rel_path in sorted(index.files):
        path = out_dir / rel_path
        write(path, index.files[rel_path].encode("utf-8"))
        written.append(path)
    return written
