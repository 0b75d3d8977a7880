"""`serve` (what `invoke serve` runs): the site on 127.0.0.1, rebuilt after every saved change."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from conftest import EPOCH, entry, make_project

LONG = "示例县人民政府办公室负责本文件的解释工作，各乡镇人民政府和县直有关部门应当结合实际认真贯彻执行。" * 5


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return predicate()


def test_serve_rebuilds_after_a_saved_change_and_keeps_the_site_when_a_build_fails(tmp_path):
    project = make_project(
        tmp_path,
        {"policy/a.md": entry(title="甲文件", body=LONG), "policy/b.md": entry(title="乙文件", body=LONG)},
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "serve", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()  # read all the time: a full pipe would stop the server
    try:
        found = wait_for(
            lambda: re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(lines)) or proc.poll() is not None
        )
        assert found and proc.poll() is None, "serve exited: " + "".join(lines)
        url = found.group(0)
        assert "甲文件" in fetch(url + "policy/a.html")

        path = project / "content/policy/a.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n保存后自动更新的新句子。\n", encoding="utf-8")
        assert wait_for(lambda: "保存后自动更新的新句子" in fetch(url + "policy/a.html"))

        # a broken entry: the build fails (a local build leaves it out), the rest is still served
        bad = project / "content/policy/b.md"
        bad.write_text(
            bad.read_text(encoding="utf-8").replace(
                "date_published: 2025-02-01", "date_published: 2025-02-30"
            ),
            encoding="utf-8",
        )
        time.sleep(0.5)
        assert wait_for(lambda: not (project / "output/policy/b.html").exists())
        assert "保存后自动更新的新句子" in fetch(url + "policy/a.html")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        reader.join(timeout=10)
    text = "".join(lines)
    assert proc.returncode == 0, text
    assert "检测到改动" in text
    assert "content/policy/b.md:" in text and "2025-02-30" in text


def test_a_port_in_use_is_a_clear_message(tmp_path):
    import socket

    project = make_project(tmp_path, {"policy/a.md": entry(title="甲文件", body=LONG)})
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0")
        result = subprocess.run(
            [sys.executable, "-m", "gongkai_cli", "serve", "--port", str(port), "--no-watch"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        taken.close()
    assert result.returncode == 1
    assert f"无法在 127.0.0.1:{port} 提供网站" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr and "程序内部错误" not in result.stderr
