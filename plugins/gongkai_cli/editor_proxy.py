"""The servers of `invoke edit`, and the proxy that confines decap-server to `content/` (and, for
the register collection of the local editor's config only, the files directly in `requests/`).

decap-server (git mode) has no authentication and writes wherever a request says. So the browser
never talks to it: it listens on a loopback port only this process knows, answers only requests
that carry this session's secret header (admin/decap-guard.cjs, loaded into node before it), and
every request reaches it through `ApiPolicy`, an allow-list:

- only the actions Decap's proxy backend sends for our config (`ACTIONS`), each with only the
  parameters it needs (the forwarded body is rebuilt from what was checked, nothing else passes);
- the branch is the working branch; collections are the configured ones; slugs are plain names;
- entry paths are `content/<folder>/<name>.<ext>` of a configured collection (its own extension),
  media paths `content/files/…` with a suffix of `schema.ATTACHMENT_SUFFIXES`; every part a plain
  name (letters, digits, `-`, `_`, `.` inside; no `..`, no hidden names, no backslash, no control
  characters, no `%`), and on the disk no symbolic link anywhere on the way, no hard-linked file;
- a draft branch (`cms/<collection>/<slug>`) is only read, saved or merged while everything it
  changes is such a path and none of it is a symbolic link or submodule.
Anything else is answered 403 with a Chinese `{"error": …}`, which Decap shows to the editor.

Two origins: the editor (`/admin/` and the API `/api/v1`) on one port, the preview of the drafts on
another, with the site's Content-Security-Policy as a header, nothing of `files/` able to run, and
resources not loadable by other sites. Both check the Host header (DNS rebinding) and the editor
checks Origin on every POST.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import http.server
import io
import json
import os
import posixpath
import re
import secrets
import stat
import subprocess
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from gongkai_core.errors import GongkaiError

try:
    from gongkai_core.schema import ATTACHMENT_SUFFIXES
except ImportError:  # pragma: no cover - older schema without the list
    ATTACHMENT_SUFFIXES = frozenset(
        {
            ".pdf",
            ".ofd",
            ".doc",
            ".docx",
            ".wps",
            ".xls",
            ".xlsx",
            ".et",
            ".csv",
            ".txt",
            ".odt",
            ".ods",
            ".ppt",
            ".pptx",
            ".dps",
            ".jpg",
            ".jpeg",
            ".png",
            ".gif",
            ".webp",
        }
    )

from gongkai_core.requests_register import FOLDER as REGISTER  # noqa: E402 - requests/, the local register

HOST = "127.0.0.1"
API_PATH = "/api/v1"
TOKEN_HEADER = "X-Gongkai-Proxy"
MAX_BODY = 48 * 1024 * 1024  # decap-server's own limit is 50 MB; base64 makes a file 4/3 larger
MAX_PATH = 400
MAX_TEXT = 4000  # commit messages, statuses
MAX_ITEMS = 200  # files in one request
WORKFLOW_STATUSES = frozenset({"draft", "pending_review", "pending_publish"})
CMS_PREFIX = "cms"

# One part of a path or a slug: starts with a letter or digit (any script), then letters, digits,
# `-`, `_`, `.`; never ends with a dot. No `..`, `.git`, hidden names, spaces, `%`, `\`, controls.
_PART = re.compile(r"[^\W_][\w.\-]*")

SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
_META_CSP = re.compile(r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"', re.IGNORECASE)

# What the preview shows in the browser (our own build output); everything else is a download.
INLINE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
# Under files/ (attachments, drafts' included) only raster images are shown, as images.
INLINE_ATTACHMENTS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


class Local:
    """An action answered by the proxy itself, without decap-server."""

    def __init__(self, answer: Callable[[], Any]):
        self.answer = answer


class Refused(Exception):
    """A request the proxy does not pass on; the message is for the editor, in Chinese."""

    def __init__(self, message: str, status: int = 403, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message, self.status = message, status
        self.details = dict(details or {})  # more of the answer: the problems of a refused save


def shown(value: object) -> str:
    """A value as it may appear in a message: invisible characters spelled out, at most 80 chars."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:80]
    out = "".join(
        ch if ch.isprintable() else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"U+{ord(ch):04X}")
        for ch in text
    )
    return out if len(out) <= 80 else out[:77] + "……"


def site_csp(theme: Path) -> str:
    """The Content-Security-Policy of the site's pages (base.html's meta), to send as a header."""
    try:
        m = _META_CSP.search((theme / "templates" / "base.html").read_text(encoding="utf-8"))
    except OSError:
        m = None
    return m.group(1) if m else SITE_CSP


