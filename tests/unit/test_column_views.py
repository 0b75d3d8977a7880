"""What the column modules make of the shown entries of their column, on the demo content: the budget
pairs (the year before, a 决算's 年初预算), the 三公 cross tables and their year pages, the land
batch timelines and the notices by 乡镇 and year (gongkai_core.columns, no Pelican)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from conftest import EPOCH, ROOT

from gongkai_core import clock
from gongkai_core.columns import ShownEntry, budget, land, sangong
from gongkai_core.site import load_site

SETTINGS = {"GONGKAI_COLUMNS_CHART_WIDTH": 640, "GONGKAI_COLUMNS_OUTLINE_SIZE": (320, 240)}


@pytest.fixture(scope="module")
def shown() -> dict[str, list[ShownEntry]]:
    """The demo's published data entries by column, sorted by path, as the glue gives them."""
    site = load_site(ROOT / "content", clock.build_date({"SOURCE_DATE_EPOCH": EPOCH}), project_root=ROOT)
    found: dict[str, list[ShownEntry]] = {"budget": [], "sangong": [], "land": []}
    for entry in sorted(site.published(), key=lambda e: e.path):
        if entry.column in found:
            found[entry.column].append(
                ShownEntry(entry, entry.slug, f"{entry.column}/{entry.slug}.html", site.parsed[entry.path])
            )
    return found


def _slug(item: ShownEntry | None) -> str | None:
    return item.slug if item is not None else None


def test_budgets_are_paired_with_the_year_before_and_a_final_account_with_its_budget(shown):
    pairs = {
        path.rpartition("/")[2]: (_slug(before), _slug(planned))
        for path, (before, planned) in budget.pairs(shown["budget"]).items()
    }
    assert pairs == {
        "2024-czj-final.yaml": (None, "2024-czj"),  # no 2023 决算 is published
        "2024-czj.yaml": (None, None),
        "2024-jyj.yaml": (None, None),
        "2024-wjj.yaml": (None, None),
        "2025-czj.yaml": ("2024-czj", None),
        "2025-jyj.yaml": ("2024-jyj", None),
        "2025-wjj.yaml": ("2024-wjj", None),
    }


def test_of_two_budgets_with_one_key_the_first_by_path_is_compared(shown):
    items = shown["budget"]
    first = next(i for i in items if i.slug == "2024-czj")
    copy = ShownEntry(
        SimpleNamespace(path="content/budget/zz-copy.yaml"), "zz-copy", "budget/zz-copy.html", first.model
    )
    pairs = budget.pairs([*items, copy])
    assert pairs["content/budget/2025-czj.yaml"][0] is first


def test_budget_views_compare_the_functional_totals(shown):
    views = budget.views(shown["budget"], SETTINGS)
    by_slug = {v.shown.slug: v for v in views.entries}
    current = by_slug["2025-czj"]
    assert current.previous is by_slug["2024-czj"].shown and current.planned is None
    total = current.compare[0]
    assert (total.name, total.current, total.previous) == (
        "合计",
        current.model.functional.totals[0],
        by_slug["2024-czj"].model.functional.totals[0],
    )
    assert [c.code for c in current.compare[1:]] == sorted(
        {r.code for r in current.model.functional.rows}
        | {r.code for r in by_slug["2024-czj"].model.functional.rows}
    )
    final = by_slug["2024-czj-final"]
    assert final.compare == () and final.planned is by_slug["2024-czj"].shown
    assert final.compare_planned[0].previous == by_slug["2024-czj"].model.functional.totals[0]
    assert [b.label for b in current.chart.bars] == [
        f"{r.code} {r.name}" for r in current.model.functional.rows
    ]
    assert [d.csv for d in current.downloads][:2] == [
        "budget/2025-czj/summary-income.csv",
        "budget/2025-czj/summary-expenditure.csv",
    ]
    assert views.downloads == () and budget.pages(views) == []


