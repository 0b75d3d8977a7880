"""Pelican glue: read entries and pages through the core model, after the gate decided.

The reader never decides publication itself: it asks the gate state that the
gongkai_gate plugin stored in the settings. Without that state it refuses to read
anything, so a build without the gate fails instead of publishing everything.
"""

from __future__ import annotations

import datetime
import re
import string

from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.readers import BaseReader
from pelican.utils import path_to_url

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


_FIELDS: dict[str, tuple[str, ...] | None] = {}


def _field_names(template: str) -> tuple[str, ...] | None:
    """The names a URL setting such as "{category}/{slug}.html" formats (None: leave it to Pelican)."""
    if template not in _FIELDS:
        names: list[str] | None = []
        for _, name, spec, _ in string.Formatter().parse(template):
            if name is None:
                continue
            root = re.split(r"[.\[]", name, maxsplit=1)[0]
            if not root or root.isdigit() or "{" in (spec or ""):
                names = None  # positional or nested fields: Pelican's own code, with its own errors
                break
            names.append(root)
        _FIELDS[template] = tuple(dict.fromkeys(names)) if names is not None else None
    return _FIELDS[template]


class _FastURLs:
    """url and save_as formatted with only the fields the URL setting names.

    Pelican's url_format copies the metadata and resolves the source path (two abspath and a
    relpath) on every `article.url`; templates, lists and feeds ask ~16 times per entry, and
    every page's navigation asks each static page. The values are the ones url_format would
    give, computed when asked (nothing is cached), so a changed slug, status or date still
    changes the URL."""

    def _setting_class(self) -> str:  # what Pelican's Article/Page._expand_settings choose
        raise NotImplementedError

    def _expand_settings(self, key: str) -> str:
        template = str(self.settings[f"{self._setting_class()}_{key}".upper()])
        names = _field_names(template)
        if names is None:  # Pelican's own formatting, with the class name it would use
            return Content._expand_settings(self, key, self._setting_class())
        return template.format(**{name: self._url_value(name) for name in names})

    def _url_value(self, name: str):
        if name == "slug":
            return getattr(self, "slug", "")
        if name == "category":
            return self.category.slug if hasattr(self, "category") else ""
        if name == "lang":
            return getattr(self, "lang", "en")
        if name == "date":
            return self.date if hasattr(self, "date") else datetime.datetime.now()
        if name == "author":
            return self.author.slug if hasattr(self, "author") else ""
        if name == "path":
            return path_to_url(self.metadata["path"] if "path" in self.metadata else self.get_relative_source_path())
        return self.metadata[name]  # a missing name fails as in Pelican (KeyError)


class EntryArticle(_FastURLs, Article):
    def _setting_class(self) -> str:
        return "draft" if self.status == "draft" else "article"


class StaticPage(_FastURLs, Page):
    def _setting_class(self) -> str:
        return "draft_page" if self.status == "draft" else "page"


def fast_urls(content) -> None:
    """Our entries and pages become EntryArticle and StaticPage (same data, same URLs, cheaper)."""
    if type(content) is Article and hasattr(content, "entry"):
        content.__class__ = EntryArticle
    elif type(content) is Page and hasattr(content, "page"):
        content.__class__ = StaticPage


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
    env["autoescape"] = True
    env.pop("finalize", None)
    pelican.settings["JINJA_ENVIRONMENT"] = env


# Pelican's intrasite link syntax ({static}, {attach}, {filename} …) copies whatever file it names,
# past the gate. Content using it is refused (gongkai_core.paths.PELICAN_LINK); this pattern, which
# matches nothing, also keeps Pelican from acting on it.
NO_INTRASITE_LINKS = r"(?!)"


def add_readers(readers) -> None:
    """Only our reader: Pelican's own (HTML, reStructuredText, and any a plugin registered) would read
    a stray .html or .rst past the gate. Every other file in content/ is left unread by Pelican."""
    if readers.settings.get(STATE_KEY) is None:
        raise GateMissing("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目，构建已停止")
    readers.reader_classes.clear()
    readers.reader_classes["static"] = BaseReader  # files Pelican copies as they are (none: STATIC_PATHS = [])
    for ext in EntryReader.file_extensions:
        readers.reader_classes[ext] = EntryReader
    readers.settings["INTRASITE_LINK_REGEX"] = NO_INTRASITE_LINKS


def register() -> None:
    signals.initialized.connect(templates_loaded_once)
    signals.readers_init.connect(add_readers)
    signals.content_object_init.connect(fast_urls)
