"""预算法 第十四条 in the audit: a department budget is published within 20 days of its 批复 (the day
of the 批复 not counted; a last day off work moves to the next working day). Real site loading of
the demo's entry with its dates changed; the whole finding is pinned."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from gongkai_core import audit, budget_audit
from gongkai_core.site import DEFAULT_COLUMNS, load_site

ROOT = Path(__file__).resolve().parents[2]
BUDGET = "content/budget/2025-jyj.yaml"


def _result(tmp_path: Path, approved: str | None = None, published: str | None = None, rel: str = BUDGET):
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / rel).read_text(encoding="utf-8")
    if approved:
        text = re.sub(r"(?m)^  approval_date: .*$", f"  approval_date: {approved}", text)
    if published:
        text = re.sub(r"(?m)^date_published: .*$", f"date_published: {published}", text)
    target.write_text(text, encoding="utf-8")
    site = load_site(
        tmp_path / "content", date(2028, 1, 1), DEFAULT_COLUMNS, project_root=tmp_path, render=False
    )
    assert site.problems == []
    line = next(i + 1 for i, t in enumerate(text.split("\n")) if t.startswith("  approval_date:"))
    return audit.budget_publication(site), line


def test_the_deadline_is_day_20_after_the_approval_moved_to_a_working_day():
    assert budget_audit.deadline(date(2025, 3, 3)) == date(2025, 3, 23 + 1)  # day 20 a Sunday: Monday
    assert budget_audit.deadline(date(2025, 3, 5)) == date(2025, 3, 25)  # a Tuesday: itself
    assert budget_audit.deadline(date(2025, 1, 10)) == date(2025, 2, 5)  # 1-30 in the 春节 holiday


def test_the_demo_budget_is_on_time(tmp_path):
    result, _ = _result(tmp_path)
    assert (result.status, result.summary, result.findings) == (
        "pass",
        "预决算均在批准（批复）后20日内公开",
        [],
    )


def test_a_budget_published_after_the_holiday_extension_fails(tmp_path):
    result, line = _result(tmp_path, approved="2025-01-10")
    assert result.status == "fail"
    assert [str(f) for f in result.findings] == [
        f"{BUDGET}:{line}: 示例县教育局2025年部门预算批复日期 2025-01-10，发布日期 2025-02-13，批复后第 34 日才公开，"
        "超过《预算法》第十四条规定的20日（最晚 2025-02-05（第20日 2025-01-30 不是工作日，顺延至 2025-02-05））"
    ]


def test_day_20_in_a_holiday_extends_the_period(tmp_path):
    result, _ = _result(tmp_path, approved="2025-01-10", published="2025-02-05")
    assert (result.status, result.findings) == ("pass", [])


def test_published_before_the_approval_is_a_typo(tmp_path):
    result, line = _result(tmp_path, approved="2025-02-20")
    assert [str(f) for f in result.findings] == [
        f"{BUDGET}:{line}: 示例县教育局2025年部门预算发布日期 2025-02-13 早于批复日期 2025-02-20：批复之后才能公开，请核对两个日期"
    ]


def test_a_year_without_a_calendar_is_not_guessed(tmp_path):
    result, _ = _result(tmp_path, approved="2027-02-01", published="2027-03-01")
    assert (result.status, result.summary) == ("unknown", "1 份预决算缺少节假日安排，无法判定是否顺延")
    assert result.data == {"unknown": [BUDGET]}


def test_the_governments_own_budget_counts_from_the_congress_approval(tmp_path):
    rel = "content/govbudget/2025.yaml"
    result, line = _result(tmp_path, approved="2025-01-02", rel=rel)
    assert [str(f) for f in result.findings] == [
        f"{rel}:{line}: 示例县2025年本级预算批准日期 2025-01-02，发布日期 2025-02-05，批准后第 34 日才公开，"
        "超过《预算法》第十四条规定的20日（最晚 2025-01-22）"
    ]
