"""Placeholders and scaffold text: what `invoke new` and `invoke annual-report` write for editors to
replace, and the fillers editors leave ("XXX", "××", "请填写…"). Any of it in an entry is an error
of reading (entry.read_entry), so `check`, publish and the editor's preview all refuse the entry.

One table, SCAFFOLDS: the scaffolds take their texts from it (gongkai_cli.new, annual_report's
draft), so what they write and what is refused can never drift apart. Each text is matched after
the normalisation of the personal-data scans (gongkai_core.visible: markup, entities, escapes and
invisible characters), then NFKC, Traditional→Simplified and lower case (tokenizer.normalize), and
without white space: a zero-width space, a tag or full-width brackets inside do not hide it.

Where each kind is looked for, so that real content is never flagged:
- a scaffold text (SENTENCE): in every field and anywhere in the body (they are sentences of our
  scaffolds that no real document says);
- the marker “（请填写）” (MARKER): anywhere in a field; in the body where it begins a line, a table
  cell or a sentence (a form described in a 政策解读 may say “联系电话（请填写）”);
- “（草稿）” (TITLE_SUFFIX): at the end of the title only;
- generic fillers: only as a whole field value (“请填写…”, “待填写”, “XXX”, “××”, “某某”, “？？”), and
  runs of X/×（“示例县XX局”, “20XX年”）in one-line field values. Never in a body: a 政策解读 may
  well say “请填写申请表”.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from . import visible
from .tokenizer import FOLD

SENTENCE, MARKER, TITLE_SUFFIX = "sentence", "marker", "title_suffix"

# ---------------------------------------------------------------- the one table

PUBLISHER = "请填写发布机构"  # `invoke new`: the 发布机构 of a new entry
DEPARTMENT = "请填写部门名称"  # `invoke new budget|sangong` without 部门: the block's department
BODY = "请在这里撰写正文。"  # `invoke new`: the body of a new Markdown entry
TODO = "（请填写）"  # the annual-report draft: what the content cannot tell
DRAFT = "（草稿）"  # the annual-report draft's title
REPORT_NOTE = (  # the annual-report draft's note to editors, two sentences
    "本稿由 `invoke annual-report` 根据本站已公开条目自动生成，标注“（请填写）”处须由编辑补充，"
    "数字请与各单位台账核对后再送审。",
    "元数据中的 annual_report 数据块供 `invoke audit` 核对，正文数字改动时请一并修改。",
)
REPORT_APPLICATIONS = (  # the annual-report draft: how to complete 依申请公开 (tables 三、四 from requests/)
    "（表三、表四由依申请公开登记簿统计，请与纸质台账核对，并补充申请的主要内容和办理情况）"
)


@dataclass(frozen=True)
class Scaffold:
    text: str  # as the scaffolds write it
    where: str  # SENTENCE | MARKER | TITLE_SUFFIX
    message: str = ""  # when "replace it" is not the fix


SCAFFOLDS: tuple[Scaffold, ...] = (
    Scaffold(PUBLISHER, SENTENCE),
    Scaffold(DEPARTMENT, SENTENCE),
    Scaffold(BODY, SENTENCE),
    *(Scaffold(s, SENTENCE) for s in REPORT_NOTE),
    Scaffold(REPORT_APPLICATIONS, SENTENCE),
    Scaffold(TODO, MARKER),
    Scaffold(DRAFT, TITLE_SUFFIX, f"标题末尾的“{DRAFT}”是草稿标记，定稿后请删除"),
)

MESSAGE = "请替换占位内容“{shown}”"

# ---------------------------------------------------------------- normalisation


# tokenizer.normalize (NFKC, lower case, Traditional→Simplified) at C speed for long lines: the
# full-width forms of ASCII and the fold in one table; NFKC itself only for a text with characters
# outside those NFKC leaves alone or the table maps (most Chinese text has none).
_TABLE = str.maketrans(
    {**dict(FOLD), **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " "}
)
_NEEDS_NFKC = re.compile(r"[^\x00-\x7f\u3000-\u3037\u4e00-\u9fff\u2018-\u201d\uff01-\uff5e]")


def _squeeze(text: str) -> str:
    """The text normalised as tokenizer.normalize does, without white space."""
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.translate(_TABLE).lower().split())


def _key(text: str) -> str:
    """A table text as it is matched: what a reader sees of it, normalised, without its final stop."""
    return _squeeze(visible.visible_text(text)).rstrip("。.!?")


_KEYS = tuple((s, _key(s.text)) for s in SCAFFOLDS)
_TITLE_KEYS = tuple((s, k) for s, k in _KEYS if s.where == TITLE_SUFFIX)
_FIELD_KEYS = tuple((s, k) for s, k in _KEYS if s.where != TITLE_SUFFIX)
_BODY_KEYS = _FIELD_KEYS
# a marker begins a line (after Markdown's list, quote and heading marks), a table cell or a sentence
_SEGMENT_START = r"(?:^[>#+\-\d.、)]*|[|。;!?])"
_MARKERS = tuple((s, re.compile(_SEGMENT_START + re.escape(k))) for s, k in _BODY_KEYS if s.where == MARKER)
_SENTENCES = tuple((s, k) for s, k in _BODY_KEYS if s.where == SENTENCE)

# Whole field values that are fillers, after normalisation (lower case, no white space).
_ASKS = ("请填写", "请输入", "请选择", "请补充", "请在此", "请在这里", "待填写", "待补充", "此处填写", "(请")
_FILLER_ONLY = re.compile(r"[x×*?_.…○□某]+|\(?(?:待定|待填|待补)\)?")
_FILLER_RUN = re.compile(r"(?<![a-z])(?:x{2,}|×{2,})(?![a-z])")
_MAX_ASK = 20  # a whole value starting with 请填写… longer than this is a sentence, not a prompt

# Characters without which a text cannot show any table text or filler: a text with none of them,
# nor any that normalisation may turn into one (entities, escapes, compatibility forms), is skipped.
_TRIGGER = re.compile(r"[请請草待此略某xX×*?？_…○□&\\]|[^\x00-\x7f\u3000-\u303f\u4e00-\u9fff\u2018-\u201d]")
_BODY_CHARS = tuple(
    frozenset(ch for ch in s.text if "\u4e00" <= ch <= "\u9fff") for s in SCAFFOLDS if s.where != TITLE_SUFFIX
)
assert all("请" in chars for chars in _BODY_CHARS), "in_body's quick test looks for 请"
# characters that may fold into an ideograph (CJK compatibility, Kangxi radicals, enclosed forms)
_FOLDS_TO_IDEOGRAPH = re.compile(r"[&\\\u2e80-\u2fdf\u3200-\u33ff\uf900-\ufaff\U0002f800-\U0002fa1f]")


def _folding_to(chars: str) -> str:
    """The characters that _squeeze's table turns into one of `chars`, and those."""
    return "".join(sorted(set(chars) | {chr(c) for c, to in _TABLE.items() if to in set(chars)}))


