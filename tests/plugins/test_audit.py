"""`invoke audit`: every rule with content that breaks it and content that passes it.

Each case writes a real project, builds it with Pelican when the rule looks at the built site,
runs `python -m gongkai_cli audit` and reads what it wrote: audit.json (for tools) and
index.html (what a leader reads). The build date is conftest.EPOCH, 2026-11-01.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import entry, make_project, review_block, run_cli

COLUMNS = (
    'GONGKAI_COLUMNS = {"policy": "政策文件", "report": "公开年报", "interpretation": "政策解读"}\n'
    "GONGKAI_STRUCTURE = None\n"
)
ISSUER = "示例县人民政府办公室"  # pelicanconf ISSUER: the government-level annual report is expected from it


def doc(
    title: str,
    written: str,
    published: str,
    *,
    doc_no: str | None = None,
    extra: str = "",
    body: str = "正文第一段。",
    publisher: str = "示例县测试局",
    column: str = "policy",
    **kw,
) -> str:
    """A complete, publishable entry: topic, summary, every sign-off on the day it was written."""
    meta = f"topic: 综合政务\nsummary: {title}的内容概述\n"
    if doc_no:
        meta += f"doc_no: {doc_no}\nvalidity: current\n"
    meta += extra
    signoffs = dict(drafted=written, section=written, secrecy_on=written, approved=written)
    signoffs.update(kw)
    return entry(
        title=title,
        date_written=written,
        date_published=published,
        extra=meta,
        body=body,
        publisher=publisher,
        column=column,
        **signoffs,
    )


def annual_report(
    year: int = 2025,
    published: str = "2026-03-20",
    *,
    entries: int = 2,  # GOOD's 规范性文件 and its 解读
    issued: int = 1,
    repealed: int = 0,
    in_force: int = 1,
    level: str = "government",
    publisher: str = ISSUER,
    written: str = "2026-03-16",
) -> str:
    block = textwrap.dedent(f"""\
        annual_report:
          year: {year}
          level: {level}
          proactive:
            entries: {entries}
            normative_issued: {issued}
            normative_repealed: {repealed}
            normative_expired: 0
            normative_in_force: {in_force}
        """)
    return doc(
        f"{publisher}{year}年政府信息公开工作年度报告",
        written,
        published,
        extra=block,
        column="report",
        publisher=publisher,
        body=report_tables_body(year, issued, repealed, in_force),
    )


def report_tables_body(year: int, issued: int, repealed: int, in_force: int) -> str:
    """Tables 二, 三 and 四 in the national format (gongkai_core.annual_report_tables), the office's
    own figures of table 二 written in, 三 and 四 of a project without a register (all zero)."""
    from gongkai_core import annual_report_tables as tables
    from gongkai_core import requests_register as rr

    two = tables.table_two((issued, repealed, in_force)).replace(tables.TODO, "0")
    return "\n\n".join(
        [
            "正文第一段。",
            two,
            tables.table_three(rr.table_three([], year)),
            tables.table_four(rr.table_four([], year)),
        ]
    )


# 政策解读 follow their documents: the column is updated when a 规范性文件 is (GOOD's is from 2025)
GOOD_SETTINGS = 'GONGKAI_AUDIT = {"column_periods": {"policy": 180, "interpretation": 1000}}\n'
GOOD = {
    "policy/normative.md": doc(
        "示例县测试管理办法",
        "2025-03-03",
        "2025-03-10",
        doc_no="示测规〔2025〕1号",
        index_no="SL0000001/2025-09001",
    ),
    # its 政策解读, published with it (三同步: interpretation.sync)
    "interpretation/normative-qa.md": doc(
        "《示例县测试管理办法》政策解读",
        "2025-03-03",
        "2025-03-10",
        column="interpretation",
        publisher="示例县司法局",
        extra="interprets: SL0000001/2025-09001\n",
    ),
    "policy/recent.md": doc("示例县近期工作通知", "2026-10-20", "2026-10-28"),
    "report/2025-annual-report.md": annual_report(),
    # the 政府网站工作年度报表 the demo's GONGKAI_SITE_ELEMENTS names (inspection.site_marks)
    "pages/web-report-2025.md": "---\ntitle: 政府网站工作年度报表（2025年度）\nslug: web-report-2025\n---\n\n报表。\n",
}


@dataclass
class Audit:
    rc: int
    stdout: str
    data: dict
    html: str
    project: Path

    def rule(self, rule_id: str) -> dict:
        return next(r for r in self.data["rules"] if r["id"] == rule_id)

    def status(self, rule_id: str) -> str:
        return self.rule(rule_id)["status"]

    def messages(self, rule_id: str) -> list[str]:
        return [f["message"] for f in self.rule(rule_id)["findings"]]

    def section(self, rule_id: str) -> str:
        """The text a reader sees in the report's section on one rule."""
        soup = BeautifulSoup(self.html, "html.parser")
        heading = soup.find(id=rule_id)
        assert heading is not None, f"no section for {rule_id}"
        return re.sub(r"\s+", " ", heading.find_parent("section").get_text(" "))

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", BeautifulSoup(self.html, "html.parser").get_text(" "))


