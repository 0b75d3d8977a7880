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
