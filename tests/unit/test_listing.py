"""gongkai_build.listing: the list helpers give what the plain template expressions give."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment
from pelican.paginator import Paginator
from pelican.settings import read_settings

from gongkai_build import listing


def test_articles_by_column_are_what_the_home_page_filtered_out_of_the_whole_list():
    articles = [
        SimpleNamespace(entry=SimpleNamespace(column=column), n=n)
        for n, column in enumerate(["policy", "budget", "policy", "land", "policy", "budget"])
    ]
    articles.insert(3, SimpleNamespace(n=99))  # a page of Pelican's own, without an entry
    articles.insert(5, SimpleNamespace(entry=None, n=98))
    env = Environment()
    plain = env.from_string(
        "{% for key in keys %}{{ key }}:"
        "{{ articles|selectattr('entry')|selectattr('entry.column', 'equalto', key)|map(attribute='n')|list }};"
        "{% endfor %}"
    )
    helped = env.from_string(
        "{% set by_column = gk_by_column(articles) %}{% for key in keys %}{{ key }}:"
        "{{ by_column.get(key, [])|map(attribute='n')|list }};{% endfor %}"
    )
    keys = ["policy", "budget", "land", "sangong"]
    args = {"articles": articles, "keys": keys, "gk_by_column": listing.gk_by_column}
    assert helped.render(**args) == plain.render(**args)
    assert "sangong:[];" in helped.render(**args)


def test_page_addresses_are_the_paginator_pages_addresses_made_once():
    settings = read_settings(None, override={"RELATIVE_URLS": True})
    paginator = Paginator("catalog/index.html", "catalog/index.html", list(range(230)), settings, 50)
    made = []
    page = paginator.page

    def counted(number):
        made.append(number)
        return page(number)

    paginator.page = counted
    expected = [page(n).url for n in range(1, paginator.num_pages + 1)]
    for _ in range(3):  # every page of the list links every page
        assert [listing.gk_page_url(paginator, n) for n in range(1, paginator.num_pages + 1)] == expected
    assert made == [1, 2, 3, 4, 5] and expected[0] == "catalog/index.html" and expected[1] != expected[0]


def test_static_page_names_are_what_the_navigation_mapped_out_of_the_pages():
    pages = [SimpleNamespace(save_as=name) for name in ("about.html", "pages/guide.html", "")]
    env = Environment()
    plain = env.from_string("{{ here in pages|map(attribute='save_as')|list }}")
    helped = env.from_string("{{ here in gk_page_names(pages) }}")
    for here in ("about.html", "pages/guide.html", "budget/a.html", ""):
        args = {"pages": pages, "here": here, "gk_page_names": listing.gk_page_names}
        assert helped.render(**args) == plain.render(**args)
    assert listing.gk_page_names(pages) == {"about.html", "pages/guide.html", ""}