def run_audit(
    base: Path,
    files: dict[str, str],
    *,
    settings: str = "",
    build: bool = True,
    epoch: str | None = None,
    build_epoch: str | None = None,
    strict: bool = False,
    mutate=None,
) -> Audit:
    project = make_project(base, files)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write("\n" + COLUMNS + settings)
    kw = {"epoch": epoch} if epoch else {}
    if build:
        built = run_cli(
            project, "build", "--output", "output", **({"epoch": build_epoch} if build_epoch else kw)
        )
        assert built.returncode == 0, built.stderr
        if mutate:
            mutate(project / "output")
    args = [
        "audit",
        "--report",
        "report",
        *(["--no-site"] if not build else []),
        *(["--strict"] if strict else []),
    ]
    result = run_cli(project, *args, **kw)
    assert result.returncode in (0, 1), result.stderr
    report = project / "report"
    return Audit(
        result.returncode,
        result.stdout,
        json.loads((report / "audit.json").read_text(encoding="utf-8")),
        (report / "index.html").read_text(encoding="utf-8"),
        project,
    )


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Audit:
    return run_audit(tmp_path_factory.mktemp("good"), GOOD, settings=GOOD_SETTINGS)


# ---------------------------------------------------------------- the site that passes


def test_report_is_deterministic(good):
    again = run_cli(good.project, "audit", "--report", "again")
    assert again.returncode == 0
    for name in ("audit.json", "index.html"):
        assert (good.project / "again" / name).read_bytes() == (good.project / "report" / name).read_bytes()


def test_good_site_passes_every_rule_and_exits_zero(good):
    assert good.rc == 0, good.stdout
    # no tree marks required columns here; the project is no git repository (the back-dating rule on a
    # real repository: tests/unit/test_audit_inspection.py)
    other = {
        "validity.year_counts": "info",
        "inspection.required_column": "info",
        "inspection.backdated": "unknown",
    }
    assert {r["id"]: r["status"] for r in good.data["rules"]} == {
        r["id"]: other.get(r["id"], "pass") for r in good.data["rules"]
    }
    assert good.data["summary"]["binding_failed"] == []
    assert "结论：约束性规则全部通过" in good.text
    assert "站内链接可用" in good.text and "全部可用" in good.section("inspection.broken_links")


def test_every_rule_has_id_binding_flag_and_legal_ground_in_json_and_html(good):
    assert len(good.data["rules"]) == 26
    for r in good.data["rules"]:
        assert r["ground"] and isinstance(r["binding"], bool) and r["fix"]
        section = good.section(r["id"])
        assert ("约束性" if r["binding"] else "提示性") in section
        assert "依据：" in section and r["ground"][:6] in section


def test_rules_are_named_in_chinese_and_their_ids_stay_out_of_sight(good):
    """An office reads rule names, not identifiers: the id is only the anchor, a data attribute and
    the JSON key (issue 21: ids in monospace were broken mid-word)."""
    soup = BeautifulSoup(good.html, "html.parser")
    for r in good.data["rules"]:
        assert r["id"] not in good.text and r["id"] not in good.stdout
        assert soup.find(id=r["id"]).name == "h3"
        (row,) = soup.select(f'tr[data-rule="{r["id"]}"]')
        assert row.a["href"] == f"#{r['id']}" and row.a.get_text() == r["title"]
    assert soup.select("td code") == [] or all(":" in c.get_text() for c in soup.select("td code"))


