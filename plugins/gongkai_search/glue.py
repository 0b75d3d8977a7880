"""Pelican glue of search: collect what this build shows, hand it to gongkai_core.search_index."""

from __future__ import annotations

import functools
import hashlib
import os
import resource
import shutil
import sys
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from gongkai_build.build import current
from gongkai_build.jobs import can_fork
from gongkai_build.outfiles import write_bytes
from gongkai_build.settings import check_whole
from gongkai_core import attachment_text, columns, search_index, tokenizer, urls
from gongkai_core.errors import ConfigProblem
from gongkai_core.values import fmt_money
from pelican import signals

from .settings import PAGES_COLUMN, POSITIVE_INTS

OUT_DIR = urls.SEARCH_INDEX


def find_config_problems(merged: Mapping[str, object]) -> list[ConfigProblem]:
    """The search settings' problems (unknown keys are the gate's: it names the nearest known one)."""
    found = []
    for key in POSITIVE_INTS:
        value = merged.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            found.append(ConfigProblem(key, value, "应为正整数"))
    return found


def check_settings(pelican) -> None:
    check_whole(pelican.settings)  # every plugin's settings, all problems at once (gongkai_build.settings)


def _cell(value: object, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt_money(value) + unit
    return str(value)


def table_text(table) -> str:
    """A data table as a reader reads it: the caption's rows, each its headed cells, rows apart."""
    if table.empty:
        return f"{table.title}：{table.empty}"
    rows = []
    for row in table.rows:
        cells = [
            f"{h} {_cell(v, table.unit)}"
            for h, v in zip(table.header, row, strict=False)
            if v not in (None, "")
        ]
        rows.append("，".join(cells))
    return "；".join(rows)


def _prose(value: object) -> list[str]:
    """The sentences of a data block (安置方式, 说明 …): its string values that hold Chinese text
    and are more than a name or a unit; keys, codes and amounts are left to the tables."""
    if isinstance(value, Mapping):
        return [t for k in value for t in _prose(value[k])]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _prose(v)]
    if isinstance(value, str) and len(value) >= 12 and any("\u4e00" <= ch <= "\u9fff" for ch in value):
        return [" ".join(value.split())]
    return []


def _data_parts(entry) -> list[tuple[str, str]]:
    """Every table of an entry's data block (budget, 三公经费, land …) as its page shows it, and the
    block's sentences that are in no table."""
    module = columns.get(entry.column)
    model = getattr(entry, "model", None)
    if module is None or model is None:
        return []
    parts = [(f"表格：{t.title}", table_text(t)) for t in module.tables(model)]
    shown = "".join(text for _, text in parts)
    # PRIVATE keys (land: household names) are never indexed as written: their tables show them masked
    prose = [
        t for t in dict.fromkeys(_prose(columns.public_data(entry.column, entry.data))) if t not in shown
    ]
    if prose:
        parts.append(("说明", "；".join(prose)))
    return parts


def _attachment_parts(entry, content_root: Path) -> list[tuple[str, str]]:
    """The text of each attachment (PDF, DOCX, XLSX, text files …; gongkai_core.attachment_text)."""
    out = []
    for attachment in entry.attachments:
        text = attachment_plain_text(content_root / attachment.file)
        if text:
            out.append((f"附件：{attachment.title}", text))
    return out


_TEXTS: dict[str, str] = {}  # attachment text by the SHA-256 of the file's bytes (depends on nothing else)


