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
  survey: 预公告期内开展土地现状调查。
  restrictions: 不得在拟征收范围内抢栽抢建，抢栽抢建部分不予补偿。
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
  registration: {start: 2025-04-15, end: 2025-05-14, place: 城关镇人民政府}
  objection: 向县自然资源局书面反映。
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
        f"{PATH}:{line_of(text, 'end: 2025-10-10')}: 预公告期 2025-09-29 至 2025-10-10 自 2025-09-29 起算只有 4 个工作日，"
        "少于法定最少 10 个工作日：结束日最早应为 2025-10-17（发布当日不计入，自次日起算，《民法典》第二百零一条；"
        "工作日按国务院办公厅公布的节假日和调休安排计算） (land.pre_notice_period)"
    ]


def test_pre_notice_in_a_year_without_calendar():
    text = swap(PRE, "start: 2025-03-04", "start: 2031-03-04")
    text = swap(text, "end: 2025-03-17", "end: 2031-03-17")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2031')}: 缺少2031年的法定节假日和调休安排（现有：2019、2024、2025、2026年）：请按国务院办公厅当年的"
        "节假日安排通知录入（invoke holidays add 2031），不能按普通周末推算工作日 (land.calendar)"
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


# ---- every stage of the 2020 procedure, the periods as the law counts them, batches before 2020


def notice(
    kind: str, extra: str = "", issued: str = "2025-03-03", batch: str = "2025年度第9批次城镇建设用地"
) -> str:
    """A notice of `kind` with the range and areas of PRE, published on `issued`, plus `extra` keys."""
    head = PRE.split("  period:")[0].replace("notice_type: pre_notice", f"notice_type: {kind}")
    head = head.replace("issued_on: 2025-03-03", f"issued_on: {issued}")
    return head.replace("batch: 2025年度第9批次城镇建设用地", f"batch: {batch}") + extra


APPROVAL_2019 = "  approval:\n    authority: 示例省人民政府\n    number: 示政土〔2019〕9号\n    date: 2019-06-14\n    received: 2019-06-18\n"
OLD = "2019年度第9批次城镇建设用地"


def test_pre_notice_period_starting_on_the_day_of_publication_counts_from_the_next_day():
    # published Monday 2025-03-03, period written from that day: 03-04 … 03-14 are 9 working days
    text = swap(PRE, "start: 2025-03-04", "start: 2025-03-03")
    text = swap(text, "end: 2025-03-17", "end: 2025-03-14")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'end: 2025-03-14')}: 预公告期 2025-03-03 至 2025-03-14 自 2025-03-04 起算只有 9 个工作日，"
        "少于法定最少 10 个工作日：结束日最早应为 2025-03-17（发布当日不计入，自次日起算，《民法典》第二百零一条；"
        "工作日按国务院办公厅公布的节假日和调休安排计算） (land.pre_notice_period)"
    ]
    assert land.parse(load_block(swap(text, "end: 2025-03-14", "end: 2025-03-17"), "land")).period_text == (
        "2025-03-03 至 2025-03-17（计 10 个工作日，发布当日不计入）"
    )


def test_pre_notice_must_warn_against_planting_and_building_and_plan_the_survey():
    text = swap(PRE, "不得在拟征收范围内抢栽抢建，抢栽抢建部分不予补偿。", "不得新建房屋。")
    text = text.replace("  survey: 预公告期内开展土地现状调查。\n", "")
    assert check(text) == [
        f"{PATH}:2: 征收土地预公告须填写“survey”（土地现状调查安排） (land.survey)",
        f"{PATH}:{line_of(text, 'restrictions:')}: 预公告的禁止事项须写明：预公告发布后在拟征收范围内抢栽抢建的，"
        "对抢栽抢建部分不予补偿（《土地管理法实施条例》第二十六条），文中应有“抢栽抢建” (land.restrictions)",
    ]


