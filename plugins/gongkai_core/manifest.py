"""The checksum manifest of a mirror: a BagIt bag (RFC 8493) with SHA-256, via `bagit`.

Layout of a mirror directory (a bag):

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    index.html            a tag file: sends the browser on to data/index.html
    tagmanifest-sha256.txt.sig   the office's signature of the tag manifest (signature.py), if signed
    data/                 the site, every file listed in manifest-sha256.txt

`bag-info.txt` carries the site name (External-Description / Gongkai-Site-Name), the build
date (Bagging-Date, Gongkai-Build-Date), the source commit (Gongkai-Source-Commit) and the
payload size. `verify` re-hashes every file (never size only: a same-size edit must show).
No Pelican here.
"""

from __future__ import annotations

import hashlib
import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from .signature import SIGNATURE

ALGORITHM = "sha256"
TAG_FILES = ("bagit.txt", "bag-info.txt", f"manifest-{ALGORITHM}.txt", f"tagmanifest-{ALGORITHM}.txt")
LANDING = "index.html"
# Every file a mirror holds beside the site's own (under data/); the signature only when signed.
MIRROR_FILES = (*TAG_FILES, LANDING)
AGENT = f"Gongkai mirror (bagit.py {bagit.VERSION})"


@dataclass(frozen=True)
class BagInfo:
    site_name: str
    build_date: str  # YYYY-MM-DD, the build date of the site (SOURCE_DATE_EPOCH honoured)
    source_commit: str  # git commit of the content, or "unknown"
    organization: str = ""

    def as_tags(self) -> dict[str, str]:
        tags = {
            "Bagging-Date": self.build_date,
            "Bag-Software-Agent": AGENT,
            "External-Description": f"{self.site_name}离线镜像",
            "Gongkai-Site-Name": self.site_name,
            "Gongkai-Build-Date": self.build_date,
            "Gongkai-Source-Commit": self.source_commit,
        }
        if self.organization:
            tags["Source-Organization"] = self.organization
        return tags


def landing_page(site_name: str) -> str:
    """The page at the top of a mirror: opens the site; says what the folder is."""
    name = html.escape(site_name)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="refresh" content="0; url=data/index.html">\n'
        f"<title>{name}（离线镜像）</title>\n</head>\n<body>\n"
        f'<p>{name}离线镜像。<a href="data/index.html">进入网站</a></p>\n'
        "<p>本目录是 BagIt 格式的档案包：网站文件在 data/ 中，manifest-sha256.txt 记录每个文件的校验值。</p>\n"
        "</body>\n</html>\n"
    )


def make_bag(directory: Path, info: BagInfo) -> None:
    """Turn `directory` (holding the site files) into the bag of a mirror: files move into
    data/ by rename (inodes, and so hardlinks, are kept), then the manifests are written."""
    bag = bagit.make_bag(str(directory), bag_info=info.as_tags(), checksums=[ALGORITHM])
    (directory / LANDING).write_text(landing_page(info.site_name), encoding="utf-8")
    bag.save()  # bag-info and the tag manifest again, now covering the landing page
    _sort_tagmanifest(directory)


def _sort_tagmanifest(directory: Path) -> None:
    """bagit lists tag files in directory order; sorted, the bag is byte-identical run to run."""
    path = directory / f"tagmanifest-{ALGORITHM}.txt"
    lines = sorted(path.read_text(encoding="utf-8").splitlines())
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_info(directory: Path) -> dict[str, str]:
    try:
        return dict(bagit.Bag(str(directory)).info)
    except bagit.BagError:
        return {}


def is_bag(directory: Path) -> bool:
    return (directory / "bagit.txt").is_file()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---- verification ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Finding:
    kind: str  # missing | modified | unexpected | structure
    path: str  # relative to the mirror
    detail: str = ""

    def __str__(self) -> str:
        label = FINDING_LABELS.get(self.kind, self.kind)
        return f"{label}：{self.path}" + (f"（{self.detail}）" if self.detail else "")


FINDING_LABELS = {
    "missing": "缺少文件",
    "modified": "文件被修改",
    "unexpected": "多出文件",
    "structure": "档案包结构错误",
}


@dataclass
class Verification:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def verify_bag(directory: Path) -> Verification:
    """Re-hash every payload and tag file against the manifests; list every file that is
    missing, modified or not in the manifest. Never raises for a bad mirror: it reports."""
    directory = Path(directory)
    result = Verification()
    if not directory.is_dir():
        result.findings.append(Finding("structure", str(directory), "镜像目录不存在"))
        return result
    missing_tags = [name for name in TAG_FILES if not (directory / name).is_file()]
    if missing_tags:
        result.findings += [Finding("missing", name, "档案包清单文件") for name in missing_tags]
        if "bagit.txt" in missing_tags or f"manifest-{ALGORITHM}.txt" in missing_tags:
            return result
    try:
        bag = bagit.Bag(str(directory))
    except bagit.BagError as exc:
        result.findings.append(Finding("structure", "bagit.txt", f"无法读取档案包：{exc}"))
        return result
    if ALGORITHM not in bag.algorithms:
        result.findings.append(Finding("structure", f"manifest-{ALGORITHM}.txt", "没有 SHA-256 校验清单"))
        return result
    expected = bag.entries  # path -> {alg: digest}, payload and tag files
    result.files = len(expected)
    on_disk = {
        p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() or p.is_symlink()
    }
    allowed_extra = {f"tagmanifest-{ALGORITHM}.txt", SIGNATURE}  # not listed in itself; the signature of it
    for rel in sorted(expected):
        path = directory / rel
        want = expected[rel].get(ALGORITHM)
        if not want:  # listed by another manifest only (md5, sha1…): a way to smuggle a file in
            result.findings.append(Finding("unexpected", rel, "不在 SHA-256 校验清单中"))
            continue
        if rel not in on_disk:
            result.findings.append(Finding("missing", rel))
            continue
        if path.is_symlink():
            result.findings.append(Finding("modified", rel, "被替换为符号链接"))
            continue
        got = sha256(path)
        if got != want:
            detail = f"SHA-256 应为 {want[:12]}…，实为 {got[:12]}…"
            result.findings.append(Finding("modified", rel, detail))
    for rel in sorted(on_disk - set(expected) - allowed_extra):
        result.findings.append(Finding("unexpected", rel, "不在校验清单中"))
    oxum = bag.info.get("Payload-Oxum")
    if oxum and not result.findings:
        count = sum(1 for rel in expected if rel.startswith("data/"))
        size = sum((directory / rel).stat().st_size for rel in expected if rel.startswith("data/"))
        if oxum != f"{size}.{count}":
            detail = f"Payload-Oxum {oxum} 与实际 {size}.{count} 不符"
            result.findings.append(Finding("structure", "bag-info.txt", detail))
    result.findings.sort()
    return result


def link_or_copy(src: Path, dst: Path) -> bool:
    """Hardlink `src` at `dst` (no bytes written); copy where the disk has no hardlinks.
    Returns True when linked."""
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
        return True
    except OSError:
        shutil.copy2(src, dst)
        return False
