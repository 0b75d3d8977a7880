"""Write a built site (a folder with relative links) as a ZIM file for Kiwix, via `libzim`.

Every file becomes an entry at its path relative to the site root (`policy/x.html`,
`files/x.pdf`), so the site's relative links work unchanged inside Kiwix; HTML pages are
front articles with their <title>. Metadata: Title, Language `zho`, Name, Description,
Creator, Publisher, Date, a 48×48 illustration, and the main page `index.html`.
No Pelican here.
"""

from __future__ import annotations

import mimetypes
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from libzim.writer import Creator, FileProvider, Hint, Item

from .errors import GongkaiError

MAIN_PAGE = "index.html"
LANGUAGE = "zho"
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_EXTRA_TYPES = {
    ".js": "application/javascript", ".mjs": "application/javascript", ".json": "application/json",
    ".csv": "text/csv", ".xml": "application/xml", ".svg": "image/svg+xml", ".woff2": "font/woff2",
    ".txt": "text/plain", ".md": "text/plain", ".ofd": "application/ofd",
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
        return re.sub(r"\s+", " ", m.group(1)).strip() if m else self.rel

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
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_zim(site: Path, out: Path, info: ZimInfo) -> int:
    """Write every file under `site` into the ZIM file `out` (replaced). Returns the entry count."""
    site = Path(site)
    if not (site / MAIN_PAGE).is_file():
        raise ZimError(f"{site} 中没有首页 {MAIN_PAGE}，无法导出 ZIM")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    try:
        with Creator(str(tmp)).config_indexing(True, LANGUAGE) as creator:
            creator.set_mainpath(MAIN_PAGE)
            creator.add_illustration(48, _png())
            metadata = {"Title": info.title[:30], "Name": info.name, "Language": LANGUAGE,
                        "Description": info.description[:80], "Creator": info.creator,
                        "Publisher": info.publisher, "Date": info.date, "Tags": "_category:other;gongkai"}
            for key, value in metadata.items():
                creator.add_metadata(key, value)
            for rel in files:
                creator.add_item(_FileItem(site, rel))
    except RuntimeError as exc:
        tmp.unlink(missing_ok=True)
        raise ZimError(f"写入 ZIM 文件失败：{exc}") from exc
    tmp.replace(out)
    return len(files)

