"""Markdown of entry and page bodies to safe HTML (no Pelican here).

One `markdown.Markdown` per process, reset between documents: building it costs more than
converting a typical entry. The result is sanitised: a <script> or onclick pasted from a word
processor is removed, links to other schemes than http(s)/mailto/relative are dropped, and an
h1 in the body becomes h2 (the page has one h1, the title).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import markdown
import nh3

SAFE_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
SAFE_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}


class _Renderer:
    """Holds the per-process Markdown instance (made on first use, so forks start clean)."""

    md: markdown.Markdown | None = None


# The inline patterns of Python-Markdown with "extra" (name, class, regex), each of which needs one of
# INLINE_TRIGGERS in the text to match: ` \ [ ![ < & * _ or two spaces before a line break.
INLINE_PATTERNS = (
    ("backtick", "BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"),
    ("escape", "EscapeInlineProcessor", r"\\(.)"),
    ("footnote", "FootnoteInlineProcessor", r"\[\^([^\]]*)\]"),
    ("reference", "ReferenceInlineProcessor", r"(?<!\!)\["),
    ("link", "LinkInlineProcessor", r"(?<!\!)\["),
    ("image_link", "ImageInlineProcessor", r"\!\["),
    ("image_reference", "ImageReferenceInlineProcessor", r"\!\["),
    ("short_reference", "ShortReferenceInlineProcessor", r"(?<!\!)\["),
    ("short_image_ref", "ShortImageReferenceInlineProcessor", r"\!\["),
    ("autolink", "AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"),
    ("automail", "AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"),
    ("linebreak", "SubstituteTagInlineProcessor", r"  \n"),
    (
        "html",
        "HtmlInlineProcessor",
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
        r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""",
    ),
    ("entity", "HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"),
    ("em_strong", "DelimiterProcessor", r"\*|_"),
)
INLINE_TRIGGERS = re.compile(r"[`\\\[<&*_]|  \n")


# Python-Markdown's private method that runs the inline patterns over one text
# (`InlineProcessor.__handleInline`, name-mangled) and its parameters in the pinned version. The shortcut
# wraps it only while it is there with these parameters; otherwise every text is processed as usual
# (tests/unit/test_render.py takes it away and changes its parameters).
HANDLE_INLINE = "_InlineProcessor__handleInline"
HANDLE_INLINE_PARAMETERS = ("data", "patternIndex")


def _registered_as_expected(md: markdown.Markdown) -> bool:
    """The inline patterns are exactly INLINE_PATTERNS (names, classes, regexes), read through the
    registry's public interface (its length, `in` and `[name]`)."""
    patterns = md.inlinePatterns
    if len(patterns) != len(INLINE_PATTERNS):
        return False
    for name, kind, regex in INLINE_PATTERNS:
        if name not in patterns:
            return False
        pattern = patterns[name]
        if type(pattern).__name__ != kind or pattern.getCompiledRegExp().pattern != regex:
            return False
    return True


def _handle_inline(md: markdown.Markdown) -> Callable[..., str] | None:
    """The inline processor's private HANDLE_INLINE, if it is there with the expected parameters."""
    if "inline" not in md.treeprocessors:
        return None
    handle = getattr(md.treeprocessors["inline"], HANDLE_INLINE, None)
    if not callable(handle):
        return None
    try:
        parameters = tuple(inspect.signature(handle).parameters)
    except (TypeError, ValueError):
        return None
    return handle if parameters == HANDLE_INLINE_PARAMETERS else None


def _inline_shortcut(md: markdown.Markdown) -> bool:
    """Text without any trigger goes through the inline patterns unchanged: such text skips trying
    each of the 15 patterns on it (40% of converting a typical entry). Only with exactly the patterns
    above, as Python-Markdown registers them, and its private HANDLE_INLINE as expected; otherwise
    every text is processed as usual."""
    if not _registered_as_expected(md):
        return False
    handle = _handle_inline(md)
    if handle is None:
        return False

    def handle_inline(data: str, patternIndex: int = 0) -> str:  # noqa: N803 - Python-Markdown's name
        if INLINE_TRIGGERS.search(data) is None:
            return data
        return handle(data, patternIndex)

    setattr(md.treeprocessors["inline"], HANDLE_INLINE, handle_inline)
    return True


def new_markdown(shortcut: bool = True) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    if shortcut:
        _inline_shortcut(md)
    return md


def render_markdown(text: str) -> str:
    if not text.strip():  # what convert() gives a blank text, without a reset (a YAML entry has no body)
        return ""
    if _Renderer.md is None:
        _Renderer.md = new_markdown()
    md = _Renderer.md
    md.reset()
    html = md.convert(text).replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
