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

from .args import ArgumentParser

CRASH_LOG = Path(".gongkai/crash.log")


def _columns(settings_file: str) -> dict[str, str]:
    from pelican.settings import read_settings

    return read_settings(settings_file).get("GONGKAI_COLUMNS") or {}


def _index_codes(settings_file: str) -> dict[str, str]:
    """GONGKAI_INDEX_CODES (发布机构 -> 索引号 code), checked as the build checks it."""
    from gongkai_core.errors import ConfigError
    from gongkai_gate.settings import index_code_problems
    from pelican.settings import read_settings

    settings = read_settings(settings_file)
    problems = index_code_problems(settings)
    if problems:
        raise ConfigError(problems)
    return settings.get("GONGKAI_INDEX_CODES") or {}


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


def _structure(settings_file: str) -> None:
    """The site's shape and elements (structure/, GONGKAI_SITE_ELEMENTS), checked as the build checks them."""
    from gongkai_core import site_elements, tree
    from gongkai_core.errors import ConfigError
    from pelican.settings import read_settings

    settings = read_settings(settings_file)
    static = Path(str(settings.get("THEME") or "theme")) / "static"
    problems = tree.load(settings)[1] + site_elements.problems(settings.get(site_elements.SETTING), static)
    if problems:
        raise ConfigError(problems)


def cmd_check(args) -> int:
    from .check import links_config, run_check, signoff_policy

    _structure(args.settings)

    return run_check(
        Path(args.content),
        _columns(args.settings),
        quiet=args.quiet,
        signoff_policy=signoff_policy(args.settings),
        links_config=links_config(args.settings),
        index_codes=_index_codes(args.settings),
    )


