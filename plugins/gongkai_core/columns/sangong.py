"""三公经费 (sangong column): schema, validation, the parsed model and the yearly cross table.

One department, one year, budget (预算) or actual (决算): 因公出国(境)费, 公务用车购置及运行费
(= 购置费 + 运行费) and 公务接待费 with their 合计, the same figures for the previous year, the
counts behind them, and the explanation of changes (required when any figure changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from .. import urls
from ..datatable import DataTable
from ..errors import Problem
from ..fieldspec import check_data_block
from ..schema import Field
from ..values import YearOverYear, change_rate, fmt_money, fmt_rate
from ..yamlload import LineDict
from .base import (
    BlockReader,
    fiscal_year_line,
    ColumnViews,
    Download,
    EntryView,
    GeneratedPage,
    ShownEntry,
    column_download,
    entry_downloads,
)

KEY = "sangong"  # the column (gongkai_core.columns.base.DataColumn)
BLOCK = "sangong"  # its entries' data block
TEMPLATE = "sangong"  # theme/templates/sangong.html
YEAR_TEMPLATE = "sangong_year"  # theme/templates/sangong_year.html: the cross-department tables of a year
_ORDER = {"department": "", "total": "-by-total"}  # suffix of year_page by order
_CROSS_PREFIX = "sangong-"  # keys of the cross tables (cross_data_table), downloaded from sangong/
# what it generates in sangong/: the year pages (year_page) and the cross tables' downloads
GENERATED = tuple(r"\d{4}" + re.escape(s) for s in _ORDER.values()) + (re.escape(_CROSS_PREFIX) + ".*",)


def year_page(year: int, order: str) -> str:
    """The cross-department tables of a year, `order` "department" or "total"."""
    return urls.generated_page(KEY, f"{year}{_ORDER[order]}")


KIND_CHOICES = (("budget", "预算"), ("final_accounts", "决算"))
ITEMS = (
    ("total", "合计"),
    ("abroad", "因公出国(境)费"),
    ("vehicle", "公务用车购置及运行费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行费"),
    ("reception", "公务接待费"),
)
COUNTS = (
    ("abroad_groups", "因公出国(境)团组数", "个"),
    ("abroad_people", "因公出国(境)人次", "人次"),
    ("vehicles_held", "公务用车保有量", "辆"),
    ("vehicles_bought", "公务用车购置数", "辆"),
    ("reception_batches", "公务接待批次", "批次"),
    ("reception_people", "公务接待人次", "人次"),
)
LABEL = dict(ITEMS)
PARTS = ("vehicle_purchase", "vehicle_operation")  # 其中 of 公务用车购置及运行费
ZERO = Decimal("0.00")

_FIGURES = tuple(Field(k, label, "money", True) for k, label in ITEMS)
_COUNTS = tuple(Field(k, label, "count", True, hint=f"单位：{unit}") for k, label, unit in COUNTS)

FIELDS: tuple[Field, ...] = (
    Field("kind", "预算或决算", "choice", True, KIND_CHOICES),
    Field("fiscal_year", "年度", "year", True),
    Field("department", "部门（单位）", "text", True),
    Field("unit", "金额单位", "choice", True, (("万元", "万元"),)),
    Field("current", "本年金额", "mapping", True, fields=_FIGURES),
    Field(
        "previous", "上年金额", "mapping", True, fields=_FIGURES, hint="上年同口径（预算对预算、决算对决算）"
    ),
    Field("counts", "本年数量", "mapping", True, fields=_COUNTS),
    Field("previous_counts", "上年数量", "mapping", fields=_COUNTS),
    Field("explanation", "增减变化原因说明", "markdown", hint="任何一项与上年不同时必填"),
)


@dataclass(frozen=True)
class Figures:
    total: Decimal
    abroad: Decimal
    vehicle: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    reception: Decimal

    def get(self, key: str) -> Decimal:
        return getattr(self, key)


@dataclass(frozen=True)
class Counts:
    abroad_groups: int
    abroad_people: int
    vehicles_held: int
    vehicles_bought: int
    reception_batches: int
    reception_people: int

    def get(self, key: str) -> int:
        return getattr(self, key)


@dataclass(frozen=True)
class ChangeRow(YearOverYear):
    key: str
    label: str
    previous: Decimal
    current: Decimal

    @property
    def rate_text(self) -> str:
        return fmt_rate(self.rate)


@dataclass(frozen=True)
class Sangong:
    kind: str
    fiscal_year: int
    department: str
    unit: str
    current: Figures
    previous: Figures
    counts: Counts
    previous_counts: Counts | None = None
    explanation: str = ""
    previous_line: int = field(default=0, compare=False)  # where `previous:` is, for cross-entry messages

    @property
    def kind_label(self) -> str:
        return dict(KIND_CHOICES)[self.kind]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.department, self.fiscal_year, self.kind)

    def changes(self) -> list[ChangeRow]:
        return [ChangeRow(k, label, self.previous.get(k), self.current.get(k)) for k, label in ITEMS]

    def data_tables(self) -> list[DataTable]:
        y, p = self.fiscal_year, self.fiscal_year - 1
        money = DataTable(
            "sangong",
            f"{self.department}{y}年“三公”经费{self.kind_label}",
            self.unit,
            ("项目", f"{p}年", f"{y}年", "增减", "增减率"),
            ("item", "previous", "current", "change", "rate"),
            tuple((r.label, r.previous, r.current, r.change, r.rate_text) for r in self.changes()),
            parts=frozenset(i for i, (k, _) in enumerate(ITEMS) if k in PARTS),
        )
        rows = []
        for key, label, unit in COUNTS:
            before = self.previous_counts.get(key) if self.previous_counts else None
            rows.append((label, unit, before, self.counts.get(key)))
        counts = DataTable(
            "sangong-counts",
            f"{self.department}{y}年“三公”经费相关数量",
            "",
            ("项目", "单位", f"{p}年", f"{y}年"),
            ("item", "unit", "previous", "current"),
            tuple(rows),
        )
        return [money, counts]


def _typed(data: Any, path: str) -> tuple[LineDict, list[Problem]]:
    return check_data_block(data, FIELDS, path, "sangong")


def _check_figures(block: LineDict, path: str, year_label: str) -> list[Problem]:
    problems: list[Problem] = []
    v = {k: block.get(k) for k, _ in ITEMS}
    for key, value in v.items():
        if value is not None and value < 0:
            problems.append(
                Problem(
                    path,
                    block.line_of(key),
                    f"{year_label}{LABEL[key]} {fmt_money(value)} 万元为负数，请核对",
                    "sangong.negative",
                )
            )
    problems += sum_problems(
        v, block, path, f"{year_label}", f"{year_label}合计", "sangong.vehicle", "sangong.total"
    )
    return problems


def sum_problems(
    v: dict,
    block: LineDict,
    path: str,
    vehicle_prefix: str,
    total_label: str,
    vehicle_key: str,
    total_key: str,
) -> list[Problem]:
    """车辆 = 购置 + 运行; 合计 = 出国 + 车辆 + 接待. Shared by the 三公 entry and budget table 7."""
    problems: list[Problem] = []
    if None not in (v["vehicle"], v["vehicle_purchase"], v["vehicle_operation"]):
        s = v["vehicle_purchase"] + v["vehicle_operation"]
        if s != v["vehicle"]:
            problems.append(
                Problem(
                    path,
                    block.line_of("vehicle"),
                    f"{vehicle_prefix}公务用车购置及运行费 {fmt_money(v['vehicle'])} 万元，与购置费 "
                    f"{fmt_money(v['vehicle_purchase'])} + 运行费 {fmt_money(v['vehicle_operation'])} = "
                    f"{fmt_money(s)} 万元不符，请核对",
                    vehicle_key,
                )
            )
    if None not in (v["total"], v["abroad"], v["vehicle"], v["reception"]):
        s = v["abroad"] + v["vehicle"] + v["reception"]
        if s != v["total"]:
            problems.append(
                Problem(
                    path,
                    block.line_of("total"),
                    f"{total_label} {fmt_money(v['total'])} 万元，与因公出国(境)费 {fmt_money(v['abroad'])}"
                    f" + 公务用车购置及运行费 {fmt_money(v['vehicle'])} + 公务接待费 {fmt_money(v['reception'])}"
                    f" = {fmt_money(s)} 万元不符，请核对",
                    total_key,
                )
            )
    return problems


def _check_counts(counts: LineDict, figures: LineDict | None, path: str, year_label: str) -> list[Problem]:
    problems: list[Problem] = []
    c = {k: counts.get(k) for k, _, _ in COUNTS}
    for groups, people, what in (
        ("abroad_groups", "abroad_people", "因公出国(境)"),
        ("reception_batches", "reception_people", "公务接待"),
    ):
        if c[groups] is not None and c[people] is not None and c[people] < c[groups]:
            problems.append(
                Problem(
                    path,
                    counts.line_of(people),
                    f"{year_label}{what}人次 {c[people]} 少于{'团组数' if groups == 'abroad_groups' else '批次'}"
                    f" {c[groups]}：每个团组（批次）至少1人次，请核对",
                    "sangong.counts",
                )
            )
    if (
        c["vehicles_bought"] is not None
        and c["vehicles_held"] is not None
        and c["vehicles_bought"] > c["vehicles_held"]
    ):
        problems.append(
            Problem(
                path,
                counts.line_of("vehicles_bought"),
                f"{year_label}公务用车购置数 {c['vehicles_bought']} 辆多于保有量 {c['vehicles_held']} 辆："
                "年末保有量已含当年购置的车辆，请核对",
                "sangong.counts",
            )
        )
    purchase = figures.get("vehicle_purchase") if figures is not None else None
    bought = c["vehicles_bought"]
    if purchase is not None and bought is not None and (purchase > 0) != (bought > 0):
        problems.append(
            Problem(
                path,
                counts.line_of("vehicles_bought"),
                f"{year_label}公务用车购置费 {fmt_money(purchase)} 万元，而购置数为 {bought} 辆："
                "有购置费就应有购置车辆，反之亦然，请核对",
                "sangong.counts",
            )
        )
    return problems


def _check(data: LineDict, path: str) -> tuple[LineDict, list[Problem]]:
    """The typed copy of one `sangong:` block and every problem of it, sorted by line."""
    typed, problems = _typed(data, path)
    current, previous = typed.get("current"), typed.get("previous")
    for key, label in (("current", "本年"), ("previous", "上年")):
        block = typed.get(key)
        if isinstance(block, LineDict):
            problems += _check_figures(block, path, label)
    for key, figures, label in (("counts", current, "本年"), ("previous_counts", previous, "上年")):
        block = typed.get(key)
        if isinstance(block, LineDict):
            problems += _check_counts(block, figures if isinstance(figures, LineDict) else None, path, label)
    if isinstance(current, LineDict) and isinstance(previous, LineDict) and not typed.get("explanation"):
        changed = [
            label
            for k, label in ITEMS
            if k not in ("total", "vehicle")
            and current.get(k) is not None
            and previous.get(k) is not None
            and current[k] != previous[k]
        ]
        if changed:
            problems.append(
                Problem(
                    path,
                    typed.line,
                    f"{'、'.join(changed)}与上年不同，须在 explanation（增减变化原因说明）中逐项说明原因",
                    "sangong.explanation",
                )
            )
    return typed, sorted(problems)


def _figures(block: LineDict) -> Figures:
    return Figures(**{k: block[k] for k, _ in ITEMS})


def _counts(block: LineDict | None) -> Counts | None:
    return None if block is None else Counts(**{k: block[k] for k, _, _ in COUNTS})


def _model(typed: LineDict, data: LineDict, path: str) -> Sangong:
    """The model of a block `_check` found valid, from its typed copy."""
    counts = _counts(typed["counts"])
    assert counts is not None
    return Sangong(
        kind=typed["kind"],
        fiscal_year=typed["fiscal_year"],
        department=typed["department"],
        unit=typed["unit"],
        current=_figures(typed["current"]),
        previous=_figures(typed["previous"]),
        counts=counts,
        previous_counts=_counts(typed.get("previous_counts")),
        explanation=typed.get("explanation", ""),
        previous_line=typed.line_of("previous"),
    )


# validate(block, path), read(block, path), parse(block, path): the protocol's, from _check and _model
_reader = BlockReader(_check, _model, "<sangong>")
validate, read, parse = _reader.validate, _reader.read, _reader.parse


def validate_set(items: Sequence[tuple[str, Sangong, Any]]) -> list[Problem]:
    """One report per department, year and kind; a year's `previous` equals the year before's `current`."""
    problems: list[Problem] = []
    first: dict[tuple[str, int, str], tuple[str, Sangong]] = {}
    for path, item, meta in sorted(items, key=lambda i: i[0]):
        if item.key in first:
            problems.append(
                Problem(
                    path,
                    fiscal_year_line(meta, KEY),
                    f"{item.department}{item.fiscal_year}年“三公”经费{item.kind_label}已在 "
                    f"{first[item.key][0]} 中公开：同一部门同一年度只能有一份，请合并或更正年度",
                    "sangong.duplicate",
                )
            )
        else:
            first[item.key] = (path, item)
    for (department, year, kind), (path, item) in sorted(first.items()):
        before = first.get((department, year - 1, kind))
        if before is None:
            continue
        other_path, other = before
        for key, label in ITEMS:
            stated, actual = item.previous.get(key), other.current.get(key)
            if stated != actual:
                problems.append(
                    Problem(
                        path,
                        item.previous_line,
                        f"上年{label}填为 {fmt_money(stated)} 万元，与 {other_path} 中{year - 1}年"
                        f"{other.kind_label}的 {fmt_money(actual)} 万元不符：请按上年公开数填写",
                        "sangong.previous",
                    )
                )
    return sorted(problems)


@dataclass(frozen=True)
class CrossRow:
    department: str
    figures: Figures
    previous_total: Decimal

    @property
    def rate_text(self) -> str:
        return fmt_rate(change_rate(self.figures.total, self.previous_total))


def cross_table(items: Iterable[Sangong], year: int, kind: str) -> list[CrossRow]:
    """Every department's figures of one year and kind, by department name."""
    rows = [
        CrossRow(s.department, s.current, s.previous.total)
        for s in items
        if s.fiscal_year == year and s.kind == kind
    ]
    return sorted(rows, key=lambda r: r.department)


