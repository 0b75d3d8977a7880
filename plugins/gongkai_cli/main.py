"""`python -m gongkai_cli <command>`: what the invoke tasks run. Exit 0 ok, 1 content/config, 2 our bug."""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from datetime import date
from pathlib import Path

from gongkai_core import clock, termsafe
from gongkai_core.errors import ContentError, GongkaiError

CRASH_LOG = Path(".gongkai/crash.log")


def _columns(settings_file: str) -> dict[str, str]:
    from pelican.settings import read_settings

    return read_settings(settings_file).get("GONGKAI_COLUMNS") or {}


def cmd_build(args) -> int:
    from .build import build, publish

    overrides = {}
    if args.preview:
        overrides["GONGKAI_PREVIEW"] = True
    if args.command == "publish":
        result = publish(args.settings, args.output, overrides)
    else:
        result = build(args.settings, args.output, overrides)
    print(
        f"完成：{result.published} 条已公开，{result.withheld} 条未公开"
        + ("（预览中标记为“预览·未公开”）" if args.preview else "")
        + (f"，{result.problems} 个问题（invoke check 查看）" if result.problems else "")
        + (
            f"，{result.unchanged} 个文件未变（沿用，其中 {result.not_rendered} 个条目网页无需重新生成）"
            if result.unchanged
            else ""
        )
        + ("；只有条目正文有改动，仅重新生成了这些条目的网页" if result.fast else "")
        + f"；输出 {result.output}，用时 {result.seconds:.1f} 秒"
    )
    return 0


def cmd_serve(args) -> int:
    from .serve import serve

    output = args.output or ("preview" if args.preview else "output")
    return serve(Path.cwd(), output, args.port, args.watch, args.preview, args.settings, args.build_first)


def cmd_check(args) -> int:
    from .check import run_check, signoff_policy

    return run_check(
        Path(args.content),
        _columns(args.settings),
        quiet=args.quiet,
        signoff_policy=signoff_policy(args.settings),
    )


def cmd_status(args) -> int:
    from .check import signoff_policy
    from .status import run_status

    return run_status(
        Path(args.content),
        _columns(args.settings),
        as_json=args.json,
        signoff_policy=signoff_policy(args.settings, uncommitted_as_current_user=False),
    )


def cmd_new(args) -> int:
    from .new import scaffold

    year = None
    if args.year:
        year_text = str(args.year).strip().translate(_FULL_WIDTH_DIGITS)
        if not re.fullmatch(r"[0-9]{4}", year_text):
            print(f"年度“{args.year}”无效：应为四位年份，如 2026", file=sys.stderr)
            return 1
        year = int(year_text)
    path = scaffold(
        Path(args.content),
        _columns(args.settings),
        args.column,
        args.title,
        clock.build_date(),
        department=args.department,
        year=year,
    )
    print(f"已创建 {path}")
    print("请把“请填写……”和空着的必填项改为实际内容：invoke check 会逐项列出尚未完成之处（文件:行号）。")
    return 0


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cmd_edit(args) -> int:
    from .edit import run_edit, write_config

    if args.write_config:
        write_config(
            Path(args.write_config),
            _columns(args.settings),
            Path(args.backend) if args.backend else None,
            args.branch,
        )
        print(f"已写入 {args.write_config}")
        return 0
    return run_edit(
        Path.cwd(),
        _columns(args.settings),
        args.port,
        args.server_port,
        args.allow_dirty,
        args.settings,
        args.preview_port,
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gongkai")
    sub = p.add_subparsers(dest="command", required=True)
    for name, settings, output in (
        ("build", "pelicanconf.py", "output"),
        ("preview", "pelicanconf.py", "preview"),
        ("publish", "publishconf.py", "output"),
    ):
        s = sub.add_parser(name)
        s.add_argument("--settings", default=settings)
        s.add_argument("--output", default=output)
        s.set_defaults(func=cmd_build, preview=name == "preview")
    s = sub.add_parser("serve", help="在 127.0.0.1 提供网站；保存改动后自动重新构建")
    s.add_argument("--port", type=int, default=8000, help="端口（0 为自动）")
    s.add_argument("--output", default=None, help="输出目录（默认 output；预览为 preview）")
    s.add_argument("--settings", default=None)
    s.add_argument("--preview", action="store_true", help="预览站点（含未公开条目，每页标记）")
    s.add_argument("--no-watch", dest="watch", action="store_false", help="不监视改动")
    s.add_argument("--no-build", dest="build_first", action="store_false", help="不先构建，直接提供现有输出")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("check")
    s.add_argument("--content", default="content")
    s.add_argument("--settings", default="pelicanconf.py")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("status")
    s.add_argument("--content", default="content")
    s.add_argument("--settings", default="pelicanconf.py")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_status)
    s = sub.add_parser("new", help="新建条目草稿")
    s.add_argument("column")
    s.add_argument("title")
    s.add_argument("--部门", "--department", dest="department", help="发布机构；数据条目的部门（单位）")
    s.add_argument("--年度", "--year", dest="year", help="数据条目的年度（默认：预算为今年，决算为去年）")
    s.add_argument("--content", default="content")
    s.add_argument("--settings", default="pelicanconf.py")
    s.set_defaults(func=cmd_new)
    s = sub.add_parser("edit", help="本机网页编辑器（Decap CMS），仅监听 127.0.0.1")
    s.add_argument("--port", type=int, default=8000, help="编辑器的端口（0 为自动）")
    s.add_argument(
        "--preview-port", type=int, default=None, help="预览站点的端口（默认为编辑器端口加 1；0 为自动）"
    )
    s.add_argument(
        "--server-port", type=int, default=0, help="decap-server 的内部端口（默认自动，浏览器不直接访问）"
    )
    s.add_argument("--allow-dirty", action="store_true", help="工作区有未提交修改时仍启动")
    s.add_argument("--settings", default="pelicanconf.py")
    s.add_argument(
        "--write-config", metavar="DIR", help="只写出完整的 admin/ 目录（如用于 Gitea、GitLab），不启动"
    )
    s.add_argument("--backend", metavar="YAML", help="与 --write-config 同用：Decap backend 设置文件")
    s.add_argument("--branch", default="main", help="与 --write-config 同用：分支（默认 main）")
    s.set_defaults(func=cmd_edit)
    _add_kiosk_commands(sub)
    _add_audit_command(sub)
    return p


