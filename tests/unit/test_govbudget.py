"""本级政府预决算 (govbudget): every validation rule with a snippet that breaks it; the whole message
line is pinned."""

from __future__ import annotations

from decimal import Decimal

from column_helpers import PATH, line_of, load_block, problems, swap
from gongkai_core.columns import govbudget

GOOD = """\
govbudget:
  kind: budget
  fiscal_year: 2025
  government: 示例县
  unit: 万元
  approval_date: 2025-01-16
  general:
    revenue:
      - {item: 税收收入, amount: 900.00}
      - {item: 非税收入, amount: 100.00}
    revenue_total: 1000.00
    expenditure:
      - {code: "201", item: 一般公共服务支出, amount: 1500.00}
      - {code: "205", item: 教育支出, amount: 2450.00}
      - {code: "232", item: 债务付息支出, amount: 50.00}
    expenditure_total: 4000.00
    transfers_in:
      - {item: 上级补助收入, amount: 3200.00}
      - {item: 调入资金, amount: 100.00}
    transfers_out:
      - {item: 上解支出, amount: 200.00}
      - {item: 安排预算稳定调节基金, amount: 100.00}
  fund:
    revenue:
      - {item: 国有土地使用权出让收入, amount: 800.00}
    revenue_total: 800.00
    expenditure:
      - {code: "212", item: 城乡社区支出, amount: 660.00}
      - {code: "232", item: 债务付息支出, amount: 40.00}
    expenditure_total: 700.00
    transfers_out:
      - {item: 调出资金, amount: 100.00}
  capital:
    revenue:
      - {item: 利润收入, amount: 10.00}
    revenue_total: 10.00
    expenditure:
      - {code: "223", item: 国有资本经营预算支出, amount: 10.00}
    expenditure_total: 10.00
  social_insurance:
    revenue:
      - {item: 城乡居民基本养老保险基金收入, amount: 300.00}
    revenue_total: 300.00
    expenditure:
      - {item: 城乡居民基本养老保险基金支出, amount: 280.00}
    expenditure_total: 280.00
    transfers_in:
      - {item: 上年滚存结余, amount: 500.00}
    transfers_out:
      - {item: 年末滚存结余, amount: 520.00}
  special_transfers:
    rows:
      - {region: 城关镇, project: 农村公路养护, amount: 30.00}
      - {region: 东河镇, project: 高标准农田建设, amount: 50.00}
      - {region: 城关镇, project: 高标准农田建设, amount: 20.00}
    total: 100.00
  debt:
    limit: {general: 2000.00, special: 3000.00, total: 5000.00}
    balance: {general: 1800.00, special: 2500.00, total: 4300.00}
    new: {general: 0.00, special: 300.00, total: 300.00}
    principal: {general: 100.00, special: 50.00, total: 150.00}
    interest: {general: 50.00, special: 40.00, total: 90.00}
"""


def check(text: str) -> list[str]:
    return problems(text, govbudget, "govbudget")


def test_the_good_snippet_has_no_problem_and_its_tables():
    assert check(GOOD) == []
    model = govbudget.parse(load_block(GOOD, "govbudget"))
    general = model.accounts[0]
    assert (general.title, general.income_total, general.spending_total) == (
        "一般公共预算",
        Decimal("4300.00"),
        Decimal("4300.00"),
    )
    tables = {t.key: t for t in model.data_tables()}
    assert list(tables) == [
        "general-income",
        "general-expenditure",
        "fund-income",
        "fund-expenditure",
        "capital-income",
        "capital-expenditure",
        "social-insurance-income",
        "social-insurance-expenditure",
        "special-transfers",
        "special-transfers-by-region",
        "debt",
    ]
    assert tables["general-income"].rows[-1] == ("收入总计", Decimal("4300.00"))
    assert tables["special-transfers-by-region"].rows == (
        ("城关镇", Decimal("50.00")),
        ("东河镇", Decimal("50.00")),
        ("合计", Decimal("100.00")),
    )
    assert tables["debt"].rows[1] == ("债务余额", Decimal("1800.00"), Decimal("2500.00"), Decimal("4300.00"))


def test_revenue_items_must_add_up():
    text = swap(GOOD, "revenue_total: 1000.00", "revenue_total: 1010.00")
    assert check(text) == [
        f"{PATH}:7: 一般公共预算收入总计 4,310.00 万元（本级收入 + 转移性收入）与支出总计 4,300.00 万元（本级支出 + 转移性支出）"
        "不相等（相差 10.00）：收支必须平衡，结余写在转移性支出的“年终结余”（社会保险基金写“年末滚存结余”）中 (govbudget.balance)",
        f"{PATH}:{line_of(text, 'revenue_total: 1010.00')}: 一般公共预算本级收入合计 1,010.00 万元，与各收入项目之和 1,000.00 万元不符"
        "（相差 10.00），请核对 (govbudget.sum)",
    ]