def attachment_plain_text(path: Path) -> str:
    """The text of an attachment, its parts one per line (empty when it cannot be read: the gate has
    already refused a published entry whose attachment cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _TEXTS:
        try:
            found = attachment_text.parts(data, path.name)
            _TEXTS[digest] = "\n".join(" ".join(p.text.split()) for p in found if p.text.strip())
        except Exception:  # noqa: BLE001 - whatever a hostile file makes a library raise: no text
            _TEXTS[digest] = ""
    return _TEXTS[digest]


def _entry_doc(entry, url: str, html: str, columns_: Mapping[str, str], content_root: Path):
    text, tables = search_index.html_text_and_tables(html, entry.title)
    return search_index.SearchDoc(
        url=url,
        title=entry.title,
        index_no=entry.index_no,
        doc_no=entry.doc_no or "",
        publisher=entry.publisher,
        column=entry.column,
        column_name=columns_.get(entry.column, entry.column),
        year=str(entry.date_published.year),
        date=entry.date_published.isoformat(),
        topic=entry.topic or "",
        date_written=entry.date_written.isoformat(),
        keywords=" ".join(entry.keywords),
        summary=" ".join(t for t in [entry.summary or "", text] if t),
        parts=(*tables, *_data_parts(entry), *_attachment_parts(entry, content_root)),
    )


def _page_doc(page, issuer: str, url: str | None = None, html: str | None = None) -> search_index.SearchDoc:
    # Pelican's page summary is an HTML excerpt of the same content: the content alone is enough.
    text, tables = search_index.html_text_and_tables(page.content if html is None else html, page.title)
    return search_index.SearchDoc(
        url=page.url if url is None else url,
        title=page.title,
        publisher=issuer,
        column=PAGES_COLUMN[0],
        column_name=PAGES_COLUMN[1],
        summary=text,
        parts=tuple(tables),
    )


def _shown(generators, settings: Mapping[str, object]):
    """("entry", article) and ("page", page) for what the index holds: the gate has already removed
    everything unpublished (in a preview, every valid entry is shown)."""
    preview = bool(settings.get("GONGKAI_PREVIEW"))
    for generator in generators:
        for article in getattr(generator, "articles", []):
            verdict = getattr(article, "verdict", None)
            if hasattr(article, "entry") and (preview or (verdict is not None and verdict.published)):
                yield "entry", article
        if settings["GONGKAI_SEARCH_INCLUDE_PAGES"]:
            for page in getattr(generator, "pages", []):
                if getattr(page, "status", "") == "published":
                    yield "page", page


def shown_docs(
    generators, settings: Mapping[str, object], by_entry: dict | None = None
) -> list[search_index.SearchDoc]:
    """Entries and pages this build shows. `by_entry`, when given, receives each entry's document
    by entry path."""
    names = settings.get("GONGKAI_COLUMNS") or {}
    root = Path(str(settings["PATH"]))
    issuer = str(settings.get("ISSUER") or settings.get("SITENAME") or "")
    docs = []
    for kind, item in _shown(generators, settings):
        if kind == "page":
            docs.append(_page_doc(item, issuer))
            continue
        docs.append(_entry_doc(item.entry, item.url, item.content, names, root))
        if by_entry is not None:
            by_entry[item.entry.path] = docs[-1]
    return docs


# From GONGKAI_SEARCH_PARALLEL_FROM documents on (500), the index is built in a forked process on
# the other core: started as soon as the gate has read everything (`start_early`) when the documents
# can be told from that, else once Pelican has made its content (`write_index`). The build waits for
# it (and fails with it) before it is finalized.


def _index_settings(settings) -> search_index.IndexSettings:
    return search_index.IndexSettings(
        body_chars=settings["GONGKAI_SEARCH_BODY_CHARS"],
        title_boost=settings["GONGKAI_SEARCH_TITLE_BOOST"],
    )


def _build_and_write(
    docs,
    index_settings,
    out: Path,
    previous: Path | None,
    by_entry: Mapping[str, search_index.SearchDoc] | None = None,
):
    started = time.perf_counter()
    if callable(docs):  # started early: the documents are made here, in the forked process
        docs, by_entry = docs()
    made = time.perf_counter()
    index = search_index.build_search_index(docs, index_settings)
    built = time.perf_counter()
    write = functools.partial(write_bytes, previous_root=previous, output_root=out) if previous else None
    search_index.write_search_index(index, out, *([write] if write else []))
    shutil.copyfile(Path(tokenizer.__file__).with_name("tokenizer.js"), out / "tokenizer.js")
    digests = {
        path: search_index.doc_digest(doc, index_settings.body_chars)
        for path, doc in (by_entry or {}).items()
    }
    if os.environ.get("GONGKAI_EXPLAIN") == "1":
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"搜索索引：文档 {made - started:.1f} 秒，索引 {built - made:.1f} 秒，"
            f"写出 {time.perf_counter() - built:.1f} 秒，内存峰值 {peak} MB",
            file=sys.stderr,
        )
    return index.state, digests  # (from a forked job: handed back to the build)


JOB = "search"  # the build's background job that makes the index (gongkai_build.jobs)


def _previous(settings) -> Path | None:
    previous = current().previous_output
    return Path(previous) / OUT_DIR if previous else None


def _start(settings, docs, by_entry=None) -> None:
    """Build the index in a forked process (the build waits for it in `finalized`)."""
    out = Path(settings["OUTPUT_PATH"]) / OUT_DIR
    args = (docs, _index_settings(settings), out, _previous(settings), by_entry)
    current().jobs.start(JOB, _build_and_write, args, "生成搜索索引失败")


def _predicted(settings):
    """(identity of each document, documents maker) for what write_index will find, from the
    gate's reading alone; None when that cannot be told before Pelican made its content."""
    state = current()
    if not state.read:
        return None
    names = settings.get("GONGKAI_COLUMNS") or {}
    root = Path(str(settings["PATH"]))
    site = state.site
    preview = bool(settings.get("GONGKAI_PREVIEW"))
    entries = [
        e
        for e in site.entries
        if (preview or site.verdicts[e.path].published) and site.verdicts[e.path].state != "withdrawn"
    ]
    pages = (
        [p for p in site.pages if p.status == "published"] if settings["GONGKAI_SEARCH_INCLUDE_PAGES"] else []
    )
    if any(site.html.get(x.path) is None for x in (*entries, *pages)):
        return None
    issuer = str(settings.get("ISSUER") or settings.get("SITENAME") or "")
    keys = sorted(
        [(urls.entry_page(e.column, e.slug), e.path) for e in entries]
        + [(urls.page_page(p.slug), p.path) for p in pages]
    )

    def make():
        by_entry = {
            e.path: _entry_doc(e, urls.entry_page(e.column, e.slug), site.html[e.path], names, root)
            for e in entries
        }
        docs = list(by_entry.values())
        docs += [_page_doc(p, issuer, urls.page_page(p.slug), site.html[p.path]) for p in pages]
        return docs, by_entry

    return keys, make


