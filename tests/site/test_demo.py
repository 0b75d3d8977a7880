"""The demo content of the repository: it checks clean, publishes, and shows the gate at work."""

from __future__ import annotations

import re

import json
import shutil
import subprocess
import sys

from conftest import ROOT, entry, make_project, run_cli


def test_demo_publishes(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    assert "条已公开" in demo_site.stdout
    home = demo_site.text("index.html")
    assert "示例县市场监督管理局关于规范农贸市场计量器具使用的通告" in home
    page = demo_site.text("policy/2025-farmland-protection.html")
    for label in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "有效性"):
        assert label in page
    assert "SL0000001/2025-00001" in page and "示政发〔2025〕2号" in page
    assert demo_site.exists("files/2025-farmland-protection.pdf")


def test_demo_gate_states_are_withheld(demo_site):
    for slug in (
        "2025-draft-parking",
        "2025-in-review-bus",
        "2026-embargoed-budget-speech",
        "2025-on-request-audit",
        "2025-secrecy-failed",
    ):
        assert not demo_site.exists(f"policy/{slug}.html"), slug
    notice = demo_site.text("policy/2025-withdrawn-fees.html")
    assert "本信息已撤回" in notice and "行政事业性收费" not in notice
    for title in (
        "停车收费管理办法",
        "城乡公交一体化",
        "重点民生实事",
        "审计工作底稿",
        "重点目标防护",
        "行政事业性收费目录",
    ):
        assert demo_site.leaks(title) == [], title


def test_demo_has_every_column_and_static_pages(demo_site):
    for column in ("policy", "budget", "sangong", "land", "report"):
        assert demo_site.exists(f"{column}/index.html")
        assert demo_site.exists(f"feeds/{column}.atom.xml")
    for slug in ("guide", "apply", "about"):
        assert demo_site.exists(f"pages/{slug}.html")
    sitemap = demo_site.text("sitemap.xml")
    assert "policy/2025-farmland-protection.html" in sitemap and "2025-draft-parking" not in sitemap


def test_demo_traditional_page_is_marked_zh_hant(demo_site):
    assert '<html lang="zh-Hant">' in demo_site.text("policy/2025-traditional-notice.html")
    assert '<html lang="zh-CN">' in demo_site.text("policy/2025-rural-roads.html")


def test_demo_content_has_every_unpublished_state():
    from gongkai_core import clock
    from gongkai_core.site import load_site

    from pelican.settings import read_settings

    columns = read_settings(str(ROOT / "pelicanconf.py"))["GONGKAI_COLUMNS"]  # the demo's columns
    site = load_site(
        ROOT / "content", clock.build_date({"SOURCE_DATE_EPOCH": "1793505600"}), columns, project_root=ROOT
    )
    assert site.problems == []
    reasons = " ".join(r for v in site.verdicts.values() for r in v.reasons)
    for reason in ("审核状态为草稿", "审核中", "尚未到", "依申请公开", "已撤回", "保密审查未通过"):
        assert reason in reasons
    assert len(site.entries) >= 30


def test_check_command_on_demo_and_on_bad_content(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "没有发现问题" in ok.stdout
    project = make_project(
        tmp_path, {"policy/a.md": entry(date_written="2025-02-30"), "policy/b.md": entry(disclosure="public")}
    )
    bad = run_cli(project, "check")
    assert bad.returncode == 1
    assert (
        "content/policy/a.md:6: “成文日期”“2025-02-30”不是存在的日期（2025年没有2月30日） (date_written)"
        in bad.stdout
    )
    assert "content/policy/b.md:8:" in bad.stdout
    assert "发现 2 个问题（2 个文件）" in bad.stderr


def test_status_lists_what_waits_for_whom():
    out = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "status", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SOURCE_DATE_EPOCH": "1793505600", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [i["path"] for i in data["waiting"]["section"]] == ["content/policy/2025-draft-parking.md"]
    assert [i["path"] for i in data["waiting"]["secrecy"]] == ["content/policy/2025-in-review-bus.md"]
    assert [i["path"] for i in data["secrecy_failed"]] == ["content/policy/2025-secrecy-failed.md"]
    assert [i["until"] for i in data["embargoed"]] == ["2027-01-05"]
    text = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "status"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"SOURCE_DATE_EPOCH": "1793505600", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert "【待保密审查】1 条" in text and "将于 2027-01-05 公开" in text
    assert "【保密审查未通过，不会公开】1 条" in text


def test_new_scaffolds_a_draft_whose_placeholders_check_names(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(index_no="SL0000001/2026-00007")})
    result = run_cli(project, "new", "policy", "示例县关于测试的通知")
    assert result.returncode == 0, result.stderr
    path = project / "content" / "policy" / "2026-11-01-01.md"
    text = path.read_text(encoding="utf-8")
    assert "index_no: SL0000001/2026-00008" in text and "date_written: 2026-11-01" in text
    assert "status: draft" in text
    # what is still to write is an error at its line, until replaced
    checked = run_cli(project, "check")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "content/policy/2026-11-01-01.md:4: 请替换占位内容“请填写发布机构” (publisher)",
        "content/policy/2026-11-01-01.md:25: 请替换占位内容“请在这里撰写正文。” (body)",
    ]
    path.write_text(
        text.replace("请填写发布机构", "示例县测试局").replace(
            "请在这里撰写正文。", "为做好测试工作，现通知如下。"
        ),
        encoding="utf-8",
    )
    assert run_cli(project, "check").returncode == 0
    bad = run_cli(project, "new", "nosuch", "标题")
    assert bad.returncode == 1 and "可选栏目" in bad.stderr


