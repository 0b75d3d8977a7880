"""Gongkai commands. Run `invoke --list` for all of them; each maps to gongkai_cli."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PY = sys.executable


def _run(c, *args: str, pty: bool = False) -> None:
    """Run `python -m gongkai_cli ...` and turn its exit code into invoke's."""
    result = c.run(" ".join([PY, "-m", "gongkai_cli", *args]), warn=True, pty=pty)
    if result.exited:
        raise Exit(code=result.exited)


def _q(value: str) -> str:
    import shlex

    return shlex.quote(str(value))


@task(help={"output": "输出目录（默认 output）"})
def build(c, output="output"):
    """构建网站（本地设置，已启用发布闸门）到 output/。"""
    _run(c, "build", "--output", _q(output))


@task(help={"output": "预览输出目录（默认 preview）"})
def preview(c, output="preview"):
    """构建预览站点：含未公开条目，每页标记“预览·未公开”，不可用于发布。"""
    _run(c, "preview", "--output", _q(output))


@task(help={"output": "输出目录（默认 output）"})
def publish(c, output="output"):
    """公开发布：严格校验，任何问题即失败；原子替换，失败时原网站不变。"""
    _run(c, "publish", "--output", _q(output))


@task(help={"quiet": "没有问题时不输出"})
def check(c, quiet=False):
    """快速校验全部内容（不生成网页），可作 git pre-commit 钩子。"""
    _run(c, "check", *(["--quiet"] if quiet else []))


@task(help={"json": "以 JSON 输出"})
def status(c, json=False):
    """列出各审核环节的待办，以及尚未到发布日期的条目。"""
    _run(c, "status", *(["--json"] if json else []))


@task(
    help={
        "column": "栏目键，如 policy",
        "title": "标题",
        "部门": "发布机构；预算、三公经费条目的部门（单位）",
        "年度": "预算、三公经费条目的年度（默认：预算为今年，决算为去年）",
    }
)
def new(c, column, title, 部门="", 年度=""):
    """新建条目草稿：今天的日期、未用过的索引号、空的审核信息；数据条目为本部门本年度的空表。"""
    _run(
        c,
        "new",
        _q(column),
        _q(title),
        *(["--部门", _q(部门)] if 部门 else []),
        *(["--年度", _q(年度)] if 年度 else []),
    )


@task(
    help={
        "port": "端口（默认 8000）",
        "output": "要服务的目录（默认 output；预览为 preview）",
        "build_first": "先构建",
        "watch": "保存改动后自动重新构建（默认开启）",
        "preview": "预览站点：含未公开条目，每页标记“预览·未公开”",
    }
)
def serve(c, port=8000, output="", build_first=True, watch=True, preview=False):
    """在 http://127.0.0.1:PORT/ 提供网站（默认先构建）；保存改动后自动重新构建。"""
    args = ["serve", "--port", str(int(port))]
    if output:
        args += ["--output", _q(output)]
    if preview:
        args.append("--preview")
    if not watch:
        args.append("--no-watch")
    if not build_first:
        args.append("--no-build")
    _run(c, *args)


@task
def test(c):
    """运行全部测试（含浏览器测试）和 ruff 代码检查（ruff check 与 ruff format --check）。"""
    sources = "plugins tests bench tasks.py pelicanconf.py publishconf.py"
    lint = c.run(f"{PY} -m ruff check --no-cache {sources}", warn=True)
    style = c.run(f"{PY} -m ruff format --check --no-cache {sources}", warn=True)
    result = c.run(f"{PY} -m pytest -n 2 --dist loadfile -q", warn=True)
    if result.exited:
        raise Exit(code=result.exited)
    if lint.exited:
        print("ruff check 发现问题（见上）", file=sys.stderr)
        raise Exit(code=lint.exited)
    if style.exited:
        print(
            "代码格式与 ruff format 不一致（见上）：运行 .venv/bin/python -m ruff format 后再提交",
            file=sys.stderr,
        )
        raise Exit(code=style.exited)


# ---- kiosk mirrors (issue 8) -------------------------------------------------------------------


@task(
    help={
        "dest": "镜像目录（U 盘或同步到查阅点的目录）",
        "key": "签名用的本单位私钥（默认取环境变量 GONGKAI_MIRROR_KEY；都没有则不签名），见 docs/kiosk.md",
    }
)
def mirror(c, dest, key=""):
    """离线镜像：构建公开网站，增量、原子地更新 DEST，附 SHA-256 校验清单（BagIt）和本单位签名。"""
    _run(c, "mirror", _q(dest), *(["--key", _q(key)] if key else []))