def test_report_charts_have_text_alternatives(good):
    soup = BeautifulSoup(good.html, "html.parser")
    charts = soup.find_all("svg")
    assert len(charts) == 2
    for svg in charts:
        assert svg["role"] == "img"
        ids = svg["aria-labelledby"].split()
        assert soup.find(id=ids[0]).name == "title" and soup.find(id=ids[1]).name == "desc"
    # the numbers of both charts as a table: October 2026 had one entry, published in 6 working days
    table = soup.find("caption", string="图1、图2 的数据").find_parent("table")
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")
    }
    assert rows["2026-10"] == ["1", "6"]
    assert rows["2025-03"] == ["2", "5"]
    assert rows["2026-09"] == ["0", "无"]
    month = next(t for t in good.data["trends"] if t["month"] == "2026-10")
    assert month == {"month": "2026-10", "published": 1, "median_workdays": 6.0}
    assert "@media print" in good.html and "<script" not in good.html


def test_distribution_per_publisher_and_column(good):
    by_column = good.data["timeliness"]["by_column"]
    assert by_column["policy"]["count"] == 2 and by_column["policy"]["median"] == 5.5
    assert by_column["report"]["buckets"]["0–5"] == 1
    assert good.data["timeliness"]["by_publisher"][ISSUER]["median"] == 4.0
    soup = BeautifulSoup(good.html, "html.parser")
    table = soup.find("caption", string=re.compile("按栏目")).find_parent("table")
    row = next(tr for tr in table.find_all("tr") if tr.th and tr.th.get_text() == "政策文件")
    assert [td.get_text() for td in row.find_all("td")][:3] == ["2", "5.5", "6"]


# ---------------------------------------------------------------- timeliness


def test_entry_published_after_20_working_days_is_listed_and_fails(tmp_path):
    a = run_audit(
        tmp_path, {**GOOD, "policy/late.md": doc("示例县迟发通知", "2026-08-03", "2026-10-09")}, build=False
    )
    assert a.status("timeliness.limit") == "fail" and a.rc == 1
    (finding,) = a.rule("timeliness.limit")["findings"]
    assert (finding["path"], finding["line"]) == ("content/policy/late.md", 7)  # the 发布日期 line
    # Aug 4 – Oct 9 2026: 49 weekdays, minus 中秋 Sep 25 and 国庆 Oct 1–2, 5–7, plus Sunday Sep 20 (调休)
    assert finding["data"]["workdays"] == 44
    assert (
        "“示例县迟发通知”成文日期 2026-08-03，发布日期 2026-10-09，用时 44 个工作日，超过20个工作日"
        in a.section("timeliness.limit")
    )
    assert "timeliness.limit" in a.data["summary"]["binding_failed"]
    assert "有 1 项约束性规则不通过" in a.text


def test_working_days_follow_the_holiday_calendar_and_count_from_the_last_change(tmp_path):
    files = {
        **GOOD,
        # 2025-09-26 (Fri) to 2025-10-13: 国庆中秋 Oct 1–8 off, Sep 28 and Oct 11 (weekend) worked → 7
        "policy/holiday.md": doc("示例县节后通知", "2025-09-26", "2025-10-13"),
        # written in January, changed on 2025-03-03, published 2 working days after the change
        "policy/changed.md": doc(
            "示例县修订办法",
            "2025-01-02",
            "2025-03-05",
            extra="changes:\n  - date: 2025-03-03\n    note: 修订第三条\n",
        ),
    }
    a = run_audit(tmp_path, files, build=False, settings='GONGKAI_AUDIT = {"annual_reports": []}\n')
    rows = {r["path"]: r for r in a.data["timeliness"]["entries"]}
    assert rows["content/policy/holiday.md"]["workdays"] == 7
    assert rows["content/policy/changed.md"]["workdays"] == 2
    assert rows["content/policy/changed.md"]["start_kind"] == "变更日期"
    assert a.status("timeliness.limit") == "pass"


