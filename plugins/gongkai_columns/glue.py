"""Pelican glue of the data columns: parse, link, write. The rules are in gongkai_core."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pelican import signals

from gongkai_build.build import current
from gongkai_build.jobs import can_fork
from gongkai_build.outfiles import write_if_changed
from gongkai_core import budget, charts, land, sangong, urls
from gongkai_core.datatable import DataTable, to_csv, to_json
from gongkai_core.config import merge_and_check
from gongkai_core.errors import ConfigProblem
from gongkai_core.values import fmt_decimal, fmt_money, fmt_rate

from .settings import DEFAULTS

MODULES: dict[str, Any] = {"budget": budget, "sangong": sangong, "land": land}
CONTEXT_KEY = "gk_data_columns"


@dataclass(frozen=True)
class Download:
    table: DataTable
    csv: str  # output-relative URL
    json: str


def gk_num(value: object) -> str:
    """A Decimal with thousands separators and its own number of decimals; other values as text."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return fmt_decimal(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return "" if value is None else str(value)


def gk_paragraphs(text: str | None) -> Markup:
    """Plain editor text as escaped paragraphs: a blank line starts a paragraph; a single line
    break is joined without a space (Chinese has none between words)."""
    if not text:
        return Markup("")
    parts = [" ".join(p.split()) if p.isascii() else "".join(line.strip() for line in p.split("\n"))
             for p in text.strip().split("\n\n")]
    return Markup("\n").join(Markup("<p>{}</p>").format(escape(p)) for p in parts if p)


def find_config_problems(settings: dict) -> list[ConfigProblem]:
    found = []
    width = settings["GONGKAI_COLUMNS_CHART_WIDTH"]
    if not isinstance(width, int) or width < 320:
        found.append(ConfigProblem("GONGKAI_COLUMNS_CHART_WIDTH", width, "应为不小于 320 的整数（像素）"))
    size = settings["GONGKAI_COLUMNS_OUTLINE_SIZE"]
    if not (isinstance(size, (tuple, list)) and len(size) == 2 and all(isinstance(n, int) and n >= 100 for n in size)):
        found.append(ConfigProblem("GONGKAI_COLUMNS_OUTLINE_SIZE", size, "应为两个不小于 100 的整数：(宽, 高)"))
    if not isinstance(settings["GONGKAI_COLUMNS_CSV_BOM"], bool):
        found.append(ConfigProblem("GONGKAI_COLUMNS_CSV_BOM", settings["GONGKAI_COLUMNS_CSV_BOM"], "应为 True 或 False"))
    least = settings["GONGKAI_COLUMNS_PARALLEL_MIN_TABLES"]
    if not isinstance(least, int) or isinstance(least, bool) or least < 1:
        found.append(ConfigProblem("GONGKAI_COLUMNS_PARALLEL_MIN_TABLES", least, "应为正整数（表格数）"))
    unknown = sorted(k for k in settings if k.startswith("GONGKAI_COLUMNS_") and k not in DEFAULTS)
    found += [ConfigProblem(k, settings[k], "未知配置项，是否拼写错误？") for k in unknown]
    return found


def initialize(pelican) -> None:
    settings = pelican.settings
    merge_and_check(settings, DEFAULTS, find_config_problems)
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters.update(gk_num=gk_num, gk_money=fmt_money, gk_rate=fmt_rate, gk_paragraphs=gk_paragraphs)
    settings["JINJA_FILTERS"] = filters


def _downloads(column: str, slug: str, tables: list[DataTable]) -> list[Download]:
    return [Download(t, urls.entry_download(column, slug, t.key, "csv"),
                     urls.entry_download(column, slug, t.key, "json")) for t in tables]


def prepare(generator) -> None:
    """Parse each shown data entry once and attach what its page needs as `article.gk_*`."""
    settings = generator.settings
    shown = [a for a in generator.articles if getattr(a, "entry", None) is not None and a.entry.column in MODULES]
    shown.sort(key=lambda a: a.entry.path)
    by_column: dict[str, list] = {key: [] for key in MODULES}
    # reading (gongkai_core.site.load_site) parsed every valid data entry already: its model is reused
    state = current()
    parsed = state.site.parsed if state.read else {}
    for article in shown:
        model = parsed.get(article.entry.path)
        if model is None:
            model = MODULES[article.entry.column].parse(article.entry.data, article.entry.path)
        article.gk_model = model
        article.gk_downloads = _downloads(article.entry.column, article.slug, article.gk_model.data_tables())
        by_column[article.entry.column].append(article)

    budgets = by_column["budget"]
    by_key: dict[tuple, object] = {}  # (department, year, kind) -> the first such article, as a scan finds it
    for article in budgets:
        by_key.setdefault(article.gk_model.key, article)
    for article in budgets:
        model = article.gk_model
        article.gk_chart = charts.bar_chart([(f"{r.code} {r.name}", r.values[0]) for r in model.functional.rows],
                                            width=settings["GONGKAI_COLUMNS_CHART_WIDTH"])
        article.gk_previous = by_key.get(budget.previous_key(model))  # budget.previous_year, by dictionary
        previous = article.gk_previous.gk_model if article.gk_previous is not None else None
        article.gk_compare = budget.compare(model, previous) if previous is not None else []
        # 决算 are also compared with the same year's 年初预算 when it is published
        wanted = budget.planned_key(model)
        planned = by_key.get(wanted) if wanted is not None else None
        article.gk_planned = planned
        article.gk_compare_planned = budget.compare(model, planned.gk_model) if planned is not None else []

    cross = []
    for year, kind in sorted({(a.gk_model.fiscal_year, a.gk_model.kind) for a in by_column["sangong"]}, reverse=True):
        rows = sangong.cross_table([a.gk_model for a in by_column["sangong"]], year, kind)
        table = sangong.cross_data_table(rows, year, kind)
        links = {a.gk_model.department: a for a in by_column["sangong"]
                 if (a.gk_model.fiscal_year, a.gk_model.kind) == (year, kind)}
        cross.append({"year": year, "kind": kind, "rows": rows, "table": table, "links": links,
                      "download": Download(table, urls.column_download("sangong", table.key, "csv"),
                                           urls.column_download("sangong", table.key, "json"))})
    for article in by_column["sangong"]:
        article.gk_year_url = urls.sangong_year_page(article.gk_model.fiscal_year, "department")

    width, height = settings["GONGKAI_COLUMNS_OUTLINE_SIZE"]
    items = [(a.entry.path, a.gk_model, a) for a in by_column["land"]]
    for notices in land.batches(items).values():
        timeline = [a for _, _, a in notices]
        for article in timeline:
            article.gk_batch = timeline
    for article in by_column["land"]:
        article.gk_outline = land.outline_svg_path(article.gk_model.outline, width, height)
    places: dict[str, dict[int, list]] = {}
    for article in by_column["land"]:
        for township in article.gk_model.townships:
            places.setdefault(township, {}).setdefault(article.entry.date_published.year, []).append(article)
    places_sorted = [
        (township, [(year, sorted(arts, key=lambda a: (a.entry.date_published, a.entry.path)))
                    for year, arts in sorted(years.items(), reverse=True)])
        for township, years in sorted(places.items())
    ]
    generator.context[CONTEXT_KEY] = {"articles": by_column, "sangong_years": cross, "land_places": places_sorted}


