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
    plain: bool = False  # md has exactly PROCESSORS and INLINE_PATTERNS: plain_html stands for it


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


# The processors of Python-Markdown with "extra" and "sane_lists" (pinned version), in their order
# (name, class): the plain path below stands for exactly these.
PROCESSORS = {
    "preprocessors": (
        ("normalize_whitespace", "NormalizeWhitespace"),
        ("fenced_code_block", "FencedBlockPreprocessor"),
        ("html_block", "HtmlBlockPreprocessor"),
    ),
    "blockprocessors": (
        ("markdown_block", "MarkdownInHtmlProcessor"),
        ("empty", "EmptyBlockProcessor"),
        ("indent", "ListIndentProcessor"),
        ("defindent", "DefListIndentProcessor"),
        ("code", "CodeBlockProcessor"),
        ("table", "TableProcessor"),
        ("hashheader", "HashHeaderProcessor"),
        ("setextheader", "SetextHeaderProcessor"),
        ("hr", "HRProcessor"),
        ("olist", "SaneOListProcessor"),
        ("ulist", "SaneUListProcessor"),
        ("deflist", "DefListProcessor"),
        ("quote", "BlockQuoteProcessor"),
        ("footnote", "FootnoteBlockProcessor"),
        ("abbr", "AbbrBlockprocessor"),
        ("reference", "ReferenceProcessor"),
        ("paragraph", "ParagraphProcessor"),
    ),
    "treeprocessors": (
        ("footnote", "FootnoteTreeprocessor"),
        ("inline", "InlineProcessor"),
        ("footnote-duplicate", "FootnotePostTreeprocessor"),
        ("prettify", "PrettifyTreeprocessor"),
        ("attr_list", "AttrListTreeprocessor"),
        ("abbr", "AbbrTreeprocessor"),
        ("unescape", "UnescapeTreeprocessor"),
    ),
    "postprocessors": (
        ("raw_html", "MarkdownInHTMLPostprocessor"),
        ("footnote", "FootnotePostprocessor"),
        ("amp_substitute", "AndSubstitutePostprocessor"),
    ),
}

# What keeps a text off the plain path (read after the "#"s of its headings are taken off), in one
# character class: any character but newline, printable ASCII and printable non-ASCII (C1 controls,
# line/paragraph separators, surrogates and non-characters are out), and of printable ASCII what
# Markdown or HTML reads anywhere in a line: inline triggers ` \ [ ] * _ < & >, # headings, | tables,
# { } attribute lists, ~ fenced code (the class below is printable ASCII without # & * < > [ \ ] _ `
# { | } ~). Besides: a space at a line's end (a line break) and what opens a block at a line's start
# (BLOCK_START: a space, indented code or list text; + - lists, = - setext underlines and rules;
# : definitions).
NOT_PLAIN = re.compile(
    "[^\n !\"$%'-)+-;=?-Z^a-z\u00a0-\u2027\u202a-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010fffd]"
)
BLOCK_START = " +=:-"
BLOCK_START_AFTER_FIRST = re.compile("\n[ +=:-]")
# an ATX heading's "#"s (Python-Markdown: at a line's start, 1 to 6, the text after them is the heading)
HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
# an ordered list's item (sane_lists: digits — \d is any Unicode digit, as in Python-Markdown's own
# patterns —, a dot, spaces, the item's text)
LIST_ITEM = re.compile(r"(\d+)\.( +)(.*)")


def _has_processors(md: markdown.Markdown) -> bool:
    """md's processors are exactly PROCESSORS (names, classes, order), read through the registries'
    public interface (their length, `in`, `[name]` and get_index_for_name)."""
    registries = {
        "preprocessors": md.preprocessors,
        "blockprocessors": md.parser.blockprocessors,
        "treeprocessors": md.treeprocessors,
        "postprocessors": md.postprocessors,
    }
    for kind, names in PROCESSORS.items():
        registry = registries[kind]
        if len(registry) != len(names):
            return False
        for i, (name, kind) in enumerate(names):
            if name not in registry or registry.get_index_for_name(name) != i:
                return False
            if type(registry[name]).__name__ != kind:
                return False
    return True