def test_sangong_cross_tables_by_year_and_their_pages(shown):
    views = sangong.views(shown["sangong"], SETTINGS)
    assert [(t.year, t.kind) for t in views.years] == [(2025, "budget"), (2024, "budget")]
    t2025 = views.years[0]
    assert [(r.department, r.figures.total) for r in t2025.rows] == [
        ("示例县卫生健康局", Decimal("39.40")),
        ("示例县教育局", Decimal("15.30")),
        ("示例县财政局", Decimal("12.60")),
    ]
    assert [r.department for r in t2025.by_total()] == ["示例县卫生健康局", "示例县教育局", "示例县财政局"]
    assert t2025.table.rows[-1][:2] == ("合计", Decimal("67.30"))
    assert t2025.link("示例县教育局").slug == "2025-jyj"
    assert t2025.download.csv == "sangong/sangong-2025-budget.csv"
    assert [d.json for d in views.downloads] == [
        "sangong/sangong-2025-budget.json",
        "sangong/sangong-2024-budget.json",
    ]
    assert {v.shown.slug: v.year_url for v in views.entries}["2024-wjj"] == "sangong/2024.html"

    pages = sangong.pages(views)
    assert [(p.name, p.template, p.view.order) for p in pages] == [
        ("sangong/2025.html", "sangong_year", "department"),
        ("sangong/2025-by-total.html", "sangong_year", "total"),
        ("sangong/2024.html", "sangong_year", "department"),
        ("sangong/2024-by-total.html", "sangong_year", "total"),
    ]
    by_total = pages[1].view
    assert by_total.years == (2025, 2024) and by_total.url("department", 2024) == "sangong/2024.html"
    assert [r.previous_total for r in by_total.tables[0].rows] == [
        r.previous_total for r in sorted(t2025.rows, key=lambda r: -r.figures.total)
    ]
    assert sangong.pages(sangong.views([], SETTINGS)) == []


def _notice(item: ShownEntry, slug: str, published: date, **changes) -> ShownEntry:
    entry = dataclasses.replace(
        item.entry, path=f"content/land/{slug}.yaml", slug=slug, date_published=published
    )
    return ShownEntry(entry, slug, f"land/{slug}.html", dataclasses.replace(item.model, **changes))


def test_land_notices_of_a_batch_form_one_timeline_in_legal_order(shown):
    items = shown["land"]
    other = _notice(
        items[0],
        "2026-pre-notice",
        date(2026, 3, 2),
        batch="2026年度第1批次",
        places=(land.Place("城关镇", "东关村"),),
    )
    timelines = land.timelines([other, *items])
    batch = timelines[items[0].path]
    assert [n.model.notice_type for n in batch] == [  # the 2019 batch, in the order before 2020
        "approval",
        "expropriation",
        "registration",
        "compensation_plan",
    ]
    assert all(a is b for a, b in zip(batch, items)) and all(timelines[i.path] is batch for i in items[:4])
    later = timelines[items[4].path]  # the 2025 batch, in the 2020 order
    assert len(later) == 12 and later[0].model.notice_type == "pre_notice" and batch[0] not in later
    assert timelines[other.path] == (other,)


def test_land_notices_by_township_and_year(shown):
    items = shown["land"]
    other = _notice(
        items[0],
        "2026-pre-notice",
        date(2026, 3, 2),
        batch="2026年度第1批次",
        places=(land.Place("城关镇", "东关村"),),
    )
    towns = land.by_township([other, *items])
    y2025 = [i.slug for i in items if i.slug.startswith("2025-")]
    y2019 = [i.slug for i in items if i.slug.startswith("2019-")]
    assert len(y2025) == 12 and len(y2019) == 4
    assert [(t.name, [(y.year, [n.slug for n in y.notices]) for y in t.years]) for t in towns] == [
        ("城关镇", [(2026, ["2026-pre-notice"]), (2025, y2025), (2019, y2019)]),
        ("青山镇", [(2025, y2025), (2019, y2019)]),
    ]


def test_land_views_and_the_places_page(shown):
    views = land.views(shown["land"], SETTINGS)
    first = views.entries[0]
    assert first.batch[0] is first.shown and first.places_url == "land/places.html"
    assert first.outline == land.outline_svg_path(first.model.outline, 320, 240)
    assert [t.name for t in views.townships] == ["城关镇", "青山镇"]
    [page] = land.pages(views)
    assert (page.name, page.template, page.view.townships) == (
        "land/places.html",
        "land_places",
        views.townships,
    )
    assert land.pages(land.views([], SETTINGS)) == []
