"""Strict sign-off mode (GONGKAI_SIGNOFF_GIT): each sign-off was committed by its signer.

For every entry that would otherwise be published (and only when strict mode is on):

1. `git blame` (one process per file, only the lines of the review block's `*_by` / `*_on`
   keys): the commit that last changed each line must have that person's configured git
   identity (the roster's e-mail) as both author and committer. A line not yet committed is
   an error (`invoke check`, a pre-commit hook, counts it as committed by the identity git would
   record now, since that is what committing will do).
2. The content each reviewer signed is the content published: the file as the approver's
   sign-off commit left it must be the file now, byte for byte; for 科室负责人审核 and 保密审查
   everything outside the `review` block (metadata, body, data, as parsed) must be as in their
   sign-off commit. If the sign-off lines' commit does not match (a reviewer who signed again on
   the same day changes no line of theirs), any commit of that file by that person whose file
   matches will do (`git log`, only then).

What git says is read so that the repository's own files cannot change it: no `.mailmap` (an
editor could map their e-mail to the approver's), no `blame.ignoreRevsFile`; a shallow clone is
refused (blame would give every old line to the oldest commit present). What remains an
attacker's (docs/gate.md): git identities are whatever a committer configures; the server must
accept pushes only of commits whose committer is the pusher (or signed commits).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import yamlload
from .entry import Entry, split_front_matter
from .errors import Problem
from .signoff import GIT_SETTING, ROLE_LABELS, STEP_LABELS, Person, Policy, display

ZERO = "0" * 40
# reviewers whose sign-off must cover the content as published (the drafter's proposal may change)
CONTENT_STEPS = ("section", "secrecy", "approved")
_SAFE_CONFIG = (
    "-c",
    "mailmap.file=",
    "-c",
    "mailmap.blob=",
    "-c",
    "blame.ignoreRevsFile=",
    "-c",
    "core.quotePath=false",
    "-c",
    "log.showSignature=false",
)


class GitUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Blamed:
    sha: str
    author: str  # e-mail, lower case
    committer: str
    filename: str  # the file's path in that commit


@dataclass
class _Repo:
    git_dir: str
    top: Path
    empty: str  # an empty folder used as work tree: nothing of the repository's files is read from there

    def run(self, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                ["git", f"--git-dir={self.git_dir}", f"--work-tree={self.empty}", *_SAFE_CONFIG, *args],
                cwd=self.empty,
                input=data,
                capture_output=True,
                env=_env(),
                check=False,
            )
        except OSError as exc:
            raise GitUnavailable(f"无法运行 git：{exc.strerror}") from exc


def _env() -> dict[str, str]:
    """Our environment without what a git hook sets (GIT_DIR, GIT_INDEX_FILE, …), except the identity."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_")
        or k
        in (
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "GIT_CONFIG_GLOBAL",
        )
    }
    env["LC_ALL"] = "C"
    return env


def _open_repo(project_root: Path, empty: str) -> _Repo:
    try:
        found = subprocess.run(
            [
                "git",
                "-C",
                str(project_root),
                "rev-parse",
                "--absolute-git-dir",
                "--show-toplevel",
                "--is-shallow-repository",
            ],
            capture_output=True,
            text=True,
            check=False,
            env=_env(),
        )
    except OSError as exc:
        raise GitUnavailable(
            f"无法运行 git（{exc.strerror}）：严格签字模式（{GIT_SETTING}）须安装 git"
        ) from exc
    lines = found.stdout.splitlines()
    if found.returncode != 0 or len(lines) < 3:
        raise GitUnavailable(
            f"{project_root} 不在 git 仓库中（或无法读取：{found.stderr.strip()[:200]}）："
            f"严格签字模式（{GIT_SETTING}）须在完整的 git 仓库中构建"
        )
    if lines[2].strip() == "true":
        raise GitUnavailable(
            "这是浅克隆（shallow clone），看不到完整的提交历史，无法核对签字：请完整克隆"
            "（git fetch --unshallow）后再构建"
        )
    return _Repo(lines[0], Path(lines[1]), empty)


def _current_identity(repo: _Repo, top: Path) -> tuple[str, str]:
    """(author, committer) e-mail that a commit made now would record; '' when git has none."""
    out = []
    for var in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        done = subprocess.run(
            ["git", "-C", str(top), "var", var], capture_output=True, text=True, check=False, env=_env()
        )
        ident = done.stdout.strip()
        out.append(ident[ident.find("<") + 1 : ident.find(">")].strip().lower() if "<" in ident else "")
    return out[0], out[1]


