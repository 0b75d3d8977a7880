"""`serve`: the built site on 127.0.0.1, rebuilt whenever a file of the project changes.

Editors save an entry and reload the page: the watcher notices the change (it polls the stats of
the content folder, the theme and the settings file twice a second), waits until saving is done,
and runs the same build as `build`/`preview` in a child process — usually the fast rebuild of the
changed entries (gongkai_build.fastrebuild), under a second or two even at 10,000 entries. A build
that fails says why and leaves the served site as it was.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from gongkai_core.errors import GongkaiError

from . import ports

POLL_SECONDS = 0.5
QUIET_SECONDS = 0.4  # no further change for this long: the editor has finished saving


def project_signature(project: Path, settings_file: str) -> tuple:
    """What a change of any input of the build changes: stats of content/, theme/, the project's holiday
    calendar (working days in 征地 notices) and the settings."""
    from gongkai_build.record import content_stats
    from gongkai_core.workdays import PROJECT_FOLDER

    parts = []
    for folder in ("content", "theme", PROJECT_FOLDER):
        root = project / folder
        if root.is_dir():
            parts.append(tuple(sorted(content_stats(root.resolve()).items())))
    for name in {settings_file, "pelicanconf.py"}:
        try:
            st = os.stat(project / name)
            parts.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            parts.append((name, None))
    return tuple(parts)


class _QuietHandler(SimpleHTTPRequestHandler):
    """The built site on 127.0.0.1, only to requests addressed to 127.0.0.1/localhost with this port: a
    page elsewhere that rebinds its own host name to 127.0.0.1 (DNS rebinding) cannot read the site —
    in preview, the drafts. Served with the site's CSP as a header, no directory listings."""

    def _host_ok(self) -> bool:
        from .editor_proxy import host_allowed

        if host_allowed(self.headers, self.server.server_address[1]):
            return True
        self.send_error(421, "Misdirected Request")
        return False

    def do_GET(self) -> None:
        if self._host_ok():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._host_ok():
            super().do_HEAD()

    def list_directory(self, path):
        self.send_error(404, "Not Found")

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", SITE_CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass  # one line per request would bury the build messages


SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def start_server(output: Path, port: int) -> ThreadingHTTPServer:
    # `directory` is a path, looked up on every request: after a build swaps the output in,
    # the next request already sees the new site
    handler = functools.partial(_QuietHandler, directory=str(output))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise GongkaiError(ports.in_use_message("提供网站", port, exc, "--port")) from exc
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_build(project: Path, command: str, output: str, settings_file: str | None) -> int:
    args = [sys.executable, "-m", "gongkai_cli", command, "--output", output]
    if settings_file:
        args += ["--settings", settings_file]
    return subprocess.run(args, cwd=project).returncode


def serve(
    project: Path,
    output: str,
    port: int,
    watch: bool,
    preview: bool,
    settings_file: str | None,
    build_first: bool = True,
    stop: threading.Event | None = None,
) -> int:
    command = "preview" if preview else "build"
    shown_settings = settings_file or "pelicanconf.py"
    seen = project_signature(project, shown_settings)  # before building: a change while it runs is seen
    if (
        build_first
        and run_build(project, command, output, settings_file) != 0
        and not (project / output).is_dir()
    ):
        print("构建失败，没有可提供的网站。请先改正上面列出的问题。", file=sys.stderr)
        return 1
    server = start_server(project / output, port)
    print(f"网站地址：http://127.0.0.1:{server.server_address[1]}/  （Ctrl+C 停止）", flush=True)
    if watch:
        print("正在监视 content/、theme/ 与配置文件：保存后会自动重新构建。", flush=True)
    stop = stop or threading.Event()
    try:
        while not stop.wait(POLL_SECONDS):
            if not watch:
                continue
            now = project_signature(project, shown_settings)
            if now == seen:
                continue
            while not stop.wait(QUIET_SECONDS):  # let the editor finish saving
                later = project_signature(project, shown_settings)
                if later == now:
                    break
                now = later
            print("检测到改动，正在重新构建……", flush=True)
            code = run_build(project, command, output, settings_file)
            if code != 0:
                print("构建失败，网站保持上一次的内容；改正后保存即可再次构建。", file=sys.stderr, flush=True)
            seen = now
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
