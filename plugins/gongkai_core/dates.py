"""Dates as editors write them: 2025-01-20, 2025/1/20, 2025年1月20日, with full-width digits."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"),
)


class DateFormatError(ValueError):
    """The text is not a date an editor could mean; the message is Chinese."""


def parse_date(text: str | None) -> date:
    if type(text) is str:  # what reading asks, a few times an entry: the same days recur across files
        return _parse_text(text)
    return _parse(text)


def _parse(text: str | None) -> date:
    if text is None or not str(text).strip():
        raise DateFormatError("日期为空")
    raw = str(text).strip()
    norm = unicodedata.normalize("NFKC", raw).replace(" ", "")
    for pattern in _PATTERNS:
        m = pattern.match(norm)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                raise DateFormatError(f"“{raw}”不是存在的日期（{y}年没有{mo}月{d}日）") from None
    raise DateFormatError(f"“{raw}”不是日期，请写成 2025-01-20 或 2025年1月20日")


# a pure function of the text (a date is immutable; a bad one raises anew each time, nothing is kept)
_parse_text = functools.lru_cache(maxsize=4096)(_parse)