def editor_csp(preview_origin: str) -> str:
    """What Decap CMS needs and no more: its bundle and our JS from this origin (no inline script;
    'unsafe-eval' because its config validation compiles schemas with new Function), inline styles
    (emotion), media previews as blob:/data:, the theme's stylesheet from the preview origin."""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; "
        f"style-src 'self' 'unsafe-inline' {preview_origin}; img-src 'self' data: blob: {preview_origin}; "
        f"font-src 'self' data: {preview_origin}; connect-src 'self' blob: data:; media-src 'self' blob:; "
        "frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


def host_allowed(headers, port: int) -> bool:
    """Exactly one Host header, naming this machine's loopback address and this port (DNS rebinding)."""
    hosts = headers.get_all("Host") or []
    return len(hosts) == 1 and hosts[0] in allowed_hosts(port)


def allowed_origins(port: int) -> frozenset[str]:
    return frozenset(f"http://{h}" for h in allowed_hosts(port))


# ---------------------------------------------------------------- the allow-list of the API


class Places:
    """Where Decap may read and write, taken from the generated config (so they cannot diverge)."""

    def __init__(self, config: Mapping[str, Any], suffixes: Iterable[str] = ATTACHMENT_SUFFIXES):
        self.collections: dict[str, tuple[str, str]] = {}  # name -> (folder, ".ext")
        for c in config.get("collections", ()):
            folder = str(c["folder"]).strip("/")
            self.collections[str(c["name"])] = (folder, "." + str(c.get("extension", "md")).lower())
        self.folders = {folder: ext for folder, ext in self.collections.values()}
        self.media = str(config.get("media_folder", "content/files")).strip("/")
        self.suffixes = frozenset(s.lower() for s in suffixes)
        for folder in (*self.folders, self.media):
            if folder == REGISTER and folder in self.folders:
                continue  # the register of 依申请公开 requests (requests/), of the local editor's config
            if not folder.startswith("content/") or not all(_PART.fullmatch(p) for p in folder.split("/")):
                raise ValueError(f"编辑器配置中的目录“{folder}”不在 content/ 中")


def path_parts(raw: object) -> list[str]:
    """The parts of a repository-relative path, or Refused. Lexical only: the disk comes later."""
    if not isinstance(raw, str) or not raw:
        raise Refused(f"路径“{shown(raw)}”无效：应为 content/ 中的文件路径")
    if len(raw) > MAX_PATH:
        raise Refused(f"路径过长（{len(raw)} 个字符）")
    parts = raw.split("/")
    for part in parts:
        if not _PART.fullmatch(part) or part.endswith(".") or len(part.encode("utf-8")) > 255:
            raise Refused(
                f"路径“{shown(raw)}”不允许：每一段只能用字母、汉字、数字和“-”“_”“.”，"
                "不能有“..”、以“.”开头的隐藏文件、反斜杠、百分号编码、空格或控制字符，也不能以“/”开头"
            )
    if parts[0] != "content" and not (parts[0] == REGISTER and len(parts) == 2):
        raise Refused(
            f"路径“{shown(raw)}”不在 content/ 中：网页编辑器只能读写 content/ 中的条目和附件，"
            "不能改动设置、插件、主题或 .git"
        )
    return parts


