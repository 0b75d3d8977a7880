"""`invoke` as Gongkai's launcher: the commands of tasks.py, in Chinese, with their arguments untouched.

`.venv/bin/invoke` (and `inv`) is this Program (pyproject.toml `[project.scripts]`; invoke's documented
way to ship its own command line, here under the name the README gives). It finds and loads tasks.py as
invoke does, but does not parse the arguments of a command: `invoke new policy 关于 某事` calls the task
`new` with `argv=["policy", "关于", "某事"]`, and the task hands them to `python -m gongkai_cli new …`,
whose argparse (gongkai_cli.args) says every mistake in Chinese with the usage line. So a title with
spaces needs no quotes, and no message of invoke's own parser ("did not receive required positional
arguments", "No idea what … is!") reaches an editor. What is left to this Program: the command name
(an unknown one is a Chinese error, exit 2), `invoke`, `invoke --help` and `invoke --list` (the commands
with their Chinese descriptions), `invoke --help 命令` (that command's help).

Imports nothing of Pelican or the core: it runs before every command.
"""

from __future__ import annotations

import difflib
import inspect
import re

from invoke import Exit, Program
from invoke.exceptions import ParseError

USAGE = "用法：invoke 命令 [参数]……"


def _first_line(task) -> str:
    doc = inspect.getdoc(task.body) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


class Launcher(Program):
    def __init__(self) -> None:
        super().__init__(name="Gongkai", binary="invoke", binary_names=["invoke", "inv"])
        self.collection = None

    def print_version(self) -> None:
        from importlib import metadata

        from invoke import __version__

        try:
            ours = metadata.version("gongkai")
        except metadata.PackageNotFoundError:
            ours = "未安装"
        print(f"Gongkai {ours}（invoke {__version__}）")

    # ---- parsing -------------------------------------------------------------------------------

    def parse_core_args(self) -> None:
        try:
            super().parse_core_args()
        except ParseError as exc:  # a core option of invoke's without its value (`invoke -c`)
            flag = re.search(r"Argument: ([\w-]+)", str(exc))
            named = f"“--{flag.group(1)}”" if flag else ""
            raise Exit(
                f"invoke：选项{named}后面缺少值。\n{USAGE}\n（invoke --help 列出全部命令）", code=2
            ) from exc

    def load_collection(self) -> None:
        try:
            super().load_collection()
        except Exit as exc:
            raise Exit(
                "找不到 tasks.py：请在网站项目的目录（含 tasks.py、content/ 的目录）中运行 invoke。", code=1
            ) from exc

    def _names(self) -> list[str]:
        return sorted(self.collection.task_names) if self.collection is not None else []

    def _task(self, name: str) -> str:
        """The task called `name` (aliases included), else a Chinese error naming the nearest."""
        if name.startswith("-"):
            raise Exit(f"invoke：未知的选项“{name}”。\n{USAGE}\n（invoke --help 列出全部命令）", code=2)
        if self.collection is not None and name in self.collection:
            return name
        near = difflib.get_close_matches(name, self._names(), n=1)
        guess = f"是否想输入 invoke {near[0]}？" if near else ""
        raise Exit(
            f"invoke：未知的命令“{name}”。{guess}\n可用的命令：{'、'.join(self._names())}\n"
            f"{USAGE}\n（invoke --help 查看每个命令的说明）",
            code=2,
        )

    def parse_tasks(self) -> None:
        """The first word names the command; every word after it goes to that command untouched."""
        words = list(self.core.unparsed)
        self.tasks = []
        if words:
            name = self._task(words[0])
            self.tasks = [(name, {"argv": words[1:]})]

    def parse_cleanup(self) -> None:
        topic = self.args.help.value
        if topic is True:
            self.print_help()
            raise Exit
        if topic:  # `invoke --help new`: that command's own help
            self.tasks = [(self._task(topic), {"argv": ["--help"]})]
            return
        if self.args.list.value:
            self.list_tasks()
            raise Exit
        if not self.tasks:
            self.no_tasks_given()

    # ---- help ---------------------------------------------------------------------------------

    def print_help(self) -> None:
        if self.collection is None:  # bare `invoke --help` comes before tasks.py is loaded
            self.load_collection()
        print(USAGE)
        print()
        self.list_tasks()
        print("每个命令的参数和选项：invoke 命令 --help（例如 invoke new --help）。")

    def list_tasks(self) -> None:
        names = self._names()
        width = max((len(n) for n in names), default=0)
        print("命令：")
        for name in names:
            print(f"  {name.ljust(width)}  {_first_line(self.collection[name])}")
        print()


def main() -> None:
    Launcher().run()
