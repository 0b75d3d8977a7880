"""What list templates would otherwise compute again and again (Jinja globals, no Pelican here).

- `gk_by_column(articles)`: the articles of each column, in the list's order — what the home page
  took by filtering the whole list once per column (`selectattr('entry.column', 'equalto', key)`).
- `gk_page_url(paginator, n)`: the address of page n of a Pelican paginator. The pagination links
  of every page of a list name every page: Pelican's `paginator.page(n)` makes a page object each
  time (40,000 of them for the 200 pages of a 10k catalog); the addresses are kept on the paginator,
  which Pelican makes once for all pages of a list.
- `gk_page_names(pages)`: the output names (`save_as`) of the static pages — what every page's
  navigation asked with `pages|map(attribute='save_as')|list` (Pelican works each name out again on
  every access); made once per build (`Build.page_names`).

All give what the plain template expressions give (the theme's tests compare the pages).
"""

from __future__ import annotations


def gk_by_column(articles) -> dict[str, list]:
    """column key -> the articles of that column with an entry, in the order of `articles`."""
    found: dict[str, list] = {}
    for article in articles:
        entry = getattr(article, "entry", None)
        if entry:
            found.setdefault(entry.column, []).append(article)
    return found


def gk_page_url(paginator, number: int) -> str:
    """`paginator.page(number).url`, made once per paginator and page."""
    known = paginator.__dict__.setdefault("_gk_page_urls", {})
    url = known.get(number)
    if url is None:
        url = known[number] = paginator.page(number).url
    return url


def gk_page_names(pages) -> frozenset[str]:
    """The `save_as` of each of `pages` (Pelican's static pages), made once per build for that list."""
    from .build import running

    build = running()
    if build is None:
        return frozenset(p.save_as for p in pages)
    known = build.page_names.get(id(pages))
    if known is None or known[0] is not pages:
        # the list is kept beside its names: its id cannot name another list during the build
        known = build.page_names[id(pages)] = (pages, frozenset(p.save_as for p in pages))
    return known[1]
