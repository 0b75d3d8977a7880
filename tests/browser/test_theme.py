"""The public theme in real headless Chromium: axe-core (WCAG 2.x A/AA) on every page type of
the published demo site and on the component gallery, keyboard order, the 适老化 modes, 320 px
and 200 % zoom, the strict CSP, no request to another host, and the weight of an entry page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from gk_components import components, examples, gallery

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import AXE, AXE_TAGS, serve_directory  # noqa: E402

# One page of every type the theme renders.
PAGES = {
    "home": "index.html",
    "catalog": "catalog/index.html",
    "catalog-year": "catalog/2025/index.html",
    "catalog-column-year": "catalog/policy/2025/index.html",
    "column": "policy/index.html",
    "entry": "policy/2025-farmland-protection.html",
    "entry-traditional": "policy/2025-traditional-notice.html",
    "budget": "budget/2025-czj.html",
    "govbudget": "govbudget/2025.html",
    "sangong": "sangong/2025-czj.html",
    "sangong-year": "sangong/2025.html",
    "land": "land/2025-01-pre-notice.html",
    "land-payment": "land/2025-05-payment.html",  # the widest land table (费用到位 by 村/组)
    "land-places": "land/places.html",
    "report": "report/2024-annual-report.html",
    "guide": "pages/guide.html",
    "apply": "pages/apply.html",
    "apply-form": "pages/apply-form.html",
    "report-national-format": "report/2025-annual-report.html",
    "about": "pages/about.html",
    "withdrawn": "policy/2025-withdrawn-fees.html",
    "normative-library": "catalog/normative/current.html",
    "consultation": "consultation/2026-elderly-care-plan-draft.html",
    "entry-links": "policy/2026-tender-rules.html",
    "section": "sections/statutory.html",
    "standard-area": "standard/social_assistance.html",
    "sitemap": "sitemap.html",
    "search": "search.html?q=%E8%80%95%E5%9C%B0",
}


@pytest.fixture(scope="module")
def site(demo_site) -> Path:
    assert demo_site.exit_code == 0, demo_site.stderr
    return demo_site.output


@pytest.fixture(scope="module")
def server(site):
    with serve_directory(site) as url:
        yield url


class Tab:
    """A page in its own context that records requests, console errors and CSP violations."""

    def __init__(self, browser, base: str, **context_options):
        self.base = base
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, rel: str) -> None:
        self.page.goto(f"{self.base}/{rel}")
        self.page.wait_for_load_state("load")

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base, "data:"))]

    def axe(self) -> list[dict]:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
            AXE_TAGS,
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result
        ]

    def set_modes(self, large: bool = False, contrast: bool = False) -> None:
        self.page.evaluate(
            "m => localStorage.setItem('gongkai.prefs', JSON.stringify(m))",
            {"large": large, "contrast": contrast},
        )

    def no_horizontal_scroll(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server):
    opened: list[Tab] = []

    def _tab(**options) -> Tab:
        t = Tab(browser, server, **options)
        opened.append(t)
        return t

    yield _tab
    for t in opened:
        t.close()


# ---- axe on every page type, in each mode -----------------------------------------------------


@pytest.mark.parametrize("mode", ["default", "large", "contrast"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(tab, name, mode):
    # axe is injected as a script tag, which the page's own CSP would refuse: bypass it here only;
    # the CSP is enforced in every other test.
    t = tab(bypass_csp=True)
    t.open("index.html")
    t.set_modes(large=mode == "large", contrast=mode == "contrast")
    t.open(PAGES[name])
    if mode != "default":
        assert t.page.evaluate(f"document.documentElement.classList.contains('gk-{mode}')")
    assert t.axe() == []


def test_component_gallery_has_no_axe_violations(tab, tmp_path):
    page = gallery(tmp_path)
    t = tab(bypass_csp=True)
    t.base = tmp_path.as_uri()
    t.open(page.name)
    # every example of every component folder is on the page (a component without examples fails
    # tests/unit/test_components.py; here it would be missing from the set)
    shown = t.page.eval_on_selector_all(
        "main section[data-component]", "els => els.map(e => e.dataset.component)"
    )
    assert len(shown) == len(examples())
    assert set(shown) == set(components())
    assert t.axe() == []


# ---- strict CSP and self-containment -----------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_under_its_csp_with_no_foreign_request(tab, name):
    t = tab()
    t.open(PAGES[name])
    assert t.foreign_requests() == []
    assert [e for e in t.errors if "favicon" not in e] == []
    # prefs.js ran (a blocked script would leave the toggles hidden)
    assert t.page.is_visible("[data-module=gk-prefs]")


def test_pages_work_from_file_urls(browser, site):
    t = Tab(browser, site.as_uri())
    try:
        t.open("policy/2025-farmland-protection.html")
        t.page.click("button[data-pref=contrast]")
        t.open("index.html")
        assert t.page.get_attribute("button[data-pref=contrast]", "aria-pressed") == "true"
        assert [u for u in t.requests if not u.startswith(("file://", "data:"))] == []
        assert [e for e in t.errors if "favicon" not in e] == []
    finally:
        t.close()


# ---- keyboard -----------------------------------------------------------------------------------

FOCUSABLE = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  return Array.from(document.querySelectorAll(sel)).filter(el => {
    if (el.disabled || el.tabIndex < 0) return false;
    if (el.closest('[hidden]') || el.closest('details:not([open]) > :not(summary)')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 || el.classList.contains('gk-skip');
  }).map((el, i) => { el.dataset.gkOrder = String(i); return i; }).length;
}"""