def test_a_year_without_holiday_calendar_is_said_not_guessed(tmp_path):
    files = {**GOOD, "policy/old.md": doc("示例县旧办法", "2018-09-03", "2018-09-10")}
    a = run_audit(tmp_path, files, build=False)
    assert a.status("timeliness.limit") == "unknown"
    assert a.data["calendar"]["missing"] == [2018]
    row = next(r for r in a.data["timeliness"]["entries"] if r["path"] == "content/policy/old.md")
    assert row["workdays"] is None
    assert "缺少2018年的节假日安排" in a.text
    assert "invoke holidays add 2018 --from 2018.yaml" in a.text and "plugins/" not in a.text
    assert "“示例县旧办法”无法计算工作日：缺少2018年的节假日安排" in a.section("timeliness.limit")
    assert a.rc == 0  # undecided is not failed ...
    strict = run_audit(tmp_path / "strict", files, build=False, strict=True)
    assert strict.rc == 1  # ... except for CI
    assert "严格模式" in strict.stdout


# ---------------------------------------------------------------- website inspection


def test_home_page_not_updated_for_two_weeks_fails(tmp_path):
    files = {**GOOD, "policy/recent.md": doc("示例县近期工作通知", "2026-09-10", "2026-09-15")}
    a = run_audit(tmp_path, files, build=False)
    assert a.status("inspection.home_stale") == "fail" and a.rc == 1
    assert a.rule("inspection.home_stale")["data"] == {"last_updated": "2026-09-15", "days": 47, "period": 14}
    assert "网站最近一次更新是 2026-09-15，距今 47 天，超过 14 天" in a.section("inspection.home_stale")


def test_column_past_its_configured_period_fails(tmp_path, good):
    a = run_audit(
        tmp_path,
        GOOD,
        build=False,
        settings='GONGKAI_AUDIT = {"column_periods": {"report": 100, "interpretation": 1000}}\n',
    )
    assert a.status("inspection.column_stale") == "fail"
    assert a.messages("inspection.column_stale") == [
        "栏目“公开年报”最近更新 2026-03-20，距今 226 天，超过更新周期 100 天"
    ]
    assert "超过更新周期 100 天" in a.section("inspection.column_stale")
    assert a.rc == 0  # advisory
    assert good.rule("inspection.column_stale")["data"]["report"]["period"] == 366


def test_empty_column_fails(tmp_path):
    a = run_audit(
        tmp_path,
        GOOD,
        build=False,
        settings='GONGKAI_COLUMNS = {"policy": "政策文件", "report": "公开年报", "interpretation": "政策解读", '
        '"land": "征地信息"}\n',
    )
    assert a.status("inspection.empty_column") == "fail" and a.rc == 1
    assert a.rule("inspection.empty_column")["data"] == {"empty": ["land"]}
    assert "栏目“征地信息”（land）没有任何已公开的信息" in a.section("inspection.empty_column")


def test_future_and_impossible_dates_fail(tmp_path):
    files = {
        **GOOD,
        "policy/future.md": doc(
            "示例县预填日期通知",
            "2026-09-01",
            "2026-09-03",
            extra="changes:\n  - date: 2026-12-01\n    note: 预先写好的更正\n",
        ),
        "policy/typo.md": doc(
            "示例县笔误办法", "2025-05-06", "2025-05-08", extra="valid_until: 2015-05-06\n"
        ),
    }
    a = run_audit(tmp_path, files, build=False)
    assert a.status("inspection.dates") == "fail" and a.rc == 1
    assert a.messages("inspection.dates") == [
        "变更日期 2026-12-01 晚于今天（2026-11-01）",
        "有效期至 2015-05-06 早于成文日期 2025-05-06",
    ]
    section = a.section("inspection.dates")
    assert "content/policy/future.md" in section and "变更日期 2026-12-01 晚于今天" in section


def test_broken_internal_link_in_built_site_fails(tmp_path):
    files = {
        **GOOD,
        "policy/links.md": doc(
            "示例县链接通知", "2026-10-26", "2026-10-28", body="详见[实施细则](implementing-rules.html)。"
        ),
    }
    a = run_audit(tmp_path, files)
    assert a.status("inspection.broken_links") == "fail" and a.rc == 1
    (finding,) = a.rule("inspection.broken_links")["findings"]
    assert finding["path"] == "output/policy/links.html"
    assert finding["message"] == "链接“implementing-rules.html”指向的页面或文件不存在"
    assert "链接“implementing-rules.html”指向的页面或文件不存在" in a.section("inspection.broken_links")


