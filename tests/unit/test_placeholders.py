"""Placeholders and scaffold text are errors of reading (gongkai_core.placeholder): what `invoke new`
and `invoke annual-report` write for editors to replace, and the fillers editors leave — found
through markup, invisible characters and full-width forms, never in real content."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import entry
from gongkai_cli import new
from gongkai_core import annual_report, placeholder
from gongkai_core.site import DEFAULT_COLUMNS, load_site

BUILD_DATE = date(2026, 11, 1)
PATH = "content/policy/p.md"


def check(tmp_path: Path, text: str, rel: str = "policy/p.md") -> list[str]:
    target = tmp_path / "content" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    site = load_site(tmp_path / "content", BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path)
    return [str(p) for p in site.problems]


@pytest.mark.parametrize(
    "publisher",
    [
        "请填写发布机构",
        "请\u200b填写发布机构",  # a zero-width space inside
        "请填写<!-- -->发布机构",
        "&#35831;填写发布机构",  # 请 as an entity
        "请填写 发布 机构",
        "請填寫發布機構",  # Traditional
    ],
)
def test_the_scaffold_publisher_is_an_error_however_written(tmp_path, publisher):
    assert check(tmp_path, entry(publisher=f'"{publisher}"')) == [
        f"{PATH}:4: 请替换占位内容“请填写发布机构” (publisher)"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "请在这里撰写正文。",
        "请在这里撰写正文",
        "**请在这里**撰写正文。",
        "请在<b>这里</b>撰写正\u200b文。",
        "请在这里撰写正文。本办法自发布之日起施行。",
    ],
)
def test_the_scaffold_body_is_an_error_at_its_line(tmp_path, body):
    text = entry(body="第一段。\n\n" + body)
    line = text.split("\n").index(body) + 1
    assert check(tmp_path, text) == [f"{PATH}:{line}: 请替换占位内容“请在这里撰写正文。” (body)"]


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("publisher", "XXX", "XXX"),
        ("publisher", "××", "××"),
        ("publisher", "ＸＸ", "ＸＸ"),
        ("publisher", "示例县XX局", "示例县XX局"),
        ("publisher", "某某", "某某"),
        ("publisher", "？？", "？？"),
        ("publisher", "待定", "待定"),
        ("publisher", "请填写", "请填写"),
        ("publisher", "（请填写）", "（请填写）"),
        ("publisher", "请输入发布单位", "请输入发布单位"),
        ("title", "示例县20XX年工作要点", "示例县20XX年工作要点"),
    ],
)
def test_fillers_in_fields_are_errors(tmp_path, key, value, shown):
    text = entry(**{key: value})
    line = next(i for i, t in enumerate(text.split("\n"), 1) if t.startswith(f"{key}:"))
    assert check(tmp_path, text) == [f"{PATH}:{line}: 请替换占位内容“{shown}” ({key})"]


def test_a_filler_for_a_signer_is_the_only_message_of_its_line(tmp_path):
    text = entry(
        review="review:\n  status: draft\n  drafted_by: XXX\n  drafted_on: 2025-01-20\n  secrecy: pending"
    )
    line = text.split("\n").index("  drafted_by: XXX") + 1
    assert check(tmp_path, text) == [f"{PATH}:{line}: 请替换占位内容“XXX” (review.drafted_by)"]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("关于《示例县城区停车收费管理办法（草稿）》的起草说明", "正文。"),
        ("示例县城区停车收费管理办法（征求意见稿）", "正文。"),
        ("示例县政务服务事项申请指南", "申请人请填写申请表，并附身份证明材料。"),
        ("示例县政务服务事项申请指南", "申请表中“联系电话（请填写）”一栏为必填项。"),
        ("示例县Xbox游戏机采购公告", "本项目采购XXL号服装。"),
        ("示例县政府信息公开（xxgk）目录", "详见 xxgk 栏目。"),
        ("张某某行政处罚决定书", "当事人张某某。"),
    ],
)
def test_real_content_is_not_a_placeholder(tmp_path, title, body):
    assert check(tmp_path, entry(title=title, body=body)) == []


def test_the_draft_mark_ends_a_title(tmp_path):
    text = entry(title="示例县人民政府2025年政府信息公开工作年度报告（草稿）")
    assert check(tmp_path, text) == [f"{PATH}:2: 标题末尾的“（草稿）”是草稿标记，定稿后请删除 (title)"]


def test_a_placeholder_in_a_data_block_replaces_its_other_message(tmp_path):
    text = (
        "title: 示例县测试局2025年三公经费预算\nindex_no: SL0000001/2025-00001\npublisher: 示例县测试局\n"
        "column: sangong\ndate_written: 2025-01-20\ndate_published: 2025-02-01\ndisclosure: proactive\n"
        "review:\n  status: draft\n  secrecy: pending\n"
        "sangong:\n  kind: budget\n  fiscal_year: 2025\n  department: 示例县测试局\n  unit: 万元\n"
        "  current:\n    total: （请填写）\n"
    )
    line = text.split("\n").index("    total: （请填写）") + 1
    problems = check(tmp_path, text, "sangong/s.yaml")
    assert f"content/sangong/s.yaml:{line}: 请替换占位内容“（请填写）” (sangong.current.total)" in problems
    assert not any(p.startswith(f"content/sangong/s.yaml:{line}:") and "不是数字" in p for p in problems)


def test_every_scaffold_text_comes_from_the_one_table_and_is_refused(tmp_path):
    """The scaffolds of `new` and `annual-report` write the table's texts, and each text of the
    table is refused in a field and in a body; nothing scaffolded is valid before it is completed."""
    content = tmp_path / "content"
    content.mkdir()
    written = [
        new.scaffold(content, DEFAULT_COLUMNS, "policy", "示例县测试通知", BUILD_DATE),
        new.scaffold(content, DEFAULT_COLUMNS, "budget", "示例县测试局2026年部门预算", BUILD_DATE),
        annual_report.write_draft(content, 2025, BUILD_DATE, "SL0000001/2026-00099")[0],
    ]
    texts = "\n".join(p.read_text(encoding="utf-8") for p in written)
    for s in placeholder.SCAFFOLDS:
        assert s.text in texts, s
        shown = s.message or f"请替换占位内容“{s.text if len(s.text) <= 30 else s.text[:30] + '…'}”"
        if s.where == placeholder.TITLE_SUFFIX:
            assert placeholder.in_field("示例县测试报告" + s.text, 2, title=True) == placeholder.Found(
                2, shown
            )
            assert placeholder.in_body("示例县测试报告" + s.text, 9) == []
        else:
            assert placeholder.in_field(s.text, 2) == placeholder.Found(2, shown)
            assert placeholder.in_body("正文。\n" + s.text, 9) == [placeholder.Found(10, shown)]
    site = load_site(content, BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path)
    assert site.entries == [] and {p.path for p in site.problems} == {
        f"content/{p.relative_to(content).as_posix()}" for p in written
    }


def test_a_page_is_refused_for_a_placeholder_like_an_entry(tmp_path):
    """content/pages/ is published as it stands: its placeholders are errors as an entry's are."""
    text = "---\ntitle: 关于本站\nsummary: 待填写\n---\n\n请在这里撰写正文。\n"
    assert check(tmp_path, text, "pages/about.md") == [
        "content/pages/about.md:3: 请替换占位内容“待填写” (summary)",
        "content/pages/about.md:6: 请替换占位内容“请在这里撰写正文。” (body)",
    ]
    assert (
        check(tmp_path, "---\ntitle: 关于本站\n---\n\n本站由示例县人民政府办公室主办。\n", "pages/about.md")
        == []
    )
