"""Pelican glue of the publication gate. The rule itself is gongkai_core.gate.decide."""

from __future__ import annotations

import difflib
import importlib
import logging
import re
from pathlib import Path

from pelican import signals

from gongkai_build.outfiles import copy_file
from gongkai_build.build import current
from gongkai_build.readcache import stores
from gongkai_build.settings import check_whole
from gongkai_core import application_form, clock, policylinks, urls
from gongkai_core.errors import ConfigProblem, ContentError
from gongkai_core.site import load_site

from .settings import CHOICES, DEFAULTS, index_code_problems, links_config, signoff_policy

log = logging.getLogger("gongkai.gate")


def find_config_problems(settings) -> list[ConfigProblem]:
    found = []
    for key, allowed in CHOICES.items():
        if settings.get(key) not in allowed:
            found.append(ConfigProblem(key, settings.get(key), "可选值：" + "、".join(map(str, allowed))))
    columns = settings.get("GONGKAI_COLUMNS")
    if not isinstance(columns, dict) or not columns:
        found.append(ConfigProblem("GONGKAI_COLUMNS", columns, "应为 {栏目键: 中文名} 的字典"))
    if settings.get("GONGKAI_STRICT") and settings.get("GONGKAI_PREVIEW"):
        found.append(ConfigProblem("GONGKAI_PREVIEW", True, "公开发布配置（publishconf）不得开启预览"))
    found.extend(signoff_policy(settings)[1])
    found.extend(
        ConfigProblem(key, settings.get("GONGKAI_CONSULTATION_FORMS"), message)
        for key, message in policylinks.form_problems(settings.get("GONGKAI_CONSULTATION_FORMS"))
    )
    found.extend(index_code_problems(settings))
    # Files reach the site only through the gate (attachments of published entries), never copied wholesale.
    for key in ("STATIC_PATHS", "EXTRA_PATH_METADATA", "TEMPLATE_PAGES"):
        if settings.get(key):
            found.append(
                ConfigProblem(
                    key,
                    settings.get(key),
                    "必须为空：content/ 中的文件只在已公开的条目声明时"
                    "才复制到网站（附件写在条目的 attachments 中）",
                )
            )
    found.extend(unknown_settings(settings))
    theme = Path(str(settings.get("THEME") or "")).resolve()
    content = Path(str(settings.get("PATH") or "content")).resolve()
    for folder in settings.get("THEME_STATIC_PATHS") or []:
        source = (theme / str(folder)).resolve()
        if (
            not source.is_relative_to(theme)
            or source.is_relative_to(content)
            or content.is_relative_to(source)
        ):
            found.append(
                ConfigProblem(
                    "THEME_STATIC_PATHS", folder, "主题的静态文件目录必须在主题目录之内，且不能包含 content/"
                )
            )
    # Where entries and pages are written is gongkai_core.urls (the output allow-list names them so)
    for key, wanted in URL_SETTINGS.items():
        if settings.get(key, wanted) != wanted:
            found.append(
                ConfigProblem(key, settings.get(key), f"应为“{wanted}”（条目和页面的网址由 Gongkai 决定）")
            )
    if isinstance(columns, dict):
        for key in columns:
            if (
                not isinstance(key, str)
                or not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", key)
                or key in RESERVED_FOLDERS
            ):
                found.append(
                    ConfigProblem(
                        "GONGKAI_COLUMNS",
                        key,
                        "栏目键应为小写英文字母开头的字母、数字、“-”或“_”，"
                        "且不能是 " + "、".join(sorted(RESERVED_FOLDERS)),
                    )
                )
    return found


# Settings read by parts of Gongkai that are no Pelican plugin (the theme, audit, mirror).
OTHER_SETTINGS = frozenset({"GONGKAI_FOOTER", "GONGKAI_AUDIT", "GONGKAI_MIRROR_KEY", "GONGKAI_MIRROR_PUBKEY"})


def known_settings(settings) -> set[str]:
    """Every GONGKAI_* setting some part of Gongkai reads: each loaded plugin's DEFAULTS, and the others."""
    known = set(OTHER_SETTINGS) | set(DEFAULTS)
    for plugin in settings.get("PLUGINS") or []:
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name.startswith("gongkai_"):
            try:
                module = importlib.import_module(f"{name}.settings")
            except ImportError:
                continue
            known |= set(getattr(module, "DEFAULTS", {}))
    return known


def unknown_settings(settings) -> list[ConfigProblem]:
    """A misspelt setting (GONGKAI_STRIKT = True) would be silently ignored: it is an error instead."""
    known = known_settings(settings)
    found = []
    for key in sorted(
        k for k in settings if isinstance(k, str) and k.startswith("GONGKAI_") and k not in known
    ):
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = f"是否应为 {close[0]}？" if close else "可用的配置项见 docs/ 与各插件的 README"
        found.append(ConfigProblem(key, settings[key], f"未知的配置项（不会起任何作用）：{hint}"))
    return found


