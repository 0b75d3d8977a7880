"""What a file name or a path in content may be: the allow-lists behind the output model.

Nothing reaches the public site by being *there*: a file is copied only when a published entry
declares it (an attachment or a link in its body), and then only when it passes `content_file`:
a regular file, no symbolic link anywhere on its way, under `content/files/`, reached without
`..`, `.` or hidden names, of a type a browser shows or downloads but never runs
(schema.ATTACHMENT_SUFFIXES). Entry and page names (their slugs, the last part of their URL)
pass `slug_problem`: letters, digits, `-`, `_`, `.`, nothing that climbs out of a folder or needs
escaping in a URL. No Pelican here.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from .schema import ATTACHMENT_SUFFIXES, LEGACY_OFFICE

FILES_DIR = "files"
MISSING = "文件不存在，请检查文件名和大小写"
MAX_SLUG = 120
# Letters and digits of any script (汉字 included), and - _ . inside; what a URL carries unescaped
# in every browser, and what every file system and web server stores as it is.
_SLUG_CHAR = re.compile(r"[\w.\-]")
_SLUG_SHAPE = re.compile(r"^[^\W_][\w.\-]*$")
# Pelican's link syntax ({static}, {attach}, {filename}, |filename| …): Pelican copies what it names,
# outside the gate. Refused wherever it appears in content; the build also turns Pelican's handling off.
PELICAN_LINK = re.compile(
    r"[{|]\s*(static|attach|filename|index|tag|category|author|lang|drafts|"
    r"articles|pages)\s*[}|]",
    re.IGNORECASE,
)
# Characters no metadata value may hold: C0 and C1 controls other than tab and newline, DEL, and the
# bidi embeddings, overrides and isolates (which reorder what a reader sees), line/paragraph separators.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufff9-\ufffb]")


def shown_char(ch: str) -> str:
    """An invisible character as an editor can find it: \\x1b, U+202E."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def control_problem(text: str) -> str | None:
    """A Chinese sentence when `text` holds a control character, else None."""
    m = CONTROL.search(text)
    if m is None:
        return None
    return (
        f"含有不可见的控制字符 {shown_char(m.group(0))}（常由复制粘贴带入），会打乱显示或终端输出，"
        "请删除后重新输入这段文字"
    )


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be the last part of a URL, or None when it can."""
    if not slug:
        return "网址名为空"
    if len(slug) > MAX_SLUG:
        return f"网址名有 {len(slug)} 个字符，超过 {MAX_SLUG} 个"
    bad = next((ch for ch in slug if not _SLUG_CHAR.fullmatch(ch)), None)
    if bad is not None:
        shown = shown_char(bad) if not bad.isprintable() or bad.isspace() else bad
        return (
            f"网址名“{slug}”含有不能用于网址的字符“{shown}”：只能用汉字、字母、数字和“-”“_”“.”"
            "（不能有空格、斜杠、“..”）"
        )
    if not _SLUG_SHAPE.match(slug) or ".." in slug or slug.endswith("."):
        return f"网址名“{slug}”应以汉字、字母或数字开头和结尾，且不能含“..”"
    if unicodedata.normalize("NFKC", slug) != slug:
        return f"网址名“{slug}”含有全角或兼容字符，请改为“{unicodedata.normalize('NFKC', slug)}”"
    return None


def _lexical(ref: str) -> tuple[str | None, str | None]:
    """(posix path under content/, problem) from a reference as written, without touching the disk."""
    raw = ref.strip()
    decoded = unquote(raw)  # what a browser asks the server for
    for text in (raw, decoded):
        if CONTROL.search(text) or "\x00" in text:
            return None, "路径中含有控制字符"
        if "\\" in text:
            return None, "路径中不能有反斜杠“\\”，请用“/”"
    if decoded.startswith("/") or re.match(r"^[A-Za-z]:", decoded) or decoded.startswith("~"):
        return None, "路径应相对于 content/ 目录书写，如 files/2025-budget.pdf"
    parts = decoded.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None, "路径中不能有“..”“.”或空的一段（不能跳出 files/ 目录）"
    if any(p.startswith(".") for p in parts):
        return None, "路径中不能有以“.”开头的隐藏文件或目录"
    if parts[0] != FILES_DIR or len(parts) < 2:
        return None, "附件和正文引用的文件必须放在 content/files/ 目录下，路径写作 files/文件名"
    return decoded, None


def content_file(content_root: Path, ref: str, max_bytes: int | None = None) -> tuple[str | None, str | None]:
    """(path relative to content/, None) when `ref` names a file a published entry may ship,
    else (None, Chinese reason). The checks are the allow-list: shape, type, then the disk."""
    rel, problem = _lexical(ref)
    if problem:
        return None, problem
    suffix = os.path.splitext(rel)[1].lower()
    if suffix in LEGACY_OFFICE:
        return None, (
            f"旧版 Office/WPS 格式“{suffix}”的文字无法读取，无法检查其中是否有个人信息，不能发布："
            f"请另存为 {LEGACY_OFFICE[suffix]} 或 PDF 后再上传"
        )
    if suffix not in ATTACHMENT_SUFFIXES:
        allowed = " ".join(sorted(ATTACHMENT_SUFFIXES))
        return None, (
            f"不能发布“{suffix or '无扩展名'}”类型的文件（网页、脚本、SVG、压缩包等可能在本站运行代码或无法检查内容）。"
            f"可用的类型：{allowed}"
        )
    current = content_root
    for i, part in enumerate(rel.split("/")):
        current = current / part
        try:
            info = os.lstat(current)
        except OSError:
            return None, MISSING
        if stat.S_ISLNK(info.st_mode):
            return None, "路径中有符号链接：附件必须是 content/files/ 下真实的文件，不能链接到别处"
        last = i == len(rel.split("/")) - 1
        if last and not stat.S_ISREG(info.st_mode):
            return None, "不是普通文件"
        if last and info.st_nlink > 1:  # git never checks out hard links; another name of the same bytes
            return None, "是硬链接（与仓库中另一个文件共用内容）：请复制为独立的文件"
        if not last and not stat.S_ISDIR(info.st_mode):
            return None, MISSING
    if max_bytes is not None and info.st_size > max_bytes:
        return None, (
            f"有 {info.st_size / 2**20:.0f} MB，超过 {max_bytes // 2**20} MB 上限：请压缩或拆分后再上传"
            "（查阅点和手机用户难以下载过大的文件）"
        )
    problem = content_problem(current, suffix)
    if problem:
        return None, problem
    return rel, None


ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# What the first bytes of a file of each type are: a file whose bytes are another type's (an HTML page
# renamed .pdf, a script renamed .jpg) is refused, so no browser or server can take it for what it is.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".ofd": ZIP,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
TEXT_SUFFIXES = (".txt", ".csv")
_MARKUP_START = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|\?xml|x:)", re.IGNORECASE
)


def content_problem(path: Path, suffix: str) -> str | None:
    """Why the bytes of `path` are not a file of type `suffix`, or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return f"无法读取文件（{exc.strerror}）"
    if suffix in TEXT_SUFFIXES:
        if b"\x00" in head:
            return f"文件内容不是文字，与扩展名“{suffix}”不符"
        if _MARKUP_START.search(head):
            return f"文件内容是网页或 XML 代码，与扩展名“{suffix}”不符，不能发布（浏览器可能把它当网页运行）"
        return None
    signatures = SIGNATURES.get(suffix)
    if signatures is None:
        return None
    window = head[:1024] if suffix == ".pdf" else head  # a PDF header may follow some junk (ISO 32000 7.5.2)
    ok = (
        any(sig in window for sig in signatures)
        if suffix == ".pdf"
        else any(head.startswith(s) for s in signatures)
    )
    if ok and suffix == ".webp":
        ok = head[8:12] == b"WEBP"
    if not ok:
        return (
            f"文件内容与扩展名“{suffix}”不符（不是真正的 {suffix[1:].upper()} 文件）：可能是改了扩展名的网页或程序，"
            "不能发布。请重新导出或另存为正确的格式"
        )
    return None
