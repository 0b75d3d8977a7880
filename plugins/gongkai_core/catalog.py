"""The catalog (政府信息公开目录) as rows, CSV, JSON, and the sitemap. Deterministic output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import jsontext
from .csvsafe import text as csv_text
from .entry import Entry
from .xmlsafe import absolute
from .xmlsafe import escape as xml_escape
from .xmlsafe import site_url as url_base

FIELDS = (
    ("index_no", "索引号"),
    ("title", "标题"),
    ("publisher", "发布机构"),
    ("doc_no", "文号"),
    ("date_written", "成文日期"),
    ("date_published", "发布日期"),
    ("column", "栏目"),
    ("topic", "主题分类"),
    ("genre", "体裁分类"),
    ("keywords", "关键词"),
    ("summary", "内容概述"),
    ("validity", "有效性"),
    ("url", "网址"),
)
VALIDITY_ZH = {"current": "有效", "expired": "失效", "repealed": "废止"}


def row(entry: Entry, url: str, columns: dict[str, str]) -> dict[str, str]:
    return {
        "index_no": entry.index_no,
        "title": entry.title,
        "publisher": entry.publisher,
        "doc_no": entry.doc_no or "",
        "date_written": entry.date_written.isoformat(),
        "date_published": entry.date_published.isoformat(),
        "column": columns.get(entry.column, entry.column),
        "topic": entry.topic or "",
        "genre": entry.genre_label or "",
        "keywords": "、".join(entry.keywords),
        "summary": entry.summary or "",
        "validity": VALIDITY_ZH.get(entry.validity, entry.validity),
        "url": url,
    }


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so unchanged files keep their mtime."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    table = [[zh for _, zh in FIELDS], *([r[k] for k, _ in FIELDS] for r in rows)]
    # no cell runs as a formula (csvsafe); BOM so that Excel opens the Chinese text correctly
    write_if_changed(path, ("\ufeff" + csv_text(table, "\r\n")).encode("utf-8"))


def write_json(path: Path, rows: list[dict[str, str]], site_name: str) -> None:
    doc = {"site": site_name, "fields": dict(FIELDS), "count": len(rows), "entries": rows}
    write_if_changed(path, jsontext.dumps(doc, sort_keys=True).encode("utf-8"))


def write_sitemap(path: Path, site_url: str, urls: list[tuple[str, date | None]], out: Path) -> None:
    """`urls`: output-relative paths (as on disk, any characters) and their last change. Each <loc>
    is the percent-encoded URL, XML-escaped: the file is well-formed whatever the file names."""
    base = url_base(site_url)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in sorted(set(urls), key=lambda u: u[0]):
        if not (out / loc).exists():
            continue
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{xml_escape(absolute(base, loc))}</loc>{mod}</url>")
    lines.append("</urlset>")
    write_if_changed(path, ("\n".join(lines) + "\n").encode("utf-8"))
