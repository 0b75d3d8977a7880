"""Reading an entry walks its metadata once for both text checks (entry._all_strings), and leaves
out the values no check can flag; the fast paths give what the full ones give."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from conftest import entry, review_block
from gongkai_core import entry as E
from gongkai_core import placeholder, yamlload
from gongkai_core.values import BadValue, parse_decimal


def _needs_a_look(text: str) -> bool:
    """What the two checks themselves look for, character by character."""
    return E._SUSPECT.search(text) is not None or "\n" in text or placeholder.may_hold(text)


def test_the_one_search_flags_exactly_the_characters_either_check_looks_at():
    flagged = E._flagged_pattern().search
    astral = ["\U0001f600", "\U00020000", "\U000e0001", "\U0010fffd"]
    for ch in [chr(c) for c in range(0x10000)] + astral:
        assert (flagged(ch) is not None) == _needs_a_look(ch), f"U+{ord(ch):04X}"


def test_the_one_search_agrees_on_mixed_texts():
    pool = "0123456789.,-abc xX_{|}年元一般公共服务请草（）：“”\n\t\x1b\u202e\u3000\u00a0＆&\\*？…"
    rng = random.Random(22)
    flagged = E._flagged_pattern().search
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
        assert (flagged(text) is not None) == _needs_a_look(text), repr(text)


def test_the_walk_keeps_document_order_lines_and_only_what_a_check_may_flag():
    data, issues = yamlload.load(
        "title: 示例县财政局关于2025年预算的说明\n"
        "budget:\n"
        "  rows:\n"
        "    - {code: '201', name: 一般公共服务支出, amount: 12.50}\n"
        "    - {code: '202', name: （请填写）, amount: 3}\n"
        "  note: |\n"
        "    第一行\n"
        "    第二行\n"
        '  "{static}": 是\n'
    )
    assert issues == []
    assert E._all_strings(data) == [
        ("budget.rows[1].name", 5, "（请填写）", False),
        ("budget.note", 6, "第一行\n第二行\n", False),
        ("budget.{static}", 9, "{static}", True),
    ]


def test_a_control_character_and_a_placeholder_deep_in_one_file_are_both_reported(tmp_path):
    path = tmp_path / "content" / "policy" / "deep.md"
    path.parent.mkdir(parents=True)
    text = entry(extra='topic: "\\u202e财政"', review=review_block(extra="note: （请填写）"))
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    topic_line = next(n for n, t in enumerate(lines, 1) if t.startswith("topic:"))
    note_line = next(n for n, t in enumerate(lines, 1) if "note:" in t)
    found, problems = E.read_entry(path, "content/policy/deep.md", {"policy": "政策文件"})
    assert found is None
    shown = [str(p) for p in problems]
    assert (
        f"content/policy/deep.md:{topic_line}: “主题分类”含有不可见的控制字符 U+202E（常由复制粘贴带入），"
        "会打乱显示或终端输出，请删除后重新输入这段文字 (topic)"
    ) in shown
    assert any(
        s.startswith(f"content/policy/deep.md:{note_line}: ") and s.endswith("(review.note)") for s in shown
    ), shown


class _Text(str):
    """A str subclass: parse_decimal takes its full path (normalise, the number patterns)."""


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "12",
        "12.5",
        "12.50",
        "0012.30",
        "1.234",
        "1.2345",
        "99.999",
        "1" * 20,
        "3.",
        ".5",
        "1,204.5",
        "１２",
    ],
)
@pytest.mark.parametrize("places", [2, 4])
def test_plain_digits_read_as_the_full_path_reads_them(value, places):
    def outcome(v):
        try:
            return parse_decimal(v, places, "金额", "万元")
        except BadValue as exc:
            return str(exc)

    fast, full = outcome(value), outcome(_Text(value))
    assert fast == full and str(fast) == str(full)
    assert not isinstance(fast, Decimal) or fast.as_tuple() == full.as_tuple()
