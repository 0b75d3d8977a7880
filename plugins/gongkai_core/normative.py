"""The 规范性文件库: every published 行政规范性文件 with its 有效性 (现行有效 / 失效 / 废止), its 有效期至
and 废止日期, and its 替代/修改 links (gongkai_core.policylinks), as typed rows the theme shows on one
page per 有效性 (filtering is a link, no JS), and the 现行有效 list as a download (CSV, JSON). Pure: no
Pelican; gongkai_catalog writes the pages, the output plan declares them (outputplan.normative_outputs).

A 规范性文件 is what the annual report and the audit count as one (annual_report.is_normative: an
entry of a normative column, `GONGKAI_AUDIT["normative_columns"]`, with a 文号).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import jsontext, urls
from .annual_report import is_normative
from .csvsafe import text as csv_text
from .policylinks import Links, Ref

FILTERS = (("current", "现行有效"), ("expired", "失效"), ("repealed", "废止"))
LABELS = dict(FILTERS)
TITLE = "规范性文件库"


@dataclass(frozen=True)
class Row:
    title: str
    index_no: str
    doc_no: str
    publisher: str
    date_written: date
    date_published: date
    validity: str  # current | expired | repealed
    valid_until: date | None
    repealed_on: date | None
    url: str  # the entry's page, relative to the site root
    replaces: tuple[Ref, ...] = ()
    replaced_by: tuple[Ref, ...] = ()
    amends: tuple[Ref, ...] = ()
    amended_by: tuple[Ref, ...] = ()

    @property
    def validity_label(self) -> str:
        return LABELS.get(self.validity, self.validity)


@dataclass(frozen=True)
class LibraryPage:
    """One page of the library: all documents (validity None) or those of one 有效性."""

    name: str  # output path (urls.normative_page)
    validity: str | None
    heading: str
    rows: tuple[Row, ...]
    filters: tuple[tuple[str, str, bool, int], ...]  # (label, url, current, count) of every choice
    as_of: date  # the build date: the page changes only when the site is rebuilt


def rows(entries: Iterable, links: Links, normative_columns: Iterable[str]) -> tuple[Row, ...]:
    """The rows of the published `entries` that are 规范性文件, newest first."""
    columns = tuple(normative_columns)
    found = []
    for entry in entries:
        if not is_normative(entry, columns):
            continue
        link = links.get(entry.path)
        relations = entry.relations
        found.append(
            Row(
                entry.title,
                entry.index_no,
                entry.doc_no or "",
                entry.publisher,
                entry.date_written,
                entry.date_published,
                entry.validity,
                entry.valid_until,
                relations.repealed_on if relations is not None else None,
                urls.entry_page(entry.column, entry.slug),
                link.replaces if link else (),
                link.replaced_by if link else (),
                link.amends if link else (),
                link.amended_by if link else (),
            )
        )
    return tuple(sorted(found, key=lambda r: (r.date_published, r.index_no), reverse=True))


def pages(all_rows: tuple[Row, ...], build_date: date) -> list[LibraryPage]:
    """The library's pages: everything, then one per 有效性 (the 现行有效 list among them)."""
    chosen: list[tuple[str | None, tuple[Row, ...]]] = [(None, all_rows)]
    chosen += [(key, tuple(r for r in all_rows if r.validity == key)) for key, _ in FILTERS]
    out = []
    for validity, items in chosen:
        filters = tuple(
            (label, urls.normative_page(key), key == validity, len(these))
            for (key, these), label in zip(chosen, ("全部", *(zh for _, zh in FILTERS)))
        )
        heading = TITLE if validity is None else f"{TITLE}（{LABELS[validity]}）"
        out.append(LibraryPage(urls.normative_page(validity), validity, heading, items, filters, build_date))
    return out


FIELDS = (
    ("index_no", "索引号"),
    ("title", "标题"),
    ("doc_no", "文号"),
    ("publisher", "发布机构"),
    ("date_written", "成文日期"),
    ("date_published", "发布日期"),
    ("validity", "有效性"),
    ("valid_until", "有效期至"),
    ("amended_by", "修改文件"),
    ("replaces", "替代的文件"),
    ("url", "网址"),
)


def _cells(row: Row) -> dict[str, str]:
    return {
        "index_no": row.index_no,
        "title": row.title,
        "doc_no": row.doc_no,
        "publisher": row.publisher,
        "date_written": row.date_written.isoformat(),
        "date_published": row.date_published.isoformat(),
        "validity": row.validity_label,
        "valid_until": row.valid_until.isoformat() if row.valid_until else "",
        "amended_by": "；".join(f"{r.doc_no or r.title}（{r.index_no}）" for r in row.amended_by),
        "replaces": "；".join(f"{r.doc_no or r.title}（{r.index_no}）" for r in row.replaces),
        "url": row.url,
    }


def csv_bytes(items: Iterable[Row]) -> bytes:
    """The rows as CSV: a header of Chinese names, no cell runs as a formula, BOM for Excel."""
    table = [[zh for _, zh in FIELDS], *([_cells(r)[k] for k, _ in FIELDS] for r in items)]
    return ("\ufeff" + csv_text(table, "\r\n")).encode("utf-8")


def json_bytes(items: Iterable[Row], site_name: str, build_date: date) -> bytes:
    entries = [_cells(r) for r in items]
    doc = {
        "site": site_name,
        "title": f"{TITLE}（现行有效）",
        "as_of": build_date.isoformat(),
        "fields": dict(FIELDS),
        "count": len(entries),
        "entries": entries,
    }
    return jsontext.dumps(doc, sort_keys=True).encode("utf-8")
