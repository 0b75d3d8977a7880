"""`invoke edit`: the editors' web UI (Decap CMS) on this machine, 127.0.0.1 only.

Starts `decap-server` in git mode on the project's repository (every save is a commit; the
editorial workflow keeps drafts on `cms/...` branches until 发布), builds the preview site
into a temporary folder outside the repository, and serves two origins:

    editor  http://127.0.0.1:PORT/
      /admin/            admin/index.html (this package)      /admin/config.yml  generated from the schema
      /admin/decap/...   node_modules/decap-cms/dist (pinned)  /admin/gongkai-cms.js, columns.js
      /api/v1            the proxy to decap-server (editor_proxy.ApiPolicy: content/ only)
    preview http://127.0.0.1:PREVIEW_PORT/   the preview build (预览·未公开 on every unpublished page),
                         the site's CSP as a header, attachments only as downloads or sandboxed images

decap-server itself listens on a third loopback port that only this process knows and answers only
requests carrying this session's secret (admin/decap-guard.cjs): the browser never reaches it.
Nothing of the editor is written into any build output: the admin files are served from
here, so `publish` and `mirror` cannot pick them up. The preview is rebuilt when content/
changes on the working branch.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from gongkai_core import clock, decap
from gongkai_core.errors import GongkaiError

from . import editor_check, editor_proxy, new, ports

HOST = "127.0.0.1"  # decap-server has no authentication: never bind anything of the editor wider
ADMIN_SOURCE = Path(__file__).resolve().parent / "admin"
DECAP_DIST = Path("node_modules/decap-cms/dist")
DECAP_SERVER = Path("node_modules/decap-server/dist/index.js")
DECAP_GUARD = ADMIN_SOURCE / "decap-guard.cjs"
ADMIN_FILES = ("index.html", "gongkai-locale.js", "gongkai-cms.js")  # what the browser gets of admin/


_INDEX_NO_LINE = re.compile(r"^\s*index_no:\s*['\"]?([A-Za-z0-9]{4,18})/\d{4}-\d+", re.M)


class EditError(GongkaiError):
    """The editor cannot start; the message says why and what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if result.returncode:
        raise EditError(f"git {' '.join(args)} 失败：{result.stderr.strip()}")
    return result.stdout.strip()


def check_repository(repo: Path, allow_dirty: bool) -> str:
    """The current branch; refuses a dirty tree, since decap-server commits with `git add .`."""
    if subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=repo, capture_output=True, check=False
    ).returncode:
        raise EditError(f"{repo} 不是 git 仓库：编辑器的每次保存都是一次 git 提交，请先 git clone 网站仓库")
    branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise EditError("当前不在任何分支上（detached HEAD）：请先 git checkout main")
    if branch.startswith("cms/"):
        raise EditError(f"当前在编辑器的草稿分支 {branch} 上：请先 git checkout 回主分支")
    dirty = git(repo, "status", "--porcelain")
    if dirty and not allow_dirty:
        listed = "\n".join("  " + line for line in dirty.splitlines()[:10])
        raise EditError(
            "工作区有未提交的修改。编辑器保存时会执行 git add .，会把这些修改一并提交：\n"
            f"{listed}\n请先提交或移走这些修改（确需继续时加 --allow-dirty）"
        )
    return branch


def column_code(content: Path, column: str) -> str:
    """The code of the 索引号 the column's entries use most (their publisher's), else the site's."""
    codes: Counter[str] = Counter()
    for folder in (content / column, content):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
                found = _INDEX_NO_LINE.search(path.read_text(encoding="utf-8", errors="ignore"))
                if found:
                    codes[found.group(1)] += 1
        if codes:
            return codes.most_common(1)[0][0]
    return new.DEFAULT_CODE


