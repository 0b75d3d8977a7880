"""预算决算: every validation rule with a snippet that breaks it; the whole message line is pinned."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from column_helpers import PATH, code_line, line_of, load_block, problems, swap
from gongkai_core.columns import budget
from gongkai_core.datatable import to_csv, to_json

GOOD = """\
budget:
  kind: budget
  fiscal_year: 2025
  department: 示例县测试局
  unit: 万元
  summary:
    income:
      - {item: 一般公共预算财政拨款收入, amount: 1204.50}
      - {item: 事业收入, amount: 100.00}
    income_total: 1304.50
    expenditure:
      - {code: "201", item: 一般公共服务支出, amount: 1304.50}
    expenditure_total: 1304.50
  functional:
    totals: {total: 1204.50, basic: 1000.00, project: 204.50}
    rows:
      - {code: "201", name: 一般公共服务支出, total: 1204.50, basic: 1000.00, project: 204.50}
      - {code: "20106", name: 财政事务, total: 1204.50, basic: 1000.00, project: 204.50}
      - {code: "2010601", name: 行政运行, total: 1000.00, basic: 1000.00, project: 0.00}
      - {code: "2010602", name: 一般行政管理事务, total: 204.50, basic: 0.00, project: 204.50}
  economic:
    totals: {total: 1000.00, personnel: 900.00, public: 100.00}
    rows:
      - {code: "301", name: 工资福利支出, total: 900.00, personnel: 900.00, public: 0.00}
      - {code: "30101", name: 基本工资, total: 900.00, personnel: 900.00, public: 0.00}
      - {code: "302", name: 商品和服务支出, total: 100.00, personnel: 0.00, public: 100.00}
      - {code: "30201", name: 办公费, total: 100.00, personnel: 0.00, public: 100.00}
  three_public:
    total: 12.45
    abroad: 0.00
    vehicle: 8.40
    vehicle_purchase: 0.00
    vehicle_operation: 8.40
    reception: 4.05
  fund:
    empty: 本单位无政府性基金预算财政拨款收支
  approval_date: 2025-01-20
  revenue:
    totals: {total: 1304.50, carried_over: 0.00, general: 1204.50, fund: 0.00, capital: 0.00, business: 100.00, operation: 0.00, other: 0.00}
    rows:
      - {name: 一般公共服务支出, code: "201", total: 1304.50, carried_over: 0.00, general: 1204.50, fund: 0.00, capital: 0.00, business: 100.00, operation: 0.00, other: 0.00}
      - {name: 财政事务, code: "20106", total: 1304.50, carried_over: 0.00, general: 1204.50, fund: 0.00, capital: 0.00, business: 100.00, operation: 0.00, other: 0.00}
      - {name: 行政运行, code: "2010601", total: 1000.00, carried_over: 0.00, general: 1000.00, fund: 0.00, capital: 0.00, business: 0.00, operation: 0.00, other: 0.00}
      - {name: 一般行政管理事务, code: "2010602", total: 304.50, carried_over: 0.00, general: 204.50, fund: 0.00, capital: 0.00, business: 100.00, operation: 0.00, other: 0.00}
  spending:
    totals: {total: 1304.50, basic: 1000.00, project: 304.50}
    rows:
      - {name: 一般公共服务支出, code: "201", total: 1304.50, basic: 1000.00, project: 304.50}
      - {name: 财政事务, code: "20106", total: 1304.50, basic: 1000.00, project: 304.50}
      - {name: 行政运行, code: "2010601", total: 1000.00, basic: 1000.00, project: 0.00}
      - {name: 一般行政管理事务, code: "2010602", total: 304.50, basic: 0.00, project: 304.50}
  appropriation:
    income: {general: 1204.50, fund: 0.00, capital: 0.00}
    income_total: 1204.50
    totals: {total: 1204.50, general: 1204.50, fund: 0.00, capital: 0.00}
    rows:
      - {name: 一般公共服务支出, code: "201", total: 1204.50, general: 1204.50, fund: 0.00, capital: 0.00}
  statement:
    operating_costs: 80.00
    procurement: {total: 60.00, goods: 20.00, works: 0.00, services: 40.00}
    assets: {vehicles: 3, general_equipment: 0, special_equipment: 0}
    performance: {projects: 2, amount: 204.50}
