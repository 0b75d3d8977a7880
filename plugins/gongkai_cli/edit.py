"""`invoke edit`: the editors' web UI (Decap CMS) on this machine, 127.0.0.1 only.

Starts `decap-server` in git mode on the project's repository (every save is a commit; the
editorial workflow keeps drafts on `cms/...` branches until 发布), builds the preview site
into a temporary folder outside the repository and serves it with the editor at `/admin/`:

    /admin/            admin/index.html (this package)      /admin/config.yml  generated from the schema
    /admin/decap/...   node_modules/decap-cms/dist (pinned)  /admin/gongkai-cms.js, columns.js
    everything else    the preview build (预览·未公开 on every unpublished page)

Nothing of the editor is written into any build output: the admin files are served from
here, so `publish` and `mirror` cannot pick them up. The preview is rebuilt when content/
changes on the working branch.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gongkai_core import decap
from gongkai_core.errors import GongkaiError

HOST = "127.0.0.1"  # decap-server has no authentication: never bind anything of the editor wider
ADMIN_SOURCE = Path(__file__).resolve().parent / "admin"
DECAP_DIST = Path("node_modules/decap-cms/dist")
DECAP_SERVER = Path("node_modules/decap-server/dist/index.js")


class EditError(GongkaiError):
    """The editor cannot start; the message says why and what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if result.returncode:
        raise EditError(f"git {' '.join(args)} 失败：{result.stderr.strip()}")
    return result.stdout.strip()


def check_repository(repo: Path, allow_dirty: bool) -> str:
    """The current branch; refuses a dirty tree, since decap-server commits with `git add .`."""
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=repo, capture_output=True).returncode:
        raise EditError(f"{repo} 不是 git 仓库：编辑器的每次保存都是一次 git 提交，请先 git clone 网站仓库")
    branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise EditError("当前不在任何分支上（detached HEAD）：请先 git checkout main")
    if branch.startswith("cms/"):
        raise EditError(f"当前在编辑器的草稿分支 {branch} 上：请先 git checkout 回主分支")
    dirty = git(repo, "status", "--porcelain")
    if dirty and not allow_dirty:
        listed = "\n".join("  " + line for line in dirty.splitlines()[:10])
        raise EditError("工作区有未提交的修改。编辑器保存时会执行 git add .，会把这些修改一并提交：\n"
                        f"{listed}\n请先提交或移走这些修改（确需继续时加 --allow-dirty）")
    return branch


def build_config(columns: dict[str, str], branch: str, server_port: int, site_url: str) -> dict:
    backend = decap.proxy_backend(branch, f"http://{HOST}:{server_port}/api/v1")
    return decap.config(columns, backend, site_url=site_url)