@task(
    help={
        "dest": "镜像目录",
        "pubkey": "本单位公钥文件（默认取环境变量 GONGKAI_MIRROR_PUBKEY）；给出时签名缺失或无效即不通过",
    }
)
def verify(c, dest, pubkey=""):
    """校验离线镜像：逐一核对 SHA-256，报告缺少、被修改、多出的文件和失效链接，并用本单位公钥核验签名。"""
    _run(c, "verify", _q(dest), *(["--pubkey", _q(pubkey)] if pubkey else []))


@task(
    help={
        "out": "输出的 .zim 文件",
        "source": "从已校验的镜像目录导出（可选）",
        "pubkey": "与 --source 同用：核验镜像签名的本单位公钥（默认 GONGKAI_MIRROR_PUBKEY）",
    }
)
def zim(c, out, source="", pubkey=""):
    """导出 Kiwix 使用的 ZIM 文件（标题、语言 zho、首页、全部网页和附件；同一网站两次导出逐字节相同）。"""
    _run(
        c,
        "zim",
        _q(out),
        *(["--from", _q(source)] if source else []),
        *(["--pubkey", _q(pubkey)] if pubkey else []),
    )


# ---------------------------------------------------------------- annual report (issue 5, gongkai_cli/annual_report.py)
@task(help={"year": "报告年度，如 2025", "force": "覆盖已有草稿"})
def annual_report(c, year, force=False):
    """按该年已公开条目统计年度报告“主动公开”部分的数字，生成草稿（content/report/，状态为草稿）。"""
    args = [str(int(year))] + (["--force"] if force else [])
    result = c.run(" ".join([PY, "-m", "gongkai_cli.annual_report", *args]), warn=True)
    if result.exited:
        raise Exit(code=result.exited)


# ---------------------------------------------------------------- compliance audit (issue 10, gongkai_cli/audit.py)
@task(
    help={
        "strict": "约束性规则无法判定（如缺少节假日数据、没有构建输出）也算失败，供 CI 使用",
        "site": "对照的已构建网站目录（默认 output）",
        "report": "报告目录（默认 audit-report）",
    }
)
def audit(c, strict=False, site="output", report="audit-report"):
    """合规自查：公开时效、网站检查、有效期、审核积压、年度报告；写出 HTML 和 JSON 报告。"""
    _run(c, "audit", "--site", _q(site), "--report", _q(report), *(["--strict"] if strict else []))


# ---- editors' web UI (Decap CMS): issue 11 ------------------------------------------------
@task(
    help={
        "port": "编辑器端口（默认 8000）",
        "preview_port": "预览站点端口（默认为编辑器端口加 1）",
        "server_port": "decap-server 内部端口（默认 0，即自动）",
        "allow_dirty": "工作区有未提交修改时仍启动（保存时会一并提交）",
    }
)
def edit(c, port=8000, preview_port=-1, server_port=0, allow_dirty=False):
    """本机网页编辑器：/admin/ 为编辑器（只能写 content/），预览站点在另一端口，仅 127.0.0.1。"""
    _run(
        c,
        "edit",
        "--port",
        str(int(port)),
        "--server-port",
        str(int(server_port)),
        *(["--preview-port", str(int(preview_port))] if int(preview_port) >= 0 else []),
        *(["--allow-dirty"] if allow_dirty else []),
        pty=sys.stdout.isatty(),
    )


@task(name="editor-screenshots", help={"out": "图片目录（默认 docs/img）"})
def editor_screenshots(c, out="docs/img"):
    """在 Chromium 中为 docs/editor-ui.md 截图（在示例内容的临时副本上运行编辑器）。"""
    result = c.run(f"{PY} -m gongkai_cli.editor_shots {_q(out)}", warn=True)
    if result.exited:
        raise Exit(code=result.exited)


# ---- performance: issue 9 -------------------------------------------------------------------
@task(
    help={
        "quick": "只测 1,000 条、1 次（快速检查，结果写入 bench/work/）",
        "profile": "另用 cProfile 剖析一次完整发布和一次检查",
    }
)
def bench(c, quick=False, profile=False):
    """性能基准：生成 1,000 与 10,000 条的语料，与原版 Pelican 对比，结果写入 bench/results.md。"""
    args = (["--quick"] if quick else []) + (["--profile"] if profile else [])
    result = c.run(" ".join([PY, str(ROOT / "bench" / "run.py"), *args]), warn=True)
    if result.exited:
        raise Exit(code=result.exited)


# ---- public theme: issue 7 --------------------------------------------------------------------
@task(help={"out": "截图目录（默认 docs/screenshots）"})
def screenshots(c, out="docs/screenshots"):
    """在 Chromium 中为主要页面截图：桌面、320 像素宽、大字模式、高对比度模式（README 引用）。"""
    result = c.run(f"{PY} -m gongkai_cli.screenshots --out {_q(out)}", warn=True)
    if result.exited:
        raise Exit(code=result.exited)
