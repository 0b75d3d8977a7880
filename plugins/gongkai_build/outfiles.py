"""Write a build's files so that unchanged ones cost nothing (no Pelican here).

A build writes into a fresh staging folder that replaces the output only when complete (see
gongkai_cli.build). When a file's bytes are the same as the file at the same place in the
previous output, the staging folder gets a hard link to that file instead of a new copy:
creating thousands of files is what a rebuild spends most of its time on, a link costs almost
nothing, and unchanged pages keep their inode and mtime (a mirror sees they did not change).
Nothing is linked that was not produced again by this build, so a page of an entry that is no
longer published never survives. Linked files are never written in place afterwards: every
write goes to a new file that replaces the link.
"""

from __future__ import annotations

import io
import os
import queue
import threading
from pathlib import Path


class LinkStats:
    """How many files a build linked (unchanged) and wrote (new or changed)."""

    def __init__(self) -> None:
        self.linked = 0
        self.written = 0
        self.skipped = 0  # entry pages not rendered at all (unchanged key, see pagekeys)
        self.writer: object | None = None


def _same_file(previous: Path, data: bytes) -> bool:
    try:
        if not previous.is_file() or previous.is_symlink() or previous.stat().st_size != len(data):
            return False
        return previous.read_bytes() == data
    except OSError:
        return False


def write_bytes(
    target: Path, data: bytes, previous_root: Path | None, output_root: Path, stats: LinkStats | None = None
) -> None:
    """Write `data` to `target` (inside `output_root`), linking the previous output's file when equal."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        target.unlink()  # never write through a link into the previous output
    if previous_root is not None:
        previous = previous_root / target.relative_to(output_root)
        if _same_file(previous, data):
            try:
                os.link(previous, target)
                if stats:
                    stats.linked += 1
                return
            except OSError:
                pass  # another file system, no link support: write it
    target.write_bytes(data)
    if stats:
        stats.written += 1


def write_if_changed(path: Path, data: bytes, previous: Path | None = None) -> bool:
    """Write only when the bytes differ, so unchanged files keep their mtime. With `previous`
    (the same file in the previous output of a staged build), equal bytes are hard-linked from it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    if previous is not None and not path.exists():
        write_bytes(path, data, previous.parent, path.parent)
        return True
    path.write_bytes(data)
    return True


def copy_file(
    source: Path, target: Path, previous_root: Path | None, output_root: Path, stats: LinkStats | None = None
) -> None:
    """Copy `source` to `target`, linking the previous output's copy when its bytes are the same."""
    write_bytes(target, source.read_bytes(), previous_root, output_root, stats)


class BackgroundWrites:
    """Files of a build written by one thread while the main one renders the next page.

    Creating a file costs ~0.5-2 ms on a busy VM (a stat, a mkdir, an open with O_CREAT, the write,
    the close), most of it waiting on the file system with the GIL released: at 10,000 pages that is
    seconds the rendering need not wait for. Files are written in the order they were handed in
    (a name written twice ends as the second write left it), at most `LIMIT` pages wait in memory.
    The first failure is raised in the main thread by the next `write` or by `finish`, and nothing
    queued after it is written. `finish` (the writer calls it once the pages are written, before
    Pelican's `finalized`: the sitemap checks the pages exist) waits for every file and from then on
    writes at once; `abandon` (a build that fails) drops what is still queued and waits for the file
    in hand, so nothing is written into a staging folder after it is removed.
    """

    LIMIT = 256

    def __init__(self, stats: LinkStats) -> None:
        self.stats = stats  # the build's: the thread counts apart and adds its counts in finish
        self._own = LinkStats()
        self._queue: queue.Queue = queue.Queue(self.LIMIT)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._dropping = False
        self.synchronous = False

    def write(self, target: Path, data: bytes, previous_root: Path | None, output_root: Path) -> None:
        if self._error is not None:
            raise self._error
        if self.synchronous:
            write_bytes(target, data, previous_root, output_root, self.stats)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="gongkai-writes", daemon=True)
            self._thread.start()
        self._queue.put((target, data, previous_root, output_root))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None or self._dropping:
                continue
            try:
                write_bytes(*item, self._own)
            except BaseException as error:  # noqa: BLE001 - raised again in the main thread
                self._error = error

    def _stop(self) -> None:
        self.synchronous = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        self.stats.linked += self._own.linked
        self.stats.written += self._own.written
        self._own = LinkStats()

    def finish(self) -> None:
        """Every file handed in is written (or its error raised); later files are written at once."""
        self._stop()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """A failed build: nothing more is written, the file in hand is finished first."""
        self._dropping = True
        self._stop()


class TextOut(io.StringIO):
    """A text file being written: on close, its bytes go through write_bytes (through `writes`,
    a BackgroundWrites, when given)."""

    def __init__(
        self,
        target: Path,
        previous_root: Path | None,
        output_root: Path,
        stats: LinkStats | None,
        encoding: str = "utf-8",
        writes: BackgroundWrites | None = None,
    ) -> None:
        super().__init__()
        self._args = (target, previous_root, output_root, stats)
        self._encoding = encoding
        self._writes = writes

    def close(self) -> None:
        if not self.closed:
            target, previous_root, output_root, stats = self._args
            data = self.getvalue().encode(self._encoding)
            if self._writes is not None:
                self._writes.write(target, data, previous_root, output_root)
            else:
                write_bytes(target, data, previous_root, output_root, stats)
        super().close()
