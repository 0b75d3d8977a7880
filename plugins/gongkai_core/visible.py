"""What a reader sees of a text: the one normaliser that the personal-data and 涉密 scans run on.

`views(source)` turns Markdown, HTML or plain text into the text a reader is shown, in as many
views as it takes never to see less than a reader would:

  1. escapes decoded (`\\u0031`, `\\x31`: YAML, JSON), compatibility characters folded by NFKC
     (full-width １ Ｘ ＆, circled ①, superscript ¹, Ⅹ, ㊙ → 秘, … — the characters of
     data/nfkc_scan.json, each on its own, see make_visible_table: NFKC of whole Chinese texts
     would cost more than all the rest), then HTML entities decoded (`&#49;`, `&#x31;`, `&amp;#49;` …,
     repeatedly, since a double-escaped one shows as one after a second pass) and what they gave
     folded again;
  2. markup removed: HTML comments (an unclosed one to the end), declarations, what the
     sanitiser drops with its content (<script>, <style>) and tags. A tag inside a line glues its
     neighbours (`1380<b>0138</b>000` is read as one number), a block tag (`p`, `br`, `li` …)
     is a space, a table-cell tag a break (cells are different numbers); a Markdown link or
     image is its text; Markdown's `*` `_` `~` `` ` `` and escaping backslashes are dropped
     (`**138**0013`);
  3. invisible characters dropped: format, bidi and other control characters, zero-width
     characters, variation selectors, combining marks, soft hyphens, Hangul fillers, private-use
     and unassigned code points; other spaces become a space.

Digits of other scripts and the Chinese digit numerals (〇一二…九) stay as they are: the scanner
reads them as digits (pii.GROUP_RE), so a long Chinese text is not rewritten for them.

The first view is "the visible text". Because dropping markup could also glue a number to a
neighbour a reader sees apart (`file_13800138000_1`), a second view keeps the Markdown marks as
breaks when any touches a digit; and every tag's and comment's own text (attributes: `alt`,
`title`, `href` …, which the page also carries) is a view of its own. Joining numbers split by
visible separators (spaces, dots, hyphens, line breaks) is the scanner's part (pii.candidates):
it needs to know which separators a reader reads through.

Every view keeps the source's line breaks one for one (nothing adds or removes a "\\n"), so
`View.line_at(offset)` is the source line of any finding.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .make_visible_table import PLAIN_RANGES, number_sign


@dataclass(frozen=True)
class View:
    text: str
    line: int  # source line of text[0]

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2}))")
ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9A-Fa-f]{1,7};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
ENTITY_ROUNDS = 4
# Comments (an unclosed one runs to the end, as in a browser), <!…> declarations, <?…?>, tags.
# [^<>] keeps every pattern linear: a tag never runs past the next "<".
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|<![^<>]*>|<\?.*?(?:\?>|\Z)", re.DOTALL)
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# what the sanitiser (render.py, nh3) removes with its content: never shown, so it glues its neighbours
HIDDEN_ELEMENT = re.compile(r"<(script|style)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
# a Markdown link or image shows its text (or alt text): [text](url "title"), [text][ref], ![alt](src)
MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,1000})\](?:\(([^()\n]{0,2000})\)|\[([^\[\]\n]{0,200})\])")
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "summary",
        "ul",
    }
)
CELL_TAGS = frozenset({"caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr"})
MD_MARK_CHARS = "*_~`\\"
MD_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
MARK_NEAR_DIGIT = re.compile(r"[*_~`\\](?:(?<=[0-9].)|(?=[0-9]))")
# Chinese digit numerals, as digits are written out (二〇二五, 一三八…), in 大写 (壹贰叁…) and spoken (幺)
CHINESE_DIGIT_VALUES = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
    "幺": 1,
}
CHINESE_DIGITS = "".join(CHINESE_DIGIT_VALUES)


def _char_class(ranges) -> str:
    return "".join(f"\\U{a:08X}-\\U{b:08X}" if a != b else f"\\U{a:08X}" for a, b in ranges)


PLAIN = re.compile(f"[{_char_class(PLAIN_RANGES)}]+")
NOT_PLAIN = re.compile(PLAIN.pattern.replace("[", "[^", 1).removesuffix("+"))
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Mc", "Me"})
SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
# Default-ignorable letters (rendered as nothing) that are not format characters
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _load_scan_chars() -> tuple[frozenset[str], re.Pattern, re.Pattern]:
    table = json.loads((Path(__file__).with_name("data") / "nfkc_scan.json").read_text(encoding="utf-8"))
    folded = frozenset(chr(code) for a, b in table["ranges"] for code in range(a, b + 1))
    return (
        folded,
        re.compile(f"[^{_char_class(table['skip'])}]"),
        re.compile(f"[{_char_class(table['shown'])}]*"),
    )


# NFKC_FOLDED: the characters folded; MAY_FOLD finds a character outside the common ones that need no
# folding (a quick bitmap: a text without one is left as it is after one look, the few it finds are
# looked up); AS_SHOWN matches a text that needs neither folding nor dropping of invisible characters
NFKC_FOLDED, MAY_FOLD, AS_SHOWN = _load_scan_chars()
_folds: dict[str, str] = {}

_suspect_cache: dict[str, str] = {}


def _suspect(ch: str) -> str:
    """What a character outside PLAIN becomes: itself, a space, or nothing."""
    found = _suspect_cache.get(ch)
    if found is None:
        if ch in "\t\n":
            found = ch
        elif ch == "\r":
            found = " "
        elif ch in INVISIBLE_LETTERS:
            found = "" if ch != "\u2800" else " "
        else:
            category = unicodedata.category(ch)
            if category in SPACE_CATEGORIES:
                found = " "
            elif category in DROPPED_CATEGORIES:
                found = ""
            else:
                found = ch
        _suspect_cache[ch] = found
    return found


def _drop_invisible(text: str) -> str:
    if PLAIN.fullmatch(text):
        return text
    return NOT_PLAIN.sub(lambda m: _suspect(m.group(0)), text)


def _escape(m: re.Match) -> str:
    code = int(m.group(1) or m.group(2) or m.group(3), 16)
    if code > 0x10FFFF:
        return m.group(0)
    ch = chr(code)
    return " " if ch in "\n\r" else ch


def _entity(m: re.Match) -> str:
    decoded = html.unescape(m.group(0))
    # "&#10;" shows as a space; a "\n" would shift the lines of what follows
    return decoded.replace("\r", " ").replace("\n", " ")


def _nfkc(text: str) -> str:
    """NFKC of the characters that matter to the scans (NFKC_FOLDED), the rest left as it is."""
    if text.isascii():
        return text
    first = MAY_FOLD.search(text)
    if first is None:
        return text
    parts = []
    last = 0
    for m in MAY_FOLD.finditer(text, first.start()):
        ch = m.group(0)
        if ch in NFKC_FOLDED:
            folded = _folds.get(ch)
            if folded is None:
                folded = unicodedata.normalize("NFKC", ch)
                if folded == ch:  # a number sign of its own (❶ ➊ ⓵ …): its digits
                    folded = number_sign(ch) or ch
                _folds[ch] = folded
            parts.append(text[last : m.start()])
            parts.append(folded)
            last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def decoded(source: str) -> str:
    """Step 1: escapes, compatibility characters, entities (repeatedly), what they gave."""
    text = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
    if "\\" in text:
        text = ESCAPE.sub(_escape, text)
    text = _nfkc(text)
    for _ in range(ENTITY_ROUNDS):
        if "&" not in text:
            break
        again = ENTITY.sub(_entity, text)
        if again == text:
            break
        text = _nfkc(again)
    return text


class _Lines:
    """Line of an offset in one string, for offsets asked in increasing order (re.sub's matches)."""

    def __init__(self, text: str, first: int) -> None:
        self.text, self.pos, self.line = text, 0, first

    def __call__(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def _without_markup(text: str, line: int, inner: list[View]) -> str:
    """Step 2 for HTML: comments and tags out; their own text collected in `inner`."""

    def comment(m: re.Match) -> str:
        inner.append(View(m.group(0), at(m.start())))
        return "\n" * m.group(0).count("\n")

    def tag(m: re.Match) -> str:
        whole = m.group(0)
        if len(whole) > len(m.group(1)) + 3:  # more than <x> or </x>: attributes
            inner.append(View(whole, at(m.start())))
        name = m.group(1).lower()
        keep = "\n" * whole.count("\n")
        if name in CELL_TAGS:
            return "|" + keep
        if name in BLOCK_TAGS:
            return " " + keep
        return keep

    if "<!" in text or "<?" in text:
        at = _Lines(text, line)
        text = COMMENT.sub(comment, text)
    if "<s" in text or "<S" in text:
        at = _Lines(text, line)
        text = HIDDEN_ELEMENT.sub(comment, text)
    at = _Lines(text, line)
    return TAG.sub(tag, text)


def _without_links(text: str, line: int, inner: list[View]) -> str:
    """Markdown links and images as their text; the address (and title) a view of its own."""
    at = _Lines(text, line)

    def link(m: re.Match) -> str:
        inner.append(View(m.group(0), at(m.start())))
        return m.group(1)

    return MD_LINK.sub(link, text)


def _without_marks(text: str) -> str:
    """Markdown's emphasis and code marks and its escaping backslashes dropped."""
    if "\\" in text:
        text = MD_ESCAPE.sub("", text)
    for ch in "*_~`":
        if ch in text:
            text = text.replace(ch, "")
    return text


def _finish(text: str) -> str:
    """Step 3."""
    return _drop_invisible(text)


def views(source: str, line: int = 1, markup: bool = True, keep_marks: bool = False) -> list[View]:
    """The visible text of `source` (first) and the further views described above.

    `markup=False` for text shown as it is (a .txt or .csv attachment): no tags or Markdown marks
    are taken away, though entities and escapes are still decoded (stricter, never less).
    `keep_marks`: Markdown's marks stay in the one visible view (a scan that reads through them)."""
    text = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
    # most texts need neither folding nor dropping anything: then steps 1 and 3 do nothing
    plain = "\\" not in text and "&" not in text and AS_SHOWN.fullmatch(text) is not None
    if not plain:
        text = decoded(text)
    finish = (lambda t: t) if plain else _finish
    inner: list[View] = []
    if markup and "<" in text:
        text = _without_markup(text, line, inner)
    if markup and ("](" in text or "][" in text):
        text = _without_links(text, line, inner)
    found: list[View] = []
    marked = markup and not keep_marks and any(ch in text for ch in MD_MARK_CHARS)
    if marked and MARK_NEAR_DIGIT.search(text):
        found.append(View(finish(_without_marks(text)), line))
        found.append(View(finish(text), line))  # the marks as breaks
    else:
        found.append(View(finish(_without_marks(text) if marked else text), line))
    found.extend(View(finish(piece.text), piece.line) for piece in inner)
    return found


def visible_text(source: str, markup: bool = True) -> str:
    """What a reader reads of `source`: the first of its views."""
    return views(source, 1, markup)[0].text
