"""The progress line: on a terminal only, counts and time left, one final line per phase."""

from __future__ import annotations

import io

from gongkai_build.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_terminal():
    out = io.StringIO()
    progress = Progress(out)
    for i in range(1, 101):
        progress.update("读取条目", i, 100)
    progress.finish()
    assert out.getvalue() == ""


def test_counts_on_a_terminal_and_ends_each_phase_once():
    out = Terminal()
    progress = Progress(out, interval=0)
    progress.update("读取条目", 500, 1000)
    progress.update("读取条目", 1000, 1000)
    progress.update("读取条目", 1000, 1000)
    progress.update("写出网页", 10)
    progress.finish()
    text = out.getvalue()
    assert "读取条目 500/1,000（50%）" in text
    assert text.count("读取条目 1,000/1,000（100%）") == 1
    assert "写出网页 10" in text and text.endswith("\n")
