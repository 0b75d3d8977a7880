"""The search page in real headless Chromium, over http (with a strict CSP) and from file://."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import AXE, serve_directory  # noqa: E402

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.fixture(scope="module")
def site(demo_site) -> Path:
    assert demo_site.exit_code == 0, demo_site.stderr
    return demo_site.output


@pytest.fixture(scope="module")
def server(site):
    with serve_directory(site, {"Content-Security-Policy": CSP}) as url:
        yield url


class Visit:
    """A page that records every request and every console error or CSP violation."""

    def __init__(self, browser, base: str):
        self.base = base
        self.page = browser.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console",
            lambda m: m.type == "error" and "status of 404" not in m.text and self.errors.append(m.text),
        )
        # the browser asks for /favicon.ico by itself; any other missing file is an error
        self.page.on(
            "response",
            lambda r: (
                r.status >= 400
                and not r.url.endswith("/favicon.ico")
                and self.errors.append(f"{r.status} {r.url}")
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str) -> None:
        self.page.goto(f"{self.base}/search.html?{query}")
        self.page.wait_for_function(
            "document.querySelector('[data-search-status]').textContent !== ''", timeout=10_000
        )

    def status(self) -> str:
        return self.page.inner_text("#search-results [data-search-status]")

    def results(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            "#search-results li.gk-search-result",
            """items => items.map(li => ({
                title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),
                marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
                snippet: li.querySelector('.gk-search-result__snippet').textContent,
                meta: li.querySelector('dl').textContent}))""",
        )

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base, "file://", "data:"))]

    def close(self) -> None:
        self.page.close()


@pytest.fixture(params=["http", "file"])
def visit(request, browser, server, site):
    base = server if request.param == "http" else site.as_uri()
    v = Visit(browser, base)
    yield v
    assert v.foreign_requests() == []
    assert v.errors == []
    v.close()


def test_query_in_the_address_runs_on_load(visit):
    visit.open("q=" + urllib.parse.quote("耕地保护"))
    results = visit.results()
    # the shortest of the three titles holding the phrase: the 政策解读 of the 2026 amendment
    assert results[0]["title"] == "关于修改耕地保护实施意见的决定答记者问"
    assert results[0]["href"].endswith("interpretation/2026-farmland-amendment-qa.html")
    assert "耕地保护" in results[0]["marks"]
    assert "示例县自然资源局" in results[0]["meta"] and "政策解读" in results[0]["meta"]
    assert "示例县人民政府关于加强耕地保护和改进占补平衡的实施意见" in [r["title"] for r in results[:3]]
    assert visit.status().startswith(f"找到 {len(results)} 条含有“耕地保护”的信息")
    assert visit.page.input_value("#search-q") == "耕地保护"


def test_traditional_query_finds_simplified_entry(visit):
    visit.open("q=" + urllib.parse.quote("耕地保護"))
    assert visit.results()[0]["title"] == "关于修改耕地保护实施意见的决定答记者问"


def test_nothing_found_is_said_with_the_catalog_filters(visit):
    visit.open("q=" + urllib.parse.quote("火星探测器"))
    assert visit.results() == []
    assert visit.status() == "没有找到含有“火星探测器”的信息。"
    none = visit.page.locator("[data-search-none]")
    assert none.is_visible()
    hrefs = none.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(h.endswith("catalog/index.html") for h in hrefs)
    assert any(h.endswith("policy/index.html") for h in hrefs), hrefs


def test_nothing_found_suggests_a_query_with_a_character_left_out(visit):
    visit.open("q=" + urllib.parse.quote("耕地保护规"))
    assert visit.results() == []
    suggestion = visit.page.locator(".gk-search-suggestions a").first
    assert suggestion.inner_text() == "耕地保护"
    suggestion.click()
    visit.page.wait_for_url("**q=%E8%80%95%E5%9C%B0%E4%BF%9D%E6%8A%A4*")
    visit.page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    assert visit.results()[0]["title"] == "关于修改耕地保护实施意见的决定答记者问"


def test_a_budget_table_line_is_found_and_shown_marked(visit):
    visit.open("q=" + urllib.parse.quote("水费"))
    results = visit.results()
    assert results and all("水费" in r["marks"] for r in results)
    # first: the line of the fee list's table (in its body, no caption: named by the entry)
    assert results[0]["href"].endswith("fees/2026-fee-list.html")
    assert results[0]["snippet"].startswith("（表格：示例县2026年行政事业性收费项目和标准）")
    assert "收费项目 污水处理费，收费标准 按县人民政府批准的标准随水费征收" in results[0]["snippet"]
    [budget] = [r for r in results if r["href"].endswith("budget/2025-czj.html")]
    assert budget["snippet"].startswith("（表格：一般公共预算财政拨款基本支出表）")
    assert "科目编码 30205，科目名称 水费，合计 1.30万元" in budget["snippet"]


def test_result_link_opens_the_entry(visit):
    visit.open("q=" + urllib.parse.quote("征地补偿安置方案"))
    visit.page.click("#search-results li a >> nth=0")
    visit.page.wait_for_load_state()
    assert "征地补偿安置方案" in visit.page.title()


def test_filters_keep_the_query_in_the_address_and_back_works(visit):
    visit.open("q=" + urllib.parse.quote("三公经费"))
    everything = visit.status()
    visit.page.select_option("#search-column", "sangong")
    visit.page.select_option("#search-year", "2024")
    visit.page.click("form[data-search-form] button[type=submit]")
    visit.page.wait_for_url("**column=sangong**")
    visit.page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    assert "year=2024" in visit.page.url and "q=" in visit.page.url
    filtered = visit.results()
    assert filtered and all("三公经费" in r["meta"] and "2024-" in r["meta"] for r in filtered)
    assert visit.page.input_value("#search-column") == "sangong"
    visit.page.go_back()
    visit.page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    assert visit.status() == everything


def test_without_javascript_the_page_points_to_the_catalog(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.as_uri() + "/search.html?q=test")
    link = page.locator("noscript a, .gk-search__noscript a").first
    assert "catalog/index.html" in (link.get_attribute("href") or "")
    assert "政府信息公开目录" in page.content()
    context.close()


@pytest.mark.parametrize("query", ["三公经费", "三公经费&page=2", "火星探测器", ""])
def test_results_states_have_no_axe_violations(browser, site, query):
    axe = AXE
    if not axe.exists():
        pytest.skip("axe-core 未安装：请先运行 npm ci")
    context = browser.new_context(
        bypass_csp=True
    )  # lets the test inject axe; the page itself needs no exception
    page = context.new_page()
    q = urllib.parse.quote(query, safe="&=")
    page.goto(f"{site.as_uri()}/search.html?q={q}")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    page.add_script_tag(path=str(axe))
    violations = page.evaluate("axe.run().then(r => r.violations.map(v => v.id + ': ' + v.nodes[0].html))")
    context.close()
    assert violations == []
