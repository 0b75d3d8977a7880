"""Write a built site (a folder with relative links) as a ZIM file for Kiwix, via `libzim`.

Every file becomes an entry at its path relative to the site root (`policy/x.html`,
`files/x.pdf`), so the site's relative links work unchanged inside Kiwix; HTML pages are
front articles with their <title>. Metadata: Title, Language `zho`, Name, Description,
Creator, Publisher, Date, a 48×48 illustration, and the main page `index.html`.

Deterministic: the same site gives the same bytes. libzim writes items in the order they are
added (sorted here) and, with one worker, indexes them in that order too; what is left random
is the ZIM's UUID (header bytes 8-24) and the UUIDs of its two Xapian databases (full text and
titles; the 16 bytes after each database's "Xapian Glass" version header). `_fix_uuids` replaces
these by UUIDs derived from the rest of the file and writes the MD5 checksum at the end again;
the result is then opened with libzim and must pass `Archive.check()`.
Only regular files are written: a symbolic link or any other kind of file in the site is an
error, never followed. No Pelican here.
"""

from __future__ import annotations

import errno
import hashlib
import html
import mimetypes
import mmap
import os
import re
import stat
import struct
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from libzim.writer import Creator, FileProvider, Hint, Item

from .errors import GongkaiError

MAIN_PAGE = "index.html"
LANGUAGE = "zho"
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_EXTRA_TYPES = {
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
    ".md": "text/plain",
    ".ofd": "application/ofd",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_STORED = ("image/", "application/pdf", "application/zip")  # already compressed


class ZimError(GongkaiError):
    """The ZIM file could not be written."""


@dataclass(frozen=True)
class ZimInfo:
    title: str
    name: str  # short id, e.g. "gongkai_shilixian_zh"
    description: str
    creator: str
    publisher: str
    date: str  # YYYY-MM-DD


def mimetype_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _EXTRA_TYPES:
        return _EXTRA_TYPES[suffix]
    guess, _ = mimetypes.guess_type(path.name)
    return guess or "application/octet-stream"


class _FileItem(Item):
    def __init__(self, root: Path, rel: str):
        super().__init__()
        self.root, self.rel = root, rel
        self.mime = mimetype_of(Path(rel))

    def get_path(self) -> str:
        return self.rel

    def get_title(self) -> str:
        if self.mime != "text/html":
            return ""
        head = (self.root / self.rel).read_bytes()[:8192].decode("utf-8", errors="replace")
        m = _TITLE_RE.search(head)
        # the page's <title> is HTML (autoescaped: `&amp;`, `&#34;`); the ZIM title is its text
        return re.sub(r"\s+", " ", html.unescape(m.group(1))).strip() if m else self.rel

    def get_mimetype(self) -> str:
        return self.mime

    def get_contentprovider(self):
        return FileProvider(str(self.root / self.rel))

    def get_hints(self) -> dict:
        html = self.mime == "text/html"
        return {Hint.FRONT_ARTICLE: html, Hint.COMPRESS: not self.mime.startswith(_STORED)}


def _png(size: int = 48, rgb: tuple[int, int, int] = (176, 28, 36)) -> bytes:
    """A plain square PNG: Kiwix libraries want a 48×48 illustration."""
    row = b"\x00" + bytes(rgb) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def site_files(site: Path) -> list[str]:
    """Every file under `site`, sorted, as relative paths; ZimError on a symbolic link or a file
    that is not a regular file (a FIFO, a device), which are never followed or read."""
    files: list[str] = []
    for folder, dirs, names in os.walk(site):
        for name in sorted(dirs + names):
            path = Path(folder) / name
            mode = os.lstat(path).st_mode
            rel = path.relative_to(site).as_posix()
            if stat.S_ISLNK(mode):
                raise ZimError(f"{site} 中的 {rel} 是符号链接，未导出 ZIM（只导出构建生成的普通文件）")
            if stat.S_ISREG(mode):
                files.append(rel)
            elif not stat.S_ISDIR(mode):
                raise ZimError(f"{site} 中的 {rel} 不是普通文件，未导出 ZIM")
    return sorted(files)


def write_zim(site: Path, out: Path, info: ZimInfo) -> int:
    """Write every file under `site` into the ZIM file `out` (replaced). Returns the entry count."""
    site = Path(site)
    if not (site / MAIN_PAGE).is_file():
        raise ZimError(f"{site} 中没有首页 {MAIN_PAGE}，无法导出 ZIM")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists() or tmp.is_symlink():
        tmp.unlink()
    files = site_files(site)
    try:
        # one worker: items are compressed and indexed in the order they are added
        with Creator(str(tmp)).config_indexing(True, LANGUAGE).config_nbworkers(1) as creator:
            creator.set_mainpath(MAIN_PAGE)
            creator.add_illustration(48, _png())
            metadata = {
                "Title": info.title[:30],
                "Name": info.name,
                "Language": LANGUAGE,
                "Description": info.description[:80],
                "Creator": info.creator,
                "Publisher": info.publisher,
                "Date": info.date,
                "Tags": "_category:other;gongkai",
            }
            for key, value in metadata.items():
                creator.add_metadata(key, value)
            for rel in files:
                creator.add_item(_FileItem(site, rel))
        _fix_uuids(tmp)
        _check(tmp)
    except (RuntimeError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        text = " ".join(str(exc).split())  # libzim's words can span lines
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text:
            why = f"磁盘空间不足（{out.parent} 所在的磁盘已满），请清理磁盘或换一个输出目录后重试"
        else:
            why = f"{text}。若磁盘已满，请清理 {out.parent} 所在的磁盘后重试"
        raise ZimError(f"写入 ZIM 文件 {out} 失败：{why}；未留下不完整的文件。") from exc
    except ZimError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return len(files)


# ---- determinism ------------------------------------------------------------------------------

_HEADER = struct.Struct(
    "<IHH16sIIQQQQIIQ"
)  # magic, major, minor, uuid, entries, clusters, 5 offsets, 2 pages, checksum
_ZIM_MAGIC = 72173914
_GLASS_MAGIC = b"\x0f\rXapian Glass"  # then a 2-byte format version, then the database's 16-byte UUID
_XAPIAN = (("X", "fulltext/xapian"), ("X", "title/xapian"))


def _blob_offset(data, header: tuple, namespace: str, path: str) -> int | None:
    """Where in the file the bytes of the entry `namespace/path` start (its cluster must be
    uncompressed, as libzim stores Xapian databases); None when there is no such entry."""
    entries, path_ptr, cluster_ptr = header[4], header[6], header[8]
    want = (namespace.encode(), path.encode())
    lo, hi = 0, entries  # dirents are sorted by namespace, then path
    while lo < hi:
        mid = (lo + hi) // 2
        (dirent,) = struct.unpack_from("<Q", data, path_ptr + 8 * mid)
        (mime,) = struct.unpack_from("<H", data, dirent)
        ns = data[dirent + 3 : dirent + 4]
        start = dirent + (12 if mime == 0xFFFF else 16)
        end = data.find(b"\0", start)
        if end < 0:
            raise ZimError("ZIM 文件的目录项不完整")
        name = data[start:end]
        if (ns, name) == want:
            if mime == 0xFFFF:
                return None
            cluster, blob = struct.unpack_from("<II", data, dirent + 8)
            (offset,) = struct.unpack_from("<Q", data, cluster_ptr + 8 * cluster)
            info = data[offset]
            if info & 0x0F not in (0, 1):
                raise ZimError(f"ZIM 中 {namespace}/{path} 所在的数据块被压缩，无法固定其 UUID")
            size = 8 if info & 0x10 else 4
            (first,) = struct.unpack_from("<Q" if size == 8 else "<I", data, offset + 1 + size * blob)
            return offset + 1 + first
        if (ns, name) < want:
            lo = mid + 1
        else:
            hi = mid
    return None


def _fix_uuids(path: Path) -> None:
    """Replace the random UUIDs libzim and Xapian wrote by ones derived from the content, and
    write the file's MD5 checksum again."""
    with open(path, "r+b") as fh, mmap.mmap(fh.fileno(), 0) as data:
        header = _HEADER.unpack_from(data, 0)
        if header[0] != _ZIM_MAGIC:
            raise ZimError(f"{path} 不是 ZIM 文件")
        checksum_at = header[12]
        places = [8]
        for namespace, name in _XAPIAN:
            at = _blob_offset(data, header, namespace, name)
            if at is None:
                continue
            if data[at : at + len(_GLASS_MAGIC)] != _GLASS_MAGIC:
                raise ZimError(f"ZIM 中 {namespace}/{name} 不是可识别的 Xapian 数据库，无法固定其 UUID")
            places.append(at + len(_GLASS_MAGIC) + 2)
        for at in places:
            data[at : at + 16] = bytes(16)
        digest = _hash(hashlib.sha256(), data, checksum_at)
        for i, at in enumerate(places):
            data[at : at + 16] = uuid.UUID(
                bytes=hashlib.sha256(digest + bytes([i])).digest()[:16], version=5
            ).bytes
        data[checksum_at : checksum_at + 16] = _hash(hashlib.md5(), data, checksum_at)
        data.flush()


def _hash(h, data, end: int, block: int = 1 << 22) -> bytes:
    for start in range(0, end, block):
        h.update(data[start : min(start + block, end)])
    return h.digest()


def _check(path: Path) -> None:
    from libzim.reader import Archive

    archive = Archive(str(path))
    if not archive.check():
        raise ZimError(f"导出的 ZIM 文件 {path} 未通过 libzim 的完整性检查")
