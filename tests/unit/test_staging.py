"""gongkai_build.staging: a target is replaced whole or not at all, a killed run is undone by the
next, runs on one folder take turns, and what is made beside the target has the umask's mode."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest

from gongkai_build import staging


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a folder)."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "output"
    (target / "policy").mkdir(parents=True)
    (target / "index.html").write_text("旧首页", encoding="utf-8")
    (target / "policy" / "a.html").write_bytes(b"old page\x00\xff")
    return target


@pytest.fixture(params=["exchange", "two renames"])
def way(request, monkeypatch) -> str:
    """Both ways of swapping: renameat2 where the file system has it, and the FAT fallback."""
    if request.param == "two renames":
        monkeypatch.setenv(staging.NO_EXCHANGE_ENV, "1")
    else:
        monkeypatch.delenv(staging.NO_EXCHANGE_ENV, raising=False)
    return request.param


def test_a_complete_staging_folder_replaces_the_target_and_nothing_is_left_beside_it(site, way):
    with staging.staged(site) as folder:
        assert folder.parent == site.parent and folder.name.startswith(".output.new-")
        (folder / "index.html").write_text("新首页", encoding="utf-8")
    assert tree(site) == {"index.html": "新首页".encode()}
    assert siblings(site) == []


def test_a_target_that_does_not_exist_yet_is_made(tmp_path, way):
    target = tmp_path / "m"
    with staging.staged(target) as folder:
        (folder / "bagit.txt").write_text("x", encoding="utf-8")
    assert tree(target) == {"bagit.txt": b"x"}
    assert siblings(target) == []


@pytest.mark.parametrize(
    "failure", [RuntimeError("构建失败"), KeyboardInterrupt(), OSError(errno.ENOSPC, "full")]
)
def test_a_failure_inside_the_block_leaves_the_target_byte_identical_and_nothing_beside_it(
    site, way, failure
):
    before = tree(site)
    inode = site.stat().st_ino
    with pytest.raises(type(failure)):
        with staging.staged(site) as folder:
            (folder / "index.html").write_text("半成品", encoding="utf-8")
            raise failure
    assert tree(site) == before and site.stat().st_ino == inode
    assert siblings(site) == []


def test_the_two_renames_go_through_dot_old_when_the_disk_cannot_exchange(site, monkeypatch):
    monkeypatch.setenv(staging.NO_EXCHANGE_ENV, "1")
    before = tree(site)
    seen = {}

    def between() -> None:  # the moment a kill would leave `.output.old` and no output
        seen["target"] = site.exists()
        seen["old"] = tree(staging.old_path(site))

    with staging.staged(site, between=between) as folder:
        (folder / "index.html").write_text("新首页", encoding="utf-8")
    assert seen == {"target": False, "old": before}
    assert tree(site) == {"index.html": "新首页".encode()}
    assert siblings(site) == []


def test_a_failure_between_the_two_renames_puts_the_old_target_back(site, monkeypatch):
    monkeypatch.setenv(staging.NO_EXCHANGE_ENV, "1")
    before = tree(site)

    def between() -> None:
        raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError):
        with staging.staged(site, between=between) as folder:
            (folder / "index.html").write_text("新首页", encoding="utf-8")
    assert tree(site) == before
    assert siblings(site) == []


def test_exchange_swaps_two_folders_or_says_it_cannot_and_touches_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(staging.NO_EXCHANGE_ENV, raising=False)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("A", encoding="utf-8")
    (b / "f").write_text("B", encoding="utf-8")
    if staging.exchange(a, b):
        assert ((a / "f").read_text(encoding="utf-8"), (b / "f").read_text(encoding="utf-8")) == ("B", "A")
    else:
        assert ((a / "f").read_text(encoding="utf-8"), (b / "f").read_text(encoding="utf-8")) == ("A", "B")
    monkeypatch.setenv(staging.NO_EXCHANGE_ENV, "1")
    assert staging.exchange(a, b) is False


def test_a_run_killed_between_the_two_renames_is_undone_by_recover(site):
    before = tree(site)
    os.rename(site, staging.old_path(site))  # the first rename done, then killed
    half = site.parent / ".output.new-k1ll3d"
    half.mkdir()
    (half / "index.html").write_text("新首页", encoding="utf-8")
    staging.recover(site)
    assert tree(site) == before
    assert siblings(site) == []


def test_recover_removes_every_leftover_of_this_and_earlier_versions_and_nothing_else(site):
    before = tree(site)
    made = [".output.old", ".output.new-a1", ".output.part-b2", ".output.build-c3", ".output.new"]
    for name in made:
        (site.parent / name / "x").mkdir(parents=True)
    (site.parent / ".output.lock").write_text(
        "", encoding="utf-8"
    )  # the mirror's lock file of earlier versions
    kept = [".outputs.old", ".other.new-a1", ".output.keep", "output.old", ".zim-build-x"]
    for name in kept:
        (site.parent / name).mkdir()
    staging.recover(site)
    assert tree(site) == before  # a complete target: `.output.old` was a leftover, not a backup
    assert sorted(p.name for p in site.parent.iterdir() if p.name != "output") == sorted(kept)


def test_recover_with_nothing_to_do_changes_nothing(site):
    before = tree(site)
    staging.recover(site)
    staging.recover(site.parent / "absent")
    assert tree(site) == before and sorted(p.name for p in site.parent.iterdir()) == ["output"]


def test_a_scratch_folder_is_removed_whatever_happens(site):
    with staging.scratch(site, "part") as folder:
        assert folder.name.startswith(".output.part-")
        (folder / "x").write_text("x", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with staging.scratch(site) as folder:
            assert folder.name.startswith(".output.build-")
            raise RuntimeError
    assert siblings(site) == []


@pytest.mark.parametrize("umask,mode", [(0o022, 0o755), (0o027, 0o750), (0o077, 0o700)])
def test_staging_and_scratch_folders_get_the_umask_mode_not_mkdtemps(site, umask, mode):
    previous = os.umask(umask)
    try:
        assert staging.folder_mode() == mode
        with staging.staged(site) as folder:
            assert folder.stat().st_mode & 0o777 == mode
        assert site.stat().st_mode & 0o777 == mode
        with staging.scratch(site) as folder:
            assert folder.stat().st_mode & 0o777 == mode
    finally:
        os.umask(previous)


def test_two_runs_on_one_folder_take_turns_and_the_second_says_it_waits(site, capfd):
    order: list[str] = []
    first_in, let_go, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with staging.lock(site):
            order.append("first in")
            first_in.set()
            let_go.wait(60)
            order.append("first out")

    def second() -> None:
        with staging.lock(site.parent / "m"):  # another target in the same folder: the same lock
            order.append("second in")
            second_in.set()

    one = threading.Thread(target=first)
    one.start()
    assert first_in.wait(10)
    two = threading.Thread(target=second)
    two.start()
    assert not second_in.wait(1.0), "the second run went in while the first held the lock"
    let_go.set()
    assert second_in.wait(30)
    one.join(30)
    two.join(30)
    assert order == ["first in", "first out", "second in"]
    assert "另一个构建正在" in capfd.readouterr().err  # and it said why it waited


def test_the_waiting_message_names_the_folder(site, capfd):
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with staging.lock(site):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(10)
    threading.Timer(1, release.set).start()
    with staging.lock(site, "另一个镜像任务正在使用 {folder}，等它结束……"):
        pass
    thread.join(10)
    assert capfd.readouterr().err == f"另一个镜像任务正在使用 {site.parent}，等它结束……\n"


@pytest.mark.parametrize(
    "code,line",
    [
        (errno.ENOSPC, "磁盘空间不足（{f} 所在的磁盘已满或超出配额），请清理磁盘或换一个输出目录后重试"),
        (
            errno.EROFS,
            "没有在 {f} 中写入的权限（或磁盘为只读：Read-only file system），请检查目录权限或换一个输出目录",
        ),
        (errno.EIO, "在 {f} 中读写文件时出错：Input/output error"),
    ],
)
def test_disk_reason_names_the_folder(tmp_path, code, line):
    assert staging.disk_reason(OSError(code, os.strerror(code)), tmp_path) == line.format(f=tmp_path)


def test_the_build_machinery_imports_nothing_of_the_commands():
    """gongkai_build (staging, the fast rebuild, the result) never reaches back into gongkai_cli;
    staging and result not into Pelican either. Imports inside functions count too."""
    import ast

    package = Path(staging.__file__).parent
    found = []
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            )
            banned = ("gongkai_cli", "pelican") if source.stem in ("staging", "result") else ("gongkai_cli",)
            found += [f"{source.name}: {n}" for n in names if n.split(".")[0] in banned]
    assert found == []


def replaced_site(site: Path) -> tuple[Path, dict[str, Path]]:
    """A `.output.part-*` folder holding a new page, a changed page and a new search file."""
    part = staging.new_folder(site, "part")
    (part / "policy").mkdir()
    (part / "policy" / "a.html").write_bytes(b"new page")
    (part / "policy" / "b.html").write_bytes(b"another new page")
    (part / "s").mkdir()
    (part / "s" / "x.js").write_bytes(b"shard")
    moves = {
        "policy/a.html": part / "policy/a.html",
        "policy/b.html": part / "policy/b.html",
        "search/x.js": part / "s/x.js",
    }
    return part, moves


def test_replace_files_puts_every_file_in_place_and_removes_the_named_ones(site):
    part, moves = replaced_site(site)
    staging.replace_files(site, part, moves, ["index.html"])
    assert tree(site) == {
        "policy": None,
        "policy/a.html": b"new page",
        "policy/b.html": b"another new page",
        "search": None,
        "search/x.js": b"shard",
    }
    assert not (part / staging.JOURNAL).exists()


def test_replace_files_that_fails_half_way_leaves_the_target_as_it_was(site):
    before = tree(site)
    part, moves = replaced_site(site)

    def disk_full(k):
        if k == 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        staging.replace_files(site, part, moves, ["index.html"], between=disk_full)
    assert {n: b for n, b in tree(site).items() if b is not None} == {
        n: b for n, b in before.items() if b is not None
    }
    assert not (part / staging.JOURNAL).exists()


@pytest.mark.parametrize("killed_at", [0, 1, 3])
def test_a_run_killed_while_replacing_files_is_undone_by_recover(site, killed_at):
    before = {n: b for n, b in tree(site).items() if b is not None}
    part, moves = replaced_site(site)
    child = os.fork()
    if child == 0:  # the run, killed before its k-th rename

        def kill(k):
            if k == killed_at:
                os._exit(9)

        try:
            staging.replace_files(site, part, moves, ["index.html"], between=kill)
        finally:
            os._exit(1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 9
    assert (part / staging.JOURNAL).is_file()
    staging.recover(site)
    assert {n: b for n, b in tree(site).items() if b is not None} == before
    assert siblings(site) == []


def test_a_journal_naming_files_outside_the_target_is_not_followed(site, tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not ours")
    part = staging.new_folder(site, "part")
    (part / staging.KEPT).mkdir()
    (part / staging.KEPT / "x").write_bytes(b"evil")
    for names in (
        [["../outside.html", False]],
        [["/etc/passwd", False]],
        [["policy/../../outside.html", True]],
        "not a list",
    ):
        (part / staging.JOURNAL).write_text(json.dumps({"files": names}), encoding="utf-8")
        before = tree(site)
        staging.recover(site)
        assert outside.read_bytes() == b"not ours" and tree(site) == before
        part.mkdir(exist_ok=True)
    (part / staging.JOURNAL).write_bytes(b"\xff{broken")
    staging.recover(site)
    assert outside.read_bytes() == b"not ours" and siblings(site) == []
