"""Helpers for the column-module unit tests: load a YAML snippet, validate its block, find lines."""

from __future__ import annotations

from types import ModuleType

from gongkai_core import yamlload

PATH = "content/test/entry.yaml"


def load_block(text: str, column: str):
    data, issues = yamlload.load(text)
    assert issues == [], issues
    return data[column]


def problems(text: str, module: ModuleType, column: str) -> list[str]:
    return [str(p) for p in module.validate(load_block(text, column), PATH)]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    hits = [i + 1 for i, line in enumerate(text.split("\n")) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in snippet"
    return hits[nth - 1]


def swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def code_line(text: str, code: str) -> int:
    """The line of the row whose code is `code` (rows written as flow mappings)."""
    return line_of(text, f'code: "{code}", name')