def test_links_are_not_checked_without_a_built_site(tmp_path):
    a = run_audit(tmp_path, GOOD, build=False)
    assert a.status("inspection.broken_links") == "unknown"
    assert "未检查：没有可供检查的构建输出" in a.section("inspection.broken_links")
    assert a.rc == 0
    assert run_audit(tmp_path / "strict", GOOD, build=False, strict=True).rc == 1


def test_entry_page_without_catalog_metadata_fails(tmp_path):
    def drop_metadata(output: Path) -> None:  # a template change that lost the 信息索引 box
        page = output / "policy" / "recent.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        soup.find(string=re.compile("索引号")).find_parent(["table", "dl"]).decompose()
        page.write_text(str(soup), encoding="utf-8")

    a = run_audit(tmp_path, GOOD, mutate=drop_metadata)
    assert a.status("inspection.metadata") == "fail" and a.rc == 1
    (finding,) = a.rule("inspection.metadata")["findings"]
    assert finding["path"] == "output/policy/recent.html"
    assert "索引号" in finding["data"]["missing"] and "2026-10-20" in finding["data"]["missing"]
    assert "页面缺少公开目录信息：索引号、发布机构、成文日期" in a.section("inspection.metadata")


def test_missing_summary_topic_or_validity_is_advised(tmp_path):
    bare = entry(
        title="示例县无概述文件",
        date_written="2026-10-26",
        date_published="2026-10-28",
        extra="doc_no: 示测规〔2026〕2号\n",
        drafted="2026-10-26",
        section="2026-10-26",
        secrecy_on="2026-10-26",
        approved="2026-10-26",
    )
    a = run_audit(tmp_path, {**GOOD, "policy/bare.md": bare}, build=False)
    assert a.status("inspection.metadata_recommended") == "fail"
    # advisory: only the bare 规范性文件's missing 解读 fails a binding rule
    assert a.data["summary"]["binding_failed"] == ["interpretation.sync"]
    (message,) = a.messages("inspection.metadata_recommended")
    assert message.startswith(
        "“示例县无概述文件”未填写内容概述（summary）、主题分类（topic）、有效性（validity"
    )
    assert "示例县无概述文件" in a.section("inspection.metadata_recommended")


# ---------------------------------------------------------------- validity


def test_normative_document_current_past_its_end_date_fails(tmp_path):
    files = {
        **GOOD,
        "policy/ended.md": doc(
            "示例县临时补贴办法",
            "2025-06-02",
            "2025-06-05",
            doc_no="示测规〔2025〕3号",
            extra="valid_until: 2026-06-30\n",
        ),
    }
    a = run_audit(tmp_path, files, build=False, settings='GONGKAI_AUDIT = {"annual_reports": []}\n')
    assert a.status("validity.past_end") == "fail" and a.rc == 1
    assert a.messages("validity.past_end") == [
        "规范性文件“示例县临时补贴办法”有效期至 2026-06-30，已过期，但仍标为“有效”"
    ]
    assert "已过期，但仍标为“有效”" in a.section("validity.past_end")


def test_documents_repealed_or_expired_in_the_year_are_counted(tmp_path, good):
    files = {
        **GOOD,
        "policy/repealed.md": doc(
            "示例县旧收费办法",
            "2024-05-06",
            "2024-05-08",
            doc_no="示测规〔2024〕1号",
            extra="valid_until: 2025-08-01\n",
        ).replace("validity: current", "validity: repealed"),
        "policy/expired.md": doc(
            "示例县试行办法",
            "2024-07-01",
            "2024-07-03",
            doc_no="示测规〔2024〕2号",
            extra="valid_until: 2025-06-30\n",
        ).replace("validity: current", "validity: expired"),
    }
    a = run_audit(tmp_path, files, build=False, settings='GONGKAI_AUDIT = {"annual_reports": []}\n')
    assert a.rule("validity.year_counts")["data"]["2025"] == {
        "issued": 1,
        "repealed": 1,
        "expired": 1,
        "in_force": 1,
    }
    assert "2025年：制发 1 件、废止 1 件、失效 1 件、年末现行有效 1 件" in a.section("validity.year_counts")
    assert good.rule("validity.year_counts")["data"]["2025"] == {
        "issued": 1,
        "repealed": 0,
        "expired": 0,
        "in_force": 1,
    }


# ---------------------------------------------------------------- review health


