"""What every browser test shares: Debian's Chromium, its flags, axe-core, a local HTTP server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

from conftest import ROOT

# the command line `invoke screenshots` uses (without the background-networking flags Chromium tries
# Google's hosts at every start)
from gongkai_cli.screenshots import ARGS, CHROMIUM  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path, headers: dict[str, str] | None = None):
    """Serve a folder on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = type("Handler", (QuietHandler,), {"extra_headers": dict(headers or {})})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