def plain_html(text: str) -> str | None:
    """The HTML of a text made of plain paragraphs, "#" headings and ordered lists of one-line items
    numbered from 1 (most entries' bodies), as Python-Markdown and the sanitiser give it, without
    running either; None for any other text (which is rendered as usual).

    Such a text has no character either reads (_plain_text). Python-Markdown splits it into blocks at
    blank lines (dropping the newlines that open one); a heading line splits its block (the lines
    before it, the heading with its text stripped, the lines after it); a part that opens with a
    numbered line is an ordered list if every line is an item (the item's text with nothing that
    opens a block nor whitespace to strip, and not right after another list, which it would join), any other part a
    paragraph of its text with the leading whitespace stripped, a blank part nothing; the elements
    are joined by a newline and an h1 is an h2 (render_markdown). The sanitiser keeps these tags and
    text without & < > as they are and writes NBSP as &nbsp;. tests/unit/test_render_plain.py checks
    both against the real ones."""
    if not _plain_text(HEADING.sub("", text) if "#" in text else text):
        return None
    out: list[str] = []
    last = ""  # the tag of the element before
    for block in (text + "\n\n").split("\n\n"):  # Python-Markdown ends the text with a blank line
        part: list[str] = []
        for line in block.lstrip("\n").split("\n"):
            if line.startswith("#"):
                if part:
                    last = _part(part, last, out)
                    if last is None:
                        return None
                    part = []
                level = len(line) - len(line.lstrip("#"))
                heading = line[level:].strip()
                if not heading:
                    return None
                tag = f"h{max(level, 2)}"
                out.append(f"<{tag}>{heading}</{tag}>")
                last = tag
            else:
                part.append(line)
        if part:
            last = _part(part, last, out)
            if last is None:
                return None
    html = "\n".join(out)
    return html.replace("\xa0", "&nbsp;") if "\xa0" in html else html


def _plain_text(text: str) -> bool:
    """No character of NOT_PLAIN, no space at a line's end, nothing of BLOCK_START at a line's start."""
    return (
        NOT_PLAIN.search(text) is None
        and " \n" not in text
        and not text.endswith(" ")
        and (not text or text[0] not in BLOCK_START)
        and BLOCK_START_AFTER_FIRST.search(text) is None
    )


def _part(lines: list[str], last: str, out: list[str]) -> str | None:
    """A part of a block between headings: a paragraph, an ordered list or nothing (see plain_html);
    the tag of the last element or None when the part is not plain."""
    first = LIST_ITEM.match(lines[0])
    if first is None:
        text = "\n".join(lines)
        if not text.strip():
            return last
        out.append(f"<p>{text.lstrip()}</p>")
        return "p"
    if last == "ol" or first.group(1) != "1":
        return None
    items = []
    for line in lines:
        item = LIST_ITEM.fullmatch(line)
        if item is None:
            return None
        text = item.group(3)
        if not text or text[0].isspace() or text[0] in BLOCK_START or LIST_ITEM.match(text) is not None:
            return None
        items.append(f"<li>{text}</li>")
    out.append("<ol>\n" + "\n".join(items) + "\n</ol>")
    return "ol"


def render_markdown(text: str) -> str:
    if not text.strip():  # what convert() gives a blank text, without a reset (a YAML entry has no body)
        return ""
    if _Renderer.md is None:
        _Renderer.md = new_markdown()
        _Renderer.plain = _has_processors(_Renderer.md) and _registered_as_expected(_Renderer.md)
    if _Renderer.plain:
        html = plain_html(text)
        if html is not None:
            return html
    return convert_and_clean(_Renderer.md, text)


def convert_and_clean(md: markdown.Markdown, text: str) -> str:
    """What Python-Markdown (md) and the sanitiser make of a text that is not blank."""
    md.reset()
    html = md.convert(text).replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
