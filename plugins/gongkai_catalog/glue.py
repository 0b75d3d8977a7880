"""Column pages, the catalog (HTML, CSV, JSON), an Atom feed per column and sitemap.xml.

Everything here is made from the generator's article list, which holds only what the
gate let through (withdrawn notices are moved out of every list first).
"""

from __future__ import annotations

import html
import logging
import os
from datetime import datetime, time
from pathlib import Path

from feedgenerator import Atom1Feed
from pelican import signals

from gongkai_build.build import current
from gongkai_core import catalog, normative, site_elements, tree, urls, xmlsafe
from gongkai_core.clock import SITE_TZ


log = logging.getLogger("gongkai.catalog")


def withhold_notices_from_lists(generator) -> None:
    """Withdrawn-notice pages are written, but listed nowhere."""
    notices = [
        a for a in generator.articles if getattr(a, "verdict", None) and a.verdict.state == "withdrawn"
    ]
    if notices:
        generator.articles = [a for a in generator.articles if a not in notices]
        generator.hidden_articles = list(generator.hidden_articles) + notices


# Pelican's per-category, per-author and per-tag pages: the method that writes them, by the setting
# that names their file. Before asking the writer, each of them gathers the articles of its page
# out of all dates (about a second of a 10k build); with the name "" the writer writes nothing.
UNWRITTEN_LISTS = {
    "CATEGORY_SAVE_AS": "generate_categories",
    "AUTHOR_SAVE_AS": "generate_authors",
    "TAG_SAVE_AS": "generate_tags",
}


def skip_unwritten_lists(generator) -> None:
    """Pelican's own lists are off (the settings name no file for them): not even gathered."""
    for setting, method in UNWRITTEN_LISTS.items():
        if generator.settings.get(setting) == "" and callable(getattr(generator, method, None)):
            setattr(generator, method, lambda write: None)


def find_config_problems(settings) -> list:
    """The structure folder's files (tree.yaml, standard/*.yaml), every problem with its file:line;
    the site-level elements."""
    static = Path(str(settings.get("THEME") or "theme")) / "static"
    return tree.load(settings)[1] + site_elements.problems(settings.get(site_elements.SETTING), static)


def share_tree(generator) -> None:
    """Every template sees the column tree as `gk_tree` (navigation, breadcrumbs): configuration
    read from the structure folder, which the page keys hash (gongkai_build.pagekeys)."""
    if "gk_tree" not in generator.context:
        generator.context["gk_tree"] = tree.from_settings(generator.settings)


def _ordered(articles):
    return sorted(articles, key=lambda a: (a.entry.date_published, a.entry.index_no), reverse=True)


def catalog_filter(
    columns: dict,
    years: list[int],
    column: str | None,
    year: int | None,
    present: set[tuple[str, int]] | None = None,
) -> dict:
    """`gk_filter` of the theme's filter-links component: [label, url, current] per choice (the columns in
    the order of the column tree: pass them ordered).
    With `present` (the (column, year) pairs that have entries) only choices that lead to entries
    are offered, with the current choice kept: no link ends on "共 0 条"."""

    def has(key: str | None, y: int | None) -> bool:
        if present is None or key is None:
            return True
        return any(k == key and (y is None or y == yy) for k, yy in present)

    return {
        "columns": [("全部栏目", urls.catalog_page(None, year), column is None)]
        + [
            (name, urls.catalog_page(key, year), key == column)
            for key, name in columns.items()
            if key == column or has(key, year)
        ],
        "years": [("全部年份", urls.catalog_page(column, None), year is None)]
        + [(f"{y}年", urls.catalog_page(column, y), y == year) for y in years if y == year or has(column, y)],
    }