def cross_data_table(rows: Sequence[CrossRow], year: int, kind: str) -> DataTable:
    kind_label = dict(KIND_CHOICES)[kind]
    keys = [k for k, _ in ITEMS]
    body: list[tuple[str | Decimal, ...]] = [
        (r.department, *(r.figures.get(k) for k in keys), r.previous_total, r.rate_text) for r in rows
    ]
    if rows:
        sums = tuple(sum((r.figures.get(k) for r in rows), ZERO) for k in keys)
        prev = sum((r.previous_total for r in rows), ZERO)
        body.append(("合计", *sums, prev, fmt_rate(change_rate(sums[0], prev))))
    return DataTable(
        f"{_CROSS_PREFIX}{year}-{kind}",
        f"{year}年各部门“三公”经费{kind_label}",
        "万元",
        ("部门", *(label for _, label in ITEMS), f"{year - 1}年合计", "合计增减率"),
        ("department", *keys, "previous_total", "rate"),
        tuple(body),
    )


# ---------------------------------------------------------------- what the pages show


def tables(model: Sangong) -> list[DataTable]:
    """The figures and the counts of one report (Sangong.data_tables)."""
    return model.data_tables()


@dataclass(frozen=True)
class SangongView(EntryView):
    """A report's page: its tables, and the address of its year's cross-department tables."""

    year_url: str


