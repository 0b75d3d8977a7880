"""Kiosk mirrors of the demo site: `mirror DEST`, `verify DEST`, `zim OUT` as an operator runs them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import bagit
import pytest

from conftest import EPOCH, ROOT, make_project, run_cli
from gongkai_core.links import check_links

SITE_NAME = "示例县人民政府信息公开"
FARMLAND = "policy/2025-farmland-protection.html"
FIRE = "content/policy/2025-fire-safety.md"


def demo_project(base: Path) -> Path:
    """The demo content in a throwaway project that is its own git repository."""
    project = make_project(base, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    (project / "theme").unlink()  # a copy: mirrors compared across runs must not see a theme edited meanwhile
    shutil.copytree(ROOT / "theme", project / "theme")
    git = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(git + ["add", "content", "pelicanconf.py", "publishconf.py"], cwd=project, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "demo"], cwd=project, check=True)
    return project


def snapshot(dest: Path) -> dict[str, tuple[int, int]]:
    """data/ path -> (inode, mtime_ns) of every payload file."""
    return {
        p.relative_to(dest).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted((dest / "data").rglob("*"))
        if p.is_file()
    }


def manifest_paths(dest: Path) -> set[str]:
    lines = (dest / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    return {line.split(None, 1)[1] for line in lines}


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    base = tmp_path_factory.mktemp("kiosk")
    project = demo_project(base)
    dest = base / "usb" / "gongkai"
    result = run_cli(project, "mirror", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    return project, dest, result


def test_mirror_is_a_bagit_bag_with_site_name_build_date_and_commit(kiosk):
    project, dest, result = kiosk
    assert "镜像已更新" in result.stdout
    bag = bagit.Bag(str(dest))
    bag.validate()  # an independent BagIt validator agrees, every file re-hashed
    assert bag.algorithms == ["sha256"]
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout.strip()
    assert bag.info["Gongkai-Site-Name"] == SITE_NAME
    assert bag.info["Gongkai-Build-Date"] == "2026-11-01"
    assert len(commit) == 40
    assert bag.info["Gongkai-Source-Commit"] == commit
    assert {
        "data/index.html",
        f"data/{FARMLAND}",
        "data/files/2025-farmland-protection.pdf",
        "data/search.html",
    } <= manifest_paths(dest)
    # published attachments only: the gate decides what a kiosk gets, as for the web site
    assert not (dest / "data/policy/2025-draft-parking.html").exists()


def test_every_link_of_every_page_resolves_inside_the_mirror(kiosk):
    _, dest, _ = kiosk
    report = check_links(dest / "data")
    assert report.pages >= 40
    assert report.broken == [], "\n".join(map(str, report.broken))
    landing = check_links(dest)  # the landing page above data/ leads into the site
    assert landing.broken == []
    for page in (dest / "data").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'href="/' not in text and 'src="/' not in text and "fetch(" not in text, page


def test_links_to_the_public_web_address_become_local(tmp_path):
    body = "详见[火灾防控通知](https://gongkai.example.gov.cn/policy/2025-fire-safety.html)。"
    project = demo_project(tmp_path)
    target = project / "content/policy/2025-farmland-protection.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n" + body + "\n", encoding="utf-8")
    dest = tmp_path / "m"
    result = run_cli(
        project, "mirror", str(dest), env_extra={"GONGKAI_SITEURL": "https://gongkai.example.gov.cn"}
    )
    assert result.returncode == 0, result.stderr
    page = (dest / "data" / FARMLAND).read_text(encoding="utf-8")
    assert '<a href="2025-fire-safety.html" rel="noopener noreferrer">火灾防控通知</a>' in page
    files = [p for p in (dest / "data").rglob("*") if p.is_file()]
    assert [p for p in files if b"gongkai.example.gov.cn" in p.read_bytes()] == []


def test_verify_passes_then_names_each_modified_missing_and_extra_file(kiosk, tmp_path):
    _, original, _ = kiosk
    ok = run_cli(ROOT, "verify", str(original))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"校验通过：{original} 共 ")
    assert f"（{SITE_NAME}，构建日期 2026-11-01，源码提交 " in ok.stdout

    dest = tmp_path / "copy"
    shutil.copytree(original, dest)
    page = dest / "data" / FARMLAND
    page.write_bytes(page.read_bytes().replace("耕地".encode(), "林地".encode(), 1))  # same size
    (dest / "data/files/2025-farmland-protection.pdf").unlink()
    (dest / "data/policy/extra.html").write_text("<p>多出的页面</p>", encoding="utf-8")
    bad = run_cli(ROOT, "verify", str(dest))
    assert bad.returncode == 1
    lines = bad.stderr.splitlines()
    assert "缺少文件：data/files/2025-farmland-protection.pdf" in lines
    assert any(line.startswith(f"文件被修改：data/{FARMLAND}（SHA-256 应为 ") for line in lines)
    assert "多出文件：data/policy/extra.html（不在校验清单中）" in lines
    # the farmland page links to the deleted attachment: said under the missing file, not on its own
    at = lines.index("缺少文件：data/files/2025-farmland-protection.pdf")
    assert lines[at + 1] == "  因此失效的链接 1 个（在 1 个页面中）："
    assert lines[at + 2].startswith(f"    data/{FARMLAND} 第 ")
    assert lines[at + 2].endswith("行：../files/2025-farmland-protection.pdf（文件不存在）")
    assert not [line for line in lines if line.startswith("链接失效：")]
    assert lines[-1] == (
        "校验未通过：缺少 1 个，被修改 1 个，多出 1 个，结构错误 0 个，失效链接 1 个"
        "（其中 1 个是上面缺少或被修改的文件造成的）。请勿使用此镜像，处理办法见 docs/kiosk.md。"
    )


def test_verify_puts_the_missing_file_first_and_its_broken_links_under_it(kiosk, tmp_path):
    """One deleted page that every page links to: one problem, its links counted under it, not
    dozens of top-level link errors burying it."""
    _, original, _ = kiosk
    dest = tmp_path / "copy"
    shutil.copytree(original, dest)
    assert check_links(dest / "data").broken == []
    (dest / "data/index.html").unlink()
    bad = run_cli(ROOT, "verify", str(dest))
    assert bad.returncode == 1
    lines = bad.stderr.splitlines()
    broken = check_links(dest / "data").broken
    pages = len({b.page for b in broken})
    assert len(broken) > 20  # the header of every page links home
    assert lines[0] == "缺少文件：data/index.html"
    assert lines[1] == f"  因此失效的链接 {len(broken)} 个（在 {pages} 个页面中），例如："
    assert all(line.startswith("    data/") and line.endswith("（文件不存在）") for line in lines[2:5])
    assert lines[5] == f"    ……另有 {len(broken) - 3} 个"
    assert lines[6:] == [
        f"校验未通过：缺少 1 个，被修改 0 个，多出 0 个，结构错误 0 个，失效链接 {len(broken)} 个"
        f"（其中 {len(broken)} 个是上面缺少或被修改的文件造成的）。请勿使用此镜像，处理办法见 docs/kiosk.md。"
    ]


def test_verify_of_a_folder_that_is_no_mirror_fails(tmp_path):
    (tmp_path / "x").mkdir()
    result = run_cli(ROOT, "verify", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "缺少文件：bagit.txt（档案包清单文件）" in result.stderr


def _edit_fire_notice(project: Path, new_title: str) -> None:
    path = project / FIRE
    text = path.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(old_title, f"title: {new_title}", 1), encoding="utf-8")


def test_second_mirror_writes_only_changed_files_and_removes_vanished_ones(tmp_path):
    project = demo_project(tmp_path)
    dest = tmp_path / "m"
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    first = snapshot(dest)

    again = run_cli(project, "mirror", str(dest))
    assert again.returncode == 0, again.stderr
    assert "新写入 0 个" in again.stdout and "删除 0 个" in again.stdout
    assert snapshot(dest) == first  # nothing changed: every file the same inode and mtime

    _edit_fire_notice(project, "示例县人民政府办公室关于开展冬春火灾防控工作的通知（修订）")
    (project / "content/policy/2025-elderly-meal.md").unlink()
    third = run_cli(project, "mirror", str(dest))
    assert third.returncode == 0, third.stderr
    after = snapshot(dest)
    changed = {rel for rel in after if rel in first and after[rel] != first[rel]}
    kept = {rel for rel in after if rel in first and after[rel] == first[rel]}
    # the page and a list showing its title (the home page lists only the newest policies, no longer this one)
    assert "data/policy/2025-fire-safety.html" in changed and "data/policy/index.html" in changed
    assert {
        "data/theme/css/site.css",
        "data/files/2025-farmland-protection.pdf",
        "data/pages/about.html",
        "data/budget/2025-czj.html",
        "data/search/tokenizer.js",
    } <= kept
    assert len(changed) < len(kept)
    assert "data/policy/2025-elderly-meal.html" in first and "data/policy/2025-elderly-meal.html" not in after
    assert f"删除 {len(set(first) - set(after))} 个" in third.stdout
    assert manifest_paths(dest) == set(after)
    bagit.Bag(str(dest)).validate()
    assert "（修订）" in (dest / "data/policy/2025-fire-safety.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".m")) == []


@pytest.mark.parametrize("stage", ["staging", "bagged"])
def test_update_killed_midway_leaves_the_old_mirror_complete(tmp_path, stage):
    project = demo_project(tmp_path)
    dest = tmp_path / "m"
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    before = snapshot(dest)
    manifest = (dest / "manifest-sha256.txt").read_bytes()
    _edit_fire_notice(project, "KILLED7Q 火灾防控通知")

    marker = tmp_path / "paused"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, GONGKAI_MIRROR_PAUSE=f"{stage}:{marker}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "mirror", str(dest)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):  # wait (up to 2 minutes) for the update to reach the stage
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the update never reached the pause point"
        assert [p.is_dir() for p in tmp_path.glob(".m.new-*")] == [
            True
        ]  # half an update lies beside the mirror
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    assert snapshot(dest) == before
    assert (dest / "manifest-sha256.txt").read_bytes() == manifest
    check = run_cli(ROOT, "verify", str(dest))
    assert check.returncode == 0, check.stderr
    assert "KILLED7Q" not in (dest / "data/policy/2025-fire-safety.html").read_text(encoding="utf-8")

    resumed = run_cli(project, "mirror", str(dest))  # the next run cleans up and completes
    assert resumed.returncode == 0, resumed.stderr
    assert "KILLED7Q" in (dest / "data/policy/2025-fire-safety.html").read_text(encoding="utf-8")
    assert run_cli(ROOT, "verify", str(dest)).returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.")] == []


def test_swap_by_two_renames_killed_between_them_is_reported_and_recovered(tmp_path):
    """Disks without an atomic directory swap (FAT, exFAT) rename twice; a kill in between leaves
    no DEST but the old mirror beside it: verify says so, the next mirror run restores and finishes."""
    project = demo_project(tmp_path)
    dest = tmp_path / "m"
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    before = snapshot(dest)
    _edit_fire_notice(project, "SWAP7Q 火灾防控通知")
    marker = tmp_path / "paused"
    env = dict(
        os.environ,
        SOURCE_DATE_EPOCH=EPOCH,
        GONGKAI_MIRROR_PAUSE=f"swapping:{marker}",
        GONGKAI_NO_EXCHANGE="1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "mirror", str(dest)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the update never reached the pause point"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    assert not dest.exists() and (tmp_path / ".m.old").is_dir()
    check = run_cli(ROOT, "verify", str(dest))
    assert check.returncode == 1
    assert check.stderr.splitlines() == [
        f"镜像目录 {dest} 不存在：上次更新在替换目录时被中断，旧镜像保存在 {tmp_path / '.m.old'}。",
        "再运行一次 invoke mirror 即可恢复并完成更新。",
    ]
    resumed = run_cli(project, "mirror", str(dest), env_extra={"GONGKAI_NO_EXCHANGE": "1"})
    assert resumed.returncode == 0, resumed.stderr
    after = snapshot(dest)
    assert after["data/pages/about.html"] == before["data/pages/about.html"]  # still incremental
    assert "SWAP7Q" in (dest / "data/policy/2025-fire-safety.html").read_text(encoding="utf-8")
    assert run_cli(ROOT, "verify", str(dest)).returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.")] == []


def test_mirror_repairs_a_tampered_copy_and_refuses_bad_content(tmp_path):
    project = demo_project(tmp_path)
    dest = tmp_path / "m"
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    page = dest / "data" / FARMLAND
    good = page.read_bytes()
    page.write_bytes(good.replace("耕地".encode(), "林地".encode(), 1))
    (dest / "data/extra.html").write_text("<p>多出</p>", encoding="utf-8")
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    assert page.read_bytes() == good and not (dest / "data/extra.html").exists()
    assert run_cli(ROOT, "verify", str(dest)).returncode == 0

    before = snapshot(dest)
    bad = project / "content/policy/2025-fire-safety.md"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("date_written: ", "date_written: 2025-02-30 #", 1),
        encoding="utf-8",
    )
    failed = run_cli(project, "mirror", str(dest))
    assert failed.returncode == 1
    assert "content/policy/2025-fire-safety.md:" in failed.stderr and "(date_written)" in failed.stderr
    assert "镜像未更新，原有镜像未改动。" in failed.stderr
    assert snapshot(dest) == before
    assert run_cli(ROOT, "verify", str(dest)).returncode == 0


def test_mirror_with_a_broken_link_is_refused_and_the_old_one_kept(tmp_path):
    project = demo_project(tmp_path)
    dest = tmp_path / "m"
    assert run_cli(project, "mirror", str(dest)).returncode == 0
    before = snapshot(dest)
    roads = project / "content/policy/2025-rural-roads.md"
    roads.write_text(
        roads.read_text(encoding="utf-8") + "\n另见[旧文件](2018-gone.html)。\n", encoding="utf-8"
    )
    result = run_cli(project, "mirror", str(dest))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "镜像中有失效链接，镜像未更新（原有镜像未改动）：",
        "链接失效：data/policy/2025-rural-roads.html: 2018-gone.html（文件不存在）",
    ]
    assert snapshot(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".m")) == []


def test_mirror_refuses_a_folder_with_other_files(tmp_path):
    project = make_project(tmp_path, {})
    dest = tmp_path / "photos"
    dest.mkdir()
    (dest / "a.jpg").write_bytes(b"jpg")
    result = run_cli(project, "mirror", str(dest))
    assert result.returncode == 1
    assert "不是空目录，也不是 Gongkai 镜像（没有 bagit.txt）" in result.stderr
    assert (dest / "a.jpg").read_bytes() == b"jpg"


def test_zim_export_has_title_language_main_page_pages_and_attachments(kiosk, tmp_path):
    from libzim.reader import Archive

    project, dest, _ = kiosk
    out = tmp_path / "gongkai.zim"
    result = run_cli(project, "zim", str(out), "--from", str(dest))
    assert result.returncode == 0, result.stderr
    zim = Archive(out)
    assert bytes(zim.get_metadata("Title")).decode() == SITE_NAME
    assert bytes(zim.get_metadata("Language")).decode() == "zho"
    assert zim.main_entry.get_item().path == "index.html"
    page = zim.get_entry_by_path(FARMLAND).get_item()
    assert page.mimetype == "text/html"
    assert "耕地" in bytes(page.content).decode("utf-8")
    pdf = zim.get_entry_by_path("files/2025-farmland-protection.pdf").get_item()
    assert pdf.mimetype == "application/pdf"
    assert bytes(pdf.content) == (dest / "data/files/2025-farmland-protection.pdf").read_bytes()
    assert zim.get_entry_by_path("search/meta.js").get_item().mimetype == "application/javascript"
