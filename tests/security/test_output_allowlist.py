"""Only what the gate published can leave the repository (issue 15, deliverable 1).

Every case is hostile content next to a published entry and a draft whose text is a canary. Each
test asserts what the user sees: `check` and `publish` exit 1 naming the file (and line), the
previous public site is byte for byte as it was, and no output byte carries the canary — also
from the lenient local `build`, which leaves the offending entries out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import BuiltSite, entry, make_project, run_cli, write_content

CANARY = "CANARYXQZ"
DRAFT = entry(
    title=f"内部草稿{CANARY}",
    body=f"{CANARY} 草稿正文",
    status="draft",
    secrecy="pending",
    secrecy_on=None,
    approved=None,
)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def published_project(tmp_path: Path, name: str = "site") -> Path:
    """A project with one published entry, one draft (the canary), an attachment, and a public
    site already built — what a later hostile change must not alter or leak into."""
    project = make_project(
        tmp_path / name,
        {
            "policy/ok.md": entry(title="示例县公开的通知", body="正文。"),
            "policy/draft.md": DRAFT,
            "files/table.pdf": b"%PDF-1.4\n% table\n",
        },
    )
    (project / "secret-outside.md").write_text(DRAFT, encoding="utf-8")
    first = run_cli(project, "publish", "--output", "output")
    assert first.returncode == 0, first.stderr
    return project


write = write_content


def assert_refused(project: Path, before: dict[str, str], *needles: str) -> None:
    """check and publish fail naming the problem; the public site is untouched; build leaks nothing."""
    check = run_cli(project, "check")
    assert check.returncode == 1, check.stdout + check.stderr
    shown = check.stdout + check.stderr
    for needle in needles:
        assert needle in shown, shown
    assert "Traceback" not in shown
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 1, publish.stdout + publish.stderr
    assert "原有网站内容未改动" in publish.stderr
    assert "Traceback" not in publish.stderr and "内部错误" not in publish.stderr
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output.*")), "a staging folder was left behind"
    local = run_cli(project, "build", "--output", "local")
    assert local.returncode == 0, local.stderr
    site = BuiltSite(project, project / "local", 0, "", "")
    assert site.exists("policy/ok.html")
    assert site.leaks(CANARY) == []


# ---- files that Pelican's own readers would take ----------------------------------------------------

FOREIGN = [
    "policy/leak.html",
    "policy/leak2.htm",
    "policy/leak.rst",
    "policy/leak.mkd",
    "policy/leak.mdown",
    "pages/leak.html",
    "leak.rst",
    "budget/leak.txt",
    "policy/LEAK3.HTML",
    "policy/leak4",
]


def test_files_for_other_readers_are_refused_and_never_read(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    html = (
        f"<html><head><title>{CANARY}</title><meta name='date' content='2025-01-01'>"
        f"<meta name='slug' content='leak'></head><body>{CANARY}</body></html>"
    )
    rst = f"{CANARY}\n#########\n\n:date: 2025-01-01\n:slug: leak\n\n{CANARY} body\n"
    md = f"Title: {CANARY}\nDate: 2025-01-01\n\n{CANARY}\n"
    for name in FOREIGN:
        suffix = Path(name).suffix.lower()
        write(project, name, html if suffix in (".html", ".htm") else rst if suffix == ".rst" else md)
    assert_refused(project, before, "不认识的文件类型", *(f"content/{name}:1:" for name in FOREIGN))


# ---- body links and attachment paths ----------------------------------------------------------------

BODY_LINKS = [
    "[附件](files/../policy/draft.md)",
    "[附件](./files/../policy/draft.md)",
    "[附件](files/%2e%2e/policy/draft.md)",
    "[附件](files/..%2fpolicy%2fdraft.md)",
    "[附件](<files/../policy/draft.md>)",
    '<a href="files/../policy/draft.md">附件</a>',
    "<img src=files/../policy/draft.md alt=x>",
    "[附件][1]\n\n[1]: files/../policy/draft.md",
    "[附件](files/../../secret-outside.md)",
    "[附件](files/.hidden.pdf)",
    "[附件](files/page.html)",
    "[附件](files/picture.svg)",
    "[附件](files/hard.txt)",
]


def hostile_files(project: Path) -> None:
    write(project, "files/.hidden.pdf", f"%PDF {CANARY}")
    write(project, "files/page.html", f"<script>alert('{CANARY}')</script>")
    write(
        project,
        "files/picture.svg",
        f"<svg xmlns='http://www.w3.org/2000/svg'><script>{CANARY}</script></svg>",
    )
    os.symlink(project / "content/policy/draft.md", project / "content/files/link.pdf")
    os.symlink(project / "content/policy", project / "content/files/dirlink")
    os.link(project / "content/policy/draft.md", project / "content/files/hard.txt")


def test_body_links_reach_only_regular_files_of_allowed_types_under_files(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    hostile_files(project)
    for i, link in enumerate(BODY_LINKS):
        write(project, f"policy/linker{i}.md", entry(title=f"引用附件的通知{i}", body=f"请见：\n\n{link}\n"))
    assert_refused(
        project, before, "不能发布", *(f"content/policy/linker{i}.md:" for i in range(len(BODY_LINKS)))
    )


ATTACHMENT_PATHS = [
    "policy/draft.md",
    "files/../policy/draft.md",
    "../secret-outside.md",
    "/etc/passwd",
    "files/page.html",
    "files/picture.svg",
    "files\\\\..\\\\policy\\\\draft.md",
    "files/link.pdf",
    "files/dirlink/draft.md",
    "files/",
    "./files/table.pdf",
    "files/%2e%2e/policy/draft.md",
    "files/hard.txt",
]


def test_attachments_are_regular_files_under_files_never_links_or_other_places(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    hostile_files(project)
    for i, path in enumerate(ATTACHMENT_PATHS):
        write(
            project,
            f"policy/attacher{i}.md",
            entry(title=f"带附件的通知{i}", extra=f'attachments:\n  - file: "{path}"\n    title: 附件一'),
        )
    assert_refused(
        project, before, *(f"content/policy/attacher{i}.md:" for i in range(len(ATTACHMENT_PATHS)))
    )


# ---- Pelican's link syntax ------------------------------------------------------------------------

PELICAN_LINKS = [
    "[草稿]({static}/policy/draft.md)",
    "[草稿]({attach}../policy/draft.md)",
    "[草稿]({filename}draft.md)",
    '<a href="{static}/policy/draft.md">草稿</a>',
    "[草稿](|filename|draft.md)",
    "[草稿](|static|/policy/draft.md)",
    "[草稿]({STATIC}/policy/draft.md)",
]


def test_pelican_link_syntax_is_refused_with_file_and_line(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    needles = []
    for i, text in enumerate(PELICAN_LINKS):
        path = write(
            project, f"policy/linker{i}.md", entry(title=f"引用草稿的通知{i}", body=f"第一段。\n\n{text}\n")
        )
        line = path.read_text(encoding="utf-8").split("\n").index(text) + 1
        needles.append(f"content/policy/linker{i}.md:{line}:")
    write(
        project,
        "policy/summary.md",
        entry(title="引用草稿的概述", extra="summary: 见 {static}/policy/draft.md"),
    )
    assert_refused(project, before, "Pelican 的链接写法", "content/policy/summary.md:", *needles)


# ---- symbolic links -------------------------------------------------------------------------------


def test_symbolic_links_in_content_are_refused(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    outside = project / "secret-outside.md"
    os.symlink(outside, project / "content/policy/linked.md")
    (project / "outside-folder").mkdir()
    shutil.copy(outside, project / "outside-folder/secret.md")
    os.symlink(project / "outside-folder", project / "content/policy/more")
    (project / "content/pages").mkdir(exist_ok=True)
    os.symlink(outside, project / "content/pages/linked.md")
    os.symlink(project / "content/policy", project / "content/files/docs")
    assert_refused(
        project,
        before,
        "符号链接",
        "content/policy/linked.md:1:",
        "content/policy/more:1:",
        "content/pages/linked.md:1:",
        "content/files/docs:1:",
    )


# ---- names that climb out of their folder or take a generated page's place -------------------------

SLUGS = [
    "../../escaped",
    "..",
    "a/b",
    "/tmp/escaped",
    "a\\\\b",
    ".hidden",
    "a b",
    "%2e%2e%2fescaped",
    "index?x",
    "ａｂｃ",
]


def test_page_slugs_stay_in_their_folder(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    for i, slug in enumerate(SLUGS):
        write(project, f"pages/evil{i}.md", f'---\ntitle: 坏页面{CANARY}\nslug: "{slug}"\n---\n{CANARY}\n')
    assert_refused(project, before, "网址名", *(f"content/pages/evil{i}.md:3:" for i in range(len(SLUGS))))
    assert not list(tmp_path.rglob("escaped*"))


ENTRY_NAMES = [
    "policy/index.md",
    "policy/index2.md",
    "policy/INDEX.md",
    "land/places.md",
    "policy/a&b.md",
    "policy/a b.md",
    "policy/x#y.md",
]


def test_entry_names_that_cannot_be_addresses_are_refused(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    for name in ENTRY_NAMES:
        write(project, name, entry(title="名字有问题的条目", column=name.split("/")[0]))
    source = (Path(__file__).resolve().parents[2] / "content/sangong/2025-czj.yaml").read_text(
        encoding="utf-8"
    )
    write(project, "sangong/2025.yaml", source)
    assert_refused(
        project,
        before,
        "文件名",
        "自动生成的页面",
        "content/sangong/2025.yaml:1:",
        *(f"content/{name}:1:" for name in ENTRY_NAMES),
    )


# ---- the last step: the finished tree against the plan ---------------------------------------------


LEAKY_PLUGIN = """
import shutil
from pathlib import Path
from pelican import signals

