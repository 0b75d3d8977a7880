"""The public site on a phone (320 and 375 px), a desktop (1280 px) and paper (issue 20), in real
headless Chromium on the published demo site: every page type and every budget (the longest
tables), one browser, one context per width, the pages looped inside each test.

What a citizen would see is measured, not the CSS read: a table cell whose text renders one or
two characters per line, SVG text under 12 px, chart labels under 12 px, a page that scrolls
sideways, a code (索引号, 文号, 科目编码, ICP/公安备案) or a figure broken over two lines, a figure
not right-aligned, a 其中 row not indented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
from browser_support import AXE, AXE_TAGS, serve_directory  # noqa: E402
from conftest import ROOT, make_project, run_cli  # noqa: E402
from test_theme import PAGES  # noqa: E402

WIDTHS = [320, 375, 1280]

# what a citizen would see on the page, one report per page (empty when all is well)
MEASURE = r"""() => {
  const textLines = el => {
    // the lines the element's own text occupies: client rects of its text, grouped by top
    const tops = new Set();
    let chars = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.textContent.replace(/\s+/g, '');
      if (!text) continue;
      chars += text.length;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return {chars, lines: tops.size};
  };
  // shown to the eye: not in a closed <details>, not visually hidden (a 1 px clip, as a card
  // table's header row for screen readers)
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    && !el.closest('details:not([open]) > :not(summary)') && !el.closest('.gk-visually-hidden')
    && !(el.closest('thead') && el.closest('thead').getBoundingClientRect().width <= 1);
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
    + ' «' + el.textContent.trim().slice(0, 30) + '»';
  const out = {squeezed: [], smallSvgText: [], smallChartText: [], brokenCodes: [], leftFigures: [],
               scroll: [document.documentElement.scrollWidth, innerWidth]};
  for (const cell of document.querySelectorAll('main th, main td, main caption')) {
    if (!visible(cell)) continue;
    const {chars, lines} = textLines(cell);
    if (lines >= 2 && chars / lines <= 2.5) out.squeezed.push(name(cell) + ` ${chars}字${lines}行`);
  }
  for (const t of document.querySelectorAll('svg text')) {
    if (!visible(t)) continue;
    const h = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM() ? t.getScreenCTM().a : 1);
    if (h < 12) out.smallSvgText.push(name(t) + ' ' + h.toFixed(1) + 'px');
  }
  for (const t of document.querySelectorAll('.gk-bar-chart__label, .gk-bar-chart__value')) {
    const px = parseFloat(getComputedStyle(t).fontSize);
    if (px < 12) out.smallChartText.push(name(t) + ' ' + px + 'px');
  }
  for (const c of document.querySelectorAll('.gk-code, .gk-num, time')) {
    if (!visible(c) || !c.textContent.trim()) continue;
    if (textLines(c).lines > 1) out.brokenCodes.push(name(c));
  }
  // the same emphasis in every table: a total row is bold throughout
  out.plainTotals = [];
  for (const cell of document.querySelectorAll('main .gk-row--total > th, main .gk-row--total > td')) {
    if (visible(cell) && cell.textContent.trim() && parseInt(getComputedStyle(cell).fontWeight, 10) < 700)
      out.plainTotals.push(name(cell));
  }
  const figure = /^[-+−]?[\d,]+(\.\d+)?%?$/;
  for (const td of document.querySelectorAll('main td')) {
    if (!visible(td) || td.matches('.gk-code') || !figure.test(td.textContent.trim())) continue;
    if (getComputedStyle(td).textAlign !== 'right' || !getComputedStyle(td).fontVariantNumeric.includes('tabular-nums'))
      out.leftFigures.push(name(td));
  }
  return out;
}"""


def _measure(page) -> dict:
    """What MEASURE finds wrong on the page as shown (the first five of each kind), with a sideways
    scroll of the page as [scroll width, window width]."""
    seen = page.evaluate(MEASURE)
    scroll_width, inner = seen.pop("scroll")
    if scroll_width > inner:
        seen["scroll"] = [scroll_width, inner]
    return {k: v[:5] for k, v in seen.items() if v}


@pytest.fixture(scope="module")
def site(demo_site) -> Path:
    assert demo_site.exit_code == 0, demo_site.stderr
    return demo_site.output


@pytest.fixture(scope="module")
def server(site):
    with serve_directory(site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    """Every page type, and every budget and 三公 page of the demo (the longest tables)."""
    out = dict(PAGES, notfound="404.html")
    for column in ("budget", "sangong"):
        for path in sorted((site / column).glob("*.html")):
            out.setdefault(f"{column}:{path.stem}", f"{column}/{path.name}")
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_at_this_width(browser, server, pages, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = {}
    try:
        for name, rel in pages.items():
            page.goto(f"{server}/{rel}")
            page.wait_for_load_state("load")
            # budget details open, as a reader who taps them sees them
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            bad = _measure(page)
            if bad:
                problems[name] = bad
    finally:
        context.close()
    assert problems == {}
    assert len(pages) > len(PAGES)  # the budgets were looped too


def test_tables_become_labelled_cards_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{server}/{PAGES['sangong-year']}")
        table = page.locator("table.gk-data-table--cross").first
        # the caption is outside any scroll area and reads on one or two lines, not down the page
        assert table.locator("caption").bounding_box()["height"] < 80
        assert page.evaluate("document.querySelector('table.gk-data-table--cross').scrollWidth <= innerWidth")
        # each cell says which column it is: the heading is drawn before the value
        cell = table.locator("tbody tr").first.locator("td").last
        assert cell.get_attribute("data-label") == "合计增减率"
        before = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert before == '"合计增减率"'
        part = table.locator("tbody tr").first.locator("td.gk-col--part").first
        assert part.evaluate("c => getComputedStyle(c, '::before').content") == '"其中：公务用车购置费"'
        # 其中 rows of a department's table: indented under 公务用车购置及运行费, and say 其中
        page.goto(f"{server}/{PAGES['sangong']}")
        rows = page.locator("#gk-table-sangong tbody tr")
        parent = rows.filter(has_text="公务用车购置及运行费").bounding_box()
        child = rows.filter(has_text="公务用车购置费").bounding_box()
        assert child["x"] > parent["x"]
        assert rows.filter(has_text="公务用车购置费").locator("th").inner_text().startswith("其中：")
        # the budget chart: labels above their bars, text at the body's size
        page.goto(f"{server}/{PAGES['budget']}")
        label = page.locator(".gk-bar-chart__label").first.bounding_box()
        bar = page.locator(".gk-bar-chart__track").first.bounding_box()
        assert label["y"] + label["height"] <= bar["y"] + 1 and bar["width"] > 150
    finally:
        context.close()


def test_metadata_box_is_a_grid_when_wide_and_short_lines_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{server}/{PAGES['entry']}")
        top = page.evaluate(
            "[...document.querySelectorAll('.gk-meta th')].map(th => Math.round(th.getBoundingClientRect().top))"
        )
        assert len(top) == 8 and len(set(top)) == 4  # two pairs a row
        assert page.locator(".gk-meta").bounding_box()["height"] < 260
        page.set_viewport_size({"width": 320, "height": 800})
        box = page.locator(".gk-meta").bounding_box()
        # the eight fields in well under half the former height: the body text starts high up
        assert box["height"] < 520, box
        assert page.locator(".gk-body").bounding_box()["y"] < 900
        index_no = page.locator(".gk-meta td.gk-code").first
        assert index_no.evaluate("c => getComputedStyle(c).whiteSpace") == "nowrap"
    finally:
        context.close()


def test_print_repeats_headers_keeps_rows_whole_and_shows_addresses(browser, server, pages):
    # the width of an A4 page inside its margins (210 mm − 2 × 15 mm ≈ 680 CSS px)
    context = browser.new_context(viewport={"width": 680, "height": 960})
    page = context.new_page()
    checked = []
    try:
        for name, rel in pages.items():
            page.goto(f"{server}/{rel}")
            page.emulate_media(media="print")
            seen = page.evaluate("""() => {
              const s = el => getComputedStyle(el);
              const tables = Array.from(document.querySelectorAll('main table'));
              const link = document.querySelector('.gk-main a[href]:not([href^="#"]):not(.gk-breadcrumbs a)');
              return {tables: tables.filter(t => s(t).display !== 'table'
                                || (t.tHead && s(t.tHead).display !== 'table-header-group')
                                || Array.from(t.rows).some(r => s(r).breakInside !== 'avoid')).map(t => t.id || t.className),
                      after: link ? getComputedStyle(link, '::after').content : null,
                      wide: document.documentElement.scrollWidth > innerWidth,
                      hidden: ['.gk-nav', '.gk-header__search', '.gk-prefs', '.gk-skip']
                        .map(q => s(document.querySelector(q)).display)};
            }""")
            assert seen["tables"] == [], (name, seen)
            assert seen["after"] is None or seen["after"].startswith('"（'), (name, seen)
            assert seen["hidden"] == ["none"] * 4 and not seen["wide"], (name, seen)
            checked.append(seen["after"])
            page.emulate_media(media="screen")
        assert len([a for a in checked if a]) >= len(pages) // 2  # link addresses were checked on most pages
        # printed by the browser: the full address of each link, not the relative one
        page.goto(f"{server}/{PAGES['entry']}")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        after = page.evaluate(
            "getComputedStyle(document.querySelector('.gk-attachments__item a'), '::after').content"
        )
        assert after == f'"（{server}/files/2025-farmland-protection.pdf）"'
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-"
        # a budget's closed details print their tables, even without JS
        page.goto(f"{server}/{PAGES['budget']}")
        page.emulate_media(media="print")
        closed = page.evaluate("""() => Array.from(document.querySelectorAll('details:not([open]) table'))
            .map(t => t.getBoundingClientRect().height)""")
        assert closed and min(closed) > 50
    finally:
        context.close()


def test_axe_finds_nothing_on_the_phone_layout_and_the_404_page(browser, server, pages):
    # the card tables and the 信息索引 lines at 320 px on every page type, and the 404 page at
    # 1280 px too (tests/browser/test_theme.py runs axe on the other pages at 1280 px)
    context = browser.new_context(viewport={"width": 320, "height": 800}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for width, name in [(320, name) for name in (*PAGES, "notfound")] + [(1280, "notfound")]:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{server}/{pages[name]}")
            page.wait_for_load_state("load")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target).join(' '))",
                AXE_TAGS,
            )
            if violations:
                found[f"{name}@{width}"] = violations
    finally:
        context.close()
    assert found == {}


# Long 项 names as budgets carry them, and 9-digit-wide amounts
LONG_NAMES = [
    "义务教育阶段学校校舍安全保障和薄弱环节改善与能力提升项目支出",
    "农村义务教育学生营养改善计划及家庭经济困难学生生活补助",
    "县域普通高中振兴行动计划教育教学设施设备购置更新",
    "学前教育公用经费及普惠性民办幼儿园扶持奖补资金",
    "教师队伍建设专项（乡村教师生活补助、县管校聘培训）",
]


LONG_TABLES = ("revenue", "spending", "functional")  # the demo budget's tables by 功能分类


def _long_budget() -> str:
    """The demo's 2025 教育局 budget with 小学教育 split into many 项 of long names (the sums
    unchanged, so it validates): the longest table a county budget shows."""
    text = (ROOT / "content" / "budget" / "2025-jyj.yaml").read_text(encoding="utf-8")
    # every table by 功能分类 (收入总表, 支出总表, 一般公共预算财政拨款支出表) gets the same 项
    for line in [x for x in text.splitlines() if '{code: "2050202"' in x]:
        total = float(re.search(r"total: ([\d.]+)", line)[1])
        parts = [round(total / 20, 2)] * 19
        parts.insert(0, round(total - sum(parts), 2))
        rows = []
        for i, amount in enumerate(parts):
            name = "小学教育" if i == 0 else LONG_NAMES[i % len(LONG_NAMES)] + f"（{i}）"
            code = "2050202" if i == 0 else f"20502{10 + i}"
            rows.append(
                line.replace('"2050202"', f'"{code}"')
                .replace("小学教育", name)
                .replace(f"{total:.2f}", f"{amount:.2f}")
            )
        text = text.replace(line, "\n".join(rows))
    # a year with no 功能分类 catalogue (gongkai_core.subject_codes), so the made-up 项 codes are
    # not checked against it: this budget is about layout
    return text.replace("fiscal_year: 2025", "fiscal_year: 2023")


@pytest.fixture(scope="module")
def long_budget(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("long-budget"), {"budget/2025-jyj.yaml": _long_budget()})
    done = run_cli(project, "publish", "--output", "output")
    assert done.returncode == 0, done.stderr
    with serve_directory(project / "output") as url:
        yield f"{url}/budget/2025-jyj.html"


def test_a_long_budget_reads_at_every_width(browser, long_budget):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    problems = {}
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(long_budget)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            counts = page.evaluate("""() => {
              const c = {};
              for (const tr of document.querySelectorAll("tr[data-code^='20502']"))
                c[tr.closest('table').dataset.table] = (c[tr.closest('table').dataset.table] || 0) + 1;
              return c;
            }""")
            assert counts == dict.fromkeys(LONG_TABLES, 24)  # in each table: 款 + its 23 项
            bad = _measure(page)
            if bad:
                problems[width] = bad
    finally:
        context.close()
    assert problems == {}