def test_entry_waiting_too_long_at_one_step_is_listed_per_step_and_role(tmp_path):
    waiting = entry(
        title="示例县待审方案",
        date_written="2026-09-28",
        date_published="2026-10-30",
        review=review_block(
            status="in_review",
            secrecy="pending",
            drafted="2026-09-28",
            section="2026-10-01",
            secrecy_on=None,
            approved=None,
        ),
    )
    a = run_audit(tmp_path, {**GOOD, "policy/waiting.md": waiting}, build=False)
    rule = a.rule("review.waiting")
    assert rule["status"] == "fail" and a.rc == 0  # advisory
    assert rule["data"]["secrecy"] == {"role": "保密审查人", "waiting": 1, "overdue": 1, "limit": 5}
    (finding,) = rule["findings"]
    assert finding["data"] == {"step": "secrecy", "role": "保密审查人", "since": "2026-10-01", "days": 31}
    assert "“示例县待审方案”自 2026-10-01 起等待保密审查（保密审查人）已 31 天，超过 5 天" in a.section(
        "review.waiting"
    )
    relaxed = run_audit(
        tmp_path / "relaxed",
        {**GOOD, "policy/waiting.md": waiting},
        build=False,
        settings='GONGKAI_AUDIT = {"review_wait": {"secrecy": 40}}\n',
    )
    assert relaxed.status("review.waiting") == "pass"


def test_approved_entry_past_its_date_but_not_public_fails(tmp_path):
    stuck = entry(
        title="示例县签字倒置通知",
        date_written="2026-10-12",
        date_published="2026-10-14",
        drafted="2026-10-12",
        section="2026-10-13",
        secrecy_on="2026-10-13",
        approved="2026-10-20",
    )
    a = run_audit(tmp_path, {**GOOD, "policy/stuck.md": stuck}, build=False)
    assert a.status("review.embargo_passed") == "fail" and a.rc == 1
    (message,) = a.messages("review.embargo_passed")
    assert message.startswith("“示例县签字倒置通知”已审定，发布日期 2026-10-14 已到，但未能公开：")
    assert "早于审定日期 2026-10-20" in a.section("review.embargo_passed")


def test_embargo_passed_but_site_not_rebuilt_fails(tmp_path):
    # the site was last built on 2026-10-20, before the embargoed entry's 发布日期 2026-10-28
    a = run_audit(tmp_path, GOOD, build_epoch="1792468800")
    assert a.status("review.embargo_passed") == "fail" and a.rc == 1
    assert a.messages("review.embargo_passed") == [
        "“示例县近期工作通知”发布日期 2026-10-28 已到，但网站（output/）上还没有 policy/recent.html：请重新构建发布"
    ]
    assert "请重新构建发布" in a.section("review.embargo_passed")


# ---------------------------------------------------------------- annual report


def test_missing_annual_report_after_the_deadline_fails(tmp_path):
    files = {k: v for k, v in GOOD.items() if not k.startswith("report/")}
    a = run_audit(tmp_path, files, build=False, settings='GONGKAI_COLUMNS = {"policy": "政策文件"}\n')
    assert a.status("annual_report.deadline") == "fail" and a.rc == 1
    assert a.messages("annual_report.deadline") == [
        f"{ISSUER}2025年度政府信息公开工作年度报告（本级政府，应于 2026-03-31 前公布）至今未公布"
    ]
    assert "至今未公布" in a.section("annual_report.deadline")
    assert a.status("annual_report.figures") == "unknown"


def test_annual_report_not_yet_due_passes_with_days_left(tmp_path):
    files = {k: v for k, v in GOOD.items() if not k.startswith("report/")}
    files["policy/recent.md"] = doc("示例县近期工作通知", "2026-01-26", "2026-01-28")
    # 2026-02-01 12:00 Asia/Shanghai
    a = run_audit(
        tmp_path,
        files,
        build=False,
        epoch="1769918400",
        settings='GONGKAI_COLUMNS = {"policy": "政策文件"}\n',
    )
    assert a.status("annual_report.deadline") == "pass"
    assert "2025年度报告未公布，距截止日 2026-03-31 还有 58 天" in a.section("annual_report.deadline")


