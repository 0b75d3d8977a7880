"""Rebuilds that render only the entries whose body changed (gongkai_build.fastrebuild).

Every case ends with the same check: the rebuilt output equals, byte for byte, a cold build of
the same content. GONGKAI_EXPLAIN=1 makes a build say why it had to build completely."""

from __future__ import annotations

import os

from conftest import entry, make_project, run_cli
from test_incremental import identical, tree

FAST = "仅重新生成了这些条目的网页"
LONG = "示例县人民政府办公室负责本文件的解释工作，各乡镇人民政府和县直有关部门应当结合实际认真贯彻执行。" * 6
EXPLAIN = {"GONGKAI_EXPLAIN": "1"}


def long_entry(title: str, extra_body: str = "", **kw) -> str:
    return entry(title=title, body=LONG + extra_body, **kw)


def project_with(tmp_path, files=None, settings=""):
    files = files or {
        "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
        "policy/b.md": long_entry("乙文件", index_no="SL0000001/2025-07002"),
        "policy/c.md": long_entry("丙文件", index_no="SL0000001/2025-07003"),
    }
    project = make_project(tmp_path, files)
    if settings:
        conf = project / "pelicanconf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + "\n" + settings + "\n", encoding="utf-8")
    first = run_cli(project, "publish", "--output", "output", env_extra=EXPLAIN)
    assert first.returncode == 0, first.stderr
    return project


def publish(project, epoch=None, output="output"):
    kw = {"epoch": epoch} if epoch else {}
    return run_cli(project, "publish", "--output", output, env_extra=EXPLAIN, **kw)


def edit(project, rel, old, new):
    path = project / "content" / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def append(project, rel, text):
    path = project / "content" / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def same_as_cold(project, output="output", epoch=None):
    kw = {"epoch": epoch} if epoch else {}
    cold = run_cli(project, "publish", "--output", "cold", env_extra={"GONGKAI_FULL_BUILD": "1"}, **kw)
    assert cold.returncode == 0, cold.stderr
    return identical(project / output, project / "cold")


def inodes(root):
    return {n: (root / n).stat().st_ino for n in tree(root)}


def test_a_body_edit_renders_that_page_only_and_equals_a_cold_build(tmp_path):
    # text past what search indexes: only the page changes (an edit of indexed text: the test below)
    project = project_with(tmp_path, settings="GONGKAI_SEARCH_BODY_CHARS = 200")
    before = inodes(project / "output")
    append(project, "policy/b.md", "\n新增一段说明：咨询电话另行公布。\n")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST in again.stdout and "完整构建" not in again.stderr
    out = project / "output"
    assert "新增一段说明" in (out / "policy/b.html").read_text(encoding="utf-8")
    after = inodes(out)
    assert after.keys() == before.keys()
    assert [n for n in after if after[n] != before[n]] == ["policy/b.html"]
    assert same_as_cold(project) == []
    # a second edit of the same entry is fast again, and a third build with nothing changed touches nothing
    append(project, "policy/b.md", "\n再补充一段。\n")
    assert FAST in publish(project).stdout
    settled = inodes(out)
    noop = publish(project)
    assert noop.returncode == 0 and "完整构建" not in noop.stderr
    assert inodes(out) == settled
    assert same_as_cold(project) == []


def test_what_lists_show_or_search_indexes_means_a_complete_build(tmp_path):
    project = project_with(tmp_path)
    cases = [
        ("policy/a.md", "title: 甲文件", "title: 甲文件（修订）", "元数据有变化"),
        (
            "policy/b.md",
            "disclosure: proactive",
            "disclosure: proactive\nsummary: 新增的摘要",
            "元数据有变化",
        ),
    ]
    for rel, old, new, why in cases:
        edit(project, rel, old, new)
        again = publish(project)
        assert again.returncode == 0, again.stderr
        assert FAST not in again.stdout and why in again.stderr
        # the entry pages of the default theme show no other entry: the other two are not rendered again
        assert "其中 2 个条目网页无需重新生成" in again.stdout
        assert same_as_cold(project) == []
    assert "甲文件（修订）" in (project / "output/catalog/index.html").read_text(encoding="utf-8")


def test_an_edit_of_the_indexed_text_updates_only_some_search_files(tmp_path):
    files = {
        f"policy/{n}.md": long_entry(f"文件{n}", index_no=f"SL0000001/2025-071{n:02d}") for n in range(30)
    }
    project = project_with(tmp_path, files)
    before = inodes(project / "output")
    edit(project, "policy/7.md", LONG[:12], "防汛抗旱应急预案修订：" + LONG[:12])
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST in again.stdout, again.stderr
    after = inodes(project / "output")
    changed = sorted(n for n in after if after[n] != before.get(n))
    assert "policy/7.html" in changed and any(n.startswith("search/t/") for n in changed)
    assert len(changed) < len(after) / 4
    assert same_as_cold(project) == []


