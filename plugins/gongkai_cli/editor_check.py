"""The web editor's check before it writes: every save and every merge of a draft is read as
`invoke check` would read it (gongkai_core.candidate) in the site as it stands on the working
branch; what check would refuse is refused by the proxy (editor_proxy.ApiPolicy), nothing written.
A request of the register (`requests/`, a collection of the local editor only) is no entry: it is read
as `invoke requests` reads it (gongkai_core.requests_register.check_file), never as content.

The proxy answers a refusal with the problems as data (`problems`: key, line and message each),
which admin/gongkai-cms.js shows next to the fields they name.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from gongkai_build.readcache import stores
from gongkai_core import candidate, clock, requests_register
from gongkai_core.errors import Problem
from gongkai_core.site import load_site

from . import new

CONTENT = "content"
REGISTER = requests_register.FOLDER  # requests/: the register of 依申请公开 requests (local editor only)
_CODE = re.compile(r"([A-Za-z0-9]{4,18})/")


class SaveCheck:
    """What `check` says of files about to be written into `repo`'s content/ (paths relative to
    the repository, as Decap sends them: content/policy/x.md, content/files/a.pdf)."""

    def __init__(self, repo: Path, columns: dict[str, str], settings: str | None = None):
        self.repo, self.columns, self.settings = repo, columns, settings

    def policy(self):
        """The settings' sign-off rosters as check applies them; strict git mode is left to check and
        publish (the editor's commit does not exist yet)."""
        if not self.settings or not (self.repo / self.settings).is_file():
            return None
        from .check import signoff_policy

        policy = signoff_policy(str(self.repo / self.settings))
        return dataclasses.replace(policy, git=False) if policy is not None else None

    def options(self) -> dict:
        """What reading depends on in the settings besides the columns: the consultation forms the
        links check names (GONGKAI_CONSULTATION_FORMS) and the publishers' 索引号 codes."""
        if not self.settings or not (self.repo / self.settings).is_file():
            return {}
        from gongkai_gate.settings import links_config
        from pelican.settings import read_settings

        settings = read_settings(str(self.repo / self.settings))
        return {
            "links_config": links_config(settings),
            "index_codes": settings.get("GONGKAI_INDEX_CODES") or None,
        }

    def site(self, policy, found: dict):
        return load_site(
            self.repo / CONTENT,
            clock.build_date(),
            self.columns,
            project_root=self.repo,
            render=False,
            signoff_policy=policy,
            **found,
            **self.options(),
        )

    def site_problems(self) -> list[Problem]:
        """What `invoke check` reports of the content as it stands."""
        return self.site(self.policy(), stores(self.repo)).problems

    def problems(self, files: Mapping[str, bytes], uploads: Mapping[str, bytes]) -> list[Problem]:
        """Every problem check would report in `files` (entry or page path → its new bytes) saved
        with `uploads` (attachment path → bytes), all of them at once."""
        register = {p: data for p, data in files.items() if p.startswith(REGISTER + "/")}
        files = {p: data for p, data in files.items() if p not in register}
        out: list[Problem] = []
        for path, data in register.items():  # a request: the register's own rules, never an entry's
            out += [
                dataclasses.replace(p, key=_field_key(p.key))
                for p in requests_register.check_file(self.repo, path[len(REGISTER) + 1 :], data)
            ]
        if not files:
            return out
        content = self.repo / CONTENT
        found = stores(self.repo)
        build_date = clock.build_date()
        policy = self.policy()
        site = self.site(policy, found)
        rel_uploads = {_content_rel(p): data for p, data in uploads.items()}
        for path, data in files.items():
            out += candidate.check_file(
                content,
                _content_rel(path),
                data,
                build_date,
                self.columns,
                uploads=rel_uploads,
                site=site,
                signoff_policy=policy,
                text_cache=found.get("text_cache"),
                **self.options(),
            )
        return out

    def users(self, paths: list[str]) -> dict[str, list[str]]:
        """For each file of `paths` (content/files/…) an entry names as an attachment or links from
        its body: those entries (a file `check` would then find missing)."""
        wanted = {_content_rel(p): p for p in paths}
        found: dict[str, list[str]] = {}
        for entry in self.site(None, stores(self.repo)).entries:
            for rel in {a.file for a in entry.attachments} | set(entry.linked_files):
                if rel in wanted:
                    found.setdefault(wanted[rel], []).append(entry.path)
        return found

    def next_index_no(self, column: str, publisher: str | None) -> str:
        """The 索引号 a new entry of `column` starts with: the code the publisher's entries use (else the
        column's, else the site's), and the next number of this year not used in content/ nor on any
        draft branch (cms/…) — as `invoke new` numbers, drafts included."""
        content = self.repo / CONTENT
        year = clock.build_date().year
        entries = load_site(
            content, clock.build_date(), self.columns, render=False, **stores(self.repo)
        ).entries
        code = None
        for chosen in (
            [e for e in entries if publisher and e.publisher == publisher.strip()],
            [e for e in entries if e.column == column],
            entries,
        ):
            codes = Counter(m.group(1) for e in chosen if (m := _CODE.match(e.index_no)))
            if codes:
                code = codes.most_common(1)[0][0]
                break
        code = code or new.DEFAULT_CODE
        used = int(new.next_index_no(content, code, year).rsplit("-", 1)[1]) - 1
        drafts = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname)", "refs/heads/cms/"],
            cwd=self.repo,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        if drafts:
            found = subprocess.run(
                ["git", "grep", "-h", "-E", r"^\s*index_no:", *drafts, "--", CONTENT],
                cwd=self.repo,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            mine = re.compile(rf"{re.escape(code)}/{year}-(\d+)")
            used = max([used, *(int(m.group(1)) for m in mine.finditer(found))])
        return f"{code}/{year}-{used + 1:05d}"

    def branch_files(self, base: str, branch: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """The entry files and the other files under content/ that `branch` adds or changes against
        `base` (a draft before it is merged), with their bytes on the branch."""
        listed = subprocess.run(
            [
                "git",
                "diff",
                "--name-only",
                "--diff-filter=AMR",
                "--no-renames",
                "-z",
                f"{base}...{branch}",
                "--",
            ],
            cwd=self.repo,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "replace")
        entries: dict[str, bytes] = {}
        others: dict[str, bytes] = {}
        for path in filter(None, listed.split("\0")):
            if path.startswith(REGISTER + "/") and path.count("/") == 1:  # a request of the register
                entries[path] = subprocess.run(
                    ["git", "show", f"{branch}:{path}"], cwd=self.repo, capture_output=True, check=True
                ).stdout
                continue
            if not path.startswith(CONTENT + "/"):
                continue
            data = subprocess.run(
                ["git", "show", f"{branch}:{path}"], cwd=self.repo, capture_output=True, check=True
            ).stdout
            is_entry = path.lower().endswith((".md", ".markdown", ".yaml", ".yml"))
            (entries if is_entry else others)[path] = data
        return entries, others


def _field_key(key: str) -> str:
    """A register problem's key as the field it names in the request form: `request.received_on` is the
    field `received_on` (admin/gongkai-cms.js puts the message above it); `request` alone, the file."""
    return key.removeprefix("request.") if key != "request" else key


def _content_rel(path: str) -> str:
    return path[len(CONTENT) + 1 :] if path.startswith(CONTENT + "/") else path


def answer(problems: list[Problem]) -> dict:
    """The refusal the proxy sends: one Chinese message (Decap shows it) and the problems as data."""
    lines = "\n".join(str(p) for p in problems)
    return {
        "error": f"invoke check 不认可，未保存（共 {len(problems)} 处，已在表单中标出）：\n{lines}",
        "problems": [{"path": p.path, "line": p.line, "key": p.key, "message": p.message} for p in problems],
    }