class ApiPolicy:
    """Checks one decoded request body; returns the body to forward and a filter for the answer."""

    def __init__(
        self,
        repo: Path,
        branch: str,
        places: Places,
        git: Callable[..., subprocess.CompletedProcess] | None = None,
        checker: Any = None,
    ):
        self.root = Path(os.path.realpath(repo))
        self.branch, self.places = branch, places
        self.checker = checker  # editor_check.SaveCheck: what `check` refuses is not saved or merged
        self._git = git or (
            lambda *args: subprocess.run(["git", *args], cwd=self.root, capture_output=True, check=False)
        )

    # ---- paths

    def entry_path(self, raw: object, collection: str | None = None, *, disk: str = "file") -> str:
        parts = path_parts(raw)
        folder = "/".join(parts[:-1])
        ext = self.places.folders.get(folder)
        if ext is None or (collection is not None and self.places.collections[collection][0] != folder):
            where = "、".join(f"{f}/" for f in self.places.folders)
            raise Refused(f"路径“{shown(raw)}”不允许：条目只能保存在 {where} 中")
        if not parts[-1].lower().endswith(ext) or len(parts[-1]) == len(ext):
            raise Refused(f"路径“{shown(raw)}”不允许：{folder}/ 中的条目文件应为 {ext} 文件")
        self.on_disk(parts, disk)
        return "/".join(parts)

    def media_path(self, raw: object, *, disk: str = "file") -> str:
        parts = path_parts(raw)
        media = self.places.media.split("/")
        if parts[: len(media)] != media or not len(media) < len(parts) <= len(media) + 3:
            raise Refused(f"路径“{shown(raw)}”不允许：附件只能保存在 {self.places.media}/ 中")
        suffix = posixpath.splitext(parts[-1])[1].lower()
        if suffix not in self.places.suffixes:
            allowed = " ".join(sorted(self.places.suffixes))
            raise Refused(
                f"不能上传“{suffix or '无扩展名'}”类型的文件“{shown(raw)}”：网页、SVG、脚本、压缩包等"
                f"可能运行代码或无法检查内容。可用的类型：{allowed}"
            )
        self.on_disk(parts, disk)
        return "/".join(parts)

    def any_path(self, raw: object, *, disk: str = "file") -> str:
        parts = path_parts(raw)
        if "/".join(parts[:-1]) in self.places.folders:
            return self.entry_path(raw, disk=disk)
        return self.media_path(raw, disk=disk)

    def on_disk(self, parts: list[str], kind: str) -> None:
        """No symbolic link on the way (content/ itself included), folders are folders, and an existing
        target is a regular file with one name (`kind` "file") or a folder (`kind` "folder");
        `kind` "none": a path read from git, not from the working tree."""
        if kind == "none":
            return
        current = self.root
        for i, part in enumerate(parts):
            current = current / part
            try:
                info = os.lstat(current)
            except FileNotFoundError:
                if i == 0 and part != REGISTER:
                    raise Refused("仓库中没有 content/ 目录") from None
                return  # decap-server creates the rest
            except OSError as exc:
                raise Refused(f"无法检查“{'/'.join(parts[: i + 1])}”：{exc.strerror}") from None
            here = "/".join(parts[: i + 1])
            if stat.S_ISLNK(info.st_mode):
                raise Refused(f"“{shown(here)}”是符号链接：网页编辑器不经过符号链接读写文件")
            last = i == len(parts) - 1
            if not last or kind == "folder":
                if not stat.S_ISDIR(info.st_mode):
                    raise Refused(f"“{shown(here)}”不是目录")
            elif not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise Refused(f"“{shown(here)}”不是普通文件（或有多个硬链接），网页编辑器不读写它")

    # ---- other parameters

    def collection(self, value: object) -> str:
        if not isinstance(value, str) or value not in self.places.collections:
            raise Refused(f"没有名为“{shown(value)}”的栏目")
        return value

    @staticmethod
    def slug(value: object) -> str:
        if (
            not isinstance(value, str)
            or not _PART.fullmatch(value)
            or value.endswith(".")
            or len(value) > 200
        ):
            raise Refused(f"条目名“{shown(value)}”无效：只能用字母、汉字、数字和“-”“_”“.”")
        return value

    @staticmethod
    def text(value: object, what: str, limit: int = MAX_TEXT) -> str:
        if not isinstance(value, str) or len(value) > limit or "\x00" in value:
            raise Refused(f"{what}无效")
        return value

    def check_branch(self, params: Mapping[str, Any]) -> None:
        if params.get("branch") != self.branch:
            raise Refused(f"分支“{shown(params.get('branch'))}”不允许：编辑器只在 {self.branch} 分支上工作")

    def cms_branch(self, collection: str, slug: str) -> str:
        """`cms/<collection>/<slug>`, checked: only allowed paths changed, no symlink or submodule."""
        name = f"{CMS_PREFIX}/{collection}/{slug}"
        exists = self._git("show-ref", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0
        if not exists:
            return name
        result = self._git(
            "diff", "--raw", "--no-renames", "-z", "--no-ext-diff", f"{self.branch}...{name}", "--"
        )
        if result.returncode:
            raise Refused(f"无法比较草稿分支 {name}：{result.stderr.decode('utf-8', 'replace').strip()}")
        fields = result.stdout.split(b"\0")
        for meta, raw in zip(fields[0::2], fields[1::2]):
            modes = meta.decode("ascii", "replace").lstrip(":").split()
            path = raw.decode("utf-8", "replace")
            try:
                self.any_path(path, disk="none")
            except Refused as exc:
                raise Refused(f"草稿分支 {name} 改动了不允许的文件：{exc.message}") from None
            if len(modes) >= 2 and modes[1][:3] in ("120", "160"):
                raise Refused(f"草稿分支 {name} 中“{shown(path)}”是符号链接或子模块，编辑器不处理")
        return name

    # ---- actions

    def vet(self, body: object) -> tuple[dict[str, Any], Callable[[Any], Any] | None]:
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise Refused("请求应为 JSON 对象，含 action 和 params", 400)
        action = body["action"]
        if action == NEXT_INDEX_NO and self.checker is not None:
            return {}, Local(lambda: self._next_index_no(body.get("params")))
        handler = getattr(self, "_" + action, None) if action in ACTIONS else None
        if handler is None:
            raise Refused(f"不允许的操作“{shown(action)}”：网页编辑器只能读写 content/ 中的条目和附件")
        params = body.get("params")
        if action == "info":
            return {"action": "info", "params": {}}, None
        if not isinstance(params, dict):
            raise Refused("请求缺少 params", 400)
        self.check_branch(params)
        checked, answer_filter = handler(params)
        return {"action": action, "params": {"branch": self.branch, **checked}}, answer_filter

    def _next_index_no(self, p: object) -> dict[str, str]:
        """Our own action (gk-index-no in admin/gongkai-cms.js), answered here: the next free 索引号
        for a new entry of a collection and the 发布机构 written so far."""
        if not isinstance(p, dict):
            raise Refused("请求缺少 params", 400)
        column = self.collection(p.get("collection"))
        publisher = p.get("publisher")
        publisher = self.text(publisher, "发布机构", 200) if isinstance(publisher, str) else None
        try:
            return {"index_no": self.checker.next_index_no(column, publisher)}
        except (GongkaiError, OSError) as exc:
            raise Refused(f"无法取得下一个索引号：{exc}") from None

    def _key(self, p: Mapping[str, Any]) -> tuple[str, str]:
        return self.collection(p.get("collection")), self.slug(p.get("slug"))

    def _entriesByFolder(self, p):
        folder = p.get("folder")
        match = [name for name, (f, _) in self.places.collections.items() if f == folder]
        if not match:
            raise Refused(f"目录“{shown(folder)}”不是栏目目录")
        self.on_disk(folder.split("/"), "folder")
        ext = self.places.folders[folder]
        if p.get("extension") != ext[1:] or p.get("depth") != 1:
            raise Refused(f"只能列出 {folder}/ 中的 {ext} 文件")
        return {"folder": folder, "extension": ext[1:], "depth": 1}, self._only_entries

    def _entriesByFiles(self, p):
        files = p.get("files")
        if not isinstance(files, list) or len(files) > MAX_ITEMS:
            raise Refused("files 无效")
        out = []
        for f in files:
            if not isinstance(f, dict):
                raise Refused("files 无效")
            item = {"path": self.entry_path(f.get("path"))}
            if isinstance(f.get("label"), str):
                item["label"] = self.text(f["label"], "label", 200)
            out.append(item)
        return {"files": out}, None

    def _getEntry(self, p):
        return {"path": self.entry_path(p.get("path"))}, None

    def _unpublishedEntries(self, p):
        return {}, None

    def _unpublishedEntry(self, p):
        if p.get("id") is not None:
            key = p["id"]
            if not isinstance(key, str) or key.count("/") != 1:
                raise Refused(f"草稿编号“{shown(key)}”无效")
            collection, slug = key.split("/")
            p = {"collection": collection, "slug": slug}
        collection, slug = self._key(p)
        self.cms_branch(collection, slug)
        return {"collection": collection, "slug": slug}, None

    def _unpublishedEntryDataFile(self, p):
        collection, slug = self._key(p)
        self.cms_branch(collection, slug)
        return {
            "collection": collection,
            "slug": slug,
            "id": self.text(p.get("id"), "id", 200),
            "path": self.entry_path(p.get("path"), collection),
        }, None

    def _unpublishedEntryMediaFile(self, p):
        collection, slug = self._key(p)
        self.cms_branch(collection, slug)
        return {
            "collection": collection,
            "slug": slug,
            "id": self.text(p.get("id"), "id", 200),
            "path": self.media_path(p.get("path")),
        }, None

    def _deleteUnpublishedEntry(self, p):
        collection, slug = self._key(p)
        return {"collection": collection, "slug": slug}, None

    def _persistEntry(self, p):
        options = p.get("options")
        if not isinstance(options, dict):
            raise Refused("options 无效")
        collection = self.collection(options.get("collectionName"))
        workflow = options.get("useWorkflow")
        if not isinstance(workflow, bool):
            raise Refused("options.useWorkflow 无效")
        data_files = p.get("dataFiles")
        if data_files is None and isinstance(p.get("entry"), dict):
            data_files = [p["entry"]]
        if not isinstance(data_files, list) or not 1 <= len(data_files) <= 10:
            raise Refused("dataFiles 无效")
        files = []
        for f in data_files:
            if not isinstance(f, dict):
                raise Refused("dataFiles 无效")
            item = {
                "slug": self.slug(f.get("slug")),
                "path": self.entry_path(f.get("path"), collection),
                "raw": f.get("raw"),
            }
            if not isinstance(item["raw"], str):
                raise Refused("条目内容无效")
            if f.get("newPath") is not None:
                item["newPath"] = self.entry_path(f["newPath"], collection)
            files.append(item)
        assets = p.get("assets", [])
        if not isinstance(assets, list) or len(assets) > MAX_ITEMS:
            raise Refused("assets 无效")
        out_assets = [self._asset(a) for a in assets]
        status = options.get("status", "draft")
        if workflow and status not in WORKFLOW_STATUSES:
            raise Refused(f"工作流状态“{shown(status)}”无效")
        if workflow:
            self.cms_branch(collection, files[0]["slug"])
        self.refuse_invalid(
            {f.get("newPath", f["path"]): f["raw"].encode("utf-8") for f in files},
            {a["path"]: self._decoded(a["content"]) for a in out_assets},
        )
        checked_options = {
            "collectionName": collection,
            "useWorkflow": workflow,
            "commitMessage": self.text(options.get("commitMessage"), "提交说明"),
            "status": status if isinstance(status, str) else "draft",
            # a rename moves only the entry's own file, never its whole folder
            "hasSubfolders": False,
        }
        return {"dataFiles": files, "assets": out_assets, "options": checked_options}, None

    def _asset(self, a: object) -> dict[str, str]:
        if not isinstance(a, dict) or a.get("encoding") != "base64" or not isinstance(a.get("content"), str):
            raise Refused("附件内容无效（应为 base64）")
        return {"path": self.media_path(a.get("path")), "content": a["content"], "encoding": "base64"}

    def _updateUnpublishedEntryStatus(self, p):
        collection, slug = self._key(p)
        if p.get("newStatus") not in WORKFLOW_STATUSES:
            raise Refused(f"工作流状态“{shown(p.get('newStatus'))}”无效")
        return {"collection": collection, "slug": slug, "newStatus": p["newStatus"]}, None

    def _publishUnpublishedEntry(self, p):
        collection, slug = self._key(p)
        name = self.cms_branch(collection, slug)
        if self.checker is not None:  # the working branch may have changed since the draft was saved
            self.refuse_invalid(*self.checker.branch_files(self.branch, name))
        return {"collection": collection, "slug": slug}, self._merged_in_chinese(name)

    def _merged_in_chinese(self, name: str) -> Callable[[Any], Any]:
        """decap-server merges a draft with git's own English message (“Merge branch 'cms/…'”) when
        the working branch moved on since; that merge commit, just made, gets a Chinese one."""

        def after(answer: Any) -> Any:
            head = self._git("log", "-1", "--format=%P%x00%s", "HEAD")
            parents, _, subject = head.stdout.decode("utf-8", "replace").strip().partition("\0")
            if head.returncode == 0 and len(parents.split()) == 2 and subject.startswith("Merge "):
                self._git(
                    "-c",
                    "commit.gpgsign=false",
                    "commit",
                    "--amend",
                    "--no-verify",
                    "-m",
                    f"并入编辑器草稿 {name}（网页编辑器）",
                )
            return answer

        return after

    @staticmethod
    def _decoded(content: str) -> bytes:
        try:
            return base64.b64decode(content, validate=True)
        except ValueError:
            raise Refused("附件内容无效（应为 base64）") from None

    def refuse_if_used(self, paths: list[str]) -> None:
        """Refused when an entry or page still uses one of the attachments to be deleted (check would
        then refuse that entry: 附件不存在)."""
        if self.checker is None:
            return
        media = [p for p in paths if "/".join(p.split("/")[:-1]) not in self.places.folders]
        if not media:
            return
        try:
            users = self.checker.users(media)
        except (GongkaiError, OSError) as exc:
            raise Refused(f"无法按 invoke check 检查，未删除：{exc}") from None
        if users:
            listed = "；".join(f"{file} 仍被 {'、'.join(by)} 使用" for file, by in sorted(users.items()))
            raise Refused(f"不能删除：{listed}。请先在这些条目中去掉该附件")

    def refuse_invalid(self, files: Mapping[str, bytes], uploads: Mapping[str, bytes]) -> None:
        """Refused, with check's own messages, when `invoke check` would refuse these files."""
        if self.checker is None:
            return
        from .editor_check import answer

        try:
            problems = self.checker.problems(files, uploads)
        except (GongkaiError, OSError, subprocess.CalledProcessError) as exc:  # fail closed
            raise Refused(f"无法按 invoke check 检查，未保存：{exc}") from None
        if problems:
            details = answer(problems)
            raise Refused(details.pop("error"), 422, details)

    def _getMedia(self, p):
        if p.get("mediaFolder") != self.places.media:
            raise Refused(f"目录“{shown(p.get('mediaFolder'))}”不允许：附件目录是 {self.places.media}/")
        self.on_disk(self.places.media.split("/"), "folder")
        # answered here: decap-server follows a symbolic link in the folder (and fails on one out of the
        # repository); we list only the regular files of allowed types, as it would (depth 1, base64)
        return {"mediaFolder": self.places.media}, Local(self.media_listing)

    def media_listing(self) -> list[dict[str, str]]:
        folder = self.root / self.places.media
        out = []
        for name in sorted(os.listdir(folder)) if folder.is_dir() else ():
            path = f"{self.places.media}/{name}"
            if not self._allowed(self.media_path, path):
                continue
            data = (folder / name).read_bytes()
            out.append(
                {
                    "id": hashlib.sha256(data).hexdigest(),
                    "content": base64.b64encode(data).decode("ascii"),
                    "encoding": "base64",
                    "path": path,
                    "name": name,
                }
            )
        return out

    def _getMediaFile(self, p):
        return {"path": self.media_path(p.get("path"))}, None

    def _persistMedia(self, p):
        options = p.get("options")
        if not isinstance(options, dict):
            raise Refused("options 无效")
        return {
            "asset": self._asset(p.get("asset")),
            "options": {"commitMessage": self.text(options.get("commitMessage"), "提交说明")},
        }, None

    def _deleteFile(self, p):
        options = p.get("options")
        if not isinstance(options, dict):
            raise Refused("options 无效")
        path = self.any_path(p.get("path"))
        self.refuse_if_used([path])
        return {
            "path": path,
            "options": {"commitMessage": self.text(options.get("commitMessage"), "提交说明")},
        }, None

    def _deleteFiles(self, p):
        options, paths = p.get("options"), p.get("paths")
        if not isinstance(options, dict) or not isinstance(paths, list) or not 1 <= len(paths) <= MAX_ITEMS:
            raise Refused("paths 或 options 无效")
        checked = [self.any_path(x) for x in paths]
        self.refuse_if_used(checked)
        return {
            "paths": checked,
            "options": {"commitMessage": self.text(options.get("commitMessage"), "提交说明")},
        }, None

    def _getDeployPreview(self, p):
        collection, slug = self._key(p)
        return {"collection": collection, "slug": slug}, None

    # ---- answers: listings name only allowed files (a symlink in content/files/ is not read out)

    def _allowed(self, check: Callable[[object], str], path: object) -> bool:
        try:
            check(path)
        except Refused:
            return False
        return True

    def _only_entries(self, answer: Any) -> Any:
        if not isinstance(answer, list):
            return answer
        return [
            e
            for e in answer
            if isinstance(e, dict)
            and isinstance(e.get("file"), dict)
            and self._allowed(self.entry_path, e["file"].get("path"))
        ]


NEXT_INDEX_NO = "gongkaiNextIndexNo"  # ours, never forwarded (ApiPolicy._next_index_no)

# What Decap's proxy backend sends (decap-cms-backend-proxy) and decap-server's git mode answers.
# Notes (getNotes, addNote, …) and anything else: refused.
ACTIONS = frozenset(
    {
        "info",
        "entriesByFolder",
        "entriesByFiles",
        "getEntry",
        "unpublishedEntries",
        "unpublishedEntry",
        "unpublishedEntryDataFile",
        "unpublishedEntryMediaFile",
        "deleteUnpublishedEntry",
        "persistEntry",
        "updateUnpublishedEntryStatus",
        "publishUnpublishedEntry",
        "getMedia",
        "getMediaFile",
        "persistMedia",
        "deleteFile",
        "deleteFiles",
        "getDeployPreview",
    }
)


def decode_body(data: bytes) -> object:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity, bounded nesting."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise Refused(f"请求中键“{shown(key)}”重复", 400)
            out[key] = value
        return out

    def constant(name: str) -> None:
        raise Refused(f"请求中不能有 {name}", 400)

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=constant)
    except Refused:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused("请求不是有效的 JSON", 400) from None


