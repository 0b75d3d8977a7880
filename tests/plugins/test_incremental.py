"""Rebuilds: unchanged files are linked from the previous output, and the result is exactly a cold build."""

from __future__ import annotations

import filecmp
import shutil

from conftest import entry, run_cli


def tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def identical(a, b) -> list[str]:
    names = tree(a)
    assert names == tree(b)
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


def test_rebuild_links_unchanged_pages_and_equals_a_cold_build(build_site):
    files = {
        "policy/a.md": entry(title="甲文件", body="甲的正文。"),
        "policy/b.md": entry(title="乙文件", body="乙的正文。"),
        "policy/c.md": entry(title="丙文件 CANARY5R", body="丙的正文。"),
    }
    first = build_site(files, command="publish")
    assert first.exit_code == 0, first.stderr
    before = {n: (first.output / n).stat().st_ino for n in tree(first.output)}
    old_a = (first.output / "policy/a.html").read_bytes()

    content = first.project / "content" / "policy"
    (content / "a.md").write_text(
        entry(title="甲文件", body="甲的正文，已修改。", index_no="SL0000001/2025-09001"), encoding="utf-8"
    )
    (content / "c.md").write_text(
        entry(
            title="丙文件 CANARY5R",
            secrecy="pending",
            secrecy_on=None,
            approved=None,
            status="in_review",
            index_no="SL0000001/2025-09003",
        ),
        encoding="utf-8",
    )
    again = build_site({}, command="publish", project=first.project)
    assert again.exit_code == 0, again.stderr
    assert "已修改" in again.text("policy/a.html")
    assert again.leaks("CANARY5R") == []
    after = {n: (again.output / n).stat().st_ino for n in tree(again.output)}
    # the unchanged entry's page is the very same file; the changed one is new
    assert after["policy/b.html"] == before["policy/b.html"]
    assert after["policy/a.html"] != before["policy/a.html"]
    assert old_a != again.output.joinpath("policy/a.html").read_bytes()

    shutil.rmtree(first.project / ".gongkai")
    cold = run_cli(first.project, "publish", "--output", "cold")
    assert cold.returncode == 0, cold.stderr
    assert identical(again.output, first.project / "cold") == []


def test_a_failed_rebuild_leaves_the_linked_output_as_it_was(build_site):
    first = build_site({"policy/a.md": entry(title="甲文件", body="甲的正文。")}, command="publish")
    assert first.exit_code == 0, first.stderr
    saved = {n: (first.output / n).read_bytes() for n in tree(first.output)}
    (first.project / "content" / "policy" / "bad.md").write_text(
        entry(title="坏", date_published="2025-02-30"), encoding="utf-8"
    )
    failed = build_site({}, command="publish", project=first.project)
    assert failed.exit_code == 1
    assert {n: (first.output / n).read_bytes() for n in tree(first.output)} == saved


def test_changed_settings_and_hand_edited_pages_are_rendered_again(build_site):
    files = {
        "policy/a.md": entry(title="甲文件", body="甲的正文。"),
        "policy/b.md": entry(title="乙文件", body="乙的正文。"),
    }
    first = build_site(files, command="publish")
    assert first.exit_code == 0, first.stderr
    page = first.output / "policy" / "b.html"
    page.write_text(page.read_text(encoding="utf-8").replace("乙的正文", "TAMPERED"), encoding="utf-8")
    again = build_site({}, command="publish", project=first.project)
    assert again.exit_code == 0, again.stderr
    assert "TAMPERED" not in again.text("policy/b.html") and "乙的正文" in again.text("policy/b.html")

    conf = first.project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("示例县人民政府信息公开", "样例县政务公开NEWNAME"),
        encoding="utf-8",
    )
    third = build_site({}, command="publish", project=first.project)
    assert third.exit_code == 0, third.stderr
    for name in ("policy/a.html", "policy/b.html"):
        assert "样例县政务公开NEWNAME" in third.text(name)


def test_a_rebuild_with_nothing_changed_renders_no_entry_page_again(build_site):
    files = {f"policy/{i}.md": entry(title=f"文件{i}", body=f"正文{i}。") for i in range(3)}
    first = build_site(files, command="publish")
    assert first.exit_code == 0, first.stderr
    again = build_site({}, command="publish", project=first.project)
    assert again.exit_code == 0, again.stderr
    assert "其中 3 个条目网页无需重新生成" in again.stdout


def test_runtime_objects_in_the_settings_do_not_change_the_build_key():
    import multiprocessing

    from gongkai_build import pagekeys

    job = multiprocessing.get_context("spawn").Process(target=print)
    job.start()
    job.join()
    a = pagekeys._settings_repr({"SITENAME": "甲", "X_JOB": job}, pagekeys.VOLATILE)
    b = pagekeys._settings_repr({"SITENAME": "甲", "X_JOB": object()}, pagekeys.VOLATILE)
    assert a.replace("ForkProcess", "").replace("SpawnProcess", "") == b.replace("object", "")


def test_a_page_edited_by_hand_to_the_same_size_is_rendered_again(build_site):
    files = {
        "policy/a.md": entry(title="甲文件", body="甲的正文。"),
        "policy/b.md": entry(title="乙文件", body="乙的正文。"),
    }
    first = build_site(files, command="publish")
    assert first.exit_code == 0, first.stderr
    page = first.output / "policy" / "b.html"
    data = page.read_bytes()
    inode, size = page.stat().st_ino, len(data)
    with open(page, "r+b") as fh:  # in place: the same inode and size, other bytes
        fh.write(data.replace("乙的正文".encode(), b"TAMPERED-12B", 1))
    assert page.stat().st_ino == inode and page.stat().st_size == size and b"TAMPERED" in page.read_bytes()
    again = build_site({}, command="publish", project=first.project)
    assert again.exit_code == 0, again.stderr
    assert "TAMPERED" not in again.text("policy/b.html") and "乙的正文" in again.text("policy/b.html")
    # the other entry page is as recorded: linked without rendering
    assert "其中 1 个条目网页无需重新生成" in again.stdout
    cold = run_cli(first.project, "publish", "--output", "cold")
    assert cold.returncode == 0, cold.stderr
    assert identical(again.output, first.project / "cold") == []


def test_without_the_record_of_the_output_every_page_is_rendered_again(build_site):
    files = {f"policy/{i}.md": entry(title=f"文件{i}", body=f"正文{i}。") for i in range(3)}
    first = build_site(files, command="publish")
    assert first.exit_code == 0, first.stderr
    cache = first.project / ".gongkai" / "cache"
    records = sorted(cache.glob("build-*.pickle"))
    assert len(records) == 1 and not list(cache.glob("pages-*.json"))
    records[0].unlink()
    again = build_site({}, command="publish", project=first.project)
    assert again.exit_code == 0, again.stderr
    assert "其中 0 个条目网页无需重新生成" in again.stdout
    # a record that cannot be read is no record either
    records[0].write_bytes(b"not a record")
    third = build_site({}, command="publish", project=first.project)
    assert third.exit_code == 0, third.stderr
    assert "其中 0 个条目网页无需重新生成" in third.stdout
    shutil.rmtree(first.project / ".gongkai")
    cold = run_cli(first.project, "publish", "--output", "cold")
    assert cold.returncode == 0, cold.stderr
    assert identical(third.output, first.project / "cold") == []
