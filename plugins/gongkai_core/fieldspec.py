"""Column schemas as data, and the generic check that reads a block against one.

A schema is a tuple of `Field`s. The same data drives validation here, the editor's error
messages, the rendering labels and the Decap CMS config another module generates from it:
a key that is not in a schema cannot be written, and every schema key has a label.

`check_block` walks a `LineDict` against the fields and returns (typed, problems): `typed`
mirrors the input (a `LineDict` with the same lines) with scalars parsed — `Decimal` for money
and areas, `int` for counts and years, `date` for dates, `str` for text and codes — and keys whose
value was wrong left out, so rule checks that follow never see a bad value twice.
"""

from __future__ import annotations

import difflib
import re
from .errors import Problem
from .schema import Field
from .values import AREA_PLACES, MONEY_PLACES, BadValue, parse_count, parse_date, parse_decimal, parse_year
from .yamlload import LineDict, LineList

# `schema.Field` kinds used by the column schemas: the entry schema's text | markdown | choice |
# date | mapping | list, plus the data kinds below. A CMS config generator maps each to a widget.
KINDS = (
    "text",  # one line of text
    "markdown",  # longer text, Markdown allowed
    "code",  # a classification code kept as text (leading zeros matter)
    "choice",  # one of `choices`
    "money",  # 万元, 2 decimals
    "area",  # 公顷, 4 decimals
    "price",  # 元/亩, 2 decimals
    "count",  # whole number ≥ 0
    "year",  # four digits
    "date",  # 2025-01-20
    "mapping",  # nested `fields`
    "list",  # list of mappings, each with `fields`
    "geojson",  # a GeoJSON geometry mapping, checked by its column module
)


def field_map(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.key: f for f in fields}


def walk(fields: tuple[Field, ...], prefix: str = "") -> list[tuple[str, Field]]:
    """Every (dotted key, field) of a schema, depth first; list items are not indexed."""
    out: list[tuple[str, Field]] = []
    for f in fields:
        dotted = f"{prefix}.{f.key}" if prefix else f.key
        out.append((dotted, f))
        out.extend(walk(f.fields, dotted))
    return out


def choices_text(choices: tuple[tuple[str, str], ...]) -> str:
    return "、".join(f"{value}（{label}）" for value, label in choices)


# What a browser would parse as markup: "<" followed by a letter, "/", "!" or "?".
MARKUP = re.compile(r"<[A-Za-z/!?][^>]{0,40}>?")
_TAG = MARKUP


