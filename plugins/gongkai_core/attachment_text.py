"""The text inside attachments, and the personal-data and 涉密 scans of it (no Pelican here).

`parts(data, name)` yields the text of a file piece by piece, each with where it is (PDF page,
sheet and cell, paragraph, line): PDF with pypdf (page text, annotations, form fields, bookmarks,
document properties, embedded files), Office Open XML (.docx, .pptx) and OpenDocument / OFD
by reading the XML of every part of the package (body, headers, footers, footnotes, comments,
text boxes, slides, notes, properties — more than python-docx shows), .xlsx with openpyxl
(read-only, cached values) plus its comments and drawings, and text files (.txt, .csv, .json,
.xml, .html, .md …; UTF-8, UTF-16 or GB 18030). The kind is told from the bytes, not the name.

Hard limits keep a hostile file from costing the build: MAX_SECONDS per file (a timer, and the
loops check it), MAX_PDF_PAGES, zip packages checked before anything is decompressed (member
count, declared sizes) and every member read with a bound (a header that understates a size
cannot make a bomb), no XML with a DTD, extracted text capped. A file that cannot be read all
the way raises Unreadable with the reason in Chinese; the scan below then treats it as
unproven: an attachment of a published entry that cannot be read fails the build (we cannot
show it holds no personal data). Images carry no text we read; a photographed ID card is for
the reviewers to see.

`scan_file` runs pii.candidates and secret_mark on every part and keeps the findings in a
readcache.ContentCache keyed by the file's SHA-256, so an unchanged attachment costs a stat on
the next build. `problems` turns the findings into file:line messages of the entries that
declare or link the attachment (and of the file itself, for a 涉密 mark in a file no entry uses).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import signal
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import pii, secret_mark
from .errors import Problem
from .visible import views

MAX_SECONDS = 120
MAX_PDF_PAGES = 5000
MAX_TEXT_CHARS = 50_000_000
MAX_EMBEDDED_DEPTH = 2
ZIP_MAX_MEMBERS = 20_000
ZIP_MAX_MEMBER = 128 * 2**20
ZIP_MAX_TOTAL = 512 * 2**20

TEXT_SUFFIXES = frozenset(
    {
        ".txt",
        ".csv",
        ".tsv",
        ".json",
        ".yaml",
        ".yml",
        ".log",
        ".ini",
        ".vcf",
        ".ics",
        ".rtf",
        ".tex",
        ".srt",
        ".vtt",
    }
)
MARKUP_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".xml", ".svg", ".md", ".markdown", ".rst", ".mkd", ".mdown"}
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


class Unreadable(Exception):
    """The text of a file could not be read all the way; the message says why, in Chinese."""


class _Timeout(BaseException):  # not an Exception: the libraries' `except Exception` must not stop it
    pass


@dataclass(frozen=True)
class Part:
    where: str  # 第3页 / 工作表“预算”B7 / 正文第5段 / "" (a text file: the line is told per finding)
    text: str
    markup: bool = True


class _Budget:
    """The time and text a file may take."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.chars = 0

    def check(self, text: str = "") -> None:
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise Unreadable(f"文字超过 {MAX_TEXT_CHARS // 1_000_000} 百万字，无法全部检查")
        if time.monotonic() > self.deadline:
            raise _Timeout


