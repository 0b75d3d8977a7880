"""The personal-data scan: ID numbers by check digit and date, mobiles, bank cards by Luhn."""

from __future__ import annotations

import pytest
from gongkai_core.pii import id_card_valid, luhn_valid, scan


@pytest.mark.parametrize(
    "number,valid",
    [
        ("11010519491231002X", True),  # the standard's sample
        ("999999200001010011", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check digit
        ("110105194902300028", False),  # 1949-02-30 does not exist
    ],
)
def test_id_card_check(number, valid):
    assert id_card_valid(number) is valid


def test_luhn():
    assert luhn_valid("6222020000000000000")
    assert not luhn_valid("6222020000000000001")


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("身份证号11010519491231002X。", ["id_card"]),
        ("电话 +86 138 0013 8000", ["mobile"]),
        ("手机138-0013-8000", ["mobile"]),
        ("账号 6222 0200 0000 0000 000", ["bank_card"]),
        ("办公电话 0000-1234567", []),
        ("统一社会信用代码 91110000100000000A", []),
        ("索引号 SL0000001/2025-00012，文号示财发〔2025〕3号", []),
        ("身份证号110105194912310021", []),
        ("２０２５年预算１２０４．５０万元", []),
    ],
)
def test_scan_finds_exactly_the_personal_numbers(text, kinds):
    assert [h.kind for h in scan(text)] == kinds


def test_masks():
    hits = scan("11010519491231002X 13800138000 6222020000000000000")
    assert [h.masked for h in hits] == ["110105********002X", "138****8000", "6222***********0000"]


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("手机１３８００１３８０００", ["mobile"]),  # full-width digits count after NFKC
        ("编号①②③④⑤⑥⑦⑧⑨①②", []),  # circled digits become digits, but 12345678912 is no mobile
        ("手机1380013800", []),  # ten digits: too few for any number
        ("2025年预算1234万元，2024年5678万元", []),
    ],
)
def test_texts_with_few_digits(text, kinds):
    assert [h.kind for h in scan(text)] == kinds


