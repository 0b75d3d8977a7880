"""Household names as the 征地 tables show them: the surname kept, nothing of the given name."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from column_helpers import load_block
from gongkai_core.columns import land
from gongkai_core.namemask import mask_name

from test_land import notice


@pytest.mark.parametrize(
    ("name", "mou", "star"),
    [
        ("张三丰", "张某某", "张*"),
        ("王五", "王某", "王*"),
        ("欧阳明", "欧阳某", "欧阳*"),
        ("司马相如", "司马某某", "司马*"),
        ("欧阳", "欧某", "欧*"),  # two characters: a surname and a given name
        ("李", "某", "*"),
        ("李 秀英", "李某某", "李*"),
    ],
)
def test_mask_rules(name, mou, star):
    assert (mask_name(name), mask_name(name, "mou"), mask_name(name, "star")) == (mou, mou, star)


HOUSEHOLDS = """\
  households:
    - {name: 王建国, village: 东风村, groups: 三组, area: 0.2130, amount: 18.53}
    - {name: 欧阳秀英, village: 石桥村, groups: 二组, area: 0.1560, amount: 12.17}
  objection: 可申请行政复议。
"""


def test_household_tables_and_downloads_show_masked_names_by_the_configured_rule():
    model = land.parse(load_block(notice("decision", HOUSEHOLDS, "2025-07-25"), "land"))
    [table] = [t for t in land.tables(model) if t.key == "households"]
    assert table.title == "未签订补偿安置协议的户（姓名已隐去）"
    assert [r[0] for r in table.rows] == ["王某某", "欧阳某某", "合计"]
    assert "王建国" not in repr(model)  # not even in a debugging print of the model
    entry = SimpleNamespace(path="content/land/d.yaml", date_published=date(2025, 7, 25), title="征地公告")
    shown = [land.ShownEntry(entry, "d", "land/d.html", model)]
    for settings, names in (
        ({"GONGKAI_COLUMNS_OUTLINE_SIZE": (320, 240)}, ["王某某", "欧阳某某", "合计"]),
        ({"GONGKAI_COLUMNS_OUTLINE_SIZE": (320, 240), land.MASK_SETTING: "star"}, ["王*", "欧阳*", "合计"]),
    ):
        [view] = land.views(shown, settings).entries
        [download] = [d for d in view.downloads if d.table.key == "households"]
        assert [r[0] for r in download.table.rows] == names