def write_admin(target: Path, config: dict, columns: dict[str, str]) -> None:
    """admin/ for this session: index.html and our JS, the generated config.yml and columns.js."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "gongkai-cms.js"):
        shutil.copyfile(ADMIN_SOURCE / name, target / name)
    (target / "config.yml").write_text(
        "# 由 gongkai_core/decap.py 根据条目结构生成，请勿手工修改\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (target / "columns.js").write_text(
        f"window.GONGKAI_COLUMNS = {json.dumps(list(columns))};\n", encoding="utf-8")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Preview files, with /admin/ from the session's admin dir and /admin/decap/ from node_modules."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml",
                      ".js": "text/javascript", ".wasm": "application/wasm"}

    def __init__(self, *args, preview: Path, admin: Path, decap_dist: Path, **kwargs):
        self.preview, self.admin, self.decap_dist = preview, admin, decap_dist
        super().__init__(*args, directory=str(preview), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        parts = [p for p in clean.split("/") if p and p not in (".", "..")]
        if parts[:2] == ["admin", "decap"]:
            base, rest = self.decap_dist, parts[2:]
        elif parts[:1] == ["admin"]:
            base, rest = self.admin, parts[1:]
        else:
            base, rest = self.preview, parts
        target = base.joinpath(*rest)
        if clean.endswith("/") or target.is_dir():
            target = target / "index.html"
        return str(target)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Robots-Tag", "noindex, nofollow")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        if os.environ.get("GONGKAI_EDIT_LOG"):
            super().log_message(format, *args)


@dataclass
class Session:
    repo: Path
    columns: dict[str, str]
    port: int = 8000
    server_port: int = 8081
    allow_dirty: bool = False
    settings: str = "pelicanconf.py"
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gongkai-edit-")))
    processes: list[subprocess.Popen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def build_preview(self) -> bool:
        result = subprocess.run([sys.executable, "-m", "gongkai_cli", "preview", "--settings", self.settings,
                                 "--output", str(self.work / "preview")], cwd=self.repo,
                                capture_output=True, text=True)
        out = (result.stdout + result.stderr).strip()
        if out:
            print(out, flush=True)
        return result.returncode == 0

    def content_state(self) -> tuple:
        root = self.repo / "content"
        return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                            for p in root.rglob("*") if p.is_file()))

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
            current = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=self.repo,
                                     capture_output=True, text=True).stdout.strip()
            if current != branch:
                continue  # decap-server is working on a cms/ branch; wait until it is back
            print("内容有变化，正在重新生成预览……", flush=True)
            self.build_preview()
            seen = now

    def start_decap_server(self) -> subprocess.Popen:
        script = self.repo / DECAP_SERVER
        if not script.is_file():
            raise EditError(f"找不到 {DECAP_SERVER}：请先运行 scripts/bootstrap（npm ci 安装编辑器）")
        node = shutil.which("node")
        if node is None:
            raise EditError("找不到 node：请先安装 Node.js 20（scripts/bootstrap 会提示）")
        env = dict(os.environ, MODE="git", PORT=str(self.server_port), BIND_HOST=HOST,
                   GIT_REPO_DIRECTORY=str(self.repo.resolve()), ORIGIN=f"http://{HOST}:{self.port}",
                   LOG_LEVEL=os.environ.get("GONGKAI_EDIT_LOG_LEVEL", "warn"))
        proc = subprocess.Popen([node, str(script)], cwd=self.repo, env=env)
        self.processes.append(proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EditError(f"decap-server 启动失败（退出码 {proc.returncode}），端口 {self.server_port} 是否已被占用？")
            with socket.socket() as s:
                if s.connect_ex((HOST, self.server_port)) == 0:
                    return proc
            time.sleep(0.2)
        raise EditError(f"decap-server 在 30 秒内没有在 {HOST}:{self.server_port} 上启动")

    def run(self) -> int:
        branch = check_repository(self.repo, self.allow_dirty)
        dist = self.repo / DECAP_DIST
        if not (dist / "decap-cms.js").is_file():
            raise EditError(f"找不到 {DECAP_DIST}/decap-cms.js：请先运行 scripts/bootstrap（npm ci 安装编辑器）")
        if self.port == 0:
            self.port = free_port()
        if self.server_port == 0:
            self.server_port = free_port()
        work = self.work
        site_url = f"http://{HOST}:{self.port}"
        write_admin(work / "admin", build_config(self.columns, branch, self.server_port, site_url), self.columns)
        print("正在生成预览站点……", flush=True)
        if not self.build_preview():
            print("预览站点生成失败（见上方提示）；编辑器仍可使用，修正内容后会自动重新生成。", flush=True)
            (work / "preview").mkdir(parents=True, exist_ok=True)
        self.start_decap_server()
        handler = functools.partial(Handler, preview=work / "preview", admin=work / "admin", decap_dist=dist)
        server = http.server.ThreadingHTTPServer((HOST, self.port), handler)
        threading.Thread(target=self.watch, args=(branch,), daemon=True).start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"编辑器：http://{HOST}:{self.port}/admin/\n预览站点：http://{HOST}:{self.port}/\n"
              f"仓库：{self.repo.resolve()}（分支 {branch}）。仅本机可访问；按 Ctrl+C 停止。", flush=True)
        try:
            while not self.stop.wait(0.5):
                if any(p.poll() is not None for p in self.processes):
                    print("decap-server 已意外退出，编辑器停止。", file=sys.stderr, flush=True)
                    return 1
        finally:
            server.shutdown()
            self.shutdown()
        return 0

    def shutdown(self) -> None:
        self.stop.set()
        shutil.rmtree(self.work, ignore_errors=True)
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def run_edit(repo: Path, columns: dict[str, str], port: int, server_port: int, allow_dirty: bool,
             settings: str = "pelicanconf.py") -> int:
    session = Session(repo, columns, port, server_port, allow_dirty, settings)
    signal.signal(signal.SIGTERM, lambda *_: session.stop.set())
    try:
        return session.run()
    except KeyboardInterrupt:
        session.stop.set()
        return 0
    finally:
        session.shutdown()


def write_config(target: Path, columns: dict[str, str], backend_file: Path | None, branch: str,
                 repo: Path | None = None) -> None:
    """`edit --write-config DIR`: a complete admin/ folder for another backend (Gitea, GitLab),
    to be served by the office's intranet web server: index.html, our JS, config.yml, decap/."""
    backend = yaml.safe_load(backend_file.read_text(encoding="utf-8")) if backend_file else \
        decap.proxy_backend(branch, f"http://{HOST}:8081/api/v1")
    if not isinstance(backend, dict) or "name" not in backend:
        raise EditError(f"{backend_file}：应为 Decap 的 backend 设置（至少含 name，如 gitea 或 gitlab）")
    backend.setdefault("branch", branch)
    workflow = backend.pop("publish_mode", "editorial_workflow") == "editorial_workflow"
    dist = (repo or Path.cwd()) / DECAP_DIST
    if not (dist / "decap-cms.js").is_file():
        raise EditError(f"找不到 {DECAP_DIST}/decap-cms.js：请先运行 scripts/bootstrap（npm ci 安装编辑器）")
    write_admin(target, decap.config(columns, backend, editorial_workflow=workflow), columns)
    shutil.copytree(dist, target / "decap", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.map", "*.LICENSE.txt", "cms.js", "*.cms.js"))
