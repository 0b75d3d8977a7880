"""`invoke check` validates the `annual_report:` block of 年度报告 entries (gongkai_core.annual_report):
keys, integer counts, year and level, each as `path:line: 中文说明 (key)`."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from conftest import entry
from gongkai_core.site import DEFAULT_COLUMNS, load_site

BUILD_DATE = date(2026, 11, 1)
PATH = "content/report/2025-annual-report.md"


def report(block: str) -> str:
    """A report entry whose front matter ends with `block` (line 8 is `disclosure`, the block starts on 9)."""
    return entry(
        title="示例县人民政府2025年政府信息公开工作年度报告",
        column="report",
        date_written="2026-03-16",
        date_published="2026-03-20",
        drafted="2026-03-16",
        section="2026-03-16",
        secrecy_on="2026-03-17",
        approved="2026-03-18",
        extra=textwrap.dedent(block),
    )


def check(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    """(problems as editors see them, paths of published entries)"""
    target = tmp_path / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    site = load_site(tmp_path / "content", BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path)
    return [str(p) for p in site.problems], [e.path for e in site.published()]


def block_line(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.strip().startswith(f"{key}:"))


GOOD = """\
annual_report:
  year: 2025
  level: government
  proactive:
    entries: 12
    normative_issued: 3
    normative_repealed: 0
    normative_expired: 1
    normative_in_force: 8
