"""A table as the public downloads it: CSV and JSON with the same figures as the page.

Amounts travel as `Decimal`; CSV writes them with their fixed decimals and no thousands
separators (a text cell a spreadsheet would run as a formula gets a leading `'`, see csvsafe),
JSON as numbers. Both outputs are deterministic (key order fixed, `\\n` lines).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from .csvsafe import text as csv_text
from .values import fmt_figure


class ShownRow(NamedTuple):
    """A row of a DataTable as its page shows it (the theme's data-table component): `kind` is
    total, part or ""; `mark` asks for the 其中： mark (a declared part whose label does not say
    so); `first` is the row header's text (None for a row without cells); `cells` the other cells
    as (column name, is a figure, is a code, text), an empty cell as “—”."""

    kind: str
    mark: bool
    first: str | None
    cells: tuple[tuple[str, bool, bool, str], ...]


@dataclass(frozen=True)
class DataTable:
    key: str  # file stem, e.g. "functional"
    title: str  # the caption, e.g. 一般公共预算财政拨款支出表
    unit: str  # 万元, 公顷 …; "" when cells carry their own units
    header: tuple[str, ...]  # Chinese column headings
    keys: tuple[str, ...]  # machine names of the columns, for JSON
    rows: tuple[tuple[str | int | Decimal | None, ...], ...]
    empty: str | None = None  # 空表 reason
    parts: frozenset[int] = frozenset()  # rows that are a part (其中) of the row above them

    @property
    def numeric(self) -> frozenset[int]:
        """Indexes of the amount columns (unit in the CSV header)."""
        return frozenset(numeric_columns(self))

    @property
    def figures(self) -> frozenset[int]:
        """Indexes of the columns the page right-aligns in tabular figures: amounts, counts and
        rates ("-7.35%", "—" for none), every non-empty cell a figure; never the first column."""
        return frozenset(figure_columns(self))

    @property
    def part_rows(self) -> frozenset[int]:
        """Rows shown indented under their parent: declared `parts`, and rows labelled 其中…."""
        labelled = {i for i, row in enumerate(self.rows) if row and str(row[0]).startswith("其中")}
        return frozenset(self.parts | labelled)

    @property
    def total_rows(self) -> frozenset[int]:
        """Rows shown as totals (合计, 总计, 收入总计 …): the first or second cell says so."""
        return frozenset(i for i, row in enumerate(self.rows) if any(_is_total(c) for c in row[:2]))

    @cached_property
    def shown_rows(self) -> tuple[ShownRow, ...]:
        """The rows as the page shows them, made once (a page's tables hold thousands of cells at
        10,000 entries; the template then only loops over plain values)."""
        figures, totals, parts = self.figures, self.total_rows, self.part_rows
        header, keys = self.header, self.keys
        columns = [
            (header[j] if j < len(header) else "", j in figures, j < len(keys) and keys[j] == "code")
            for j in range(max((len(row) for row in self.rows), default=0))
        ]
        out = []
        for i, row in enumerate(self.rows):
            kind = "total" if i in totals else "part" if i in parts else ""
            mark = bool(row) and i in parts and not str(row[0]).startswith("其中")
            cells = tuple(
                (*columns[j], fmt_figure(cell) if cell not in (None, "") else "—")
                for j, cell in enumerate(row)
                if j
            )
            out.append(ShownRow(kind, mark, fmt_figure(row[0]) if row else None, cells))
        return tuple(out)


_FIGURE = re.compile(r"[-+−]?[\d,]+(\.\d+)?%?|—|-")
_TOTALS = ("合计", "总计")


def _is_total(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip().endswith(_TOTALS)


def figure_columns(table: DataTable) -> set[int]:
    """Columns after the first whose cells are all figures (and at least one is not a dash)."""
    out = set()
    for i in range(1, len(table.header)):
        cells = [row[i] for row in table.rows if i < len(row) and row[i] not in (None, "")]
        if cells and all(_is_figure(c) for c in cells) and any(c not in ("—", "-") for c in cells):
            out.add(i)
    return out


def _is_figure(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, Decimal, float)):
        return True
    return isinstance(cell, str) and _FIGURE.fullmatch(cell.strip()) is not None


def numeric_columns(table: DataTable) -> set[int]:
    """Indexes of the columns holding amounts (any Decimal cell)."""
    return {i for row in table.rows for i, v in enumerate(row) if isinstance(v, Decimal)}


def to_csv(table: DataTable) -> str:
    """The header row names the unit on amount columns, e.g. 合计（万元）."""
    numeric = numeric_columns(table)
    header = [
        h + (f"（{table.unit}）" if table.unit and i in numeric else "") for i, h in enumerate(table.header)
    ]
    return csv_text([header, *table.rows], "\n")


def _json_value(value: str | int | Decimal | None) -> object:
    if isinstance(value, Decimal):
        return float(value)  # two or four decimals: the shortest float repr is exact text
    return value


def to_json(table: DataTable, **meta: object) -> str:
    """json.dumps(doc, ensure_ascii=False, indent=1) of the table's document, written directly
    (json's indenting encoder is pure Python: ~17,000 tables at 10k entries); a value json would
    spell in its own way (not str/int/float/bool/None, or not finite) goes to json.dumps itself."""
    try:
        return _table_json(table, meta)
    except _Unusual:
        return json.dumps(_table_doc(table, meta), ensure_ascii=False, indent=1) + "\n"


def _table_doc(table: DataTable, meta: dict[str, object]) -> dict[str, object]:
    return {
        **{k: meta[k] for k in sorted(meta)},
        "title": table.title,
        "unit": table.unit,
        "empty": table.empty,
        "columns": [{"key": k, "label": h} for k, h in zip(table.keys, table.header)],
        "rows": [{k: _json_value(v) for k, v in zip(table.keys, row)} for row in table.rows],
    }


_encode_str = json.encoder.encode_basestring  # the C function json.dumps(ensure_ascii=False) uses
_INFINITE = (float("inf"), float("-inf"))
_OWN_KEYS = frozenset({"title", "unit", "empty", "columns", "rows"})


class _Unusual(Exception):
    """A value to_json leaves to json.dumps."""


def _scalar_json(value: object) -> str:
    if type(value) is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if type(value) is float:
        if value != value or value in _INFINITE:
            raise _Unusual
        return float.__repr__(value)
    if type(value) is int:
        return int.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise _Unusual


def _table_json(table: DataTable, meta: dict[str, object]) -> str:
    top = [(k, meta[k]) for k in sorted(meta)] + [
        ("title", table.title),
        ("unit", table.unit),
        ("empty", table.empty),
    ]
    if _OWN_KEYS.intersection(meta):
        raise _Unusual  # the table's own value would take that key's place
    parts = ["{"]
    for key, value in top:
        parts.append(f"\n {_encode_str(key)}: {_scalar_json(value)},")
    columns = [
        f'\n  {{\n   "key": {_scalar_json(k)},\n   "label": {_scalar_json(h)}\n  }}'
        for k, h in zip(table.keys, table.header)
    ]
    parts.append('\n "columns": [' + ",".join(columns) + "\n ]," if columns else '\n "columns": [],')
    if table.rows:
        if any(type(k) is not str for k in table.keys) or len(set(table.keys)) != len(table.keys):
            raise _Unusual  # json's spelling of other keys; a repeated key keeps its first place, last value
        heads = [f"\n   {_encode_str(k)}: " for k in table.keys]
        rows = []
        for row in table.rows:
            cells = [
                head + _scalar_json(float(v) if isinstance(v, Decimal) else v)  # as _json_value
                for head, v in zip(heads, row)
            ]
            rows.append("\n  {" + ",".join(cells) + "\n  }" if cells else "\n  {}")
        parts.append('\n "rows": [' + ",".join(rows) + "\n ]")
    else:
        parts.append('\n "rows": []')
    parts.append("\n}\n")
    return "".join(parts)
