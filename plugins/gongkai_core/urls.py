"""Where things live on the public site: entry and page addresses, and the names the build
generates itself, so that an entry can never take a generated page's place (and the output
allow-list knows every name in advance). No Pelican here.
"""

from __future__ import annotations

import re

# Pages the build generates in a column's folder (patterns of the name without ".html"):
# the column list and its pagination everywhere, and what a column module adds.
COLUMN_GENERATED = (r"index\d*",)
GENERATED_BY_COLUMN = {
    "sangong": (r"\d{4}", r"\d{4}-by-total", r"sangong-.*"),  # cross-department tables and their downloads
    "land": (r"places",),  # the 征地 places index
}


def entry_page(column: str, slug: str) -> str:
    """The output path (and URL relative to the site root) of an entry's page."""
    return f"{column}/{slug}.html"


def entry_downloads(column: str, slug: str) -> str:
    """The folder of an entry's table downloads (CSV, JSON)."""
    return f"{column}/{slug}/"


def page_page(slug: str) -> str:
    """The output path of a static page (公开指南, 关于本站 …)."""
    return f"pages/{slug}.html"


def reserved_slug(column: str, slug: str) -> bool:
    """True when an entry called `slug` would take the place of a page the build generates."""
    patterns = COLUMN_GENERATED + GENERATED_BY_COLUMN.get(column, ())
    return any(re.fullmatch(p, slug, re.IGNORECASE) for p in patterns)
