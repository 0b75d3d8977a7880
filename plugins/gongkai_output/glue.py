"""Pelican glue: a Writer that links unchanged pages from the previous output (gongkai_core.outfiles)."""

from __future__ import annotations

import os
from pathlib import Path

from pelican import signals
from pelican.writers import FileOverwriteFailedError, Writer

from gongkai_core.outfiles import LinkStats, TextOut

from .settings import DEFAULTS


class LinkingWriter(Writer):
    """Pelican's Writer, except that a file whose bytes equal the previous output's is a hard link."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        previous = (settings or {}).get("GONGKAI_PREVIOUS_OUTPUT")
        self.previous_root = Path(previous).resolve() if previous and Path(previous).is_dir() else None
        self.output_root = Path(output_path).resolve()
        self._prefix = os.path.join(os.path.abspath(output_path), "")
        self.stats = LinkStats()
        if settings is not None:
            settings["GONGKAI_OUTPUT_STATS"] = self.stats

    def _open_w(self, filename, encoding, override=False):
        self._progress()
        absolute = os.path.abspath(filename)
        if self.previous_root is None or not absolute.startswith(self._prefix):
            return super()._open_w(filename, encoding, override)
        target = self.output_root / absolute[len(self._prefix):]
        # Pelican's own rules for a file written twice (see Writer._open_w), then our file object
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return TextOut(target, self.previous_root, self.output_root, self.stats, encoding)


    def _progress(self) -> None:
        state = self.settings.get("GONGKAI_STATE")
        progress = getattr(state, "progress", None)
        if progress is None or not progress.enabled:
            return
        if not hasattr(self, "_expected"):
            self._expected = len(state.shown_entries()) + len(state.site.pages)
        done = len(self._written_files) + 1
        # lists, feeds and pages come after the entries: past the estimate, count without a total
        progress.update("写出网页", done, self._expected if done < self._expected else None)


def finish_progress(pelican) -> None:
    progress = getattr(pelican.settings.get("GONGKAI_STATE"), "progress", None)
    if progress is not None:
        progress.finish()


def defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_writer(pelican):
    return LinkingWriter


def register() -> None:
    signals.initialized.connect(defaults)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finish_progress)
