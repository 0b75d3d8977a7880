"""密级标志 (classification marks) in what a reader sees: a file that carries one is 涉密 material,
which must never be in the repository.

GB/T 9704-2012 (党政机关公文格式) puts the 密级和保密期限 at the top left of a 涉密 document as
the level, a ★ and the period: “秘密★1年”, “机密★5年”, “绝密★长期”, also without the period
(“秘密★”). Documents written by hand or converted from Word carry variants: spaces or
full-width spaces inside (“秘　密 ★ １年”), another star (☆ ✩ ✭ ⭐ …), an asterisk for the star
before a period (“机密*3年”), Traditional forms (絕密, 機密, 祕密), or a 密级 line (“密级：机密”).
All are matched on the visible text (gongkai_core.visible), so markup, entities, escapes and
invisible characters between the characters do not hide a mark.
"""

from __future__ import annotations

import re

from .visible import View, views

LEVEL = "(?:[绝絕]|[机機]|[秘祕])"
JOIN = r"[\s\-.·・‧。•\\*_~`]{0,3}"
STAR = "[★☆⋆✦✧✩-✰✴-✹❂⭐⭑⭒🌟\U0001f7c9-\U0001f7d4]"
PERIOD = r"(?:[\d〇零一二三四五六七八九十百]+\s*(?:年|个月|個月|月|天|日)|长期|長期)"
MARK = re.compile(
    f"{LEVEL}{JOIN}密{JOIN}(?:{STAR}|\\*{JOIN}{PERIOD})|密{JOIN}级{JOIN}[:：]?{JOIN}{LEVEL}{JOIN}密"
)
MESSAGE = (
    "文件含有密级标志（如“秘密★”）。涉密信息不得进入本仓库：请立即删除此文件，"
    "并请管理员从 git 历史中彻底清除，再按保密规定处理"
)
# 密 (or an entity / escape that could become one) must be in a text that holds a mark
MAY_HOLD_CHARS = ("密", "&", "\\", "\uff06", "\ufe60")


def may_hold(text: str) -> bool:
    """False when `text` cannot show a mark: no 密, nor an entity or escape that could become one
    (a substring search each, faster than one regular expression over a long text)."""
    # MAY_HOLD_CHARS written out: a generator per call costs more than the searches
    return "密" in text or "&" in text or "\\" in text or "\uff06" in text or "\ufe60" in text


def marks_in(view: View) -> list[int]:
    """Source lines of the marks in one view (looked for around each 密 only)."""
    text = view.text
    found = []
    end = 0
    at = text.find("密")
    while at >= 0:
        m = MARK.search(text, max(end, at - 4), at + 80)
        if m is not None and m.start() <= at:
            found.append(view.line_at(m.start()))
            end = m.end()
            at = text.find("密", end)
        else:
            at = text.find("密", at + 1)
    return found


def find(text: str, line: int = 1, markup: bool = True) -> list[int]:
    """Source lines (sorted, once each) of the 密级标志 a reader sees in `text`. Markdown's marks
    are read through (JOIN), so one view of the text and those of its tags and comments suffice."""
    if not may_hold(text):
        return []
    found: set[int] = set()
    for view in views(text, line, markup, keep_marks=True):
        found.update(marks_in(view))
    return sorted(found)


def first_line(text: str, line: int = 1, markup: bool = True) -> int | None:
    found = find(text, line, markup)
    return found[0] if found else None
