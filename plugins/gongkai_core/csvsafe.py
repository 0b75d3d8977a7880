"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV/formula injection).

Excel, WPS and LibreOffice evaluate a cell whose text starts with `=`, `+`, `-` or `@` (and, after
a tab, CR or other leading blanks they skip, whatever follows), including the full-width and
small forms (＝＋－＠, ﹦﹢﹣﹫) that input methods type and WPS folds. Such a text cell is prefixed
with `'` (OWASP), so it opens as the text it is. A genuine number (`-12.50`, `+3`, `-6.25%`,
`-1,234.5`) stays a number; amounts that are Decimal or int are numbers by type. No Pelican here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

TRIGGERS = frozenset("=+-@")
# a plain number as the downloads write them: sign, digits (optionally grouped), decimals, percent
NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?|[+-]?\.\d+%?", re.ASCII)
_SKIPPED = ("Zs", "Zl", "Zp", "Cf")  # blanks and invisible format characters before the first sign


def _risky(text: str) -> bool:
    """True when a spreadsheet could take the text for a formula."""
    for ch in text:
        if ch.isalnum():  # letters (CJK too) and digits: the plain, common case
            return False
        category = unicodedata.category(ch)
        if category == "Cc":  # tab, CR, LF or any other control character in front
            return True
        if category in _SKIPPED:
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in TRIGGERS
    return False


def cell(value: object) -> str:
    """The text of one CSV cell: numbers as they are, risky text prefixed with `'`."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, int, float)):
        return str(value)
    text = str(value)
    if text and not text[0].isalnum() and _risky(text) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def row(values: Iterable[object]) -> list[str]:
    return [cell(v) for v in values]


_QUOTED = re.compile(r'[,"\r\n]')


def _field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _QUOTED.search(text) else text


def text(rows: Iterable[Iterable[object]], terminator: str = "\n") -> str:
    """The rows as CSV (RFC 4180): what csv.writer writes, except that a cell holding a CR or LF is
    always quoted (csv.writer leaves a lone CR unquoted unless it ends its lines with one, and a
    spreadsheet then starts a new row there, whose first cell escaped the `'`)."""
    lines = []
    for values in rows:
        cells = row(values)
        lines.append('""' if cells == [""] else ",".join(_field(c) for c in cells))
    return "".join(line + terminator for line in lines)
