"""Nothing from content puts control characters on an editor's terminal.

Our commands echo titles, keys, values and file names. A control character among them (ESC
starting a sequence that clears the screen, retitles the window or rewrites the line; CR that
overwrites a problem line; a bidi override that reorders it) would act on the terminal. Every
command's stdout and stderr go through `SafeStream` (installed by gongkai_cli.main and
annual-report), which shows each such character as visible text instead, so the editor can find
it: C0 controls as `\\x1b` (tab and newline pass), DEL, C1 controls and the bidi and separator
characters as `U+009B` (text that stays valid inside the JSON `status --json` prints). An escape
sequence is left as harmless text: `\\x1b[2J`. The progress line writes its `\\r` to the
unfiltered stream (`unfiltered_stream`). No Pelican here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

# C0 but tab and LF, DEL, C1; ALM, LRM, RLM; line and paragraph separators; bidi embeddings,
# overrides and isolates; interlinear annotation marks
SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb]")


def _show(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x20 else f"U+{code:04X}"


def visible(text: str) -> str:
    """`text` with every control character written out (see the module's doc)."""
    return SHOWN.sub(_show, text)


class SafeStream:
    """A text stream that writes `visible(text)` to the stream it wraps (everything else delegated)."""

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        self.unfiltered.write(visible(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, isatty, fileno, encoding …
        return getattr(self.unfiltered, name)


def wrap(stream):
    """`stream` behind a SafeStream (once; None stays None, as sys.stderr may be)."""
    if stream is None or isinstance(stream, SafeStream):
        return stream
    return SafeStream(stream)


def unfiltered_stream(stream):
    """The terminal behind a SafeStream, for our own cursor control (the progress line's \\r)."""
    return stream.unfiltered if isinstance(stream, SafeStream) else stream


@contextmanager
def filtered_output() -> Iterator[None]:
    """sys.stdout and sys.stderr filtered while the block runs (restored after)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = wrap(sys.stdout), wrap(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