"""


def check(text: str) -> list[str]:
    return problems(text, budget, "budget")


def test_the_good_snippet_has_no_problem():
    assert check(GOOD) == []


def test_kuan_sum_differs_from_lei_total():
    text = swap(GOOD, '"20106", name: 财政事务, total: 1204.50', '"20106", name: 财政事务, total: 1204.40')
    assert check(text) == [
        f"{PATH}:{code_line(text, '201')}: 各款之和 1,204.40 万元，与201类合计 1,204.50 万元不符（相差 0.10），请核对 (budget.sum)",
        f"{PATH}:{line_of(text, '2010601') - 1}: 20106 合计 1,204.40 万元，与 基本支出 1,000.00 + 项目支出 204.50 = "
        "1,204.50 万元不符（相差 0.10），请核对 (budget.row_sum)",
        f"{PATH}:{code_line(text, '20106')}: 各项之和 1,204.50 万元，与20106款合计 1,204.40 万元不符（相差 0.10），请核对 (budget.sum)",
    ]


def test_basic_column_of_children_differs_from_parent():
    text = swap(
        GOOD,
        '"2010601", name: 行政运行, total: 1000.00, basic: 1000.00, project: 0.00',
        '"2010601", name: 行政运行, total: 1000.00, basic: 990.00, project: 10.00',
    )
    assert check(text) == [
        f"{PATH}:{code_line(text, '20106')}: 各项基本支出之和 990.00 万元，与20106款基本支出 1,000.00 万元不符（相差 10.00），请核对 (budget.sum)",
        f"{PATH}:{code_line(text, '20106')}: 各项项目支出之和 214.50 万元，与20106款项目支出 204.50 万元不符（相差 10.00），请核对 (budget.sum)",
    ]


def test_table_total_differs_from_sum_of_lei():
    text = swap(
        GOOD,
        "totals: {total: 1204.50, basic: 1000.00, project: 204.50}",
        "totals: {total: 1204.60, basic: 1000.00, project: 204.60}",
    )
    line = line_of(text, "totals: {total: 1204.60")
    assert check(text) == [
        f"{PATH}:{line}: 一般公共预算财政拨款支出表合计行合计 1,204.60 万元，与各类之和 1,204.50 万元不符（相差 0.10），请核对 (budget.total)",
        f"{PATH}:{line}: 一般公共预算财政拨款支出表合计行项目支出 204.60 万元，与各类之和 204.50 万元不符（相差 0.10），请核对 (budget.total)",
        f"{PATH}:{line_of(text, 'totals: {total: 1204.50, general')}: 财政拨款收支总表一般公共预算财政拨款支出合计 1,204.50 万元，"
        "与一般公共预算财政拨款支出表合计 1,204.60 万元不符（相差 0.10），请核对 (budget.appropriation_match)",
    ]


def test_code_of_wrong_length():
    text = swap(GOOD, '"2010602", name', '"201062", name')
    assert (
        f"{PATH}:{line_of(text, '201062')}: 科目编码“201062”应为3位（类）、5位（款）、7位（项）数字（支出功能分类） (budget.code)"
        in check(text)
    )


def test_xiang_without_its_kuan():
    text = swap(GOOD, '"2010602", name', '"2010702", name')
    assert (
        f"{PATH}:{line_of(text, '2010702')}: 2010702项缺少上级科目 20107款：请先列出 20107 行，编码须逐级延长上级编码 (budget.code_parent)"
        in check(text)
    )


def test_kuan_not_disclosed_to_xiang():
    text = GOOD.replace(
        '      - {code: "2010601", name: 行政运行, total: 1000.00, basic: 1000.00, project: 0.00}\n', ""
    )
    text = text.replace(
        '      - {code: "2010602", name: 一般行政管理事务, total: 204.50, basic: 0.00, project: 204.50}\n', ""
    )
    assert check(text) == [
        f"{PATH}:{code_line(text, '20106')}: 20106款没有下级科目：本表须公开到项，请列出其下各项 (budget.code_depth)"
    ]


def test_duplicate_code():
    text = swap(GOOD, '"2010602", name', '"2010601", name')
    first, second = line_of(text, "2010601"), line_of(text, "2010601", 2)
    assert (
        f"{PATH}:{second}: 科目编码 2010601 重复（第{first}行已有），请合并为一行 (budget.code_duplicate)"
        in check(text)
    )


def test_negative_amount():
    text = swap(GOOD, "- {item: 事业收入, amount: 100.00}", "- {item: 事业收入, amount: -100.00}")
    assert (
        f"{PATH}:{line_of(text, '事业收入')}: 收入项目“事业收入”金额 -100.00 万元为负数，请核对 (budget.negative)"
        in check(text)
    )


def test_summary_income_does_not_add_up_and_does_not_balance():
    text = swap(GOOD, "income_total: 1304.50", "income_total: 1314.50")
    line = line_of(text, "income_total")
    assert check(text) == [
        f"{PATH}:{line}: 收入各项之和 1,304.50 万元，与收入总计 1,314.50 万元不符（相差 10.00），请核对 (budget.income_total)",
        f"{PATH}:{line_of(text, 'expenditure_total')}: 收入总计 1,314.50 万元与支出总计 1,304.50 万元不相等："
        "收入支出总表必须平衡，请核对 (budget.balance)",
        f"{PATH}:{line_of(text, 'totals: {total: 1304.50, carried_over')}: 部门收入总表合计 1,304.50 万元，"
        "与收入支出总表的收入总计 1,314.50 万元不符（相差 10.00），请核对 (budget.revenue_match)",
    ]


def test_economic_total_must_equal_functional_basic_total():
    text = GOOD.replace("900.00", "910.00").replace(
        "totals: {total: 1000.00, personnel: 910.00", "totals: {total: 1010.00, personnel: 910.00"
    )
    text = text.replace(
        '"301", name: 工资福利支出, total: 910.00', '"301", name: 工资福利支出, total: 910.00'
    )
    text = text.replace("total: 910.00, personnel: 910.00", "total: 910.00, personnel: 910.00")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'totals: {total: 1010.00')}: 基本支出表合计 1,010.00 万元，与一般公共预算财政拨款支出表的"
        "基本支出合计 1,000.00 万元不符（相差 10.00），请核对 (budget.basic_match)"
    ]


def test_three_public_vehicle_and_total():
    text = swap(GOOD, "vehicle_operation: 8.40", "vehicle_operation: 8.30")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'vehicle: 8.40')}: 公务用车购置及运行费 8.40 万元，与购置费 0.00 + 运行费 8.30 = 8.30 万元不符，"
        "请核对 (budget.three_public)"
    ]
    text = swap(GOOD, "total: 12.45", "total: 12.55")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'total: 12.55')}: “三公”经费合计 12.55 万元，与因公出国(境)费 0.00 + 公务用车购置及运行费 8.40 "
        "+ 公务接待费 4.05 = 12.45 万元不符，请核对 (budget.three_public)"
    ]


def test_empty_table_with_data_and_table_without_rows():
    text = swap(
        GOOD,
        "    empty: 本单位无政府性基金预算财政拨款收支\n",
        "    empty: 本单位无政府性基金预算财政拨款收支\n    totals: {total: 0.00, basic: 0.00, project: 0.00}\n",
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, 'empty:')}: 政府性基金预算财政拨款支出表已标为空表，但又填写了数据：请删除数据，或删除 empty 一行 (budget.empty)"
    ]
    text = swap(
        GOOD,
        "    empty: 本单位无政府性基金预算财政拨款收支\n",
        "    totals: {total: 0.00, basic: 0.00, project: 0.00}\n",
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, '  fund:')}: 政府性基金预算财政拨款支出表没有科目行：请在 rows 下逐行填写；本表确无数据时写 empty: "
        "并说明原因 (budget.fund.rows)"
    ]


def test_scalars_unknown_keys_and_choices():
    text = swap(GOOD, "kind: budget", "kind: 预算")
    text = swap(text, "fiscal_year: 2025", "fiscal_yaer: 2025")
    text = swap(text, "amount: 100.00}", "amount: 一百}")
    text = swap(text, "reception: 4.05", "reception: 4.055")
    assert check(text) == [
        f"{PATH}:2: 缺少必填项“fiscal_year”（年度） (budget.fiscal_year)",
        f"{PATH}:2: 预算或决算“预算”不是可选值；可选值：budget（预算）、final_accounts（决算） (budget.kind)",
        f"{PATH}:3: 未知的键“fiscal_yaer”，是否想写“fiscal_year”？ (budget.fiscal_yaer)",
        f"{PATH}:{line_of(text, '一百')}: 金额“一百”不是数字，请填写阿拉伯数字，如 1204.50（单位：万元） (budget.summary.income.amount)",
        f"{PATH}:{line_of(text, '4.055')}: 公务接待费“4.055”的小数超过2位，请按万元保留2位小数 (budget.three_public.reception)",
    ]


def test_full_width_digits_and_thousands_separators_are_read():
    text = swap(GOOD, "income_total: 1304.50", "income_total: １,３０４.５０")
    assert check(text) == []


def test_one_document_per_department_year_and_kind():
    parsed = budget.parse(load_block(GOOD, "budget"))
    assert [
        str(p)
        for p in budget.validate_set(
            [("content/budget/a.yaml", parsed, None), ("content/budget/b.yaml", parsed, None)]
        )
    ] == [
        "content/budget/b.yaml:1: 示例县测试局2025年预算已在 content/budget/a.yaml 中公开：同一部门同一年度只能有一份，"
        "请合并或更正年度 (budget.duplicate)"
    ]


def test_parse_nests_codes_and_downloads_carry_the_same_figures():
    model = budget.parse(load_block(GOOD, "budget"))
    (lei,) = model.functional.rows
    assert (
        lei.code,
        lei.level,
        [k.code for k in lei.children],
        [x.code for x in lei.children[0].children],
    ) == ("201", "类", ["20106"], ["2010601", "2010602"])
    tables = {t.key: t for t in model.data_tables()}
    assert list(tables) == [
        "summary-income",
        "summary-expenditure",
        "revenue",
        "spending",
        "appropriation-income",
        "appropriation",
        "functional",
        "economic",
        "three-public",
        "fund",
        "statement",
    ]
    rows = list(csv.reader(io.StringIO(to_csv(tables["functional"]))))
    assert rows[0] == ["科目编码", "科目名称", "合计（万元）", "基本支出（万元）", "项目支出（万元）"]
    assert rows[1] == ["201", "一般公共服务支出", "1204.50", "1000.00", "204.50"]
    assert rows[-1] == ["", "合计", "1204.50", "1000.00", "204.50"]
    doc = json.loads(to_json(tables["functional"]), parse_float=Decimal)
    assert doc["unit"] == "万元"
    assert doc["rows"][2] == {
        "code": "2010601",
        "name": "行政运行",
        "total": Decimal("1000.00"),
        "basic": Decimal("1000.00"),
        "project": Decimal("0.00"),
    }
    assert tables["fund"].empty == "本单位无政府性基金预算财政拨款收支"


def test_previous_year_comparison():
    this = budget.parse(load_block(GOOD, "budget"))
    last = budget.parse(load_block(GOOD.replace("fiscal_year: 2025", "fiscal_year: 2024"), "budget"))
    assert budget.previous_key(this) == last.key
    assert budget.previous_key(last) != this.key
    assert [(c.code, c.change) for c in budget.compare(this, last)] == [
        ("", Decimal("0.00")),
        ("201", Decimal("0.00")),
    ]


def test_every_schema_key_has_a_chinese_label():
    from gongkai_core.fieldspec import KINDS, walk

    assert [dotted for dotted, f in walk(budget.FIELDS) if f.kind not in KINDS] == []
    assert all(f.label for _, f in walk(budget.FIELDS))


def test_an_amount_of_more_digits_than_any_budget_is_a_problem_not_a_crash():
    """29 digits went past Decimal's precision (quantize raised InvalidOperation: a traceback); any
    amount of more than 15 whole digits, in any spelling, is reported with its line."""
    for amount in (
        "12345678901234567890123456789",
        "１２３４５６７８９０１２３４５６７８９０",
        "9999999999999999.5",
    ):
        text = swap(GOOD, "amount: 100.00}", f"amount: {amount}}}")
        assert check(text) == [
            f"{PATH}:{line_of(text, amount)}: 金额“{amount}”的整数部分超过15位，不是可能的数额：请检查是否多写了数字，"
            "单位是否为万元 (budget.summary.income.amount)"
        ]
    text = swap(GOOD, "amount: 100.00}", "amount: 000000000000000000100.00}")  # leading zeros: a real 100
    assert check(text) == check(GOOD)