def _text(f: Field, value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise BadValue(f"{f.label}应填写文字")
    tag = _TAG.search(value)
    if tag:
        raise BadValue(
            f"{f.label}中含有网页代码“{tag.group(0)}”：数据里不能写 HTML 标签"
            "（常从 Word 或网页复制带入），请删除"
        )
    return value.strip()


def _choice(f: Field, value: object) -> object:
    if value not in dict(f.choices):
        raise BadValue(f"{f.label}“{value}”不是可选值；可选值：{choices_text(f.choices)}")
    return value


_SCALARS = {
    "text": _text,
    "markdown": _text,
    "code": _text,
    "choice": _choice,
    "money": lambda f, value: parse_decimal(value, MONEY_PLACES, f.label, "万元"),
    "area": lambda f, value: parse_decimal(value, AREA_PLACES, f.label, "公顷"),
    "price": lambda f, value: parse_decimal(value, 2, f.label, "元/亩"),
    "count": lambda f, value: parse_count(value, f.label),
    "year": lambda f, value: parse_year(value, f.label),
    "date": lambda f, value: parse_date(value, f.label),
}


_SHAPE = {
    "mapping": "一组“键: 值”",
    "list": "以“- ”开头的列表",
    "geojson": "GeoJSON 几何对象（type 与 coordinates）",
}


_CONTAINERS = (LineDict, LineList)
_FIELD_MAPS: dict[int, tuple[tuple[Field, ...], dict[str, Field]]] = {}


def _known(fields: tuple[Field, ...]) -> dict[str, Field]:
    """field_map(fields), made once per schema tuple (schemas are module constants)."""
    found = _FIELD_MAPS.get(id(fields))
    if found is None or found[0] is not fields:
        found = _FIELD_MAPS[id(fields)] = (fields, field_map(fields))
    return found[1]


def check_block(
    data: object, fields: tuple[Field, ...], path: str, prefix: str, line: int
) -> tuple[LineDict, list[Problem]]:
    """Check a mapping against `fields`; return the typed copy and every problem found."""
    problems: list[Problem] = []
    typed = LineDict()
    typed.lines = typed_lines = {}
    typed.line = line
    if not isinstance(data, LineDict):
        problems.append(Problem(path, line, f"这里应为{_SHAPE['mapping']}", prefix))
        return typed, problems
    known = _known(fields)
    lines = data.lines
    for key in data:
        if key not in known:
            kline = lines.get(key, data.line)
            near = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"，是否想写“{near[0]}”？" if near else f"；可用的键：{'、'.join(known)}"
            problems.append(Problem(path, kline, f"未知的键“{key}”{hint}", f"{prefix}.{key}"))
    get, data_line = data.get, data.line
    for f in fields:
        key = f.key
        value = get(key)
        if value is None:
            if f.required:
                at = lines.get(key, line)  # an empty value at its own line, an absent key at the block's
                problems.append(Problem(path, at, f"缺少必填项“{key}”（{f.label}）", f"{prefix}.{key}"))
            continue
        kline = typed_lines[key] = lines.get(key, data_line)
        kind = f.kind
        check = _SCALARS.get(kind)
        if check is not None and not isinstance(value, _CONTAINERS):
            try:
                typed[key] = check(f, value)
            except BadValue as exc:
                problems.append(Problem(path, kline, str(exc), f"{prefix}.{key}"))
        elif kind == "mapping":
            sub, more = check_block(value, f.fields, path, f"{prefix}.{key}", kline)
            problems += more
            typed[key] = sub
        elif kind == "list":
            dotted = f"{prefix}.{key}"
            if not isinstance(value, LineList):
                problems.append(Problem(path, kline, f"{f.label}应为{_SHAPE['list']}", dotted))
                continue
            items = LineList()
            items.line, items.lines = value.line, []
            for i, item in enumerate(value):
                item_line = value.line_of(i)
                sub, more = check_block(item, f.fields, path, dotted, item_line)
                problems += more
                items.append(sub)
                items.lines.append(item_line)
            typed[key] = items
        elif kind == "geojson":
            typed[key] = value  # shape checked by the column module, which knows what it needs
        elif isinstance(value, (LineDict, LineList)):
            problems.append(
                Problem(path, kline, f"{f.label}应为单个值，不能是列表或嵌套的键", f"{prefix}.{key}")
            )
        else:  # pragma: no cover - a kind not in KINDS: a schema typo
            raise AssertionError(kind)
    return typed, problems


def check_data_block(
    data: object, fields: tuple[Field, ...], path: str, prefix: str
) -> tuple[LineDict, list[Problem]]:
    """check_block of a column's whole block: its typed copy and the problems of its fields. A column
    module checks a block once per read (its `read` validates and parses from the same typed copy)."""
    return check_block(data, fields, path, prefix, getattr(data, "line", 1))


_SCAFFOLD_UNITS = {"money": "（万元）", "area": "（公顷）", "price": "（元/亩）", "date": "（如 2026-01-20）"}


def scaffold(
    fields: tuple[Field, ...],
    values: dict[str, str] | None = None,
    include: tuple[str, ...] = (),
    prefix: str = "",
    indent: str = "",
) -> list[str]:
    """The YAML lines of an empty block of the schema `fields`, for a new entry: every required key
    (and the optional ones named in `include`, dotted), each with its label as a comment and its value
    from `values` (dotted keys) or else empty, which reading reports as missing at its line. A
    mapping's keys follow it indented; a list has one item of its required keys; a choice of one is
    that value, the choices of several are named in the comment."""
    values = values or {}
    lines: list[str] = []
    for f in fields:
        dotted = f"{prefix}.{f.key}" if prefix else f.key
        if not (f.required or dotted in include or any(i.startswith(dotted + ".") for i in include)):
            continue
        comment = f.label + _SCAFFOLD_UNITS.get(f.kind, "")
        if f.kind == "choice" and len(f.choices) > 1:
            comment += "：" + choices_text(f.choices)
        if f.hint:
            comment += "；" + f.hint
        if f.kind == "mapping":
            lines.append(f"{indent}{f.key}:  # {comment}")
            lines += scaffold(f.fields, values, include, dotted, indent + "  ")
        elif f.kind == "list":
            lines.append(f"{indent}{f.key}:  # {comment}，每项以“- ”开头")
            item = scaffold(f.fields, values, include, dotted, indent + "    ")
            if item:
                item[0] = f"{indent}  - {item[0].lstrip()}"
            lines += item
        else:
            value = values.get(dotted)
            if value is None and f.kind == "choice" and len(f.choices) == 1:
                value = f.choices[0][0]
            lines.append(
                f"{indent}{f.key}: {value}  # {comment}" if value else f"{indent}{f.key}:  # {comment}"
            )
    return lines
