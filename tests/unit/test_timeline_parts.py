"""A long land timeline in parts (gongkai_core.columns.land.TimelinePart): every page of the batch,
rendered inside a build where the parts without its notice come from the fragment cache, shows
exactly what the same timeline rendered as a single part shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup

from gk_components import _Titled, environment
from gongkai_build.build import Build
from gongkai_core.columns import ShownEntry, land


def _batch(n: int) -> list[ShownEntry]:
    shown = []
    for i in range(n):
        model = land.Land(
            "pre_notice", "2025年度第9批次", (), land.Areas(1), issued_on=date(2025, 1, 1) + timedelta(days=i)
        )
        url = f"land/n{i:02d}.html"
        shown.append(ShownEntry(_Titled(f"公告{i}<&>", path=url), f"n{i:02d}", url, model))
    (notices,) = set(land.timelines(shown).values())
    return list(notices)


def test_every_page_of_a_long_batch_shows_the_timeline_as_one_part_would(tmp_path: Path):
    notices = _batch(21)
    items = land.timeline_items(notices)
    parts = land.timeline_parts(items)
    assert [len(p.items) for p in parts] == [8, 8, 5]
    whole = (replace(parts[0], items=items, urls=frozenset(i.url for i in items)),)
    macro = environment().get_template("components/timeline/macro.html").module.timeline
    build = Build(tmp_path)
    with build.active():
        for current in notices:
            shown = str(macro(parts, current))
            assert shown == str(macro(whole, current))
            soup = BeautifulSoup(shown, "html.parser")
            assert len(soup.select("li")) == 21
            (mark,) = soup.select("[aria-current]")
            assert mark.get_text() == f"{current.entry.title}（本页）"
    # each page takes the 2 parts without its notice from the cache: each part rendered once in all
    assert build.fragments.rendered == len(parts)
    assert build.fragments.reused == 21 * (len(parts) - 1) - len(parts)
