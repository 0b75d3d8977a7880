"""Every example of every theme component renders to well-formed, accessible HTML.

The same examples are put on a gallery page that axe checks in Chromium
(tests/browser/test_theme.py::test_component_gallery_has_no_axe_violations).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from bs4 import BeautifulSoup

from gk_components import COMPONENTS, arguments, components, examples, render

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
    """Each folder of theme/templates/components is a component: its macro, a README and named
    examples (which this file and the axe gallery of tests/browser/test_theme.py render)."""
    missing = []
    for name in components():
        folder = COMPONENTS / name
        for file in ("macro.html", "README.md", "examples.yaml"):
            if not (folder / file).is_file():
                missing.append(f"{name}/{file} 不存在")
        path = folder / "examples.yaml"
        if path.is_file():
            specs = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(specs, list) or not specs:
                missing.append(f"{name}/examples.yaml 没有示例（应为示例的列表，每个有 name）")
                continue
            names = [spec.get("name") if isinstance(spec, dict) else None for spec in specs]
            if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
                missing.append(f"{name}/examples.yaml 的示例须各有不同的 name：{names}")
            elif all(spec.get("renders_nothing") for spec in specs):
                missing.append(f"{name}/examples.yaml 的示例都不渲染任何内容")
    assert len(components()) >= 13
    assert missing == []
    assert {e.component for e in EXAMPLES} == set(components())


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


def _example(component: str, name: str):
    return next(e for e in EXAMPLES if e.component == component and e.name == name)


@pytest.mark.parametrize(
    "example",
    [e for e in EXAMPLES if "codetable" in e.spec and not e.spec["codetable"].get("empty")],
    ids=lambda e: e.id,
)
def test_code_table_examples_add_up_and_show_each_class_with_its_rows(example):
    (table,), _ = arguments(example.spec)
    parts = [i for i, (key, _) in enumerate(table.spec.columns) if key in table.spec.parts]
    for row in table.flat():  # as budget.validate checks a budget's tables
        assert row.values[0] == sum(row.values[i] for i in parts), row.code
        if row.children:
            assert row.values == tuple(map(sum, zip(*(c.values for c in row.children)))), row.code
    assert table.totals == tuple(map(sum, zip(*(r.values for r in table.rows))))
    assert len(table.flat()) == len(example.spec["codetable"]["rows"])  # every row nests under its 类

    soup = BeautifulSoup(render(example), "html.parser")
    overview = soup.select_one("table.gk-code-table__table--overview")
    assert [tr["data-code"] for tr in overview.select("tbody tr")] == [r.code for r in table.rows]
    assert overview.select_one("tfoot th").get_text() == "合计"
    groups = soup.select("details")
    if len(table.spec.levels) == 1:  # disclosed to 类 only (财政拨款收支总表): the overview is all
        assert groups == []
        return
    assert [d.table["data-group"] for d in groups] == [r.code for r in table.rows]
    first = groups[0].select("tbody tr")
    assert [tr["data-level"] for tr in first][:2] == ["类", "款"]
    assert [tr["data-code"] for tr in first] == [
        r.code for r in table.flat() if r.code.startswith(table.rows[0].code)
    ]


def test_code_table_says_why_a_table_is_empty():
    soup = BeautifulSoup(render(_example("code-table", "空表")), "html.parser")
    assert (
        soup.select_one(".gk-code-table__empty").get_text()
        == "空表：本单位2025年无政府性基金预算财政拨款支出，故本表为空表"
    )
    assert soup.select("details") == []


def test_bar_chart_text_alternative_gives_every_value():
    ex = _example("bar-chart", "决算支出，含零值")
    soup = BeautifulSoup(render(ex), "html.parser")
    plot = soup.select_one("[role=img]")
    desc = soup.find(id=plot["aria-describedby"]).get_text()
    assert desc.startswith("205 教育支出 12,486.32 万元；") and desc.endswith("229 其他支出 0.00 万元")
    assert [r["width"] for r in soup.select("rect")] == [
        "100.0",
        "8.8",
        "3.1",
        "5.1",
        "0.0",
    ]  # % of the largest; a zero draws no bar
    assert soup.select("svg text") == []  # labels are HTML text: legible at any width
    assert soup.figcaption.a["href"] == "#gk-table-functional"


def test_downloads_give_csv_and_json_of_each_table():
    soup = BeautifulSoup(render(_example("downloads", "征地公告的表")), "html.parser")
    items = soup.select("li")
    assert [li.get_text().split("：")[0] for li in items] == ["征收范围（乡镇、村）", "征收面积（按地类）"]
    assert [a["href"] for a in items[0].select("a")] == [
        "../land/2025-05-pre-notice/places.csv",
        "../land/2025-05-pre-notice/places.json",
    ]
    assert soup.h2["id"] == soup.section["aria-labelledby"]


def test_outline_draws_each_ring_of_the_geometry():
    soup = BeautifulSoup(render(_example("outline", "两个地块，其一含保留的宅基地")), "html.parser")
    assert soup.path["d"].count("M") == 3 and soup.path["fill-rule"] == "evenodd"  # two parcels, one hole
    assert soup.svg["aria-labelledby"] == "gk-outline-title gk-outline-desc"
    assert "总面积 20.5027 公顷" in soup.svg.desc.get_text()


def test_timeline_lists_the_batch_in_legal_order_and_marks_the_current_notice():
    soup = BeautifulSoup(render(_example("timeline", "全部四个公告，当前为补偿安置方案公告")), "html.parser")
    items = soup.select("li")
    assert [li.select_one(".gk-timeline__type").get_text() for li in items] == [
        "征收土地预公告",
        "征地补偿安置方案公告",
        "批复",
        "征收土地公告",
    ]
    assert [li.time["datetime"] for li in items] == ["2025-05-06", "2025-06-09", "2025-09-12", "2025-09-22"]
    current = soup.select("[aria-current]")
    assert len(current) == 1 and current[0]["aria-current"] == "step"
    assert current[0].get_text().endswith("（本页）") and "征地补偿安置方案公告" in current[0].get_text()
    assert [a["href"] for a in soup.select("a")] == [
        "../land/2025-05-pre-notice.html",
        "../land/2025-09-approval.html",
        "../land/2025-09-expropriation.html",
    ]
