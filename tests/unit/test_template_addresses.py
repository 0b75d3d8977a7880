"""Every address a theme template links to comes from gongkai_core.urls (the `gk_urls` global), as
every address the build writes does: a template that wrote "land/places.html" or "catalog/index.html"
by hand would link to nothing once urls.py names the page differently."""

from __future__ import annotations

import re

from conftest import ROOT

TEMPLATES = ROOT / "theme" / "templates"
# an href/action/src whose text after SITEURL starts with a literal path, or a literal site path in a string
BY_HAND = re.compile(
    r"\{\{ SITEURL \}\}/(?!\{\{)[^\"']|'[a-z_]*/?(?:index|catalog|places|search)[^']*\.(?:html|csv|json|xml)'"
    r"|~ '/index\.html'"
)


def test_no_template_writes_an_address_by_hand():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("{#"):
                continue
            for match in BY_HAND.finditer(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert found == []


def test_the_pattern_finds_what_it_looks_for():
    assert BY_HAND.search('<a href="{{ SITEURL }}/land/places.html">')
    assert BY_HAND.search("breadcrumbs([['目录', 'catalog/index.html']], x)")
    assert BY_HAND.search("article.entry.column ~ '/index.html'")
    assert not BY_HAND.search('<a href="{{ SITEURL }}/{{ gk_urls.column_page(key) }}">')