class DecapForwarder:
    """Sends checked requests to decap-server, one at a time (it works in the one working tree)."""

    def __init__(self, policy: ApiPolicy, port: int = 0, token: str | None = None):
        self.policy, self.port = policy, port
        self.token = token or secrets.token_urlsafe(32)
        self.lock = threading.Lock()

    def handle(self, data: bytes) -> tuple[int, bytes]:
        """(status, JSON answer) for one request body."""
        try:
            with self.lock:  # checked while decap-server is idle, so the working branch is checked out
                body, answer_filter = self.policy.vet(decode_body(data))
                if isinstance(answer_filter, Local):
                    return 200, json.dumps(answer_filter.answer(), ensure_ascii=True).encode("ascii")
                status, answer = self._send(json.dumps(body, ensure_ascii=True).encode("ascii"))
                if answer_filter is not None and status == 200:
                    answer = json.dumps(answer_filter(json.loads(answer)), ensure_ascii=True).encode("ascii")
            return status, answer
        except Refused as exc:
            answer = {"error": exc.message, **exc.details}
            return exc.status, json.dumps(answer, ensure_ascii=False).encode("utf-8")
        except (OSError, http.client.HTTPException, ValueError):
            return 502, json.dumps(
                {"error": "decap-server 没有应答，请查看运行 invoke edit 的终端"}, ensure_ascii=False
            ).encode("utf-8")

    def _send(self, payload: bytes) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(
                "POST",
                API_PATH,
                body=payload,
                headers={
                    "Host": f"{HOST}:{self.port}",
                    "Content-Type": "application/json; charset=utf-8",
                    TOKEN_HEADER: self.token,
                },
            )
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


