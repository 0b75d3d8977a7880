"""Every example of every theme component renders to well-formed, accessible HTML.

The same examples are put on a gallery page that axe checks in Chromium
(tests/browser/test_theme.py::test_component_gallery_has_no_axe_violations).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup

from gk_components import COMPONENTS, examples, render

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# elements whose end tag HTML lets us omit; our components close them anyway, so none here
EXAMPLES = examples()


class _Checker(HTMLParser):
    """Strict well-formedness: every element closed in order, no stray end tag, no duplicate
    attribute, no duplicate id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        names = [k for k, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"<{tag}> 属性重复：{names}")
        for k, v in attrs:
            if k == "id":
                if v in self.ids:
                    self.errors.append(f"id 重复：{v}")
                self.ids.add(v)
            if k.startswith("on") or k == "style":
                self.errors.append(f"<{tag}> 含 {k} 属性（CSP 不允许）")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"</{tag}> 不应有结束标签")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> 与未闭合的 <{self.stack[-1] if self.stack else '无'}> 不配对")
        else:
            self.stack.pop()

    def check(self, text: str) -> list[str]:
        self.feed(text)
        self.close()
        return self.errors + [f"<{t}> 未闭合" for t in self.stack]


def test_every_component_folder_has_macro_readme_and_examples():
    for name in ("metadata-table", "data-table", "pagination", "attachment-list", "entry-list",
                 "breadcrumbs", "filter-links", "change-notes"):
        folder = COMPONENTS / name
        assert (folder / "macro.html").exists() and (folder / "README.md").exists(), name
        assert name in {e.component for e in EXAMPLES}, f"{name} 没有 examples.yaml"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_renders_valid_accessible_html(example):
    out = render(example)
    if example.spec.get("renders_nothing"):
        assert out.strip() == ""
        return
    assert out.strip(), "示例渲染为空"
    assert _Checker().check(out) == []
    soup = BeautifulSoup(out, "html.parser")
    for table in soup.find_all("table"):
        caption = table.find("caption")
        assert caption is not None and caption.get_text(strip=True), "表格缺少标题 caption"
        assert table.find(True) is caption, "caption 必须是表格的第一个子元素"
        if len(table.find_all(["td", "th"])) > 1:
            assert table.find("th"), "表格没有表头单元格"
        for th in table.find_all("th"):
            assert th.get("scope") in ("col", "row", "colgroup", "rowgroup"), f"表头缺少 scope：{th}"
    for a in soup.find_all("a"):
        assert a.get_text(strip=True), f"链接没有文字：{a}"
        href = a.get("href", "")
        assert not href.startswith(("http:", "https:", "//")), f"链接指向外站：{href}"
    for nav in soup.find_all("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby"), "nav 需要名称"


def _rows(html: str) -> dict[str, str]:
    return {tr.th.get_text(): tr.td.get_text() for tr in BeautifulSoup(html, "html.parser").select("tr")}


def test_metadata_table_shows_the_catalog_fields():
    ex = next(e for e in EXAMPLES if e.component == "metadata-table" and e.name == "有文号")
    rows = _rows(render(ex))
    assert rows["索引号"] == "SL0000001/2025-00001"
    assert rows["文号"] == "示政发〔2025〕2号"
    assert rows["有效性"] == "有效"
    assert list(rows)[:3] == ["索引号", "发布机构", "文号"]
    expired = next(e for e in EXAMPLES if e.component == "metadata-table" and e.name != "有文号")
    rows = _rows(render(expired))
    assert rows["文号"] == "无" and rows["有效性"] == "失效（自 2024-10-15 起）"


def test_pagination_marks_the_current_page_and_links_the_others():
    ex = next(e for e in EXAMPLES if e.component == "pagination" and e.name == "第2页，共3页")
    soup = BeautifulSoup(render(ex), "html.parser")
    assert soup.select_one("[aria-current=page]").get_text() == "第 2 页"
    links = [(a.get_text(), a["href"]) for a in soup.select("a")]
    assert links[0] == ("上一页（第 1 页）", "../catalog/index.html")
    assert ("第 3 页", "../catalog/index3.html") in links
    assert links[-1][0].startswith("下一页")


def test_attachment_list_gives_type_and_size():
    ex = next(e for e in EXAMPLES if e.component == "attachment-list" and e.name == "一个附件")
    item = BeautifulSoup(render(ex), "html.parser").select_one("li")
    assert item.a["href"] == "../files/2025-farmland-protection.pdf"
    assert item.select_one(".gk-attachments__type").get_text().startswith("（PDF，")
    assert item.select_one(".gk-attachments__type").get_text().endswith("B）")
    empty = next(e for e in EXAMPLES if e.component == "attachment-list" and e.name == "无附件")
    assert render(empty).strip() == ""
