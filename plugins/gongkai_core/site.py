"""Read a whole content folder: every entry and page, every problem, every gate verdict.

This is what `invoke check` runs and what the Pelican plugins consult: one pass over the
files, no rendering.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import gate, pii, schema
from .entry import Entry, Page, read_entry, read_page
from .errors import Problem

ENTRY_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
NOT_ENTRIES = ("pages", "files", "images", "extra")

DEFAULT_COLUMNS = {
    "policy": "政策文件",
    "budget": "预算决算",
    "sangong": "三公经费",
    "land": "征地信息",
    "report": "公开年报",
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

    def published(self) -> list[Entry]:
        return [e for e in self.entries if self.verdicts[e.path].published]

    def withdrawn(self) -> list[Entry]:
        return [e for e in self.entries if self.verdicts[e.path].state == gate.WITHDRAWN]

    def by_path(self) -> dict[str, Entry]:
        return {e.path: e for e in self.entries}


def shown_path(path: Path, project_root: Path) -> str:
    try:
        return path.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def content_files(content_root: Path) -> tuple[list[Path], list[Path]]:
    """(entry files, page files), sorted, hidden files skipped."""
    entries, pages = [], []
    for path in sorted(content_root.rglob("*")):
        rel = path.relative_to(content_root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in ENTRY_SUFFIXES:
            continue
        top = rel.parts[0] if len(rel.parts) > 1 else ""
        if top == "pages":
            pages.append(path)
        elif top not in NOT_ENTRIES:
            entries.append(path)
    return entries, pages


def load_site(content_root: Path, build_date: date, columns: dict[str, str] | None = None,
              project_root: Path | None = None) -> Site:
    columns = columns or DEFAULT_COLUMNS
    project_root = project_root or content_root.parent
    site = Site(content_root, build_date)
    entry_files, page_files = content_files(content_root)
    for path in entry_files:
        shown = shown_path(path, project_root)
        entry, problems = read_entry(path, shown, columns, content_root)
        site.problems.extend(problems)
        if entry is None:
            site.invalid_paths.add(shown)
        else:
            site.entries.append(entry)
    for path in page_files:
        shown = shown_path(path, project_root)
        page, problems = read_page(path, shown)
        site.problems.extend(problems)
        if page is None:
            site.invalid_paths.add(shown)
        else:
            site.pages.append(page)
    _check_unique(site)
    _check_sets(site)
    for entry in site.entries:
        site.verdicts[entry.path] = gate.decide(entry, build_date)
    _check_personal_data(site)
    # An entry with any problem is never published.
    bad = {p.path for p in site.problems}
    site.invalid_paths |= bad
    site.entries = [e for e in site.entries if e.path not in bad]
    site.pages = [p for p in site.pages if p.path not in bad]
    site.problems.sort()
    return site


def _check_unique(site: Site) -> None:
    seen: dict[str, Entry] = {}
    slugs: dict[tuple[str, str], Entry] = {}
    for entry in site.entries:
        first = seen.get(entry.index_no)
        if first is not None:
            site.problems.append(Problem(entry.path, entry.line_of("index_no"),
                                         f"索引号“{entry.index_no}”与 {first.path}:{first.line_of('index_no')} 重复，索引号在全站必须唯一",
                                         "index_no"))
            site.problems.append(Problem(first.path, first.line_of("index_no"),
                                         f"索引号“{entry.index_no}”与 {entry.path}:{entry.line_of('index_no')} 重复，索引号在全站必须唯一",
                                         "index_no"))
        else:
            seen[entry.index_no] = entry
        key = (entry.column, entry.slug)
        if key in slugs:
            site.problems.append(Problem(entry.path, 1,
                                         f"文件名与 {slugs[key].path} 相同，同一栏目下会生成同一网址，请改文件名", "slug"))
        else:
            slugs[key] = entry


def _check_sets(site: Site) -> None:
    """Rules across entries of one column (previous years, land batches)."""
    for column in schema.DATA_BLOCK_COLUMNS:
        try:
            module = importlib.import_module(f"gongkai_core.{column}")
        except ModuleNotFoundError:
            continue
        if not hasattr(module, "validate_set"):
            continue
        items = [(e.path, module.parse(e.data), e) for e in site.entries if e.column == column]
        site.problems.extend(module.validate_set(items))


def _strings(data, out: list[tuple[str, int, str]], key: str = "") -> None:
    """Every string of a column data block with its line, for the personal-data scan."""
    from .yamlload import LineDict, LineList

    if isinstance(data, LineDict):
        for k, v in data.items():
            if isinstance(v, str):
                out.append((f"{key}.{k}" if key else k, data.line_of(k), v))
            else:
                _strings(v, out, f"{key}.{k}" if key else k)
    elif isinstance(data, LineList):
        for i, v in enumerate(data):
            if isinstance(v, str):
                out.append((f"{key}[{i}]", data.line_of(i), v))
            else:
                _strings(v, out, f"{key}[{i}]")


def published_texts(entry: Entry) -> list[tuple[str, int, str]]:
    """(key, line, text) of everything of an entry that the public site shows."""
    texts = [(k, entry.line_of(k), getattr(entry, k)) for k in ("title", "summary", "doc_no", "publisher")
             if getattr(entry, k)]
    for i, line in enumerate(entry.body.split("\n")):
        if line.strip():
            texts.append(("body", entry.body_line + i, line))
    for i, att in enumerate(entry.attachments):
        texts.append((f"attachments[{i}].title", entry.line_of("attachments"), att.title))
    for i, change in enumerate(entry.changes):
        texts.append((f"changes[{i}].note", entry.line_of("changes"), change.note))
    if entry.data is not None:
        _strings(entry.data, texts, entry.column)
    return texts


def _check_personal_data(site: Site) -> None:
    for entry in site.entries:
        if not site.verdicts[entry.path].published:
            continue
        allowed = {a.value.replace(" ", "").replace("-", "").upper() for a in entry.pii_allow}
        for key, line, text in published_texts(entry):
            for hit in pii.scan(text):
                if hit.normalised in allowed:
                    continue
                site.problems.append(Problem(
                    entry.path, line,
                    f"发现{hit.label}“{hit.masked}”：公开文本不得含有个人信息，请删除或打码（如 {hit.masked}）；"
                    f"确需公开的，请在 pii_allow 中列出该号码并写明理由", f"pii.{hit.kind}"))
