"""Pelican glue: read entries and pages through the core model, after the gate decided.

The reader never decides publication itself: it asks the build (gongkai_build.build.current())
what the gate decided for exactly this file. Before the gate has decided it refuses to read
anything, so a build without the gate fails instead of publishing everything. Where a page goes
is gongkai_core.urls's to say: the reader hands Pelican each page's `url` and `save_as` as
metadata (Pelican's public override), so no URL setting and no Pelican class is involved.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.readers import BaseReader

from gongkai_build import fragments, listing, templatecache
from gongkai_build.build import current
from gongkai_core import render, urls
from gongkai_core.errors import GongkaiError


class GateMissing(GongkaiError):
    """The gate plugin did not run: refuse to read any entry."""


class EntryReader(BaseReader):
    enabled = True
    file_extensions = ["md", "markdown", "yaml", "yml"]

    def read(self, source_path: str):
        state = current()
        if not state.read:
            raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目")
        found = state.lookup(source_path)
        if found is None:
            # Invalid or withheld: nothing of it may go further.
            return "", {"status": "skip"}
        kind, obj, verdict = found
        if kind == "page":
            address = urls.page_page(obj.slug)
            meta = {
                "title": obj.title,
                "slug": obj.slug,
                "url": address,
                "save_as": address,
                "status": "published" if obj.status == "published" else "skip",
                "page": obj,
                "text_lang": obj.lang,
                "order": obj.order,
            }
            if obj.summary:
                meta["summary"] = obj.summary
            if (
                obj.shows
            ):  # the template adds the flow chart, counts or form (theme/templates/requests_*.html)
                meta["gk_shows"] = obj.shows
                meta["gk_requests"] = state.public_requests
            return self._html(state, obj), meta
        entry = obj
        address = urls.entry_page(entry.column, entry.slug)
        meta = {
            "title": entry.title,
            "slug": entry.slug,
            "url": address,
            "save_as": address,
            "date": self._metadata("date", entry.date_published.isoformat()),
            "category": self._metadata("category", entry.column),
            "status": "published",
            "entry": entry,
            "verdict": verdict,
            "text_lang": entry.lang,
            "column": entry.column,
        }
        if entry.changes:
            meta["modified"] = self._metadata("modified", entry.last_updated.isoformat())
        template = state.template_for(entry)
        if template:
            meta["template"] = template
        if verdict is not None and verdict.state == "withdrawn":
            # The notice page carries none of the entry's content.
            meta["title"] = "本信息已撤回"
            meta["template"] = "withdrawn"
            return "", meta
        meta["summary"] = entry.summary or ""
        # its links to other published entries (gongkai_core.policylinks.EntryLinks), or None
        meta["gk_links"] = state.site.links.get(entry.path)
        return self._html(state, entry), meta

    def _metadata(self, name: str, text: str):
        """process_metadata once per name and text in this reader: a date or a category is a value
        (equal text, equal result), otherwise parsed by dateutil or slugified again for every entry."""
        memo = self.__dict__.setdefault("_gk_metadata", {})
        found = memo.get((name, text))
        if found is None:
            found = memo[(name, text)] = self.process_metadata(name, text)
        return found

    @staticmethod
    def _html(state, item) -> str:
        """The body as load_site rendered it (possibly from the read cache)."""
        html = state.site.html.get(item.path)
        return html if html is not None else render.render_markdown(item.body)


def templates_loaded_once(pelican) -> None:
    """Jinja re-checks a template's file (a stat) each time it is used again — ~60,000 times at 10k,
    every page importing the component macros. A build reads the theme once: the generators'
    environments do not reload (unless the settings ask for it).

    Every template autoescapes, whatever a settings file says: a `"` or `<` in a title, publisher
    or file name is text, never markup. The theme marks as safe only HTML our code made safe (the
    body sanitised by gongkai_core.render, our macros' output, gk_paragraphs). A settings `finalize`
    could hand values to the template as Markup and so skip escaping: it is dropped too."""
    env = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    env.setdefault("auto_reload", False)
    # every template in a plain dict, not Jinja's LRU of 400 (a lock and a linear scan of its order on each
    # lookup; a page looks up each template it extends or imports): the theme has a few dozen templates
    env.setdefault("cache_size", -1)
    project = Path(pelican.settings["PATH"]).parent
    # (a rebuild of a few entries runs without the read cache, in a project that has a cache folder)
    if "bytecode_cache" not in env and (
        pelican.settings.get("GONGKAI_CACHE", True) or templatecache.cache_exists(project)
    ):
        env["bytecode_cache"] = templatecache.compiled_templates(project)
    env["autoescape"] = True
    env.pop("finalize", None)
    pelican.settings["JINJA_ENVIRONMENT"] = env
    # every address a template links to comes from gongkai_core.urls, as every address the build writes
    # the site's chrome (navigation, footer) is rendered once per build for each distinct input
    pelican.settings["JINJA_GLOBALS"] = {
        **(pelican.settings.get("JINJA_GLOBALS") or {}),
        "gk_urls": urls,
        "gk_fragment": fragments.gk_fragment,
        # lists: the home page's columns and the pagination links, computed once (gongkai_build.listing)
        "gk_by_column": listing.gk_by_column,
        "gk_page_url": listing.gk_page_url,
        "gk_page_names": listing.gk_page_names,
    }


# Pelican's intrasite link syntax ({static}, {attach}, {filename} …) copies whatever file it names,
# past the gate. Content using it is refused (gongkai_core.paths.PELICAN_LINK); this pattern, which
# matches nothing, also keeps Pelican from acting on it.
NO_INTRASITE_LINKS = r"(?!)"


def add_readers(readers) -> None:
    """Only our reader: Pelican's own (HTML, reStructuredText, and any a plugin registered) would read
    a stray .html or .rst past the gate. Every other file in content/ is left unread by Pelican."""
    if not current().read:
        raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目，构建已停止")
    readers.reader_classes.clear()
    readers.reader_classes["static"] = (
        BaseReader  # files Pelican copies as they are (none: STATIC_PATHS = [])
    )
    for ext in EntryReader.file_extensions:
        readers.reader_classes[ext] = EntryReader
    readers.settings["INTRASITE_LINK_REGEX"] = NO_INTRASITE_LINKS


def register() -> None:
    signals.initialized.connect(templates_loaded_once)
    signals.readers_init.connect(add_readers)