def _blame(repo: _Repo, rel: str, file: Path, lines: list[int]) -> tuple[dict[int, Blamed] | None, str]:
    ranges = []
    for n in sorted(set(lines)):
        ranges += ["-L", f"{n},{n}"]
    done = repo.run("blame", "--line-porcelain", "--contents", str(file), *ranges, "--", rel)
    if done.returncode != 0:
        return None, done.stderr.decode("utf-8", "replace").strip()
    found: dict[int, Blamed] = {}
    sha, line, fields = "", 0, {}
    for raw in done.stdout.split(b"\n"):
        if raw.startswith(b"\t"):
            found[line] = Blamed(
                sha,
                fields.get("author-mail", ""),
                fields.get("committer-mail", ""),
                fields.get("filename", rel),
            )
            fields = {}
            continue
        text = raw.decode("utf-8", "replace")
        head = text.split(" ")
        if len(head) >= 3 and len(head[0]) == 40 and all(c in "0123456789abcdef" for c in head[0]):
            sha, line = head[0], int(head[2])
        elif " " in text:
            key, value = text.split(" ", 1)
            if key in ("author-mail", "committer-mail"):
                value = value.strip().strip("<>").strip().lower()
            fields[key] = value
    return found, ""


def _blobs(repo: _Repo, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The file at each (commit, path), in one `git cat-file --batch`."""
    order = sorted(wanted)
    if not order:
        return {}
    done = repo.run("cat-file", "--batch", data="".join(f"{sha}:{path}\n" for sha, path in order).encode())
    out: dict[tuple[str, str], bytes] = {}
    data = done.stdout
    pos = 0
    for want in order:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        header = data[pos:end].split(b" ")
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[want] = data[pos : pos + size]
            pos += size + 1
        elif len(header) == 3:  # a tree or other object: skip its bytes
            pos += int(header[2]) + 1
    return out


def _file_commits(repo: _Repo, rel: str) -> list[tuple[str, str, str, str]]:
    """(commit, author, committer, path then) of each commit that changed the file, newest first."""
    done = repo.run(
        "log", "--no-mailmap", "--follow", "--format=%x01%H%x00%ae%x00%ce", "--name-only", "--", rel
    )
    found = []
    for chunk in done.stdout.decode("utf-8", "replace").split("\x01")[1:]:
        head, _, names = chunk.partition("\n")
        parts = head.split("\x00")
        paths = [n for n in names.split("\n") if n.strip()]
        if len(parts) == 3:
            found.append((parts[0], parts[1].lower(), parts[2].lower(), paths[0] if paths else rel))
    return found


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _outside_review(data: bytes, markdown: bool) -> object:
    """What a reviewer's sign-off vouches for: the file as parsed, without its review block."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    body = ""
    front: str | None = text
    if markdown:
        front, body, _ = split_front_matter(text)
        if front is None:
            return ("raw", text)
    loaded, _issues = yamlload.load(front)
    if not isinstance(loaded, dict):
        return ("raw", text)
    plain = _plain(loaded)
    plain.pop("review", None)
    return (plain, body)


def _same(step: str, then: bytes, now: bytes, markdown: bool) -> bool:
    if then == now or then.replace(b"\r\n", b"\n") == now.replace(b"\r\n", b"\n"):
        return True
    if step == "approved":
        return False  # nothing at all may change after the approval, the review block included
    return _outside_review(then, markdown) == _outside_review(now, markdown)


def _who(person: Person) -> str:
    return f"{person.name}本人（git 身份 {'、'.join(person.emails)}）"


@dataclass
class _Step:
    entry: Entry
    role: str
    person: Person
    line: int
    commits: set[tuple[str, str]]  # (commit, path) of its committed sign-off lines
    pending: bool  # some line not committed yet, counted as the current user's (check only)


def git_problems(entries: list[Entry], project_root: Path, policy: Policy) -> list[Problem]:
    """Every strict-mode problem of `entries` (those that would otherwise be published)."""
    if not policy.git or not entries:
        return []
    with tempfile.TemporaryDirectory(prefix="gongkai-git-") as empty:
        try:
            repo = _open_repo(project_root, empty)
        except GitUnavailable as exc:
            return [
                Problem(e.path, e.line_of("review"), f"无法核对签字的 git 提交：{exc}", "review")
                for e in entries
            ]
        return _check(repo, entries, project_root, policy)


def _check(repo: _Repo, entries: list[Entry], project_root: Path, policy: Policy) -> list[Problem]:
    current = _current_identity(repo, repo.top) if policy.uncommitted_as_current_user else ("", "")
    problems: list[Problem] = []
    jobs = []
    for entry in entries:
        file = Path(entry.path) if Path(entry.path).is_absolute() else project_root / entry.path
        try:
            rel = file.resolve().relative_to(repo.top.resolve()).as_posix()
        except ValueError:
            problems.append(
                Problem(entry.path, 1, f"文件不在 git 仓库 {repo.top} 中，无法核对签字的提交", "review")
            )
            continue
        lines = [
            entry.line_of(f"review.{role}_{kind}")
            for role, _zh, so in entry.review.steps()
            if so
            for kind in ("by", "on")
        ]
        jobs.append((entry, file, rel, lines))
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        blamed = list(pool.map(lambda job: _blame(repo, job[2], job[1], job[3]), jobs))
    steps: list[tuple[_Step, Path, str, bytes]] = []
    for (entry, file, rel, _lines), (found, error) in zip(jobs, blamed):
        if found is None:
            why = "文件尚未提交到 git" if "no such path" in error else f"git blame 失败：{error[:200]}"
            problems.append(
                Problem(
                    entry.path,
                    entry.line_of("review"),
                    f"{why}：严格签字模式（{GIT_SETTING}）下，签字须由本人提交后才能公开",
                    "review",
                )
            )
            continue
        now = file.read_bytes()
        for role, _zh, so in entry.review.steps():
            person = policy.person(role, so.by) if so else None
            if person is None:
                continue  # no sign-off, or not on the roster: already a problem
            step = _signed_by(entry, role, person, found, current, problems)
            if step is not None and role in CONTENT_STEPS and not step.pending:
                steps.append((step, file, rel, now))
    problems.extend(_content_problems(repo, steps))
    return problems


def _signed_by(
    entry: Entry,
    role: str,
    person: Person,
    found: dict[int, Blamed],
    current: tuple[str, str],
    problems: list[Problem],
) -> _Step | None:
    # `invoke check` run by the signer: what they commit now is theirs, uncommitted lines and changes included
    mine = bool(current[0]) and current[0] in person.emails and current[1] in person.emails
    step = _Step(entry, role, person, entry.line_of(f"review.{role}_by"), set(), mine)
    label = f"“{STEP_LABELS[role]}”签字（{role}_by / {role}_on）"
    for kind in ("by", "on"):
        line = entry.line_of(f"review.{role}_{kind}")
        b = found.get(line)
        if b is None:
            problems.append(
                Problem(entry.path, line, f"{label}无法从 git 历史中核对", f"review.{role}_{kind}")
            )
            return None
        if b.sha == ZERO:
            if mine:
                continue  # check: committing now records the signer
            now = f"；您当前的 git 身份是 {current[0] or '未设置'}" if any(current) else ""
            problems.append(
                Problem(
                    entry.path,
                    line,
                    f"{label}尚未提交到 git：严格签字模式下，签字须由{ROLE_LABELS[role]}{_who(person)}"
                    f"提交后才能公开{now}",
                    f"review.{role}_{kind}",
                )
            )
            return None
        if b.author not in person.emails or b.committer not in person.emails:
            problems.append(
                Problem(
                    entry.path,
                    line,
                    f"{label}不是由{_who(person)}提交的：第 {line} 行来自提交 {b.sha[:10]}，"
                    f"作者 {b.author or '?'}，提交者 {b.committer or '?'}。请由{display(person.name)}"
                    "本人提交签字（见 docs/gate.md“审核签字”）",
                    f"review.{role}_{kind}",
                )
            )
            return None
        step.commits.add((b.sha, b.filename))
    return step


def _content_problems(repo: _Repo, steps: list[tuple[_Step, Path, str, bytes]]) -> list[Problem]:
    blobs = _blobs(repo, {c for step, *_ in steps for c in step.commits})
    failing = []
    for step, file, rel, now in steps:
        markdown = file.suffix.lower() in (".md", ".markdown")
        if not any(key in blobs and _same(step.role, blobs[key], now, markdown) for key in step.commits):
            failing.append((step, file, rel, now, markdown))
    if not failing:
        return []
    # signed again without changing a line of their own: any commit of the file by that person
    history = {rel: _file_commits(repo, rel) for _s, _f, rel, _n, _m in failing}
    wanted = {}
    for step, _f, rel, _n, _m in failing:
        mine = [
            (sha, path)
            for sha, author, committer, path in history[rel]
            if author in step.person.emails and committer in step.person.emails
        ]
        wanted[id(step)] = mine[:20]
    more = _blobs(repo, {c for cs in wanted.values() for c in cs})
    problems = []
    for step, _f, _rel, now, markdown in failing:
        if any(c in more and _same(step.role, more[c], now, markdown) for c in wanted[id(step)]):
            continue
        shas = "、".join(sorted(sha[:10] for sha, _p in step.commits))
        if step.role == "approved":
            what = f"本文件在审定签字的提交（{shas}）之后又有改动（未提交的修改，或他人之后的提交）：公开的须是审定的这份内容"
        else:
            what = (
                f"条目的内容（元数据、正文或数据）在“{STEP_LABELS[step.role]}”签字的提交（{shas}）之后又有改动"
                "（未提交的修改，或他人之后的提交）：签字须针对将要公开的这份内容"
            )
        problems.append(
            Problem(
                step.entry.path,
                step.line,
                f"{what}。请{ROLE_LABELS[step.role]}{display(step.person.name)}审阅改动后重新提交签字"
                f"（如更新 {step.role}_on）；修改已审定的条目，请先把 status 改回 in_review 重新审核",
                f"review.{step.role}_by",
            )
        )
    return problems
