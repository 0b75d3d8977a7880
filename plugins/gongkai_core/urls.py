"""Where things live on the public site: entry and page addresses, and the names the build
generates itself, so that an entry can never take a generated page's place (and the output
allow-list knows every name in advance). Every address of the build is made here: the glue,
the sitemap, search, audit and the output plan call these functions, never format one by hand.
Pelican's ARTICLE_URL/ARTICLE_SAVE_AS/PAGE_URL/PAGE_SAVE_AS are pinned to `entry_page` and
`page_page` by the settings check (gongkai_gate.glue.URL_SETTINGS). No Pelican here.
"""

from __future__ import annotations

# Pages the build generates in a column's folder (patterns of the name without ".html"):
# the column list and its pagination everywhere (Pelican names page 2 "index2.html"). What a data
# column generates beside them (its GENERATED patterns, names made with `generated_page` and
# `column_download`) is declared by its module (gongkai_core.columns.generated_patterns).
COLUMN_GENERATED = (r"index\d*",)


HOME_PAGE = "index.html"  # Pelican's index template
SEARCH_PAGE = "search.html"  # a direct template (the search box posts to it)
NOT_FOUND_PAGE = "404.html"  # a direct template: the page a web server shows for a missing address
FAVICON = "favicon.svg"  # in the theme's static folder (THEME_STATIC_DIR)
SITEMAP = "sitemap.xml"
SITEMAP_PAGE = "sitemap.html"  # the HTML sitemap: the column tree (gongkai_core.tree)
SEARCH_INDEX = "search"  # the folder of the search index and its scripts (gongkai_search)


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


def application_form_download() -> str:
    """The 政府信息公开申请表 as a Word file (gongkai_core.application_form), written when a shown
    static page offers it (`shows: requests` or `shows: request_form`)."""
    return "pages/application-form.docx"


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


def generated_page(column: str, name: str) -> str:
    """A page a column module generates in its folder (`name` without ".html", matching one of the
    module's GENERATED patterns), e.g. the 三公 tables of a year or the 征地 places index."""
    return f"{column}/{name}.html"


def page_name(path: str) -> str:
    """Pelican's `page_name` of a generated page: its path without ".html"."""
    return path.removesuffix(".html")


NORMATIVE_FOLDER = "catalog/normative"  # the 规范性文件库 (gongkai_core.normative)
NORMATIVE_PAGES = ("index", "current", "expired", "repealed")  # all, then one per 有效性


def normative_page(validity: str | None) -> str:
    """A page of the 规范性文件库: all documents (None), or those of one 有效性 (current 现行有效 …)."""
    return f"{NORMATIVE_FOLDER}/{validity or 'index'}.html"


def normative_download(ext: str) -> str:
    """The 现行有效 规范性文件 as a download, `ext` "csv" or "json"."""
    return f"{NORMATIVE_FOLDER}/current.{ext}"


def section_page(key: str) -> str:
    """The page of a section of the column tree (法定主动公开内容 …): its columns."""
    return f"sections/{key}.html"


def standard_page(area: str | None) -> str:
    """The standard catalogue of one 基层 area, or (None) the index of the 26 areas."""
    return f"standard/{area}.html" if area else "standard/index.html"
