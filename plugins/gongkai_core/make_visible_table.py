"""Generate `data/nfkc_scan.json`: the characters whose NFKC form matters to what a reader sees.

gongkai_core.visible applies NFKC only to these (NFKC of a whole Chinese text costs more than
everything else the scans do: its full-width punctuation makes Python normalise all of it). They
are the characters NFKC changes, except those that become whitespace (the scans read any
whitespace as whitespace) or one ASCII punctuation mark that no scan looks at (，（）！？：…).
Kept: full-width and other compatibility digits and letters (１, Ｘ, ①, ², Ⅹ, 𝟏), the marks that
make entities and escapes (＆, ＃, ＼), dots and dashes (．, －, …), ㊙ → 秘, Kangxi radicals
(⼀ → 一) and CJK compatibility ideographs. Also the number signs NFKC leaves alone (❶ ➊ ⓵ ❿ …),
which visible folds to their digits (number_sign).

Run `python -m gongkai_core.make_visible_table` to rewrite the committed file (after a Python
upgrade with newer Unicode data); tests/unit/test_visible.py recomputes it and compares.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("data") / "nfkc_scan.json"
UNSCANNED = frozenset(",()!?:\"'[]{}%$@^|+=/")


def number_sign(ch: str) -> str | None:
    """The digits a character NFKC leaves alone is read as, if it is a number sign of its own: a digit
    that is no decimal digit of a script (❶ ➊ ⓵ …) or a small whole number (❿ ⓫ …); else None."""
    if unicodedata.category(ch) == "Nd":
        return None  # the scanner reads every script's decimal digits itself
    digit = unicodedata.digit(ch, None)
    if digit is not None:
        return str(digit)
    value = unicodedata.numeric(ch, None)
    if unicodedata.category(ch) == "No" and value is not None and value == int(value) and 0 <= value <= 20:
        return str(int(value))
    return None


def build_ranges() -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        normal = unicodedata.normalize("NFKC", ch)
        if normal == ch:
            if not number_sign(ch):
                continue
        elif normal.isspace() or normal in UNSCANNED:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


# Blocks most Chinese text is made of; the characters in them that NFKC_SCAN does not hold are
# "skip": a text made of those alone needs no folding, told by one quick negated class.
COMMON_BLOCKS = (
    (0x0000, 0x02FF),
    (0x2000, 0x2BFF),
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xFF00, 0xFFEF),
)


def skip_ranges(ranges: list[list[int]]) -> list[list[int]]:
    scanned = {code for a, b in ranges for code in range(a, b + 1)}
    skip: list[list[int]] = []
    for low, high in COMMON_BLOCKS:
        for code in range(low, high + 1):
            if code in scanned:
                continue
            if skip and skip[-1][1] == code - 1:
                skip[-1][1] = code
            else:
                skip.append([code, code])
    return skip


# Characters that are certainly visible and not a digit of another script (gongkai_core.visible looks
# at all others one by one); tests/unit/test_visible.py checks them against Unicode data.
PLAIN_RANGES = (
    (0x09, 0x0A),
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2100, 0x214F),
    (0x2190, 0x23FF),
    (0x2460, 0x24FF),
    (0x2500, 0x27BF),
    (0x3000, 0x3029),
    (0x3030, 0x303F),
    (0x309B, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF01, 0xFF5E),
    (0xFFE0, 0xFFE6),
)


def shown_ranges(skip: list[list[int]]) -> list[list[int]]:
    """The plain characters that need no folding either: a text of them alone is as it shows."""
    common = {code for a, b in skip for code in range(a, b + 1)}
    both: list[list[int]] = []
    for low, high in PLAIN_RANGES:
        for code in range(low, high + 1):
            if code in common:
                if both and both[-1][1] == code - 1:
                    both[-1][1] = code
                else:
                    both.append([code, code])
    return both


def render(ranges: list[list[int]]) -> str:
    skip = skip_ranges(ranges)
    table = {
        "unicode": unicodedata.unidata_version,
        "ranges": ranges,
        "skip": skip,
        "shown": shown_ranges(skip),
    }
    return json.dumps(table, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    TABLE_PATH.write_text(render(build_ranges()), encoding="utf-8")
    print(f"wrote {TABLE_PATH}")
