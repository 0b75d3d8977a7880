"""render: the plain path (paragraphs, "#" headings, ordered lists numbered from 1, written without
Python-Markdown or the sanitiser) gives exactly the HTML they give, and any other text goes to them."""

from __future__ import annotations

import random

import pytest
from conftest import ROOT

from gongkai_core import render


def _real(text: str) -> str:
    return render.convert_and_clean(render.new_markdown(shortcut=False), text)


PLAIN = [
    "段落一\n\n段落二",
    "\n\n\n段落\n\n\n\n\n另一段\n",
    "第一行\n第二行\n\n　　全角空格开头的段落\n",
    "# 一级标题\n正文\n## 二级\n### 三\n#### 四\n##### 五\n###### 六\n\n尾",
    "正文\n## 标题紧跟正文\n又一段",
    "1. 一\n2. 二\n3. 三",
    "1. 一\n1. 一\n9. 九\n\n段落\n\n1. 新列表",
    "## 标题\n1. 一\n2. 二\n## 标题\n1. 一",
    "段落\n2. 段落中的编号行\n3. 也是",
    "文字\xa0不换行空格\n\n1. 项\xa0目",
    "2020.5 不是列表\n\n1.不是列表\n\n3、不是列表",
    "引号\"'和(括号)、/斜杠、%、$、@、!感叹、?问号、;、,、.句点 = 等号 + 加号 - 减号 : 冒号",
]

NOT_PLAIN = [
    "*强调*",
    "_下划线_",
    "`代码`",
    "\\转义",
    "[链接](http://x.cn)",
    "<b>标签</b>",
    "a & b",
    "x > y",
    "| a | b |\n| - | - |\n| 1 | 2 |",
    "{: #id }",
    "~~~\n代码\n~~~",
    "行尾两个空格  \n下一行",
    "行尾一个空格 \n下一行",
    "尾空格 ",
    "# 标题 ",
    "    缩进代码",
    " 一个空格开头",
    "- 无序",
    "+ 无序",
    "标题\n===",
    "标题\n---",
    "定义\n: 说明",
    "2. 从二开始\n3. 三",
    "01. 零一",
    "１. 全角数字",
    "1. 一\n\n2. 二（松散列表）",
    "1. 一\n续行",
    "1. 1. 嵌套",
    "1. # 不是标题",
    "1. \xa0不换行空格开头",
    "1. \u3000全角空格开头",
    "####### 七个井号",
    "#没有空格",
    "## ",
    "## 标题 ##",
    "正文 # 井号",
    "控制\x0c字符",
    "控制\x85字符",
    "行\u2028分隔",
    "非字符\ufdd0",
    "非字符\ufffe",
    "\x02占位\x03",
    "回车\r\n换行",
    "制表\t符",
]


def test_the_plain_path_is_on_with_the_pinned_markdown():
    md = render.new_markdown()
    assert render._has_processors(md) and render._registered_as_expected(md)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_texts_take_the_plain_path_and_render_the_same(text):
    html = render.plain_html(text)
    assert html is not None
    assert html == _real(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_other_texts_are_rendered_by_markdown(text):
    assert render.plain_html(text) is None


def test_demo_content_renders_the_same():
    texts = [
        p.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for p in sorted((ROOT / "content").rglob("*.md"))
    ]
    plain = [text for text in texts if render.plain_html(text) is not None]
    assert plain, "no demo body takes the plain path"
    for text in plain:
        assert render.plain_html(text) == _real(text), text[:80]


# pieces of plain texts (what the plain path takes, and characters near it) ...
PIECES = [
    "政府",
    "公开",
    "，",
    "。",
    "　",
    " ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\n# ",
    "\n## ",
    "\n###### ",
    "\n1. ",
    "\n2. ",
    "\n1.  ",
    "1",
    ".",
    "-",
    "+",
    "=",
    ":",
    "\xa0",
    "\u2003",
    "\u3000",
    "\ufeff",
    "\u200b",
    "\U0001fffe",
    "\ue000",
    "a",
]
# ... and of others, now and then
OTHER_PIECES = [
    "\n####### ",
    "\n１. ",
    "\n01. ",
    "\n- ",
    "#",
    "*",
    "_",
    "<",
    ">",
    "&",
    "|",
    "{",
    "}",
    "\\",
    "`",
    "~",
    "[",
    "]",
    "\x85",
    "\u2028",
    "\x0c",
]


@pytest.mark.parametrize("seed", range(8))
def test_random_texts_render_the_same(seed):
    rng = random.Random(seed)
    md = render.new_markdown(shortcut=False)
    plain = 0
    for _ in range(3000):
        pieces = (
            rng.choice(OTHER_PIECES if rng.random() < 0.02 else PIECES) for _ in range(rng.randint(1, 30))
        )
        text = "".join(pieces)
        html = render.plain_html(text)
        if html is not None and text.strip():
            plain += 1
            assert html == render.convert_and_clean(md, text), repr(text)
    assert plain > 150  # the plain path was tried on many of them


def test_markdown_with_other_processors_renders_every_text_as_before(monkeypatch):
    """As if another extension were on: no plain path, Python-Markdown renders."""
    monkeypatch.setattr(render._Renderer, "md", None)
    monkeypatch.setattr(render._Renderer, "plain", render._Renderer.plain)  # restored afterwards
    md = render.new_markdown()
    md.preprocessors.register(md.preprocessors["normalize_whitespace"], "copy", 1)
    assert not render._has_processors(md)
    monkeypatch.setattr(render, "new_markdown", lambda: md)
    calls = []
    monkeypatch.setattr(render, "plain_html", lambda text: calls.append(text))
    assert render.render_markdown("## 标题\n\n段落") == "<h2>标题</h2>\n<p>段落</p>"
    assert not render._Renderer.plain and calls == []
