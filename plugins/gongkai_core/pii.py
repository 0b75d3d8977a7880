"""Personal data that must not be disclosed: ID numbers, mobile numbers, bank cards."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![\d])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![\d])")
CARD_RE = re.compile(r"(?<![\d])(\d(?:[\s-]?\d){15,18})(?![\d])")
DIGIT_RE = re.compile(r"\d")
# Every pattern above needs at least this many digits (a mobile number has 11): a text with
# fewer (after NFKC, which turns full-width and circled digits into ASCII) cannot match.
MIN_DIGITS = 11
# The characters other than digits themselves that NFKC turns into text with digits (superscripts,
# fractions, circled and parenthesised numbers, ㏠ "1日", full-width ０-９, mathematical digits …),
# each into at most COMPAT_DIGITS_MAX of them (⅒ → 1⁄10). tests/unit/test_pii.py recomputes this
# set from the running Python's Unicode data.
COMPAT_DIGIT_RE = re.compile(
    "[\u00B2-\u00B3\u00B9\u00BC-\u00BE\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215F\u2189\u2460-\u249B"
    "\u24EA\u3251-\u325F\u32B1-\u32CB\u3358-\u3370\u3378-\u3379\u339F-\u33A6\u33A8\u33AF\u33E0-\u33FE"
    "\uFF10-\uFF19\U0001D7CE-\U0001D7FF\U0001F100-\U0001F10A\U0001FBF0-\U0001FBF9]")
COMPAT_DIGITS_MAX = 3


def may_hold_number(text: str) -> bool:
    """False when NFKC(text) has fewer than MIN_DIGITS digits (scan finds nothing), told without
    normalising: the text's own digits plus the most its compatibility characters can become."""
    found = len(DIGIT_RE.findall(text))
    if found >= MIN_DIGITS or text.isascii():
        return found >= MIN_DIGITS
    return found + COMPAT_DIGITS_MAX * len(COMPAT_DIGIT_RE.findall(text)) >= MIN_DIGITS


@dataclass(frozen=True)
class PiiHit:
    kind: str  # id_card | mobile | bank_card
    value: str  # as written
    normalised: str
    offset: int

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
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
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


def scan(text: str) -> list[PiiHit]:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    if len(DIGIT_RE.findall(text)) < MIN_DIGITS:
        return []
    hits: list[PiiHit] = []
    taken: list[range] = []
    for m in ID_RE.finditer(text):
        if id_card_valid(m.group(1)):
            hits.append(PiiHit("id_card", m.group(1), m.group(1).upper(), m.start()))
            taken.append(range(m.start(), m.end()))
    for m in MOBILE_RE.finditer(text):
        if any(m.start() in r for r in taken):
            continue
        hits.append(PiiHit("mobile", m.group(0), "".join(m.groups()), m.start()))
        taken.append(range(m.start(), m.end()))
    for m in CARD_RE.finditer(text):
        if any(m.start() in r or m.end() - 1 in r for r in taken):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_valid(digits):
            hits.append(PiiHit("bank_card", m.group(1), digits, m.start()))
    return sorted(hits, key=lambda h: h.offset)
