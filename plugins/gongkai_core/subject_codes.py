"""支出功能分类科目 by year: the catalogue (data/functional_codes/<year>.yaml) and the check of a
科目编码 against its 科目名称, with the nearest code suggested (no Pelican here).

A year without a catalogue file is not checked: the catalogue is the year's 政府收支分类科目 as
published by 财政部, and we never guess a year's codes. Names are compared after NFKC (full-width
and half-width brackets alike) with spaces removed.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent / "data" / "functional_codes"
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}


def years() -> tuple[int, ...]:
    """The years with a catalogue, oldest first."""
    return tuple(sorted(int(p.stem) for p in FOLDER.glob("*.yaml") if p.stem.isdigit()))


@lru_cache(maxsize=None)
def catalogue(year: int) -> dict[str, str] | None:
    """code -> name of the year's 支出功能分类科目, None for a year without a file (a per-process
    cache of shipped data that depends on nothing but the year)."""
    path = FOLDER / f"{year}.yaml"
    if not path.is_file():
        return None
    # libyaml's parser with the safe constructor: the same data as safe_load, read ~10x faster (each
    # reading process loads the catalogues once; the pure-Python parser cost ~0.1 s a year)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(code): str(name) for code, name in data["codes"].items()}


def normal(name: str) -> str:
    """A name as compared: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _named(codes: dict[str, str], name: str, near: str) -> str | None:
    """The code called `name` that shares the longest start with `near` (same length first)."""
    found = [c for c, n in codes.items() if normal(n) == normal(name)]
    if not found:
        return None
    return max(found, key=lambda c: (len(c) == len(near), _shared(c, near), -int(c)))


def _closest(codes: dict[str, str], code: str, name: str) -> str | None:
    """The code of the same level (under the same parent when it is known) whose name is closest."""
    parent = code[: {5: 3, 7: 5}.get(len(code), 0)]
    pool = {c: n for c, n in codes.items() if len(c) == len(code) and c.startswith(parent)}
    if not pool:
        pool = {c: n for c, n in codes.items() if len(c) == len(code)}
    names = {normal(n): c for c, n in sorted(pool.items(), reverse=True)}
    match = difflib.get_close_matches(normal(name), list(names), n=1, cutoff=0.4)
    return names[match[0]] if match else None


def check(year: int, code: str, name: str) -> tuple[str, str] | None:
    """(message, key) when `code` is not `name` in the year's catalogue; None when it is, or when
    the year has no catalogue. The message names the catalogue's name and the nearest code."""
    codes = catalogue(year)
    if codes is None or not code.isdigit() or len(code) not in LEVEL_NAMES:
        return None
    known = codes.get(code)
    if known is not None and (known == name or normal(known) == normal(name)):  # same text: same normal()
        return None
    named = _named(codes, name, code)
    table = f"{year}年支出功能分类科目"
    if known is not None:
        hint = (
            f"“{name}”的编码是 {named}，请核对编码或名称"
            if named is not None
            else f"请按{table}更正名称，或核对编码"
        )
        return (f"科目编码 {code} 在{table}中是“{known}”，与所填名称“{name}”不符：{hint}", "budget.code_name")
    if named is not None:
        hint = f"“{name}”的编码是 {named}"
    else:
        closest = _closest(codes, code, name)
        hint = f"最接近的是 {closest} {codes[closest]}" if closest is not None else "请按科目表核对"
    return (f"科目编码 {code}（{name}）不在{table}中：{hint}，请核对", "budget.code_unknown")
