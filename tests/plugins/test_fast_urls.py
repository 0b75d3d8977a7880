"""gongkai_readers' EntryArticle and StaticPage give the URLs Pelican's own classes give."""

from __future__ import annotations

import copy
import datetime

import pytest
from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category

from gongkai_readers.glue import EntryArticle, StaticPage, fast_urls

URL_SETTINGS = [
    "{category}/{slug}.html",
    "{date:%Y}/{date:%m}/{slug}/",
    "posts/{path}",
    "{lang}/{author}/{slug}.html",
    "{category}/{index_no}-{slug}.html",
    "{slug}{slug}.{lang}.html",
]


def _settings(url: str) -> dict:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = "content"
    for prefix in ("ARTICLE", "ARTICLE_LANG", "DRAFT", "DRAFT_LANG", "PAGE", "PAGE_LANG", "DRAFT_PAGE",
                   "DRAFT_PAGE_LANG"):
        settings[f"{prefix}_URL"] = url
        settings[f"{prefix}_SAVE_AS"] = "out/" + url
    settings["DEFAULT_LANG"] = "zh-cn"
    return settings


def _article(cls, settings: dict, **extra):
    meta = {"title": "示例", "slug": "g0001-notice", "date": datetime.datetime(2025, 3, 4, 10, 0),
            "category": Category("policy", settings), "author": Author("示例县", settings),
            "index_no": "000-2025-00001", "entry": object()}
    meta.update(extra)
    return cls("<p>正文</p>", metadata=meta, settings=settings, source_path="content/policy/g0001-notice.md")


@pytest.mark.parametrize("url", URL_SETTINGS)
@pytest.mark.parametrize("extra", [{}, {"status": "draft"}, {"lang": "zh-hant"}])
def test_entry_article_urls_equal_pelicans(url, extra):
    settings = _settings(url)
    ours, theirs = _article(EntryArticle, settings, **extra), _article(Article, settings, **extra)
    assert type(ours) is EntryArticle and type(theirs) is Article
    assert (ours.url, ours.save_as) == (theirs.url, theirs.save_as)
    # nothing is cached: a changed slug or status changes the URL as in Pelican
    for article in (ours, theirs):
        article.slug = "renamed"
        article.status = "published" if article.status == "draft" else "draft"
    assert (ours.url, ours.save_as) == (theirs.url, theirs.save_as)


@pytest.mark.parametrize("url", URL_SETTINGS[:4] + ["pages/{slug}.html"])
@pytest.mark.parametrize("status", ["published", "draft"])
def test_static_page_urls_equal_pelicans(url, status):
    settings = _settings(url)
    meta = {"title": "关于", "slug": "about", "status": status, "page": object(),
            "date": datetime.datetime(2025, 1, 1)}
    ours = StaticPage("<p>x</p>", metadata=dict(meta), settings=settings, source_path="content/pages/about.md")
    theirs = Page("<p>x</p>", metadata=dict(meta), settings=settings, source_path="content/pages/about.md")
    assert type(theirs) is Page
    assert (ours.url, ours.save_as) == (theirs.url, theirs.save_as)


def test_a_missing_field_fails_as_in_pelican():
    settings = _settings("{category}/{no_such_field}.html")
    with pytest.raises(KeyError):
        _ = _article(EntryArticle, settings).url
    with pytest.raises(KeyError):
        _ = _article(Article, settings).url


def test_only_gongkai_content_changes_class():
    settings = _settings("{slug}.html")
    plain = Article("x", metadata={"title": "t", "date": datetime.datetime(2025, 1, 1)}, settings=settings,
                    source_path="content/x.md")
    fast_urls(plain)
    assert type(plain) is Article
    ours = _article(Article, settings)
    fast_urls(ours)
    assert type(ours) is EntryArticle
