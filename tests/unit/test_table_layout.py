"""What the page makes of a DataTable on a phone and on paper (issue 20): which columns are figures
(right-aligned, never broken), which rows are totals and which are 其中 parts."""

from __future__ import annotations

from decimal import Decimal

from gongkai_core.datatable import DataTable
from gongkai_core.charts import bar_chart


def _table(header, rows, parts=frozenset()):
    return DataTable(
        "t", "表", "万元", tuple(header), tuple(f"k{i}" for i in range(len(header))), tuple(rows), None, parts
    )


def test_rates_counts_and_amounts_are_figures_text_is_not():
    t = _table(
        ("项目", "单位", "2024年", "2025年", "增减率"),
        [
            ("团组数", "个", 3, 2, "-33.33%"),
            ("人次", "人次", 12, None, "—"),
            ("合计", "", Decimal("1.50"), 4, "12.5%"),
        ],
    )
    assert t.figures == frozenset({2, 3, 4})
    # the CSV's amount columns (unit in the header) are still only the Decimal ones
    assert t.numeric == frozenset({2})


def test_a_column_of_dashes_or_of_codes_in_the_first_place_is_not_a_figure():
    t = _table(("科目编码", "项目", "备注"), [("201", "一般公共服务支出", "—"), ("208", "社会保障", "—")])
    assert t.figures == frozenset()


def test_totals_and_parts():
    t = _table(
        ("项目", "金额"),
        [
            ("合计", 1),
            ("公务用车购置及运行费", 1),
            ("公务用车购置费", 0),
            ("其中：公务用车运行费", 1),
            ("收入总计", 2),
        ],
        parts=frozenset({2}),
    )
    assert t.total_rows == frozenset({0, 4})
    assert t.part_rows == frozenset({2, 3})
    code_first = _table(("科目编码", "项目", "金额"), [("201", "一般公共服务支出", 1), ("", "支出总计", 1)])
    assert code_first.total_rows == frozenset({1})


def test_bar_lengths_in_percent_of_the_longest():
    chart = bar_chart([("甲", Decimal("200")), ("乙", Decimal("50")), ("丙", Decimal("0"))])
    assert [b.percent for b in chart.bars] == ["100.0", "25.0", "0.0"]
