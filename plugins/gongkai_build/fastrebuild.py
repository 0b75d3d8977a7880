"""Rebuilds that render only the entries whose text changed (see gongkai_build.record).

`build.publish` asks `fast_publish` first. It compares the content folder with the record of the
previous complete build; when only entry bodies changed (the common edit: a corrected sentence),
it runs Pelican over those entries alone into a scratch folder, checks that each kept its state,
page, files and search text, then renames the new pages and search files into the output, all or
none (gongkai_build.staging.replace_files: a failure or a killed run leaves the output as it was). In every other case
it returns None and the complete build runs. `GONGKAI_FULL_BUILD=1` turns the fast way off.
The record is the one record of the output: the complete build's writer links the entry pages it
lists with an unchanged page key (`BuildRecord.pages`). A page put in by a fast rebuild gets its new
stats but no key (the run over the changed entries alone cannot compute the key a complete build
would), so the next complete build renders it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

from gongkai_core import application_form, clock
from gongkai_core import columns as data_columns
from gongkai_core.errors import GongkaiError

from . import pagekeys
from . import record as incremental
from . import staging
from .build import Build
from .result import BuildResult


def frame_key(settings: dict) -> str:
    """Everything a build's output depends on other than the content folder's entries."""
    import jinja2
    import markdown
    import nh3
    import pelican

    versions = (
        f"pelican={pelican.__version__};jinja2={jinja2.__version__};markdown={markdown.__version__};"
        f"nh3={getattr(nh3, '__version__', '?')};date={clock.build_date()}"
    )
    key = pagekeys.build_key(
        settings, pagekeys.plugin_dirs(settings), [Path(settings["THEME"])], versions, [], []
    )
    digest = hashlib.sha256(key.encode())
    project = Path(settings["PATH"]).resolve().parent
    # the 依申请公开 page shows counts of the register (requests/): a changed count rebuilds it
    digest.update(application_form.counts_key(application_form.public_requests(project, clock.build_date())))
    return digest.hexdigest()


def entry_facts(state: Build) -> dict[str, incremental.EntryFacts]:
    """What each valid entry of a finished Pelican run became, by content-relative path."""
    searched = state.search.digests
    facts = {}
    for entry in state.site.entries:
        rel = state.content_rel(entry.path)
        page = state.entry_pages.get(entry.path)
        files = tuple(sorted({a.file for a in entry.attachments} | set(entry.linked_files)))
        facts[rel] = incremental.EntryFacts(
            state.site.verdicts[entry.path].state, entry.column, page, files, searched.get(entry.path)
        )
    return facts


def new_record(
    frame: str, state: Build, output: Path, before: tuple[dict[str, tuple[int, int, int]], int]
) -> incremental.BuildRecord:
    """The record of a complete build whose output is now at `output`; `before`: the content
    folder's files as they were when the build began (a file saved during the build differs)."""
    content = Path(state.site.root)
    record = incremental.BuildRecord(frame, root=str(Path(output).resolve()))
    record.content, taken_ns = before
    record.racy = incremental.racy_files(record.content, taken_ns)
    record.entries = entry_facts(state)
    # an entry whose page shows linked entries (解读, 替代, 采纳情况: gongkai_core.policylinks) is never
    # rebuilt alone: its links come from the other entries
    linked = {state.content_rel(path) for path in state.site.links.involved()}
    fronts = {state.content_rel(path): digest for path, digest in state.site.fronts.items()}
    for rel, facts in record.entries.items():
        if (
            rel.lower().endswith(incremental.MARKDOWN_SUFFIXES)
            and data_columns.get(facts.column) is None
            and rel not in linked
        ):
            digest = fronts.get(rel)  # (taken by the reading workers)
            if digest is None:
                digest = incremental.front_digest(content / rel)
            # a file saved since the build read it is left out: it will never be taken as unchanged
            if (
                digest is not None
                and rel not in record.racy
                and incremental.stat_of(content / rel) == record.content.get(rel)
            ):
                record.fronts[rel] = digest
    # the stats the last check took of the tree (swapped in by renaming: the same files), else a walk
    record.output = state.output_files if state.output_files is not None else incremental.output_stats(output)
    record.pages = {name: key for name, key in sorted(state.page_keys.items()) if name in record.output}
    record.search = state.search.state
    published = len(state.site.published())
    record.counts = (published, len(state.site.entries) - published, len(state.site.problems))
    record.problems = [str(p) for p in state.site.problems]
    return record


def _warn_again(problems: list[str]) -> None:
    """The previous build's warnings, as the gate wrote them: the entries are still left out."""
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(
            f"有 {len(problems)} 个问题，相关条目不会出现在网站上（invoke check 查看全部）", file=sys.stderr
        )


def _complete(reason: str) -> None:
    """No fast rebuild: say why when asked (GONGKAI_EXPLAIN=1), then the complete build runs."""
    if os.environ.get("GONGKAI_EXPLAIN") == "1":
        print(f"完整构建：{reason}", file=sys.stderr)
    return None


