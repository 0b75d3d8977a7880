"""render: the inline shortcut (text without any inline trigger skips the inline patterns) gives
exactly the HTML Python-Markdown gives without it."""

from __future__ import annotations

import random

import pytest
from conftest import ROOT

from gongkai_core import render

TRICKY = [
    "a  \nb",
    "a \nb",
    "行尾两个空格  \n下一行",
    "**粗体** 和 _斜体_",
    "a__b__c",
    "全角＊星号＊",
    "`代码`",
    "\\*转义",
    "[链接](http://x.cn)",
    "![图](a.png)",
    "[引用][1]\n\n[1]: http://x.cn",
    "<b>标签</b>",
    "a<br>b",
    "x < y > z",
    "&amp; &#1234; &x;",
    "5 & 6",
    "脚注[^1]\n\n[^1]: 说明",
    "*[HTML]: Hyper\n\nHTML 文本",
    "<http://a.cn>",
    "<a@b.cn>",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "定义\n:   说明",
    "```\ncode\n```",
    "段落 {: #id }",
    "# 标题 {#id}",
    "1. 一\n2. 二\n\n- 三",
    '<div markdown="1">*x*</div>',
    ">引用\n>继续",
    "    缩进代码",
    "<!-- 注释 -->正文",
    "",
]


def _convert(md, text: str) -> str:
    md.reset()
    return md.convert(text)


def test_the_shortcut_is_on_with_the_pinned_markdown():
    assert render._inline_shortcut(render.new_markdown(shortcut=False))


def test_demo_content_and_tricky_texts_render_the_same():
    fast, slow = render.new_markdown(), render.new_markdown(shortcut=False)
    texts = TRICKY + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    for text in texts:
        assert _convert(fast, text) == _convert(slow, text), text[:80]


@pytest.mark.parametrize("seed", range(5))
def test_random_texts_render_the_same(seed):
    rng = random.Random(seed)
    pieces = [
        "政府",
        "信息",
        "公开",
        "，",
        "。",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        ";",
        "#",
        "\\",
        "a",
        "1",
        "http://x.cn",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        ":",
        "^",
        "{",
        "}",
        "＊",
        "　",
    ]
    fast, slow = render.new_markdown(), render.new_markdown(shortcut=False)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        assert _convert(fast, text) == _convert(slow, text), repr(text)


def test_other_inline_patterns_turn_the_shortcut_off():
    md = render.new_markdown(shortcut=False)
    md.inlinePatterns.register(md.inlinePatterns["em_strong"], "copy", 5)
    assert not render._inline_shortcut(md)


def _demo_and_tricky_html() -> list[str]:
    texts = TRICKY + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    return [render.render_markdown(text) for text in texts]


def test_without_markdowns_private_method_every_text_renders_as_before(monkeypatch):
    """As if a Python-Markdown release renamed InlineProcessor.__handleInline: no shortcut, no error,
    the same HTML."""
    monkeypatch.setattr(render._Renderer, "md", None)
    expected = _demo_and_tricky_html()
    monkeypatch.setattr(render, "HANDLE_INLINE", "_InlineProcessor__handle_inline_renamed")
    assert not render._inline_shortcut(render.new_markdown(shortcut=False))
    monkeypatch.setattr(render._Renderer, "md", None)
    assert _demo_and_tricky_html() == expected


def test_markdowns_private_method_with_other_parameters_is_left_alone(monkeypatch):
    from markdown.treeprocessors import InlineProcessor

    monkeypatch.setattr(render._Renderer, "md", None)
    expected = _demo_and_tricky_html()
    original = getattr(InlineProcessor, render.HANDLE_INLINE)

    def changed(self, text: str, start: int = 0) -> str:  # same work, other parameters
        return original(self, text, start)

    monkeypatch.setattr(InlineProcessor, render.HANDLE_INLINE, changed)
    md = render.new_markdown(shortcut=False)
    assert not render._inline_shortcut(md)
    assert getattr(md.treeprocessors["inline"], render.HANDLE_INLINE).__func__ is changed  # not wrapped
    monkeypatch.setattr(render._Renderer, "md", None)
    assert _demo_and_tricky_html() == expected
