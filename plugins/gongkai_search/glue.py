"""Pelican glue of search: collect what this build shows, hand it to gongkai_core.search_index."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from gongkai_core import search_index, tokenizer
from gongkai_core.config import merge_and_check
from gongkai_core.errors import ConfigProblem, GongkaiError
from pelican import signals

from .settings import DEFAULTS, PAGES_COLUMN, POSITIVE_INTS

OUT_DIR = "search"


def find_config_problems(merged: Mapping[str, object]) -> list[ConfigProblem]:
    found = [
        ConfigProblem(k, v, "未知配置项，是否拼写错误？")
        for k, v in sorted(merged.items())
        if k.startswith("GONGKAI_SEARCH_") and k not in DEFAULTS
    ]
    for key in POSITIVE_INTS:
        value = merged.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            found.append(ConfigProblem(key, value, "应为正整数"))
    return found


def _lunr_js(settings: Mapping[str, object]) -> Path:
    return Path(str(settings["PATH"])).resolve().parent / str(settings["GONGKAI_SEARCH_LUNR_JS"])


def check_settings(pelican) -> None:
    merge_and_check(pelican.settings, DEFAULTS, _all_problems)


def _all_problems(settings) -> list[ConfigProblem]:
    problems = find_config_problems(settings)
    if not _lunr_js(settings).is_file():
        problems.append(ConfigProblem("GONGKAI_SEARCH_LUNR_JS", settings["GONGKAI_SEARCH_LUNR_JS"],
                                      f"找不到 {_lunr_js(settings)}：请在项目目录运行 npm ci 安装 lunr"))
    return problems


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
    entry = article.entry
    text = " ".join(
        t
        for t in [entry.summary or "", search_index.html_to_text(article.content), *_data_text(entry.data)]
        if t
    )
    return search_index.SearchDoc(
        url=article.url,
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


def _page_doc(page, issuer: str) -> search_index.SearchDoc:
    # Pelican's page summary is an HTML excerpt of the same content: the content alone is enough.
    text = search_index.html_to_text(page.content)
    return search_index.SearchDoc(
        url=page.url,
        title=page.title,
        publisher=issuer,
        column=PAGES_COLUMN[0],
        column_name=PAGES_COLUMN[1],
        summary=text,
    )


def shown_docs(generators, settings: Mapping[str, object],
               by_entry: dict | None = None) -> list[search_index.SearchDoc]:
    """Entries and pages this build shows: the gate has already removed everything else.
    `by_entry`, when given, receives each entry's document by entry path."""
    columns = settings.get("GONGKAI_COLUMNS") or {}
    preview = bool(settings.get("GONGKAI_PREVIEW"))
    docs = []
    for generator in generators:
        for article in getattr(generator, "articles", []):
            verdict = getattr(article, "verdict", None)
            if hasattr(article, "entry") and (preview or (verdict is not None and verdict.published)):
                docs.append(_article_doc(article, columns))
                if by_entry is not None:
                    by_entry[article.entry.path] = docs[-1]
        if settings["GONGKAI_SEARCH_INCLUDE_PAGES"]:
            for page in getattr(generator, "pages", []):
                if getattr(page, "status", "") == "published":
                    docs.append(
                        _page_doc(page, str(settings.get("ISSUER") or settings.get("SITENAME") or ""))
                    )
    return docs


# From this many documents on, the index is built in a forked process while Pelican writes the
# pages on the other core; the build waits for it (and fails with it) before it is finalized.
PARALLEL_MIN_DOCS = 500


class SearchIndexFailed(GongkaiError):
    """The process building the search index failed; its error went to stderr."""


def _build_and_write(docs, index_settings, out: Path, previous: Path | None, lunr: Path, send=None):
    index = search_index.build_search_index(docs, index_settings)
    search_index.write_search_index(index, out, previous)
    shutil.copyfile(lunr, out / "lunr.min.js")
    shutil.copyfile(Path(tokenizer.__file__).with_name("tokenizer.js"), out / "tokenizer.js")
    if send is not None:  # the forked process hands the index state back to the build
        send.send(index.state)
        send.close()
    return index.state


def write_index(generators) -> None:
    settings = generators[0].settings
    out = Path(settings["OUTPUT_PATH"]) / OUT_DIR
    by_entry: dict[str, search_index.SearchDoc] = {}
    docs = shown_docs(generators, settings, by_entry)
    index_settings = search_index.IndexSettings(
        body_chars=settings["GONGKAI_SEARCH_BODY_CHARS"],
        snippet_chars=settings["GONGKAI_SEARCH_SNIPPET_CHARS"],
        title_boost=settings["GONGKAI_SEARCH_TITLE_BOOST"],
    )
    # what of each entry the index holds, for rebuilds that render only changed entries (gongkai_cli.incremental)
    used = max(index_settings.body_chars, index_settings.snippet_chars)
    settings["GONGKAI_SEARCH_DIGESTS"] = {path: search_index.doc_digest(doc, used) for path, doc in by_entry.items()}
    settings["GONGKAI_SEARCH_DOCS"] = by_entry
    previous = settings.get("GONGKAI_PREVIOUS_OUTPUT")
    args = (docs, index_settings, out, Path(previous) / OUT_DIR if previous else None, _lunr_js(settings))
    if len(docs) >= PARALLEL_MIN_DOCS and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        job = context.Process(target=_build_and_write, args=(*args, send), daemon=True)
        job.start()
        send.close()
        settings["GONGKAI_SEARCH_JOB"] = (job, receive)
    else:
        settings["GONGKAI_SEARCH_STATE"] = _build_and_write(*args)


def wait_for_index(pelican) -> None:
    running = pelican.settings.get("GONGKAI_SEARCH_JOB")
    if running is None:
        return
    pelican.settings["GONGKAI_SEARCH_JOB"] = None
    job, receive = running
    try:
        pelican.settings["GONGKAI_SEARCH_STATE"] = receive.recv()
    except (EOFError, OSError):
        pass  # it failed before: its exit code says so below
    finally:
        receive.close()
    job.join()
    if job.exitcode != 0:
        raise SearchIndexFailed(f"生成搜索索引失败（进程退出码 {job.exitcode}），构建已停止")


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(write_index)
    signals.finalized.connect(wait_for_index)
