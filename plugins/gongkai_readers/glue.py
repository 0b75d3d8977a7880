"""Pelican glue: read entries and pages through the core model, after the gate decided.

The reader never decides publication itself: it asks the gate state that the
gongkai_gate plugin stored in the settings. Without that state it refuses to read
anything, so a build without the gate fails instead of publishing everything.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import nh3
from pelican import signals
from pelican.readers import BaseReader

from gongkai_core.errors import GongkaiError

STATE_KEY = "GONGKAI_STATE"


class GateMissing(GongkaiError):
    """The gate plugin did not run: refuse to read any entry."""


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


def render_markdown(text: str, settings: dict) -> str:
    """Markdown to HTML, then sanitised: a <script> or onclick pasted from a word processor
    is removed, links to other schemes than http(s)/mailto/relative are dropped. An h1 in
    the body becomes h2 (the page has one h1, the title)."""
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    html = md.convert(text).replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


class EntryReader(BaseReader):
    enabled = True
    file_extensions = ["md", "markdown", "yaml", "yml"]

    def read(self, source_path: str):
        state = self.settings.get(STATE_KEY)
        if state is None:
            raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目")
        found = state.lookup(source_path)
        if found is None:
            # Invalid or withheld: nothing of it may go further.
            return "", {"status": "skip"}
        kind, obj, verdict = found
        if kind == "page":
            meta = {
                "title": obj.title,
                "slug": obj.slug,
                "status": "published" if obj.status == "published" else "skip",
                "page": obj,
                "text_lang": obj.lang,
                "order": obj.order,
            }
            if obj.summary:
                meta["summary"] = obj.summary
            return render_markdown(obj.body, self.settings), meta
        entry = obj
        meta = {
            "title": entry.title,
            "slug": entry.slug,
            "date": self.process_metadata("date", entry.date_published.isoformat()),
            "category": self.process_metadata("category", entry.column),
            "status": "published",
            "entry": entry,
            "verdict": verdict,
            "text_lang": entry.lang,
            "column": entry.column,
        }
        if entry.changes:
            meta["modified"] = self.process_metadata("modified", entry.last_updated.isoformat())
        template = state.template_for(entry)
        if template:
            meta["template"] = template
        if verdict is not None and verdict.state == "withdrawn":
            # The notice page carries none of the entry's content.
            meta["title"] = "本信息已撤回"
            meta["template"] = "withdrawn"
            return "", meta
        body = entry.body
        meta["summary"] = entry.summary or ""
        return render_markdown(body, self.settings), meta


def add_readers(readers) -> None:
    if readers.settings.get(STATE_KEY) is None:
        raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目，构建已停止")
    for ext in EntryReader.file_extensions:
        readers.reader_classes[ext] = EntryReader


def register() -> None:
    signals.readers_init.connect(add_readers)