@contextlib.contextmanager
def _time_limit(seconds: float):
    """A timer that interrupts a library stuck on one page (main thread only; elsewhere the loops'
    own checks still hold)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def kind_of(data: bytes, name: str) -> str:
    """pdf | zip | ole | image | text | binary, from the bytes (the name only tells text apart)."""
    head = data[:1024]
    suffix = Path(name).suffix.lower()
    # a viewer finds a PDF's header within its first KiB; a text file that mentions one is still text
    if data.lstrip()[:5] == b"%PDF-" or (b"%PDF-" in head and suffix not in TEXT_SUFFIXES | MARKUP_SUFFIXES):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:8] == OLE_MAGIC:
        return "ole"
    if any(data.startswith(m) for m in IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if _decode(data) is not None:
        return "text"
    return "binary"


def _decode(data: bytes) -> str | None:
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def parts(data: bytes, name: str, depth: int = 0, budget: _Budget | None = None) -> Iterator[Part]:
    """The text of a file, piece by piece (see the module's docstring). Raises Unreadable."""
    budget = budget or _Budget(MAX_SECONDS)
    kind = kind_of(data, name)
    suffix = Path(name).suffix.lower()
    if kind == "pdf":
        yield from _pdf(data, depth, budget)
    elif kind == "zip":
        yield from _package(data, budget)
    elif kind == "ole":
        raise Unreadable("是旧版 Office/WPS 格式（.doc、.xls、.ppt、.wps、.et 等），其中的文字无法读取")
    elif kind == "image":
        return
    elif kind == "text":
        text = _decode(data)
        budget.check(text)
        yield Part("", text, markup=suffix not in TEXT_SUFFIXES)
    else:
        raise Unreadable("文件格式无法识别，其中的文字无法读取")


# --- PDF ---------------------------------------------------------------------------------------


def _pdf(data: bytes, depth: int, budget: _Budget) -> Iterator[Part]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are no use to an editor
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError) as exc:
                raise Unreadable(f"PDF 已加密，无法解密（{exc}）") from None
            if not opened:
                raise Unreadable("PDF 已加密，需要密码才能打开")
        pages = reader.pages
        count = len(pages)
    except Unreadable:
        raise
    except (
        PdfReadError,
        FileNotDecryptedError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
    ) as exc:
        if re.search(rb"\bobj\b|\bstream\b", data) is None:
            # no object at all (what a few bytes saved as .pdf are): nothing a viewer could show
            text = data.decode("latin-1")
            yield Part("", text, markup=False)
            return
        raise Unreadable(f"PDF 文件已损坏，无法读取（{type(exc).__name__}）") from None
    if count > MAX_PDF_PAGES:
        raise Unreadable(f"PDF 有 {count} 页，超过 {MAX_PDF_PAGES} 页的检查上限；请拆分")
    for number in range(count):
        where = f"第{number + 1}页"
        try:
            page = pages[number]
            text = page.extract_text() or ""
            notes = _annotations(page)
        except (Unreadable, _Timeout):
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the library on a page: that page is unread
            raise Unreadable(f"{where}无法读取（{type(exc).__name__}）") from None
        budget.check(text)
        yield Part(where, text, markup=False)
        for note in notes:
            budget.check(note)
            yield Part(f"{where}的批注或表单", note, markup=False)
    try:
        extra = list(_pdf_extras(reader))
        embedded = [(name, item) for name, items in (reader.attachments or {}).items() for item in items]
    except (Unreadable, _Timeout):
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"文档属性或书签无法读取（{type(exc).__name__}）") from None
    for where, text in extra:
        budget.check(text)
        yield Part(where, text, markup=False)
    for name, item in embedded:
        if depth >= MAX_EMBEDDED_DEPTH:
            raise Unreadable("PDF 内嵌的文件层数过多")
        yield Part("内嵌文件名", str(name), markup=False)
        try:
            for part in parts(item, str(name), depth + 1, budget):
                yield Part(f"内嵌文件“{name}”{part.where}", part.text, part.markup)
        except Unreadable as exc:
            raise Unreadable(f"内嵌文件“{name}”{exc}") from None


