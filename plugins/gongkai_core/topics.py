"""主题分类: the controlled vocabulary (data/topics.yaml) and the check of an entry's `topic`.

A topic is a class ("财政、金融、审计") or a class and one of its sub-classes joined by a backslash
("财政、金融、审计\\财政"). A wrong value gets the nearest allowed one in the message. No Pelican.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "topics.yaml"
SEPARATOR = "\\"


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    """class -> its sub-classes, in the order of the data file."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    return {str(k): tuple(str(s) for s in (v or ())) for k, v in raw.items()}


@cache
def allowed() -> tuple[str, ...]:
    """Every value a `topic:` may take."""
    found = []
    for name, subs in vocabulary().items():
        found.append(name)
        found.extend(f"{name}{SEPARATOR}{sub}" for sub in subs)
    return tuple(found)


def _normalise(value: str) -> str:
    # editors type the sub-class separator as “/”, “／” or “＼”; the list writes “、” between names
    text = value.strip().replace("／", SEPARATOR).replace("＼", SEPARATOR).replace("/", SEPARATOR)
    return SEPARATOR.join(part.strip() for part in text.split(SEPARATOR))


def problem(value: str) -> str | None:
    """None when `value` is in the vocabulary, else the Chinese message (with the nearest value)."""
    if value in allowed():
        return None
    normal = _normalise(value)
    if normal in allowed():
        return f"主题分类“{value}”应写作“{normal}”（大类与小类之间用反斜杠“\\”分隔）"
    name, _, sub = normal.partition(SEPARATOR)
    if name in vocabulary() and sub:
        subs = vocabulary()[name]
        close = difflib.get_close_matches(sub, subs, n=1, cutoff=0.3)
        hint = f"是否应为“{name}{SEPARATOR}{close[0]}”？" if close else ""
        listed = "、".join(f"“{s}”" for s in subs) or "（此大类没有小类）"
        return f"主题分类“{value}”的小类不在国务院主题分类中。{hint}“{name}”的小类：{listed}"
    close = nearest(normal)
    if close:
        return f"主题分类“{value}”不在国务院主题分类中。是否应为“{close}”？"
    return f"主题分类“{value}”不在国务院主题分类中。可用的大类：" + "；".join(vocabulary())


def nearest(value: str) -> str | None:
    """The allowed topic closest to `value` (whole strings, then the class with most characters shared)."""
    close = difflib.get_close_matches(value, allowed(), n=1, cutoff=0.5)
    if close:
        return close[0]
    chars = set(value) - set("、\\，, ")
    best = max(vocabulary(), key=lambda name: len(chars & set(name)), default=None)
    return best if best is not None and chars & set(best) else None