# ---------------------------------------------------------------- the two web servers

LEFT_OUT_SHOWN = 30  # files named in the notice; the rest are counted (invoke check lists all)
_SITE_BANNER_END = re.compile(rb'<div class="gk-preview-banner gk-preview-banner--site"[^>]*>.*?</div>', re.S)


def notice(left_out: list[tuple[str, list[str]]]) -> str:
    """The notice at the top of every preview page: each file left out of the preview and why (what
    `invoke check` says of it)."""
    items = []
    for path, reasons in left_out[:LEFT_OUT_SHOWN]:
        items.append(f"<li><strong>{html.escape(path)}</strong>：{html.escape('；'.join(reasons))}</li>")
    more = len(left_out) - LEFT_OUT_SHOWN
    rest = f"<p>另有 {more} 个文件，运行 invoke check 查看全部。</p>" if more > 0 else ""
    return (
        '<div class="gk-preview-banner gk-preview-left-out" role="alert" lang="zh-CN">'
        f"<strong>有 {len(left_out)} 个文件未收入预览</strong>：它们有 invoke check 不认可的问题，"
        "改正后预览会自动重新生成，公开网站也不会收入它们。"
        f"<ul>{''.join(items)}</ul>{rest}</div>"
    )


def with_notice(page: bytes, left_out: list[tuple[str, list[str]]]) -> bytes:
    """A preview page with the left-out notice after the site's preview banner (else after <body>)."""
    block = notice(left_out).encode("utf-8")
    m = _SITE_BANNER_END.search(page)
    if m is None:
        m = re.search(rb"<body[^>]*>", page)
    if m is None:
        return block + page
    return page[: m.end()] + b"\n" + block + page[m.end() :]