@dataclass(frozen=True)
class CrossTable:
    """The departments' figures of one year and kind, with the entry of each department."""

    year: int
    kind: str
    rows: tuple[CrossRow, ...]  # by department name, or by total on the by-total page
    table: DataTable  # with the 合计 row
    download: Download
    entries: tuple[tuple[str, ShownEntry], ...]  # department -> its report

    def link(self, department: str) -> ShownEntry:
        """The report of a department."""
        return dict(self.entries)[department]

    def by_total(self) -> tuple[CrossRow, ...]:
        """The rows from the highest 合计 down (equal totals by department name)."""
        return tuple(sorted(self.rows, key=lambda r: (-r.figures.total, r.department)))


def cross_tables(shown: Sequence[ShownEntry]) -> tuple[CrossTable, ...]:
    """A cross-department table for every year and kind of the shown reports, newest year first."""
    models = [item.model for item in shown]
    found = []
    for year, kind in sorted({(m.fiscal_year, m.kind) for m in models}, reverse=True):
        rows = cross_table(models, year, kind)
        table = cross_data_table(rows, year, kind)
        entries = {
            item.model.department: item
            for item in shown
            if (item.model.fiscal_year, item.model.kind) == (year, kind)
        }
        found.append(
            CrossTable(year, kind, tuple(rows), table, column_download(KEY, table), tuple(entries.items()))
        )
    return tuple(found)


