"""征地信息: statutory periods, areas, the batch order, the parcel outline — full message lines pinned."""

from __future__ import annotations

from column_helpers import PATH, line_of, load_block, problems, swap
from gongkai_core.columns import land

PRE = """\
land:
  notice_type: pre_notice
  batch: 2025年度第9批次城镇建设用地
  purpose: 城镇建设
  issued_on: 2025-03-03
  places:
    - {township: 城关镇, village: 东风村, area: 3.0000}
    - {township: 青山镇, village: 石桥村, area: 2.0000}
  area:
    total: 5.0000
    farmland: 4.0000
    cultivated: 3.0000
    construction: 0.8000
    unused: 0.2000
  period:
    start: 2025-03-04
    end: 2025-03-17
  posted_at: 各村村务公开栏
  outline:
    type: Polygon
    coordinates:
      - - [117.2010, 32.9020]
        - [117.2044, 32.9022]
        - [117.2047, 32.9001]
        - [117.2010, 32.9020]
"""

PLAN_EXTRA = """\
  compensation:
    - {zone: 区片Ⅰ, price: 58000}
  resettlement: 货币安置。
  social_security: 纳入城乡居民基本养老保险。
  hearing: 可在公告期内申请听证。
"""


def plan(start: str = "2025-04-15", end: str = "2025-05-14", issued: str = "2025-04-14") -> str:
    text = PRE.replace("notice_type: pre_notice", "notice_type: compensation_plan")
    text = text.replace("issued_on: 2025-03-03", f"issued_on: {issued}")
    text = text.replace("start: 2025-03-04", f"start: {start}").replace("end: 2025-03-17", f"end: {end}")
    return text + PLAN_EXTRA


def approval(number: str = "示政土〔2025〕9号", when: str = "2025-07-08") -> str:
    head = PRE.split("  period:")[0].replace("notice_type: pre_notice", "notice_type: approval")
    return head + f"  approval:\n    authority: 示例省人民政府\n    number: {number}\n    date: {when}\n"


def expropriation(number: str = "示政土〔2025〕9号", issued: str = "2025-07-18") -> str:
    text = approval(number).replace("notice_type: approval", "notice_type: expropriation")
    return text.replace("issued_on: 2025-03-03", f"issued_on: {issued}") + "  posted_at: 各村村务公开栏\n"


def check(text: str) -> list[str]:
    return problems(text, land, "land")


def test_good_notices_have_no_problem():
    assert [check(t) for t in (PRE, plan(), approval(), expropriation())] == [[], [], [], []]


def test_pre_notice_shorter_than_ten_working_days():
    # 2025-09-29 … 2025-10-10 has only 4 working days (国庆节、中秋节 1–8 October); Saturday 10-11 is a make-up day
    text = swap(PRE, "start: 2025-03-04", "start: 2025-09-29")
    text = swap(text, "end: 2025-03-17", "end: 2025-10-10")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2025-10-10')}: 预公告期 2025-09-29 至 2025-10-10 只有 4 个工作日，少于法定最少 10 个工作日："
        "结束日最早应为 2025-10-17 (land.pre_notice_period)"
    ]


def test_pre_notice_in_a_year_without_calendar():
    text = swap(PRE, "start: 2025-03-04", "start: 2031-03-04")
    text = swap(text, "end: 2025-03-17", "end: 2031-03-17")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2031')}: 缺少2031年的法定节假日和调休安排（现有：2024、2025、2026年）：请按国务院办公厅当年的"
        "节假日安排通知录入（invoke holidays add 2031），不能按普通周末推算工作日 (land.calendar)"
    ]


def test_compensation_plan_shorter_than_thirty_days():
    text = plan(end="2025-05-13")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2025-05-13')}: 征地补偿安置方案公告期 2025-04-15 至 2025-05-13 共 29 日（含首尾两日），"
        "少于法定最少 30 日：结束日最早应为 2025-05-14 (land.plan_period)"
    ]


def test_period_order_and_start_before_the_notice():
    text = plan(start="2025-04-10", end="2025-04-01")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2025-04-01')}: 公告期结束日 2025-04-01 早于开始日 2025-04-10，请核对 (land.period_order)"
    ]
    text = plan(start="2025-04-10", end="2025-05-20")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'start: 2025-04-10')}: 公告期开始日 2025-04-10 早于公告日期 2025-04-14：公告发布后才能起算，"
        "请核对 (land.period_start)"
    ]


def test_plan_requires_its_terms():
    text = plan().replace("  hearing: 可在公告期内申请听证。\n", "")
    assert check(text) == [f"{PATH}:2: 征地补偿安置方案公告须填写“hearing”（听证权利告知） (land.hearing)"]


