"""本级政府预决算 (govbudget column): schema, validation, the parsed model and its tables.

A government's own budget or final accounts as the people's congress approved them, published by
its finance bureau (预算法 第十四条, 第四十六条): the four budgets — 一般公共预算 (`general`),
政府性基金预算 (`fund`), 国有资本经营预算 (`capital`), 社会保险基金预算 (`social_insurance`) —
each as 本级收入 and 本级支出 with the 转移性收入/支出 that balance them; the 专项转移支付 to the
towns by region and project (`special_transfers`); and the 政府债务 (`debt`: 限额, 余额, 新增债券,
还本, 付息; 一般债务 and 专项债务). Amounts in 万元 with two decimals; every sum is checked like a
department's tables, and the 支出功能分类 codes against the year's catalogue (subject_codes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .. import subject_codes
from ..datatable import DataTable
from ..errors import Problem
from ..fieldspec import check_data_block
from ..schema import Field
from ..values import fmt_money
from ..yamlload import LineDict
from .base import (
    BlockReader,
    ColumnViews,
    EntryView,
    GeneratedPage,
    ShownEntry,
    entry_downloads,
    fiscal_year_line,
)

KEY = "govbudget"  # the column (gongkai_core.columns.base.DataColumn)
BLOCK = "govbudget"  # its entries' data block
TEMPLATE = "govbudget"  # theme/templates/govbudget.html
GENERATED: tuple[str, ...] = ()  # nothing beyond the column list in govbudget/

KIND_CHOICES = (("budget", "预算"), ("final_accounts", "决算"))
ZERO = Decimal("0.00")

# the four budgets: key, title, whether their expenditure is by 支出功能分类 类 (codes checked)
ACCOUNTS = (
    ("general", "一般公共预算", True),
    ("fund", "政府性基金预算", True),
    ("capital", "国有资本经营预算", True),
    ("social_insurance", "社会保险基金预算", False),
)
ACCOUNT_TITLES = {key: title for key, title, _ in ACCOUNTS}
DEBT_ROWS = (
    ("limit", "债务限额"),
    ("balance", "债务余额"),
    ("new", "新增债券"),
    ("principal", "还本支出"),
    ("interest", "付息支出"),
)
DEBT_COLUMNS = (("general", "一般债务"), ("special", "专项债务"), ("total", "合计"))


def _money(key: str, label: str, required: bool = True) -> Field:
    return Field(key, label, "money", required)


def _items(key: str, label: str, required: bool, coded: bool, hint: str = "") -> Field:
    code = (Field("code", "科目编码", "code", coded),) if coded else (Field("code", "科目编码", "code"),)
    return Field(
        key,
        label,
        "list",
        required,
        fields=(*code, Field("item", "项目", "text", True), _money("amount", "金额")),
        hint=hint,
    )


def _account_fields(coded: bool) -> tuple[Field, ...]:
    return (
        _items("revenue", "本级收入", True, False),
        _money("revenue_total", "本级收入合计"),
        _items("expenditure", "本级支出", True, coded, "按支出功能分类的类（3位编码）" if coded else ""),
        _money("expenditure_total", "本级支出合计"),
        _items(
            "transfers_in", "转移性收入", False, False, "上级补助收入、债务转贷收入、调入资金、上年结余等"
        ),
        _items("transfers_out", "转移性支出", False, False, "上解支出、债务还本支出、调出资金、年终结余等"),
    )


_DEBT_ROW = tuple(_money(k, label) for k, label in DEBT_COLUMNS)

FIELDS: tuple[Field, ...] = (
    Field("kind", "预算或决算", "choice", True, KIND_CHOICES),
    Field("fiscal_year", "年度", "year", True),
    Field("government", "本级政府", "text", True, hint="如：示例县"),
    Field("unit", "金额单位", "choice", True, (("万元", "万元"),)),
    Field(
        "approval_date",
        "人大批准日期",
        "date",
        True,
        hint="本级人民代表大会（或其常务委员会）批准的日期；《预算法》第十四条：批准后20日内由财政部门公开",
    ),
    *(Field(key, title, "mapping", True, fields=_account_fields(coded)) for key, title, coded in ACCOUNTS),
    Field(
        "special_transfers",
        "专项转移支付（分地区、分项目）",
        "mapping",
        True,
        fields=(
            Field(
                "rows",
                "明细",
                "list",
                True,
                fields=(
                    Field("region", "地区", "text", True),
                    Field("project", "项目", "text", True),
                    _money("amount", "金额"),
                ),
            ),
            _money("total", "合计"),
        ),
    ),
    Field(
        "debt",
        "政府债务",
        "mapping",
        True,
        fields=tuple(Field(k, label, "mapping", True, fields=_DEBT_ROW) for k, label in DEBT_ROWS),
    ),
    Field("notes", "说明", "markdown"),
)

# ---------------------------------------------------------------- the parsed model


@dataclass(frozen=True)
class Item:
    item: str
    amount: Decimal
    code: str = ""


@dataclass(frozen=True)
class Account:
    """One of the four budgets: 本级收支 and the 转移性收支 that balance them."""

    key: str
    revenue: tuple[Item, ...]
    revenue_total: Decimal
    expenditure: tuple[Item, ...]
    expenditure_total: Decimal
    transfers_in: tuple[Item, ...] = ()
    transfers_out: tuple[Item, ...] = ()

    @property
    def title(self) -> str:
        return ACCOUNT_TITLES[self.key]

    @property
    def income_total(self) -> Decimal:
        """收入总计: 本级收入 and 转移性收入."""
        return self.revenue_total + sum((i.amount for i in self.transfers_in), ZERO)

    @property
    def spending_total(self) -> Decimal:
        """支出总计: 本级支出 and 转移性支出."""
        return self.expenditure_total + sum((i.amount for i in self.transfers_out), ZERO)


@dataclass(frozen=True)
class Transfer:
    region: str
    project: str
    amount: Decimal


@dataclass(frozen=True)
class GovBudget:
    kind: str
    fiscal_year: int
    government: str
    unit: str
    approval_date: date
    accounts: tuple[Account, ...]  # ACCOUNTS order
    transfers: tuple[Transfer, ...]
    transfers_total: Decimal
    debt: tuple[tuple[Decimal, Decimal, Decimal], ...]  # DEBT_ROWS order, DEBT_COLUMNS each
    notes: str = ""

    @property
    def kind_label(self) -> str:
        return dict(KIND_CHOICES)[self.kind]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.government, self.fiscal_year, self.kind)

    def by_region(self) -> tuple[tuple[str, Decimal], ...]:
        """专项转移支付 per region, in the order the regions first appear."""
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for t in self.transfers:
            sums[t.region] += t.amount
        return tuple(sums.items())

    def data_tables(self) -> list[DataTable]:
        """Per budget its 收入 and 支出 tables, then the 专项转移支付 (by region and project, and the
        region totals) and the 政府债务 table."""
        out: list[DataTable] = []
        for account in self.accounts:
            income: list[tuple[str, Decimal]] = [(i.item, i.amount) for i in account.revenue]
            income.append(("本级收入合计", account.revenue_total))
            income += [(i.item, i.amount) for i in account.transfers_in]
            income.append(("收入总计", account.income_total))
            spending: list[tuple[str, str, Decimal]] = [
                (i.item, i.code, i.amount) for i in account.expenditure
            ]
            spending.append(("本级支出合计", "", account.expenditure_total))
            spending += [(i.item, "", i.amount) for i in account.transfers_out]
            spending.append(("支出总计", "", account.spending_total))
            slug = account.key.replace("_", "-")
            out.append(
                DataTable(
                    f"{slug}-income",
                    f"{self.government}{self.fiscal_year}年{account.title}收入{self.kind_label}表",
                    self.unit,
                    ("项目", "金额"),
                    ("item", "amount"),
                    tuple(income),
                )
            )
            out.append(
                DataTable(
                    f"{slug}-expenditure",
                    f"{self.government}{self.fiscal_year}年{account.title}支出{self.kind_label}表",
                    self.unit,
                    ("项目", "科目编码", "金额"),
                    ("item", "code", "amount"),
                    tuple(spending),
                )
            )
        out.append(
            DataTable(
                "special-transfers",
                f"{self.government}{self.fiscal_year}年专项转移支付分地区分项目{self.kind_label}表",
                self.unit,
                ("地区", "项目", "金额"),
                ("region", "project", "amount"),
                (
                    *((t.region, t.project, t.amount) for t in self.transfers),
                    ("合计", "", self.transfers_total),
                ),
            )
        )
        out.append(
            DataTable(
                "special-transfers-by-region",
                f"{self.government}{self.fiscal_year}年专项转移支付分地区汇总表",
                self.unit,
                ("地区", "金额"),
                ("region", "amount"),
                (*self.by_region(), ("合计", self.transfers_total)),
            )
        )
        out.append(
            DataTable(
                "debt",
                f"{self.government}{self.fiscal_year}年政府债务限额、余额和还本付息情况表",
                self.unit,
                ("项目", *(label for _, label in DEBT_COLUMNS)),
                ("item", *(k for k, _ in DEBT_COLUMNS)),
                tuple((label, *row) for (_, label), row in zip(DEBT_ROWS, self.debt)),
            )
        )
        return out


# ---------------------------------------------------------------- validation


def _diff(a: Decimal, b: Decimal) -> str:
    return fmt_money(abs(a - b))


def _sum_problem(
    path: str, line: int, stated: Any, parts: Sequence[Any], label: str, parts_label: str, key: str
) -> list[Problem]:
    if stated is None or any(p is None for p in parts):
        return []
    total = sum(parts, ZERO)
    if total == stated:
        return []
    return [
        Problem(
            path,
            line,
            f"{label} {fmt_money(stated)} 万元，与{parts_label} {fmt_money(total)} 万元不符"
            f"（相差 {_diff(stated, total)}），请核对",
            key,
        )
    ]


def _negatives(rows: Sequence[LineDict], path: str, where: str) -> list[Problem]:
    found = []
    for row in rows:
        amount = row.get("amount")
        if amount is not None and amount < 0:
            what = row.get("item") or row.get("project") or ""
            found.append(
                Problem(
                    path,
                    row.line_of("amount"),
                    f"{where}“{what}”金额 {fmt_money(amount)} 万元为负数，请核对",
                    "govbudget.negative",
                )
            )
    return found


def _check_account(block: LineDict, key: str, coded: bool, year: int | None, path: str) -> list[Problem]:
    title = ACCOUNT_TITLES[key]
    problems: list[Problem] = []
    lists = {k: list(block.get(k) or []) for k in ("revenue", "expenditure", "transfers_in", "transfers_out")}
    for rows in lists.values():
        problems += _negatives(rows, path, title)
    problems += _sum_problem(
        path,
        block.line_of("revenue_total"),
        block.get("revenue_total"),
        [r.get("amount") for r in lists["revenue"]],
        f"{title}本级收入合计",
        "各收入项目之和",
        "govbudget.sum",
    )
    problems += _sum_problem(
        path,
        block.line_of("expenditure_total"),
        block.get("expenditure_total"),
        [r.get("amount") for r in lists["expenditure"]],
        f"{title}本级支出合计",
        "各支出项目之和",
        "govbudget.sum",
    )
    seen: dict[str, int] = {}
    for row in lists["expenditure"]:
        code = row.get("code")
        if not code:
            continue
        if coded and (not code.isdigit() or len(code) != 3):
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"{title}支出的科目编码“{code}”应为3位数字（支出功能分类的类）",
                    "govbudget.code",
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"{title}支出的科目编码 {code} 重复（第{seen[code]}行已有），请合并为一行",
                    "govbudget.code",
                )
            )
            continue
        seen[code] = row.line_of("code")
        if coded and year is not None and isinstance(row.get("item"), str):
            found = subject_codes.check(year, code, row["item"])
            if found:
                problems.append(Problem(path, row.line_of("code"), found[0], found[1]))
    parts_in = [block.get("revenue_total"), *(r.get("amount") for r in lists["transfers_in"])]
    parts_out = [block.get("expenditure_total"), *(r.get("amount") for r in lists["transfers_out"])]
    if None not in parts_in and None not in parts_out:
        income, spending = sum(parts_in, ZERO), sum(parts_out, ZERO)
        if income != spending:
            problems.append(
                Problem(
                    path,
                    block.line,
                    f"{title}收入总计 {fmt_money(income)} 万元（本级收入 + 转移性收入）与支出总计 "
                    f"{fmt_money(spending)} 万元（本级支出 + 转移性支出）不相等（相差 {_diff(income, spending)}）："
                    "收支必须平衡，结余写在转移性支出的“年终结余”（社会保险基金写“年末滚存结余”）中",
                    "govbudget.balance",
                )
            )
    return problems


def _check_transfers(block: LineDict, path: str) -> list[Problem]:
    rows = list(block.get("rows") or [])
    problems = _negatives(rows, path, "专项转移支付")
    problems += _sum_problem(
        path,
        block.line_of("total"),
        block.get("total"),
        [r.get("amount") for r in rows],
        "专项转移支付合计",
        "各地区各项目之和",
        "govbudget.transfers_sum",
    )
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        pair = (row.get("region"), row.get("project"))
        if None in pair:
            continue
        if pair in seen:
            problems.append(
                Problem(
                    path,
                    row.line_of("project"),
                    f"专项转移支付“{pair[0]} {pair[1]}”重复（第{seen[pair]}行已有），请合并为一行",
                    "govbudget.transfers_sum",
                )
            )
        else:
            seen[pair] = row.line_of("project")
    return problems


def _check_debt(debt: LineDict, general: Any, fund: Any, path: str) -> list[Problem]:
    """Each row's 合计 = 一般 + 专项; 余额 ≤ 限额; 付息 = the 232 line of the budget it is paid from."""
    problems: list[Problem] = []
    label = dict(DEBT_ROWS)
    for key, _ in DEBT_ROWS:
        row = debt.get(key)
        if not isinstance(row, LineDict):
            continue
        for column, column_label in DEBT_COLUMNS:
            value = row.get(column)
            if value is not None and value < 0:
                problems.append(
                    Problem(
                        path,
                        row.line_of(column),
                        f"{label[key]}{column_label} {fmt_money(value)} 万元为负数，请核对",
                        "govbudget.negative",
                    )
                )
        problems += _sum_problem(
            path,
            row.line_of("total"),
            row.get("total"),
            [row.get("general"), row.get("special")],
            f"{label[key]}合计",
            "一般债务与专项债务之和",
            "govbudget.debt_sum",
        )
    limit, balance = debt.get("limit"), debt.get("balance")
    if isinstance(limit, LineDict) and isinstance(balance, LineDict):
        for column, column_label in DEBT_COLUMNS[:2]:
            owed, cap = balance.get(column), limit.get(column)
            if owed is not None and cap is not None and owed > cap:
                problems.append(
                    Problem(
                        path,
                        balance.line_of(column),
                        f"{column_label}余额 {fmt_money(owed)} 万元超过限额 {fmt_money(cap)} 万元："
                        "《预算法》第三十五条规定地方政府债务余额不得突破批准的限额，请核对",
                        "govbudget.debt_limit",
                    )
                )
    interest = debt.get("interest")
    for account, column, column_label in ((general, "general", "一般债务"), (fund, "special", "专项债务")):
        paid = interest.get(column) if isinstance(interest, LineDict) else None
        if not isinstance(account, LineDict) or paid is None:
            continue
        for row in account.get("expenditure") or []:
            if row.get("code") == "232" and row.get("amount") is not None and row["amount"] != paid:
                title = "一般公共预算" if column == "general" else "政府性基金预算"
                problems.append(
                    Problem(
                        path,
                        row.line_of("amount"),
                        f"{title}支出中232债务付息支出 {fmt_money(row['amount'])} 万元，与政府债务表的"
                        f"{column_label}付息支出 {fmt_money(paid)} 万元不符（相差 {_diff(row['amount'], paid)}），请核对",
                        "govbudget.debt_interest",
                    )
                )
    return problems


