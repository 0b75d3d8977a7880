"""Personal data that must not be disclosed: ID numbers, mobile numbers, bank cards.

The scan runs on what a reader sees (gongkai_core.visible: markup, entities, invisible characters
and compatibility forms taken away) and reads numbers as a reader does, through the separators
people split them with:

  - digits next to each other are one number, whatever markup or invisible characters were
    between them in the source: `1380<b>0138</b>000` is 13800138000, and `138001380001` holds
    no mobile number (twelve digits are not eleven);
  - groups of digits split by spaces, line breaks, hyphens/dashes or dots (. 。 · ・) are read
    as one number when the split is one a reader reads through: one kind of separator (spaces and
    dashes count as one kind, dots as another), at most three characters each (a run of spaces
    is one), and all groups but the first and the last of the same length — `138 0013 8000`,
    `110105 19491231 002X`, `6222 0202 0011 2233 445`, `1.3.8.0.0.1.3.8.0.0.0`; a number may
    be part of a longer run (`+86 138 0013 8000`, `0086-138…`, `… 1号楼`). Amounts in a row
    (`123.45 110.20`), dates (`2025-01-20 2025-02-10`) and table cells (`|`, `<td>`) are not
    read as one number;
  - an ID number (17 digits and a check digit or X, a real birth date from 1900 on, the
    GB 11643 check digit) and a bank card (16–19 digits, Luhn, a card-issuer first digit) are
    not glued to a letter (`91110000100000000A` is a credit code); a mobile number is 1[3-9] and
    nine digits, optionally after 86 / 0086.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .visible import CHINESE_DIGIT_VALUES, CHINESE_DIGITS, View, views

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_FIRST_YEAR = 1900
# Every number needs at least this many digits (a mobile number has 11): a text whose visible
# form has fewer cannot hold one.
MIN_DIGITS = 11
# The characters other than digits themselves that NFKC turns into text with digits (superscripts,
# fractions, circled and parenthesised numbers, ㏠ "1日", full-width ０-９, mathematical digits …),
# each into at most COMPAT_DIGITS_MAX of them (⅒ → 1⁄10). tests/unit/test_pii.py recomputes this
# set from the running Python's Unicode data.
COMPAT_DIGIT_RANGES = (
    (0x00B2, 0x00B3),
    (0x00B9, 0x00B9),
    (0x00BC, 0x00BE),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2150, 0x215F),
    (0x2189, 0x2189),
    (0x2460, 0x249B),
    (0x24EA, 0x24EA),
    (0x3251, 0x325F),
    (0x32B1, 0x32CB),
    (0x3358, 0x3370),
    (0x3378, 0x3379),
    (0x339F, 0x33A6),
    (0x33A8, 0x33A8),
    (0x33AF, 0x33AF),
    (0x33E0, 0x33FE),
    (0xFF10, 0xFF19),
    (0x1D7CE, 0x1D7FF),
    (0x1F100, 0x1F10A),
    (0x1FBF0, 0x1FBF9),
)
COMPAT_DIGITS_MAX = 3
# Characters NFKC turns into a Chinese digit numeral (⼀ ㈠ ㊀ …), at most one each; the test recomputes it.
COMPAT_NUMERAL_RANGES = (
    (0x2F00, 0x2F00),
    (0x2F06, 0x2F06),
    (0x2F0B, 0x2F0B),
    (0x2F33, 0x2F33),
    (0x3192, 0x3195),
    (0x3220, 0x3228),
    (0x3280, 0x3288),
    (0xF96B, 0xF96B),
    (0xF9B2, 0xF9B2),
    (0xF9D1, 0xF9D1),
    (0xF9D3, 0xF9D3),
    (0x1F214, 0x1F214),
    (0x1F229, 0x1F22A),
    (0x1F241, 0x1F242),
)
# Number signs NFKC leaves alone, which visible reads as their digits (❶ ➊ ⓵ ❿ …, at most 2 digits each;
# make_visible_table.number_sign, the test recomputes them)
NUMBER_SIGN_RANGES = (
    (0x9F9, 0x9F9),
    (0xBF0, 0xBF0),
    (0xC78, 0xC7E),
    (0xD70, 0xD70),
    (0x1369, 0x1373),
    (0x17F0, 0x17F9),
    (0x19DA, 0x19DA),
    (0x24EB, 0x24FF),
    (0x2776, 0x2793),
    (0x3248, 0x3249),
    (0x10107, 0x10111),
    (0x1018A, 0x1018A),
    (0x102E1, 0x102EB),
    (0x10320, 0x10322),
    (0x10858, 0x1085C),
    (0x10879, 0x1087F),
    (0x108A7, 0x108AE),
    (0x108FB, 0x108FE),
    (0x10916, 0x10918),
    (0x1091A, 0x1091B),
    (0x109C0, 0x109CA),
    (0x10A40, 0x10A45),
    (0x10A7D, 0x10A7D),
    (0x10A9D, 0x10A9F),
    (0x10AEB, 0x10AEE),
    (0x10B58, 0x10B5D),
    (0x10B78, 0x10B7D),
    (0x10BA9, 0x10BAE),
    (0x10CFA, 0x10CFC),
    (0x10E60, 0x10E6A),
    (0x10F1D, 0x10F23),
    (0x10F51, 0x10F53),
    (0x10FC5, 0x10FCA),
    (0x11052, 0x1105C),
    (0x111E1, 0x111EB),
    (0x1173A, 0x1173B),
    (0x118EA, 0x118EB),
    (0x11C5A, 0x11C64),
    (0x16B5B, 0x16B5B),
    (0x16E80, 0x16E96),
    (0x1D2E0, 0x1D2F3),
    (0x1D360, 0x1D36A),
    (0x1D372, 0x1D378),
    (0x1E8C7, 0x1E8CF),
    (0x1EC71, 0x1EC7B),
    (0x1ECA3, 0x1ECAB),
    (0x1ECB1, 0x1ECB2),
    (0x1ED01, 0x1ED0B),
    (0x1ED2F, 0x1ED37),
    (0x1F10B, 0x1F10C),
)
# What else may become a digit in the visible text: a compatibility character (above), an entity or an
# escape (&, its full-width and small forms, \: one character, so at most COMPAT_DIGITS_MAX digits each).
ENTITY_STARTS = ((0x26, 0x26), (0x5C, 0x5C), (0xFE60, 0xFE60), (0xFF06, 0xFF06))
# The decimal digits of other scripts (Unicode category Nd beyond ASCII; the test recomputes them)
OTHER_SCRIPT_DIGITS = (
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
)


def _class(ranges, bmp_only: bool = False) -> re.Pattern:
    return re.compile(
        "[" + "".join(f"\\U{a:08X}-\\U{b:08X}" for a, b in ranges if not bmp_only or b <= 0xFFFF) + "]"
    )


# Every character but an ASCII digit that may give digits, counted COMPAT_DIGITS_MAX each; the same for
# the Basic Multilingual Plane only, a fast bitmap (the other is needed only for a text beyond it)
EXPANDING_RANGES = (
    COMPAT_DIGIT_RANGES + COMPAT_NUMERAL_RANGES + ENTITY_STARTS + OTHER_SCRIPT_DIGITS + NUMBER_SIGN_RANGES
)
EXPANDING_RE = _class(EXPANDING_RANGES)
EXPANDING_BMP_RE = _class(EXPANDING_RANGES, bmp_only=True)
ASCII_DIGIT_RE = re.compile("[0-9]")
NUMERAL_RE = re.compile("[" + CHINESE_DIGITS + "]")
# A Chinese digit numeral is read as a digit only next to another digit or numeral (一三八…, 二〇二五);
# one between ideographs (统一, 一是) cannot be part of a number, whatever is dropped around it,
# unless markup or a Markdown link is: they can hide ideographs, then every numeral counts.
IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff"
NUMERAL_RUN_RE = re.compile(
    f"[{CHINESE_DIGITS}\\d](?:[^{IDEOGRAPH}{CHINESE_DIGITS}\\d]*[{CHINESE_DIGITS}\\d])+"
)


def _astral(text: str) -> bool:
    return len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)


# A pure test of one text, asked of every value of every entry: the same names and phrases (科目名称,
# publishers, table headings) recur across the files a process reads, so the answers for short texts
# are kept (not for bodies and attachments, which are asked once and would fill memory).
_REMEMBERED_CHARS = 200


def may_hold_number(text: str) -> bool:
    """_may_hold_number(text), remembered for a short text."""
    if len(text) > _REMEMBERED_CHARS:
        return _may_hold_number(text)
    return _may_hold_short(text)


def _may_hold_number(text: str) -> bool:
    """False when the visible form of `text` has fewer than MIN_DIGITS digits a number can be read
    from (no number can be found in it), told without normalising: a bound on what its characters
    can become."""
    if len(text) < 4 or (len(text) < MIN_DIGITS and text.isascii()):
        return False  # at most 3 digits a character, an ASCII one at most one (an entity is longer)
    found = len(ASCII_DIGIT_RE.findall(text)) if len(text) < 200 else sum(map(text.count, "0123456789"))
    if found >= MIN_DIGITS:
        return True
    if text.isascii():
        return found + COMPAT_DIGITS_MAX * (text.count("&") + text.count("\\")) >= MIN_DIGITS
    # digits of other scripts, and what may become digits (counted the most they can become)
    found += COMPAT_DIGITS_MAX * len((EXPANDING_RE if _astral(text) else EXPANDING_BMP_RE).findall(text))
    if found >= MIN_DIGITS or NUMERAL_RE.search(text) is None:
        return found >= MIN_DIGITS
    if "<" in text or "](" in text or "][" in text:  # markup or a link may hide the ideographs between
        return found + len(NUMERAL_RE.findall(text)) >= MIN_DIGITS
    for run in NUMERAL_RUN_RE.finditer(text):
        found += len(NUMERAL_RE.findall(run.group(0)))
        if found >= MIN_DIGITS:
            return True
    return False


_may_hold_short = functools.lru_cache(maxsize=1 << 14)(_may_hold_number)


@dataclass(frozen=True)
class PiiHit:
    kind: str  # id_card | mobile | bank_card
    value: str  # as the visible text has it
    normalised: str
    offset: int  # in the view's text
    line: int = 1  # source line

    @property
    def label(self) -> str:
        return {"id_card": "居民身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}[self.kind]

    @property
    def masked(self) -> str:
        v = self.normalised
        if self.kind == "id_card":
            return v[:6] + "*" * 8 + v[14:]
        if self.kind == "mobile":
            return v[:3] + "****" + v[7:]
        return v[:4] + "*" * (len(v) - 8) + v[-4:]


def id_card_valid(number: str) -> bool:
    number = number.upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < ID_FIRST_YEAR:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17]


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = 0
    for i, d in enumerate(digits):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_issuer(number: str) -> bool:
    """A payment card's first digits (ISO/IEC 7812): 3 (travel), 4, 5, 6 (banking), 9 (national,
    China's older debit cards), Mastercard's 2221–2720; not 0, 1, 7, 8 (dates and codes start so)."""
    return number[0] in "34569" or 222100 <= int(number[:6]) <= 272099


def mobile_of(digits: str) -> str | None:
    """The mobile number `digits` is (with or without 86 / 0086 before it), else None."""
    for prefix in ("", "86", "0086"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            rest = digits[len(prefix) :]
            if rest[0] == "1" and rest[1] in "3456789":
                return rest
    return None


GROUP_RE = re.compile(r"[\d" + CHINESE_DIGITS + "]+")  # digits of any script, Chinese digit numerals
_DIGIT_OF = {ch: str(value) for ch, value in CHINESE_DIGIT_VALUES.items()}


def _ascii_digits(group: str) -> str:
    if group.isascii():
        return group
    return "".join(_DIGIT_OF.get(ch) or str(unicodedata.decimal(ch, 0)) for ch in group)


WS_RUN = re.compile(r"\s+")
DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d")
DOTS = frozenset(".\u00b7\u2022\u2027\u2219\u22c5\u30fb\u3002\uff0e\uff61\uff65")
# Digit groups with what may join them (_family decides): the scanner's first, C-speed pass.
_JOINERS = "".join(sorted(DASHES | DOTS)).replace("-", "\\-")
# (at least MIN_DIGITS characters of digits and joiners from its start: most numbers in a text fail at once)
RUN_RE = re.compile(
    f"[\\d{CHINESE_DIGITS}](?=[\\d{CHINESE_DIGITS}\\s{_JOINERS}]{{{MIN_DIGITS - 1}}})"
    f"[\\d{CHINESE_DIGITS}]*(?:(?:\\s+|[{_JOINERS}]){{1,3}}{GROUP_RE.pattern})*"
)
PRIORITY = {"id_card": 0, "mobile": 1, "bank_card": 2}
_families: dict[str, str | None] = {}


def _family(sep: str) -> str | None:
    """The kind of a separator a reader reads through ("wd": spaces/dashes, "dot"), else None."""
    if len(sep) > 16:
        return None
    found = _families.get(sep, "?")
    if found == "?":
        collapsed = WS_RUN.sub(" ", sep)
        marks = collapsed.replace(" ", "")
        if len(collapsed) > 3:
            found = None
        elif all(c in DASHES for c in marks):
            found = "wd"
        elif all(c in DOTS for c in marks):
            found = "dot"
        else:
            found = None
        if len(_families) < 4096:
            _families[sep] = found
    return found


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@dataclass(frozen=True)
class Candidate:
    kind: str
    normalised: str
    start: int
    end: int


def candidates(text: str) -> list[Candidate]:
    """Every way of reading a personal number in `text` (a view's text), overlapping ones too."""
    found: list[Candidate] = []
    for chunk in RUN_RE.finditer(text):
        if chunk.end() - chunk.start() < MIN_DIGITS:
            continue
        offset = chunk.start()
        groups = [(m.start() + offset, m.end() + offset) for m in GROUP_RE.finditer(chunk.group(0))]
        if sum(e - s for s, e in groups) < MIN_DIGITS:
            continue
        # runs of groups a reader may read through (every separator between them one _family accepts)
        seps: list[str | None] = []
        run_start = 0
        for k in range(len(groups) - 1):
            sep = _family(text[groups[k][1] : groups[k + 1][0]])
            seps.append(sep)
            if sep is None:
                _run_candidates(text, groups, seps, run_start, k + 1, found)
                run_start = k + 1
        _run_candidates(text, groups, seps, run_start, len(groups), found)
    return found


def _run_candidates(
    text: str,
    groups: list[tuple[int, int]],
    seps: list[str | None],
    low: int,
    high: int,
    found: list[Candidate],
) -> None:
    if sum(groups[k][1] - groups[k][0] for k in range(low, high)) < MIN_DIGITS:
        return
    size = len(text)
    for i in range(low, high):
        start = groups[i][0]
        glued_left = start > 0 and _letter(text[start - 1])
        digits = ""
        family = None
        middle = 0
        for j in range(i, high):
            if j > i:
                sep = seps[j - 1]
                if family is not None and sep != family:
                    break
                family = sep
                if j >= i + 2:  # group j-1 is now a middle group: all of one length
                    length = groups[j - 1][1] - groups[j - 1][0]
                    if middle and length != middle:
                        break
                    middle = length
            g_start, g_end = groups[j]
            digits += _ascii_digits(text[g_start:g_end])
            if len(digits) > 19:
                break
            if len(digits) < MIN_DIGITS:
                continue
            after = text[g_end] if g_end < size else ""
            x = after in ("X", "x") and not (g_end + 1 < size and (text[g_end + 1].isalnum()))
            if not glued_left:
                if len(digits) == 17 and x and id_card_valid(digits + "X"):
                    found.append(Candidate("id_card", digits + "X", start, g_end + 1))
                elif len(digits) == 18 and not _letter(after) and id_card_valid(digits):
                    found.append(Candidate("id_card", digits, start, g_end))
            mobile = mobile_of(digits)
            if mobile is not None:
                found.append(Candidate("mobile", mobile, start, g_end))
            if (
                16 <= len(digits) <= 19
                and not glued_left
                and not _letter(after)
                and card_issuer(digits)
                and luhn_valid(digits)
            ):
                found.append(Candidate("bank_card", digits, start, g_end))


def select(found: list[Candidate], allowed: frozenset[str] | set[str] = frozenset()) -> list[Candidate]:
    """The candidates to report: none inside an allowed number, no two overlapping (an ID number
    before a mobile before a card, then the earliest and longest)."""
    taken = [(c.start, c.end) for c in found if c.normalised in allowed]
    chosen = []
    for c in sorted(found, key=lambda c: (PRIORITY[c.kind], c.start, c.start - c.end)):
        if c.normalised in allowed or any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def hits_in(view: View, allowed: frozenset[str] | set[str] = frozenset()) -> list[PiiHit]:
    return [
        PiiHit(c.kind, view.text[c.start : c.end], c.normalised, c.start, view.line_at(c.start))
        for c in select(candidates(view.text), allowed)
    ]


def find(
    text: str, line: int = 1, allowed: frozenset[str] | set[str] = frozenset(), markup: bool = True
) -> list[PiiHit]:
    """Personal numbers a reader sees in `text` (Markdown/HTML, or plain with `markup=False`),
    each once per source line, with that line (`line` is the line of the text's start)."""
    if not may_hold_number(text):
        return []
    hits: list[PiiHit] = []
    seen = set()
    for view in views(text, line, markup):
        for hit in hits_in(view, allowed):
            key = (hit.kind, hit.normalised, hit.line)
            if key not in seen:
                seen.add(key)
                hits.append(hit)
    return sorted(hits, key=lambda h: (h.line, h.offset))


def scan(text: str) -> list[PiiHit]:
    return find(text)


def allow_forms(value: str) -> set[str]:
    """A pii_allow value as the scan reports numbers: visible digits (and X), a mobile without 86."""
    from .visible import visible_text

    digits = re.sub(r"[^0-9X]", "", visible_text(str(value)).upper())
    forms = {digits}
    mobile = mobile_of(digits) if digits.isdigit() else None
    if mobile:
        forms.add(mobile)
    return forms


def allowed_numbers(values) -> frozenset[str]:
    found: set[str] = set()
    for value in values:
        found |= allow_forms(value)
    return frozenset(found)
