"""The full set of department tables (收入总表, 支出总表, 财政拨款收支总表), the 批复 date and the
structured 情况说明: every rule with a snippet that breaks it; the whole message line is pinned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from column_helpers import PATH, line_of, load_block, problems, swap
from gongkai_core.columns import budget
from test_budget import GOOD


def check(text: str) -> list[str]:
    return problems(text, budget, "budget")


def test_the_model_carries_the_full_set():
    model = budget.parse(load_block(GOOD, "budget"))
    assert model.approval_date == date(2025, 1, 20)
    assert model.revenue.totals[model.revenue.spec.columns.index(("business", "事业收入"))] == Decimal(
        "100.00"
    )
    assert model.appropriation_income == (Decimal("1204.50"), Decimal("0.00"), Decimal("0.00"))
    assert model.statement.rows()[0] == ("机关运行经费", Decimal("80.00"), "万元")
    tables = {t.key: t for t in model.data_tables()}
    assert tables["appropriation-income"].rows == (
        ("一般公共预算财政拨款收入", Decimal("1204.50")),
        ("政府性基金预算财政拨款收入", Decimal("0.00")),
        ("国有资本经营预算财政拨款收入", Decimal("0.00")),
        ("合计", Decimal("1204.50")),
    )
    assert tables["appropriation"].rows[-1] == (
        "",
        "合计",
        Decimal("1204.50"),
        Decimal("1204.50"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert tables["statement"].rows[5] == ("车辆", 3, "辆")


def test_the_approval_date_is_required():
    text = swap(GOOD, "  approval_date: 2025-01-20\n", "")
    assert check(text) == [f"{PATH}:2: 缺少必填项“approval_date”（批复日期） (budget.approval_date)"]


def test_a_revenue_column_differs_from_the_summary_income_item():
    text = swap(
        GOOD,
        "totals: {total: 1304.50, carried_over: 0.00, general: 1204.50, fund: 0.00, capital: 0.00, business: 100.00,",
        "totals: {total: 1304.50, carried_over: 0.00, general: 1214.50, fund: 0.00, capital: 0.00, business: 90.00,",
    )
    line = line_of(text, "totals: {total: 1304.50, carried_over")
    assert sorted(check(text)) == sorted(
        [
            f"{PATH}:{line}: 部门收入总表合计行一般公共预算财政拨款收入 1,214.50 万元，与各类之和 1,204.50 万元不符（相差 10.00），请核对 (budget.total)",
            f"{PATH}:{line}: 部门收入总表合计行事业收入 90.00 万元，与各类之和 100.00 万元不符（相差 10.00），请核对 (budget.total)",
            f"{PATH}:{line}: 部门收入总表一般公共预算财政拨款收入合计 1,214.50 万元，与收入支出总表的“一般公共预算财政拨款收入”"
            " 1,204.50 万元不符（相差 10.00），请核对 (budget.revenue_match)",
            f"{PATH}:{line}: 部门收入总表事业收入合计 90.00 万元，与收入支出总表的“事业收入” 100.00 万元不符（相差 10.00），请核对 (budget.revenue_match)",
        ]
    )


def test_a_spending_lei_differs_from_the_summary_expenditure_row():
    text = swap(
        GOOD,
        '{code: "201", item: 一般公共服务支出, amount: 1304.50}',
        '{code: "201", item: 一般公共服务支出, amount: 1300.50}',
    )
    text = swap(text, "expenditure_total: 1304.50", "expenditure_total: 1300.50")
    text = swap(text, "income_total: 1304.50", "income_total: 1300.50")
    text = swap(text, "{item: 事业收入, amount: 100.00}", "{item: 事业收入, amount: 96.00}")
    found = [p for p in check(text) if "(budget.spending_match)" in p]
    lei = line_of(text, '{name: 一般公共服务支出, code: "201", total: 1304.50, basic')
    assert found == [
        f"{PATH}:{line_of(text, 'totals: {total: 1304.50, basic')}: 部门支出总表合计 1,304.50 万元，与收入支出总表的支出总计"
        " 1,300.50 万元不符（相差 4.00），请核对 (budget.spending_match)",
        f"{PATH}:{lei}: 部门支出总表201类合计 1,304.50 万元，"
        "与收入支出总表的201“一般公共服务支出” 1,300.50 万元不符（相差 4.00），请核对 (budget.spending_match)",
    ]


def test_the_appropriation_income_must_add_up_and_balance():
    text = swap(GOOD, "    income_total: 1204.50\n", "    income_total: 1214.50\n")
    line = line_of(text, "    income_total: 1214.50")
    assert check(text) == [
        f"{PATH}:{line}: 财政拨款收入总计 1,214.50 万元，与各项财政拨款收入之和 1,204.50 万元不符（相差 10.00），请核对 (budget.appropriation_income)",
        f"{PATH}:{line_of(text, 'totals: {total: 1204.50, general')}: 财政拨款收支总表支出合计 1,204.50 万元，与财政拨款收入总计"
        " 1,214.50 万元不符（相差 10.00），请核对 (budget.appropriation_balance)",
    ]


def test_the_appropriation_fund_column_must_equal_the_fund_table():
    text = swap(GOOD, "income: {general: 1204.50, fund: 0.00", "income: {general: 1204.50, fund: 30.00")
    text = swap(text, "    income_total: 1204.50\n", "    income_total: 1234.50\n")
    text = swap(
        text,
        "totals: {total: 1204.50, general: 1204.50, fund: 0.00, capital: 0.00}",
        "totals: {total: 1234.50, general: 1204.50, fund: 30.00, capital: 0.00}",
    )
    text = swap(
        text,
        '{name: 一般公共服务支出, code: "201", total: 1204.50, general: 1204.50, fund: 0.00',
        '{name: 一般公共服务支出, code: "201", total: 1234.50, general: 1204.50, fund: 30.00',
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, 'totals: {total: 1234.50, general')}: 财政拨款收支总表政府性基金预算财政拨款支出合计 30.00 万元，"
        "与政府性基金预算财政拨款支出表合计 0.00 万元不符（相差 30.00），请核对 (budget.appropriation_match)"
    ]


def test_procurement_must_add_up():
    text = swap(GOOD, "procurement: {total: 60.00,", "procurement: {total: 65.00,")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'procurement:')}: 政府采购合计 65.00 万元，与货物 20.00 + 工程 0.00 + 服务 40.00 = 60.00 万元不符"
        "（相差 5.00），请核对 (budget.procurement)"
    ]


def test_operating_costs_cannot_exceed_the_public_funds():
    text = swap(GOOD, "operating_costs: 80.00", "operating_costs: 120.00")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'operating_costs:')}: 机关运行经费 120.00 万元，超过基本支出表的公用经费合计 100.00 万元："
        "机关运行经费是行政单位和参公事业单位基本支出中的公用经费，不能更多，请核对 (budget.operating_costs)"
    ]


def test_performance_funds_cannot_exceed_the_project_spending():
    text = swap(
        GOOD, "performance: {projects: 2, amount: 204.50}", "performance: {projects: 2, amount: 404.50}"
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, 'performance:')}: 实行绩效目标管理的项目涉及资金 404.50 万元，超过部门支出总表的项目支出合计"
        " 304.50 万元，请核对 (budget.performance)"
    ]


def test_statement_amounts_cannot_be_negative():
    text = swap(
        GOOD,
        "procurement: {total: 60.00, goods: 20.00, works: 0.00, services: 40.00}",
        "procurement: {total: 60.00, goods: 70.00, works: -50.00, services: 40.00}",
    )
    assert check(text) == [
        f"{PATH}:{line_of(text, 'procurement:')}: 政府采购工程 -50.00 万元为负数，请核对 (budget.negative)"
    ]