def _check(data: LineDict, path: str) -> tuple[LineDict, list[Problem]]:
    """The typed copy of one `govbudget:` block and every problem of it, sorted by line."""
    typed, problems = check_data_block(data, FIELDS, path, "govbudget")
    year = typed.get("fiscal_year") if isinstance(typed.get("fiscal_year"), int) else None
    for key, _, coded in ACCOUNTS:
        block = typed.get(key)
        if isinstance(block, LineDict):
            problems += _check_account(block, key, coded, year, path)
    transfers = typed.get("special_transfers")
    if isinstance(transfers, LineDict):
        problems += _check_transfers(transfers, path)
    debt = typed.get("debt")
    if isinstance(debt, LineDict):
        problems += _check_debt(debt, typed.get("general"), typed.get("fund"), path)
    return typed, sorted(problems)


def _items_of(rows: Any) -> tuple[Item, ...]:
    return tuple(Item(r["item"], r["amount"], r.get("code") or "") for r in rows or ())


def _model(typed: LineDict, data: LineDict, path: str) -> GovBudget:
    """The model of a block `_check` found valid, from its typed copy."""
    accounts = tuple(
        Account(
            key,
            _items_of(typed[key]["revenue"]),
            typed[key]["revenue_total"],
            _items_of(typed[key]["expenditure"]),
            typed[key]["expenditure_total"],
            _items_of(typed[key].get("transfers_in")),
            _items_of(typed[key].get("transfers_out")),
        )
        for key, _, _ in ACCOUNTS
    )
    st = typed["special_transfers"]
    return GovBudget(
        kind=typed["kind"],
        fiscal_year=typed["fiscal_year"],
        government=typed["government"],
        unit=typed["unit"],
        approval_date=typed["approval_date"],
        accounts=accounts,
        transfers=tuple(Transfer(r["region"], r["project"], r["amount"]) for r in st["rows"]),
        transfers_total=st["total"],
        debt=tuple(tuple(typed["debt"][k][c] for c, _ in DEBT_COLUMNS) for k, _ in DEBT_ROWS),  # type: ignore[misc]
        notes=typed.get("notes", ""),
    )