def _strings_of(value, depth: int = 0) -> Iterator[str]:
    """Text strings inside a PDF object (annotation contents, field values …)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, TextStringObject

    if depth > 6:
        return
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, TextStringObject | str):
        yield str(value)
    elif isinstance(value, ArrayObject | list):
        for item in value[:1000]:
            yield from _strings_of(item, depth + 1)
    elif isinstance(value, DictionaryObject):
        for key in ("/Contents", "/T", "/TU", "/V", "/RC", "/CA", "/Subj"):
            if key in value:
                yield from _strings_of(value[key], depth + 1)


def _annotations(page) -> list[str]:
    annots = page.get("/Annots")
    if annots is None:
        return []
    annots = annots.get_object()
    return [text for annot in list(annots)[:5000] for text in _strings_of(annot) if text.strip()]


def _pdf_extras(reader) -> Iterator[tuple[str, str]]:
    for value in (reader.metadata or {}).values():
        if isinstance(value, str) and value.strip():
            yield "文档属性", value
    stack = [reader.outline]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item[:5000])
        elif getattr(item, "title", None):
            yield "书签", str(item.title)
    for name, fielddata in (reader.get_fields() or {}).items():
        for text in (name, fielddata.get("/V")):
            if isinstance(text, str) and text.strip():
                yield "表单", text


# --- zip packages: Office Open XML, OpenDocument, OFD -------------------------------------------


def _members(data: bytes, budget: _Budget) -> dict[str, bytes]:
    """The XML members of a zip package, each read with a bound (bomb-safe)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Unreadable(f"压缩结构已损坏（{exc}）") from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise Unreadable(f"其中有 {len(infos)} 个部件，超过 {ZIP_MAX_MEMBERS} 个的上限")
    declared = sum(info.file_size for info in infos)
    if declared > ZIP_MAX_TOTAL or any(info.file_size > ZIP_MAX_MEMBER for info in infos):
        raise Unreadable(
            f"解压后超过 {ZIP_MAX_TOTAL // 2**20} MB（或单个部件超过 {ZIP_MAX_MEMBER // 2**20} MB），"
            "可能是压缩炸弹"
        )
    found: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir() or not (name.lower().endswith((".xml", ".rels")) or name == "mimetype"):
            continue
        if info.flag_bits & 0x1:
            raise Unreadable("其中的部件已加密")
        try:
            with archive.open(info) as member:
                body = member.read(info.file_size + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            ValueError,
            OSError,
            EOFError,
        ) as exc:
            raise Unreadable(f"部件“{name}”无法解压（{exc}）") from None
        if len(body) > info.file_size:
            raise Unreadable(f"部件“{name}”的大小与文件头不符，可能是压缩炸弹")
        total += len(body)
        if total > ZIP_MAX_TOTAL:
            raise Unreadable(f"解压后超过 {ZIP_MAX_TOTAL // 2**20} MB")
        sniff = body[:4096]
        if sniff.startswith((b"\xff\xfe", b"\xfe\xff")):
            sniff = sniff.decode("utf-16", "replace").encode()
        if b"<!DOCTYPE" in sniff.upper() or b"<!ENTITY" in body.upper():
            raise Unreadable(f"部件“{name}”含有 DTD 声明，不能安全读取")
        found[name] = body
        budget.check()
    return found


