"""One build: the typed object a run of Pelican carries from the command to every plugin.

The command (`gongkai_cli.build.run_pelican`) makes a `Build` with where it writes, the output it
will replace, the previous output to link unchanged files from and that output's record
(`gongkai_build.record.BuildRecord`), and runs Pelican inside `with build.active():`. The plugins
ask `current()` for it — never Pelican's settings dict, which holds only what a settings file may
set. The gate fills in what was read and decided (`decided`); the reader asks `lookup` for exactly
the file Pelican walks into; the writer records the pages it wrote and their page keys, which the
command saves in the new record once the build is swapped in; search and the column downloads run
as background `jobs` the build waits for (and stops when it fails). Nothing of it is a setting, so
nothing of it is hashed into page keys.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gongkai_core.application_form import PublicRequests
from gongkai_core import columns as data_columns
from gongkai_core import gate, urls
from gongkai_core.entry import Entry, Page
from gongkai_core.errors import GongkaiError
from gongkai_core.search_index import SearchDoc
from gongkai_core.site import Site
from gongkai_core.touch import Keyboard

from .jobs import Jobs
from .fragments import Fragments
from .outfiles import LinkStats
from .progress import Progress
from .record import BuildRecord

_ACTIVE: contextvars.ContextVar[Build | None] = contextvars.ContextVar("gongkai_build", default=None)


class NoBuild(GongkaiError):
    """A plugin ran outside a Gongkai build (Pelican started by hand): nothing is read or written."""


def running() -> Build | None:
    """The build this Pelican run belongs to, or None outside one (a template rendered by a test)."""
    return _ACTIVE.get()


def current() -> Build:
    """The build this Pelican run belongs to."""
    build = _ACTIVE.get()
    if build is None:
        raise NoBuild(
            "没有正在进行的 Gongkai 构建：请用 invoke build / preview / publish 构建网站，"
            "不要直接运行 pelican（发布闸门不会放行任何内容）"
        )
    return build


@dataclass
class SearchOutcome:
    """What the search index of this build was made from, for the fast rebuild's record."""

    state: object | None = None  # gongkai_core.search_index index state (None: not built)
    digests: dict[str, str] = field(default_factory=dict)  # entry path -> digest of its indexed text
    docs: dict[str, SearchDoc] = field(default_factory=dict)  # entry path -> its search document
    early: list[tuple[str, str]] | None = None  # (url, path) an index started early expects


