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


class TextOut(io.StringIO):
    """A text file being written: on close, its bytes go through write_bytes."""

    def __init__(
        self,
        target: Path,
        previous_root: Path | None,
        output_root: Path,
        stats: LinkStats | None,
        encoding: str = "utf-8",
    ) -> None:
        super().__init__()
        self._args = (target, previous_root, output_root, stats)
        self._encoding = encoding

    def close(self) -> None:
        if not self.closed:
            target, previous_root, output_root, stats = self._args
            write_bytes(target, self.getvalue().encode(self._encoding), previous_root, output_root, stats)
        super().close()
