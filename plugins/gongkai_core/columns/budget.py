"""预算决算 (budget column): schema, validation and the parsed model.

A department's budget or final accounts, amounts in 万元 with two decimals. The tables:
收入支出总表 (`summary`, required), 一般公共预算财政拨款支出表 by 支出功能分类 (`functional`,
required, 类 3 / 款 5 / 项 7 digits, disclosed to 项), 基本支出表 by 支出经济分类 (`economic`,
类 3 / 款 5), the “三公”经费支出表 (`three_public`), 政府性基金 (`fund`) and 国有资本经营
(`capital`) tables. A table with no data is published as 空表: `empty: <reason>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from .. import charts, subject_codes
from ..datatable import DataTable
from ..errors import Problem
from ..fieldspec import check_data_block
from ..schema import Field
from ..values import YearOverYear, fmt_money
from ..yamlload import LineDict
from .sangong import sum_problems
from .base import (
    BlockReader,
    entry_line,
    fiscal_year_line,
    ColumnViews,
    EntryView,
    GeneratedPage,
    ShownEntry,
    entry_downloads,
)

KEY = "budget"  # the column (gongkai_core.columns.base.DataColumn)
BLOCK = "budget"  # its entries' data block
TEMPLATE = "budget"  # theme/templates/budget.html
GENERATED: tuple[str, ...] = ()  # nothing beyond the column list in budget/

KIND_CHOICES = (("budget", "预算"), ("final_accounts", "决算"))
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}
ZERO = Decimal("0.00")


def _money(key: str, label: str, required: bool = True) -> Field:
    return Field(key, label, "money", required)


@dataclass(frozen=True)
class TableSpec:
    """A table keyed by classification code: its columns and which columns make up 合计."""

    key: str
    title: str
    classification: str  # 支出功能分类 / 支出经济分类
    levels: tuple[int, ...]
    columns: tuple[tuple[str, str], ...]  # (key, label); the first is 合计
    parts: tuple[str, ...]  # columns whose sum is the first column

    @property
    def fields(self) -> tuple[Field, ...]:
        money = tuple(_money(k, label) for k, label in self.columns)
        row = (Field("code", "科目编码", "code", True), Field("name", "科目名称", "text", True), *money)
        return (
            Field(
                "empty",
                "空表说明",
                "text",
                hint="本表无数据时填写原因，如“本单位无政府性基金预算财政拨款收支”",
            ),
            Field("totals", "合计行", "mapping", fields=money),
            Field("rows", "科目明细", "list", fields=row),
        )


_FUNCTIONAL_COLUMNS = (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))
REVENUE_COLUMNS = (
    ("total", "合计"),
    ("carried_over", "上年结转"),
    ("general", "一般公共预算财政拨款收入"),
    ("fund", "政府性基金预算财政拨款收入"),
    ("capital", "国有资本经营预算财政拨款收入"),
    ("business", "事业收入"),
    ("operation", "事业单位经营收入"),
    ("other", "其他收入"),
)
APPROPRIATION_COLUMNS = (
    ("total", "合计"),
    ("general", "一般公共预算财政拨款"),
    ("fund", "政府性基金预算财政拨款"),
    ("capital", "国有资本经营预算财政拨款"),
)
# the full set of a department's tables beside the 收支总表 (财政部 部门预算公开格式): 收入总表,
# 支出总表 and 财政拨款收支总表 (its expenditure side by 类; its income side in APPROPRIATION_INCOME)
FULL_SET_TABLES = (
    TableSpec(
        "revenue",
        "部门收入总表",
        "支出功能分类",
        (3, 5, 7),
        REVENUE_COLUMNS,
        tuple(k for k, _ in REVENUE_COLUMNS[1:]),
    ),
    TableSpec(
        "spending", "部门支出总表", "支出功能分类", (3, 5, 7), _FUNCTIONAL_COLUMNS, ("basic", "project")
    ),
    TableSpec(
        "appropriation",
        "财政拨款收支总表",
        "支出功能分类",
        (3,),
        APPROPRIATION_COLUMNS,
        ("general", "fund", "capital"),
    ),
)
APPROPRIATION_INCOME = APPROPRIATION_COLUMNS[1:]  # the income side: 一般公共预算、政府性基金、国有资本经营
CODE_TABLES = FULL_SET_TABLES + (
    TableSpec(
        "functional",
        "一般公共预算财政拨款支出表",
        "支出功能分类",
        (3, 5, 7),
        _FUNCTIONAL_COLUMNS,
        ("basic", "project"),
    ),
    TableSpec(
        "economic",
        "一般公共预算财政拨款基本支出表",
        "支出经济分类",
        (3, 5),
        (("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")),
        ("personnel", "public"),
    ),
    TableSpec(
        "fund",
        "政府性基金预算财政拨款支出表",
        "支出功能分类",
        (3, 5, 7),
        _FUNCTIONAL_COLUMNS,
        ("basic", "project"),
    ),
    TableSpec(
        "capital",
        "国有资本经营预算财政拨款支出表",
        "支出功能分类",
        (3, 5, 7),
        _FUNCTIONAL_COLUMNS,
        ("basic", "project"),
    ),
)
SPECS = {spec.key: spec for spec in CODE_TABLES}

THREE_PUBLIC_ITEMS = (
    ("total", "合计"),
    ("abroad", "因公出国(境)费"),
    ("vehicle", "公务用车购置及运行费"),
    ("vehicle_purchase", "其中：公务用车购置费"),
    ("vehicle_operation", "其中：公务用车运行费"),
    ("reception", "公务接待费"),
)

SUMMARY_FIELDS = (
    Field(
        "income",
        "收入",
        "list",
        True,
        fields=(Field("item", "收入项目", "text", True), _money("amount", "金额")),
    ),
    _money("income_total", "收入总计"),
    Field(
        "expenditure",
        "支出",
        "list",
        True,
        fields=(
            Field("code", "科目编码", "code"),
            Field("item", "支出项目", "text", True),
            _money("amount", "金额"),
        ),
    ),
    _money("expenditure_total", "支出总计"),
)


def _no_empty(spec: TableSpec) -> tuple[Field, ...]:
    """A table that is never 空表 (a department always has income and expenditure): totals, rows."""
    return tuple(f for f in spec.fields if f.key != "empty")


_APPROPRIATION_FIELDS = (
    Field(
        "income",
        "财政拨款收入",
        "mapping",
        True,
        fields=tuple(_money(k, f"{label}收入") for k, label in APPROPRIATION_INCOME),
    ),
    _money("income_total", "财政拨款收入总计"),
    *_no_empty(SPECS["appropriation"]),
)

STATEMENT_FIELDS = (
    _money("operating_costs", "机关运行经费"),
    Field(
        "procurement",
        "政府采购",
        "mapping",
        True,
        fields=(
            _money("total", "政府采购合计"),
            _money("goods", "货物"),
            _money("works", "工程"),
            _money("services", "服务"),
        ),
    ),
    Field(
        "assets",
        "国有资产占有使用情况",
        "mapping",
        True,
        fields=(
            Field("vehicles", "车辆", "count", True, hint="单位：辆"),
            Field("general_equipment", "单位价值50万元以上通用设备", "count", True, hint="单位：台（套）"),
            Field("special_equipment", "单位价值100万元以上专用设备", "count", True, hint="单位：台（套）"),
        ),
    ),
    Field(
        "performance",
        "绩效目标",
        "mapping",
        True,
        fields=(
            Field("projects", "实行绩效目标管理的项目", "count", True, hint="单位：个"),
            _money("amount", "涉及资金"),
        ),
    ),
)

FIELDS: tuple[Field, ...] = (
    Field("kind", "预算或决算", "choice", True, KIND_CHOICES),
    Field("fiscal_year", "年度", "year", True),
    Field("department", "部门（单位）", "text", True),
    Field("unit", "金额单位", "choice", True, (("万元", "万元"),)),
    Field(
        "approval_date",
        "批复日期",
        "date",
        True,
        hint="财政部门批复本部门预算（决算）的日期；《预算法》第十四条：批复后20日内公开",
    ),
    Field("summary", "收入支出总表", "mapping", True, fields=SUMMARY_FIELDS),
    Field("revenue", SPECS["revenue"].title, "mapping", True, fields=_no_empty(SPECS["revenue"])),
    Field("spending", SPECS["spending"].title, "mapping", True, fields=_no_empty(SPECS["spending"])),
    Field("appropriation", SPECS["appropriation"].title, "mapping", True, fields=_APPROPRIATION_FIELDS),
    Field("functional", SPECS["functional"].title, "mapping", True, fields=SPECS["functional"].fields),
    Field("economic", SPECS["economic"].title, "mapping", fields=SPECS["economic"].fields),
    Field(
        "three_public",
        "一般公共预算财政拨款“三公”经费支出表",
        "mapping",
        fields=(
            Field("empty", "空表说明", "text"),
            *(_money(k, label, False) for k, label in THREE_PUBLIC_ITEMS),
        ),
    ),
    Field("fund", SPECS["fund"].title, "mapping", fields=SPECS["fund"].fields),
    Field("capital", SPECS["capital"].title, "mapping", fields=SPECS["capital"].fields),
    Field("statement", "情况说明（结构化）", "mapping", True, fields=STATEMENT_FIELDS),
    Field("notes", "情况说明", "markdown"),
)

# ---------------------------------------------------------------- the parsed model


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    values: tuple[Decimal, ...]  # in the table's column order
    children: tuple[CodeRow, ...] = ()

    @property
    def level(self) -> str:
        return LEVEL_NAMES[len(self.code)]

    @property
    def depth(self) -> int:
        return (3, 5, 7).index(len(self.code))


class CodeLine(NamedTuple):
    """A row of a code table as its page shows it (the theme's code-table component): `kind` is
    its place (top: a 类 of the overview; lei, kuan, xiang: a row of a 类's details), `depth`
    0 (类), 1 (款) or 2 (项), and `cells` a (column label, amount as shown) pair per column.
    Made once per table in Python, so the template loops over plain values."""

    kind: str
    depth: int
    code: str
    level: str
    name: str
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CodeTable:
    spec: TableSpec
    totals: tuple[Decimal, ...]
    rows: tuple[CodeRow, ...]  # top level (类), children nested
    empty: str | None = None

    @cached_property
    def _labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.spec.columns)

    def _line(self, row: CodeRow, kind: str) -> CodeLine:
        cells = tuple(zip(self._labels, map(fmt_money, row.values)))
        return CodeLine(kind, row.depth, row.code, row.level, row.name, cells)

    @cached_property
    def overview(self) -> tuple[CodeLine, ...]:
        """The 类 rows of the overview table."""
        return tuple(self._line(row, "top") for row in self.rows)

    @cached_property
    def total_cells(self) -> tuple[tuple[str, str], ...]:
        """The 合计 row: (column label, amount as shown) per column."""
        return tuple(zip(self._labels, map(fmt_money, self.totals)))

    @cached_property
    def groups(self) -> tuple[tuple[CodeLine, tuple[CodeLine, ...]], ...]:
        """The details of each 类 (none for a table disclosed to 类 only): its overview line and
        the rows of its details, the 类 first, then each 款 followed by its 项."""
        if len(self.spec.levels) < 2:
            return ()
        out = []
        for top, line in zip(self.rows, self.overview):
            rows = [CodeLine("lei", *line[1:])]
            for kuan in top.children:
                rows.append(self._line(kuan, "kuan"))
                rows.extend(self._line(xiang, "xiang") for xiang in kuan.children)
            out.append((line, tuple(rows)))
        return tuple(out)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    def flat(self) -> list[CodeRow]:
        out: list[CodeRow] = []

        def visit(rows: Iterable[CodeRow]) -> None:
            for row in rows:
                out.append(row)
                visit(row.children)

        visit(self.rows)
        return out


@dataclass(frozen=True)
class SummaryRow:
    item: str
    amount: Decimal
    code: str = ""


@dataclass(frozen=True)
class Summary:
    income: tuple[SummaryRow, ...]
    income_total: Decimal
    expenditure: tuple[SummaryRow, ...]
    expenditure_total: Decimal


@dataclass(frozen=True)
class ThreePublic:
    values: tuple[Decimal, ...]  # in THREE_PUBLIC_ITEMS order
    empty: str | None = None

    def get(self, key: str) -> Decimal:
        return self.values[[k for k, _ in THREE_PUBLIC_ITEMS].index(key)]


@dataclass(frozen=True)
class Statement:
    """情况说明 as structured fields: 机关运行经费, 政府采购, 国有资产占有使用情况, 绩效目标."""

    operating_costs: Decimal
    procurement: tuple[Decimal, Decimal, Decimal, Decimal]  # 合计, 货物, 工程, 服务
    vehicles: int
    general_equipment: int
    special_equipment: int
    performance_projects: int
    performance_amount: Decimal

    def rows(self) -> tuple[tuple[str, Decimal | int, str], ...]:
        """(item, value, unit) in the order of the 情况说明."""
        total, goods, works, services = self.procurement
        return (
            ("机关运行经费", self.operating_costs, "万元"),
            ("政府采购合计", total, "万元"),
            ("其中：货物", goods, "万元"),
            ("其中：工程", works, "万元"),
            ("其中：服务", services, "万元"),
            ("车辆", self.vehicles, "辆"),
            ("单位价值50万元以上通用设备", self.general_equipment, "台（套）"),
            ("单位价值100万元以上专用设备", self.special_equipment, "台（套）"),
            ("实行绩效目标管理的项目", self.performance_projects, "个"),
            ("绩效目标管理涉及资金", self.performance_amount, "万元"),
        )


@dataclass(frozen=True)
class Budget:
    kind: str
    fiscal_year: int
    department: str
    unit: str
    summary: Summary
    functional: CodeTable
    economic: CodeTable | None = None
    three_public: ThreePublic | None = None
    fund: CodeTable | None = None
    capital: CodeTable | None = None
    notes: str = ""
    approval_date: date | None = None  # 批复日期 (预算法 Art. 14: published within 20 days)
    revenue: CodeTable | None = None  # 部门收入总表
    spending: CodeTable | None = None  # 部门支出总表
    appropriation: CodeTable | None = None  # 财政拨款收支总表, expenditure side by 类
    appropriation_income: tuple[Decimal, ...] = ()  # its income side, APPROPRIATION_INCOME order
    statement: Statement | None = None

    @property
    def kind_label(self) -> str:
        return dict(KIND_CHOICES)[self.kind]

    @property
    def key(self) -> tuple[str, int, str]:
        """What identifies the document: department, year, kind."""
        return (self.department, self.fiscal_year, self.kind)

    def code_tables(self) -> list[CodeTable]:
        """收入总表, 支出总表, 财政拨款收支总表, then the 财政拨款 tables (standard order)."""
        return [
            t
            for t in (
                self.revenue,
                self.spending,
                self.appropriation,
                self.functional,
                self.economic,
                self.fund,
                self.capital,
            )
            if t is not None
        ]

    def data_tables(self) -> list[DataTable]:
        """Every table in the standard order, as header + rows, for downloads."""
        s = self.summary
        out = [
            DataTable(
                "summary-income",
                "收入支出总表（收入）",
                self.unit,
                ("项目", "金额"),
                ("item", "amount"),
                tuple((r.item, r.amount) for r in s.income) + (("收入总计", s.income_total),),
            ),
            DataTable(
                "summary-expenditure",
                "收入支出总表（支出）",
                self.unit,
                ("科目编码", "项目", "金额"),
                ("code", "item", "amount"),
                tuple((r.code, r.item, r.amount) for r in s.expenditure)
                + (("", "支出总计", s.expenditure_total),),
            ),
        ]
        for table in self.code_tables():
            if table.key == "fund":
                out += self._three_public_table()
            labels = tuple(label for _, label in table.spec.columns)
            keys = tuple(k for k, _ in table.spec.columns)
            rows = tuple((r.code, r.name, *r.values) for r in table.flat())
            if table.key == "appropriation" and self.appropriation_income:
                out.append(self.appropriation_income_table())
            if not table.empty:
                rows += (("", "合计", *table.totals),)
            out.append(
                DataTable(
                    table.key,
                    table.title,
                    self.unit,
                    ("科目编码", "科目名称", *labels),
                    ("code", "name", *keys),
                    rows,
                    table.empty,
                )
            )
        if self.fund is None:
            out += self._three_public_table()
        if self.statement is not None:
            out.append(
                DataTable(
                    "statement",
                    "情况说明（机关运行经费、政府采购、国有资产、绩效目标）",
                    "",
                    ("项目", "数值", "单位"),
                    ("item", "value", "unit"),
                    self.statement.rows(),
                )
            )
        return out

    def appropriation_income_table(self) -> DataTable:
        """The income side of the 财政拨款收支总表 (its expenditure side is the code table)."""
        rows = tuple(
            (f"{label}收入", amount)
            for (_, label), amount in zip(APPROPRIATION_INCOME, self.appropriation_income)
        )
        return DataTable(
            "appropriation-income",
            "财政拨款收支总表（收入）",
            self.unit,
            ("项目", "金额"),
            ("item", "amount"),
            (*rows, ("合计", sum(self.appropriation_income, ZERO))),
        )

    def _three_public_table(self) -> list[DataTable]:
        if self.three_public is None:
            return []
        tp = self.three_public
        rows3 = () if tp.empty else tuple((label, v) for (_, label), v in zip(THREE_PUBLIC_ITEMS, tp.values))
        return [
            DataTable(
                "three-public",
                "一般公共预算财政拨款“三公”经费支出表",
                self.unit,
                ("项目", "金额"),
                ("item", "amount"),
                rows3,
                tp.empty,
            )
        ]


# ---------------------------------------------------------------- validation


def _diff(a: Decimal, b: Decimal) -> str:
    return fmt_money(abs(a - b))


def _check_code_table(
    table: LineDict, spec: TableSpec, path: str, prefix: str, year: int | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    rows = table.get("rows") or []
    totals = table.get("totals")
    if table.get("empty"):
        if rows or totals:
            problems.append(
                Problem(
                    path,
                    table.line_of("empty"),
                    f"{spec.title}已标为空表，但又填写了数据：请删除数据，或删除 empty 一行",
                    "budget.empty",
                )
            )
        return problems
    if not rows:
        problems.append(
            Problem(
                path,
                table.line,
                f"{spec.title}没有科目行：请在 rows 下逐行填写；本表确无数据时写 empty: 并说明原因",
                f"{prefix}.rows",
            )
        )
    if totals is None:
        problems.append(Problem(path, table.line, f"{spec.title}缺少合计行 totals", f"{prefix}.totals"))
    col_keys = [k for k, _ in spec.columns]
    col_label = dict(spec.columns)
    first = col_keys[0]

    by_code: dict[str, LineDict] = {}
    for row in rows:
        code = row.get("code")
        if code is None:
            continue
        if not code.isdigit() or len(code) not in spec.levels:
            allowed = "、".join(f"{n}位（{LEVEL_NAMES[n]}）" for n in spec.levels)
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"科目编码“{code}”应为{allowed}数字（{spec.classification}）",
                    "budget.code",
                )
            )
            continue
        if code in by_code:
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"科目编码 {code} 重复（第{by_code[code].line_of('code')}行已有），请合并为一行",
                    "budget.code_duplicate",
                )
            )
            continue
        by_code[code] = row
        problems += _code_name_problems(year, spec, row, path)
        for key in col_keys:
            value = row.get(key)
            if value is not None and value < 0:
                problems.append(
                    Problem(
                        path,
                        row.line_of(key),
                        f"{code} {col_label[key]} {fmt_money(value)} 万元为负数：本表金额不能为负，请核对",
                        "budget.negative",
                    )
                )

    children: dict[str, list[str]] = {code: [] for code in by_code}
    for code, row in by_code.items():
        if len(code) == spec.levels[0]:
            continue
        parent_len = spec.levels[spec.levels.index(len(code)) - 1]
        parent = code[:parent_len]
        if parent not in by_code:
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"{code}{LEVEL_NAMES[len(code)]}缺少上级科目 {parent}{LEVEL_NAMES[parent_len]}："
                    f"请先列出 {parent} 行，编码须逐级延长上级编码",
                    "budget.code_parent",
                )
            )
            continue
        children[parent].append(code)
    deepest = spec.levels[-1]
    for code, row in by_code.items():
        if len(code) < deepest and not children[code]:
            problems.append(
                Problem(
                    path,
                    row.line_of("code"),
                    f"{code}{LEVEL_NAMES[len(code)]}没有下级科目：本表须公开到{LEVEL_NAMES[deepest]}，"
                    f"请列出其下各{LEVEL_NAMES[spec.levels[spec.levels.index(len(code)) + 1]]}",
                    "budget.code_depth",
                )
            )

    # each row: 合计 = its parts
    for code, row in by_code.items():
        whole = row.get(first)
        parts = [row.get(k) for k in spec.parts]
        if whole is None or None in parts:  # (Decimals or None: `in` is `is None` here, without a generator)
            continue
        total = sum(parts, ZERO)
        if total != whole:
            shown = " + ".join(f"{col_label[k]} {fmt_money(p)}" for k, p in zip(spec.parts, parts))
            problems.append(
                Problem(
                    path,
                    row.line_of(first),
                    f"{code} {col_label[first]} {fmt_money(whole)} 万元，与 {shown} = {fmt_money(total)} "
                    f"万元不符（相差 {_diff(whole, total)}），请核对",
                    "budget.row_sum",
                )
            )

    # each parent: every column = sum of its children
    for code, kids in children.items():
        if not kids:
            continue
        row = by_code[code]
        child_level = LEVEL_NAMES[len(kids[0])]
        for key in col_keys:
            value = row.get(key)
            values = [by_code[k].get(key) for k in kids]
            if value is None or None in values:
                continue
            total = sum(values, ZERO)
            if total != value:
                what = "" if key == first else col_label[key]
                problems.append(
                    Problem(
                        path,
                        row.line_of(key),
                        f"各{child_level}{what}之和 {fmt_money(total)} 万元，与{code}{LEVEL_NAMES[len(code)]}"
                        f"{col_label[key]} {fmt_money(value)} 万元不符（相差 {_diff(total, value)}），请核对",
                        "budget.sum",
                    )
                )

    # 合计行 = sum of the top level
    if isinstance(totals, LineDict):
        tops = [row for code, row in by_code.items() if len(code) == spec.levels[0]]
        for key in col_keys:
            value = totals.get(key)
            values = [r.get(key) for r in tops]
            if value is None or None in values:
                continue
            total = sum(values, ZERO)
            if total != value:
                problems.append(
                    Problem(
                        path,
                        totals.line_of(key),
                        f"{spec.title}合计行{col_label[key]} {fmt_money(value)} 万元，与各类之和 "
                        f"{fmt_money(total)} 万元不符（相差 {_diff(total, value)}），请核对",
                        "budget.total",
                    )
                )
        whole = totals.get(first)
        parts = [totals.get(k) for k in spec.parts]
        if whole is not None and all(p is not None for p in parts) and sum(parts, ZERO) != whole:
            shown = " + ".join(f"{col_label[k]} {fmt_money(p)}" for k, p in zip(spec.parts, parts))
            problems.append(
                Problem(
                    path,
                    totals.line_of(first),
                    f"合计行{col_label[first]} {fmt_money(whole)} 万元，与 {shown} = "
                    f"{fmt_money(sum(parts, ZERO))} 万元不符，请核对",
                    "budget.row_sum",
                )
            )
        for key in col_keys:
            value = totals.get(key)
            if value is not None and value < 0:
                problems.append(
                    Problem(
                        path,
                        totals.line_of(key),
                        f"合计行{col_label[key]} {fmt_money(value)} 万元为负数：本表金额不能为负，请核对",
                        "budget.negative",
                    )
                )
    return problems


def _code_name_problems(
    year: int | None, spec: TableSpec | None, row: LineDict, path: str, name_key: str = "name"
) -> list[Problem]:
    """A 支出功能分类 科目编码 against its name in the year's catalogue (subject_codes)."""
    code, name = row.get("code"), row.get(name_key)
    if (
        year is None
        or not code
        or not isinstance(name, str)
        or (spec and spec.classification != "支出功能分类")
    ):
        return []
    found = subject_codes.check(year, code, name)
    return [Problem(path, row.line_of("code"), found[0], found[1])] if found else []


def _check_summary(summary: LineDict, path: str, year: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for side, label in (("income", "收入"), ("expenditure", "支出")):
        rows = summary.get(side) or []
        for row in rows:
            if side == "expenditure":
                problems += _code_name_problems(year, None, row, path, "item")
            amount = row.get("amount")
            if amount is not None and amount < 0:
                problems.append(
                    Problem(
                        path,
                        row.line_of("amount"),
                        f"{label}项目“{row.get('item', '')}”金额 {fmt_money(amount)} 万元为负数，请核对",
                        "budget.negative",
                    )
                )
        stated = summary.get(f"{side}_total")
        amounts = [row.get("amount") for row in rows]
        if stated is None or any(a is None for a in amounts):
            continue
        total = sum(amounts, ZERO)
        if total != stated:
            problems.append(
                Problem(
                    path,
                    summary.line_of(f"{side}_total"),
                    f"{label}各项之和 {fmt_money(total)} 万元，与{label}总计 {fmt_money(stated)} "
                    f"万元不符（相差 {_diff(total, stated)}），请核对",
                    f"budget.{side}_total",
                )
            )
    income, spend = summary.get("income_total"), summary.get("expenditure_total")
    if income is not None and spend is not None and income != spend:
        problems.append(
            Problem(
                path,
                summary.line_of("expenditure_total"),
                f"收入总计 {fmt_money(income)} 万元与支出总计 {fmt_money(spend)} 万元不相等："
                "收入支出总表必须平衡，请核对",
                "budget.balance",
            )
        )
    return problems


def _check_three_public(tp: LineDict, path: str) -> list[Problem]:
    if tp.get("empty"):
        if any(tp.get(k) is not None for k, _ in THREE_PUBLIC_ITEMS):
            return [
                Problem(
                    path,
                    tp.line_of("empty"),
                    "“三公”经费支出表已标为空表，但又填写了数据：请删除数据，或删除 empty 一行",
                    "budget.empty",
                )
            ]
        return []
    problems: list[Problem] = []
    label = dict(THREE_PUBLIC_ITEMS)
    for key, _ in THREE_PUBLIC_ITEMS:
        if tp.get(key) is None and key not in {k for k in tp.lines}:
            problems.append(
                Problem(
                    path,
                    tp.line,
                    f"“三公”经费支出表缺少“{key}”（{label[key]}）；没有请填 0.00",
                    f"budget.three_public.{key}",
                )
            )
        elif tp.get(key) is not None and tp[key] < 0:
            problems.append(
                Problem(
                    path,
                    tp.line_of(key),
                    f"{label[key]} {fmt_money(tp[key])} 万元为负数，请核对",
                    "budget.negative",
                )
            )
    v = {k: tp.get(k) for k, _ in THREE_PUBLIC_ITEMS}
    problems += sum_problems(v, tp, path, "", "“三公”经费合计", "budget.three_public", "budget.three_public")
    return problems


def _typed(data: Any, path: str) -> tuple[LineDict, list[Problem]]:
    return check_data_block(data, FIELDS, path, "budget")


# 收入支出总表's income items -> the 部门收入总表 column they equal
REVENUE_ITEMS = {
    "上年结转": "carried_over",
    "上年结转结余": "carried_over",
    "一般公共预算财政拨款收入": "general",
    "政府性基金预算财政拨款收入": "fund",
    "国有资本经营预算财政拨款收入": "capital",
    "事业收入": "business",
    "事业单位经营收入": "operation",
    "其他收入": "other",
}


def _mismatch(
    path: str, line: int, stated: Any, stated_label: str, other: Any, other_label: str, key: str
) -> list[Problem]:
    """`stated` (at `line`) must equal `other`; nothing when either is missing."""
    if stated is None or other is None or stated == other:
        return []
    return [
        Problem(
            path,
            line,
            f"{stated_label} {fmt_money(stated)} 万元，与{other_label} {fmt_money(other)} 万元不符"
            f"（相差 {_diff(stated, other)}），请核对",
            key,
        )
    ]


def _totals(typed: LineDict, key: str) -> LineDict | None:
    table = typed.get(key)
    totals = table.get("totals") if isinstance(table, LineDict) else None
    return totals if isinstance(totals, LineDict) else None


def _table_total(typed: LineDict, key: str) -> Decimal | None:
    """A 财政拨款 table's 合计: 0.00 for a 空表 or a table not given, None when it cannot be told."""
    table = typed.get(key)
    if table is None or (isinstance(table, LineDict) and table.get("empty")):
        return ZERO
    totals = _totals(typed, key)
    return totals.get("total") if totals is not None else None


def _check_full_set(typed: LineDict, path: str) -> list[Problem]:
    """收入总表 and 支出总表 against the 收支总表; the 财政拨款收支总表 against the 财政拨款 tables."""
    problems: list[Problem] = []
    summary = typed.get("summary")
    revenue, spending = _totals(typed, "revenue"), _totals(typed, "spending")
    if isinstance(summary, LineDict) and revenue is not None:
        problems += _mismatch(
            path,
            revenue.line_of("total"),
            revenue.get("total"),
            "部门收入总表合计",
            summary.get("income_total"),
            "收入支出总表的收入总计",
            "budget.revenue_match",
        )
        label = dict(REVENUE_COLUMNS)
        for row in summary.get("income") or []:
            column = REVENUE_ITEMS.get(row.get("item", ""))
            if column is not None:
                problems += _mismatch(
                    path,
                    revenue.line_of(column) if column in revenue else revenue.line,
                    revenue.get(column),
                    f"部门收入总表{label[column]}合计",
                    row.get("amount"),
                    f"收入支出总表的“{row['item']}”",
                    "budget.revenue_match",
                )
    if isinstance(summary, LineDict) and spending is not None:
        problems += _mismatch(
            path,
            spending.line_of("total"),
            spending.get("total"),
            "部门支出总表合计",
            summary.get("expenditure_total"),
            "收入支出总表的支出总计",
            "budget.spending_match",
        )
        table = typed["spending"]
        lei = {r.get("code"): r for r in table.get("rows") or [] if len(r.get("code") or "") == 3}
        for row in summary.get("expenditure") or []:
            code = row.get("code")
            if code in lei:
                problems += _mismatch(
                    path,
                    lei[code].line_of("total"),
                    lei[code].get("total"),
                    f"部门支出总表{code}类合计",
                    row.get("amount"),
                    f"收入支出总表的{code}“{row.get('item', '')}”",
                    "budget.spending_match",
                )
    appropriation = typed.get("appropriation")
    if isinstance(appropriation, LineDict):
        income = appropriation.get("income")
        stated = appropriation.get("income_total")
        if isinstance(income, LineDict):
            amounts = [income.get(k) for k, _ in APPROPRIATION_INCOME]
            if None not in amounts:
                problems += _mismatch(
                    path,
                    appropriation.line_of("income_total"),
                    stated,
                    "财政拨款收入总计",
                    sum(amounts, ZERO),
                    "各项财政拨款收入之和",
                    "budget.appropriation_income",
                )
        totals = _totals(typed, "appropriation")
        if totals is not None:
            problems += _mismatch(
                path,
                totals.line_of("total"),
                totals.get("total"),
                "财政拨款收支总表支出合计",
                stated,
                "财政拨款收入总计",
                "budget.appropriation_balance",
            )
            functional = _totals(typed, "functional")
            for column, table_key, title in (
                ("general", "functional", SPECS["functional"].title),
                ("fund", "fund", SPECS["fund"].title),
                ("capital", "capital", SPECS["capital"].title),
            ):
                other = functional.get("total") if column == "general" and functional else None
                if column != "general":
                    other = _table_total(typed, table_key)
                problems += _mismatch(
                    path,
                    totals.line_of(column) if column in totals else totals.line,
                    totals.get(column),
                    f"财政拨款收支总表{dict(APPROPRIATION_COLUMNS)[column]}支出合计",
                    other,
                    f"{title}合计",
                    "budget.appropriation_match",
                )
    return problems


def _check_statement(typed: LineDict, path: str) -> list[Problem]:
    """政府采购 合计 = 货物 + 工程 + 服务; 机关运行经费 ≤ 公用经费; 绩效目标资金 ≤ 项目支出."""
    problems: list[Problem] = []
    statement = typed.get("statement")
    if not isinstance(statement, LineDict):
        return problems
    procurement = statement.get("procurement")
    if isinstance(procurement, LineDict):
        parts = [procurement.get(k) for k in ("goods", "works", "services")]
        if None not in parts:
            problems += _mismatch(
                path,
                procurement.line_of("total"),
                procurement.get("total"),
                "政府采购合计",
                sum(parts, ZERO),
                f"货物 {fmt_money(parts[0])} + 工程 {fmt_money(parts[1])} + 服务 {fmt_money(parts[2])} =",
                "budget.procurement",
            )
    economic = _totals(typed, "economic")
    costs = statement.get("operating_costs")
    public = economic.get("public") if economic is not None else None
    if costs is not None and public is not None and costs > public:
        problems.append(
            Problem(
                path,
                statement.line_of("operating_costs"),
                f"机关运行经费 {fmt_money(costs)} 万元，超过基本支出表的公用经费合计 {fmt_money(public)} 万元："
                "机关运行经费是行政单位和参公事业单位基本支出中的公用经费，不能更多，请核对",
                "budget.operating_costs",
            )
        )
    performance, spending = statement.get("performance"), _totals(typed, "spending")
    amount = performance.get("amount") if isinstance(performance, LineDict) else None
    project = spending.get("project") if spending is not None else None
    if amount is not None and project is not None and amount > project:
        problems.append(
            Problem(
                path,
                performance.line_of("amount"),
                f"实行绩效目标管理的项目涉及资金 {fmt_money(amount)} 万元，超过部门支出总表的项目支出合计 "
                f"{fmt_money(project)} 万元，请核对",
                "budget.performance",
            )
        )
    negatives = [(statement, "operating_costs", "机关运行经费")]
    if isinstance(procurement, LineDict):
        negatives += [
            (procurement, k, f"政府采购{label}")
            for k, label in (("total", "合计"), ("goods", "货物"), ("works", "工程"), ("services", "服务"))
        ]
    if isinstance(performance, LineDict):
        negatives.append((performance, "amount", "绩效目标涉及资金"))
    for block, key, label in negatives:
        value = block.get(key)
        if value is not None and value < 0:
            problems.append(
                Problem(
                    path,
                    block.line_of(key),
                    f"{label} {fmt_money(value)} 万元为负数，请核对",
                    "budget.negative",
                )
            )
    return problems


def _check(data: LineDict, path: str) -> tuple[LineDict, list[Problem]]:
    """The typed copy of one `budget:` block and every problem of it, sorted by line."""
    typed, problems = _typed(data, path)
    summary = typed.get("summary")
    year = typed.get("fiscal_year") if isinstance(typed.get("fiscal_year"), int) else None
    if isinstance(summary, LineDict):
        problems += _check_summary(summary, path, year)
    for spec in CODE_TABLES:
        table = typed.get(spec.key)
        if isinstance(table, LineDict):
            problems += _check_code_table(table, spec, path, f"budget.{spec.key}", year)
    tp = typed.get("three_public")
    if isinstance(tp, LineDict):
        problems += _check_three_public(tp, path)
    problems += _check_full_set(typed, path)
    problems += _check_statement(typed, path)
    # cross-table: 基本支出表合计 = 功能分类表基本支出合计; 功能分类表 ≤ 收支总表支出总计
    functional, economic = typed.get("functional"), typed.get("economic")
    f_totals = functional.get("totals") if isinstance(functional, LineDict) else None
    e_totals = economic.get("totals") if isinstance(economic, LineDict) else None
    if isinstance(f_totals, LineDict) and isinstance(e_totals, LineDict):
        basic, econ = f_totals.get("basic"), e_totals.get("total")
        if basic is not None and econ is not None and basic != econ:
            problems.append(
                Problem(
                    path,
                    e_totals.line_of("total"),
                    f"基本支出表合计 {fmt_money(econ)} 万元，与一般公共预算财政拨款支出表的基本支出合计 "
                    f"{fmt_money(basic)} 万元不符（相差 {_diff(econ, basic)}），请核对",
                    "budget.basic_match",
                )
            )
    if isinstance(f_totals, LineDict) and isinstance(summary, LineDict):
        f_total, spend = f_totals.get("total"), summary.get("expenditure_total")
        if f_total is not None and spend is not None and f_total > spend:
            problems.append(
                Problem(
                    path,
                    f_totals.line_of("total"),
                    f"一般公共预算财政拨款支出合计 {fmt_money(f_total)} 万元，超过收入支出总表的支出总计 "
                    f"{fmt_money(spend)} 万元：前者是后者的一部分，请核对",
                    "budget.functional_exceeds",
                )
            )
    return typed, sorted(problems)


def _code_table(table: LineDict | None, spec: TableSpec) -> CodeTable | None:
    if table is None:
        return None
    keys = [k for k, _ in spec.columns]
    if table.get("empty"):
        return CodeTable(spec, tuple(ZERO for _ in keys), (), table["empty"])
    rows = sorted(table["rows"], key=lambda r: r["code"])
    # the rows of each level under each code of the level above (in code order), found in one pass:
    # a row of level n is under the code its first levels[n - 1] digits are
    under: dict[tuple[int, str], list] = {}
    for row in rows:
        code = row["code"]
        for level, size in enumerate(spec.levels):
            if len(code) == size:
                parent = code[: spec.levels[level - 1]] if level else ""
                under.setdefault((level, parent), []).append(row)

    def build(prefix: str, level: int) -> tuple[CodeRow, ...]:
        out = []
        for row in under.get((level, prefix), ()):
            code = row["code"]
            kids = build(code, level + 1) if level + 1 < len(spec.levels) else ()
            out.append(CodeRow(code, row["name"], tuple(row[k] for k in keys), kids))
        return tuple(out)

    return CodeTable(spec, tuple(table["totals"][k] for k in keys), build("", 0))


def _model(typed: LineDict, data: LineDict, path: str) -> Budget:
    """The model of a block `_check` found valid, from its typed copy."""
    s = typed["summary"]
    summary = Summary(
        tuple(SummaryRow(r["item"], r["amount"]) for r in s["income"]),
        s["income_total"],
        tuple(SummaryRow(r["item"], r["amount"], r.get("code", "")) for r in s["expenditure"]),
        s["expenditure_total"],
    )
    tp = typed.get("three_public")
    three = None
    if tp is not None:
        three = (
            ThreePublic((), tp["empty"])
            if tp.get("empty")
            else ThreePublic(tuple(tp[k] for k, _ in THREE_PUBLIC_ITEMS))
        )
    functional = _code_table(typed["functional"], SPECS["functional"])
    assert functional is not None
    return Budget(
        kind=typed["kind"],
        fiscal_year=typed["fiscal_year"],
        department=typed["department"],
        unit=typed["unit"],
        summary=summary,
        functional=functional,
        economic=_code_table(typed.get("economic"), SPECS["economic"]),
        three_public=three,
        fund=_code_table(typed.get("fund"), SPECS["fund"]),
        capital=_code_table(typed.get("capital"), SPECS["capital"]),
        notes=typed.get("notes", ""),
        approval_date=typed["approval_date"],
        revenue=_code_table(typed["revenue"], SPECS["revenue"]),
        spending=_code_table(typed["spending"], SPECS["spending"]),
        appropriation=_code_table(typed["appropriation"], SPECS["appropriation"]),
        appropriation_income=tuple(typed["appropriation"]["income"][k] for k, _ in APPROPRIATION_INCOME),
        statement=_statement(typed["statement"]),
    )


def _statement(block: LineDict) -> Statement:
    p, a, f = block["procurement"], block["assets"], block["performance"]
    return Statement(
        block["operating_costs"],
        (p["total"], p["goods"], p["works"], p["services"]),
        a["vehicles"],
        a["general_equipment"],
        a["special_equipment"],
        f["projects"],
        f["amount"],
    )


# validate(block, path), read(block, path), parse(block, path): the protocol's, from _check and _model
_reader = BlockReader(_check, _model, "<budget>")
validate, read, parse = _reader.validate, _reader.read, _reader.parse


# ---------------------------------------------------------------- across entries


def validate_set(items: Sequence[tuple[str, Budget, Any]]) -> list[Problem]:
    """One document per department, year and kind: a second one is an error naming the first."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int, str], str] = {}
    for path, budget, meta in sorted(items, key=lambda item: item[0]):
        if budget.key in seen:
            problems.append(
                Problem(
                    path,
                    fiscal_year_line(meta, KEY),
                    f"{budget.department}{budget.fiscal_year}年{budget.kind_label}已在 {seen[budget.key]} "
                    "中公开：同一部门同一年度只能有一份，请合并或更正年度",
                    "budget.duplicate",
                )
            )
        else:
            seen[budget.key] = path
    return sorted(problems)


def previous_key(budget: Budget) -> tuple[str, int, str]:
    """The key of the document a budget is compared with: same department and kind, the year before."""
    return (budget.department, budget.fiscal_year - 1, budget.kind)


def planned_key(budget: Budget) -> tuple[str, int, str] | None:
    """A 决算 is also compared with the same year's 年初预算: that document's key (None for a 预算)."""
    return (budget.department, budget.fiscal_year, "budget") if budget.kind == "final_accounts" else None


@dataclass(frozen=True)
class Comparison(YearOverYear):
    code: str
    name: str
    current: Decimal
    previous: Decimal


def compare(current: Budget, previous: Budget) -> list[Comparison]:
    """功能分类 类-level totals of two years, with the 合计 first; a 类 missing in one year counts 0."""
    cur = {r.code: r for r in current.functional.rows}
    prev = {r.code: r for r in previous.functional.rows}
    out = [Comparison("", "合计", current.functional.totals[0], previous.functional.totals[0])]
    for code in sorted(set(cur) | set(prev)):
        name = (cur.get(code) or prev[code]).name
        out.append(
            Comparison(
                code,
                name,
                cur[code].values[0] if code in cur else ZERO,
                prev[code].values[0] if code in prev else ZERO,
            )
        )
    return out


# ---------------------------------------------------------------- what the pages show


def tables(model: Budget) -> list[DataTable]:
    """The tables of one document, in the standard order (Budget.data_tables)."""
    return model.data_tables()


def pairs(shown: Sequence[ShownEntry]) -> dict[str, tuple[ShownEntry | None, ShownEntry | None]]:
    """For each shown document (by path): the one it is compared with the year before (same
    department and kind), and for a 决算 the same year's 年初预算; None when that one is not shown.
    Of two documents with one key (only a preview shows both), the first by path counts."""
    by_key: dict[tuple[str, int, str], ShownEntry] = {}
    for item in shown:
        by_key.setdefault(item.model.key, item)
    found = {}
    for item in shown:
        planned = planned_key(item.model)
        found[item.path] = (
            by_key.get(previous_key(item.model)),
            by_key.get(planned) if planned is not None else None,
        )
    return found


@dataclass(frozen=True)
class BudgetView(EntryView):
    """A budget page: the bar chart of the 功能分类 类, the comparison with the year before and,
    for a 决算, with the same year's 年初预算 (each with the entry compared with)."""

    chart: charts.BarChart
    previous: ShownEntry | None
    compare: tuple[Comparison, ...]
    planned: ShownEntry | None
    compare_planned: tuple[Comparison, ...]


def views(shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> ColumnViews:
    """The views of the shown documents (in the order given); `GONGKAI_COLUMNS_CHART_WIDTH` sizes the chart."""
    paired = pairs(shown)
    out = []
    for item in shown:
        model: Budget = item.model
        chart = charts.bar_chart(
            [(f"{r.code} {r.name}", r.values[0]) for r in model.functional.rows],
            width=settings["GONGKAI_COLUMNS_CHART_WIDTH"],
        )
        previous, planned = paired[item.path]
        out.append(
            BudgetView(
                item,
                entry_downloads(KEY, item.slug, tables(model)),
                chart,
                previous,
                tuple(compare(model, previous.model)) if previous is not None else (),
                planned,
                tuple(compare(model, planned.model)) if planned is not None else (),
            )
        )
    return ColumnViews(tuple(out))


def pages(views: ColumnViews) -> list[GeneratedPage]:
    """None: a budget is shown on its own page only."""
    return []


# ---------------------------------------------------------------- across columns


def validate_across(by_column: Mapping[str, Sequence[tuple[str, Any, Any]]]) -> list[Problem]:
    """A 三公 entry's 本年 figures equal the same department, year and kind's budget “三公”经费支出表
    (an empty table counts 0.00): a difference is an error at the 三公 entry's figure naming the
    budget file and line and both amounts. A 三公 entry with no budget entry (or one without the
    table) is not compared."""
    budgets: dict[tuple[str, int, str], tuple[str, Budget, Any]] = {}
    for path, model, meta in sorted(by_column.get(KEY, ()), key=lambda i: i[0]):
        budgets.setdefault(model.key, (path, model, meta))
    problems: list[Problem] = []
    for path, report, meta in by_column.get("sangong", ()):
        found = budgets.get(report.key)
        if found is None or found[1].three_public is None:
            continue
        budget_path, model, budget_meta = found
        table = model.three_public
        for key, label in THREE_PUBLIC_ITEMS:
            stated = report.current.get(key)
            planned = ZERO if table.empty else table.get(key)
            if stated == planned:
                continue
            where = (
                f"{budget_path}:{entry_line(budget_meta, f'{KEY}.three_public.empty')}"
                if table.empty
                else f"{budget_path}:{entry_line(budget_meta, f'{KEY}.three_public.{key}')}"
            )
            shown = "空表（0.00 万元）" if table.empty else f"{fmt_money(planned)} 万元"
            item = "合计" if key == "total" else label.removeprefix("其中：")
            problems.append(
                Problem(
                    path,
                    entry_line(meta, f"sangong.current.{key}"),
                    f"本年{item} {fmt_money(stated)} 万元，与 {where} {report.department}{report.fiscal_year}年"
                    f"部门{model.kind_label}“三公”经费支出表的 {shown}不符：两处公开的数字须一致，请核对",
                    "sangong.budget_match",
                )
            )
    return sorted(problems)