def test_an_entry_taken_back_into_review_disappears(tmp_path):
    project = project_with(tmp_path)
    edit(project, "policy/c.md", "title: 丙文件", "title: 丙文件 CANARY7Q")
    assert publish(project).returncode == 0
    (project / "content/policy/c.md").write_text(
        entry(
            title="丙文件 CANARY7Q",
            body=LONG,
            index_no="SL0000001/2025-07003",
            secrecy="pending",
            secrecy_on=None,
            approved=None,
            status="in_review",
        ),
        encoding="utf-8",
    )
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST not in again.stdout
    assert not (project / "output/policy/c.html").exists()
    hits = [n for n in tree(project / "output") if b"CANARY7Q" in (project / "output" / n).read_bytes()]
    assert hits == []
    assert same_as_cold(project) == []


def test_personal_data_in_an_edited_body_is_caught_as_in_a_complete_build(tmp_path):
    project = project_with(tmp_path)
    append(project, "policy/a.md", "\n联系人身份证号 110101199003074514。\n")
    again = run_cli(project, "build", "--output", "output", env_extra=EXPLAIN)
    assert again.returncode == 0, again.stderr
    assert FAST not in again.stdout
    assert "content/policy/a.md:" in again.stderr and "身份证" in again.stderr
    assert not (project / "output/policy/a.html").exists()
    assert b"110101199003074514" not in b"".join(
        (project / "output" / n).read_bytes() for n in tree(project / "output")
    )


def test_a_newly_linked_file_and_a_new_entry_mean_a_complete_build(tmp_path):
    project = project_with(tmp_path)
    (project / "content/files").mkdir()
    (project / "content/files/plan.pdf").write_bytes(b"%PDF-1.4 fake")
    again = publish(project)
    assert "新增或删除" in again.stderr
    append(project, "policy/a.md", "\n附件：[实施方案](files/plan.pdf)\n")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST not in again.stdout and "附件" in again.stderr
    assert (project / "output/files/plan.pdf").read_bytes() == b"%PDF-1.4 fake"
    assert same_as_cold(project) == []


def test_templates_build_date_and_hand_edited_output_mean_a_complete_build(tmp_path):
    project = project_with(tmp_path)
    page = project / "output/policy/a.html"
    page.write_text(page.read_text(encoding="utf-8").replace("甲文件", "TAMPERED"), encoding="utf-8")
    append(project, "policy/b.md", "\n补充。\n")
    again = publish(project)
    assert "输出目录" in again.stderr and FAST not in again.stdout
    assert "TAMPERED" not in page.read_text(encoding="utf-8")

    append(project, "policy/b.md", "\n又补充。\n")
    later = str(int(os.environ.get("SOURCE_DATE_EPOCH", "1793505600")) + 86400 * 3)
    again = publish(project, epoch=later)
    assert "构建日期" in again.stderr and FAST not in again.stdout
    assert same_as_cold(project, epoch=later) == []

    theme = tmp_path / "theme"
    (project / "theme").unlink()
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "theme", theme)
    (project / "theme").symlink_to(theme)
    base = theme / "templates/base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</footer>", "<p>THEME-CHANGED</p></footer>", 1),
        encoding="utf-8",
    )
    append(project, "policy/b.md", "\n再又补充。\n")
    again = publish(project, epoch=later)
    assert FAST not in again.stdout and "主题" in again.stderr
    assert "THEME-CHANGED" in (project / "output/policy/a.html").read_text(encoding="utf-8")


def test_a_data_column_edit_means_a_complete_build(tmp_path):
    from conftest import ROOT

    budget = (ROOT / "content/budget/2025-czj.yaml").read_text(encoding="utf-8")
    project = project_with(
        tmp_path,
        {
            "budget/2025-czj.yaml": budget,
            "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
        },
    )
    path = project / "content/budget/2025-czj.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST not in again.stdout and "不是只改了正文的条目" in again.stderr
    assert same_as_cold(project) == []


