"""Test helper for the Decap CMS config's coverage: the dotted keys the schema lets an entry carry and
the dotted field names of a generated collection (tests/unit/test_decap_config.py compares them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai_core import columns, decap, schema
from gongkai_core.fieldspec import walk


def schema_keys(column: str | None) -> set[str]:
    """Dotted keys an entry of `column` (None: a static page) may carry."""
    if column is None:
        fields = schema.PAGE_FIELDS
        keys = {"body"}
    else:
        fields = schema.ENTRY_FIELDS
        keys = set()
        module = columns.get(column)
        if module is not None:
            keys.add(module.BLOCK)
            keys |= {f"{module.BLOCK}.{dotted}" for dotted, _ in walk(module.FIELDS)}
    return keys | {
        dotted for dotted, _ in walk(fields) if column is None or decap.offered(dotted.split(".")[0], column)
    }


def config_keys(collection: Mapping[str, Any]) -> set[str]:
    """Dotted field names of one generated collection."""
    found: set[str] = set()

    def visit(fields: Iterable[Mapping[str, Any]], prefix: str) -> None:
        for cfg in fields:
            dotted = f"{prefix}{cfg['name']}"
            found.add(dotted)
            visit(cfg.get("fields", ()), dotted + ".")

    visit(collection["fields"], "")
    return found