PARAGRAPHS = frozenset({"p", "h", "TextObject", "si"})
SPACES = frozenset({"tab", "s", "ptab"})
BREAKS = frozenset({"br", "cr", "line-break"})
ALT_TEXT = frozenset({"descr", "title"})


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_texts(body: bytes) -> Iterator[tuple[bool, str]]:
    """(is a paragraph, text) of one XML part in document order: the runs of a paragraph (w:p, a:p,
    text:p, text:h, OFD TextObject, a shared string) joined as Word shows them, line breaks and
    tabs as such; text outside any paragraph (properties, cell values) and pictures' alternative
    text (descr, title attributes) each on its own."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Unreadable(f"XML 无法解析（{exc}）") from None
    out: list[tuple[bool, str]] = []
    open_paragraphs: list[list[str]] = []

    def add(text: str | None) -> None:
        if not text:
            return
        if open_paragraphs:
            open_paragraphs[-1].append(text)
        elif text.strip():
            out.append((False, text))

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        name = _local(element.tag)
        if closing:
            if name in PARAGRAPHS:
                text = "".join(open_paragraphs.pop())
                if text.strip():
                    out.append((True, text))
            add(element.tail)
            continue
        for key, value in element.attrib.items():  # a picture's or shape's alternative text (wp:docPr …)
            if _local(key) in ALT_TEXT and value.strip():
                out.append((False, value))
        if name in PARAGRAPHS:
            open_paragraphs.append([])
        elif name in SPACES:
            add(" ")
        elif name in BREAKS:
            add("\n")
        add(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return iter(out)


def _part_label(name: str) -> str:
    low = name.lower()
    number = re.search(r"(\d+)\.xml$", low)
    n = number.group(1) if number else ""
    for needle, label in (
        ("word/document", "正文"),
        ("header", "页眉"),
        ("footer", "页脚"),
        ("footnotes", "脚注"),
        ("endnotes", "尾注"),
        ("comments", "批注"),
        ("docprops/", "文档属性"),
        ("notesslide", f"第{n}张幻灯片的备注"),
        ("ppt/slides/slide", f"第{n}张幻灯片"),
        ("content.xml", "正文"),
        ("styles.xml", "页眉页脚或样式"),
        ("meta.xml", "文档属性"),
        ("drawings/", "图形"),
        ("charts/", "图表"),
    ):
        if needle in low:
            if needle == "content.xml" and "/pages/page_" in low:
                page = re.search(r"/pages/page_(\d+)/", low)
                return f"第{int(page.group(1)) + 1}页" if page else "正文"
            return label
    return f"部件“{name}”"


def _package(data: bytes, budget: _Budget) -> Iterator[Part]:
    members = _members(data, budget)
    if "xl/workbook.xml" in members:
        yield from _xlsx(data, members, budget)
        return
    known = (
        "word/document.xml" in members
        or "ppt/presentation.xml" in members
        or "OFD.xml" in members
        or members.get("mimetype", b"").startswith(b"application/vnd.oasis.opendocument")
    )
    if not known:
        raise Unreadable("是压缩包或无法识别的文档格式，其中的文字无法检查")
    for name in sorted(members, key=lambda n: (not n.lower().startswith(("word/document", "content")), n)):
        if name.lower().endswith(".rels") or name == "mimetype":
            continue
        yield from _xml_part(name, members[name], budget)


def _xml_part(name: str, body: bytes, budget: _Budget, label: str | None = None) -> Iterator[Part]:
    label = label or _part_label(name)
    paragraph = 0
    for is_paragraph, text in xml_texts(body):
        budget.check(text)
        if is_paragraph:
            paragraph += 1
            yield Part(f"{label}第{paragraph}段", text, markup=False)
        else:
            yield Part(label, text, markup=False)


HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)[^>]*>(.*?)</", re.DOTALL)


def _xlsx(data: bytes, members: dict[str, bytes], budget: _Budget) -> Iterator[Part]:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():  # openpyxl warns of styles and extensions it does not read
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (_Timeout, Unreadable):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl cannot open is unread
        raise Unreadable(f"工作簿无法读取（{type(exc).__name__}）") from None
    try:
        for sheet in book.worksheets:
            yield Part("工作表名称", sheet.title, markup=False)
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    text = _cell_text(value)
                    budget.check(text)
                    if text:
                        yield Part(f"工作表“{sheet.title}”{cell.coordinate}", text, markup=False)
    except (_Timeout, Unreadable):
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"工作表无法读取（{type(exc).__name__}）") from None
    finally:
        book.close()
    for name in sorted(members):
        low = name.lower()
        if low.endswith(".rels") or low == "xl/sharedstrings.xml":
            continue
        if low.startswith("xl/worksheets/"):  # cells came from openpyxl; headers and footers from here
            for m in HEADER_FOOTER.finditer(members[name]):
                text = m.group(1).decode("utf-8", "replace")
                yield Part(f"工作表部件“{name}”的页眉页脚", text, markup=True)
            continue
        yield from _xml_part(name, members[name], budget)


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e20 else repr(value)
    if isinstance(value, int | str):
        return str(value)
    return ""  # dates and times


# --- scanning, cached by the file's bytes ---------------------------------------------------------


@dataclass(frozen=True)
class FileScan:
    """What the scans found in one file's text (independent of the entries that use it)."""

    # one tuple per view of a part: ((candidate, where), …) — pii_allow is applied per entry
    numbers: tuple[tuple[tuple[pii.Candidate, str], ...], ...] = ()
    marks: tuple[tuple[str, int], ...] = ()  # (where, line in the file: text files) of 涉密 marks
    error: str | None = None  # why its text could not all be read


