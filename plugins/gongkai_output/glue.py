"""Pelican glue: a Writer that links unchanged pages from the previous output (gongkai_build.outfiles).

An entry page whose page key (gongkai_build.pagekeys) and file are as the previous output's record
says (`Build.previous_record`, gongkai_build.record) is linked without rendering; the keys of the
pages this run wrote or linked go to `Build.page_keys`, which the command saves in the next record.

Linking needs Pelican's private `Writer._open_w` and its `_written_files`/`_overridden_files`
(every file Pelican writes goes through them). `LINKING` says whether they are as this code
expects; when a Pelican release changes them, the writer falls back to Pelican's own writing —
the same site, only every file written again (tests/plugins/test_incremental.py checks both).

Entry pages to render (a complete build's bulk) are rendered aside: the writer claims each page's
file as Pelican would, keeps what it needs to render it, and once Pelican moves on to other pages
forks a process per core (gongkai_build.jobs) that renders and writes chunks of them while Pelican
goes on with the lists, pages and files. `Build.pages_written` (the sitemap and the last check call
it) waits for the processes; the records they logged are
logged again here, in order; the chunks of a process that failed are rendered here instead, as
Pelican would have (its error as it comes). The
same bytes either way (tests/plugins/test_render_aside.py); a few pages are rendered in the build's
own process once claimed.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from gongkai_build import jobs, pagekeys
from gongkai_build.build import current
from gongkai_build.outfiles import TextOut

# Below this many entry pages to render, forking costs more than it saves (they are rendered inline).
ASIDE_MIN_PAGES = 400
ASIDE_JOB = "entry-pages-{}"
ASIDE_CHUNK = 32  # pages a process takes at a time


@dataclass
class _Deferred:
    """An entry page claimed by the writer, to be rendered aside: Pelican's write_file arguments."""

    path: str  # the absolute file name Pelican's writer claimed
    args: tuple
    kwargs: dict


class _Captured(logging.Handler):
    """What a rendering process logged, sent back to be logged again by the build."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, jobs.record_text(record), record.pathname))


class _Chunks:
    """The claimed pages in chunks, taken one at a time by the rendering processes (so a process
    that got the heavy pages, budget tables, takes fewer): a counter in shared memory says which
    chunk is next and `taker` who took each (process i is i + 1). Whoever takes a chunk renders all
    of it."""

    WAIT = 5.0  # seconds to wait for the counter's lock: a process killed holding it stops the sharing

    def __init__(self, items: list[_Deferred], size: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.items = items
        self.bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        self.next = context.Value("i", 0)
        self.taker = context.Array("b", len(self.bounds), lock=False)

    def take(self, who: int) -> int | None:
        """The next chunk for `who`, or None: all taken (or the lock is lost)."""
        lock = self.next.get_lock()
        if not lock.acquire(timeout=self.WAIT):
            return None
        try:
            k = self.next.value
            if k >= len(self.bounds):
                return None
            self.next.value = k + 1
            self.taker[k] = who
            return k
        finally:
            lock.release()

    def pages(self, k: int) -> list[_Deferred]:
        start, end = self.bounds[k]
        return self.items[start:end]

    def left_to(self, failed: set[int]) -> list[int]:
        """Once no process renders any more: the chunks nobody took or a failed process took."""
        taken = min(self.next.value, len(self.bounds))
        return [k for k in range(len(self.bounds)) if k >= taken or self.taker[k] in failed]


def _render_aside(writer: LinkingWriter, chunks: _Chunks, who: int):
    """In a forked process: render chunks until none is left; (linked, written, the records logged
    for each chunk), or None when a page failed (the build renders what this process took and
    reports the failure)."""
    gc.freeze()  # inherited objects are never collected here: no page of them copied for a walk
    try:  # the build's own process and the search index job go first: they are one process each,
        os.nice(10)  # these pages are shared out, and taken up by whichever core is free
    except (AttributeError, OSError):
        pass
    writer.build.progress.enabled = False
    root = logging.getLogger()
    captured = _Captured()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(captured)
    linked, written = writer.stats.linked, writer.stats.written
    logged: dict[int, list] = {}
    try:
        while (k := chunks.take(who)) is not None:
            for item in chunks.pages(k):
                writer._write_claimed(item)
            logged[k], captured.records = captured.records, []
    except Exception:  # noqa: BLE001 - rendered again by the build, which reports it as Pelican would
        return None
    return writer.stats.linked - linked, writer.stats.written - written, logged


def _private_names_as_expected() -> bool:
    """Pelican's Writer still has the private names linking relies on, with the same meaning."""
    try:
        parameters = list(inspect.signature(Writer._open_w).parameters)
        probe = Writer.__new__(Writer)
        Writer.__init__(probe, os.devnull, settings={})
    except Exception:  # noqa: BLE001 - any change there: write as Pelican does
        return False
    return (
        parameters == ["self", "filename", "encoding", "override"]
        and isinstance(getattr(probe, "_written_files", None), set)
        and isinstance(getattr(probe, "_overridden_files", None), set)
    )


