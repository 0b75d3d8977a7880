"""预算法 Art. 14: a department's budget (决算, the budget column) is published within 20 days of
its 批复 by the finance bureau, the government's own budget (决算, the govbudget column) within 20
days of its 批准 by the people's congress (no Pelican here; `audit.budget_publication` makes the
audit's rule of it).

How the days are counted (民法典 第二百零一条、第二百零三条, the general rule for periods in days,
as 预算法 gives no rule of its own): the day of the 批复 is not counted, day 1 is the day after; the
period ends at the end of day 20. When day 20 is not a working day (a weekend or a statutory
holiday by the State Council's calendar, `workdays`), the period ends on the next working day. A
调休 Saturday that is a working day is a working day. A year without a calendar is never guessed:
an entry whose answer depends on it is “无法判定”.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import workdays
from .columns import budget, govbudget
from .errors import ContentError

PERIOD = 20  # calendar days after the 批复 (预算法 第十四条)


def deadline(approved: date, directory: workdays.Directories = None) -> date:
    """The last day to publish a budget approved on `approved`: day 20 after it, moved on to the
    next working day when day 20 is not one. Raises workdays.CalendarMissing."""
    end = approved + timedelta(days=PERIOD)
    while not workdays.is_workday(end, directory):
        end += timedelta(days=1)
    return end


@dataclass(frozen=True)
class Late:
    """A budget published after its deadline (or before its 批复, a typo in either date)."""

    path: str
    line: int
    message: str
    data: dict[str, Any]


def late_budgets(
    entries: Iterable[Any], directory: workdays.Directories = None
) -> tuple[list[Late], list[str]]:
    """The published entries of the budget and govbudget columns (`entry.Entry`) that came late, and
    the paths of those that cannot be told for lack of a holiday calendar."""
    late: list[Late] = []
    unknown: list[str] = []
    for entry in sorted(entries, key=lambda e: e.path):
        module = {budget.KEY: budget, govbudget.KEY: govbudget}.get(entry.column)
        if module is None or entry.data is None:
            continue
        try:
            model = module.parse(entry.data, entry.path)
        except ContentError:
            continue
        approved, published = model.approval_date, entry.date_published
        if approved is None:
            continue
        line = entry.line_of(f"{module.BLOCK}.approval_date")
        if module is budget:
            what, act = f"{model.department}{model.fiscal_year}年部门{model.kind_label}", "批复"
        else:
            what, act = f"{model.government}{model.fiscal_year}年本级{model.kind_label}", "批准"
        data = {"approval_date": approved.isoformat(), "date_published": published.isoformat()}
        if published < approved:
            late.append(
                Late(
                    entry.path,
                    line,
                    f"{what}发布日期 {published} 早于{act}日期 {approved}：{act}之后才能公开，请核对两个日期",
                    data,
                )
            )
            continue
        plain = approved + timedelta(days=PERIOD)
        if published <= plain:
            continue
        try:
            last = deadline(approved, directory)
        except workdays.CalendarMissing:
            unknown.append(entry.path)
            continue
        if published > last:
            days = (published - approved).days
            moved = "" if last == plain else f"（第20日 {plain} 不是工作日，顺延至 {last}）"
            late.append(
                Late(
                    entry.path,
                    line,
                    f"{what}{act}日期 {approved}，发布日期 {published}，{act}后第 {days} 日才公开，"
                    f"超过《预算法》第十四条规定的20日（最晚 {last}{moved}）",
                    {**data, "deadline": last.isoformat(), "days": days},
                )
            )
    return late, unknown