def test_an_unbalanced_social_insurance_budget():
    text = swap(GOOD, "{item: 年末滚存结余, amount: 520.00}", "{item: 年末滚存结余, amount: 500.00}")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'social_insurance:')}: 社会保险基金预算收入总计 800.00 万元（本级收入 + 转移性收入）与支出总计"
        " 780.00 万元（本级支出 + 转移性支出）不相等（相差 20.00）：收支必须平衡，结余写在转移性支出的“年终结余”"
        "（社会保险基金写“年末滚存结余”）中 (govbudget.balance)"
    ]


def test_expenditure_codes_are_lei_and_named_as_in_the_catalogue():
    text = swap(GOOD, '{code: "205", item: 教育支出', '{code: "20502", item: 教育支出')
    assert check(text) == [
        f"{PATH}:{line_of(text, '20502')}: 一般公共预算支出的科目编码“20502”应为3位数字（支出功能分类的类） (govbudget.code)"
    ]
    text = swap(GOOD, '{code: "205", item: 教育支出', '{code: "206", item: 教育支出')
    assert check(text) == [
        f"{PATH}:{line_of(text, '206')}: 科目编码 206 在2025年支出功能分类科目中是“科学技术支出”，与所填名称“教育支出”不符："
        "“教育支出”的编码是 205，请核对编码或名称 (budget.code_name)"
    ]


def test_negative_amounts():
    text = swap(
        GOOD,
        "{region: 东河镇, project: 高标准农田建设, amount: 50.00}",
        "{region: 东河镇, project: 高标准农田建设, amount: -50.00}",
    )
    text = swap(text, "    total: 100.00\n", "    total: 0.00\n")
    assert check(text) == [
        f"{PATH}:{line_of(text, '-50.00')}: 专项转移支付“高标准农田建设”金额 -50.00 万元为负数，请核对 (govbudget.negative)"
    ]


def test_special_transfers_must_add_up_and_not_repeat():
    text = swap(GOOD, "    total: 100.00\n", "    total: 110.00\n")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'total: 110.00')}: 专项转移支付合计 110.00 万元，与各地区各项目之和 100.00 万元不符（相差 10.00），"
        "请核对 (govbudget.transfers_sum)"
    ]
    text = swap(GOOD, "{region: 城关镇, project: 高标准农田建设", "{region: 城关镇, project: 农村公路养护")
    assert check(text) == [
        f"{PATH}:{line_of(text, '农村公路养护, amount: 20.00')}: 专项转移支付“城关镇 农村公路养护”重复（第{line_of(text, '农村公路养护, amount: 30.00')}行已有），"
        "请合并为一行 (govbudget.transfers_sum)"
    ]


def test_debt_rows_add_up_and_the_balance_stays_within_the_limit():
    text = swap(
        GOOD,
        "balance: {general: 1800.00, special: 2500.00, total: 4300.00}",
        "balance: {general: 2100.00, special: 2500.00, total: 4500.00}",
    )
    line = line_of(text, "balance: {general: 2100.00")
    assert check(text) == [
        f"{PATH}:{line}: 一般债务余额 2,100.00 万元超过限额 2,000.00 万元：《预算法》第三十五条规定地方政府债务余额不得突破批准的限额，"
        "请核对 (govbudget.debt_limit)",
        f"{PATH}:{line}: 债务余额合计 4,500.00 万元，与一般债务与专项债务之和 4,600.00 万元不符（相差 100.00），请核对 (govbudget.debt_sum)",
    ]


def test_debt_interest_equals_the_232_line_it_is_paid_from():
    text = swap(
        GOOD,
        "interest: {general: 50.00, special: 40.00, total: 90.00}",
        "interest: {general: 50.00, special: 45.00, total: 95.00}",
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, 'item: 债务付息支出, amount: 40.00')}: 政府性基金预算支出中232债务付息支出 40.00 万元，"
        "与政府债务表的专项债务付息支出 45.00 万元不符（相差 5.00），请核对 (govbudget.debt_interest)"
    ]


def test_one_document_per_government_year_and_kind():
    model = govbudget.parse(load_block(GOOD, "govbudget"))
    assert [str(p) for p in govbudget.validate_set([("b.yaml", model, None), ("a.yaml", model, None)])] == [
        "b.yaml:1: 示例县2025年预算已在 a.yaml 中公开：同一级政府同一年度只能有一份，请合并或更正年度 (govbudget.duplicate)"
    ]
