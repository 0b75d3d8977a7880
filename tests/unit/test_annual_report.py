"""`invoke annual-report YEAR`: figures from the entries published that year, a draft for editors."""

from __future__ import annotations

import subprocess
import sys

import json
import re

from conftest import EPOCH, entry, make_project, run_cli

from gongkai_core import annual_report, clock, placeholder
from gongkai_core.site import load_site


def _files() -> dict[str, str]:
    return {
        "policy/a.md": entry(
            title="规范性文件甲",
            extra="doc_no: 示政规〔2025〕1号",
            date_written="2025-01-20",
            date_published="2025-02-01",
            index_no="SL0000801/2025-00001",
        ),
        "policy/b.md": entry(
            title="规范性文件乙",
            extra="doc_no: 示政规〔2024〕2号",
            date_written="2024-03-01",
            date_published="2024-03-05",
            drafted="2024-03-01",
            section="2024-03-02",
            secrecy_on="2024-03-03",
            approved="2024-03-04",
            index_no="SL0000801/2024-00002",
        ),
        "policy/c.md": entry(
            title="一般通知",
            date_published="2025-03-01",
            publisher="示例县民政局",
            index_no="SL0000802/2025-00001",
        ),
        "policy/held.md": entry(
            title="待审文件",
            extra="doc_no: 示政规〔2025〕3号",
            status="in_review",
            approved=None,
            index_no="SL0000801/2025-00003",
        ),
    }


def test_figures_count_only_what_was_published_that_year(tmp_path):
    project = make_project(tmp_path, _files())
    site = load_site(
        project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project
    )
    f = annual_report.figures(site, 2025)
    assert (f.entries, f.normative_issued, f.normative_repealed, f.normative_in_force) == (2, 1, 0, 2)
    assert dict(f.by_column)["政策文件"] == 2
    assert f.by_publisher == (("示例县民政局", 1), ("示例县测试局", 1))  # equal counts: by name


def test_the_command_writes_a_valid_draft_once(tmp_path):
    project = make_project(tmp_path, _files())
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "gongkai_cli.annual_report", "2025"]
    first = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "已生成草稿：content/report/2026-annual-report-2025-draft.md"
    draft = (project / "content/report/2026-annual-report-2025-draft.md").read_text(encoding="utf-8")
    assert (
        '<th scope="row">行政规范性文件</th><td>1</td><td>0</td><td>2</td>' in draft
        and "| 合计 | 2 |" in draft
    )
    assert "status: draft" in draft and "待审文件" not in draft
    site = load_site(
        project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project
    )
    # what the content cannot tell is marked, and each mark is an error until editors replace it
    shown = "content/report/2026-annual-report-2025-draft.md"
    lines = draft.split("\n")
    marked = [
        i + 1
        for i, line in enumerate(lines)
        if "（请填写）" in line or line.startswith("> 本稿由") or placeholder.REPORT_APPLICATIONS in line
    ]
    assert len(marked) == 10
    problems = [str(p) for p in site.problems]
    assert problems[0] == f"{shown}:2: 标题末尾的“（草稿）”是草稿标记，定稿后请删除 (title)"
    assert [p.line for p in site.problems[1:]] == marked
    assert all(p.startswith(f"{shown}:") and "请替换占位内容“" in p for p in problems[1:]), problems
    licences = '<tr><th scope="row">行政许可</th><td colspan="3">（请填写）</td></tr>'
    assert f"{shown}:{lines.index(licences) + 1}: 请替换占位内容“（请填写）” (body)" in problems
    assert not any(e.path.endswith("draft.md") for e in site.entries)
    assert _completed(draft) != draft
    (project / shown).write_text(_completed(draft), encoding="utf-8")
    site = load_site(
        project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project
    )
    assert site.problems == []
    assert not any(e.path.endswith("draft.md") for e in site.published())  # still a draft
    again = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True)
    assert again.returncode == 1
    assert (
        again.stderr.strip()
        == "content/report/2026-annual-report-2025-draft.md 已存在（可能已有编辑修改）：如需重新生成，请加 --force"
    )


def _completed(draft: str) -> str:
    """What editors do with the draft: every “（请填写）” written, the note to editors and “（草稿）”
    taken out."""
    todo = placeholder.TODO
    text = "\n".join(line for line in draft.split("\n") if not line.startswith("> 本稿由"))
    text = text.replace(placeholder.REPORT_APPLICATIONS, "均已按期答复。")
    text = re.sub(re.escape(todo) + r"(?= \|)", "0", text)  # table cells
    text = text.replace(f"<td>{todo}</td>", "<td>0</td>").replace(
        f'<td colspan="3">{todo}</td>', '<td colspan="3">0</td>'
    )
    text = text.replace("条。" + todo, "条。")
    return text.replace(todo, "本年无此类情况。").replace(placeholder.DRAFT, "")


def _signed(day: str) -> dict[str, str]:
    return dict(drafted=day, section=day, secrecy_on=day, approved=day)


