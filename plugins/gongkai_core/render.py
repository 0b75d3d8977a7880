"""Markdown of entry and page bodies to safe HTML (no Pelican here).

One `markdown.Markdown` per process, reset between documents: building it costs more than
converting a typical entry. The result is sanitised: a <script> or onclick pasted from a word
processor is removed, links to other schemes than http(s)/mailto/relative are dropped, and an
h1 in the body becomes h2 (the page has one h1, the title).
"""

from __future__ import annotations

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


def render_markdown(text: str) -> str:
    if _Renderer.md is None:
        _Renderer.md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    md = _Renderer.md
    md.reset()
    html = md.convert(text).replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
