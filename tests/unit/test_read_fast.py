"""Reading's quick paths (round 2): each passes a text over only when the full check could find
nothing in it, or gives what the full one gives."""

from __future__ import annotations

import itertools

import pytest
from conftest import ROOT

from gongkai_core import dates, entry, placeholder, visible

# every way Python's case-insensitive matching may spell "files" (ſ is s, İ and ı are i, K-like folds
# are not in it), in each place BODY_FILE_REF looks for a reference
SPELLINGS = ["".join(c) for c in itertools.product("fF", "iIİı", "lL", "eE", "sSſ")]
PLACES = ["[附件]({}/a.pdf)", "[1]: {}/a.pdf", '<img src="{}/a.png">', "<a HREF=../{}/a.pdf>", "data = /{}/x"]


def test_every_body_file_reference_holds_what_the_quick_test_looks_for():
    found = 0
    for spelling, place in itertools.product(SPELLINGS, PLACES):
        body = "正文\n" + place.format(spelling) + "\n"
        if entry.BODY_FILE_REF.search(body) is not None:
            found += 1
            assert entry.BODY_FILES.search(body) is not None, body
    assert found >= len(PLACES) * 8  # at least the ASCII spellings are references


def test_a_body_without_files_has_no_reference():
    for body in ("[附件](a.pdf)", '<img src="x.png">', "file/ fi les/ filesx"):
        assert entry.BODY_FILES.search(body) is None
        assert entry.BODY_FILE_REF.search(body) is None


def _in_body_every_line(body: str, line: int) -> list[placeholder.Found]:
    """placeholder.in_body as it was before its quick tests: every line with a 请 or 請 squeezed."""
    if not body:
        return []
    if "请" not in body and "請" not in body and not placeholder._FOLDS_TO_IDEOGRAPH.search(body):
        return []
    found: dict[int, placeholder.Found] = {}
    for view in visible.views(body, line):
        exotic = placeholder._FOLDS_TO_IDEOGRAPH.search(view.text) is not None
        for i, text_line in enumerate(view.text.split("\n")):
            at = view.line + i
            if at in found or not (exotic or "请" in text_line or "請" in text_line):
                continue
            hit = placeholder._in_line(placeholder._squeeze(text_line))
            if hit is not None:
                found[at] = placeholder.Found.of(at, hit)
    return [found[k] for k in sorted(found)]


# what may stand between 请 and the next character of a table text, as a reader sees it
BETWEEN = [
    "",
    " ",
    "\u3000",
    "\n",
    "\u200b",
    "\u00ad",
    "\u0301",
    "<b></b>",
    "<!-- -->",
    "**",
    "\\",
    "&#8203;",
    "\ufe0f",
]
ASKS = ["请", "請", "&#35831;", "\\u8bf7", "&#x8BF7;"]
NEXTS = [
    "填写",
    "填寫",
    "塡写",
    "在这里撰写正文",
    "與纸质台账核对",
    "与纸质台账核对",
    "一并修改",
    "公开",
    "的",
]
AROUND = ["申", "，", "。", "、", "（", "(", "1. ", "| ", "x"]


def test_the_quick_tests_of_body_placeholders_find_what_every_line_finds():
    bodies = [f"{a}{ask}{b}{n}。" for a, ask, b, n in itertools.product(AROUND, ASKS, BETWEEN, NEXTS)]
    bodies += [s.text for s in placeholder.SCAFFOLDS] + [
        f"正文\n\n{s.text}\n尾" for s in placeholder.SCAFFOLDS
    ]
    bodies += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    hits = 0
    for body in bodies:
        expected = _in_body_every_line(body, 3)
        assert placeholder.in_body(body, 3) == expected, repr(body)
        hits += bool(expected)
    assert hits > 500  # many of them hold a table text


def test_many_asks_in_one_body_are_counted_in_one_pass():
    body = ("申请。" * 50 + "\n") * 2000 + "请填写发布机构\n"
    assert [f.line for f in placeholder.in_body(body, 1)] == [2001]


def test_a_remembered_date_is_the_same_and_a_bad_one_is_refused_each_time():
    for text in ("2025-01-20", "２０２５年１月２０日", " 2025/1/20 "):
        assert dates.parse_date(text) == dates.parse_date(text) == dates._parse(text)
    for _ in range(2):
        with pytest.raises(dates.DateFormatError, match="不是存在的日期"):
            dates.parse_date("2025-02-30")


def test_reading_takes_each_markdown_entrys_front_digest() -> None:
    """The build's record takes front-matter digests from reading (site.fronts): each is the file's
    own entry.front_digest; YAML entries have none; a check (no rendering) takes none."""
    from datetime import date

    from gongkai_core.site import load_site

    content = ROOT / "content"
    site = load_site(content, date(2026, 11, 1), project_root=ROOT)
    markdown = [e for e in site.entries if e.path.endswith(".md")]
    assert len(markdown) > 20 and len(site.fronts) == len(markdown)
    for e in site.entries:
        assert site.fronts.get(e.path) == (
            entry.front_digest(ROOT / e.path) if e.path.endswith(".md") else None
        )
    assert load_site(content, date(2026, 11, 1), project_root=ROOT, render=False).fronts == {}