def test_withdrawn_entries_count_and_ends_are_dated_by_valid_until(tmp_path):
    files = {
        # published in 2025 and withdrawn in 2026: it was disclosed in 2025
        "policy/w.md": entry(
            title="已撤回的规范性文件",
            extra="doc_no: 示政规〔2025〕5号",
            date_written="2025-04-01",
            date_published="2025-04-03",
            index_no="SL0000801/2025-00005",
            review=review_withdrawn("2025-04-01", "2026-02-01"),
        ),
        # repealed on 2025-09-30 (written in 2023): 本年废止, not in force at the end of 2025
        "policy/r.md": entry(
            title="已废止的办法",
            extra="doc_no: 示政规〔2023〕1号\nvalidity: repealed\nvalid_until: 2025-09-30",
            date_written="2023-02-01",
            date_published="2023-02-03",
            index_no="SL0000801/2023-00001",
            **_signed("2023-02-01"),
        ),
        # lapses 2026-06-30: still in force at the end of 2025
        "policy/e.md": entry(
            title="将要失效的办法",
            extra="doc_no: 示政规〔2024〕1号\nvalidity: expired\nvalid_until: 2026-06-30",
            date_written="2024-02-01",
            date_published="2024-02-03",
            index_no="SL0000801/2024-00001",
            **_signed("2024-02-01"),
        ),
        # marked expired, no date: counted in no year, not in force, named to the editor
        "policy/u.md": entry(
            title="没有失效日期的办法",
            extra="doc_no: 示政规〔2024〕2号\nvalidity: expired",
            date_written="2024-03-01",
            date_published="2024-03-03",
            index_no="SL0000801/2024-00002",
            **_signed("2024-03-01"),
        ),
        # embargoed past the build date: never counted
        "policy/later.md": entry(
            title="尚未发布",
            date_written="2025-12-20",
            date_published="2026-12-01",
            extra="doc_no: 示政规〔2025〕9号",
            index_no="SL0000801/2025-00009",
            **_signed("2025-12-20"),
        ),
    }
    project = make_project(tmp_path, files)
    site = load_site(
        project / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=project
    )
    f = annual_report.figures(site, 2025)
    assert f.proactive() == {
        "entries": 1,
        "normative_issued": 1,
        "normative_repealed": 1,
        "normative_expired": 0,
        "normative_in_force": 2,
    }
    assert f.undated_ends == ("content/policy/u.md",)
    assert annual_report.figures(site, 2026).proactive()["normative_expired"] == 1
    # an agency counts its own entries only
    assert annual_report.figures(site, 2025, publisher="示例县民政局").proactive()["entries"] == 0


def review_withdrawn(day: str, withdrawn: str) -> str:
    return "\n".join(
        [
            "review:",
            "  status: withdrawn",
            "  drafted_by: 张三",
            f"  drafted_on: {day}",
            "  section_by: 李四",
            f"  section_on: {day}",
            "  secrecy: passed",
            "  secrecy_by: 王五",
            f"  secrecy_on: {day}",
            "  approved_by: 赵六",
            f"  approved_on: {day}",
            f"  withdrawn_on: {withdrawn}",
        ]
    )


def _rules(project) -> dict:
    data = json.loads((project / "report/audit.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["rules"]}


def test_the_draft_states_its_figures_and_audit_accepts_it_once_approved(tmp_path):
    project = make_project(tmp_path, _files())
    made = run_cli(project, "check")
    assert made.returncode == 0, made.stdout + made.stderr
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"}
    first = subprocess.run(
        [sys.executable, "-m", "gongkai_cli.annual_report", "2025"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    path = project / "content/report/2026-annual-report-2025-draft.md"
    draft = path.read_text(encoding="utf-8")
    assert (
        "annual_report:\n  year: 2025\n  level: government\n  proactive:\n    entries: 2\n"
        "    normative_issued: 1\n    normative_repealed: 0\n    normative_expired: 0\n"
        "    normative_in_force: 2\n---\n"
    ) in draft
    # editors complete and approve it: the audit finds the report and its figures agree
    approved = re.sub(
        r"review:\n  status: draft\n  secrecy: pending\n",
        "review:\n  status: approved\n  drafted_by: 张三\n  drafted_on: 2026-11-01\n"
        "  section_by: 李四\n  section_on: 2026-11-01\n  secrecy: passed\n  secrecy_by: 王五\n"
        "  secrecy_on: 2026-11-01\n  approved_by: 赵六\n  approved_on: 2026-11-01\n",
        _completed(draft),
    )
    path.write_text(approved, encoding="utf-8")
    audit = run_cli(project, "audit", "--no-site", "--report", "report")
    assert audit.returncode in (0, 1), audit.stderr
    rules = _rules(project)
    assert rules["content.problems"]["status"] == "pass", rules["content.problems"]["findings"]
    figures = rules["annual_report.figures"]
    assert figures["status"] == "pass", figures["findings"]
    assert figures["data"]["reports"][0]["figures"]["entries"] == {"stated": 2, "computed": 2}
    # a figure changed by hand is caught, at its line
    path.write_text(approved.replace("    entries: 2\n", "    entries: 3\n"), encoding="utf-8")
    run_cli(project, "audit", "--no-site", "--report", "report")
    rules = _rules(project)
    (finding,) = rules["annual_report.figures"]["findings"]
    assert finding["message"] == "年度报告写本年主动公开信息条数 3，按本站条目统计为 2"
    assert finding["line"] == approved.split("\n").index("    entries: 2") + 1