def test_compensation_plan_shorter_than_thirty_days():
    short = plan(end="2025-05-13")
    assert _set(("b.yaml", short)) == [
        "b.yaml:2: 批次“2025年度第9批次城镇建设用地”中还没有征收土地预公告：征地补偿安置方案公告须在其后发布，"
        "请先发布前序公告，或核对 batch 名称是否一字不差 (land.stage_missing)",
        f"b.yaml:{line_of(short, 'end: 2025-05-13')}: 征地补偿安置方案公告期 2025-04-15 至 2025-05-13 自 2025-04-15 起算共 29 日，"
        "少于法定最少 30 日：结束日最早应为 2025-05-14（发布当日不计入，自次日起算，《民法典》第二百零一条） (land.plan_period)",
    ]
    # a period written from the day of publication: that day does not count (04-15 … 05-14 is 30 days)
    same_day = plan(start="2025-04-14", end="2025-05-14")
    assert _set(("a.yaml", PRE), ("b.yaml", same_day)) == []
    assert (
        land.parse(load_block(same_day, "land")).period_text
        == "2025-04-14 至 2025-05-14（计 30 日，发布当日不计入）"
    )


def test_a_2020_plan_must_say_how_to_register_and_where_to_object():
    bare = plan().split("  registration:")[0]
    assert _set(("a.yaml", PRE), ("b.yaml", bare)) == [
        "b.yaml:2: 征地补偿安置方案公告须填写“objection”（异议反映渠道）：2020年起的批次，方案公告须写明补偿登记的方式和期限、"
        "异议反馈渠道（《土地管理法实施条例》第二十七条） (land.objection)",
        "b.yaml:2: 征地补偿安置方案公告须填写“registration”（补偿登记）：2020年起的批次，方案公告须写明补偿登记的方式和期限、"
        "异议反馈渠道（《土地管理法实施条例》第二十七条） (land.registration)",
    ]
    # the same plan in a batch approved before 2020 needs neither (its d.yaml has no registration, no objection)
    assert "  objection:" not in _old_batch()[3][1] and _set(*_old_batch()) == []


def test_expropriation_within_fifteen_working_days_of_receiving_the_approval():
    # received Friday 2025-09-26: 09-28 is a make-up working day, 10-01 … 10-08 are off, 10-11 works
    approved = "  approval:\n    authority: 示例省人民政府\n    number: 示政土〔2025〕9号\n    date: 2025-09-24\n    received: 2025-09-26\n"
    late = notice("expropriation", approved + "  posted_at: 各村村务公开栏\n", issued="2025-10-24")
    assert check(late) == [
        f"{PATH}:{line_of(late, 'issued_on:')}: 征收土地公告日期 2025-10-24 超过法定期限：应自收到批准文件之日（2025-09-26）起 15 个"
        "工作日内发布，最晚 2025-10-23（《土地管理法实施条例》第三十一条；收到当日不计入，自次日起算，《民法典》第二百零一条；"
        "工作日按国务院办公厅公布的节假日和调休安排计算） (land.expropriation_deadline)"
    ]
    assert check(late.replace("issued_on: 2025-10-24", "issued_on: 2025-10-23")) == []
    # without the day received, the period runs from the approval's date
    assert check(late.replace("    received: 2025-09-26\n", "").replace("2025-10-24", "2025-10-22")) == [
        f"{PATH}:{line_of(late, 'issued_on:')}: 征收土地公告日期 2025-10-22 超过法定期限：应自收到批准文件之日（2025-09-24）起 15 个"
        "工作日内发布，最晚 2025-10-21（《土地管理法实施条例》第三十一条；收到当日不计入，自次日起算，《民法典》第二百零一条；"
        "工作日按国务院办公厅公布的节假日和调休安排计算） (land.expropriation_deadline)"
    ]


def test_an_old_batch_has_ten_working_days_for_its_expropriation_notice():
    late = notice(
        "expropriation", APPROVAL_2019 + "  posted_at: 各村村务公开栏\n", issued="2019-07-03", batch=OLD
    )
    assert check(late) == [
        f"{PATH}:{line_of(late, 'issued_on:')}: 征收土地公告日期 2019-07-03 超过法定期限：应自收到批准文件之日（2019-06-18）起 10 个"
        "工作日内发布，最晚 2019-07-02（2020年1月1日前批准的批次，按《征用土地公告办法》第三条；收到当日不计入，自次日起算，"
        "《民法典》第二百零一条；工作日按国务院办公厅公布的节假日和调休安排计算） (land.expropriation_deadline)"
    ]


