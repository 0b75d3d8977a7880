"""Where things live on the public site: entry and page addresses, and the names the build
generates itself, so that an entry can never take a generated page's place (and the output
allow-list knows every name in advance). Every address of the build is made here: the glue,
the sitemap, search, audit and the output plan call these functions, never format one by hand.
Pelican's ARTICLE_URL/ARTICLE_SAVE_AS/PAGE_URL/PAGE_SAVE_AS are pinned to `entry_page` and
`page_page` by the settings check (gongkai_gate.glue.URL_SETTINGS). No Pelican here.
"""

from __future__ import annotations

import re

# Pages the build generates in a column's folder (patterns of the name without ".html"):
# the column list and its pagination everywhere (Pelican names page 2 "index2.html").
COLUMN_GENERATED = (r"index\d*",)

# What a column module generates in its folder, by name without extension.
_SANGONG_ORDER = {"department": "", "total": "-by-total"}  # suffix of sangong_year_page by order
_SANGONG_CROSS_PREFIX = "sangong-"  # keys of the 三公 cross tables (gongkai_core.sangong.cross_data_table)
_LAND_PLACES = "places"

GENERATED_BY_COLUMN = {
    # cross-department tables (sangong_year_page) and their downloads (column_download)
    "sangong": tuple(r"\d{4}" + re.escape(s) for s in _SANGONG_ORDER.values())
    + (re.escape(_SANGONG_CROSS_PREFIX) + ".*",),
    "land": (re.escape(_LAND_PLACES),),  # the 征地 places index (land_places_page)
}


def entry_page(column: str, slug: str) -> str:
    """The output path (and URL relative to the site root) of an entry's page."""
    return f"{column}/{slug}.html"


def entry_downloads(column: str, slug: str) -> str:
    """The folder of an entry's table downloads (CSV, JSON)."""
    return f"{column}/{slug}/"


def entry_download(column: str, slug: str, key: str, ext: str) -> str:
    """One table download of an entry: `ext` is "csv" or "json"."""
    return f"{entry_downloads(column, slug)}{key}.{ext}"


def page_page(slug: str) -> str:
    """The output path of a static page (公开指南, 关于本站 …)."""
    return f"pages/{slug}.html"


def column_page(column: str) -> str:
    """The first page of a column's list (Pelican's pagination adds index2.html …)."""
    return f"{column}/index.html"


def column_feed(column: str) -> str:
    """A column's Atom feed."""
    return f"feeds/{column}.atom.xml"


def catalog_page(column: str | None, year: int | None) -> str:
    """The page listing the published entries of a column and/or a year (None: all)."""
    if column and year:
        return f"catalog/{column}/{year}/index.html"
    if column:
        return column_page(column)
    if year:
        return f"catalog/{year}/index.html"
    return "catalog/index.html"


def catalog_download(ext: str) -> str:
    """The whole catalog as a download, `ext` "csv" or "json"."""
    return f"catalog/catalog.{ext}"


def column_download(column: str, key: str, ext: str) -> str:
    """A table download of a whole column (the 三公 cross tables), `ext` "csv" or "json"."""
    return f"{column}/{key}.{ext}"


def sangong_year_page(year: int, order: str) -> str:
    """The 三公 cross-department tables of a year, `order` "department" or "total"."""
    return f"sangong/{year}{_SANGONG_ORDER[order]}.html"


def land_places_page() -> str:
    """The 征地 notices by 乡镇 and year."""
    return f"land/{_LAND_PLACES}.html"


def page_name(path: str) -> str:
    """Pelican's `page_name` of a generated page: its path without ".html"."""
    return path.removesuffix(".html")


def reserved_slug(column: str, slug: str) -> bool:
    """True when an entry called `slug` would take the place of a page the build generates."""
    patterns = COLUMN_GENERATED + GENERATED_BY_COLUMN.get(column, ())
    return any(re.fullmatch(p, slug, re.IGNORECASE) for p in patterns)
