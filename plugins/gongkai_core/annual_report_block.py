"""The `annual_report:` block of a 年度报告 entry: its year, its level and the figures it states.

Read by `read_entry` (what `invoke check` reports) and by the audit (which compares the figures
with gongkai_core.annual_report.figures). It depends on the field rules only, not on the entry
model or the site, so the entry reader can import it without a cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import schema
from .errors import Problem
from .fieldspec import check_block
from .yamlload import LineDict

PROACTIVE_KEYS = tuple(f.key for f in schema.ANNUAL_REPORT_PROACTIVE_FIELDS)
PROACTIVE_LABELS = {f.key: f.label for f in schema.ANNUAL_REPORT_PROACTIVE_FIELDS}
FIRST_YEAR = 2008  # the first 条例 (国务院令第492号) took effect on 2008-05-01


@dataclass(frozen=True)
class ReportBlock:
    """A valid `annual_report:` block: the year, the level and the figures it states."""

    year: int
    level: str
    proactive: dict[str, int]  # only the keys written
    lines: dict[str, int]  # line of `year`, `level` and of each proactive key


def parse_block(data: object, path: str, line: int | None = None) -> tuple[ReportBlock | None, list[Problem]]:
    """Check an `annual_report:` block against schema.ANNUAL_REPORT_FIELDS; (block or None, problems).
    `line` is the line of the `annual_report:` key (a missing key is reported there)."""
    line = line or getattr(data, "line", 1)
    typed, problems = check_block(data, schema.ANNUAL_REPORT_FIELDS, path, "annual_report", line)
    year = typed.get("year")
    if isinstance(year, int) and year < FIRST_YEAR:
        problems.append(
            Problem(
                path,
                typed.lines.get("year", line),
                f"报告年度 {year} 早于 {FIRST_YEAR} 年（政府信息公开条例施行前没有年度报告），请核对",
                "annual_report.year",
            )
        )
    if problems or not isinstance(year, int):
        return None, sorted(problems)
    proactive = typed.get("proactive")
    lines = {k: typed.lines[k] for k in ("year", "level") if k in typed.lines}
    figures: dict[str, int] = {}
    if isinstance(proactive, LineDict):
        figures = {k: proactive[k] for k in PROACTIVE_KEYS if k in proactive}
        lines.update({k: proactive.lines[k] for k in figures})
    return ReportBlock(year, typed.get("level") or "government", figures, lines), []


def validate(data: object, path: str, line: int | None = None) -> list[Problem]:
    """Every problem of one `annual_report:` block (what `invoke check` reports), sorted by line."""
    return parse_block(data, path, line)[1]


REPORT_COLUMN = "report"  # the column of the 年度报告 (the audit's default report_column)
LEVEL_LABELS = {"government": "本级政府", "agency": "部门"}
_TITLE_YEAR = re.compile(r"(\d{4})\s*年.*年度报告")


def title_year(title: str) -> int | None:
    """The year a report's title names (“示例县人民政府2024年政府信息公开工作年度报告”), else None."""
    m = _TITLE_YEAR.search(title)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class ReportId:
    """What makes a 年度报告 the one of its year: year and level (None: a report without a block,
    whose level is unknown), the publisher for an agency's report, and where the year is written."""

    path: str
    year: int
    level: str | None
    publisher: str
    line: int
    key: str

    def same_report(self, other: ReportId) -> bool:
        """One report per year and level: one 本级政府 report, one per agency; a report without a
        block is the same as another of its year by the same publisher."""
        if self.year != other.year:
            return False
        if self.level is None or other.level is None:
            return self.publisher == other.publisher
        return self.level == other.level and (self.level == "government" or self.publisher == other.publisher)

    def message(self, other: ReportId) -> str:
        """What `self`, the later of two reports of one year and level, says of `other`."""
        level = self.level or other.level
        if level == "government":
            what = f"{self.year}年度本级政府的年度报告"
        elif level == "agency":
            what = f"{self.publisher}{self.year}年度的部门年度报告"
        else:
            what = f"{self.publisher}{self.year}年度的年度报告"
        return (
            f"{what}已有 {other.path}:{other.line}，同一年度同一层级只能有一份：请删除重复的文件"
            "（更正已公布的报告请改原文件并在 changes 中说明），或核对 annual_report 的 year 和 level"
        )
