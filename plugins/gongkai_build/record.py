"""The record of a finished build that lets the next build change only what changed (no Pelican here).

After every complete build, `gongkai_cli.build` saves a `BuildRecord` beside the read cache:

  - `frame`: a hash over everything that is not an entry — code, plugins, theme, settings, the
    build date, library versions (`gongkai_build.fastrebuild.frame_key`);
  - `content`: (size, mtime_ns, inode) of every file under the content folder;
  - `fronts`: for Markdown entries, a hash of the front matter (everything but the body);
  - `entries`: for each valid entry, what the site made of it — gate state, column, its page's
    output name, the files it shows (attachments and files linked from the body) and a hash of
    the part of it that the search index uses;
  - `output`: (inode, size, mtime_ns) of every file of the output the build swapped in;
  - `pages`: the page key (`gongkai_build.pagekeys`) of each entry page the writer rendered or
    linked, by output name, and `root`, the output the record describes.

It is the one record of the previous output. The complete build's writer (`gongkai_output`) gets
it through the run's `Build` (`previous_record`) and links an entry page instead of rendering it
only when the key is the same and the file in the output still has the recorded stats
(`BuildRecord.page_unchanged`): a page edited by hand, or an output the record does not describe,
is never trusted. No record (GONGKAI_CACHE = False, a file that cannot be read, a record
forgotten while a build replaced the output) means every page is rendered.

`plan` compares a record with the content folder as it is now. Only when the frame is the same,
no file was added or removed, nothing but the bodies of Markdown entries outside the data columns
changed, and the output is exactly the recorded one, it names the changed entries; the build then
renders just those (a Pelican run over them alone) and checks afterwards that each kept its state,
page, files and search text (`settle`). Anything else — a changed title, a new file, a template,
another build date, a page edited by hand in the output — means a complete build. Both ways give
the same bytes: tests/plugins/test_fast_rebuild.py compares them with cold builds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from gongkai_core import columns as data_columns
from gongkai_core.entry import MARKDOWN_SUFFIXES, front_digest

RECORD_FORMAT = 2


@dataclass(frozen=True)
class EntryFacts:
    """What one valid entry became in a build."""

    state: str  # gate state (published, withheld, withdrawn…)
    column: str
    page: str | None  # output name of its page, None when no page was written
    files: tuple[str, ...]  # attachments and body-linked files (content-relative)
    search: str | None  # hash of its search document, None when not indexed


@dataclass
class BuildRecord:
    frame: str
    content: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # content-relative path → stat
    fronts: dict[str, str] = field(default_factory=dict)
    entries: dict[str, EntryFacts] = field(default_factory=dict)
    output: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # output-relative path → stat
    counts: tuple[int, int, int] = (0, 0, 0)  # published, withheld, problems
    racy: set[str] = field(
        default_factory=set
    )  # modified so shortly before the stats that a change may not show
    search: object | None = None  # search_index.IndexState of the output's index (None: no index)
    problems: list[str] = field(
        default_factory=list
    )  # the build's warnings (entries it left out), shown again
    pages: dict[str, str] = field(default_factory=dict)  # output name of an entry page → its page key
    root: str = ""  # the output this record describes (resolved)
    format: int = RECORD_FORMAT

    def page_unchanged(self, name: str, key: str, file: Path) -> bool:
        """Whether `file` is the very page `name` that the recorded build rendered with `key`: the same
        key, and the file's inode, size and mtime exactly as recorded."""
        if self.pages.get(name) != key or name not in self.output:
            return False
        try:
            st = os.lstat(file)
        except OSError:
            return False
        return (st.st_ino, st.st_size, st.st_mtime_ns) == self.output[name]

    def pages_only(self) -> BuildRecord:
        """What a complete build's writer asks of the previous output (each entry page's key and stats),
        without the rest (content stats, entry facts, the search index state: tens of MB at 10k entries,
        which would otherwise stay in memory for the whole build)."""
        output = {name: self.output[name] for name in self.pages if name in self.output}
        return BuildRecord(self.frame, output=output, pages=dict(self.pages), root=self.root)

    def describes(self, output: Path) -> bool:
        """Whether this is the record of the output at `output`."""
        return self.root == str(Path(output).resolve())


def record_path(cache_dir: Path, output: Path) -> Path:
    tag = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"build-{tag}.pickle"


