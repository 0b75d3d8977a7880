"""Per-build gate state: what each source file may become. Made once in `initialized`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gongkai_core import columns as data_columns
from gongkai_core import gate
from gongkai_core.entry import Entry
from gongkai_core.progress import Progress
from gongkai_core.site import Site


@dataclass
class GateState:
    site: Site
    preview: bool
    templates: frozenset[str]
    progress: Progress | None = None  # the build's progress line (quiet when stderr is no terminal)

    def __post_init__(self) -> None:
        self.written: set[str] = set()  # output paths Pelican's writer wrote (for the sitemap)
        self.entry_pages: dict[str, str] = {}  # entry path -> output name of its page (gongkai_output's writer)
        # the files exactly where the gate read them (no resolving: a symbolic link or another way to
        # the same file that Pelican walks into is not the file the gate decided on)
        root = Path(os.path.abspath(self.site.root))
        self._by_source: dict[str, tuple] = {}
        for entry in self.site.entries:
            verdict = self.site.verdicts[entry.path]
            if verdict.published or verdict.state == gate.WITHDRAWN or self.preview:
                self._by_source[self._key(root / self._rel(entry.path))] = ("entry", entry, verdict)
        for page in self.site.pages:
            if page.status == "published" or self.preview:
                self._by_source[self._key(root / self._rel(page.path))] = ("page", page, None)

    def _rel(self, shown: str) -> str:
        # shown paths are relative to the project root and start with the content folder name
        parts = Path(shown).parts
        return str(Path(*parts[1:])) if len(parts) > 1 else shown

    def content_rel(self, shown: str) -> str:
        """An entry's path relative to the content folder (posix)."""
        return Path(self._rel(shown)).as_posix()

    @staticmethod
    def _key(path: Path) -> str:
        return os.path.normcase(os.path.abspath(path))

    def lookup(self, source_path: str):
        """What the gate decided for the file at `source_path`, or None (not read by the gate)."""
        return self._by_source.get(self._key(Path(source_path)))

    def template_for(self, entry: Entry) -> str | None:
        template = data_columns.template(entry.column)
        return template if template in self.templates else None

    def shown_entries(self) -> list[Entry]:
        """Entries whose pages this build writes (published; all valid ones in preview)."""
        return [e for e in self.site.entries
                if self.preview or self.site.verdicts[e.path].published]
