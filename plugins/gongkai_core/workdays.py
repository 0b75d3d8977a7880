"""Working days (工作日) by the official calendar: Monday–Friday, minus the statutory holidays,
plus the weekend days made working days (调休), as announced each year by 国务院办公厅.

The calendar is data: `data/holidays/<year>.yaml`, one file per year, citing its notice. A date
in a year without a file raises `CalendarMissing` — we never guess a year's holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .errors import ContentError, GongkaiError, Problem, rel
from .values import BadValue, parse_date, parse_year
from .yamlload import LineDict, LineList, load

HOLIDAY_DIR = Path(__file__).parent / "data" / "holidays"


class CalendarMissing(GongkaiError):
    """No holiday file for a year that a working-day count needs."""

    def __init__(self, year: int, directory: Path):
        self.year = year
        self.path = directory / f"{year}.yaml"
        have = available_years(directory)
        known = f"（现有：{'、'.join(str(y) for y in have)}年）" if have else ""
        super().__init__(
            f"缺少{year}年的法定节假日和调休安排{known}：请按国务院办公厅当年的节假日安排通知新增 "
            f"{rel(self.path)}，不能按普通周末推算工作日"
        )


@dataclass(frozen=True)
class YearCalendar:
    year: int
    source: str
    holidays: frozenset[date]  # days off, weekends inside a holiday included
    workdays: frozenset[date]  # weekend days that are working days (调休上班)
    names: tuple[tuple[date, str], ...]  # each holiday day with its festival name

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def available_years(directory: Path = HOLIDAY_DIR) -> list[int]:
    return sorted(int(p.stem) for p in directory.glob("*.yaml") if p.stem.isdigit())


def _read(path: Path, year: int) -> YearCalendar:
    shown = rel(path)
    data, issues = load(path.read_text(encoding="utf-8"))
    problems = [Problem(shown, i.line, i.message, i.key) for i in issues]
    if not isinstance(data, LineDict):
        raise ContentError(problems or [Problem(shown, 1, "节假日文件应为“键: 值”格式", "holidays")])

    def day(value: object, line: int, key: str) -> date | None:
        try:
            d = parse_date(value)
        except BadValue as exc:
            problems.append(Problem(shown, line, str(exc), key))
            return None
        if d.year != year:
            problems.append(Problem(shown, line, f"日期 {d} 不在{year}年内", key))
            return None
        return d

    try:
        if parse_year(data.get("year")) != year:
            problems.append(
                Problem(shown, data.line_of("year"), f"year 应为 {year}（与文件名一致）", "holidays.year")
            )
    except BadValue as exc:
        problems.append(Problem(shown, data.line_of("year"), str(exc), "holidays.year"))
    off: set[date] = set()
    names: list[tuple[date, str]] = []
    holidays = data.get("holidays")
    for i, item in enumerate(holidays if isinstance(holidays, LineList) else []):
        line = holidays.line_of(i)
        if not isinstance(item, LineDict):
            problems.append(Problem(shown, line, "每个假期应写 name、from、to", "holidays.holidays"))
            continue
        start = day(item.get("from"), item.line_of("from"), "holidays.from")
        end = day(item.get("to"), item.line_of("to"), "holidays.to")
        if start is None or end is None:
            continue
        if end < start:
            problems.append(
                Problem(shown, item.line_of("to"), f"假期结束日 {end} 早于开始日 {start}", "holidays.to")
            )
        d = start
        while d <= end:
            off.add(d)
            names.append((d, str(item.get("name") or "")))
            d += timedelta(days=1)
    work: set[date] = set()
    listed = data.get("workdays")
    for i, value in enumerate(listed if isinstance(listed, LineList) else []):
        d = day(value, listed.line_of(i), "holidays.workdays")
        if d is None:
            continue
        if d.weekday() < 5:
            problems.append(
                Problem(
                    shown,
                    listed.line_of(i),
                    f"调休上班日 {d} 不是周末：只需列出需要上班的周六、周日",
                    "holidays.workdays",
                )
            )
        if d in off:
            problems.append(
                Problem(shown, listed.line_of(i), f"调休上班日 {d} 同时列在放假日中", "holidays.workdays")
            )
        work.add(d)
    if problems:
        raise ContentError(problems)
    return YearCalendar(
        year, str(data.get("source") or ""), frozenset(off), frozenset(work), tuple(sorted(names))
    )


@lru_cache(maxsize=64)
def _cached(directory: str, year: int) -> YearCalendar:
    path = Path(directory) / f"{year}.yaml"
    if not path.is_file():
        raise CalendarMissing(year, Path(directory))
    return _read(path, year)


def load_year(year: int, directory: Path = HOLIDAY_DIR) -> YearCalendar:
    """The calendar of one year; `CalendarMissing` when there is no file for it."""
    return _cached(str(directory), year)


def is_workday(day: date, directory: Path = HOLIDAY_DIR) -> bool:
    return load_year(day.year, directory).is_workday(day)


def count_workdays(start: date, end: date, directory: Path = HOLIDAY_DIR) -> int:
    """Working days from start to end, both included (0 when end is before start)."""
    count, day = 0, start
    while day <= end:
        count += is_workday(day, directory)
        day += timedelta(days=1)
    return count


def nth_workday(start: date, n: int, directory: Path = HOLIDAY_DIR) -> date:
    """The date of the n-th working day counting from start (start itself counts if it is one)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, seen = start, 0
    while True:
        if is_workday(day, directory):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
