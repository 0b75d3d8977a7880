"""The search plugin in real Pelican builds: only what is published is searchable."""

from __future__ import annotations

import re

import pytest
from attachment_fixtures import docx_file, minimal_pdf, xlsx_file
from conftest import ROOT, entry, make_project, review_block, run_cli
from gongkai_core.tokenizer import tokenize
from nodequery import NodeMissing, node_search, titles

HELD = {
    "in_review": {
        "review": review_block(status="in_review", secrecy="pending", secrecy_on=None, approved=None)
    },
    "embargoed": {"date_published": "2026-12-01"},
    "on_request": {"disclosure": "on_request"},
    "withdrawn": {"review": review_block(status="withdrawn", extra="withdrawn_on: 2025-03-01")},
}
# one canary per held entry: rare characters, and an ASCII word (the index lower-cases it)
CANARIES = {state: (f"鼋鼍{c}鳜鲥", f"canary{i}q") for i, (state, c) in enumerate(zip(HELD, "甪甭甮甯"))}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {
        "policy/ok.md": entry(
            title="示例县秸秆禁烧工作方案",
            body="为做好秸秆综合利用和禁烧工作，制定本方案。",
            index_no="SL0000009/2025-00077",
            extra="doc_no: 示农发〔2025〕12号\nkeywords: 蓝天保卫、鸬鹚湖",
        ),
        "policy/attached.md": entry(
            title="示例县湿地保护工作安排",
            body="详见附件。",
            index_no="SL0000009/2025-00078",
            extra="attachments:\n  - file: files/plan.pdf\n    title: 湿地保护方案\n"
            "  - file: files/list.docx\n    title: 任务清单\n  - file: files/money.xlsx\n    title: 资金表",
        ),
        "files/plan.pdf": minimal_pdf(["第一页：总体要求。", "第二页：鹳鹬栖息地每年巡护十二次。"]),
        "files/list.docx": docx_file(
            ["任务一：清理河道。"], table=[["任务", "责任单位"], ["补种芦苇", "林业站"]]
        ),
        "files/money.xlsx": xlsx_file({"资金": {"A1": "项目", "B1": "金额", "A2": "围栏修缮", "B2": 37.25}}),
    }
    for state, kw in HELD.items():
        cjk, ascii_ = CANARIES[state]
        files[f"policy/{state}.md"] = entry(
            title=f"{cjk}通知 {ascii_}", body=f"正文{cjk}，编号 {ascii_}。", **kw
        )
    # a held entry's attachment: its text must not reach the index either
    files["files/held.pdf"] = minimal_pdf(["鼋鼍鹮鹩附件里的字"])
    files["policy/held_attachment.md"] = entry(
        title="未公开附件的条目",
        body="正文。",
        extra="attachments:\n  - file: files/held.pdf\n    title: 内部材料",
        **HELD["in_review"],
    )
    project = make_project(tmp_path_factory.mktemp("search"), files)
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 0, result.stderr
    return project / "output"


def search(out, *queries):
    try:
        return node_search(out / "search", *queries)
    except NodeMissing as missing:
        pytest.skip(str(missing))


def test_published_entry_is_found_by_title_doc_and_index_number(site):
    results = search(site, "秸秆禁烧", "示农发〔2025〕12号", "2025-00077", "秸稈禁燒", "鸬鹚湖")
    for result in results:
        assert titles(result) == ["示例县秸秆禁烧工作方案"], result["q"]
        assert result["hits"][0]["url"] == "policy/ok.html"


@pytest.mark.parametrize("state", list(HELD))
def test_held_entry_is_neither_found_nor_in_any_index_file(site, state):
    cjk, ascii_ = CANARIES[state]
    found = search(site, cjk, ascii_)
    assert [r["total"] for r in found] == [0, 0]
    needles = {t for t in tokenize(cjk) if len(t) == 2} | {ascii_, cjk}
    for path in sorted((site / "search").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in needles if n in text], path


