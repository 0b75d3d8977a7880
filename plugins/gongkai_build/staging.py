"""Replace a folder whole, or not at all: the one staging, swap, lock and recovery of build,
publish, the fast rebuild, mirror and zim (pure Python, no Pelican).

Every folder made for a target `T` lies beside it and is named `.T.<kind>-<random>`:

- `.T.new-*`   the staging folder that becomes `T` (`staged`);
- `.T.part-*`, `.T.build-*`   scratch folders, removed whatever happens (`scratch`);
- `.T.old`     the previous `T` for the moment between two renames, on disks that cannot
  exchange two folders in one step (FAT, exFAT).

A few files of `T` (a fast rebuild's pages and search files) are replaced in place instead
(`replace_files`): the new files wait in a `.T.part-*` folder, the current ones are kept there as
hard links, a journal naming them is written, then each file is renamed into place. A failure
puts the kept files back at once; a run killed in between leaves the journal, and the next
`recover` puts them back from it: `T` is as it was, whole, or as the run made it, whole. (A
reader of `T` in the millisecond the renames take may see some of the new files and some of the
old; every file it sees is complete.)

The swap exchanges the staging folder and `T` in one step where the file system can (Linux
renameat2 RENAME_EXCHANGE), else renames `T` to `.T.old` and the staging folder to `T`. A run
killed anywhere leaves `T` as it was, or, between the two renames, `.T.old` and no `T`: the next
run's `recover` renames it back and removes every leftover of the list above (the names of
earlier versions too: the mirror's `.T.new` and `.T.lock`). Runs on one folder take turns
(`lock`: an advisory lock on the folder the target is in, so no lock file is left behind).
Folders are made with the mode the umask gives (755 by default), never mkdtemp's 700: a web
server running as another user must be able to read the published site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

NO_EXCHANGE_ENV = "GONGKAI_NO_EXCHANGE"  # test hook: swap by two renames, as on a FAT disk
KINDS = ("new", "part", "build")  # the folders made beside a target (`.T.<kind>-*`)
LEGACY = ("new", "lock")  # fixed names of earlier versions (the mirror's `.T.new`, `.T.lock`)
DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO)
WAITING = "另一个构建正在 {folder} 中生成网站，等它完成……"


def folder_mode() -> int:
    """The mode mkdir gives a new folder under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def old_path(target: Path) -> Path:
    """Where the previous `target` waits between the two renames of a swap."""
    return target.parent / f".{target.name}.old"


def new_folder(target: Path, kind: str = "new") -> Path:
    """A fresh empty folder `.T.<kind>-*` beside `target`, with the umask's mode. OSError as it came."""
    if kind not in KINDS:
        raise ValueError(f"unknown staging kind {kind!r}")
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-", dir=target.parent))
    try:
        os.chmod(folder, folder_mode())
    except BaseException:
        os.rmdir(folder)
        raise
    return folder


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def scratch(target: Path, kind: str = "build") -> Iterator[Path]:
    """A folder beside `target` for work that never becomes it; removed on the way out, always."""
    folder = new_folder(target, kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def staged(target: Path, between: Callable[[], None] | None = None) -> Iterator[Path]:
    """A fresh staging folder beside `target`, swapped in when the block ends normally.

    If the block raises (or the swap fails), the staging folder is removed and `target` is exactly
    as it was. `between` is called between the two renames of the fallback swap (a test hook)."""
    folder = new_folder(target, "new")
    try:
        yield folder
        swap(folder, target, between)
    finally:
        if folder.exists():  # the block failed, or the swap did
            shutil.rmtree(folder, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE). False where the system or
    the file system cannot; other errors raise OSError."""
    if not sys.platform.startswith("linux") or os.environ.get(NO_EXCHANGE_ENV):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap(folder: Path, target: Path, between: Callable[[], None] | None = None) -> None:
    """Put the complete `folder` at `target`; the previous `target` is removed."""
    if not target.exists():
        os.rename(folder, target)
        return
    if exchange(folder, target):
        shutil.rmtree(folder, ignore_errors=True)  # now the previous target; leftovers go at the next recover
        return
    old = old_path(target)
    if old.exists():
        _remove(old)
    os.rename(target, old)
    try:
        if between is not None:
            between()
        os.rename(folder, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


JOURNAL = ".gongkai-journal.json"  # in a `.T.part-*` folder: the files `replace_files` is replacing
KEPT = ".gongkai-kept"  # in the same folder: the files they replace, as hard links


def _checked_name(name: object) -> str:
    """A file name relative to the target, as `replace_files` and a journal may hold it."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name or "\0" in name:
        raise ValueError(f"not a relative file name: {name!r}")
    if any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"not a relative file name: {name!r}")
    return name


