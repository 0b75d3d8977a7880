"""Argument parsing in Chinese: argparse with our usage line, help and error messages.

Every command an editor types (`invoke new 栏目 标题`, `invoke check --quiet`…) is parsed here, once:
`invoke` (gongkai_cli.launcher) hands the words after the command name over untouched. argparse's
own messages are English; `ArgumentParser.error` says each of them in Chinese (which argument, what
is wrong, the usage line, where the help is), and the help shows Chinese headings. Exit code 2 for
a wrong command line, as argparse has it.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import NoReturn

HELP_HINT = "（{prog} --help 查看说明）"


def _names(text: str) -> str:
    """'栏目, 标题' -> '栏目、标题'; '-h/--help' stays."""
    return "、".join(part.strip() for part in text.split(",") if part.strip())


def _quoted(value: str) -> str:
    """argparse's repr() of a value ('x' or "x") without the quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文字"}


def translate(message: str) -> str:
    """argparse's English error message in Chinese (unknown shapes are kept, prefixed)."""
    m = re.fullmatch(r"the following arguments are required: (.*)", message)
    if m:
        return f"缺少{_names(m.group(1))}"
    m = re.fullmatch(r"unrecognized arguments: (.*)", message)
    if m:
        words = m.group(1).split(" ")
        options = [w for w in words if w.startswith("-")]
        others = [w for w in words if not w.startswith("-")]
        parts = []
        if options:
            parts.append("未知的选项" + "、".join(f"“{w}”" for w in options))
        if others:
            parts.append("多余的参数" + "、".join(f"“{w}”" for w in others))
        return "；".join(parts)
    m = re.fullmatch(r"ambiguous option: (\S+) could match (.*)", message)
    if m:
        return f"选项“{m.group(1)}”不完整，可能是 {_names(m.group(2))}"
    m = re.fullmatch(r"one of the arguments (.*) is required", message)
    if m:
        return f"需要 {m.group(1).replace(' ', '、')} 中的一个"
    m = re.fullmatch(r"argument (\S+): (.*)", message, re.DOTALL)
    if not m:
        return message
    name, detail = m.group(1), m.group(2)
    name = name.split("/")[-1]  # '-h/--help' -> '--help'
    d = re.fullmatch(r"invalid choice: (.*) \(choose from (.*)\)", detail)
    if d:
        choices = "、".join(_quoted(c.strip()) for c in d.group(2).split(","))
        if name == "命令":
            return f"未知的命令“{_quoted(d.group(1))}”，可用的命令：{choices}"
        return f"{name} 不能是“{_quoted(d.group(1))}”，可选：{choices}"
    d = re.fullmatch(r"invalid (\w+) value: (.*)", detail)
    if d:
        kind = TYPE_NAMES.get(d.group(1), d.group(1))
        return f"{name} 应为{kind}，“{_quoted(d.group(2))}”不是{kind}"
    if detail == "expected one argument":
        return f"{name} 后面要写一个值"
    if detail == "expected at least one argument":
        return f"{name} 后面至少要写一个值"
    if detail == "expected at most one argument":
        return f"{name} 后面最多写一个值"
    d = re.fullmatch(r"ignored explicit argument (.*)", detail)
    if d:
        return f"{name} 不带值，请去掉“={_quoted(d.group(1))}”"
    d = re.fullmatch(r"not allowed with argument (.*)", detail)
    if d:
        return f"{name} 不能与 {d.group(1)} 同时使用"
    return f"{name}：{detail}"  # a type function's own (Chinese) message


def display_width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class HelpFormatter(argparse.HelpFormatter):
    """Chinese headings, and the help column aligned although a Chinese metavar (`--port 端口`) is
    twice as wide on the terminal as argparse counts it."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            shown = self._format_action_invocation(action)
            self._action_max_length = max(
                self._action_max_length, display_width(shown) + self._current_indent
            )

    def _format_action(self, action):
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        wide = display_width(header) - len(header)
        if wide and action.help and (m := re.match(rf"( *{re.escape(header)})( +)", text)):
            spaces = max(2, len(m.group(2)) - wide)
            text = m.group(1) + " " * spaces + text[m.end() :]
        return text


class ArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help and errors. Give `usage` as the editor writes the command
    (`invoke new 栏目 标题`); every option that takes a value needs a Chinese `metavar`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault(
            "allow_abbrev", False
        )  # `--pre` is no shorthand for `--preview`: a typo is an error
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本说明")

    def parse_known_args(self, args=None, namespace=None):
        """Words left over are an error of this parser, not of its parent: a subcommand's mistake is
        told with the subcommand's own usage line (`invoke new 栏目 标题`)."""
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error("unrecognized arguments: " + " ".join(extras))
        return namespace, extras

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("prog", self.prog)  # `invoke new`, not argparse's prefix made of the usage line
        return super().add_subparsers(**kwargs)

    def format_help(self) -> str:
        text = super().format_help()
        for group in self._action_groups:
            text = text.replace(f"\n{group.title}:\n", f"\n{group.title}：\n")
        return text

    def error(self, message: str) -> NoReturn:
        text = translate(message)
        sys.stderr.write(f"{self.prog}：{text}。\n{self.format_usage()}{HELP_HINT.format(prog=self.prog)}\n")
        sys.exit(2)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        sys.exit(status)
