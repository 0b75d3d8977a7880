"""Read a whole content folder: every entry and page, every problem, every gate verdict.

This is what `invoke check` runs and what the Pelican plugins consult: one pass over the
files, no rendering.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from datetime import date
from pathlib import Path

from . import annual_report_block, attachment_text, gate, pii, policylinks, secret_mark
from . import columns as data_columns
from .entry import MARKDOWN_SUFFIXES, Entry, Page, front_digest, read_entry, read_page
from .errors import Problem
from .render import render_markdown


@dataclass
class FileResult:
    """What reading one content file gave (the read cache keeps these, see gongkai_build.readcache)."""

    kind: str  # "entry" | "page"
    shown: str
    obj: object | None  # Entry | Page | None when invalid
    problems: list = field(default_factory=list)
    html: str | None = None  # the rendered, sanitised body (None when read by check, which does not render)
    pii: list = field(default_factory=list)  # personal-data problems, applied only if published
    parsed: object | None = None  # the column module's parse() of the data block
    front: str | None = None  # a Markdown entry's entry.front_digest, taken as it was read


class ReadStore(Protocol):
    """A store of reading results by key (gongkai_build.readcache.ReadCache); the core only asks it."""

    hits: int
    keys: dict[str, str]

    def prefix(self, columns: dict[str, str], content_root: Path, others: list[Path]) -> bytes: ...
    def key(self, prefix: bytes, shown: str, data: bytes) -> str: ...
    def get(self, key: str, need_html: bool = False) -> FileResult | None: ...
    def put(self, key: str, result: FileResult, data: bytes | None = None) -> None: ...
    def save(self) -> None: ...


ENTRY_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
NOT_ENTRIES = ("pages", "files", "images", "extra")

DEFAULT_COLUMNS = {
    "policy": "政策文件",
    "budget": "预算决算",
    "sangong": "三公经费",
    "govbudget": "政府预决算",
    "land": "征地信息",
    "report": "公开年报",
    "interpretation": "政策解读",
    "consultation": "意见征集",
}


@dataclass
class Site:
    root: Path
    build_date: date
    entries: list[Entry] = field(default_factory=list)  # valid entries, any state
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    verdicts: dict[str, gate.Verdict] = field(default_factory=dict)  # by entry.path
    invalid_paths: set[str] = field(default_factory=set)
    html: dict[str, str] = field(default_factory=dict)  # rendered body by entry/page path
    cache_hits: int = 0  # files served from the read cache
    source_keys: dict[str, str] = field(default_factory=dict)  # read-cache key by path (with a cache only)
    # parsed model (budget/三公/land) of each valid data entry by path, as reading parsed it: a build reuses it
    parsed: dict[str, object] = field(default_factory=dict)
    # front-matter digest of each valid Markdown entry by path, as reading found it (the build's record)
    fronts: dict[str, str] = field(default_factory=dict)
    # 解读, 意见征集/采纳情况 and 替代/修改 links between published entries (gongkai_core.policylinks)
    links: policylinks.Links = field(default_factory=policylinks.Links)

    def published(self) -> list[Entry]:
        return [e for e in self.entries if self.verdicts[e.path].published]

    def withdrawn(self) -> list[Entry]:
        return [e for e in self.entries if self.verdicts[e.path].state == gate.WITHDRAWN]


def shown_path(path: Path, project_root: Path) -> str:
    try:
        return path.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class _ShownPaths:
    """shown_path for many files: each folder and the project root resolved once, not per file."""

    def __init__(self, project_root: Path) -> None:
        self.project_root = project_root
        self.root = str(project_root.resolve())
        self.prefix = self.root.rstrip("/") + "/"
        self.folders: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if os.sep != "/" or path.is_symlink():
            return shown_path(path, self.project_root)
        parent = self.folders.get(path.parent)
        if parent is None:
            parent = self.folders[path.parent] = str(path.parent.resolve())
        resolved = f"{parent.rstrip('/')}/{path.name}"  # what path.resolve() gives, as a string
        if resolved.startswith(self.prefix):
            return resolved[len(self.prefix) :]
        if resolved == self.root:
            return "."
        return path.as_posix()


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts  # how PosixPath orders (its parts), compared without Path.__lt__


def _scan(content_root: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(entry files, page files, every other file), sorted, hidden files skipped. A symbolic link is
    never an entry or a page (see unexpected_files): it is listed with the other files."""
    entries, pages, others = [], [], []
    for path in sorted(content_root.rglob("*"), key=_parts):
        rel = path.relative_to(content_root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            others.append(path)
            continue
        if not path.is_file():
            continue
        if path.suffix.lower() not in ENTRY_SUFFIXES:
            others.append(path)
            continue
        top = rel.parts[0] if len(rel.parts) > 1 else ""
        if top == "pages":
            pages.append(path)
        elif top not in NOT_ENTRIES:
            entries.append(path)
        else:
            others.append(path)
    return entries, pages, others


def unexpected_files(content_root: Path, others: list[Path], shown: Callable[[Path], str]) -> list[Problem]:
    """Files in content/ that Gongkai would not read: symbolic links anywhere (they may lead out of the
    repository), and outside files/ (attachments), images/ and extra/ anything but an entry or a page.
    They are problems, so that nothing is silently skipped by us yet picked up by some other tool."""
    found = []
    for path in others:
        rel = path.relative_to(content_root)
        where = shown(path.parent) + "/" + path.name
        if path.is_symlink():
            found.append(
                Problem(
                    where,
                    1,
                    "是符号链接：content/ 中不能有符号链接（可能指向仓库之外的文件），请换成真实的文件或目录",
                    "file",
                )
            )
        elif rel.parts[0] not in ATTACHMENT_DIRS or len(rel.parts) == 1:
            suffix = path.suffix or "（无扩展名）"
            found.append(
                Problem(
                    where,
                    1,
                    f"不认识的文件类型“{suffix}”：条目和页面须为 .md 或 .yaml 文件，"
                    "附件请放在 content/files/ 并在条目的 attachments 中列出",
                    "file",
                )
            )
    return found


ATTACHMENT_DIRS = ("files", "images", "extra")

# Below this many files to read, a process pool costs more than it saves.
PARALLEL_MIN_FILES = 200


def _read_one(job: tuple[str, Path, str, dict[str, str], Path, bool]) -> FileResult:
    """Everything about one file that depends on that file alone (run in worker processes).

    Without `render` (what check asks for) the body is not rendered: html stays None."""
    kind, path, shown, columns, content_root, render = job
    if kind == "page":
        page, problems = read_page(path, shown)
        if page is None:
            return FileResult(kind, shown, None, problems)
        html = render_markdown(page.body) if render else None
        found, marks = _personal_data(page, path)
        return FileResult(kind, shown, page, problems + _new_marks(problems, marks), html, found)
    entry, problems = read_entry(path, shown, columns, content_root)
    if entry is None:
        return FileResult(kind, shown, None, problems)
    parsed = entry.model  # the column module read it with the entry (None without a data block)
    html = render_markdown(entry.body) if render else None
    found, marks = _personal_data(entry, path)
    front = None
    if render and path.suffix.lower() in MARKDOWN_SUFFIXES:
        try:
            front = front_digest(path)
        except OSError:
            front = None
    return FileResult(kind, shown, entry, problems + _new_marks(problems, marks), html, found, parsed, front)


def _new_marks(problems: list[Problem], marks: list[Problem]) -> list[Problem]:
    """The 密级标志 found in a file's values that reading its text did not already report (a YAML
    escape or folding the text scan cannot undo)."""
    if not marks or any(p.key == "secrecy_level" for p in problems):
        return []
    return marks[:1]


def _read_one_pickled(job: tuple) -> bytes:
    """_read_one in a worker: the result pickled once, sent as bytes and saved as such by the cache."""
    return pickle.dumps(_read_one(job), protocol=pickle.HIGHEST_PROTOCOL)


def _gc_paused(read_all):
    """No cyclic garbage collection while reading: the results are long-lived, acyclic data that
    each collection would walk again as they pile up (at 10k files ~1.8 s of check's main process).
    Afterwards what was read goes straight to the oldest generation (freeze, then unfreeze: no
    walk), where it is collected like anything else, only not walked by every young collection.
    Workers collect as usual."""

    @functools.wraps(read_all)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return read_all(*args, **kwargs)
        finally:
            gc.freeze()
            gc.unfreeze()
            if enabled:
                gc.enable()

    return wrapper


@_gc_paused
def _read_all(
    jobs: list[tuple], cache: ReadStore | None, key_prefix: bytes, progress: Callable[[int, int], None] | None
) -> list[FileResult]:
    results: list[FileResult | None] = [None] * len(jobs)
    missing: list[tuple[int, str | None]] = []
    pickled: dict[int, bytes] = {}  # results the workers sent, as they sent them
    for i, job in enumerate(jobs):
        key = None
        if cache is not None:
            try:
                key = cache.key(key_prefix, job[2], job[1].read_bytes())
            except OSError:
                key = None  # unreadable: read_entry reports it
            # a file check read (no HTML) is read again, rendered, when rendering is asked for
            found = cache.get(key, need_html=job[5]) if key else None
            if key:
                cache.keys[job[2]] = key
            if found is not None:
                results[i] = found
                continue
        missing.append((i, key))
    done = len(jobs) - len(missing)
    if progress:
        progress(done, len(jobs))
    workers = min(os.cpu_count() or 1, 8)
    if len(missing) >= PARALLEL_MIN_FILES and workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=gc.enable) as pool:
            chunk = max(8, min(64, len(missing) // (workers * 8)))
            fresh = pool.map(_read_one_pickled, [jobs[i] for i, _ in missing], chunksize=chunk)
            for (i, key), data in zip(missing, fresh):
                results[i] = pickle.loads(data)
                if cache is not None and key is not None:
                    pickled[i] = data
                done += 1
                if progress and done % 250 == 0:
                    progress(done, len(jobs))
    else:
        for i, _ in missing:
            results[i] = _read_one(jobs[i])
            done += 1
            if progress and done % 250 == 0:
                progress(done, len(jobs))
    if cache is not None:
        for i, key in missing:
            if key is not None:
                cache.put(key, results[i], pickled.get(i))
    if progress:
        progress(len(jobs), len(jobs))
    return results  # type: ignore[return-value]


def load_site(
    content_root: Path,
    build_date: date,
    columns: dict[str, str] | None = None,
    project_root: Path | None = None,
    cache: ReadStore | None = None,
    progress: Callable[[int, int], None] | None = None,
    render: bool = True,
    only: list[str] | None = None,
    signoff_policy=None,
    text_cache: attachment_text.ContentStore | None = None,
    links_config: policylinks.LinkConfig | None = None,
    index_codes: dict[str, str] | None = None,
    check_links: bool = True,
) -> Site:
    """Read, validate and decide every file under `content_root`.

    With a `cache` (gongkai_build.readcache), files whose bytes (and everything else reading
    depends on) did not change since the last run are not read again; `text_cache` keeps the
    text scans of attachments by their bytes; many files to read are
    read by a process pool. The result is the same either way. `progress(done, total)` is
    called while files are read. Without `render` (check) bodies are not rendered to HTML:
    `site.html` stays empty and the cache keeps such files without HTML (a build that meets
    them reads them again, rendering). With `only` (content-relative paths) just those entries
    are read, and every page: a rebuild of a few changed entries (gongkai_build.fastrebuild).
    `index_codes` (GONGKAI_INDEX_CODES: 发布机构 -> 索引号 code) checks the code of every entry whose
    publisher it names."""
    columns = columns or DEFAULT_COLUMNS
    project_root = project_root or content_root.parent
    site = Site(content_root, build_date)
    shown = _ShownPaths(project_root)
    if only is None:
        entry_files, page_files, others = _scan(content_root)
        site.problems.extend(unexpected_files(content_root, others, shown))
    else:  # the named entries and every page, without walking the whole folder
        entry_files = [content_root / rel for rel in sorted(only) if (content_root / rel).is_file()]
        pages_dir = content_root / "pages"
        page_files = (
            sorted(
                (
                    p
                    for p in pages_dir.rglob("*")
                    if p.suffix.lower() in ENTRY_SUFFIXES
                    and p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(content_root).parts)
                ),
                key=_parts,
            )
            if pages_dir.is_dir()
            else []
        )
        others = []
    jobs = [("entry", path, shown(path), columns, content_root, render) for path in entry_files]
    jobs += [("page", path, shown(path), columns, content_root, render) for path in page_files]
    key_prefix = cache.prefix(columns, content_root, others) if cache is not None else b""
    results = _read_all(jobs, cache, key_prefix, progress)
    if cache is not None:
        cache.save()
        site.cache_hits = cache.hits
        site.source_keys = dict(cache.keys)
    parsed: dict[str, object] = {}
    pii_found: dict[str, list[Problem]] = {}
    for result in results:
        site.problems.extend(result.problems)
        if result.obj is None:
            site.invalid_paths.add(result.shown)
            continue
        if result.kind == "entry":
            site.entries.append(result.obj)
            pii_found[result.shown] = result.pii
            if result.parsed is not None:
                parsed[result.shown] = result.parsed
            if result.front is not None:
                site.fronts[result.shown] = result.front
        else:
            site.pages.append(result.obj)
            pii_found[result.shown] = result.pii
        if result.html is not None:
            site.html[result.shown] = result.html
    check_across(site, parsed)
    _check_index_codes(site, index_codes or {})
    for entry in site.entries:
        site.verdicts[entry.path] = gate.decide(entry, build_date)
    # Personal data counts only in what the public site shows: published entries, their attachments
    # and body-linked files, published pages. 涉密 marks count in every file (attachment_text).
    for entry in site.entries:
        if site.verdicts[entry.path].published:
            site.problems.extend(pii_found.get(entry.path, ()))
    for page in site.pages:
        if page.status == "published":
            site.problems.extend(pii_found.get(page.path, ()))
    # attachment text is kept by the files' bytes; the store is written by complete runs only
    sources = {job[2]: job[1] for job in jobs}
    site.problems.extend(
        attachment_text.site_problems(
            [(e, site.verdicts[e.path].published, sources.get(e.path)) for e in site.entries],
            content_root,
            others if only is None else [],
            shown,
            text_cache,
            keep=only is None,
        )
    )
    if signoff_policy is not None:  # sign-off rosters and strict git mode (gongkai_core.signoff, signoff_git)
        from . import signoff, signoff_git

        site.problems.extend(
            signoff.site_problems(site, signoff_policy, project_root, signoff_git.git_problems)
        )
    # An entry with any problem is never published.
    bad = {p.path for p in site.problems}
    site.invalid_paths |= bad
    site.entries = [e for e in site.entries if e.path not in bad]
    site.pages = [p for p in site.pages if p.path not in bad]
    site.parsed = {path: model for path, model in parsed.items() if path not in bad}
    if check_links:  # False: a file read alone (gongkai_core.candidate), its links checked with the site
        _check_links(site, links_config or policylinks.LinkConfig())
    site.problems.sort()
    return site


def _check_links(site: Site, config: policylinks.LinkConfig) -> None:
    """Links between entries (policylinks.resolve): an entry with a link problem is left out, and the
    links are resolved again without it, until none is left (a document left out takes its 解读 along)."""
    while True:
        found, links = policylinks.resolve(
            site.entries, lambda e: site.verdicts[e.path].published, site.build_date, config
        )
        if not found:
            site.links = links
            return
        site.problems.extend(found)
        bad = {p.path for p in found}
        site.invalid_paths |= bad
        site.entries = [e for e in site.entries if e.path not in bad]
        site.parsed = {path: model for path, model in site.parsed.items() if path not in bad}


def index_code(index_no: str) -> str:
    """The publishing body's code of a 索引号 (what comes before “/”)."""
    return index_no.partition("/")[0]


def _check_index_codes(site: Site, codes: dict[str, str]) -> None:
    """The 索引号 of a publisher named in GONGKAI_INDEX_CODES begins with that publisher's code."""
    for entry in site.entries:
        wanted = codes.get(entry.publisher)
        if wanted is not None and index_code(entry.index_no) != wanted:
            site.problems.append(
                Problem(
                    entry.path,
                    entry.line_of("index_no"),
                    f"索引号“{entry.index_no}”的代码应为发布机构“{entry.publisher}”的代码“{wanted}”"
                    f"（见 GONGKAI_INDEX_CODES），如 {wanted}/{entry.date_published.year}-00001",
                    "index_no",
                )
            )


def check_across(site: Site, parsed: dict[str, object]) -> None:
    """The rules across entries, into `site.problems`: unique 索引号 and names, one 年度报告 per year
    and level, each data column's rules across its entries (`parsed`: the models read, by path).
    load_site runs them after reading; gongkai_core.candidate with one entry replaced."""
    _check_unique(site)
    _check_reports(site)
    _check_sets(site, parsed)


def _check_unique(site: Site) -> None:
    """索引号 are compared as a reader sees them: NFKC (full-width ＳＬ２０２５ is SL2025), case folded,
    invisible characters and spaces dropped, every dash one "-" and every slash one "/", the serial
    number after the last "-" without leading zeros."""
    import unicodedata

    ignorable = {
        0x034F,
        0x115F,
        0x1160,
        0x3164,
        0xFFA0,
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    }

    def hidden(ch: str) -> bool:
        return unicodedata.category(ch)[0] in "CZ" or ord(ch) in ignorable or ch.isspace()

    def same(index_no: str) -> str:
        text = unicodedata.normalize("NFKC", index_no).casefold()
        text = "".join(
            "-"
            if unicodedata.category(ch) == "Pd"
            else "/"
            if ch in "/∕⁄⧸"
            else str(unicodedata.decimal(ch))
            if unicodedata.category(ch) == "Nd"
            else ch
            for ch in text
            if not hidden(ch)
        )
        return serial(text)

    def serial(text: str) -> str:  # 2025-12 is 2025-00012: the serial number without leading zeros
        head, dash, number = text.rpartition("-")
        return f"{head}-{number.lstrip('0') or '0'}" if dash and number.isdigit() else text

    def shown(index_no: str) -> str:
        return "".join(f"U+{ord(ch):04X}" if hidden(ch) and ch != " " else ch for ch in index_no)

    seen: dict[str, Entry] = {}
    slugs: dict[tuple[str, str], Entry] = {}
    for entry in site.entries:
        raw = entry.index_no
        # the usual case, printable ASCII without spaces: what same() gives, for a fraction of its cost
        norm = serial(raw.lower()) if raw.isascii() and raw.isprintable() and " " not in raw else same(raw)
        first = seen.get(norm)
        if first is not None:
            alike = (
                ""
                if first.index_no == entry.index_no
                else "（忽略全角半角、大小写、不可见字符和序号前的 0 后相同）"
            )
            site.problems.append(
                Problem(
                    entry.path,
                    entry.line_of("index_no"),
                    f"索引号“{shown(entry.index_no)}”与 {first.path}:{first.line_of('index_no')} "
                    + (f"的“{shown(first.index_no)}”" if alike else "")
                    + f"重复{alike}，索引号在全站必须唯一",
                    "index_no",
                )
            )
            site.problems.append(
                Problem(
                    first.path,
                    first.line_of("index_no"),
                    f"索引号“{shown(first.index_no)}”与 {entry.path}:{entry.line_of('index_no')} "
                    + (f"的“{shown(entry.index_no)}”" if alike else "")
                    + f"重复{alike}，索引号在全站必须唯一",
                    "index_no",
                )
            )
        else:
            seen[norm] = entry
        key = (entry.column, entry.slug)
        if key in slugs:
            site.problems.append(
                Problem(
                    entry.path,
                    1,
                    f"文件名与 {slugs[key].path} 相同，同一栏目下会生成同一网址，请改文件名",
                    "slug",
                )
            )
        else:
            slugs[key] = entry


def report_id(entry: Entry) -> annual_report_block.ReportId | None:
    """The year and level of a 年度报告 entry: from its `annual_report:` block, else (in the report
    column) the year its title names; None for any other entry and for a withdrawn report."""
    if entry.review.status == "withdrawn":
        return None
    block = entry.report
    if isinstance(block, annual_report_block.ReportBlock):
        line = block.lines.get("year", entry.line_of("annual_report"))
        return annual_report_block.ReportId(
            entry.path, block.year, block.level, entry.publisher, line, "annual_report.year"
        )
    year = (
        annual_report_block.title_year(entry.title)
        if entry.column == annual_report_block.REPORT_COLUMN
        else None
    )
    if year is None:
        return None
    return annual_report_block.ReportId(
        entry.path, year, None, entry.publisher, entry.line_of("title"), "title"
    )


def _check_reports(site: Site) -> None:
    """One 年度报告 per year and level (annual_report_block.ReportId.same_report): the later one
    (by 发布日期, then path) is an error naming the first, which stays as it is."""
    ids = sorted(
        ((e.date_published, e.path, rid) for e in site.entries if (rid := report_id(e)) is not None),
        key=lambda t: (t[0], t[1]),
    )
    for i, (_day, _path, rid) in enumerate(ids):
        first = next((other for _d, _p, other in ids[:i] if rid.same_report(other)), None)
        if first is not None:
            site.problems.append(Problem(rid.path, rid.line, rid.message(first), rid.key))


def _check_sets(site: Site, parsed: dict[str, object] | None = None) -> None:
    """Rules across entries of one column (previous years, land batches), then across columns: a
    module's optional `validate_across(by_column)` (the 三公 entry against the budget's 三公 table)."""
    parsed = parsed or {}
    by_column = {}
    for module in data_columns.modules():
        items = [
            (e.path, parsed[e.path] if e.path in parsed else module.parse(e.data), e)
            for e in site.entries
            if e.column == module.KEY
        ]
        by_column[module.KEY] = items
        site.problems.extend(module.validate_set(items))
    for module in data_columns.modules():
        across = getattr(module, "validate_across", None)
        if callable(across):
            site.problems.extend(across(by_column))


def _strings(data, out: list[tuple[str, int, str]], key: str = "") -> None:
    """Every string and number of a column data block, keys too, that may hold a number or a
    密级标志, with its line, for the scans; `key` names them all (the block). A data block has
    hundreds of short cells: an ASCII text needs 11 characters for 11 digits (an entity or escape
    is longer than what it gives), any text 3 (秘密★), told before anything else."""
    from .yamlload import LineDict, LineList

    stack = [data]
    add, push = out.append, stack.append
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            pairs = node.items()
            line_of = node.line_of
            for k in node:
                if type(k) is str and (len(k) >= 11 or (len(k) >= 3 and not k.isascii())):
                    add((key, line_of(k), k))
        elif isinstance(node, LineList):
            pairs = enumerate(node)
            line_of = node.line_of
        else:
            continue
        for at, v in pairs:
            kind = type(v)
            if kind is str:
                n = len(v)
                if n >= 11 or (n >= 3 and not v.isascii()):
                    add((key, line_of(at), v))
            elif kind is int or kind is float:
                text = str(v)
                if len(text) >= 11:
                    add((key, line_of(at), text))
            elif kind is LineDict or kind is LineList or isinstance(v, dict | list):
                push(v)


ENTRY_TEXT_FIELDS = ("title", "index_no", "publisher", "doc_no", "topic", "summary")


def published_texts(entry: Entry) -> list[tuple[str, int, str]]:
    """(key, line, text) of every text of an entry: every metadata string (the file name, which is
    its address, too), the sign-off names and note, attachment files and titles, change notes,
    every string and number of the column data block, and the body as one text (a number split
    over lines is still found; visible.View tells the line). pii_allow is left out."""
    texts = [(k, entry.line_of(k), v) for k in ENTRY_TEXT_FIELDS if (v := getattr(entry, k))]
    texts.append(("file", 1, entry.slug))
    if entry.keywords:  # 关键词, shown joined in the 信息索引 box
        texts.append(("keywords", entry.line_of("keywords"), "、".join(entry.keywords)))
    review = entry.review
    if review is not None:
        for step, _zh, signoff in review.steps():
            if signoff is not None:
                texts.append((f"review.{step}_by", entry.line_of(f"review.{step}_by"), signoff.by))
        if review.note:
            texts.append(("review.note", entry.line_of("review.note"), review.note))
    for i, att in enumerate(entry.attachments):
        texts.append((f"attachments[{i}].file", entry.line_of("attachments"), att.file))
        texts.append((f"attachments[{i}].title", entry.line_of("attachments"), att.title))
    for i, change in enumerate(entry.changes):
        texts.append((f"changes[{i}].note", entry.line_of("changes"), change.note))
    if entry.data is not None:
        _strings(entry.data, texts, entry.column)
    if entry.body:
        texts.append(("body", entry.body_line, entry.body))
    return texts


def page_texts(page: Page) -> list[tuple[str, int, str]]:
    """(key, line, text) of everything of a static page: title, summary, address, body."""
    texts = [(k, 1, v) for k in ("title", "summary", "slug") if (v := getattr(page, k))]
    if page.body:
        texts.append(("body", page.body_line, page.body))
    return texts


def _source_line(source: Path | None, key: str, text: str, line: int) -> int:
    """The line of a list item's or a page field's value, looked up in the file only for a finding
    (entries keep the lines of top-level keys): the first line from `line` on holding the value's
    start, else `line`."""
    if source is None:
        return line
    needle = text.strip().split("\n", 1)[0][:24]
    if key in ("title", "summary", "slug"):
        needle = f"{key}:"
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return line
    for number in range(max(line, 1), len(lines) + 1):
        if needle and needle in lines[number - 1]:
            return number
    return line


NEEDS_SOURCE_LINE = ("attachments[", "changes[", "title", "summary", "slug")


def _personal_data(obj: Entry | Page, source: Path | None = None) -> tuple[list[Problem], list[Problem]]:
    """(personal data, 涉密 marks) in every text of an entry or page, as a reader sees it
    (gongkai_core.visible). load_site counts the personal data only for what is published; a
    密级标志 is a problem in any file (read_entry reports the marks in the file's own text)."""
    is_page = isinstance(obj, Page)
    texts = page_texts(obj) if is_page else published_texts(obj)
    allowed = frozenset() if is_page else pii.allowed_numbers(a.value for a in obj.pii_allow)
    found: list[Problem] = []
    marks: list[Problem] = []
    # the text of a Markdown file's body is the file's own text, which read_entry scanned for marks
    body_scanned = source is not None and source.suffix.lower() in MARKDOWN_SUFFIXES
    for key, line, text in texts:
        # most texts have too few digits for any number, and no 密: told without normalising them
        if key == "body" and body_scanned:
            marks_of = ()
        else:
            marks_of = secret_mark.find(text, line)
        for hit in pii.find(text, line, allowed):
            at = _source_line(source, key, text, hit.line) if key.startswith(NEEDS_SOURCE_LINE) else hit.line
            found.append(
                Problem(
                    obj.path,
                    at,
                    f"发现{hit.label}“{hit.masked}”：公开文本不得含有个人信息，请删除或打码（如 {hit.masked}）；"
                    f"确需公开的，请在 pii_allow 中列出该号码并写明理由",
                    f"pii.{hit.kind}",
                )
            )
        for mark_line in marks_of:
            at = (
                _source_line(source, key, text, mark_line) if key.startswith(NEEDS_SOURCE_LINE) else mark_line
            )
            marks.append(Problem(obj.path, at, secret_mark.MESSAGE, "secrecy_level"))
    return found, marks
