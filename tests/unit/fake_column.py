"""A made-up data column, 许可公示 (`permit`), for tests/unit/test_column_registry.py: everything a new
column module provides (gongkai_core.columns.base.DataColumn) and nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai_core import urls
from gongkai_core.columns import ColumnViews, EntryView, GeneratedPage, ShownEntry, entry_downloads
from gongkai_core.datatable import DataTable
from gongkai_core.errors import ContentError, Problem
from gongkai_core.fieldspec import check_data_block
from gongkai_core.schema import Field

KEY = "permit"
BLOCK = "permit"
TEMPLATE = "permit"
LIST_TEMPLATE = "permit_list"
GENERATED = ("all-permits",)
FIELDS = (Field("number", "许可证号", "text", True), Field("holder", "持证单位", "text", True))


@dataclass(frozen=True)
class Permit:
    number: str
    holder: str


def validate(data: Any, path: str) -> list[Problem]:
    return read(data, path)[1]


def read(data: Any, path: str) -> tuple[Permit | None, list[Problem]]:
    typed, problems = check_data_block(data, FIELDS, path, "permit")
    return (None if problems else Permit(typed["number"], typed["holder"])), sorted(problems)


def parse(data: Any, path: str = "<permit>") -> Permit:
    model, problems = read(data, path)
    if problems:
        raise ContentError(problems)
    return model


def validate_set(items: Sequence[tuple[str, Permit, Any]]) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for path, permit, _entry in sorted(items, key=lambda i: i[0]):
        if permit.number in first:
            problems.append(
                Problem(
                    path,
                    1,
                    f"许可证号 {permit.number} 已在 {first[permit.number]} 中公开",
                    "permit.duplicate",
                )
            )
        first.setdefault(permit.number, path)
    return problems


def tables(model: Permit) -> list[DataTable]:
    return [
        DataTable(
            "permit",
            "许可信息",
            "",
            ("许可证号", "持证单位"),
            ("number", "holder"),
            ((model.number, model.holder),),
        )
    ]


@dataclass(frozen=True)
class PermitList:
    permits: tuple[Permit, ...]


def views(shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> ColumnViews:
    return ColumnViews(
        tuple(EntryView(item, entry_downloads(KEY, item.slug, tables(item.model))) for item in shown)
    )


def pages(views: ColumnViews) -> list[GeneratedPage]:
    if not views.entries:
        return []
    return [
        GeneratedPage(
            urls.generated_page(KEY, "all-permits"),
            LIST_TEMPLATE,
            PermitList(tuple(v.model for v in views.entries)),
        )
    ]
