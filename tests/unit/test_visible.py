"""The normaliser for what a reader sees (gongkai_core.visible) and the scans on its output."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest
from gongkai_core import make_visible_table, pii, secret_mark, visible
from gongkai_core.visible import views, visible_text

MOBILE = "13800138000"


@pytest.mark.parametrize(
    "source,shown",
    [
        ("1380<b>0138</b>000", MOBILE),  # a tag inside a line glues its neighbours
        ("1380<span class='x' title=\"y\">0138</span>000", MOBILE),
        ("138<!-- 注释 -->00138000", MOBILE),
        ("138<!---->00138<?php x ?>000", MOBILE),
        ("&#49;&#x33;8&amp;#48;0138000", MOBILE),  # decimal, hex and double-escaped entities
        ("&sup1;3800138000", MOBILE),  # a named entity that NFKC turns into a digit
        ("\\u0031\\x33800138000", MOBILE),  # YAML / JSON escapes
        ("１３８００１３８０００", MOBILE),  # full-width
        ("1\u200b38\u200c00\u200d13\u20608\ufeff0\u00ad0\ufe0f0", MOBILE),  # zero-width, soft hyphen, VS16
        ("1\u034f3\u180e8\u316400138000", MOBILE),  # CGJ, Mongolian VS, Hangul filler
        ("1\u03013800138000", MOBILE),  # a combining mark on a digit
        ("**138**0013`8000`", MOBILE),  # Markdown marks
        ("138\\-0013", "138-0013"),  # a Markdown escape
        ("[138](https://example.org/a)0013 8000", "1380013 8000"),  # a link shows its text
        ("![138](x.png)0013", "1380013"),
        ("1380<script>9</script>0138<style>p{}</style>000", MOBILE),  # the sanitiser drops these whole
        ("➊➌➑⓿⓿➊➌➑⓿⓿⓿", MOBILE),  # number signs NFKC leaves alone
    ],
)
def test_visible_text_is_what_a_reader_reads(source, shown):
    assert visible_text(source) == shown


def test_block_and_cell_tags():
    assert visible_text("<p>138</p><p>0013</p>") == " 138  0013 "
    assert visible_text("<td>138</td><td>0013</td>") == "|138||0013|"


def test_attribute_and_comment_text_are_views_of_their_own():
    found = views('正文<img alt="13800138000" src="x.png">\n<!-- 11010519491231002X -->', 7)
    assert sorted((v.line, v.text) for v in found[1:]) == [
        (7, '<img alt="13800138000" src="x.png">'),
        (8, "<!-- 11010519491231002X -->"),
    ]
    assert [
        (h.line, h.kind) for h in pii.find('正文<img alt="13800138000">\n<!-- 11010519491231002X -->', 7)
    ] == [(7, "mobile"), (8, "id_card")]


def test_marks_next_to_digits_give_a_view_with_the_marks_as_breaks():
    found = views("file_13800138000_1")
    assert [v.text for v in found] == ["file138001380001", "file_13800138000_1"]
    assert [h.normalised for h in pii.find("file_13800138000_1")] == [MOBILE]


def test_lines_are_kept_one_for_one():
    source = "第一行\n<b\nclass=x>13</b>800<!--\n\n-->138000\n&#10;末行"
    text = visible_text(source)
    assert text.count("\n") == source.count("\n")
    assert [h.line for h in pii.find(source, 10)] == [12]  # where "13" is


def test_plain_text_keeps_its_markup():
    assert visible_text("a <b>1</b>", markup=False) == "a <b>1</b>"
    assert visible_text("&#49;", markup=False) == "1"  # entities and escapes still count (stricter)


@pytest.mark.parametrize(
    "text,lines",
    [
        ("秘密★", [1]),
        ("机密★5年", [1]),
        ("绝密★长期", [1]),
        ("秘 密 ★ 1 年", [1]),
        ("秘　密★１年", [1]),
        ("机密☆3年", [1]),
        ("绝密✭", [1]),
        ("秘密⭐", [1]),
        ("絕密★", [1]),
        ("機密★", [1]),
        ("祕密★", [1]),
        ("机密*6个月", [1]),
        ("密级：机密", [1]),
        ("密 级:秘密", [1]),
        ("㊙密★", [1]),
        ("秘<b>密</b>★", [1]),
        ("秘&#23494;&#9733;", [1]),
        ("\\u79d8\\u5bc6\\u2605", [1]),
        ("秘\u200b密\u2060★", [1]),
        ("**秘密**★", [1]),
        ("正文\n\n<span>机</span>密 ★ 一年", [3]),
        ("国家秘密", []),
        ("商业秘密应当保护", []),
        ("保密审查已通过", []),
        ("机关保密工作", []),
        ("秘密", []),
        ("星级★", []),
        ("密级：非密", []),
    ],
)
def test_secret_marks(text, lines):
    assert secret_mark.find(text) == lines


def test_plain_ranges_hold_only_visible_characters():
    """Every character visible.PLAIN_RANGES lets through unexamined is visible and no digit of
    another script: none that the invisible-character step would drop or turn into a space."""
    for low, high in visible.PLAIN_RANGES:
        for code in range(low, high + 1):
            ch = chr(code)
            if ch in "\t\n":
                continue
            category = unicodedata.category(ch)
            assert category not in visible.DROPPED_CATEGORIES, f"U+{code:04X} {category}"
            assert category not in visible.SPACE_CATEGORIES or ch in " \u00a0\u3000", f"U+{code:04X}"
            assert ch not in visible.INVISIBLE_LETTERS


def test_the_nfkc_table_is_this_pythons_unicode_data():
    import json

    committed = json.loads(make_visible_table.TABLE_PATH.read_text(encoding="utf-8"))
    assert committed["ranges"] == make_visible_table.build_ranges()
    assert committed["skip"] == make_visible_table.skip_ranges(committed["ranges"])
    assert committed["shown"] == make_visible_table.shown_ranges(committed["skip"])


def test_folding_only_the_table_reads_like_nfkc():
    """For the scans, folding just the characters of the table is as good as NFKC of the whole:
    the visible text of any character holds the same digits, X and 密级 characters as its NFKC."""
    keep = set("0123456789Xx&#;\\秘密机绝機絕★")
    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        normal = unicodedata.normalize("NFKC", ch)
        if normal == ch:
            normal = make_visible_table.number_sign(ch) or ch  # ❶ ➊ ⓵ …: their digits
        wanted = "".join(c for c in normal if c in keep)
        got = "".join(c for c in visible._nfkc(ch) if c in keep)
        assert got == wanted, f"U+{code:04X}"


def test_compat_numerals_are_what_nfkc_does_here():
    digits = set(visible.CHINESE_DIGITS)
    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        normal = unicodedata.normalize("NFKC", ch)
        makes = normal != ch and any(c in digits for c in normal)
        assert makes == any(a <= code <= b for a, b in pii.COMPAT_NUMERAL_RANGES), f"U+{code:04X}"


HOSTILE = (
    "0123456789" * 3 + "XＸ一二三〇八 \n\t.-·—。*_`~\\&#;x<>/b!()"
    "\u200b\u2060\ufeff\u00ad\ufe0f\u3000\u0301①③⑧１３８²⅒㏠⼀㈠➊⓿壹幺密秘机★☆级：统中[]()"
)


@pytest.mark.parametrize("seed", range(12))
def test_fast_paths_never_hide_a_finding(seed):
    """pii.may_hold_number and secret_mark.may_hold answer without normalising; on random hostile
    texts, whenever the full scan finds something the fast path said it might."""
    rng = random.Random(seed)
    for _ in range(1500):
        text = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 40)))
        found = [view for view in views(text) if pii.candidates(view.text)]
        if found:
            assert pii.may_hold_number(text), repr(text)
        if any(secret_mark.marks_in(v) for v in views(text, keep_marks=True)):
            assert secret_mark.may_hold(text), repr(text)
