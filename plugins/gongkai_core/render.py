"""Markdown of entry and page bodies to safe HTML (no Pelican here).

One `markdown.Markdown` per process, reset between documents: building it costs more than
converting a typical entry. The result is sanitised: a <script> or onclick pasted from a word
processor is removed, links to other schemes than http(s)/mailto/relative are dropped, and an
h1 in the body becomes h2 (the page has one h1, the title).
"""

from __future__ import annotations

import re

import markdown
import nh3

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
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
    ("html", "HtmlInlineProcessor",
     r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
     r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""),
    ("entity", "HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"),
    ("em_strong", "DelimiterProcessor", r"\*|_"),
)
INLINE_TRIGGERS = re.compile(r"[`\\\[<&*_]|  \n")


def _inline_shortcut(md: markdown.Markdown) -> bool:
    """Text without any trigger goes through the inline patterns unchanged: such text skips trying
    each of the 15 patterns on it (40% of converting a typical entry). Only with exactly the patterns
    above, as Python-Markdown registers them; otherwise every text is processed as usual."""
    registered = [(item.name, type(md.inlinePatterns[item.name]).__name__,
                   md.inlinePatterns[item.name].getCompiledRegExp().pattern) for item in md.inlinePatterns._priority]
    if sorted(registered) != sorted(INLINE_PATTERNS):
        return False
    inline = md.treeprocessors["inline"]
    handle = inline._InlineProcessor__handleInline

    def handle_inline(data: str, patternIndex: int = 0) -> str:  # noqa: N803 - Python-Markdown's name
        if INLINE_TRIGGERS.search(data) is None:
            return data
        return handle(data, patternIndex)

    inline._InlineProcessor__handleInline = handle_inline
    return True


def new_markdown(shortcut: bool = True) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    if shortcut:
        _inline_shortcut(md)
    return md


def render_markdown(text: str) -> str:
    if _Renderer.md is None:
        _Renderer.md = new_markdown()
    md = _Renderer.md
    md.reset()
    html = md.convert(text).replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
