"""The allow-list of a build's output: every file the build may write, known before it writes.

A build's output is made of (1) the pages of the entries and static pages the gate lets through,
(2) the files those entries declare (attachments, files linked from their bodies), (3) the theme's
static files and (4) what the build generates itself: column lists, the catalog, feeds, table
downloads, the search index. (1)–(3) are named exactly; (4) by the patterns of the generated
names, each tied to its owner and to shown entries or configured columns, and never able to
hold a file copied from content/. `check_tree` walks a finished tree and reports everything not
on the plan — any other file, a symbolic link, anything but files and folders — so a build that
would ship something no published entry declared fails before its output is swapped in.
No Pelican here: the glue (gongkai_gate.plan) fills the plan from the gate's verdicts.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import columns as data_columns
from . import urls


@dataclass
class OutputPlan:
    exact: dict[str, str] = field(default_factory=dict)  # path -> what it is (Chinese)
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    # folder ("budget/x/") -> patterns of the names directly in it: one per shown data entry, looked up
    # by the file's folder instead of tried one after another for every file (10k entries: 2,400 of them)
    in_folder: dict[str, list[tuple[re.Pattern, str]]] = field(default_factory=dict)
    # the patterns as one alternation (made when first needed)
    _any: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)

    def allow(self, path: str, what: str) -> None:
        self.exact[path] = what

    def allow_pattern(self, regex: str, what: str) -> None:
        self.patterns.append((re.compile(regex), what))
        self._any = None

    def allow_in_folder(self, folder: str, name_regex: str, what: str) -> None:
        """Names matching `name_regex` (no "/") directly in `folder` (ending in "/")."""
        self.in_folder.setdefault(folder, []).append((re.compile(name_regex), what))

    def allows(self, path: str) -> bool:
        if path in self.exact:
            return True
        folder, _, name = path.rpartition("/")
        local = self.in_folder.get(folder + "/") if folder else None
        if local and any(p.fullmatch(name) for p, _ in local):
            return True
        if self._any is None:
            # one alternation fully matches a path exactly when one of its patterns does: tried in
            # the regular-expression engine instead of one after another in Python (51,000 files)
            self._any = re.compile("|".join(f"(?:{p.pattern})" for p, _ in self.patterns) or "(?!)")
        return self._any.fullmatch(path) is not None


def column_patterns(plan: OutputPlan, columns: list[str]) -> None:
    """The names generated per configured column: its list pages, feed, column tables, catalog pages."""
    for column in columns:
        col = re.escape(column)
        plan.allow_pattern(rf"{col}/(?:{'|'.join(urls.COLUMN_GENERATED)})\.html", f"“{column}”栏目列表")
        plan.allow(urls.column_feed(column), f"“{column}”栏目订阅")
        for pattern in data_columns.generated_patterns(column):
            plan.allow_pattern(rf"{col}/(?:{pattern})\.(?:html|csv|json)", f"“{column}”栏目汇总表")
        plan.allow_pattern(rf"catalog/{col}/\d{{4}}/index\d*\.html", "信息公开目录")
    plan.allow_pattern(r"catalog/(?:\d{4}/)?index\d*\.html", "信息公开目录")
    plan.allow(urls.catalog_download("csv"), "信息公开目录（CSV）")
    plan.allow(urls.catalog_download("json"), "信息公开目录（JSON）")
    for name, what in (
        (urls.HOME_PAGE, "首页"),
        (urls.SEARCH_PAGE, "搜索页"),
        (urls.NOT_FOUND_PAGE, "页面未找到（404）"),
        (urls.SITEMAP, "网站地图"),
    ):
        plan.allow(name, what)
    plan.allow_pattern(re.escape(urls.SEARCH_INDEX) + r"/[A-Za-z0-9_./-]+\.(?:js|json)", "搜索索引")


def normative_outputs(plan: OutputPlan) -> None:
    """The 规范性文件库 (gongkai_core.normative): a page per 有效性 and its pagination, the 现行有效 downloads."""
    pages = "|".join(urls.NORMATIVE_PAGES)
    plan.allow_pattern(rf"{re.escape(urls.NORMATIVE_FOLDER)}/(?:{pages})\d*\.html", "规范性文件库")
    plan.allow(urls.normative_download("csv"), "规范性文件库（现行有效，CSV）")
    plan.allow(urls.normative_download("json"), "规范性文件库（现行有效，JSON）")


def structure_outputs(plan: OutputPlan, structure) -> None:
    """The pages of the site's shape (gongkai_core.tree.Structure): the HTML sitemap, each section's
    page, the standard catalogues' index and one page per area that has a catalogue file."""
    plan.allow(urls.SITEMAP_PAGE, "网站地图")
    for node in structure.sections:
        plan.allow(urls.section_page(node.key), f"栏目分组“{node.title}”")
    if structure.areas or structure.node("standard", "standard"):
        plan.allow(urls.standard_page(None), "基层政务公开标准目录")
    for area in structure.areas:
        plan.allow(urls.standard_page(area.key), f"{area.name}领域标准目录")


def entry_outputs(plan: OutputPlan, column: str, slug: str, files: list[str], tables: bool) -> None:
    """An entry the build shows: its page, its table downloads, the files it declares."""
    plan.allow(urls.entry_page(column, slug), f"条目网页 {column}/{slug}")
    if tables:
        plan.allow_in_folder(
            urls.entry_downloads(column, slug),
            r"[A-Za-z0-9_-]+\.(?:csv|json)",
            f"条目 {column}/{slug} 的表格下载",
        )
    for file in files:
        plan.allow(file, f"条目 {column}/{slug} 的附件")


def static_outputs(plan: OutputPlan, source: Path, target: str, content: Path | None = None) -> None:
    """Every regular file under the theme's `source` folder, copied to `target`/ (no links followed);
    nothing of the content folder, wherever the settings point."""
    if not source.is_dir():
        return
    if content is not None:
        inside, around = source.resolve(), content.resolve()
        if inside.is_relative_to(around) or around.is_relative_to(inside):
            return
    for folder, dirs, names in os.walk(source):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                plan.allow(f"{target}/{path.relative_to(source).as_posix()}", "网站样式和脚本")


def check_tree(
    root: Path, plan: OutputPlan, limit: int = 20, stats: dict[str, tuple[int, int, int]] | None = None
) -> list[str]:
    """Everything under `root` that is not on `plan` (posix paths relative to root, with why), folder
    by folder as os.walk goes top-down, names sorted. `stats`, when given, receives (inode, size,
    mtime_ns) of every regular file (the build's record takes them: no second walk of the tree)."""
    found: list[str] = []
    folders = [(os.fspath(root), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
        inner = []
        files = []
        for item in items:
            try:
                is_dir = item.is_dir()  # (a link to a folder counts as a folder here, as os.walk has it)
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(item)
            elif item.is_symlink():
                found.append(f"{prefix}{item.name}（符号链接）")
            else:
                inner.append((item.path, f"{prefix}{item.name}/"))
        for item in files:
            rel = prefix + item.name
            st = item.stat(follow_symlinks=False)
            mode = st.st_mode
            if stat.S_ISLNK(mode):
                found.append(f"{rel}（符号链接）")
            elif not stat.S_ISREG(mode):
                found.append(f"{rel}（不是普通文件）")
            elif not plan.allows(rel):
                found.append(f"{rel}（没有任何已公开的条目或生成步骤声明它）")
            elif stats is not None:
                stats[rel] = (st.st_ino, st.st_size, st.st_mtime_ns)
            if len(found) >= limit:
                found.append("……")
                return found
        folders.extend(reversed(inner))  # the first folder is walked next, depth first
    return found