def cmd_status(args) -> int:
    from .check import links_config, signoff_policy
    from .status import run_status

    return run_status(
        Path(args.content),
        _columns(args.settings),
        as_json=args.json,
        signoff_policy=signoff_policy(args.settings, uncommitted_as_current_user=False),
        links_config=links_config(args.settings),
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
        " ".join(args.title),  # every word after the column: no quotes needed
        clock.build_date(),
        code=_index_codes(args.settings).get((args.department or "").strip()),
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


def _settings_arg(s) -> None:
    s.add_argument(
        "--settings", default="pelicanconf.py", metavar="文件", help="设置文件（默认 pelicanconf.py）"
    )


def _project_args(s) -> None:
    """--content and --settings, as every command that reads the project takes them."""
    s.add_argument("--content", default="content", metavar="目录", help="内容目录（默认 content）")
    _settings_arg(s)


def parser() -> argparse.ArgumentParser:
    """The whole command line, in Chinese (gongkai_cli.args): `invoke` hands every word after the
    command name to it untouched, so the usage lines say `invoke 命令 …`."""
    p = ArgumentParser(prog="invoke", usage="invoke 命令 [参数]……（invoke --help 列出全部命令）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", title="命令")
    for name, settings, output, about in (
        ("build", "pelicanconf.py", "output", "构建网站（本地设置，已启用发布闸门）"),
        ("preview", "pelicanconf.py", "preview", "构建预览站点：含未公开条目，每页标记“预览·未公开”"),
        ("publish", "publishconf.py", "output", "公开发布：严格校验，任何问题即失败；原网站不变"),
    ):
        s = sub.add_parser(name, usage=f"invoke {name} [--output 目录]", description=about)
        s.add_argument("--output", default=output, metavar="目录", help=f"输出目录（默认 {output}）")
        s.add_argument("--settings", default=settings, metavar="文件", help=f"设置文件（默认 {settings}）")
        s.set_defaults(func=cmd_build, preview=name == "preview")
    s = sub.add_parser(
        "serve",
        usage="invoke serve [--preview] [--no-watch] [--port 端口]",
        description="在 http://127.0.0.1:端口/ 提供网站（默认先构建）；保存改动后自动重新构建",
    )
    s.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000；0 为自动）")
    s.add_argument("--output", default=None, metavar="目录", help="输出目录（默认 output；预览为 preview）")
    s.add_argument("--settings", default=None, metavar="文件", help="设置文件（默认 pelicanconf.py）")
    s.add_argument("--preview", action="store_true", help="预览站点（含未公开条目，每页标记）")
    s.add_argument("--no-watch", dest="watch", action="store_false", help="不监视改动")
    s.add_argument("--no-build", dest="build_first", action="store_false", help="不先构建，直接提供现有输出")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser(
        "check",
        usage="invoke check [--quiet]",
        description="快速校验全部内容（不生成网页），可作 git pre-commit 钩子",
    )
    s.add_argument("--quiet", action="store_true", help="没有问题时不输出")
    _project_args(s)
    s.set_defaults(func=cmd_check)
    s = sub.add_parser(
        "status", usage="invoke status [--json]", description="列出各审核环节的待办，以及尚未到发布日期的条目"
    )
    s.add_argument("--json", action="store_true", help="以 JSON 输出")
    _project_args(s)
    s.set_defaults(func=cmd_status)
    # `new`: the title is every word after the column, so a title with spaces needs no quotes
    s = sub.add_parser(
        "new",
        usage="invoke new 栏目 标题",
        description="新建条目草稿：今天的日期、未用过的索引号、空的审核信息；数据条目为本部门本年度的空表。",
    )
    s.add_argument("column", metavar="栏目", help="栏目键，如 policy、budget")
    s.add_argument("title", nargs="+", metavar="标题", help="条目标题（含空格时不必加引号）")
    s.add_argument(
        "--部门", "--department", dest="department", metavar="部门", help="发布机构；数据条目的部门（单位）"
    )
    s.add_argument(
        "--年度", "--year", dest="year", metavar="年度", help="数据条目的年度（默认：预算为今年，决算为去年）"
    )
    _project_args(s)
    s.set_defaults(func=cmd_new)
    s = sub.add_parser(
        "edit",
        usage="invoke edit [--port 端口] [--preview-port 端口] [--allow-dirty]",
        description="本机网页编辑器（Decap CMS）：/admin/ 为编辑器（只能写 content/），预览站点在另一端口，仅 127.0.0.1",
    )
    s.add_argument(
        "--port", type=int, default=8000, metavar="端口", help="编辑器的端口（默认 8000；0 为自动）"
    )
    s.add_argument(
        "--preview-port",
        type=int,
        default=None,
        metavar="端口",
        help="预览站点的端口（默认为编辑器端口加 1；0 为自动）",
    )
    s.add_argument(
        "--server-port",
        type=int,
        default=0,
        metavar="端口",
        help="decap-server 的内部端口（默认自动，浏览器不直接访问）",
    )
    s.add_argument(
        "--allow-dirty", action="store_true", help="工作区有未提交修改时仍启动（保存时会一并提交）"
    )
    _settings_arg(s)
    s.add_argument(
        "--write-config", metavar="目录", help="只写出完整的 admin/ 目录（如用于 Gitea、GitLab），不启动"
    )
    s.add_argument("--backend", metavar="文件", help="与 --write-config 同用：Decap backend 设置文件（YAML）")
    s.add_argument(
        "--branch", default="main", metavar="分支", help="与 --write-config 同用：分支（默认 main）"
    )
    s.set_defaults(func=cmd_edit)
    _add_kiosk_commands(sub)
    _add_audit_command(sub)
    _add_annual_report_command(sub)
    _add_holidays_command(sub)
    _add_requests_command(sub)
    return p


# ---- annual report (issue 5): parsed here, run by gongkai_cli.annual_report ----


def cmd_annual_report(args) -> int:
    from . import annual_report

    argv = [str(args.year), "--content", args.content, "--settings", args.settings]
    argv += ["--publisher", args.publisher] if args.publisher else []
    argv += ["--force"] if args.force else []
    return annual_report.main(argv)


def _add_annual_report_command(sub) -> None:
    s = sub.add_parser(
        "annual-report",
        usage="invoke annual-report 年度 [--force]",
        description="按该年已公开条目统计年度报告“主动公开”部分的数字，生成草稿（content/report/，状态为草稿）",
    )
    s.add_argument("year", type=int, metavar="年度", help="报告年度，如 2025")
    s.add_argument("--force", action="store_true", help="覆盖已有草稿")
    s.add_argument("--publisher", metavar="机关", help="报告机关（默认：设置中的 ISSUER，本级政府）")
    _project_args(s)
    s.set_defaults(func=cmd_annual_report)


# ---- the working-day calendar (issue 21): holidays list [YEAR], holidays add YEAR --from FILE ----


def cmd_holidays(args) -> int:
    from .holidays import run

    return run(args)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"应为四位数字，如 2027，不能是“{text}”")
    return int(text)


def _add_holidays_command(sub) -> None:
    s = sub.add_parser(
        "holidays",
        usage="invoke holidays list [年份] | invoke holidays add 年份 --from 文件",
        description="法定节假日和调休上班日（计算工作日用）：查看已有的年份，录入新的一年（写入本项目的 holidays/）",
    )
    actions = s.add_subparsers(dest="action", required=True, metavar="操作", title="操作")
    a = actions.add_parser(
        "list",
        usage="invoke holidays list [年份]",
        help="列出已有的年份；给出年份时逐日列出该年的安排",
        description="列出已有的年份；给出年份时逐日列出该年的安排",
    )
    a.add_argument("year", nargs="?", type=_year, metavar="年份", help="只看这一年，如 2026")
    a = actions.add_parser(
        "add",
        usage="invoke holidays add 年份 --from 文件 [--force]",
        help="录入一年的安排（不给 --from 时显示文件格式）",
        description="检查一年的节假日文件（日期都在该年、假期不重叠、调休上班日是周末）并放入本项目的 holidays/；"
        "不给 --from 时显示文件格式",
    )
    a.add_argument("year", type=_year, metavar="年份", help="如 2027")
    a.add_argument("--from", dest="source", metavar="文件", help="按国务院办公厅通知整理的 YAML 文件")
    a.add_argument("--force", action="store_true", help="替换本项目已有的这一年")
    s.set_defaults(func=cmd_holidays)