def _write_table(out: Path, download: Download, bom: bool, previous: Path | None = None, **meta: object) -> None:
    text = to_csv(download.table)
    # unchanged tables are hard-linked from the previous output (see gongkai_build.outfiles)
    write_if_changed(out / download.csv, (("\ufeff" if bom else "") + text).encode("utf-8"),
                     previous / download.csv if previous else None)
    write_if_changed(out / download.json, to_json(download.table, **meta).encode("utf-8"),
                     previous / download.json if previous else None)


def _tables(data: dict) -> list[tuple[Download, dict[str, object]]]:
    """Every CSV/JSON download with the metadata its JSON carries: each shown data entry's tables,
    then the 三公 cross tables of each year."""
    found = [(download, {"source": article.url, "index_no": article.entry.index_no})
             for articles in data["articles"].values() for article in articles for download in article.gk_downloads]
    return found + [(t["download"], {}) for t in data["sangong_years"]]


def _write_tables(tables: list[tuple[Download, dict[str, object]]], out: Path, bom: bool,
                  previous: Path | None) -> None:
    for download, meta in tables:
        _write_table(out, download, bom, previous, **meta)


# From GONGKAI_COLUMNS_PARALLEL_MIN_TABLES tables on (~10,000 at 10k entries: 20,000 small
# files), the downloads are written by a forked process while Pelican renders the entry pages;
# `write` waits for it and fails if it failed. Below, `write` writes them itself.
JOB = "column-tables"  # the build's background job writing them (gongkai_build.jobs)


def _output_args(settings) -> tuple[Path, bool, Path | None]:
    previous = current().previous_output
    return Path(settings["OUTPUT_PATH"]), settings["GONGKAI_COLUMNS_CSV_BOM"], Path(previous) if previous else None


def start_tables(generator) -> None:
    """After `prepare`: many downloads are written beside the rest of the build, on another core."""
    settings = generator.settings
    data = generator.context.get(CONTEXT_KEY)
    jobs = current().jobs
    if data is None or JOB in jobs:
        return
    tables = _tables(data)
    if len(tables) < settings["GONGKAI_COLUMNS_PARALLEL_MIN_TABLES"] or not can_fork():
        return
    jobs.start(JOB, _write_tables, (tables, *_output_args(settings)), "生成栏目数据下载文件（CSV/JSON）失败")


def _wait_for_tables(generator) -> bool:
    """True when a forked process wrote the downloads (it is waited for); False when none did."""
    jobs = current().jobs
    if JOB not in jobs:
        return False
    jobs.wait(JOB)
    return True


def write(generator, writer) -> None:
    settings = generator.settings
    data = generator.context.get(CONTEXT_KEY)
    if data is None:
        return
    if not _wait_for_tables(generator):
        _write_tables(_tables(data), *_output_args(settings))
    relative = settings["RELATIVE_URLS"]
    years = sorted({t["year"] for t in data["sangong_years"]}, reverse=True)
    for year in years:
        tables = [t for t in data["sangong_years"] if t["year"] == year]
        for order in ("department", "total"):
            name = urls.sangong_year_page(year, order)
            shown = []
            for t in tables:
                rows = t["rows"] if order == "department" else sorted(
                    t["rows"], key=lambda r: (-r.figures.total, r.department))
                shown.append({**t, "rows": rows})
            writer.write_file(name, generator.get_template("sangong_year"), generator.context,
                              relative_urls=relative, url=name, page_name=urls.page_name(name), gk_year=year,
                              gk_years=years, gk_tables=shown, gk_order=order)
    if data["articles"]["land"]:
        name = urls.land_places_page()
        writer.write_file(name, generator.get_template("land_places"), generator.context, relative_urls=relative,
                          url=name, page_name=urls.page_name(name), gk_places=data["land_places"])


def register() -> None:
    signals.initialized.connect(initialize)
    signals.article_generator_finalized.connect(prepare)
    signals.article_generator_finalized.connect(start_tables)
    signals.article_writer_finalized.connect(write)