def test_new_with_department_fills_the_publisher_and_its_index_code(tmp_path):
    project = make_project(
        tmp_path, {"policy/a.md": entry(publisher="示例县测试局", index_no="SL0000555/2026-00003")}
    )
    result = run_cli(project, "new", "policy", "示例县测试局关于测试的通知", "--部门", "示例县测试局")
    assert result.returncode == 0, result.stderr
    text = (project / "content/policy/2026-11-01-01.md").read_text(encoding="utf-8")
    assert "publisher: 示例县测试局\n" in text and "index_no: SL0000555/2026-00004\n" in text


def test_new_data_entry_is_an_empty_block_of_its_department_and_year(tmp_path):
    project = make_project(tmp_path, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    result = run_cli(
        project,
        "new",
        "sangong",
        "示例县测试局2026年三公经费预算",
        "--部门",
        "示例县测试局",
        "--年度",
        "2026",
    )
    assert result.returncode == 0, result.stderr
    path = project / "content" / "sangong" / "2026-11-01-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert "column: sangong" in text and "\nsangong:\n" in text and "status: draft" in text
    block = text.split("\nsangong:\n")[1]
    assert "  kind: budget  #" in block and "  fiscal_year: 2026  #" in block
    assert "  department: 示例县测试局  #" in block
    # no figure of another department: every amount and count is empty, to be written
    assert not re.search(r"^\s+\w+: [0-9]", block.replace("fiscal_year: 2026", ""), re.M), block
    assert "示例县财政局" not in text and "示例县教育局" not in text
    checked = run_cli(project, "check")
    assert checked.returncode == 1
    lines = text.split("\n")
    out = checked.stdout.splitlines()
    total = lines.index("    total:  # 合计（万元）") + 1
    assert (
        f"content/sangong/2026-11-01-01.yaml:{total}: 缺少必填项“total”（合计） (sangong.current.total)"
        in out
    )
    assert all(line.startswith("content/sangong/2026-11-01-01.yaml:") for line in out), out
    assert all("缺少必填项" in line for line in out), out


def test_new_sangong_takes_last_years_figures_of_the_same_department(tmp_path):
    project = make_project(tmp_path, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    result = run_cli(project, "new", "sangong", "示例县财政局2026年三公经费预算", "--部门", "示例县财政局")
    assert result.returncode == 0, result.stderr
    text = (project / "content/sangong/2026-11-01-01.yaml").read_text(encoding="utf-8")
    assert (
        "# 上年金额和上年数量取自 content/sangong/2025-czj.yaml（本部门上年同口径的本年数），请核对\n" in text
    )
    last = (ROOT / "content/sangong/2025-czj.yaml").read_text(encoding="utf-8")
    current = last.split("\n  current:\n")[1].split("\n  previous:")[0]
    mine = text.split("\n  previous:")[1].split("\n  counts:")[0]
    assert [line.split("#")[0].strip() for line in mine.split("\n")[1:]] == [
        c.strip() for c in current.split("\n")
    ]
    assert "    total:  # 合计（万元）" in text.split("\n  previous:")[0]  # this year's: to be written


def test_new_budget_without_department_asks_for_it(tmp_path):
    project = make_project(tmp_path, {})
    result = run_cli(project, "new", "budget", "示例县测试局2025年部门决算")
    assert result.returncode == 0, result.stderr
    text = (project / "content/budget/2026-11-01-01.yaml").read_text(encoding="utf-8")
    assert "  kind: final_accounts  #" in text and "  fiscal_year: 2025  #" in text
    lines = text.split("\n")
    checked = run_cli(project, "check").stdout.splitlines()
    department = lines.index("  department: 请填写部门名称  # 部门（单位）") + 1
    assert (
        f"content/budget/2026-11-01-01.yaml:{department}: 请替换占位内容“请填写部门名称” (budget.department)"
        in checked
    )
    assert "content/budget/2026-11-01-01.yaml:3: 请替换占位内容“请填写发布机构” (publisher)" in checked
    bad = run_cli(project, "new", "budget", "标题", "--年度", "明年")
    assert bad.returncode == 1 and bad.stderr.strip() == "年度“明年”无效：应为四位年份，如 2026"


def test_sitemap_lists_every_public_page_and_no_notice(demo_site):
    sitemap = demo_site.text("sitemap.xml")
    for rel in (
        "index.html",
        "catalog/index.html",
        "policy/index.html",
        "pages/guide.html",
        "sangong/2025.html",
        "land/places.html",
        "policy/2025-farmland-protection.html",
    ):
        assert f"/{rel}</loc>" in sitemap or f">{rel}</loc>" in sitemap, rel
    assert "2025-withdrawn-fees" not in sitemap
    assert "<lastmod>2025-01-15</lastmod>" in sitemap
