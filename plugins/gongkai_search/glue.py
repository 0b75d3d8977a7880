"""Pelican glue of search: collect what this build shows, hand it to gongkai_core.search_index."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from gongkai_build.build import current
from gongkai_build.jobs import can_fork
from gongkai_build.outfiles import write_bytes
from gongkai_build.settings import check_whole
from gongkai_core import columns as columns_registry
from gongkai_core import search_index, tokenizer, urls
from gongkai_core.errors import ConfigProblem
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
    if isinstance(merged.get("GONGKAI_SEARCH_LUNR_JS"), str) and not _lunr_js(merged).is_file():
        found.append(
            ConfigProblem(
                "GONGKAI_SEARCH_LUNR_JS",
                merged["GONGKAI_SEARCH_LUNR_JS"],
                f"找不到 {_lunr_js(merged)}：请在项目目录运行 npm ci 安装 lunr",
            )
        )
    return found


def _lunr_js(settings: Mapping[str, object]) -> Path:
    return Path(str(settings["PATH"])).resolve().parent / str(settings["GONGKAI_SEARCH_LUNR_JS"])


def check_settings(pelican) -> None:
    check_whole(pelican.settings)  # every plugin's settings, all problems at once (gongkai_build.settings)


def _data_text(value: object) -> list[str]:
    """Leaf strings of an entry's data block (村名, 项目名, …), numbers left out."""
    if isinstance(value, Mapping):
        return [t for k in value for t in _data_text(value[k])]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _data_text(v)]
    if isinstance(value, str) and not value.replace(".", "").replace(",", "").isdigit():
        return [value]
    return []


def _article_doc(article, columns: Mapping[str, str]) -> search_index.SearchDoc:
    return _entry_doc(article.entry, article.url, article.content, columns)


def _entry_doc(entry, url: str, html: str, columns: Mapping[str, str]) -> search_index.SearchDoc:
    text = " ".join(
        t
        for t in [
            entry.summary or "",
            search_index.html_to_text(html),
            *_data_text(columns_registry.public_data(entry.column, entry.data)),
        ]
        if t
    )
    return search_index.SearchDoc(
        url=url,
        title=entry.title,
        index_no=entry.index_no,
        doc_no=entry.doc_no or "",
        publisher=entry.publisher,
        column=entry.column,
        column_name=columns.get(entry.column, entry.column),
        year=str(entry.date_published.year),
        date=entry.date_published.isoformat(),
        summary=text,
    )


def _page_doc(page, issuer: str, url: str | None = None, html: str | None = None) -> search_index.SearchDoc:
    # Pelican's page summary is an HTML excerpt of the same content: the content alone is enough.
    text = search_index.html_to_text(page.content if html is None else html)
    return search_index.SearchDoc(
        url=page.url if url is None else url,
        title=page.title,
        publisher=issuer,
        column=PAGES_COLUMN[0],
        column_name=PAGES_COLUMN[1],
        summary=text,
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
    columns = settings.get("GONGKAI_COLUMNS") or {}
    issuer = str(settings.get("ISSUER") or settings.get("SITENAME") or "")
    docs = []
    for kind, item in _shown(generators, settings):
        if kind == "page":
            docs.append(_page_doc(item, issuer))
            continue
        docs.append(_article_doc(item, columns))
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
        snippet_chars=settings["GONGKAI_SEARCH_SNIPPET_CHARS"],
        title_boost=settings["GONGKAI_SEARCH_TITLE_BOOST"],
    )


def _build_and_write(
    docs,
    index_settings,
    out: Path,
    previous: Path | None,
    lunr: Path,
    by_entry: Mapping[str, search_index.SearchDoc] | None = None,
):
    if callable(docs):  # started early: the documents are made here, in the forked process
        docs, by_entry = docs()
    index = search_index.build_search_index(docs, index_settings)
    write = functools.partial(write_bytes, previous_root=previous, output_root=out) if previous else None
    search_index.write_search_index(index, out, *([write] if write else []))
    shutil.copyfile(lunr, out / "lunr.min.js")
    shutil.copyfile(Path(tokenizer.__file__).with_name("tokenizer.js"), out / "tokenizer.js")
    used = max(index_settings.body_chars, index_settings.snippet_chars)
    digests = {path: search_index.doc_digest(doc, used) for path, doc in (by_entry or {}).items()}
    return index.state, digests  # (from a forked job: handed back to the build)


JOB = "search"  # the build's background job that makes the index (gongkai_build.jobs)


def _previous(settings) -> Path | None:
    previous = current().previous_output
    return Path(previous) / OUT_DIR if previous else None


def _start(settings, docs, by_entry=None) -> None:
    """Build the index in a forked process (the build waits for it in `finalized`)."""
    out = Path(settings["OUTPUT_PATH"]) / OUT_DIR
    args = (docs, _index_settings(settings), out, _previous(settings), _lunr_js(settings), by_entry)
    current().jobs.start(JOB, _build_and_write, args, "生成搜索索引失败")


def _predicted(settings):
    """(identity of each document, documents maker) for what write_index will find, from the
    gate's reading alone; None when that cannot be told before Pelican made its content."""
    state = current()
    if not state.read:
        return None
    columns = settings.get("GONGKAI_COLUMNS") or {}
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
            e.path: _entry_doc(e, urls.entry_page(e.column, e.slug), site.html[e.path], columns)
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
    if len(docs) >= settings["GONGKAI_SEARCH_PARALLEL_FROM"] and can_fork():
        _start(settings, docs, by_entry)
    else:
        out = Path(settings["OUTPUT_PATH"]) / OUT_DIR
        build.search.state, build.search.digests = _build_and_write(
            docs, _index_settings(settings), out, _previous(settings), _lunr_js(settings), by_entry=by_entry
        )


def wait_for_index(pelican) -> None:
    build = current()
    if JOB in build.jobs:
        build.search.state, build.search.digests = build.jobs.wait(JOB)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_preread.connect(start_early)
    signals.all_generators_finalized.connect(write_index)
    signals.finalized.connect(wait_for_index)
