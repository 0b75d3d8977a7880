"""Offline mirrors for kiosks (政府信息公开查阅点): `mirror DEST`, `verify DEST`, `zim OUT`.

How an update stays atomic and incremental (see docs/kiosk.md for operators):

1. The public site is built (publishconf.py: strict, gate, RELATIVE_URLS, no web host) into
   `.DEST.build-*` beside DEST, and every link is made to work from file://.
2. The new mirror is assembled in `.DEST.new-*` beside DEST: a file whose bytes equal the file
   already in DEST/data is *hardlinked* from it (no bytes written, same inode, same mtime);
   only changed or new files are written; files gone from the site are simply not there.
   Nothing in DEST is opened for writing, so until step 4 DEST is the old mirror, complete.
3. `.DEST.new-*` becomes a BagIt bag (SHA-256 manifest, bag-info) and its links are checked;
   the tree must hold exactly the build's files under data/ and the bag's own files
   (manifest.MIRROR_FILES), regular files only; then the office's key signs the tag manifest
   (gongkai_core.signature) when a key is configured (--key, GONGKAI_MIRROR_KEY).
4. The two directories are swapped in one step (Linux renameat2 RENAME_EXCHANGE); where the
   file system cannot (FAT/exFAT disks), by two renames, and a run killed between them is
   undone by the next run (`.DEST.old` renamed back). Then the old tree is deleted.
   Staging, swap, lock and recovery are those of the build (gongkai_build.staging).

A run killed anywhere leaves DEST as it was (or, with the two-rename fallback, restorable
by the next run); leftover `.DEST.*` folders are removed by the next run, and a run that fails
(a full disk included: a Chinese message naming the folder) removes its own before it ends.
Disks without hardlinks get copies: still atomic, but unchanged files are rewritten.
Folders are made with the permissions the umask gives (755 by default), never mkdtemp's 700.
"""

from __future__ import annotations

import errno
import filecmp
import os
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from gongkai_build import staging
from gongkai_core import clock, signature
from gongkai_core.errors import GongkaiError, MirrorError
from gongkai_core.links import SiteHost, check_links, rewrite_css, rewrite_html
from gongkai_core.manifest import MIRROR_FILES, BagInfo, is_bag, link_or_copy, make_bag, read_info, verify_bag

PAUSE_ENV = "GONGKAI_MIRROR_PAUSE"  # test hook: "<stage>:<marker file>"; stages: staging, bagged, swapping


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
    signed: bool = False


# ---- building the offline site ---------------------------------------------------------------


def build_offline(settings_file: str, out: Path, touch: bool = False) -> OfflineSite:
    """The public build in `out`, every link rewritten to work from file://; `touch`: in the
    touch-screen kiosk mode (GONGKAI_TOUCH, plugins/gongkai_touch) whatever the settings say."""
    from pelican.settings import read_settings

    from .build import run_pelican

    public = read_settings(settings_file)
    host = SiteHost(str(public.get("SITEURL") or ""))
    try:
        overrides = {"SITEURL": "", "RELATIVE_URLS": True, "GONGKAI_PREVIEW": False}
        if touch:
            overrides["GONGKAI_TOUCH"] = True
        run_pelican(settings_file, out, overrides)
    except GongkaiError as exc:
        raise MirrorError(f"{exc}\n镜像未更新，原有镜像未改动。") from exc
    files, dirs = _tree(out, "构建结果")

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


def _tree(root: Path, what: str) -> tuple[list[str], set[str]]:
    """(files, folders) under `root`, relative and sorted; MirrorError on a symbolic link or
    anything that is neither a regular file nor a folder: never followed, never copied."""
    files: list[str] = []
    dirs: set[str] = set()
    for folder, subdirs, names in os.walk(root):
        for name in subdirs + names:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                dirs.add(rel)
            elif stat.S_ISREG(mode):
                files.append(rel)
            else:
                kind = "符号链接" if stat.S_ISLNK(mode) else "特殊文件"
                raise MirrorError(
                    f"{what}中的 {rel} 是{kind}：镜像只收构建生成的普通文件。镜像未更新，原有镜像未改动。"
                )
    return sorted(files), dirs


