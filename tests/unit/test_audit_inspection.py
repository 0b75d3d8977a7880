"""The inspection rules of `invoke audit` added with the site's statutory shape: column update periods
as the indicators (国办秘函〔2019〕19号) state them, required columns of the tree, back-dating against
the first commit (a real git repository), and the site-level elements. Core functions on a real
`load_site`, no build."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import entry

from gongkai_core import audit, git_history, tree
from gongkai_core.errors import ConfigError
from gongkai_core.site import load_site

BUILD = date(2026, 10, 31)
COLUMNS = {"policy": "政策文件", "news": "工作动态", "report": "公开年报"}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _site(root: Path, files: dict[str, str] | None = None):
    if files:
        _write(root, files)
    return load_site(root / "content", BUILD, COLUMNS, project_root=root)


def _doc(title: str, published: str, column: str = "policy") -> str:
    return entry(
        title=title,
        column=column,
        date_written=published,
        date_published=published,
        drafted=published,
        section=published,
        secrecy_on=published,
        approved=published,
    )


def test_the_indicators_citation_is_the_one_of_2019():
    assert audit.INSPECT == "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
    assert audit.RULES_BY_ID["inspection.backdated"].ground.startswith(audit.INSPECT)


def test_column_periods_follow_the_indicators(tmp_path):
    site = _site(
        tmp_path,
        {
            "policy/a.md": _doc("半年前的政策", "2026-04-30"),
            "news/b.md": _doc("三周前的动态", "2026-10-10", "news"),
            "report/c.md": _doc("年报", "2026-03-20", "report"),
        },
    )
    config = audit.config_from_settings({"column_kinds": {"policy": "policy", "news": "news"}})
    result = audit.column_stale(site, config, COLUMNS)
    assert [f.message for f in result.findings] == [
        "栏目“政策文件”最近更新 2026-04-30，距今 184 天，超过政策文件类栏目的更新周期6个月（国办秘函〔2019〕19号）",
        "栏目“工作动态”最近更新 2026-10-10，距今 21 天，超过动态、要闻类栏目的更新周期14天（国办秘函〔2019〕19号）",
    ]
    assert result.data["policy"]["period"] == 183 and result.data["report"]["period"] == 366


def test_six_months_are_calendar_months(tmp_path):
    site = _site(tmp_path, {"policy/a.md": _doc("五个多月前的政策", "2026-05-01")})
    assert audit.column_stale(site, audit.DEFAULTS, COLUMNS).findings == []  # due 2026-11-01
    assert audit.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_a_wrong_column_kind_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        audit.config_from_settings({"column_kinds": {"news": "daily"}})
    assert (
        "栏目类型可选 news（动态、要闻，2周）、notice（通知公告，6个月）、policy（政策文件，6个月）"
        in str(caught.value)
    )


def test_a_required_column_left_empty_fails(tmp_path):
    site = _site(tmp_path, {"policy/a.md": _doc("规范性文件", "2026-10-20")})
    folder = tmp_path / "structure"
    folder.mkdir()
    (folder / "tree.yaml").write_text(
        "- {column: policy, required: true}\n- {column: news, required: true, basis: 条例第二十条第（十五）项}\n",
        encoding="utf-8",
    )
    structure = tree.from_settings(
        {"GONGKAI_COLUMNS": COLUMNS, "GONGKAI_STRUCTURE": "structure", "PATH": str(tmp_path / "content")}
    )
    result = audit.required_columns(site, structure)
    assert result.status == audit.FAIL and result.rule.binding
    assert [f.message for f in result.findings] == [
        "法定栏目“工作动态”（news，条例第二十条第（十五）项）没有任何已公开的信息"
    ]
    assert audit.required_columns(site, tree.flat(COLUMNS)).status == audit.INFO


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="测试", GIT_AUTHOR_EMAIL="t@example.invalid")
    env.update(GIT_COMMITTER_NAME="测试", GIT_COMMITTER_EMAIL="t@example.invalid")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True, capture_output=True
    )


def test_a_publication_date_long_before_the_first_commit_is_back_dating(tmp_path):
    _git(tmp_path, "init", "-q")
    _write(
        tmp_path,
        {
            "policy/late.md": _doc("倒填日期的通知", "2026-09-01"),
            "policy/ok.md": _doc("按时的通知", "2026-10-18"),
        },
    )
    _git(tmp_path, "add", "content")
    _git(tmp_path, "commit", "-q", "-m", "两条", when="2026-10-20T10:00:00+08:00")
    # a rename keeps the day the file first appeared; an uncommitted file is not checked
    _git(tmp_path, "mv", "content/policy/ok.md", "content/policy/renamed.md")
    _git(tmp_path, "commit", "-q", "-m", "改名", when="2026-10-29T10:00:00+08:00")
    _write(tmp_path, {"policy/draft.md": _doc("尚未提交的通知", "2026-01-05")})
    site = _site(tmp_path)
    history = git_history.first_seen(tmp_path)
    assert history.first_seen["content/policy/renamed.md"] == date(2026, 10, 20)
    result = audit.backdated(site, audit.DEFAULTS, history)
    assert result.status == audit.FAIL and result.rule.binding
    assert [str(f) for f in result.findings] == [
        "content/policy/late.md:7: 发布日期 2026-09-01 比该文件首次提交到仓库的日期 2026-10-20 早 49 天（超过 7 天）："
        "发布日期应为实际公开的日期，倒填日期属伪造发稿日期"
    ]
    assert result.summary == "1 条信息的发布日期早于其首次提交；1 个尚未提交的文件未核对"
    moved_in = audit.config_from_settings({"imported_until": "2026-10-20"})
    passed = audit.backdated(site, moved_in, history)
    assert passed.status == audit.PASS
    assert passed.summary == (
        "发布日期均不早于首次提交超过 7 天；1 个尚未提交的文件未核对；2 条为 2026-10-20 及以前迁入的信息，未核对"
    )


def test_without_git_history_back_dating_cannot_be_decided(tmp_path):
    site = _site(tmp_path, {"policy/a.md": _doc("通知", "2026-10-20")})
    history = git_history.first_seen(tmp_path)
    result = audit.backdated(site, audit.DEFAULTS, history)
    assert result.status == audit.UNKNOWN
    assert result.summary == "无法判定：本项目不在 git 仓库中，无法知道各条目何时首次提交"


def test_site_elements_missing_are_reported(tmp_path):
    site = _site(tmp_path, {"policy/a.md": _doc("通知", "2026-10-20")})
    interaction = audit.interaction({"consult": "mailto:zxjy@shili.example"})
    assert interaction.status == audit.FAIL and interaction.rule.binding
    assert [f.message for f in interaction.findings] == [
        "没有配置办事入口（GONGKAI_SITE_ELEMENTS 的 service）：检查指标将其列为单项否决"
    ]
    marks = audit.site_marks(
        site, {"party_mark": "https://bszs.shili.example/", "web_report": "web-report-2025"}
    )
    assert not marks.rule.binding
    assert [f.message for f in marks.findings] == [
        "没有配置找错入口（GONGKAI_SITE_ELEMENTS 的 error_report）",
        "政府网站工作年度报表页面“web-report-2025”不存在或未发布（应为 content/pages/ 中网址名为 web-report-2025 的页面）",
    ]
