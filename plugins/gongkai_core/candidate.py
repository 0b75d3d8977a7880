"""One entry or page checked as it would be saved, before anything is written: what `invoke check`
would say of it in the site as it stands. The web editor asks this before every save and before
a draft is merged (gongkai_cli.editor_check), so nothing `check` refuses reaches the repository.

The file is read as `check` reads it — `site.load_site` on a scratch folder holding just this file,
the uploads that come with it and copies of the files under `files/` it names, so reading, its
attachments, personal data and 密级标志 are judged by the same code — and then the rules across
entries (`site.check_across`: unique 索引号 and names, one 年度报告 per year and level, each data
column's rules across entries) run on the site's other entries with this one in place of the file
at the same path. Only the problems of this file are returned. Pure Python, no Pelican.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath

from . import policylinks
from .errors import Problem
from .site import Site, check_across, load_site

# A path under files/ named in an entry (an attachment, a link in the body).
_NAMED_FILE = re.compile(r"files/[^\s\"'<>()\[\]{}|,;，。；、）]+")


def _safe_rel(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"not a content-relative path: {rel!r}")
    return path


def _copy_named_files(text: str, content_root: Path, scratch: Path, given: set[str]) -> None:
    """Copy the regular files under content/files/ that `text` names into the scratch content folder
    (a symbolic link or anything else is left out: reading then reports the file as missing)."""
    for match in sorted(set(_NAMED_FILE.findall(text))):
        name = match.rstrip(".")
        if name in given:
            continue
        try:
            rel = _safe_rel(name)
            source = content_root.joinpath(*rel.parts)
            if not stat.S_ISREG(os.lstat(source).st_mode):
                continue
        except (OSError, ValueError):
            continue
        target = scratch.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def check_file(
    content_root: Path,
    rel: str,
    data: bytes,
    build_date: date,
    columns: dict[str, str],
    *,
    uploads: Mapping[str, bytes] | None = None,
    site: Site | None = None,
    signoff_policy=None,
    text_cache=None,
    links_config: policylinks.LinkConfig | None = None,
    index_codes: dict[str, str] | None = None,
) -> list[Problem]:
    """The problems `check` would report for the file `rel` (relative to `content_root`, e.g.
    policy/x.md or pages/about.md) if it held `data`, with `uploads` (content-relative path → bytes)
    saved beside it. `site`: the site as it stands (load_site of `content_root`), read when not given.
    Paths in the problems are as `check` prints them (content/policy/x.md)."""
    uploads = dict(uploads or {})
    target = _safe_rel(rel)
    is_page = target.parts[0] == "pages"
    with tempfile.TemporaryDirectory(prefix="gongkai-candidate-") as tmp:
        scratch = Path(tmp) / content_root.name
        for name, content in [*uploads.items(), (rel, data)]:
            path = scratch.joinpath(*_safe_rel(name).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        _copy_named_files(data.decode("utf-8", "replace"), content_root, scratch, set(uploads))
        alone = load_site(
            scratch,
            build_date,
            columns,
            project_root=Path(tmp),
            render=False,
            only=[] if is_page else [rel],
            signoff_policy=signoff_policy,
            text_cache=text_cache,
            index_codes=index_codes,
            check_links=False,  # its links name other entries: checked below, with the site
        )
    shown = f"{content_root.name}/{target.as_posix()}"
    found = [p for p in alone.problems if p.path == shown]
    if site is None:
        site = load_site(
            content_root,
            build_date,
            columns,
            render=False,
            text_cache=text_cache,
            links_config=links_config,
            index_codes=index_codes,
        )
    together = Site(content_root, build_date)
    together.entries = [e for e in site.entries if e.path != shown] + alone.entries
    together.pages = [p for p in site.pages if p.path != shown] + alone.pages
    check_across(together, {**{k: v for k, v in site.parsed.items() if k != shown}, **alone.parsed})
    found += [p for p in together.problems if p.path == shown and p not in found]
    # the links between entries (解读, 征集, 替代/修改), as load_site checks them across the site
    verdicts = {**site.verdicts, **alone.verdicts}
    linked, _ = policylinks.resolve(
        together.entries,
        lambda e: e.path in verdicts and verdicts[e.path].published,
        build_date,
        links_config or policylinks.LinkConfig(),
    )
    found += [p for p in linked if p.path == shown and p not in found]
    return sorted(found)