"""


def test_a_complete_block_is_valid_and_the_report_is_published(tmp_path):
    problems, published = check(tmp_path, report(GOOD))
    assert problems == [] and published == [PATH]


def test_level_may_be_left_out_and_fullwidth_digits_are_read(tmp_path):
    text = report(GOOD.replace("  level: government\n", "").replace("entries: 12", "entries: １２"))
    assert check(tmp_path, text) == ([], [PATH])


def test_count_that_is_not_a_whole_number(tmp_path):
    for bad in ("十二", "-1", "3.5"):
        text = report(GOOD.replace("entries: 12", f"entries: {bad}"))
        problems, published = check(tmp_path, text)
        assert problems == [
            f"{PATH}:{block_line(text, 'entries')}: 本年主动公开信息条数“{bad}”应为不小于0的整数"
            " (annual_report.proactive.entries)"
        ]
        assert published == []  # an invalid entry is never published


def test_unknown_key_in_proactive_suggests_the_nearest(tmp_path):
    text = report(GOOD.replace("normative_expired: 1", "normative_expird: 1"))
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"{PATH}:{block_line(text, 'normative_expird')}: 未知的键“normative_expird”，"
        "是否想写“normative_expired”？ (annual_report.proactive.normative_expird)"
    ]


def test_unknown_key_in_the_block(tmp_path):
    text = report(GOOD.replace("  level: government\n", "  levle: government\n"))
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"{PATH}:{block_line(text, 'levle')}: 未知的键“levle”，是否想写“level”？ (annual_report.levle)"
    ]


def test_bad_year(tmp_path):
    for bad, message in (
        ("25", "报告年度“25”应为四位年份，如 2025"),
        ("2005", "报告年度 2005 早于 2008 年（政府信息公开条例施行前没有年度报告），请核对"),
    ):
        text = report(GOOD.replace("year: 2025", f"year: {bad}"))
        problems, _ = check(tmp_path, text)
        assert problems == [f"{PATH}:{block_line(text, 'year')}: {message} (annual_report.year)"]


def test_missing_year_and_proactive(tmp_path):
    text = report("annual_report:\n  level: agency\n")
    problems, _ = check(tmp_path, text)
    line = block_line(text, "annual_report")
    assert sorted(problems) == [
        f"{PATH}:{line}: 缺少必填项“proactive”（主动公开情况） (annual_report.proactive)",
        f"{PATH}:{line}: 缺少必填项“year”（报告年度） (annual_report.year)",
    ]


def test_bad_level(tmp_path):
    text = report(GOOD.replace("level: government", "level: county"))
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"{PATH}:{block_line(text, 'level')}: 报告层级“county”不是可选值；可选值："
        "government（本级政府（3月31日前公布））、agency（部门（1月31日前公布）） (annual_report.level)"
    ]


def test_block_that_is_not_a_mapping(tmp_path):
    text = report("annual_report: 2025\n")
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"{PATH}:{block_line(text, 'annual_report')}: “年度报告数据”应为“键: 值”的块（下一行缩进书写）"
        " (annual_report)"
    ]


def test_count_given_as_a_list(tmp_path):
    text = report(GOOD.replace("entries: 12", "entries:\n      - 12"))
    problems, _ = check(tmp_path, text)
    assert problems == [
        f"{PATH}:{block_line(text, 'entries')}: 本年主动公开信息条数应为单个值，不能是列表或嵌套的键"
        " (annual_report.proactive.entries)"
    ]


def _second(tmp_path: Path, name: str, text: str) -> None:
    target = tmp_path / "content/report" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_a_second_report_of_the_same_year_and_level_names_the_first(tmp_path):
    first = report(GOOD)
    later = entry(
        title="示例县人民政府2025年政府信息公开工作年度报告",
        column="report",
        date_written="2026-03-16",
        date_published="2026-03-25",
        status="draft",
        section=None,
        secrecy="pending",
        secrecy_on=None,
        approved=None,
        drafted="2026-03-16",
        extra=textwrap.dedent(GOOD),
    )
    _second(tmp_path, "2025-annual-report-copy.md", later)
    problems, published = check(tmp_path, first)
    assert problems == [
        f"content/report/2025-annual-report-copy.md:{block_line(later, 'year')}: 2025年度本级政府的年度报告已有 "
        f"{PATH}:{block_line(first, 'year')}，同一年度同一层级只能有一份：请删除重复的文件"
        "（更正已公布的报告请改原文件并在 changes 中说明），或核对 annual_report 的 year 和 level (annual_report.year)"
    ]
    assert published == [PATH]  # the first stays as it is


def test_reports_of_other_years_levels_and_agencies_are_not_the_same(tmp_path):
    _second(tmp_path, "2024.md", report(GOOD.replace("year: 2025", "year: 2024")))
    agency = GOOD.replace("level: government", "level: agency")
    _second(tmp_path, "agency-a.md", report(agency))
    other = report(agency).replace("publisher: 示例县测试局", "publisher: 示例县民政局")
    _second(tmp_path, "agency-b.md", other)
    problems, _ = check(tmp_path, report(GOOD))
    assert problems == []
    # the same agency twice is one too many
    _second(tmp_path, "agency-c.md", report(agency).replace("2026-03-20", "2026-03-21"))
    problems, _ = check(tmp_path, report(GOOD))
    assert len(problems) == 1
    year = block_line(report(agency), "year")
    assert problems[0].startswith(
        f"content/report/agency-c.md:{year}: 示例县测试局2025年度的部门年度报告已有 content/report/agency-a.md:{year}，"
    ), problems


def test_a_report_without_block_is_one_of_its_title_year_and_publisher(tmp_path):
    old = entry(
        title="示例县人民政府2025年政府信息公开工作年度报告（更正）",
        column="report",
        date_written="2026-03-16",
        date_published="2026-03-28",
        drafted="2026-03-16",
        section="2026-03-16",
        secrecy_on="2026-03-17",
        approved="2026-03-18",
    )
    _second(tmp_path, "2025-again.md", old)
    problems, _ = check(tmp_path, report(GOOD))
    assert problems == [
        "content/report/2025-again.md:2: 2025年度本级政府的年度报告已有 "
        f"{PATH}:{block_line(report(GOOD), 'year')}，同一年度同一层级只能有一份：请删除重复的文件"
        "（更正已公布的报告请改原文件并在 changes 中说明），或核对 annual_report 的 year 和 level (title)"
    ]
    # a withdrawn report is replaced, not doubled
    withdrawn = old.replace("status: approved", "status: withdrawn").replace(
        "review:\n", "review:\n  withdrawn_on: 2026-04-01\n"
    )
    _second(tmp_path, "2025-again.md", withdrawn)
    problems, _ = check(tmp_path, report(GOOD))
    assert problems == []
