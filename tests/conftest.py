"""Shared fixtures: real files in a temporary project, real Pelican builds in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# 2026-11-01 12:00 Asia/Shanghai: a fixed build date for every test build
EPOCH = "1793505600"


def review_block(
    status="approved",
    secrecy="passed",
    drafted="2025-01-20",
    section="2025-01-21",
    secrecy_on="2025-01-22",
    approved="2025-01-23",
    extra: str = "",
) -> str:
    lines = ["review:", f"  status: {status}"]
    if drafted:
        lines += ["  drafted_by: 张三", f"  drafted_on: {drafted}"]
    if section:
        lines += ["  section_by: 李四", f"  section_on: {section}"]
    lines.append(f"  secrecy: {secrecy}")
    if secrecy_on:
        lines += ["  secrecy_by: 王五", f"  secrecy_on: {secrecy_on}"]
    if approved:
        lines += ["  approved_by: 赵六", f"  approved_on: {approved}"]
    if extra:
        lines += ["  " + line for line in extra.strip().split("\n")]
    return "\n".join(lines)


_SEQ = iter(range(1, 10**6))


def entry(
    title="示例县测试文件",
    body="正文第一段。",
    column="policy",
    index_no=None,
    publisher="示例县测试局",
    date_published="2025-02-01",
    date_written="2025-01-20",
    disclosure="proactive",
    extra: str = "",
    review: str | None = None,
    **review_kw,
) -> str:
    """A Markdown entry; every argument is what an editor would type."""
    index_no = index_no or f"SL0000001/2025-{next(_SEQ):05d}"
    meta = textwrap.dedent(f"""\
        title: {title}
        index_no: {index_no}
        publisher: {publisher}
        column: {column}
        date_written: {date_written}
        date_published: {date_published}
        disclosure: {disclosure}
        """)
    if extra:
        meta += extra.strip() + "\n"
    meta += (review if review is not None else review_block(**review_kw)) + "\n"
    return f"---\n{meta}---\n\n{body}\n"


@dataclass
class BuiltSite:
    project: Path
    output: Path
    exit_code: int
    stdout: str
    stderr: str
    files: list[Path] = field(default_factory=list)

    def text(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")

    def exists(self, rel: str) -> bool:
        return (self.output / rel).exists()

    def all_files(self) -> list[Path]:
        return sorted(p for p in self.output.rglob("*") if p.is_file()) if self.output.exists() else []

    def leaks(self, canary: str) -> list[str]:
        """Every output file whose name or bytes contain the canary, in any common encoding."""
        forms = {
            canary,
            canary.lower(),
            json.dumps(canary)[1:-1],
            urllib.parse.quote(canary),
            canary.encode("unicode_escape").decode(),
        }
        needles = [f.encode("utf-8") for f in forms]
        needles += [f.encode("utf-16-le") for f in forms]
        hits = []
        for path in self.all_files():
            rel = path.relative_to(self.output).as_posix()
            if canary in rel:
                hits.append(rel)
                continue
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(rel)
        return hits


def make_project(base: Path, files: dict[str, str | bytes]) -> Path:
    """A Gongkai project in `base`: our settings, theme and plugins, and the given content files."""
    project = base / "site"
    (project / "content").mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("theme", "plugins", "node_modules", "structure"):
        if (ROOT / name).exists() and not (project / name).exists():
            (project / name).symlink_to(ROOT / name)
    for rel, data in files.items():
        write_content(project, rel, data)
    return project


def make_demo_project(base: Path) -> Path:
    """A project in `base` holding a copy of the demo's content and its register of requests."""
    project = make_project(base, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "requests", project / "requests")
    return project


def write_content(project: Path, rel: str, data: str | bytes) -> Path:
    """content/<rel> of `project`, written as bytes or UTF-8 text."""
    target = project / "content" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        target.write_bytes(data)
    else:
        target.write_text(data, encoding="utf-8")
    return target


def run_cli(
    project: Path, *args: str, epoch: str = EPOCH, env_extra: dict | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, PYTHONHASHSEED="0")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "gongkai_cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def build_site(tmp_path):
    """build_site(files, command="build") -> BuiltSite, a real Pelican build of those files."""

    def _build(
        files: dict[str, str | bytes],
        command: str = "build",
        output: str | None = None,
        epoch: str = EPOCH,
        project: Path | None = None,
    ) -> BuiltSite:
        proj = project or make_project(tmp_path, files)
        out = output or ("preview" if command == "preview" else "output")
        result = run_cli(proj, command, "--output", out, epoch=epoch)
        return BuiltSite(proj, proj / out, result.returncode, result.stdout, result.stderr)

    return _build


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> BuiltSite:
    """The demo content of the repository, published once per test session."""
    base = tmp_path_factory.mktemp("demo")
    project = make_project(base, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "requests", project / "requests")  # the register: counts on the 依申请公开 page
    result = run_cli(project, "publish", "--output", "output")
    return BuiltSite(project, project / "output", result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, one per test module."""
    from browser_support import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装（scripts/bootstrap 会安装）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def pytest_sessionfinish(session, exitstatus):
    """On CI (CI set) a skipped test fails the run: a missing browser or package must not pass for a test."""
    if not os.environ.get("CI") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        names = ", ".join(sorted({getattr(r, "nodeid", "?") for r in skipped})[:10])
        print(f"\nCI: {len(skipped)} 个测试被跳过，视为失败（缺少 chromium、node 或 npm 包？）：{names}")
        session.exitstatus = 1
