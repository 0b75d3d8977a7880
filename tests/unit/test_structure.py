"""The site's shape as data (gongkai_core.tree) and the 主题分类 vocabulary (gongkai_core.topics):
pure core, no build. Every message an editor sees is pinned."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gongkai_core import topics, tree
from gongkai_core.errors import ConfigError

COLUMNS = {"policy": "政策文件", "budget": "预算决算", "sangong": "三公经费", "report": "公开年报"}
TREE = """\
- section: statutory
  title: 法定主动公开内容
  children:
    - {column: policy, required: true, basis: 条例第二十条第（一）项}
    - section: finance
      title: 财政预决算
      children:
        - {column: budget, required: true}
- standard: 基层政务公开标准目录
"""
AREA = """\
title: 示例县财政预决算领域基层政务公开标准目录
issuer: 示例县财政局
items:
  - level1: 部门预决算
    level2: 部门预算
    basis: 《中华人民共和国预算法》第十四条
    deadline: 批复后20日内
    body: 县直各预算部门
    channels: [示例县人民政府信息公开平台, 公示栏]
    levels: [county, township]
    column: budget
"""


def _structure(tmp_path: Path, tree_text: str = TREE, areas: dict[str, str] | None = None, columns=COLUMNS):
    folder = tmp_path / "structure"
    (folder / "standard").mkdir(parents=True)
    (folder / "tree.yaml").write_text(textwrap.dedent(tree_text), encoding="utf-8")
    for name, text in (areas or {}).items():
        (folder / "standard" / name).write_text(text, encoding="utf-8")
    settings = {
        "GONGKAI_COLUMNS": columns,
        "GONGKAI_STRUCTURE": "structure",
        "PATH": str(tmp_path / "content"),
    }
    return tree.load(settings)


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_the_tree_orders_columns_and_leaves_none_unreachable(tmp_path):
    structure, problems = _structure(tmp_path, areas={"budget.yaml": AREA})
    assert problems == []
    # columns not placed in the tree follow its top level in configured order
    assert [n.title for n in structure.nodes] == [
        "法定主动公开内容",
        "基层政务公开标准目录",
        "三公经费",
        "公开年报",
    ]
    assert structure.column_order == ["policy", "budget", "sangong", "report"]
    assert [n.key for n in structure.required] == ["policy", "budget"]
    assert structure.trail("budget") == [
        ("法定主动公开内容", "sections/statutory.html"),
        ("财政预决算", "sections/finance.html"),
        ("预算决算", "budget/index.html"),
    ]
    statutory = structure.nodes[0]
    assert statutory.contains("budget/2025-czj.html") and statutory.contains("sections/finance.html")
    assert not statutory.contains("sangong/index.html")
    assert structure.nodes[1].contains("standard/budget.html")
    (area,) = structure.areas
    assert (area.name, area.url, area.items[0].levels_label, area.items[0].mode_label) == (
        "财政预决算",
        "standard/budget.html",
        "县级、乡级",
        "主动",
    )


def test_without_the_setting_the_tree_is_the_columns_flat():
    structure = tree.from_settings({"GONGKAI_COLUMNS": COLUMNS})
    assert [n.key for n in structure.nodes] == list(COLUMNS)
    assert structure.trail("budget") == [("预算决算", "budget/index.html")]
    assert structure.sections == [] and structure.areas == ()


def test_a_node_naming_an_unconfigured_column_is_a_config_error(tmp_path):
    text = TREE + "- {column: interpretation}\n- {column: polcy}\n"
    _, problems = _structure(tmp_path, text)
    assert _messages(problems) == [
        "配置项 structure/tree.yaml:10 = 'interpretation'：栏目“interpretation”没有在 GONGKAI_COLUMNS 中配置。"
        "请先在 pelicanconf.py 的 GONGKAI_COLUMNS 中加上它，或从栏目树中删除这一行",
        "配置项 structure/tree.yaml:11 = 'polcy'：栏目“polcy”没有在 GONGKAI_COLUMNS 中配置。是否应为“policy”？"
        "请先在 pelicanconf.py 的 GONGKAI_COLUMNS 中加上它，或从栏目树中删除这一行",
    ]
    # adding the column to the settings is all it takes: the node is one line
    structure, problems = _structure(
        tmp_path / "again",
        TREE + "- {column: interpretation}\n",
        columns={**COLUMNS, "interpretation": "政策解读"},
    )
    assert problems == [] and structure.nodes[2].title == "政策解读"
    with pytest.raises(ConfigError):
        tree.from_settings({"GONGKAI_COLUMNS": COLUMNS, "GONGKAI_STRUCTURE": str(tmp_path / "nowhere")})


def test_tree_mistakes_are_each_named_at_their_line(tmp_path):
    text = """\
    - {column: policy}
    - {column: policy}
    - {colum: budget}
    - section: Bad Key
      title: 分组
      children: [{column: sangong}]
    - section: empty
      title: 空分组
    - {column: report, required: maybe}
    """
    _, problems = _structure(tmp_path, text)
    assert _messages(problems) == [
        "配置项 structure/tree.yaml:2 = 'policy'：栏目“policy”在栏目树中出现了两次：每个栏目只放一处",
        "配置项 structure/tree.yaml:3 = 'colum'：未知的键“colum”。是否应为“column”？",
        "配置项 structure/tree.yaml:3 = {'colum': 'budget'}："
        "每个节点须有且只有 column（栏目）、section（分组）、standard（标准目录）之一",
        "配置项 structure/tree.yaml:4 = 'Bad Key'：分组键应为小写英文字母开头的字母、数字、“-”或“_”，且不重复（它是分组页面的网址）",
        "配置项 structure/tree.yaml:7 = 'empty'：分组“空分组”应有 children：其下的栏目列表",
        "配置项 structure/tree.yaml:9 = 'maybe'：required 应为 true 或 false",
    ]


def test_standard_catalogue_files_are_checked(tmp_path):
    bad_item = AREA.replace("    deadline: 批复后20日内\n", "").replace("column: budget", "column: treasury")
    bad_item = bad_item.replace("levels: [county, township]", "levels: [county, city]")
    _, problems = _structure(
        tmp_path,
        areas={"budgets.yaml": AREA, "social_assistance.yaml": bad_item, "notes.txt": "x"},
    )
    assert _messages(problems) == [
        "配置项 structure/standard/budgets.yaml:1 = 'budgets'：“budgets”不是26个基层政务公开领域之一。"
        "是否应为“budget.yaml”（财政预决算）？领域键见 gongkai_core/data/standard_areas.yaml",
        "配置项 structure/standard/notes.txt:1 = 'notes.txt'：标准目录文件应为 <领域键>.yaml",
        "配置项 structure/standard/social_assistance.yaml:4 = 'deadline'：缺少“公开时限”（deadline）",
        "配置项 structure/standard/social_assistance.yaml:9 = 'city'：“公开层级”可选：county（县级）、township（乡级）",
        "配置项 structure/standard/social_assistance.yaml:10 = 'treasury'："
        "栏目“treasury”没有在 GONGKAI_COLUMNS 中配置：公开事项应链接到发布它的栏目",
    ]


def test_the_26_areas_are_data():
    areas = tree.areas()
    assert len(areas) == 26 and len(set(areas.values())) == 26
    assert areas["budget"] == "财政预决算" and areas["land_expropriation"] == "征地补偿"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("财政、金融、审计", None),
        ("财政、金融、审计\\财政", None),
        ("交通运输", "主题分类“交通运输”不在国务院主题分类中。是否应为“工业、交通”？"),
        (
            "公安、安全生产、司法",
            "主题分类“公安、安全生产、司法”不在国务院主题分类中。是否应为“公安、安全、司法”？",
        ),
        (
            "财政、金融、审计/财政",
            "主题分类“财政、金融、审计/财政”应写作“财政、金融、审计\\财政”（大类与小类之间用反斜杠“\\”分隔）",
        ),
        (
            "财政、金融、审计\\财务",
            "主题分类“财政、金融、审计\\财务”的小类不在国务院主题分类中。是否应为“财政、金融、审计\\财政”？"
            "“财政、金融、审计”的小类：“财政”、“税务”、“金融”、“审计”、“其他”",
        ),
    ],
)
def test_topic_vocabulary_with_the_nearest_value(value, message):
    assert topics.problem(value) == message


def test_a_topic_nothing_like_any_class_lists_the_classes():
    message = topics.problem("xyz")
    assert message.startswith("主题分类“xyz”不在国务院主题分类中。可用的大类：综合政务；")
    assert "；其他" in message
