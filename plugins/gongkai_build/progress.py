"""Progress of a long build on one terminal line: files read, pages written, time left.

Quiet unless the stream is a terminal, so logs, CI and `invoke bench` see nothing of it. Its `\r`
goes to the terminal itself, past the filter that shows content's control characters (termsafe).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from gongkai_core.termsafe import unfiltered_stream, visible


class Progress:
    def __init__(
        self, stream: TextIO | None = None, enabled: bool | None = None, interval: float = 0.25
    ) -> None:
        self.stream = unfiltered_stream(stream if stream is not None else sys.stderr)
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.interval = interval
        self._last = 0.0
        self._start: dict[str, float] = {}
        self._shown = False
        self._finished: set[str] = set()

    def update(self, what: str, done: int, total: int | None = None) -> None:
        """`what` done of `total` (total unknown: no percentage, no time left)."""
        if not self.enabled:
            return
        now = time.monotonic()
        start = self._start.setdefault(what, now)
        final = total is not None and done >= total
        if what in self._finished or (not final and now - self._last < self.interval):
            return
        if final:
            self._finished.add(what)
        self._last = now
        text = f"{what} {done:,}"
        if total:
            text += f"/{total:,}（{100 * done // total}%）"
            if 0 < done < total and now - start > 0.5:
                left = (now - start) / done * (total - done)
                text += f"，约剩 {left:.0f} 秒"
        self.stream.write("\r" + visible(text).ljust(48) + ("\n" if final else ""))
        self.stream.flush()
        self._shown = not final

    def reader(self, what: str):
        """A `progress(done, total)` callback for load_site."""
        return lambda done, total: self.update(what, done, total)

    def finish(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
