"""The personal-data scan: ID numbers by check digit and date, mobiles, bank cards by Luhn."""

from __future__ import annotations

import pytest

from gongkai_core.pii import id_card_valid, luhn_valid, scan


@pytest.mark.parametrize("number,valid", [
    ("11010519491231002X", True),  # the standard's sample
    ("999999200001010011", True),
    ("11010519491231002x", True),
    ("110105194912310021", False),  # wrong check digit
    ("110105194902300028", False),  # 1949-02-30 does not exist
])
def test_id_card_check(number, valid):
    assert id_card_valid(number) is valid


def test_luhn():
    assert luhn_valid("6222020000000000000")
    assert not luhn_valid("6222020000000000001")


@pytest.mark.parametrize("text,kinds", [
    ("身份证号11010519491231002X。", ["id_card"]),
    ("电话 +86 138 0013 8000", ["mobile"]),
    ("手机138-0013-8000", ["mobile"]),
    ("账号 6222 0200 0000 0000 000", ["bank_card"]),
    ("办公电话 0000-1234567", []),
    ("统一社会信用代码 91110000100000000A", []),
    ("索引号 SL0000001/2025-00012，文号示财发〔2025〕3号", []),
    ("身份证号110105194912310021", []),
    ("２０２５年预算１２０４．５０万元", []),
])
def test_scan_finds_exactly_the_personal_numbers(text, kinds):
    assert [h.kind for h in scan(text)] == kinds


def test_masks():
    hits = scan("11010519491231002X 13800138000 6222020000000000000")
    assert [h.masked for h in hits] == ["110105********002X", "138****8000", "6222***********0000"]


@pytest.mark.parametrize("text,kinds", [
    ("手机１３８００１３８０００", ["mobile"]),  # full-width digits count after NFKC
    ("编号①②③④⑤⑥⑦⑧⑨①②", []),  # circled digits become digits, but 12345678912 is no mobile
    ("手机1380013800", []),  # ten digits: too few for any number
    ("2025年预算1234万元，2024年5678万元", []),
])
def test_texts_with_few_digits(text, kinds):
    assert [h.kind for h in scan(text)] == kinds



def test_compat_digit_set_is_what_nfkc_does_here():
    """pii.COMPAT_DIGIT_RE lists every character NFKC turns into text with digits, and none turns
    into more than COMPAT_DIGITS_MAX: may_hold_number's bound holds for this Python's Unicode data."""
    import re
    import sys
    import unicodedata

    from gongkai_core import pii

    digit = re.compile(r"\d")
    most = 0
    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char)
        count = len(digit.findall(normal)) if normal != char else 0
        assert bool(count) == bool(pii.COMPAT_DIGIT_RE.fullmatch(char)), f"U+{code:04X}"
        most = max(most, count)
    assert most <= pii.COMPAT_DIGITS_MAX


@pytest.mark.parametrize("text", [
    "电话１３８００１３８０００", "①③⑧⓪⓪①③⑧⓪⓪⓪", "㏠㏡㏢㏣㏤", "⅒⅒⅒⅒", "13800138000", "١٣٨٠٠١٣٨٠٠٠",
    "编号 1234 5678 901", "没有数字的中文，正文。", "二〇二五年三月", "2025年3月4日", "²³¹⁴⁵⁶⁷⁸⁹⁰¹", "1380013800",
])
def test_may_hold_number_never_misses_enough_digits(text):
    import unicodedata

    from gongkai_core import pii

    if len(pii.DIGIT_RE.findall(unicodedata.normalize("NFKC", text))) >= pii.MIN_DIGITS:
        assert pii.may_hold_number(text)
    if not pii.may_hold_number(text):
        assert scan(text) == []
