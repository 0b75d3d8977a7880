"""Parts of a page rendered once per build for each distinct input (no Pelican here).

Every page repeats the site's chrome: the column navigation (the tree of `gongkai_core.tree`, marked
with where the page is) and the footer (the site identifiers and the elements of
GONGKAI_SITE_ELEMENTS). At 10,000 entries rendering them again on every page costs seconds, and all
but a handful of pages get the same few bytes. The theme wraps such a part in

    {% call gk_fragment('nav', here_section, nav_here, chrome_lang, SITEURL, pages, gk_tree) %}
      … the part …
    {% endcall %}

and the part is rendered the first time a build meets that key; every later page with an equal key
gets the same text. The key must name everything the part shows: the template passes it, and
`tests/plugins/test_render_cache.py` publishes the demo with and without the cache and compares every byte.

Plain values (str, Markup, numbers, booleans, None) are compared by value and type (a Markup and a
str of the same text render differently). Anything else — the settings' dicts, the static pages,
the tree — by identity: they are the same objects for a whole build and never change while pages are
written. The cache keeps every key's objects, so an identity cannot be reused by another object
during the build. The cache lives in the run's Build (`Build.fragments`), never in a module global;
outside a build (a test rendering a template alone) the part is simply rendered.
"""

from __future__ import annotations

from collections.abc import Callable

PLAIN = (str, int, float, bool, type(None))


def _part(value: object) -> object:
    if isinstance(value, PLAIN):
        return (type(value), value)
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_part(v) for v in value))
    return (object, id(value))


class Fragments:
    """Rendered parts of this build's pages, by key."""

    def __init__(self) -> None:
        self._text: dict[tuple, object] = {}
        self._kept: list[tuple] = []  # the key objects compared by identity, alive until the build ends
        self.rendered = 0
        self.reused = 0

    def get(self, key: tuple, render: Callable[[], object]) -> object:
        cache_key = tuple(_part(v) for v in key)
        found = self._text.get(cache_key)
        if found is None:
            found = render()
            self._text[cache_key] = found
            self._kept.append(key)
            self.rendered += 1
        else:
            self.reused += 1
        return found


def gk_fragment(*key: object, caller: Callable[[], object]) -> object:
    """The template global: the part `caller` renders, once per build for each distinct `key`."""
    from .build import running

    build = running()
    if build is None:
        return caller()
    return build.fragments.get(key, caller)