def _put_back(target: Path, part: Path, names: list[tuple[str, bool]]) -> None:
    """Every named file of `target` as it was before `replace_files` began (idempotent)."""
    kept = part / KEPT
    for name, existed in names:
        if existed:
            if os.path.lexists(kept / name):
                os.replace(kept / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)


def replace_files(
    target: Path,
    part: Path,
    moves: dict[str, Path],
    removals: list[str] = (),
    between: Callable[[int], None] | None = None,
) -> None:
    """Put each file `moves[name]` (made in `part`, a `.T.part-*` folder) at `target/name` and
    remove `target/name` for each of `removals`: all of it, or (on any error) none of it.

    The files replaced are first kept in `part` as hard links and named in a journal there, so a
    run killed while renaming is undone by `recover`. `between(k)` is called before the k-th
    rename (a test hook)."""
    names = sorted({_checked_name(n) for n in moves} | {_checked_name(n) for n in removals})
    kept = part / KEPT
    journal: list[tuple[str, bool]] = []
    for name in names:
        existed = os.path.lexists(target / name)
        if existed:
            (kept / name).parent.mkdir(parents=True, exist_ok=True)
            os.link(target / name, kept / name)
        journal.append((name, existed))
    temporary = part / (JOURNAL + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump({"target": str(target), "files": journal}, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, part / JOURNAL)
    _sync_folder(part)
    try:
        for k, name in enumerate(names):
            if between is not None:
                between(k)
            if name in moves:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(moves[name], target / name)
            else:
                (target / name).unlink(missing_ok=True)
    except BaseException:
        _put_back(target, part, journal)
        raise
    finally:
        (part / JOURNAL).unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # (Windows cannot open a folder: the journal is still there, only not yet on disk)
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _undo_replacements(target: Path, part: Path) -> None:
    """A run killed inside `replace_files`: the files it replaced put back, from its journal."""
    try:
        found = json.loads((part / JOURNAL).read_text(encoding="utf-8"))
        names = [(_checked_name(name), bool(existed)) for name, existed in found["files"]]
    except (OSError, ValueError, TypeError, KeyError):
        return  # no journal, or not one this code wrote: nothing was renamed by it
    if target.is_dir():
        _put_back(target, part, names)


def recover(target: Path) -> None:
    """Undo what a killed run left beside `target`: `.T.old` back in place when `target` is
    gone, files a fast rebuild was replacing put back (`replace_files`), every other leftover
    (`.T.old`, `.T.new-*`, `.T.part-*`, `.T.build-*`, `.T.new`, `.T.lock`) removed. Call it
    holding the lock, before making anything beside `target`."""
    old = old_path(target)
    if not target.exists() and old.is_dir():
        os.rename(old, target)
    for part in sorted(target.parent.glob(f".{target.name}.part-*")):
        if (part / JOURNAL).is_file():
            _undo_replacements(target, part)
    stale = [old, *(target.parent / f".{target.name}.{name}" for name in LEGACY)]
    for kind in KINDS:
        stale += target.parent.glob(f".{target.name}.{kind}-*")
    for path in stale:
        if path.exists() or path.is_symlink():
            _remove(path)


@contextmanager
def lock(target: Path, waiting: str = WAITING) -> Iterator[None]:
    """One run at a time on the folder `target` is in: the next waits, saying so on stderr
    (`waiting`, with `{folder}`), instead of removing the running one's staging as a leftover.
    The lock is on the folder itself; closing it releases the lock, even when the process is killed."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; verify and zim still work there
        yield
        return
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting.format(folder=target.parent), file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def disk_reason(exc: OSError, folder: Path, what: str = "输出目录") -> str:
    """Why the disk refused a write, naming the folder (build, publish and mirror say it the same way)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足（{folder} 所在的磁盘已满或超出配额），请清理磁盘或换一个{what}后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有在 {folder} 中写入的权限（或磁盘为只读：{exc.strerror}），请检查目录权限或换一个{what}"
    return f"在 {folder} 中读写文件时出错：{exc.strerror or exc}"
