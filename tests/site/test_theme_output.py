"""Every HTML page of the published demo site carries the theme's guarantees in its markup:
the strict CSP meta tag, no inline script, handler or style attribute, no URL to another host,
lang, skip link, landmarks, footer identifiers. (Rendering checks live in tests/browser.)"""

from __future__ import annotations

import posixpath
import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def pages(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    found = {
        p.relative_to(demo_site.output).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(demo_site.output.rglob("*.html"))
    }
    assert len(found) > 40
    return found


def test_every_page_has_the_csp_and_nothing_inline(pages):
    for rel, text in pages.items():
        soup = BeautifulSoup(text, "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == CSP, rel
        for script in soup.find_all("script"):
            assert script.get("src") and not script.get_text(strip=True), f"{rel}: inline script"
        for tag in soup.find_all(True):
            bad = [a for a in tag.attrs if a == "style" or a.startswith("on")]
            assert bad == [], f"{rel}: <{tag.name} {bad}>"
        assert soup.find("style") is None, f"{rel}: <style> element"


def test_no_page_links_or_loads_another_host(pages):
    """Nothing loads from another host; the only links out are the site-level elements the settings
    name (办事, 找错, 党政机关网站标识: GONGKAI_SITE_ELEMENTS), as an inspection requires them."""
    import html

    from pelican.settings import read_settings

    elements = read_settings(str(ROOT / "pelicanconf.py"))["GONGKAI_SITE_ELEMENTS"]
    allowed = {v for v in elements.values() if "//" in v}
    assert allowed  # the demo configures them
    foreign = re.compile(r'(href|src|action)="((?:[a-z][a-z0-9+.-]*:)?//[^"]*)"', re.I)
    for rel, text in pages.items():
        found = [
            (a, u) for a, u in foreign.findall(text) if a.lower() != "href" or html.unescape(u) not in allowed
        ]
        assert found == [], rel


def test_every_page_has_lang_skip_link_landmarks_and_footer_ids(pages):
    for rel, text in pages.items():
        soup = BeautifulSoup(text, "html.parser")
        assert soup.html["lang"] in ("zh-CN", "zh-Hant"), rel
        skip = soup.find("a", class_="gk-skip")
        assert skip is not None and skip["href"] == "#main" and soup.body.find(True) is skip, rel
        assert soup.select_one("main#main") is not None, rel
        assert len(soup.find_all("h1")) == 1, rel
        assert soup.select_one("header form[role=search] input[name=q]") is not None, rel
        footer = soup.find("footer").get_text(" ", strip=True)
        for label in ("主办单位", "网站标识码", "ICP备案号", "公安备案号"):
            assert label in footer, (rel, label)
        assert "9999000001" in footer, rel
        buttons = soup.select("[data-module=gk-prefs] button[aria-pressed]")
        assert [b["data-pref"] for b in buttons] == ["large", "contrast"], rel


def test_entry_page_shows_metadata_attachment_type_and_size(pages):
    soup = BeautifulSoup(pages["policy/2025-farmland-protection.html"], "html.parser")
    meta = {tr.th.get_text(): tr.td.get_text() for tr in soup.select("table.gk-meta tr")}
    assert [k for k in meta if k in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "有效性")] == [
        "索引号",
        "发布机构",
        "文号",
        "成文日期",
        "发布日期",
        "有效性",
    ]
    assert meta["文号"] == "示政发〔2025〕2号"
    att = soup.select_one(".gk-attachments__item")
    assert att.a["href"] == "../files/2025-farmland-protection.pdf"
    assert re.fullmatch(r"（PDF，\d+(\.\d)? (B|KB|MB)）", att.select_one(".gk-attachments__type").get_text())
    assert soup.select_one(".gk-updated time")["datetime"] == meta["发布日期"]
    crumbs = [li.get_text(strip=True) for li in soup.select(".gk-breadcrumbs li")]
    # the column's place in the tree (structure/tree.yaml): 法定主动公开内容 › 政策文件
    assert crumbs == [
        "首页",
        "法定主动公开内容",
        "政策文件",
        "示例县人民政府关于加强耕地保护和改进占补平衡的实施意见",
    ]
    assert (
        soup.select_one('nav.gk-nav a[aria-current="true"]').get_text() == "法定主动公开内容"
    )  # its tree section


def test_catalog_year_and_column_pages_exist_and_agree_with_the_catalog(pages):
    whole = BeautifulSoup(pages["catalog/index.html"], "html.parser")
    titles, rel, page = [], "catalog/index.html", whole
    while True:  # the demo has more entries than one page of the whole catalogue: follow 下一页
        titles += [a.get_text() for a in page.select("table.gk-list tbody a")]
        nxt = page.select_one("nav.gk-pagination a[rel=next]")
        if nxt is None:
            break
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), nxt["href"]))
        page = BeautifulSoup(pages[rel], "html.parser")
    assert rel != "catalog/index.html"  # pagination was really followed
    assert re.search(r"共 (\d+) 条", whole.select_one("table.gk-list caption").get_text())[1] == str(
        len(titles)
    )
    years = [a.get_text() for a in whole.select("nav.gk-filter p:nth-of-type(2) a")]
    assert years and all(re.fullmatch(r"\d{4}年", y) for y in years)
    per_year = []
    for y in years:
        soup = BeautifulSoup(pages[f"catalog/{y[:4]}/index.html"], "html.parser")
        per_year += [a.get_text() for a in soup.select("table.gk-list tbody a")]
        assert soup.select_one("nav.gk-filter strong[aria-current=page]") is not None
    assert sorted(per_year) == sorted(titles)
    policy_2025 = BeautifulSoup(pages["catalog/policy/2025/index.html"], "html.parser")
    hrefs = [a["href"] for a in policy_2025.select("table.gk-list tbody a")]
    assert hrefs and all(h.startswith("../../../policy/") for h in hrefs)