def start_early(generator) -> None:
    """Start the index while Pelican makes its content objects and writes the pages; `write_index`
    checks that Pelican made exactly the documents predicted (else builds it the usual way)."""
    # Pelican sends this signal before each file it reads: only the first one counts
    if getattr(generator, "_gongkai_search_early", False):
        return
    generator._gongkai_search_early = True
    settings = generator.settings
    build = current()
    if JOB in build.jobs or not can_fork():
        return
    predicted = _predicted(settings)
    if predicted is None or len(predicted[0]) < settings["GONGKAI_SEARCH_PARALLEL_FROM"]:
        return
    keys, make = predicted
    build.search.early = keys
    _start(settings, make)
    if os.environ.get("GONGKAI_EXPLAIN") == "1":
        print(f"搜索索引：{len(keys)} 个文档，在读取完成后即开始生成", file=sys.stderr)


def _actual_keys(generators, settings) -> list[tuple[str, str]]:
    return sorted(
        (
            item.url,
            item.entry.path
            if kind == "entry"
            else getattr(getattr(item, "page", None), "path", item.source_path),
        )
        for kind, item in _shown(generators, settings)
    )


def _stop(settings) -> None:
    current().jobs.stop(JOB)
    shutil.rmtree(Path(settings["OUTPUT_PATH"]) / OUT_DIR, ignore_errors=True)


def write_index(generators) -> None:
    settings = generators[0].settings
    build = current()
    early = build.search.early
    if early is not None:
        build.search.early = None
        if _actual_keys(generators, settings) == early:
            return  # the index started early is the right one
        _stop(settings)  # what Pelican made differs from the prediction: build it the usual way
        if os.environ.get("GONGKAI_EXPLAIN") == "1":
            print("搜索索引：网页与预计的不同，重新生成", file=sys.stderr)
    by_entry: dict[str, search_index.SearchDoc] = {}
    docs = shown_docs(generators, settings, by_entry)
    # what of each entry the index holds, for rebuilds that render only changed entries (gongkai_build.fastrebuild)
    build.search.docs = by_entry
    if build.only is not None:
        # a rebuild of a few entries: it updates the output's index from these documents itself
        # (search_index.update_search_index), an index of them alone would be thrown away
        chars = settings["GONGKAI_SEARCH_BODY_CHARS"]
        build.search.digests = {path: search_index.doc_digest(doc, chars) for path, doc in by_entry.items()}
        return
    if len(docs) >= settings["GONGKAI_SEARCH_PARALLEL_FROM"] and can_fork():
        _start(settings, docs, by_entry)
    else:
        out = Path(settings["OUTPUT_PATH"]) / OUT_DIR
        build.search.state, build.search.digests = _build_and_write(
            docs, _index_settings(settings), out, _previous(settings), by_entry=by_entry
        )


def wait_for_index(pelican) -> None:
    build = current()
    if JOB in build.jobs:
        started = time.perf_counter()
        build.search.state, build.search.digests = build.jobs.wait(JOB)
        if os.environ.get("GONGKAI_EXPLAIN") == "1":
            print(f"搜索索引：等待后台生成 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_preread.connect(start_early)
    signals.all_generators_finalized.connect(write_index)
    signals.finalized.connect(wait_for_index)
