"""gongkai_cli.args: argparse's messages as an editor reads them (the whole command line is `invoke …`)."""

from __future__ import annotations

import re

import pytest
from gongkai_cli.args import translate
from gongkai_cli.main import parser


def errors_of(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(argv)
    return caught.value.code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    "argv, lines",
    [
        (
            ["new"],
            ["invoke new：缺少栏目、标题。", "用法：invoke new 栏目 标题", "（invoke new --help 查看说明）"],
        ),
        (
            ["bogus"],
            [
                "invoke：未知的命令“bogus”，可用的命令：build、preview、publish、serve、check、status、new、edit、"
                "mirror、verify、zim、audit、annual-report、holidays、requests。",
                "用法：invoke 命令 [参数]……（invoke --help 列出全部命令）",
                "（invoke --help 查看说明）",
            ],
        ),
        (
            ["edit", "--port"],
            [
                "invoke edit：--port 后面要写一个值。",
                "用法：invoke edit [--port 端口] [--preview-port 端口] [--allow-dirty]",
                "（invoke edit --help 查看说明）",
            ],
        ),
        (
            ["check", "--quiet=yes"],
            [
                "invoke check：--quiet 不带值，请去掉“=yes”。",
                "用法：invoke check [--quiet]",
                "（invoke check --help 查看说明）",
            ],
        ),
        (
            ["holidays", "list", "明年"],
            [
                "invoke holidays list：年份：应为四位数字，如 2027，不能是“明年”。",
                "用法：invoke holidays list [年份]",
                "（invoke holidays list --help 查看说明）",
            ],
        ),
    ],
)
def test_parse_errors_are_chinese_with_the_usage_line(argv, lines, capsys):
    code, err = errors_of(argv, capsys)
    assert code == 2
    assert err == lines


# folders, settings, formats and programs the help texts name
NAMES = {"output", "preview", "content", "commit", "http", "policy", "budget", "admin", "backend", "main"}
NAMES |= {"Decap", "decap", "server", "Gitea", "GitLab", "YAML", "JSON", "HTML", "Kiwix", "ISSUER"}
NAMES |= {"GONGKAI", "MIRROR", "PUBKEY", "TOUCH", "audit", "report", "holidays", "list"}


def test_every_help_is_chinese(capsys):
    p = parser()
    commands = next(a for a in p._actions if a.dest == "command").choices
    for name, sub in commands.items():
        text = sub.format_help()
        assert text.startswith(f"用法：invoke {name}"), name
        # option names, command names and file names only: no English sentence
        words = set(
            re.findall(r"[A-Za-z]{4,}", re.sub(r"--[a-z-]+|invoke \S+|\S+\.(py|yml|yaml|md|zim)", "", text))
        )
        assert words <= NAMES, (name, words - NAMES)


def test_translations_of_argparse_messages():
    assert translate("the following arguments are required: 栏目, 标题") == "缺少栏目、标题"
    assert translate("unrecognized arguments: --bogus x") == "未知的选项“--bogus”；多余的参数“x”"
    assert translate("argument --port: invalid int value: 'abc'") == "--port 应为整数，“abc”不是整数"
    assert translate("argument -h/--help: ignored explicit argument 'x'") == "--help 不带值，请去掉“=x”"
    assert translate("argument --a: not allowed with argument --b") == "--a 不能与 --b 同时使用"