def test_agency_report_after_31_january_is_late(tmp_path):
    agency = "示例县测试局"
    files = {
        **GOOD,
        "report/2025-annual-report.md": annual_report(
            published="2026-02-10", level="agency", publisher=agency, written="2026-02-05", entries=1
        ),
    }
    settings = f'GONGKAI_AUDIT = {{"annual_reports": [{{"publisher": "{agency}", "level": "agency"}}]}}\n'
    a = run_audit(tmp_path, files, build=False, settings=settings)
    assert a.status("annual_report.deadline") == "fail"
    assert a.messages("annual_report.deadline") == [
        "2025年度年度报告于 2026-02-10 公布，晚于 2026-01-31（部门的期限）"
    ]
    # an agency report counts its own entries only: the test bureau published one entry in 2025
    assert a.status("annual_report.figures") == "pass"


def test_annual_report_figures_that_differ_from_the_entries_fail(tmp_path):
    files = {**GOOD, "report/2025-annual-report.md": annual_report(entries=5, in_force=3)}
    a = run_audit(tmp_path, files, build=False)
    assert a.status("annual_report.figures") == "fail" and a.rc == 1
    assert a.messages("annual_report.figures") == [
        "年度报告写本年主动公开信息条数 5，按本站条目统计为 2",
        "年度报告写规范性文件现行有效件数 3，按本站条目统计为 1",
    ]
    findings = a.rule("annual_report.figures")["findings"]
    assert findings[0]["path"] == "content/report/2025-annual-report.md" and findings[0]["line"] == 15
    assert "按本站条目统计为 1" in a.section("annual_report.figures")


def test_annual_report_block_with_bad_values_is_reported(tmp_path):
    # `invoke check` refuses the block, so the report is not published: the deadline fails and
    # the content rule names each bad value with its line (tests/unit/test_annual_report_block.py)
    report = (
        annual_report().replace("level: government", "level: county").replace("entries: 2", "entries: 一")
    )
    a = run_audit(tmp_path, {**GOOD, "report/2025-annual-report.md": report}, build=False)
    assert a.status("annual_report.deadline") == "fail" and a.rc == 1
    assert a.messages("content.problems") == [
        "报告层级“county”不是可选值；可选值：government（本级政府（3月31日前公布））、agency（部门（1月31日前公布））"
        " (annual_report.level)",
        "本年主动公开信息条数“一”应为不小于0的整数 (annual_report.proactive.entries)",
    ]
    assert [f["line"] for f in a.rule("content.problems")["findings"]] == [13, 15]
    assert "content/report/2025-annual-report.md" in a.section("content.problems")


def test_annual_report_without_figures_block_cannot_be_checked(tmp_path):
    files = {
        **GOOD,
        "report/2025-annual-report.md": doc(
            f"{ISSUER}2025年政府信息公开工作年度报告",
            "2026-03-16",
            "2026-03-20",
            column="report",
            publisher=ISSUER,
        ),
    }
    a = run_audit(tmp_path, files, build=False)
    assert a.status("annual_report.deadline") == "pass"  # found by its title
    assert a.status("annual_report.figures") == "fail"
    assert "没有 annual_report 数据块" in a.section("annual_report.figures")


# ---------------------------------------------------------------- content problems and settings


def test_invalid_content_is_reported(tmp_path):
    files = {
        **GOOD,
        "policy/bad.md": doc("示例县坏日期通知", "2026-10-20", "2026-10-28").replace(
            "date_published: 2026-10-28", "date_published: 2026-13-45"
        ),
    }
    a = run_audit(tmp_path, files, build=False)
    assert (
        a.status("content.problems") == "fail" and a.rc == 0
    )  # advisory: `invoke check` is the gate for this
    (message,) = a.messages("content.problems")
    assert "2026-13-45" in message and message.endswith("(date_published)")
    assert "content/policy/bad.md" in a.section("content.problems")


def test_unknown_audit_setting_is_a_clear_error(tmp_path):
    project = make_project(tmp_path, GOOD)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write("\n" + COLUMNS + 'GONGKAI_AUDIT = {"home_periode": 7}\n')
    result = run_cli(project, "audit", "--no-site", "--report", "report")
    assert result.returncode == 1
    assert "GONGKAI_AUDIT['home_periode']" in result.stderr and "未知配置项" in result.stderr


def test_audit_core_never_imports_pelican():
    probe = "import sys; sys.modules['pelican'] = None; import gongkai_core.audit, gongkai_core.audit_html"
    subprocess.run([sys.executable, "-c", probe], check=True)