def test_compat_digit_set_is_what_nfkc_does_here():
    """pii.COMPAT_DIGIT_RANGES list every character NFKC turns into text with digits, and none turns
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
        assert bool(count) == any(a <= code <= b for a, b in pii.COMPAT_DIGIT_RANGES), f"U+{code:04X}"
        most = max(most, count)
    assert most <= pii.COMPAT_DIGITS_MAX


@pytest.mark.parametrize(
    "text",
    [
        "电话１３８００１３８０００",
        "①③⑧⓪⓪①③⑧⓪⓪⓪",
        "㏠㏡㏢㏣㏤",
        "⅒⅒⅒⅒",
        "13800138000",
        "١٣٨٠٠١٣٨٠٠٠",
        "编号 1234 5678 901",
        "没有数字的中文，正文。",
        "二〇二五年三月",
        "2025年3月4日",
        "²³¹⁴⁵⁶⁷⁸⁹⁰¹",
        "1380013800",
        "一[](中)三[](中)八[](中)〇〇一三八〇〇〇",
        "一<b title=中>三</b>八〇〇一三八〇〇〇",
        "➊➌➑⓿⓿➊➌➑⓿⓿⓿",
        "幺三八〇〇幺三八〇〇〇",
        "&#49;&#51;&#56;&#48;&#48;&#49;&#51;&#56;&#48;&#48;&#48;",
        "\\u0031\\u0033\\u0038\\u0030\\u0030\\u0031\\u0033\\u0038",
    ],
)
def test_may_hold_number_never_misses_enough_digits(text):
    import re
    import unicodedata

    from gongkai_core import pii

    if len(re.findall(r"\d", unicodedata.normalize("NFKC", text))) >= pii.MIN_DIGITS:
        assert pii.may_hold_number(text)
    if not pii.may_hold_number(text):
        assert scan(text) == []
    if scan(text):
        assert pii.may_hold_number(text)


# --- reading numbers as a reader does (issue 15) ---

ID = "11010519491231002X"
CARD = "6222020200112233446"  # Luhn-valid, a UnionPay prefix


def test_the_fixtures_are_valid_numbers():
    from gongkai_core.pii import card_issuer

    assert id_card_valid(ID) and luhn_valid(CARD) and card_issuer(CARD)


@pytest.mark.parametrize(
    "text,kind,value",
    [
        ("138 0013 8000", "mobile", "13800138000"),
        ("138-0013-8000", "mobile", "13800138000"),
        ("138.0013.8000", "mobile", "13800138000"),
        ("138。0013。8000", "mobile", "13800138000"),
        ("138 - 0013 - 8000", "mobile", "13800138000"),
        ("138\n0013\n8000", "mobile", "13800138000"),
        ("1 3 8 0 0 1 3 8 0 0 0", "mobile", "13800138000"),
        ("+86 138 0013 8000", "mobile", "13800138000"),
        ("0086-13800138000", "mobile", "13800138000"),
        ("86-138-0013-8000", "mobile", "13800138000"),
        ("+8613800138000", "mobile", "13800138000"),
        ("电话13800138000转1号楼", "mobile", "13800138000"),
        ("13800138000 1号楼", "mobile", "13800138000"),
        ("一三八〇〇一三八〇〇〇", "mobile", "13800138000"),
        ("①③⑧⓪⓪①③⑧⓪⓪⓪", "mobile", "13800138000"),
        ("١٣٨٠٠١٣٨٠٠٠", "mobile", "13800138000"),  # Arabic-Indic digits
        ("110105 19491231 002X", "id_card", ID),
        ("110105-1949-1231-002x", "id_card", ID),
        ("１１０１０５１９４９１２３１００２Ｘ", "id_card", ID),
        ("1101051949123100\u200b2Ⅹ", "id_card", ID),  # an invisible character, a Roman numeral ten
        ("ID:" + ID, "id_card", ID),
        ("6222 0202 0011 2233 446", "bank_card", CARD),
        ("6222-0202-0011-2233-446", "bank_card", CARD),
    ],
)
def test_split_numbers_are_read_whole(text, kind, value):
    assert [(h.kind, h.normalised) for h in scan(text)] == [(kind, value)]


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-20 2025-02-10",  # dates side by side
        "合计 1,234.56 2,345.67 3,456.78",  # amounts in a row
        "123.45 110.20 13.25 138.00",
        "| 13 | 800 | 138 | 000 |",  # table cells
        "SL0000001/2025-00012 SL0000001/2025-00013",  # 索引号
        "示财发〔2025〕13800号",
        "0571-8888 8888 转 123",  # a landline
        "91110000100000000A 91110000MA01234567",  # 统一社会信用代码
        "138****8000 110105********002X 6222 **** **** 3445",  # masked
        "2010101 2010102 2010199 2080505",  # budget codes
        "0000 0000 0000 0000",  # Luhn-valid, no card issuer
        "1380013800 138001380001",  # ten and twelve digits
        "邮编 100000 电话 010-12345678",
        "统一规划，一是二是三是，二〇二五年十一月",
    ],
)
def test_ordinary_numbers_are_no_personal_data(text):
    assert scan(text) == []


def test_pii_allow_values_are_compared_as_read():
    from gongkai_core.pii import allowed_numbers, find

    allowed = allowed_numbers(["+86 138-0013-8000", "110105 19491231 002x"])
    assert find("值班电话１３８００１３８０００，身份证 11010519491231002X", allowed=allowed) == []
    assert [h.normalised for h in find("另一手机 13900139000", allowed=allowed)] == ["13900139000"]


def test_an_allowed_card_hides_no_other_number_but_its_own_parts():
    from gongkai_core.pii import allowed_numbers, find

    assert find("卡号 6222 0202 0011 2233 445", allowed=allowed_numbers([CARD])) == []


def test_other_script_digits_are_what_this_python_knows():
    import sys
    import unicodedata

    from gongkai_core import pii

    listed = {code for a, b in pii.OTHER_SCRIPT_DIGITS for code in range(a, b + 1)}
    assert listed == {
        code for code in range(0x80, sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Nd"
    }


def test_number_signs_are_what_this_python_knows():
    import sys

    from gongkai_core import pii
    from gongkai_core.make_visible_table import number_sign

    listed = {code for a, b in pii.NUMBER_SIGN_RANGES for code in range(a, b + 1)}
    import unicodedata

    found = {
        code
        for code in range(0x80, sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF
        and unicodedata.normalize("NFKC", chr(code)) == chr(code)
        and number_sign(chr(code))
    }
    assert listed == found
    assert max(len(number_sign(chr(code))) for code in found) <= pii.COMPAT_DIGITS_MAX
