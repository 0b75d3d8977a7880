"""Pelican glue: read entries and pages through the core model, after the gate decided.

The reader never decides publication itself: it asks the gate state that the
gongkai_gate plugin stored in the settings. Without that state it refuses to read
anything, so a build without the gate fails instead of publishing everything.
"""

from __future__ import annotations


from pelican import signals
from pelican.readers import BaseReader

from gongkai_core import render
from gongkai_core.errors import GongkaiError

STATE_KEY = "GONGKAI_STATE"


class GateMissing(GongkaiError):
    """The gate plugin did not run: refuse to read any entry."""


def render_markdown(text: str, settings: dict | None = None) -> str:
    """Markdown to safe HTML: see gongkai_core.render (kept here for existing callers)."""
    return render.render_markdown(text)


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
            return self._html(state, obj), meta
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
        meta["summary"] = entry.summary or ""
        return self._html(state, entry), meta

    @staticmethod
    def _html(state, item) -> str:
        """The body as load_site rendered it (possibly from the read cache)."""
        html = state.site.html.get(item.path)
        return html if html is not None else render.render_markdown(item.body)


def add_readers(readers) -> None:
    if readers.settings.get(STATE_KEY) is None:
        raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目，构建已停止")
    for ext in EntryReader.file_extensions:
        readers.reader_classes[ext] = EntryReader


def register() -> None:
    signals.readers_init.connect(add_readers)
