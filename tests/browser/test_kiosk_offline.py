"""A kiosk mirror opened from disk (file://) in headless Chromium with no network: the home page,
every column and an entry in it, a search and its result, an attachment. Any request that is
not file: fails the test (the browser's own PDF viewer, chrome:/chrome-extension:, excepted)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_cli

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import CHROMIUM, launch  # noqa: E402

COLUMNS = {
    "policy": "政策文件",
    "budget": "预算决算",
    "sangong": "三公经费",
    "land": "征地信息",
    "report": "公开年报",
}
BROWSER_INTERNAL = ("chrome://", "chrome-extension://")  # the built-in PDF viewer's own files


@pytest.fixture(scope="module")
def mirror_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("kiosk-browser")
    project = make_project(base, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    dest = base / "kiosk"
    result = run_cli(project, "mirror", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


@pytest.fixture(scope="module")
def offline_page(mirror_dir):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium 未安装")
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        seen = {"off_disk": [], "failed": [], "errors": []}
        # no network at all, as in a kiosk: anything that tries is recorded and refused
        context.route("http://**/*", lambda route: route.abort())
        context.route("https://**/*", lambda route: route.abort())
        context.on(
            "request",
            lambda r: (
                None if r.url.startswith(("file:",) + BROWSER_INTERNAL) else seen["off_disk"].append(r.url)
            ),
        )
        # the browser's own fetch of the page icon is cancelled (net::ERR_ABORTED) when the test
        # leaves the page quickly; that the icon is in the mirror is asserted in the test
        context.on(
            "requestfailed",
            lambda r: (
                None
                if r.url.endswith("/favicon.svg") and r.failure == "net::ERR_ABORTED"
                else seen["failed"].append(f"{r.url} {r.failure}")
            ),
        )
        page = context.new_page()
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        yield page, seen
        context.close()
        browser.close()


def test_kiosk_mirror_works_from_disk_without_network(mirror_dir, offline_page):
    page, seen = offline_page
    data = (mirror_dir / "data").as_uri()

    # the operator opens the folder's index.html; it leads into the site
    page.goto((mirror_dir / "index.html").as_uri())
    page.wait_for_url(f"{data}/index.html")
    assert page.title() == "示例县人民政府信息公开"

    for key, name in COLUMNS.items():
        page.goto(f"{data}/index.html")
        nav = page.get_by_role("navigation", name="栏目导航")
        if nav.get_by_role("link", name=name, exact=True).count():
            nav.get_by_role("link", name=name, exact=True).click()
        else:  # a column inside a section of the tree (structure/tree.yaml): through the section's page
            nav.get_by_role("link", name="法定主动公开内容", exact=True).click()
            page.wait_for_url(f"{data}/sections/statutory.html")
            page.locator("main table").get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"{data}/{key}/index.html")
        assert page.locator("h1").inner_text() == name
        entry = page.locator("main table a[href$='.html']").first  # the column's list of entries
        title = entry.inner_text()
        entry.click()
        page.wait_for_url(f"{data}/{key}/*.html")
        assert page.locator("h1").first.inner_text() == title, key

    # search from the header box of the home page, then open the result
    page.goto(f"{data}/index.html")
    page.fill("#gk-q", "耕地保护")
    page.press("#gk-q", "Enter")
    page.wait_for_url(f"{data}/search.html?q=*")
    # the demo has several 耕地保护 entries (the 2026 amendment, its 政策解读): open the 2025 one
    result = page.locator("#search-results a[href$='policy/2025-farmland-protection.html']").first
    result.wait_for()
    result.click()
    page.wait_for_url(f"{data}/policy/2025-farmland-protection.html")
    assert "耕地保护" in page.locator("h1").first.inner_text()

    # the attachment opens from the mirror
    page.locator("a[href$='.pdf']").first.click()
    page.wait_for_url(f"{data}/files/2025-farmland-protection.pdf")

    assert (mirror_dir / "data" / "theme" / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    assert seen["off_disk"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