# validate(block, path), read(block, path), parse(block, path): the protocol's, from _check and _model
_reader = BlockReader(_check, _model, "<govbudget>")
validate, read, parse = _reader.validate, _reader.read, _reader.parse


def validate_set(items: Sequence[tuple[str, GovBudget, Any]]) -> list[Problem]:
    """One document per government, year and kind: a second one is an error naming the first."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int, str], str] = {}
    for path, model, meta in sorted(items, key=lambda item: item[0]):
        if model.key in seen:
            problems.append(
                Problem(
                    path,
                    fiscal_year_line(meta, KEY),
                    f"{model.government}{model.fiscal_year}年{model.kind_label}已在 {seen[model.key]} "
                    "中公开：同一级政府同一年度只能有一份，请合并或更正年度",
                    "govbudget.duplicate",
                )
            )
        else:
            seen[model.key] = path
    return sorted(problems)


# ---------------------------------------------------------------- what the pages show


def tables(model: GovBudget) -> list[DataTable]:
    """The tables of one document (GovBudget.data_tables)."""
    return model.data_tables()


def views(shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> ColumnViews:
    """The views of the shown documents (in the order given): each with its tables' downloads."""
    return ColumnViews(
        tuple(EntryView(item, entry_downloads(KEY, item.slug, tables(item.model))) for item in shown)
    )


def pages(views: ColumnViews) -> list[GeneratedPage]:
    """None: a government's budget is shown on its own page only."""
    return []