def test_area_parts_may_not_exceed_total():
    text = swap(PRE, "construction: 0.8000", "construction: 1.8000")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'total: 5.0000')}: 农用地、建设用地、未利用地面积之和 6.0000 公顷，超过总面积 5.0000 公顷："
        "分类面积不能大于总面积，请核对 (land.area_parts)"
    ]
    text = swap(PRE, "cultivated: 3.0000", "cultivated: 4.5000")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'cultivated')}: 耕地面积 4.5000 公顷，超过农用地面积 4.0000 公顷：耕地是农用地的一部分，请核对 "
        "(land.area_parts)"
    ]
    text = swap(PRE, "unused: 0.2000", "unused: 0.1000")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'total: 5.0000')}: 农用地、建设用地、未利用地面积之和 4.9000 公顷，与总面积 5.0000 公顷不符"
        "（相差 0.1000），请核对 (land.area_sum)"
    ]
    text = swap(PRE, "area: 2.0000}", "area: 2.5000}")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'places:')}: 各村面积之和 5.5000 公顷，超过总面积 5.0000 公顷，请核对 (land.area_parts)"
    ]
    text = swap(PRE, "total: 5.0000", "total: 5.00001")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'total: 5.00001')}: 总面积“5.00001”的小数超过4位，请按公顷保留4位小数 (land.area.total)"
    ]


def test_outline_must_be_a_closed_polygon_in_range():
    broken = PRE.rsplit("        - [117.2010, 32.9020]\n", 1)[0] + "        - [117.2012, 32.9020]\n"
    assert check(broken) == [
        f"{PATH}:{line_of(broken, '      - - [117')}: 环未闭合：最后一个坐标点须与第一个相同 (land.outline)"
    ]
    swapped = swap(PRE, "- [117.2044, 32.9022]", "- [32.9022, 217.2044]")
    assert check(swapped) == [
        f"{PATH}:{line_of(swapped, '217.2044')}: 坐标点 2 [32.9022, 217.2044] 超出范围：经度在前（-180～180），纬度在后（-90～90） "
        "(land.outline)"
    ]
    point = swap(PRE, "type: Polygon", "type: Point")
    assert check(point) == [
        f"{PATH}:{line_of(point, 'type: Point')}: outline 的 type “Point” 不支持：请用 Polygon 或 MultiPolygon (land.outline)"
    ]


def _set(*texts_and_paths: tuple[str, str]) -> list[str]:
    items = [(path, land.parse(load_block(text, "land")), None) for path, text in texts_and_paths]
    return [str(p) for p in land.validate_set(items)]


def test_a_full_batch_in_legal_order_has_no_problem():
    assert (
        _set(("a.yaml", PRE), ("b.yaml", plan()), ("c.yaml", approval()), ("d.yaml", expropriation())) == []
    )


def test_expropriation_needs_the_approval_it_cites():
    other = expropriation(number="示政土〔2025〕10号")
    assert _set(("a.yaml", PRE), ("b.yaml", plan()), ("c.yaml", approval()), ("d.yaml", other)) == [
        f"d.yaml:{line_of(other, 'number:')}: 征收土地公告引用的批复 示政土〔2025〕10号 在批次“2025年度第9批次城镇建设用地”中没有"
        "对应的批复条目：请先发布该批复（notice_type: approval），或核对批准文号 (land.approval_missing)"
    ]


def test_a_later_notice_without_the_earlier_ones():
    text = expropriation()
    assert _set(("d.yaml", text)) == [
        "d.yaml:2: 批次“2025年度第9批次城镇建设用地”中还没有征收土地预公告、征地补偿安置方案公告、批复：征收土地公告须在其后发布，"
        "请先发布前序公告，或核对 batch 名称是否一字不差 (land.stage_missing)",
        f"d.yaml:{line_of(text, 'number:')}: 征收土地公告引用的批复 示政土〔2025〕9号 在批次“2025年度第9批次城镇建设用地”中没有"
        "对应的批复条目：请先发布该批复（notice_type: approval），或核对批准文号 (land.approval_missing)",
    ]


def test_plan_during_the_pre_notice_period_is_out_of_order():
    early = plan(start="2025-03-10", end="2025-04-10", issued="2025-03-10")
    assert _set(("a.yaml", PRE), ("b.yaml", early)) == [
        f"b.yaml:{line_of(early, 'period:')}: 征地补偿安置方案公告的日期 2025-03-10 不晚于征收土地预公告（a.yaml）公告期结束日 "
        "2025-03-17：须在前一公告期满后进行 (land.order)"
    ]
    hasty = approval(when="2025-05-10")
    assert _set(("a.yaml", PRE), ("b.yaml", plan()), ("c.yaml", hasty)) == [
        f"c.yaml:{line_of(hasty, 'approval:')}: 批复的日期 2025-05-10 不晚于征地补偿安置方案公告（b.yaml）公告期结束日 "
        "2025-05-14：须在前一公告期满后进行 (land.order)"
    ]


def test_outline_becomes_svg_path():
    model = land.parse(load_block(PRE, "land"))
    d, width, height = land.outline_svg_path(model.outline)
    assert d.startswith("M10.0,") and d.endswith(" Z") and d.count("L") == 2
    assert width == 320 and 10 < height < 240