def write_lists(generator, writer) -> None:
    settings = generator.settings
    structure = generator.context.get("gk_tree") or tree.from_settings(settings)
    columns = {key: settings["GONGKAI_COLUMNS"][key] for key in structure.column_order}
    articles = _ordered([a for a in generator.articles if hasattr(a, "entry")])
    context = generator.context
    context["gk_columns"] = columns
    # one pass over the ordered list: each list below keeps that order
    by_column: dict = {key: [] for key in columns}
    by_year: dict[int, list] = {}
    by_column_year: dict[tuple[str, int], list] = {}
    for a in articles:
        column, year = a.entry.column, a.entry.date_published.year
        if column in by_column:
            by_column[column].append(a)
        by_year.setdefault(year, []).append(a)
        by_column_year.setdefault((column, year), []).append(a)
    context["gk_by_column"] = by_column
    years = sorted(by_year, reverse=True)
    for key, name in columns.items():
        items = by_column[key]
        path = urls.column_page(key)
        writer.write_file(
            path,
            generator.get_template("column"),
            context,
            relative_urls=settings["RELATIVE_URLS"],
            paginated={"articles": items, "dates": items},
            template_name="column",
            url=path,
            column_key=key,
            column_name=name,
            page_name=urls.page_name(path),
            gk_filter=catalog_filter(columns, years, key, None, set(by_column_year)),
        )
    # The catalog, and the catalog of each year and of each column in each year: filtering by
    # column and year are links to these pages, so it works without JS.
    for key, year in [(None, None)] + [(k, y) for k in (None, *columns) for y in years]:
        if key is None:
            items = articles if year is None else by_year[year]
        else:
            items = by_column[key] if year is None else by_column_year.get((key, year), [])
        path = urls.catalog_page(key, year)
        extra = {"column_key": key, "column_name": columns[key]} if key else {}
        writer.write_file(
            path,
            generator.get_template("catalog"),
            context,
            relative_urls=settings["RELATIVE_URLS"],
            paginated={"articles": items, "dates": items},
            template_name="catalog",
            url=path,
            page_name=urls.page_name(path),
            gk_filter=catalog_filter(columns, years, key, year, set(by_column_year)),
            gk_year=year,
            **extra,
        )
    _write_structure(generator, writer, structure, by_column)
    out = Path(settings["OUTPUT_PATH"])
    rows = [catalog.row(a.entry, a.url, columns) for a in articles]
    catalog.write_csv(out / urls.catalog_download("csv"), rows)
    catalog.write_json(out / urls.catalog_download("json"), rows, settings.get("SITENAME", ""))
    _write_feeds(settings, out, by_column)


def write_normative_library(generator, writer) -> None:
    """The 规范性文件库 (gongkai_core.normative): a page per 有效性, paginated like the catalog, and the
    现行有效 list as CSV and JSON. Made from the published entries only (the generator's list)."""
    from gongkai_core.audit import config_from_settings

    settings = generator.settings
    state = current()
    columns = config_from_settings(settings.get("GONGKAI_AUDIT"), settings.get("ISSUER")).normative_columns
    entries = [
        a.entry
        for a in generator.articles
        if hasattr(a, "entry") and getattr(a, "verdict", None) is not None and a.verdict.published
    ]
    rows = normative.rows(entries, state.site.links, columns)
    for page in normative.pages(rows, state.build_date):
        writer.write_file(
            page.name,
            generator.get_template("normative"),
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            paginated={"articles": list(page.rows)},
            template_name="catalog",  # paginated as the catalog is (PAGINATED_TEMPLATES)
            url=page.name,
            page_name=urls.page_name(page.name),
            gk_library=page,
        )
    out = Path(settings["OUTPUT_PATH"])
    current_rows = [r for r in rows if r.validity == "current"]
    catalog.write_if_changed(out / urls.normative_download("csv"), normative.csv_bytes(current_rows))
    catalog.write_if_changed(
        out / urls.normative_download("json"),
        normative.json_bytes(current_rows, settings.get("SITENAME", ""), state.build_date),
    )


def _write_structure(generator, writer, structure: tree.Structure, by_column: dict) -> None:
    """The page of each section of the tree, the standard catalogues and the HTML sitemap."""
    settings = generator.settings
    # per column: how many entries it shows and its last update (newest first in by_column)
    counts = {
        key: (len(items), max((a.entry.last_updated for a in items), default=None))
        for key, items in by_column.items()
    }
    pages = [(urls.SITEMAP_PAGE, "sitemap", {})]
    pages += [(urls.section_page(n.key), "section", {"gk_node": n}) for n in structure.sections]
    if structure.areas or structure.node("standard", "standard"):
        pages.append((urls.standard_page(None), "standard", {}))
    pages += [(urls.standard_page(a.key), "standard_area", {"gk_area": a}) for a in structure.areas]
    for path, template, extra in pages:
        writer.write_file(
            path,
            generator.get_template(template),
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            template_name=template,
            url=path,
            page_name=urls.page_name(path),
            gk_counts=counts,
            gk_areas=tree.areas(),
            **extra,
        )