# ---- kiosk mirrors (issue 8): mirror DEST, verify DEST, zim OUT -- see gongkai_cli/mirror.py ----


def cmd_mirror(args) -> int:
    from .mirror import mirror

    r = mirror(args.dest, args.settings, key=args.key)
    print(
        f"镜像已更新：{r.dest}（{r.files} 个网站文件：新写入 {r.written} 个，未变 {r.unchanged + r.copied_unchanged} 个，"
        f"删除 {r.removed} 个）；构建日期 {r.info.get('Gongkai-Build-Date')}，"
        f"源码提交 {r.info.get('Gongkai-Source-Commit', '')[:12]}。用 invoke verify 校验。"
    )
    if r.signed:
        print(
            "已用本单位私钥签名（tagmanifest-sha256.txt.sig）；查阅点用 invoke verify --pubkey 本单位公钥 核验。"
        )
    else:
        print(
            "注意：镜像没有签名（未配置私钥：--key 或环境变量 GONGKAI_MIRROR_KEY），查阅点无法证明镜像来自本单位、"
            "未被改动后重新生成清单。做法见 docs/kiosk.md。"
        )
    if r.copied_unchanged:
        print(f"注意：目标磁盘不支持硬链接，{r.copied_unchanged} 个未变文件也重新复制了。")
    return 0


def cmd_verify(args) -> int:
    from .mirror import verify

    report = verify(args.dest, args.pubkey)
    for line in report.lines:
        print(line, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_zim(args) -> int:
    from .mirror import zim

    count = zim(args.out, args.settings, args.source, args.pubkey)
    print(f"已导出 ZIM：{args.out}（{count} 个文件，可用 Kiwix 打开）")
    return 0


def _add_kiosk_commands(sub) -> None:
    s = sub.add_parser("mirror", help="离线镜像（查阅点）：构建公开网站并增量、原子地更新 DEST")
    s.add_argument("dest")
    s.add_argument("--settings", default="publishconf.py")
    s.add_argument(
        "--key", default=None, help="签名用的本单位私钥（默认取环境变量 GONGKAI_MIRROR_KEY；都没有则不签名）"
    )
    s.set_defaults(func=cmd_mirror)
    s = sub.add_parser("verify", help="校验离线镜像：缺少、被修改、多出的文件和失效链接，以及本单位签名")
    s.add_argument("dest")
    s.add_argument(
        "--pubkey",
        default=None,
        help="本单位公钥文件（默认取环境变量 GONGKAI_MIRROR_PUBKEY）；给出时签名缺失或无效即不通过",
    )
    s.set_defaults(func=cmd_verify)
    s = sub.add_parser("zim", help="导出 Kiwix 使用的 ZIM 文件")
    s.add_argument("out")
    s.add_argument("--settings", default="publishconf.py")
    s.add_argument("--from", dest="source", default=None, help="从已校验的镜像目录导出，而不是重新构建")
    s.add_argument(
        "--pubkey",
        default=None,
        help="与 --from 同用：核验镜像签名的本单位公钥（默认 GONGKAI_MIRROR_PUBKEY）",
    )
    s.set_defaults(func=cmd_zim)


# ---- compliance audit (issue 10): audit [--strict] -- see gongkai_cli/audit.py ----


def cmd_audit(args) -> int:
    from .audit import run_audit

    site = None if args.no_site else Path(args.site)
    return run_audit(Path(args.content), args.settings, site, Path(args.report), args.strict)


def _add_audit_command(sub) -> None:
    s = sub.add_parser("audit", help="合规自查报告（HTML 与 JSON）；约束性规则不通过时退出码为 1")
    s.add_argument("--content", default="content")
    s.add_argument("--settings", default="pelicanconf.py")
    s.add_argument("--site", default="output", help="对照的已构建网站目录（默认 output）")
    s.add_argument("--no-site", action="store_true", help="不检查构建输出（链接、页面）")
    s.add_argument("--report", default="audit-report", help="报告目录（默认 audit-report）")
    s.add_argument(
        "--strict", action="store_true", help="约束性规则无法判定（如缺少节假日数据）也算失败，供 CI 使用"
    )
    s.set_defaults(func=cmd_audit)


def main(argv: list[str] | None = None) -> int:
    """Everything a command prints goes through termsafe: no control character from content reaches
    the terminal (an ESC in a key or a file name is shown as \\x1b)."""
    with termsafe.filtered_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        clock.check_environment()  # a malformed SOURCE_DATE_EPOCH: one Chinese sentence, whatever the command
        return args.func(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"共 {len(exc.problems)} 个问题，未生成网站；原有网站内容未改动。", file=sys.stderr)
        return 1
    except GongkaiError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - our bug: one line for the user, the traceback to a file
        CRASH_LOG.parent.mkdir(parents=True, exist_ok=True)
        CRASH_LOG.write_text(
            f"{date.today()} {' '.join(sys.argv)}\n{traceback.format_exc()}", encoding="utf-8"
        )
        print(
            f"程序内部错误（不是您的内容问题），详情已写入 {CRASH_LOG}，请报告给维护人员。", file=sys.stderr
        )
        return 2
