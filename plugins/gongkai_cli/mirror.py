"""Offline mirrors for kiosks (政府信息公开查阅点): `mirror DEST`, `verify DEST`, `zim OUT`.

How an update stays atomic and incremental (see docs/kiosk.md for operators):

1. The public site is built (publishconf.py: strict, gate, RELATIVE_URLS, no web host) into
   `.DEST.build-*` beside DEST, and every link is made to work from file://.
2. The new mirror is assembled in `.DEST.new` beside DEST: a file whose bytes equal the file
   already in DEST/data is *hardlinked* from it (no bytes written, same inode, same mtime);
   only changed or new files are written; files gone from the site are simply not there.
   Nothing in DEST is opened for writing, so until step 4 DEST is the old mirror, complete.
3. `.DEST.new` becomes a BagIt bag (SHA-256 manifest, bag-info) and its links are checked.
4. The two directories are swapped in one step (Linux renameat2 RENAME_EXCHANGE); where the
   file system cannot (FAT/exFAT disks), by two renames, and a run killed between them is
   undone by the next run (`.DEST.old` renamed back). Then the old tree is deleted.

A run killed anywhere leaves DEST as it was (or, with the two-rename fallback, restorable
by the next run); leftover `.DEST.*` folders are removed by the next run. Disks without
hardlinks get copies: still atomic, but unchanged files are rewritten.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gongkai_core import clock
from gongkai_core.errors import GongkaiError, MirrorError
from gongkai_core.links import SiteHost, check_links, rewrite_css, rewrite_html
from gongkai_core.manifest import BagInfo, is_bag, link_or_copy, make_bag, read_info, verify_bag

PAUSE_ENV = "GONGKAI_MIRROR_PAUSE"  # test hook: "<stage>:<marker file>"; stages: staging, bagged, swapping
NO_EXCHANGE_ENV = "GONGKAI_MIRROR_NO_EXCHANGE"  # test hook: swap by two renames, as on a FAT disk


@dataclass
class OfflineSite:
    root: Path
    site_name: str
    issuer: str
    host: SiteHost
    build_date: str
    files: list[str] = field(default_factory=list)


@dataclass
class MirrorResult:
    dest: Path
    files: int = 0
    written: int = 0  # new or changed files
    unchanged: int = 0  # hardlinked from the previous mirror
    removed: int = 0  # in the previous mirror, gone from the site
    copied_unchanged: int = 0  # unchanged, but the disk has no hardlinks
    info: dict = field(default_factory=dict)


# ---- building the offline site ---------------------------------------------------------------


def build_offline(settings_file: str, out: Path) -> OfflineSite:
    """The public build in `out`, every link rewritten to work from file://."""
    from pelican.settings import read_settings

    from .build import run_pelican

    public = read_settings(settings_file)
    host = SiteHost(str(public.get("SITEURL") or ""))
    try:
        run_pelican(settings_file, out, {"SITEURL": "", "RELATIVE_URLS": True, "GONGKAI_PREVIEW": False})
    except GongkaiError as exc:
        raise MirrorError(f"{exc}\n镜像未更新，原有镜像未改动。") from exc
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    dirs = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}

    def is_dir(rel: str) -> bool:
        return rel in dirs

    for rel in files:
        if rel.endswith((".html", ".htm", ".css")):
            path = out / rel
            text = path.read_text(encoding="utf-8")
            new = (rewrite_css if rel.endswith(".css") else rewrite_html)(text, rel, is_dir, host)
            if new != text:
                path.write_text(new, encoding="utf-8")
    issuer = str(public.get("ISSUER") or public.get("AUTHOR") or "")
    name = str(public.get("SITENAME") or "")
    return OfflineSite(out, name, issuer, host, clock.build_date().isoformat(), files)


def source_commit(cwd: Path) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


# ---- the update -------------------------------------------------------------------------------


def _pause(stage: str) -> None:
    """Test hook: at `stage`, write the marker file and wait to be killed."""
    hook = os.environ.get(PAUSE_ENV, "")
    if hook.partition(":")[0] == stage:
        Path(hook.partition(":")[2]).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(3600)


def _siblings(dest: Path) -> dict[str, Path]:
    return {"new": dest.parent / f".{dest.name}.new", "old": dest.parent / f".{dest.name}.old",
            "lock": dest.parent / f".{dest.name}.lock"}


