"""The audit report of the demo content in real headless Chromium: axe-core finds nothing,
it reads at 320 px, it prints, and it asks for nothing over the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import AXE  # noqa: E402


@pytest.fixture(scope="module")
def report(demo_site, tmp_path_factory) -> Path:
    assert demo_site.exit_code == 0, demo_site.stderr
    out = tmp_path_factory.mktemp("audit") / "report"
    result = run_cli(demo_site.project, "audit", "--site", "output", "--report", str(out))
    assert result.returncode in (0, 1), result.stderr
    assert json.loads((out / "audit.json").read_text(encoding="utf-8"))["rules"]
    return out / "index.html"


def test_report_has_no_axe_violations_and_no_requests(browser, report):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    assert [u for u in requests if not u.startswith("file://")] == []
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    assert result == []
    assert page.locator("h1").inner_text().endswith("政府信息公开合规自查报告")
    assert page.get_by_role("img", name="每月公开条数").count() == 1
    page.close()


def test_report_reads_at_320px_and_prints(browser, report):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(report.as_uri())
    # the page itself never scrolls sideways; wide tables scroll inside their own region
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()
