"""The statutory shape on the built demo site: navigation, breadcrumbs, section and standard-catalogue
pages, the HTML sitemap and the catalog filters follow structure/tree.yaml; the 目录 metadata
(内容概述, 关键词, 体裁分类) in the 信息索引 box, the list and the CSV; the site-level elements in the
footer. Then a tree naming an unconfigured column stops the build, and a changed tree re-renders
pages an incremental build would otherwise link unchanged."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, entry, make_project, run_cli


@pytest.fixture(scope="module")
def site(demo_site):
    assert demo_site.exit_code == 0, demo_site.stderr
    return demo_site


def _soup(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.text(rel), "html.parser")


def _texts(nodes) -> list[str]:
    return [re.sub(r"\s+", " ", n.get_text(" ", strip=True)) for n in nodes]


def test_navigation_and_breadcrumbs_follow_the_tree(site):
    page = _soup(site, "budget/2025-czj.html")
    nav = page.select(".gk-nav a")
    assert _texts(nav)[:5] == [
        "首页",
        "信息公开目录",
        "法定主动公开内容",
        "政策解读与公众参与",
        "基层政务公开标准目录",
    ]
    current = {a.get_text(): a.get("aria-current") for a in nav}
    assert current["法定主动公开内容"] == "true" and current["基层政务公开标准目录"] is None
    crumbs = page.select(".gk-breadcrumbs li")
    assert _texts(crumbs) == [
        "首页",
        "法定主动公开内容",
        "财政预决算",
        "预算决算",
        "示例县财政局2025年部门预算",
    ]
    assert [a["href"] for a in page.select(".gk-breadcrumbs a")] == [
        "../index.html",
        "../sections/statutory.html",
        "../sections/finance.html",
        "../budget/index.html",
    ]
    column = _soup(site, "relief/index.html")
    assert _texts(column.select(".gk-breadcrumbs li")) == ["首页", "法定主动公开内容", "社会救助"]
    places = _soup(site, "land/places.html")  # a page a data column generates
    assert _texts(places.select(".gk-breadcrumbs li")) == [
        "首页",
        "法定主动公开内容",
        "征地信息",
        "按乡镇和年度",
    ]


def test_the_statutory_section_lists_its_columns_with_their_ground(site):
    page = _soup(site, "sections/statutory.html")
    table = page.select_one("table.gk-section")
    assert table.caption.get_text() == "法定主动公开内容所含栏目"
    rows = {tr.th.a.get_text(): tr for tr in table.tbody.find_all("tr")}
    assert list(rows)[:3] == ["政策文件", "机构职能", "规划计划"]
    procurement = rows["政府采购"]
    assert procurement.th.select_one(".gk-flag").get_text() == "法定"
    assert _texts(procurement.find_all("td")) == ["条例第二十条第（九）项", "1", "2026-01-22"]
    assert rows["财政预决算"].th.a["href"] == "../sections/finance.html"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col"] * 4


def test_the_standard_catalogues_link_each_item_to_its_column(site):
    index = _soup(site, "standard/index.html")
    caption = index.select_one("table caption").get_text()
    assert caption == "基层政务公开领域（共 26 个，已编制 3 个）"
    linked = {a.get_text(): a["href"] for a in index.select("table tbody a")}
    assert linked == {
        "财政预决算": "../standard/budget.html",
        "征地补偿": "../standard/land_expropriation.html",
        "社会救助": "../standard/social_assistance.html",
    }
    area = _soup(site, "standard/social_assistance.html")
    table = area.select_one("table.gk-standard")
    assert table.caption.get_text() == "社会救助领域公开事项（共 5 项）"
    head = _texts(table.thead.find_all("th"))
    assert head[:4] == ["序号", "一级事项", "二级事项", "公开内容（要素）"] and head[-1] == "公开栏目"
    first = table.tbody.find("tr")
    assert first.th["scope"] == "row" and first.th.get_text() == "政策法规和保障标准"
    assert first.select_one('[data-label="公开方式"]').get_text() == "主动"
    assert first.select_one('[data-label="公开层级"]').get_text() == "县级、乡级"
    link = first.select_one('[data-label="公开栏目"] a')
    assert (link.get_text(), link["href"]) == ("社会救助", "../relief/index.html")
    assert site.exists("relief/index.html")


def test_the_html_sitemap_is_the_tree(site):
    page = _soup(site, "sitemap.html")
    links = [(a.get_text(), a["href"]) for a in page.select(".gk-sitemap a")]
    for title, href in (
        ("法定主动公开内容", "sections/statutory.html"),
        ("财政预决算", "sections/finance.html"),
        ("突发公共事件", "emergencies/index.html"),
        ("财政预决算", "standard/budget.html"),
        ("征地补偿", "standard/land_expropriation.html"),
        ("政府网站工作年度报表（2025年度）", "pages/web-report-2025.html"),
    ):
        assert (title, f"./{href}") in links
    assert "sitemap.html" in site.text("sitemap.xml") and "sections/statutory.html" in site.text(
        "sitemap.xml"
    )


def test_catalog_filters_follow_the_tree(site):
    page = _soup(site, "catalog/index.html")
    labels = _texts(page.select(".gk-filter a, .gk-filter [aria-current]"))
    columns = [
        label
        for label in labels
        if label in ("政策文件", "预算决算", "三公经费", "行政事业性收费", "公开年报")
    ]
    assert columns == ["政策文件", "预算决算", "三公经费", "行政事业性收费", "公开年报"]


def test_the_catalogue_metadata_is_shown_listed_and_downloadable(site):
    page = _soup(site, "policy/2025-elderly-meal.html")
    meta = {tr.th.get_text(): tr.td.get_text() for tr in page.select("table.gk-meta tr")}
    assert meta["主题分类"] == "民政、扶贫、救灾\\社会福利"
    assert meta["体裁分类"] == "通知" and meta["关键词"] == "老年助餐、养老服务、社区食堂"
    assert meta["内容概述"].startswith("明确全县老年助餐点的布局")
    listing = _soup(site, "policy/index.html")
    row = next(tr for tr in listing.select("table.gk-list tbody tr") if "2025-elderly-meal" in tr.a["href"])
    assert row.select_one(".gk-list__summary").get_text() == meta["内容概述"]
    rows = list(csv.DictReader(io.StringIO(site.text("catalog/catalog.csv").lstrip("\ufeff"))))
    meal = next(r for r in rows if r["网址"] == "policy/2025-elderly-meal.html")
    assert (meal["内容概述"], meal["关键词"], meal["体裁分类"]) == (meta["内容概述"], meta["关键词"], "通知")


def test_the_footer_carries_the_site_level_elements(site):
    footer = _soup(site, "index.html").select_one(".gk-footer__services")
    links = {a.get_text(): a["href"] for a in footer.find_all("a")}
    assert links == {
        "办事服务": "https://zwfw.shili.example/",
        "咨询建言": "mailto:zxjy@shili.example",
        "我为政府网站找错": "https://zhaocuo.shili.example/?site=9999000001",
        "政府网站工作年度报表": "./pages/web-report-2025.html",
        "党政机关网站标识": "https://bszs.shili.example/sitename?id=9999000001",
    }
    assert site.exists("pages/web-report-2025.html")


def _own_structure(project):
    (project / "structure").unlink()
    shutil.copytree(ROOT / "structure", project / "structure")
    return project / "structure" / "tree.yaml"


def test_a_tree_naming_an_unconfigured_column_stops_the_build(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="通知")})
    tree_file = _own_structure(project)
    tree_file.write_text(tree_file.read_text(encoding="utf-8") + "- {column: hearings}\n", encoding="utf-8")
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode != 0
    line = len(tree_file.read_text(encoding="utf-8").splitlines())
    assert (
        f"配置项 structure/tree.yaml:{line} = 'hearings'：栏目“hearings”没有在 GONGKAI_COLUMNS 中配置。"
        in result.stderr
    )
    assert not (project / "output").exists()
    checked = run_cli(project, "check")  # what a pre-commit hook runs says the same
    assert checked.returncode != 0 and "栏目“hearings”没有在 GONGKAI_COLUMNS 中配置" in checked.stderr


def test_a_changed_tree_reaches_pages_an_incremental_build_keeps(tmp_path):
    project = make_project(tmp_path, {"policy/a.md": entry(title="示例县测试通知")})
    tree_file = _own_structure(project)
    first = run_cli(project, "build", "--output", "output")
    assert first.returncode == 0, first.stderr
    page = project / "output" / "policy" / "a.html"
    assert "法定主动公开内容" in page.read_text(encoding="utf-8")
    text = tree_file.read_text(encoding="utf-8").replace("title: 法定主动公开内容", "title: 法定公开内容")
    tree_file.write_text(text, encoding="utf-8")
    second = run_cli(project, "build", "--output", "output")
    assert second.returncode == 0, second.stderr
    html = page.read_text(encoding="utf-8")
    assert "法定公开内容" in html and "法定主动公开内容" not in html
