"""`invoke editor-screenshots`: the pictures of docs/editor-ui.md, taken in headless Chromium.

Copies the demo content into a temporary git repository, starts `gongkai_cli edit` there (never
on the working repository: saving commits) and photographs the steps an editor takes.
Usage: python -m gongkai_cli.editor_shots [OUT_DIR]   (default docs/img)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .screenshots import ARGS, CHROMIUM  # one Chromium command line for every picture


def _project(root: Path, base: Path) -> Path:
    project = base / "site"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", ".gitignore"):
        shutil.copy(root / name, project / name)
    shutil.copytree(root / "content", project / "content")
    for name in ("theme", "plugins", "node_modules"):
        (project / name).symlink_to(root / name)
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "编辑示例"],
        ["config", "user.email", "editor@example.invalid"],
        ["add", "."],
        ["commit", "-q", "-m", "示例"],
    ):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    return project


def _start(project: Path) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "edit", "--port", "0", "--server-port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        for line in proc.stdout:
            m = re.match(r"编辑器：(http://127\.0\.0\.1:\d+)/admin/", line)
            if m:
                found.append(m.group(1))
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(120):
        proc.kill()
        raise SystemExit("编辑器没有启动")
    return proc, found[0]


def shoot(out: Path, root: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-shots-") as tmp:
        project = _project(root, Path(tmp))
        proc, base = _start(project)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")

                def snap(name: str) -> None:
                    page.wait_for_timeout(600)
                    path = out / f"editor-{name}.png"
                    page.screenshot(path=str(path))
                    shots.append(path)

                def field(label: str):
                    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(可选\))?$")).first

                page.goto(base + "/admin/")
                page.get_by_role("button", name="登录").wait_for()
                snap("1-login")
                page.get_by_role("button", name="登录").click()
                page.get_by_text("政策文件").first.wait_for()
                snap("2-collections")
                page.goto(base + "/admin/#/collections/policy/new")
                field("标题").wait_for()
                field("标题").fill("示例县公共文化场馆免费开放办法")
                field("索引号").fill("2025-12")
                field("发布机构").fill("示例县文化和旅游局")
                snap("3-new-entry")
                page.get_by_role("button", name="保存", exact=True).click()
                page.get_by_text("不满足模式").first.wait_for()
                snap("4-refused")
                field("索引号").fill("")
                field("索引号").fill("SL0000777/2025-00031")
                for label, value in (("成文日期", "2025-03-01"), ("发布日期", "2025-02-01")):
                    field(label).fill(value)
                for label, option in (("公开属性", "主动公开"), ("审核状态", "草稿"), ("保密审查", "待审查")):
                    box = field(label)
                    box.click()
                    box.fill(option)
                    page.keyboard.press("Enter")
                page.get_by_role("button", name="保存", exact=True).click()
                page.locator(".gk-check-error").first.wait_for()  # check's message above 发布日期
                page.locator(".gk-check-error").first.scroll_into_view_if_needed()
                snap("7-check-refused")
                field("发布日期").fill("2025-03-05")
                page.get_by_role("button", name="保存", exact=True).click()
                page.get_by_text("状态: 草稿").wait_for()
                page.get_by_text("状态: 草稿").click()
                snap("5-workflow")
                page.keyboard.press("Escape")
                page.goto(base + "/admin/#/workflow")
                page.get_by_text("示例县公共文化场馆免费开放办法").first.wait_for()
                snap("6-workflow-board")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return shots


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/img")
    for path in shoot(out, Path.cwd()):
        print(f"已保存 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
