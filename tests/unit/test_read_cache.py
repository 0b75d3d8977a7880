"""The read cache and the parallel reader give exactly what reading every file afresh gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import entry
from gongkai_build.readcache import stores
from gongkai_core import site as site_module
from gongkai_core.site import DEFAULT_COLUMNS, load_site

BUILD_DATE = date(2026, 11, 1)


def write(content: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def summary(s) -> tuple:
    return (
        [str(p) for p in s.problems],
        sorted(e.path for e in s.published()),
        sorted(s.invalid_paths),
        dict(sorted(s.html.items())),
    )


def load(tmp_path: Path, build_date: date = BUILD_DATE, cached: bool = True):
    return load_site(
        tmp_path / "content",
        build_date,
        DEFAULT_COLUMNS,
        project_root=tmp_path,
        **(stores(tmp_path) if cached else {}),
    )


def test_second_read_comes_from_the_cache_and_equals_a_fresh_read(tmp_path):
    write(
        tmp_path / "content",
        {
            "policy/a.md": entry(title="甲文件", body="第一段。\n\n## 小标题\n\n第二段。"),
            "policy/b.md": entry(
                title="乙文件", secrecy="pending", secrecy_on=None, approved=None, status="in_review"
            ),
            "policy/bad.md": entry(title="坏文件", date_published="2025-13-40"),
            "pages/about.md": "---\ntitle: 关于本站\n---\n\n本站说明。\n",
        },
    )
    first = load(tmp_path)
    assert first.cache_hits == 0
    second = load(tmp_path)
    assert second.cache_hits == 4
    assert summary(second) == summary(first) == summary(load(tmp_path, cached=False))
    assert "content/policy/bad.md" in second.invalid_paths
    assert "<h2>小标题</h2>" in second.html["content/policy/a.md"]


def test_a_changed_file_is_read_again(tmp_path):
    write(tmp_path / "content", {"policy/a.md": entry(title="甲文件", body="旧正文。")})
    load(tmp_path)
    write(
        tmp_path / "content",
        {"policy/a.md": entry(title="甲文件", body="新正文。", index_no="SL0000001/2025-00999")},
    )
    again = load(tmp_path)
    assert again.cache_hits == 0
    assert "新正文" in again.html["content/policy/a.md"]


def test_a_deleted_attachment_is_noticed_although_the_entry_did_not_change(tmp_path):
    extra = "attachments:\n  - file: files/plan.pdf\n    title: 方案全文"
    write(tmp_path / "content", {"policy/a.md": entry(extra=extra), "files/plan.pdf": b"%PDF-1.4 plan"})
    assert load(tmp_path).problems == []
    (tmp_path / "content" / "files" / "plan.pdf").unlink()
    problems = [str(p) for p in load(tmp_path).problems]
    assert len(problems) == 1 and "附件“files/plan.pdf”不存在" in problems[0]


def test_the_gate_is_decided_again_on_every_read(tmp_path):
    write(tmp_path / "content", {"policy/a.md": entry(title="定时发布", date_published="2026-06-01")})
    assert [e.title for e in load(tmp_path, BUILD_DATE).published()] == ["定时发布"]
    earlier = load(tmp_path, date(2026, 5, 1))
    assert earlier.cache_hits == 1
    assert earlier.published() == []


def test_personal_data_counts_once_the_entry_is_published(tmp_path):
    body = "联系人手机：13912345678。"
    write(tmp_path / "content", {"policy/a.md": entry(body=body, date_published="2026-06-01")})
    assert load(tmp_path, date(2026, 5, 1)).problems == []
    problems = [str(p) for p in load(tmp_path, BUILD_DATE).problems]
    assert len(problems) == 1 and "(pii.mobile)" in problems[0]


def test_many_files_read_in_parallel_equal_a_serial_read(tmp_path, monkeypatch):
    files = {
        f"policy/{i:03d}.md": entry(
            title=f"文件{i}", index_no=f"SL0000001/2025-{i + 1:05d}", body=f"正文{i}。\n\n- 一\n- 二"
        )
        for i in range(40)
    }
    files["policy/dup.md"] = entry(title="重复", index_no="SL0000001/2025-00001")
    write(tmp_path / "content", files)
    serial = summary(load(tmp_path, cached=False))
    monkeypatch.setattr(site_module, "PARALLEL_MIN_FILES", 2)
    assert summary(load(tmp_path, cached=False)) == serial
    assert summary(load(tmp_path)) == serial
    assert any("重复" in p for p in serial[0])


def test_check_reads_without_rendering_and_the_next_build_renders(tmp_path):
    write(
        tmp_path / "content",
        {
            "policy/a.md": entry(title="甲文件", body="第一段。\n\n## 小标题"),
            "pages/about.md": "---\ntitle: 关于本站\n---\n\n本站说明。\n",
        },
    )
    content = tmp_path / "content"
    checked = load_site(
        content, BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path, **stores(tmp_path), render=False
    )
    assert checked.html == {}
    built = load(tmp_path)  # the cache holds no HTML for these: read again, rendered
    assert built.cache_hits == 0
    assert summary(built) == summary(load(tmp_path, cached=False))
    assert "<h2>小标题</h2>" in built.html["content/policy/a.md"]
    assert load(tmp_path).cache_hits == 2  # and the rendered results were saved
    again = load_site(
        content, BUILD_DATE, DEFAULT_COLUMNS, project_root=tmp_path, **stores(tmp_path), render=False
    )
    assert again.cache_hits == 2 and again.problems == checked.problems == []


def test_the_projects_holiday_calendar_is_part_of_the_cache_version(tmp_path, monkeypatch):
    """Working days decide 征地 problems and page text: a year added with `invoke holidays add` (or
    corrected) must not leave a cached “缺少2031年的法定节假日” behind."""
    from gongkai_build.readcache import code_version

    monkeypatch.chdir(tmp_path)
    before = code_version()
    (tmp_path / "holidays").mkdir()
    year = tmp_path / "holidays" / "2031.yaml"
    year.write_text("year: 2031\nsource: 测试\nholidays: []\n", encoding="utf-8")
    added = code_version()
    year.write_text("year: 2031\nsource: 更正\nholidays: []\n", encoding="utf-8")
    assert len({before, added, code_version()}) == 3
