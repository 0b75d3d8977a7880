"""When each content file first appeared in the project's git history (no Pelican).

`invoke audit` compares an entry's 发布日期 with that day: a date far before the file existed is
back-dating (伪造发稿日期, 单项否决 in the inspection indicators). One `git log` over the content
folder, oldest commit first; a renamed file keeps the day its first name appeared. A project that
is no git repository, a shallow clone or a missing git give no dates and a reason instead; files not
committed yet are simply absent from the result.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .clock import SITE_TZ


@dataclass
class History:
    first_seen: dict[str, date] = field(default_factory=dict)  # project-relative path -> day (site time zone)
    unavailable: str = ""  # why there are no dates (Chinese), "" when git answered


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["LC_ALL"] = "C"
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        env=env,
    )


def first_seen(project_root: Path, folder: str = "content") -> History:
    """The day each file under `folder` (relative to `project_root`) was first committed."""
    try:
        found = _git(project_root, "rev-parse", "--show-prefix", "--is-shallow-repository")
    except OSError as exc:
        return History(unavailable=f"无法运行 git（{exc.strerror}）")
    lines = found.stdout.splitlines()
    if found.returncode != 0 or len(lines) < 2:
        return History(unavailable="本项目不在 git 仓库中，无法知道各条目何时首次提交")
    if lines[1].strip() == "true":
        return History(unavailable="这是浅克隆（shallow clone），看不到完整的提交历史：请完整克隆后再检查")
    prefix = lines[0].strip()
    log = _git(
        project_root,
        "log",
        "--reverse",
        "-M",
        "--diff-filter=AR",
        "--name-status",
        "--format=%x00%ct",
        "--",
        folder,
    )
    if log.returncode != 0:
        if "does not have any commits" in log.stderr:
            return History()
        return History(unavailable=f"无法读取 git 历史：{log.stderr.strip()[:200]}")
    seen: dict[str, date] = {}
    day: date | None = None
    for line in log.stdout.splitlines():
        if line.startswith("\0"):
            day = datetime.fromtimestamp(int(line[1:]), SITE_TZ).date()
            continue
        parts = line.split("\t")
        if day is None or len(parts) < 2:
            continue
        status, *names = parts
        if status == "A":
            seen.setdefault(names[0], day)
        elif status.startswith("R") and len(names) == 2:
            seen.setdefault(names[1], seen.get(names[0], day))
    history = History()
    for path, when in seen.items():
        if path.startswith(prefix):
            history.first_seen[path[len(prefix) :]] = when
    return history