def test_entries_left_out_of_a_local_build_are_reported_again_by_fast_rebuilds(tmp_path):
    files = {
        "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
        "policy/broken.md": entry(
            title="写了一半的草稿", date_published="2025-13-01", index_no="SL0000001/2025-07009"
        ),
    }
    project = make_project(tmp_path, files)
    first = run_cli(project, "build", "--output", "output", env_extra=EXPLAIN)
    assert first.returncode == 0, first.stderr
    warning = [line for line in first.stderr.splitlines() if line.startswith("content/policy/broken.md:")]
    assert warning
    append(project, "policy/a.md", "\n补充一句。\n")
    again = run_cli(project, "build", "--output", "output", env_extra=EXPLAIN)
    assert again.returncode == 0, again.stderr
    assert FAST in again.stdout and "1 个问题" in again.stdout
    assert [
        line for line in again.stderr.splitlines() if line.startswith("content/policy/broken.md:")
    ] == warning
    assert "有 1 个问题" in again.stderr
    noop = run_cli(project, "build", "--output", "output", env_extra=EXPLAIN)
    assert "有 1 个问题" in noop.stderr and "1 个问题" in noop.stdout
    # publish is strict (other settings, so a complete build): the same problem fails it
    strict = run_cli(project, "publish", "--output", "output", env_extra=EXPLAIN)
    assert strict.returncode == 1 and "content/policy/broken.md:" in strict.stderr


def two_bodies_edited(tmp_path):
    """A published project of four entries, its output's bytes, then two bodies edited (a fast
    rebuild replaces several files: two pages, their texts, some shards)."""
    files = {
        f"policy/{n}.md": long_entry(f"文件{n}", index_no=f"SL0000001/2025-072{n:02d}") for n in range(4)
    }
    project = project_with(tmp_path, files)
    saved = {n: (project / "output" / n).read_bytes() for n in tree(project / "output")}
    append(project, "policy/1.md", "\n补充甲。\n")
    append(project, "policy/2.md", "\n补充乙。\n")
    return project, saved


def test_a_fast_rebuild_that_fails_while_applying_leaves_the_output_as_it_was(tmp_path):
    project, saved = two_bodies_edited(tmp_path)
    # the disk fills up after the first file is renamed into place
    failed = publish_with_replace_hook(project, "raise OSError(28, 'No space left on device')")
    assert failed.returncode == 2 and "程序内部错误" in failed.stderr
    assert {n: (project / "output" / n).read_bytes() for n in tree(project / "output")} == saved
    assert not [p.name for p in project.iterdir() if p.name.startswith(".output.")]
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert "补充甲" in (project / "output/policy/1.html").read_text(encoding="utf-8")
    assert same_as_cold(project) == []


def publish_with_replace_hook(project, action: str):
    """`publish` with `action` run just after the first file of a fast rebuild is renamed into place."""
    import subprocess
    import sys

    driver = (
        "import os, sys\n"
        "from gongkai_build import staging\n"
        "real = staging.replace_files\n"
        "def hooked(target, part, moves, removals=(), between=None):\n"
        "    def hook(k):\n"
        "        if k == 1:\n"
        f"            {action}\n"
        "    return real(target, part, moves, removals, hook)\n"
        "staging.replace_files = hooked\n"
        "from gongkai_cli.main import main\n"
        "sys.exit(main(['publish', '--output', 'output']))\n"
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH="1793505600", PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-c", driver], cwd=project, env=env, capture_output=True, text=True
    )


def test_a_fast_rebuild_killed_while_renaming_is_undone_by_the_next_run(tmp_path):
    project, saved = two_bodies_edited(tmp_path)
    killed = publish_with_replace_hook(project, "os._exit(9)")
    assert killed.returncode == 9
    now = {n: (project / "output" / n).read_bytes() for n in tree(project / "output")}
    assert now != saved  # one page is new, the other still old: the journal names both
    from gongkai_build import staging

    staging.recover(project / "output")  # what the next run does first, holding the lock
    assert {n: (project / "output" / n).read_bytes() for n in tree(project / "output")} == saved
    assert not [p.name for p in project.iterdir() if p.name.startswith(".output.")]
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert "补充乙" in (project / "output/policy/2.html").read_text(encoding="utf-8")
    assert same_as_cold(project) == []


def test_a_theme_whose_entry_pages_list_other_entries_gets_them_rendered_again(tmp_path):
    import shutil

    from conftest import ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates/article.html"
    text = article.read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in text
    article.write_text(
        text.replace(
            marker, marker + "<ul>{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ul>", 1
        ),
        encoding="utf-8",
    )
    project = make_project(
        tmp_path,
        {
            "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
            "policy/b.md": long_entry("乙文件", index_no="SL0000001/2025-07002"),
        },
    )
    (project / "theme").unlink()
    (project / "theme").symlink_to(theme)
    assert publish(project).returncode == 0
    edit(project, "policy/a.md", "title: 甲文件", "title: 甲文件改名NEWTITLE")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert "NEWTITLE" in (project / "output/policy/b.html").read_text(encoding="utf-8")
    assert same_as_cold(project) == []