@dataclass(frozen=True)
class SangongViews(ColumnViews):
    years: tuple[CrossTable, ...] = ()  # cross_tables

    def list_links(self) -> tuple[tuple[str, str], ...]:
        """The cross-department tables of every year, newest first."""
        return tuple(
            (f"{year}年各部门三公经费对比表", year_page(year, "department"))
            for year in sorted({t.year for t in self.years}, reverse=True)
        )


@dataclass(frozen=True)
class YearPage:
    """sangong_year.html: the cross tables of one year in one order, and the other years."""

    year: int
    years: tuple[int, ...]  # every year with reports, newest first
    order: str  # "department" or "total"
    tables: tuple[CrossTable, ...]  # the year's tables, rows in this page's order

    def url(self, order: str, year: int | None = None) -> str:
        """The page of `year` (this one's by default) in `order`."""
        return year_page(self.year if year is None else year, order)


def views(shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> SangongViews:
    """The views of the shown reports (in the order given) and the cross tables of each year."""
    years = cross_tables(shown)
    entries = tuple(
        SangongView(
            item,
            entry_downloads(KEY, item.slug, tables(item.model)),
            year_page(item.model.fiscal_year, "department"),
        )
        for item in shown
    )
    return SangongViews(entries, tuple(t.download for t in years), years)


def pages(views: SangongViews) -> list[GeneratedPage]:
    """Two pages per year: the departments by name, and by 合计 from the highest."""
    years = tuple(sorted({t.year for t in views.years}, reverse=True))
    found = []
    for year in years:
        of_year = [t for t in views.years if t.year == year]
        for order in ("department", "total"):
            shown = tuple(t if order == "department" else replace(t, rows=t.by_total()) for t in of_year)
            found.append(
                GeneratedPage(year_page(year, order), YEAR_TEMPLATE, YearPage(year, years, order, shown))
            )
    return found