def _where(part: Part, line: int) -> str:
    return part.where or f"第{line}行"


def printable(text: str, limit: int = 300) -> str:
    """`text` fit for a message: control, format and other invisible characters as "?", at most `limit`."""
    import unicodedata

    shown = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return shown if len(shown) <= limit else shown[:limit] + "…"


def scan_bytes(data: bytes, name: str) -> FileScan:
    numbers: list[tuple[tuple[pii.Candidate, str], ...]] = []
    marks: list[tuple[str, int]] = []
    error = None
    budget = _Budget(MAX_SECONDS)
    try:
        with _time_limit(MAX_SECONDS + 5):
            for part in parts(data, name, budget=budget):
                _scan_part(part, numbers, marks)
    except Unreadable as exc:
        error = str(exc)
    except _Timeout:
        error = f"读取超过 {MAX_SECONDS} 秒仍未完成（文件过大或结构异常）"
    except RecursionError:
        error = "结构嵌套过深"
    except MemoryError:
        error = "读取所需内存过多"
    except Exception as exc:  # noqa: BLE001 - whatever else a hostile file makes a library raise: unread
        error = f"文件已损坏或结构异常（{type(exc).__name__}）"
    # names of parts and sheets come from the file: never a control character in a message
    return FileScan(
        tuple(numbers),
        tuple((printable(where, 200), line) for where, line in marks),
        printable(error) if error is not None else None,
    )


def _scan_part(part: Part, numbers: list, marks: list) -> None:
    text = part.text
    may_number = pii.may_hold_number(text)
    may_mark = secret_mark.may_hold(text)
    if not (may_number or may_mark):
        return
    for view in views(text, 1, part.markup):
        if may_number:
            found = tuple(
                (c, printable(_where(part, view.line_at(c.start)), 200)) for c in pii.candidates(view.text)
            )
            if found:
                numbers.append(found)
        if may_mark:
            for line in secret_mark.marks_in(view):
                marks.append((_where(part, line), line if not part.where else 1))


LIBRARIES = ("pypdf", "openpyxl", "cryptography")  # what reading attachments depends on (the store's version)


class ContentStore(Protocol):
    """Results by a file's SHA-256 (gongkai_build.readcache.ContentCache)."""

    def digest(self, path: Path) -> str: ...
    def get(self, digest: str): ...
    def put(self, digest: str, value) -> None: ...
    def save(self) -> None: ...


class _NoStore:
    """No store: every file is hashed and read."""

    def digest(self, path: Path) -> str:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def get(self, digest: str):
        return None

    def put(self, digest: str, value) -> None:
        pass

    def save(self) -> None:
        pass


class Scanner:
    """scan_file for many files of one run, through a ContentStore."""

    def __init__(self, cache: ContentStore | None) -> None:
        self.cache = cache if cache is not None else _NoStore()
        self.done: dict[Path, FileScan] = {}

    def scan(self, path: Path) -> FileScan:
        found = self.done.get(path)
        if found is not None:
            return found
        try:
            digest = self.cache.digest(path)
            found = self.cache.get(digest)
            if not isinstance(found, FileScan):
                found = scan_bytes(path.read_bytes(), path.name)
                self.cache.put(digest, found)
        except OSError as exc:
            found = FileScan(error=f"无法读取文件（{exc.strerror or exc}）")
        self.done[path] = found
        return found

    def save(self) -> None:
        self.cache.save()


# --- problems ---------------------------------------------------------------------------------

SECRET_MESSAGE = (
    "含有密级标志（如“秘密★”）。涉密信息不得进入本仓库：请立即删除此文件，"
    "并请管理员从 git 历史中彻底清除，再按保密规定处理"
)


@dataclass
class Use:
    """An entry's use of a file: where the entry names it (its line) and under which key."""

    entry_path: str
    line: int
    key: str
    published: bool
    allowed: frozenset[str] = field(default_factory=frozenset)


