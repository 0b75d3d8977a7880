"""The words and characters the kiosk's on-screen keyboard offers (gongkai_core.touch)."""

from __future__ import annotations

from gongkai_core.touch import keyboard

TITLES = [
    "示例县财政局2025年部门预算",
    "示例县财政局2024年部门预算",
    "示例县教育局2025年部门预算",
    "示例县人民政府关于印发耕地保护实施方案的通知",
    "示例縣人民政府關於耕地保護的公告",  # Traditional: folded, counts with the others
    "示例县城镇老旧小区改造实施方案",
    "示例县2025年第一批次城镇建设用地征收公告",
    "示例县2025年第二批次城镇建设用地征收公告",
]


def test_frequent_words_first_without_the_site_name_or_function_words():
    k = keyboard(TITLES, 120, exclude=["示例县人民政府信息公开", "示例县人民政府办公室"])
    # in three titles, then in two (耕地保护 of a Traditional title counts: folded); ties in order seen
    assert k.terms == (
        "部门",
        "预算",
        "公告",
        "城镇",
        "财政局",
        "耕地",
        "保护",
        "实施方案",
        "建设",
        "用地",
        "征收",
    )
    for word in (
        "示例",
        "人民政府",
        "政府",
        "关于",
        "印发",
        "通知",
        "教育局",
        "老旧",
    ):  # site, function, once
        assert word not in k.terms, word
    assert k.idle == 120


def test_characters_by_frequency_and_limits():
    k = keyboard(TITLES, 60, terms=3, chars=5)
    assert len(k.terms) == 3 and len(k.chars) == 5
    assert k.chars[:3] == ("示", "例", "县")
    assert keyboard([], 60) == keyboard([], 60)
    assert keyboard([], 60).terms == ()


def test_the_same_titles_give_the_same_keyboard():
    assert keyboard(TITLES, 120) == keyboard(list(TITLES), 120)
