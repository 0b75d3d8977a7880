"""`invoke holidays`: the working-day calendar (法定节假日 and 调休上班日) an office keeps up to date.

    invoke holidays list [年份]               the years known, where each comes from; one year in full
    invoke holidays add 年份 --from 文件      check a year's file and put it in the project's holidays/

Gongkai ships the years it knows (gongkai_core/data/holidays/); a year announced later, or a
correction, goes into the project's own `holidays/<年份>.yaml` (beside content/, committed with the
content), which gongkai_core.workdays reads first. `add` checks the file before copying it: every
date in that year, no holiday ending before it starts, no two holidays on the same day, every
调休上班日 a Saturday or Sunday that is not a day off, the notice named in `source`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gongkai_core import workdays
from gongkai_core.errors import ContentError, GongkaiError, Problem

WEEKDAYS = "一二三四五六日"


class HolidaysError(GongkaiError):
    """A calendar that cannot be added; the message says why and what to do."""


def _where(path: Path) -> str:
    if path.parent.resolve() == workdays.HOLIDAY_DIR.resolve():
        return "随程序提供"
    return f"本项目 {workdays.PROJECT_FOLDER}/{path.name}"


def _summary(cal: workdays.YearCalendar) -> str:
    festivals = len({name for _, name in cal.names})
    return f"{festivals} 个假期共放假 {len(cal.holidays)} 天，{len(cal.workdays)} 个调休上班日"


def list_years() -> int:
    years = workdays.available_years()
    if not years:
        print("还没有任何年份的节假日安排：请用 invoke holidays add 年份 --from 文件 录入。")
        return 1
    print("节假日和调休安排（用于计算工作日）：")
    for year in years:
        path = workdays.find_file(year)
        cal = workdays.load_year(year)
        print(f"  {year}年  {_where(path)}  {_summary(cal)}  {cal.source}")
    following = years[-1] + 1
    print(
        f"新的一年（如 {following} 年）公布后，请按国务院办公厅的通知录入："
        f"invoke holidays add {following} --from 文件（格式见 invoke holidays add {following}）。"
    )
    return 0


def show_year(year: int) -> int:
    cal = workdays.load_year(year)  # CalendarMissing: a Chinese message with the command to run
    path = workdays.find_file(year)
    print(f"{year}年法定节假日和调休上班日（{_where(path)}；{cal.source}）：")
    print("放假：")
    spans: dict[str, list] = {}
    for day, name in cal.names:
        spans.setdefault(name, []).append(day)
    for name, days in spans.items():
        print(f"  {name}  {days[0]} 至 {days[-1]}（{len(days)} 天）")
    print("调休上班（周末上班）：")
    for day in sorted(cal.workdays):
        print(f"  {day}（星期{WEEKDAYS[day.weekday()]}）")
    if not cal.workdays:
        print("  无")
    return 0


def example(year: int) -> str:
    return (
        f"# {year}年法定节假日与调休上班日\n"
        f"year: {year}\n"
        f"source: 国务院办公厅关于{year}年部分节假日安排的通知\n"
        "holidays:              # 每个假期：名称、放假的第一天和最后一天（含其中的周末）\n"
        "  - name: 元旦\n"
        f"    from: {year}-01-01\n"
        f"    to: {year}-01-01\n"
        "  - name: 春节\n"
        f"    from: {year}-月-日\n"
        f"    to: {year}-月-日\n"
        "  # 清明节、劳动节、端午节、中秋节、国庆节同样写\n"
        "workdays:              # 调休上班的周六、周日\n"
        f"  - {year}-月-日\n"
    )


def add_year(year: int, source: str | None, force: bool, project: Path) -> int:
    target = project / workdays.PROJECT_FOLDER / f"{year}.yaml"
    shown_target = f"{workdays.PROJECT_FOLDER}/{year}.yaml"
    if not source:
        print(
            f"请先把国务院办公厅关于{year}年部分节假日安排的通知写成一个文件（UTF-8，格式如下，可复制后修改），"
            f"再运行 invoke holidays add {year} --from 该文件：\n",
            file=sys.stderr,
        )
        print(example(year), file=sys.stderr)
        return 1
    path = Path(source)
    if not path.is_file():
        raise HolidaysError(
            f"找不到文件 {source}：请写明节假日文件的路径，如 invoke holidays add {year} --from {year}.yaml"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HolidaysError(f"{source} 不是 UTF-8 编码：请用 UTF-8 另存后再试") from exc
    cal = workdays.read_text(text, year, source)  # ContentError: every problem with its line
    if not cal.source.strip():
        raise ContentError([Problem(source, 1, "请在 source 中写明国务院办公厅通知的名称", "holidays")])
    if not cal.holidays:
        raise ContentError(
            [Problem(source, 1, f"没有列出{year}年的任何假期（holidays）", "holidays.holidays")]
        )
    if target.exists() and not force:
        raise HolidaysError(
            f"本项目已有{year}年的节假日安排（{shown_target}）：要替换它请加 --force，"
            f"即 invoke holidays add {year} --from {source} --force"
        )
    shipped = (workdays.HOLIDAY_DIR / f"{year}.yaml").is_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    print(
        f"已录入{year}年的节假日安排：{shown_target}（{_summary(cal)}）"
        + ("，代替随程序提供的这一年" if shipped else "")
        + "。请把它和内容一起提交到 git；invoke holidays list "
        + f"{year} 可逐日核对。"
    )
    return 0


def run(args) -> int:
    project = Path.cwd()
    try:
        if args.action == "list":
            return show_year(args.year) if args.year is not None else list_years()
        return add_year(args.year, args.source, args.force, project)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"共 {len(exc.problems)} 个问题，未录入；改正后再运行一次。", file=sys.stderr)
        return 1
