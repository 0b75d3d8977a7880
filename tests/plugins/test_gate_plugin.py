"""The gate in real Pelican builds: nothing unpublished leaves any trace in the output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EPOCH, entry, make_project, review_block, run_cli

PDF = b"%PDF-1.4\n% canary attachment\n"


def canary_entry(canary: str, **kw) -> str:
    extra = (
        f"doc_no: 示测发〔2025〕1号\nkeywords: {canary}主题\nsummary: {canary}概述\n"
        f"attachments:\n  - file: files/{canary}.pdf\n    title: {canary}附件\n"
        f"changes:\n  - date: 2025-02-03\n    note: {canary}变更"
    )
    return entry(
        title=f"{canary} 标题",
        body=f"正文 {canary} 正文\n\n![图](../files/{canary}.pdf)",
        publisher=f"示例县{canary}局",
        extra=extra,
        **kw,
    )


UNPUBLISHED = {
    "draft": dict(
        review=review_block(status="draft", secrecy="pending", section=None, secrecy_on=None, approved=None)
    ),
    "in_review": dict(
        review=review_block(status="in_review", secrecy="pending", secrecy_on=None, approved=None)
    ),
    "secrecy_failed": dict(review=review_block(status="in_review", secrecy="failed", approved=None)),
    "embargoed": dict(date_published="2026-12-01"),
    "on_request": dict(disclosure="on_request"),
    "not_disclosed": dict(disclosure="not_disclosed"),
    "withdrawn": dict(review=review_block(status="withdrawn", extra="withdrawn_on: 2025-03-01")),
    "invalid": dict(date_written="2025-02-30"),
}


@pytest.fixture(scope="module")
def gated_site(tmp_path_factory):
    files = {"policy/ok.md": entry(title="已审定文件", body="公开正文"), "files/ok.pdf": PDF}
    for i, (state, kw) in enumerate(UNPUBLISHED.items()):
        canary = f"CANARY{i}Q{state.upper()}"
        files[f"policy/{state}.md"] = canary_entry(canary, **kw)
        files[f"files/{canary}.pdf"] = PDF + canary.encode()
    files["policy/ok.md"] = entry(
        title="已审定文件", body="公开正文", extra="attachments:\n  - file: files/ok.pdf\n    title: 公开附件"
    )
    project = make_project(tmp_path_factory.mktemp("gate"), files)
    result = run_cli(project, "build", "--output", "output")
    return project, result


@pytest.mark.parametrize("state", list(UNPUBLISHED))
def test_unpublished_entry_leaves_no_trace(gated_site, state):
    project, result = gated_site
    assert result.returncode == 0, result.stderr
    out = project / "output"
    assert "已审定文件" in (out / "policy" / "ok.html").read_text(encoding="utf-8")
    assert (out / "files" / "ok.pdf").read_bytes() == PDF
    canary = f"CANARY{list(UNPUBLISHED).index(state)}Q{state.upper()}"
    hits = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if canary in rel or canary.encode() in data or canary.lower().encode() in data:
            hits.append(rel)
    assert hits == []


def test_withdrawn_entry_leaves_only_a_notice(gated_site):
    project, _ = gated_site
    html = (project / "output" / "policy" / "withdrawn.html").read_text(encoding="utf-8")
    assert "本信息已撤回" in html and "2025-03-01" in html
    catalog = (project / "output" / "catalog" / "index.html").read_text(encoding="utf-8")
    assert "withdrawn.html" not in catalog


def test_catalog_lists_exactly_the_published(gated_site):
    import json

    project, _ = gated_site
    data = json.loads((project / "output" / "catalog" / "catalog.json").read_text(encoding="utf-8"))
    assert [e["title"] for e in data["entries"]] == ["已审定文件"]
    assert data["count"] == 1
    csv_text = (project / "output" / "catalog" / "catalog.csv").read_text(encoding="utf-8-sig")
    assert csv_text.count("\n") == 2 and "已审定文件" in csv_text


def test_no_pelican_default_listings(gated_site):
    project, _ = gated_site
    out = project / "output"
    for name in (
        "tags.html",
        "categories.html",
        "authors.html",
        "archives.html",
        "drafts",
        "tag",
        "category",
        "author",
        "feeds/all.atom.xml",
    ):
        assert not (out / name).exists(), name


def test_build_with_gate_missing_fails(tmp_path):
    project = make_project(tmp_path, {"policy/ok.md": entry(title="已审定文件")})
    conf = project / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    without = re.sub(r'"gongkai_gate",\s*', "", text)
    assert without != text and "gongkai_gate" not in without  # the gate really is left out
    conf.write_text(without, encoding="utf-8")
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 1
    assert "发布闸门插件 gongkai_gate 未加载" in result.stderr
    assert not (project / "output" / "policy" / "ok.html").exists()


def test_plugin_that_fails_to_load_fails_the_build(tmp_path):
    project = make_project(tmp_path, {"policy/ok.md": entry(title="已审定文件")})
    conf = project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            '"gongkai_catalog"', '"gongkai_catalog", "gongkai_nonexistent"'
        ),
        encoding="utf-8",
    )
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 1
    assert "插件加载失败" in result.stderr and "gongkai_nonexistent" in result.stderr


def test_cached_decision_is_not_resurrected(tmp_path):
    """An embargoed entry becomes public when the build date passes, and a re-withheld one disappears."""
    project = make_project(tmp_path, {"policy/e.md": entry(title="禁发文件", date_published="2026-11-05")})
    first = run_cli(project, "build", "--output", "output")
    assert first.returncode == 0
    assert not (project / "output" / "policy" / "e.html").exists()
    later = run_cli(project, "build", "--output", "output", epoch=str(int(EPOCH) + 5 * 86400))
    assert later.returncode == 0
    assert "禁发文件" in (project / "output" / "policy" / "e.html").read_text(encoding="utf-8")
    path = project / "content" / "policy" / "e.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("disclosure: proactive", "disclosure: on_request"),
        encoding="utf-8",
    )
    again = run_cli(project, "publish", "--output", "output", epoch=str(int(EPOCH) + 5 * 86400))
    assert again.returncode == 0, again.stderr
    assert not (project / "output" / "policy" / "e.html").exists()
    assert "禁发文件" not in (project / "output" / "catalog" / "index.html").read_text(encoding="utf-8")


def test_script_pasted_into_body_is_neutralised(build_site):
    site = build_site(
        {
            "policy/x.md": entry(
                title="粘贴",
                body='<script>alert("x")</script>\n\n<p onclick="evil()">文字</p>\n\n[链接](javascript:alert(1))',
            )
        }
    )
    assert site.exit_code == 0, site.stderr
    html = site.text("policy/x.html")
    assert "<script>alert" not in html and "onclick" not in html and "javascript:" not in html
    assert "文字" in html


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_publish_is_strict_and_leaves_old_output_untouched(tmp_path):
    project = make_project(
        tmp_path, {"policy/a.md": entry(title="文件甲"), "policy/b.md": entry(title="文件乙")}
    )
    first = run_cli(project, "publish", "--output", "output")
    assert first.returncode == 0, first.stderr
    before = tree(project / "output")
    (project / "content" / "policy" / "b.md").write_text(
        entry(title="文件乙", date_written="2025-02-30", disclosure="maybe"), encoding="utf-8"
    )
    (project / "content" / "policy" / "c.md").write_text("---\ntitle: [未闭合\n---\n", encoding="utf-8")
    second = run_cli(project, "publish", "--output", "output")
    assert second.returncode == 1
    lines = second.stderr.strip().split("\n")
    assert (
        "content/policy/b.md:6: “成文日期”“2025-02-30”不是存在的日期（2025年没有2月30日） (date_written)"
        in lines
    )
    assert any(line.startswith("content/policy/b.md:8: “公开属性”的值“maybe”无效") for line in lines)
    assert any(line.startswith("content/policy/c.md:") and line.endswith("(yaml)") for line in lines)
    assert tree(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output.new")]


def test_interrupted_publish_leaves_old_output(tmp_path):
    files = {f"policy/e{i}.md": entry(title=f"文件{i}", body="内容\n" * 50) for i in range(60)}
    project = make_project(tmp_path, files)
    assert run_cli(project, "publish", "--output", "output").returncode == 0
    before = tree(project / "output")
    (project / "content" / "policy" / "new.md").write_text(entry(title="新文件"), encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "publish", "--output", "output"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # kill it while it is writing the staging tree: stopped as soon as a file is in it (a fixed delay
    # raced with the build, which finishes ~0.3 s after the staging folder appears), then killed
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and proc.poll() is None
        and not any(
            f.is_file() for p in project.iterdir() if p.name.startswith(".output.new") for f in p.rglob("*")
        )
    ):
        time.sleep(0.005)
    proc.send_signal(signal.SIGSTOP)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree(project / "output") == before
    again = run_cli(project, "publish", "--output", "output")
    assert again.returncode == 0
    assert "新文件" in (project / "output" / "policy" / "new.html").read_text(encoding="utf-8")
    assert not [p for p in project.iterdir() if p.name.startswith(".output.")]


def test_two_publishes_are_byte_identical(tmp_path):
    files = {
        "policy/a.md": entry(title="文件甲", extra="changes:\n  - date: 2025-03-01\n    note: 更正"),
        "policy/b.md": entry(title="文件乙"),
    }
    a = make_project(tmp_path / "a", files)
    b = make_project(tmp_path / "b", files)
    assert run_cli(a, "publish", "--output", "output").returncode == 0
    time.sleep(1.1)
    assert run_cli(b, "publish", "--output", "output").returncode == 0
    assert tree(a / "output") == tree(b / "output")


def test_preview_marks_unpublished_pages(tmp_path):
    project = make_project(
        tmp_path,
        {
            "policy/ok.md": entry(title="已审定文件"),
            "policy/d.md": entry(
                title="草稿文件",
                review=review_block(
                    status="draft", secrecy="pending", section=None, secrecy_on=None, approved=None
                ),
            ),
        },
    )
    result = run_cli(project, "preview", "--output", "preview")
    assert result.returncode == 0, result.stderr
    html = (project / "preview" / "policy" / "d.html").read_text(encoding="utf-8")
    assert "预览·未公开" in html and "审核状态为草稿" in html and "保密审查尚未完成" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "noindex" in (project / "preview" / "policy" / "ok.html").read_text(encoding="utf-8")
    assert not (project / "output").exists()


def test_publishconf_refuses_preview(tmp_path):
    project = make_project(tmp_path, {"policy/ok.md": entry()})
    result = run_cli(project, "publish", "--output", "output", env_extra={})
    assert result.returncode == 0
    conf = project / "publishconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("GONGKAI_PREVIEW = False", "GONGKAI_PREVIEW = True"),
        encoding="utf-8",
    )
    result = run_cli(project, "publish", "--output", "output2")
    assert result.returncode == 1
    assert "配置项 GONGKAI_PREVIEW = True：公开发布配置（publishconf）不得开启预览" in result.stderr
    assert not (project / "output2").exists()


def test_files_linked_from_a_published_body_are_copied(build_site):
    site = build_site(
        {
            "policy/x.md": entry(title="图文", body="![示意图](../files/map.png)"),
            "files/map.png": b"\x89PNG\r\n\x1a\nmap",
            "files/unused.png": b"\x89PNG\r\n\x1a\nunused",
        }
    )
    assert site.exit_code == 0, site.stderr
    assert (site.output / "files" / "map.png").read_bytes().endswith(b"map")
    assert not site.exists("files/unused.png")


def test_missing_file_linked_from_body_is_a_problem(tmp_path):
    project = make_project(
        tmp_path, {"policy/x.md": entry(title="图文", body="![示意图](../files/nope.png)")}
    )
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert (
        "content/policy/x.md:22: 正文引用的文件“files/nope.png”不存在（应位于 content/files/nope.png） (body)"
        in result.stdout
    )


def test_rebuild_removes_pages_of_entries_no_longer_published(tmp_path):
    project = make_project(
        tmp_path,
        {
            "policy/a.md": entry(
                title="先公开后撤下", extra="attachments:\n  - file: files/a.pdf\n    title: 附件"
            ),
            "files/a.pdf": PDF,
        },
    )
    assert run_cli(project, "build", "--output", "output").returncode == 0
    assert (project / "output" / "policy" / "a.html").exists()
    path = project / "content" / "policy" / "a.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("status: approved", "status: in_review")
        .replace("  approved_by: 赵六\n  approved_on: 2025-01-23\n", ""),
        encoding="utf-8",
    )
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 0, result.stderr
    assert not (project / "output" / "policy" / "a.html").exists()
    assert not (project / "output" / "files" / "a.pdf").exists()
    assert "先公开后撤下" not in (project / "output" / "catalog" / "catalog.json").read_text(encoding="utf-8")


def test_site_without_land_entries_links_nothing_missing(build_site):
    site = build_site({"policy/a.md": entry(title="只有政策文件")})
    assert site.exit_code == 0, site.stderr
    assert "places.html" not in site.text("land/index.html")


def test_local_build_shows_problems_and_leaves_the_entry_out(build_site):
    site = build_site(
        {
            "policy/ok.md": entry(title="正常文件"),
            "policy/bad.md": entry(title="有错文件", disclosure="public"),
        }
    )
    assert site.exit_code == 0
    assert "content/policy/bad.md:8: “公开属性”的值“public”无效。" in site.stderr
    assert "有 1 个问题，相关条目不会出现在网站上" in site.stderr
    assert site.exists("policy/ok.html") and not site.exists("policy/bad.html")