def _old_batch() -> list[tuple[str, str]]:
    signing = (
        "  signing:\n    - {township: 城关镇, village: 东风村, households: 20, registered: 20, signed: 0}\n"
    )
    old_plan = plan(start="2019-08-06", end="2019-08-19", issued="2019-08-05").split("  registration:")[0]
    return [
        ("a.yaml", notice("approval", APPROVAL_2019, batch=OLD)),
        (
            "b.yaml",
            notice("expropriation", APPROVAL_2019 + "  posted_at: 各村村务公开栏\n", "2019-06-26", OLD),
        ),
        ("c.yaml", notice("registration", signing, "2019-07-16", OLD)),
        ("d.yaml", old_plan.replace("2025年度第9批次城镇建设用地", OLD)),
    ]


def test_a_batch_approved_before_2020_follows_the_old_order():
    # no 预公告, a 14-day plan without registration or objection channel, the plan after the approval
    items = _old_batch()
    assert _set(*items) == []
    timeline = land.batches([(p, land.parse(load_block(t, "land")), None) for p, t in items])[OLD]
    assert [n.notice_type for _, n, _ in timeline] == [
        "approval",
        "expropriation",
        "registration",
        "compensation_plan",
    ]


def test_an_old_batch_in_the_wrong_order_or_with_a_new_notice():
    items = _old_batch()
    early = items[2][1].replace("issued_on: 2019-07-16", "issued_on: 2019-06-20")
    pre = PRE.replace("2025年度第9批次城镇建设用地", OLD)
    assert _set(*items[:2], ("c.yaml", early), items[3], ("p.yaml", pre)) == [
        f"c.yaml:{line_of(early, 'issued_on:')}: 补偿登记和协议签订情况的日期 2019-06-20 早于征收土地公告（b.yaml）的日期 2019-06-26："
        "同一批次的公告日期须依次向后 (land.order)",
        f"p.yaml:{line_of(pre, 'notice_type:')}: 批次“2019年度第9批次城镇建设用地”按批复日期 2019-06-14属2020年1月1日前批准的批次，"
        "按修改前的程序（批复 → 征收土地公告 → 补偿登记 → 补偿安置方案公告 → 费用到位）核对，其中没有征收土地预公告："
        "请核对批复日期或 batch 名称 (land.legacy_type)",
    ]


HEARING = "  session: {date: 2025-05-08, place: 县政务服务中心}\n"


def test_hearing_notice_result_and_the_revised_plan():
    notice_late = notice("hearing_notice", HEARING + "  posted_at: 各村村务公开栏\n", issued="2025-05-08")
    assert check(notice_late) == [
        f"{PATH}:{line_of(notice_late, 'session:')}: 听证日期 2025-05-08 不晚于听证公告日期 2025-05-08：听证公告须在听证会之前发布，"
        "请核对 (land.hearing_date)"
    ]
    result = notice(
        "hearing_result", HEARING + '  result: 采纳提高青苗补偿标准的意见。\n  revised: "yes"\n', "2025-05-12"
    )
    assert _set(("a.yaml", PRE), ("b.yaml", plan()), ("e.yaml", result), ("f.yaml", approval())) == [
        "e.yaml:2: 批次“2025年度第9批次城镇建设用地”中还没有听证公告：听证结果须在其后发布，请先发布前序公告，"
        "或核对 batch 名称是否一字不差 (land.stage_missing)",
        f"e.yaml:{line_of(result, 'revised:')}: 听证结果写明要修改补偿安置方案，但批次“2025年度第9批次城镇建设用地”中没有修改后的"
        "征地补偿安置方案公告：报批前须公布修改后的方案（《土地管理法实施条例》第二十七条） (land.revised_missing)",
    ]
    hearing = notice("hearing_notice", HEARING + "  posted_at: 各村村务公开栏\n", issued="2025-04-23")
    revised = notice(
        "revised_plan",
        "  posted_at: 各村村务公开栏\n"
        + PLAN_EXTRA.split("  hearing:")[0]
        + "  objection: 向县自然资源局反映。\n",
        "2025-05-20",
    )
    full = [("a.yaml", PRE), ("b.yaml", plan()), ("d.yaml", hearing), ("e.yaml", result), ("g.yaml", revised)]
    assert _set(*full, ("h.yaml", approval())) == []