# ---- kiosk mirrors (issue 8): mirror DEST, verify DEST, zim OUT -- see gongkai_cli/mirror.py ----


def cmd_mirror(args) -> int:
    from .mirror import mirror

    r = mirror(args.dest, args.settings, key=args.key, touch=args.touch)
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
    s = sub.add_parser(
        "mirror",
        usage="invoke mirror 镜像目录 [--key 私钥文件] [--touch]",
        description="离线镜像（查阅点）：构建公开网站，增量、原子地更新镜像目录，附 SHA-256 校验清单和本单位签名",
    )
    s.add_argument("dest", metavar="镜像目录", help="U 盘或同步到查阅点的目录")
    s.add_argument(
        "--settings", default="publishconf.py", metavar="文件", help="设置文件（默认 publishconf.py）"
    )
    s.add_argument(
        "--key",
        default=None,
        metavar="私钥文件",
        help="签名用的本单位私钥（默认取环境变量 GONGKAI_MIRROR_KEY；都没有则不签名）",
    )
    s.add_argument(
        "--touch",
        action="store_true",
        help="触摸屏查阅机模式：大字、大按钮、屏幕键盘、无操作自动回首页、不能离开本站（也可设置 GONGKAI_TOUCH）",
    )
    s.set_defaults(func=cmd_mirror)
    s = sub.add_parser(
        "verify",
        usage="invoke verify 镜像目录 [--pubkey 公钥文件]",
        description="校验离线镜像：缺少、被修改、多出的文件和失效链接，以及本单位签名",
    )
    s.add_argument("dest", metavar="镜像目录")
    s.add_argument(
        "--pubkey",
        default=None,
        metavar="公钥文件",
        help="本单位公钥文件（默认取环境变量 GONGKAI_MIRROR_PUBKEY）；给出时签名缺失或无效即不通过",
    )
    s.set_defaults(func=cmd_verify)
    s = sub.add_parser(
        "zim",
        usage="invoke zim 输出文件.zim [--from 镜像目录]",
        description="导出 Kiwix 使用的 ZIM 文件（同一网站两次导出逐字节相同）",
    )
    s.add_argument("out", metavar="输出文件.zim")
    s.add_argument(
        "--settings", default="publishconf.py", metavar="文件", help="设置文件（默认 publishconf.py）"
    )
    s.add_argument(
        "--from",
        "--source",
        dest="source",
        default=None,
        metavar="镜像目录",
        help="从已校验的镜像目录导出，而不是重新构建",
    )
    s.add_argument(
        "--pubkey",
        default=None,
        metavar="公钥文件",
        help="与 --from 同用：核验镜像签名的本单位公钥（默认 GONGKAI_MIRROR_PUBKEY）",
    )
    s.set_defaults(func=cmd_zim)


# ---- compliance audit (issue 10): audit [--strict] -- see gongkai_cli/audit.py ----


def cmd_audit(args) -> int:
    from .audit import run_audit

    site = None if args.no_site else Path(args.site)
    return run_audit(Path(args.content), args.settings, site, Path(args.report), args.strict)


def _add_audit_command(sub) -> None:
    s = sub.add_parser(
        "audit",
        usage="invoke audit [--strict] [--site 目录] [--report 目录]",
        description="合规自查报告（HTML 与 JSON）：公开时效、网站检查、有效期、审核积压、年度报告；约束性规则不通过时退出码为 1",
    )
    _project_args(s)
    s.add_argument("--site", default="output", metavar="目录", help="对照的已构建网站目录（默认 output）")
    s.add_argument("--no-site", action="store_true", help="不检查构建输出（链接、页面）")
    s.add_argument("--report", default="audit-report", metavar="目录", help="报告目录（默认 audit-report）")
    s.add_argument(
        "--strict", action="store_true", help="约束性规则无法判定（如缺少节假日数据）也算失败，供 CI 使用"
    )
    s.set_defaults(func=cmd_audit)


# ---- the register of 依申请公开 requests (issue 17): requests, new request -- gongkai_cli/request_register.py ----


def cmd_requests(args) -> int:
    from .request_register import list_open

    return list_open(Path.cwd(), clock.build_date())


def _add_requests_command(sub) -> None:
    s = sub.add_parser(
        "requests",
        usage="invoke requests",
        description="依申请公开登记簿：列出未答复的申请及答复期限（按剩余工作日，逾期的在前），并校验登记簿",
    )
    s.set_defaults(func=cmd_requests)


def _is_new_request(argv: list[str]) -> bool:
    """`invoke new request …`: a register file, not an entry of a column."""
    return len(argv) >= 2 and argv[0] == "new" and argv[1] == "request"


def main(argv: list[str] | None = None) -> int:
    """Everything a command prints goes through termsafe: no control character from content reaches
    the terminal (an ESC in a key or a file name is shown as \\x1b)."""
    with termsafe.filtered_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if _is_new_request(argv):
        from .request_register import new_main

        args = None
    else:
        args = parser().parse_args(argv)
    try:
        clock.check_environment()  # a malformed SOURCE_DATE_EPOCH: one Chinese sentence, whatever the command
        if args is None:
            return new_main(argv[2:], clock.build_date())
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
