"""`invoke serve --preview` serves drafts on 127.0.0.1: only to requests addressed to it (issue 15).

A page on another site that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own Host
header; such requests are refused, so the drafts of the preview cannot be read through the browser.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import EPOCH, entry, make_project

CANARY = "CANARYSERVEQ"


@pytest.fixture
def preview_server(tmp_path):
    project = make_project(
        tmp_path,
        {
            "policy/ok.md": entry(title="已公开的通知"),
            "policy/draft.md": entry(
                title=f"草稿{CANARY}",
                body=CANARY,
                status="draft",
                secrecy="pending",
                secrecy_on=None,
                approved=None,
            ),
        },
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "serve", "--preview", "--no-watch", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    deadline = time.monotonic() + 120
    found = None
    while time.monotonic() < deadline and proc.poll() is None and not found:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(lines))
        time.sleep(0.2)
    assert found, "serve did not start: " + "".join(lines)
    try:
        yield int(found.group(1))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def get(port: int, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_serve_answers_only_requests_addressed_to_it(preview_server):
    port = preview_server
    status, headers, body = get(port, "/policy/draft.html", f"127.0.0.1:{port}")
    assert status == 200 and CANARY.encode() in body  # the preview shows the draft, to this machine
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    status, _, _ = get(port, "/policy/draft.html", f"localhost:{port}")
    assert status == 200
    for host in (
        f"evil.example:{port}",
        "evil.example",
        f"127.0.0.1:{port + 1}",
        "",
        f"127.0.0.1.evil.example:{port}",
        f"[::1]:{port}",
    ):
        status, _, body = get(port, "/policy/draft.html", host)
        assert status == 421, host
        assert CANARY.encode() not in body


def test_serve_lists_no_folders(preview_server):
    port = preview_server
    status, _, body = get(port, "/catalog/2025/", f"127.0.0.1:{port}")
    assert status in (200, 404) and b"Directory listing" not in body