URL_SETTINGS = {
    "ARTICLE_URL": urls.entry_page("{category}", "{slug}"),
    "ARTICLE_SAVE_AS": urls.entry_page("{category}", "{slug}"),
    "PAGE_URL": urls.page_page("{slug}"),
    "PAGE_SAVE_AS": urls.page_page("{slug}"),
}
# Output folders of the build itself: a column of that name would share them.
RESERVED_FOLDERS = frozenset(
    {"pages", "files", "images", "extra", "catalog", "feeds", "search", "theme", "sections", "standard"}
)


def initialize(pelican) -> None:
    settings = pelican.settings
    build = current()
    check_whole(settings)  # every plugin's settings, all problems at once
    build_date = clock.build_date()
    content = Path(settings["PATH"])
    # build.only (gongkai_build.fastrebuild): a rebuild rendering only these entries (and all pages)
    site = load_site(
        content,
        build_date,
        settings["GONGKAI_COLUMNS"],
        project_root=content.parent,
        **stores(content.parent, read=settings["GONGKAI_CACHE"]),
        progress=build.progress.reader("读取条目"),
        only=build.only,
        signoff_policy=signoff_policy(settings)[0],
        links_config=links_config(settings),
        index_codes=settings.get("GONGKAI_INDEX_CODES") or None,
    )
    if site.problems:
        if settings["GONGKAI_STRICT"]:
            raise ContentError(site.problems)
        for problem in site.problems:
            log.warning("%s", problem)
        log.warning("有 %d 个问题，相关条目不会出现在网站上（invoke check 查看全部）", len(site.problems))
    templates = frozenset(
        p.stem for d in [Path(settings["THEME"]) / "templates"] if d.is_dir() for p in d.glob("*.html")
    )
    build.decided(site, build_date, bool(settings["GONGKAI_PREVIEW"]), templates)
    # the register (requests/ beside content/) gives the 依申请公开 page its counts, nothing else
    build.public_requests = application_form.public_requests(content.parent, build_date)
    # One language, one entry per address (the gate refuses two in a column): Pelican's grouping of
    # translations by slug only costs time (its last step is quadratic: ~1.5 s at 10,000 entries) and
    # would call two entries of one slug in different columns each other's translation. Its one
    # effect on the site, the order of entries of one date (by slug: it sorted them so), is kept.
    if (
        settings.get("ARTICLE_TRANSLATION_ID") == "slug"
        and settings.get("ARTICLE_ORDER_BY") == "reversed-date"
    ):
        settings["ARTICLE_TRANSLATION_ID"] = None
        settings["ARTICLE_ORDER_BY"] = newest_first
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters["gk_filesize"] = lambda file: human_size(content / file)
    settings["JINJA_FILTERS"] = filters


class _Newer:
    """A date that sorts before the dates earlier than it."""

    __slots__ = ("date",)

    def __init__(self, date) -> None:
        self.date = date

    def __eq__(self, other) -> bool:
        return self.date == other.date

    def __lt__(self, other) -> bool:
        return other.date < self.date


def newest_first(content) -> tuple:
    """ARTICLE_ORDER_BY: newest first, one date's entries by slug (what "reversed-date" after
    Pelican's grouping of translations by slug gives)."""
    return (_Newer(content.date), content.slug)


def human_size(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def copy_attachments(pelican) -> None:
    """Copy the attachments of the entries this build shows; nothing else under content/ is copied."""
    build = current()
    out = Path(pelican.settings["OUTPUT_PATH"])
    content = Path(pelican.settings["PATH"])
    for entry in build.shown_entries():
        for file in sorted({att.file for att in entry.attachments} | set(entry.linked_files)):
            copy_file(content / file, out / file, build.previous_output, out)


def write_application_form(pelican) -> None:
    """The 申请表 as a Word file, when a page the build shows offers it (its `shows`)."""
    build = current()
    if not any(application_form.offers_form(p.shows) for p in shown_pages(build)):
        return
    target = Path(pelican.settings["OUTPUT_PATH"]) / urls.application_form_download()
    target.parent.mkdir(parents=True, exist_ok=True)
    issuer = pelican.settings.get("ISSUER") or pelican.settings.get("SITENAME") or ""
    target.write_bytes(application_form.docx_bytes(issuer, build.build_date))


def shown_pages(build) -> list:
    return [p for p in build.site.pages if p.status == "published" or build.preview]


def register() -> None:
    signals.initialized.connect(initialize)
    signals.finalized.connect(copy_attachments)
    signals.finalized.connect(write_application_form)