class _Base(http.server.SimpleHTTPRequestHandler):
    """Host checked on every request; no directory listings; no-store; quiet unless asked."""

    server_version = "gongkai-edit"

    def version_string(self) -> str:
        return self.server_version

    missing = False  # the path is nothing this server serves

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def host_ok(self) -> bool:
        if host_allowed(self.headers, self.port):
            return True
        hosts = self.headers.get_all("Host") or []
        self.refuse(
            421,
            f"主机名“{shown(hosts[0] if hosts else '')}”不是本机编辑器的地址：请用 "
            f"http://127.0.0.1:{self.port}/ 访问",
        )
        return False

    def refuse(self, status: int, message: str) -> None:
        data = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def list_directory(self, path):
        self.send_error(404, "Not Found")

    def send_head(self):
        self.translate_path(self.path)
        if self.missing:
            self.send_error(404, "Not Found")
            return None
        return super().send_head()

    def do_GET(self) -> None:
        if self.host_ok():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self.host_ok():
            super().do_HEAD()

    def refuse_method(self) -> None:
        if self.host_ok():
            self.refuse(405, "不支持的请求方法")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method

    def common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Robots-Tag", "noindex, nofollow")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("GONGKAI_EDIT_LOG"):
            super().log_message(format, *args)


class EditorHandler(_Base):
    """The editor's origin: /admin/ (session files), /admin/decap/ (node_modules), POST /api/v1."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".yml": "text/yaml",
        ".js": "text/javascript",
        ".css": "text/css",
        ".wasm": "application/wasm",
    }

    def __init__(self, *args, admin: Path, decap_dist: Path, forwarder: DecapForwarder, csp: str, **kwargs):
        self.admin, self.decap_dist, self.forwarder, self.csp = admin, decap_dist, forwarder, csp
        super().__init__(*args, directory=str(admin), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        raw_parts = [p for p in clean.split("/") if p]
        parts = [p for p in raw_parts if p not in (".", "..")]
        self.missing = parts != raw_parts or any("\\" in p or "\0" in p for p in parts)
        if parts[:2] == ["admin", "decap"]:
            base, rest = self.decap_dist, parts[2:]
        elif parts[:1] == ["admin"]:
            base, rest = self.admin, parts[1:]
        else:
            self.missing = True  # nothing else here: the preview has its own origin
            base, rest = self.admin, []
        if self.missing:
            return str(self.admin)
        target = base.joinpath(*rest)
        if clean.endswith("/") or target.is_dir():
            target = target / "index.html"
        return str(target)

    def do_GET(self) -> None:
        if not self.host_ok():
            return
        if urllib.parse.urlsplit(self.path).path in ("", "/"):
            self.send_response(302)
            self.send_header("Location", "/admin/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super(_Base, self).do_GET()

    def do_POST(self) -> None:
        if not self.host_ok():
            return
        if urllib.parse.urlsplit(self.path).path != API_PATH:
            self.refuse(404, "没有这个接口")
            return
        origins = self.headers.get_all("Origin") or []
        if len(origins) != 1 or origins[0] not in allowed_origins(self.port):
            self.refuse(
                403, f"来源“{shown(origins[0] if origins else '（无）')}”不是本机编辑器页面，拒绝修改"
            )
            return
        if self.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            self.refuse(403, "跨站请求，拒绝")
            return
        if not (self.headers.get("Content-Type") or "").lower().startswith("application/json"):
            self.refuse(415, "请求应为 application/json")
            return
        if self.headers.get("Transfer-Encoding"):
            self.refuse(411, "请求须有 Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.refuse(411, "请求须有 Content-Length")
            return
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self.refuse(
                413, f"请求过大（超过 {MAX_BODY // (1024 * 1024)} MB）：请上传较小的附件，或用 git 直接提交"
            )
            return
        data = self.rfile.read(length)
        status, answer = self.forwarder.handle(data)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def end_headers(self) -> None:
        self.common_headers()
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        super().end_headers()


class PreviewHandler(_Base):
    """The preview build (drafts included) on its own origin: the site's CSP as a header, nothing
    under files/ runs (downloads, or images in a sandbox), not embeddable or loadable by other sites."""

    def __init__(
        self,
        *args,
        preview: Path,
        csp: str,
        left_out: Callable[[], list[tuple[str, list[str]]]] = list,
        **kwargs,
    ):
        self.preview, self.csp, self.left_out = preview, csp, left_out
        self.download, self.under_files, self.under_theme = True, True, False
        super().__init__(*args, directory=str(preview), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        raw_parts = [p for p in clean.split("/") if p]
        parts = [p for p in raw_parts if p not in (".", "..")]
        self.missing = parts != raw_parts or any("\\" in p or "\0" in p for p in parts)
        if self.missing:
            return str(self.preview)
        target = self.preview.joinpath(*parts)
        if clean.endswith("/") or (target.is_dir() and not target.is_symlink()):
            target = target / "index.html"
        suffix = target.suffix.lower()
        first = parts[0].casefold() if parts else ""  # FILES/ is files/ on a case-insensitive disk
        self.under_files = first == "files"
        self.under_theme = first == "theme"
        self.download = (
            (suffix not in INLINE_ATTACHMENTS) if self.under_files else (suffix not in INLINE_TYPES)
        )
        return str(target)

    def guess_type(self, path) -> str:
        if self.download:
            return "application/octet-stream"
        return INLINE_TYPES.get(Path(str(path)).suffix.lower(), "application/octet-stream")

    def send_head(self):
        target = self.translate_path(self.path)
        if not self.fetch_ok():
            return None
        left_out = self.left_out()
        if left_out and not self.download and not self.missing and target.endswith(".html"):
            try:
                page = Path(target).read_bytes()
            except OSError:
                return super().send_head()  # its 404
            data = with_notice(page, left_out)
            self.send_response(200)
            self.send_header("Content-Type", INLINE_TYPES[".html"])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)
        return super().send_head()

    def fetch_ok(self) -> bool:
        """Another site may link here, not load our files into its page (browsers that say so)."""
        site = self.headers.get("Sec-Fetch-Site")
        mode = self.headers.get("Sec-Fetch-Mode")
        if site in (None, "same-origin", "none") or mode == "navigate" or self.under_theme:
            return True  # the theme's files are public (the editor's preview pane uses its stylesheet)
        self.refuse(403, "预览站点的文件不能被其他网页加载")
        return False

    do_POST = _Base.refuse_method

    def end_headers(self) -> None:
        self.common_headers()
        if self.download:
            self.send_header("Content-Disposition", "attachment")
        if self.download or self.under_files:
            self.send_header("Content-Security-Policy", "sandbox; default-src 'none'")
        else:
            self.send_header("Content-Security-Policy", f"{self.csp}; frame-ancestors 'none'")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header(
            "Cross-Origin-Resource-Policy", "cross-origin" if self.under_theme else "same-origin"
        )
        super().end_headers()