def fast_publish(
    settings_file: str,
    settings: dict,
    output: Path,
    overrides: dict,
    frame: str,
    record_file: Path,
    run_pelican,
    record: incremental.BuildRecord | None,
):
    """The rebuilt site when only entry bodies changed, else None (then build completely).
    `record`: the output's record as loaded from `record_file`; updated and saved when the site is rebuilt."""
    if os.environ.get("GONGKAI_FULL_BUILD") == "1" or not output.is_dir():
        return None
    if settings.get("GONGKAI_SIGNOFF_GIT"):  # verdicts depend on the git history too, not only on the files
        return _complete("严格签字模式（GONGKAI_SIGNOFF_GIT）：签字须按 git 历史重新核对")
    start = time.monotonic()
    content = Path(settings["PATH"])
    plan = incremental.plan(record, frame, content, output)
    if plan.reason is not None:
        return _complete(plan.reason)
    published, withheld, problems = record.counts
    if not plan.changed:  # nothing changed at all: the output is already this build's output
        _warn_again(record.problems)
        return BuildResult(
            output,
            time.monotonic() - start,
            published,
            withheld,
            problems,
            unchanged=len(record.output),
            not_rendered=sum(1 for f in record.entries.values() if f.page),
        )
    if settings.get("GONGKAI_TOUCH"):  # every page's keyboard is made of every title (gongkai_touch)
        return _complete("触摸屏模式（GONGKAI_TOUCH）：每页的屏幕键盘取自全部条目的标题")
    scratch = staging.new_folder(output, "part")
    try:
        only = dict(overrides)
        only["ARTICLE_PATHS"] = plan.changed  # Pelican walks just these (the build reads just these)
        only["GONGKAI_CACHE"] = False
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # Pelican's "Done: Processed 1 article"
                part = run_pelican(settings_file, scratch, only, quiet=True, only=plan.changed)
        except GongkaiError:
            return _complete("只生成改动条目时出错")  # the complete build reports it
        facts = entry_facts(part.build)
        if part.problems:
            return _complete("改动的条目有问题")
        reason, searched = incremental.settle(record, plan.changed, facts)
        if reason is not None:
            return _complete(reason)
        moves = {
            record.entries[rel].page: scratch / record.entries[rel].page
            for rel in plan.changed
            if record.entries[rel].page is not None
        }
        removals: list[str] = []
        if searched:
            update = _update_search(record, part.build, searched, output, scratch / ".search")
            if update is None:
                return _complete("改动较大，搜索索引需要整体重建")
            search_moves, removals, record.search = update
            moves.update(search_moves)
        incremental.forget(record_file)  # until the new record is saved, the next build is complete
        # all of these files or none of them, also when the run is killed (undone by the next recover)
        _apply(output, scratch, moves, removals)
        for name in moves:  # hard links keep every other file's inode, size and mtime
            st = os.lstat(output / name)
            record.output[name] = (st.st_ino, st.st_size, st.st_mtime_ns)
            record.pages.pop(
                name, None
            )  # rendered from part of the site: rendered again by the next complete build
        for name in removals:
            record.output.pop(name, None)
            record.pages.pop(name, None)
        for rel in plan.changed:
            record.entries[rel] = facts[rel]
        racy = incremental.racy_files({rel: plan.content[rel] for rel in plan.changed}, plan.taken_ns)
        for rel in plan.changed:
            record.content[rel] = plan.content[rel]
            if rel in racy:
                record.racy.add(rel)
                record.fronts.pop(rel, None)
            else:
                record.racy.discard(rel)
        incremental.save(record, record_file)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _warn_again(record.problems)
    pages = sum(1 for rel in plan.changed if record.entries[rel].page)
    return BuildResult(
        output,
        time.monotonic() - start,
        published,
        withheld,
        problems,
        unchanged=len(record.output) - len(moves),
        not_rendered=sum(1 for f in record.entries.values() if f.page) - pages,
    )


def _update_search(record, state: Build, searched: list[str], output: Path, folder: Path):
    """(moves, removals, new index state) for the search files, or None: see update_search_index."""
    from gongkai_core import search_index

    if record.search is None:
        return None
    by_rel = {state.content_rel(path): doc for path, doc in state.search.docs.items()}
    if any(rel not in by_rel for rel in searched):
        return None
    update = search_index.update_search_index(
        record.search, output / "search", {by_rel[rel].url: by_rel[rel] for rel in searched}
    )
    if update is None:
        return None
    files, new_state = update
    moves, removals = {}, []
    for name, text in sorted(files.items()):
        if text is None:
            removals.append(f"search/{name}")
            continue
        data = text.encode("utf-8")
        try:
            if (output / "search" / name).read_bytes() == data:
                continue  # the same bytes: the file stays as it is
        except OSError:
            pass
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        moves[f"search/{name}"] = path
    return moves, removals, new_state


def _apply(root: Path, scratch: Path, moves: dict[str, Path], removals: list[str]) -> None:
    staging.replace_files(root, scratch, moves, removals)
