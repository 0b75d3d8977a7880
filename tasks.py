"""Gongkai commands. Run `invoke --help` for all of them; each maps to gongkai_cli.

`.venv/bin/invoke` is Gongkai's launcher (gongkai_cli.launcher): it does not parse a command's
arguments but hands every word after the command name to the task as `argv`, untouched, and the
task hands them on — mostly to `python -m gongkai_cli 命令 …`, whose argparse (gongkai_cli.args)
checks them and says every mistake in Chinese. A command's help: `invoke 命令 --help`.

The commands run with this terminal as their own stdin, stdout and stderr (no capture, no
re-decoding of their output in chunks: a Chinese character is never split), and their exit code
is the exit code of `invoke`.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PY = sys.executable


FORWARDED = (signal.SIGTERM, signal.SIGHUP)


def _call(command: Sequence[str]) -> int:
    """Run `command` on this terminal and wait for it. Ctrl+C reaches the command itself (it is in
    the terminal's foreground group); we keep waiting while it stops cleanly (the editor ends its
    decap-server, serve its server), instead of killing it as subprocess.run would. A SIGTERM or
    SIGHUP sent to invoke is passed on to the command, so stopping invoke stops it."""
    proc = subprocess.Popen(list(command))
    previous = {sig: signal.signal(sig, lambda signum, _frame: proc.send_signal(signum)) for sig in FORWARDED}
    try:
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


def _run(*args: str) -> None:
    """`python -m gongkai_cli ARGS`; its exit code becomes invoke's."""
    code = _call([PY, "-m", "gongkai_cli", *args])
    if code:
        raise Exit(code=code)


def _parse(name: str, usage: str, about: str, argv: Sequence[str], options: dict[str, tuple[str, str]]):
    """The few commands that are not gongkai_cli's take only flags: the same Chinese parsing."""
    from gongkai_cli.args import ArgumentParser

    parser = ArgumentParser(prog=f"invoke {name}", usage=usage, description=about)
    for option, (kind, help_text) in options.items():
        if kind == "flag":
            parser.add_argument(option, action="store_true", help=help_text)
        else:
            parser.add_argument(option, default=kind, metavar="目录", help=help_text)
    return parser.parse_args(list(argv))


@task
def build(c, argv=()):
    """构建网站（本地设置，已启用发布闸门）到 output/。"""
    _run("build", *argv)


@task
def preview(c, argv=()):
    """构建预览站点：含未公开条目，每页标记“预览·未公开”，不可用于发布。"""
    _run("preview", *argv)


@task
def publish(c, argv=()):
    """公开发布：严格校验，任何问题即失败；原子替换，失败时原网站不变。"""
    _run("publish", *argv)


@task
def check(c, argv=()):
    """快速校验全部内容（不生成网页），可作 git pre-commit 钩子。"""
    _run("check", *argv)


@task
def status(c, argv=()):
    """列出各审核环节的待办，以及尚未到发布日期的条目。"""
    _run("status", *argv)


@task
def new(c, argv=()):
    """新建条目草稿：今天的日期、未用过的索引号、空的审核信息。"""
    _run("new", *argv)


@task
def serve(c, argv=()):
    """在 http://127.0.0.1:8000/ 提供网站（默认先构建）；保存改动后自动重新构建。"""
    _run("serve", *argv)