@dataclass(eq=False)
class Build:
    output: Path  # where this run writes (a staging or scratch folder)
    final_output: Path | None = None  # the output this run will replace: the writer computes page keys for it
    previous_output: Path | None = None  # unchanged files are hard-linked from here
    # the record of previous_output's build: an entry page whose key and file are as recorded is linked
    previous_record: BuildRecord | None = None
    only: list[str] | None = None  # a fast rebuild: read just these entries (content-relative paths)
    progress: Progress = field(default_factory=Progress)
    jobs: Jobs = field(default_factory=Jobs)
    settings_checked: bool = False  # gongkai_build.settings.check_whole ran (once per build)
    # filled in by the gate (gongkai_gate.glue.initialize) once everything is read and decided
    build_date: date | None = None
    site: Site | None = None
    preview: bool = False
    templates: frozenset[str] = frozenset()
    # the 依申请公开 page's counts of the register (gongkai_core.application_form; counts only)
    public_requests: PublicRequests | None = None
    # the touch-screen kiosk's keyboard (gongkai_touch, GONGKAI_TOUCH builds only): words of every shown
    # entry's title on every page, so the writer hashes it into every page key
    touch: Keyboard | None = None
    # filled in while writing
    stats: LinkStats = field(default_factory=LinkStats)
    written: set[str] = field(default_factory=set)  # output paths Pelican's writer wrote (for the sitemap)
    entry_pages: dict[str, str] = field(default_factory=dict)  # entry path -> output name of its page
    page_keys: dict[str, str] = field(default_factory=dict)  # output name of an entry page -> its page key
    search: SearchOutcome = field(default_factory=SearchOutcome)
    # parts of pages rendered once per distinct input (the theme's `gk_fragment`, gongkai_build.fragments)
    fragments: Fragments = field(default_factory=Fragments)
    # the output names of the static pages, by the list Pelican hands every template (gongkai_build.listing)
    page_names: dict[int, tuple[object, frozenset[str]]] = field(default_factory=dict)
    # entry pages the writer handed to rendering processes (gongkai_output): `pages_written` waits for them
    pages_aside: Callable[[], None] | None = None
    # the finished output's files as its last check found them (inode, size, mtime_ns; by the posix
    # path relative to the output): the record's stats of it (gongkai_cli.build.check_output)
    output_files: dict[str, tuple[int, int, int]] | None = None

    def pages_written(self) -> None:
        """Every page of this run is in the output: wait for the pages being rendered aside, if any.
        Whatever reads the output or `written` (the sitemap, the last check) calls it first."""
        finish, self.pages_aside = self.pages_aside, None
        if finish is not None:
            finish()

    @contextlib.contextmanager
    def active(self) -> Iterator[Build]:
        """The plugins of the Pelican run inside this block see this build; background jobs
        still running when it is left (a failed build) are stopped."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            self.jobs.stop_all()
            self.jobs.release()
            _ACTIVE.reset(token)

    # ---- what the gate decided

    def decided(self, site: Site, build_date: date, preview: bool, templates: frozenset[str]) -> None:
        self.site, self.build_date, self.preview, self.templates = site, build_date, preview, templates
        # the files exactly where the gate read them (no resolving: a symbolic link or another way to
        # the same file that Pelican walks into is not the file the gate decided on)
        root = Path(os.path.abspath(site.root))
        self._by_source: dict[str, tuple] = {}
        for entry in site.entries:
            verdict = site.verdicts[entry.path]
            if verdict.published or verdict.state == gate.WITHDRAWN or preview:
                self._by_source[self._key(root / self._rel(entry.path))] = ("entry", entry, verdict)
        for page in site.pages:
            if page.status == "published" or preview:
                self._by_source[self._key(root / self._rel(page.path))] = ("page", page, None)

    @property
    def read(self) -> bool:
        """True once the gate has read and decided the content."""
        return self.site is not None

    @staticmethod
    def _rel(shown: str) -> str:
        # shown paths are relative to the project root and start with the content folder name
        parts = Path(shown).parts
        return str(Path(*parts[1:])) if len(parts) > 1 else shown

    def content_rel(self, shown: str) -> str:
        """An entry's path relative to the content folder (posix)."""
        head, slash, rest = shown.partition("/")
        # a relative path of plain segments (what shown_path makes): the part after the first "/"
        if slash and head not in ("", ".") and rest and not rest.endswith("/") and "//" not in shown:
            if "/./" not in f"/{rest}/":
                return rest
        return Path(self._rel(shown)).as_posix()

    @staticmethod
    def _key(path: Path) -> str:
        return os.path.normcase(os.path.abspath(path))

    def lookup(self, source_path: str) -> tuple[str, Entry | Page, gate.Verdict | None] | None:
        """What the gate decided for the file at `source_path`: ("entry", entry, verdict),
        ("page", page, None), or None (not read by the gate, or not to be shown)."""
        return self._by_source.get(self._key(Path(source_path))) if self.read else None

    def template_for(self, entry: Entry) -> str | None:
        """The theme template of an entry's page: its column's (gongkai_core.columns.template) when
        the theme has it, else None (the article template)."""
        template = data_columns.template(entry.column)
        return template if template in self.templates else None

    def shown_entries(self) -> list[Entry]:
        """Entries whose pages this build writes (published; all valid ones in preview)."""
        site = self.site
        return [e for e in site.entries if self.preview or site.verdicts[e.path].published] if site else []

    # ---- where things go (gongkai_core.urls is the one place addresses are made)

    @staticmethod
    def entry_url(entry: Entry) -> str:
        return urls.entry_page(entry.column, entry.slug)
