"""`invoke annual-report YEAR`: figures from the entries published that year, a draft for editors."""

from __future__ import annotations

import subprocess
import sys

from conftest import EPOCH, entry, make_project

from gongkai_core import annual_report, clock
from gongkai_core.site import load_site


def _files() -> dict[str, str]:
    return {
        "policy/a.md": entry(title="规范性文件甲", extra="doc_no: 示政规〔2025〕1号", date_written="2025-01-20",
                             date_published="2025-02-01", index_no="SL0000801/2025-00001"),
        "policy/b.md": entry(title="规范性文件乙", extra="doc_no: 示政规〔2024〕2号", date_written="2024-03-01",
                             date_published="2024-03-05", drafted="2024-03-01", section="2024-03-02",
                             secrecy_on="2024-03-03", approved="2024-03-04", index_no="SL0000801/2024-00002"),
        "policy/c.md": entry(title="一般通知", date_published="2025-03-01", publisher="示例县民政局",
                             index_no="SL0000802/2025-00001"),
        "policy/held.md": entry(title="待审文件", extra="doc_no: 示政规〔2025〕3号", status="in_review", approved=None,
                                index_no="SL0000801/2025-00003"),
    }


def test_figures_count_only_what_was_published_that_year(tmp_path):
    project = make_project(tmp_path, _files())
    site = load_site(project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project)
    f = annual_report.figures(site, 2025)
    assert (f.total, f.normative_issued, f.normative_repealed, f.normative_current) == (2, 1, 0, 2)
    assert dict(f.by_column)["政策文件"] == 2
    assert f.by_publisher == (("示例县民政局", 1), ("示例县测试局", 1))  # equal counts: by name


def test_the_command_writes_a_valid_draft_once(tmp_path):
    project = make_project(tmp_path, _files())
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "gongkai_core.annual_report", "2025"]
    first = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "已生成草稿：content/report/2026-annual-report-2025-draft.md"
    draft = (project / "content/report/2026-annual-report-2025-draft.md").read_text(encoding="utf-8")
    assert "| 行政规范性文件 | 1 | 0 | 2 |" in draft and "| 合计 | 2 |" in draft
    assert "status: draft" in draft and "待审文件" not in draft
    site = load_site(project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project)
    assert site.problems == []
    assert not any(e.path.endswith("draft.md") for e in site.published())
    again = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert again.returncode == 1
    assert again.stderr.strip() == "content/report/2026-annual-report-2025-draft.md 已存在（可能已有编辑修改）：如需重新生成，请加 --force"