LINKING = _private_names_as_expected()


class LinkingWriter(Writer):
    """Pelican's Writer, except that a file whose bytes equal the previous output's is a hard link."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.build = current()
        previous = self.build.previous_output
        linking = LINKING and previous is not None and Path(previous).is_dir()
        self.previous_root = Path(previous).resolve() if linking else None
        # entry pages are linked without rendering only from the output the previous record describes
        record = self.build.previous_record
        self.previous_record = (
            record if linking and record is not None and record.describes(previous) else None
        )
        self.output_root = Path(output_path).resolve()
        self._prefix = os.path.join(os.path.abspath(output_path), "")
        self.stats = self.build.stats
        self.stats.writer = self

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """An entry page whose key (gongkai_build.pagekeys) is unchanged is linked, not rendered."""
        article = kwargs.get("article")
        if article is not None and paginated is None and hasattr(article, "entry"):
            self.build.entry_pages[article.entry.path] = name
        key = None
        # (our entry pages come with their own save_as, so Pelican asks to override: one page per name still)
        if article is not None and paginated is None and hasattr(article, "entry"):
            key = self._page_key(name, template, article)
        if key is not None and self._link_unchanged(name, key, context):
            return
        args = (name, template, context, relative_urls, paginated, template_name, override_output, url)
        if (
            article is not None
            and paginated is None
            and hasattr(article, "entry")
            and self._claim(name, kwargs, args)
        ):
            if key is not None:
                self.build.page_keys[name] = key
            return
        self._render_claimed_aside()  # Pelican is on to other pages: every entry page to render is claimed
        super().write_file(*args, **kwargs)
        if key is not None:
            self.build.page_keys[name] = key

    # ---- entry pages rendered aside

    def _claim(self, name, kwargs, args) -> bool:
        """Claim an entry page's file as Pelican's _open_w would, to be rendered aside; False when
        it must be written now (a name Pelican treats specially, no fork, Pelican's names changed)."""
        if not hasattr(self, "claimed"):
            self.claimed: list[_Deferred] = []
            self.aside = LINKING and jobs.can_fork() and self.build.read
        if not self.aside or not name or "articles" in kwargs or "dates" in kwargs:
            return False
        path = sanitised_join(self.output_path, name)
        if path in self._overridden_files or path in self._written_files:
            return False  # Pelican's own rules (an error, or a file kept from before): as it does
        override = args[6]
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        self._progress()
        self.claimed.append(_Deferred(path, args, kwargs))
        return True

    def _write_claimed(self, item: _Deferred) -> None:
        """Render and write a claimed page, as Pelican's write_file (the claim taken back first)."""
        self._written_files.discard(item.path)
        self._overridden_files.discard(item.path)
        super().write_file(*item.args, **item.kwargs)

    def _render_claimed_aside(self) -> None:
        claimed = getattr(self, "claimed", None)
        if not claimed:
            return
        self.claimed = []
        if len(claimed) < ASIDE_MIN_PAGES:  # a few pages (a title changed): rendered here, now
            for item in claimed:
                self._write_claimed(item)
            return
        processes = max(1, min(os.cpu_count() or 1, 4))
        chunks = _Chunks(claimed, ASIDE_CHUNK)
        for i in range(processes):
            self.build.jobs.start(
                ASIDE_JOB.format(i), _render_aside, (self, chunks, i + 1), "生成条目网页的进程出错"
            )
        self.build.pages_aside = lambda: self._collect_aside(chunks, processes)

    def _collect_aside(self, chunks: _Chunks, processes: int) -> None:
        """Wait for the processes. (The build does not take chunks itself meanwhile: there is a
        process per core, and the search index job, one process that the build waits for last,
        would only get less of a core.)"""
        failed: set[int] = set()
        logged: dict[int, list] = {}
        for i in range(processes):
            try:
                outcome = self.build.jobs.wait(ASIDE_JOB.format(i))
            except jobs.JobFailed:
                outcome = None
            if outcome is None:
                failed.add(i + 1)
                continue
            linked, written, records = outcome
            self.stats.linked += linked
            self.stats.written += written
            logged.update(records)
        # what a failed process took, or nobody: rendered here, as Pelican would have (its failure as it comes)
        for k in chunks.left_to(failed):
            for item in chunks.pages(k):
                self._write_claimed(item)
        for k in sorted(logged):
            for name, level, message, pathname in logged[k]:
                logger = logging.getLogger(name)
                if logger.isEnabledFor(level):
                    logger.handle(logger.makeRecord(name, level, pathname, 0, message, None, None))
        context = chunks.items[0].args[2]
        for item in chunks.items:
            signals.content_written.send(item.path, context=context)

    def _page_keys_ready(self) -> bool:
        if hasattr(self, "build_key"):
            return self.build_key is not None
        self.build_key = None
        state = self.build
        final = state.final_output
        if not state.read or final is None or not state.site.source_keys or not LINKING:
            return False
        import jinja2
        import pelican

        site = state.site
        plugin_dirs = pagekeys.plugin_dirs(self.settings)
        theme = Path(self.settings["THEME"])
        template_dirs = [
            theme / "templates",
            *map(Path, self.settings.get("THEME_TEMPLATES_OVERRIDES") or []),
        ]
        listing = [
            (
                e.path,
                e.title,
                str(e.date_published),
                str(e.last_updated),
                e.column,
                e.publisher,
                e.index_no,
                e.doc_no,
                e.summary,
                site.verdicts[e.path].state,
            )
            for e in state.shown_entries()
        ]
        # what every shown entry is called and where it lives: links between entries depend on it
        identity = [
            (e.path, e.column, e.slug, str(e.date_published), site.verdicts[e.path].state)
            for e in state.shown_entries()
        ]
        pages = [(p.path, p.slug, p.title, p.order, p.status, p.summary) for p in site.pages]
        self.build_key = pagekeys.build_key(
            self.settings,
            plugin_dirs,
            template_dirs,
            f"pelican={pelican.__version__};jinja2={jinja2.__version__}",
            pages,
            identity,
            # the kiosk's keyboard (GONGKAI_TOUCH) shows words of every title on every page
            everywhere=state.touch,
        )
        # for templates that may show other entries (titles, dates in a list): every listing fact
        self.list_key = hashlib.sha256(f"{self.build_key}\0{listing!r}".encode()).hexdigest()
        self.shows_others: dict[str, bool] = {}
        self.column_keys = pagekeys.column_keys(site.entries, site.source_keys)
        return True

    def _page_key(self, name, template, article) -> str | None:
        if not self._page_keys_ready():
            return None
        entry = article.entry
        source = self.build.site.source_keys.get(entry.path)
        if source is None:
            return None
        verdict = getattr(article, "verdict", None)
        template_name = getattr(template, "name", str(template))
        if template_name not in self.shows_others:
            environment = getattr(template, "environment", None)
            self.shows_others[template_name] = (
                environment is None
                or not template_name
                or pagekeys.template_shows_other_entries(environment, template_name)
            )
        build = self.list_key if self.shows_others[template_name] else self.build_key
        return pagekeys.page_key(
            build,
            name,
            template_name,
            source,
            getattr(verdict, "state", ""),
            # the entries its page links to (解读, 替代, 采纳情况: gongkai_core.policylinks) are shown on it
            self.column_keys.get(entry.column, "") + repr(self.build.site.links.get(entry.path)),
        )

    def _link_unchanged(self, name: str, key: str, context) -> bool:
        absolute = os.path.abspath(os.path.join(self._prefix, name))
        if (
            self.previous_record is None
            or absolute in self._written_files
            or not absolute.startswith(self._prefix)
        ):
            return False
        previous = self.previous_root / name
        if not self.previous_record.page_unchanged(name, key, previous):
            return False
        target = self.output_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(previous, target)
        except OSError:
            return False
        self._progress()
        self._written_files.add(absolute)
        self.build.page_keys[name] = key
        self.stats.linked += 1
        self.stats.skipped += 1
        signals.content_written.send(str(target), context=context)
        return True

    def _open_w(self, filename, encoding, override=False):
        self._progress()
        absolute = os.path.abspath(filename)
        if self.previous_root is None or not absolute.startswith(self._prefix):  # (always so without LINKING)
            return super()._open_w(filename, encoding, override)
        target = self.output_root / absolute[len(self._prefix) :]
        # Pelican's own rules for a file written twice (see Writer._open_w), then our file object
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it'
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return TextOut(target, self.previous_root, self.output_root, self.stats, encoding)

    def _progress(self) -> None:
        state = self.build
        progress = state.progress
        if not progress.enabled or not state.read:
            return
        if not hasattr(self, "_expected"):
            self._expected = len(state.shown_entries()) + len(state.site.pages)
        done = len(getattr(self, "_written_files", ())) + 1
        # lists, feeds and pages come after the entries: past the estimate, count without a total
        progress.update("写出网页", done, self._expected if done < self._expected else None)


def render_claimed(generator, writer) -> None:
    """The article generator is done: its entry pages go to be rendered aside, if not yet."""
    if isinstance(writer, LinkingWriter):
        writer._render_claimed_aside()


def finish_progress(pelican) -> None:
    state = current()
    state.pages_written()
    state.progress.finish()


def get_writer(pelican):
    return LinkingWriter


def register() -> None:
    signals.get_writer.connect(get_writer)
    signals.article_writer_finalized.connect(render_claimed)
    signals.finalized.connect(finish_progress)