def leak(pelican):
    out = Path(pelican.settings["OUTPUT_PATH"])
    content = Path(pelican.settings["PATH"])
    for target in {targets!r}:
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(content / "policy" / "draft.md", out / target)

def register():
    signals.finalized.connect(leak)
"""


LEAK_TARGETS = ["policy/draft.md", "files/draft.txt", "search/draft.txt", "theme/draft.md"]


def test_a_file_no_published_entry_declared_fails_the_build_before_the_swap(tmp_path):
    """Whatever puts it there (here a third-party plugin), a file outside the plan is never published."""
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    (project / "extra_plugins" / "leaky").mkdir(parents=True)
    (project / "extra_plugins" / "leaky" / "__init__.py").write_text(
        LEAKY_PLUGIN.format(targets=LEAK_TARGETS)
    )
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write('\nPLUGIN_PATHS = PLUGIN_PATHS + ["extra_plugins"]\nPLUGINS = PLUGINS + ["leaky"]\n')
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 1, publish.stdout + publish.stderr
    assert "不在发布清单上" in publish.stderr
    for target in LEAK_TARGETS:
        assert target in publish.stderr
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output.*"))


def test_settings_that_copy_content_wholesale_are_refused(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    with open(project / "publishconf.py", "a", encoding="utf-8") as fh:
        fh.write('\nSTATIC_PATHS = ["policy"]\n')
    publish = run_cli(project, "publish", "--output", "output")
    assert publish.returncode == 1
    assert "STATIC_PATHS" in publish.stderr and "Traceback" not in publish.stderr
    assert tree_digest(project / "output") == before


# ---- control characters ---------------------------------------------------------------------------


CONTROL_TITLES = [
    '"示例\\x1b[2J通知"',
    '"示例\\u202e通知"',
    '"示例\\x00通知"',
    '"示例\\x07通知"',
    '"示例\\x85通知"',
]


def test_control_characters_in_metadata_are_refused_not_crashing(tmp_path):
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    for i, value in enumerate(CONTROL_TITLES):
        write(project, f"policy/ctrl{i}.md", entry(title=value))
    assert_refused(
        project, before, "控制字符", *(f"content/policy/ctrl{i}.md:2:" for i in range(len(CONTROL_TITLES)))
    )


def test_control_characters_in_a_column_table_are_refused(tmp_path):
    project = published_project(tmp_path)
    source = (Path(__file__).resolve().parents[2] / "content/budget/2025-czj.yaml").read_text(
        encoding="utf-8"
    )
    lines = source.split("\n")
    i = next(i for i, line in enumerate(lines) if "name: 一般公共服务支出" in line)
    lines[i] = lines[i].replace("name: 一般公共服务支出", 'name: "一般\\x1b]0;公共服务支出"')
    write(project, "budget/2025-ctrl.yaml", "\n".join(lines).replace("2025-0", "2025-9"))
    check = run_cli(project, "check")
    assert check.returncode == 1
    assert f"content/budget/2025-ctrl.yaml:{i + 1}:" in check.stdout + check.stderr
    assert "\x1b" not in check.stdout + check.stderr


# ---- the published tree as a web server sees it ------------------------------------------------------


@pytest.mark.parametrize("umask,dirs,files", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_output_permissions_follow_the_umask(tmp_path, umask, dirs, files):
    project = make_project(
        tmp_path,
        {
            "policy/ok.md": entry(
                title="示例县公开的通知", extra="attachments:\n  - file: files/t.pdf\n    title: 表"
            ),
            "files/t.pdf": b"%PDF-1.4\n",
        },
    )
    script = (
        f"import os, sys, runpy; os.umask({umask}); sys.argv = ['gongkai_cli', 'publish', '--output', 'output'];"
        "runpy.run_module('gongkai_cli', run_name='__main__')"
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH="1793505600")
    for _ in range(2):  # a first build and a rebuild over it
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        out = project / "output"
        for path in [out, *out.rglob("*")]:
            mode = path.stat().st_mode & 0o777
            assert mode == (dirs if path.is_dir() else files), (path, oct(mode))


def test_a_full_disk_is_a_chinese_message_naming_the_folder_and_leaves_nothing(tmp_path):
    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0
    ):
        pytest.fail("unshare（util-linux）不可用：无法在测试中模拟磁盘已满")
    project = make_project(
        tmp_path,
        {
            "policy/ok.md": entry(
                title="示例县公开的通知", extra="attachments:\n  - file: files/big.pdf\n    title: 表"
            ),
            "files/big.pdf": b"%PDF-1.4\n" + b"% padding line\n" * 220_000,
        },
    )
    disk = tmp_path / "small-disk"
    disk.mkdir()
    script = textwrap.dedent(f"""\
        mount -t tmpfs -o size=2m tmpfs {disk} || exit 99
        SOURCE_DATE_EPOCH=1793505600 {sys.executable} -m gongkai_cli publish --output {disk}/output
        code=$?
        ls -A {disk} > {tmp_path}/left.txt
        exit $code
        """)
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "磁盘空间不足" in done.stderr and str(disk) in done.stderr
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert (tmp_path / "left.txt").read_text().split() == []


DISGUISED = [
    ("files/report.pdf", b"<html><body><script>alert(1)</script></body></html>"),
    ("files/photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("files/photo.png", b"GIF89a<script>alert(1)</script>"),
    ("files/notes.txt", b"\n  <!DOCTYPE html><script>alert(1)</script>"),
    (
        "files/table.csv",
        b"a,b\n<?xml version='1.0'?><x:script xmlns:x='http://www.w3.org/1999/xhtml'>1</x:script>",
    ),
    ("files/sheet.xlsx", b"<html>not a spreadsheet</html>"),
    ("files/old.docx", b"%PDF-1.4 a pdf named .docx"),
    ("files/pic.webp", b"RIFF\x00\x00\x00\x00WAVEfmt "),
]


def test_attachment_bytes_must_be_of_their_type(tmp_path):
    """A page or script renamed to an allowed suffix is still a page or script: refused by its bytes."""
    project = published_project(tmp_path)
    before = tree_digest(project / "output")
    for i, (name, data) in enumerate(DISGUISED):
        write(project, name, data)
        write(
            project,
            f"policy/attacher{i}.md",
            entry(title=f"带附件的通知{i}", extra=f"attachments:\n  - file: {name}\n    title: 附件一"),
        )
    assert_refused(
        project, before, "不符", *(f"content/policy/attacher{i}.md:" for i in range(len(DISGUISED)))
    )


def test_attachments_of_each_allowed_type_are_published(tmp_path):
    files = {
        "files/a.pdf": b"%PDF-1.7\n%\xe2\xe3\n",
        "files/b.png": b"\x89PNG\r\n\x1a\n\x00",
        "files/c.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
        "files/d.gif": b"GIF89a\x01\x00",
        "files/e.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ",
        "files/f.csv": "项目,金额\n办公费,12.5\n".encode(),
        "files/g.txt": "示例县公开说明。\n".encode("gb18030"),
    }
    listed = "\n".join(f"  - file: {name}\n    title: 附件{i}" for i, name in enumerate(files))
    project = make_project(
        tmp_path, {**files, "policy/ok.md": entry(title="附件齐全的通知", extra="attachments:\n" + listed)}
    )
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 0, done.stderr
    for name, data in files.items():
        assert (project / "output" / name).read_bytes() == data