def problems_of(file: str, scan: FileScan, use: Use) -> list[Problem]:
    """The messages for one entry's use of one scanned file."""
    found: list[Problem] = []
    seen: set[tuple] = set()
    for where, _line in scan.marks:
        if ("mark", where) not in seen:
            seen.add(("mark", where))
            found.append(
                Problem(use.entry_path, use.line, f"附件“{file}”{where}{SECRET_MESSAGE}", "secrecy_level")
            )
    if not use.published:
        return found
    for view in scan.numbers:
        chosen = pii.select([c for c, _ in view], use.allowed)
        where_of = {id(c): where for c, where in view}
        for c in chosen:
            where = where_of[id(c)]
            hit = pii.PiiHit(c.kind, c.normalised, c.normalised, c.start)
            if (c.kind, c.normalised, where) in seen:
                continue
            seen.add((c.kind, c.normalised, where))
            found.append(
                Problem(
                    use.entry_path,
                    use.line,
                    f"附件“{file}”{where}发现{hit.label}“{hit.masked}”：公开的附件不得含有个人信息，请删除或打码"
                    f"（如 {hit.masked}）后重新生成附件；确需公开的，请在 pii_allow 中列出该号码并写明理由",
                    f"pii.{c.kind}",
                )
            )
    if scan.error is not None:
        found.append(
            Problem(
                use.entry_path,
                use.line,
                f"附件“{file}”无法读取：{scan.error}。无法确认其中没有个人信息，条目不能公开："
                "请换成能正常打开、未加密的 PDF、.docx 或 .xlsx 文件",
                use.key,
            )
        )
    return found


def _line_of(source: Path | None, start: int, needle: str) -> int:
    """The first line from `start` on that holds `needle` (an attachments item's file), else `start`."""
    if source is None:
        return start
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return start
    for number in range(max(start, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start


def site_problems(
    entries: list[tuple],
    content_root: Path,
    others: list[Path],
    shown,
    cache: ContentStore | None,
    keep: bool = True,
) -> list[Problem]:
    """The problems of the files entries declare or link — (entry, published, source file) each —
    and of `others` (every other file under content/) no entry uses: 涉密 marks anywhere, personal
    data and unreadable text in what a published entry shows. The cache is written only with
    `keep` (a run over some of the entries would prune it to theirs)."""
    scanner = Scanner(cache)
    found: list[Problem] = []
    used: set[str] = set()
    for entry, published, source in entries:
        allowed = pii.allowed_numbers(a.value for a in entry.pii_allow)
        declared = {att.file for att in entry.attachments}
        for i, att in enumerate(entry.attachments):
            if att.file in used and not published:
                continue
            line = _line_of(source, entry.line_of("attachments"), att.file) if source is not None else 1
            use = Use(entry.path, line, f"attachments[{i}].file", published, allowed)
            found.extend(problems_of(att.file, scanner.scan(content_root / att.file), use))
            used.add(att.file)
        for ref in entry.linked_files:
            if ref in declared:
                continue
            at = entry.body.find(ref)
            line = entry.body_line + entry.body.count("\n", 0, at) if at >= 0 else entry.body_line
            use = Use(entry.path, line, "body", published, allowed)
            found.extend(problems_of(ref, scanner.scan(content_root / ref), use))
            used.add(ref)
    for path in others:
        rel = path.relative_to(content_root).as_posix()
        if rel in used or path.is_symlink() or not path.is_file():
            continue
        where = shown(path)
        if secret_mark.find(rel, markup=False):
            found.append(Problem(where, 1, f"文件名{SECRET_MESSAGE}", "secrecy_level"))
        try:
            if path.stat().st_size > ZIP_MAX_TOTAL:
                continue
        except OSError:
            continue
        scan = scanner.scan(path)
        for place, line in dict.fromkeys(scan.marks):  # a text file's line is the problem's own line
            found.append(
                Problem(
                    where,
                    line,
                    f"{'文件' if line > 1 or place.endswith('行') else place}{SECRET_MESSAGE}",
                    "secrecy_level",
                )
            )
    if keep:
        scanner.save()
    return found
