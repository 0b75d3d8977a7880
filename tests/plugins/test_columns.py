"""Data columns in real Pelican builds: what the public sees adds up, downloads equal the source."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, make_project, review_block, run_cli

from gongkai_core import yamlload
from gongkai_core.columns import budget, land, sangong


def _num(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", ""))


def _soup(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.text(rel), "html.parser")


def _values(tr) -> list[Decimal]:
    """The amounts of a row as shown (rates such as 118.89% and “—” are left out)."""
    cells = [td.get_text().strip() for td in tr.find_all("td", class_="gk-num")]
    return [_num(c) for c in cells if c and not c.endswith("%") and c != "—"]


def _source(rel: str, column: str):
    data, _ = yamlload.load((ROOT / "content" / rel).read_text(encoding="utf-8"))
    return {"budget": budget, "sangong": sangong, "land": land}[column].parse(data[column])


BUDGET_PAGES = sorted(p.stem for p in (ROOT / "content" / "budget").glob("*.yaml"))


@pytest.mark.parametrize("slug", BUDGET_PAGES)
def test_every_budget_total_shown_equals_the_sum_shown_beneath_it(demo_site, slug):
    page = _soup(demo_site, f"budget/{slug}.html")
    overviews = page.select("table.gk-code-table__table--overview")
    assert len(overviews) >= 2  # 一般公共预算财政拨款支出表 and 基本支出表
    for table in overviews:
        tops = [_values(tr) for tr in table.select("tbody tr")]
        total = _values(table.select_one("tfoot tr"))
        assert total == [sum(col, Decimal(0)) for col in zip(*tops)], table.caption.get_text()
        first, *parts = total
        assert first == sum(parts, Decimal(0))  # 合计 = 基本支出 + 项目支出 (人员经费 + 公用经费)
    groups = page.select("details.gk-code-table__group table")
    assert groups
    for table in groups:
        rows = table.select("tbody tr")
        by_level = [(tr["data-level"], tr["data-code"], _values(tr)) for tr in rows]
        for level, code, values in by_level:
            child_level = {"类": "款", "款": "项"}.get(level)
            children = [v for lv, c, v in by_level if lv == child_level and c.startswith(code)]
            if child_level and any(lv == child_level for lv, _, _ in by_level):
                assert values == [sum(col, Decimal(0)) for col in zip(*children)], code


@pytest.mark.parametrize("slug", BUDGET_PAGES)
def test_budget_downloads_parse_and_equal_the_source(demo_site, slug):
    model = _source(f"budget/{slug}.yaml", "budget")
    flat = model.functional.flat()
    with open(demo_site.output / "budget" / slug / "functional.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["科目编码", "科目名称", "合计（万元）", "基本支出（万元）", "项目支出（万元）"]
    assert [(r[0], r[1], *map(Decimal, r[2:])) for r in rows[1:-1]] == [
        (r.code, r.name, *r.values) for r in flat
    ]
    assert [Decimal(v) for v in rows[-1][2:]] == list(model.functional.totals)
    doc = json.loads(demo_site.text(f"budget/{slug}/economic.json"), parse_float=Decimal)
    assert doc["unit"] == "万元" and doc["index_no"]
    assert [(r["code"], r["total"]) for r in doc["rows"][:-1]] == [
        (r.code, r.values[0]) for r in model.economic.flat()
    ]
    income = json.loads(demo_site.text(f"budget/{slug}/summary-income.json"), parse_float=Decimal)
    assert income["rows"][-1] == {"item": "收入总计", "amount": model.summary.income_total}
    # every table of the page has both downloads, linked from the page
    links = {a["href"] for a in _soup(demo_site, f"budget/{slug}.html").select(".gk-downloads a")}
    for table in model.data_tables():
        assert f"../budget/{slug}/{table.key}.csv" in links and f"../budget/{slug}/{table.key}.json" in links
        assert (demo_site.output / "budget" / slug / f"{table.key}.csv").is_file()


def test_budget_chart_has_a_text_alternative_with_every_value(demo_site):
    page = _soup(demo_site, "budget/2025-jyj.html")
    plot = page.select_one("figure.gk-bar-chart [role=img]")
    title = page.find(id=plot["aria-labelledby"])
    assert title.get_text().endswith("（按功能分类的类）")
    model = _source("budget/2025-jyj.yaml", "budget")
    desc = page.find(id=plot["aria-describedby"]).get_text()
    # the labels are page text, not SVG text (legible at any width)
    assert plot.select("svg text") == [] and len(plot.select(".gk-bar-chart__label")) == len(
        model.functional.rows
    )
    for row in model.functional.rows:
        assert f"{row.code} {row.name} {row.values[0]:,.2f} 万元" in desc
    assert page.select_one("figure.gk-bar-chart figcaption a")["href"] == "#gk-table-functional"


def test_budget_compares_with_the_previous_year_when_it_exists(demo_site):
    this = _soup(demo_site, "budget/2025-wjj.html")
    table = this.select_one("#gk-table-compare")
    total = table.select_one("tr.gk-data-table__total")
    previous, current, change = _values(total)
    assert (current, previous) == (
        _source("budget/2025-wjj.yaml", "budget").functional.totals[0],
        _source("budget/2024-wjj.yaml", "budget").functional.totals[0],
    )
    assert change == current - previous
    assert this.select_one("#gk-compare-h").find_next("a", href="../budget/2024-wjj.html")
    assert _soup(demo_site, "budget/2024-wjj.html").select_one("#gk-table-compare") is None


def test_empty_tables_say_why(demo_site):
    page = _soup(demo_site, "budget/2025-czj.html")
    assert "空表：本单位无政府性基金预算财政拨款收支，本表为空表" in page.get_text()


def test_sangong_cross_table_adds_up_links_and_downloads(demo_site):
    page = _soup(demo_site, "sangong/2025.html")
    table = page.select_one("table.gk-data-table--cross")
    rows = table.select("tbody tr")
    assert len(rows) == 3
    values = [_values(tr)[:6] for tr in rows]
    total = _values(table.select_one("tfoot tr"))[:6]
    assert total == [sum(col, Decimal(0)) for col in zip(*values)]
    for tr in rows:
        total_, abroad, vehicle, purchase, operation, reception = _values(tr)[:6]
        assert (total_, vehicle) == (abroad + vehicle + reception, purchase + operation)
        assert demo_site.exists("sangong/" + tr.th.a["href"].split("/")[-1])
    by_total = _soup(demo_site, "sangong/2025-by-total.html").select("table.gk-data-table--cross tbody tr")
    totals = [_values(tr)[0] for tr in by_total]
    assert totals == sorted(totals, reverse=True)
    with open(
        demo_site.output / "sangong" / "sangong-2025-budget.csv", encoding="utf-8-sig", newline=""
    ) as fh:
        rows_csv = list(csv.reader(fh))
    sources = {
        m.department: m for m in (_source(f"sangong/2025-{d}.yaml", "sangong") for d in ("czj", "jyj", "wjj"))
    }
    for r in rows_csv[1:-1]:
        assert (
            Decimal(r[1]) == sources[r[0]].current.total and Decimal(r[6]) == sources[r[0]].current.reception
        )


def test_sangong_page_shows_changes_and_explanation(demo_site):
    page = _soup(demo_site, "sangong/2025-jyj.html")
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.find_all("td")]
        for tr in page.select("#gk-table-sangong tbody tr")
    }
    assert rows["合计"] == ["33.20", "15.30", "-17.90", "-53.92%"]
    assert rows["因公出国(境)费"][-1] == "—"
    assert "上年已完成车辆更新" in page.get_text()
    data = json.loads(demo_site.text("sangong/2025-jyj/sangong.json"), parse_float=Decimal)
    assert data["rows"][0] == {
        "item": "合计",
        "previous": Decimal("33.2"),
        "current": Decimal("15.3"),
        "change": Decimal("-17.9"),
        "rate": "-53.92%",
    }


def test_land_timeline_places_and_outline(demo_site):
    page = _soup(demo_site, "land/2025-02-compensation-plan.html")
    items = page.select(".gk-timeline__item")
    assert [i.select_one(".gk-timeline__type").get_text() for i in items] == [
        "征收土地预公告",
        "土地现状调查结果",
        "社会稳定风险评估结果",
        "征地补偿安置方案公告",
        "听证公告",
        "听证结果",
        "修改后的征地补偿安置方案公告",
        "补偿登记和协议签订情况",
        "批复",
        "征收土地公告",
        "征地补偿安置决定",
        "征地补偿费用到位情况",
    ]
    assert page.select_one("[aria-current=step]").get_text().endswith("（本页）")
    assert "2025-04-15 至 2025-05-14（计 30 日）" in page.get_text()
    pre = _soup(demo_site, "land/2025-01-pre-notice.html")
    assert "2025-03-04 至 2025-03-17（计 10 个工作日）" in pre.get_text()
    path = pre.select_one("figure.gk-outline svg path")["d"]
    assert path.startswith("M") and path.endswith("Z")
    places = _soup(demo_site, "land/places.html")
    assert [h.get_text() for h in places.select("main h2")] == ["城关镇", "青山镇"]
    assert len(places.select("main ul li")) == 32  # 12 + 4 notices under each of the two 乡镇
    rows = list(
        csv.reader(io.StringIO(demo_site.text("land/2025-01-pre-notice/places.csv").lstrip("\ufeff")))
    )
    assert rows[-1] == ["合计", "", "", "8.6420"]


SANGONG_BLOCK = """\
sangong:
  kind: budget
  fiscal_year: 2025
  department: {department}
  unit: 万元
  current: {{total: 3.00, abroad: 0.00, vehicle: 2.00, vehicle_purchase: 0.00, vehicle_operation: 2.00, reception: 1.00}}
  previous: {{total: 3.00, abroad: 0.00, vehicle: 2.00, vehicle_purchase: 0.00, vehicle_operation: 2.00, reception: 1.00}}
  counts: {{abroad_groups: 0, abroad_people: 0, vehicles_held: 1, vehicles_bought: 0, reception_batches: 5, reception_people: 20}}