def test_attachment_text_is_found_and_the_result_names_the_attachment(site):
    """PDF (second page), DOCX table cell and XLSX cell: each found, the passage from that attachment."""
    results = search(site, "鹳鹬栖息地", "补种芦苇", "围栏修缮", "37.25")
    for result, title in zip(results, ["湿地保护方案", "任务清单", "资金表", "资金表"], strict=True):
        assert titles(result) == ["示例县湿地保护工作安排"], result["q"]
        hit = result["hits"][0]
        assert hit["where"] == f"附件：{title}", result["q"]
        start, end = hit["snippet_marks"][0]
        assert hit["snippet"][start:end] == result["q"]


def test_held_entrys_attachment_is_in_no_index_file(site):
    assert search(site, "鹮鹩附件")[0]["total"] == 0
    for path in sorted((site / "search").rglob("*.js")):
        assert "鹮鹩" not in path.read_text(encoding="utf-8"), path


def test_libraries_are_copied_from_their_single_source(site):
    assert (site / "search/tokenizer.js").read_bytes() == (
        ROOT / "plugins/gongkai_core/tokenizer.js"
    ).read_bytes()
    assert (site / "theme/js/search.js").read_bytes() == (ROOT / "theme/static/js/search.js").read_bytes()


def test_search_page_has_no_inline_script(site):
    html = (site / "search.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    for name in ("search/tokenizer.js", "theme/js/search.js"):
        assert any(src.endswith(name) for src in sources), name
    assert all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.IGNORECASE)  # no inline event handlers


def test_unknown_search_setting_is_reported(tmp_path):
    project = make_project(tmp_path, {"policy/ok.md": entry()})
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nGONGKAI_SEARCH_BODY_CHAR = 100\n", encoding="utf-8")
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 1
    assert (
        "配置项 GONGKAI_SEARCH_BODY_CHAR = 100：未知的配置项（不会起任何作用）：是否应为 GONGKAI_SEARCH_BODY_CHARS？"
        in result.stdout + result.stderr
    )


def test_an_index_started_early_equals_one_built_after_pelican(tmp_path):
    """From GONGKAI_SEARCH_PARALLEL_FROM documents on, the index starts in a second process as soon
    as the gate has read everything; the site is the same as with the index built at the end."""
    import filecmp

    from conftest import make_project, run_cli

    files = {
        f"policy/p{n}.md": entry(title=f"防汛应急文件{n}", body=f"第{n}号文件正文，涉及耕地保护。")
        for n in range(12)
    }
    files["policy/draft.md"] = entry(
        title="草稿CANARY9E",
        review=review_block(status="draft", secrecy="pending", section=None, secrecy_on=None, approved=None),
    )
    trees = {}
    for mode, threshold in (("early", 1), ("late", 100000)):
        project = make_project(tmp_path / mode, files)
        conf = project / "pelicanconf.py"
        conf.write_text(
            conf.read_text(encoding="utf-8") + f"\nGONGKAI_SEARCH_PARALLEL_FROM = {threshold}\n",
            encoding="utf-8",
        )
        for command, out in (("build", "output"), ("preview", "preview")):
            result = run_cli(project, command, "--output", out, env_extra={"GONGKAI_EXPLAIN": "1"})
            assert result.returncode == 0, result.stderr
            assert ("在读取完成后即开始生成" in result.stderr) == (mode == "early"), result.stderr
            assert "重新生成" not in result.stderr
            trees[(mode, command)] = project / out
    for command in ("build", "preview"):
        early, late = trees[("early", command)], trees[("late", command)]
        names = sorted(p.relative_to(early).as_posix() for p in early.rglob("*") if p.is_file())
        assert names == sorted(p.relative_to(late).as_posix() for p in late.rglob("*") if p.is_file())
        assert [n for n in names if not filecmp.cmp(early / n, late / n, shallow=False)] == []
    searched = b"".join(p.read_bytes() for p in (trees[("early", "build")] / "search").rglob("*.js"))
    assert b"CANARY9E" not in searched
    assert "CANARY9E".encode() in b"".join(
        p.read_bytes() for p in (trees[("early", "preview")] / "search").rglob("*.js")
    )
