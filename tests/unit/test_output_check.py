"""The last check of an output tree (outputplan.check_tree) reports what os.walk would show, in its
order, and hands the record the same stats a walk of its own (record.output_stats) takes."""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

from gongkai_build.record import output_stats
from gongkai_core.outputplan import OutputPlan, check_tree


def walk_reference(root: Path, plan: OutputPlan, limit: int = 20) -> list[str]:
    """check_tree as it was written with os.walk and an lstat per file."""
    found: list[str] = []
    top = os.path.join(os.fspath(root), "")
    for folder, dirs, names in os.walk(top):
        prefix = os.path.join(folder, "")[len(top) :].replace(os.sep, "/")
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)):
                found.append(f"{prefix}{name}（符号链接）")
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            rel = prefix + name
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if stat.S_ISLNK(mode):
                found.append(f"{rel}（符号链接）")
            elif not stat.S_ISREG(mode):
                found.append(f"{rel}（不是普通文件）")
            elif not plan.allows(rel):
                found.append(f"{rel}（没有任何已公开的条目或生成步骤声明它）")
            if len(found) >= limit:
                found.append("……")
                return found
    return found


def make_tree(root: Path, rng: random.Random) -> None:
    for n in range(60):
        depth = rng.randint(0, 3)
        folder = root.joinpath(*[rng.choice(["a", "b", "B", "c1", "z"]) for _ in range(depth)])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{rng.choice(['x', 'y', 'Y', '.hidden', 'index'])}{n % 7}.html").write_text(str(n))
    (root / "a").mkdir(exist_ok=True)
    os.symlink(root / "a", root / "link-to-folder")
    os.symlink(root / "a" / "nothing", root / "b-dangling")
    os.mkfifo(root / "c-fifo")


def test_same_findings_in_the_same_order_and_the_records_stats(tmp_path: Path) -> None:
    for seed in range(6):
        root = tmp_path / f"t{seed}"
        root.mkdir()
        rng = random.Random(seed)
        make_tree(root, rng)
        plan = OutputPlan()
        plan.allow_pattern(r"(?:[ab]/)*[xy]\d\.html", "x")
        for limit in (3, 20, 1000):
            assert check_tree(root, plan, limit) == walk_reference(root, plan, limit)
        # a tree that passes: the stats handed over are a walk's own
        for odd in ("link-to-folder", "b-dangling", "c-fifo"):
            (root / odd).unlink()
        everything = OutputPlan()
        everything.allow_pattern(r".*", "all")
        stats: dict[str, tuple[int, int, int]] = {}
        assert check_tree(root, everything, stats=stats) == []
        assert stats == output_stats(root) and len(stats) >= 30