@contextmanager
def _locked(dest: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; verify and zim still work there
        yield
        return
    lock = _siblings(dest)["lock"]
    with open(lock, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise MirrorError(f"另一个镜像任务正在更新 {dest}，请等它结束后再试。") from exc
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
            fcntl.flock(fh, fcntl.LOCK_UN)


def recover(dest: Path) -> None:
    """Undo what a killed run left: restore `.DEST.old` if DEST is gone, drop partial trees."""
    s = _siblings(dest)
    if not dest.exists() and s["old"].exists():
        os.rename(s["old"], dest)
    for stale in [s["new"], s["old"], *dest.parent.glob(f".{dest.name}.build-*")]:
        if stale.exists():
            shutil.rmtree(stale)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE). False if unsupported."""
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


def _swap_in(new: Path, dest: Path) -> None:
    old = _siblings(dest)["old"]
    if not dest.exists():
        os.rename(new, dest)
        return
    if _exchange(new, dest):
        os.rename(new, old)  # `new` now holds the previous mirror
    else:
        os.rename(dest, old)
        _pause("swapping")
        os.rename(new, dest)
    shutil.rmtree(old)


def _same(a: Path, b: Path) -> bool:
    try:
        if not a.is_file() or a.is_symlink() or a.stat().st_size != b.stat().st_size:
            return False
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def mirror(dest: Path | str, settings_file: str = "publishconf.py",
           project: Path | None = None) -> MirrorResult:
    """Build the public site and make or update the mirror at `dest` (see the module doc)."""
    dest = Path(dest).absolute()
    project = Path(project or Path.cwd())
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and not dest.is_dir():
        raise MirrorError(f"{dest} 不是目录，不能作为镜像目录。")
    with _locked(dest):
        recover(dest)
        if dest.exists() and any(dest.iterdir()) and not is_bag(dest):
            raise MirrorError(f"{dest} 不是空目录，也不是 Gongkai 镜像（没有 bagit.txt）；为免误删其中文件，"
                              "请换一个新目录，或先清空它。")
        build = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
        try:
            site = build_offline(settings_file, build / "site")
            result = _assemble(site, dest, project)
        finally:
            shutil.rmtree(build, ignore_errors=True)
    return result


def _assemble(site: OfflineSite, dest: Path, project: Path) -> MirrorResult:
    new = _siblings(dest)["new"]
    new.mkdir()
    try:
        return _fill(site, dest, project, new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _fill(site: OfflineSite, dest: Path, project: Path, new: Path) -> MirrorResult:
    old_data = dest / "data"
    result = MirrorResult(dest, files=len(site.files))
    half = len(site.files) // 2
    for i, rel in enumerate(site.files):
        if i == half:
            _pause("staging")
        src, prev, target = site.root / rel, old_data / rel, new / rel
        if _same(prev, src):
            if link_or_copy(prev, target):
                result.unchanged += 1
            else:
                result.copied_unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(src, target)  # same file system: the build tree is beside DEST
            result.written += 1
    if old_data.is_dir():
        wanted = set(site.files)
        result.removed = sum(1 for p in old_data.rglob("*") if p.is_file()
                             and p.relative_to(old_data).as_posix() not in wanted)
    info = BagInfo(site.site_name, site.build_date, source_commit(project), site.issuer)
    make_bag(new, info)
    links = check_links(new / "data", site.host)
    if links.broken:
        raise MirrorError("镜像中有失效链接，镜像未更新（原有镜像未改动）：\n"
                          + "\n".join(f"链接失效：data/{b}" for b in links.broken))
    _pause("bagged")
    _swap_in(new, dest)
    result.info = info.as_tags()
    return result


# ---- verification -----------------------------------------------------------------------------


@dataclass
class VerifyReport:
    lines: list[str]
    ok: bool


def verify(dest: Path | str) -> VerifyReport:
    """Every file re-hashed against the manifest, and every link of the site checked."""
    dest = Path(dest).absolute()
    lines: list[str] = []
    old = _siblings(dest)["old"]
    if not dest.exists() and old.exists():
        return VerifyReport([f"镜像目录 {dest} 不存在：上次更新在替换目录时被中断，旧镜像保存在 {old}。",
                             "再运行一次 invoke mirror 即可恢复并完成更新。"], False)
    checked = verify_bag(dest)
    lines += [str(f) for f in checked.findings]
    links = check_links(dest / "data") if (dest / "data").is_dir() else None
    broken = links.broken if links else []
    lines += [f"链接失效：data/{b}" for b in broken]
    ok = checked.ok and links is not None and not broken
    if ok:
        info = read_info(dest)
        about = [info.get("Gongkai-Site-Name", ""), "构建日期 " + info.get("Gongkai-Build-Date", "?"),
                 "源码提交 " + info.get("Gongkai-Source-Commit", "?")[:12]]
        lines.append(f"校验通过：{dest} 共 {checked.files} 个文件，SHA-256 全部一致，"
                     f"{links.pages} 个页面的 {links.links} 个链接全部有效（{'，'.join(a for a in about if a)}）。")
    else:
        lines.append(f"校验未通过：缺少 {len(checked.of('missing'))} 个，被修改 {len(checked.of('modified'))} 个，"
                     f"多出 {len(checked.of('unexpected'))} 个，结构错误 {len(checked.of('structure'))} 个，"
                     f"失效链接 {len(broken)} 个。请勿使用此镜像，处理办法见 docs/kiosk.md。")
    return VerifyReport(lines, ok)


# ---- ZIM --------------------------------------------------------------------------------------


def zim(out: Path | str, settings_file: str = "publishconf.py", source: Path | str | None = None) -> int:
    """Write the public site as a ZIM file; from a verified mirror when `source` is given."""
    out = Path(out).absolute()
    if source:
        report = verify(source)
        if not report.ok:
            raise MirrorError("\n".join(report.lines) + "\n镜像未通过校验，未导出 ZIM。")
        info = read_info(Path(source))
        return _write_zim(Path(source) / "data", out, info.get("Gongkai-Site-Name", ""),
                          info.get("Gongkai-Build-Date", ""), info.get("Source-Organization", ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".zim-build-", dir=out.parent) as tmp:
        site = build_offline(settings_file, Path(tmp) / "site")
        return _write_zim(site.root, out, site.site_name, site.build_date, site.issuer)


def _write_zim(root: Path, out: Path, name: str, date: str, issuer: str) -> int:
    from gongkai_core.zim import ZimInfo, write_zim

    info = ZimInfo(title=name or "政府信息公开", name="gongkai_zh_all", description=f"{name}离线版（{date}）",
                   creator=issuer or name, publisher=issuer or name, date=date)
    return write_zim(root, out, info)
