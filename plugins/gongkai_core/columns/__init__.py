"""The data columns: one registry of the column modules (no Pelican here).

Every module of this package but `base` (and names starting with "_") is a data column that
implements `base.DataColumn`; the registry finds them the first time it is asked. Validation
(entry, site), the Decap CMS config, page keys, the output plan, reserved entry names and the
gongkai_columns glue all ask it, so adding a column is one module here and one template in
theme/templates/. `register` adds a module from elsewhere (a test's fake column).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from types import ModuleType

from .. import urls
from .base import (
    ColumnViews,
    DataColumn,
    Download,
    EntryView,
    GeneratedPage,
    ShownEntry,
    column_download,
    entry_downloads,
    missing_members,
)

__all__ = [
    "ColumnViews",
    "DataColumn",
    "Download",
    "EntryView",
    "GeneratedPage",
    "ShownEntry",
    "column_download",
    "entry_downloads",
    "get",
    "keys",
    "modules",
    "register",
    "unregister",
    "generated_patterns",
    "reserved_slug",
    "table_files",
    "template",
]

_NOT_COLUMNS = frozenset({"base"})
# key -> module: a per-process cache of this package's modules (they do not change while it runs),
# filled on the first question, plus what `register` added
_registry: dict[str, DataColumn] = {}
_discovered: list[bool] = []


def _discover() -> None:
    if _discovered:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _NOT_COLUMNS:
            continue
        _add(
            importlib.import_module(f"gongkai_core.columns.{info.name}")
        )  # (tests/unit/test_layers.py reads it)
    _discovered.append(True)


def _add(module: DataColumn | ModuleType) -> None:
    missing = missing_members(module)
    if missing:
        raise TypeError(
            f"{getattr(module, '__name__', module)} is no data column: it lacks {', '.join(missing)}"
            " (gongkai_core.columns.base.DataColumn)"
        )
    key = module.KEY  # type: ignore[union-attr]
    known = _registry.get(key)
    if known is not None and known is not module:
        raise TypeError(f"two data columns with the key {key!r}: {known} and {module}")
    _registry[key] = module  # type: ignore[assignment]


def register(module: DataColumn | ModuleType) -> None:
    """Add a column module that is not in this package; it must have every member of
    `base.DataColumn` and a key of its own. Only this process knows it (reading's worker
    processes, when started afresh rather than forked, find the package's modules only)."""
    _discover()  # the package's own first: a module from elsewhere may not take one of their keys
    _add(module)


def unregister(key: str) -> None:
    """Remove a column added with `register` (tests)."""
    _registry.pop(key, None)


def modules() -> list[DataColumn]:
    """Every data column module, by key."""
    _discover()
    return [_registry[k] for k in sorted(_registry)]


def keys() -> tuple[str, ...]:
    """The keys of the data columns (columns whose entries carry a data block), sorted."""
    _discover()
    return tuple(sorted(_registry))


def get(column: str | None) -> DataColumn | None:
    """The module of a data column, None for any other column (prose: policy, report …)."""
    _discover()
    return _registry.get(column) if column is not None else None


def template(column: str) -> str:
    """The template of a column's entries when the theme has it: a data column's TEMPLATE, else
    one named after the column."""
    module = get(column)
    return module.TEMPLATE if module is not None else column


def generated_patterns(column: str) -> tuple[str, ...]:
    """What a data column generates in its folder beside its list pages (name patterns without
    extension, its module's GENERATED): the output plan allows them, entries may not take them."""
    module = get(column)
    return tuple(module.GENERATED) if module is not None else ()


def reserved_slug(column: str, slug: str) -> bool:
    """True when an entry called `slug` would take the place of a page the build generates: a
    list page of every column (urls.COLUMN_GENERATED) or what its module generates."""
    patterns = urls.COLUMN_GENERATED + generated_patterns(column)
    return any(re.fullmatch(p, slug, re.IGNORECASE) for p in patterns)


def public_data(column: str | None, data: object) -> object:
    """An entry's data block without the keys its module never shows as written (`PRIVATE`, e.g. the
    household names of a 征地 list, shown only masked): what may be indexed for search."""
    module = get(column)
    private = getattr(module, "PRIVATE", ()) if module is not None else ()
    if not private or not isinstance(data, Mapping):
        return data
    return {k: v for k, v in data.items() if k not in private}


def table_files(views: Iterable[ColumnViews]) -> list[tuple[Download, dict[str, object]]]:
    """Every CSV/JSON download of the columns' views with the metadata its JSON carries: each shown
    entry's tables (source page and 索引号), then the column-wide tables."""
    views = list(views)
    found: list[tuple[Download, dict[str, object]]] = [
        (download, {"source": view.shown.url, "index_no": view.shown.entry.index_no})
        for column in views
        for view in column.entries
        for download in view.downloads
    ]
    return found + [(download, {}) for column in views for download in column.downloads]
