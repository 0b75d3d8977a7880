"""The 目录 metadata of the catalogue guideline: 主题分类 from the vocabulary, 关键词, 体裁分类, 内容概述
in the catalog rows, and the 索引号 code of each publishing body (GONGKAI_INDEX_CODES, `invoke new`)."""

from __future__ import annotations

from datetime import date

from conftest import entry, make_project, run_cli

from gongkai_core import catalog
from gongkai_core.site import DEFAULT_COLUMNS, load_site

BUILD_DATE = date(2026, 10, 31)
CODES = {"示例县卫生健康局": "SL0000103"}


def _site(tmp_path, files: dict[str, str], codes=None):
    for rel, text in files.items():
        path = tmp_path / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_site(
        tmp_path / "content", BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path, index_codes=codes
    )


def test_topic_outside_the_vocabulary_is_refused_with_the_nearest_one(tmp_path):
    site = _site(tmp_path, {"policy/roads.md": entry(title="农村公路养护通知", extra="topic: 交通运输\n")})
    assert [str(p) for p in site.problems] == [
        "content/policy/roads.md:9: 主题分类“交通运输”不在国务院主题分类中。是否应为“工业、交通”？ (topic)"
    ]
    assert site.entries == []


def test_keywords_genre_and_summary_reach_the_catalog_row(tmp_path):
    extra = (
        "topic: 民政、扶贫、救灾\\社会福利\ngenre: notice\nkeywords: 老年助餐、养老服务，社区食堂\n"
        "summary: 老年助餐点的布局和补贴标准。\n"
    )
    site = _site(tmp_path, {"policy/meal.md": entry(title="老年助餐通知", extra=extra)})
    assert site.problems == []
    (e,) = site.entries
    assert e.keywords == ("老年助餐", "养老服务", "社区食堂") and e.genre_label == "通知"
    row = catalog.row(e, "policy/meal.html", DEFAULT_COLUMNS)
    assert (row["topic"], row["genre"], row["keywords"], row["summary"]) == (
        "民政、扶贫、救灾\\社会福利",
        "通知",
        "老年助餐、养老服务、社区食堂",
        "老年助餐点的布局和补贴标准。",
    )
    assert ("summary", "内容概述") in catalog.FIELDS and ("keywords", "关键词") in catalog.FIELDS


def test_a_wrong_genre_names_the_nearest_value(tmp_path):
    site = _site(tmp_path, {"policy/x.md": entry(title="通知", extra="genre: notic\n")})
    (problem,) = site.problems
    assert str(problem).startswith(
        "content/policy/x.md:9: “体裁分类”的值“notic”无效。是否应为“notice”？可选值：resolution（决议）"
    )


def test_the_index_code_of_a_listed_publisher_is_checked(tmp_path):
    files = {
        "policy/health.md": entry(
            title="卫生通知", publisher="示例县卫生健康局", index_no="SL0000001/2025-00050"
        ),
        "policy/ok.md": entry(
            title="卫生公告", publisher="示例县卫生健康局", index_no="SL0000103/2025-00001"
        ),
        "policy/other.md": entry(title="其他通知", publisher="示例县测试局", index_no="SL0000009/2025-00001"),
    }
    site = _site(tmp_path, files, CODES)
    assert [str(p) for p in site.problems] == [
        "content/policy/health.md:3: 索引号“SL0000001/2025-00050”的代码应为发布机构“示例县卫生健康局”的代码"
        "“SL0000103”（见 GONGKAI_INDEX_CODES），如 SL0000103/2025-00001 (index_no)"
    ]
    assert sorted(e.slug for e in site.entries) == ["ok", "other"]  # unlisted publishers are not checked


def test_new_numbers_with_the_publishers_configured_code(tmp_path):
    project = make_project(
        tmp_path, {"policy/old.md": entry(title="旧通知", index_no="SL0000103/2026-00007")}
    )
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write('\nGONGKAI_INDEX_CODES = {"示例县卫生健康局": "SL0000103", "示例县测试局": "SL0000555"}\n')
    made = run_cli(project, "new", "policy", "关于开展健康义诊的通知", "--部门", "示例县卫生健康局")
    assert made.returncode == 0, made.stderr
    path = project / made.stdout.splitlines()[0].removeprefix("已创建 ").strip()
    assert "index_no: SL0000103/2026-00008\n" in path.read_text(encoding="utf-8")
    # a broken table is refused before anything is written
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write('\nGONGKAI_INDEX_CODES = {"示例县卫生健康局": "SL-103"}\n')
    bad = run_cli(project, "new", "policy", "又一个通知", "--部门", "示例县卫生健康局")
    assert bad.returncode != 0
    assert (
        "配置项 GONGKAI_INDEX_CODES['示例县卫生健康局'] = 'SL-103'：索引号代码应为4–18位字母或数字"
        in bad.stderr
    )
