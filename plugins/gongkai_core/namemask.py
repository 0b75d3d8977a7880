"""Personal names as a public list shows them: the surname kept, the given name hidden (张某某, 张*).

Compensation and household lists of a 征地 batch name the households; online they are published
with the names masked (the full list stays on the village notice board). The rule is configured
(`GONGKAI_COLUMNS_LAND_NAME_MASK`); every rule keeps no character of the given name.
"""

from __future__ import annotations

# The two-character surnames met in household lists (the first character alone is a surname too, so
# a name starting with one of these keeps both characters).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 申屠 端木 "
    "呼延 南宫 独孤 万俟 闻人 西门 百里 东郭 拓跋 赫连".split()
)

RULES = (
    ("mou", "姓氏后每个字写作“某”（张某某）"),
    ("star", "姓氏后写一个“*”（张*）"),
)
DEFAULT_RULE = "mou"


def surname(name: str) -> str:
    """The surname of a Chinese personal name (two characters for a compound surname)."""
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def mask_name(name: str, rule: str = DEFAULT_RULE) -> str:
    """`name` with everything after the surname hidden by `rule` (one of RULES). A one-character
    name becomes 某 or * whole: nothing of a given name is ever kept."""
    name = "".join(name.split())
    family = surname(name) if len(name) > 1 else ""
    hidden = len(name) - len(family)
    if rule == "star":
        return family + "*"
    if rule == "mou":
        return family + "某" * max(hidden, 1)
    raise ValueError(f"unknown name mask rule {rule!r}")
