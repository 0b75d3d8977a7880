"""What a data column is: the protocol a column module implements, and the typed values it hands
to the glue and its templates (no Pelican here).

A data column (预算决算, 三公经费, 征地 …) is one module of this package. Its entries carry a data
block (`budget:` …) that the module validates and parses into its model; across the shown entries
of the column it builds the view models its template shows, and it names the pages it generates
in its folder. The registry (`gongkai_core.columns`) finds the modules; nothing else lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, Protocol

from .. import urls
from ..datatable import DataTable
from ..errors import ContentError, Problem
from ..schema import Field
from ..yamlload import LineDict


@dataclass(frozen=True, eq=False)
class ShownEntry:
    """An entry this build shows, as its column sees it: the entry (`gongkai_core.entry.Entry`),
    the address of its page and the model its module parsed from its data block. Compared by
    identity: a timeline marks the current notice with `is sameas`."""

    entry: Any
    slug: str
    url: str  # output-relative, urls.entry_page
    model: Any

    @property
    def path(self) -> str:
        return self.entry.path


@dataclass(frozen=True)
class Download:
    """One table as CSV and JSON downloads, at output-relative addresses (urls.py)."""

    table: DataTable
    csv: str
    json: str


def entry_downloads(column: str, slug: str, tables: Sequence[DataTable]) -> tuple[Download, ...]:
    """The downloads of an entry's tables, in its folder (urls.entry_download)."""
    return tuple(
        Download(
            t,
            urls.entry_download(column, slug, t.key, "csv"),
            urls.entry_download(column, slug, t.key, "json"),
        )
        for t in tables
    )


def column_download(column: str, table: DataTable) -> Download:
    """A table of a whole column (urls.column_download), e.g. a 三公 cross-department table."""
    return Download(
        table, urls.column_download(column, table.key, "csv"), urls.column_download(column, table.key, "json")
    )


@dataclass(frozen=True)
class EntryView:
    """What an entry's page shows beyond the entry itself (`article.gk_view` in its template).
    Each column extends it with its own typed fields."""

    shown: ShownEntry
    downloads: tuple[Download, ...]

    @property
    def model(self) -> Any:
        return self.shown.model


@dataclass(frozen=True)
class ColumnViews:
    """The views of a column's shown entries (in the order given), and the column-wide downloads.
    A column extends it with what its generated pages show."""

    entries: tuple[EntryView, ...]
    downloads: tuple[Download, ...] = ()

    def list_links(self) -> tuple[tuple[str, str], ...]:
        """(label, address) of the column's own pages, linked from its list page (column.html)."""
        return ()


@dataclass(frozen=True)
class GeneratedPage:
    """A page a column generates in its folder: its output name (from urls.py, matching one of the
    module's GENERATED patterns), its template and what the template is given (`gk_view`)."""

    name: str
    template: str
    view: object


def fiscal_year_line(meta: Any, block: str) -> int:
    """The line of `<block>.fiscal_year` in an entry (`meta`, the Entry of validate_set's items), else 1:
    where a rule across entries (one document per department, year and kind) points."""
    return entry_line(meta, f"{block}.fiscal_year")


def entry_line(meta: Any, key: str) -> int:
    """The line of a dotted key (`sangong.current.total`) in an entry (`meta`, the Entry of
    validate_set's items): found in its data block (`meta.data`) at any depth, else as far as the
    entry's own lines go, else 1."""
    block, _, rest = key.partition(".")
    node, line = getattr(meta, "data", None), 0
    for part in rest.split(".") if rest else ():
        if not isinstance(node, LineDict) or part not in node:
            break
        line, node = node.line_of(part), node[part]
    if line:
        return int(line)
    line_of = getattr(meta, "line_of", None)
    return int(line_of(key)) if callable(line_of) else 1


@dataclass(frozen=True)
class BlockReader:
    """`validate`, `read` and `parse` of a column module from its two steps: `check(block, path)` (the
    typed copy of the block and every problem, sorted) and `model(typed, block, path)` (the model of a
    block found valid). The block is checked once per read."""

    check: Callable[[LineDict, str], tuple[LineDict, list[Problem]]]
    model: Callable[[LineDict, LineDict, str], Any]
    where: str  # the path shown when `parse` is given none

    def validate(self, data: LineDict, path: str) -> list[Problem]:
        """Every problem of one data block, sorted by line."""
        return self.check(data, path)[1]

    def read(self, data: LineDict, path: str) -> tuple[Any | None, list[Problem]]:
        """(model, []) of a valid block, (None, problems) of another."""
        typed, problems = self.check(data, path)
        return (None if problems else self.model(typed, data, path)), problems

    def parse(self, data: LineDict, path: str | None = None) -> Any:
        """The model of a valid block; raises ContentError when `validate` would report problems."""
        model, problems = self.read(data, path or self.where)
        if problems:
            raise ContentError(problems)
        return model


class DataColumn(Protocol):
    """What a column module provides, as module-level names (a module implements this protocol)."""

    KEY: str  # the column's key in GONGKAI_COLUMNS and its folder (content/<KEY>/, output <KEY>/)
    BLOCK: str  # the key of its data block in an entry
    TEMPLATE: str  # theme/templates/<TEMPLATE>.html renders its entries
    FIELDS: tuple[Field, ...]  # the data block's schema (validation, docs, the Decap CMS config)
    GENERATED: tuple[str, ...]  # patterns of the names (without extension) it generates in its folder

    def validate(self, data: LineDict, path: str) -> list[Problem]:
        """Every problem of one data block, sorted by line."""
        ...

    def read(self, data: LineDict, path: str) -> tuple[Any | None, list[Problem]]:
        """(model, []) of a valid block, (None, problems) of another: `validate` and `parse` with
        one check of the block (what reading an entry does)."""
        ...

    def parse(self, data: LineDict, path: str = ...) -> Any:
        """The model of a valid block (raises ContentError when `validate` finds problems)."""
        ...

    def validate_set(self, items: Sequence[tuple[str, Any, Any]]) -> list[Problem]:
        """Rules across the column's entries: (path, model, entry) of each, problems sorted."""
        ...

    def tables(self, model: Any) -> list[DataTable]:
        """The tables of one entry, as shown and downloaded."""
        ...

    def views(self, shown: Sequence[ShownEntry], settings: Mapping[str, Any]) -> ColumnViews:
        """The view models of the column's shown entries (sorted by path) and of its pages."""
        ...

    def pages(self, views: Any) -> list[GeneratedPage]:
        """The pages it generates in its folder from what `views` returned."""
        ...


MEMBERS = (
    "KEY",
    "BLOCK",
    "TEMPLATE",
    "FIELDS",
    "GENERATED",
    "validate",
    "read",
    "parse",
    "validate_set",
    "tables",
    "views",
    "pages",
)


def missing_members(module: object) -> list[str]:
    """The names of DataColumn a module lacks (functions must be callable)."""
    return [
        name
        for name in MEMBERS
        if not hasattr(module, name) or (name[0].islower() and not callable(getattr(module, name)))
    ]
