"""The published demo site's 404 page, favicon and catalog filters (issue 20): a Chinese 404
page written by the build (search box, every column), declared in the output plan and kept out
of the sitemap; a favicon from the theme linked from every page; filters that only offer
choices leading to entries."""

from __future__ import annotations

import posixpath
import re

import pytest
from bs4 import BeautifulSoup

from gongkai_core import urls


@pytest.fixture(scope="module")
def site(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    return demo_site.output


def _soup(site, rel):
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_the_404_page_is_chinese_with_search_and_every_column(site):
    soup = _soup(site, urls.NOT_FOUND_PAGE)
    assert soup.html["lang"] == "zh-CN"
    assert soup.h1.get_text() == "页面未找到"
    assert "404" in soup.select_one("main").get_text()
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    forms = soup.select("main form[role=search]")
    assert [f["action"] for f in forms] == ["./search.html"]
    assert forms[0].select_one("input[name=q]") is not None
    links = {a["href"] for a in soup.select("main .gk-notfound__columns a")}
    for key in ("policy", "budget", "sangong", "land", "report"):
        assert f"./{urls.column_page(key)}" in links, key
        assert (site / urls.column_page(key)).is_file()
    assert "./catalog/index.html" in links
    assert urls.NOT_FOUND_PAGE not in (site / urls.SITEMAP).read_text(encoding="utf-8")


def test_every_page_links_the_theme_favicon(site):
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        icon = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("link", rel="icon")
        assert icon is not None, rel
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), icon["href"]))
        assert target == f"theme/{urls.FAVICON}", rel
    assert (site / "theme" / urls.FAVICON).read_text(encoding="utf-8").startswith("<svg")


def _count(soup) -> int:
    """The number of entries a list page says it lists: an entry list (共 N 条) or the
    规范性文件库, whose own table counts documents (共 N 件)."""
    caption = soup.select_one("table.gk-list caption, table.gk-normative caption").get_text()
    return int(re.search(r"共 (\d+) [条件]", caption).group(1))


def test_filters_only_offer_choices_that_have_entries(site):
    pages = sorted(site.glob("catalog/**/index.html")) + sorted(site.glob("*/index.html"))
    checked = 0
    for path in pages:
        rel = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("nav.gk-filter a"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), a["href"]))
            assert _count(_soup(site, target)) > 0, (rel, a.get_text(), target)
            checked += 1
    assert checked > 50
    # an empty combination exists in the demo (no 三公 entry published in 2019), and is not offered
    empty = [
        p
        for p in sorted(site.glob("catalog/*/*/index.html"))
        if _count(_soup(site, p.relative_to(site))) == 0
    ]
    assert empty, "the demo should have a column without entries in some year"
