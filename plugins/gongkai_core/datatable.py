"""A table as the public downloads it: CSV and JSON with the same figures as the page.

Amounts travel as `Decimal`; CSV writes them with their fixed decimals and no thousands
separators, JSON as numbers. Both outputs are deterministic (key order fixed, `\\n` lines).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DataTable:
    key: str  # file stem, e.g. "functional"
    title: str  # the caption, e.g. 一般公共预算财政拨款支出表
    unit: str  # 万元, 公顷 …; "" when cells carry their own units
    header: tuple[str, ...]  # Chinese column headings
    keys: tuple[str, ...]  # machine names of the columns, for JSON
    rows: tuple[tuple[str | int | Decimal | None, ...], ...]
    empty: str | None = None  # 空表 reason

    @property
    def numeric(self) -> frozenset[int]:
        """Indexes of the amount columns (right-aligned on the page, unit in the CSV header)."""
        return frozenset(numeric_columns(self))


def _cell(value: str | int | Decimal | None) -> str:
    if value is None:
        return ""
    return str(value)


def numeric_columns(table: DataTable) -> set[int]:
    """Indexes of the columns holding amounts (any Decimal cell)."""
    return {i for row in table.rows for i, v in enumerate(row) if isinstance(v, Decimal)}


def to_csv(table: DataTable) -> str:
    """The header row names the unit on amount columns, e.g. 合计（万元）."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    numeric = numeric_columns(table)
    writer.writerow([h + (f"（{table.unit}）" if table.unit and i in numeric else "") for i, h in enumerate(table.header)])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _json_value(value: str | int | Decimal | None) -> object:
    if isinstance(value, Decimal):
        return float(value)  # two or four decimals: the shortest float repr is exact text
    return value


def to_json(table: DataTable, **meta: object) -> str:
    doc = {
        **{k: meta[k] for k in sorted(meta)},
        "title": table.title,
        "unit": table.unit,
        "empty": table.empty,
        "columns": [{"key": k, "label": h} for k, h in zip(table.keys, table.header)],
        "rows": [{k: _json_value(v) for k, v in zip(table.keys, row)} for row in table.rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
