"""The touch-screen kiosk mode (issue 20): `invoke mirror --touch` of the demo site (plus a link
to another site in the guide), opened from disk in headless Chromium with no network. One
mirror, one browser; the pages are looped inside the tests.

Checked as a visitor at the 查阅点 meets it: large type, every target at least 48 px, the
on-screen keyboard types the site's frequent words into the search box and searches, the page
returns to the home page after the idle time (the page's clock is fast-forwarded, nothing
waits), links to other sites are text, nothing is requested off the disk, axe finds nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_cli

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import AXE, AXE_TAGS  # noqa: E402

OUTSIDE = "https://www.gov.cn/zhengce/xxgk/"
PAGES = [
    "index.html",
    "catalog/index.html",
    "policy/index.html",
    "policy/2025-farmland-protection.html",
    "budget/2025-czj.html",
    "sangong/2025.html",
    "land/2025-01-pre-notice.html",
    "pages/guide.html",
    "search.html?q=%E9%A2%84%E7%AE%97",
    "404.html",
]

TARGETS = """() => Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary'))
  .filter(el => el.getClientRects().length && !el.closest('[hidden]')
                && !el.closest('details:not([open]) > :not(summary)') && !el.classList.contains('gk-skip'))
  .map(el => { const r = el.getBoundingClientRect(); const inline = getComputedStyle(el).display === 'inline';
               return {what: el.tagName + ' ' + el.textContent.trim().slice(0, 20), w: r.width, h: r.height, inline}; })
  .filter(t => t.h < 48 || (!t.inline && t.w < 48))"""


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("touch")
    project = make_project(base, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    guide = project / "content" / "pages" / "guide.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + f"\n条例全文见[中国政府网]({OUTSIDE})。\n", encoding="utf-8"
    )
    result = run_cli(project, "mirror", str(base / "kiosk"), "--touch")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "kiosk" / "data"


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1080, "height": 1400})
    seen = {"off_disk": [], "errors": []}
    ctx.route("http://**/*", lambda route: route.abort())
    ctx.route("https://**/*", lambda route: route.abort())
    ctx.on(
        "request", lambda r: None if r.url.startswith(("file:", "data:")) else seen["off_disk"].append(r.url)
    )
    yield ctx, seen
    ctx.close()


def test_large_type_and_48px_targets_on_every_page(kiosk, context):
    ctx, seen = context
    page = ctx.new_page()
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    small = {}
    for rel in PAGES:
        page.goto(f"{kiosk.as_uri()}/{rel}")
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.classList.contains('gk-touch')"), rel
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 20, rel
        found = page.evaluate(TARGETS)
        if found:
            small[rel] = found[:5]
    page.close()
    assert small == {}
    assert seen == {"off_disk": [], "errors": []}


def test_links_to_other_sites_are_text(kiosk, context):
    ctx, _ = context
    page = ctx.new_page()
    page.goto(f"{kiosk.as_uri()}/pages/guide.html")
    page.wait_for_load_state("load")
    assert page.locator("a[href^='http']").count() == 0
    assert page.locator("main .gk-outside").inner_text() == f"中国政府网（网址：{OUTSIDE}）"
    # the site's own links still work
    assert page.locator("main a[href$='catalog/index.html']").count() >= 1
    # data files (CSV, JSON, feeds, the sitemap) would leave the site's pages: their names are text
    page.goto(f"{kiosk.as_uri()}/budget/2025-czj.html")
    page.wait_for_load_state("load")
    assert page.locator("a[href$='.csv'], a[href$='.json'], a[href$='.xml'], a[download]").count() == 0
    assert "目录下载（CSV）" in page.locator("footer .gk-outside--data").all_inner_texts()
    assert page.locator(".gk-downloads .gk-outside--data").count() >= 2
    page.close()


def test_keyboard_types_frequent_words_into_the_search_box_and_searches(kiosk, context):
    ctx, seen = context
    page = ctx.new_page()
    page.goto(f"{kiosk.as_uri()}/index.html")
    page.wait_for_load_state("load")
    keyboard = page.locator("[data-module=gk-keyboard]")
    assert keyboard.is_hidden()
    page.click("#gk-q")
    assert keyboard.is_visible()
    assert page.get_attribute("#gk-q", "inputmode") == "none"  # no system keyboard
    terms = keyboard.locator(".gk-keyboard__keys--terms button").all_inner_texts()
    assert "预算" in terms and len(terms) >= 10
    for key in keyboard.locator("button").all():
        box = key.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48
    keyboard.get_by_role("button", name="三公", exact=True).click()
    keyboard.get_by_role("button", name="退格").click()
    keyboard.get_by_role("button", name="公", exact=True).click()
    keyboard.get_by_role("button", name="空格").click()
    keyboard.get_by_role("button", name="预算", exact=True).click()
    assert page.input_value("#gk-q") == "三公 预算"
    assert keyboard.locator("[data-keyboard-value]").inner_text() == "三公 预算"
    keyboard.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/search.html?q=*")
    page.locator("#search-results a").first.wait_for()
    assert "预算" in page.locator("#search-results").inner_text()
    page.close()
    assert seen["off_disk"] == []


def test_the_page_returns_home_after_the_idle_time(kiosk, context):
    ctx, _ = context
    page = ctx.new_page()
    page.clock.install()
    page.goto(f"{kiosk.as_uri()}/budget/2025-czj.html")
    page.wait_for_load_state("load")
    idle = int(page.get_attribute("body", "data-gk-idle"))
    assert idle == 120  # GONGKAI_TOUCH_IDLE's default
    page.clock.run_for((idle - 5) * 1000)
    assert page.url.endswith("/budget/2025-czj.html")  # not yet
    page.mouse.wheel(0, 200)  # a touch starts the wait again
    page.clock.run_for((idle - 5) * 1000)
    assert page.url.endswith("/budget/2025-czj.html")
    page.clock.run_for(10 * 1000)
    page.wait_for_url(f"{kiosk.as_uri()}/index.html")
    assert page.locator("h1").inner_text() == "示例县人民政府信息公开"
    page.close()


def test_axe_finds_nothing_in_touch_mode(kiosk, browser):
    ctx = browser.new_context(viewport={"width": 1080, "height": 1400}, bypass_csp=True)
    page = ctx.new_page()
    found = {}
    try:
        for rel in ("index.html", "budget/2025-czj.html", "pages/guide.html"):
            page.goto(f"{kiosk.as_uri()}/{rel}")
            page.wait_for_load_state("load")
            page.click("#gk-q")  # the keyboard open
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target).join(' '))",
                AXE_TAGS,
            )
            if violations:
                found[rel] = violations
    finally:
        ctx.close()
    assert found == {}


def test_no_control_needs_a_hover():
    # a finger has no hover: no rule of the theme shows, hides or moves anything on :hover alone
    # (read from the file: a stylesheet opened from file:// keeps its rules from the page's script)
    css = re.sub(
        r"/\*.*?\*/",
        "",
        (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8"),
        flags=re.S,
    )
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    hover = [(sel.strip(), body) for sel, body in rules if ":hover" in sel]
    assert hover  # the underline thickens on hover: the check reads real rules
    moving = ("display", "visibility", "opacity", "position", "height", "transform", "content")
    assert [sel for sel, body in hover if any(re.search(rf"(^|;|\s){p}\s*:", body) for p in moving)] == []
