"""Entries of one date keep the order Pelican's translation grouping left them in (by slug) now that
the grouping is off (gongkai_gate.glue.newest_first)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from types import SimpleNamespace

from gongkai_gate.glue import newest_first


def test_newest_first_is_reversed_date_after_a_sort_by_slug() -> None:
    rng = random.Random(4)
    start = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    items = [
        SimpleNamespace(date=start + timedelta(days=rng.randint(0, 5)), slug=f"s{rng.randint(0, 40):02d}-{n}")
        for n in range(300)
    ]
    rng.shuffle(items)
    before = sorted(sorted(items, key=attrgetter("slug")), key=attrgetter("date"), reverse=True)
    assert sorted(items, key=newest_first) == before
    assert [x.slug for x in sorted(items, key=newest_first)[:2]] != [x.slug for x in items[:2]]
