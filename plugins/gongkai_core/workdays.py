"""Working days (工作日) by the official calendar: Monday–Friday, minus the statutory holidays,
plus the weekend days made working days (调休), as announced each year by 国务院办公厅.

The calendar is data, one YAML file per year citing its notice, in two folders:
  - the project's own `holidays/<year>.yaml` (beside content/; written by `invoke holidays add`),
    looked at first: a year there replaces the shipped one, a year only there extends the calendar;
  - the shipped `gongkai_core/data/holidays/<year>.yaml`.
A date in a year without a file in either raises `CalendarMissing` — we never guess a year's holidays.
The project is the folder commands run in (the current directory, as for content/ and the settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .errors import ContentError, GongkaiError, Problem, rel
from .values import BadValue, parse_date, parse_year
from .yamlload import LineDict, LineList, load

HOLIDAY_DIR = Path(__file__).parent / "data" / "holidays"  # shipped with Gongkai
PROJECT_FOLDER = "holidays"  # the project's own calendar, beside content/

Directories = Path | Sequence[Path] | None


def calendar_dirs(directory: Directories = None) -> tuple[Path, ...]:
    """Where a year is looked for, first found wins. None: the project's folder, then the shipped one."""
    if directory is None:
        return (Path.cwd() / PROJECT_FOLDER, HOLIDAY_DIR)
    if isinstance(directory, Path | str):
        return (Path(directory),)
    return tuple(Path(d) for d in directory)


class CalendarMissing(GongkaiError):
    """No holiday file for a year that a working-day count needs."""

    def __init__(self, year: int, directory: Directories = None):
        self.year = year
        self.path = calendar_dirs(directory)[0] / f"{year}.yaml"
        have = available_years(directory)
        known = f"（现有：{'、'.join(str(y) for y in have)}年）" if have else ""
        super().__init__(
            f"缺少{year}年的法定节假日和调休安排{known}：请按国务院办公厅当年的节假日安排通知录入"
            f"（invoke holidays add {year}），不能按普通周末推算工作日"
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


def available_years(directory: Directories = None) -> list[int]:
    return sorted(
        {int(p.stem) for d in calendar_dirs(directory) for p in d.glob("*.yaml") if p.stem.isdigit()}
    )


def find_file(year: int, directory: Directories = None) -> Path | None:
    """The file that holds `year`'s calendar (the project's before the shipped one), or None."""
    for folder in calendar_dirs(directory):
        path = folder / f"{year}.yaml"
        if path.is_file():
            return path
    return None


def project_files(project: Path | None = None) -> list[Path]:
    """The project's own calendar files (`holidays/*.yaml`), sorted: what the read cache's key includes."""
    folder = (project or Path.cwd()) / PROJECT_FOLDER
    return sorted(p for p in folder.glob("*.yaml") if p.stem.isdigit() and p.is_file())


def _read(path: Path, year: int) -> YearCalendar:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Problem(rel(path), 1, "节假日文件不是 UTF-8 编码：请用 UTF-8 另存后再试", "holidays")]
        ) from exc
    return read_text(text, year, rel(path))


def read_text(text: str, year: int, shown: str) -> YearCalendar:
    """One year's calendar from the text of its file (`shown` in the messages); ContentError with
    every problem: dates outside the year, a holiday ending before it starts, holidays overlapping,
    a 调休上班日 that is no weekend day or falls on a day off."""
    data, issues = load(text)
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
    named: dict[date, str] = {}
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
        name = str(item.get("name") or "")
        clash = sorted(d for d in named if start <= d <= end)
        if clash:
            problems.append(
                Problem(
                    shown,
                    item.line_of("from"),
                    f"假期“{name}”（{start} 至 {end}）与“{named[clash[0]]}”重叠（{clash[0]}）：每天只能属于一个假期",
                    "holidays.from",
                )
            )
            continue
        d = start
        while d <= end:
            off.add(d)
            named[d] = name
            names.append((d, name))
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
def _cached(path: str, mtime_ns: int, size: int, year: int) -> YearCalendar:
    return _read(Path(path), year)


def load_year(year: int, directory: Directories = None) -> YearCalendar:
    """The calendar of one year; `CalendarMissing` when there is no file for it."""
    path = find_file(year, directory)
    if path is None:
        raise CalendarMissing(year, directory)
    st = path.stat()
    return _cached(str(path), st.st_mtime_ns, st.st_size, year)


def is_workday(day: date, directory: Directories = None) -> bool:
    return load_year(day.year, directory).is_workday(day)


class _Years:
    """The calendars of a span, each year looked up once."""

    def __init__(self, directory: Directories) -> None:
        self.dirs = calendar_dirs(directory)
        self.years: dict[int, YearCalendar] = {}

    def is_workday(self, day: date) -> bool:
        if day.year not in self.years:
            self.years[day.year] = load_year(day.year, self.dirs)
        return self.years[day.year].is_workday(day)


def count_workdays(start: date, end: date, directory: Directories = None) -> int:
    """Working days from start to end, both included (0 when end is before start)."""
    years = _Years(directory)
    count, day = 0, start
    while day <= end:
        count += years.is_workday(day)
        day += timedelta(days=1)
    return count


def nth_workday(start: date, n: int, directory: Directories = None) -> date:
    """The date of the n-th working day counting from start (start itself counts if it is one)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    years = _Years(directory)
    day, seen = start, 0
    while True:
        if years.is_workday(day):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