def test_a_second_build_waits_for_the_running_one(tmp_path):
    import fcntl
    import subprocess
    import sys
    import time

    project = project_with(tmp_path)
    append(project, "policy/a.md", "\n等待期间的修改。\n")
    folder = os.open(project, os.O_RDONLY)
    fcntl.flock(folder, fcntl.LOCK_EX)  # as a running build holds it
    try:
        env = dict(os.environ, SOURCE_DATE_EPOCH="1793505600", PYTHONHASHSEED="0")
        waiting = subprocess.Popen(
            [sys.executable, "-m", "gongkai_cli", "build", "--output", "output"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert waiting.poll() is None  # still waiting: it neither built nor removed anything
        assert "等待期间的修改" not in (project / "output/policy/a.html").read_text(encoding="utf-8")
    finally:
        os.close(folder)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "另一个构建正在" in err
    assert "等待期间的修改" in (project / "output/policy/a.html").read_text(encoding="utf-8")


def test_a_body_edit_of_a_document_with_a_interpretation_builds_completely(tmp_path):
    """Its page shows its 解读 (gongkai_core.policylinks), which a rebuild of the document alone would
    not read: the complete build runs, and the page keeps its link."""
    files = {
        "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
        "interpretation/qa.md": long_entry(
            "甲文件的解读",
            index_no="SL0000001/2025-07011",
            column="interpretation",
            extra="interprets: SL0000001/2025-07001",
        ),
    }
    project = project_with(tmp_path, files)
    append(project, "policy/a.md", "\n\n补充一段。\n")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert FAST not in again.stdout + again.stderr
    page = (project / "output" / "policy" / "a.html").read_text(encoding="utf-8")
    assert "补充一段。" in page and "甲文件的解读" in page and "../interpretation/qa.html" in page
    assert same_as_cold(project) == []


def test_a_title_edit_of_a_linked_entry_renders_the_pages_that_show_its_links(tmp_path):
    """An entry page shows the titles of the entries it links to (article.gk_links): that is in its
    page key, so the document's page is rendered again when its 解读 is renamed; an unrelated page is not."""
    files = {
        "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
        "policy/b.md": long_entry("乙文件", index_no="SL0000001/2025-07002"),
        "interpretation/qa.md": long_entry(
            "甲文件的解读",
            index_no="SL0000001/2025-07011",
            column="interpretation",
            extra="interprets: SL0000001/2025-07001",
        ),
    }
    project = project_with(tmp_path, files)
    edit(project, "interpretation/qa.md", "title: 甲文件的解读", "title: 甲文件的解读RENAMED")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert "其中 1 个条目网页无需重新生成" in again.stdout  # policy/b.html only
    assert "甲文件的解读RENAMED" in (project / "output/policy/a.html").read_text(encoding="utf-8")
    assert same_as_cold(project) == []


def test_a_touch_build_renders_every_page_again_when_a_title_changes_its_keyboard(tmp_path):
    """The kiosk's keyboard (GONGKAI_TOUCH) on every page is made of every shown title: a renamed entry
    changes the other pages too, and no rebuild of one entry alone may make it from that title only."""
    project = make_project(
        tmp_path,
        {
            "policy/a.md": long_entry("甲文件", index_no="SL0000001/2025-07001"),
            "policy/b.md": long_entry("乙文件", index_no="SL0000001/2025-07002"),
            "policy/c.md": long_entry("丙文件", index_no="SL0000001/2025-07003"),
        },
    )
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as fh:
        fh.write("\nGONGKAI_TOUCH = True\n")
    assert publish(project).returncode == 0
    edit(project, "policy/a.md", "title: 甲文件", "title: 甲文件鑫")
    again = publish(project)
    assert again.returncode == 0, again.stderr
    assert "无需重新生成" not in again.stdout  # not one entry page linked from the previous output
    assert "鑫" in (project / "output/policy/b.html").read_text(encoding="utf-8")
    assert same_as_cold(project) == []
    append(project, "policy/b.md", "\n补充一段。\n")
    body_only = publish(project)
    assert body_only.returncode == 0, body_only.stderr
    assert FAST not in body_only.stdout and "触摸屏模式（GONGKAI_TOUCH）" in body_only.stderr
    assert "其中 2 个条目网页无需重新生成" in body_only.stdout  # same titles, same keyboard: a and c linked
    assert same_as_cold(project) == []