@pytest.mark.parametrize("name", ["entry", "catalog", "budget"])
def test_tab_reaches_every_link_and_control_in_order(tab, name):
    t = tab()
    t.open(PAGES[name])
    count = t.page.evaluate(FOCUSABLE)
    assert count > 20
    seen = []
    for _ in range(count):
        t.page.keyboard.press("Tab")
        seen.append(
            t.page.evaluate(
                "document.activeElement.dataset.gkOrder ?? document.activeElement.outerHTML.slice(0, 80)"
            )
        )
    assert seen == [str(i) for i in range(count)]
    # the first stop is the skip link, which is visible when focused and leads to <main>
    t.page.keyboard.press("Tab")  # leaves the page; start again
    t.open(PAGES[name])
    t.page.keyboard.press("Tab")
    assert t.page.evaluate("document.activeElement.className") == "gk-skip"
    box = t.page.locator(".gk-skip").bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    t.page.keyboard.press("Enter")
    assert t.page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible(tab):
    t = tab()
    t.open(PAGES["entry"])
    t.page.keyboard.press("Tab")
    t.page.keyboard.press("Tab")  # the site name link in the header
    style = t.page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }""")
    assert style["outline"] != "none" and style["width"] >= 2 and style["shadow"] != "none"


# ---- 适老化 ------------------------------------------------------------------------------------


def test_large_font_and_high_contrast_are_switchable_and_remembered(tab):
    t = tab()
    t.open(PAGES["entry"])

    def body_size():
        return t.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gk-body p')).fontSize)")

    def background():
        return t.page.evaluate("getComputedStyle(document.body).backgroundColor")

    before = body_size()
    assert t.page.get_attribute("button[data-pref=large]", "aria-pressed") == "false"
    t.page.click("button[data-pref=large]")
    assert t.page.get_attribute("button[data-pref=large]", "aria-pressed") == "true"
    assert body_size() >= before * 1.25
    t.page.click("button[data-pref=contrast]")
    assert background() == "rgb(0, 0, 0)"
    # remembered on the next page, and pressed buttons say so
    t.page.click("nav.gk-nav >> text=信息公开目录")
    t.page.wait_for_load_state("load")
    assert t.page.url.endswith("catalog/index.html")
    assert t.page.get_attribute("button[data-pref=large]", "aria-pressed") == "true"
    assert t.page.get_attribute("button[data-pref=contrast]", "aria-pressed") == "true"
    assert background() == "rgb(0, 0, 0)"
    # and switched off again by the keyboard
    t.page.focus("button[data-pref=contrast]")
    t.page.keyboard.press("Enter")
    assert t.page.get_attribute("button[data-pref=contrast]", "aria-pressed") == "false"
    assert background() == "rgb(255, 255, 255)"


def test_every_page_is_readable_without_js(tab):
    t = tab(java_script_enabled=False, viewport={"width": 320, "height": 640})
    for name, rel in PAGES.items():
        if name == "search":
            continue
        t.open(rel)
        assert t.page.locator("h1").count() == 1, name
        assert t.page.inner_text("main").strip(), name
        assert not t.page.is_visible("[data-module=gk-prefs]"), name  # the toggles need JS: hidden
        assert t.no_horizontal_scroll(), name


WIDE = """() => [document.documentElement.scrollWidth, innerWidth,
  Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(0, 5).map(el => el.tagName + '.' + el.className)]"""


@pytest.mark.parametrize("mode", ["default", "large"])
@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px = a 1280 px window at 200 % zoom
def test_no_horizontal_scroll_at_320px_and_200_percent_zoom(tab, width, mode):
    t = tab(viewport={"width": width, "height": 800}, device_scale_factor=2 if width == 640 else 1)
    t.open("index.html")
    t.set_modes(large=mode == "large")
    wide = []
    for name, rel in PAGES.items():
        t.open(rel)
        if not t.no_horizontal_scroll():
            wide.append((name, t.page.evaluate(WIDE)))
    assert wide == []


# ---- structure ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_one_h1_headings_in_order_and_landmarks(tab, name):
    t = tab()
    t.open(PAGES[name])
    levels = t.page.evaluate(
        "Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1])"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    for selector in (
        "header",
        "nav.gk-nav",
        "main#main",
        "footer",
        "a.gk-skip[href='#main']",
        "header form[role=search][action$='search.html'] input[name=q]",
    ):
        assert t.page.locator(selector).count() == 1, selector


def test_traditional_entry_is_zh_hant_and_the_chrome_stays_zh_cn(tab):
    t = tab()
    t.open(PAGES["entry-traditional"])
    assert t.page.get_attribute("html", "lang") == "zh-Hant"
    for selector in ("header", "nav.gk-nav", "footer", ".gk-entry__meta"):
        assert t.page.get_attribute(selector, "lang") == "zh-CN", selector
    t.open(PAGES["entry"])
    assert t.page.get_attribute("html", "lang") == "zh-CN"


def test_catalog_filters_by_column_and_year_without_js(tab):
    t = tab(java_script_enabled=False)
    t.open(PAGES["catalog"])
    total = t.page.locator("table.gk-list tbody tr").count()
    t.page.click("nav.gk-filter >> text=2024年")
    t.page.wait_for_url("**/catalog/2024/index.html")  # the new page loaded, not just its address
    t.page.wait_for_load_state("load")
    dates = t.page.locator("table.gk-list tbody time").all_inner_texts()
    assert dates and all(d.startswith("2024-") for d in dates) and len(dates) < total
    t.page.click("nav.gk-filter >> text=预算决算")
    t.page.wait_for_url("**/catalog/budget/2024/index.html")
    t.page.wait_for_load_state("load")
    assert t.page.inner_text("h1") == "政府信息公开目录（预算决算·2024年）"
    links = t.page.locator("table.gk-list tbody a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert links and all("/budget/" in h for h in links)
    assert t.page.get_attribute("nav.gk-filter [aria-current=page] >> nth=0", "aria-current") == "page"


def test_entry_page_with_css_and_js_is_under_60_kb(tab):
    t = tab()
    responses = []
    t.page.on("response", lambda r: responses.append(r))
    t.open(PAGES["entry"])
    sizes = {r.url: len(r.body()) for r in responses if r.ok}
    assert any(u.endswith(".css") for u in sizes) and any(u.endswith(".js") for u in sizes), sizes
    total = sum(sizes.values())
    print(json.dumps({"entry_page_bytes": total}))
    assert total < 60 * 1024, sizes


def test_preview_marks_every_page_and_stays_accessible(browser, tmp_path):
    import shutil

    from conftest import make_project, run_cli

    project = make_project(tmp_path, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    result = run_cli(project, "preview", "--output", "preview")
    assert result.returncode == 0, result.stderr
    t = Tab(browser, (project / "preview").as_uri(), bypass_csp=True)
    try:
        t.open("policy/2025-draft-parking.html")
        assert t.page.inner_text(".gk-preview-banner--site").startswith("预览·未公开")
        banner = t.page.inner_text("main .gk-preview-banner")
        assert banner.startswith("预览·未公开") and "审核状态为草稿" in banner
        assert t.page.get_attribute("meta[name=robots]", "content").startswith("noindex")
        assert t.axe() == []
        t.open("policy/index.html")
        flagged = t.page.locator("table.gk-list tr", has=t.page.locator(".gk-flag")).all_inner_texts()
        assert any("停车收费管理办法" in row for row in flagged)
    finally:
        t.close()


def test_print_shows_content_and_link_addresses_only(tab):
    t = tab()
    t.open(PAGES["entry"])
    t.page.emulate_media(media="print")
    hidden = t.page.evaluate("""() => ['.gk-nav', '.gk-header__search', '.gk-prefs', '.gk-skip']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    after = t.page.evaluate(
        "getComputedStyle(document.querySelector('.gk-attachments__item a'), '::after').content"
    )
    assert "../files/2025-farmland-protection.pdf" in after
    assert t.page.evaluate("getComputedStyle(document.querySelector('.gk-meta')).display") == "table"
    pdf = t.page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
