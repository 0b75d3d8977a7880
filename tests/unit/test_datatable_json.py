"""datatable.to_json writes exactly what json.dumps(doc, ensure_ascii=False, indent=1) wrote."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gongkai_core.datatable import DataTable, _json_value, to_json


def reference(table: DataTable, **meta: object) -> str:
    doc = {
        **{k: meta[k] for k in sorted(meta)},
        "title": table.title,
        "unit": table.unit,
        "empty": table.empty,
        "columns": [{"key": k, "label": h} for k, h in zip(table.keys, table.header)],
        "rows": [{k: _json_value(v) for k, v in zip(table.keys, row)} for row in table.rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


TABLES = [
    DataTable(
        "functional",
        "一般公共预算财政拨款支出表",
        "万元",
        ("科目编码", "科目名称", "合计"),
        ("code", "name", "total"),
        (
            ("201", "一般公共服务支出", Decimal("1204.50")),
            ("20101", "人大事务", Decimal("-0.01")),
            ("2010101", '行政运行\u2028“引号”"\\\n\t', Decimal("12345678901234.5678")),
        ),
    ),
    DataTable("empty", "空表", "", ("a",), ("a",), (), "本单位无此项支出"),
    DataTable("none", "无列", "", (), (), ()),
    DataTable("blank", "空行", "公顷", ("a", "b"), ("a", "b"), ((), ("x",), (None, 3))),
    DataTable(
        "mixed",
        "混合",
        "",
        ("n", "flag", "f"),
        ("n", "flag", "f"),
        ((10**20, True, 1e-7), (0, False, -0.0), (-5, None, 1e16)),
    ),
    DataTable("short", "表头少于键", "", ("a",), ("a", "b"), (("1", "2"),)),
    DataTable("nolabels", "无表头", "", (), ("a", "b"), (("1", "2"),)),
    # what only json.dumps spells: non-finite numbers, tuples, repeated and non-text keys
    DataTable("nan", "非数", "", ("x",), ("x",), ((float("nan"),), (Decimal("Infinity"),))),
    DataTable("tuple", "元组", "", ("x",), ("x",), ((("a", "b"),),)),
    DataTable("repeat", "重复键", "", ("x", "y", "x"), ("x", "y", "x"), (("1", "2", "3"),)),
    DataTable("intkey", "数字键", "", ("x", "y"), (1, "y"), (("1", "2"),)),
]


@pytest.mark.parametrize("table", TABLES, ids=[t.key for t in TABLES])
@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"source": "budget/x.html", "index_no": "000-2025-01"},
        {"title": "被覆盖", "a": 1.5},
        {"z": None, "b": True},
    ],
)
def test_to_json_is_json_dumps(table, meta):
    assert to_json(table, **meta) == reference(table, **meta)