class _Feed(Atom1Feed):
    """An empty feed is dated by the build date, not by the clock: output stays deterministic."""

    build_date = None

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return datetime.combine(self.build_date, time(0, 0), tzinfo=SITE_TZ)


def _write_feeds(settings, out: Path, by_column) -> None:
    """Links are percent-encoded URLs (xmlsafe: an entry's file name may hold `&`, `#`, `%`, Chinese),
    text loses what XML cannot carry; feedgenerator XML-escapes both. The summary, plain text, is
    HTML-escaped first: Atom's <summary type="html"> is read as HTML."""
    site_url = xmlsafe.site_url(settings.get("SITEURL", ""))
    text = xmlsafe.xml_chars
    site_id = settings.get("GONGKAI_SITE_ID", "gongkai")
    for key, name in settings["GONGKAI_COLUMNS"].items():
        feed = _Feed(
            title=text(f"{settings.get('SITENAME', '')} · {name}"),
            link=xmlsafe.absolute(site_url, urls.column_page(key)),
            feed_url=xmlsafe.absolute(site_url, urls.column_feed(key)),
            description=text(f"{name}栏目最新信息"),
            language="zh-CN",
        )
        feed.build_date = current().build_date
        for article in by_column[key][:50]:
            entry = article.entry
            feed.add_item(
                title=text(entry.title),
                link=xmlsafe.absolute(site_url, article.url),
                unique_id=text(f"tag:{site_id},{entry.date_published}:{entry.index_no}"),
                description=html.escape(text(entry.summary or ""), quote=False),  # <summary type="html">
                pubdate=article.date,
                updateddate=getattr(article, "modified", None) or article.date,
                author_name=text(entry.publisher),
            )
        target = out / urls.column_feed(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8") as fh:
            feed.write(fh, "utf-8")


def write_sitemap(pelican) -> None:
    settings = pelican.settings
    state = current()
    state.pages_written()  # every page in `written`, those rendered aside too
    if not state.read or state.preview:
        return
    out = Path(settings["OUTPUT_PATH"])
    site_url = settings.get("SITEURL", "").rstrip("/")
    # Every HTML page this build wrote (column pages, tables by year, places…), entries with
    # their last update; withdrawn notices are not listed.
    dated = {state.entry_url(e): e.last_updated for e in state.shown_entries()}
    notices = {state.entry_url(e) for e in state.site.withdrawn()}
    notices.add(urls.NOT_FOUND_PAGE)  # the 404 page is no page of the site
    listed = [(rel, dated.get(rel)) for rel in state.written if rel.endswith(".html") and rel not in notices]
    catalog.write_sitemap(out / urls.SITEMAP, site_url, listed, out)


def remember_written(path, context) -> None:
    """Pelican announces every file its writer wrote; the sitemap lists those pages."""
    state = current()
    out = (context or {}).get("OUTPUT_PATH")
    if out is not None:
        # Pelican's writer names files by absolute path under the output folder: a prefix, not
        # two Path.resolve() per page; anything else is resolved as before
        prefix = os.path.join(os.path.abspath(out), "")
        full = os.path.abspath(path)
        if os.sep == "/" and full.startswith(prefix):
            state.written.add(full[len(prefix) :])
        else:
            state.written.add(Path(path).resolve().relative_to(Path(out).resolve()).as_posix())


def register() -> None:
    signals.generator_init.connect(share_tree)
    signals.article_generator_pretaxonomy.connect(withhold_notices_from_lists)
    signals.article_generator_pretaxonomy.connect(skip_unwritten_lists)
    signals.article_writer_finalized.connect(write_lists)
    signals.article_writer_finalized.connect(write_normative_library)
    signals.content_written.connect(remember_written)
    signals.finalized.connect(write_sitemap)