# Every body text of the table has a 请 followed by a character other than 公 or 的 (请填写, 请在这里,
# 请与, 请一并 …; 申请公开 and 申请的 are common words): such a 请 in the squeezed line comes from a 请 or 請
# followed by what squeezes to that character. A CJK Unified Ideograph squeezes to itself or the one the
# table folds it to, so after 请 only that character or one folding to it may give it; so do the
# punctuation of _ASK_END (NFKC and the table make them themselves or ASCII punctuation); anything else
# (white space, a mark, another script, the line's end) may. A line without either is passed over.
_ASK_NEXT = _folding_to(
    "".join(
        min((k[i + 1] for i in range(len(k) - 1) if k[i] == "请"), key=lambda ch: ch in "公的")
        for _s, k in _BODY_KEYS
    )
)
_ASK_END = "、。，；：！？"
_ASK = re.compile(f"[{_folding_to('请')}](?:[{_ASK_NEXT}]|(?![\u4e00-\u9fff{_ASK_END}]))")


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:30] + "…"


@dataclass(frozen=True)
class Found:
    line: int
    message: str

    @classmethod
    def of(cls, line: int, scaffold: Scaffold | None = None, value: str = "") -> Found:
        """A table text found (`scaffold`), or a filler (`value`, the field's value)."""
        if scaffold is not None and scaffold.message:
            return cls(line, scaffold.message)
        return cls(line, MESSAGE.format(shown=_shown(scaffold.text if scaffold is not None else value)))


def may_hold(value: str) -> bool:
    """False when a field value cannot show a placeholder (in_field would find none)."""
    return _TRIGGER.search(value) is not None


def in_field(value: str, line: int, title: bool = False) -> Found | None:
    """The placeholder in one field value (the first), or None."""
    if not _TRIGGER.search(value):
        return None
    views = visible.views(value, line)
    for view in views:
        squeezed = _squeeze(view.text)
        if not squeezed:
            continue
        if title:
            for s, k in _TITLE_KEYS:
                if squeezed.endswith(k):
                    return Found.of(line, s)
        for s, k in _FIELD_KEYS:
            if k in squeezed:
                return Found.of(line, s)
        if _FILLER_ONLY.fullmatch(squeezed):
            return Found.of(line, value=value)
        if squeezed.startswith(_ASKS) and len(squeezed) <= _MAX_ASK:
            return Found.of(line, value=value)
        if "\n" not in value.strip() and _FILLER_RUN.search(squeezed):
            return Found.of(line, value=value)
    return None


def _in_line(squeezed: str) -> Scaffold | None:
    for s, k in _SENTENCES:
        if k in squeezed:
            return s
    for s, pattern in _MARKERS:
        if pattern.search(squeezed):
            return s
    return None


def _lines_of(matches: Iterable[re.Match], text: str) -> list[int]:
    """The 0-based lines of the matches (in order) in `text`, each once, counted in one pass."""
    numbers: list[int] = []
    i = position = 0
    for m in matches:
        i += text.count("\n", position, m.start())
        position = m.start()
        if not numbers or numbers[-1] != i:
            numbers.append(i)
    return numbers


def in_body(body: str, line: int) -> list[Found]:
    """Scaffold texts in a Markdown body (`line`: its first line), one per line at most."""
    if not body:
        return []
    if _ASK.search(body) is None and not _FOLDS_TO_IDEOGRAPH.search(body):
        # every body text of the table has such a 请 (_ASK), as written or folded; what a reader's view
        # takes away around one (markup, entities, escapes, marks, invisible characters) is not in
        # _ASK's list of what may follow a 请 that gives none
        return []
    found: dict[int, Found] = {}
    for view in visible.views(body, line):
        text = view.text
        lines = text.split("\n")
        if _FOLDS_TO_IDEOGRAPH.search(text) is not None:
            numbers: Iterable[int] = range(len(lines))  # every line
        else:  # the lines with such a 请: a line without one holds no table text
            numbers = _lines_of(_ASK.finditer(text), text)
        for i in numbers:
            at = view.line + i
            if at in found:
                continue  # decoded already
            hit = _in_line(_squeeze(lines[i]))
            if hit is not None:
                found[at] = Found.of(at, hit)
    return [found[k] for k in sorted(found)]