@task
def test(c, argv=()):
    """运行全部测试（含浏览器测试）和 ruff 代码检查（ruff check 与 ruff format --check）。"""
    _parse("test", "invoke test", "运行全部测试和 ruff 代码检查", argv, {})
    sources = "plugins tests bench tasks.py pelicanconf.py publishconf.py".split()
    lint = _call([PY, "-m", "ruff", "check", "--no-cache", *sources])
    style = _call([PY, "-m", "ruff", "format", "--check", "--no-cache", *sources])
    result = _call([PY, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q"])
    if result:
        raise Exit(code=result)
    if lint:
        print("ruff check 发现问题（见上）", file=sys.stderr)
        raise Exit(code=lint)
    if style:
        print(
            "代码格式与 ruff format 不一致（见上）：运行 .venv/bin/python -m ruff format 后再提交",
            file=sys.stderr,
        )
        raise Exit(code=style)


# ---- kiosk mirrors (issue 8) -------------------------------------------------------------------


@task
def mirror(c, argv=()):
    """离线镜像：invoke mirror 镜像目录（构建公开网站，增量、原子地更新，附 SHA-256 校验清单和本单位签名）。"""
    _run("mirror", *argv)


@task
def verify(c, argv=()):
    """校验离线镜像：invoke verify 镜像目录（逐一核对 SHA-256，报告缺少、被修改、多出的文件和失效链接，核验签名）。"""
    _run("verify", *argv)


@task
def zim(c, argv=()):
    """导出 Kiwix 使用的 ZIM 文件：invoke zim 输出文件.zim（同一网站两次导出逐字节相同）。"""
    _run("zim", *argv)


# ---------------------------------------------------------------- annual report (issue 5, gongkai_cli/annual_report.py)
@task
def annual_report(c, argv=()):
    """年度报告草稿：invoke annual-report 年度（按该年已公开条目统计“主动公开”部分的数字）。"""
    _run("annual-report", *argv)


# ---------------------------------------------------------------- compliance audit (issue 10, gongkai_cli/audit.py)
@task
def audit(c, argv=()):
    """合规自查：公开时效、网站检查、有效期、审核积压、年度报告；写出 HTML 和 JSON 报告。"""
    _run("audit", *argv)


@task
def holidays(c, argv=()):
    """节假日安排（计算工作日用）：invoke holidays list 查看，invoke holidays add 年份 录入新的一年。"""
    _run("holidays", *argv)


@task
def requests(c, argv=()):
    """依申请公开登记簿：列出未答复的申请及答复期限（逾期的在前）并校验登记簿；登记新申请见 docs/requests.md。"""
    _run("requests", *argv)


# ---- editors' web UI (Decap CMS): issue 11 ------------------------------------------------
@task
def edit(c, argv=()):
    """本机网页编辑器：/admin/ 为编辑器（只能写 content/），预览站点在另一端口，仅 127.0.0.1。"""
    _run("edit", *argv)


@task(name="editor-screenshots")
def editor_screenshots(c, argv=()):
    """在 Chromium 中为 docs/editor-ui.md 截图（在示例内容的临时副本上运行编辑器）。"""
    args = _parse(
        "editor-screenshots",
        "invoke editor-screenshots [--out 目录]",
        "在 Chromium 中为 docs/editor-ui.md 截图",
        argv,
        {"--out": ("docs/img", "图片目录（默认 docs/img）")},
    )
    code = _call([PY, "-m", "gongkai_cli.editor_shots", args.out])
    if code:
        raise Exit(code=code)


# ---- performance: issue 9 -------------------------------------------------------------------
@task
def bench(c, argv=()):
    """性能基准：生成 1,000 与 10,000 条的语料，与原版 Pelican 对比，结果写入 bench/results.md。"""
    args = _parse(
        "bench",
        "invoke bench [--quick] [--profile] [--search]",
        "性能基准：生成 1,000 与 10,000 条的语料，与原版 Pelican 对比",
        argv,
        {
            "--quick": ("flag", "只测 1,000 条、1 次（快速检查，结果写入 bench/work/）"),
            "--profile": ("flag", "另用 cProfile 剖析一次完整发布和一次检查"),
            "--search": (
                "flag",
                "只测搜索：1 万、5 万条的索引与首次查询下载量，并在同一网站上与 Pagefind 对比"
                "（结果写入 bench/search_results.md）",
            ),
        },
    )
    if args.search:
        quick = args.quick
        out = ROOT / "bench" / ("work/search-quick.md" if quick else "search_results.md")
        sizes = ["1000"] if quick else ["10000", "50000"]
        code = _call([PY, str(ROOT / "bench" / "search_bench.py"), "--sizes", *sizes, "--out", str(out)])
        code = code or _call(
            [PY, str(ROOT / "bench" / "search_compare.py"), "--size", sizes[0], "--out", str(out)]
        )
        if code:
            raise Exit(code=code)
        return
    flags = (["--quick"] if args.quick else []) + (["--profile"] if args.profile else [])
    code = _call([PY, str(ROOT / "bench" / "run.py"), *flags])
    if code:
        raise Exit(code=code)


# ---- public theme: issue 7 --------------------------------------------------------------------
@task
def screenshots(c, argv=()):
    """在 Chromium 中为主要页面截图：桌面、320 像素宽、大字模式、高对比度模式（README 引用）。"""
    args = _parse(
        "screenshots",
        "invoke screenshots [--out 目录]",
        "在 Chromium 中为主要页面截图",
        argv,
        {"--out": ("docs/screenshots", "截图目录（默认 docs/screenshots）")},
    )
    code = _call([PY, "-m", "gongkai_cli.screenshots", "--out", args.out])
    if code:
        raise Exit(code=code)