def index_defaults(content: Path, columns: dict[str, str], year: int) -> dict[str, dict[str, str]]:
    """By column, the 索引号 a new entry starts with: the next free number this year of the code its
    column's entries use (as `invoke new` numbers)."""
    return {
        column: {"index_no": new.next_index_no(content, column_code(content, column), year)}
        for column in columns
    }


def build_config(columns: dict[str, str], branch: str, preview_url: str, content: Path | None = None) -> dict:
    """Decap talks to our proxy on its own origin (root-relative /api/v1), never to decap-server;
    its “view” links go to the preview origin."""
    backend = decap.proxy_backend(branch, editor_proxy.API_PATH)
    defaults = index_defaults(content, columns, clock.build_date().year) if content else None
    # the register of requests: in the config served on this machine only
    return decap.config(columns, backend, site_url=preview_url, local_register=True, defaults=defaults)


def write_admin(target: Path, config: dict, columns: dict[str, str], preview_url: str = "") -> None:
    """admin/ for this session: index.html and our JS, the generated config.yml and columns.js."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ADMIN_FILES:
        shutil.copyfile(ADMIN_SOURCE / name, target / name)
    (target / "config.yml").write_text(
        "# 由 gongkai_core/decap.py 根据条目结构生成，请勿手工修改\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    preview = f"window.GONGKAI_PREVIEW_ORIGIN = {json.dumps(preview_url)};\n" if preview_url else ""
    (target / "columns.js").write_text(
        f"window.GONGKAI_COLUMNS = {json.dumps(list(columns))};\n{preview}", encoding="utf-8"
    )


def bind(port: int, option: str, what: str = "启动编辑器") -> http.server.ThreadingHTTPServer:
    """A server on 127.0.0.1:port (0: any free port); its handler is set once every port is known."""
    try:
        return http.server.ThreadingHTTPServer((HOST, port), http.server.BaseHTTPRequestHandler)
    except OSError as exc:
        raise EditError(ports.in_use_message(what, port, exc, option)) from exc


@dataclass
class Session:
    repo: Path
    columns: dict[str, str]
    port: int = 8000
    server_port: int = 0
    allow_dirty: bool = False
    settings: str = "pelicanconf.py"
    preview_port: int | None = None  # None: the editor's port + 1 (any free port when that is 0)
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gongkai-edit-")))
    processes: list[subprocess.Popen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)
    servers: list[http.server.ThreadingHTTPServer] = field(default_factory=list)
    forwarder: editor_proxy.DecapForwarder | None = None
    serving: bool = False
    left_out: list[tuple[str, list[str]]] = field(default_factory=list)  # the preview's notice

    def build_preview(self) -> bool:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "gongkai_cli",
                "preview",
                "--settings",
                self.settings,
                "--output",
                str(self.work / "preview"),
            ],
            cwd=self.repo,
            capture_output=True,
            text=True,
            check=False,
        )
        out = (result.stdout + result.stderr).strip()
        if out:
            print(out, flush=True)
        if self.forwarder is not None:
            with self.forwarder.lock:  # decap-server idle: the working branch is what is checked out
                self.left_out = self.find_left_out()
        else:
            self.left_out = self.find_left_out()
        return result.returncode == 0

    def find_left_out(self) -> list[tuple[str, list[str]]]:
        """Each file the preview leaves out, with what `invoke check` says of it (line by line)."""
        check = editor_check.SaveCheck(self.repo, self.columns, self.settings)
        try:
            problems = check.site_problems()
        except (GongkaiError, OSError) as exc:
            return [("content/", [f"无法检查：{exc}"])]
        found: dict[str, list[str]] = {}
        for p in problems:
            found.setdefault(p.path, []).append(f"第 {p.line} 行：{p.message}")
        return sorted(found.items())

    def content_state(self) -> tuple:
        """(path, mtime, size) of every file under content/. Files and whole folders come and go while
        decap-server switches branches (an empty folder git does not track vanishes): what vanished
        during the walk is left out, never an error that would stop the watcher."""
        found = []
        for folder, _, names in os.walk(self.repo / "content"):  # os.walk skips unreadable folders
            for name in names:
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found.append((path, info.st_mtime_ns, info.st_size))
        return tuple(sorted(found))

    def watch(self, branch: str) -> None:
        """Rebuild the preview when content/ changed on the working branch (not mid-checkout)."""
        seen = self.content_state()
        while not self.stop.wait(1.5):
            now = self.content_state()
            if now == seen:
                continue
            time.sleep(1.0)
            if self.content_state() != now:
                continue  # still changing
            current = subprocess.run(
                ["git", "rev-parse", "--abbrev-ref", "HEAD"],
                cwd=self.repo,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if current != branch:
                continue  # decap-server is working on a cms/ branch; wait until it is back
            print("内容有变化，正在重新生成预览……", flush=True)
            self.build_preview()
            seen = now

    def start_decap_server(self, token: str) -> subprocess.Popen:
        """decap-server on a loopback port only we know, answering only requests with `token`."""
        script = self.repo / DECAP_SERVER
        if not script.is_file():
            raise EditError(f"找不到 {DECAP_SERVER}：请先运行 scripts/bootstrap（npm ci 安装编辑器）")
        node = shutil.which("node")
        if node is None:
            raise EditError("找不到 node：请先安装 Node.js 20（scripts/bootstrap 会提示）")
        if self.server_port == 0:
            self.server_port = free_port()
        env = dict(
            os.environ,
            MODE="git",
            PORT=str(self.server_port),
            BIND_HOST=HOST,
            GIT_REPO_DIRECTORY=os.path.realpath(self.repo),
            ORIGIN=f"http://{HOST}:{self.port}",
            GONGKAI_PROXY_TOKEN=token,
            GONGKAI_PROXY_HOST=f"{HOST}:{self.server_port}",
            LOG_LEVEL=os.environ.get("GONGKAI_EDIT_LOG_LEVEL", "warn"),
        )
        # cwd: our own folder, so that decap-server's dotenv does not read a .env of the repository
        proc = subprocess.Popen(
            [node, "--require", str(DECAP_GUARD), str(script.resolve())], cwd=self.work, env=env
        )
        self.processes.append(proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EditError(
                    f"decap-server 启动失败（退出码 {proc.returncode}），端口 {self.server_port} 是否已被占用？"
                )
            with socket.socket() as s:
                if s.connect_ex((HOST, self.server_port)) == 0:
                    return proc
            time.sleep(0.2)
        raise EditError(f"decap-server 在 30 秒内没有在 {HOST}:{self.server_port} 上启动")

    def run(self) -> int:
        branch = check_repository(self.repo, self.allow_dirty)
        dist = self.repo / DECAP_DIST
        if not (dist / "decap-cms.js").is_file():
            raise EditError(
                f"找不到 {DECAP_DIST}/decap-cms.js：请先运行 scripts/bootstrap（npm ci 安装编辑器）"
            )
        if self.preview_port is None:
            self.preview_port = self.port + 1 if self.port else 0
        editor = bind(self.port, "--port")
        self.servers.append(editor)
        self.port = editor.server_address[1]
        preview = bind(self.preview_port, "--preview-port", "提供预览站点")
        self.servers.append(preview)
        self.preview_port = preview.server_address[1]
        if self.server_port and (busy := ports.check_free(self.server_port)) is not None:
            # decap-server would only exit with a code: every port is checked before the preview is built
            raise EditError(
                ports.in_use_message("启动 decap-server", self.server_port, busy, "--server-port")
            )
        editor_url, preview_url = f"http://{HOST}:{self.port}", f"http://{HOST}:{self.preview_port}"
        work = self.work
        config = build_config(self.columns, branch, preview_url, self.repo / "content")
        write_admin(work / "admin", config, self.columns, preview_url)
        print("正在生成预览站点……", flush=True)
        if not self.build_preview():
            print("预览站点生成失败（见上方提示）；编辑器仍可使用，修正内容后会自动重新生成。", flush=True)
            (work / "preview").mkdir(parents=True, exist_ok=True)
        policy = editor_proxy.ApiPolicy(
            self.repo,
            branch,
            editor_proxy.Places(config),
            checker=editor_check.SaveCheck(self.repo, self.columns, self.settings),
        )
        self.forwarder = editor_proxy.DecapForwarder(policy)
        self.start_decap_server(self.forwarder.token)
        self.forwarder.port = self.server_port
        editor.RequestHandlerClass = functools.partial(
            editor_proxy.EditorHandler,
            admin=work / "admin",
            decap_dist=dist,
            forwarder=self.forwarder,
            csp=editor_proxy.editor_csp(preview_url),
        )
        preview.RequestHandlerClass = functools.partial(
            editor_proxy.PreviewHandler,
            preview=work / "preview",
            csp=editor_proxy.site_csp(self.repo / "theme"),
            left_out=lambda: self.left_out,
        )
        threading.Thread(target=self.watch, args=(branch,), daemon=True).start()
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.serving = True
        print(
            f"编辑器：{editor_url}/admin/\n预览站点：{preview_url}/\n"
            f"仓库：{os.path.realpath(self.repo)}（分支 {branch}）。仅本机可访问；编辑器只能写 content/ 中的"
            "条目和附件；按 Ctrl+C 停止。",
            flush=True,
        )
        self.ready.set()
        try:
            while not self.stop.wait(0.5):
                if any(p.poll() is not None for p in self.processes):
                    print("decap-server 已意外退出，编辑器停止。", file=sys.stderr, flush=True)
                    return 1
        finally:
            self.shutdown()
        return 0

    def shutdown(self) -> None:
        self.stop.set()
        for server in self.servers:
            if self.serving:
                server.shutdown()
            server.server_close()
        self.servers.clear()
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(self.work, ignore_errors=True)


def run_edit(
    repo: Path,
    columns: dict[str, str],
    port: int,
    server_port: int,
    allow_dirty: bool,
    settings: str = "pelicanconf.py",
    preview_port: int | None = None,
) -> int:
    session = Session(repo, columns, port, server_port, allow_dirty, settings, preview_port)
    signal.signal(signal.SIGTERM, lambda *_: session.stop.set())
    try:
        return session.run()
    except KeyboardInterrupt:
        session.stop.set()
        return 0
    finally:
        session.shutdown()


def write_config(
    target: Path, columns: dict[str, str], backend_file: Path | None, branch: str, repo: Path | None = None
) -> None:
    """`edit --write-config DIR`: a complete admin/ folder for another backend (Gitea, GitLab),
    to be served by the office's intranet web server: index.html, our JS, config.yml, decap/."""
    backend = (
        yaml.safe_load(backend_file.read_text(encoding="utf-8"))
        if backend_file
        else decap.proxy_backend(branch, f"http://{HOST}:8081/api/v1")
    )
    if not isinstance(backend, dict) or "name" not in backend:
        raise EditError(f"{backend_file}：应为 Decap 的 backend 设置（至少含 name，如 gitea 或 gitlab）")
    backend.setdefault("branch", branch)
    workflow = backend.pop("publish_mode", "editorial_workflow") == "editorial_workflow"
    dist = (repo or Path.cwd()) / DECAP_DIST
    if not (dist / "decap-cms.js").is_file():
        raise EditError(f"找不到 {DECAP_DIST}/decap-cms.js：请先运行 scripts/bootstrap（npm ci 安装编辑器）")
    write_admin(target, decap.config(columns, backend, editorial_workflow=workflow), columns)
    shutil.copytree(
        dist,
        target / "decap",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("*.map", "*.LICENSE.txt", "cms.js", "*.cms.js"),
    )
