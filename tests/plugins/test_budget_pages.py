"""The demo's 本级政府预决算 and the full set of department tables as the published site shows and
downloads them (a real strict publish of the demo, shared with the session)."""

from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup


def _soup(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.text(rel), "html.parser")


def _rows(table) -> list[list[str]]:
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


def test_the_government_budget_page_shows_four_budgets_transfers_and_debt(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    page = _soup(demo_site, "govbudget/2025.html")
    assert [h.get_text() for h in page.select("main h2")][1:7] == [  # after the body's 说明
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
        "社会保险基金预算",
        "专项转移支付",
        "政府债务",
    ]
    assert "人大批准日期：2025-01-16" in page.select_one(".gk-budget__lead").get_text()
    debt = page.select_one("#gk-table-debt")
    assert debt.caption.get_text() == "示例县2025年政府债务限额、余额和还本付息情况表（单位：万元）"
    assert _rows(debt)[:2] == [
        ["债务限额", "186,000.00", "264,000.00", "450,000.00"],
        ["债务余额", "172,460.00", "241,380.00", "413,840.00"],
    ]
    regions = _rows(page.select_one("#gk-table-special-transfers-by-region"))
    assert regions[-1] == ["合计", "4,965.00"] and [r[0] for r in regions[:-1]] == [
        "城关镇",
        "东河镇",
        "西岭乡",
        "南坪镇",
    ]
    general = _rows(page.select_one("#gk-table-general-income"))
    assert general[-1] == ["收入总计", "430,394.00"]
    spending = _rows(page.select_one("#gk-table-general-expenditure"))
    assert spending[-1] == ["支出总计", "—", "430,394.00"]
    with open(demo_site.output / "govbudget/2025/debt.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[0] == ["项目", "一般债务（万元）", "专项债务（万元）", "合计（万元）"]


def test_a_department_budget_page_shows_the_full_set_and_the_statement(demo_site):
    page = _soup(demo_site, "budget/2025-jyj.html")
    captions = [c.get_text() for c in page.select("caption")]
    for title in (
        "部门收入总表（按类汇总）",
        "部门支出总表（按类汇总）",
        "财政拨款收支总表（收入）",
        "财政拨款收支总表（按类汇总）",
    ):
        assert any(c.startswith(title) for c in captions), title
    assert "财政部门批复日期：2025-02-01" in page.select_one(".gk-budget__lead").get_text()
    income = _rows(page.select_one("#gk-table-appropriation-income"))
    assert income[0] == ["一般公共预算财政拨款收入", "11,240.51"] and income[-1] == ["合计", "11,240.51"]
    statement = _rows(page.select_one("#gk-table-statement"))
    assert statement[0] == ["机关运行经费", "85.56", "万元"]
    assert ["车辆", "9", "辆"] in statement
    revenue = page.select_one("#gk-table-revenue tfoot tr")
    assert [c.get_text(strip=True) for c in revenue.find_all(["th", "td"])][1:5] == [
        "合计",
        "11,626.51",
        "0.00",
        "11,240.51",
    ]
    assert page.select("#gk-table-appropriation details") == []  # disclosed to 类 only
    text = demo_site.text("budget/2025-jyj/statement.csv").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text)))[1] == ["机关运行经费", "85.56", "万元"]