"""


def _sangong_entry(department: str, index_no: str, **review_kw) -> str:
    meta = (
        f"title: {department}2025年“三公”经费预算\nindex_no: {index_no}\npublisher: {department}\ncolumn: sangong\n"
        "date_written: 2025-01-20\ndate_published: 2025-02-01\ndisclosure: proactive\n"
    )
    return meta + review_block(**review_kw) + "\n" + SANGONG_BLOCK.format(department=department)


def test_unpublished_sangong_entry_leaves_no_trace_in_cross_tables(build_site):
    site = build_site(
        {
            "sangong/ok.yaml": _sangong_entry("示例县测试局", "SL0000901/2025-00001"),
            "sangong/held.yaml": _sangong_entry(
                "CANARY5Q测试中心", "SL0000902/2025-00001", status="in_review", approved=None
            ),
        }
    )
    assert site.exit_code == 0, site.stderr
    cross = site.text("sangong/2025.html")
    assert "示例县测试局" in cross
    assert site.leaks("CANARY5Q") == []


def test_a_budget_that_does_not_add_up_is_reported_with_file_and_line(tmp_path):
    text = (ROOT / "content" / "budget" / "2025-czj.yaml").read_text(encoding="utf-8")
    at = text.index("  functional:")  # the 部门支出总表 has the same totals: break the functional table's
    broken = text[:at] + text[at:].replace(
        "totals: {total: 814.49, basic: 549.99, project: 264.50}",
        "totals: {total: 814.59, basic: 549.99, project: 264.60}",
    )
    assert broken != text
    project = make_project(tmp_path, {"budget/2025-czj.yaml": broken})
    result = run_cli(project, "check")
    line = broken.split("\n").index("    totals: {total: 814.59, basic: 549.99, project: 264.60}") + 1
    assert result.returncode == 1
    assert (
        f"content/budget/2025-czj.yaml:{line}: 一般公共预算财政拨款支出表合计行合计 814.59 万元，与各类之和 814.49 万元不符"
        "（相差 0.10），请核对 (budget.total)"
    ) in result.stdout + result.stderr


def test_demo_column_entries_are_all_published():
    from gongkai_core import clock
    from gongkai_core.site import load_site

    site = load_site(
        ROOT / "content", clock.build_date({"SOURCE_DATE_EPOCH": "1793505600"}), project_root=ROOT
    )
    shown = {Path(e.path).name for e in site.published() if e.column in ("budget", "sangong", "land")}
    assert len(shown) == len(
        {p.name for c in ("budget", "sangong", "land") for p in (ROOT / "content" / c).glob("*.yaml")}
    )


def test_final_accounts_compare_with_the_years_budget(demo_site):
    page = _soup(demo_site, "budget/2024-czj-final.html")
    table = page.select_one("#gk-table-compare-planned")
    planned, actual, change = _values(table.select_one("tr.gk-data-table__total"))
    assert planned == _source("budget/2024-czj.yaml", "budget").functional.totals[0]
    assert actual == _source("budget/2024-czj-final.yaml", "budget").functional.totals[0]
    assert change == actual - planned
    assert table.find_next("a")["href"] == "../budget/2024-czj.html"
    assert page.select_one("#gk-table-compare") is None  # no 2023 决算 published


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_downloads_written_by_a_forked_process_are_the_same_files(demo_site, tmp_path):
    """From GONGKAI_COLUMNS_PARALLEL_MIN_TABLES tables on the CSV/JSON downloads are written beside
    the page rendering, in another process: the site is the same, byte for byte."""
    project = make_project(tmp_path, {})
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "requests", project / "requests")  # as demo_site: the 依申请公开 page's counts
    conf = project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + "\nGONGKAI_COLUMNS_PARALLEL_MIN_TABLES = 1\n", encoding="utf-8"
    )
    result = run_cli(project, "publish", "--output", "output")
    assert result.returncode == 0, result.stderr
    assert any(p.suffix == ".json" for p in (project / "output" / "budget").rglob("*"))
    assert _tree(project / "output") == _tree(demo_site.output)


def test_parallel_tables_setting_is_checked(tmp_path):
    project = make_project(tmp_path, {})
    conf = project / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + "\nGONGKAI_COLUMNS_PARALLEL_MIN_TABLES = 0\n", encoding="utf-8"
    )
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode != 0
    assert "GONGKAI_COLUMNS_PARALLEL_MIN_TABLES" in result.stdout + result.stderr