SIGNING = """\
  signing:
    - {township: 城关镇, village: 东风村, groups: 三组, households: 46, registered: 46, signed: 45}
    - {township: 青山镇, village: 石桥村, groups: 二组, households: 29, registered: 29, signed: 29}
"""


def test_registration_counts_and_the_decision_for_owners_without_agreement():
    wrong = notice(
        "registration",
        SIGNING.replace("registered: 29, signed: 29", "registered: 28, signed: 29"),
        "2025-06-06",
    )
    assert check(wrong) == [
        f"{PATH}:{line_of(wrong, 'signed: 29')}: 石桥村二组：应登记 29 户、已登记 28 户、已签协议 29 户，应满足 已签协议 ≤ 已登记 ≤ 应登记，"
        "请核对 (land.signing_counts)"
    ]
    registration = notice("registration", SIGNING, "2025-06-06")
    batch = [
        ("a.yaml", PRE),
        ("b.yaml", plan()),
        ("c.yaml", registration),
        ("d.yaml", approval()),
        ("e.yaml", expropriation()),
    ]
    assert _set(*batch) == [
        f"c.yaml:{line_of(registration, 'signing:')}: 补偿登记和协议签订情况中有 1 户未签订补偿安置协议，批次“2025年度第9批次城镇建设用地”"
        "已发布征收土地公告，却没有征地补偿安置决定：对未达成协议的，须作出征地补偿安置决定并公布（《土地管理法实施条例》第三十一条） "
        "(land.decision_missing)"
    ]
    households = (
        "  households:\n    - {name: 王建国, village: 东风村, groups: 三组, area: 0.2130, amount: 18.53}\n"
    )
    decision = notice("decision", households + "  objection: 可申请行政复议。\n", "2025-07-25")
    assert _set(*batch, ("f.yaml", decision)) == []
    early = decision.replace("issued_on: 2025-07-25", "issued_on: 2025-06-01")
    assert _set(*batch, ("f.yaml", early)) == [
        f"f.yaml:{line_of(early, 'issued_on:')}: 征地补偿安置决定的日期 2025-06-01 早于补偿登记和协议签订情况（c.yaml）的日期 2025-06-06："
        "决定须在补偿登记和协议签订之后作出 (land.order)"
    ]


PAYMENTS = """\
  payments:
    - {township: 城关镇, village: 东风村, groups: 三组, land_compensation: 111.88, resettlement: 167.82, attachments: 35.20, social_security: 62.40}
    - {township: 青山镇, village: 石桥村, groups: 二组, land_compensation: 76.13, resettlement: 114.19, attachments: 21.45, social_security: 44.10}
"""


def test_payments_by_village_add_up_and_name_villages_of_the_range():
    text = notice("payment", PAYMENTS + "  paid_total: 633.17\n", "2025-08-15")
    assert check(text) == []
    [table] = [t for t in land.tables(land.parse(load_block(text, "land"))) if t.key == "payments"]
    assert [str(v) for v in table.rows[-1][3:]] == ["188.01", "282.01", "56.65", "106.50", "633.17"]
    wrong = text.replace("paid_total: 633.17", "paid_total: 633.18")
    assert check(wrong) == [
        f"{PATH}:{line_of(wrong, 'paid_total')}: 到位资金合计 633.18 万元，与各村、组四项费用之和 633.17 万元不符（相差 0.01），请核对 "
        "(land.payment_sum)"
    ]
    stray = text.replace("village: 石桥村, groups: 二组, land", "village: 石桥, groups: 二组, land")
    assert check(stray) == [
        f"{PATH}:{line_of(stray, 'village: 石桥,')}: 征地补偿费用到位（按村、组）中的“石桥”不在本公告的征收范围（places）内："
        "征收范围内的村为东风村、石桥村，请核对村名 (land.village)"
    ]


def test_survey_findings_add_up_to_the_total_area():
    findings = """\
  findings:
    - {township: 城关镇, village: 东风村, area: 3.0000, households: 46}
    - {township: 青山镇, village: 石桥村, area: 1.9000, households: 29}
"""
    text = notice("survey", findings, "2025-03-20")
    assert check(text) == [
        f"{PATH}:{line_of(text, 'findings:')}: 调查结果各村、组面积之和 4.9000 公顷，与总面积 5.0000 公顷不符（相差 0.1000），请核对 "
        "(land.findings_area)"
    ]
