"""The 三公 entry against the same department and year's budget “三公”经费支出表 (budget.validate_across),
read by the real site loader from the demo's files; the whole message line is pinned."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from gongkai_core.site import DEFAULT_COLUMNS, load_site

ROOT = Path(__file__).resolve().parents[2]
BUDGET = "content/budget/2025-jyj.yaml"
SANGONG = "content/sangong/2025-jyj.yaml"


def _line(path: Path, needle: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i + 1 for i in range(start, len(lines)) if needle in lines[i])


def _site(tmp_path: Path, sangong_text: str | None = None, budget_text: str | None = None):
    for rel, text in ((BUDGET, budget_text), (SANGONG, sangong_text)):
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            shutil.copy(ROOT / rel, target)
        else:
            target.write_text(text, encoding="utf-8")
    return load_site(
        tmp_path / "content", date(2025, 6, 1), DEFAULT_COLUMNS, project_root=tmp_path, render=False
    )


def _messages(site, key: str = "sangong.budget_match") -> list[str]:
    return [str(p) for p in site.problems if p.key == key]


def test_the_demo_pair_agrees(tmp_path):
    assert _messages(_site(tmp_path)) == []


def test_a_different_reception_figure_names_both_files_and_both_figures(tmp_path):
    text = (ROOT / SANGONG).read_text(encoding="utf-8")
    current = text.index("  current:")
    changed = text[:current] + text[current:].replace("reception: 2.70", "reception: 2.90", 1)
    changed = changed[:current] + changed[current:].replace("total: 15.30", "total: 15.50", 1)
    site = _site(tmp_path, sangong_text=changed)
    s_total = _line(tmp_path / SANGONG, "total: 15.50")
    s_reception = _line(tmp_path / SANGONG, "reception: 2.90")
    b_total = _line(tmp_path / BUDGET, "total: 15.30", after="three_public:")
    b_reception = _line(tmp_path / BUDGET, "reception: 2.70", after="three_public:")
    assert _messages(site) == [
        f"{SANGONG}:{s_total}: 本年合计 15.50 万元，与 {BUDGET}:{b_total} 示例县教育局2025年部门预算“三公”经费支出表的"
        " 15.30 万元不符：两处公开的数字须一致，请核对 (sangong.budget_match)",
        f"{SANGONG}:{s_reception}: 本年公务接待费 2.90 万元，与 {BUDGET}:{b_reception} 示例县教育局2025年部门预算"
        "“三公”经费支出表的 2.70 万元不符：两处公开的数字须一致，请核对 (sangong.budget_match)",
    ]


def test_an_empty_budget_table_counts_zero(tmp_path):
    text = (ROOT / BUDGET).read_text(encoding="utf-8")
    start = text.index("  three_public:")
    end = text.index("  fund:")
    changed = text[:start] + "  three_public:\n    empty: 本单位无“三公”经费预算\n" + text[end:]
    site = _site(tmp_path, budget_text=changed)
    b_empty = _line(tmp_path / BUDGET, "empty: 本单位无“三公”经费预算")
    found = _messages(site)
    assert found[0] == (
        f"{SANGONG}:{_line(tmp_path / SANGONG, 'total: 15.30')}: 本年合计 15.30 万元，与 {BUDGET}:{b_empty} "
        "示例县教育局2025年部门预算“三公”经费支出表的 空表（0.00 万元）不符：两处公开的数字须一致，请核对 "
        "(sangong.budget_match)"
    )
    assert len(found) == 4  # 合计, 公务用车购置及运行费, 运行费 and 接待费 differ; 出国 and 购置 are 0.00