def _repo_root(cwd: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def signing_key(key: Path | str | None, dest: Path, project: Path) -> Path | None:
    """The private key to sign with (--key, else GONGKAI_MIRROR_KEY), checked; None: unsigned."""
    path = signature.configured(str(key) if key else None, signature.KEY_ENV)
    if path is None:
        return None
    path = path.absolute()
    forbidden = {"内容仓库": project, "镜像目录": dest}
    root = _repo_root(project)
    if root is not None:
        forbidden["git 仓库"] = root
    problem = signature.key_problem(path, forbidden)
    if problem:
        raise MirrorError(f"{problem}。镜像未更新，原有镜像未改动。")
    signature.ssh_keygen()  # missing: say so before building
    return path


def source_commit(cwd: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=False, timeout=30
        )
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


def _same(a: Path, b: Path) -> bool:
    try:
        if not a.is_file() or a.is_symlink() or a.stat().st_size != b.stat().st_size:
            return False
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def mirror(
    dest: Path | str,
    settings_file: str = "publishconf.py",
    project: Path | None = None,
    key: Path | str | None = None,
    touch: bool = False,
) -> MirrorResult:
    """Build the public site and make or update the mirror at `dest` (see the module doc);
    signed with the private key `key` (else GONGKAI_MIRROR_KEY; neither: unsigned); `touch`: for a
    touch screen (docs/kiosk.md)."""
    dest = Path(dest).absolute()
    project = Path(project or Path.cwd()).absolute()
    key_path = signing_key(key, dest, project)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MirrorError(f"无法创建镜像所在的目录 {dest.parent}：{exc.strerror}。") from exc
    if dest.exists() and not dest.is_dir():
        raise MirrorError(f"{dest} 不是目录，不能作为镜像目录。")
    try:
        waiting = f"另一个镜像任务正在更新 {dest}（或另一个构建正在使用 {{folder}}），等它结束……"
        with staging.lock(dest, waiting):
            staging.recover(dest)
            if dest.exists() and any(dest.iterdir()) and not is_bag(dest):
                raise MirrorError(
                    f"{dest} 不是空目录，也不是 Gongkai 镜像（没有 bagit.txt）；为免误删其中文件，"
                    "请换一个新目录，或先清空它。"
                )
            with staging.scratch(dest, "build") as build:
                site = build_offline(settings_file, build / "site", touch)
                return _assemble(site, dest, project, key_path)
    except OSError as exc:  # a full disk above all: which folder, and that nothing was left or changed
        raise MirrorError(_disk_message(exc, dest)) from exc


def _disk_message(exc: OSError, dest: Path) -> str:
    """A failed write as an operator reads it: which folder, why, and that nothing was changed."""
    folder = dest.parent
    why = staging.disk_reason(exc, folder, "目标目录")
    where = f"（{exc.filename}）" if exc.filename else ""
    kept = f"原有镜像 {dest} 未改动" if is_bag(dest) else f"未创建镜像 {dest}"
    return f"镜像未更新：{why}{where}。{kept}；临时目录（{folder} 中的 .{dest.name}.*）已删除。"


def _assemble(site: OfflineSite, dest: Path, project: Path, key: Path | None = None) -> MirrorResult:
    """The new mirror made in a staging folder beside DEST and swapped in (or removed, DEST untouched)."""
    with staging.staged(dest, between=lambda: _pause("swapping")) as new:
        return _fill(site, dest, project, new, key)


def _check_mirror_tree(new: Path, site: OfflineSite, key: Path | None) -> None:
    """The assembled mirror holds exactly the build's files (under data/) and the bag's own
    named files: no symbolic link, nothing else, and not the signing key's bytes anywhere."""
    files, _ = _tree(new, "新镜像")
    wanted = {f"data/{rel}" for rel in site.files} | set(MIRROR_FILES)
    if key is not None:
        wanted.add(signature.SIGNATURE)
    extra, missing = sorted(set(files) - wanted), sorted(wanted - set(files))
    if extra or missing:
        raise MirrorError(
            "新镜像与构建结果不一致，镜像未更新（原有镜像未改动）：\n"
            + "\n".join([f"多出文件：{p}" for p in extra[:20]] + [f"缺少文件：{p}" for p in missing[:20]])
        )
    if key is not None:
        secret = key.read_bytes()
        for rel in files:
            path = new / rel
            if path.stat().st_size == len(secret) and path.read_bytes() == secret:
                raise MirrorError(
                    f"签名私钥 {key} 出现在镜像中（{rel}）：私钥绝不能随镜像发出。镜像未更新，原有镜像未改动；"
                    "请把私钥移出内容和主题目录，并按 docs/kiosk.md 更换密钥。"
                )


def _fill(site: OfflineSite, dest: Path, project: Path, new: Path, key: Path | None = None) -> MirrorResult:
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
        result.removed = sum(
            1 for p in old_data.rglob("*") if p.is_file() and p.relative_to(old_data).as_posix() not in wanted
        )
    info = BagInfo(site.site_name, site.build_date, source_commit(project), site.issuer)
    make_bag(new, info)
    links = check_links(new / "data", site.host)
    if links.broken:
        raise MirrorError(
            "镜像中有失效链接，镜像未更新（原有镜像未改动）：\n"
            + "\n".join(f"链接失效：data/{b}" for b in links.broken)
        )
    if key is not None:
        signed = (new / signature.SIGNED).read_bytes()
        (new / signature.SIGNATURE).write_bytes(signature.sign(key, signed))
        result.signed = True
    _check_mirror_tree(new, site, key)
    _pause("bagged")
    result.info = info.as_tags()
    return result


# ---- verification -----------------------------------------------------------------------------


@dataclass
class VerifyReport:
    lines: list[str]
    ok: bool


SHOWN_LINKS = 3  # links listed under the file they point at; the rest are counted


def group_links(findings: list, broken: list) -> tuple[dict[str, list], list]:
    """Broken links that follow from a finding, by the finding's path (mirror-relative): links to a
    missing or modified file, and links on a modified page. The rest stand on their own."""
    causes = {f.path for f in findings if f.kind in ("missing", "modified") and f.path.startswith("data/")}
    grouped: dict[str, list] = {}
    others = []
    for link in broken:
        to, on = f"data/{link.target}", f"data/{link.page}"
        cause = to if link.target and to in causes else on if on in causes else None
        if cause is None:
            others.append(link)
        else:
            grouped.setdefault(cause, []).append(link)
    return grouped, others


def consequences(links: list) -> list[str]:
    """The lines under a missing or modified file: how many links it breaks, the first few."""
    if not links:
        return []
    pages = len({link.page for link in links})
    out = [
        f"  因此失效的链接 {len(links)} 个（在 {pages} 个页面中）"
        + ("，例如：" if len(links) > SHOWN_LINKS else "：")
    ]
    one_per_page = list({link.page: link for link in reversed(links)}.values())[
        ::-1
    ]  # the first on each page
    shown = (one_per_page + [link for link in links if link not in one_per_page])[:SHOWN_LINKS]
    for link in sorted(shown):
        where = f"data/{link.page}" + (f" 第 {link.line} 行" if link.line else "")
        out.append(f"    {where}：{link.url}（{link.reason}）")
    if len(links) > SHOWN_LINKS:
        out.append(f"    ……另有 {len(links) - SHOWN_LINKS} 个")
    return out


def verify(dest: Path | str, pubkey: Path | str | None = None) -> VerifyReport:
    """Every file re-hashed against the manifest, every link of the site checked, and the
    signature checked against the office's public key `pubkey` (else GONGKAI_MIRROR_PUBKEY).

    With a public key, a missing or bad signature fails. Without one, the hashes and links
    decide, and the report says plainly that where the copy came from was not proved."""
    dest = Path(dest).absolute()
    pubkey_path = signature.configured(str(pubkey) if pubkey else None, signature.PUBKEY_ENV)
    lines: list[str] = []
    old = staging.old_path(dest)
    if not dest.exists() and old.exists():
        return VerifyReport(
            [
                f"镜像目录 {dest} 不存在：上次更新在替换目录时被中断，旧镜像保存在 {old}。",
                "再运行一次 invoke mirror 即可恢复并完成更新。",
            ],
            False,
        )
    signed = signature.check(dest, pubkey_path) if dest.is_dir() else None
    checked = verify_bag(dest)
    links = check_links(dest / "data") if (dest / "data").is_dir() else None
    broken = links.broken if links else []
    sig_failed = signed is not None and (signed.failed or (pubkey_path is not None and not signed.ok))
    if sig_failed and signed is not None:
        lines.append(signed.message)  # whether the copy is the office's at all comes first
    grouped, others = group_links(checked.findings, broken)
    for finding in checked.findings:
        lines.append(str(finding))
        lines += consequences(grouped.get(finding.path, []))
    lines += [f"链接失效：data/{b}" for b in others]
    ok = checked.ok and links is not None and not broken and not sig_failed
    if ok:
        info = read_info(dest)
        about = [
            info.get("Gongkai-Site-Name", ""),
            "构建日期 " + info.get("Gongkai-Build-Date", "?"),
            "源码提交 " + info.get("Gongkai-Source-Commit", "?")[:12],
        ]
        lines.append(
            f"校验通过：{dest} 共 {checked.files} 个文件，SHA-256 全部一致，"
            f"{links.pages} 个页面的 {links.links} 个链接全部有效（{'，'.join(a for a in about if a)}）。"
        )
        if signed is not None:
            lines.append(signed.message)
    else:
        explained = len(broken) - len(others)
        lines.append(
            f"校验未通过：缺少 {len(checked.of('missing'))} 个，被修改 {len(checked.of('modified'))} 个，"
            f"多出 {len(checked.of('unexpected'))} 个，结构错误 {len(checked.of('structure'))} 个，"
            f"失效链接 {len(broken)} 个"
            + (f"（其中 {explained} 个是上面缺少或被修改的文件造成的）" if explained else "")
            + ("，签名无效" if sig_failed else "")
            + "。请勿使用此镜像，处理办法见 docs/kiosk.md。"
        )
    return VerifyReport(lines, ok)


# ---- ZIM --------------------------------------------------------------------------------------


def zim(
    out: Path | str,
    settings_file: str = "publishconf.py",
    source: Path | str | None = None,
    pubkey: Path | str | None = None,
) -> int:
    """Write the public site as a ZIM file; from a verified mirror when `source` is given (its
    signature checked against `pubkey`, else GONGKAI_MIRROR_PUBKEY, when one is configured)."""
    out = Path(out).absolute()
    if source:
        report = verify(source, pubkey)
        if not report.ok:
            raise MirrorError("\n".join(report.lines) + "\n镜像未通过校验，未导出 ZIM。")
        info = read_info(Path(source))
        return _write_zim(
            Path(source) / "data",
            out,
            info.get("Gongkai-Site-Name", ""),
            info.get("Gongkai-Build-Date", ""),
            info.get("Source-Organization", ""),
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with staging.lock(out):
            staging.recover(out)  # the build folder a killed export left
            with staging.scratch(out, "build") as tmp:
                site = build_offline(settings_file, tmp / "site")
                return _write_zim(site.root, out, site.site_name, site.build_date, site.issuer)
    except OSError as exc:
        why = (
            "磁盘空间不足"
            if exc.errno in (errno.ENOSPC, errno.EDQUOT)
            else f"读写文件时出错：{exc.strerror or exc}"
        )
        raise MirrorError(
            f"未导出 ZIM：{why}（{out.parent}{'，' + str(exc.filename) if exc.filename else ''}）。"
            f"临时目录已删除{'，原有的 ' + str(out) + ' 未改动' if out.exists() else ''}。"
        ) from exc


def _write_zim(root: Path, out: Path, name: str, date: str, issuer: str) -> int:
    from gongkai_core.zim import ZimInfo, write_zim

    info = ZimInfo(
        title=name or "政府信息公开",
        name="gongkai_zh_all",
        description=f"{name}离线版（{date}）",
        creator=issuer or name,
        publisher=issuer or name,
        date=date,
    )
    return write_zim(root, out, info)