def load(path: Path, output: Path | None = None) -> BuildRecord | None:
    """The record saved at `path` (of the output at `output`, when given), else None."""
    try:
        with open(path, "rb") as fh:
            record = pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, truncated, from another version: build completely
        return None
    if not isinstance(record, BuildRecord) or record.format != RECORD_FORMAT:
        return None
    if output is not None and not record.describes(output):
        return None
    return record


def save(record: BuildRecord, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(record, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def forget(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _stat(path: str) -> tuple[int, int, int]:
    st = os.lstat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def stat_of(path: Path) -> tuple[int, int, int] | None:
    try:
        return _stat(str(path))
    except OSError:
        return None


def content_stats(content_root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under the content folder (hidden ones left out, as reading does)."""
    found = {}
    base = str(content_root)
    for dirpath, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_dir = os.path.relpath(dirpath, base)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        for name in files:
            if not name.startswith("."):
                found[prefix + name] = _stat(os.path.join(dirpath, name))
        for name in dirs:  # a link to a folder is not walked, but it is there: reading reports it
            if os.path.islink(os.path.join(dirpath, name)):
                found[prefix + name] = _stat(os.path.join(dirpath, name))
    return found


def output_stats(output: Path) -> dict[str, tuple[int, int, int]]:
    """Every file of an output tree: (inode, size, mtime_ns). As os.walk sees it (a link to a
    folder is neither walked nor listed), with one scandir per folder and no path joins in Python."""
    found = {}
    folders = [(str(output), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for item in entries:
                try:
                    is_dir = item.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not item.is_symlink():
                        folders.append((item.path, f"{prefix}{item.name}/"))
                    continue
                st = item.stat(follow_symlinks=False)
                found[prefix + item.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


# A file's mtime comes from a clock that advances in ticks of a few milliseconds: a file written
# within a tick of the moment its stats were taken may change again without its stats changing
# (git's "racily clean" index entries). Such files are always read again.
RACY_NS = 100_000_000


def racy_files(stats: dict[str, tuple[int, int, int]], taken_ns: int) -> set[str]:
    return {rel for rel, st in stats.items() if st[1] >= taken_ns - RACY_NS}


@dataclass
class Plan:
    """What a rebuild must do: `changed` entries to render again (empty: nothing changed), or
    `reason` why only a complete build will do."""

    changed: list[str] = field(default_factory=list)
    reason: str | None = None
    content: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    taken_ns: int = 0  # when the content stats were taken


def plan(record: BuildRecord | None, frame: str, content_root: Path, output: Path) -> Plan:
    if record is None:
        return Plan(reason="没有上次构建的记录")
    if record.frame != frame:
        return Plan(reason="代码、主题、配置或构建日期有变化")
    taken_ns = time.time_ns()
    now = content_stats(content_root)
    if now.keys() != record.content.keys():
        return Plan(reason="有文件新增或删除")
    changed = [rel for rel, st in now.items() if record.content[rel] != st or rel in record.racy]
    for rel in changed:
        facts = record.entries.get(rel)
        if facts is None or data_columns.get(facts.column) is not None or rel not in record.fronts:
            return Plan(reason=f"{rel} 不是只改了正文的条目")
        if not rel.lower().endswith(MARKDOWN_SUFFIXES):
            return Plan(reason=f"{rel} 不是 Markdown 条目")
        try:
            digest = front_digest(content_root / rel)
        except OSError:
            return Plan(reason=f"{rel} 无法读取")
        if digest is None or digest != record.fronts[rel]:
            return Plan(reason=f"{rel} 的元数据有变化")
    try:
        if output_stats(output) != record.output:
            return Plan(reason="输出目录与上次构建的记录不一致")
    except OSError:
        return Plan(reason="输出目录无法读取")
    return Plan(changed=sorted(changed), content=now, taken_ns=taken_ns)


def settle(
    record: BuildRecord, changed: list[str], facts: dict[str, EntryFacts]
) -> tuple[str | None, list[str]]:
    """After rendering the changed entries alone: (None, entries whose search text changed) when
    each kept everything other pages show of it, else (the reason a complete build is needed, [])."""
    searched = []
    for rel in changed:
        new = facts.get(rel)
        if new is None:
            return f"{rel} 有问题或未能读取", []
        old = record.entries[rel]
        if new.search != old.search:
            if new.search is None or old.search is None:
                return f"{rel} 的检索内容有变化", []
            searched.append(rel)
            new = EntryFacts(new.state, new.column, new.page, new.files, old.search)
        if new != old:
            return f"{rel} 的公开状态、附件或网页有变化", []
    return None, searched
