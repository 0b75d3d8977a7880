"""Working days by the official holiday and 调休 calendar kept as data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from gongkai_core import workdays
from gongkai_core.errors import ContentError


def _count_year(year: int) -> int:
    start = date(year, 1, 1)
    return workdays.count_workdays(start, date(year, 12, 31))


def test_official_working_day_totals():
    # 2019 had 250 working days, 2024 251, 2025 and 2026 have 248 (by the 国务院办公厅 notices)
    assert [_count_year(y) for y in (2019, 2024, 2025, 2026)] == [250, 251, 248, 248]


def test_holidays_and_make_up_days():
    assert not workdays.is_workday(date(2025, 10, 8))  # 国庆节、中秋节 holiday, a Wednesday
    assert workdays.is_workday(date(2025, 9, 28))  # 调休上班, a Sunday
    assert not workdays.is_workday(date(2026, 2, 23))  # 春节 holiday, a Monday
    assert workdays.is_workday(date(2026, 2, 28))  # 调休上班, a Saturday
    assert workdays.nth_workday(date(2025, 9, 29), 3) == date(2025, 10, 9)


def test_a_missing_year_is_an_error_not_a_guess():
    with pytest.raises(workdays.CalendarMissing) as caught:
        workdays.is_workday(date(2031, 3, 3))
    assert str(caught.value) == (
        "缺少2031年的法定节假日和调休安排（现有：2019、2024、2025、2026年）：请按国务院办公厅当年的节假日安排通知录入"
        "（invoke holidays add 2031），不能按普通周末推算工作日"
    )


def test_a_bad_calendar_file_names_its_lines(tmp_path: Path):
    (tmp_path / "2030.yaml").write_text(
        "year: 2030\nholidays:\n  - name: 元旦\n    from: 2030-01-01\n    to: 2029-12-31\nworkdays:\n  - 2030-01-02\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        workdays.load_year(2030, tmp_path)
    shown = str(tmp_path / "2030.yaml").lstrip("/")
    messages = [f"{p.line}: {p.message} ({p.key})" for p in caught.value.problems]
    assert messages == [
        "5: 日期 2029-12-31 不在2030年内 (holidays.to)",
        "7: 调休上班日 2030-01-02 不是周末：只需列出需要上班的周六、周日 (holidays.workdays)",
    ]
    assert shown


def test_every_calendar_file_is_consistent():
    for year in workdays.available_years():
        cal = workdays.load_year(year)
        assert cal.source.startswith("国务院办公厅关于")
        assert all(d.weekday() >= 5 for d in cal.workdays)
        assert all(d + timedelta(0) not in cal.workdays for d in cal.holidays)


# ---- the project's own calendar (holidays/ beside content/): read before the shipped one ----

CAL_2027 = """\
year: 2027
source: 测试用节假日安排
holidays:
  - name: 元旦
    from: 2027-01-01
    to: 2027-01-03
workdays:
  - 2027-01-09
"""


def test_a_year_in_the_project_folder_extends_the_shipped_calendar(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2027.yaml").write_text(CAL_2027, encoding="utf-8")
    assert workdays.available_years() == [2019, 2024, 2025, 2026, 2027]
    assert not workdays.is_workday(date(2027, 1, 1))  # a Friday, 元旦
    assert workdays.is_workday(date(2027, 1, 9))  # a Saturday, 调休上班
    assert workdays.count_workdays(date(2026, 12, 31), date(2027, 1, 9)) == 1 + 5 + 1
    assert workdays.is_workday(date(2026, 2, 28))  # the shipped years still count


def test_a_year_in_the_project_folder_replaces_the_shipped_one(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2026.yaml").write_text(
        "year: 2026\nsource: 更正\nholidays:\n  - name: 元旦\n    from: 2026-01-01\n    to: 2026-01-01\n",
        encoding="utf-8",
    )
    assert workdays.find_file(2026) == tmp_path / "holidays" / "2026.yaml"
    assert workdays.is_workday(date(2026, 2, 23))  # no 春节 in the project's version of 2026
    monkeypatch.chdir(tmp_path.parent)
    assert not workdays.is_workday(date(2026, 2, 23))  # another project: the shipped 2026


def test_overlapping_holidays_are_an_error(tmp_path: Path):
    (tmp_path / "2030.yaml").write_text(
        "year: 2030\nholidays:\n  - name: 国庆节\n    from: 2030-10-01\n    to: 2030-10-07\n"
        "  - name: 中秋节\n    from: 2030-10-06\n    to: 2030-10-08\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        workdays.load_year(2030, tmp_path)
    assert [f"{p.line}: {p.message} ({p.key})" for p in caught.value.problems] == [
        "7: 假期“中秋节”（2030-10-06 至 2030-10-08）与“国庆节”重叠（2030-10-06）：每天只能属于一个假期 (holidays.from)"
    ]
