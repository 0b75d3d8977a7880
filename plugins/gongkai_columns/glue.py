"""Pelican glue of the data columns: each column module of the registry (gongkai_core.columns) gives
the views of its shown entries and its generated pages; this writes them. The rules are in the core."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape
from pelican import signals

from gongkai_build.build import current
from gongkai_build.jobs import can_fork
from gongkai_build.outfiles import write_if_changed
from gongkai_build.settings import check_whole
from gongkai_core import columns, namemask, urls
from gongkai_core.columns import ColumnViews, Download, ShownEntry
from gongkai_core.datatable import to_csv, to_json
from gongkai_core.errors import ConfigProblem
from gongkai_core.values import fmt_figure, fmt_money, fmt_rate


CONTEXT_KEY = "gk_data_columns"  # column key -> its ColumnViews, for `write` and the tables job


# a Decimal with thousands separators and its own number of decimals; other values as text
gk_num = fmt_figure


def gk_paragraphs(text: str | None) -> Markup:
    """Plain editor text as escaped paragraphs: a blank line starts a paragraph; a single line
    break is joined without a space (Chinese has none between words)."""
    if not text:
        return Markup("")
    parts = [
        " ".join(p.split()) if p.isascii() else "".join(line.strip() for line in p.split("\n"))
        for p in text.strip().split("\n\n")
    ]
    return Markup("\n").join(Markup("<p>{}</p>").format(escape(p)) for p in parts if p)


def find_config_problems(settings: dict) -> list[ConfigProblem]:
    found = []
    width = settings["GONGKAI_COLUMNS_CHART_WIDTH"]
    if not isinstance(width, int) or width < 320:
        found.append(ConfigProblem("GONGKAI_COLUMNS_CHART_WIDTH", width, "应为不小于 320 的整数（像素）"))
    size = settings["GONGKAI_COLUMNS_OUTLINE_SIZE"]
    if not (
        isinstance(size, (tuple, list))
        and len(size) == 2
        and all(isinstance(n, int) and n >= 100 for n in size)
    ):
        found.append(
            ConfigProblem("GONGKAI_COLUMNS_OUTLINE_SIZE", size, "应为两个不小于 100 的整数：(宽, 高)")
        )
    if not isinstance(settings["GONGKAI_COLUMNS_CSV_BOM"], bool):
        found.append(
            ConfigProblem(
                "GONGKAI_COLUMNS_CSV_BOM", settings["GONGKAI_COLUMNS_CSV_BOM"], "应为 True 或 False"
            )
        )
    least = settings["GONGKAI_COLUMNS_PARALLEL_MIN_TABLES"]
    if not isinstance(least, int) or isinstance(least, bool) or least < 1:
        found.append(ConfigProblem("GONGKAI_COLUMNS_PARALLEL_MIN_TABLES", least, "应为正整数（表格数）"))
    mask = settings["GONGKAI_COLUMNS_LAND_NAME_MASK"]
    if not isinstance(mask, str) or mask not in dict(namemask.RULES):
        rules = "；".join(f"“{k}”{label}" for k, label in namemask.RULES)
        found.append(
            ConfigProblem(
                "GONGKAI_COLUMNS_LAND_NAME_MASK",
                mask,
                f"应为以下隐名规则之一：{rules}（网站上不显示户主全名）",
            )
        )
    return found


def initialize(pelican) -> None:
    settings = pelican.settings
    check_whole(settings)  # every plugin's settings, all problems at once (gongkai_build.settings)
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters.update(gk_num=gk_num, gk_money=fmt_money, gk_rate=fmt_rate, gk_paragraphs=gk_paragraphs)
    settings["JINJA_FILTERS"] = filters


def _parsed_models(settings) -> dict[str, object]:
    """The models reading parsed (gongkai_core.site.load_site), by entry path."""
    state = current()
    return state.site.parsed if state.read else {}


def prepare(generator) -> None:
    """Ask each data column for the views of its shown entries (`article.gk_view`) and keep them
    for `write`."""
    settings = generator.settings
    shown = sorted(
        (
            a
            for a in generator.articles
            if getattr(a, "entry", None) is not None and columns.get(a.entry.column) is not None
        ),
        key=lambda a: a.entry.path,
    )
    parsed = _parsed_models(settings)  # every valid data entry was parsed when it was read
    found: dict[str, ColumnViews] = {}
    for module in columns.modules():
        articles = [a for a in shown if a.entry.column == module.KEY]
        items = []
        for article in articles:
            model = parsed.get(article.entry.path)
            if model is None:
                model = module.parse(article.entry.data, article.entry.path)
            items.append(ShownEntry(article.entry, article.slug, article.url, model))
        views = module.views(items, settings)
        for article, view in zip(articles, views.entries):
            article.gk_view = view
        found[module.KEY] = views
    generator.context[CONTEXT_KEY] = found


def _write_table(
    out: Path, download: Download, bom: bool, previous: Path | None = None, **meta: object
) -> None:
    text = to_csv(download.table)
    # unchanged tables are hard-linked from the previous output (see gongkai_build.outfiles)
    write_if_changed(
        out / download.csv,
        (("\ufeff" if bom else "") + text).encode("utf-8"),
        previous / download.csv if previous else None,
    )
    write_if_changed(
        out / download.json,
        to_json(download.table, **meta).encode("utf-8"),
        previous / download.json if previous else None,
    )


def _tables(data: dict[str, ColumnViews]) -> list[tuple[Download, dict[str, object]]]:
    """Every CSV/JSON download with the metadata its JSON carries (columns.table_files)."""
    return columns.table_files(data.values())


def _write_tables(
    tables: list[tuple[Download, dict[str, object]]], out: Path, bom: bool, previous: Path | None
) -> None:
    for download, meta in tables:
        _write_table(out, download, bom, previous, **meta)


# From GONGKAI_COLUMNS_PARALLEL_MIN_TABLES tables on (~10,000 at 10k entries: 20,000 small
# files), the downloads are written by a forked process while Pelican renders the pages; the
# build waits for it when Pelican is done (`wait_for_tables`) and fails if it failed. Below,
# `write` writes them itself.
JOB = "column-tables"  # the build's background job writing them (gongkai_build.jobs)


def _output_args(settings) -> tuple[Path, bool, Path | None]:
    previous = current().previous_output
    return (
        Path(settings["OUTPUT_PATH"]),
        settings["GONGKAI_COLUMNS_CSV_BOM"],
        Path(previous) if previous else None,
    )


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


def wait_for_tables(pelican) -> None:
    """Pelican is done: the process writing the downloads, if one does, is waited for (its failure
    fails the build). Waiting any earlier would hold up the pages written meanwhile."""
    jobs = current().jobs
    if JOB in jobs:
        jobs.wait(JOB)


def write(generator, writer) -> None:
    settings = generator.settings
    data = generator.context.get(CONTEXT_KEY)
    if data is None:
        return
    if JOB not in current().jobs:  # no process writes them (a small site): written here
        _write_tables(_tables(data), *_output_args(settings))
    relative = settings["RELATIVE_URLS"]
    for module in columns.modules():
        for page in module.pages(data[module.KEY]):
            writer.write_file(
                page.name,
                generator.get_template(page.template),
                generator.context,
                relative_urls=relative,
                url=page.name,
                page_name=urls.page_name(page.name),
                gk_view=page.view,
            )


def register() -> None:
    signals.initialized.connect(initialize)
    signals.article_generator_finalized.connect(prepare)
    signals.article_generator_finalized.connect(start_tables)
    signals.article_writer_finalized.connect(write)
    signals.finalized.connect(wait_for_tables)
