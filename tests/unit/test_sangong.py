"""三公经费: every validation rule with a snippet that breaks it; the whole message line is pinned."""

from __future__ import annotations

from decimal import Decimal

from column_helpers import PATH, line_of, load_block, problems, swap
from gongkai_core.columns import sangong

GOOD = """\
sangong:
  kind: budget
  fiscal_year: 2025
  department: 示例县测试局
  unit: 万元
  current:
    total: 12.45
    abroad: 0.00
    vehicle: 8.40
    vehicle_purchase: 0.00
    vehicle_operation: 8.40
    reception: 4.05
  previous:
    total: 13.50
    abroad: 0.00
    vehicle: 9.00
    vehicle_purchase: 0.00
    vehicle_operation: 9.00
    reception: 4.50
  counts:
    abroad_groups: 0
    abroad_people: 0
    vehicles_held: 6
    vehicles_bought: 0
    reception_batches: 40
    reception_people: 260
  explanation: 运行费减少0.60万元，主要是车辆集中调度；接待费减少0.45万元，主要是压减接待批次。
"""


def check(text: str) -> list[str]:
    return problems(text, sangong, "sangong")


def test_the_good_snippet_has_no_problem():
    assert check(GOOD) == []


def test_total_must_equal_the_three_items():
    text = swap(GOOD, "total: 12.45", "total: 12.54")
    assert check(text) == [
        f"{PATH}:7: 本年合计 12.54 万元，与因公出国(境)费 0.00 + 公务用车购置及运行费 8.40 + 公务接待费 4.05 = 12.45 万元不符，"
        "请核对 (sangong.total)"
    ]


def test_vehicle_must_equal_purchase_plus_operation():
    text = swap(GOOD, "vehicle_operation: 9.00", "vehicle_operation: 9.10")
    assert check(text) == [
        f"{PATH}:16: 上年公务用车购置及运行费 9.00 万元，与购置费 0.00 + 运行费 9.10 = 9.10 万元不符，请核对 (sangong.vehicle)"
    ]


def test_a_change_needs_an_explanation():
    text = GOOD.replace(GOOD.split("\n")[-2] + "\n", "")
    assert check(text) == [
        f"{PATH}:2: 公务用车运行费、公务接待费与上年不同，须在 explanation（增减变化原因说明）中逐项说明原因 (sangong.explanation)"
    ]
    unchanged = text.replace("13.50", "12.45").replace("9.00", "8.40").replace("4.50", "4.05")
    assert check(unchanged) == []


def test_negative_figure():
    text = swap(GOOD, "abroad: 0.00\n    vehicle: 9.00", "abroad: -1.00\n    vehicle: 9.00")
    assert (
        f"{PATH}:{line_of(text, 'abroad: -1.00')}: 上年因公出国(境)费 -1.00 万元为负数，请核对 (sangong.negative)"
        in check(text)
    )


def test_counts_must_be_consistent():
    text = swap(GOOD, "reception_people: 260", "reception_people: 30")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'reception_people')}: 本年公务接待人次 30 少于批次 40：每个团组（批次）至少1人次，请核对 (sangong.counts)"
    ]
    text = swap(GOOD, "vehicles_bought: 0", "vehicles_bought: 1")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'vehicles_bought')}: 本年公务用车购置费 0.00 万元，而购置数为 1 辆：有购置费就应有购置车辆，"
        "反之亦然，请核对 (sangong.counts)"
    ]
    text = swap(GOOD, "abroad_people: 0", "abroad_people: 2.5")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'abroad_people')}: 因公出国(境)人次“2.5”应为不小于0的整数 (sangong.counts.abroad_people)"
    ]


def test_missing_previous_year_is_named():
    text = GOOD.split("  previous:")[0] + "  counts:" + GOOD.split("  counts:")[1]
    assert check(text) == [f"{PATH}:2: 缺少必填项“previous”（上年金额） (sangong.previous)"]


def _parsed(year: int, current: str) -> sangong.Sangong:
    text = GOOD.replace("fiscal_year: 2025", f"fiscal_year: {year}")
    return sangong.parse(
        load_block(
            text.replace("total: 12.45", f"total: {current}").replace(
                "reception: 4.05", f"reception: {Decimal(current) - Decimal('8.40')}"
            ),
            "sangong",
        )
    )


def test_previous_figures_must_match_last_years_report():
    this, last = _parsed(2025, "12.45"), _parsed(2024, "13.40")
    assert [
        str(p)
        for p in sangong.validate_set(
            [("content/sangong/2025.yaml", this, None), ("content/sangong/2024.yaml", last, None)]
        )
    ] == sorted(
        [
            "content/sangong/2025.yaml:13: 上年合计填为 13.50 万元，与 content/sangong/2024.yaml 中2024年预算的 13.40 万元不符："
            "请按上年公开数填写 (sangong.previous)",
            "content/sangong/2025.yaml:13: 上年公务接待费填为 4.50 万元，与 content/sangong/2024.yaml 中2024年预算的 5.00 万元不符："
            "请按上年公开数填写 (sangong.previous)",
            "content/sangong/2025.yaml:13: 上年公务用车购置及运行费填为 9.00 万元，与 content/sangong/2024.yaml 中2024年预算的 8.40 "
            "万元不符：请按上年公开数填写 (sangong.previous)",
            "content/sangong/2025.yaml:13: 上年公务用车运行费填为 9.00 万元，与 content/sangong/2024.yaml 中2024年预算的 8.40 "
            "万元不符：请按上年公开数填写 (sangong.previous)",
        ]
    )
    assert [p.key for p in sangong.validate_set([("a.yaml", this, None), ("b.yaml", this, None)])] == [
        "sangong.duplicate"
    ]


def test_change_rows_and_cross_table():
    model = sangong.parse(load_block(GOOD, "sangong"))
    rows = {r.key: r for r in model.changes()}
    assert (rows["total"].change, rows["total"].rate_text, rows["abroad"].rate_text) == (
        Decimal("-1.05"),
        "-7.78%",
        "—",
    )
    table = sangong.cross_data_table(sangong.cross_table([model], 2025, "budget"), 2025, "budget")
    assert table.rows[-1][:2] == ("合计", Decimal("12.45"))


def test_markup_pasted_into_text_is_refused():
    text = swap(GOOD, "department: 示例县测试局", "department: 示例县测试局<script>alert(1)</script>")
    assert check(text) == [
        f"{PATH}:4: 部门（单位）中含有网页代码“<script>”：数据里不能写 HTML 标签（常从 Word 或网页复制带入），请删除 "
        "(sangong.department)"
    ]
    assert check(swap(GOOD, "department: 示例县测试局", "department: 人数<10的测试局")) == []
